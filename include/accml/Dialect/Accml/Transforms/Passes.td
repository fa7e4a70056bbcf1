//===- Passes.td - accml dialect transformation passes -----*- tablegen -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_DIALECT_ACCML_TRANSFORMS_PASSES_TD
#define ACCML_DIALECT_ACCML_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AccmlInferShapesPass : Pass<"accml-infer-shapes", "::mlir::func::FuncOp"> {
  let summary = "Refine dynamic result dimensions from the inferred types";
  let description = [{
    Walks the accml ops of a function in order and replaces each result type
    by the one inferred from the (possibly just refined) operand types when
    the inferred type is more static, so that static shapes flow through a
    graph whose intermediate types were written or imported with `?`.
    Where a refined value reaches an op outside the accml dialect (such as
    `func.return`), a `tensor.cast` back to the old type is inserted, so the
    function's signature never changes.

    Example:

    ```mlir
    %0 = accml.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<?x?xf32>
    %1 = accml.relu %0 : tensor<?x?xf32>
    ```

    becomes

    ```mlir
    %0 = accml.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %1 = accml.relu %0 : tensor<2x3xf32>
    ```
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def AccmlExpandStridedCopiesPass
    : Pass<"accml-expand-strided-copies", "::mlir::func::FuncOp"> {
  let summary = "Turn memref.copy between strided buffers into linalg.copy";
  let description = [{
    The LLVM lowering of `memref.copy` calls the `memrefCopy` function of
    MLIR's runner-utils library unless both buffers are contiguous. This pass
    rewrites such copies (typically of the subviews that bufferizing
    `tensor.pad` and `tensor.insert_slice` produces) into `linalg.copy`, which
    becomes plain loops, so compiled code needs no runtime library. Copies
    between contiguous buffers are left alone: they become `memcpy`.

    Example:

    ```mlir
    memref.copy %src, %dst : memref<4x4xf32, strided<[8, 1]>> to memref<4x4xf32>
    ```

    becomes

    ```mlir
    linalg.copy ins(%src : memref<4x4xf32, strided<[8, 1]>>) outs(%dst : memref<4x4xf32>)
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // ACCML_DIALECT_ACCML_TRANSFORMS_PASSES_TD
