// The model `make run` shows, through the same pipeline.
// RUN: accml-opt %accml_src_root/examples/mlp.mlir --pass-pipeline='builtin.module(func.func(accml-infer-shapes,canonicalize,cse))' | FileCheck %s

// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[X:.*]]: tensor<2x8xf32>) -> tensor<2x4xf32>
// CHECK-NOT: accml.transpose
// CHECK-DAG: %[[W1T:.*]] = accml.constant dense<{{.*}}> : tensor<8x6xf32>
// CHECK-DAG: %[[W2T:.*]] = accml.constant dense<{{.*}}> : tensor<6x4xf32>
// CHECK: %[[H0:.*]] = accml.matmul %[[X]], %[[W1T]] : (tensor<2x8xf32>, tensor<8x6xf32>) -> tensor<2x6xf32>
// CHECK: %[[H1:.*]] = accml.add %[[H0]], %{{.*}} : (tensor<2x6xf32>, tensor<6xf32>) -> tensor<2x6xf32>
// CHECK: %[[H2:.*]] = accml.relu %[[H1]] : tensor<2x6xf32>
// CHECK: %[[O0:.*]] = accml.gemm %[[H2]], %[[W2T]], %{{.*}} : (tensor<2x6xf32>, tensor<6x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK: %[[O1:.*]] = accml.softmax %[[O0]] : tensor<2x4xf32>
// CHECK-NOT: accml.reshape
// CHECK: return %[[O1]]
