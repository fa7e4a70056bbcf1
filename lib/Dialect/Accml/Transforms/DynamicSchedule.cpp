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
#include "mlir/Dialect/Func/IR/FuncOps.h"
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
      if (succeeded(stealIterations(loop, nest, *trips)))
        return;
      loop.setScheduleKindAttr(omp::ClauseScheduleKindAttr::get(
          &getContext(), omp::ClauseScheduleKind::Dynamic));
    });
  }

  /// Replaces the worksharing loop `loop` (its nest `nest`, `trips`
  /// iterations, constant bounds; directly in an omp.parallel that no other
  /// parallel construct encloses, no clauses) by the same schedule as
  /// libomp's schedule(dynamic) (static stealing), without libomp's
  /// dispatch: the team's threads each own an equal, contiguous range of
  /// the iterations, take them one at a time from that range's counter (an
  /// atomic add), then steal from the other ranges the same way; then the
  /// loop's barrier. The Debian build of libomp formats its debug trace
  /// strings in the dispatch (about a hundred sprintf calls per loop and
  /// call) even with tracing off, which made MobileNetV2's small depthwise
  /// layers slower on two threads than on one; one shared counter instead
  /// of the ranges interleaved a matmul's blocks between the threads (3-8%
  /// slower at 512^3 and 1024^3: a thread's consecutive blocks no longer
  /// shared their panels). Needs the module, to declare
  /// omp_get_thread_num and omp_get_max_threads.
  LogicalResult stealIterations(omp::WsloopOp loop, omp::LoopNestOp nest,
                                int64_t trips) {
    // (The counters are one set per function frame: not in a region that
    // other threads may run too. Not for inclusive bounds, or nests whose
    // inner loops are not collapsed into the worksharing loop.)
    auto module = dyn_cast<ModuleOp>(getOperation());
    auto parallel = dyn_cast<omp::ParallelOp>(loop->getParentOp());
    // Loops of at most 4 iterations per thread (the 4 parallel blocks per
    // thread of matmuls and convolutions) keep libomp's dispatch: few
    // dispatches, and at 512^3 and 1024^3 on two threads it ran 4-5%
    // faster than the counters, for a reason not found (neutral on
    // convolutions).
    if (parallel && parallel.getNumThreads()) {
      std::optional<int64_t> team =
          getConstantIntValue(parallel.getNumThreads());
      if (!team) {
        IntegerAttr attr;
        if (matchPattern(parallel.getNumThreads(), m_Constant(&attr)))
          team = attr.getInt();
      }
      if (team && trips <= 4 * *team)
        return failure();
    }
    auto function = loop->getParentOfType<FunctionOpInterface>();
    if (!module || !parallel || !function || function.isExternal() ||
        parallel->getParentOfType<omp::ParallelOp>() ||
        parallel->getParentOfType<omp::WsloopOp>() || nest.getLoopInclusive() ||
        nest.getCollapseNumLoops() != nest.getIVs().size() ||
        !nest.getRegion().hasOneBlock() || loop->getNumOperands() != 0 ||
        loop.getOrdered() || loop.getOrderAttr() ||
        nest->getNumResults() != 0 || llvm::any_of(nest.getIVs(), [](Value iv) {
          return !iv.getType().isIndex();
        }))
      return failure();
    MLIRContext *context = &getContext();
    Location loc = loop.getLoc();
    Type i32 = IntegerType::get(context, 32),
         i64 = IntegerType::get(context, 64);
    // omp_get_thread_num and omp_get_max_threads, declared once.
    auto declare = [&](StringRef name) -> func::FuncOp {
      Operation *symbol = module.lookupSymbol(name);
      if (symbol)
        return dyn_cast<func::FuncOp>(symbol);
      OpBuilder builder(context);
      builder.setInsertionPointToStart(module.getBody());
      auto declaration = func::FuncOp::create(
          builder, loc, name, FunctionType::get(context, {}, {i32}));
      declaration.setPrivate();
      return declaration;
    };
    func::FuncOp threadNum = declare("omp_get_thread_num");
    func::FuncOp maxThreads = declare("omp_get_max_threads");
    if (!threadNum || !maxThreads ||
        threadNum.getFunctionType() != FunctionType::get(context, {}, {i32}) ||
        maxThreads.getFunctionType() != FunctionType::get(context, {}, {i32}))
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
    OpBuilder b(context);
    auto index = [&](int64_t value) -> Value {
      return arith::ConstantIndexOp::create(b, loc, value);
    };
    // One counter per thread of the team (up to kMaxTeam), each alone in
    // its 64-byte line of the function's stack.
    constexpr int64_t kMaxTeam = 64;
    b.setInsertionPointToStart(&function.getFunctionBody().front());
    Value counters = memref::AllocaOp::create(
        b, loc, MemRefType::get({kMaxTeam, 8}, i64), b.getI64IntegerAttr(64));
    // Before the region: the team's size (the num_threads clause, or
    // omp_get_max_threads), and each range's first iteration.
    b.setInsertionPoint(parallel);
    Value requested =
        parallel.getNumThreads()
            ? parallel.getNumThreads()
            : func::CallOp::create(b, loc, maxThreads).getResult(0);
    Value team =
        arith::IndexCastOp::create(b, loc, b.getIndexType(), requested);
    team = arith::MinSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, team, index(1)),
        index(kMaxTeam));
    Value total = index(trips);
    // Range u: iterations [u * trips / team, (u + 1) * trips / team).
    auto rangeStart = [&](Value u) {
      return arith::DivUIOp::create(
          b, loc, arith::MulIOp::create(b, loc, u, total), team);
    };
    auto init = scf::ForOp::create(b, loc, index(0), team, index(1));
    b.setInsertionPointToStart(init.getBody());
    memref::StoreOp::create(
        b, loc,
        arith::IndexCastOp::create(b, loc, i64,
                                   rangeStart(init.getInductionVar())),
        counters, ValueRange{init.getInductionVar(), index(0)});
    // In the region: this thread's range first, then the others'.
    b.setInsertionPoint(loop);
    Value self = arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        func::CallOp::create(b, loc, threadNum).getResult(0));
    auto ranges = scf::ForOp::create(b, loc, index(0), team, index(1));
    b.setInsertionPointToStart(ranges.getBody());
    Value owner = arith::RemUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, self, ranges.getInductionVar()),
        team);
    Value end = arith::IndexCastOp::create(
        b, loc, i64,
        rangeStart(arith::AddIOp::create(b, loc, owner, index(1))));
    auto whileOp = scf::WhileOp::create(b, loc, TypeRange{i64}, ValueRange{});
    b.createBlock(&whileOp.getBefore());
    Value taken = memref::AtomicRMWOp::create(
        b, loc, arith::AtomicRMWKind::addi,
        arith::ConstantIntOp::create(b, loc, i64, 1), counters,
        ValueRange{owner, index(0)});
    Value more =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, taken, end);
    scf::ConditionOp::create(b, loc, more, ValueRange{taken});
    Block *after = b.createBlock(&whileOp.getAfter(), {}, {i64}, {loc});
    // The iteration's indices, the innermost loop fastest.
    Value linear = arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                              after->getArgument(0));
    IRMapping mapping;
    for (int64_t d = sizes.size() - 1; d >= 0; --d) {
      Value iteration = linear;
      if (d != 0) {
        iteration = arith::RemUIOp::create(b, loc, linear, index(sizes[d]));
        linear = arith::DivUIOp::create(b, loc, linear, index(sizes[d]));
      }
      mapping.map(
          nest.getIVs()[d],
          arith::AddIOp::create(
              b, loc, index(lowers[d]),
              arith::MulIOp::create(b, loc, iteration, index(steps[d]))));
    }
    for (Operation &op : nest.getRegion().front().without_terminator())
      b.clone(op, mapping);
    scf::YieldOp::create(b, loc);
    // The loop's barrier, unless it had nowait or the region ends right
    // after it (its end is a barrier already).
    b.setInsertionPoint(loop);
    if (!loop.getNowait() && !isa<omp::TerminatorOp>(loop->getNextNode()))
      omp::BarrierOp::create(b, loc);
    loop.erase();
    return success();
  }
};

} // namespace
