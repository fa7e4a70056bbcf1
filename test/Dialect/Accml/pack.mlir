// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack))' | FileCheck %s
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{panel-width=16 min-rows=1}))' | FileCheck %s --check-prefix=OPTS
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack,accml-tile-and-fuse),canonicalize)' | FileCheck %s --check-prefix=TILE
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack,accml-tile-and-fuse{parallel-blocks=8}),canonicalize)' | FileCheck %s --check-prefix=PAR
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{panel-width=2 min-rows=1}))' | FileCheck %s --check-prefix=CONST
// RUN: not accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{panel-width=0}))' 2>&1 | FileCheck %s --check-prefix=ERROR
// RUN: not accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{filter-block=0}))' 2>&1 | FileCheck %s --check-prefix=BLOCK
// RUN: not accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{channels-last-width=-1}))' 2>&1 | FileCheck %s --check-prefix=WIDTH

// B (128 x 96) is copied into three panels of 32 columns, k-major
// (3 x 128 x 32); the contraction reads A, the panels, and C viewed as
// 64 x 3 x 32, and its result is collapsed back to 64 x 96.
// CHECK-DAG: #[[PANEL:.*]] = affine_map<(d0, d1, d2) -> (d1, d0, d2)>
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
// CHECK-DAG: #[[BP:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[LHS:.*]]: tensor<64x128xf32>, %[[RHS:.*]]: tensor<128x96xf32>, %[[ACC:.*]]: tensor<64x96xf32>)
// CHECK: %[[ROWS:.*]] = tensor.expand_shape %[[RHS]] {{\[}}[0], [1, 2]] output_shape [128, 3, 32]
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<3x128x32xf32>
// CHECK: %[[PANELS:.*]] = linalg.generic {indexing_maps = [#[[PANEL]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[ROWS]] : tensor<128x3x32xf32>) outs(%[[EMPTY]] : tensor<3x128x32xf32>)
// CHECK: %[[C3:.*]] = tensor.expand_shape %[[ACC]] {{\[}}[0], [1, 2]] output_shape [64, 3, 32]
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[BP]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[LHS]], %[[PANELS]] : tensor<64x128xf32>, tensor<3x128x32xf32>) outs(%[[C3]] : tensor<64x3x32xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[R2:.*]] = tensor.collapse_shape %[[R]] {{\[}}[0], [1, 2]] : tensor<64x3x32xf32> into tensor<64x96xf32>
// CHECK: return %[[R2]]
// CHECK-NOT: linalg.matmul

// Panels of 16: six of them.
// OPTS-LABEL: func.func @matmul
// OPTS: tensor<6x128x16xf32>
// OPTS: outs(%{{.*}} : tensor<64x6x16xf32>)

// Cache blocks of 64 rows x 8 panels (256 columns, clamped to the 3 there
// are: one block, so the scf.forall folds away), k panels of 64, register
// tiles of 8 rows x one panel, each a 2-D matmul on rank-reducing slices.
// The block holds all the rows: B is packed inside it, the 64 rows of each
// k step into a buffer of their own, one 32-wide row of a panel at a time,
// before the register tiles read them; no packed copy of the whole of B.
// TILE-LABEL: func.func @matmul
// TILE-SAME: %[[B:[^:]*]]: tensor<128x96xf32>
// TILE: %[[ROWS:.*]] = tensor.expand_shape %[[B]] {{\[}}[0], [1, 2]] output_shape [128, 3, 32]
// TILE-NOT: tensor<3x128x32xf32>
// TILE: scf.for %[[K:.*]] = %c0 to %c128 step %c64
// TILE: %[[STEP:.*]] = tensor.extract_slice %[[ROWS]][%[[K]], 0, 0] [64, 3, 32] [1, 1, 1]
// TILE: %[[BUF:.*]] = tensor.empty() : tensor<3x64x32xf32>
// TILE: %[[PACKED:.*]] = scf.for %[[P:.*]] = %c0 to %c3 step %c1 iter_args(%[[PA:.*]] = %[[BUF]])
// TILE: scf.for %[[R:.*]] = %c0 to %c64 step %c1 iter_args(%[[RA:.*]] = %[[PA]])
// TILE: tensor.extract_slice %[[STEP]][%[[R]], %[[P]], 0] [1, 1, 32]
// TILE: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1x32xf32>) outs(%{{.*}} : tensor<1x1x32xf32>)
// TILE: tensor.insert_slice %{{.*}} into %[[RA]][%[[P]], %[[R]], 0] [1, 1, 32]
// TILE: scf.for %{{.*}} = %c0 to %c64 step %c8
// TILE: scf.for %{{.*}} = %c0 to %c3 step %c1
// TILE: scf.for %{{.*}} = %c0 to %c64 step %c1
// TILE: tensor.extract_slice %[[PACKED]]{{.*}} [1, 1, 32] [1, 1, 1] : tensor<3x64x32xf32> to tensor<1x32xf32>
// TILE: tensor.extract_slice %{{.*}} [8, 1, 32] [1, 1, 1] : tensor<64x3x32xf32> to tensor<8x32xf32>
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<8x32xf32>)
// TILE: tensor.insert_slice %{{.*}} [8, 1, 32] [1, 1, 1] : tensor<8x32xf32> into tensor<64x3x32xf32>
func.func @matmul(%a: tensor<64x128xf32>, %b: tensor<128x96xf32>, %c: tensor<64x96xf32>) -> tensor<64x96xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x96xf32>) outs(%c : tensor<64x96xf32>) -> tensor<64x96xf32>
  return %0 : tensor<64x96xf32>
}

// ERROR: error: accml-pack: panel-width must be positive
// BLOCK: error: accml-pack: filter-block must be positive
// WIDTH: error: accml-pack: channels-last-width must not be negative (0: never)

// -----

// 100 columns of a run-time B: the three whole panels (96 columns) and
// the last 4 are two matmuls, each writing its columns of C in place; the
// 4 columns run in a panel of 8 (their B and C padded with zeros to 8,
// the padding sliced off). No padded copy of the whole B or C.
// CHECK-LABEL: func.func @padded
// CHECK-SAME: (%[[A:[^:]*]]: tensor<40x64xf32>, %[[B:[^:]*]]: tensor<64x100xf32>, %[[C:[^:]*]]: tensor<40x100xf32>)
// CHECK-NOT: x128xf32
// CHECK: %[[C0:.*]] = tensor.extract_slice %[[C]][0, 0] [40, 96] [1, 1]
// CHECK: %[[B0:.*]] = tensor.extract_slice %[[B]][0, 0] [64, 96] [1, 1]
// CHECK: tensor.expand_shape %[[B0]] {{\[}}[0], [1, 2]] output_shape [64, 3, 32]
// CHECK: tensor.expand_shape %[[C0]] {{\[}}[0], [1, 2]] output_shape [40, 3, 32]
// CHECK: outs(%{{.*}} : tensor<40x3x32xf32>)
// CHECK: %[[HEAD:.*]] = tensor.collapse_shape %{{.*}} : tensor<40x3x32xf32> into tensor<40x96xf32>
// CHECK: %[[WITH:.*]] = tensor.insert_slice %[[HEAD]] into %[[C]][0, 0] [40, 96] [1, 1]
// CHECK: %[[C1:.*]] = tensor.extract_slice %[[WITH]][0, 96] [40, 4] [1, 1]
// CHECK: %[[B1:.*]] = tensor.extract_slice %[[B]][0, 96] [64, 4] [1, 1]
// CHECK: tensor.pad %[[C1]] low[0, 0] high[0, 4]
// CHECK: %[[PB:.*]] = tensor.pad %[[B1]] low[0, 0] high[0, 4]
// CHECK: tensor.expand_shape %[[PB]] {{\[}}[0], [1, 2]] output_shape [64, 1, 8]
// CHECK: outs(%{{.*}} : tensor<40x1x8xf32>)
// CHECK: %[[TAIL:.*]] = tensor.extract_slice %{{.*}}[0, 0] [40, 4] [1, 1] : tensor<40x8xf32> to tensor<40x4xf32>
// CHECK: %[[R:.*]] = tensor.insert_slice %[[TAIL]] into %[[WITH]][0, 96] [40, 4] [1, 1]
// CHECK: return %[[R]]
func.func @padded(%a: tensor<40x64xf32>, %b: tensor<64x100xf32>, %c: tensor<40x100xf32>) -> tensor<40x100xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<40x64xf32>, tensor<64x100xf32>) outs(%c : tensor<40x100xf32>) -> tensor<40x100xf32>
  return %0 : tensor<40x100xf32>
}

// -----

// -----

// Fewer columns than a panel: B and C padded with zeros to one panel of
// 32, the padding sliced off the result.
// CHECK-LABEL: func.func @padded_narrow
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: tensor.pad %{{.*}} low[0, 0] high[0, 12]
// CHECK: tensor.yield %[[ZERO]]
// CHECK: tensor<40x20xf32> to tensor<40x32xf32>
// CHECK: %[[PB:.*]] = tensor.pad %{{.*}} low[0, 0] high[0, 12]
// CHECK: tensor<64x20xf32> to tensor<64x32xf32>
// CHECK: tensor.expand_shape %[[PB]] {{\[}}[0], [1, 2]] output_shape [64, 1, 32]
// CHECK: outs(%{{.*}} : tensor<40x1x32xf32>)
// CHECK: %[[FULL:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : tensor<40x1x32xf32> into tensor<40x32xf32>
// CHECK: tensor.extract_slice %[[FULL]][0, 0] [40, 20] [1, 1] : tensor<40x32xf32> to tensor<40x20xf32>
func.func @padded_narrow(%a: tensor<40x64xf32>, %b: tensor<64x20xf32>, %c: tensor<40x20xf32>) -> tensor<40x20xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<40x64xf32>, tensor<64x20xf32>) outs(%c : tensor<40x20xf32>) -> tensor<40x20xf32>
  return %0 : tensor<40x20xf32>
}

// -----

// One block of rows, nine panels in blocks of 5 and 4 across the threads:
// each block packs its own panels of B, the last block's piece of dynamic
// size.
// TILE-LABEL: func.func @packed_in_blocks_partial
// TILE: scf.forall (%{{.*}}) = (0) to (9) step (5)
// TILE: %[[N:.*]] = affine.min
// TILE: tensor.empty(%[[N]]) : tensor<?x64x32xf32>
func.func @packed_in_blocks_partial(%a: tensor<40x64xf32>, %b: tensor<64x288xf32>, %c: tensor<40x288xf32>) -> tensor<40x288xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<40x64xf32>, tensor<64x288xf32>) outs(%c : tensor<40x288xf32>) -> tensor<40x288xf32>
  return %0 : tensor<40x288xf32>
}

// -----

// Several cache blocks: an scf.forall over (64-row, 8-panel) blocks. Two
// blocks of rows read each panel of B: B is packed once, before them, by
// rows of panels across the threads.
// TILE-LABEL: func.func @blocks
// TILE: %[[PACKED:.*]] = scf.forall (%{{.*}}, %{{.*}}) in (16, 64) {{.*}} -> (tensor<16x64x32xf32>)
// TILE: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1x32xf32>) outs(%{{.*}} : tensor<1x1x32xf32>)
// TILE: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (128, 16) step (64, 8)
// TILE-NOT: linalg.generic
// TILE: tensor.extract_slice %[[PACKED]]
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<8x32xf32>)
func.func @blocks(%a: tensor<128x64xf32>, %b: tensor<64x512xf32>, %c: tensor<128x512xf32>) -> tensor<128x512xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<128x64xf32>, tensor<64x512xf32>) outs(%c : tensor<128x512xf32>) -> tensor<128x512xf32>
  return %0 : tensor<128x512xf32>
}

// -----

// The zero fill of the result moves into the blocks (each block's fill on
// the thread that accumulates into it). With
// parallel-blocks=8, B is packed across the threads panel by panel (8
// panels by 32-row pieces) and the 4 x 2 blocks go panels first, so that a
// thread's contiguous share of the blocks reads the panels it packed (on
// two threads: panels 0-3 and 4-7 each).
// TILE-LABEL: func.func @fill_in_blocks
// TILE-NOT: linalg.fill
// TILE: scf.forall (%{{.*}}) = (0) to (256) step (64) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<256x8x32xf32>)
// TILE: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<64x8x32xf32>)
// TILE: linalg.matmul
// PAR-LABEL: func.func @fill_in_blocks
// PAR-SAME: (%[[A:[^:]*]]: tensor<256x256xf32>
// PAR-NOT: linalg.fill
// PAR: %[[PACKED:.*]] = scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (8, 256) step (1, 32) {{.*}} -> (tensor<8x256x32xf32>)
// PAR: scf.forall (%[[P:.*]], %[[R:.*]]) = (0, 0) to (8, 256) step (4, 64) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<256x8x32xf32>)
// PAR: tensor.extract_slice %[[A]][%[[R]], 0] [64, 256]
// PAR: tensor.extract_slice %[[PACKED]][%[[P]], 0, 0] [4, 256, 32]
// PAR: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<64x4x32xf32>)
// PAR: linalg.matmul
// PAR: tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[R]], %[[P]], 0] [64, 4, 32]
func.func @fill_in_blocks(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<256x256xf32>
  %c = linalg.fill ins(%zero : f32) outs(%empty : tensor<256x256xf32>) -> tensor<256x256xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>) outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %0 : tensor<256x256xf32>
}

// -----

// A matmul's epilogue (bias and relu, reading its result through the
// collapse to M x N) is rewritten over the M x panels x width layout (the
// bias expanded to panels x width) and fused into the matmul's parallel
// blocks, one register row (1 x 1 x 32) at a time after the reduction;
// the matmul's own result is gone from the loop's outputs: each block
// accumulates into a block of its own, zero-filled by rows in the block,
// and no tensor of the whole matmul result (nor its fill) is left.
// TILE-LABEL: func.func @epilogue
// TILE-SAME: %[[BIAS:[^:]*]]: tensor<512xf32>
// TILE-NOT: linalg.fill
// TILE: %[[EB:.*]] = tensor.expand_shape %[[BIAS]] {{\[}}[0, 1]] output_shape [16, 32]
// TILE: %[[R:.*]] = scf.forall (%[[I:.*]], %[[J:.*]]) = (0, 0) to (128, 16) step (64, 8) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<128x16x32xf32>)
// TILE: tensor.empty() : tensor<64x8x32xf32>
// TILE: scf.for
// TILE: scf.for
// TILE: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x1x32xf32>)
// TILE: scf.for %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<64x8x32xf32>)
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<8x32xf32>)
// TILE: tensor.extract_slice %[[EB]][%[[J]], 0] [8, 32] [1, 1]
// TILE: scf.for
// TILE: scf.for
// TILE: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x1x32xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<1x1x32xf32>)
// TILE: arith.addf
// TILE: arith.maximumf
// TILE: scf.forall.in_parallel
// TILE-NEXT: tensor.parallel_insert_slice %{{.*}} into %[[OUT]][%[[I]], %[[J]], 0] [64, 8, 32]
// TILE-NEXT: }
// TILE-NEXT: }
// TILE-NEXT: %[[FLAT:.*]] = tensor.collapse_shape %[[R]] {{\[}}[0], [1, 2]] : tensor<128x16x32xf32> into tensor<128x512xf32>
// TILE-NEXT: return %[[FLAT]]
func.func @epilogue(%a: tensor<128x64xf32>, %b: tensor<64x512xf32>, %bias: tensor<512xf32>) -> tensor<128x512xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<128x512xf32>
  %c = linalg.fill ins(%zero : f32) outs(%empty : tensor<128x512xf32>) -> tensor<128x512xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<128x64xf32>, tensor<64x512xf32>) outs(%c : tensor<128x512xf32>) -> tensor<128x512xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%0, %bias : tensor<128x512xf32>, tensor<512xf32>) outs(%empty : tensor<128x512xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<128x512xf32>
  return %1 : tensor<128x512xf32>
}

// -----

// A matmul result with another use (here returned as well) keeps its
// whole result; the elementwise op is tiled by rows on its own.
// TILE-LABEL: func.func @epilogue_negative
// TILE: %[[MM:.*]] = scf.forall {{.*}} -> (tensor<128x16x32xf32>)
// TILE: linalg.matmul
// TILE: scf.forall.in_parallel
// TILE: %[[FLAT:.*]] = tensor.collapse_shape %[[MM]]
// TILE: scf.forall (%{{.*}}) in (128)
// TILE: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x64xf32>)
// TILE: return %{{.*}}, %[[FLAT]]
func.func @epilogue_negative(%a: tensor<128x64xf32>, %b: tensor<64x512xf32>) -> (tensor<128x512xf32>, tensor<128x512xf32>) {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<128x512xf32>
  %c = linalg.fill ins(%zero : f32) outs(%empty : tensor<128x512xf32>) -> tensor<128x512xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<128x64xf32>, tensor<64x512xf32>) outs(%c : tensor<128x512xf32>) -> tensor<128x512xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%0 : tensor<128x512xf32>) outs(%empty : tensor<128x512xf32>) {
  ^bb0(%x: f32, %out: f32):
    %r = arith.maximumf %x, %zero : f32
    linalg.yield %r : f32
  } -> tensor<128x512xf32>
  return %1, %0 : tensor<128x512xf32>, tensor<128x512xf32>
}

// -----

// An elementwise op reading two matmuls is the epilogue of neither: both
// keep their whole results and it is tiled by rows on its own.
// TILE-LABEL: func.func @epilogue_two_matmuls
// TILE: %[[M1:.*]] = scf.forall {{.*}} -> (tensor<128x16x32xf32>)
// TILE: scf.forall.in_parallel
// TILE: %[[M2:.*]] = scf.forall {{.*}} -> (tensor<128x16x32xf32>)
// TILE: scf.forall.in_parallel
// TILE: scf.forall (%{{.*}}) in (128)
// TILE: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x64xf32>, tensor<1x64xf32>)
func.func @epilogue_two_matmuls(%a: tensor<128x64xf32>, %b: tensor<64x512xf32>, %b2: tensor<64x512xf32>) -> tensor<128x512xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<128x512xf32>
  %c = linalg.fill ins(%zero : f32) outs(%empty : tensor<128x512xf32>) -> tensor<128x512xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<128x64xf32>, tensor<64x512xf32>) outs(%c : tensor<128x512xf32>) -> tensor<128x512xf32>
  %1 = linalg.matmul ins(%a, %b2 : tensor<128x64xf32>, tensor<64x512xf32>) outs(%c : tensor<128x512xf32>) -> tensor<128x512xf32>
  %2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%0, %1 : tensor<128x512xf32>, tensor<128x512xf32>) outs(%empty : tensor<128x512xf32>) {
  ^bb0(%x: f32, %y: f32, %out: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<128x512xf32>
  return %2 : tensor<128x512xf32>
}

// -----

// Left alone: fewer rows than min-rows (16 by default), dynamic sizes,
// other element types, transposed operands.
// CHECK-LABEL: func.func @negative_few_rows
// CHECK: linalg.matmul
// OPTS-LABEL: func.func @negative_few_rows
// OPTS-NOT: linalg.matmul
func.func @negative_few_rows(%a: tensor<8x64xf32>, %b: tensor<64x64xf32>, %c: tensor<8x64xf32>) -> tensor<8x64xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x64xf32>, tensor<64x64xf32>) outs(%c : tensor<8x64xf32>) -> tensor<8x64xf32>
  return %0 : tensor<8x64xf32>
}

// -----

// CHECK-LABEL: func.func @negative_dynamic
// OPTS-LABEL: func.func @negative_dynamic
// CHECK: linalg.matmul
func.func @negative_dynamic(%a: tensor<?x64xf32>, %b: tensor<64x64xf32>, %c: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<?x64xf32>, tensor<64x64xf32>) outs(%c : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %0 : tensor<?x64xf32>
}

// -----

// CHECK-LABEL: func.func @negative_f16
// CHECK: linalg.matmul
func.func @negative_f16(%a: tensor<32x64xf16>, %b: tensor<64x64xf16>, %c: tensor<32x64xf32>) -> tensor<32x64xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<32x64xf16>, tensor<64x64xf16>) outs(%c : tensor<32x64xf32>) -> tensor<32x64xf32>
  return %0 : tensor<32x64xf32>
}

// -----

// CHECK-LABEL: func.func @negative_transposed
// CHECK: linalg.matmul
func.func @negative_transposed(%a: tensor<64x32xf32>, %b: tensor<64x64xf32>, %c: tensor<32x64xf32>) -> tensor<32x64xf32> {
  %0 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<64x32xf32>, tensor<64x64xf32>) outs(%c : tensor<32x64xf32>) -> tensor<32x64xf32>
  return %0 : tensor<32x64xf32>
}

// -----

// A constant B is packed at compile time (N = 3 padded to two panels of
// 2): no copy is left to run.
// CONST-LABEL: func.func @constant_rhs
// CONST: %[[P:.*]] = arith.constant dense<{{\[}}{{\[}}[1.000000e+00, 2.000000e+00], [4.000000e+00, 5.000000e+00]], {{\[}}[3.000000e+00, 0.000000e+00], [6.000000e+00, 0.000000e+00]]]> : tensor<2x2x2xf32>
// CONST-NOT: iterator_types = ["parallel", "parallel", "parallel"]}
// CONST: linalg.generic {{.*}} ins(%{{.*}}, %[[P]] : tensor<2x2xf32>, tensor<2x2x2xf32>)
func.func @constant_rhs(%a: tensor<2x2xf32>, %c: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %b = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<2x2xf32>, tensor<2x3xf32>) outs(%c : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A resource B (imported weights) becomes a packed resource: 1 2 4 5 and
// 3 0 6 0.
// CONST-LABEL: func.func @resource_rhs
// CONST: %[[P:.*]] = arith.constant dense_resource<packed> : tensor<2x2x2xf32>
// CONST: linalg.generic {{.*}} ins(%{{.*}}, %[[P]] : tensor<2x2xf32>, tensor<2x2x2xf32>)
// CONST: packed: "0x040000000000803F00000040000080400000A04000004040000000000000C04000000000"
func.func @resource_rhs(%a: tensor<2x2xf32>, %c: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %b = arith.constant dense_resource<b> : tensor<2x3xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<2x2xf32>, tensor<2x3xf32>) outs(%c : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

{-#
  dialect_resources: {
    builtin: {
      b: "0x040000000000803F0000004000004040000080400000A0400000C040"
    }
  }
#-}

// -----

// A transposed constant weight (a linear layer's, stored N x K) is
// transposed once, at compile time: the matmul reads a K x N constant.
// CHECK-LABEL: func.func @transposed_weight
// CHECK-NOT: linalg.transpose
// CHECK: %[[WT:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 4.000000e+00], [2.000000e+00, 5.000000e+00], [3.000000e+00, 6.000000e+00]]> : tensor<3x2xf32>
// CHECK: linalg.matmul ins(%{{.*}}, %[[WT]] : tensor<1x3xf32>, tensor<3x2xf32>)
func.func @transposed_weight(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %wt = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  %cst = arith.constant 0.0 : f32
  %c = tensor.empty() : tensor<1x2xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%c : tensor<1x2xf32>) -> tensor<1x2xf32>
  %0 = linalg.matmul ins(%x, %wt : tensor<1x3xf32>, tensor<3x2xf32>) outs(%acc : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %0 : tensor<1x2xf32>
}

// -----

// A transpose of a rank-3 constant resource folds into a resource with the
// permuted layout: result[i][j][k] = w[j][k][i] (w holds 0 .. 23 in order);
// a transpose of a function argument stays.
// CHECK-LABEL: func.func @transposed_resource
// CHECK-NOT: linalg.transpose
// CHECK: arith.constant dense_resource<transposed> : tensor<4x2x3xf32>
// CHECK-LABEL: func.func @transposed_argument
// CHECK: linalg.transpose
// CHECK: transposed: "0x0400000000000000000080400000004100004041000080410000A0410000803F0000A0400000104100005041000088410000A841000000400000C0400000204100006041000090410000B041000040400000E0400000304100007041000098410000B841"
func.func @transposed_resource() -> tensor<4x2x3xf32> {
  %w = arith.constant dense_resource<pack_w3> : tensor<2x3x4xf32>
  %e = tensor.empty() : tensor<4x2x3xf32>
  %wt = linalg.transpose ins(%w : tensor<2x3x4xf32>) outs(%e : tensor<4x2x3xf32>) permutation = [2, 0, 1]
  return %wt : tensor<4x2x3xf32>
}
func.func @transposed_argument(%w: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<3x2xf32>
  %wt = linalg.transpose ins(%w : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, 0]
  return %wt : tensor<3x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      pack_w3: "0x04000000000000000000803F0000004000004040000080400000A0400000C0400000E0400000004100001041000020410000304100004041000050410000604100007041000080410000884100009041000098410000A0410000A8410000B0410000B841"
    }
  }
#-}

// -----

// A batch_matmul: an scf.forall over the batch (the threads' work) of
// matmuls on each batch's slices, each packed like any matmul (B in panels
// of 32 columns, the matmul a generic over them), inserted back into the
// accumulator.
// CHECK-LABEL: func.func @batch_matmul
// CHECK-SAME: (%[[A:[^:]*]]: tensor<4x32x16xf32>, %[[B:[^:]*]]: tensor<4x16x64xf32>, %[[C:[^:]*]]: tensor<4x32x64xf32>)
// CHECK: %[[R:.*]] = scf.forall (%[[I:.*]]) in (4) shared_outs(%[[OUT:.*]] = %[[C]]) -> (tensor<4x32x64xf32>)
// CHECK: %[[AS:.*]] = tensor.extract_slice %[[A]][%[[I]], 0, 0] [1, 32, 16] [1, 1, 1] : tensor<4x32x16xf32> to tensor<32x16xf32>
// CHECK: %[[BS:.*]] = tensor.extract_slice %[[B]][%[[I]], 0, 0] [1, 16, 64] [1, 1, 1] : tensor<4x16x64xf32> to tensor<16x64xf32>
// CHECK: tensor.extract_slice %[[OUT]][%[[I]], 0, 0] [1, 32, 64] [1, 1, 1] : tensor<4x32x64xf32> to tensor<32x64xf32>
// CHECK: tensor.expand_shape %[[BS]] {{\[\[}}0], [1, 2]] output_shape [16, 2, 32]
// CHECK: %[[M:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[AS]], %{{.*}} : tensor<32x16xf32>, tensor<2x16x32xf32>)
// CHECK: %[[MC:.*]] = tensor.collapse_shape %[[M]]
// CHECK: tensor.parallel_insert_slice %[[MC]] into %[[OUT]][%[[I]], 0, 0] [1, 32, 64] [1, 1, 1]
// CHECK-NOT: linalg.batch_matmul
// CHECK: return %[[R]]
func.func @batch_matmul(%a: tensor<4x32x16xf32>, %b: tensor<4x16x64xf32>, %c: tensor<4x32x64xf32>) -> tensor<4x32x64xf32> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<4x32x16xf32>, tensor<4x16x64xf32>) outs(%c : tensor<4x32x64xf32>) -> tensor<4x32x64xf32>
  return %0 : tensor<4x32x64xf32>
}

// -----

// A transpose of a matrix whose rows are a multiple of 16 (a run-time
// weight of a linear layer): a channels-last copy of it viewed as an image
// of one row (1 x M x 1 x N), which accml-tile-and-fuse turns into 16 x 16
// register transposes.
// CHECK-LABEL: func.func @matrix_transpose
// CHECK-SAME: (%[[X:[^:]*]]: tensor<32x48xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[B:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0, 1], [2]] output_shape [1, 32, 48]
// CHECK: %[[IMAGE:.*]] = tensor.expand_shape %[[B]] {{\[\[}}0], [1, 2], [3]] output_shape [1, 32, 1, 48]
// CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], {{.*}} ins(%[[IMAGE]] : tensor<1x32x1x48xf32>) outs(%{{.*}} : tensor<1x1x48x32xf32>)
// CHECK: %[[R:.*]] = tensor.collapse_shape %[[COPY]] {{\[\[}}0], [1, 2], [3]] : tensor<1x1x48x32xf32> into tensor<1x48x32xf32>
// CHECK: %[[M:.*]] = tensor.collapse_shape %[[R]] {{\[\[}}0, 1], [2]] : tensor<1x48x32xf32> into tensor<48x32xf32>
// CHECK: return %[[M]]
func.func @matrix_transpose(%x: tensor<32x48xf32>) -> tensor<48x32xf32> {
  %e = tensor.empty() : tensor<48x32xf32>
  %t = linalg.transpose ins(%x : tensor<32x48xf32>) outs(%e : tensor<48x32xf32>) permutation = [1, 0]
  return %t : tensor<48x32xf32>
}
