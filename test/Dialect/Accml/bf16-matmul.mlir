// RUN: accml-opt %s --split-input-file --accml-bf16-matmul="l2-kib=2048" | FileCheck %s
// RUN: accml-opt %s --split-input-file --accml-bf16-matmul="block-columns=32 block-depth=32" | FileCheck %s --check-prefix=BLOCKS
// RUN: accml-opt %s --split-input-file --accml-bf16-matmul="unit=avx512-bf16" | FileCheck %s --check-prefix=DOT

// A zero-filled C and sizes that are multiples of 32: the fill disappears
// (the accumulators start as zero tiles), B is packed into VNNI column
// blocks by interleaving pairs of rows, A into contiguous 16 x 32 tiles, and
// each 32 x 32 block of C is four accumulator tiles carried through the k
// loop with two A and two B tiles per step, stored once.
// CHECK: llvm.func @syscall(i64, ...) -> i64
// CHECK-LABEL: func.func @zero_init
// CHECK-SAME: (%[[A:.*]]: memref<64x96xbf16>, %[[B:.*]]: memref<96x64xbf16>, %[[C:.*]]: memref<64x64xf32>)
// CHECK-NOT: linalg.fill
// CHECK: llvm.call @syscall(%{{.*}}, %{{.*}}, %{{.*}}) vararg
// CHECK: %[[PB:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x48x32xbf16>
// CHECK: scf.parallel (%[[KP:.*]]) =
// CHECK: %[[EVEN:.*]] = vector.load %[[B]][%{{.*}}, %{{.*}}] : memref<96x64xbf16>, vector<16xbf16>
// CHECK: %[[ODD:.*]] = vector.load %[[B]][%{{.*}}, %{{.*}}] : memref<96x64xbf16>, vector<16xbf16>
// CHECK: %[[PAIR:.*]] = vector.interleave %[[EVEN]], %[[ODD]] : vector<16xbf16> -> vector<32xbf16>
// CHECK: vector.store %[[PAIR]], %[[PB]][%{{.*}}, %[[KP]], %{{.*}}]
// CHECK: %[[PA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x3x16x32xbf16>
// CHECK: vector.load %[[A]]{{.*}} : memref<64x96xbf16>, vector<32xbf16>
// CHECK: vector.store %{{.*}}, %[[PA]]
// CHECK: scf.parallel (%[[JC:.*]], %[[I:.*]]) = (%{{.*}}, %{{.*}}) to (%c64{{.*}}, %c64{{.*}}) step (%c64{{.*}}, %c32{{.*}})
// CHECK: scf.for %[[J:.*]] = %[[JC]] to
// CHECK-COUNT-4: amx.tile_zero : !amx.tile<16x16xf32>
// CHECK: scf.for %{{.*}} iter_args(%[[C00:.*]] = %{{.*}}, %[[C01:.*]] = %{{.*}}, %[[C10:.*]] = %{{.*}}, %[[C11:.*]] = %{{.*}})
// CHECK: %[[A0:.*]] = amx.tile_load %[[PA]]{{.*}} : memref<4x3x16x32xbf16> into !amx.tile<16x32xbf16>
// CHECK: %[[A1:.*]] = amx.tile_load %[[PA]]{{.*}} : memref<4x3x16x32xbf16> into !amx.tile<16x32xbf16>
// CHECK: %[[B0:.*]] = amx.tile_load %[[PB]]{{.*}} : memref<4x48x32xbf16> into !amx.tile<16x32xbf16>
// CHECK: %[[B1:.*]] = amx.tile_load %[[PB]]{{.*}} : memref<4x48x32xbf16> into !amx.tile<16x32xbf16>
// CHECK: %[[N00:.*]] = amx.tile_mulf %[[A0]], %[[B0]], %[[C00]]
// CHECK: %[[N01:.*]] = amx.tile_mulf %[[A0]], %[[B1]], %[[C01]]
// CHECK: %[[N10:.*]] = amx.tile_mulf %[[A1]], %[[B0]], %[[C10]]
// CHECK: %[[N11:.*]] = amx.tile_mulf %[[A1]], %[[B1]], %[[C11]]
// CHECK: scf.yield %[[N00]], %[[N01]], %[[N10]], %[[N11]]
// CHECK-COUNT-4: amx.tile_store %[[C]][
// CHECK-NOT: linalg.matmul
// CHECK: memref.dealloc %[[PB]]
// CHECK: memref.dealloc %[[PA]]

// AVX-512-BF16: the same packed B; 8 x 32 register tiles (sixteen vector
// accumulators, zero here) carried through the k loop in steps of 2, each
// step two rows of packed B and, per row of A, its pair of elements
// broadcast as one 32-bit lane into vdpbf16ps.
// DOT-LABEL: func.func @zero_init
// DOT-NOT: llvm.call @syscall
// DOT-NOT: linalg.fill
// DOT: %[[PB:[^ ]*]] = memref.alloc() {alignment = 64 : i64} : memref<4x48x32xbf16>
// DOT: vector.interleave
// DOT-NOT: amx.
// DOT: scf.parallel
// DOT: %[[ZERO:[^ ]*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// DOT: scf.for %[[K:[^ ]*]] = %{{.*}} to %c96{{.*}} step %c2{{.*}} iter_args(%[[ACC:[^ ]*]] = %[[ZERO]], %{{[^ ]*}} = %[[ZERO]]
// DOT: %[[B0:[^ ]*]] = vector.load %[[PB]]{{.*}} : memref<4x48x32xbf16>, vector<32xbf16>
// DOT: %[[B1:[^ ]*]] = vector.load %[[PB]]{{.*}} : memref<4x48x32xbf16>, vector<32xbf16>
// DOT: %[[PAIR:[^ ]*]] = vector.load %arg0[%{{.*}}, %[[K]]] : memref<64x96xbf16>, vector<2xbf16>
// DOT: %[[WORD:[^ ]*]] = vector.bitcast %[[PAIR]] : vector<2xbf16> to vector<1xi32>
// DOT: %[[LANE:[^ ]*]] = vector.extract %[[WORD]][0]
// DOT: %[[LANES:[^ ]*]] = vector.broadcast %[[LANE]] : i32 to vector<16xi32>
// DOT: %[[A:[^ ]*]] = vector.bitcast %[[LANES]] : vector<16xi32> to vector<32xbf16>
// DOT: x86vector.avx512.dot %[[ACC]], %[[A]], %[[B0]] : vector<32xbf16> -> vector<16xf32>
// DOT-COUNT-15: x86vector.avx512.dot
// DOT: scf.yield
// DOT-COUNT-16: vector.store %{{.*}}, %arg2

// With blocks of 32 columns and 32 deep, the first depth block starts
// from zero and the others load C and continue.
// BLOCKS-LABEL: func.func @zero_init
// BLOCKS: scf.parallel (%{{.*}}, %{{.*}}) = (%{{.*}}, %{{.*}}) to (%c64{{.*}}, %c64{{.*}}) step (%c32{{.*}}, %c32{{.*}})
// BLOCKS-COUNT-4: amx.tile_zero
// BLOCKS: scf.for %{{.*}} = %c32{{.*}} to %c96{{.*}} step %c32
// BLOCKS: scf.for
// BLOCKS-COUNT-4: amx.tile_load %arg2
func.func @zero_init(%a: memref<64x96xbf16>, %b: memref<96x64xbf16>, %c: memref<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<64x64xf32>)
  linalg.matmul ins(%a, %b : memref<64x96xbf16>, memref<96x64xbf16>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// Without a fill, C accumulates: the accumulator tiles are loaded from it.
// CHECK-LABEL: func.func @accumulate
// CHECK-NOT: amx.tile_zero
// CHECK-COUNT-4: amx.tile_load %arg2[{{.*}}] : memref<32x32xf32> into !amx.tile<16x16xf32>
// CHECK: amx.tile_mulf
// CHECK-COUNT-4: amx.tile_store %arg2
func.func @accumulate(%a: memref<32x32xbf16>, %b: memref<32x32xbf16>, %c: memref<32x32xf32>) {
  linalg.matmul ins(%a, %b : memref<32x32xbf16>, memref<32x32xbf16>) outs(%c : memref<32x32xf32>)
  return
}

// -----

// Sizes the blocks do not divide (and an odd K): zero-padded copies of A
// and B, a padded C whose corner is copied back.
// CHECK-LABEL: func.func @padded
// CHECK-SAME: (%[[A:.*]]: memref<37x45xbf16>, %[[B:.*]]: memref<45x29xbf16>, %[[C:.*]]: memref<37x29xf32>)
// CHECK: %[[AP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x64xbf16>
// CHECK: linalg.fill ins(%{{.*}} : bf16) outs(%[[AP]] : memref<64x64xbf16>)
// CHECK: %[[AC:.*]] = memref.subview %[[AP]][0, 0] [37, 45] [1, 1]
// CHECK: memref.copy %[[A]], %[[AC]]
// CHECK: %[[PC:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x32xf32>
// CHECK-NOT: linalg.fill{{.*}}%[[PC]]
// CHECK: %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x32xbf16>
// CHECK: memref.copy %[[B]],
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<2x32x32xbf16>
// CHECK: vector.interleave
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<4x2x16x32xbf16>
// CHECK: amx.tile_mulf
// CHECK: amx.tile_store %[[PC]]
// CHECK: %[[CORNER:.*]] = memref.subview %[[PC]][0, 0] [37, 29] [1, 1]
// CHECK: memref.copy %[[CORNER]], %[[C]]
func.func @padded(%a: memref<37x45xbf16>, %b: memref<45x29xbf16>, %c: memref<37x29xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<37x29xf32>)
  linalg.matmul ins(%a, %b : memref<37x45xbf16>, memref<45x29xbf16>) outs(%c : memref<37x29xf32>)
  return
}

// -----

// Other matmuls are left alone: f32, tensors, dynamic sizes.
// CHECK-LABEL: func.func @others
// CHECK-NOT: amx.
// CHECK-COUNT-3: linalg.matmul
func.func @others(%a: memref<32x32xf32>, %b: memref<32x32xf32>, %c: memref<32x32xf32>,
                  %x: tensor<32x32xbf16>, %y: tensor<32x32xbf16>, %z: tensor<32x32xf32>,
                  %p: memref<?x32xbf16>, %q: memref<32x32xbf16>, %r: memref<?x32xf32>) -> tensor<32x32xf32> {
  linalg.matmul ins(%a, %b : memref<32x32xf32>, memref<32x32xf32>) outs(%c : memref<32x32xf32>)
  %0 = linalg.matmul ins(%x, %y : tensor<32x32xbf16>, tensor<32x32xbf16>) outs(%z : tensor<32x32xf32>) -> tensor<32x32xf32>
  linalg.matmul ins(%p, %q : memref<?x32xbf16>, memref<32x32xbf16>) outs(%r : memref<?x32xf32>)
  return %0 : tensor<32x32xf32>
}

// -----

// The rounding of C to bf16 (an elementwise consumer of a local C) runs on
// each finished 32 x 32 block. On AMX the block's tiles go to a 32 x 32
// scratch buffer, one vectorised row at a time is rounded into the result,
// and C itself disappears; with AVX-512-BF16, C is kept and each block is
// rounded after its last depth block.
// CHECK-LABEL: func.func @epilogue
// CHECK-SAME: (%[[A:.*]]: memref<64x64xbf16>, %[[B:.*]]: memref<64x64xbf16>, %[[D:.*]]: memref<64x64xbf16>)
// CHECK-NOT: memref<64x64xf32>
// CHECK: scf.parallel
// CHECK: %[[SCRATCH:.*]] = memref.alloc() {alignment = 64 : i64} : memref<32x32xf32>
// CHECK-COUNT-4: amx.tile_zero
// CHECK: amx.tile_mulf
// CHECK-COUNT-4: amx.tile_store %[[SCRATCH]]
// CHECK: scf.for %[[R:.*]] = %c0{{.*}} to %c32{{.*}} step %c1
// CHECK: %[[ROW:.*]] = memref.subview %[[SCRATCH]][%[[R]], 0] [1, 32] [1, 1]
// CHECK: %[[V:.*]] = vector.transfer_read %[[ROW]]{{.*}} {in_bounds = [true, true]} : memref<1x32xf32, strided<[32, 1], offset: ?>>, vector<1x32xf32>
// CHECK: %[[T:.*]] = arith.truncf %[[V]] : vector<1x32xf32> to vector<1x32xbf16>
// CHECK: vector.transfer_write %[[T]], %{{.*}} {in_bounds = [true, true]} : vector<1x32xbf16>, memref<1x32xbf16, strided<[64, 1], offset: ?>>
// CHECK: memref.dealloc %[[SCRATCH]]
// CHECK-NOT: linalg.generic
// CHECK-NOT: memref<64x64xf32>
// CHECK: return
// DOT-LABEL: func.func @epilogue
// DOT: %[[C:.*]] = memref.alloc() : memref<64x64xf32>
// DOT: x86vector.avx512.dot
// DOT: vector.store %{{.*}}, %[[C]]
// DOT: arith.truncf %{{.*}} : vector<1x32xf32> to vector<1x32xbf16>
// DOT-NOT: linalg.generic
// DOT: memref.dealloc %[[C]]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @epilogue(%a: memref<64x64xbf16>, %b: memref<64x64xbf16>, %d: memref<64x64xbf16>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<64x64xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x64xf32>)
  linalg.matmul ins(%a, %b : memref<64x64xbf16>, memref<64x64xbf16>) outs(%c : memref<64x64xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<64x64xf32>) outs(%d : memref<64x64xbf16>) {
  ^bb0(%in: f32, %out: bf16):
    %t = arith.truncf %in : f32 to bf16
    linalg.yield %t : bf16
  }
  memref.dealloc %c : memref<64x64xf32>
  return
}

// -----

// A consumer that writes C in place is not an epilogue: the matmul is
// rewritten (C stays), the consumer stays.
// CHECK-LABEL: func.func @in_place_consumer
// CHECK: %[[C:.*]] = memref.alloc() : memref<32x32xf32>
// CHECK: amx.tile_store %[[C]][
// CHECK: linalg.generic {{.*}} outs(%[[C]] : memref<32x32xf32>)
// CHECK: memref.dealloc %[[C]]
#map = affine_map<(d0, d1) -> (d0, d1)>
func.func @in_place_consumer(%a: memref<32x32xbf16>, %b: memref<32x32xbf16>) {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<32x32xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<32x32xf32>)
  linalg.matmul ins(%a, %b : memref<32x32xbf16>, memref<32x32xbf16>) outs(%c : memref<32x32xf32>)
  linalg.generic {indexing_maps = [#map], iterator_types = ["parallel", "parallel"]}
      outs(%c : memref<32x32xf32>) {
  ^bb0(%out: f32):
    %r = arith.maximumf %out, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %c : memref<32x32xf32>
  return
}

// -----

// A constant B (a weight behind a reshape, as accml-flatten-constants
// leaves it) is packed at compile time into a one-dimensional constant
// global, zero-padded to whole blocks (N = 20 -> 32 columns; K = 3 -> 32
// rows): no packing loop at run time, and no dealloc of the packed B.
// packed[nb][kp][2 j + t] = B[2 kp + t][16 nb + j] with B holding 1..60
// row-major puts B[0][0] = 1, B[1][0] = 21, B[0][1] = 2, B[1][1] = 22 first
// (bf16 0x3F80, 0x41A8, 0x4000, 0x41B0, little-endian).
// CHECK: memref.global "private" constant @w_vnni : memref<1024xbf16> = dense<"0x803FA8410040B041
// CHECK-LABEL: func.func @constant_weight
// CHECK: %[[FLAT:.*]] = memref.get_global @w_vnni : memref<1024xbf16>
// CHECK: %[[PB:.*]] = memref.expand_shape %[[FLAT]] {{\[\[}}0, 1, 2]] output_shape [2, 16, 32] : memref<1024xbf16> into memref<2x16x32xbf16>
// CHECK-NOT: vector.interleave
// CHECK: amx.tile_load %[[PB]]
// CHECK-NOT: memref.dealloc %[[PB]]
// CHECK: return
memref.global "private" constant @w : memref<60xbf16> = dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0]>
func.func @constant_weight(%a: memref<8x3xbf16>, %c: memref<8x20xf32>) {
  %flat = memref.get_global @w : memref<60xbf16>
  %b = memref.expand_shape %flat [[0, 1]] output_shape [3, 20] : memref<60xbf16> into memref<3x20xbf16>
  linalg.matmul ins(%a, %b : memref<8x3xbf16>, memref<3x20xbf16>) outs(%c : memref<8x20xf32>)
  return
}

// -----

// A batched bf16 matmul becomes a loop over the batch of matmuls on the
// batch's slices, each rewritten like the others.
// CHECK-LABEL: func.func @batched
// CHECK: scf.for %[[N:.*]] = %c0{{.*}} to %c3{{.*}} step %c1
// CHECK: %[[A:.*]] = memref.subview %arg0[%[[N]], 0, 0] [1, 32, 64] [1, 1, 1] : memref<3x32x64xbf16> to memref<32x64xbf16, strided<[64, 1], offset: ?>>
// CHECK: %[[B:.*]] = memref.subview %arg1[%[[N]], 0, 0] [1, 64, 32] [1, 1, 1]
// CHECK: %[[C:.*]] = memref.subview %arg2[%[[N]], 0, 0] [1, 32, 32] [1, 1, 1]
// CHECK: vector.load %[[B]]
// CHECK: amx.tile_load %[[C]]
// CHECK: amx.tile_mulf
// CHECK: amx.tile_store %[[C]]
// CHECK-NOT: linalg.batch_matmul
// CHECK-NOT: linalg.matmul
func.func @batched(%a: memref<3x32x64xbf16>, %b: memref<3x64x32xbf16>, %c: memref<3x32x32xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x32x64xbf16>, memref<3x64x32xbf16>) outs(%c : memref<3x32x32xf32>)
  return
}
