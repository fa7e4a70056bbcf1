// RUN: accml-opt %s --split-input-file --canonicalize | FileCheck %s

// Algebraic identities and canonicalization patterns, with negative cases.

// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @identities(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = accml.constant dense<0.0> : tensor<3xf32>
  %one = accml.constant dense<1.0> : tensor<f32>
  %0 = accml.add %x, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = accml.add %zero, %x : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = accml.sub %x, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = accml.mul %one, %x : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = accml.div %x, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %5 = accml.pow %x, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %6 = accml.max %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// x + 0 where the zero broadcasts x to a larger shape is not x.
// CHECK-LABEL: func.func @negative_add_zero_broadcasts
// CHECK: accml.add
func.func @negative_add_zero_broadcasts(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %zero = accml.constant dense<0.0> : tensor<2x3xf32>
  %0 = accml.add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// 0 - x is not x.
// CHECK-LABEL: func.func @negative_zero_minus_x
// CHECK: accml.sub
func.func @negative_zero_minus_x(%x: tensor<3xi32>) -> tensor<3xi32> {
  %zero = accml.constant dense<0> : tensor<3xi32>
  %0 = accml.sub %zero, %x : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @unary_identities
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-DAG: %[[ABS:.*]] = accml.abs %[[X]]
// CHECK-DAG: %[[RELU:.*]] = accml.relu %[[X]]
// CHECK-NOT: accml.neg
// CHECK-NOT: accml.clamp
// CHECK-NOT: accml.cast
// CHECK: return %[[X]], %[[ABS]], %[[RELU]], %[[X]], %[[X]]
func.func @unary_identities(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = accml.neg %x : tensor<4xf32>
  %1 = accml.neg %0 : tensor<4xf32>
  %2 = accml.abs %x : tensor<4xf32>
  %3 = accml.abs %2 : tensor<4xf32>
  %4 = accml.relu %x : tensor<4xf32>
  %5 = accml.relu %4 : tensor<4xf32>
  %6 = accml.clamp %x : tensor<4xf32>
  %7 = accml.cast %x : tensor<4xf32> to tensor<4xf32>
  return %1, %3, %5, %6, %7 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @add_of_neg_to_sub
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<3xf32>)
// CHECK: %[[A:.*]] = accml.sub %[[X]], %[[Y]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[B:.*]] = accml.sub %[[X]], %[[Y]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: return %[[A]], %[[B]]
func.func @add_of_neg_to_sub(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %n = accml.neg %y : tensor<3xf32>
  %0 = accml.add %x, %n : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = accml.add %n, %x : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @mul_of_negs
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %[[Y:.*]]: tensor<3xf32>)
// CHECK: %[[M:.*]] = accml.mul %[[X]], %[[Y]]
// CHECK: return %[[M]]
func.func @mul_of_negs(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %a = accml.neg %x : tensor<3xf32>
  %b = accml.neg %y : tensor<3xf32>
  %0 = accml.mul %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @negative_mul_one_neg
// CHECK: accml.neg
// CHECK: accml.mul
func.func @negative_mul_one_neg(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %a = accml.neg %x : tensor<3xf32>
  %0 = accml.mul %a, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @fold_transpose_of_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[T:.*]] = accml.transpose %[[X]] {perm = array<i64: 1, 2, 0>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
// CHECK: return %[[X]], %[[T]]
func.func @fold_transpose_of_transpose(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<3x4x2xf32>) {
  %0 = accml.transpose %x {perm = array<i64: 1, 0, 2>} : tensor<2x3x4xf32> -> tensor<3x2x4xf32>
  %1 = accml.transpose %0 {perm = array<i64: 1, 0, 2>} : tensor<3x2x4xf32> -> tensor<2x3x4xf32>
  %2 = accml.transpose %0 {perm = array<i64: 0, 2, 1>} : tensor<3x2x4xf32> -> tensor<3x4x2xf32>
  return %1, %2 : tensor<2x3x4xf32>, tensor<3x4x2xf32>
}

// -----

// CHECK-LABEL: func.func @fold_identity_transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @fold_identity_transpose(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = accml.transpose %x {perm = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @fold_reshapes
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK: %[[R:.*]] = accml.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<4x6xf32>
// CHECK: return %[[X]], %[[R]]
func.func @fold_reshapes(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<4x6xf32>) {
  %0 = accml.reshape %x : tensor<2x3x4xf32> -> tensor<2x3x4xf32>
  %1 = accml.reshape %0 : tensor<2x3x4xf32> -> tensor<24xf32>
  %2 = accml.reshape %1 : tensor<24xf32> -> tensor<4x6xf32>
  return %0, %2 : tensor<2x3x4xf32>, tensor<4x6xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_like_to_reshape
// CHECK-SAME: (%[[X:.*]]: tensor<1x512x1x1xf32>)
// CHECK: %[[A:.*]] = accml.reshape %[[X]] : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
// CHECK: %[[A2:.*]] = accml.reshape %[[X]] : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
// CHECK: %[[B:.*]] = accml.reshape %[[X]] : tensor<1x512x1x1xf32> -> tensor<512x1xf32>
// CHECK-NOT: accml.flatten
// CHECK-NOT: accml.squeeze
// CHECK-NOT: accml.unsqueeze
// CHECK: return %[[A]], %[[A2]], %[[B]]
func.func @reshape_like_to_reshape(%x: tensor<1x512x1x1xf32>) -> (tensor<1x512xf32>, tensor<1x512xf32>, tensor<512x1xf32>) {
  %0 = accml.flatten %x : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  %1 = accml.squeeze %x {axes = array<i64: 2, 3>} : tensor<1x512x1x1xf32> -> tensor<1x512xf32>
  %2 = accml.squeeze %x : tensor<1x512x1x1xf32> -> tensor<512xf32>
  %3 = accml.unsqueeze %2 {axes = array<i64: 1>} : tensor<512xf32> -> tensor<512x1xf32>
  return %0, %1, %3 : tensor<1x512xf32>, tensor<1x512xf32>, tensor<512x1xf32>
}

// -----

// With dynamic dimensions the reshape-like ops keep their meaning.
// CHECK-LABEL: func.func @negative_dynamic_squeeze
// CHECK: accml.squeeze
// CHECK: accml.flatten
func.func @negative_dynamic_squeeze(%x: tensor<?x1x4xf32>) -> (tensor<?x4xf32>, tensor<?x4xf32>) {
  %0 = accml.squeeze %x {axes = array<i64: 1>} : tensor<?x1x4xf32> -> tensor<?x4xf32>
  %1 = accml.flatten %x : tensor<?x1x4xf32> -> tensor<?x4xf32>
  return %0, %1 : tensor<?x4xf32>, tensor<?x4xf32>
}

// -----

// CHECK-LABEL: func.func @fold_trivial_data_movement
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
func.func @fold_trivial_data_movement(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = accml.concat %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = accml.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 2, 100>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %2 = accml.pad %x {pads = array<i64: 0, 0, 0, 0>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = accml.expand %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %4 = accml.reduce_sum %x {axes = array<i64: 0>} : tensor<2x3xf32> -> tensor<1x3xf32>
  %5 = accml.reshape %x : tensor<2x3xf32> -> tensor<1x2x3xf32>
  %6 = accml.reduce_max %5 {axes = array<i64: 0>} : tensor<1x2x3xf32> -> tensor<1x2x3xf32>
  %7 = accml.reshape %6 : tensor<1x2x3xf32> -> tensor<2x3xf32>
  return %0, %1, %2, %3, %7 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// A reversing slice keeps the shape but is not the identity; a reduction
// over a real dimension is not either.
// CHECK-LABEL: func.func @negative_data_movement
// CHECK: accml.slice
// CHECK: accml.reduce_sum
func.func @negative_data_movement(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<1x3xf32>) {
  %0 = accml.slice %x {starts = array<i64: -1>, ends = array<i64: -100>, steps = array<i64: -1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = accml.reduce_sum %x {axes = array<i64: 0>} : tensor<2x3xf32> -> tensor<1x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<1x3xf32>
}

// -----

// CHECK-LABEL: func.func @fold_single_split
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]]
func.func @fold_single_split(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = accml.split %x : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A reduction over every dimension of a dynamic tensor is not folded.
// CHECK-LABEL: func.func @negative_reduce_dynamic
// CHECK: accml.reduce_sum
func.func @negative_reduce_dynamic(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = accml.reduce_sum %x : tensor<?x?xf32> -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}
