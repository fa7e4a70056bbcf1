// RUN: accml-opt %s --split-input-file --convert-accml-to-linalg --canonicalize | FileCheck %s

// CHECK-LABEL: func.func @max_pool_padded
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEG]]
// CHECK: linalg.fill ins(%[[NEG]]
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
func.func @max_pool_padded(%x: tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = accml.max_pool2d %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x8xf32> -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// ceil_mode pads the end for the last window; the divisors come from a
// compile-time table when windows differ.
// CHECK-LABEL: func.func @avg_pool_ceil
// CHECK: %[[TABLE:.*]] = arith.constant dense<{{\[\[}}4.000000e+00, 4.000000e+00, 4.000000e+00, 2.000000e+00]
// CHECK: tensor.pad %{{.*}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: %[[SUM:.*]] = linalg.pooling_nchw_sum
// CHECK: linalg.generic {{.*}} ins(%[[SUM]], %[[TABLE]] : tensor<1x8x4x4xf32>, tensor<4x4xf32>)
// CHECK: arith.divf
func.func @avg_pool_ceil(%x: tensor<1x8x7x7xf32>) -> tensor<1x8x4x4xf32> {
  %0 = accml.avg_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, ceil_mode = true} : tensor<1x8x7x7xf32> -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// Equal windows divide by one constant.
// CHECK-LABEL: func.func @avg_pool_uniform
// CHECK-NOT: arith.constant dense
// CHECK: %[[FOUR:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: linalg.pooling_nchw_sum
// CHECK: arith.divf %{{.*}}, %[[FOUR]]
func.func @avg_pool_uniform(%x: tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = accml.avg_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x8xf32> -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// The spatial dimensions collapse into one innermost reduction dimension.
// CHECK-LABEL: func.func @global_avg_pool
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : tensor<1x512x7x7xf32> into tensor<1x512x49xf32>
// CHECK: linalg.reduce ins(%[[FLAT]] : tensor<1x512x49xf32>) outs(%{{.*}} : tensor<1x512xf32>) dimensions = [2]
// CHECK: arith.divf
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2, 3]] output_shape [1, 512, 1, 1]
func.func @global_avg_pool(%x: tensor<1x512x7x7xf32>) -> tensor<1x512x1x1xf32> {
  %0 = accml.global_avg_pool %x : tensor<1x512x7x7xf32> -> tensor<1x512x1x1xf32>
  return %0 : tensor<1x512x1x1xf32>
}
