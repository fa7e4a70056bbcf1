// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-dynamic-schedule))' | FileCheck %s
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-dynamic-schedule{max-iterations=0}))' | FileCheck %s --check-prefix=NONE
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-dynamic-schedule{max-iterations=4096}))' | FileCheck %s --check-prefix=WIDE
// RUN: not accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-dynamic-schedule{max-iterations=-1}))' 2>&1 | FileCheck %s --check-prefix=ERROR

// A loop of 9 iterations (parallel blocks) takes them one at a time; one of
// 4096 (rows) keeps its static schedule unless max-iterations allows it;
// one of unknown trip count, and one that has a schedule, are left alone.
// CHECK-LABEL: func.func @loops
// CHECK: omp.wsloop schedule(dynamic) {
// CHECK-NEXT: omp.loop_nest (%{{.*}}) : index = (%{{.*}}) to (%c9)
// CHECK: omp.wsloop {
// CHECK-NEXT: omp.loop_nest (%{{.*}}) : index = (%{{.*}}) to (%c4096)
// CHECK: omp.wsloop {
// CHECK-NEXT: omp.loop_nest (%{{.*}}) : index = (%{{.*}}) to (%{{.*}}) step
// CHECK: omp.wsloop schedule(static) {
// NONE-LABEL: func.func @loops
// NONE-NOT: schedule(dynamic)
// WIDE-LABEL: func.func @loops
// WIDE-COUNT-2: omp.wsloop schedule(dynamic)
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
