// RUN: accml-opt %s --split-input-file --convert-accml-to-linalg --canonicalize | FileCheck %s

// CHECK-LABEL: func.func @reduce_sum_keepdims
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ZERO]]
// CHECK: %[[R:.*]] = linalg.reduce ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<3xf32>) dimensions = [0, 2]
// CHECK: tensor.expand_shape %[[R]] {{\[\[}}0, 1, 2]] output_shape [1, 3, 1] : tensor<3xf32> into tensor<1x3x1xf32>
func.func @reduce_sum_keepdims(%x: tensor<2x3x4xf32>) -> tensor<1x3x1xf32> {
  %0 = accml.reduce_sum %x {axes = array<i64: 0, -1>} : tensor<2x3x4xf32> -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_mean
// CHECK: %[[N:.*]] = arith.constant 4.000000e+00 : f32
// CHECK: linalg.reduce
// CHECK: arith.divf %{{.*}}, %[[N]]
func.func @reduce_mean(%x: tensor<2x4xf32>) -> tensor<2xf32> {
  %0 = accml.reduce_mean %x {axes = array<i64: 1>, keepdims = false} : tensor<2x4xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_max_int
// CHECK: arith.constant -2147483648 : i32
// CHECK: arith.maxsi
func.func @reduce_max_int(%x: tensor<2x4xi32>) -> tensor<2x1xi32> {
  %0 = accml.reduce_max %x {axes = array<i64: 1>} : tensor<2x4xi32> -> tensor<2x1xi32>
  return %0 : tensor<2x1xi32>
}

// -----

// argmax carries the best value and its index through one reduction.
// CHECK-LABEL: func.func @argmax
// CHECK: %[[G:.*]]:2 = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]{{.*}} outs(%{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xi64>)
// CHECK: arith.cmpf ogt
// CHECK: linalg.index 1
// CHECK: return %[[G]]#1
func.func @argmax(%x: tensor<4x10xf32>) -> tensor<4xi64> {
  %0 = accml.argmax %x {axis = 1 : i64, keepdims = false} : tensor<4x10xf32> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// select_last_index: ties go to the later element.
// CHECK-LABEL: func.func @argmin_last
// CHECK: arith.cmpf ole
func.func @argmin_last(%x: tensor<4x10xf32>) -> tensor<1x10xi64> {
  %0 = accml.argmin %x {select_last_index = true} : tensor<4x10xf32> -> tensor<1x10xi64>
  return %0 : tensor<1x10xi64>
}
