// RUN: accml-opt %s --split-input-file --mlir-print-elementsattrs-with-hex-if-larger=-1 --pass-pipeline='builtin.module(func.func(accml-pack{output-rows=false}))' | FileCheck %s
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{convolutions=false}))' | FileCheck %s --check-prefix=OFF
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{channels-last-width=0 output-rows=false}))' | FileCheck %s --check-prefix=PLANAR
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{output-rows=false},accml-tile-and-fuse))' | FileCheck %s --check-prefix=TILE
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{output-rows=false},accml-tile-and-fuse{parallel-blocks=4}))' | FileCheck %s --check-prefix=PAR
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{filter-block=4 output-rows=false}))' | FileCheck %s --check-prefix=BLOCK4
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{output-rows=false},accml-tile-and-fuse{window-block-bytes=5184 parallel-blocks=2 min-parallel-window-work=0}))' | FileCheck %s --check-prefix=CHUNKS
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{output-rows=false},accml-tile-and-fuse),canonicalize,func.func(accml-vectorize))' | FileCheck %s --check-prefix=VEC

// A 3x3 stride-1 convolution becomes a direct convolution on the image
// flattened per channel. Output positions run over whole input rows (8 rows
// of the 10-wide image: 80 columns, 3 panels of 32), so the image is padded
// to 12 rows (3 * 32 + the last tap's shift of 22 elements fit) and
// flattened; tap (r, s) reads it shifted by r * 10 + s, in place (no
// copy). The weight is rearranged into one block of 8 filters, tap-major,
// filters innermost (1 x 3 x 3 x 4 x 8); loops (n, filter block, filter,
// panel, position, r, s, c). The result (1 x 1 x 8 x 3 x 32: batch, filter
// blocks, filters, panels, positions) is collapsed to filters x columns and
// its valid columns (x < 8 of each 10) are copied out; the accumulator is
// zero, so nothing is added.
// CHECK-DAG: #[[BLOCK:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0 * 8 + d4, d3, d1, d2)>
// CHECK-DAG: #[[TAPS:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d1, d5, d6, d7, d2)>
// CHECK-DAG: #[[IMAGE:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d7, d3 * 32 + d4 + d5 * 10 + d6)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3, d4)>
// CHECK-LABEL: func.func @conv3x3
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x10x10xf32>, %[[W:.*]]: tensor<8x4x3x3xf32>)
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 0, 2, 0]
// CHECK: %[[C:.*]] = linalg.fill {{.*}} -> tensor<1x1x8x3x32xf32>
// CHECK: %[[A:.*]] = linalg.generic {indexing_maps = [#[[BLOCK]], #{{.*}}]{{.*}} ins(%[[W]] : tensor<8x4x3x3xf32>) outs(%{{.*}} : tensor<1x3x3x4x8xf32>)
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[PAD]] {{\[}}[0], [1], [2, 3]] : tensor<1x4x12x10xf32> into tensor<1x4x120xf32>
// CHECK: %[[CONV:.*]] = linalg.generic {indexing_maps = [#[[TAPS]], #[[IMAGE]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[A]], %[[FLAT]] : tensor<1x3x3x4x8xf32>, tensor<1x4x120xf32>) outs(%[[C]] : tensor<1x1x8x3x32xf32>)
// CHECK-NEXT: ^bb0(%[[IA:[^:]*]]: f32, %[[IB:[^:]*]]: f32, %[[IC:[^:]*]]: f32):
// CHECK-NEXT: %[[MUL:.*]] = arith.mulf %[[IA]], %[[IB]]
// CHECK-NEXT: arith.addf %[[IC]], %[[MUL]]
// CHECK: tensor.collapse_shape %[[CONV]] {{\[}}[0], [1, 2], [3, 4]] : tensor<1x1x8x3x32xf32> into tensor<1x8x96xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [1, 8, 80]
// CHECK: tensor.expand_shape %{{.*}} output_shape [1, 8, 8, 10]
// CHECK: %[[VALID:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 8, 8, 8]
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[VALID]] : tensor<1x8x8x8xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]]
// CHECK: return %[[R]]
// CHECK-NOT: linalg.conv_2d

// filter-block=4: the 8 filters are two blocks of 4, the weight 2 x 3 x 3
// x 4 x 4 and the result 1 x 2 x 4 x 3 x 32, collapsed to 8 filters.
// BLOCK4-LABEL: func.func @conv3x3
// BLOCK4: linalg.fill {{.*}} -> tensor<1x2x4x3x32xf32>
// BLOCK4: %[[A4:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<8x4x3x3xf32>) outs(%{{.*}} : tensor<2x3x3x4x4xf32>)
// BLOCK4: linalg.generic {{.*}} ins(%[[A4]], %{{.*}} : tensor<2x3x3x4x4xf32>, tensor<1x4x120xf32>) outs(%{{.*}} : tensor<1x2x4x3x32xf32>)
// BLOCK4: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2], [3, 4]] : tensor<1x2x4x3x32xf32> into tensor<1x8x96xf32>

// OFF-LABEL: func.func @conv3x3
// OFF: linalg.conv_2d_nchw_fchw

// The register tile's channel loop, nested in the window's row and column
// loops (which carry the accumulator too), is not unrolled: one
// contraction per channel.
// VEC-LABEL: func.func @conv3x3
// VEC: scf.for {{.*}} to %c3 step %c1 iter_args({{.*}}) -> (vector<8x32xf32>)
// VEC: scf.for {{.*}} to %c3 step %c1 iter_args({{.*}}) -> (vector<8x32xf32>)
// VEC: scf.for {{.*}} to %c4 step %c1 iter_args(%[[A:.*]] = {{.*}}) -> (vector<8x32xf32>)
// VEC: %[[R:.*]] = vector.contract {{.*}} %[[A]] : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// VEC-NEXT: scf.yield %[[R]] : vector<8x32xf32>
func.func @conv3x3(%x: tensor<1x4x10x10xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x8x8xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x10x10xf32>, tensor<8x4x3x3xf32>) outs(%acc : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// A strided 1x1 kernel: every second row and column is copied first, then
// the 8x8 images (2 panels of 32 positions each: no padding) are read in
// place, batch by batch; 24 filters are 3 blocks of 8. The accumulator (an
// argument) is added to the valid columns.
// CHECK-DAG: #[[$SUB:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3 * 2)>
// CHECK-DAG: #[[$SHIFT1:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d7, d3 * 32 + d4 + d5 * 8 + d6)>
// CHECK-LABEL: func.func @conv1x1_strided
// CHECK-SAME: %[[ACC:[^:]*]]: tensor<2x24x8x8xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$SUB]], #{{.*}}]{{.*}} ins(%{{.*}} : tensor<2x16x15x15xf32>) outs(%{{.*}} : tensor<2x16x8x8xf32>)
// CHECK: tensor.empty() : tensor<3x1x1x16x8xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[$SHIFT1]], #{{.*}}]{{.*}} ins(%{{.*}}, %{{.*}} : tensor<3x1x1x16x8xf32>, tensor<2x16x64xf32>) outs(%{{.*}} : tensor<2x3x8x2x32xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[ACC]] : tensor<2x24x8x8xf32>, tensor<2x24x8x8xf32>)
// CHECK: arith.addf
// A 1x1 kernel's channel loop is the tile's only reduction loop: unrolled
// 4 times.
// VEC-LABEL: func.func @conv1x1_strided
// VEC: scf.for {{.*}} to %c16 step %c4 iter_args(%[[A:.*]] = {{.*}}) -> (vector<8x32xf32>)
// VEC: %[[R1:.*]] = vector.contract {{.*}} %[[A]] :
// VEC: %[[R2:.*]] = vector.contract {{.*}} %[[R1]] :
// VEC: %[[R3:.*]] = vector.contract {{.*}} %[[R2]] :
// VEC: %[[R4:.*]] = vector.contract {{.*}} %[[R3]] :
// VEC-NEXT: scf.yield %[[R4]] : vector<8x32xf32>
func.func @conv1x1_strided(%x: tensor<2x16x15x15xf32>, %w: tensor<24x16x1x1xf32>, %acc: tensor<2x24x8x8xf32>) -> tensor<2x24x8x8xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<2x16x15x15xf32>, tensor<24x16x1x1xf32>) outs(%acc : tensor<2x24x8x8xf32>) -> tensor<2x24x8x8xf32>
  return %0 : tensor<2x24x8x8xf32>
}

// -----

// When the panels need extra rows (14 x 14 positions in 7 panels of 32:
// 16 rows of 14), the subsampled copy is written straight into the image
// with its extra rows, which are zeroed on their own: no padded copy of
// the copy.
// CHECK-LABEL: func.func @conv1x1_strided_rows
// CHECK: %[[IMG:.*]] = tensor.empty() : tensor<1x16x16x14xf32>
// CHECK: %[[STRIP:.*]] = tensor.extract_slice %[[IMG]][0, 0, 14, 0] [1, 16, 2, 14]
// CHECK: %[[ZEROS:.*]] = linalg.fill {{.*}} outs(%[[STRIP]] : tensor<1x16x2x14xf32>)
// CHECK: %[[IMG2:.*]] = tensor.insert_slice %[[ZEROS]] into %[[IMG]][0, 0, 14, 0] [1, 16, 2, 14]
// CHECK: %[[DEST:.*]] = tensor.extract_slice %[[IMG2]][0, 0, 0, 0] [1, 16, 14, 14]
// CHECK: %[[COPY:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<1x16x27x27xf32>) outs(%[[DEST]] : tensor<1x16x14x14xf32>)
// CHECK: tensor.insert_slice %[[COPY]] into %[[IMG2]][0, 0, 0, 0] [1, 16, 14, 14]
// CHECK-NOT: tensor.pad
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x16x16x14xf32> into tensor<1x16x224xf32>
func.func @conv1x1_strided_rows(%x: tensor<1x16x27x27xf32>, %w: tensor<24x16x1x1xf32>, %acc: tensor<1x24x14x14xf32>) -> tensor<1x24x14x14xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x16x27x27xf32>, tensor<24x16x1x1xf32>) outs(%acc : tensor<1x24x14x14xf32>) -> tensor<1x24x14x14xf32>
  return %0 : tensor<1x24x14x14xf32>
}

// -----

// A 3x3 stride-2 kernel: the 5x5 image (padded with zeros) is split into
// its 2 x 2 phases of 3 columns (space-to-depth), 12 rows each so that the
// shifted reads of the one panel of 32 positions stay inside: per phase,
// zeros where it holds no input element (rows 3 to 11 of phase (0, 0); rows
// 3 to 11 and column 2 of phase (0, 1) ...) and a strided copy of its part
// of the input (3x3, 3x2, 2x3 and 2x2 of the 5x5 input); no padded copy
// first, no element written twice. Each phase
// is a stride-1 direct convolution of its own taps, accumulating into the
// same result: tap (r, s) of phase (p, q) is w[2r + p][2s + q], so phase
// (0, 0) has 2 x 2 taps (1, 3, 7, 9), (0, 1) 2 x 1 (2, 8), (1, 0) 1 x 2
// (4, 6) and (1, 1) one (5): nine taps, none past the kernel. The constant
// weights are rearranged at compile time (one block of 8 filters, seven of
// them zero).
// CHECK-DAG: #[[$P00:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2, d3 * 2)>
// CHECK-DAG: #[[$P11:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2 * 2 + 1, d3 * 2 + 1)>
// CHECK-LABEL: func.func @conv3x3_stride2_constant
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x1x5x5xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<2x2x1x1x12x3xf32>
// CHECK-NOT: linalg.fill {{.*}} -> tensor<2x2x1x1x12x3xf32>
// CHECK: %[[Z00:.*]] = linalg.fill {{.*}} -> tensor<1x1x9x3xf32>
// CHECK: %[[ZERO:.*]] = tensor.insert_slice %[[Z00]] into %[[EMPTY]][0, 0, 0, 0, 3, 0] [1, 1, 1, 1, 9, 3]
// CHECK: %[[D00:.*]] = tensor.extract_slice %[[ZERO]][0, 0, 0, 0, 0, 0] [1, 1, 1, 1, 3, 3]
// CHECK: %[[C00:.*]] = linalg.generic {indexing_maps = [#[[$P00]], #{{.*}}]{{.*}} ins(%[[X]] : tensor<1x1x5x5xf32>) outs(%[[D00]] : tensor<1x1x3x3xf32>)
// CHECK: %[[I00:.*]] = tensor.insert_slice %[[C00]] into %[[ZERO]][0, 0, 0, 0, 0, 0] [1, 1, 1, 1, 3, 3]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 0, 0, 3, 0] [1, 1, 1, 1, 9, 3]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 0, 0, 0, 2] [1, 1, 1, 1, 3, 1]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 1, 0, 0, 0, 0] [1, 1, 1, 1, 3, 2]
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[1, 0, 0, 0, 0, 0] [1, 1, 1, 1, 2, 3]
// CHECK: linalg.generic {indexing_maps = [#[[$P11]], #{{.*}}]{{.*}} ins(%[[X]] : tensor<1x1x5x5xf32>) outs(%{{.*}} : tensor<1x1x2x2xf32>)
// CHECK: %[[PH:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[1, 1, 0, 0, 0, 0] [1, 1, 1, 1, 2, 2]
// CHECK: %[[P00:.*]] = tensor.extract_slice %[[PH]][0, 0, 0, 0, 0, 0] [1, 1, 1, 1, 12, 3]
// CHECK: %[[P01:.*]] = tensor.extract_slice %[[PH]][0, 1, 0, 0, 0, 0] [1, 1, 1, 1, 12, 3]
// CHECK: %[[P10:.*]] = tensor.extract_slice %[[PH]][1, 0, 0, 0, 0, 0] [1, 1, 1, 1, 12, 3]
// CHECK: %[[P11:.*]] = tensor.extract_slice %[[PH]][1, 1, 0, 0, 0, 0] [1, 1, 1, 1, 12, 3]
// CHECK: %[[C:.*]] = linalg.fill {{.*}} -> tensor<1x1x8x1x32xf32>
// CHECK: %[[W00:.*]] = arith.constant dense<{{\[\[\[\[\[}}1.000000e+00, {{[^]]*}}]], {{\[\[}}3.000000e+00, {{[^]]*}}]]], {{\[\[\[}}7.000000e+00, {{[^]]*}}]], {{\[\[}}9.000000e+00, {{[^]]*}}]]]]]> : tensor<1x2x2x1x8xf32>
// CHECK: %[[F00:.*]] = tensor.collapse_shape %[[P00]]
// CHECK: %[[C00:.*]] = linalg.generic {{.*}} ins(%[[W00]], %[[F00]] : tensor<1x2x2x1x8xf32>, tensor<1x1x36xf32>) outs(%[[C]] : tensor<1x1x8x1x32xf32>)
// CHECK: %[[W01:.*]] = arith.constant dense<{{\[\[\[\[\[}}2.000000e+00, {{[^]]*}}]]], {{\[\[\[}}8.000000e+00, {{[^]]*}}]]]]]> : tensor<1x2x1x1x8xf32>
// CHECK: %[[F01:.*]] = tensor.collapse_shape %[[P01]]
// CHECK: %[[C01:.*]] = linalg.generic {{.*}} ins(%[[W01]], %[[F01]] : tensor<1x2x1x1x8xf32>, tensor<1x1x36xf32>) outs(%[[C00]] : tensor<1x1x8x1x32xf32>)
// CHECK: %[[W10:.*]] = arith.constant dense<{{\[\[\[\[\[}}4.000000e+00, {{[^]]*}}]], {{\[\[}}6.000000e+00, {{[^]]*}}]]]]]> : tensor<1x1x2x1x8xf32>
// CHECK: %[[C10:.*]] = linalg.generic {{.*}} ins(%[[W10]], %{{.*}} : tensor<1x1x2x1x8xf32>, tensor<1x1x36xf32>) outs(%[[C01]] : tensor<1x1x8x1x32xf32>)
// CHECK: %[[W11:.*]] = arith.constant dense<{{\[\[\[\[\[}}5.000000e+00, {{[^]]*}}]]]]]> : tensor<1x1x1x1x8xf32>
// CHECK: %[[C11:.*]] = linalg.generic {{.*}} ins(%[[W11]], %{{.*}} : tensor<1x1x1x1x8xf32>, tensor<1x1x36xf32>) outs(%[[C10]] : tensor<1x1x8x1x32xf32>)
// CHECK: tensor.collapse_shape %[[C11]]
// CHECK-NOT: linalg.conv_2d
func.func @conv3x3_stride2_constant(%x: tensor<1x1x5x5xf32>, %acc: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]]> : tensor<1x1x3x3xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>) outs(%acc : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// Strided and dilated kernels, and dynamic shapes, keep the convolution.
// CHECK-LABEL: func.func @strided_dilated
// CHECK: linalg.conv_2d_nchw_fchw
func.func @strided_dilated(%x: tensor<1x4x11x11xf32>, %w: tensor<6x4x3x3xf32>, %acc: tensor<1x6x4x4xf32>) -> tensor<1x6x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x4x11x11xf32>, tensor<6x4x3x3xf32>) outs(%acc : tensor<1x6x4x4xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @dynamic_batch
// CHECK: linalg.conv_2d_nchw_fchw
func.func @dynamic_batch(%x: tensor<?x4x10x10xf32>, %w: tensor<8x4x3x3xf32>, %acc: tensor<?x8x8x8xf32>) -> tensor<?x8x8x8xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<?x4x10x10xf32>, tensor<8x4x3x3xf32>) outs(%acc : tensor<?x8x8x8xf32>) -> tensor<?x8x8x8xf32>
  return %0 : tensor<?x8x8x8xf32>
}

// -----

// A depthwise convolution becomes one elementwise generic over the output:
// nine unit-stride 8x8 windows of the input, the nine per-channel tap
// weights, and the bias as an input (its broadcast fused), multiply-added
// in tap order; the ReLU that consumed the convolution is fused too.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @depthwise
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x10x10xf32>, %[[W:[^:]*]]: tensor<4x3x3xf32>, %[[B:[^:]*]]: tensor<4xf32>)
// CHECK: %[[W00:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1]
// CHECK: tensor.extract_slice %[[X]][0, 0, 0, 1] [1, 4, 8, 8]
// CHECK: %[[W22:.*]] = tensor.extract_slice %[[X]][0, 0, 2, 2] [1, 4, 8, 8]
// CHECK: %[[K00:.*]] = tensor.extract_slice %[[W]][0, 0, 0] [4, 1, 1] [1, 1, 1] : tensor<4x3x3xf32> to tensor<4xf32>
// CHECK: %[[K22:.*]] = tensor.extract_slice %[[W]][0, 2, 2] [4, 1, 1]
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ID]], #[[$ID]], #[[$ID]], #[[$ID]], #[[$ID]], #[[$ID]], #[[$ID]], #[[$ID]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$ID]]]
// CHECK-SAME: ins(%[[W00]], {{.*}}, %[[W22]], %[[K00]], {{.*}}, %[[K22]], %[[B]] :
// CHECK-NEXT: ^bb0(%[[I0:[^:]*]]: f32, {{.*}}, %[[BIAS:[^:]*]]: f32, %{{[^:]*}}: f32):
// CHECK-NEXT: math.fma %[[I0]], %{{.*}}, %[[BIAS]] : f32
// CHECK-COUNT-7: math.fma
// CHECK-NEXT: %[[S8:.*]] = math.fma
// CHECK: %[[RELU:.*]] = arith.maximumf %[[S8]]
// CHECK-NEXT: linalg.yield %[[RELU]]
// CHECK: return %[[R]]
// CHECK-NOT: linalg.depthwise_conv_2d
func.func @depthwise(%x: tensor<1x4x10x10xf32>, %w: tensor<4x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %e = tensor.empty() : tensor<1x4x8x8xf32>
  %acc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<4xf32>) outs(%e : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x4x8x8xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x10x10xf32>, tensor<4x3x3xf32>) outs(%acc : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x4x8x8xf32>) outs(%e : tensor<1x4x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %in, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x4x8x8xf32>
  return %r : tensor<1x4x8x8xf32>
}

// -----

// Strided: the 9x9 input is split into its 2x2 phases of 5x5 (per phase,
// zeros in the row and column it has no input for, and a strided copy of
// its part of the input: 5x5, 5x4, 4x5 and 4x4; no padded copy of the
// input first); tap (r, s) reads phase
// (r % 2, s % 2) at offset (r / 2, s / 2). The
// accumulator is zero: no bias operand, the first tap is a product.
// CHECK-LABEL: func.func @depthwise_strided
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x9x9xf32>
// CHECK-NOT: linalg.fill {{.*}} -> tensor<1x2x2x2x5x5xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<1x2x9x9xf32>) outs(%{{.*}} : tensor<1x2x5x5xf32>)
// CHECK: linalg.fill {{.*}} -> tensor<1x2x5x1xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<1x2x9x9xf32>) outs(%{{.*}} : tensor<1x2x5x4xf32>)
// CHECK: linalg.fill {{.*}} -> tensor<1x2x1x5xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<1x2x9x9xf32>) outs(%{{.*}} : tensor<1x2x4x5xf32>)
// CHECK: linalg.fill {{.*}} -> tensor<1x2x1x5xf32>
// CHECK: linalg.fill {{.*}} -> tensor<1x2x4x1xf32>
// CHECK: linalg.generic {{.*}} ins(%[[X]] : tensor<1x2x9x9xf32>) outs(%{{.*}} : tensor<1x2x4x4xf32>)
// CHECK: %[[PH:.*]] = tensor.insert_slice %{{.*}}[0, 0, 1, 1, 0, 0] [1, 2, 1, 1, 4, 4]
// CHECK: tensor.extract_slice %[[PH]][0, 0, 0, 0, 0, 0] [1, 2, 1, 1, 4, 4]
// CHECK: tensor.extract_slice %[[PH]][0, 0, 0, 1, 0, 0] [1, 2, 1, 1, 4, 4]
// CHECK: tensor.extract_slice %[[PH]][0, 0, 0, 0, 0, 1] [1, 2, 1, 1, 4, 4]
// CHECK: tensor.extract_slice %[[PH]][0, 0, 1, 0, 0, 0] [1, 2, 1, 1, 4, 4]
// CHECK: tensor.extract_slice %[[PH]][0, 0, 0, 0, 1, 1] [1, 2, 1, 1, 4, 4]
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.mulf
// CHECK-COUNT-8: math.fma
func.func @depthwise_strided(%x: tensor<1x2x9x9xf32>, %w: tensor<2x3x3xf32>) -> tensor<1x2x4x4xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x4x4xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x2x9x9xf32>, tensor<2x3x3xf32>) outs(%acc : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// Rows of 32 (two registers): 2 output rows per tile, 16 columns at a
// time; an input row that both kernel rows of the tile read is loaded as
// aligned registers (the row's interior starts at column 16, so the taps
// read columns 15, 16 and 17 of each piece) and its taps are pairs of them
// shifted together.
// VEC-LABEL: func.func @depthwise_wide_rows
// VEC: scf.forall (%{{.*}}) = (0) to (32) step (2)
// VEC: scf.for %{{.*}} = %c0 to %c32 step %c16
// VEC: vector.shuffle %{{.*}}, %{{.*}} [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30] : vector<16xf32>, vector<16xf32>
// VEC: vector.shuffle %{{.*}}, %{{.*}} [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] : vector<16xf32>, vector<16xf32>
func.func @depthwise_wide_rows(%x: tensor<1x2x32x32xf32>, %w: tensor<2x3x3xf32>) -> tensor<1x2x32x32xf32> {
  %cst = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %cst : f32
  } : tensor<1x2x32x32xf32> to tensor<1x2x34x34xf32>
  %e = tensor.empty() : tensor<1x2x32x32xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x2x32x32xf32>) -> tensor<1x2x32x32xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x2x34x34xf32>, tensor<2x3x3xf32>) outs(%acc : tensor<1x2x32x32xf32>) -> tensor<1x2x32x32xf32>
  return %0 : tensor<1x2x32x32xf32>
}

// -----

// Phases of 15 columns (a 28 x 28 image padded by one, stride 2) are
// padded to 16, one register: the taps read whole registers from an
// aligned column (a shifted copy for the tap one column right), not masked
// reads of 15-wide rows.
// CHECK-LABEL: func.func @depthwise_strided_phase_rows
// CHECK: tensor.empty() : tensor<1x2x2x2x15x16xf32>
// VEC-LABEL: func.func @depthwise_strided_phase_rows
// VEC: vector.shuffle %{{.*}}, %{{.*}} [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] : vector<16xf32>, vector<16xf32>
func.func @depthwise_strided_phase_rows(%x: tensor<1x2x28x28xf32>, %w: tensor<2x3x3xf32>) -> tensor<1x2x14x14xf32> {
  %cst = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %cst : f32
  } : tensor<1x2x28x28xf32> to tensor<1x2x30x30xf32>
  %e = tensor.empty() : tensor<1x2x14x14xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x2x14x14xf32>) -> tensor<1x2x14x14xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %w : tensor<1x2x30x30xf32>, tensor<2x3x3xf32>) outs(%acc : tensor<1x2x14x14xf32>) -> tensor<1x2x14x14xf32>
  return %0 : tensor<1x2x14x14xf32>
}

// -----

// A direct convolution with a bias: the bias broadcast fuses into the
// copy-out, which adds it.
// CHECK-LABEL: func.func @conv_bias
// CHECK-SAME: %[[B:[^:]*]]: tensor<8xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: %[[OUT:.*]] = linalg.generic {{.*}} ins(%{{.*}}, %[[B]] : tensor<1x8x8x8xf32>, tensor<8xf32>)
// CHECK: arith.addf
// CHECK: return %[[OUT]]
func.func @conv_bias(%x: tensor<1x4x10x10xf32>, %w: tensor<8x4x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x8x8xf32> {
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %acc = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<8xf32>) outs(%e : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x8xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x10x10xf32>, tensor<8x4x3x3xf32>) outs(%acc : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// Max pooling with a -inf accumulator: the maximum over the nine windows
// of the input's 2x2 phases (stride 2), without the accumulator.
// CHECK-LABEL: func.func @maxpool
// CHECK: linalg.fill {{.*}} -> tensor<1x4x1x6xf32>
// CHECK: %[[PH:.*]] = tensor.insert_slice %{{.*}}[0, 0, 1, 1, 0, 0] [1, 4, 1, 1, 5, 5]
// CHECK: tensor.extract_slice %[[PH]][0, 0, 0, 0, 0, 0] [1, 4, 1, 1, 5, 5]
// CHECK: tensor.extract_slice %[[PH]][0, 0, 0, 0, 1, 1] [1, 4, 1, 1, 5, 5]
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0(%[[A:[^:]*]]: f32, %[[B:[^:]*]]: f32,
// CHECK-NEXT: arith.maximumf %[[A]], %[[B]] : f32
// CHECK-COUNT-7: arith.maximumf
// CHECK-NEXT: linalg.yield
// CHECK-NOT: linalg.pooling
func.func @maxpool(%x: tensor<1x4x11x11xf32>) -> tensor<1x4x5x5xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x4x5x5xf32>
  %acc = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %0 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x4x11x11xf32>, tensor<3x3xf32>) outs(%acc : tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// -----

// Sum pooling (stride 1) with a zero accumulator: four unit-stride windows
// added.
// CHECK-LABEL: func.func @sumpool
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 1, 1] [1, 4, 7, 7]
// CHECK: linalg.generic
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.addf
// CHECK-NEXT: arith.addf
// CHECK-NEXT: arith.addf
// CHECK-NEXT: linalg.yield
// CHECK-NOT: linalg.pooling
func.func @sumpool(%x: tensor<1x4x8x8xf32>) -> tensor<1x4x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x7x7xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  %w = tensor.empty() : tensor<2x2xf32>
  %0 = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x8x8xf32>, tensor<2x2xf32>) outs(%acc : tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  return %0 : tensor<1x4x7x7xf32>
}

// -----

// A grouped convolution: one convolution per group on slices of the input,
// weight and accumulator, each a direct convolution, inserted back into
// the accumulator.
// CHECK-LABEL: func.func @grouped
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x2x4x10x10xf32>, %[[W:[^:]*]]: tensor<2x8x4x3x3xf32>, %[[ACC:[^:]*]]: tensor<1x2x8x8x8xf32>)
// CHECK: tensor.extract_slice %[[X]][0, 0, 0, 0, 0] [1, 1, 4, 10, 10] [1, 1, 1, 1, 1] : tensor<1x2x4x10x10xf32> to tensor<1x4x10x10xf32>
// CHECK: tensor.extract_slice %[[W]][0, 0, 0, 0, 0] [1, 8, 4, 3, 3] [1, 1, 1, 1, 1] : tensor<2x8x4x3x3xf32> to tensor<8x4x3x3xf32>
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: %[[G0:.*]] = tensor.insert_slice %{{.*}} into %[[ACC]][0, 0, 0, 0, 0] [1, 1, 8, 8, 8]
// CHECK: tensor.extract_slice %[[X]][0, 1, 0, 0, 0] [1, 1, 4, 10, 10]
// CHECK: tensor.extract_slice %[[W]][1, 0, 0, 0, 0] [1, 8, 4, 3, 3]
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: %[[G1:.*]] = tensor.insert_slice %{{.*}} into %[[G0]][0, 1, 0, 0, 0] [1, 1, 8, 8, 8]
// CHECK: return %[[G1]]
// CHECK-NOT: linalg.conv
func.func @grouped(%x: tensor<1x2x4x10x10xf32>, %w: tensor<2x8x4x3x3xf32>, %acc: tensor<1x2x8x8x8xf32>) -> tensor<1x2x8x8x8xf32> {
  %0 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x4x10x10xf32>, tensor<2x8x4x3x3xf32>) outs(%acc : tensor<1x2x8x8x8xf32>) -> tensor<1x2x8x8x8xf32>
  return %0 : tensor<1x2x8x8x8xf32>
}

// -----

// Tiling a direct convolution (accml-tile-and-fuse): 12 filters are two
// blocks of 8 (the second padded with zero filters). One parallel block
// covers both filter blocks and the 3 panels; inside it, the panel loop
// runs outside the filter-block loop, then the taps (r, s) and the 4
// channels; each register tile is an 8 x 1 times 1 x 32 matmul on the
// weight's 8 contiguous filters of one tap and channel, 32 positions of
// one channel of the image read in place (shifted by the tap), and the
// 8 x 32 tile of the result.
// TILE-LABEL: func.func @conv_tiles
// TILE: %[[A:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x3x3x4x8xf32>)
// TILE: %[[FLAT:.*]] = tensor.collapse_shape {{.*}} into tensor<1x4x120xf32>
// TILE: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 2, 3) step (1, 2, 3) shared_outs(%{{.*}}) -> (tensor<1x2x8x3x32xf32>)
// TILE: %[[ABLOCK:.*]] = tensor.extract_slice %[[A]]
// TILE: %[[IMAGE:.*]] = tensor.extract_slice %[[FLAT]][%{{.*}}, 0, %{{.*}}] [1, 4, 118]
// TILE: scf.for %[[P:.*]] = %c0 to %c3 step %c1
// TILE-NEXT: scf.for %[[FB:.*]] = %c0 to %c2 step %c1
// TILE-NEXT: scf.for %[[R:.*]] = %c0 to %c3 step %c1
// TILE-NEXT: scf.for %[[S:.*]] = %c0 to %c3 step %c1
// TILE-NEXT: scf.for %[[C:.*]] = %c0 to %c4 step %c1
// TILE: tensor.extract_slice %[[ABLOCK]][%[[FB]], %[[R]], %[[S]], %[[C]], 0] [1, 1, 1, 1, 8] [1, 1, 1, 1, 1] : tensor<2x3x3x4x8xf32> to tensor<8xf32>
// TILE: tensor.extract_slice %[[IMAGE]][0, %[[C]], %{{.*}}] [1, 1, 32] [1, 1, 1] : tensor<1x4x118xf32> to tensor<1x32xf32>
// TILE: tensor.extract_slice %{{.*}}[0, %[[FB]], 0, %[[P]], 0] [1, 1, 8, 1, 32] [1, 1, 1, 1, 1] : tensor<1x2x8x3x32xf32> to tensor<8x32xf32>
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<8x32xf32>)
// TILE: tensor.extract_slice %{{.*}}[0, 0, 0] [1, 12, 80] [1, 1, 1] : tensor<1x16x96xf32> to tensor<1x12x80xf32>
func.func @conv_tiles(%x: tensor<1x4x10x10xf32>, %w: tensor<12x4x3x3xf32>) -> tensor<1x12x8x8xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x12x8x8xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x12x8x8xf32>) -> tensor<1x12x8x8xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x10x10xf32>, tensor<12x4x3x3xf32>) outs(%acc : tensor<1x12x8x8xf32>) -> tensor<1x12x8x8xf32>
  return %0 : tensor<1x12x8x8xf32>
}

// -----

// A padded input of a window op is padded again so that its rows start on a
// 64-byte line and are whole lines (1 + 20 + 1 columns become 16 + 20 + 12),
// and the windows move right with them (column 16 - 1 + s for tap s).
// CHECK-LABEL: func.func @depthwise_aligned_rows
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x10x20xf32>
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 16] high[0, 0, 1, 12]
// CHECK: tensor<1x4x10x20xf32> to tensor<1x4x12x48xf32>
// CHECK: tensor.extract_slice %[[PAD]][0, 0, 0, 15] [1, 4, 10, 20]
// CHECK: tensor.extract_slice %[[PAD]][0, 0, 0, 16] [1, 4, 10, 20]
// CHECK: tensor.extract_slice %[[PAD]][0, 0, 2, 17] [1, 4, 10, 20]
func.func @depthwise_aligned_rows(%x: tensor<1x4x10x20xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x10x20xf32> {
  %cst = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %cst : f32
  } : tensor<1x4x10x20xf32> to tensor<1x4x12x22xf32>
  %e = tensor.empty() : tensor<1x4x10x20xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x4x10x20xf32>) -> tensor<1x4x10x20xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x4x12x22xf32>, tensor<4x3x3xf32>) outs(%acc : tensor<1x4x10x20xf32>) -> tensor<1x4x10x20xf32>
  return %0 : tensor<1x4x10x20xf32>
}

// -----

// A padded row of at most one line (1 + 10 + 1 columns) is only padded to
// the whole line (1 + 10 + 5), not moved: the windows stay at columns s.
// CHECK-LABEL: func.func @depthwise_one_line_rows
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x4x10x10xf32>
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 5]
// CHECK: tensor<1x4x10x10xf32> to tensor<1x4x12x16xf32>
// CHECK: tensor.extract_slice %[[PAD]][0, 0, 0, 0] [1, 4, 10, 10]
// CHECK: tensor.extract_slice %[[PAD]][0, 0, 2, 2] [1, 4, 10, 10]
func.func @depthwise_one_line_rows(%x: tensor<1x4x10x10xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x10x10xf32> {
  %cst = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %cst : f32
  } : tensor<1x4x10x10xf32> to tensor<1x4x12x12xf32>
  %e = tensor.empty() : tensor<1x4x10x10xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x4x10x10xf32>) -> tensor<1x4x10x10xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x4x12x12xf32>, tensor<4x3x3xf32>) outs(%acc : tensor<1x4x10x10xf32>) -> tensor<1x4x10x10xf32>
  return %0 : tensor<1x4x10x10xf32>
}

// -----

// 16 channels (a multiple of 16) on a 7 x 7 image: channels last. The image
// is copied to N x H x W x C and padded there, every tap is a window of
// that copy read through (n, c, y, x) -> (n, y, x, c), the weights are
// rearranged KH x KW x C, and the window op writes channels last too; a
// copy-out to NCHW adds the bias. With channels-last-width=0, the NCHW form.
// CHECK-DAG: #[[$ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CL:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
// CHECK-DAG: #[[$CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-DAG: #[[$TAPS:.*]] = affine_map<(d0, d1, d2) -> (d2, d0, d1)>
// CHECK-LABEL: func.func @depthwise_channels_last
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x16x7x7xf32>, %[[W:[^:]*]]: tensor<16x3x3xf32>, %[[B:[^:]*]]: tensor<16xf32>)
// CHECK: %[[LAST:.*]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$CL]]]{{.*}} ins(%[[X]] : tensor<1x16x7x7xf32>) outs(%{{.*}} : tensor<1x7x7x16xf32>)
// CHECK: %[[PAD:.*]] = tensor.pad %[[LAST]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor<1x7x7x16xf32> to tensor<1x9x9x16xf32>
// CHECK: tensor.extract_slice %[[PAD]][0, 0, 0, 0] [1, 7, 7, 16] [1, 1, 1, 1]
// CHECK: tensor.extract_slice %[[PAD]][0, 2, 2, 0] [1, 7, 7, 16] [1, 1, 1, 1]
// CHECK: %[[TAPS:.*]] = linalg.generic {indexing_maps = [#[[$TAPS]], {{.*}}]{{.*}} ins(%[[W]] : tensor<16x3x3xf32>) outs(%{{.*}} : tensor<3x3x16xf32>)
// CHECK: tensor.extract_slice %[[TAPS]][2, 2, 0] [1, 1, 16] [1, 1, 1] : tensor<3x3x16xf32> to tensor<16xf32>
// CHECK: %[[WIN:.*]] = linalg.generic {indexing_maps = [#[[$CL]], #[[$CL]], #[[$CL]], #[[$CL]], #[[$CL]], #[[$CL]], #[[$CL]], #[[$CL]], #[[$CL]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CL]]]{{.*}} outs(%{{.*}} : tensor<1x7x7x16xf32>)
// CHECK: arith.mulf
// CHECK-COUNT-8: math.fma
// CHECK: linalg.generic {indexing_maps = [#[[$CL]], #[[$CH]], #[[$ID]]]{{.*}} ins(%[[WIN]], %[[B]] : tensor<1x7x7x16xf32>, tensor<16xf32>) outs(%{{.*}} : tensor<1x16x7x7xf32>)
// CHECK: arith.addf
// PLANAR-LABEL: func.func @depthwise_channels_last
// PLANAR-NOT: tensor<1x7x7x16xf32>
// PLANAR: tensor.extract_slice {{.*}} : tensor<1x16x9x16xf32> to tensor<1x16x7x7xf32>
// Tiled: channel blocks (one of 16) across the threads, each copying its
// channels to channels last on its images collapsed to rows of 49
// positions (16 x 16 transposes of the first 48, one tile of the last),
// padding them, computing its windows a row at a time (7 positions x 16
// channels, no transposes) and copying them out to NCHW the same way, the
// bias added there.
// TILE-LABEL: func.func @depthwise_channels_last
// TILE: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (1, 16) step (1, 16) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<1x16x7x7xf32>)
// TILE: %[[RESULT:.*]] = tensor.empty() : tensor<1x7x7x16xf32>
// TILE: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<1x16x7x7xf32> into tensor<1x16x49xf32>
// TILE: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 16, 48) step (1, 16, 16)
// TILE: linalg.generic {{.*}} ins(%{{.*}} : tensor<16x16xf32>) outs(%{{.*}} : tensor<16x16xf32>)
// TILE: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 16, 1) step (1, 16, 1)
// TILE: linalg.generic {{.*}} ins(%{{.*}} : tensor<16x1xf32>) outs(%{{.*}} : tensor<1x16xf32>)
// TILE: %[[IMAGE:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3]] output_shape [1, 7, 7, 16]
// TILE: tensor.pad %[[IMAGE]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// TILE: %[[WIN:.*]] = scf.forall (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0, 0) to (1, 16, 7, 7) step (1, 16, 1, 7) shared_outs(%{{.*}} = %[[RESULT]])
// TILE: linalg.generic {{.*}} : tensor<7x16xf32>, {{.*}}, tensor<16xf32>) outs(%{{.*}} : tensor<7x16xf32>)
// TILE: tensor.collapse_shape %[[WIN]] {{\[\[}}0], [1, 2], [3]] : tensor<1x7x7x16xf32> into tensor<1x49x16xf32>
// TILE: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 16, 48) step (1, 16, 16)
// TILE: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<16x16xf32>, tensor<16xf32>) outs(%{{.*}} : tensor<16x16xf32>)
// TILE: arith.addf
// TILE: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 16, 1) step (1, 16, 1)
// TILE: tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] output_shape [1, 16, 7, 7]
// Vectorised, a window tile is a row of 7 positions x 16 channels: the nine
// taps' FMAs on vector<7x16xf32>, written to the block's buffer without a
// transpose.
// VEC-LABEL: func.func @depthwise_channels_last
// VEC: arith.mulf %{{.*}}, %{{.*}} : vector<7x16xf32>
// VEC-COUNT-8: math.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<7x16xf32>
// VEC-NEXT: vector.transfer_write %{{.*}}, %{{.*}}[%c0, %c0, %c0, %c0] {in_bounds = [true, true]} : vector<7x16xf32>, tensor<1x1x7x16xf32>
#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#channel = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @depthwise_channels_last(%x: tensor<1x16x7x7xf32>, %w: tensor<16x3x3xf32>, %b: tensor<16xf32>) -> tensor<1x16x7x7xf32> {
  %cst = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %cst : f32
  } : tensor<1x16x7x7xf32> to tensor<1x16x9x9xf32>
  %e = tensor.empty() : tensor<1x16x7x7xf32>
  %acc = linalg.generic {indexing_maps = [#channel, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<16xf32>) outs(%e : tensor<1x16x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x16x7x7xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x16x9x9xf32>, tensor<16x3x3xf32>) outs(%acc : tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32>
  return %0 : tensor<1x16x7x7xf32>
}

// -----

// Two channel blocks of 48 (their padded copies fit in 16 KiB): one loop
// over them (single-threaded), which allocates the block's buffers once
// and zero-fills its padded copy's frame once, before the first block: the
// padded copy, the channels-last copy of the image inserted into its middle
// and the block's channels-last result are values the loop carries.
// TILE-LABEL: func.func @depthwise_channels_last_blocks
// TILE: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (1, 96) step (1, 96)
// TILE: %[[FRAME:.*]] = linalg.fill {{.*}} -> tensor<1x9x9x48xf32>
// TILE: %[[RESULT0:.*]] = tensor.empty() : tensor<1x7x7x48xf32>
// TILE: %[[IMAGE0:.*]] = tensor.empty() : tensor<1x7x7x48xf32>
// TILE: scf.for %{{.*}} = %c0 to %c96 step %c48 iter_args(%{{.*}} = %{{.*}}, %[[PADDED:.*]] = %[[FRAME]], %[[RESULT:.*]] = %[[RESULT0]], %[[IMAGE:.*]] = %[[IMAGE0]])
// TILE-NOT: tensor.empty
// TILE-NOT: linalg.fill
// TILE: tensor.collapse_shape %[[IMAGE]] {{\[\[}}0], [1, 2], [3]] : tensor<1x7x7x48xf32> into tensor<1x49x48xf32>
// TILE: %[[COPY:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2], [3]] output_shape [1, 7, 7, 48]
// TILE: %[[PADDING:.*]] = tensor.insert_slice %[[COPY]] into %[[PADDED]][0, 1, 1, 0] [1, 7, 7, 48]
// TILE: %[[WIN:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[RESULT]])
// TILE: scf.yield %{{.*}}, %[[PADDING]], %[[WIN]], %[[COPY]]
func.func @depthwise_channels_last_blocks(%x: tensor<1x96x7x7xf32>, %w: tensor<96x3x3xf32>) -> tensor<1x96x7x7xf32> {
  %cst = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %cst : f32
  } : tensor<1x96x7x7xf32> to tensor<1x96x9x9xf32>
  %e = tensor.empty() : tensor<1x96x7x7xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x96x7x7xf32>) -> tensor<1x96x7x7xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x96x9x9xf32>, tensor<96x3x3xf32>) outs(%acc : tensor<1x96x7x7xf32>) -> tensor<1x96x7x7xf32>
  return %0 : tensor<1x96x7x7xf32>
}

// -----

// Twelve channel blocks of 16 (window-block-bytes=5184: 16 padded 9 x 9
// images) in four parallel chunks (parallel-blocks=2): each chunk is a loop
// over its three blocks, with its own frame, and each block's window op
// and copies are fused into the blocks of the copy-out.
// CHUNKS-LABEL: func.func @depthwise_channels_last_chunks
// CHUNKS: scf.forall (%{{.*}}, %[[C:.*]]) = (0, 0) to (1, 192) step (1, 48)
// CHUNKS: %[[FRAME:.*]] = linalg.fill {{.*}} -> tensor<1x9x9x16xf32>
// CHUNKS: scf.for %[[B:.*]] = %c0 to %c48 step %c16 iter_args(%{{.*}} = %{{.*}}, %[[PADDED:.*]] = %[[FRAME]], %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}})
// CHUNKS-NOT: linalg.fill
// CHUNKS: affine.apply #{{.*}}()[%[[B]], %[[C]]]
// CHUNKS: tensor.insert_slice %{{.*}} into %[[PADDED]][0, 1, 1, 0] [1, 7, 7, 16]
// CHUNKS: scf.yield
func.func @depthwise_channels_last_chunks(%x: tensor<1x192x7x7xf32>, %w: tensor<192x3x3xf32>) -> tensor<1x192x7x7xf32> {
  %cst = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %cst : f32
  } : tensor<1x192x7x7xf32> to tensor<1x192x9x9xf32>
  %e = tensor.empty() : tensor<1x192x7x7xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x192x7x7xf32>) -> tensor<1x192x7x7xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x192x9x9xf32>, tensor<192x3x3xf32>) outs(%acc : tensor<1x192x7x7xf32>) -> tensor<1x192x7x7xf32>
  return %0 : tensor<1x192x7x7xf32>
}

// -----

// A 56 x 56 image that arrives channels last (the transpose of an
// N x H x W x C argument) and a result that leaves channels last (its only
// use a transpose back): channels last whatever the width, and no transpose
// is left. Wider than channels-last-width, the window op goes by regions of
// the output, writing N x H x W x C in place of the transpose: the interior
// (54 x 54 positions whose windows lie inside the image) reads the argument
// itself, the columns beside it and the rows above and below read padded
// copies of the strips of the image they need; each starts its taps' FMAs
// from the bias. With channels-last-width=0, the NCHW form between the two
// transposes, which become copies over (n, c, y, x) that read or write the
// channels-last side through (n, y, x, c) (register transposes once tiled).
// CHECK-LABEL: func.func @depthwise_channels_last_boundary
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x56x56x32xf32>, %[[W:[^:]*]]: tensor<32x3x3xf32>, %[[B:[^:]*]]: tensor<32xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<1x56x56x32xf32>
// CHECK: %[[IMAGE:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 56, 56, 32] [1, 1, 1, 1]
// CHECK: tensor.extract_slice %[[IMAGE]][0, 2, 2, 0] [1, 54, 54, 32] [1, 1, 1, 1]
// CHECK: %[[INIT:.*]] = tensor.extract_slice %[[OUT]][0, 1, 1, 0] [1, 54, 54, 32] [1, 1, 1, 1]
// CHECK: %[[INTERIOR:.*]] = linalg.generic {indexing_maps = [#[[$BCL:map[0-9]*]], #[[$BCL]], #[[$BCL]], #[[$BCL]], #[[$BCL]], #[[$BCL]], #[[$BCL]], #[[$BCL]], #[[$BCL]], #[[$BCH:map[0-9]*]], #[[$BCH]], #[[$BCH]], #[[$BCH]], #[[$BCH]], #[[$BCH]], #[[$BCH]], #[[$BCH]], #[[$BCH]], #[[$BCH]], #[[$BCL]]]{{.*}} ins({{.*}}, %[[B]] : {{.*}}) outs(%[[INIT]] : tensor<1x54x54x32xf32>)
// CHECK-NOT: arith.mulf
// CHECK-COUNT-9: math.fma
// CHECK-NEXT: linalg.yield
// CHECK: %[[WITH_INTERIOR:.*]] = tensor.insert_slice %[[INTERIOR]] into %[[OUT]][0, 1, 1, 0] [1, 54, 54, 32]
// CHECK: %[[LEFT:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 56, 2, 32]
// CHECK: tensor.pad %[[LEFT]] low[0, 0, 1, 0] high[0, 0, 0, 0]
// CHECK: tensor.insert_slice %{{.*}} into %[[WITH_INTERIOR]][0, 1, 0, 0] [1, 54, 1, 32]
// CHECK: %[[RIGHT:.*]] = tensor.extract_slice %[[X]][0, 0, 54, 0] [1, 56, 2, 32]
// CHECK: tensor.pad %[[RIGHT]] low[0, 0, 0, 0] high[0, 0, 1, 0]
// CHECK: tensor.insert_slice %{{.*}}[0, 1, 55, 0] [1, 54, 1, 32]
// CHECK: %[[TOP:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 2, 56, 32]
// CHECK: tensor.pad %[[TOP]] low[0, 1, 1, 0] high[0, 0, 1, 0]
// CHECK: tensor.insert_slice %{{.*}}[0, 0, 0, 0] [1, 1, 56, 32]
// CHECK: %[[BOTTOM:.*]] = tensor.extract_slice %[[X]][0, 54, 0, 0] [1, 2, 56, 32]
// CHECK: tensor.pad %[[BOTTOM]] low[0, 0, 1, 0] high[0, 1, 1, 0]
// CHECK: %[[RESULT:.*]] = tensor.insert_slice %{{.*}}[0, 55, 0, 0] [1, 1, 56, 32]
// CHECK-NOT: linalg.transpose
// CHECK: return %[[RESULT]] : tensor<1x56x56x32xf32>
// PLANAR-LABEL: func.func @depthwise_channels_last_boundary
// PLANAR-SAME: (%[[X:[^:]*]]: tensor<1x56x56x32xf32>
// PLANAR-NOT: linalg.transpose
// PLANAR: linalg.generic {indexing_maps = [#[[$PCL:map[0-9]*]], #[[$PID:map[0-9]*]]], {{.*}} ins(%[[X]] : tensor<1x56x56x32xf32>) outs(%{{.*}} : tensor<1x32x56x56xf32>)
// PLANAR: %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[$PID]], #[[$PCL]]], {{.*}} ins(%{{.*}} : tensor<1x32x56x56xf32>) outs(%{{.*}} : tensor<1x56x56x32xf32>)
// PLANAR: return %[[OUT]]
// Tiled, the interior (a 16-channel block of its image, 196 KiB, is more
// than window-block-bytes) goes row by row across the threads, each row
// over its channel blocks, 9 positions at a time; the border regions by
// channel blocks with their strips' padded copies.
// TILE-LABEL: func.func @depthwise_channels_last_boundary
// TILE: scf.forall (%{{.*}}, %{{.*}}) in (1, 54) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<1x54x54x32xf32>)
// TILE: scf.for %{{.*}} = %c0 to %c32 step %c16
// TILE: scf.for %{{.*}} = %c0 to %c54 step %c9
// TILE: linalg.generic {{.*}} outs(%{{.*}} : tensor<9x16xf32>)
// TILE: linalg.fill {{.*}} -> tensor<1x56x3x16xf32>
#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#channel = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @depthwise_channels_last_boundary(%x: tensor<1x56x56x32xf32>, %w: tensor<32x3x3xf32>, %b: tensor<32xf32>) -> tensor<1x56x56x32xf32> {
  %cst = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x32x56x56xf32>
  %t = linalg.transpose ins(%x : tensor<1x56x56x32xf32>) outs(%e0 : tensor<1x32x56x56xf32>) permutation = [0, 3, 1, 2]
  %p = tensor.pad %t low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %cst : f32
  } : tensor<1x32x56x56xf32> to tensor<1x32x58x58xf32>
  %e = tensor.empty() : tensor<1x32x56x56xf32>
  %acc = linalg.generic {indexing_maps = [#channel, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x32x56x56xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x32x56x56xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x32x58x58xf32>, tensor<32x3x3xf32>) outs(%acc : tensor<1x32x56x56xf32>) -> tensor<1x32x56x56xf32>
  %e1 = tensor.empty() : tensor<1x56x56x32xf32>
  %r = linalg.transpose ins(%0 : tensor<1x32x56x56xf32>) outs(%e1 : tensor<1x56x56x32xf32>) permutation = [0, 2, 3, 1]
  return %r : tensor<1x56x56x32xf32>
}

// -----

// A strided max pooling by regions, padded before only (the output's last
// row and column need no padding after): the interior (9 x 9 outputs)
// reads the argument in place from row and column 1, the left column and
// the top row read -inf-padded copies of the strips they need; the taps
// start from the first (the accumulator is -inf).
// CHECK-LABEL: func.func @max_pool_channels_last_regions
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x20x20x16xf32>)
// CHECK-DAG: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[OUT:.*]] = tensor.empty() : tensor<1x10x10x16xf32>
// CHECK: %[[IMAGE:.*]] = tensor.extract_slice %[[X]][0, 1, 1, 0] [1, 19, 19, 16] [1, 1, 1, 1]
// CHECK: tensor.extract_slice %[[IMAGE]][0, 2, 2, 0] [1, 9, 9, 16] [1, 2, 2, 1]
// CHECK: %[[INTERIOR:.*]] = linalg.generic
// CHECK-NOT: linalg.yield
// CHECK-COUNT-8: arith.maximumf
// CHECK-NEXT: linalg.yield
// CHECK: %[[R1:.*]] = tensor.insert_slice %[[INTERIOR]] into %[[OUT]][0, 1, 1, 0] [1, 9, 9, 16]
// CHECK: %[[LEFT:.*]] = tensor.extract_slice %[[X]][0, 1, 0, 0] [1, 19, 2, 16]
// CHECK: tensor.pad %[[LEFT]] low[0, 0, 1, 0] high[0, 0, 0, 0]
// CHECK: tensor.yield %[[NINF]]
// CHECK: %[[R2:.*]] = tensor.insert_slice %{{.*}} into %[[R1]][0, 1, 0, 0] [1, 9, 1, 16]
// CHECK: %[[TOP:.*]] = tensor.extract_slice %[[X]][0, 0, 0, 0] [1, 2, 20, 16]
// CHECK: tensor.pad %[[TOP]] low[0, 1, 1, 0] high[0, 0, 0, 0]
// CHECK: tensor.yield %[[NINF]]
// CHECK: %[[R3:.*]] = tensor.insert_slice %{{.*}} into %[[R2]][0, 0, 0, 0] [1, 1, 10, 16]
// CHECK-NOT: linalg.transpose
// CHECK: return %[[R3]]
func.func @max_pool_channels_last_regions(%x: tensor<1x20x20x16xf32>) -> tensor<1x10x10x16xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e0 = tensor.empty() : tensor<1x16x20x20xf32>
  %t = linalg.transpose ins(%x : tensor<1x20x20x16xf32>) outs(%e0 : tensor<1x16x20x20xf32>) permutation = [0, 3, 1, 2]
  %p = tensor.pad %t low[0, 0, 1, 1] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x16x20x20xf32> to tensor<1x16x21x21xf32>
  %win = tensor.empty() : tensor<3x3xf32>
  %e = tensor.empty() : tensor<1x16x10x10xf32>
  %acc = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x16x10x10xf32>) -> tensor<1x16x10x10xf32>
  %0 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %win : tensor<1x16x21x21xf32>, tensor<3x3xf32>) outs(%acc : tensor<1x16x10x10xf32>) -> tensor<1x16x10x10xf32>
  %e1 = tensor.empty() : tensor<1x10x10x16xf32>
  %r = linalg.transpose ins(%0 : tensor<1x16x10x10xf32>) outs(%e1 : tensor<1x10x10x16xf32>) permutation = [0, 2, 3, 1]
  return %r : tensor<1x10x10x16xf32>
}

// -----

// An accumulator that is not a bias broadcast (a tensor argument) and a
// result that leaves channels last: the regions could not start from it,
// so the window op keeps the padded copy of the whole image (still read
// channels last, accumulating and writing N x H x W x C).
// CHECK-LABEL: func.func @depthwise_channels_last_accumulator
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x20x20x16xf32>, %[[W:[^:]*]]: tensor<16x3x3xf32>, %[[ACC:[^:]*]]: tensor<1x16x20x20xf32>)
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.extract_slice %[[PAD]][0, 2, 2, 0] [1, 20, 20, 16] [1, 1, 1, 1]
// CHECK: %[[WIN:.*]] = linalg.generic {{.*}} ins({{.*}}, %[[ACC]] : {{.*}}) outs(%{{.*}} : tensor<1x20x20x16xf32>)
// CHECK-COUNT-9: math.fma
// CHECK-NOT: linalg.transpose
// CHECK: return %[[WIN]]
func.func @depthwise_channels_last_accumulator(%x: tensor<1x20x20x16xf32>, %w: tensor<16x3x3xf32>, %acc: tensor<1x16x20x20xf32>) -> tensor<1x20x20x16xf32> {
  %cst = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x16x20x20xf32>
  %t = linalg.transpose ins(%x : tensor<1x20x20x16xf32>) outs(%e0 : tensor<1x16x20x20xf32>) permutation = [0, 3, 1, 2]
  %p = tensor.pad %t low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %cst : f32
  } : tensor<1x16x20x20xf32> to tensor<1x16x22x22xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x16x22x22xf32>, tensor<16x3x3xf32>) outs(%acc : tensor<1x16x20x20xf32>) -> tensor<1x16x20x20xf32>
  %e1 = tensor.empty() : tensor<1x20x20x16xf32>
  %r = linalg.transpose ins(%0 : tensor<1x16x20x20xf32>) outs(%e1 : tensor<1x20x20x16xf32>) permutation = [0, 2, 3, 1]
  return %r : tensor<1x20x20x16xf32>
}

// -----

// Channels that 16 does not divide: the transposes stay (and so does the
// NCHW form of the window op).
// CHECK-LABEL: func.func @depthwise_channels_last_boundary_odd
// CHECK: linalg.transpose
// CHECK: tensor.pad {{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: linalg.transpose
func.func @depthwise_channels_last_boundary_odd(%x: tensor<1x20x20x24xf32>, %w: tensor<24x3x3xf32>) -> tensor<1x20x20x24xf32> {
  %cst = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x24x20x20xf32>
  %t = linalg.transpose ins(%x : tensor<1x20x20x24xf32>) outs(%e0 : tensor<1x24x20x20xf32>) permutation = [0, 3, 1, 2]
  %p = tensor.pad %t low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %cst : f32
  } : tensor<1x24x20x20xf32> to tensor<1x24x22x22xf32>
  %e = tensor.empty() : tensor<1x24x20x20xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x24x20x20xf32>) -> tensor<1x24x20x20xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x24x22x22xf32>, tensor<24x3x3xf32>) outs(%acc : tensor<1x24x20x20xf32>) -> tensor<1x24x20x20xf32>
  %e1 = tensor.empty() : tensor<1x20x20x24xf32>
  %r = linalg.transpose ins(%0 : tensor<1x24x20x20xf32>) outs(%e1 : tensor<1x20x20x24xf32>) permutation = [0, 2, 3, 1]
  return %r : tensor<1x20x20x24xf32>
}

// -----

// A strided channels-last window reads its taps as strided windows of the
// padded copy (no phases), and a constant weight is rearranged at compile
// time, through the reshape that drops its group dimension: 16 x 1 x 1 x 2
// becomes 1 x 2 x 16 (tap-major), no copy at run time. No bias: the
// copy-out only transposes.
// CHECK-LABEL: func.func @depthwise_channels_last_strided
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.extract_slice %[[PAD]][0, 0, 0, 0] [1, 5, 4, 16] [1, 2, 2, 1] : tensor<1x9x9x16xf32> to tensor<1x5x4x16xf32>
// CHECK: tensor.extract_slice %[[PAD]][0, 0, 1, 0] [1, 5, 4, 16] [1, 2, 2, 1] : tensor<1x9x9x16xf32> to tensor<1x5x4x16xf32>
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[\[}}0.000000e+00, 2.000000e+00, 4.000000e+00, 6.000000e+00, 8.000000e+00, 1.000000e+01, 1.200000e+01, 1.400000e+01, 1.600000e+01, 1.800000e+01, 2.000000e+01, 2.200000e+01, 2.400000e+01, 2.600000e+01, 2.800000e+01, 3.000000e+01], [1.000000e+00, 3.000000e+00, {{.*}}]]]> : tensor<1x2x16xf32>
// CHECK: tensor.extract_slice %[[W]][0, 1, 0] [1, 1, 16] [1, 1, 1] : tensor<1x2x16xf32> to tensor<16xf32>
// CHECK-NOT: outs(%{{.*}} : tensor<1x2x16xf32>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<1x5x4x16xf32>)
func.func @depthwise_channels_last_strided(%x: tensor<1x16x7x7xf32>) -> tensor<1x16x5x4xf32> {
  %cst = arith.constant 0.0 : f32
  %w4 = arith.constant dense<[[[[0.0, 1.0]]], [[[2.0, 3.0]]], [[[4.0, 5.0]]], [[[6.0, 7.0]]], [[[8.0, 9.0]]], [[[10.0, 11.0]]], [[[12.0, 13.0]]], [[[14.0, 15.0]]], [[[16.0, 17.0]]], [[[18.0, 19.0]]], [[[20.0, 21.0]]], [[[22.0, 23.0]]], [[[24.0, 25.0]]], [[[26.0, 27.0]]], [[[28.0, 29.0]]], [[[30.0, 31.0]]]]> : tensor<16x1x1x2xf32>
  %w = tensor.collapse_shape %w4 [[0, 1], [2], [3]] : tensor<16x1x1x2xf32> into tensor<16x1x2xf32>
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %cst : f32
  } : tensor<1x16x7x7xf32> to tensor<1x16x9x9xf32>
  %e = tensor.empty() : tensor<1x16x5x4xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x16x5x4xf32>) -> tensor<1x16x5x4xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %w : tensor<1x16x9x9xf32>, tensor<16x1x2xf32>) outs(%acc : tensor<1x16x5x4xf32>) -> tensor<1x16x5x4xf32>
  return %0 : tensor<1x16x5x4xf32>
}

// -----

// A max pooling on 16 channels of a 7 x 7 image works channels last too:
// the copy is padded with the pooling's -inf, the windows are strided
// windows of it, and with the accumulator -inf (the maximum's identity)
// the copy-out only transposes.
// CHECK-LABEL: func.func @maxpool_channels_last
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[LAST:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<1x16x7x7xf32>) outs(%{{.*}} : tensor<1x7x7x16xf32>)
// CHECK: tensor.pad %[[LAST]] low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: tensor.yield %[[NINF]] : f32
// CHECK: tensor.extract_slice %{{.*}}[0, 2, 2, 0] [1, 4, 4, 16] [1, 2, 2, 1] : tensor<1x9x9x16xf32> to tensor<1x4x4x16xf32>
// CHECK: %[[WIN:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x4x4x16xf32>)
// CHECK-COUNT-8: arith.maximumf
// CHECK: linalg.generic {{.*}} ins(%[[WIN]] : tensor<1x4x4x16xf32>) outs(%{{.*}} : tensor<1x16x4x4xf32>)
// CHECK-NEXT: ^bb0(%[[IN:[^:]*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[IN]] : f32
func.func @maxpool_channels_last(%x: tensor<1x16x7x7xf32>) -> tensor<1x16x4x4xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x16x7x7xf32> to tensor<1x16x9x9xf32>
  %e = tensor.empty() : tensor<1x16x4x4xf32>
  %acc = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %w = tensor.empty() : tensor<3x3xf32>
  %0 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %w : tensor<1x16x9x9xf32>, tensor<3x3xf32>) outs(%acc : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %0 : tensor<1x16x4x4xf32>
}

// -----

// A 1x1 convolution whose 64 positions fill two panels exactly: its
// epilogue (bias and relu over N x F x H x W) is rewritten over the
// convolution's N x filter blocks x filters x panels x width layout (the
// bias as blocks x filters) and fused into the parallel block; there, as
// each register tile (8 filters x 32 positions) completes its reduction in
// one pass (4 channels, no channel-block loop), the epilogue runs on the
// tile's 8 rows right after its reduction loop, one 32-wide row at a time,
// into the result, which the tile loop carries. The reduction starts from
// the block's fill and the tile loop passes the block through unchanged:
// nothing reads the block back. Nothing runs after the loop but the
// reshapes back to N x F x H x W.
// TILE-LABEL: func.func @conv_epilogue
// TILE-SAME: %[[BIAS:[^:]*]]: tensor<8xf32>
// TILE: %[[EB:.*]] = tensor.expand_shape %[[BIAS]] {{\[}}[0, 1]] output_shape [1, 8]
// TILE: %[[R:.*]]:2 = scf.forall {{.*}} -> (tensor<1x1x8x2x32xf32>, tensor<1x1x8x2x32xf32>)
// TILE: %[[BLOCK:.*]] = tensor.empty() : tensor<1x1x8x2x32xf32>
// TILE: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[BLOCK]] : tensor<1x1x8x2x32xf32>)
// TILE: scf.for %[[P:.*]] = %c0 to %c2 step %c1 iter_args(%[[CARRIED:.*]] = %[[FILL]], %[[OUT:.*]] = %{{.*}}) -> (tensor<1x1x8x2x32xf32>, tensor<1x1x8x2x32xf32>)
// TILE-NEXT: %[[ACC:.*]] = scf.for %{{.*}} = %c0 to %c4 step %c1 iter_args(%{{.*}} = %[[FILL]])
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<8x32xf32>)
// TILE: tensor.extract_slice %[[ACC]][0, 0, 0, %[[P]], 0] [1, 1, 1, 1, 32]
// TILE: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x1x1x1x32xf32>, tensor<1x1xf32>) outs(%{{.*}} : tensor<1x1x1x1x32xf32>)
// TILE: arith.addf
// TILE: arith.maximumf
// TILE: tensor.insert_slice %{{.*}} into %[[OUT]][0, 0, 0, %[[P]], 0] [1, 1, 1, 1, 32]
// TILE: tensor.extract_slice %[[ACC]][0, 0, 7, %[[P]], 0] [1, 1, 1, 1, 32]
// TILE: linalg.generic
// TILE: scf.yield %[[CARRIED]], %{{.*}} : tensor<1x1x8x2x32xf32>, tensor<1x1x8x2x32xf32>
// TILE: scf.forall.in_parallel
// TILE: %[[FLAT:.*]] = tensor.collapse_shape %[[R]]#1 {{\[}}[0], [1, 2], [3, 4]] : tensor<1x1x8x2x32xf32> into tensor<1x8x64xf32>
// TILE-NEXT: %[[OUT:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0], [1], [2, 3]] output_shape [1, 8, 8, 8]
// TILE-NEXT: return %[[OUT]]
// Vectorised, the accumulators start at zero (no fill, no block: the
// loop carries only the result), and each row of the epilogue is a row
// of the accumulators (vector.extract), plus the bias, relu'd, written to
// the result.
// VEC-LABEL: func.func @conv_epilogue
// VEC-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8x32xf32>
// VEC-NOT: linalg.fill
// VEC: scf.for %{{.*}} = %c0 to %c2 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (tensor<1x1x8x2x32xf32>) {
// VEC: vector.contract {{.*}} %[[ZERO]] : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// VEC: %[[ROW0:.*]] = vector.extract %[[ACC:.*]][0] : vector<32xf32> from vector<8x32xf32>
// VEC-NEXT: %[[CAST0:.*]] = vector.shape_cast %[[ROW0]] : vector<32xf32> to vector<1x1x1x1x32xf32>
// VEC-NEXT: %[[SUM0:.*]] = arith.addf %[[CAST0]], %{{.*}} : vector<1x1x1x1x32xf32>
// VEC-NEXT: %[[RELU0:.*]] = arith.maximumf %[[SUM0]]
// VEC-NEXT: vector.transfer_write %[[RELU0]]
// VEC: vector.extract %[[ACC]][7]
// VEC-NOT: vector.transfer_read %{{.*}} : tensor<1x1x8x2x32xf32>
// VEC: scf.yield %{{.*}} : tensor<1x1x8x2x32xf32>
#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#channel = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @conv_epilogue(%x: tensor<1x4x8x8xf32>, %w: tensor<8x4x1x1xf32>, %b: tensor<8xf32>) -> tensor<1x8x8x8xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x8x8xf32>, tensor<8x4x1x1xf32>) outs(%acc : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %1 = linalg.generic {indexing_maps = [#nchw, #channel, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0, %b : tensor<1x8x8x8xf32>, tensor<8xf32>) outs(%e : tensor<1x8x8x8xf32>) {
  ^bb0(%in: f32, %bias: f32, %out: f32):
    %s = arith.addf %in, %bias : f32
    %r = arith.maximumf %s, %cst : f32
    linalg.yield %r : f32
  } -> tensor<1x8x8x8xf32>
  return %1 : tensor<1x8x8x8xf32>
}

// -----

// parallel-blocks=4: the default cache blocks cover the whole convolution
// (2 filter blocks of 8, 3 x 34 positions in 4 panels) in one parallel
// block. The filters are split first (that re-reads the image, 128
// positions, which is smaller than the weights, 16 filters x 9 taps, per
// channel): 2 blocks; then the panels: 4 blocks of one filter block x two
// panels. The weights being the larger operand, the filter blocks stay the
// outer loop (each thread reads its own filters' weights).
// PAR-LABEL: func.func @conv_for_threads
// PAR: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 2, 4) step (1, 1, 2)
func.func @conv_for_threads(%x: tensor<1x4x5x34xf32>, %w: tensor<16x4x3x3xf32>) -> tensor<1x16x3x32xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x3x32xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x16x3x32xf32>) -> tensor<1x16x3x32xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x4x5x34xf32>, tensor<16x4x3x3xf32>) outs(%acc : tensor<1x16x3x32xf32>) -> tensor<1x16x3x32xf32>
  return %0 : tensor<1x16x3x32xf32>
}

// -----

// A strided kernel's phases are four direct convolutions chained through
// their destinations; tiling fuses the chain (and the zero fill) into each
// parallel block, and, their reductions short and the rows they read
// together small enough for L1, tiles the phases by the same register
// tiles in one nest: per panel (and filter block), every phase
// accumulates into the register tile in turn (2 x 2, 2 x 1, 1 x 2 and
// 1 x 1 taps over 4 channels). (8 filters: 16 or more would make this
// small image position-major.)
// TILE-LABEL: func.func @strided_chain
// TILE: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 1, 3) step (1, 1, 3)
// TILE: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<1x1x8x3x32xf32>
// TILE: %[[NEST:.*]] = scf.for %{{.*}} = %c0 to %c3 step %c1 iter_args(%{{.*}} = %[[ZERO]])
// TILE-NEXT: %[[P00:.*]] = scf.for %{{.*}} = %c0 to %c2 step %c1
// TILE-NEXT: scf.for %{{.*}} = %c0 to %c2 step %c1
// TILE-NEXT: scf.for %{{.*}} = %c0 to %c4 step %c1
// TILE: linalg.matmul
// TILE: %[[P01:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[P00]])
// TILE: linalg.matmul
// TILE: %[[P10:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[P01]])
// TILE: linalg.matmul
// TILE: %[[P11:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[P10]])
// TILE: linalg.matmul
// TILE: scf.yield %[[P11]]
// TILE: scf.forall.in_parallel
// TILE-NEXT: tensor.parallel_insert_slice %[[NEST]]
// Vectorised: the tile's accumulators start at zero (no fill read), pass
// from one phase's reduction loops to the next in registers, and are
// written once.
// (The last phase's 4 channels are its reduction loop, unrolled.)
// VEC-LABEL: func.func @strided_chain
// VEC: scf.for %{{.*}} = %c0 to %c3 step %c1
// VEC-NEXT: %[[Z:.*]] = vector.broadcast %{{.*}} : f32 to vector<8x32xf32>
// VEC-NEXT: %[[A0:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[Z]]) -> (vector<8x32xf32>)
// VEC-NOT: vector.transfer_write
// VEC: %[[A1:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[A0]]) -> (vector<8x32xf32>)
// VEC-NOT: vector.transfer_write
// VEC: %[[A2:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[A1]]) -> (vector<8x32xf32>)
// VEC-NOT: vector.transfer_write
// VEC: vector.contract {{.*}} %[[A2]] : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// VEC: vector.transfer_write {{.*}} : vector<8x32xf32>, tensor<1x1x8x3x32xf32>
// VEC-NOT: vector.transfer_write {{.*}} vector<8x32xf32>
// VEC: return
func.func @strided_chain(%x: tensor<1x4x17x17xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<1x8x8x8xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x8xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x4x17x17xf32>, tensor<8x4x3x3xf32>) outs(%acc : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// Channel rows exactly 4 KiB apart (a 32 x 32 image) would all fall into one
// L1 set: with more channels than the set holds, the flattened image is
// padded by 16 floats per channel (1040 instead of 1024), which spreads
// them over every set. With 8 channels it stays as it is.
// CHECK-LABEL: func.func @spread_channel_rows
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : tensor<1x16x32x32xf32> into tensor<1x16x1024xf32>
// CHECK: %[[SPREAD:.*]] = tensor.pad %[[FLAT]] low[0, 0, 0] high[0, 0, 16]
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[SPREAD]] : tensor<1x1x1x16x8xf32>, tensor<1x16x1040xf32>)
// CHECK-LABEL: func.func @few_channels
// CHECK-NOT: tensor.pad
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x1x1x8x8xf32>, tensor<1x8x1024xf32>)
func.func @spread_channel_rows(%x: tensor<1x16x32x32xf32>, %w: tensor<8x16x1x1xf32>) -> tensor<1x8x32x32xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x32x32xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x8x32x32xf32>) -> tensor<1x8x32x32xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x32x32xf32>, tensor<8x16x1x1xf32>) outs(%acc : tensor<1x8x32x32xf32>) -> tensor<1x8x32x32xf32>
  return %0 : tensor<1x8x32x32xf32>
}
func.func @few_channels(%x: tensor<1x8x32x32xf32>, %w: tensor<8x8x1x1xf32>) -> tensor<1x8x32x32xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x32x32xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x8x32x32xf32>) -> tensor<1x8x32x32xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x32x32xf32>, tensor<8x8x1x1xf32>) outs(%acc : tensor<1x8x32x32xf32>) -> tensor<1x8x32x32xf32>
  return %0 : tensor<1x8x32x32xf32>
}

// -----

// A small image (7 x 7 outputs: as panels, 7 rows of 9 columns in 2 panels
// of 32, 64 positions for 49) is computed position-major:
// C[n][y][x][fb * 32 + fi] += X[n][c][y + r][x + s] * A[fb][r][s][c][fi],
// the weight blocked by filter tiles of 32 (two AVX-512 vectors: 7 x 2
// accumulators), the image read in place (no row padding, no flattening),
// then copied out to NCHW (a transposing copy). Tiled: blocks of filter
// tiles across the threads, then register tiles of one output row (7
// positions, broadcast) x 32 filters: a 7 x 1 times 1 x 32 matmul per tap
// and channel; the copy-out on the images collapsed to rows of 49
// positions, in tiles of 16 channels x 16 positions (the first 48) and one
// tile of the last position, each a 2-D generic reading its input
// transposed.
// CHECK-DAG: #[[$IMG:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d7, d1 + d5, d2 + d6)>
// CHECK-DAG: #[[$WGT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d3, d5, d6, d7, d4)>
// CHECK-DAG: #[[$OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1, d2, d3 * 32 + d4)>
// CHECK-DAG: #[[$NCHW:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3, d1)>
// CHECK-LABEL: func.func @position_major
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x8x9x9xf32>
// CHECK-NOT: tensor.pad
// CHECK: %[[A:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x3x3x8x32xf32>)
// CHECK: %[[ZERO:.*]] = linalg.fill {{.*}} -> tensor<1x7x7x32xf32>
// CHECK: %[[C:.*]] = linalg.generic {indexing_maps = [#[[$IMG]], #[[$WGT]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%[[X]], %[[A]] : tensor<1x8x9x9xf32>, tensor<1x3x3x8x32xf32>) outs(%[[ZERO]] : tensor<1x7x7x32xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[$NCHW]], {{.*}}]{{.*}} ins(%[[C]], %{{.*}} : tensor<1x7x7x32xf32>, tensor<1x32x7x7xf32>)
// With parallel-blocks=4 and one filter tile, the rows are split (into
// blocks of one row).
// PAR-LABEL: func.func @position_major
// PAR: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 7, 1)
// TILE-LABEL: func.func @position_major
// The channel blocks hold kc nr / (KH KW nf) = 64 x 32 / (9 x 32) = 7
// channels' weights at most (what a kc x nr panel of B takes; they stay in
// L1 while the rows pass): the 8 channels in two blocks of 4.
// TILE: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 7, 1) step (1, 7, 1)
// TILE: scf.for %{{.*}} = %c0 to %c8 step %c4
// TILE: tensor.extract_slice %{{.*}} [1, 4, 9, 9] [1, 1, 1, 1] : tensor<1x8x9x9xf32> to tensor<1x4x9x9xf32>
// TILE: scf.for %[[Y:.*]] = %c0 to %c7
// TILE: scf.for %[[R:.*]] = %c0 to %c3
// TILE: scf.for %[[S:.*]] = %c0 to %c3
// TILE: scf.for %[[CH:.*]] = %c0 to %c4
// TILE: tensor.extract_slice %{{.*}}[0, %[[CH]], %{{.*}}, %[[S]]] [1, 1, 1, 7] [1, 1, 1, 1] : tensor<1x4x9x9xf32> to tensor<7xf32>
// TILE: tensor.extract_slice %{{.*}}[0, %[[R]], %[[S]], %[[CH]], 0] [1, 1, 1, 1, 32] {{.*}} to tensor<1x32xf32>
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<7x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<7x32xf32>)
// TILE: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2], [3]] : tensor<1x7x7x32xf32> into tensor<1x49x32xf32>
// TILE: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 32, 48) step (1, 16, 16)
// TILE: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %{{.*}} : tensor<16x16xf32>, tensor<16x16xf32>) outs(%{{.*}} : tensor<16x16xf32>)
// TILE: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 32, 1) step (1, 16, 1)
// TILE: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %{{.*}} : tensor<1x16xf32>, tensor<16x1xf32>) outs(%{{.*}} : tensor<16x1xf32>)
// TILE: tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] output_shape [1, 32, 7, 7]
// Vectorised, a row's 7 x 32 accumulators stay in registers across the
// tap and channel loops (written after them), and the copy-out reads each
// 7 x 16 tile transposed. In the first channel block (peeled) the rows
// cover the result: the accumulators start at zero, not from a read of the
// zero-filled result, and the rows are written into the result's empty
// tensor (the fill is left unused).
// VEC-LABEL: func.func @position_major
// VEC: %[[EMPTY:.*]] = tensor.empty() : tensor<1x7x7x32xf32>
// VEC: scf.for %{{.*}} = %c0 to %{{.*}} step %c4 iter_args(%[[BLOCK:.*]] = %[[EMPTY]])
// VEC: scf.for %[[ROW:.*]] = %c0 to %c7 step %c1 iter_args(%[[C:.*]] = %[[BLOCK]])
// VEC-NEXT: %[[ZERO:.*]] = vector.broadcast %{{.*}} : f32 to vector<7x32xf32>
// VEC-NEXT: scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO]])
// VEC: vector.contract
// VEC: vector.transfer_write %{{.*}}, %[[C]][%c0, %[[ROW]], %c0, %c0]
// VEC: vector.transfer_read {{.*}} permutation_map = {{.*}} : tensor<1x49x32xf32>, vector<16x16xf32>
// VEC: vector.transfer_read {{.*}} permutation_map = {{.*}} : tensor<1x49x32xf32>, vector<16x1xf32>
func.func @position_major(%x: tensor<1x8x9x9xf32>, %w: tensor<32x8x3x3xf32>, %acc: tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x9x9xf32>, tensor<32x8x3x3xf32>) outs(%acc : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  return %0 : tensor<1x32x7x7xf32>
}

// -----

// A position-major convolution with several channel blocks (64 channels,
// blocks of 7) and two filter tiles (the tile's filter offset is the filter
// tile's index times 32): the first channel block is peeled, its register
// tiles start at zero and write into the result's empty tensor, and only the
// later blocks read the accumulators back; the zero fill is left unused.
// VEC-LABEL: func.func @position_major_channel_blocks
// VEC: %[[EMPTY:.*]] = tensor.empty() : tensor<1x7x7x64xf32>
// VEC: %[[FIRST:.*]] = scf.for %{{.*}} = %c0 to %{{.*}} step %c7 iter_args(%{{.*}} = %[[EMPTY]])
// VEC-NOT: vector.transfer_read %{{.*}} : tensor<1x7x7x64xf32>, vector<7x32xf32>
// VEC: scf.for %{{.*}} = %{{.*}} to %c64 step %c7 iter_args(%{{.*}} = %[[FIRST]])
// VEC: vector.transfer_read %{{.*}} : tensor<1x7x7x64xf32>, vector<7x32xf32>
func.func @position_major_channel_blocks(%x: tensor<1x64x9x9xf32>, %w: tensor<64x64x3x3xf32>) -> tensor<1x64x7x7xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x7x7xf32>
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x64x9x9xf32>, tensor<64x64x3x3xf32>) outs(%z : tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32>
  return %0 : tensor<1x64x7x7xf32>
}

// -----

// Filters that 16 does not divide stay in the panel form.
// CHECK-LABEL: func.func @negative_position_major_filters
// CHECK: tensor.empty() : tensor<1x1x8x2x32xf32>
// CHECK-NOT: floordiv
func.func @negative_position_major_filters(%x: tensor<1x8x9x9xf32>, %w: tensor<8x8x3x3xf32>, %acc: tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x9x9xf32>, tensor<8x8x3x3xf32>) outs(%acc : tensor<1x8x7x7xf32>) -> tensor<1x8x7x7xf32>
  return %0 : tensor<1x8x7x7xf32>
}

// -----

// Wider output rows (28, at stride 2) of a deep reduction (C x KH x KW = 288
// multiply-adds per position, at least 256) are computed position-major
// too, without phases: the image read in place at the stride, the result
// channels last, copied out to NCHW. Tiled: register tiles of part of a row
// (14 positions, the longest divisor of 28 up to 14) x 32 filters, the loop
// over the row's two parts inside the row loop. The result's zero fill
// moves into the parallel block: a fill of the block's slice (whole, so
// that accml-vectorize's first channel block can start from zero).
// CHECK-LABEL: func.func @position_major_wide_rows
// CHECK-NOT: tensor<2x2x1x32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%{{.*}}, %{{.*}} : tensor<1x32x57x57xf32>, tensor<1x3x3x32x32xf32>) outs(%{{.*}} : tensor<1x28x28x32xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x28x28x32xf32>, tensor<1x32x28x28xf32>)
// TILE-LABEL: func.func @position_major_wide_rows
// TILE-NOT: linalg.fill
// TILE: %[[RES:.*]] = tensor.empty() : tensor<1x28x28x32xf32>
// TILE-NOT: linalg.fill
// TILE: scf.forall {{.*}} shared_outs(%[[OUT:.*]] = %[[RES]])
// TILE: %[[BLOCK:.*]] = tensor.extract_slice %[[OUT]]{{.*}} [1, 28, 28, 32]
// TILE: linalg.fill ins(%{{.*}} : f32) outs(%[[BLOCK]] : tensor<1x28x28x32xf32>)
// TILE: scf.for %{{.*}} = %c0 to %c28 step %c1
// TILE-NEXT: scf.for %{{.*}} = %c0 to %c28 step %c14
// TILE: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<14x1xf32>, tensor<1x32xf32>) outs(%{{.*}} : tensor<14x32xf32>)
func.func @position_major_wide_rows(%x: tensor<1x32x57x57xf32>, %w: tensor<32x32x3x3xf32>, %acc: tensor<1x32x28x28xf32>) -> tensor<1x32x28x28xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x32x57x57xf32>, tensor<32x32x3x3xf32>) outs(%acc : tensor<1x32x28x28xf32>) -> tensor<1x32x28x28xf32>
  return %0 : tensor<1x32x28x28xf32>
}

// -----

// The same rows with a shallower reduction (16 channels: 144 multiply-adds
// per position) stay in the panel form, one convolution per phase of the
// input.
// CHECK-LABEL: func.func @negative_position_major_wide_shallow
// CHECK: tensor.empty() : tensor<2x2x1x16x30x29xf32>
// CHECK-NOT: tensor<1x28x28x32xf32>
func.func @negative_position_major_wide_shallow(%x: tensor<1x16x57x57xf32>, %w: tensor<32x16x3x3xf32>, %acc: tensor<1x32x28x28xf32>) -> tensor<1x32x28x28xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x16x57x57xf32>, tensor<32x16x3x3xf32>) outs(%acc : tensor<1x32x28x28xf32>) -> tensor<1x32x28x28xf32>
  return %0 : tensor<1x32x28x28xf32>
}

// -----

// Rows of 14 (a 14 x 14 image, padded rows of one line: 1 + 14 + 1) are
// vectorised in whole 16-lane registers, 7 output rows per tile (the
// largest divisor of 14 up to 7): the 9 input rows they read are loaded
// once each, aligned, and the taps one and two columns right are those
// registers shifted (vector.shuffle: valignd), not unaligned reads across
// two cache lines; each output row is written with a 16-lane write masked
// to its 14 lanes (the lanes past them may be another row's).
// VEC-LABEL: func.func @depthwise_short_rows
// VEC: %[[M:.*]] = vector.constant_mask [1, 1, 1, 14] : vector<1x1x1x16xi1>
// VEC: scf.forall (%{{.*}}, %[[Y:.*]]) = (0, 0) to (4, 14) step (1, 7)
// VEC: %[[L:.*]] = vector.transfer_read %padded[%c0, %{{.*}}, %[[Y]], %c0], %{{.*}} {in_bounds = [true, true, true, true]} : tensor<1x4x16x16xf32>, vector<1x1x1x16xf32>
// VEC-NEXT: %[[F:.*]] = vector.shape_cast %[[L]] : vector<1x1x1x16xf32> to vector<16xf32>
// VEC-NEXT: vector.extract_strided_slice %[[L]] {offsets = [0, 0, 0, 0], sizes = [1, 1, 1, 14], strides = [1, 1, 1, 1]} : vector<1x1x1x16xf32> to vector<1x1x1x14xf32>
// VEC-NOT: vector.transfer_read %padded[{{.*}}, %c1]
// VEC-NOT: vector.transfer_read %padded[{{.*}}, %c2]
// VEC: vector.shuffle %[[F]], %{{.*}} [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16] : vector<16xf32>, vector<16xf32>
// VEC: vector.shuffle %[[F]], %{{.*}} [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17] : vector<16xf32>, vector<16xf32>
// VEC-NOT: vector.transfer_read %padded[{{.*}}, %c1]
// VEC-NOT: vector.transfer_read %padded[{{.*}}, %c2]
// VEC: %[[W:.*]] = vector.insert_strided_slice %{{.*}}, %{{.*}} {offsets = [0, 0, 0, 0], strides = [1, 1, 1, 1]} : vector<1x1x1x14xf32> into vector<1x1x1x16xf32>
// VEC-NEXT: vector.transfer_write %[[W]], %{{.*}}[%c0, %c0, %c0, %c0], %[[M]] {in_bounds = [true, true, true, false]} : vector<1x1x1x16xf32>, tensor<1x1x7x14xf32>
// VEC: vector.transfer_write %{{.*}}, %{{.*}}[%c0, %c0, %c6, %c0], %[[M]] {in_bounds = [true, true, true, false]} : vector<1x1x1x16xf32>, tensor<1x1x7x14xf32>
// VEC-NOT: vector<1x1x1x14xf32>, tensor
func.func @depthwise_short_rows(%x: tensor<1x4x14x14xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x14x14xf32> {
  %cst = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %cst : f32
  } : tensor<1x4x14x14xf32> to tensor<1x4x16x16xf32>
  %e = tensor.empty() : tensor<1x4x14x14xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e : tensor<1x4x14x14xf32>) -> tensor<1x4x14x14xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x4x16x16xf32>, tensor<4x3x3xf32>) outs(%acc : tensor<1x4x14x14xf32>) -> tensor<1x4x14x14xf32>
  return %0 : tensor<1x4x14x14xf32>
}

// -----

// Threaded, the zero padding of a position-major convolution's image (861
// KB padded, at least kMinParallelPadBytes) becomes a fill of the padded
// image by single rows of every channel and a copy into its interior by
// bands of rows, both parallel loops over rows outermost: each thread pads
// the rows that its blocks read, in its own cache (a tensor.pad is one
// serial memset and copy). The convolution reads the filled image.
// PAR-LABEL: func.func @position_major_parallel_pad
// PAR-NOT: tensor.pad
// PAR: %[[EMPTY:.*]] = tensor.empty() : tensor<1x64x58x58xf32>
// PAR: %[[ZEROS:.*]] = scf.forall (%{{.*}}, %[[ROW:.*]]) in (1, 58) shared_outs(%[[OUT:.*]] = %[[EMPTY]])
// PAR: %[[SLICE:.*]] = tensor.extract_slice %[[OUT]][%{{.*}}, 0, %[[ROW]], 0] [1, 64, 1, 58]
// PAR: linalg.fill ins(%{{.*}} : f32) outs(%[[SLICE]] : tensor<1x64x1x58xf32>)
// PAR: %[[INTERIOR:.*]] = tensor.extract_slice %[[ZEROS]][0, 0, 1, 1] [1, 64, 56, 56] [1, 1, 1, 1]
// PAR: %[[COPY:.*]] = scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 56, 64) step (1, 14, 1) shared_outs(%{{.*}} = %[[INTERIOR]])
// PAR: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1x1x16xf32>) outs(%{{.*}} : tensor<1x1x1x16xf32>)
// PAR: linalg.yield %{{.*}} : f32
// PAR: %[[PADDED:.*]] = tensor.insert_slice %[[COPY]] into %[[ZEROS]][0, 0, 1, 1] [1, 64, 56, 56] [1, 1, 1, 1]
// PAR: scf.forall {{.*}} -> (tensor<1x28x28x128xf32>)
// PAR: tensor.extract_slice %[[PADDED]]
func.func @position_major_parallel_pad(%x: tensor<1x64x56x56xf32>, %w: tensor<128x64x3x3xf32>, %acc: tensor<1x128x28x28xf32>) -> tensor<1x128x28x28xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x64x56x56xf32> to tensor<1x64x58x58xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %w : tensor<1x64x58x58xf32>, tensor<128x64x3x3xf32>) outs(%acc : tensor<1x128x28x28xf32>) -> tensor<1x128x28x28xf32>
  return %0 : tensor<1x128x28x28xf32>
}

// -----

// A smaller padded image (230 KB) keeps its tensor.pad: two parallel loops
// cost about what a serial pad of it does (a 460 KB one ran no faster).
// PAR-LABEL: func.func @position_major_small_pad
// PAR: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// PAR-NOT: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x64x1x30xf32>)
// PAR: scf.forall {{.*}} -> (tensor<1x28x28x64xf32>)
func.func @position_major_small_pad(%x: tensor<1x64x28x28xf32>, %w: tensor<64x64x3x3xf32>, %acc: tensor<1x64x28x28xf32>) -> tensor<1x64x28x28xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x64x28x28xf32> to tensor<1x64x30x30xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x64x30x30xf32>, tensor<64x64x3x3xf32>) outs(%acc : tensor<1x64x28x28xf32>) -> tensor<1x64x28x28xf32>
  return %0 : tensor<1x64x28x28xf32>
}
