//===- FuseElementwise.cpp - Elementwise fusion that spares contractions --===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-fuse-elementwise: linalg's elementwise fusion on tensors and its
// reshape propagation, with reshapes kept out of ops with reduction loops
// (contractions, convolutions, reductions), which accml-pack and
// accml-tile-and-fuse recognise by their named form, their 2-D shape or
// their single innermost reduction dimension.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace accml {
#define GEN_PASS_DEF_ACCMLFUSEELEMENTWISEPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;

namespace {

/// Whether `op` is a linalg op with a reduction loop: a contraction
/// (matmul-like), a convolution or a reduction, named or generic.
bool hasReductionLoop(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumReductionLoops() > 0;
}

struct AccmlFuseElementwisePass
    : accml::impl::AccmlFuseElementwisePassBase<AccmlFuseElementwisePass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    // Fusion with a producer that has no other use (as upstream).
    linalg::ControlFusionFn fuseSingleUse = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      return producer && producer->hasOneUse();
    };
    // A reshape meets a linalg op either as the producer of one of its
    // operands or as the consumer of its result: neither may have a
    // reduction loop (contractions, convolutions, and reductions whose
    // reduced dimensions the lowering collapsed into one).
    linalg::ControlFusionFn foldReshape = [&](OpOperand *fused) {
      return fuseSingleUse(fused) && !hasReductionLoop(fused->getOwner()) &&
             !hasReductionLoop(fused->get().getDefiningOp());
    };
    RewritePatternSet patterns(context);
    linalg::populateElementwiseOpsFusionPatterns(patterns, fuseSingleUse);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, foldReshape);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, fuseSingleUse);
    GreedyRewriteConfig config;
    config.setUseTopDownTraversal(true);
    if (failed(
            applyPatternsGreedily(getOperation(), std::move(patterns), config)))
      signalPassFailure();
  }
};

} // namespace
