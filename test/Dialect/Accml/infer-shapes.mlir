// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-infer-shapes))' | FileCheck %s

// Static dimensions flow forward through accml ops; the function signature
// stays as it was, with a tensor.cast at the boundary.

// CHECK-LABEL: func.func @refine_chain
// CHECK-SAME: -> tensor<?x?xf32>
// CHECK: %[[ADD:.*]] = accml.add %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[RELU:.*]] = accml.relu %[[ADD]] : tensor<2x3xf32>
// CHECK: %[[MM:.*]] = accml.matmul %[[RELU]], %{{.*}} : (tensor<2x3xf32>, tensor<3x5xf32>) -> tensor<2x5xf32>
// CHECK: %[[CAST:.*]] = tensor.cast %[[MM]] : tensor<2x5xf32> to tensor<?x?xf32>
// CHECK: return %[[CAST]]
func.func @refine_chain(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %w: tensor<3x5xf32>) -> tensor<?x?xf32> {
  %0 = accml.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  %1 = accml.relu %0 : tensor<?x?xf32>
  %2 = accml.matmul %1, %w : (tensor<?x?xf32>, tensor<3x5xf32>) -> tensor<?x?xf32>
  return %2 : tensor<?x?xf32>
}

// -----

// A dynamic batch stays dynamic; the other dimensions become static.
// CHECK-LABEL: func.func @keep_dynamic_batch
// CHECK: accml.conv2d {{.*}} -> tensor<?x8x30x30xf32>
// CHECK: accml.batch_norm {{.*}} : tensor<?x8x30x30xf32>, tensor<8xf32>
// CHECK: accml.global_avg_pool {{.*}} : tensor<?x8x30x30xf32> -> tensor<?x8x1x1xf32>
// CHECK: accml.flatten {{.*}} : tensor<?x8x1x1xf32> -> tensor<?x8xf32>
func.func @keep_dynamic_batch(%x: tensor<?x3x32x32xf32>, %w: tensor<8x3x3x3xf32>, %p: tensor<8xf32>) -> tensor<?x?xf32> {
  %0 = accml.conv2d %x, %w : (tensor<?x3x32x32xf32>, tensor<8x3x3x3xf32>) -> tensor<?x?x?x?xf32>
  %1 = accml.batch_norm %0, %p, %p, %p, %p : tensor<?x?x?x?xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  %2 = accml.global_avg_pool %1 : tensor<?x?x?x?xf32> -> tensor<?x?x1x1xf32>
  %3 = accml.flatten %2 : tensor<?x?x1x1xf32> -> tensor<?x?xf32>
  return %3 : tensor<?x?xf32>
}

// -----

// Ops whose result type is written, not inferred (reshape), stay as written.
// CHECK-LABEL: func.func @negative_written_types
// CHECK: accml.reshape %{{.*}} : tensor<2x3xf32> -> tensor<?xf32>
func.func @negative_written_types(%a: tensor<2x3xf32>) -> tensor<?xf32> {
  %0 = accml.reshape %a : tensor<2x3xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

