//===- Passes.td - AccML conversion passes -----------------*- tablegen -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_CONVERSION_PASSES_TD
#define ACCML_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertAccmlToLinalgPass
    : Pass<"convert-accml-to-linalg", "::mlir::func::FuncOp"> {
  let summary = "Lower the accml dialect to linalg and tensor ops on tensors";
  let description = [{
    Replaces every accml op by linalg ops (named ops where they fit:
    `linalg.matmul`, `linalg.batch_matmul`, `linalg.conv_2d_nchw_fchw`,
    grouped and depthwise convolutions, `linalg.pooling_nchw_max/sum`,
    `linalg.transpose`, `linalg.reduce`; `linalg.generic` otherwise) and
    tensor ops (`tensor.pad`, `tensor.extract_slice`, reshapes), all on
    tensors. Constants become `arith.constant`.

    Dynamic dimensions are supported for the batch dimension of elementwise
    ops, matmul, conv2d and pooling, and wherever an op's shape rule allows
    it without run-time broadcasting decisions: a dynamic operand dimension
    of an elementwise op is taken to equal the result's (numpy broadcasting
    of a dynamic dimension that is 1 at run time is not supported).

    An op that cannot be lowered is reported with its location, the reason
    and what is supported, and the pass fails.

    Example:

    ```mlir
    %0 = accml.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
    ```

    becomes

    ```mlir
    %e = tensor.empty() : tensor<4x8xf32>
    %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>,
                                          affine_map<(d0, d1) -> (d1)>,
                                          affine_map<(d0, d1) -> (d0, d1)>],
                         iterator_types = ["parallel", "parallel"]}
        ins(%a, %b : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
    ^bb0(%x: f32, %y: f32, %out: f32):
      %s = arith.addf %x, %y : f32
      linalg.yield %s : f32
    } -> tensor<4x8xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // ACCML_CONVERSION_PASSES_TD
