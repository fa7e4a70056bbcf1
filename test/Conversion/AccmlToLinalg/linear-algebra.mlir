// RUN: accml-opt %s --split-input-file --convert-accml-to-linalg --canonicalize | FileCheck %s

// CHECK-LABEL: func.func @matmul_2d
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[F]] : tensor<4x3xf32>)
func.func @matmul_2d(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %0 = accml.matmul %a, %b : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Batch dimensions of lhs fold into its rows when rhs is a matrix.
// CHECK-LABEL: func.func @matmul_nd_2d
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<2x5x8xf32> into tensor<10x8xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<10x3xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [2, 5, 3] : tensor<10x3xf32> into tensor<2x5x3xf32>
func.func @matmul_nd_2d(%a: tensor<2x5x8xf32>, %b: tensor<8x3xf32>) -> tensor<2x5x3xf32> {
  %0 = accml.matmul %a, %b : (tensor<2x5x8xf32>, tensor<8x3xf32>) -> tensor<2x5x3xf32>
  return %0 : tensor<2x5x3xf32>
}

// -----

// Broadcast batch dimensions: both sides broadcast, collapse to one batch.
// CHECK-LABEL: func.func @matmul_batch_broadcast
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3x2x4x6xf32>)
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<3x2x6x5xf32>)
// CHECK: linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<6x4x6xf32>, tensor<6x6x5xf32>)
// CHECK: tensor.expand_shape {{.*}} into tensor<3x2x4x5xf32>
func.func @matmul_batch_broadcast(%a: tensor<1x2x4x6xf32>, %b: tensor<3x1x6x5xf32>) -> tensor<3x2x4x5xf32> {
  %0 = accml.matmul %a, %b : (tensor<1x2x4x6xf32>, tensor<3x1x6x5xf32>) -> tensor<3x2x4x5xf32>
  return %0 : tensor<3x2x4x5xf32>
}

// -----

// Vectors are promoted to matrices and the unit dimension dropped again.
// CHECK-LABEL: func.func @matmul_vectors
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [1, 8] : tensor<8xf32> into tensor<1x8xf32>
// CHECK: linalg.matmul
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<1x3xf32> into tensor<3xf32>
func.func @matmul_vectors(%v: tensor<8xf32>, %m: tensor<8x3xf32>) -> tensor<3xf32> {
  %0 = accml.matmul %v, %m : (tensor<8xf32>, tensor<8x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_dynamic_batch
// CHECK-SAME: (%[[A:.*]]: tensor<?x8xf32>
// CHECK: %[[N:.*]] = tensor.dim %[[A]]
// CHECK: tensor.empty(%[[N]]) : tensor<?x3xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<?x3xf32>
func.func @matmul_dynamic_batch(%a: tensor<?x8xf32>, %b: tensor<8x3xf32>) -> tensor<?x3xf32> {
  %0 = accml.matmul %a, %b : (tensor<?x8xf32>, tensor<8x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// gemm: transposes, one matmul, one epilogue for alpha * acc + beta * c.
// CHECK-LABEL: func.func @gemm
// CHECK: linalg.transpose ins(%{{.*}} : tensor<3x8xf32>) outs(%{{.*}} : tensor<8x3xf32>) permutation = [1, 0]
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @gemm(%a: tensor<4x8xf32>, %b: tensor<3x8xf32>, %c: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = accml.gemm %a, %b, %c {trans_b = true, alpha = 2.0 : f32, beta = 0.5 : f32} : (tensor<4x8xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}
