//===- AccmlCanonicalize.cpp - accml canonicalization patterns ------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Rewrites that need new ops (folders can only return existing values or
// constants): transpose of transpose, reshape-like ops to reshape, and
// negations absorbed into add and mul.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/IR/AccmlOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace accml;

namespace {

/// add(x, neg(y)) -> sub(x, y) and add(neg(x), y) -> sub(y, x).
struct AddOfNegToSub : OpRewritePattern<AddOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AddOp op,
                                PatternRewriter &rewriter) const override {
    Value lhs = op.getLhs(), rhs = op.getRhs();
    if (auto neg = rhs.getDefiningOp<NegOp>()) {
      rewriter.replaceOpWithNewOp<SubOp>(op, op.getType(), lhs, neg.getInput());
      return success();
    }
    if (auto neg = lhs.getDefiningOp<NegOp>()) {
      rewriter.replaceOpWithNewOp<SubOp>(op, op.getType(), rhs, neg.getInput());
      return success();
    }
    return rewriter.notifyMatchFailure(op, "no negated operand");
  }
};

/// mul(neg(x), neg(y)) -> mul(x, y).
struct MulOfNegs : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp op,
                                PatternRewriter &rewriter) const override {
    auto lhs = op.getLhs().getDefiningOp<NegOp>();
    auto rhs = op.getRhs().getDefiningOp<NegOp>();
    if (!lhs || !rhs)
      return rewriter.notifyMatchFailure(op, "operands are not both negated");
    rewriter.replaceOpWithNewOp<MulOp>(op, op.getType(), lhs.getInput(),
                                       rhs.getInput());
    return success();
  }
};

/// transpose(transpose(x, p1), p2) -> transpose(x, p1 o p2).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto producer = op.getInput().getDefiningOp<TransposeOp>();
    if (!producer)
      return rewriter.notifyMatchFailure(op, "input is not a transpose");
    SmallVector<int64_t> inner = producer.getPermutation();
    SmallVector<int64_t> outer = op.getPermutation();
    SmallVector<int64_t> composed;
    for (int64_t p : outer)
      composed.push_back(inner[p]);
    rewriter.replaceOpWithNewOp<TransposeOp>(
        op, op.getType(), producer.getInput(),
        rewriter.getDenseI64ArrayAttr(composed));
    return success();
  }
};

/// Replaces a reshape-like op (flatten, squeeze, unsqueeze) between static
/// shapes by the equivalent accml.reshape, so that reshape chains compose.
template <typename OpTy>
struct ReshapeLikeToReshape : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (!op.getInput().getType().hasStaticShape() ||
        !op.getType().hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shapes");
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op.getType(), op.getInput());
    return success();
  }
};

} // namespace

void AddOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<AddOfNegToSub>(context);
}

void MulOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<MulOfNegs>(context);
}

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ComposeTransposes>(context);
}

void FlattenOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ReshapeLikeToReshape<FlattenOp>>(context);
}

void SqueezeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ReshapeLikeToReshape<SqueezeOp>>(context);
}

void UnsqueezeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<ReshapeLikeToReshape<UnsqueezeOp>>(context);
}
