// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse))' | FileCheck %s --check-prefix=TILE
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse),canonicalize,func.func(accml-vectorize),canonicalize,cse)' | FileCheck %s --check-prefix=VEC
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse),canonicalize,func.func(accml-vectorize{unroll-reduction=1}),canonicalize,cse)' | FileCheck %s --check-prefix=ROLLED
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse{cache-tiles=32,64,64 register-tiles=8,32}))' | FileCheck %s --check-prefix=OPTS
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse{cache-tiles=256,256,128 parallel-blocks=8}))' | FileCheck %s --check-prefix=PAR

// Cache tiles (64 x 256 x 64 clamped to the problem): the M x N blocks are
// an scf.forall (the threads' work), k an scf.for; then 8 x 32 x 1 register
// tiles.
// TILE-LABEL: func.func @matmul
// TILE: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (256, 256) step (64, 256) shared_outs
// TILE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c64
// TILE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c8
// TILE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c32
// TILE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c1
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<8x32xf32>)

// The register tile becomes one vector.contract whose accumulator is read
// before the k loop and written after it (kept in registers).
// VEC-LABEL: func.func @matmul
// VEC: %[[ACC:.*]] = vector.transfer_read {{.*}} : tensor<64x256xf32>, vector<8x32xf32>
// The k loop (64 steps) is unrolled 4 times (unroll-reduction's default):
// four contractions chained through the accumulator per iteration.
// VEC: %[[K:.*]] = scf.for {{.*}} to %c64 step %c4 iter_args(%[[C:.*]] = %[[ACC]]) -> (vector<8x32xf32>)
// VEC: %[[C1:.*]] = vector.contract {{.*}} %[[C]] : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// VEC: %[[C2:.*]] = vector.contract {{.*}} %[[C1]] : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// VEC: %[[C3:.*]] = vector.contract {{.*}} %[[C2]] : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// VEC: %[[C4:.*]] = vector.contract {{.*}} %[[C3]] : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// VEC-NEXT: scf.yield %[[C4]]
// VEC: vector.transfer_write %[[K]]

// unroll-reduction=1: one contraction per k step.
// ROLLED-LABEL: func.func @matmul
// ROLLED: scf.for {{.*}} to %c64 step %c1 iter_args(%[[C:.*]] = {{.*}}) -> (vector<8x32xf32>)
// ROLLED: %[[R:.*]] = vector.contract {{.*}} %[[C]] : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// ROLLED-NEXT: scf.yield %[[R]]

// OPTS-LABEL: func.func @matmul
// OPTS: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<8x32xf32>)
func.func @matmul(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>, %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %0 : tensor<256x256xf32>
}

// -----

// Sizes that the tiles do not divide: the last, partial register tiles are
// peeled. Static remainders (the last 31 columns) still vectorise; dynamic
// ones (the last rows of a partial cache block) stay small linalg ops.
// TILE-LABEL: func.func @remainder
// TILE: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (127, 127) step (64, 127)
// The k loops (min(64, 127 - k0) steps: a count known at run time) are
// unrolled 4 times up to a computed bound, and a remainder loop takes the
// last steps.
// VEC-LABEL: func.func @remainder
// VEC: %[[U:.*]] = scf.for %{{.*}} = %c0 to %[[END:[0-9]+]] step %c4 iter_args(%[[A:.*]] = {{.*}}) -> (vector<8x32xf32>)
// VEC: %[[R1:.*]] = vector.contract {{.*}} %[[A]] :
// VEC: %[[R2:.*]] = vector.contract {{.*}} %[[R1]] :
// VEC: %[[R3:.*]] = vector.contract {{.*}} %[[R2]] :
// VEC: %[[R4:.*]] = vector.contract {{.*}} %[[R3]] :
// VEC-NEXT: scf.yield %[[R4]] : vector<8x32xf32>
// VEC: scf.for %{{.*}} = %[[END]] to %[[K:[0-9]+]] step %c1 iter_args(%{{.*}} = %[[U]]) -> (vector<8x32xf32>)
// VEC: vector.contract {{.*}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// VEC: vector.contract {{.*}} : vector<8x1xf32>, vector<1x31xf32> into vector<8x31xf32>
// VEC: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x1xf32>, tensor<1x?xf32>) outs(%{{.*}} : tensor<?x?xf32>)
func.func @remainder(%a: tensor<127x127xf32>, %b: tensor<127x127xf32>, %c: tensor<127x127xf32>) -> tensor<127x127xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<127x127xf32>, tensor<127x127xf32>) outs(%c : tensor<127x127xf32>) -> tensor<127x127xf32>
  return %0 : tensor<127x127xf32>
}

// -----

// Elementwise generics on f32: the rows are an scf.forall (the threads'
// work), each cut into pieces of 64 elements, or of one register (16) when
// 16 does not divide the row (the last partial piece peeled), each
// vectorised.
// TILE-LABEL: func.func @elementwise
// TILE: scf.forall (%{{.*}}) in (8)
// TILE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c16
// TILE: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x?xf32>)
// VEC-LABEL: func.func @elementwise
// VEC: vector.transfer_read {{.*}} : tensor<8x100xf32>, vector<1x16xf32>
// VEC: math.exp %{{.*}} : vector<1x16xf32>
// VEC: vector.transfer_write {{.*}} : vector<1x16xf32>, tensor<1x100xf32>
// VEC: vector.transfer_read {{.*}} : tensor<8x100xf32>, vector<1x4xf32>
// VEC: math.exp %{{.*}} : vector<1x4xf32>
func.func @elementwise(%x: tensor<8x100xf32>) -> tensor<8x100xf32> {
  %e = tensor.empty() : tensor<8x100xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<8x100xf32>) outs(%e : tensor<8x100xf32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = math.exp %in : f32
    linalg.yield %1 : f32
  } -> tensor<8x100xf32>
  return %0 : tensor<8x100xf32>
}

// -----

// Rows that 16 divides: pieces of 64, the last one (48) peeled, and
// vectorised one register at a time (48 lanes are not a power of two of
// registers: LLVM built such vectors lane by lane).
// TILE-LABEL: func.func @elementwise_whole_registers
// TILE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c64
// VEC-LABEL: func.func @elementwise_whole_registers
// VEC: math.exp %{{.*}} : vector<1x64xf32>
// VEC-COUNT-3: math.exp %{{.*}} : vector<1x16xf32>
// VEC-NOT: vector<1x48xf32>
func.func @elementwise_whole_registers(%x: tensor<8x112xf32>) -> tensor<8x112xf32> {
  %e = tensor.empty() : tensor<8x112xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<8x112xf32>) outs(%e : tensor<8x112xf32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = math.exp %in : f32
    linalg.yield %1 : f32
  } -> tensor<8x112xf32>
  return %0 : tensor<8x112xf32>
}

// -----

// Short rows (under 16 elements) stay scalar.
// VEC-LABEL: func.func @negative_short_rows
// VEC-NOT: vector.
func.func @negative_short_rows(%x: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %e = tensor.empty() : tensor<8x4xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<8x4xf32>) outs(%e : tensor<8x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = math.exp %in : f32
    linalg.yield %1 : f32
  } -> tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

// -----

// RUN: not accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse{cache-tiles=64,64}))' 2>&1 | FileCheck %s --check-prefix=BADOPT
// BADOPT: error: accml-tile-and-fuse expects three cache-tiles (mc, nc, kc) and two register-tiles (mr, nr)
// RUN: not accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-vectorize{unroll-reduction=0}))' 2>&1 | FileCheck %s --check-prefix=BADUNROLL
// BADUNROLL: error: accml-vectorize: unroll-reduction must be positive
func.func @bad_options(%x: tensor<8xf32>) -> tensor<8xf32> {
  return %x : tensor<8xf32>
}

// -----

// A row-wise chain (softmax): the normalising generic is tiled by rows (an
// scf.forall: rows are independent) and
// the reductions that feed it (max, then the sum of exponentials) are
// fused into the row loop: no tensor of row maxima or sums is materialised
// outside it. Each row op becomes vector operations on the whole row.
// TILE-LABEL: func.func @softmax_rows
// TILE-NOT: linalg.reduce ins(%{{.*}} : tensor<8x100xf32>)
// TILE: scf.forall (%{{.*}}) in (8)
// TILE: linalg.reduce ins(%{{.*}} : tensor<1x100xf32>) outs(%{{.*}} : tensor<1xf32>) dimensions = [1]
// TILE: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<1x100xf32>, tensor<1xf32>) outs(%{{.*}} : tensor<1xf32>)
// TILE: linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins({{.*}}tensor<1x100xf32>, tensor<1xf32>, tensor<1xf32>) outs(%{{.*}} : tensor<1x100xf32>)
// TILE: tensor.parallel_insert_slice
// The originals of the fused reductions are gone, not tiled again.
// TILE-NOT: linalg.reduce
// TILE-NOT: scf.forall
// TILE-LABEL: func.func @row_sum
// VEC-LABEL: func.func @softmax_rows
// VEC: scf.forall
// VEC: %[[ROW:.*]] = vector.transfer_read {{.*}} : tensor<8x100xf32>, vector<1x100xf32>
// VEC: %[[MAX:.*]] = vector.multi_reduction <maximumf>, %[[ROW]], %{{.*}} [1] : vector<1x100xf32> to vector<1xf32>
// VEC: math.exp %{{.*}} : vector<1x100xf32>
// VEC: %[[SUM:.*]] = vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<1x100xf32> to vector<1xf32>
// The division by the row sum is one reciprocal per row and a product.
// VEC-NOT: arith.divf %{{.*}} : vector<1x100xf32>
// VEC: %[[INV:.*]] = arith.divf %{{.*}}, %[[SUM]] : vector<1xf32>
// VEC: %[[SPREAD:.*]] = vector.broadcast %[[INV]] : vector<1xf32> to vector<1x100xf32>
// VEC: arith.mulf %{{.*}}, %[[SPREAD]] : vector<1x100xf32>
// VEC-NOT: arith.divf %{{.*}} : vector<1x100xf32>
// VEC: vector.transfer_write %{{.*}} : vector<1x100xf32>, tensor<1x100xf32>
// VEC: tensor.parallel_insert_slice
func.func @softmax_rows(%arg0: tensor<8x100xf32>) -> tensor<8x100xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant 0xFF800000 : f32
  %0 = tensor.empty() : tensor<8xf32>
  %1 = linalg.fill ins(%cst_0 : f32) outs(%0 : tensor<8xf32>) -> tensor<8xf32>
  %reduced = linalg.reduce ins(%arg0 : tensor<8x100xf32>) outs(%1 : tensor<8xf32>) dimensions = [1]
    (%in: f32, %init: f32) {
      %6 = arith.maximumf %in, %init : f32
      linalg.yield %6 : f32
    }
  %2 = linalg.fill ins(%cst : f32) outs(%0 : tensor<8xf32>) -> tensor<8xf32>
  %3 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%arg0, %reduced : tensor<8x100xf32>, tensor<8xf32>) outs(%2 : tensor<8xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %6 = arith.subf %in, %in_1 : f32
    %7 = math.exp %6 : f32
    %8 = arith.addf %out, %7 : f32
    linalg.yield %8 : f32
  } -> tensor<8xf32>
  %4 = tensor.empty() : tensor<8x100xf32>
  %5 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%arg0, %reduced, %3 : tensor<8x100xf32>, tensor<8xf32>, tensor<8xf32>) outs(%4 : tensor<8x100xf32>) {
  ^bb0(%in: f32, %in_1: f32, %in_2: f32, %out: f32):
    %6 = arith.subf %in, %in_1 : f32
    %7 = math.exp %6 : f32
    %8 = arith.divf %7, %in_2 : f32
    linalg.yield %8 : f32
  } -> tensor<8x100xf32>
  return %5 : tensor<8x100xf32>
}


// -----

// A standalone reduction over rows: one row at a time, each a vector
// reduction of the whole row.
// TILE: scf.forall (%{{.*}}) in (6)
// TILE: linalg.reduce ins(%{{.*}} : tensor<1x300xf32>) outs(%{{.*}} : tensor<1xf32>) dimensions = [1]
// VEC-LABEL: func.func @row_sum
// VEC: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<1x300xf32> to vector<1xf32>
func.func @row_sum(%x: tensor<6x300xf32>) -> tensor<6xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6xf32>
  %init = linalg.fill ins(%cst : f32) outs(%e : tensor<6xf32>) -> tensor<6xf32>
  %0 = linalg.reduce ins(%x : tensor<6x300xf32>) outs(%init : tensor<6xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %0 : tensor<6xf32>
}

// -----

// Reductions over an outer dimension are left alone.
// VEC-LABEL: func.func @negative_column_sum
// VEC-NOT: vector.multi_reduction
func.func @negative_column_sum(%x: tensor<300x6xf32>) -> tensor<6xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6xf32>
  %init = linalg.fill ins(%cst : f32) outs(%e : tensor<6xf32>) -> tensor<6xf32>
  %0 = linalg.reduce ins(%x : tensor<300x6xf32>) outs(%init : tensor<6xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %0 : tensor<6xf32>
}

// -----

// Rows longer than 1024 elements are not fused: the reduction is tiled on
// its own, by rows across the threads, each row in chunks of 64 into a
// 64-wide partial sum reduced after the loop (64 divides 2048); the
// normalising generic is tiled as an elementwise op.
// TILE-LABEL: func.func @negative_long_rows
// TILE: scf.forall (%{{.*}}) in (4) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<4xf32>)
// TILE: linalg.fill {{.*}} -> tensor<1x64xf32>
// TILE: scf.for %{{.*}} = %c0 to %c2048 step %c64 iter_args(%{{.*}} = %{{.*}}) -> (tensor<1x64xf32>)
// TILE: linalg.reduce ins(%{{.*}} : tensor<1x64xf32>) outs(%{{.*}} : tensor<1xf32>) dimensions = [1]
// TILE: scf.forall (%{{.*}}) in (4) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<4x2048xf32>)
// TILE: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c64
// TILE: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x64xf32>, tensor<1xf32>)
// Vectorised, the partial sum is one 64-wide vector, reduced to the row's
// sum after the loop.
// VEC-LABEL: func.func @negative_long_rows
// VEC: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1] : vector<1x64xf32> to vector<1xf32>
func.func @negative_long_rows(%x: tensor<4x2048xf32>) -> tensor<4x2048xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %init = linalg.fill ins(%cst : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  %sum = linalg.reduce ins(%x : tensor<4x2048xf32>) outs(%init : tensor<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  %out = tensor.empty() : tensor<4x2048xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %sum : tensor<4x2048xf32>, tensor<4xf32>) outs(%out : tensor<4x2048xf32>) {
  ^bb0(%in: f32, %s: f32, %o: f32):
    %d = arith.divf %in, %s : f32
    linalg.yield %d : f32
  } -> tensor<4x2048xf32>
  return %0 : tensor<4x2048xf32>
}

// -----

// Cache tiles are balanced over the problem: 80 rows in two blocks of 40
// (not 64 + 16), 288 columns in two of 160 (144 rounded up to whole
// register tiles), k = 96 in two tiles of 48.
// TILE-LABEL: func.func @balanced_cache_tiles
// TILE: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (80, 288) step (40, 160)
// TILE: scf.for %{{.*}} = %c0 to %c96 step %c48
func.func @balanced_cache_tiles(%a: tensor<80x96xf32>, %b: tensor<96x288xf32>, %c: tensor<80x288xf32>) -> tensor<80x288xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<80x96xf32>, tensor<96x288xf32>) outs(%c : tensor<80x288xf32>) -> tensor<80x288xf32>
  return %0 : tensor<80x288xf32>
}

// -----

// An elementwise consumer of a batched matmul (attention's scaled scores)
// is the root of a row-wise chain: the batch_matmul is computed one row
// at a time inside the row loop (it has no tiling of its own; left alone
// it would run as plain loops). Keeping matmuls out of row chains made the
// transformer encoder example 8x slower.
// TILE-LABEL: func.func @batch_matmul_scaled
// TILE: scf.forall (%{{.*}}, %{{.*}}) in (4, 16)
// TILE: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<1x1x8xf32>, tensor<1x8x16xf32>) outs(%{{.*}} : tensor<1x1x16xf32>)
// TILE: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1x16xf32>)
// TILE-NOT: linalg.batch_matmul
#scaled = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @batch_matmul_scaled(%q: tensor<4x16x8xf32>, %k: tensor<4x8x16xf32>) -> tensor<4x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %scale = arith.constant 0.35 : f32
  %e = tensor.empty() : tensor<4x16x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16x16xf32>) -> tensor<4x16x16xf32>
  %s = linalg.batch_matmul ins(%q, %k : tensor<4x16x8xf32>, tensor<4x8x16xf32>) outs(%f : tensor<4x16x16xf32>) -> tensor<4x16x16xf32>
  %r = linalg.generic {indexing_maps = [#scaled, #scaled], iterator_types = ["parallel", "parallel", "parallel"]} ins(%s : tensor<4x16x16xf32>) outs(%e : tensor<4x16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %scale : f32
    linalg.yield %m : f32
  } -> tensor<4x16x16xf32>
  return %r : tensor<4x16x16xf32>
}

// -----

// A linear layer at batch 1: the matmul (one row) is not a row-wise chain's
// reduction for its bias (fused into a row loop it would be a 1 x 512 x
// 1024 product left as scalar loops); it keeps its own tiling, with
// register tiles of its one row as wide as accml-vectorize takes (1 x 128:
// each k step streams 128 contiguous floats of B), and the bias is an
// elementwise op tiled into rows of 64.
// TILE-LABEL: func.func @linear_one_row
// TILE: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (1, 1024) step (1, 256)
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x1xf32>, tensor<1x128xf32>) outs(%{{.*}} : tensor<1x128xf32>)
// TILE: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x64xf32>, tensor<64xf32>)
// VEC-LABEL: func.func @linear_one_row
// VEC: vector.contract {{.*}} vector<1x1xf32>, vector<1x128xf32> into vector<1x128xf32>
func.func @linear_one_row(%x: tensor<1x512xf32>, %w: tensor<512x1024xf32>, %b: tensor<1024xf32>) -> tensor<1x1024xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1024xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x1024xf32>) -> tensor<1x1024xf32>
  %mm = linalg.matmul ins(%x, %w : tensor<1x512xf32>, tensor<512x1024xf32>) outs(%acc : tensor<1x1024xf32>) -> tensor<1x1024xf32>
  %out = tensor.empty() : tensor<1x1024xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%mm, %b : tensor<1x1024xf32>, tensor<1024xf32>) outs(%out : tensor<1x1024xf32>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %s = arith.addf %in, %bias : f32
    linalg.yield %s : f32
  } -> tensor<1x1024xf32>
  return %0 : tensor<1x1024xf32>
}

// -----

// softmax as convert-accml-to-linalg writes it (the exponentials once, their
// sum, the division in place, reading the exponentials as an input) on
// rows of 1024: one row loop, inside which
// each op streams through the row in chunks of 64 (four vector registers):
// the maximum and the sum keep a 64-wide partial accumulator merged after
// their loop; the exponentials are written into the row of the result
// (the loop's shared output), summed from there, and divided in place (the
// division reads them through its destination): exp runs once per element
// and no other row buffer exists.
// TILE-LABEL: func.func @softmax_chunked
// TILE: scf.forall (%[[ROW:.*]]) in (2) shared_outs(%[[OUT:.*]] = %{{.*}})
// TILE: %[[MAXACC:.*]] = linalg.fill {{.*}} -> tensor<1x64xf32>
// TILE: %[[MAXP:.*]] = scf.for %{{.*}} = %c0 to %c1024 step %c64 iter_args(%{{.*}} = %[[MAXACC]]) -> (tensor<1x64xf32>)
// TILE: arith.maximumf
// TILE: %[[MAX:.*]] = linalg.reduce ins(%[[MAXP]] : tensor<1x64xf32>)
// TILE: %[[DEST:.*]] = tensor.extract_slice %[[OUT]][%[[ROW]], 0] [1, 1024]
// TILE: %[[EXP:.*]] = scf.for %{{.*}} = %c0 to %c1024 step %c64 iter_args(%{{.*}} = %[[DEST]]) -> (tensor<1x1024xf32>)
// TILE: linalg.generic {{.*}} ins(%{{.*}}, %[[MAX]] : tensor<1x64xf32>, tensor<1xf32>) outs(%{{.*}} : tensor<1x64xf32>)
// TILE: math.exp
// TILE: %[[SUMP:.*]] = scf.for %{{.*}} = %c0 to %c1024 step %c64 iter_args(%{{.*}}) -> (tensor<1x64xf32>)
// TILE: tensor.extract_slice %[[EXP]]
// TILE: %[[SUM:.*]] = linalg.reduce ins(%[[SUMP]] : tensor<1x64xf32>)
// TILE: scf.for %{{.*}} = %c0 to %c1024 step %c64 iter_args(%{{.*}} = %[[EXP]]) -> (tensor<1x1024xf32>)
// TILE: linalg.generic {{.*}} ins(%[[SUM]] : tensor<1xf32>) outs(%{{.*}} : tensor<1x64xf32>)
// TILE-NEXT: ^bb0(%[[S:.*]]: f32, %[[E:.*]]: f32):
// TILE-NEXT: arith.divf %[[E]], %[[S]]
// TILE-NOT: math.exp
// TILE: tensor.parallel_insert_slice
// Vectorised, the pass that sums the exponentials reads back exactly the
// chunk the exp pass has just written: it joins that pass, which sums the
// chunk from registers; the division stays a pass of its own.
// VEC-LABEL: func.func @softmax_chunked
// VEC: %[[MAXP:.*]] = scf.for %
// VEC: vector.multi_reduction <maximumf>, %[[MAXP]]
// VEC: %[[EXP:.*]]:2 = scf.for %[[I:.*]] = %c0 to %c1024 step %c64 iter_args(%[[E:.*]] = %{{.*}}, %[[S:.*]] = %{{.*}}) -> (tensor<1x1024xf32>, vector<1x64xf32>)
// VEC: %[[X:.*]] = math.exp %{{.*}} : vector<1x64xf32>
// VEC-NEXT: %[[W:.*]] = vector.transfer_write %[[X]], %[[E]][%c0, %[[I]]]
// VEC-NEXT: %[[ADD:.*]] = arith.addf %[[S]], %[[X]] : vector<1x64xf32>
// VEC-NEXT: scf.yield %[[W]], %[[ADD]]
// VEC: vector.multi_reduction <add>, %[[EXP]]#1
// VEC: scf.for %{{.*}} = %c0 to %c1024 step %c64 iter_args(%{{.*}} = %[[EXP]]#0)
// VEC: arith.mulf
// VEC-NOT: scf.for %
// VEC: tensor.parallel_insert_slice
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @softmax_chunked(%arg0: tensor<2x1024xf32>) -> tensor<2x1024xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %cst_0 = arith.constant 0xFF800000 : f32
  %0 = tensor.empty() : tensor<2xf32>
  %1 = linalg.fill ins(%cst_0 : f32) outs(%0 : tensor<2xf32>) -> tensor<2xf32>
  %reduced = linalg.reduce ins(%arg0 : tensor<2x1024xf32>) outs(%1 : tensor<2xf32>) dimensions = [1]
    (%in: f32, %init: f32) {
      %7 = arith.maximumf %in, %init : f32
      linalg.yield %7 : f32
    }
  %2 = tensor.empty() : tensor<2x1024xf32>
  %3 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%arg0, %reduced : tensor<2x1024xf32>, tensor<2xf32>) outs(%2 : tensor<2x1024xf32>) {
  ^bb0(%in: f32, %in_1: f32, %out: f32):
    %7 = arith.subf %in, %in_1 : f32
    %8 = math.exp %7 : f32
    linalg.yield %8 : f32
  } -> tensor<2x1024xf32>
  %4 = linalg.fill ins(%cst : f32) outs(%0 : tensor<2xf32>) -> tensor<2xf32>
  %5 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%3 : tensor<2x1024xf32>) outs(%4 : tensor<2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %7 = arith.addf %out, %in : f32
    linalg.yield %7 : f32
  } -> tensor<2xf32>
  %6 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%3, %5 : tensor<2x1024xf32>, tensor<2xf32>) outs(%3 : tensor<2x1024xf32>) {
  ^bb0(%e: f32, %in: f32, %out: f32):
    %7 = arith.divf %e, %in : f32
    linalg.yield %7 : f32
  } -> tensor<2x1024xf32>
  return %6 : tensor<2x1024xf32>
}


// -----

// A first pass that writes the same place in every iteration (only its
// last chunk remains) is not joined either.
// VEC-LABEL: func.func @negative_row_passes_fixed
// VEC: %[[W:.*]] = scf.for %
// VEC: vector.transfer_write
// VEC: %[[R:.*]] = vector.transfer_read %[[W]][%c0]
// VEC: scf.for {{.*}} -> (vector<16xf32>)
// VEC-NEXT: arith.addf %{{.*}}, %[[R]]
func.func @negative_row_passes_fixed(%x: tensor<64xf32>, %out: tensor<16xf32>) -> (tensor<16xf32>, vector<16xf32>) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<16xf32>
  %0 = scf.for %i = %c0 to %c64 step %c16 iter_args(%o = %out) -> (tensor<16xf32>) {
    %v = vector.transfer_read %x[%i], %pad {in_bounds = [true]} : tensor<64xf32>, vector<16xf32>
    %w = vector.transfer_write %v, %o[%c0] {in_bounds = [true]} : vector<16xf32>, tensor<16xf32>
    scf.yield %w : tensor<16xf32>
  }
  %1 = scf.for %i = %c0 to %c64 step %c16 iter_args(%acc = %zero) -> (vector<16xf32>) {
    %v = vector.transfer_read %0[%c0], %pad {in_bounds = [true]} : tensor<16xf32>, vector<16xf32>
    %s = arith.addf %acc, %v : vector<16xf32>
    scf.yield %s : vector<16xf32>
  }
  return %0, %1 : tensor<16xf32>, vector<16xf32>
}

// -----

// Passes are not joined when the second reads other elements than the
// first has just written (here the next chunk's).
// VEC-LABEL: func.func @negative_row_passes
// VEC: %[[W:.*]] = scf.for %
// VEC: vector.transfer_write
// VEC: scf.for {{.*}} -> (vector<64xf32>)
// VEC: vector.transfer_read %[[W]]
func.func @negative_row_passes(%x: tensor<1024xf32>, %out: tensor<1024xf32>) -> (tensor<1024xf32>, vector<64xf32>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c960 = arith.constant 960 : index
  %pad = arith.constant 0.0 : f32
  %zero = arith.constant dense<0.0> : vector<64xf32>
  %0 = scf.for %i = %c0 to %c960 step %c64 iter_args(%o = %out) -> (tensor<1024xf32>) {
    %v = vector.transfer_read %x[%i], %pad {in_bounds = [true]} : tensor<1024xf32>, vector<64xf32>
    %e = math.exp %v : vector<64xf32>
    %w = vector.transfer_write %e, %o[%i] {in_bounds = [true]} : vector<64xf32>, tensor<1024xf32>
    scf.yield %w : tensor<1024xf32>
  }
  %1 = scf.for %i = %c0 to %c960 step %c64 iter_args(%acc = %zero) -> (vector<64xf32>) {
    %next = arith.addi %i, %c64 : index
    %v = vector.transfer_read %0[%next], %pad {in_bounds = [true]} : tensor<1024xf32>, vector<64xf32>
    %s = arith.addf %acc, %v : vector<64xf32>
    scf.yield %s : vector<64xf32>
  }
  return %0, %1 : tensor<1024xf32>, vector<64xf32>
}

// -----

// Register tiles that accumulate into a zero-filled block: the tile loops
// (i, j) index distinct tiles, the outer reduction loop (k0) does not, so
// its first iteration is peeled and there each tile's accumulators start
// from the fill's value instead of a read of the block. The tiles cover the
// block, so the fill goes: the first pass writes into the fill's
// destination. The later passes read what the earlier ones wrote.
// VEC-LABEL: func.func @first_pass
// VEC-SAME: (%[[INIT:[^:]*]]: tensor<4x8x16xf32>
// VEC-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// VEC-NOT: linalg.fill
// VEC: %[[FIRST:.*]] = scf.for %[[I:.*]] = %c0 to %c4 step %c1 iter_args(%[[T:.*]] = %[[INIT]])
// VEC: scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args(%{{.*}} = %[[ZERO]]) -> (vector<16xf32>)
// VEC: scf.for %{{.*}} = %c16 to %c64 step %c16 iter_args(%{{.*}} = %[[FIRST]])
// VEC: %[[ACC:.*]] = vector.transfer_read
// VEC-NEXT: scf.for %{{.*}} iter_args(%{{.*}} = %[[ACC]])
func.func @first_pass(%init: tensor<4x8x16xf32>, %a: tensor<64x16xf32>) -> tensor<4x8x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  %fill = linalg.fill ins(%zero : f32) outs(%init : tensor<4x8x16xf32>) -> tensor<4x8x16xf32>
  %r = scf.for %k0 = %c0 to %c64 step %c16 iter_args(%t = %fill) -> (tensor<4x8x16xf32>) {
    %r1 = scf.for %i = %c0 to %c4 step %c1 iter_args(%t1 = %t) -> (tensor<4x8x16xf32>) {
      %r2 = scf.for %j = %c0 to %c8 step %c1 iter_args(%t2 = %t1) -> (tensor<4x8x16xf32>) {
        %acc = vector.transfer_read %t2[%i, %j, %c0], %zero {in_bounds = [true]} : tensor<4x8x16xf32>, vector<16xf32>
        %s = scf.for %k = %c0 to %c16 step %c1 iter_args(%v = %acc) -> (vector<16xf32>) {
          %row = arith.addi %k0, %k : index
          %x = vector.transfer_read %a[%row, %c0], %zero {in_bounds = [true]} : tensor<64x16xf32>, vector<16xf32>
          %y = arith.addf %v, %x : vector<16xf32>
          scf.yield %y : vector<16xf32>
        }
        %w = vector.transfer_write %s, %t2[%i, %j, %c0] {in_bounds = [true]} : vector<16xf32>, tensor<4x8x16xf32>
        scf.yield %w : tensor<4x8x16xf32>
      }
      scf.yield %r2 : tensor<4x8x16xf32>
    }
    scf.yield %r1 : tensor<4x8x16xf32>
  }
  return %r : tensor<4x8x16xf32>
}

// -----

// Tiles that do not cover the block (every other column of tiles): the
// first pass still starts from zero, but the fill stays (the other tiles
// keep its value).
// VEC-LABEL: func.func @first_pass_partial
// VEC: %[[FILL:.*]] = linalg.fill
// VEC: scf.for %{{.*}} = %c0 to %c4 step %c1 iter_args(%{{.*}} = %[[FILL]])
// VEC-NOT: vector.transfer_read %{{.*}} : tensor<4x8x16xf32>
// VEC: scf.for %{{.*}} = %c16 to %c64 step %c16
func.func @first_pass_partial(%init: tensor<4x8x16xf32>, %a: tensor<64x16xf32>) -> tensor<4x8x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  %fill = linalg.fill ins(%zero : f32) outs(%init : tensor<4x8x16xf32>) -> tensor<4x8x16xf32>
  %r = scf.for %k0 = %c0 to %c64 step %c16 iter_args(%t = %fill) -> (tensor<4x8x16xf32>) {
    %r1 = scf.for %i = %c0 to %c4 step %c1 iter_args(%t1 = %t) -> (tensor<4x8x16xf32>) {
      %r2 = scf.for %j = %c0 to %c8 step %c4 iter_args(%t2 = %t1) -> (tensor<4x8x16xf32>) {
        %acc = vector.transfer_read %t2[%i, %j, %c0], %zero {in_bounds = [true]} : tensor<4x8x16xf32>, vector<16xf32>
        %s = scf.for %k = %c0 to %c16 step %c1 iter_args(%v = %acc) -> (vector<16xf32>) {
          %row = arith.addi %k0, %k : index
          %x = vector.transfer_read %a[%row, %c0], %zero {in_bounds = [true]} : tensor<64x16xf32>, vector<16xf32>
          %y = arith.addf %v, %x : vector<16xf32>
          scf.yield %y : vector<16xf32>
        }
        %w = vector.transfer_write %s, %t2[%i, %j, %c0] {in_bounds = [true]} : vector<16xf32>, tensor<4x8x16xf32>
        scf.yield %w : tensor<4x8x16xf32>
      }
      scf.yield %r2 : tensor<4x8x16xf32>
    }
    scf.yield %r1 : tensor<4x8x16xf32>
  }
  return %r : tensor<4x8x16xf32>
}

// -----

// Tiles at a computed index (i / 2: two iterations of i share a tile) are
// not known to be distinct: nothing changes.
// VEC-LABEL: func.func @negative_first_pass
// VEC: %[[FILL:.*]] = linalg.fill
// VEC: scf.for %{{.*}} = %c0 to %c64 step %c16 iter_args(%{{.*}} = %[[FILL]])
// VEC: vector.transfer_read %{{.*}} : tensor<4x8x16xf32>, vector<16xf32>
func.func @negative_first_pass(%init: tensor<4x8x16xf32>, %a: tensor<64x16xf32>) -> tensor<4x8x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  %fill = linalg.fill ins(%zero : f32) outs(%init : tensor<4x8x16xf32>) -> tensor<4x8x16xf32>
  %r = scf.for %k0 = %c0 to %c64 step %c16 iter_args(%t = %fill) -> (tensor<4x8x16xf32>) {
    %r1 = scf.for %i = %c0 to %c4 step %c1 iter_args(%t1 = %t) -> (tensor<4x8x16xf32>) {
      %r2 = scf.for %j = %c0 to %c8 step %c1 iter_args(%t2 = %t1) -> (tensor<4x8x16xf32>) {
        %half = arith.divui %i, %c2 : index
        %acc = vector.transfer_read %t2[%half, %j, %c0], %zero {in_bounds = [true]} : tensor<4x8x16xf32>, vector<16xf32>
        %s = scf.for %k = %c0 to %c16 step %c1 iter_args(%v = %acc) -> (vector<16xf32>) {
          %row = arith.addi %k0, %k : index
          %x = vector.transfer_read %a[%row, %c0], %zero {in_bounds = [true]} : tensor<64x16xf32>, vector<16xf32>
          %y = arith.addf %v, %x : vector<16xf32>
          scf.yield %y : vector<16xf32>
        }
        %w = vector.transfer_write %s, %t2[%half, %j, %c0] {in_bounds = [true]} : vector<16xf32>, tensor<4x8x16xf32>
        scf.yield %w : tensor<4x8x16xf32>
      }
      scf.yield %r2 : tensor<4x8x16xf32>
    }
    scf.yield %r1 : tensor<4x8x16xf32>
  }
  return %r : tensor<4x8x16xf32>
}

// -----

// Elementwise ops over NCHW images whose rows (7) are not whole registers
// run on whole images: H x W collapses into rows of 49 (an scf.forall over
// images, 16-lane pieces and a peeled remainder), where rows of 7 were too
// short to vectorise. A slice operand (a strided view) keeps the rows.
// TILE-LABEL: func.func @short_rows
// TILE: %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<2x8x7x7xf32> into tensor<2x8x49xf32>
// TILE: scf.forall (%{{.*}}, %{{.*}}) in (2, 8)
// TILE: scf.for %{{.*}} = %c0 to %c48 step %c16
// TILE: linalg.generic
// TILE: tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] output_shape [2, 8, 7, 7]
// VEC-LABEL: func.func @short_rows
// VEC: vector.transfer_read {{.*}} : tensor<2x8x49xf32>, vector<1x1x16xf32>
// TILE-LABEL: func.func @negative_short_rows_slice
// TILE-NOT: tensor.collapse_shape
// TILE: return
#nchw = affine_map<(n, c, y, x) -> (n, c, y, x)>
#chan = affine_map<(n, c, y, x) -> (c)>
func.func @short_rows(%x: tensor<2x8x7x7xf32>, %b: tensor<8xf32>) -> tensor<2x8x7x7xf32> {
  %e = tensor.empty() : tensor<2x8x7x7xf32>
  %0 = linalg.generic {indexing_maps = [#nchw, #chan, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x, %b : tensor<2x8x7x7xf32>, tensor<8xf32>) outs(%e : tensor<2x8x7x7xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    %r = arith.maximumf %s, %bias : f32
    linalg.yield %r : f32
  } -> tensor<2x8x7x7xf32>
  return %0 : tensor<2x8x7x7xf32>
}
func.func @negative_short_rows_slice(%x: tensor<2x8x9x9xf32>, %b: tensor<8xf32>) -> tensor<2x8x7x7xf32> {
  %e = tensor.empty() : tensor<2x8x7x7xf32>
  %v = tensor.extract_slice %x[0, 0, 1, 1] [2, 8, 7, 7] [1, 1, 1, 1] : tensor<2x8x9x9xf32> to tensor<2x8x7x7xf32>
  %0 = linalg.generic {indexing_maps = [#nchw, #chan, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%v, %b : tensor<2x8x7x7xf32>, tensor<8xf32>) outs(%e : tensor<2x8x7x7xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    linalg.yield %s : f32
  } -> tensor<2x8x7x7xf32>
  return %0 : tensor<2x8x7x7xf32>
}

// -----

// parallel-blocks: the cache model's single 128 x 256 row block and three
// column blocks would give 2 threads 3 blocks; the blocks are split until
// there are 8. The columns are split (that re-reads A, 128 x 768, which is
// smaller than B, 768 x 768): 6 blocks of 128 columns, then 12 of 64.
// PAR-LABEL: func.func @matmul_for_threads
// PAR: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (128, 768) step (128, 64)
func.func @matmul_for_threads(%a: tensor<128x768xf32>, %b: tensor<768x768xf32>, %c: tensor<128x768xf32>) -> tensor<128x768xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<128x768xf32>, tensor<768x768xf32>) outs(%c : tensor<128x768xf32>) -> tensor<128x768xf32>
  return %0 : tensor<128x768xf32>
}

// -----

// The zero fill of the result moves into the parallel blocks: each block
// zeroes its own slice of the (unfilled) result, on the thread that then
// accumulates into it, rather than one thread zeroing the whole result
// first. Vectorised, the first k step is peeled and its register tiles
// start from zero: the fill is gone.
// PAR-LABEL: func.func @fill_in_blocks
// PAR-NOT: linalg.fill
// PAR: %[[E:.*]] = tensor.empty() : tensor<256x256xf32>
// PAR-NOT: linalg.fill
// PAR: scf.forall (%[[I:.*]], %[[J:.*]]) = (0, 0) to (256, 256) step (256, 32) shared_outs(%[[OUT:.*]] = %[[E]])
// PAR: %[[BLOCK:.*]] = tensor.extract_slice %[[OUT]][%[[I]], %[[J]]] [256, 32] [1, 1]
// PAR: linalg.fill ins(%{{.*}} : f32) outs(%[[BLOCK]] : tensor<256x32xf32>)
// PAR: linalg.matmul
// VEC-LABEL: func.func @fill_in_blocks
// VEC: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8x32xf32>
// VEC-NOT: dense<0.000000e+00>
// VEC-NOT: linalg.fill
// VEC: %[[E:.*]] = tensor.empty() : tensor<256x256xf32>
// VEC-NOT: linalg.fill
// VEC: scf.forall {{.*}} shared_outs(%{{.*}} = %[[E]])
// VEC-NOT: linalg.fill
// VEC-NOT: vector.transfer_write %[[ZERO]]
// VEC: scf.for %{{.*}} = %c0 to %c64 step %c4 iter_args(%{{.*}} = %[[ZERO]]) -> (vector<8x32xf32>)
// VEC-NOT: linalg.fill
// VEC-NOT: vector.transfer_write %[[ZERO]]
// VEC: scf.for %{{.*}} = %c64 to %c256 step %c64
// VEC-NOT: linalg.fill
// VEC-NOT: vector.transfer_write %[[ZERO]]
// VEC: return
func.func @fill_in_blocks(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<256x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%empty : tensor<256x256xf32>) -> tensor<256x256xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %0 : tensor<256x256xf32>
}

// -----

// A fill that two matmuls start from stays where it is, whole.
// PAR-LABEL: func.func @fill_shared
// PAR: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<256x256xf32>)
// PAR: scf.forall {{.*}} shared_outs(%{{.*}} = %[[F]])
// PAR: scf.forall {{.*}} shared_outs(%{{.*}} = %[[F]])
func.func @fill_shared(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> (tensor<256x256xf32>, tensor<256x256xf32>) {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<256x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%empty : tensor<256x256xf32>) -> tensor<256x256xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  %1 = linalg.matmul ins(%b, %a : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %0, %1 : tensor<256x256xf32>, tensor<256x256xf32>
}

// -----

// A strided copy (odd columns: out[i][j] = in[i][2j + 1], as space-to-depth
// makes): each row of 64 reads the contiguous span it covers (128 floats
// from column 0) and picks every second element from 1 with one
// vector.shuffle, instead of a scalar loop.
// VEC-LABEL: func.func @strided_copy
// VEC: %[[SPAN:.*]] = vector.transfer_read %{{.*}}[%{{.*}}, %c0], %{{.*}} {in_bounds = [true]} : tensor<4x128xf32>, vector<128xf32>
// VEC: %[[PICK:.*]] = vector.shuffle %[[SPAN]], %[[SPAN]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31, 33, 35, 37, 39, 41, 43, 45, 47, 49, 51, 53, 55, 57, 59, 61, 63, 65, 67, 69, 71, 73, 75, 77, 79, 81, 83, 85, 87, 89, 91, 93, 95, 97, 99, 101, 103, 105, 107, 109, 111, 113, 115, 117, 119, 121, 123, 125, 127] : vector<128xf32>, vector<128xf32>
// VEC: %[[ROW:.*]] = vector.shape_cast %[[PICK]] : vector<64xf32> to vector<1x64xf32>
// VEC: vector.transfer_write %[[ROW]]
func.func @strided_copy(%in: tensor<4x128xf32>) -> tensor<4x64xf32> {
  %e = tensor.empty() : tensor<4x64xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1 * 2 + 1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%in : tensor<4x128xf32>) outs(%e : tensor<4x64xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<4x64xf32>
  return %0 : tensor<4x64xf32>
}

// -----

// Row-wise roots are tiled in order: A (x / its row sums) gets its own row
// loop; B reads A transposed (another row structure), so fusing A into B's
// loop - as taking consumers first did - would recompute A's row sums for
// every row of B. Only a root that another root normalises by its own
// statistics (softmax_chunked above) waits for that root.
// TILE-LABEL: func.func @roots_in_order
// TILE: scf.forall
// TILE: arith.divf
// TILE: scf.forall
// TILE-NOT: arith.divf
// TILE: return
#rio_id = affine_map<(d0, d1) -> (d0, d1)>
#rio_row = affine_map<(d0, d1) -> (d0)>
#rio_t = affine_map<(d0, d1) -> (d1, d0)>
func.func @roots_in_order(%x: tensor<16x32xf32>, %y: tensor<32x16xf32>) -> tensor<32x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e8 = tensor.empty() : tensor<16xf32>
  %z8 = linalg.fill ins(%zero : f32) outs(%e8 : tensor<16xf32>) -> tensor<16xf32>
  %s = linalg.generic {indexing_maps = [#rio_id, #rio_row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<16x32xf32>) outs(%z8 : tensor<16xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %acc, %in : f32
    linalg.yield %r : f32
  } -> tensor<16xf32>
  %ea = tensor.empty() : tensor<16x32xf32>
  %a = linalg.generic {indexing_maps = [#rio_id, #rio_row, #rio_id], iterator_types = ["parallel", "parallel"]} ins(%x, %s : tensor<16x32xf32>, tensor<16xf32>) outs(%ea : tensor<16x32xf32>) {
  ^bb0(%in: f32, %sum: f32, %o: f32):
    %r = arith.divf %in, %sum : f32
    linalg.yield %r : f32
  } -> tensor<16x32xf32>
  %e16 = tensor.empty() : tensor<32xf32>
  %z16 = linalg.fill ins(%zero : f32) outs(%e16 : tensor<32xf32>) -> tensor<32xf32>
  %t = linalg.generic {indexing_maps = [#rio_id, #rio_row], iterator_types = ["parallel", "reduction"]} ins(%y : tensor<32x16xf32>) outs(%z16 : tensor<32xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %r = arith.addf %acc, %in : f32
    linalg.yield %r : f32
  } -> tensor<32xf32>
  %eb = tensor.empty() : tensor<32x16xf32>
  %b = linalg.generic {indexing_maps = [#rio_t, #rio_row, #rio_id], iterator_types = ["parallel", "parallel"]} ins(%a, %t : tensor<16x32xf32>, tensor<32xf32>) outs(%eb : tensor<32x16xf32>) {
  ^bb0(%in: f32, %sum: f32, %o: f32):
    %r = arith.addf %in, %sum : f32
    linalg.yield %r : f32
  } -> tensor<32x16xf32>
  return %b : tensor<32x16xf32>
}

// -----

// A reduction over rows of a matmul's result: the matmul keeps its own
// cache and register tiles (8 x 32 register tiles), it is not fused into
// the row loop as a 1 x 64 x 64 product (which stayed scalar; a global
// average pool's row loop fused ResNet-18's whole last stage that way).
// TILE-LABEL: func.func @row_sum_of_matmul
// TILE: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (64, 64) step (64, 64)
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<8x32xf32>)
// TILE: scf.forall (%{{.*}}) in (64)
// TILE-NOT: linalg.matmul
// TILE: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x64xf32>) outs(%{{.*}} : tensor<1xf32>)
// TILE: return
func.func @row_sum_of_matmul(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>) -> tensor<64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x64xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64x64xf32>) -> tensor<64x64xf32>
  %m = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>) outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  %e1 = tensor.empty() : tensor<64xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%m : tensor<64x64xf32>) outs(%z : tensor<64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  return %r : tensor<64xf32>
}

// -----

// Short rows of an elementwise op that cannot run on whole images (a
// strided view: a 1x1/2 convolution's subsampling copy): single-threaded,
// one row per iteration; threaded (parallel-blocks=8), a parallel
// iteration takes 14 rows of a channel (half the image's rows at most;
// 392 elements, at most 1024, and 128 iterations, at least 16), one row at
// a time inside, the groups of rows outside the channels: a thread's
// contiguous share of the iterations is a band of rows of every channel.
// TILE-LABEL: func.func @short_rows_threaded
// TILE: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 64, 28)
// PAR-LABEL: func.func @short_rows_threaded
// PAR: scf.forall (%[[N:.*]], %[[ROWS:.*]], %[[CHANNEL:.*]]) = (0, 0, 0) to (1, 28, 64) step (1, 14, 1)
// PAR: tensor.extract_slice %{{.*}}[%[[N]], %[[CHANNEL]], %[[ROWS]], 0] [1, 1, 14, 28]
// PAR: scf.for %{{.*}} = %c0 to %c14 step %c1
// PAR: scf.for %{{.*}} = %c0 to %c16 step %c16
// PAR: linalg.generic
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @short_rows_threaded(%x: tensor<1x64x56x56xf32>) -> tensor<1x64x28x28xf32> {
  %s = tensor.extract_slice %x[0, 0, 0, 0] [1, 64, 28, 28] [1, 1, 2, 2] : tensor<1x64x56x56xf32> to tensor<1x64x28x28xf32>
  %e = tensor.empty() : tensor<1x64x28x28xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s : tensor<1x64x28x28xf32>) outs(%e : tensor<1x64x28x28xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x64x28x28xf32>
  return %r : tensor<1x64x28x28xf32>
}

// -----

// An image of 13 rows (no divisor up to half of them): a parallel
// iteration keeps the whole 13 x 28 image of a channel, not single rows.
// PAR-LABEL: func.func @short_rows_prime
// PAR: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 64, 13) step (1, 1, 13)
// PAR: scf.for %{{.*}} = %c0 to %c13 step %c1
#id13 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @short_rows_prime(%x: tensor<1x64x26x56xf32>) -> tensor<1x64x13x28xf32> {
  %s = tensor.extract_slice %x[0, 0, 0, 0] [1, 64, 13, 28] [1, 1, 2, 2] : tensor<1x64x26x56xf32> to tensor<1x64x13x28xf32>
  %e = tensor.empty() : tensor<1x64x13x28xf32>
  %r = linalg.generic {indexing_maps = [#id13, #id13], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%s : tensor<1x64x13x28xf32>) outs(%e : tensor<1x64x13x28xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x64x13x28xf32>
  return %r : tensor<1x64x13x28xf32>
}

// -----

// layer_norm as convert-accml-to-linalg writes it: the mean (the row sum
// divided by the row length) is a one-element generic once the chain is
// tiled by rows; vectorised as vector<1xf32>, it folds into the transfers
// around it, so that no tensor (after bufferization: no heap buffer per
// row) holds it.
// VEC-LABEL: func.func @layer_norm_rows
// VEC: scf.forall
// VEC: %[[SUM:.*]] = vector.multi_reduction <add>, %{{.*}} [1] : vector<1x64xf32> to vector<1xf32>
// VEC-NEXT: %[[MEAN:.*]] = arith.divf %[[SUM]], %{{.*}} : vector<1xf32>
// VEC-NEXT: vector.broadcast %[[MEAN]] : vector<1xf32> to vector<1x64xf32>
// VEC-NOT: linalg.generic
// VEC: scf.forall.in_parallel
#ln_1 = affine_map<(d0) -> (d0)>
#ln_id = affine_map<(d0, d1) -> (d0, d1)>
#ln_row = affine_map<(d0, d1) -> (d0)>
#ln_col = affine_map<(d0, d1) -> (d1)>
func.func @layer_norm_rows(%arg0: tensor<4x256xf32>, %arg1: tensor<256xf32>) -> tensor<4x256xf32> {
  %cst = arith.constant 9.99999974E-6 : f32
  %cst_0 = arith.constant 0.000000e+00 : f32
  %cst_1 = arith.constant 2.560000e+02 : f32
  %0 = tensor.empty() : tensor<4xf32>
  %1 = linalg.fill ins(%cst_0 : f32) outs(%0 : tensor<4xf32>) -> tensor<4xf32>
  %reduced = linalg.reduce ins(%arg0 : tensor<4x256xf32>) outs(%1 : tensor<4xf32>) dimensions = [1]
    (%in: f32, %init: f32) {
      %9 = arith.addf %in, %init : f32
      linalg.yield %9 : f32
    }
  %2 = tensor.empty() : tensor<4xf32>
  %3 = linalg.generic {indexing_maps = [#ln_1, #ln_1], iterator_types = ["parallel"]} ins(%reduced : tensor<4xf32>) outs(%2 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %9 = arith.divf %in, %cst_1 : f32
    linalg.yield %9 : f32
  } -> tensor<4xf32>
  %4 = tensor.empty() : tensor<4xf32>
  %5 = linalg.fill ins(%cst_0 : f32) outs(%4 : tensor<4xf32>) -> tensor<4xf32>
  %6 = linalg.generic {indexing_maps = [#ln_id, #ln_row, #ln_row], iterator_types = ["parallel", "reduction"]} ins(%arg0, %3 : tensor<4x256xf32>, tensor<4xf32>) outs(%5 : tensor<4xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %9 = arith.subf %in, %in_2 : f32
    %10 = arith.mulf %9, %9 fastmath<contract> : f32
    %11 = arith.addf %out, %10 fastmath<contract> : f32
    linalg.yield %11 : f32
  } -> tensor<4xf32>
  %7 = tensor.empty() : tensor<4x256xf32>
  %8 = linalg.generic {indexing_maps = [#ln_id, #ln_row, #ln_row, #ln_col, #ln_col, #ln_id], iterator_types = ["parallel", "parallel"]} ins(%arg0, %3, %6, %arg1, %arg1 : tensor<4x256xf32>, tensor<4xf32>, tensor<4xf32>, tensor<256xf32>, tensor<256xf32>) outs(%7 : tensor<4x256xf32>) {
  ^bb0(%in: f32, %in_2: f32, %in_3: f32, %in_4: f32, %in_5: f32, %out: f32):
    %9 = arith.divf %in_3, %cst_1 : f32
    %10 = arith.addf %9, %cst : f32
    %11 = math.rsqrt %10 : f32
    %12 = arith.subf %in, %in_2 : f32
    %13 = arith.mulf %12, %11 : f32
    %14 = arith.mulf %13, %in_4 fastmath<contract> : f32
    %15 = arith.addf %14, %in_5 fastmath<contract> : f32
    linalg.yield %15 : f32
  } -> tensor<4x256xf32>
  return %8 : tensor<4x256xf32>
}


// -----

// The same with f32 statistics as convert-accml-to-linalg writes them (k
// = the median of the row's first, middle and last elements, s1 = sum(x -
// k), s2 = sum((x - k)^2)): k's one-element generic becomes vector<1xf32>
// ops on three element reads, the two reductions read the same row
// independently, and their passes fuse into one loop carrying both
// accumulators; the horizontal reduction of the first moves after it.
// VEC-LABEL: func.func @layer_norm_rows_f32
// VEC: scf.forall
// VEC-COUNT-3: vector.transfer_read %{{.*}} : tensor<4x256xf32>, vector<1xf32>
// VEC-NEXT: arith.minimumf %{{.*}}, %{{.*}} : vector<1xf32>
// VEC-NEXT: arith.maximumf
// VEC-NEXT: arith.minimumf
// VEC-NEXT: %[[MED:.*]] = arith.maximumf
// VEC-NEXT: %[[K:.*]] = vector.broadcast %[[MED]] : vector<1xf32> to vector<1x64xf32>
// VEC-NEXT: %[[SUMS:.*]]:2 = scf.for %{{.*}} iter_args(%[[A1:.*]] = %{{.*}}, %[[A2:.*]] = %{{.*}}) -> (vector<1x64xf32>, vector<1x64xf32>)
// VEC-NEXT: %[[X:.*]] = vector.transfer_read
// VEC-NEXT: %[[D:.*]] = arith.subf %[[X]], %[[K]]
// VEC-NEXT: %[[S1:.*]] = arith.addf %[[A1]], %[[D]] fastmath<contract>
// VEC-NEXT: %[[SQ:.*]] = arith.mulf %[[D]], %[[D]] fastmath<contract>
// VEC-NEXT: %[[S2:.*]] = arith.addf %[[A2]], %[[SQ]] fastmath<contract>
// VEC-NEXT: scf.yield %[[S1]], %[[S2]]
// VEC: vector.multi_reduction <add>, %[[SUMS]]#0
// VEC-NEXT: vector.multi_reduction <add>, %[[SUMS]]#1
// VEC: scf.for
// VEC-NOT: scf.for
// VEC-NOT: linalg.generic
// VEC: scf.forall.in_parallel
#lns_map = affine_map<(d0) -> (d0)>
#lns_map1 = affine_map<(d0, d1) -> (d0, d1)>
#lns_map2 = affine_map<(d0, d1) -> (d0)>
#lns_map3 = affine_map<(d0, d1) -> (d1)>
func.func @layer_norm_rows_f32(%arg0: tensor<4x256xf32>, %arg1: tensor<256xf32>) -> tensor<4x256xf32> {
  %cst = arith.constant 9.99999974E-6 : f32
  %cst_0 = arith.constant 0.000000e+00 : f32
  %cst_1 = arith.constant 2.560000e+02 : f32
  %extracted_slice = tensor.extract_slice %arg0[0, 0] [4, 1] [1, 1] : tensor<4x256xf32> to tensor<4xf32>
  %extracted_slice_2 = tensor.extract_slice %arg0[0, 128] [4, 1] [1, 1] : tensor<4x256xf32> to tensor<4xf32>
  %extracted_slice_3 = tensor.extract_slice %arg0[0, 255] [4, 1] [1, 1] : tensor<4x256xf32> to tensor<4xf32>
  %0 = tensor.empty() : tensor<4xf32>
  %1 = linalg.generic {indexing_maps = [#lns_map, #lns_map, #lns_map, #lns_map], iterator_types = ["parallel"]} ins(%extracted_slice, %extracted_slice_2, %extracted_slice_3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) outs(%0 : tensor<4xf32>) {
  ^bb0(%in: f32, %in_4: f32, %in_5: f32, %out: f32):
    %10 = arith.minimumf %in, %in_4 : f32
    %11 = arith.maximumf %in, %in_4 : f32
    %12 = arith.minimumf %11, %in_5 : f32
    %13 = arith.maximumf %10, %12 : f32
    linalg.yield %13 : f32
  } -> tensor<4xf32>
  %2 = tensor.empty() : tensor<4xf32>
  %3 = linalg.fill ins(%cst_0 : f32) outs(%2 : tensor<4xf32>) -> tensor<4xf32>
  %4 = linalg.generic {indexing_maps = [#lns_map1, #lns_map2, #lns_map2], iterator_types = ["parallel", "reduction"]} ins(%arg0, %1 : tensor<4x256xf32>, tensor<4xf32>) outs(%3 : tensor<4xf32>) {
  ^bb0(%in: f32, %in_4: f32, %out: f32):
    %10 = arith.subf %in, %in_4 : f32
    %11 = arith.addf %out, %10 fastmath<contract> : f32
    linalg.yield %11 : f32
  } -> tensor<4xf32>
  %5 = tensor.empty() : tensor<4xf32>
  %6 = linalg.fill ins(%cst_0 : f32) outs(%5 : tensor<4xf32>) -> tensor<4xf32>
  %7 = linalg.generic {indexing_maps = [#lns_map1, #lns_map2, #lns_map2], iterator_types = ["parallel", "reduction"]} ins(%arg0, %1 : tensor<4x256xf32>, tensor<4xf32>) outs(%6 : tensor<4xf32>) {
  ^bb0(%in: f32, %in_4: f32, %out: f32):
    %10 = arith.subf %in, %in_4 : f32
    %11 = arith.mulf %10, %10 fastmath<contract> : f32
    %12 = arith.addf %out, %11 fastmath<contract> : f32
    linalg.yield %12 : f32
  } -> tensor<4xf32>
  %8 = tensor.empty() : tensor<4x256xf32>
  %9 = linalg.generic {indexing_maps = [#lns_map1, #lns_map2, #lns_map2, #lns_map2, #lns_map3, #lns_map3, #lns_map1], iterator_types = ["parallel", "parallel"]} ins(%arg0, %1, %4, %7, %arg1, %arg1 : tensor<4x256xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<256xf32>, tensor<256xf32>) outs(%8 : tensor<4x256xf32>) {
  ^bb0(%in: f32, %in_4: f32, %in_5: f32, %in_6: f32, %in_7: f32, %in_8: f32, %out: f32):
    %10 = arith.divf %in_6, %cst_1 : f32
    %11 = arith.divf %in_5, %cst_1 : f32
    %12 = arith.addf %in_4, %11 : f32
    %13 = arith.mulf %11, %11 : f32
    %14 = arith.subf %10, %13 : f32
    %15 = arith.maximumf %14, %cst_0 : f32
    %16 = arith.addf %15, %cst : f32
    %17 = math.rsqrt %16 : f32
    %18 = arith.subf %in, %12 : f32
    %19 = arith.mulf %18, %17 : f32
    %20 = arith.mulf %19, %in_7 fastmath<contract> : f32
    %21 = arith.addf %20, %in_8 fastmath<contract> : f32
    linalg.yield %21 : f32
  } -> tensor<4x256xf32>
  return %9 : tensor<4x256xf32>
}
