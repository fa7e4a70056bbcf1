// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(accml-dynamic-schedule)' | FileCheck %s
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(accml-dynamic-schedule{max-iterations=0})' | FileCheck %s --check-prefix=NONE
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(accml-dynamic-schedule{max-iterations=4096})' | FileCheck %s --check-prefix=WIDE
// RUN: not accml-opt %s --split-input-file --pass-pipeline='builtin.module(accml-dynamic-schedule{max-iterations=-1})' 2>&1 | FileCheck %s --check-prefix=ERROR

// A loop of 9 iterations (parallel blocks) in a team of unknown size (at
// most 64: omp_get_max_threads) becomes static stealing without libomp's
// dispatch: before the region, range u of the team's ranges starts at
// u * 9 / team (its counter alone in a 64-byte line); in the region, each
// thread (omp_get_thread_num) takes iterations from its own range's
// counter (an atomic add) while they are below the range's end, then from
// the other ranges; no barrier of its own (the region ends right after).
// One of 4096 (rows) keeps its static schedule unless max-iterations allows
// it; one of unknown trip count, and one that has a schedule, are left
// alone.
// CHECK-LABEL: func.func private @omp_get_max_threads() -> i32
// CHECK-LABEL: func.func private @omp_get_thread_num() -> i32
// CHECK-LABEL: func.func @loops
// CHECK: %[[COUNTERS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<64x8xi64>
// CHECK: %[[MAX:.*]] = call @omp_get_max_threads() : () -> i32
// CHECK: %[[TEAM:.*]] = arith.minsi
// CHECK: scf.for %[[U:.*]] = %{{.*}} to %[[TEAM]]
// CHECK: %[[FIRST:.*]] = arith.muli %[[U]], %c9
// CHECK: %[[START:.*]] = arith.divui %[[FIRST]], %[[TEAM]] : index
// CHECK: memref.store %{{.*}}, %[[COUNTERS]][%[[U]], %{{.*}}] : memref<64x8xi64>
// CHECK: omp.parallel {
// CHECK-NOT: omp.wsloop
// CHECK: %[[SELF:.*]] = func.call @omp_get_thread_num() : () -> i32
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %[[TEAM]]
// CHECK: %[[OWNER:.*]] = arith.remui %{{.*}}, %[[TEAM]] : index
// CHECK: scf.while : () -> i64 {
// CHECK: %[[TAKEN:.*]] = memref.atomic_rmw addi %{{.*}}, %[[COUNTERS]][%[[OWNER]], %{{.*}}] : (i64, memref<64x8xi64>) -> i64
// CHECK: %[[MORE:.*]] = arith.cmpi slt, %[[TAKEN]], %{{.*}} : i64
// CHECK: scf.condition(%[[MORE]]) %[[TAKEN]] : i64
// CHECK: } do {
// CHECK: memref.store
// CHECK: scf.yield
// CHECK-NOT: omp.barrier
// CHECK: omp.terminator
// CHECK: omp.wsloop {
// CHECK-NEXT: omp.loop_nest (%{{.*}}) : index = (%{{.*}}) to (%c4096)
// CHECK: omp.wsloop {
// CHECK-NEXT: omp.loop_nest (%{{.*}}) : index = (%{{.*}}) to (%{{.*}}) step
// CHECK: omp.wsloop schedule(static) {
// NONE-LABEL: func.func @loops
// NONE-NOT: scf.while
// NONE-NOT: schedule(dynamic)
// WIDE-LABEL: func.func @loops
// WIDE-COUNT-2: scf.while
// WIDE: omp.wsloop {
// WIDE: omp.wsloop schedule(static)
// ERROR: error: accml-dynamic-schedule: max-iterations must not be negative
func.func @loops(%m: memref<9x4096xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c9 = arith.constant 9 : index
  %c4096 = arith.constant 4096 : index
  %cst = arith.constant 1.0 : f32
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c9) step (%c1) {
        memref.store %cst, %m[%i, %c0] : memref<9x4096xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%j) : index = (%c0) to (%c4096) step (%c1) {
        memref.store %cst, %m[%c0, %j] : memref<9x4096xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        memref.store %cst, %m[%i, %c0] : memref<9x4096xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    omp.wsloop schedule(static) {
      omp.loop_nest (%i) : index = (%c0) to (%c9) step (%c1) {
        memref.store %cst, %m[%i, %c0] : memref<9x4096xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// A collapsed nest of 3 x 4 iterations: iteration k is (k / 4, k mod 4),
// scaled by the steps from the lower bounds; the loop's barrier stays when
// more follows in the region, and goes with nowait. With a team of 2
// (num_threads), 12 iterations (more than 4 per thread) take the counters;
// 8 (the 4 parallel blocks per thread of matmuls and convolutions) keep
// libomp's schedule(dynamic), as does a loop that is not directly in its
// parallel region.
// CHECK-LABEL: func.func @nest
// CHECK: scf.while
// CHECK: ^bb0(%[[K:.*]]: i64):
// CHECK: %[[LINEAR:.*]] = arith.index_cast %[[K]] : i64 to index
// CHECK: %[[INNER:.*]] = arith.remui %[[LINEAR]], %c4{{.*}} : index
// CHECK: %[[OUTER:.*]] = arith.divui %[[LINEAR]], %c4{{.*}} : index
// CHECK: arith.muli %[[INNER]], %c2{{.*}} : index
// CHECK: memref.store
// CHECK: scf.yield
// CHECK: omp.barrier
// CHECK-NEXT: memref.store
// CHECK-NEXT: omp.terminator
// CHECK: scf.while
// CHECK-NOT: omp.barrier
// CHECK: omp.terminator
// CHECK: omp.wsloop schedule(dynamic)
// CHECK-NEXT: omp.loop_nest (%{{.*}}) : index = (%{{.*}}) to (%c8)
// CHECK: scf.if
// CHECK-NEXT: omp.wsloop schedule(dynamic)
func.func @nest(%m: memref<3x8xf32>, %flag: i1) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  %two = arith.constant 2 : i32
  %cst = arith.constant 1.0 : f32
  omp.parallel num_threads(%two : i32) {
    omp.wsloop {
      omp.loop_nest (%i, %j) : index = (%c0, %c0) to (%c3, %c8) step (%c1, %c2) collapse(2) {
        memref.store %cst, %m[%i, %j] : memref<3x8xf32>
        omp.yield
      }
    }
    memref.store %cst, %m[%c0, %c0] : memref<3x8xf32>
    omp.terminator
  }
  omp.parallel num_threads(%two : i32) {
    omp.wsloop nowait {
      omp.loop_nest (%i, %j) : index = (%c0, %c0) to (%c3, %c8) step (%c1, %c2) collapse(2) {
        memref.store %cst, %m[%i, %j] : memref<3x8xf32>
        omp.yield
      }
    }
    memref.store %cst, %m[%c0, %c0] : memref<3x8xf32>
    omp.terminator
  }
  omp.parallel num_threads(%two : i32) {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c8) step (%c1) {
        memref.store %cst, %m[%c0, %i] : memref<3x8xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    scf.if %flag {
      omp.wsloop {
        omp.loop_nest (%i) : index = (%c0) to (%c3) step (%c1) {
          memref.store %cst, %m[%i, %c0] : memref<3x8xf32>
          omp.yield
        }
      }
    }
    omp.terminator
  }
  return
}
