//===- FlattenConstants.cpp - One-dimensional tensor constants ------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-flatten-constants: a tensor constant of rank 2 or more becomes a
// one-dimensional constant reshaped with tensor.expand_shape. Bufferization
// then makes it a one-dimensional memref.global, which LLVM represents as a
// single constant data array; a multi-dimensional global becomes nested
// arrays with one LLVM constant per innermost row (a 64 x 64 x 3 x 3
// convolution weight: 4096 rows of 3 floats), and the JIT spends seconds
// walking millions of them in a model's weights.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace accml {
#define GEN_PASS_DEF_ACCMLFLATTENCONSTANTSPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;

namespace {

/// `attr` as a one-dimensional attribute of `type`, or null.
TypedAttr flatten(Attribute attr, RankedTensorType type) {
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return dense.reshape(type);
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr))
    return DenseResourceElementsAttr::get(type, resource.getRawHandle());
  return {};
}

struct AccmlFlattenConstantsPass
    : accml::impl::AccmlFlattenConstantsPassBase<AccmlFlattenConstantsPass> {
  void runOnOperation() override {
    SmallVector<arith::ConstantOp> constants;
    getOperation().walk([&](arith::ConstantOp op) {
      auto type = dyn_cast<RankedTensorType>(op.getType());
      if (type && type.getRank() >= 2 && type.hasStaticShape())
        constants.push_back(op);
    });
    for (arith::ConstantOp op : constants) {
      auto type = cast<RankedTensorType>(op.getType());
      auto flatType =
          RankedTensorType::get({type.getNumElements()}, type.getElementType());
      TypedAttr flat = flatten(op.getValue(), flatType);
      if (!flat)
        continue;
      OpBuilder b(op);
      Value value = arith::ConstantOp::create(b, op.getLoc(), flat);
      ReassociationIndices all;
      for (int64_t d = 0; d < type.getRank(); ++d)
        all.push_back(d);
      Value reshaped = tensor::ExpandShapeOp::create(
          b, op.getLoc(), type, value, ArrayRef<ReassociationIndices>{all});
      op.replaceAllUsesWith(reshaped);
      op.erase();
    }
  }
};

} // namespace
