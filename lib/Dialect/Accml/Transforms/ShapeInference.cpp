//===- ShapeInference.cpp - accml-infer-shapes ----------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Implements accml-infer-shapes: forward propagation of static dimensions
// through the accml ops of a function, using each op's own type inference.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/IR/AccmlOps.h"
#include "accml/Dialect/Accml/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "accml-infer-shapes"

namespace accml {
#define GEN_PASS_DEF_ACCMLINFERSHAPESPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;
using namespace accml;

namespace {

/// The most static type compatible with both `a` and `b` (which must be
/// compatible), or null if they are not ranked tensors of one element type.
RankedTensorType meet(Type a, Type b) {
  auto ta = dyn_cast<RankedTensorType>(a), tb = dyn_cast<RankedTensorType>(b);
  if (!ta || !tb || ta.getElementType() != tb.getElementType() ||
      ta.getRank() != tb.getRank() ||
      failed(verifyCompatibleShape(ta.getShape(), tb.getShape())))
    return nullptr;
  SmallVector<int64_t> shape;
  for (auto [da, db] : llvm::zip(ta.getShape(), tb.getShape()))
    shape.push_back(ShapedType::isDynamic(da) ? db : da);
  return RankedTensorType::get(shape, ta.getElementType(), ta.getEncoding());
}

/// The types an accml op's results should have given its operands now, or
/// failure when the op does not derive its result types from its operands.
LogicalResult inferResultTypes(Operation *op, SmallVectorImpl<Type> &types) {
  if (auto infer = dyn_cast<InferTypeOpInterface>(op))
    return infer.inferReturnTypes(op->getContext(), std::nullopt,
                                  op->getOperands(), op->getAttrDictionary(),
                                  op->getPropertiesStorage(), op->getRegions(),
                                  types);
  // Elementwise unary ops and normalisations: the result has the input's type.
  if (op->hasTrait<OpTrait::SameOperandsAndResultType>() ||
      isa<BatchNormOp, LayerNormOp>(op)) {
    types.push_back(op->getOperand(0).getType());
    return success();
  }
  return failure();
}

struct AccmlInferShapesPass
    : accml::impl::AccmlInferShapesPassBase<AccmlInferShapesPass> {
  void runOnOperation() override {
    WalkResult walk = getOperation().walk([&](Operation *op) {
      if (!isa<AccmlDialect>(op->getDialect()))
        return WalkResult::advance();
      SmallVector<Type> inferred;
      if (succeeded(inferResultTypes(op, inferred)) &&
          inferred.size() == op->getNumResults())
        for (auto [result, type] : llvm::zip(op->getResults(), inferred))
          refine(result, type);
      // Operands refined above may contradict what the op needs: the input
      // graph's shapes were inconsistent, which `?` had hidden.
      if (failed(verify(op, /*verifyRecursively=*/false))) {
        op->emitOpError("no longer verifies once accml-infer-shapes made its "
                        "operand types static: the graph's shapes are "
                        "inconsistent");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      signalPassFailure();
  }

  /// Gives `result` the meet of its type and `inferred` when that is more
  /// static, casting back for users outside the accml dialect.
  void refine(OpResult result, Type inferred) {
    Type old = result.getType();
    RankedTensorType refined = meet(old, inferred);
    if (!refined || refined == old)
      return;
    LLVM_DEBUG(llvm::dbgs() << "refining " << old << " to " << refined << "\n");
    result.setType(refined);
    OpBuilder builder(result.getContext());
    builder.setInsertionPointAfter(result.getOwner());
    Value cast;
    for (OpOperand &use : llvm::make_early_inc_range(result.getUses())) {
      if (isa<AccmlDialect>(use.getOwner()->getDialect()))
        continue;
      if (!cast)
        cast = tensor::CastOp::create(builder, result.getLoc(), old, result);
      if (use.getOwner() != cast.getDefiningOp())
        use.set(cast);
    }
  }
};

} // namespace
