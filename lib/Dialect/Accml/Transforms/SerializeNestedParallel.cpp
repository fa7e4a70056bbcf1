//===- SerializeNestedParallel.cpp - Inner parallel loops to scf.for ------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-serialize-nested-parallel: an scf.parallel nested in another loop
// becomes a nest of scf.for. convert-linalg-to-parallel-loops turns every
// linalg op into scf.parallel, including the small ops left inside tiled
// loops (rows that were not vectorised, peeled register tiles), and
// convert-scf-to-openmp would then fork and join an OpenMP team for every
// iteration of the enclosing loops.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace accml {
#define GEN_PASS_DEF_ACCMLSERIALIZENESTEDPARALLELPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;

namespace {

/// Replaces `loop` (without reductions) by a nest of scf.for over the same
/// bounds and steps.
void serialize(scf::ParallelOp loop) {
  OpBuilder b(loop);
  Location loc = loop.getLoc();
  IRMapping mapping;
  for (auto [iv, lower, upper, step] :
       llvm::zip(loop.getInductionVars(), loop.getLowerBound(),
                 loop.getUpperBound(), loop.getStep())) {
    auto forOp = scf::ForOp::create(b, loc, lower, upper, step);
    mapping.map(iv, forOp.getInductionVar());
    b.setInsertionPoint(forOp.getBody()->getTerminator());
  }
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, mapping);
  loop.erase();
}

/// Whether `loop` only stores one value defined outside it (a fill): as
/// sequential loops LLVM makes it a memset, which beats an OpenMP loop of
/// scalar stores.
bool isFill(scf::ParallelOp loop) {
  int stores = 0;
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      ++stores;
      // The value stored comes from outside the loop.
      if (loop.getRegion().isAncestor(
              store.getValueToStore().getParentRegion()))
        return false;
      continue;
    }
    if (!isPure(&op))
      return false;
  }
  return stores == 1;
}

struct AccmlSerializeNestedParallelPass
    : accml::impl::AccmlSerializeNestedParallelPassBase<
          AccmlSerializeNestedParallelPass> {
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> nested;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (loop.getNumReductions() == 0 &&
          (loop->getParentOfType<LoopLikeOpInterface>() || isFill(loop)))
        nested.push_back(loop);
    });
    // Innermost first (post-order walk): an outer nested loop is cloned
    // with its already serialized body.
    for (scf::ParallelOp loop : nested)
      serialize(loop);
  }
};

} // namespace
