// RUN: accml-opt %s --split-input-file --convert-accml-to-linalg --canonicalize | FileCheck %s

// batch_norm: per-channel scale and shift computed once, one elementwise pass.
// CHECK-DAG: #[[CH:.*]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm
// CHECK: %[[COEF:.*]]:2 = linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
// CHECK: math.rsqrt
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[CH]], #[[CH]], #{{.*}}]{{.*}} ins(%{{.*}}, %[[COEF]]#0, %[[COEF]]#1
func.func @batch_norm(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = accml.batch_norm %x, %p, %p, %p, %p : tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// layer_norm: a sum, a centred sum of squares, one normalising pass. The
// square and its accumulation may contract into one FMA, and so may the
// scale and the bias.
// CHECK-LABEL: func.func @layer_norm
// CHECK: linalg.reduce {{.*}} dimensions = [2]
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: %[[C:.*]] = arith.subf
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[C]], %[[C]] fastmath<contract> : f32
// CHECK-NEXT: arith.addf %{{.*}}, %[[SQ]] fastmath<contract> : f32
// CHECK: math.rsqrt
// CHECK: %[[N:.*]] = arith.mulf
// CHECK-NEXT: %[[S:.*]] = arith.mulf %[[N]], %{{.*}} fastmath<contract> : f32
// CHECK-NEXT: arith.addf %[[S]], %{{.*}} fastmath<contract> : f32
func.func @layer_norm(%x: tensor<2x5x16xf32>, %g: tensor<16xf32>) -> tensor<2x5x16xf32> {
  %0 = accml.layer_norm %x, %g, %g : tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>
  return %0 : tensor<2x5x16xf32>
}

// -----

// softmax subtracts the maximum before exponentiating; the exponentials
// are computed once, summed, and divided by their sum in place (the
// division's destination is the exponentials: no buffer of their own; it
// reads them as an input, not through its destination, so that fusing it
// into a consumer with more loops stays correct). The row maximum ignores
// NaN (maxnumf): a NaN makes the sum, hence the whole row, NaN anyway.
// CHECK-LABEL: func.func @softmax
// CHECK: %[[MAX:.*]] = linalg.reduce {{.*}} dimensions = [1]
// CHECK: arith.maxnumf
// CHECK: %[[EXP:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %[[MAX]] : tensor<2x10xf32>, tensor<2xf32>)
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: %[[SUM:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%[[EXP]] : tensor<2x10xf32>)
// CHECK: arith.addf
// CHECK: %[[R:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%[[EXP]], %[[SUM]] : tensor<2x10xf32>, tensor<2xf32>) outs(%[[EXP]] : tensor<2x10xf32>)
// CHECK-NEXT: ^bb0(%[[E:.*]]: f32, %[[S:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: arith.divf %[[E]], %[[S]]
// CHECK: return %[[R]]
func.func @softmax(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  %0 = accml.softmax %x : tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}

// -----

// CHECK-LABEL: func.func @log_softmax
// CHECK: math.log
// CHECK-NOT: arith.divf
func.func @log_softmax(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  %0 = accml.log_softmax %x {axis = 0 : i64} : tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}
