// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse))' | FileCheck %s
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse{window-block-bytes=4000}))' | FileCheck %s --check-prefix=SMALL
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse{window-block-bytes=4000 parallel-blocks=2 min-parallel-window-work=0}))' | FileCheck %s --check-prefix=THREADS
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse{parallel-blocks=2 min-parallel-window-work=0}))' | FileCheck %s --check-prefix=FEW
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse{window-block-bytes=4000 parallel-blocks=2}))' | FileCheck %s --check-prefix=SERIAL
// RUN: not accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse{window-block-bytes=0}))' 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: accml-tile-and-fuse: window-block-bytes must be positive
// RUN: not accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-tile-and-fuse{min-parallel-window-work=-1}))' 2>&1 | FileCheck %s --check-prefix=BADWORK
// BADWORK: error: accml-tile-and-fuse: min-parallel-window-work must not be negative

// A window op (two taps of a depthwise convolution, as accml-pack writes
// it) over a zero padding of its input: blocks of one image and 8 channels
// (8 x 22 x 22 floats fit in 16 KiB), each padding its own channels; the
// taps read that small copy. The padding of the whole input is gone.
// Single-threaded (parallel-blocks=1), the blocks are one loop that
// carries the block's padded copy: its buffer is zero-filled once, before
// the loop, and each block inserts its channels into the middle. Inside a
// block, rows (pieces of 16 elements, the last 4 peeled) as for any
// elementwise op.
// CHECK-LABEL: func.func @window_padded
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x32x20x20xf32>
// CHECK-NOT: tensor.pad
// CHECK: scf.forall (%[[N:.*]], %[[C:.*]]) = (0, 0) to (1, 32) step (1, 32)
// CHECK: %[[FRAME:.*]] = linalg.fill {{.*}} -> tensor<1x8x22x22xf32>
// CHECK: scf.for %[[B:.*]] = %c0 to %c32 step %c8 iter_args(%{{.*}} = %{{.*}}, %[[COPY:.*]] = %[[FRAME]])
// CHECK-NOT: linalg.fill
// CHECK: %[[CB:.*]] = affine.apply #{{.*}}()[%[[B]], %[[C]]]
// CHECK: %[[PART:.*]] = tensor.extract_slice %[[X]][%[[N]], %[[CB]], 0, 0] [1, 8, 20, 20]
// CHECK: %[[PAD:.*]] = tensor.insert_slice %[[PART]] into %[[COPY]][0, 0, 1, 1] [1, 8, 20, 20]
// CHECK: %[[TAP0:.*]] = tensor.extract_slice %[[PAD]][0, 0, 0, 0] [1, 8, 20, 20]
// CHECK: %[[TAP1:.*]] = tensor.extract_slice %[[PAD]][0, 0, 2, 2] [1, 8, 20, 20]
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 8, 20)
// CHECK: tensor.extract_slice %[[TAP0]]
// CHECK: tensor.extract_slice %[[TAP1]]
// CHECK: scf.for {{.*}} step %c16
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: math.fma
// CHECK: scf.yield %{{.*}}, %[[PAD]]
// CHECK-NOT: tensor.pad
// With window-block-bytes=4000, blocks of 2 channels (2 x 1936 bytes).
// SMALL-LABEL: func.func @window_padded
// SMALL: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (1, 32) step (1, 32)
// SMALL: linalg.fill {{.*}} -> tensor<1x2x22x22xf32>
// SMALL: scf.for %{{.*}} = %c0 to %c32 step %c2
// SMALL: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 1, 1] [1, 2, 20, 20]
// With parallel-blocks=2, 4 chunks (twice 2) of 4 blocks each, shared out
// across the threads, and a frame per chunk.
// THREADS-LABEL: func.func @window_padded
// THREADS: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (1, 32) step (1, 8)
// THREADS: linalg.fill {{.*}} -> tensor<1x2x22x22xf32>
// THREADS: scf.for %{{.*}} = %c0 to %c8 step %c2
// THREADS: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 1, 1] [1, 2, 20, 20]
// With the default min-parallel-window-work, this op (25.6 K multiply-adds)
// is too small for the threads: one chunk, one loop over the blocks, as
// single-threaded.
// SERIAL-LABEL: func.func @window_padded
// SERIAL: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (1, 32) step (1, 32)
// SERIAL: linalg.fill {{.*}} -> tensor<1x2x22x22xf32>
// SERIAL: scf.for %{{.*}} = %c0 to %c32 step %c2
// With as many chunks as blocks, no loop inside: each block pads its part.
// FEW-LABEL: func.func @window_padded
// FEW: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (1, 32) step (1, 8)
// FEW-NOT: scf.for %{{.*}} = %c0 to %c8 step
// FEW: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// FEW: tensor<1x8x20x20xf32> to tensor<1x8x22x22xf32>
func.func @window_padded(%x: tensor<1x32x20x20xf32>, %w: tensor<32x2xf32>) -> tensor<1x32x20x20xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x20x20xf32> to tensor<1x32x22x22xf32>
  %a = tensor.extract_slice %p[0, 0, 0, 0] [1, 32, 20, 20] [1, 1, 1, 1] : tensor<1x32x22x22xf32> to tensor<1x32x20x20xf32>
  %b = tensor.extract_slice %p[0, 0, 2, 2] [1, 32, 20, 20] [1, 1, 1, 1] : tensor<1x32x22x22xf32> to tensor<1x32x20x20xf32>
  %w0 = tensor.extract_slice %w[0, 0] [32, 1] [1, 1] : tensor<32x2xf32> to tensor<32xf32>
  %w1 = tensor.extract_slice %w[0, 1] [32, 1] [1, 1] : tensor<32x2xf32> to tensor<32xf32>
  %e = tensor.empty() : tensor<1x32x20x20xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a, %b, %w0, %w1 : tensor<1x32x20x20xf32>, tensor<1x32x20x20xf32>, tensor<32xf32>, tensor<32xf32>) outs(%e : tensor<1x32x20x20xf32>) {
  ^bb0(%in0: f32, %in1: f32, %in2: f32, %in3: f32, %out: f32):
    %0 = arith.mulf %in0, %in2 : f32
    %1 = math.fma %in1, %in3, %0 : f32
    linalg.yield %1 : f32
  } -> tensor<1x32x20x20xf32>
  return %r : tensor<1x32x20x20xf32>
}

// -----

// A strided window op (a 3x1 max over rows 2y, 2y + 1, 2y + 2) over the
// row phases of its input, built as accml-pack builds them: a zero row and
// a strided copy of the even rows into phase 0, the odd rows and a zero
// row into phase 1. Each block of 4 channels (2 x 17 x 16 floats each)
// rebuilds its part of the phases: the strided copies of its 4 channels of
// the input, the insertions into a block-sized tensor. The zero rows are
// the same in every block: they are written once, before the loop over the
// blocks, into the tensor that the loop carries. (The tap that reads the
// last phase inserted reads the copy itself.)
// CHECK-LABEL: func.func @window_phases
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x64x32x16xf32>
// CHECK-NOT: tensor<1x64x2x1x17x16xf32>
// CHECK: scf.forall (%[[N:.*]], %[[C:.*]]) = (0, 0) to (1, 64) step (1, 64)
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<1x4x2x1x17x16xf32>
// CHECK: linalg.fill {{.*}} -> tensor<1x4x1x16xf32>
// CHECK: %[[ZERO0:.*]] = tensor.insert_slice %{{.*}} into %[[EMPTY]][0, 0, 0, 0, 16, 0] [1, 4, 1, 1, 1, 16]
// CHECK: linalg.fill {{.*}} -> tensor<1x4x1x16xf32>
// CHECK: %[[FRAME:.*]] = tensor.insert_slice %{{.*}} into %[[ZERO0]][0, 0, 1, 0, 16, 0] [1, 4, 1, 1, 1, 16]
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c4 iter_args(%{{.*}} = %{{.*}}, %[[COPY:.*]] = %[[FRAME]])
// CHECK-NOT: linalg.fill
// CHECK: %[[PART:.*]] = tensor.extract_slice %[[X]][%[[N]], %{{.*}}, 0, 0] [1, 4, 32, 16]
// CHECK: tensor.extract_slice %[[COPY]][0, 0, 0, 0, 0, 0] [1, 4, 1, 1, 16, 16]
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 4, 16)
// CHECK: tensor.extract_slice %[[PART]]
// CHECK: tensor.insert_slice %{{.*}} into %[[COPY]][0, 0, 0, 0, 0, 0] [1, 4, 1, 1, 16, 16]
// CHECK-NOT: linalg.fill
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 4, 16)
// CHECK: tensor.extract_slice %[[PART]]
// CHECK: %[[PHASES:.*]] = tensor.insert_slice %{{.*}}[0, 0, 1, 0, 0, 0] [1, 4, 1, 1, 16, 16]
// CHECK: tensor.extract_slice %[[PHASES]][0, 0, 0, 0, 0, 0] [1, 4, 1, 1, 16, 16]
// CHECK: tensor.extract_slice %[[PHASES]][0, 0, 0, 0, 1, 0] [1, 4, 1, 1, 16, 16]
// CHECK: arith.maximumf
// CHECK: scf.yield %{{.*}}, %[[PHASES]]
func.func @window_phases(%x: tensor<1x64x32x16xf32>) -> tensor<1x64x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x2x1x17x16xf32>
  %z0 = tensor.extract_slice %e[0, 0, 0, 0, 16, 0] [1, 64, 1, 1, 1, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x1x17x16xf32> to tensor<1x64x1x16xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%z0 : tensor<1x64x1x16xf32>) -> tensor<1x64x1x16xf32>
  %e0 = tensor.insert_slice %f0 into %e[0, 0, 0, 0, 16, 0] [1, 64, 1, 1, 1, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x1x16xf32> into tensor<1x64x2x1x17x16xf32>
  %d0 = tensor.extract_slice %e0[0, 0, 0, 0, 0, 0] [1, 64, 1, 1, 16, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x1x17x16xf32> to tensor<1x64x16x16xf32>
  %c0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x64x32x16xf32>) outs(%d0 : tensor<1x64x16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x64x16x16xf32>
  %e1 = tensor.insert_slice %c0 into %e0[0, 0, 0, 0, 0, 0] [1, 64, 1, 1, 16, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x16x16xf32> into tensor<1x64x2x1x17x16xf32>
  %z1 = tensor.extract_slice %e1[0, 0, 1, 0, 16, 0] [1, 64, 1, 1, 1, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x1x17x16xf32> to tensor<1x64x1x16xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%z1 : tensor<1x64x1x16xf32>) -> tensor<1x64x1x16xf32>
  %e2 = tensor.insert_slice %f1 into %e1[0, 0, 1, 0, 16, 0] [1, 64, 1, 1, 1, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x1x16xf32> into tensor<1x64x2x1x17x16xf32>
  %d1 = tensor.extract_slice %e2[0, 0, 1, 0, 0, 0] [1, 64, 1, 1, 16, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x1x17x16xf32> to tensor<1x64x16x16xf32>
  %c1 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + 1, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x64x32x16xf32>) outs(%d1 : tensor<1x64x16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x64x16x16xf32>
  %ph = tensor.insert_slice %c1 into %e2[0, 0, 1, 0, 0, 0] [1, 64, 1, 1, 16, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x16x16xf32> into tensor<1x64x2x1x17x16xf32>
  %t0 = tensor.extract_slice %ph[0, 0, 0, 0, 0, 0] [1, 64, 1, 1, 16, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x1x17x16xf32> to tensor<1x64x16x16xf32>
  %t1 = tensor.extract_slice %ph[0, 0, 1, 0, 0, 0] [1, 64, 1, 1, 16, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x1x17x16xf32> to tensor<1x64x16x16xf32>
  %t2 = tensor.extract_slice %ph[0, 0, 0, 0, 1, 0] [1, 64, 1, 1, 16, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x1x17x16xf32> to tensor<1x64x16x16xf32>
  %o = tensor.empty() : tensor<1x64x16x16xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%t0, %t1, %t2 : tensor<1x64x16x16xf32>, tensor<1x64x16x16xf32>, tensor<1x64x16x16xf32>) outs(%o : tensor<1x64x16x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32, %out: f32):
    %0 = arith.maximumf %a, %b : f32
    %1 = arith.maximumf %0, %c : f32
    linalg.yield %1 : f32
  } -> tensor<1x64x16x16xf32>
  return %r : tensor<1x64x16x16xf32>
}

// -----

// A fill written over part of a copy (rows 15 and 16 of phase 0, after the
// copy of rows 0 to 15): the fill is not the same in every block (it
// overwrites what the block copied), so it stays in the loop over the
// blocks, which carries no copy.
// CHECK-LABEL: func.func @negative_fill_over_copy
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c4 iter_args(%{{.*}} = %{{.*}}) ->
// CHECK: tensor.empty() : tensor<1x4x2x1x17x16xf32>
// CHECK: scf.forall
// CHECK: linalg.fill {{.*}} -> tensor<1x4x2x16xf32>
// CHECK: arith.maximumf
func.func @negative_fill_over_copy(%x: tensor<1x64x32x16xf32>) -> tensor<1x64x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x2x1x17x16xf32>
  %d0 = tensor.extract_slice %e[0, 0, 0, 0, 0, 0] [1, 64, 1, 1, 16, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x1x17x16xf32> to tensor<1x64x16x16xf32>
  %c0 = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x64x32x16xf32>) outs(%d0 : tensor<1x64x16x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x64x16x16xf32>
  %e1 = tensor.insert_slice %c0 into %e[0, 0, 0, 0, 0, 0] [1, 64, 1, 1, 16, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x16x16xf32> into tensor<1x64x2x1x17x16xf32>
  %z0 = tensor.extract_slice %e1[0, 0, 0, 0, 15, 0] [1, 64, 1, 1, 2, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x1x17x16xf32> to tensor<1x64x2x16xf32>
  %f0 = linalg.fill ins(%zero : f32) outs(%z0 : tensor<1x64x2x16xf32>) -> tensor<1x64x2x16xf32>
  %ph = tensor.insert_slice %f0 into %e1[0, 0, 0, 0, 15, 0] [1, 64, 1, 1, 2, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x16xf32> into tensor<1x64x2x1x17x16xf32>
  %t0 = tensor.extract_slice %ph[0, 0, 0, 0, 0, 0] [1, 64, 1, 1, 16, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x1x17x16xf32> to tensor<1x64x16x16xf32>
  %t2 = tensor.extract_slice %ph[0, 0, 0, 0, 1, 0] [1, 64, 1, 1, 16, 16] [1, 1, 1, 1, 1, 1] : tensor<1x64x2x1x17x16xf32> to tensor<1x64x16x16xf32>
  %o = tensor.empty() : tensor<1x64x16x16xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%t0, %t2 : tensor<1x64x16x16xf32>, tensor<1x64x16x16xf32>) outs(%o : tensor<1x64x16x16xf32>) {
  ^bb0(%a: f32, %c: f32, %out: f32):
    %1 = arith.maximumf %a, %c : f32
    linalg.yield %1 : f32
  } -> tensor<1x64x16x16xf32>
  return %r : tensor<1x64x16x16xf32>
}

// -----

// Windows of a value that is not a padded copy (a function argument): no
// copy to rebuild, the op is tiled by rows like any elementwise op.
// CHECK-LABEL: func.func @negative_window_of_argument
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 32, 20)
// CHECK-NOT: step (1, 8)
func.func @negative_window_of_argument(%p: tensor<1x32x22x22xf32>) -> tensor<1x32x20x20xf32> {
  %a = tensor.extract_slice %p[0, 0, 0, 0] [1, 32, 20, 20] [1, 1, 1, 1] : tensor<1x32x22x22xf32> to tensor<1x32x20x20xf32>
  %b = tensor.extract_slice %p[0, 0, 2, 2] [1, 32, 20, 20] [1, 1, 1, 1] : tensor<1x32x22x22xf32> to tensor<1x32x20x20xf32>
  %e = tensor.empty() : tensor<1x32x20x20xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%a, %b : tensor<1x32x20x20xf32>, tensor<1x32x20x20xf32>) outs(%e : tensor<1x32x20x20xf32>) {
  ^bb0(%in0: f32, %in1: f32, %out: f32):
    %0 = arith.addf %in0, %in1 : f32
    linalg.yield %0 : f32
  } -> tensor<1x32x20x20xf32>
  return %r : tensor<1x32x20x20xf32>
}
