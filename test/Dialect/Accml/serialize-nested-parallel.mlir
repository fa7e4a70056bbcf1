// RUN: accml-opt %s --split-input-file --accml-serialize-nested-parallel | FileCheck %s

// An scf.parallel inside another loop becomes scf.for; the outermost one
// stays parallel.
// CHECK-LABEL: func.func @nested
// CHECK: scf.parallel (%[[I:.*]]) = (%{{.*}}) to (%{{.*}}) step (%{{.*}}) {
// CHECK-NEXT: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT: %[[V:.*]] = memref.load %{{.*}}[%[[I]], %[[J]], %[[K]]]
// CHECK-NEXT: %[[W:.*]] = arith.addf %[[V]], %[[V]]
// CHECK-NEXT: memref.store %[[W]], %{{.*}}[%[[I]], %[[J]], %[[K]]]
// CHECK-NOT: scf.parallel
func.func @nested(%x: memref<4x8x16xf32>, %y: memref<4x8x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.parallel (%j, %k) = (%c0, %c0) to (%c8, %c16) step (%c1, %c1) {
      %v = memref.load %x[%i, %j, %k] : memref<4x8x16xf32>
      %w = arith.addf %v, %v : f32
      memref.store %w, %y[%i, %j, %k] : memref<4x8x16xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// -----

// A top-level fill (one store of an outside value) becomes sequential loops
// too (LLVM makes them a memset); other top-level loops, and loops with
// reductions, stay parallel.
// CHECK-LABEL: func.func @fill_and_reduction
// CHECK: scf.for
// CHECK-NEXT: scf.for
// CHECK-NEXT: memref.store %{{.*}}, %{{.*}}[
// CHECK: scf.parallel
// CHECK: scf.reduce
func.func @fill_and_reduction(%y: memref<4x8xf32>, %s: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    memref.store %s, %y[%i, %j] : memref<4x8xf32>
    scf.reduce
  }
  %sum = scf.parallel (%i) = (%c0) to (%c4) step (%c1) init (%zero) -> f32 {
    %v = memref.load %y[%i, %c0] : memref<4x8xf32>
    scf.reduce(%v : f32) {
    ^bb0(%a: f32, %b: f32):
      %r = arith.addf %a, %b : f32
      scf.reduce.return %r : f32
    }
  }
  return %sum : f32
}
