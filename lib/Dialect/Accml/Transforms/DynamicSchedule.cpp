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

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

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
      if (succeeded(takeFromCounter(loop, nest, *trips)))
        return;
      loop.setScheduleKindAttr(omp::ClauseScheduleKindAttr::get(
          &getContext(), omp::ClauseScheduleKind::Dynamic));
    });
  }

  /// Replaces the worksharing loop `loop` (its nest `nest`, `trips`
  /// iterations, constant bounds; directly in an omp.parallel, no clauses)
  /// by a loop in which every thread takes the next iteration from a
  /// shared counter (an atomic add) until none is left, then the loop's
  /// barrier. The same schedule as schedule(dynamic), without libomp's
  /// dispatch: the Debian build of libomp formats its debug trace strings
  /// (about a hundred sprintf calls per loop and call) even with tracing
  /// off, which made MobileNetV2's small depthwise layers slower on two
  /// threads than on one.
  LogicalResult takeFromCounter(omp::WsloopOp loop, omp::LoopNestOp nest,
                                int64_t trips) {
    auto parallel = dyn_cast<omp::ParallelOp>(loop->getParentOp());
    auto function = loop->getParentOfType<FunctionOpInterface>();
    if (!parallel || !function || function.isExternal() ||
        !nest.getRegion().hasOneBlock() || loop->getNumOperands() != 0 ||
        loop.getOrdered() || loop.getOrderAttr() ||
        nest->getNumResults() != 0 || llvm::any_of(nest.getIVs(), [](Value iv) {
          return !iv.getType().isIndex();
        }))
      return failure();
    SmallVector<int64_t> lowers, steps, sizes;
    for (auto [lower, upper, step] :
         llvm::zip(nest.getLoopLowerBounds(), nest.getLoopUpperBounds(),
                   nest.getLoopSteps())) {
      int64_t l = *getConstantIntValue(lower), u = *getConstantIntValue(upper),
              st = *getConstantIntValue(step);
      lowers.push_back(l);
      steps.push_back(st);
      sizes.push_back(std::max<int64_t>(0, llvm::divideCeil(u - l, st)));
    }
    Location loc = loop.getLoc();
    OpBuilder b(&getContext());
    // The counter: on the function's stack, alone in its cache line (the
    // other thread's atomic adds must not take away a line that the
    // function's own stack data shares), zeroed before the region.
    b.setInsertionPointToStart(&function.getFunctionBody().front());
    Type i64 = b.getI64Type();
    Value line = memref::AllocaOp::create(b, loc, MemRefType::get({8}, i64),
                                          b.getI64IntegerAttr(64));
    Value counter = memref::SubViewOp::create(
        b, loc, MemRefType::get({}, i64), line, ArrayRef<int64_t>{0},
        ArrayRef<int64_t>{1}, ArrayRef<int64_t>{1});
    b.setInsertionPoint(parallel);
    memref::StoreOp::create(b, loc,
                            arith::ConstantIntOp::create(b, loc, i64, 0),
                            counter, ValueRange{});
    b.setInsertionPoint(loop);
    Value one = arith::ConstantIntOp::create(b, loc, i64, 1);
    Value total = arith::ConstantIntOp::create(b, loc, i64, trips);
    auto whileOp = scf::WhileOp::create(b, loc, TypeRange{i64}, ValueRange{});
    Block *before = b.createBlock(&whileOp.getBefore());
    Value taken = memref::AtomicRMWOp::create(
        b, loc, arith::AtomicRMWKind::addi, one, counter, ValueRange{});
    Value more =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, taken, total);
    scf::ConditionOp::create(b, loc, more, ValueRange{taken});
    (void)before;
    Block *after = b.createBlock(&whileOp.getAfter(), {}, {i64}, {loc});
    // The iteration's indices, the innermost loop fastest.
    Value linear = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                              after->getArgument(0));
    IRMapping mapping;
    for (int64_t d = sizes.size() - 1; d >= 0; --d) {
      Value size = arith::ConstantIndexOp::create(b, loc, sizes[d]);
      Value index =
          d == 0 ? linear
                 : arith::RemUIOp::create(b, loc, linear, size).getResult();
      if (d != 0)
        linear = arith::DivUIOp::create(b, loc, linear, size);
      Value iv = arith::AddIOp::create(
          b, loc, arith::ConstantIndexOp::create(b, loc, lowers[d]),
          arith::MulIOp::create(
              b, loc, index, arith::ConstantIndexOp::create(b, loc, steps[d])));
      mapping.map(nest.getIVs()[d], iv);
    }
    for (Operation &op : nest.getRegion().front().without_terminator())
      b.clone(op, mapping);
    scf::YieldOp::create(b, loc);
    b.setInsertionPoint(loop);
    if (!loop.getNowait())
      omp::BarrierOp::create(b, loc);
    loop.erase();
    return success();
  }
};

} // namespace
