//===- AffineFuse.cpp - Producer-consumer fusion of affine nests ----------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-affine-fuse: an all-parallel affine nest that writes a local buffer
// read only by the next nest of the same iteration space is fused into that
// nest (upstream's slice-based fusion utilities, at the innermost depth),
// and the buffer's stores are forwarded to its loads (affine scalar
// replacement), so that the intermediate buffer disappears.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"

#include "mlir/Analysis/AliasAnalysis.h"
#include "mlir/Dialect/Affine/Analysis/Utils.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/LoopFusionUtils.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Dominance.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace accml {
#define GEN_PASS_DEF_ACCMLAFFINEFUSEPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;

namespace {

/// The loops of the perfect nest rooted at `root`, outermost first, when
/// each runs from 0 to a constant with step 1 and carries no values.
std::optional<SmallVector<int64_t>> perfectBounds(affine::AffineForOp root) {
  SmallVector<int64_t> bounds;
  affine::AffineForOp loop = root;
  while (loop) {
    if (!loop.hasConstantBounds() || loop.getConstantLowerBound() != 0 ||
        loop.getStepAsInt() != 1 || loop.getNumIterOperands() != 0)
      return std::nullopt;
    bounds.push_back(loop.getConstantUpperBound());
    Block *body = loop.getBody();
    affine::AffineForOp inner;
    if (body->getOperations().size() == 2)
      inner = dyn_cast<affine::AffineForOp>(body->front());
    loop = inner;
  }
  return bounds;
}

/// Whether every store in `nest` writes its memref at exactly the loop
/// indices, outermost first (an all-parallel nest: no reduction).
bool writesAtIndices(affine::AffineForOp nest) {
  SmallVector<Value> ivs;
  nest.walk(
      [&](affine::AffineForOp loop) { ivs.push_back(loop.getInductionVar()); });
  std::reverse(ivs.begin(), ivs.end());
  bool ok = true;
  nest.walk([&](affine::AffineWriteOpInterface store) {
    AffineMap map = store.getAffineMap();
    ok &= map.isIdentity() && map.getNumResults() == ivs.size() &&
          llvm::equal(store.getMapOperands(), ivs);
  });
  return ok;
}

/// The local buffers `producer` writes, when each is a memref.alloc that
/// nothing outside `producer` and `consumer` uses but its dealloc.
std::optional<SmallVector<Value>> privateBuffers(affine::AffineForOp producer,
                                                 affine::AffineForOp consumer) {
  SmallVector<Value> buffers;
  bool ok = true;
  producer.walk([&](affine::AffineWriteOpInterface store) {
    Value memref = store.getMemRef();
    if (!memref.getDefiningOp<memref::AllocOp>()) {
      ok = false;
      return;
    }
    for (Operation *user : memref.getUsers())
      if (!isa<memref::DeallocOp>(user) && !producer->isAncestor(user) &&
          !consumer->isAncestor(user))
        ok = false;
    if (!llvm::is_contained(buffers, memref))
      buffers.push_back(memref);
  });
  if (!ok || buffers.empty())
    return std::nullopt;
  return buffers;
}

/// Whether only allocations and ops without memory effects lie between
/// `producer` and `consumer` (fusion moves the producer's reads and writes
/// past them: a dealloc or a store in between would be reordered).
bool onlyAllocationsBetween(affine::AffineForOp producer,
                            affine::AffineForOp consumer) {
  for (Operation *op = producer->getNextNode(); op && op != consumer;
       op = op->getNextNode())
    if (!isMemoryEffectFree(op) && !isa<memref::AllocOp, memref::AllocaOp>(op))
      return false;
  return true;
}

struct AccmlAffineFusePass
    : accml::impl::AccmlAffineFusePassBase<AccmlAffineFusePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    bool fused = true;
    bool any = false;
    while (fused) {
      fused = false;
      func.walk([&](Block *block) {
        if (fused)
          return;
        SmallVector<affine::AffineForOp> nests(
            block->getOps<affine::AffineForOp>());
        for (auto [producer, consumer] :
             llvm::zip(nests, ArrayRef(nests).drop_front())) {
          std::optional<SmallVector<int64_t>> source = perfectBounds(producer);
          std::optional<SmallVector<int64_t>> target = perfectBounds(consumer);
          if (!source || !target || *source != *target ||
              !writesAtIndices(producer) ||
              !privateBuffers(producer, consumer) ||
              !onlyAllocationsBetween(producer, consumer))
            continue;
          affine::ComputationSliceState slice;
          unsigned depth = target->size();
          if (affine::canFuseLoops(producer, consumer, depth, &slice).value !=
              affine::FusionResult::Success)
            continue;
          affine::fuseLoops(producer, consumer, slice);
          producer.erase();
          fused = any = true;
          return;
        }
      });
    }
    if (!any)
      return;
    // Forward the fused stores to their loads; buffers left without loads
    // disappear.
    auto &domInfo = getAnalysis<DominanceInfo>();
    auto &postDomInfo = getAnalysis<PostDominanceInfo>();
    auto &aliasAnalysis = getAnalysis<AliasAnalysis>();
    affine::affineScalarReplace(func, domInfo, postDomInfo, aliasAnalysis);
  }
};

} // namespace
