//===- AccmlOps.td - accml dialect operations --------------*- tablegen -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// The operations of the accml dialect. Semantics follow the ONNX operator of
// the same name; differences are stated in each description.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_DIALECT_ACCML_IR_ACCMLOPS_TD
#define ACCML_DIALECT_ACCML_IR_ACCMLOPS_TD

include "accml/Dialect/Accml/IR/AccmlDialect.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpAsmInterface.td"

//===----------------------------------------------------------------------===//
// Base classes with type inference
//===----------------------------------------------------------------------===//

// An op whose result types are inferred from its operands and attributes. A
// written result type may refine dynamic dimensions of the inferred one.
// `inferDefinition` may hold the C++ definition of `inferReturnTypes`.
class Accml_InferredOp<string mnemonic, list<Trait> traits = [],
                       code inferDefinition = [{}]>
    : Accml_Op<mnemonic, !listconcat(traits,
                                     [InferTypeOpAdaptorWithIsCompatible])> {
  let extraClassDefinition = [{
    bool $cppClass::isCompatibleReturnTypes(::mlir::TypeRange inferred,
                                            ::mlir::TypeRange actual) {
      return ::accml::detail::areCompatibleTensorTypes(inferred, actual);
    }
  }] # inferDefinition;
}

// Elementwise binary op with numpy (ONNX multidirectional) broadcasting.
class Accml_BroadcastBinaryOp<string mnemonic, Type operandType,
                              bit isComparison = 0, list<Trait> traits = []>
    : Accml_InferredOp<mnemonic, traits, [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferBroadcastResultType(
          context, location, getOperationName(), adaptor.getOperands(),
          /*isComparison=*/}] # !if(isComparison, "true", "false") # [{,
          inferred);
    }
  }]> {
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs !if(isComparison, Accml_BoolTensor, operandType):$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

// Elementwise unary op: the result has the operand's type.
class Accml_UnaryOp<string mnemonic, Type type, list<Trait> traits = []>
    : Accml_Op<mnemonic, !listconcat(traits, [SameOperandsAndResultType])> {
  let arguments = (ins type:$input);
  let results = (outs type:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

def Accml_ConstantOp : Accml_Op<"constant",
    [ConstantLike, AllTypesMatch<["value", "result"]>,
     DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmResultNames"]>]> {
  let summary = "Constant tensor";
  let description = [{
    A tensor constant. The value is any elements attribute: `dense<...>` for
    small constants, `dense_resource<...>` for large weights, which are held
    once in the module's resource section and never copied per use. A
    resource must have its data, of the size the type calls for.

    Example:

    ```mlir
    %0 = accml.constant dense<[1.0, 2.0]> : tensor<2xf32>
    %1 = accml.constant dense_resource<conv1_weight> : tensor<64x3x7x7xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
  let builders = [
    OpBuilder<(ins "::mlir::ElementsAttr":$value), [{
      build($_builder, $_state, value.getType(), value);
    }]>
  ];
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

def Accml_AddOp : Accml_BroadcastBinaryOp<"add", Accml_NumericTensor, 0,
                                          [Commutative]> {
  let summary = "Elementwise addition with broadcasting";
  let description = [{
    `lhs + rhs`, elementwise, with numpy broadcasting (ONNX `Add`). Both
    operands have the same element type. The folder treats `x + 0.0` as `x`
    (as graph compilers do), which differs from IEEE arithmetic only for
    `x = -0.0`.

    Example:

    ```mlir
    %0 = accml.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let hasCanonicalizer = 1;
}

def Accml_SubOp : Accml_BroadcastBinaryOp<"sub", Accml_NumericTensor> {
  let summary = "Elementwise subtraction with broadcasting";
  let description = [{
    `lhs - rhs`, elementwise, with numpy broadcasting (ONNX `Sub`). The
    folder treats `x - 0.0` as `x`, as for `add`.

    Example:

    ```mlir
    %0 = accml.sub %a, %b : (tensor<4x1xf32>, tensor<1x5xf32>) -> tensor<4x5xf32>
    ```
  }];
}

def Accml_MulOp : Accml_BroadcastBinaryOp<"mul", Accml_NumericTensor, 0,
                                          [Commutative]> {
  let summary = "Elementwise multiplication with broadcasting";
  let description = [{
    `lhs * rhs`, elementwise, with numpy broadcasting (ONNX `Mul`).

    Example:

    ```mlir
    %0 = accml.mul %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
    ```
  }];
  let hasCanonicalizer = 1;
}

def Accml_DivOp : Accml_BroadcastBinaryOp<"div", Accml_NumericTensor> {
  let summary = "Elementwise division with broadcasting";
  let description = [{
    `lhs / rhs`, elementwise, with numpy broadcasting (ONNX `Div`). Integer
    division truncates toward zero; division by an integer zero is undefined
    (and is never constant-folded).

    Example:

    ```mlir
    %0 = accml.div %a, %b : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
    ```
  }];
}

def Accml_PowOp : Accml_BroadcastBinaryOp<"pow", Accml_FloatTensor> {
  let summary = "Elementwise power with broadcasting";
  let description = [{
    `lhs ^ rhs`, elementwise, with numpy broadcasting (ONNX `Pow` restricted
    to floating-point operands of one element type).

    Example:

    ```mlir
    %0 = accml.pow %x, %e : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
    ```
  }];
}

def Accml_MaxOp : Accml_BroadcastBinaryOp<"max", Accml_NumericTensor, 0,
                                          [Commutative]> {
  let summary = "Elementwise maximum with broadcasting";
  let description = [{
    The larger of `lhs` and `rhs`, elementwise, with numpy broadcasting (ONNX
    `Max` with two inputs). NaN propagates.

    Example:

    ```mlir
    %0 = accml.max %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    ```
  }];
}

def Accml_MinOp : Accml_BroadcastBinaryOp<"min", Accml_NumericTensor, 0,
                                          [Commutative]> {
  let summary = "Elementwise minimum with broadcasting";
  let description = [{
    The smaller of `lhs` and `rhs`, elementwise, with numpy broadcasting
    (ONNX `Min` with two inputs). NaN propagates.

    Example:

    ```mlir
    %0 = accml.min %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    ```
  }];
}

def Accml_EqualOp : Accml_BroadcastBinaryOp<"equal", Accml_Tensor, 1,
                                            [Commutative]> {
  let summary = "Elementwise equality comparison with broadcasting";
  let description = [{
    `lhs == rhs`, elementwise, with numpy broadcasting (ONNX `Equal`). The
    result has element type `i1`.

    Example:

    ```mlir
    %0 = accml.equal %a, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>
    ```
  }];
}

def Accml_LessOp : Accml_BroadcastBinaryOp<"less", Accml_NumericTensor, 1> {
  let summary = "Elementwise less-than comparison with broadcasting";
  let description = [{
    `lhs < rhs`, elementwise, with numpy broadcasting (ONNX `Less`). Integers
    compare as signed. The result has element type `i1`.

    Example:

    ```mlir
    %0 = accml.less %a, %b : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
    ```
  }];
}

def Accml_GreaterOp : Accml_BroadcastBinaryOp<"greater", Accml_NumericTensor,
                                              1> {
  let summary = "Elementwise greater-than comparison with broadcasting";
  let description = [{
    `lhs > rhs`, elementwise, with numpy broadcasting (ONNX `Greater`).
    Integers compare as signed. The result has element type `i1`.

    Example:

    ```mlir
    %0 = accml.greater %a, %b : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xi1>
    ```
  }];
}

def Accml_WhereOp : Accml_InferredOp<"where", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferWhereResultType(context, location,
          getOperationName(), adaptor.getOperands(), inferred);
    }
  }]> {
  let summary = "Elementwise selection with broadcasting";
  let description = [{
    `condition ? x : y`, elementwise, with numpy broadcasting of all three
    operands (ONNX `Where`). `x` and `y` have one element type, which is the
    result's.

    Example:

    ```mlir
    %0 = accml.where %c, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
    ```
  }];
  let arguments = (ins Accml_BoolTensor:$condition, Accml_Tensor:$x,
                       Accml_Tensor:$y);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = [{
    $condition `,` $x `,` $y attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

def Accml_NegOp : Accml_UnaryOp<"neg", Accml_NumericTensor, [Involution]> {
  let summary = "Elementwise negation";
  let description = [{
    `-x`, elementwise (ONNX `Neg`).

    Example:

    ```mlir
    %0 = accml.neg %x : tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_AbsOp : Accml_UnaryOp<"abs", Accml_NumericTensor, [Idempotent]> {
  let summary = "Elementwise absolute value";
  let description = [{
    `|x|`, elementwise (ONNX `Abs`).

    Example:

    ```mlir
    %0 = accml.abs %x : tensor<4xi32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_ExpOp : Accml_UnaryOp<"exp", Accml_FloatTensor> {
  let summary = "Elementwise exponential";
  let description = [{
    `e^x`, elementwise (ONNX `Exp`).

    Example:

    ```mlir
    %0 = accml.exp %x : tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_LogOp : Accml_UnaryOp<"log", Accml_FloatTensor> {
  let summary = "Elementwise natural logarithm";
  let description = [{
    `ln(x)`, elementwise (ONNX `Log`).

    Example:

    ```mlir
    %0 = accml.log %x : tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_SqrtOp : Accml_UnaryOp<"sqrt", Accml_FloatTensor> {
  let summary = "Elementwise square root";
  let description = [{
    `sqrt(x)`, elementwise (ONNX `Sqrt`).

    Example:

    ```mlir
    %0 = accml.sqrt %x : tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_RsqrtOp : Accml_UnaryOp<"rsqrt", Accml_FloatTensor> {
  let summary = "Elementwise reciprocal square root";
  let description = [{
    `1 / sqrt(x)`, elementwise. ONNX has no such operator; importers form it
    from `Reciprocal(Sqrt(x))` and normalisations use it.

    Example:

    ```mlir
    %0 = accml.rsqrt %x : tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_ReciprocalOp : Accml_UnaryOp<"reciprocal", Accml_FloatTensor> {
  let summary = "Elementwise reciprocal";
  let description = [{
    `1 / x`, elementwise (ONNX `Reciprocal`).

    Example:

    ```mlir
    %0 = accml.reciprocal %x : tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_TanhOp : Accml_UnaryOp<"tanh", Accml_FloatTensor> {
  let summary = "Elementwise hyperbolic tangent";
  let description = [{
    `tanh(x)`, elementwise (ONNX `Tanh`).

    Example:

    ```mlir
    %0 = accml.tanh %x : tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_SigmoidOp : Accml_UnaryOp<"sigmoid", Accml_FloatTensor> {
  let summary = "Elementwise logistic sigmoid";
  let description = [{
    `1 / (1 + e^-x)`, elementwise (ONNX `Sigmoid`).

    Example:

    ```mlir
    %0 = accml.sigmoid %x : tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_ReluOp : Accml_UnaryOp<"relu", Accml_NumericTensor, [Idempotent]> {
  let summary = "Elementwise rectified linear unit";
  let description = [{
    `max(x, 0)`, elementwise (ONNX `Relu`).

    Example:

    ```mlir
    %0 = accml.relu %x : tensor<1x64x56x56xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_LeakyReluOp : Accml_UnaryOp<"leaky_relu", Accml_FloatTensor> {
  let summary = "Elementwise leaky rectified linear unit";
  let description = [{
    `x >= 0 ? x : alpha * x`, elementwise (ONNX `LeakyRelu`, default
    `alpha = 0.01`).

    Example:

    ```mlir
    %0 = accml.leaky_relu %x {alpha = 2.000000e-01 : f32} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Accml_FloatTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.01">:$alpha);
  let hasFolder = 1;
}

def Accml_EluOp : Accml_UnaryOp<"elu", Accml_FloatTensor> {
  let summary = "Elementwise exponential linear unit";
  let description = [{
    `x > 0 ? x : alpha * (e^x - 1)`, elementwise (ONNX `Elu`, default
    `alpha = 1.0`).

    Example:

    ```mlir
    %0 = accml.elu %x : tensor<4xf32>
    ```
  }];
  let arguments = (ins Accml_FloatTensor:$input,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha);
  let hasFolder = 1;
}

def Accml_GeluOp : Accml_UnaryOp<"gelu", Accml_FloatTensor> {
  let summary = "Elementwise Gaussian error linear unit";
  let description = [{
    `0.5 * x * (1 + erf(x / sqrt(2)))`, elementwise, or with
    `approximate = "tanh"` the approximation
    `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`
    (ONNX `Gelu` of opset 20, which PyTorch's `gelu` matches).

    Example:

    ```mlir
    %0 = accml.gelu %x : tensor<4xf32>
    %1 = accml.gelu %x {approximate = "tanh"} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Accml_FloatTensor:$input,
                       DefaultValuedAttr<StrAttr, "\"none\"">:$approximate);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Accml_ErfOp : Accml_UnaryOp<"erf", Accml_FloatTensor> {
  let summary = "Elementwise error function";
  let description = [{
    `erf(x)`, elementwise (ONNX `Erf`).

    Example:

    ```mlir
    %0 = accml.erf %x : tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_SiluOp : Accml_UnaryOp<"silu", Accml_FloatTensor> {
  let summary = "Elementwise sigmoid linear unit (swish)";
  let description = [{
    `x * sigmoid(x)`, elementwise (PyTorch `silu`; ONNX exports it as
    `Mul(x, Sigmoid(x))`).

    Example:

    ```mlir
    %0 = accml.silu %x : tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_HardSigmoidOp : Accml_UnaryOp<"hard_sigmoid", Accml_FloatTensor> {
  let summary = "Elementwise hard sigmoid";
  let description = [{
    `max(0, min(1, alpha * x + beta))`, elementwise (ONNX `HardSigmoid`,
    defaults `alpha = 0.2`, `beta = 0.5`; PyTorch's `hardsigmoid` is
    `alpha = 1/6`).

    Example:

    ```mlir
    %0 = accml.hard_sigmoid %x {alpha = 0.166666672 : f32} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Accml_FloatTensor:$input,
                       DefaultValuedAttr<F32Attr, "0.2">:$alpha,
                       DefaultValuedAttr<F32Attr, "0.5">:$beta);
  let hasFolder = 1;
}

def Accml_HardSwishOp : Accml_UnaryOp<"hard_swish", Accml_FloatTensor> {
  let summary = "Elementwise hard swish";
  let description = [{
    `x * max(0, min(1, x / 6 + 1/2))`, elementwise (ONNX `HardSwish`).

    Example:

    ```mlir
    %0 = accml.hard_swish %x : tensor<4xf32>
    ```
  }];
  let hasFolder = 1;
}

def Accml_ClampOp : Accml_UnaryOp<"clamp", Accml_NumericTensor> {
  let summary = "Elementwise clamp to a range (clip)";
  let description = [{
    `min(max(x, min), max)`, elementwise (ONNX `Clip`, whose `min` and `max`
    inputs are constant attributes here). A missing bound does not clamp.
    As in ONNX, when `min > max` every element becomes `max`.

    Example:

    ```mlir
    %0 = accml.clamp %x {min = 0.0, max = 6.0} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Accml_NumericTensor:$input,
                       OptionalAttr<F64Attr>:$min,
                       OptionalAttr<F64Attr>:$max);
  let hasFolder = 1;
}

def Accml_CastOp : Accml_Op<"cast", [SameOperandsAndResultShape]> {
  let summary = "Elementwise element-type conversion";
  let description = [{
    Converts each element to the result's element type (ONNX `Cast`). Floats
    convert to integers by truncation toward zero, integers are signed, and a
    conversion to `i1` tests for non-zero.

    Example:

    ```mlir
    %0 = accml.cast %x : tensor<4xf32> to tensor<4xi32>
    ```
  }];
  let arguments = (ins Accml_Tensor:$input);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Accml_MatMulOp : Accml_InferredOp<"matmul", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferMatMulResultType(context, location,
          getOperationName(), adaptor.getLhs().getType(),
          adaptor.getRhs().getType(), inferred);
    }
  }]> {
  let summary = "Matrix product with numpy semantics";
  let description = [{
    Matrix product following `numpy.matmul` (ONNX `MatMul`): operands of rank
    2 multiply as matrices; higher ranks are stacks of matrices whose batch
    dimensions broadcast; a rank-1 `lhs` is a row vector and a rank-1 `rhs` a
    column vector, and that dimension is removed from the result.

    Example:

    ```mlir
    %0 = accml.matmul %a, %b : (tensor<8x128x64xf32>, tensor<64x32xf32>) -> tensor<8x128x32xf32>
    %1 = accml.matmul %v, %m : (tensor<64xf32>, tensor<64x32xf32>) -> tensor<32xf32>
    ```
  }];
  let arguments = (ins Accml_NumericTensor:$lhs, Accml_NumericTensor:$rhs);
  let results = (outs Accml_NumericTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` functional-type(operands, results)
  }];
}

def Accml_GemmOp : Accml_InferredOp<"gemm", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferGemmResultType(context, location,
          getOperationName(), adaptor, inferred);
    }
  }]> {
  let summary = "General matrix multiplication";
  let description = [{
    `alpha * op(a) * op(b) + beta * c` where `op` transposes its operand when
    `trans_a` / `trans_b` is set (ONNX `Gemm`). `a` and `b` are matrices; the
    optional `c` broadcasts to the `M x N` result.

    Example:

    ```mlir
    %0 = accml.gemm %x, %w, %b {trans_b = true} : (tensor<4x128xf32>, tensor<10x128xf32>, tensor<10xf32>) -> tensor<4x10xf32>
    ```
  }];
  let arguments = (ins Accml_NumericTensor:$a, Accml_NumericTensor:$b,
                       Optional<Accml_NumericTensor>:$c,
                       DefaultValuedAttr<F32Attr, "1.0">:$alpha,
                       DefaultValuedAttr<F32Attr, "1.0">:$beta,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_a,
                       DefaultValuedAttr<BoolAttr, "false">:$trans_b);
  let results = (outs Accml_NumericTensor:$result);
  let assemblyFormat = [{
    $a `,` $b (`,` $c^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

def Accml_Conv2DOp : Accml_InferredOp<"conv2d", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferConv2DResultType(context, location,
          getOperationName(), adaptor, inferred);
    }
  }]> {
  let summary = "2-D convolution (NCHW input, FCHW filter)";
  let description = [{
    2-D cross-correlation of an `N x C x H x W` input with an
    `F x C/groups x KH x KW` filter, plus an optional bias of `F` elements
    (ONNX `Conv` in two spatial dimensions). `strides` and `dilations` have
    two entries (H, W); `pads` has four, `[top, left, bottom, right]` as
    ONNX's `[x1_begin, x2_begin, x1_end, x2_end]`. `groups` splits the
    channels; `groups = C = F` is a depthwise convolution. The output is
    `N x F x OH x OW` with
    `OH = floor((H + top + bottom - dilation_h * (KH - 1) - 1) / stride_h) + 1`.
    ONNX's `auto_pad` is resolved into explicit `pads` by the importer.

    Example:

    ```mlir
    %0 = accml.conv2d %x, %w, %b {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
        : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
    ```
  }];
  let arguments = (ins Accml_FloatTensor:$input, Accml_FloatTensor:$weight,
                       Optional<Accml_FloatTensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs Accml_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Accml_ConvTranspose2DOp : Accml_InferredOp<"conv_transpose2d", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferConvTranspose2DResultType(context, location,
          getOperationName(), adaptor, inferred);
    }
  }]> {
  let summary = "2-D transposed convolution (NCHW input, CFHW filter)";
  let description = [{
    The gradient of `conv2d` with respect to its input (ONNX `ConvTranspose`
    in two spatial dimensions): an `N x C x H x W` input and a
    `C x F/groups x KH x KW` filter give an `N x F x OH x OW` output with
    `OH = stride_h * (H - 1) + output_padding_h + dilation_h * (KH - 1) + 1
    - top - bottom`. `pads` is `[top, left, bottom, right]`; ONNX's
    `output_shape` and `auto_pad` are resolved into `pads` and
    `output_padding` by the importer.

    Example:

    ```mlir
    %0 = accml.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>}
        : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<1x8x16x16xf32>
    ```
  }];
  let arguments = (ins Accml_FloatTensor:$input, Accml_FloatTensor:$weight,
                       Optional<Accml_FloatTensor>:$bias,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0}">:$output_padding,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs Accml_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

class Accml_Pool2DOp<string mnemonic, dag extraArgs>
    : Accml_InferredOp<mnemonic, [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferPool2DResultType(context, location,
          getOperationName(), adaptor.getInput().getType(),
          adaptor.getKernelShape(), adaptor.getStrides(), adaptor.getPads(),
          adaptor.getDilations(), adaptor.getCeilMode(), inferred);
    }
  }]> {
  let arguments = !con((ins Accml_FloatTensor:$input,
      DenseI64ArrayAttr:$kernel_shape,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
      DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
      DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
      DefaultValuedAttr<BoolAttr, "false">:$ceil_mode), extraArgs);
  let results = (outs Accml_FloatTensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
}

def Accml_MaxPool2DOp : Accml_Pool2DOp<"max_pool2d", (ins)> {
  let summary = "2-D max pooling";
  let description = [{
    The maximum over `kernel_shape` windows of an `N x C x H x W` input (ONNX
    `MaxPool` in two spatial dimensions, without the `Indices` output).
    Padding never wins the maximum. With `ceil_mode` the output size rounds
    up, but a window that would start inside the end padding is dropped (as
    PyTorch and ONNX do).

    Example:

    ```mlir
    %0 = accml.max_pool2d %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
        : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
    ```
  }];
}

def Accml_AvgPool2DOp : Accml_Pool2DOp<"avg_pool2d",
    (ins DefaultValuedAttr<BoolAttr, "false">:$count_include_pad)> {
  let summary = "2-D average pooling";
  let description = [{
    The mean over `kernel_shape` windows of an `N x C x H x W` input (ONNX
    `AveragePool` in two spatial dimensions). With `count_include_pad` the
    divisor is the whole window including padding; otherwise it counts only
    the input elements the window covers. `dilations` (ONNX opset 19) and
    `ceil_mode` as in `max_pool2d`.

    Example:

    ```mlir
    %0 = accml.avg_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
        : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
    ```
  }];
}

class Accml_GlobalPoolOp<string mnemonic>
    : Accml_InferredOp<mnemonic, [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferGlobalPoolResultType(context, location,
          getOperationName(), adaptor.getInput().getType(), inferred);
    }
  }]> {
  let arguments = (ins Accml_FloatTensor:$input);
  let results = (outs Accml_FloatTensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
}

def Accml_GlobalAvgPoolOp : Accml_GlobalPoolOp<"global_avg_pool"> {
  let summary = "Mean over all spatial dimensions";
  let description = [{
    The mean over every spatial dimension of an `N x C x D1 x ... x Dk`
    input, keeping them as size 1 (ONNX `GlobalAveragePool`).

    Example:

    ```mlir
    %0 = accml.global_avg_pool %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
    ```
  }];
}

def Accml_GlobalMaxPoolOp : Accml_GlobalPoolOp<"global_max_pool"> {
  let summary = "Maximum over all spatial dimensions";
  let description = [{
    The maximum over every spatial dimension of an `N x C x D1 x ... x Dk`
    input, keeping them as size 1 (ONNX `GlobalMaxPool`).

    Example:

    ```mlir
    %0 = accml.global_max_pool %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

def Accml_BatchNormOp : Accml_Op<"batch_norm", [
    AllTypesMatch<["input", "result"]>,
    AllElementTypesMatch<["input", "scale", "bias", "mean", "variance"]>]> {
  let summary = "Batch normalisation (inference form)";
  let description = [{
    `scale * (x - mean) / sqrt(variance + epsilon) + bias`, with `scale`,
    `bias`, `mean` and `variance` vectors over the channel dimension 1 of an
    `N x C x ...` input (ONNX `BatchNormalization` with
    `training_mode = 0`; `momentum` has no effect in inference).

    Example:

    ```mlir
    %0 = accml.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0e-03 : f32}
        : tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins Accml_FloatTensor:$input, Accml_FloatTensor:$scale,
                       Accml_FloatTensor:$bias, Accml_FloatTensor:$mean,
                       Accml_FloatTensor:$variance,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Accml_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    type($input) `,` type($scale) `,` type($bias) `,` type($mean) `,`
    type($variance)
  }];
  let hasVerifier = 1;
}

def Accml_LayerNormOp : Accml_Op<"layer_norm", [
    AllTypesMatch<["input", "result"]>]> {
  let summary = "Layer normalisation";
  let description = [{
    Normalises `input` over the dimensions from `axis` to the last to zero
    mean and unit variance, then applies `scale` and the optional `bias`,
    which broadcast to those dimensions (ONNX `LayerNormalization` without
    the `Mean` and `InvStdDev` outputs). `axis` may be negative.

    Example:

    ```mlir
    %0 = accml.layer_norm %x, %gamma, %beta {axis = -1 : i64}
        : tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>
    ```
  }];
  let arguments = (ins Accml_FloatTensor:$input, Accml_FloatTensor:$scale,
                       Optional<Accml_FloatTensor>:$bias,
                       DefaultValuedAttr<I64Attr, "-1">:$axis,
                       DefaultValuedAttr<F32Attr, "1.0e-5">:$epsilon);
  let results = (outs Accml_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` type($input) `,` type($scale)
    (`,` type($bias)^)?
  }];
  let hasVerifier = 1;
}

class Accml_SoftmaxBaseOp<string mnemonic>
    : Accml_Op<mnemonic, [SameOperandsAndResultType]> {
  let arguments = (ins Accml_FloatTensor:$input,
                       DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Accml_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Accml_SoftmaxOp : Accml_SoftmaxBaseOp<"softmax"> {
  let summary = "Softmax along one axis";
  let description = [{
    `exp(x) / sum(exp(x))` along `axis` (ONNX `Softmax` of opset 13; default
    `axis = -1`).

    Example:

    ```mlir
    %0 = accml.softmax %x {axis = 1 : i64} : tensor<2x10xf32>
    ```
  }];
}

def Accml_LogSoftmaxOp : Accml_SoftmaxBaseOp<"log_softmax"> {
  let summary = "Logarithm of softmax along one axis";
  let description = [{
    `x - log(sum(exp(x)))` along `axis` (ONNX `LogSoftmax` of opset 13;
    default `axis = -1`).

    Example:

    ```mlir
    %0 = accml.log_softmax %x : tensor<2x10xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Accml_ReduceOp<string mnemonic, Type type>
    : Accml_InferredOp<mnemonic, [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferReduceResultType(context, location,
          getOperationName(), adaptor.getInput().getType(), adaptor.getAxes(),
          adaptor.getKeepdims(), inferred);
    }
  }]> {
  let arguments = (ins type:$input,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims);
  let results = (outs type:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def Accml_ReduceSumOp : Accml_ReduceOp<"reduce_sum", Accml_NumericTensor> {
  let summary = "Sum over axes";
  let description = [{
    The sum over `axes` (ONNX `ReduceSum`). An empty `axes` reduces every
    dimension; negative axes count from the end; `keepdims` (default true)
    keeps reduced dimensions as size 1.

    Example:

    ```mlir
    %0 = accml.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : tensor<4x8xf32> -> tensor<4xf32>
    ```
  }];
}

def Accml_ReduceMeanOp : Accml_ReduceOp<"reduce_mean", Accml_NumericTensor> {
  let summary = "Mean over axes";
  let description = [{
    The arithmetic mean over `axes` (ONNX `ReduceMean`); axes and `keepdims`
    as in `reduce_sum`.

    Example:

    ```mlir
    %0 = accml.reduce_mean %x {axes = array<i64: -1>} : tensor<4x8xf32> -> tensor<4x1xf32>
    ```
  }];
}

def Accml_ReduceMaxOp : Accml_ReduceOp<"reduce_max", Accml_NumericTensor> {
  let summary = "Maximum over axes";
  let description = [{
    The maximum over `axes` (ONNX `ReduceMax`); axes and `keepdims` as in
    `reduce_sum`.

    Example:

    ```mlir
    %0 = accml.reduce_max %x : tensor<4x8xf32> -> tensor<1x1xf32>
    ```
  }];
}

def Accml_ReduceMinOp : Accml_ReduceOp<"reduce_min", Accml_NumericTensor> {
  let summary = "Minimum over axes";
  let description = [{
    The minimum over `axes` (ONNX `ReduceMin`); axes and `keepdims` as in
    `reduce_sum`.

    Example:

    ```mlir
    %0 = accml.reduce_min %x {axes = array<i64: 0>} : tensor<4x8xi32> -> tensor<1x8xi32>
    ```
  }];
}

def Accml_ReduceProdOp : Accml_ReduceOp<"reduce_prod", Accml_NumericTensor> {
  let summary = "Product over axes";
  let description = [{
    The product over `axes` (ONNX `ReduceProd`); axes and `keepdims` as in
    `reduce_sum`.

    Example:

    ```mlir
    %0 = accml.reduce_prod %x {axes = array<i64: 1>, keepdims = false} : tensor<4x8xf32> -> tensor<4xf32>
    ```
  }];
}

class Accml_ArgReduceOp<string mnemonic>
    : Accml_InferredOp<mnemonic, [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferArgReduceResultType(context, location,
          getOperationName(), adaptor.getInput().getType(), adaptor.getAxis(),
          adaptor.getKeepdims(), inferred);
    }
  }]> {
  let arguments = (ins Accml_NumericTensor:$input,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                       DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs Accml_I64Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
}

def Accml_ArgMaxOp : Accml_ArgReduceOp<"argmax"> {
  let summary = "Index of the maximum along an axis";
  let description = [{
    The `i64` index of the largest element along `axis` (ONNX `ArgMax`,
    default `axis = 0`, `keepdims = true`). Ties give the first index, or the
    last with `select_last_index`.

    Example:

    ```mlir
    %0 = accml.argmax %x {axis = 1 : i64, keepdims = false} : tensor<4x10xf32> -> tensor<4xi64>
    ```
  }];
}

def Accml_ArgMinOp : Accml_ArgReduceOp<"argmin"> {
  let summary = "Index of the minimum along an axis";
  let description = [{
    The `i64` index of the smallest element along `axis` (ONNX `ArgMin`);
    attributes as in `argmax`.

    Example:

    ```mlir
    %0 = accml.argmin %x {axis = -1 : i64} : tensor<4x10xf32> -> tensor<4x1xi64>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def Accml_ReshapeOp : Accml_Op<"reshape", [
    AllElementTypesMatch<["input", "result"]>]> {
  let summary = "Reshape to the result type's shape";
  let description = [{
    The same elements in row-major order with the shape of the result type
    (ONNX `Reshape`, whose constant `shape` input, with its `0` and `-1`
    entries resolved, is the result type here). Element counts must agree
    where they are static.

    Example:

    ```mlir
    %0 = accml.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
    ```
  }];
  let arguments = (ins Accml_Tensor:$input);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Accml_TransposeOp : Accml_InferredOp<"transpose", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferTransposeResultType(context, location,
          getOperationName(), adaptor.getInput().getType(), adaptor.getPerm(),
          inferred);
    }
  }]> {
  let summary = "Permute dimensions";
  let description = [{
    Result dimension `i` is input dimension `perm[i]` (ONNX `Transpose`).
    Without `perm` the dimensions are reversed.

    Example:

    ```mlir
    %0 = accml.transpose %x {perm = array<i64: 0, 2, 1, 3>} : tensor<1x128x12x64xf32> -> tensor<1x12x128x64xf32>
    ```
  }];
  let arguments = (ins Accml_Tensor:$input,
                       OptionalAttr<DenseI64ArrayAttr>:$perm);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let extraClassDeclaration = [{
    /// The permutation, with the default (reversal) made explicit.
    ::llvm::SmallVector<int64_t> getPermutation();
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Accml_ConcatOp : Accml_InferredOp<"concat", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferConcatResultType(context, location,
          getOperationName(), adaptor.getInputs(), adaptor.getAxis(), inferred);
    }
  }]> {
  let summary = "Concatenate along an axis";
  let description = [{
    Joins the inputs along `axis`, which may be negative (ONNX `Concat`). All
    inputs have one rank and element type and agree on every other
    dimension.

    Example:

    ```mlir
    %0 = accml.concat %a, %b {axis = 1 : i64} : (tensor<1x32x28x28xf32>, tensor<1x64x28x28xf32>) -> tensor<1x96x28x28xf32>
    ```
  }];
  let arguments = (ins Variadic<Accml_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = [{
    $inputs attr-dict `:` functional-type($inputs, results)
  }];
  let hasFolder = 1;
}

def Accml_SliceOp : Accml_InferredOp<"slice", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferSliceResultType(context, location,
          getOperationName(), adaptor.getInput().getType(),
          adaptor.getStarts(), adaptor.getEnds(), adaptor.getAxes(),
          adaptor.getSteps(), inferred);
    }
  }]> {
  let summary = "Strided slice";
  let description = [{
    Takes `input[starts[i]:ends[i]:steps[i]]` along `axes[i]` (ONNX `Slice`,
    whose constant inputs are attributes here). Negative starts and ends
    count from the end and out-of-range values clamp as in numpy; `axes`
    defaults to `0 .. len(starts)-1` and `steps` to ones; a negative step
    walks backwards.

    Example:

    ```mlir
    %0 = accml.slice %x {starts = array<i64: 1>, ends = array<i64: -1>, axes = array<i64: 1>}
        : tensor<2x10xf32> -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Accml_Tensor:$input, DenseI64ArrayAttr:$starts,
                       DenseI64ArrayAttr:$ends,
                       OptionalAttr<DenseI64ArrayAttr>:$axes,
                       OptionalAttr<DenseI64ArrayAttr>:$steps);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasFolder = 1;
}

def Accml_SplitOp : Accml_Op<"split"> {
  let summary = "Split into pieces along an axis";
  let description = [{
    Splits `input` along `axis` into one result per piece (ONNX `Split`).
    `split` gives each piece's size; without it the dimension divides evenly
    among the results.

    Example:

    ```mlir
    %0:3 = accml.split %x {axis = -1 : i64} : tensor<1x128x2304xf32>
        -> tensor<1x128x768xf32>, tensor<1x128x768xf32>, tensor<1x128x768xf32>
    %1:2 = accml.split %y {split = array<i64: 2, 6>} : tensor<8xf32> -> tensor<2xf32>, tensor<6xf32>
    ```
  }];
  let arguments = (ins Accml_Tensor:$input,
                       DefaultValuedAttr<I64Attr, "0">:$axis,
                       OptionalAttr<DenseI64ArrayAttr>:$split);
  let results = (outs Variadic<Accml_Tensor>:$results);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($results)
  }];
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Accml_GatherOp : Accml_InferredOp<"gather", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferGatherResultType(context, location,
          getOperationName(), adaptor.getInput().getType(),
          adaptor.getIndices().getType(), adaptor.getAxis(), inferred);
    }
  }]> {
  let summary = "Gather slices along an axis by index";
  let description = [{
    Picks entries of `input` along `axis` by `indices` (ONNX `Gather`): the
    result's shape is `input.shape[:axis] + indices.shape +
    input.shape[axis+1:]`. Negative indices count from the end.

    Example:

    ```mlir
    %0 = accml.gather %table, %ids {axis = 0 : i64} : (tensor<30522x768xf32>, tensor<1x128xi64>) -> tensor<1x128x768xf32>
    ```
  }];
  let arguments = (ins Accml_Tensor:$input, Accml_IndexTensor:$indices,
                       DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = [{
    $input `,` $indices attr-dict `:` functional-type(operands, results)
  }];
  let hasFolder = 1;
}

def Accml_PadOp : Accml_InferredOp<"pad", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferPadResultType(context, location,
          getOperationName(), adaptor.getInput().getType(), adaptor.getPads(),
          inferred);
    }
  }]> {
  let summary = "Pad with a constant, a reflection or the edge value";
  let description = [{
    Adds `pads[i]` elements before and `pads[rank + i]` after dimension `i`
    (ONNX `Pad`, whose `pads` and `constant_value` inputs are attributes
    here). `mode` is `"constant"` (fill with `constant_value`), `"reflect"`
    (mirror without repeating the edge) or `"edge"` (repeat the edge).
    Negative pads crop.

    Example:

    ```mlir
    %0 = accml.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "reflect"}
        : tensor<1x3x8x8xf32> -> tensor<1x3x10x10xf32>
    ```
  }];
  let arguments = (ins Accml_Tensor:$input, DenseI64ArrayAttr:$pads,
                       DefaultValuedAttr<StrAttr, "\"constant\"">:$mode,
                       DefaultValuedAttr<F64Attr, "0.0">:$constant_value);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Accml_ExpandOp : Accml_Op<"expand", [
    AllElementTypesMatch<["input", "result"]>]> {
  let summary = "Broadcast to a shape";
  let description = [{
    Broadcasts `input` to the shape of the result type (ONNX `Expand` with
    its constant `shape` resolved, numpy `broadcast_to`): the input's
    dimensions align with the result's trailing ones and each is 1 or equal
    to the result's.

    Example:

    ```mlir
    %0 = accml.expand %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
    ```
  }];
  let arguments = (ins Accml_Tensor:$input);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Accml_FlattenOp : Accml_InferredOp<"flatten", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferFlattenResultType(context, location,
          getOperationName(), adaptor.getInput().getType(), adaptor.getAxis(),
          inferred);
    }
  }]> {
  let summary = "Flatten into a matrix";
  let description = [{
    Reshapes to a matrix whose rows are the dimensions before `axis` and whose
    columns are the rest (ONNX `Flatten`, default `axis = 1`; `axis` may be
    negative and `0` gives a single row).

    Example:

    ```mlir
    %0 = accml.flatten %x : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins Accml_Tensor:$input,
                       DefaultValuedAttr<I64Attr, "1">:$axis);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasCanonicalizer = 1;
}

def Accml_SqueezeOp : Accml_InferredOp<"squeeze", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferSqueezeResultType(context, location,
          getOperationName(), adaptor.getInput().getType(), adaptor.getAxes(),
          inferred);
    }
  }]> {
  let summary = "Remove dimensions of size 1";
  let description = [{
    Removes the size-1 dimensions listed in `axes`, or every static size-1
    dimension when `axes` is absent (ONNX `Squeeze`). Negative axes count
    from the end.

    Example:

    ```mlir
    %0 = accml.squeeze %x {axes = array<i64: 2, 3>} : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
    ```
  }];
  let arguments = (ins Accml_Tensor:$input,
                       OptionalAttr<DenseI64ArrayAttr>:$axes);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasCanonicalizer = 1;
}

def Accml_UnsqueezeOp : Accml_InferredOp<"unsqueeze", [], [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return ::accml::detail::inferUnsqueezeResultType(context, location,
          getOperationName(), adaptor.getInput().getType(), adaptor.getAxes(),
          inferred);
    }
  }]> {
  let summary = "Insert dimensions of size 1";
  let description = [{
    Inserts size-1 dimensions at `axes`, which index the result (ONNX
    `Unsqueeze`); negative axes count from the end of the result.

    Example:

    ```mlir
    %0 = accml.unsqueeze %x {axes = array<i64: 0, 2>} : tensor<3x4xf32> -> tensor<1x3x1x4xf32>
    ```
  }];
  let arguments = (ins Accml_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Accml_Tensor:$result);
  let assemblyFormat = [{
    $input attr-dict `:` type($input) `->` type($result)
  }];
  let hasCanonicalizer = 1;
}

#endif // ACCML_DIALECT_ACCML_IR_ACCMLOPS_TD
