// RUN: accml-opt %s | accml-opt | FileCheck %s
// RUN: accml-opt %s --mlir-print-op-generic | accml-opt | FileCheck %s

// Every accml op, printed, re-parsed and printed again.

// CHECK-LABEL: func.func @constant
func.func @constant() -> (tensor<2xf32>, tensor<2x2xi64>, tensor<i1>, tensor<4xbf16>) {
  // CHECK: accml.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %0 = accml.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: accml.constant dense<{{\[\[}}1, 2], [3, 4]]> : tensor<2x2xi64>
  %1 = accml.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  // CHECK: accml.constant dense<true> : tensor<i1>
  %2 = accml.constant dense<true> : tensor<i1>
  // CHECK: accml.constant dense_resource<weights> : tensor<4xbf16>
  %3 = accml.constant dense_resource<weights> : tensor<4xbf16>
  return %0, %1, %2, %3 : tensor<2xf32>, tensor<2x2xi64>, tensor<i1>, tensor<4xbf16>
}

// CHECK-LABEL: func.func @binary
func.func @binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<4x1xi32>, %j: tensor<1x5xi32>,
                  %d: tensor<?x3xf16>) {
  // CHECK: accml.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = accml.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: accml.sub %{{.*}}, %{{.*}} : (tensor<4x1xi32>, tensor<1x5xi32>) -> tensor<4x5xi32>
  %1 = accml.sub %i, %j : (tensor<4x1xi32>, tensor<1x5xi32>) -> tensor<4x5xi32>
  // CHECK: accml.mul %{{.*}}, %{{.*}} : (tensor<?x3xf16>, tensor<?x3xf16>) -> tensor<?x3xf16>
  %2 = accml.mul %d, %d : (tensor<?x3xf16>, tensor<?x3xf16>) -> tensor<?x3xf16>
  // CHECK: accml.div %{{.*}}, %{{.*}} : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = accml.div %b, %a : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: accml.pow %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = accml.pow %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: accml.max %{{.*}}, %{{.*}} : (tensor<4x1xi32>, tensor<1x5xi32>) -> tensor<4x5xi32>
  %5 = accml.max %i, %j : (tensor<4x1xi32>, tensor<1x5xi32>) -> tensor<4x5xi32>
  // CHECK: accml.min %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %6 = accml.min %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: accml.equal %{{.*}}, %{{.*}} : (tensor<4x1xi32>, tensor<1x5xi32>) -> tensor<4x5xi1>
  %7 = accml.equal %i, %j : (tensor<4x1xi32>, tensor<1x5xi32>) -> tensor<4x5xi1>
  // CHECK: accml.less %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %8 = accml.less %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: accml.greater %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  %9 = accml.greater %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: accml.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %10 = accml.where %8, %a, %b : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// A written result type may be more static than the inferred one.
// CHECK-LABEL: func.func @binary_dynamic_refined
func.func @binary_dynamic_refined(%a: tensor<?x3xf32>, %b: tensor<4x1xf32>) -> tensor<4x3xf32> {
  // CHECK: accml.add %{{.*}}, %{{.*}} : (tensor<?x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  %0 = accml.add %a, %b : (tensor<?x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @unary
func.func @unary(%x: tensor<4xf32>, %i: tensor<4xi32>, %h: tensor<?x8xbf16>) {
  // CHECK: accml.neg %{{.*}} : tensor<4xi32>
  %0 = accml.neg %i : tensor<4xi32>
  // CHECK: accml.abs %{{.*}} : tensor<4xf32>
  %1 = accml.abs %x : tensor<4xf32>
  // CHECK: accml.exp %{{.*}} : tensor<?x8xbf16>
  %2 = accml.exp %h : tensor<?x8xbf16>
  // CHECK: accml.log %{{.*}} : tensor<4xf32>
  %3 = accml.log %x : tensor<4xf32>
  // CHECK: accml.sqrt %{{.*}} : tensor<4xf32>
  %4 = accml.sqrt %x : tensor<4xf32>
  // CHECK: accml.rsqrt %{{.*}} : tensor<4xf32>
  %5 = accml.rsqrt %x : tensor<4xf32>
  // CHECK: accml.reciprocal %{{.*}} : tensor<4xf32>
  %6 = accml.reciprocal %x : tensor<4xf32>
  // CHECK: accml.tanh %{{.*}} : tensor<4xf32>
  %7 = accml.tanh %x : tensor<4xf32>
  // CHECK: accml.sigmoid %{{.*}} : tensor<4xf32>
  %8 = accml.sigmoid %x : tensor<4xf32>
  // CHECK: accml.relu %{{.*}} : tensor<4xi32>
  %9 = accml.relu %i : tensor<4xi32>
  // CHECK: accml.leaky_relu %{{.*}} {alpha = 2.000000e-01 : f32} : tensor<4xf32>
  %10 = accml.leaky_relu %x {alpha = 0.2 : f32} : tensor<4xf32>
  // CHECK: accml.leaky_relu %{{.*}} : tensor<4xf32>
  %11 = accml.leaky_relu %x : tensor<4xf32>
  // CHECK: accml.elu %{{.*}} {alpha = 5.000000e-01 : f32} : tensor<4xf32>
  %12 = accml.elu %x {alpha = 0.5 : f32} : tensor<4xf32>
  // CHECK: accml.gelu %{{.*}} : tensor<4xf32>
  %13 = accml.gelu %x : tensor<4xf32>
  // CHECK: accml.gelu %{{.*}} {approximate = "tanh"} : tensor<4xf32>
  %14 = accml.gelu %x {approximate = "tanh"} : tensor<4xf32>
  // CHECK: accml.erf %{{.*}} : tensor<4xf32>
  %15 = accml.erf %x : tensor<4xf32>
  // CHECK: accml.silu %{{.*}} : tensor<4xf32>
  %16 = accml.silu %x : tensor<4xf32>
  // CHECK: accml.hard_sigmoid %{{.*}} {alpha = 0.166666672 : f32} : tensor<4xf32>
  %17 = accml.hard_sigmoid %x {alpha = 0.166666672 : f32, beta = 0.5 : f32} : tensor<4xf32>
  // CHECK: accml.hard_swish %{{.*}} : tensor<4xf32>
  %18 = accml.hard_swish %x : tensor<4xf32>
  // CHECK: accml.clamp %{{.*}} {max = 6.000000e+00 : f64, min = 0.000000e+00 : f64} : tensor<4xf32>
  %19 = accml.clamp %x {min = 0.0, max = 6.0} : tensor<4xf32>
  // CHECK: accml.clamp %{{.*}} {min = -1.000000e+00 : f64} : tensor<4xi32>
  %20 = accml.clamp %i {min = -1.0} : tensor<4xi32>
  // CHECK: accml.cast %{{.*}} : tensor<4xf32> to tensor<4xi32>
  %21 = accml.cast %x : tensor<4xf32> to tensor<4xi32>
  // CHECK: accml.cast %{{.*}} : tensor<?x8xbf16> to tensor<?x8xf16>
  %22 = accml.cast %h : tensor<?x8xbf16> to tensor<?x8xf16>
  return
}

// CHECK-LABEL: func.func @linalg_ops
func.func @linalg_ops(%a: tensor<8x128x64xf32>, %b: tensor<64x32xf32>, %v: tensor<64xf32>,
                      %x: tensor<4x128xf32>, %w: tensor<10x128xf32>, %c: tensor<10xf32>,
                      %d: tensor<?x64xf32>) {
  // CHECK: accml.matmul %{{.*}}, %{{.*}} : (tensor<8x128x64xf32>, tensor<64x32xf32>) -> tensor<8x128x32xf32>
  %0 = accml.matmul %a, %b : (tensor<8x128x64xf32>, tensor<64x32xf32>) -> tensor<8x128x32xf32>
  // CHECK: accml.matmul %{{.*}}, %{{.*}} : (tensor<64xf32>, tensor<64x32xf32>) -> tensor<32xf32>
  %1 = accml.matmul %v, %b : (tensor<64xf32>, tensor<64x32xf32>) -> tensor<32xf32>
  // CHECK: accml.matmul %{{.*}}, %{{.*}} : (tensor<8x128x64xf32>, tensor<64xf32>) -> tensor<8x128xf32>
  %2 = accml.matmul %a, %v : (tensor<8x128x64xf32>, tensor<64xf32>) -> tensor<8x128xf32>
  // CHECK: accml.matmul %{{.*}}, %{{.*}} : (tensor<64xf32>, tensor<64xf32>) -> tensor<f32>
  %3 = accml.matmul %v, %v : (tensor<64xf32>, tensor<64xf32>) -> tensor<f32>
  // CHECK: accml.matmul %{{.*}}, %{{.*}} : (tensor<?x64xf32>, tensor<64x32xf32>) -> tensor<?x32xf32>
  %4 = accml.matmul %d, %b : (tensor<?x64xf32>, tensor<64x32xf32>) -> tensor<?x32xf32>
  // CHECK: accml.gemm %{{.*}}, %{{.*}}, %{{.*}} {trans_b = true} : (tensor<4x128xf32>, tensor<10x128xf32>, tensor<10xf32>) -> tensor<4x10xf32>
  %5 = accml.gemm %x, %w, %c {trans_b = true} : (tensor<4x128xf32>, tensor<10x128xf32>, tensor<10xf32>) -> tensor<4x10xf32>
  // CHECK: accml.gemm %{{.*}}, %{{.*}} {alpha = 5.000000e-01 : f32, beta = 0.000000e+00 : f32, trans_a = true} : (tensor<128x4xf32>, tensor<128x10xf32>) -> tensor<4x10xf32>
  %t = accml.transpose %x : tensor<4x128xf32> -> tensor<128x4xf32>
  %u = accml.transpose %w : tensor<10x128xf32> -> tensor<128x10xf32>
  %6 = accml.gemm %t, %u {alpha = 0.5 : f32, beta = 0.0 : f32, trans_a = true} : (tensor<128x4xf32>, tensor<128x10xf32>) -> tensor<4x10xf32>
  return
}

// CHECK-LABEL: func.func @convolutions
func.func @convolutions(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>,
                        %dx: tensor<1x32x56x56xf16>, %dw: tensor<32x1x3x3xf16>,
                        %tx: tensor<1x16x8x8xf32>, %tw: tensor<16x8x3x3xf32>, %tb: tensor<8xf32>,
                        %nx: tensor<?x3x32x32xf32>, %nw: tensor<8x3x3x3xf32>) {
  // CHECK: accml.conv2d %{{.*}}, %{{.*}}, %{{.*}} {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
  %0 = accml.conv2d %x, %w, %b {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
  // Depthwise, dilated.
  // CHECK: accml.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, groups = 32 : i64, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x32x56x56xf16>, tensor<32x1x3x3xf16>) -> tensor<1x32x56x56xf16>
  %1 = accml.conv2d %dx, %dw {dilations = array<i64: 2, 2>, groups = 32 : i64, pads = array<i64: 2, 2, 2, 2>} : (tensor<1x32x56x56xf16>, tensor<32x1x3x3xf16>) -> tensor<1x32x56x56xf16>
  // Dynamic batch.
  // CHECK: accml.conv2d %{{.*}}, %{{.*}} : (tensor<?x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<?x8x30x30xf32>
  %2 = accml.conv2d %nx, %nw : (tensor<?x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<?x8x30x30xf32>
  // CHECK: accml.conv_transpose2d %{{.*}}, %{{.*}}, %{{.*}} {output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  %3 = accml.conv_transpose2d %tx, %tw, %tb {output_padding = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>, tensor<8xf32>) -> tensor<1x8x16x16xf32>
  // CHECK: accml.conv_transpose2d %{{.*}}, %{{.*}} {groups = 2 : i64} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x10x10xf32>
  %4 = accml.conv_transpose2d %tx, %tw {groups = 2 : i64} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x10x10xf32>
  return
}

// CHECK-LABEL: func.func @pooling
func.func @pooling(%x: tensor<1x64x112x112xf32>, %y: tensor<1x16x7x7xf32>, %n: tensor<?x8x4x4xf32>) {
  // CHECK: accml.max_pool2d %{{.*}} {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  %0 = accml.max_pool2d %x {kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x64x112x112xf32> -> tensor<1x64x56x56xf32>
  // CHECK: accml.max_pool2d %{{.*}} {ceil_mode = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x16x7x7xf32> -> tensor<1x16x4x4xf32>
  %1 = accml.max_pool2d %y {ceil_mode = true, kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x16x7x7xf32> -> tensor<1x16x4x4xf32>
  // CHECK: accml.max_pool2d %{{.*}} {dilations = array<i64: 2, 2>, kernel_shape = array<i64: 2, 2>} : tensor<1x16x7x7xf32> -> tensor<1x16x5x5xf32>
  %2 = accml.max_pool2d %y {dilations = array<i64: 2, 2>, kernel_shape = array<i64: 2, 2>} : tensor<1x16x7x7xf32> -> tensor<1x16x5x5xf32>
  // CHECK: accml.avg_pool2d %{{.*}} {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x16x7x7xf32> -> tensor<1x16x7x7xf32>
  %3 = accml.avg_pool2d %y {count_include_pad = true, kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : tensor<1x16x7x7xf32> -> tensor<1x16x7x7xf32>
  // CHECK: accml.avg_pool2d %{{.*}} {ceil_mode = true, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x16x7x7xf32> -> tensor<1x16x3x3xf32>
  %4 = accml.avg_pool2d %y {ceil_mode = true, kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>} : tensor<1x16x7x7xf32> -> tensor<1x16x3x3xf32>
  // CHECK: accml.avg_pool2d %{{.*}} {kernel_shape = array<i64: 2, 2>} : tensor<?x8x4x4xf32> -> tensor<?x8x3x3xf32>
  %5 = accml.avg_pool2d %n {kernel_shape = array<i64: 2, 2>} : tensor<?x8x4x4xf32> -> tensor<?x8x3x3xf32>
  // CHECK: accml.global_avg_pool %{{.*}} : tensor<1x16x7x7xf32> -> tensor<1x16x1x1xf32>
  %6 = accml.global_avg_pool %y : tensor<1x16x7x7xf32> -> tensor<1x16x1x1xf32>
  // CHECK: accml.global_max_pool %{{.*}} : tensor<?x8x4x4xf32> -> tensor<?x8x1x1xf32>
  %7 = accml.global_max_pool %n : tensor<?x8x4x4xf32> -> tensor<?x8x1x1xf32>
  return
}

// CHECK-LABEL: func.func @normalization
func.func @normalization(%x: tensor<1x64x56x56xf32>, %p: tensor<64xf32>,
                         %t: tensor<1x128x768xf32>, %g: tensor<768xf32>, %s: tensor<2x10xf32>) {
  // CHECK: accml.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 1.000000e-03 : f32} : tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  %0 = accml.batch_norm %x, %p, %p, %p, %p {epsilon = 1.0e-03 : f32} : tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  // CHECK: accml.layer_norm %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>
  %1 = accml.layer_norm %t, %g, %g : tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>
  // CHECK: accml.layer_norm %{{.*}}, %{{.*}} {axis = 1 : i64, epsilon = 9.99999996E-13 : f32} : tensor<1x128x768xf32>, tensor<128x768xf32>
  %w = accml.constant dense<1.0> : tensor<128x768xf32>
  %2 = accml.layer_norm %t, %w {axis = 1 : i64, epsilon = 1.0e-12 : f32} : tensor<1x128x768xf32>, tensor<128x768xf32>
  // CHECK: accml.softmax %{{.*}} : tensor<2x10xf32>
  %3 = accml.softmax %s : tensor<2x10xf32>
  // CHECK: accml.softmax %{{.*}} {axis = 0 : i64} : tensor<2x10xf32>
  %4 = accml.softmax %s {axis = 0 : i64} : tensor<2x10xf32>
  // CHECK: accml.log_softmax %{{.*}} {axis = -2 : i64} : tensor<2x10xf32>
  %5 = accml.log_softmax %s {axis = -2 : i64} : tensor<2x10xf32>
  return
}

// CHECK-LABEL: func.func @reductions
func.func @reductions(%x: tensor<4x8xf32>, %i: tensor<4x8xi32>, %d: tensor<?x8xf32>) {
  // CHECK: accml.reduce_sum %{{.*}} {axes = array<i64: 1>, keepdims = false} : tensor<4x8xf32> -> tensor<4xf32>
  %0 = accml.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : tensor<4x8xf32> -> tensor<4xf32>
  // CHECK: accml.reduce_mean %{{.*}} {axes = array<i64: -1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  %1 = accml.reduce_mean %x {axes = array<i64: -1>} : tensor<4x8xf32> -> tensor<4x1xf32>
  // CHECK: accml.reduce_max %{{.*}} : tensor<4x8xf32> -> tensor<1x1xf32>
  %2 = accml.reduce_max %x : tensor<4x8xf32> -> tensor<1x1xf32>
  // CHECK: accml.reduce_min %{{.*}} {axes = array<i64: 0>} : tensor<4x8xi32> -> tensor<1x8xi32>
  %3 = accml.reduce_min %i {axes = array<i64: 0>} : tensor<4x8xi32> -> tensor<1x8xi32>
  // CHECK: accml.reduce_prod %{{.*}} {keepdims = false} : tensor<4x8xf32> -> tensor<f32>
  %4 = accml.reduce_prod %x {keepdims = false} : tensor<4x8xf32> -> tensor<f32>
  // CHECK: accml.reduce_sum %{{.*}} {axes = array<i64: 1>} : tensor<?x8xf32> -> tensor<?x1xf32>
  %5 = accml.reduce_sum %d {axes = array<i64: 1>} : tensor<?x8xf32> -> tensor<?x1xf32>
  // CHECK: accml.argmax %{{.*}} {axis = 1 : i64, keepdims = false} : tensor<4x8xf32> -> tensor<4xi64>
  %6 = accml.argmax %x {axis = 1 : i64, keepdims = false} : tensor<4x8xf32> -> tensor<4xi64>
  // CHECK: accml.argmin %{{.*}} {axis = -1 : i64, select_last_index = true} : tensor<4x8xi32> -> tensor<4x1xi64>
  %7 = accml.argmin %i {axis = -1 : i64, select_last_index = true} : tensor<4x8xi32> -> tensor<4x1xi64>
  // CHECK: accml.argmax %{{.*}} : tensor<4x8xf32> -> tensor<1x8xi64>
  %8 = accml.argmax %x : tensor<4x8xf32> -> tensor<1x8xi64>
  return
}

// CHECK-LABEL: func.func @shape_ops
func.func @shape_ops(%x: tensor<2x3x4xf32>, %y: tensor<2x5x4xf32>, %i: tensor<3x2xi64>,
                     %c: tensor<3x1xf32>, %s: tensor<1x3x1x4xi8>, %d: tensor<?x3x4xf32>,
                     %t: tensor<10xf32>, %z: tensor<0xf32>) {
  // CHECK: accml.reshape %{{.*}} : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %0 = accml.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  // CHECK: accml.reshape %{{.*}} : tensor<?x3x4xf32> -> tensor<?x12xf32>
  %1 = accml.reshape %d : tensor<?x3x4xf32> -> tensor<?x12xf32>
  // CHECK: accml.transpose %{{.*}} {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  %2 = accml.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  // CHECK: accml.transpose %{{.*}} : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
  %3 = accml.transpose %x : tensor<2x3x4xf32> -> tensor<4x3x2xf32>
  // CHECK: accml.concat %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  %4 = accml.concat %x, %y {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x8x4xf32>
  // CHECK: accml.concat %{{.*}}, %{{.*}}, %{{.*}} {axis = -3 : i64} : (tensor<2x3x4xf32>, tensor<?x3x4xf32>, tensor<2x3x4xf32>) -> tensor<?x3x4xf32>
  %5 = accml.concat %x, %d, %x {axis = -3 : i64} : (tensor<2x3x4xf32>, tensor<?x3x4xf32>, tensor<2x3x4xf32>) -> tensor<?x3x4xf32>
  // CHECK: accml.slice %{{.*}} {axes = array<i64: 1>, ends = array<i64: -1>, starts = array<i64: 1>} : tensor<2x5x4xf32> -> tensor<2x3x4xf32>
  %6 = accml.slice %y {starts = array<i64: 1>, ends = array<i64: -1>, axes = array<i64: 1>} : tensor<2x5x4xf32> -> tensor<2x3x4xf32>
  // CHECK: accml.slice %{{.*}} {ends = array<i64: -9223372036854775807, 9223372036854775807>, starts = array<i64: -1, 0>, steps = array<i64: -1, 2>} : tensor<2x5x4xf32> -> tensor<2x3x4xf32>
  %7 = accml.slice %y {starts = array<i64: -1, 0>, ends = array<i64: -9223372036854775807, 9223372036854775807>, steps = array<i64: -1, 2>} : tensor<2x5x4xf32> -> tensor<2x3x4xf32>
  // Empty ranges, in both directions and with |step| > 1, are empty.
  // CHECK: accml.slice %{{.*}} {ends = array<i64: 2>, starts = array<i64: 5>, steps = array<i64: 2>} : tensor<10xf32> -> tensor<0xf32>
  %e0 = accml.slice %t {starts = array<i64: 5>, ends = array<i64: 2>, steps = array<i64: 2>} : tensor<10xf32> -> tensor<0xf32>
  // CHECK: accml.slice %{{.*}} {ends = array<i64: 5>, starts = array<i64: 2>, steps = array<i64: -2>} : tensor<10xf32> -> tensor<0xf32>
  %e1 = accml.slice %t {starts = array<i64: 2>, ends = array<i64: 5>, steps = array<i64: -2>} : tensor<10xf32> -> tensor<0xf32>
  // CHECK: accml.slice %{{.*}} {ends = array<i64: -9223372036854775808>, starts = array<i64: 9>, steps = array<i64: -9223372036854775808>} : tensor<10xf32> -> tensor<1xf32>
  %e2 = accml.slice %t {starts = array<i64: 9>, ends = array<i64: -9223372036854775808>, steps = array<i64: -9223372036854775808>} : tensor<10xf32> -> tensor<1xf32>
  // CHECK: accml.slice %{{.*}} {ends = array<i64: 0>, starts = array<i64: -1>, steps = array<i64: -1>} : tensor<0xf32> -> tensor<0xf32>
  %e3 = accml.slice %z {starts = array<i64: -1>, ends = array<i64: 0>, steps = array<i64: -1>} : tensor<0xf32> -> tensor<0xf32>
  // CHECK: accml.split %{{.*}} {axis = 1 : i64, split = array<i64: 2, 3>} : tensor<2x5x4xf32> -> tensor<2x2x4xf32>, tensor<2x3x4xf32>
  %8:2 = accml.split %y {axis = 1 : i64, split = array<i64: 2, 3>} : tensor<2x5x4xf32> -> tensor<2x2x4xf32>, tensor<2x3x4xf32>
  // CHECK: accml.split %{{.*}} {axis = -1 : i64} : tensor<2x3x4xf32> -> tensor<2x3x2xf32>, tensor<2x3x2xf32>
  %9:2 = accml.split %x {axis = -1 : i64} : tensor<2x3x4xf32> -> tensor<2x3x2xf32>, tensor<2x3x2xf32>
  // CHECK: accml.gather %{{.*}}, %{{.*}} {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<3x2xi64>) -> tensor<2x3x2x4xf32>
  %10 = accml.gather %x, %i {axis = 1 : i64} : (tensor<2x3x4xf32>, tensor<3x2xi64>) -> tensor<2x3x2x4xf32>
  // CHECK: accml.pad %{{.*}} {pads = array<i64: 0, 1, 1, 0, 1, 1>} : tensor<2x3x4xf32> -> tensor<2x5x6xf32>
  %11 = accml.pad %x {pads = array<i64: 0, 1, 1, 0, 1, 1>} : tensor<2x3x4xf32> -> tensor<2x5x6xf32>
  // CHECK: accml.pad %{{.*}} {constant_value = 1.500000e+00 : f64, pads = array<i64: 0, 0, 0, 0, 0, 2>} : tensor<2x3x4xf32> -> tensor<2x3x6xf32>
  %12 = accml.pad %x {pads = array<i64: 0, 0, 0, 0, 0, 2>, constant_value = 1.5} : tensor<2x3x4xf32> -> tensor<2x3x6xf32>
  // CHECK: accml.pad %{{.*}} {mode = "reflect", pads = array<i64: 0, 2, 0, 0, 2, 0>} : tensor<2x3x4xf32> -> tensor<2x7x4xf32>
  %13 = accml.pad %x {mode = "reflect", pads = array<i64: 0, 2, 0, 0, 2, 0>} : tensor<2x3x4xf32> -> tensor<2x7x4xf32>
  // CHECK: accml.pad %{{.*}} {mode = "edge", pads = array<i64: 0, 0, -1, 0, 0, 3>} : tensor<2x3x4xf32> -> tensor<2x3x6xf32>
  %14 = accml.pad %x {mode = "edge", pads = array<i64: 0, 0, -1, 0, 0, 3>} : tensor<2x3x4xf32> -> tensor<2x3x6xf32>
  // CHECK: accml.expand %{{.*}} : tensor<3x1xf32> -> tensor<2x3x4xf32>
  %15 = accml.expand %c : tensor<3x1xf32> -> tensor<2x3x4xf32>
  // CHECK: accml.flatten %{{.*}} : tensor<2x3x4xf32> -> tensor<2x12xf32>
  %16 = accml.flatten %x : tensor<2x3x4xf32> -> tensor<2x12xf32>
  // CHECK: accml.flatten %{{.*}} {axis = 0 : i64} : tensor<?x3x4xf32> -> tensor<1x?xf32>
  %17 = accml.flatten %d {axis = 0 : i64} : tensor<?x3x4xf32> -> tensor<1x?xf32>
  // CHECK: accml.squeeze %{{.*}} {axes = array<i64: 0, -2>} : tensor<1x3x1x4xi8> -> tensor<3x4xi8>
  %18 = accml.squeeze %s {axes = array<i64: 0, -2>} : tensor<1x3x1x4xi8> -> tensor<3x4xi8>
  // CHECK: accml.squeeze %{{.*}} : tensor<1x3x1x4xi8> -> tensor<3x4xi8>
  %19 = accml.squeeze %s : tensor<1x3x1x4xi8> -> tensor<3x4xi8>
  // CHECK: accml.unsqueeze %{{.*}} {axes = array<i64: 0, -1>} : tensor<2x3x4xf32> -> tensor<1x2x3x4x1xf32>
  %20 = accml.unsqueeze %x {axes = array<i64: 0, -1>} : tensor<2x3x4xf32> -> tensor<1x2x3x4x1xf32>
  return
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x02000000803F803F803F803F"
    }
  }
#-}
