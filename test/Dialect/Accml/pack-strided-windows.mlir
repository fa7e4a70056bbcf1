// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{strided-windows=true}),canonicalize)' | FileCheck %s
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack))' | FileCheck %s --check-prefix=OFF

// A 3x3 stride-2 depthwise convolution on 28 x 28 images (output rows of 14
// in one vector) with a per-channel bias and a clamp after it, in the row
// form: the image and weight flattened; channel blocks of 16 of the 32
// planes across an scf.forall; per output row, each image row that its taps
// read is read as 32 columns (two reads, the second masked to the 12
// columns left of W) and split into its even and odd columns by two
// shuffles; tap column 2x - 1 (s = 0) is the odd columns shifted right by a
// lane (a shuffle with zeros: the padding), 2x the even, 2x + 1 the odd.
// Output row 0 reads image rows 0 and 1 only (row -1 is padding: 6
// multiply-adds from the bias), rows 1 .. 12 run two at a time in a loop
// (5 image rows each, 10 reads, 2 writes), row 13 after it. The clamp on
// each vector before its write, masked to the row's 14 lanes. No phases,
// no padded copy, no window generic.
// CHECK-LABEL: func.func @strided_depthwise
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x32x28x28xf32>, %[[W:[^:]*]]: tensor<32x3x3xf32>, %[[B:[^:]*]]: tensor<32xf32>)
// CHECK-DAG: %[[M14:.*]] = arith.constant dense<[true, true, true, true, true, true, true, true, true, true, true, true, true, true, false, false]> : vector<16xi1>
// CHECK-DAG: %[[M12:.*]] = arith.constant dense<[true, true, true, true, true, true, true, true, true, true, true, true, false, false, false, false]> : vector<16xi1>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-DAG: %[[XF:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2, 3]] : tensor<1x32x28x28xf32> into tensor<25088xf32>
// CHECK-DAG: %[[WF:.*]] = tensor.collapse_shape %[[W]] {{\[\[}}0, 1, 2]] : tensor<32x3x3xf32> into tensor<288xf32>
// CHECK-NOT: tensor.pad
// CHECK: scf.forall (%{{.*}}) in (2) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<6272xf32>)
// CHECK: scf.for %{{.*}} = %c0 to %c16 step %c1 iter_args
// CHECK: %[[BIAS:.*]] = tensor.extract %[[B]]
// CHECK: %[[START:.*]] = vector.broadcast %[[BIAS]] : f32 to vector<16xf32>
// CHECK: %[[LO:.*]] = vector.transfer_read %[[XF]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<25088xf32>, vector<16xf32>
// CHECK: %[[HI:.*]] = vector.transfer_read %[[XF]][%{{.*}}], %{{.*}}, %[[M12]] {in_bounds = [true]} : tensor<25088xf32>, vector<16xf32>
// CHECK: %[[EVEN:.*]] = vector.shuffle %[[LO]], %[[HI]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: %[[ODD:.*]] = vector.shuffle %[[LO]], %[[HI]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK: %[[LEFT:.*]] = vector.shuffle %[[ZERO]], %[[ODD]] [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]
// CHECK: %[[T0:.*]] = vector.fma %[[LEFT]], %{{.*}}, %[[START]] : vector<16xf32>
// CHECK: %[[T1:.*]] = vector.fma %[[EVEN]], %{{.*}}, %[[T0]] : vector<16xf32>
// CHECK: %[[T2:.*]] = vector.fma %[[ODD]], %{{.*}}, %[[T1]] : vector<16xf32>
// CHECK-COUNT-2: vector.transfer_read %[[XF]]
// CHECK-COUNT-2: vector.fma
// CHECK: %[[T5:.*]] = vector.fma %{{.*}}, %{{.*}}, %{{.*}}
// CHECK-NEXT: %[[LOW:.*]] = arith.maximumf %[[T5]], %[[ZERO]] : vector<16xf32>
// CHECK-NEXT: %[[HIGH:.*]] = arith.minimumf %[[LOW]], %{{.*}} : vector<16xf32>
// CHECK: vector.transfer_write %[[HIGH]], %{{.*}}[%{{.*}}], %[[M14]] {in_bounds = [true]} : vector<16xf32>, tensor<3136xf32>
// CHECK: scf.for %{{.*}} = %c1 to %c13 step %c2 iter_args
// CHECK-COUNT-10: vector.transfer_read %[[XF]]
// CHECK-COUNT-2: vector.transfer_write
// CHECK-NEXT: scf.yield
// CHECK-COUNT-6: vector.transfer_read %[[XF]]
// CHECK: vector.transfer_write
// CHECK-NOT: vector.transfer_read
// CHECK: tensor.parallel_insert_slice
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] output_shape [1, 32, 14, 14]
// CHECK-NOT: linalg.generic
// CHECK: return
// Without the option: the window generic on the image's phases.
// OFF-LABEL: func.func @strided_depthwise
// OFF: linalg.generic
// OFF-NOT: vector.shuffle
#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#channel = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @strided_depthwise(%x: tensor<1x32x28x28xf32>, %w: tensor<32x3x3xf32>, %b: tensor<32xf32>) -> tensor<1x32x14x14xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x28x28xf32> to tensor<1x32x30x30xf32>
  %e = tensor.empty() : tensor<1x32x14x14xf32>
  %acc = linalg.generic {indexing_maps = [#channel, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x32x14x14xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x32x14x14xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %w : tensor<1x32x30x30xf32>, tensor<32x3x3xf32>) outs(%acc : tensor<1x32x14x14xf32>) -> tensor<1x32x14x14xf32>
  %1 = linalg.generic {indexing_maps = [#nchw, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x32x14x14xf32>) outs(%e : tensor<1x32x14x14xf32>) {
  ^bb0(%in: f32, %out: f32):
    %2 = arith.maximumf %in, %zero : f32
    %3 = arith.minimumf %2, %six : f32
    linalg.yield %3 : f32
  } -> tensor<1x32x14x14xf32>
  return %1 : tensor<1x32x14x14xf32>
}

// -----

// Padding only below and right (TensorFlow's SAME for stride 2, W = 33):
// tap column 2x + 2 is the even columns shifted left by a lane, the next
// pair vector's first (column 32, read masked to one lane) entering the
// last lane. The fill accumulator starts every vector from zero.
// CHECK-LABEL: func.func @strided_depthwise_same
// CHECK-DAG: %[[M1:.*]] = arith.constant dense<[true, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false]> : vector<16xi1>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK: scf.for
// CHECK: %[[LO:.*]] = vector.transfer_read %{{.*}} {in_bounds = [true]}
// CHECK: %[[HI:.*]] = vector.transfer_read %{{.*}} {in_bounds = [true]}
// CHECK: %[[EVEN:.*]] = vector.shuffle %[[LO]], %[[HI]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: %[[ODD:.*]] = vector.shuffle %[[LO]], %[[HI]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK: %[[T0:.*]] = vector.fma %[[EVEN]], %{{.*}}, %[[ZERO]]
// CHECK: %[[T1:.*]] = vector.fma %[[ODD]], %{{.*}}, %[[T0]]
// CHECK: %[[NEXT:.*]] = vector.transfer_read %{{.*}}, %{{.*}}, %[[M1]] {in_bounds = [true]}
// CHECK: %[[NEXTEVEN:.*]] = vector.shuffle %[[NEXT]], %[[ZERO]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: %[[RIGHT:.*]] = vector.shuffle %[[EVEN]], %[[NEXTEVEN]] [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]
// CHECK: vector.fma %[[RIGHT]], %{{.*}}, %[[T1]]
func.func @strided_depthwise_same(%x: tensor<1x16x16x33xf32>, %w: tensor<16x3x3xf32>) -> tensor<1x16x8x16xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 0, 0] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x16x16x33xf32> to tensor<1x16x17x34xf32>
  %e = tensor.empty() : tensor<1x16x8x16xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x8x16xf32>) -> tensor<1x16x8x16xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %w : tensor<1x16x17x34xf32>, tensor<16x3x3xf32>) outs(%acc : tensor<1x16x8x16xf32>) -> tensor<1x16x8x16xf32>
  return %0 : tensor<1x16x8x16xf32>
}

// -----

// Not in the row form: a stride-1 kernel, stride 2 in one direction only,
// output rows narrower than 8 (6), an image that arrives channels last (a
// transpose before it), a 5x5 kernel (25 taps).
// CHECK-LABEL: func.func @strided_depthwise_negative
// CHECK-NOT: vector.shuffle
// CHECK: return
func.func @strided_depthwise_negative(%x: tensor<1x16x18x18xf32>, %y: tensor<1x16x14x14xf32>, %z: tensor<1x18x18x16xf32>, %w: tensor<16x3x3xf32>, %v: tensor<1x16x20x20xf32>, %w5: tensor<16x5x5xf32>) -> (tensor<1x16x16x16xf32>, tensor<1x16x8x16xf32>, tensor<1x16x6x6xf32>, tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x16x16x16xf32>
  %a0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x16x18x18xf32>, tensor<16x3x3xf32>) outs(%a0 : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %e1 = tensor.empty() : tensor<1x16x8x16xf32>
  %a1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x16x8x16xf32>) -> tensor<1x16x8x16xf32>
  %1 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%x, %w : tensor<1x16x18x18xf32>, tensor<16x3x3xf32>) outs(%a1 : tensor<1x16x8x16xf32>) -> tensor<1x16x8x16xf32>
  %e2 = tensor.empty() : tensor<1x16x6x6xf32>
  %a2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  %2 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%y, %w : tensor<1x16x14x14xf32>, tensor<16x3x3xf32>) outs(%a2 : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  %t = tensor.empty() : tensor<1x16x18x18xf32>
  %xt = linalg.transpose ins(%z : tensor<1x18x18x16xf32>) outs(%t : tensor<1x16x18x18xf32>) permutation = [0, 3, 1, 2]
  %e3 = tensor.empty() : tensor<1x16x8x8xf32>
  %a3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %3 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%xt, %w : tensor<1x16x18x18xf32>, tensor<16x3x3xf32>) outs(%a3 : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  %4 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%v, %w5 : tensor<1x16x20x20xf32>, tensor<16x5x5xf32>) outs(%a3 : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  return %0, %1, %2, %3, %4 : tensor<1x16x16x16xf32>, tensor<1x16x8x16xf32>, tensor<1x16x6x6xf32>, tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>
}

// -----

// A 3x3 stride-2 max pooling padded with -inf (ResNet's, on 32 x 32): the
// same row form, its taps combined by arith.maximumf from the fill (-inf,
// folded into the first tap), the column left of the image -inf (the
// shuffle of the odd columns with -inf). Output row 0 reads image rows 0
// and 1 (6 taps).
// CHECK-LABEL: func.func @strided_max_pool
// CHECK-DAG: %[[NINF:.*]] = arith.constant dense<0xFF800000> : vector<16xf32>
// CHECK: scf.for
// CHECK: %[[LO:.*]] = vector.transfer_read
// CHECK: %[[HI:.*]] = vector.transfer_read
// CHECK: %[[EVEN:.*]] = vector.shuffle %[[LO]], %[[HI]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30]
// CHECK: %[[ODD:.*]] = vector.shuffle %[[LO]], %[[HI]] [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]
// CHECK: %[[LEFT:.*]] = vector.shuffle %[[NINF]], %[[ODD]] [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]
// CHECK: %[[M0:.*]] = arith.maximumf %[[LEFT]], %[[EVEN]] : vector<16xf32>
// CHECK: %[[M1:.*]] = arith.maximumf %[[M0]], %[[ODD]] : vector<16xf32>
// CHECK-COUNT-2: vector.transfer_read
// CHECK-COUNT-3: arith.maximumf
// CHECK-NEXT: affine.apply
// CHECK-NEXT: vector.transfer_write
// CHECK: scf.for
// CHECK-NOT: linalg.pooling_nchw_max
// CHECK: return
func.func @strided_max_pool(%x: tensor<1x16x32x32xf32>) -> tensor<1x16x16x16xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x16x32x32xf32> to tensor<1x16x34x34xf32>
  %e = tensor.empty() : tensor<1x16x16x16xf32>
  %acc = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %window = tensor.empty() : tensor<3x3xf32>
  %0 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %window : tensor<1x16x34x34xf32>, tensor<3x3xf32>) outs(%acc : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  return %0 : tensor<1x16x16x16xf32>
}

// -----

// A max pooling padded with zeros (not its identity) keeps the window
// generic.
// CHECK-LABEL: func.func @strided_max_pool_zero_padding
// CHECK-NOT: vector.shuffle
// CHECK: return
func.func @strided_max_pool_zero_padding(%x: tensor<1x16x32x32xf32>) -> tensor<1x16x16x16xf32> {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x16x32x32xf32> to tensor<1x16x34x34xf32>
  %e = tensor.empty() : tensor<1x16x16x16xf32>
  %acc = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %window = tensor.empty() : tensor<3x3xf32>
  %0 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%p, %window : tensor<1x16x34x34xf32>, tensor<3x3xf32>) outs(%acc : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  return %0 : tensor<1x16x16x16xf32>
}
