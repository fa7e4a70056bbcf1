// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(convert-linalg-to-affine-loops,accml-affine-tile{cache-tiles=16,32,8}))' | FileCheck %s
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(convert-linalg-to-affine-loops,accml-affine-tile{register-tiles=4,16}))' | FileCheck %s --check-prefix=SMALL
// RUN: not accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-affine-tile{register-tiles=8,24}))' 2>&1 | FileCheck %s --check-prefix=ERROR

// A 20 x 12 x 40 matmul: register tiles of 8 rows x 32 columns cover rows
// 0-15 and columns 0-31 in cache tiles of 16 x 32 x 8, balanced over the
// problem: k runs in two tiles of 6 (bounded by min(k0 + 6, 12)). The 8 x 32 tile of C lives in 16 vector<16xf32>
// carried through the k loop; each k step loads two vectors of a row of B
// and broadcasts one element of A per row into two FMAs. Columns 32-39 of
// rows 0-15, then rows 16-19, keep the scalar nest.
// CHECK-DAG: #[[$UB:.*]] = affine_map<(d0) -> (d0 + 6, 12)>
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: memref<20x12xf32>, %[[B:.*]]: memref<12x40xf32>, %[[C:.*]]: memref<20x40xf32>)
// CHECK: affine.for %[[I0:.*]] = 0 to 16 step 16 {
// CHECK-NEXT: affine.for %[[J0:.*]] = 0 to 32 step 32 {
// CHECK-NEXT: affine.for %[[K0:.*]] = 0 to 12 step 6 {
// CHECK-NEXT: affine.for %[[I:.*]] = #{{.*}}(%[[I0]]) to min #{{.*}}(%[[I0]]) step 8 {
// CHECK-NEXT: affine.for %[[J:.*]] = #{{.*}}(%[[J0]]) to min #{{.*}}(%[[J0]]) step 32 {
// CHECK-NEXT: %[[C00:.*]] = affine.vector_load %[[C]][%[[I]], %[[J]]] : memref<20x40xf32>, vector<16xf32>
// CHECK-NEXT: %[[C01:.*]] = affine.vector_load %[[C]][%[[I]], %[[J]] + 16]
// CHECK-COUNT-14: affine.vector_load %[[C]]
// CHECK-NEXT: %[[R:.*]]:16 = affine.for %[[K:.*]] = #{{.*}}(%[[K0]]) to min #[[$UB]](%[[K0]]) iter_args(%[[ACC0:.*]] = %[[C00]], %[[ACC1:.*]] = %[[C01]], {{.*}}) -> (vector<16xf32>,
// CHECK-NEXT: %[[B0:.*]] = affine.vector_load %[[B]][%[[K]], %[[J]]] : memref<12x40xf32>, vector<16xf32>
// CHECK-NEXT: %[[B1:.*]] = affine.vector_load %[[B]][%[[K]], %[[J]] + 16]
// CHECK-NEXT: %[[A0:.*]] = affine.load %[[A]][%[[I]], %[[K]]]
// CHECK-NEXT: %[[S0:.*]] = vector.broadcast %[[A0]] : f32 to vector<16xf32>
// CHECK-NEXT: %[[F0:.*]] = vector.fma %[[S0]], %[[B0]], %[[ACC0]] : vector<16xf32>
// CHECK-NEXT: %[[F1:.*]] = vector.fma %[[S0]], %[[B1]], %[[ACC1]] : vector<16xf32>
// CHECK-NEXT: affine.load %[[A]][%[[I]] + 1, %[[K]]]
// CHECK-COUNT-7: vector.broadcast
// CHECK: affine.yield %[[F0]], %[[F1]],
// CHECK: affine.vector_store %[[R]]#0, %[[C]][%[[I]], %[[J]]]
// CHECK: affine.vector_store %[[R]]#15, %[[C]][%[[I]] + 7, %[[J]] + 16]
// The remainders: columns 32-39 of rows 0-15, then rows 16-19.
// CHECK: affine.for %{{.*}} = 0 to 16 {
// CHECK-NEXT: affine.for %{{.*}} = 32 to 40 {
// CHECK-NEXT: affine.for %{{.*}} = 0 to 12 {
// CHECK: arith.mulf
// CHECK: affine.for %{{.*}} = 16 to 20 {
// CHECK-NEXT: affine.for %{{.*}} = 0 to 40 {
// CHECK-NEXT: affine.for %{{.*}} = 0 to 12 {
// CHECK: arith.mulf

// Register tiles of 4 x 16: 4 accumulators.
// SMALL-LABEL: func.func @matmul
// SMALL: affine.for %{{.*}} = 0 to 20 step 20 {
// SMALL: iter_args({{[^)]*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
// SMALL-COUNT-4: vector.fma

// ERROR: error: accml-affine-tile expects three positive cache-tiles (mc, nc, kc) and register-tiles (mr, nr) with nr a multiple of vector-width
func.func @matmul(%a: memref<20x12xf32>, %b: memref<12x40xf32>, %c: memref<20x40xf32>) {
  linalg.matmul ins(%a, %b : memref<20x12xf32>, memref<12x40xf32>) outs(%c : memref<20x40xf32>)
  return
}

// -----

// Not a plain matmul (B transposed, or f64): left alone.
// CHECK-LABEL: func.func @negative_transposed
// CHECK-NOT: vector.fma
// CHECK: arith.mulf
func.func @negative_transposed(%a: memref<16x8xf32>, %b: memref<32x8xf32>, %c: memref<16x32xf32>) {
  linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%a, %b : memref<16x8xf32>, memref<32x8xf32>) outs(%c : memref<16x32xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @negative_f64
// CHECK-NOT: vector.fma
func.func @negative_f64(%a: memref<16x8xf64>, %b: memref<8x32xf64>, %c: memref<16x32xf64>) {
  linalg.matmul ins(%a, %b : memref<16x8xf64>, memref<8x32xf64>) outs(%c : memref<16x32xf64>)
  return
}
