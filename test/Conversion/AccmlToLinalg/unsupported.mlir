// RUN: accml-opt %s --split-input-file --convert-accml-to-linalg --verify-diagnostics

// What the lowering does not support is reported with the reason and what
// is supported; the conversion framework then adds its own error.

func.func @conv_dynamic_spatial(%x: tensor<1x3x?x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32> {
  // expected-error @+2 {{'accml.conv2d' op cannot be lowered to linalg: dynamic channel or spatial input dimensions; only the batch dimension may be dynamic}}
  // expected-error @+1 {{failed to legalize operation 'accml.conv2d'}}
  %0 = accml.conv2d %x, %w : (tensor<1x3x?x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32>
  return %0 : tensor<1x4x?x6xf32>
}

// -----

func.func @conv_transpose_dynamic_weight(%x: tensor<1x4x5x5xf32>, %w: tensor<4x2x?x3xf32>) -> tensor<1x2x?x7xf32> {
  // expected-error @+2 {{'accml.conv_transpose2d' op cannot be lowered to linalg: a weight with dynamic dimensions}}
  // expected-error @+1 {{failed to legalize operation 'accml.conv_transpose2d'}}
  %0 = accml.conv_transpose2d %x, %w : (tensor<1x4x5x5xf32>, tensor<4x2x?x3xf32>) -> tensor<1x2x?x7xf32>
  return %0 : tensor<1x2x?x7xf32>
}

// -----

func.func @pool_dynamic_spatial(%x: tensor<1x3x?x8xf32>) -> tensor<1x3x?x4xf32> {
  // expected-error @+2 {{'accml.avg_pool2d' op cannot be lowered to linalg: dynamic channel or spatial dimensions; only the batch dimension may be dynamic}}
  // expected-error @+1 {{failed to legalize operation 'accml.avg_pool2d'}}
  %0 = accml.avg_pool2d %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x?x8xf32> -> tensor<1x3x?x4xf32>
  return %0 : tensor<1x3x?x4xf32>
}

// -----

func.func @slice_dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+2 {{'accml.slice' op cannot be lowered to linalg: slicing a dynamic dimension (0); only static dimensions can be sliced}}
  // expected-error @+1 {{failed to legalize operation 'accml.slice'}}
  %0 = accml.slice %x {starts = array<i64: 1>, ends = array<i64: 5>} : tensor<?x8xf32> -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

func.func @split_dynamic(%x: tensor<?xf32>) -> (tensor<?xf32>, tensor<?xf32>) {
  // expected-error @+2 {{'accml.split' op cannot be lowered to linalg: a dynamic size along the split axis; only static pieces are supported}}
  // expected-error @+1 {{failed to legalize operation 'accml.split'}}
  %0:2 = accml.split %x : tensor<?xf32> -> tensor<?xf32>, tensor<?xf32>
  return %0#0, %0#1 : tensor<?xf32>, tensor<?xf32>
}

// -----

func.func @pad_crop_dynamic(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+2 {{'accml.pad' op cannot be lowered to linalg: negative pads on a dynamic dimension}}
  // expected-error @+1 {{failed to legalize operation 'accml.pad'}}
  %0 = accml.pad %x {pads = array<i64: -1, 0, 0, 0>} : tensor<?x8xf32> -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

func.func @expand_dynamic(%x: tensor<3x1xf32>) -> tensor<3x?xf32> {
  // expected-error @+2 {{'accml.expand' op cannot be lowered to linalg: a dynamic result dimension that the input does not have; the broadcast sizes must be static}}
  // expected-error @+1 {{failed to legalize operation 'accml.expand'}}
  %0 = accml.expand %x : tensor<3x1xf32> -> tensor<3x?xf32>
  return %0 : tensor<3x?xf32>
}
