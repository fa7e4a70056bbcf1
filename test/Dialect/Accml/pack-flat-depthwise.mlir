// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack{flat-depthwise=256}))' | FileCheck %s
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-pack))' | FileCheck %s --check-prefix=OFF

// A 3x3 stride-1 depthwise convolution on 7 x 7 images (49 outputs per
// channel: 4 vectors, the last with one lane) with a per-channel bias and a
// clamp after it, in the flat form: the image, the weight and the bias
// flattened; channel blocks of 16 of the 32 planes across an scf.forall;
// per channel the 9 weights broadcast from the weight, the bias as every
// vector's start, and per tap and vector one read of the flattened image,
// 16 floats from the output's position shifted by the tap (r - 1) * 7 +
// (s - 1), masked to the lanes whose tap is inside the image (tap (0, 0) of
// vector 0: the lanes of row 1 but its first column); the clamp on each
// vector before its write, the last vector's write masked (to its one
// lane).
// No padded copy, no window generic, no separate pass for the clamp.
// CHECK-LABEL: func.func @flat_depthwise
// CHECK-SAME: (%[[X:[^:]*]]: tensor<1x32x7x7xf32>, %[[W:[^:]*]]: tensor<32x3x3xf32>, %[[B:[^:]*]]: tensor<32xf32>)
// CHECK-DAG: %[[XF:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2, 3]] : tensor<1x32x7x7xf32> into tensor<1568xf32>
// CHECK-DAG: %[[WF:.*]] = tensor.collapse_shape %[[W]] {{\[\[}}0, 1, 2]] : tensor<32x3x3xf32> into tensor<288xf32>
// CHECK-DAG: %[[EMPTY:.*]] = tensor.empty() : tensor<1568xf32>
// CHECK-NOT: tensor.pad
// CHECK: scf.forall (%[[BLOCK:.*]]) in (2) shared_outs(%{{.*}} = %[[EMPTY]]) -> (tensor<1568xf32>)
// CHECK: scf.for %[[C:.*]] = %c0 to %c16 step %c1 iter_args
// CHECK: %[[BIAS:.*]] = tensor.extract %[[B]]
// CHECK: %[[START:.*]] = vector.broadcast %[[BIAS]] : f32 to vector<16xf32>
// CHECK: %[[W0:.*]] = tensor.extract %[[WF]]
// CHECK: vector.broadcast %[[W0]] : f32 to vector<16xf32>
// CHECK: %[[MASK00:.*]] = arith.constant dense<[false, false, false, false, false, false, false, false, true, true, true, true, true, true, false, true]> : vector<16xi1>
// CHECK: %[[READ:.*]] = vector.transfer_read %[[XF]][%{{.*}}], %{{.*}}, %[[MASK00]] {in_bounds = [true]} : tensor<1568xf32>, vector<16xf32>
// CHECK: vector.fma %[[READ]], %{{.*}}, %[[START]] : vector<16xf32>
// CHECK: arith.maximumf %{{.*}} : vector<16xf32>
// CHECK: arith.minimumf %{{.*}} : vector<16xf32>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}] {in_bounds = [true]} : vector<16xf32>, tensor<784xf32>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}], %{{.*}} {in_bounds = [true]} : vector<16xf32>, tensor<784xf32>
// CHECK: tensor.parallel_insert_slice
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] output_shape [1, 32, 7, 7]
// CHECK-NOT: linalg.generic
// CHECK: return
// Without the option: the window generic.
// OFF-LABEL: func.func @flat_depthwise
// OFF: linalg.generic
// OFF-NOT: vector.fma
#nchw = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#channel = affine_map<(d0, d1, d2, d3) -> (d1)>
func.func @flat_depthwise(%x: tensor<1x32x7x7xf32>, %w: tensor<32x3x3xf32>, %b: tensor<32xf32>) -> tensor<1x32x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %six = arith.constant 6.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x32x7x7xf32> to tensor<1x32x9x9xf32>
  %e = tensor.empty() : tensor<1x32x7x7xf32>
  %acc = linalg.generic {indexing_maps = [#channel, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : tensor<32xf32>) outs(%e : tensor<1x32x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x32x7x7xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%p, %w : tensor<1x32x9x9xf32>, tensor<32x3x3xf32>) outs(%acc : tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  %1 = linalg.generic {indexing_maps = [#nchw, #nchw], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x32x7x7xf32>) outs(%e : tensor<1x32x7x7xf32>) {
  ^bb0(%in: f32, %out: f32):
    %2 = arith.maximumf %in, %zero : f32
    %3 = arith.minimumf %2, %six : f32
    linalg.yield %3 : f32
  } -> tensor<1x32x7x7xf32>
  return %1 : tensor<1x32x7x7xf32>
}

// -----

// Not in the flat form: a strided kernel, an output narrower than the
// input (no padding: OW = 5 for W = 7), more than 256 output positions.
// CHECK-LABEL: func.func @flat_depthwise_negative
// CHECK-NOT: vector.fma
// CHECK: return
func.func @flat_depthwise_negative(%x: tensor<1x16x8x8xf32>, %y: tensor<1x16x7x7xf32>, %z: tensor<1x16x18x18xf32>, %w: tensor<16x3x3xf32>) -> (tensor<1x16x3x3xf32>, tensor<1x16x5x5xf32>, tensor<1x16x16x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<1x16x3x3xf32>
  %a0 = linalg.fill ins(%zero : f32) outs(%e0 : tensor<1x16x3x3xf32>) -> tensor<1x16x3x3xf32>
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x16x8x8xf32>, tensor<16x3x3xf32>) outs(%a0 : tensor<1x16x3x3xf32>) -> tensor<1x16x3x3xf32>
  %e1 = tensor.empty() : tensor<1x16x5x5xf32>
  %a1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32>
  %1 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%y, %w : tensor<1x16x7x7xf32>, tensor<16x3x3xf32>) outs(%a1 : tensor<1x16x5x5xf32>) -> tensor<1x16x5x5xf32>
  %e2 = tensor.empty() : tensor<1x16x16x16xf32>
  %a2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  %2 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%z, %w : tensor<1x16x18x18xf32>, tensor<16x3x3xf32>) outs(%a2 : tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32>
  return %0, %1, %2 : tensor<1x16x3x3xf32>, tensor<1x16x5x5xf32>, tensor<1x16x16x16xf32>
}
