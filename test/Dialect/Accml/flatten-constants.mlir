// RUN: accml-opt %s --split-input-file --accml-flatten-constants | FileCheck %s

// A multi-dimensional constant (a dense resource keeps its blob, a dense
// literal its values) becomes one-dimensional, reshaped at its use.
// CHECK-LABEL: func.func @weights
// CHECK: %[[R:.*]] = arith.constant dense_resource<w> : tensor<24xf32>
// CHECK: %[[RW:.*]] = tensor.expand_shape %[[R]] {{\[}}[0, 1, 2]] output_shape [2, 3, 4] : tensor<24xf32> into tensor<2x3x4xf32>
// CHECK: %[[D:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK: %[[DW:.*]] = tensor.expand_shape %[[D]] {{\[}}[0, 1]] output_shape [2, 2] : tensor<4xf32> into tensor<2x2xf32>
// CHECK: %[[V:.*]] = arith.constant dense<5.000000e-01> : tensor<8xf32>
// CHECK: return %[[RW]], %[[DW]], %[[V]]
func.func @weights() -> (tensor<2x3x4xf32>, tensor<2x2xf32>, tensor<8xf32>) {
  %r = arith.constant dense_resource<w> : tensor<2x3x4xf32>
  %d = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %v = arith.constant dense<0.5> : tensor<8xf32>
  return %r, %d, %v : tensor<2x3x4xf32>, tensor<2x2xf32>, tensor<8xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x04000000000000000000803F0000004000004040000080400000A0400000C0400000E04000000041000010410000204100003041000040410000504100006041000070410000804100008841000090410000984100A0A0410000A8410000B041"
    }
  }
#-}
