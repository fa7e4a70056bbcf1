//===- DynamicSchedule.cpp - Dynamic OpenMP schedules for block loops -----===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-dynamic-schedule: OpenMP worksharing loops of a few iterations (the
// parallel cache blocks of matmuls and convolutions) take their iterations
// one at a time (schedule(dynamic)) instead of in equal static shares: a
// thread slowed down by the machine's other tenants, or given the partial
// last block, no longer holds up the others.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"

#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

namespace accml {
#define GEN_PASS_DEF_ACCMLDYNAMICSCHEDULEPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;

namespace {

/// The iterations of `nest` when its bounds and steps are constants.
std::optional<int64_t> getTripCount(omp::LoopNestOp nest) {
  int64_t trips = 1;
  for (auto [lower, upper, step] :
       llvm::zip(nest.getLoopLowerBounds(), nest.getLoopUpperBounds(),
                 nest.getLoopSteps())) {
    std::optional<int64_t> l = getConstantIntValue(lower),
                           u = getConstantIntValue(upper),
                           s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    trips *= std::max<int64_t>(0, llvm::divideCeil(*u - *l, *s));
  }
  return trips;
}

struct AccmlDynamicSchedulePass
    : accml::impl::AccmlDynamicSchedulePassBase<AccmlDynamicSchedulePass> {
  using AccmlDynamicSchedulePassBase::AccmlDynamicSchedulePassBase;

  void runOnOperation() override {
    if (maxIterations < 0) {
      getOperation()->emitError(
          "accml-dynamic-schedule: max-iterations must not be negative");
      return signalPassFailure();
    }
    getOperation()->walk([&](omp::WsloopOp loop) {
      auto nest = dyn_cast_or_null<omp::LoopNestOp>(loop.getWrappedLoop());
      // Loops that already have a schedule keep it.
      if (!nest || loop.getScheduleKind())
        return;
      std::optional<int64_t> trips = getTripCount(nest);
      if (!trips || *trips > maxIterations)
        return;
      loop.setScheduleKindAttr(omp::ClauseScheduleKindAttr::get(
          &getContext(), omp::ClauseScheduleKind::Dynamic));
    });
  }
};

} // namespace
