// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack))' | FileCheck %s
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{output-rows=false}))' | FileCheck %s --check-prefix=PANELS
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack,accml-tile-and-fuse))' | FileCheck %s --check-prefix=TILE
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack,accml-tile-and-fuse),canonicalize,func.func(accml-vectorize),canonicalize)' | FileCheck %s --check-prefix=VEC
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack,accml-tile-and-fuse{parallel-blocks=8}),canonicalize,func.func(accml-vectorize),canonicalize)' | FileCheck %s --check-prefix=BLOCKS
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack,accml-tile-and-fuse{parallel-blocks=8}))' | FileCheck %s --check-prefix=FUSE

// Convolutions by output rows (accml-pack's output-rows, on by default):
// pack-conv.mlir pins the panel form with output-rows=false.
//
// A 1x1 kernel on a 28 x 28 image: its 784 positions are contiguous, and in
// panels of 32 the last one would be half empty (800 computed, then copied
// out without the 16 extra). They run as 7 rows of 112 instead (the
// longest rows of a multiple of 16 up to 256), 112 apart: the result
// 1 x 3 x 8 x 7 x 112 holds exactly the output, and the accumulator (an
// argument here, a bias or residual in a model) is added by an elementwise
// op over its positions.
// CHECK-DAG: #[[IMAGE:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d7, d3 * 112 + d4 + d5 * 28 + d6)>
// CHECK-LABEL: func.func @conv1x1_rows
// CHECK-SAME: %[[ACC:[^:]*]]: tensor<1x24x28x28xf32>)
// CHECK: %[[C:.*]] = linalg.fill {{.*}} -> tensor<1x3x8x7x112xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : tensor<1x16x28x28xf32> into tensor<1x16x784xf32>
// CHECK: %[[CONV:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[IMAGE]], #{{.*}}]{{.*}} ins(%{{.*}}, %[[FLAT]] : tensor<3x1x1x16x8xf32>, tensor<1x16x784xf32>) outs(%[[C]] : tensor<1x3x8x7x112xf32>)
// CHECK: tensor.collapse_shape %[[CONV]] {{\[}}[0], [1, 2], [3, 4]] : tensor<1x3x8x7x112xf32> into tensor<1x24x784xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[ACC]] : tensor<1x24x28x28xf32>, tensor<1x24x28x28xf32>)
// CHECK: arith.addf

// PANELS-LABEL: func.func @conv1x1_rows
// PANELS: linalg.fill {{.*}} -> tensor<1x3x8x25x32xf32>

// Parallel blocks of 2 rows x all 3 filter blocks; in each, per row,
// register tiles of 8 filters x 32 positions (positions 0 to 95) and the
// peeled last tile of 16 (positions 96 to 111), each completing its
// reduction over the 16 channels in one pass; the epilogue (+ the
// accumulator) runs on each tile's rows (32 or 16 wide) right after its
// reduction, into the output's rows.
// TILE-LABEL: func.func @conv1x1_rows
// TILE: scf.forall ({{.*}}) = (0, 0, 0) to (1, 3, 7) step (1, 3, 2)
// TILE: scf.for %[[ROW:.*]] = %c0 to %{{.*}} step %c1
// TILE: scf.for %{{.*}} = %c0 to %c96 step %c32
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<8x32xf32>)
// TILE: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x1x1x1x32xf32>, tensor<1x1x1x1x32xf32>)
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x16xf32>) outs(%{{.*}} : tensor<8x16xf32>)
// TILE: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x1x1x1x16xf32>, tensor<1x1x1x1x16xf32>)
// TILE-NOT: tensor<1x1x1x1x112xf32>
// TILE: scf.forall.in_parallel

// Both nests of a row (the tiles of 32 and the last tile of 16) start
// their accumulators from the fill's value (zero), so the block is never
// zero-filled: no fill is left.
// VEC-LABEL: func.func @conv1x1_rows
// VEC-NOT: linalg.fill
// VEC-DAG: %[[Z32:.*]] = arith.constant dense<0.000000e+00> : vector<8x32xf32>
// VEC-DAG: %[[Z16:.*]] = arith.constant dense<0.000000e+00> : vector<8x16xf32>
// VEC: scf.for %{{.*}} = %c0 to %c96 step %c32
// VEC: scf.for {{.*}} iter_args(%{{.*}} = %[[Z32]]) -> (vector<8x32xf32>)
// VEC: scf.for {{.*}} iter_args(%{{.*}} = %[[Z16]]) -> (vector<8x16xf32>)
// VEC-NOT: linalg.fill
// VEC: return
func.func @conv1x1_rows(%x: tensor<1x16x28x28xf32>, %w: tensor<24x16x1x1xf32>, %acc: tensor<1x24x28x28xf32>) -> tensor<1x24x28x28xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x28x28xf32>, tensor<24x16x1x1xf32>) outs(%acc : tensor<1x24x28x28xf32>) -> tensor<1x24x28x28xf32>
  return %0 : tensor<1x24x28x28xf32>
}

// -----

// With parallel blocks of one row and two of the four filter blocks
// (parallel-blocks=8), a block has no reduction loop around its tiles: the
// loop along the row is outermost, and the loop of the last tiles takes
// the block on from it. Both start from zero, and the block is not
// zero-filled either. The image (16 x 784) is larger than the weights
// (32 x 16): the rows are the outer loop of the blocks, so that a thread's
// contiguous share of them reads its own rows of the image.
// BLOCKS-LABEL: func.func @conv1x1_row_blocks
// BLOCKS: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (7, 4) step (1, 2)
// BLOCKS-NOT: linalg.fill
// BLOCKS: scf.for %{{.*}} = %c0 to %c96 step %c32
// BLOCKS: iter_args(%{{.*}} = %[[Z32:.*]]) -> (vector<8x32xf32>)
// BLOCKS: iter_args(%{{.*}} = %[[Z16:.*]]) -> (vector<8x16xf32>)
// BLOCKS-NOT: linalg.fill
// BLOCKS: return
func.func @conv1x1_row_blocks(%x: tensor<1x16x28x28xf32>, %w: tensor<32x16x1x1xf32>, %acc: tensor<1x32x28x28xf32>) -> tensor<1x32x28x28xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x28x28xf32>, tensor<32x16x1x1xf32>) outs(%acc : tensor<1x32x28x28xf32>) -> tensor<1x32x28x28xf32>
  return %0 : tensor<1x32x28x28xf32>
}

// -----

// A 3x3 kernel on an 18 x 18 (padded) image: 16 output rows of 16
// positions, 18 apart in the flattened image (the two padding columns are
// not computed); tap (r, s) reads them shifted by r * 18 + s. The result,
// 1 x 2 x 8 x 16 x 16, is N x F x OH x OW once its filter blocks are
// collapsed; 12 filters of the 16 are the output (a slice), copied out.
// CHECK-DAG: #[[IMAGE3:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d7, d3 * 18 + d4 + d5 * 18 + d6)>
// CHECK-LABEL: func.func @conv3x3_rows
// CHECK: %[[C3:.*]] = linalg.fill {{.*}} -> tensor<1x2x8x16x16xf32>
// CHECK-NOT: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, {{[1-9]}}
// CHECK: %[[CONV3:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[IMAGE3]], #{{.*}}]{{.*}} ins(%{{.*}}, %{{.*}} : tensor<2x3x3x4x8xf32>, tensor<1x4x324xf32>) outs(%[[C3]] : tensor<1x2x8x16x16xf32>)
// CHECK: %[[NCHW:.*]] = tensor.collapse_shape %[[CONV3]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x8x16x16xf32> into tensor<1x16x16x16xf32>
// CHECK: %[[VALID:.*]] = tensor.extract_slice %[[NCHW]][0, 0, 0, 0] [1, 12, 16, 16]
// CHECK: linalg.generic {{.*}} ins(%[[VALID]] : tensor<1x12x16x16xf32>)

// In panels, 16 rows of 18 columns: 9 panels of 32, and the image padded
// with rows for the last panel's shifted reads.
// PANELS-LABEL: func.func @conv3x3_rows
// PANELS: linalg.fill {{.*}} -> tensor<1x2x8x9x32xf32>
// PANELS: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 0]

// Rows of 16: one register tile of 8 x 16 per row and filter block.
// TILE-LABEL: func.func @conv3x3_rows
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x16xf32>) outs(%{{.*}} : tensor<8x16xf32>)
func.func @conv3x3_rows(%x: tensor<1x4x18x18xf32>, %w: tensor<12x4x3x3xf32>) -> tensor<1x12x16x16xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x12x16x16xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x12x16x16xf32>) -> tensor<1x12x16x16xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x18x18xf32>, tensor<12x4x3x3xf32>) outs(%acc : tensor<1x12x16x16xf32>) -> tensor<1x12x16x16xf32>
  return %0 : tensor<1x12x16x16xf32>
}

// -----

// Rows of 28 positions would need a last register tile of 28 (LLVM spills
// such accumulators): the 3x3 kernel on a 30 x 30 image stays in panels
// (28 rows of 30 columns, 27 panels of 32).
// CHECK-LABEL: func.func @conv3x3_rows_of_28
// CHECK: linalg.fill {{.*}} -> tensor<1x1x8x27x32xf32>
func.func @conv3x3_rows_of_28(%x: tensor<1x4x30x30xf32>, %w: tensor<8x4x3x3xf32>, %acc: tensor<1x8x28x28xf32>) -> tensor<1x8x28x28xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x30x30xf32>, tensor<8x4x3x3xf32>) outs(%acc : tensor<1x8x28x28xf32>) -> tensor<1x8x28x28xf32>
  return %0 : tensor<1x8x28x28xf32>
}

// -----

// A strided 7x7 kernel on 3 channels (a small ResNet stem) by output rows:
// its four phases accumulate into the same register tile one after another
// (tileChainTogether), the first starting from the block's fill; the bias
// and relu run on the tile's 8 rows after the last phase only, into the
// result that the row loop carries, which passes the block through.
// TILE-LABEL: func.func @strided_chain_epilogue
// TILE: %[[FILL:.*]] = linalg.fill {{.*}} -> tensor<1x1x8x16x16xf32>
// TILE: scf.for %[[ROW:.*]] = %c0 to %c16 step %c1 iter_args(%[[BLOCK:.*]] = %[[FILL]], %{{.*}} = %{{.*}})
// TILE-NEXT: %[[P00:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[FILL]])
// TILE: linalg.matmul
// TILE-NOT: linalg.generic
// TILE: %[[P01:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[P00]])
// TILE-NOT: linalg.generic
// TILE: %[[P10:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[P01]])
// TILE-NOT: linalg.generic
// TILE: %[[P11:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[P10]])
// TILE: tensor.extract_slice %[[P11]][0, 0, 0, %[[ROW]], 0] [1, 1, 1, 1, 16]
// TILE: linalg.generic
// TILE: arith.addf
// TILE: arith.maximumf
// TILE: tensor.extract_slice %[[P11]][0, 0, 7, %[[ROW]], 0] [1, 1, 1, 1, 16]
// TILE: scf.yield %[[BLOCK]], %{{.*}}
#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#channel = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @strided_chain_epilogue(%x: tensor<1x3x38x38xf32>, %w: tensor<8x3x7x7xf32>, %b: tensor<8xf32>) -> tensor<1x8x16x16xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x16x16xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x3x38x38xf32>, tensor<8x3x7x7xf32>) outs(%acc : tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  %1 = linalg.generic {indexing_maps = [#nchw, #channel, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0, %b : tensor<1x8x16x16xf32>, tensor<8xf32>) outs(%e : tensor<1x8x16x16xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    %r = arith.maximumf %s, %cst : f32
    linalg.yield %r : f32
  } -> tensor<1x8x16x16xf32>
  return %1 : tensor<1x8x16x16xf32>
}

// -----

// A 1x1/2 convolution reads its image through a subsampling copy (the even
// rows and columns), collapsed into positions. With blocks of whole rows
// (rows of 112 = 4 image rows of 28), the copy is fused into the
// convolution's parallel blocks: each block reads the 7 input rows that
// its 4 output rows sample, subsamples them into a 16 x 4 x 28 buffer of
// its own, one row at a time (the strided copy's rows of 16 and 12), and
// reads that as its 112 positions; no parallel loop of its own precedes
// the convolution's. Without parallel-blocks, the last block of two
// panels is partial (7 = 2 + 2 + 2 + 1) and the copy stays a loop of its
// own (TILE).
// FUSE-LABEL: func.func @conv1x1_stride2
// FUSE-NOT: scf.forall
// FUSE: scf.forall (%[[N:.*]], %[[P:.*]], %{{.*}}) in (1, 7, 3)
// FUSE: %[[ROW:.*]] = affine.apply #{{.*}}(%[[P]])
// FUSE: %[[IN:.*]] = tensor.extract_slice %{{.*}}[%[[N]], 0, %[[ROW]], 0] [1, 16, 7, 55] [1, 1, 1, 1] : tensor<1x16x56x56xf32> to tensor<1x16x7x55xf32>
// FUSE: %[[BUF:.*]] = tensor.empty() : tensor<1x16x4x28xf32>
// FUSE: %[[COPY:.*]] = scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args(%{{.*}} = %[[BUF]])
// FUSE: scf.for %{{.*}} = %c0 to %c4 step %c1
// FUSE: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1x1x31xf32>) outs(%{{.*}} : tensor<1x1x1x16xf32>)
// FUSE: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1x1x23xf32>) outs(%{{.*}} : tensor<1x1x1x12xf32>)
// FUSE: %[[B:.*]] = tensor.collapse_shape %[[COPY]] {{\[}}[0], [1], [2, 3]] : tensor<1x16x4x28xf32> into tensor<1x16x112xf32>
// FUSE: tensor.extract_slice %[[B]][0, %{{.*}}, %{{.*}}] [1, 1, 32]
// FUSE: linalg.matmul
// FUSE: scf.forall.in_parallel
// TILE-LABEL: func.func @conv1x1_stride2
// TILE: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 16, 28) shared_outs(%{{.*}}) -> (tensor<1x16x28x28xf32>)
// TILE: scf.forall ({{.*}}) = (0, 0, 0) to (1, 3, 7) step (1, 3, 2)
func.func @conv1x1_stride2(%x: tensor<1x16x56x56xf32>, %w: tensor<24x16x1x1xf32>, %acc: tensor<1x24x28x28xf32>) -> tensor<1x24x28x28xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x16x56x56xf32>, tensor<24x16x1x1xf32>) outs(%acc : tensor<1x24x28x28xf32>) -> tensor<1x24x28x28xf32>
  return %0 : tensor<1x24x28x28xf32>
}
