// RUN: accml-opt %s --split-input-file --accml-affine-fuse | FileCheck %s

// The producer nest writes a local buffer that only the next nest (same
// bounds) reads: it is fused into that nest, the stored value is forwarded
// to the load, and the buffer disappears.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.*]]: memref<4x20xf32>, %[[Y:.*]]: memref<4x20xf32>)
// CHECK-NOT: memref.alloc
// CHECK: affine.for %[[I:.*]] = 0 to 4 {
// CHECK-NEXT: affine.for %[[J:.*]] = 0 to 20 {
// CHECK-NEXT: %[[V:.*]] = affine.load %[[X]][%[[I]], %[[J]]]
// CHECK-NEXT: %[[E:.*]] = math.exp %[[V]]
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[E]], %[[V]]
// CHECK-NEXT: affine.store %[[S]], %[[Y]][%[[I]], %[[J]]]
// CHECK-NOT: affine.for
// CHECK: return
func.func @chain(%x: memref<4x20xf32>, %y: memref<4x20xf32>) {
  %t = memref.alloc() : memref<4x20xf32>
  affine.for %i = 0 to 4 {
    affine.for %j = 0 to 20 {
      %v = affine.load %x[%i, %j] : memref<4x20xf32>
      %e = math.exp %v : f32
      affine.store %e, %t[%i, %j] : memref<4x20xf32>
    }
  }
  affine.for %i = 0 to 4 {
    affine.for %j = 0 to 20 {
      %v = affine.load %t[%i, %j] : memref<4x20xf32>
      %w = affine.load %x[%i, %j] : memref<4x20xf32>
      %s = arith.addf %v, %w : f32
      affine.store %s, %y[%i, %j] : memref<4x20xf32>
    }
  }
  memref.dealloc %t : memref<4x20xf32>
  return
}

// -----

// Two consumers read the buffer: nothing is fused.
// CHECK-LABEL: func.func @shared
// CHECK: memref.alloc
// CHECK-COUNT-3: affine.for
func.func @shared(%x: memref<8xf32>, %y: memref<8xf32>, %z: memref<8xf32>) {
  %t = memref.alloc() : memref<8xf32>
  affine.for %i = 0 to 8 {
    %v = affine.load %x[%i] : memref<8xf32>
    affine.store %v, %t[%i] : memref<8xf32>
  }
  affine.for %i = 0 to 8 {
    %v = affine.load %t[%i] : memref<8xf32>
    affine.store %v, %y[%i] : memref<8xf32>
  }
  affine.for %i = 0 to 8 {
    %v = affine.load %t[%i] : memref<8xf32>
    affine.store %v, %z[%i] : memref<8xf32>
  }
  memref.dealloc %t : memref<8xf32>
  return
}

// -----

// A reduction (the producer does not write at its loop indices) and nests
// of different bounds are not fused.
// CHECK-LABEL: func.func @negative_reduction
// CHECK: affine.for %{{.*}} = 0 to 8 {
// CHECK: affine.for %{{.*}} = 0 to 8 {
// CHECK: affine.for %{{.*}} = 0 to 4 {
func.func @negative_reduction(%x: memref<8x8xf32>, %y: memref<8x8xf32>, %z: memref<4xf32>) {
  %t = memref.alloc() : memref<8x8xf32>
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %v = affine.load %x[%i, %j] : memref<8x8xf32>
      affine.store %v, %t[%j, %i] : memref<8x8xf32>
    }
  }
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %v = affine.load %t[%i, %j] : memref<8x8xf32>
      affine.store %v, %y[%i, %j] : memref<8x8xf32>
    }
  }
  %u = memref.alloc() : memref<4xf32>
  affine.for %i = 0 to 8 {
    %v = affine.load %x[%i, %i] : memref<8x8xf32>
    affine.store %v, %u[%i floordiv 2] : memref<4xf32>
  }
  affine.for %i = 0 to 4 {
    %v = affine.load %u[%i] : memref<4xf32>
    affine.store %v, %z[%i] : memref<4xf32>
  }
  memref.dealloc %t : memref<8x8xf32>
  memref.dealloc %u : memref<4xf32>
  return
}

// -----

// A dealloc between the nests frees what the producer reads (a subview of
// %big): moving the producer into the consumer would read freed memory, so
// the nests stay apart.
// CHECK-LABEL: func.func @dealloc_between
// CHECK: affine.for
// CHECK: affine.load %{{.*}} : memref<2x3xf32, strided<[8, 1]>>
// CHECK: memref.dealloc
// CHECK: affine.for
func.func @dealloc_between(%y: memref<2x3xf32>) {
  %big = memref.alloc() : memref<8x8xf32>
  %view = memref.subview %big[0, 0] [2, 3] [1, 1] : memref<8x8xf32> to memref<2x3xf32, strided<[8, 1]>>
  %t = memref.alloc() : memref<2x3xf32>
  affine.for %i = 0 to 2 {
    affine.for %j = 0 to 3 {
      %v = affine.load %view[%i, %j] : memref<2x3xf32, strided<[8, 1]>>
      affine.store %v, %t[%i, %j] : memref<2x3xf32>
    }
  }
  memref.dealloc %big : memref<8x8xf32>
  affine.for %i = 0 to 2 {
    affine.for %j = 0 to 3 {
      %v = affine.load %t[%i, %j] : memref<2x3xf32>
      %s = arith.addf %v, %v : f32
      affine.store %s, %y[%i, %j] : memref<2x3xf32>
    }
  }
  memref.dealloc %t : memref<2x3xf32>
  return
}
