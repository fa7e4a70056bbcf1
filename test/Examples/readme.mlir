// The worked example of README.md, kept honest.
// RUN: accml-opt %s --pass-pipeline='builtin.module(func.func(accml-infer-shapes,canonicalize,cse))' | FileCheck %s

// CHECK-LABEL: func.func @main(%arg0: tensor<4x8xf32>, %arg1: tensor<16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: %cst = accml.constant dense<5.000000e-01> : tensor<8x16xf32>
// CHECK-NEXT: %0 = accml.matmul %arg0, %cst : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: %1 = accml.add %0, %arg1 : (tensor<4x16xf32>, tensor<16xf32>) -> tensor<4x16xf32>
// CHECK-NEXT: %2 = accml.gelu %1 {approximate = "tanh"} : tensor<4x16xf32>
// CHECK-NEXT: return %2 : tensor<4x16xf32>
func.func @main(%x: tensor<4x8xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %w = accml.constant dense<0.5> : tensor<16x8xf32>
  %one = accml.constant dense<1.0> : tensor<f32>
  %wt = accml.transpose %w : tensor<16x8xf32> -> tensor<8x16xf32>
  %0 = accml.matmul %x, %wt : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<?x?xf32>
  %1 = accml.add %0, %b : (tensor<?x?xf32>, tensor<16xf32>) -> tensor<?x16xf32>
  %2 = accml.mul %1, %one : (tensor<?x16xf32>, tensor<f32>) -> tensor<?x16xf32>
  %3 = accml.gelu %2 {approximate = "tanh"} : tensor<?x16xf32>
  %4 = accml.reshape %3 : tensor<?x16xf32> -> tensor<4x16xf32>
  return %4 : tensor<4x16xf32>
}
