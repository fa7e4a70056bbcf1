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

// layer_norm on f32: shifted statistics. k, the median of the first,
// middle and last elements of each normalised slice (slices of the input;
// min/max that propagate NaN), s1 = sum(x - k) and s2 = sum((x - k)^2) as
// two reductions that read the same operands (one pass once vectorised),
// then mean = k + s1 / n, var = max(s2 / n - (s1 / n)^2, 0) and one
// normalising pass. The square and its accumulation may contract into one
// FMA, and so may the scale and the bias.
// CHECK-LABEL: func.func @layer_norm
// CHECK-DAG: %[[FIRST:.*]] = tensor.extract_slice %[[X:.*]][0, 0, 0] [2, 5, 1] [1, 1, 1] : tensor<2x5x16xf32> to tensor<2x5xf32>
// CHECK-DAG: %[[MID:.*]] = tensor.extract_slice %[[X]][0, 0, 8] [2, 5, 1] [1, 1, 1] : tensor<2x5x16xf32> to tensor<2x5xf32>
// CHECK-DAG: %[[LAST:.*]] = tensor.extract_slice %[[X]][0, 0, 15] [2, 5, 1] [1, 1, 1] : tensor<2x5x16xf32> to tensor<2x5xf32>
// CHECK: %[[K:.*]] = linalg.generic {{.*}} ins(%[[FIRST]], %[[MID]], %[[LAST]] :
// CHECK-NEXT: ^bb0(%[[F:[^:]*]]: f32, %[[M:[^:]*]]: f32, %[[L:[^:]*]]: f32,
// CHECK-NEXT: %[[LO:.*]] = arith.minimumf %[[F]], %[[M]]
// CHECK-NEXT: %[[HI:.*]] = arith.maximumf %[[F]], %[[M]]
// CHECK-NEXT: %[[HL:.*]] = arith.minimumf %[[HI]], %[[L]]
// CHECK-NEXT: %[[MED:.*]] = arith.maximumf %[[LO]], %[[HL]]
// CHECK-NEXT: linalg.yield %[[MED]]
// CHECK: %[[S1:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[K]] : tensor<2x5x16xf32>, tensor<2x5xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[A]], %[[B]]
// CHECK-NEXT: arith.addf %[[ACC]], %[[D]] fastmath<contract> : f32
// CHECK: %[[S2:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]], %[[K]] : tensor<2x5x16xf32>, tensor<2x5xf32>)
// CHECK: %[[C:.*]] = arith.subf
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[C]], %[[C]] fastmath<contract> : f32
// CHECK-NEXT: arith.addf %{{.*}}, %[[SQ]] fastmath<contract> : f32
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]], %[[K]], %[[S1]], %[[S2]], %{{.*}}, %{{.*}} :
// CHECK-NEXT: ^bb0(%[[XE:[^:]*]]: f32, %[[KE:[^:]*]]: f32, %[[S1E:[^:]*]]: f32, %[[S2E:[^:]*]]: f32,
// CHECK-NEXT: %[[M2:.*]] = arith.divf %[[S2E]]
// CHECK-NEXT: %[[M1:.*]] = arith.divf %[[S1E]]
// CHECK-NEXT: %[[MEAN:.*]] = arith.addf %[[KE]], %[[M1]]
// CHECK-NEXT: %[[SQM:.*]] = arith.mulf %[[M1]], %[[M1]]
// CHECK-NEXT: %[[VAR:.*]] = arith.subf %[[M2]], %[[SQM]]
// CHECK-NEXT: arith.maximumf %[[VAR]], %{{.*}}
// CHECK: math.rsqrt
// CHECK-NEXT: arith.subf %[[XE]], %[[MEAN]]
// CHECK: %[[N:.*]] = arith.mulf
// CHECK-NEXT: %[[S:.*]] = arith.mulf %[[N]], %{{.*}} fastmath<contract> : f32
// CHECK-NEXT: arith.addf %[[S]], %{{.*}} fastmath<contract> : f32
func.func @layer_norm(%x: tensor<2x5x16xf32>, %g: tensor<16xf32>) -> tensor<2x5x16xf32> {
  %0 = accml.layer_norm %x, %g, %g : tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>
  return %0 : tensor<2x5x16xf32>
}

// -----

// layer_norm over a dynamic dimension keeps the two passes too (a row of
// size 0 has no element to shift by).
// CHECK-LABEL: func.func @layer_norm_dynamic
// CHECK-NOT: tensor.extract_slice
// CHECK: linalg.reduce {{.*}} dimensions = [1]
// CHECK-NOT: arith.maximumf
// CHECK: math.rsqrt
func.func @layer_norm_dynamic(%x: tensor<3x?xf32>, %g: tensor<?xf32>) -> tensor<3x?xf32> {
  %0 = accml.layer_norm %x, %g : tensor<3x?xf32>, tensor<?xf32>
  return %0 : tensor<3x?xf32>
}

// -----

// layer_norm on f16 (accumulating in its own type, where the shifted
// statistics would cancel): the mean, then the centred sum of squares.
// CHECK-LABEL: func.func @layer_norm_f16
// CHECK-NOT: tensor.extract_slice
// CHECK: linalg.reduce {{.*}} dimensions = [1]
// CHECK: %[[MEAN:.*]] = linalg.generic {{.*}}iterator_types = ["parallel"]}
// CHECK: arith.divf
// CHECK: %[[SQ:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "reduction"]} ins(%{{.*}}, %[[MEAN]] : tensor<3x8xf16>, tensor<3xf16>)
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel"]} ins(%{{.*}}, %[[MEAN]], %[[SQ]], %{{.*}} :
// CHECK-NOT: arith.maximumf
// CHECK: math.rsqrt
func.func @layer_norm_f16(%x: tensor<3x8xf16>, %g: tensor<8xf16>) -> tensor<3x8xf16> {
  %0 = accml.layer_norm %x, %g : tensor<3x8xf16>, tensor<8xf16>
  return %0 : tensor<3x8xf16>
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
