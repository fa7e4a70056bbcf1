//===- AccmlDialect.td - The accml dialect -----------------*- tablegen -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// The accml dialect: graph-level machine-learning operators on ranked
// tensors. This file holds the dialect, the type constraints shared by every
// op and the op base classes.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_DIALECT_ACCML_IR_ACCMLDIALECT_TD
#define ACCML_DIALECT_ACCML_IR_ACCMLDIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Accml_Dialect : Dialect {
  let name = "accml";
  let cppNamespace = "::accml";
  let summary = "Graph-level machine-learning operators on ranked tensors";
  let description = [{
    The `accml` dialect holds machine-learning models as graphs of operators
    on ranked tensors: linear algebra, convolutions, pooling, normalisation,
    elementwise math, reductions and data movement. Its ops follow the
    semantics of the ONNX operator of the same name (broadcasting, attribute
    meanings and defaults), so that an ONNX graph maps onto it one-to-one.

    Element types are `f32`, `f16`, `bf16`, `i8`, `i32`, `i64` and `i1`.
    Shapes are static in the common case; verifiers and type inference also
    accept dynamic dimensions (`?`). Every op infers its result type from its
    operands and attributes; a written result type may be more static than
    the inferred one (refining a `?`) but never contradict it.

    Attributes that ONNX passes as constant inputs (the shape of `Reshape`,
    the pads of `Pad`, the starts and ends of `Slice`) are attributes or result
    types here: an importer folds them.

    Example: a linear layer followed by a ReLU.

    ```mlir
    func.func @linear(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>,
                      %b: tensor<16xf32>) -> tensor<4x16xf32> {
      %0 = accml.matmul %x, %w : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
      %1 = accml.add %0, %b : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
      %2 = accml.relu %1 : tensor<4x16xf32>
      return %2 : tensor<4x16xf32>
    }
    ```
  }];
  let hasConstantMaterializer = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

defvar Accml_FloatTypes = [F32, F16, BF16];
defvar Accml_IntTypes = [I8, I32, I64];
defvar Accml_NumericTypes = [F32, F16, BF16, I8, I32, I64];
defvar Accml_AllTypes = [F32, F16, BF16, I8, I32, I64, I1];

def Accml_Tensor : RankedTensorOf<Accml_AllTypes>;
def Accml_NumericTensor : RankedTensorOf<Accml_NumericTypes>;
def Accml_FloatTensor : RankedTensorOf<Accml_FloatTypes>;
def Accml_BoolTensor : RankedTensorOf<[I1]>;
def Accml_IndexTensor : RankedTensorOf<[I32, I64]>;
def Accml_I64Tensor : RankedTensorOf<[I64]>;

//===----------------------------------------------------------------------===//
// Op base classes
//===----------------------------------------------------------------------===//

// Every accml op is a pure function of its operands.
class Accml_Op<string mnemonic, list<Trait> traits = []>
    : Op<Accml_Dialect, mnemonic, !listconcat(traits, [Pure])>;

#endif // ACCML_DIALECT_ACCML_IR_ACCMLDIALECT_TD
