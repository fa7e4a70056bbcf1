// RUN: accml-opt %s --split-input-file --verify-diagnostics

// Every verifier and type-inference error of the accml ops. Inference errors
// are followed by the interface's "failed to infer returned types".

//===----------------------------------------------------------------------===//
// Type constraints and inferred types
//===----------------------------------------------------------------------===//

func.func @unranked_operand(%a: tensor<*xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of}}
  %0 = accml.add %a, %b : (tensor<*xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @float_only_op_on_integers(%a: tensor<3xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values, but got 'tensor<3xi32>'}}
  %0 = accml.exp %a : tensor<3xi32>
  return
}

// -----

func.func @unsupported_element_type(%a: tensor<3xf64>) {
  // expected-error @+1 {{must be ranked tensor of}}
  %0 = accml.relu %a : tensor<3xf64>
  return
}

// -----

func.func @wrong_result_type(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'accml.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.add %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @wrong_result_element_type(%a: tensor<2x3xf32>, %b: tensor<3x3xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf16>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.matmul %a, %b : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf16>
  return
}

// -----

func.func @unary_type_mismatch(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires the same type for all operands and results}}
  %0 = "accml.relu"(%a) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @missing_attribute(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{requires attribute 'ends'}}
  %0 = "accml.slice"(%a) <{starts = array<i64: 0>}> : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @constant_type_mismatch() {
  // expected-error @+1 {{failed to verify that all of {value, result} have same type}}
  %0 = "accml.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// -----

func.func @binary_element_types(%a: tensor<3xf32>, %b: tensor<3xf16>) {
  // expected-error @+2 {{'accml.add' op expects operands of the same element type, got 'f32' and 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.add %a, %b : (tensor<3xf32>, tensor<3xf16>) -> tensor<3xf32>
  return
}

// -----

func.func @binary_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'accml.mul' op expects operand shapes that broadcast together, got 'tensor<2x3xf32>', 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.mul %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @comparison_result(%a: tensor<3xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = accml.less %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @where_condition(%c: tensor<3xf32>, %a: tensor<3xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = accml.where %c, %a, %a : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @where_element_types(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+2 {{'accml.where' op expects 'x' and 'y' of the same element type, got 'f32' and 'i32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.where %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xi32>) -> tensor<3xf32>
  return
}

// -----

func.func @where_broadcast(%c: tensor<2xi1>, %a: tensor<3xf32>) {
  // expected-error @+2 {{'accml.where' op expects operand shapes that broadcast together}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.where %c, %a, %a : (tensor<2xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @gelu_approximate(%a: tensor<3xf32>) {
  // expected-error @+1 {{'accml.gelu' op expects 'approximate' to be "none" or "tanh", got "fast"}}
  %0 = accml.gelu %a {approximate = "fast"} : tensor<3xf32>
  return
}

// -----

func.func @cast_shape(%a: tensor<3xf32>) {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = accml.cast %a : tensor<3xf32> to tensor<4xi32>
  return
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

// -----

func.func @matmul_contraction(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'accml.matmul' op expects the contracted dimensions to match, got lhs 'tensor<2x3xf32>' with 3 columns and rhs 'tensor<4x5xf32>' with 4 rows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @matmul_scalar(%a: tensor<f32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'accml.matmul' op expects operands of rank at least 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.matmul %a, %b : (tensor<f32>, tensor<4x5xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x4x3xf32>, %b: tensor<5x3x6xf32>) {
  // expected-error @+2 {{'accml.matmul' op expects batch dimensions that broadcast}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.matmul %a, %b : (tensor<2x4x3xf32>, tensor<5x3x6xf32>) -> tensor<2x4x6xf32>
  return
}

// -----

func.func @matmul_element_types(%a: tensor<2x3xf32>, %b: tensor<3x5xi32>) {
  // expected-error @+2 {{'accml.matmul' op expects operands of the same element type, got 'f32' and 'i32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.matmul %a, %b : (tensor<2x3xf32>, tensor<3x5xi32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @gemm_rank(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'accml.gemm' op expects matrices (rank 2), got 'tensor<2x3x4xf32>' and 'tensor<4x5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.gemm %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @gemm_element_types(%a: tensor<2x4xf32>, %b: tensor<4x5xf16>) {
  // expected-error @+2 {{'accml.gemm' op expects operands of the same element type, got 'f32' and 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.gemm %a, %b : (tensor<2x4xf32>, tensor<4x5xf16>) -> tensor<2x5xf32>
  return
}

// -----

func.func @gemm_contraction(%a: tensor<2x4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'accml.gemm' op expects the contracted dimensions to match, got op(a) 2x4 and op(b) 5x4}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.gemm %a, %b {trans_b = true} : (tensor<2x4xf32>, tensor<4x5xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @gemm_bias_type(%a: tensor<2x4xf32>, %b: tensor<4x5xf32>, %c: tensor<5xi32>) {
  // expected-error @+2 {{'accml.gemm' op expects 'c' of element type 'f32', got 'i32'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.gemm %a, %b, %c : (tensor<2x4xf32>, tensor<4x5xf32>, tensor<5xi32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @gemm_bias_shape(%a: tensor<2x4xf32>, %b: tensor<4x5xf32>, %c: tensor<3x5xf32>) {
  // expected-error @+2 {{'accml.gemm' op expects 'c' to broadcast to the 2x5 result, got 'tensor<3x5xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.gemm %a, %b, %c : (tensor<2x4xf32>, tensor<4x5xf32>, tensor<3x5xf32>) -> tensor<2x5xf32>
  return
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

// -----

func.func @conv_input_rank(%x: tensor<3x32x32xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects an NCHW input of rank 4, got 'tensor<3x32x32xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w : (tensor<3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects a weight of rank 4, got 'tensor<8x3x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w : (tensor<1x3x32x32xf32>, tensor<8x3x3xf32>) -> tensor<1x8x30x30xf32>
  return
}

// -----

func.func @conv_element_types(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf16>) {
  // expected-error @+2 {{'accml.conv2d' op expects input and weight of the same element type, got 'f32' and 'f16'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf16>) -> tensor<1x8x30x30xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x4x32x32xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects input channels (4) to equal weight input channels (3) times groups (1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w : (tensor<1x4x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return
}

// -----

func.func @conv_groups_divide_outputs(%x: tensor<1x4x32x32xf32>, %w: tensor<6x1x3x3xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects output channels (6) divisible by groups (4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w {groups = 4 : i64} : (tensor<1x4x32x32xf32>, tensor<6x1x3x3xf32>) -> tensor<1x6x30x30xf32>
  return
}

// -----

func.func @conv_groups_positive(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects 'groups' >= 1, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w {groups = 0 : i64} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return
}

// -----

func.func @conv_bias_size(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects a bias of 8 elements (one per output channel), got 'tensor<4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w, %b : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>, tensor<4xf32>) -> tensor<1x8x30x30xf32>
  return
}

// -----

func.func @conv_bias_rank(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<1x8xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects a bias of rank 1 with element type 'f32', got 'tensor<1x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w, %b : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>, tensor<1x8xf32>) -> tensor<1x8x30x30xf32>
  return
}

// -----

func.func @conv_strides_count(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects 'strides' to have 2 entries, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return
}

// -----

func.func @conv_strides_positive(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects 'strides' entries >= 1, got [0, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return
}

// -----

func.func @conv_pads_negative(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects 'pads' entries >= 0, got [-1, 0, 0, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w {pads = array<i64: -1, 0, 0, 0>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return
}

// -----

func.func @conv_dilations(%x: tensor<1x3x32x32xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects 'dilations' to have 2 entries, got 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w {dilations = array<i64: 2>} : (tensor<1x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x30x30xf32>
  return
}

// -----

func.func @conv_kernel_too_large(%x: tensor<1x3x4x4xf32>, %w: tensor<8x3x5x5xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects the dilated kernel (5) to fit the padded input (4) in spatial dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<8x3x5x5xf32>) -> tensor<1x8x1x1xf32>
  return
}

// -----

func.func @conv_integer(%x: tensor<1x3x4x4xi8>, %w: tensor<8x3x3x3xi8>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of 32-bit float or 16-bit float or bfloat16 type values}}
  %0 = accml.conv2d %x, %w : (tensor<1x3x4x4xi8>, tensor<8x3x3x3xi8>) -> tensor<1x8x2x2xi8>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x16x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @+2 {{'accml.conv_transpose2d' op expects 'output_padding' entries smaller than the stride or the dilation, got [1, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv_transpose2d %x, %w {output_padding = array<i64: 1, 1>} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<1x8x11x11xf32>
  return
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x16x8x8xf32>, %w: tensor<8x8x3x3xf32>) {
  // expected-error @+2 {{'accml.conv_transpose2d' op expects input channels (16) to equal the weight's first dimension (8)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv_transpose2d %x, %w : (tensor<1x16x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x10x10xf32>
  return
}

// -----

func.func @conv_transpose_groups(%x: tensor<1x15x8x8xf32>, %w: tensor<15x8x3x3xf32>) {
  // expected-error @+2 {{'accml.conv_transpose2d' op expects input channels (15) divisible by groups (2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv_transpose2d %x, %w {groups = 2 : i64} : (tensor<1x15x8x8xf32>, tensor<15x8x3x3xf32>) -> tensor<1x16x10x10xf32>
  return
}

// -----

func.func @conv_transpose_groups_positive(%x: tensor<1x16x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @+2 {{'accml.conv_transpose2d' op expects 'groups' >= 1, got -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv_transpose2d %x, %w {groups = -1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<1x8x10x10xf32>
  return
}

// -----

func.func @conv_transpose_output_size(%x: tensor<1x16x1x1xf32>, %w: tensor<16x8x1x1xf32>) {
  // expected-error @+2 {{'accml.conv_transpose2d' op expects a positive output size, got -1 in spatial dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv_transpose2d %x, %w {pads = array<i64: 1, 0, 1, 0>} : (tensor<1x16x1x1xf32>, tensor<16x8x1x1xf32>) -> tensor<1x8x1x1xf32>
  return
}

// -----

func.func @conv_transpose_bias(%x: tensor<1x16x8x8xf32>, %w: tensor<16x8x3x3xf32>, %b: tensor<16xf32>) {
  // expected-error @+2 {{'accml.conv_transpose2d' op expects a bias of 8 elements (one per output channel), got 'tensor<16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv_transpose2d %x, %w, %b : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>, tensor<16xf32>) -> tensor<1x8x10x10xf32>
  return
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

// -----

func.func @pool_rank(%x: tensor<16x8x8xf32>) {
  // expected-error @+2 {{'accml.max_pool2d' op expects an NCHW input of rank 4, got 'tensor<16x8x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.max_pool2d %x {kernel_shape = array<i64: 2, 2>} : tensor<16x8x8xf32> -> tensor<16x4x4xf32>
  return
}

// -----

func.func @pool_kernel_shape(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+2 {{'accml.avg_pool2d' op expects 'kernel_shape' to have 2 entries, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.avg_pool2d %x {kernel_shape = array<i64: 2, 2, 2>} : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
  return
}

// -----

func.func @pool_kernel_positive(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+2 {{'accml.max_pool2d' op expects 'kernel_shape' entries >= 1, got [0, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.max_pool2d %x {kernel_shape = array<i64: 0, 2>} : tensor<1x16x8x8xf32> -> tensor<1x16x4x4xf32>
  return
}

// -----

func.func @pool_pads_vs_kernel(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+2 {{'accml.max_pool2d' op expects pads smaller than the kernel, got pads [2, 0, 0, 0] for kernel [2, 2]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.max_pool2d %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 2, 0, 0, 0>} : tensor<1x16x8x8xf32> -> tensor<1x16x5x4xf32>
  return
}

// -----

func.func @pool_window_too_large(%x: tensor<1x16x2x2xf32>) {
  // expected-error @+2 {{'accml.avg_pool2d' op expects the window (3) to fit the padded input (2) in spatial dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.avg_pool2d %x {kernel_shape = array<i64: 3, 3>} : tensor<1x16x2x2xf32> -> tensor<1x16x1x1xf32>
  return
}

// -----

func.func @pool_missing_kernel(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+1 {{requires attribute 'kernel_shape'}}
  %0 = accml.max_pool2d %x : tensor<1x16x8x8xf32> -> tensor<1x16x8x8xf32>
  return
}

// -----

func.func @global_pool_rank(%x: tensor<16x8xf32>) {
  // expected-error @+2 {{'accml.global_avg_pool' op expects an N x C x D1 x ... input of rank at least 3, got 'tensor<16x8xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.global_avg_pool %x : tensor<16x8xf32> -> tensor<16x1xf32>
  return
}

// -----

func.func @global_pool_result(%x: tensor<1x16x8x8xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<1x16x1x1xf32>' are incompatible with return type(s) of operation 'tensor<1x16xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.global_max_pool %x : tensor<1x16x8x8xf32> -> tensor<1x16xf32>
  return
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

// -----

func.func @batch_norm_rank(%x: tensor<16xf32>, %p: tensor<16xf32>) {
  // expected-error @+1 {{'accml.batch_norm' op expects an N x C x ... input of rank at least 2, got 'tensor<16xf32>'}}
  %0 = accml.batch_norm %x, %p, %p, %p, %p : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_param_size(%x: tensor<1x16x4x4xf32>, %p: tensor<16xf32>, %q: tensor<8xf32>) {
  // expected-error @+1 {{'accml.batch_norm' op expects 'mean' of 16 elements (one per channel), got 'tensor<8xf32>'}}
  %0 = accml.batch_norm %x, %p, %p, %q, %p : tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_param_rank(%x: tensor<1x16x4x4xf32>, %p: tensor<16xf32>, %q: tensor<1x16xf32>) {
  // expected-error @+1 {{'accml.batch_norm' op expects 'scale' of rank 1, got 'tensor<1x16xf32>'}}
  %0 = accml.batch_norm %x, %q, %p, %p, %p : tensor<1x16x4x4xf32>, tensor<1x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_epsilon(%x: tensor<1x16x4x4xf32>, %p: tensor<16xf32>) {
  // expected-error @+1 {{'accml.batch_norm' op expects a non-negative 'epsilon'}}
  %0 = accml.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0 : f32} : tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
  return
}

// -----

func.func @batch_norm_element_types(%x: tensor<1x16x4x4xf32>, %p: tensor<16xf32>, %h: tensor<16xf16>) {
  // expected-error @+1 {{failed to verify that all of {input, scale, bias, mean, variance} have same element type}}
  %0 = accml.batch_norm %x, %p, %h, %p, %p : tensor<1x16x4x4xf32>, tensor<16xf32>, tensor<16xf16>, tensor<16xf32>, tensor<16xf32>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'accml.layer_norm' op expects 'axis' in [-2, 2) for rank 2, got 2}}
  %0 = accml.layer_norm %x, %g {axis = 2 : i64} : tensor<2x8xf32>, tensor<8xf32>
  return
}

// -----

func.func @layer_norm_scale_shape(%x: tensor<2x8xf32>, %g: tensor<4xf32>) {
  // expected-error @+1 {{'accml.layer_norm' op expects scale and bias to broadcast to the normalised dimensions 8, got 'tensor<4xf32>'}}
  %0 = accml.layer_norm %x, %g : tensor<2x8xf32>, tensor<4xf32>
  return
}

// -----

func.func @layer_norm_bias_type(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf16>) {
  // expected-error @+1 {{'accml.layer_norm' op expects scale and bias of element type 'f32', got 'tensor<8xf16>'}}
  %0 = accml.layer_norm %x, %g, %b : tensor<2x8xf32>, tensor<8xf32>, tensor<8xf16>
  return
}

// -----

func.func @layer_norm_scalar(%x: tensor<f32>, %g: tensor<f32>) {
  // expected-error @+1 {{'accml.layer_norm' op expects an input of rank at least 1, got 'tensor<f32>'}}
  %0 = accml.layer_norm %x, %g : tensor<f32>, tensor<f32>
  return
}

// -----

func.func @layer_norm_epsilon(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'accml.layer_norm' op expects a non-negative 'epsilon'}}
  %0 = accml.layer_norm %x, %g {epsilon = -1.0e-5 : f32} : tensor<2x8xf32>, tensor<8xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'accml.softmax' op expects 'axis' in [-2, 2) for rank 2, got -3}}
  %0 = accml.softmax %x {axis = -3 : i64} : tensor<2x8xf32>
  return
}

// -----

func.func @log_softmax_scalar(%x: tensor<f32>) {
  // expected-error @+1 {{'accml.log_softmax' op expects an input of rank at least 1, got 'tensor<f32>'}}
  %0 = accml.log_softmax %x : tensor<f32>
  return
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_axis_range(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'accml.reduce_sum' op expects 'axes' in [-2, 2) for rank 2, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.reduce_sum %x {axes = array<i64: 2>} : tensor<2x8xf32> -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_axes_distinct(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'accml.reduce_max' op expects distinct 'axes', got [1, -1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.reduce_max %x {axes = array<i64: 1, -1>} : tensor<2x8xf32> -> tensor<2x1xf32>
  return
}

// -----

func.func @reduce_keepdims_result(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{inferred type(s) 'tensor<2x1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.reduce_mean %x {axes = array<i64: 1>} : tensor<2x8xf32> -> tensor<2xf32>
  return
}

// -----

func.func @argmax_axis(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'accml.argmax' op expects 'axis' in [-2, 2) for rank 2, got 5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.argmax %x {axis = 5 : i64} : tensor<2x8xf32> -> tensor<2x1xi64>
  return
}

// -----

func.func @argmin_scalar(%x: tensor<f32>) {
  // expected-error @+2 {{'accml.argmin' op expects an input of rank at least 1, got 'tensor<f32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.argmin %x : tensor<f32> -> tensor<i64>
  return
}

// -----

func.func @argmax_result_type(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of 64-bit signless integer values}}
  %0 = accml.argmax %x : tensor<2x8xf32> -> tensor<1x8xi32>
  return
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'accml.reshape' op expects the same number of elements, got 6 in 'tensor<2x3xf32>' and 8 in 'tensor<2x4xf32>'}}
  %0 = accml.reshape %x : tensor<2x3xf32> -> tensor<2x4xf32>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{failed to verify that all of {input, result} have same element type}}
  %0 = accml.reshape %x : tensor<2x3xf32> -> tensor<6xi32>
  return
}

// -----

func.func @transpose_perm(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'accml.transpose' op expects 'perm' to be a permutation of [0, 3), got [0, 1, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.transpose %x {perm = array<i64: 0, 1, 1>} : tensor<2x3x4xf32> -> tensor<2x3x3xf32>
  return
}

// -----

func.func @transpose_perm_length(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'accml.transpose' op expects 'perm' to be a permutation of [0, 3), got [1, 0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.transpose %x {perm = array<i64: 1, 0>} : tensor<2x3x4xf32> -> tensor<3x2xf32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+2 {{'accml.concat' op expects at least one input}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.concat {axis = 0 : i64} : () -> tensor<2xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<4x4xf32>) {
  // expected-error @+2 {{'accml.concat' op expects inputs to agree on every dimension but the axis, got 'tensor<2x3xf32>' and 'tensor<4x4xf32>' (input 1) in dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4x4xf32>) -> tensor<2x7xf32>
  return
}

// -----

func.func @concat_ranks(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) {
  // expected-error @+2 {{'accml.concat' op expects inputs of one rank and element type, got 'tensor<2x3xf32>' and 'tensor<2x3x1xf32>' (input 1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'accml.concat' op expects 'axis' in [-2, 2) for rank 2, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_scalar(%a: tensor<f32>) {
  // expected-error @+2 {{'accml.concat' op expects inputs of rank at least 1, got 'tensor<f32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.concat %a, %a {axis = 0 : i64} : (tensor<f32>, tensor<f32>) -> tensor<2xf32>
  return
}

// -----

func.func @slice_lengths(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'accml.slice' op expects 'starts', 'ends', 'axes' and 'steps' of one length, got 1, 2, 1 and 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.slice %x {starts = array<i64: 0>, ends = array<i64: 1, 2>} : tensor<2x8xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @slice_zero_step(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'accml.slice' op expects non-zero 'steps', got [0]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.slice %x {starts = array<i64: 0>, ends = array<i64: 1>, steps = array<i64: 0>} : tensor<2x8xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @slice_axes(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'accml.slice' op expects distinct 'axes', got [1, 1]}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 1, 1>, axes = array<i64: 1, 1>} : tensor<2x8xf32> -> tensor<2x1xf32>
  return
}

// -----

func.func @split_sizes_count(%x: tensor<8xf32>) {
  // expected-error @+1 {{'accml.split' op expects one 'split' entry per result, got 3 entries for 2 results}}
  %0:2 = accml.split %x {split = array<i64: 2, 3, 3>} : tensor<8xf32> -> tensor<2xf32>, tensor<6xf32>
  return
}

// -----

func.func @split_sizes_sum(%x: tensor<8xf32>) {
  // expected-error @+1 {{'accml.split' op expects 'split' sizes to add up to the dimension (8), got [2, 5]}}
  %0:2 = accml.split %x {split = array<i64: 2, 5>} : tensor<8xf32> -> tensor<2xf32>, tensor<5xf32>
  return
}

// -----

func.func @split_sizes_negative(%x: tensor<8xf32>) {
  // expected-error @+1 {{'accml.split' op expects non-negative 'split' sizes, got [10, -2]}}
  %0:2 = accml.split %x {split = array<i64: 10, -2>} : tensor<8xf32> -> tensor<10xf32>, tensor<2xf32>
  return
}

// -----

func.func @split_uneven(%x: tensor<7xf32>) {
  // expected-error @+1 {{'accml.split' op expects dimension 0 (7) to divide evenly into 2 results, or explicit 'split' sizes}}
  %0:2 = accml.split %x : tensor<7xf32> -> tensor<4xf32>, tensor<3xf32>
  return
}

// -----

func.func @split_result_type(%x: tensor<8xf32>) {
  // expected-error @+1 {{'accml.split' op expects result 1 of type 'tensor<4xf32>', got 'tensor<3xf32>'}}
  %0:2 = accml.split %x : tensor<8xf32> -> tensor<4xf32>, tensor<3xf32>
  return
}

// -----

func.func @split_axis(%x: tensor<8xf32>) {
  // expected-error @+1 {{'accml.split' op expects 'axis' in [-1, 1) for rank 1, got 1}}
  %0:2 = accml.split %x {axis = 1 : i64} : tensor<8xf32> -> tensor<4xf32>, tensor<4xf32>
  return
}

// -----

func.func @split_scalar(%x: tensor<f32>) {
  // expected-error @+1 {{'accml.split' op expects an input of rank at least 1, got 'tensor<f32>'}}
  %0 = accml.split %x : tensor<f32> -> tensor<f32>
  return
}

// -----

func.func @split_no_results(%x: tensor<8xf32>) {
  // expected-error @+1 {{'accml.split' op expects at least one result}}
  "accml.split"(%x) : (tensor<8xf32>) -> ()
  return
}

// -----

func.func @gather_axis(%x: tensor<2x8xf32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'accml.gather' op expects 'axis' in [-2, 2) for rank 2, got -3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.gather %x, %i {axis = -3 : i64} : (tensor<2x8xf32>, tensor<3xi64>) -> tensor<3x8xf32>
  return
}

// -----

func.func @gather_scalar(%x: tensor<f32>, %i: tensor<3xi64>) {
  // expected-error @+2 {{'accml.gather' op expects an input of rank at least 1, got 'tensor<f32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.gather %x, %i : (tensor<f32>, tensor<3xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @gather_float_indices(%x: tensor<2x8xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = accml.gather %x, %i : (tensor<2x8xf32>, tensor<3xf32>) -> tensor<3x8xf32>
  return
}

// -----

func.func @pad_length(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'accml.pad' op expects 'pads' of 2 * rank = 4 entries (all begins, then all ends), got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.pad %x {pads = array<i64: 1, 1>} : tensor<2x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @pad_negative_size(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'accml.pad' op expects pads that leave a non-negative size, got -1 in dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.pad %x {pads = array<i64: -2, 0, -1, 0>} : tensor<2x8xf32> -> tensor<0x8xf32>
  return
}

// -----

func.func @pad_mode(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'accml.pad' op expects 'mode' to be "constant", "reflect" or "edge", got "wrap"}}
  %0 = accml.pad %x {mode = "wrap", pads = array<i64: 1, 0, 1, 0>} : tensor<2x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @pad_reflect_too_wide(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'accml.pad' op expects reflect pads smaller than the dimension (2), got 2 and 0 in dimension 0}}
  %0 = accml.pad %x {mode = "reflect", pads = array<i64: 2, 0, 0, 0>} : tensor<2x8xf32> -> tensor<4x8xf32>
  return
}

// -----

func.func @pad_edge_empty(%x: tensor<0x8xf32>) {
  // expected-error @+1 {{'accml.pad' op expects a non-empty dimension to pad in edge mode, got dimension 0 of size 0}}
  %0 = accml.pad %x {mode = "edge", pads = array<i64: 1, 0, 0, 0>} : tensor<0x8xf32> -> tensor<1x8xf32>
  return
}

// -----

func.func @expand_rank(%x: tensor<2x8xf32>) {
  // expected-error @+1 {{'accml.expand' op expects a result rank at least the input's, got 'tensor<2x8xf32>' and 'tensor<8xf32>'}}
  %0 = accml.expand %x : tensor<2x8xf32> -> tensor<8xf32>
  return
}

// -----

func.func @expand_shape(%x: tensor<3x1xf32>) {
  // expected-error @+1 {{'accml.expand' op expects input 'tensor<3x1xf32>' to broadcast to 'tensor<2x4x4xf32>', but dimension 0 has size 3 where the result has 4}}
  %0 = accml.expand %x : tensor<3x1xf32> -> tensor<2x4x4xf32>
  return
}

// -----

func.func @flatten_axis(%x: tensor<2x8xf32>) {
  // expected-error @+2 {{'accml.flatten' op expects 'axis' in [-2, 2] for rank 2, got 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.flatten %x {axis = 3 : i64} : tensor<2x8xf32> -> tensor<16x1xf32>
  return
}

// -----

func.func @squeeze_non_unit(%x: tensor<2x1xf32>) {
  // expected-error @+2 {{'accml.squeeze' op expects squeezed dimensions of size 1, got size 2 in dimension 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.squeeze %x {axes = array<i64: 0>} : tensor<2x1xf32> -> tensor<1xf32>
  return
}

// -----

func.func @squeeze_axis(%x: tensor<2x1xf32>) {
  // expected-error @+2 {{'accml.squeeze' op expects 'axes' in [-2, 2) for rank 2, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.squeeze %x {axes = array<i64: 2>} : tensor<2x1xf32> -> tensor<2xf32>
  return
}

// -----

func.func @unsqueeze_no_axes(%x: tensor<2xf32>) {
  // expected-error @+2 {{'accml.unsqueeze' op expects at least one axis in 'axes'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.unsqueeze %x {axes = array<i64>} : tensor<2xf32> -> tensor<2xf32>
  return
}

// -----

func.func @unsqueeze_axis(%x: tensor<2xf32>) {
  // expected-error @+2 {{'accml.unsqueeze' op expects 'axes' in [-2, 2) for rank 2, got 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.unsqueeze %x {axes = array<i64: 2>} : tensor<2xf32> -> tensor<2x1xf32>
  return
}

//===----------------------------------------------------------------------===//
// Sizes that overflow 64 bits and fill values a type cannot hold
//===----------------------------------------------------------------------===//

// -----

func.func @conv_dilation_overflow(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x5x5xf32>) {
  // expected-error @+2 {{'accml.conv2d' op expects shapes and attributes whose sizes fit in 64 bits, but dimension 2 overflows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv2d %x, %w {dilations = array<i64: 4611686018427387904, 1>} : (tensor<1x3x8x8xf32>, tensor<8x3x5x5xf32>) -> tensor<1x8x8x4xf32>
  return
}

// -----

func.func @pool_pads_overflow(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'accml.max_pool2d' op expects pads smaller than the kernel}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.max_pool2d %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 9223372036854775807, 0, 0, 0>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x7xf32>
  return
}

// -----

func.func @pool_window_overflow(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{'accml.avg_pool2d' op expects shapes and attributes whose sizes fit in 64 bits, but dimension 3 overflows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.avg_pool2d %x {kernel_shape = array<i64: 1, 3>, dilations = array<i64: 1, 4611686018427387904>} : tensor<1x3x8x8xf32> -> tensor<1x3x8x1xf32>
  return
}

// -----

func.func @conv_transpose_overflow(%x: tensor<1x16x8x8xf32>, %w: tensor<16x8x3x3xf32>) {
  // expected-error @+2 {{'accml.conv_transpose2d' op expects shapes and attributes whose sizes fit in 64 bits, but dimension 2 overflows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.conv_transpose2d %x, %w {strides = array<i64: 4611686018427387904, 1>} : (tensor<1x16x8x8xf32>, tensor<16x8x3x3xf32>) -> tensor<1x8x10x10xf32>
  return
}

// -----

func.func @pad_overflow(%x: tensor<4xf32>) {
  // expected-error @+2 {{'accml.pad' op expects shapes and attributes whose sizes fit in 64 bits, but dimension 0 overflows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.pad %x {pads = array<i64: 9223372036854775807, 9223372036854775807>} : tensor<4xf32> -> tensor<2xf32>
  return
}

// -----

func.func @concat_overflow(%x: tensor<4611686018427387904xf32>) {
  // expected-error @+2 {{'accml.concat' op expects shapes and attributes whose sizes fit in 64 bits, but dimension 0 overflows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.concat %x, %x, %x {axis = 0 : i64} : (tensor<4611686018427387904xf32>, tensor<4611686018427387904xf32>, tensor<4611686018427387904xf32>) -> tensor<?xf32>
  return
}

// -----

func.func @flatten_overflow(%x: tensor<4294967296x4294967296xf32>) {
  // expected-error @+2 {{'accml.flatten' op expects shapes and attributes whose sizes fit in 64 bits, but dimension 0 overflows}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = accml.flatten %x {axis = 2 : i64} : tensor<4294967296x4294967296xf32> -> tensor<?x1xf32>
  return
}

// -----

func.func @split_overflow(%x: tensor<0xf32>) {
  // expected-error @+1 {{'accml.split' op expects 'split' sizes whose sum fits in 64 bits, got [9223372036854775807, 9223372036854775807, 2]}}
  %0:3 = accml.split %x {split = array<i64: 9223372036854775807, 9223372036854775807, 2>} : tensor<0xf32> -> tensor<?xf32>, tensor<?xf32>, tensor<2xf32>
  return
}

// -----

func.func @pad_value_out_of_range(%x: tensor<4xi8>) {
  // expected-error @+1 {{'accml.pad' op expects a 'constant_value' that 'i8' represents exactly, got 3.000000e+02}}
  %0 = accml.pad %x {pads = array<i64: 1, 1>, constant_value = 300.0} : tensor<4xi8> -> tensor<6xi8>
  return
}

// -----

func.func @pad_value_fraction(%x: tensor<4xi32>) {
  // expected-error @+1 {{'accml.pad' op expects a 'constant_value' that 'i32' represents exactly, got 1.500000e+00}}
  %0 = accml.pad %x {pads = array<i64: 1, 1>, constant_value = 1.5} : tensor<4xi32> -> tensor<6xi32>
  return
}

// -----

func.func @pad_value_bool(%x: tensor<4xi1>) {
  // expected-error @+1 {{'accml.pad' op expects a 'constant_value' that 'i1' represents exactly, got 2.000000e+00}}
  %0 = accml.pad %x {pads = array<i64: 1, 1>, constant_value = 2.0} : tensor<4xi1> -> tensor<6xi1>
  return
}
