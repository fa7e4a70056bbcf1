// RUN: accml-opt %s --split-input-file --canonicalize | FileCheck %s

// Constant folding of elementwise and shape ops on small dense constants.

// CHECK-LABEL: func.func @fold_add_broadcast
// CHECK: %[[C:.*]] = accml.constant dense<{{\[\[}}1.100000e+01, 2.200000e+01], [1.300000e+01, 2.400000e+01]]> : tensor<2x2xf32>
// CHECK-NEXT: return %[[C]]
func.func @fold_add_broadcast() -> tensor<2x2xf32> {
  %a = accml.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = accml.constant dense<[10.0, 20.0]> : tensor<2xf32>
  %0 = accml.add %a, %b : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @fold_splats
// CHECK: %[[C:.*]] = accml.constant dense<6> : tensor<4x1000xi32>
// CHECK-NEXT: return %[[C]]
func.func @fold_splats() -> tensor<4x1000xi32> {
  %a = accml.constant dense<2> : tensor<4x1000xi32>
  %b = accml.constant dense<3> : tensor<1000xi32>
  %0 = accml.mul %a, %b : (tensor<4x1000xi32>, tensor<1000xi32>) -> tensor<4x1000xi32>
  return %0 : tensor<4x1000xi32>
}

// -----

// CHECK-LABEL: func.func @fold_arith
// CHECK-DAG: accml.constant dense<[-1, 3]> : tensor<2xi64>
// CHECK-DAG: accml.constant dense<[2.500000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[-2, -1]> : tensor<2xi64>
// CHECK-DAG: accml.constant dense<[8.000000e+00, 2.500000e-01]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[1, 2]> : tensor<2xi64>
// CHECK-DAG: accml.constant dense<[-5, -1]> : tensor<2xi64>
// CHECK-NOT: accml.sub
// CHECK-NOT: accml.div
// CHECK-NOT: accml.pow
// CHECK-NOT: accml.max
// CHECK-NOT: accml.min
func.func @fold_arith() -> (tensor<2xi64>, tensor<2xf32>, tensor<2xi64>, tensor<2xf32>, tensor<2xi64>, tensor<2xi64>) {
  %a = accml.constant dense<[1, 2]> : tensor<2xi64>
  %b = accml.constant dense<[2, -1]> : tensor<2xi64>
  %c = accml.constant dense<[-5, 1]> : tensor<2xi64>
  %f = accml.constant dense<[5.0, -4.0]> : tensor<2xf32>
  %g = accml.constant dense<2.0> : tensor<f32>
  %e = accml.constant dense<[3.0, -2.0]> : tensor<2xf32>
  %0 = accml.sub %a, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %1 = accml.div %f, %g : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  // Integer division truncates toward zero.
  %2 = accml.div %c, %b : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %3 = accml.pow %g, %e : (tensor<f32>, tensor<2xf32>) -> tensor<2xf32>
  %4 = accml.max %a, %c : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %5 = accml.min %b, %c : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  return %0, %1, %2, %3, %4, %5 : tensor<2xi64>, tensor<2xf32>, tensor<2xi64>, tensor<2xf32>, tensor<2xi64>, tensor<2xi64>
}

// -----

// Division by an integer zero is left to run time.
// CHECK-LABEL: func.func @negative_no_fold_int_div_by_zero
// CHECK: accml.div
func.func @negative_no_fold_int_div_by_zero() -> tensor<2xi32> {
  %a = accml.constant dense<[1, 2]> : tensor<2xi32>
  %b = accml.constant dense<[1, 0]> : tensor<2xi32>
  %0 = accml.div %a, %b : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// CHECK-LABEL: func.func @fold_compare
// CHECK-DAG: accml.constant dense<[false, true, false]> : tensor<3xi1>
// CHECK-DAG: accml.constant dense<[true, false, false]> : tensor<3xi1>
// CHECK-DAG: accml.constant dense<[false, false, true]> : tensor<3xi1>
func.func @fold_compare() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi1>) {
  %a = accml.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = accml.constant dense<2.0> : tensor<f32>
  %0 = accml.equal %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  %1 = accml.less %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  %2 = accml.greater %a, %b : (tensor<3xf32>, tensor<f32>) -> tensor<3xi1>
  return %0, %1, %2 : tensor<3xi1>, tensor<3xi1>, tensor<3xi1>
}

// -----

// CHECK-LABEL: func.func @fold_compare_nan
// CHECK: accml.constant dense<false> : tensor<2xi1>
func.func @fold_compare_nan() -> tensor<2xi1> {
  %a = accml.constant dense<0x7FC00000> : tensor<2xf32>
  %0 = accml.equal %a, %a : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

// CHECK-LABEL: func.func @fold_unary
// CHECK-DAG: accml.constant dense<[-1.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[1.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[0.000000e+00, 4.000000e+00]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[1, 0]> : tensor<2xi32>
// CHECK-DAG: accml.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[1.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[-0.00999999977, 4.000000e+00]> : tensor<2xf32>
// CHECK-NOT: accml.neg
// CHECK-NOT: accml.abs
// CHECK-NOT: accml.relu
// CHECK-NOT: accml.sqrt
// CHECK-NOT: accml.rsqrt
// CHECK-NOT: accml.leaky_relu
func.func @fold_unary() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %x = accml.constant dense<[1.0, -4.0]> : tensor<2xf32>
  %y = accml.constant dense<[-1.0, 4.0]> : tensor<2xf32>
  %i = accml.constant dense<[1, -7]> : tensor<2xi32>
  %s = accml.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %0 = accml.neg %x : tensor<2xf32>
  %1 = accml.abs %y : tensor<2xf32>
  %2 = accml.relu %y : tensor<2xf32>
  %3 = accml.relu %i : tensor<2xi32>
  %4 = accml.sqrt %s : tensor<2xf32>
  %5 = accml.rsqrt %s : tensor<2xf32>
  %6 = accml.leaky_relu %y : tensor<2xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @fold_transcendental
// CHECK-DAG: accml.constant dense<[1.000000e+00, 2.71828175]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[0.000000e+00, 0.693147182]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[0.000000e+00, 0.761594176]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[5.000000e-01, 0.731058597]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[0.000000e+00, 0.842700779]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[0.000000e+00, 0.841344773]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[0.000000e+00, 8.411920e-01]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[0.000000e+00, 0.731058597]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[5.000000e-01, 0.699999988]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[0.000000e+00, 0.666666686]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[0.000000e+00, 1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: accml.constant dense<[1.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-NOT: accml.exp
// CHECK-NOT: accml.tanh
// CHECK-NOT: accml.gelu
func.func @fold_transcendental() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
                                     tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) {
  %x = accml.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %y = accml.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = accml.exp %x : tensor<2xf32>
  %1 = accml.log %y : tensor<2xf32>
  %2 = accml.tanh %x : tensor<2xf32>
  %3 = accml.sigmoid %x : tensor<2xf32>
  %4 = accml.erf %x : tensor<2xf32>
  %5 = accml.gelu %x : tensor<2xf32>
  %6 = accml.gelu %x {approximate = "tanh"} : tensor<2xf32>
  %7 = accml.silu %x : tensor<2xf32>
  %8 = accml.hard_sigmoid %x : tensor<2xf32>
  %9 = accml.hard_swish %x : tensor<2xf32>
  %10 = accml.elu %x : tensor<2xf32>
  %11 = accml.reciprocal %y : tensor<2xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>,
                                     tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @fold_clamp
// CHECK-DAG: accml.constant dense<[0.000000e+00, 6.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG: accml.constant dense<[-1, 9, 3]> : tensor<3xi32>
func.func @fold_clamp() -> (tensor<3xf32>, tensor<3xi32>) {
  %x = accml.constant dense<[-2.0, 9.0, 3.0]> : tensor<3xf32>
  %i = accml.constant dense<[-2, 9, 3]> : tensor<3xi32>
  %0 = accml.clamp %x {min = 0.0, max = 6.0} : tensor<3xf32>
  %1 = accml.clamp %i {min = -1.0} : tensor<3xi32>
  return %0, %1 : tensor<3xf32>, tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @fold_cast
// CHECK-DAG: accml.constant dense<[1, -2, 0]> : tensor<3xi32>
// CHECK-DAG: accml.constant dense<[true, true, false]> : tensor<3xi1>
// CHECK-DAG: accml.constant dense<[1.500000e+00, -2.500000e+00, 0.000000e+00]> : tensor<3xf16>
// CHECK-DAG: accml.constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xbf16>
// CHECK-DAG: accml.constant dense<[-1, 300]> : tensor<2xi64>
func.func @fold_cast() -> (tensor<3xi32>, tensor<3xi1>, tensor<3xf16>, tensor<2xbf16>, tensor<2xi64>) {
  %x = accml.constant dense<[1.5, -2.5, 0.0]> : tensor<3xf32>
  %b = accml.constant dense<[true, false]> : tensor<2xi1>
  %i = accml.constant dense<[-1, 300]> : tensor<2xi32>
  %0 = accml.cast %x : tensor<3xf32> to tensor<3xi32>
  %1 = accml.cast %x : tensor<3xf32> to tensor<3xi1>
  %2 = accml.cast %x : tensor<3xf32> to tensor<3xf16>
  %3 = accml.cast %b : tensor<2xi1> to tensor<2xbf16>
  %4 = accml.cast %i : tensor<2xi32> to tensor<2xi64>
  return %0, %1, %2, %3, %4 : tensor<3xi32>, tensor<3xi1>, tensor<3xf16>, tensor<2xbf16>, tensor<2xi64>
}

// -----

// CHECK-LABEL: func.func @fold_where
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>, %[[Y:.*]]: tensor<3xf32>)
// CHECK: return %[[Y]], %[[X]]
func.func @fold_where(%x: tensor<3xf32>, %y: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %f = accml.constant dense<false> : tensor<3xi1>
  %c = accml.less %x, %y : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  %0 = accml.where %f, %x, %y : (tensor<3xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = accml.where %c, %x, %x : (tensor<3xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @fold_shape_ops
// CHECK-DAG: accml.constant dense<{{\[\[}}1, 4], [2, 5], [3, 6]]> : tensor<3x2xi64>
// CHECK-DAG: accml.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi64>
// CHECK-DAG: accml.constant dense<{{\[\[}}1, 2, 3, 7], [4, 5, 6, 8]]> : tensor<2x4xi64>
// CHECK-DAG: accml.constant dense<[6, 4, 2]> : tensor<3xi64>
// CHECK-DAG: accml.constant dense<{{\[\[}}1, 2, 3], [1, 2, 3]]> : tensor<2x3xi64>
// CHECK-NOT: accml.transpose
// CHECK-NOT: accml.reshape
// CHECK-NOT: accml.concat
// CHECK-NOT: accml.slice
// CHECK-NOT: accml.expand
func.func @fold_shape_ops() -> (tensor<3x2xi64>, tensor<6xi64>, tensor<2x4xi64>, tensor<3xi64>, tensor<2x3xi64>) {
  %a = accml.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %b = accml.constant dense<[[7], [8]]> : tensor<2x1xi64>
  %r = accml.constant dense<[1, 2, 3]> : tensor<3xi64>
  %0 = accml.transpose %a : tensor<2x3xi64> -> tensor<3x2xi64>
  %1 = accml.reshape %a : tensor<2x3xi64> -> tensor<6xi64>
  %2 = accml.concat %a, %b {axis = 1 : i64} : (tensor<2x3xi64>, tensor<2x1xi64>) -> tensor<2x4xi64>
  %3 = accml.slice %1 {starts = array<i64: -1>, ends = array<i64: 0>, steps = array<i64: -2>} : tensor<6xi64> -> tensor<3xi64>
  %4 = accml.expand %r : tensor<3xi64> -> tensor<2x3xi64>
  return %0, %1, %2, %3, %4 : tensor<3x2xi64>, tensor<6xi64>, tensor<2x4xi64>, tensor<3xi64>, tensor<2x3xi64>
}

// -----

// Large weights held as resources are never copied by folding.
// CHECK-LABEL: func.func @negative_no_fold_resource
// CHECK: accml.transpose
func.func @negative_no_fold_resource() -> tensor<2x1xf32> {
  %w = accml.constant dense_resource<w> : tensor<1x2xf32>
  %0 = accml.transpose %w : tensor<1x2xf32> -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// Results over the folding limit (65536 elements) are not materialised.
// CHECK-LABEL: func.func @negative_no_fold_large
// CHECK: accml.expand
func.func @negative_no_fold_large() -> tensor<40000x2xi32> {
  %c = accml.constant dense<[1, 2]> : tensor<2xi32>
  %0 = accml.expand %c : tensor<2xi32> -> tensor<40000x2xi32>
  return %0 : tensor<40000x2xi32>
}

// -----

// Gather on constants: what ONNX shape computations (Shape -> Gather) need.
// CHECK-LABEL: func.func @fold_gather
// CHECK-DAG: accml.constant dense<[3, 1]> : tensor<2xi64>
// CHECK-DAG: accml.constant dense<{{\[\[}}3, 1], [6, 4]]> : tensor<2x2xi64>
// CHECK-NOT: accml.gather
func.func @fold_gather() -> (tensor<2xi64>, tensor<2x2xi64>) {
  %shape = accml.constant dense<[1, 2, 3]> : tensor<3xi64>
  %idx = accml.constant dense<[-1, 0]> : tensor<2xi32>
  %m = accml.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %0 = accml.gather %shape, %idx : (tensor<3xi64>, tensor<2xi32>) -> tensor<2xi64>
  %1 = accml.gather %m, %idx {axis = 1 : i64} : (tensor<2x3xi64>, tensor<2xi32>) -> tensor<2x2xi64>
  return %0, %1 : tensor<2xi64>, tensor<2x2xi64>
}

// -----

// Out-of-range indices are left to run time.
// CHECK-LABEL: func.func @negative_gather_out_of_range
// CHECK: accml.gather
func.func @negative_gather_out_of_range() -> tensor<1xi64> {
  %shape = accml.constant dense<[1, 2, 3]> : tensor<3xi64>
  %idx = accml.constant dense<[3]> : tensor<1xi64>
  %0 = accml.gather %shape, %idx : (tensor<3xi64>, tensor<1xi64>) -> tensor<1xi64>
  return %0 : tensor<1xi64>
}

// -----

// Integer clamp bounds round inwards and saturate to the element type.
// CHECK-LABEL: func.func @fold_clamp_int_bounds
// CHECK: accml.constant dense<[-128, 2, 127]> : tensor<3xi8>
func.func @fold_clamp_int_bounds() -> tensor<3xi8> {
  %i = accml.constant dense<[-128, 2, 127]> : tensor<3xi8>
  %0 = accml.clamp %i {min = -1.0e+10, max = 1.0e+10} : tensor<3xi8>
  return %0 : tensor<3xi8>
}

// -----

// ONNX Clip applies min first, then max: min > max gives max everywhere.
// CHECK-LABEL: func.func @fold_clamp_inverted
// CHECK: accml.constant dense<2> : tensor<3xi32>
func.func @fold_clamp_inverted() -> tensor<3xi32> {
  %i = accml.constant dense<[-5, 3, 9]> : tensor<3xi32>
  %0 = accml.clamp %i {min = 5.0, max = 2.5} : tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// CHECK-LABEL: func.func @fold_where_constants
// CHECK: accml.constant dense<{{\[\[}}1.000000e+00, 0.000000e+00], [3.000000e+00, 0.000000e+00]]> : tensor<2x2xf32>
func.func @fold_where_constants() -> tensor<2x2xf32> {
  %c = accml.constant dense<[true, false]> : tensor<2xi1>
  %x = accml.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = accml.constant dense<0.0> : tensor<f32>
  %0 = accml.where %c, %x, %y : (tensor<2xi1>, tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @fold_pad
// CHECK-DAG: accml.constant dense<[9, 9, 1, 2, 3, 9]> : tensor<6xi32>
// CHECK-DAG: accml.constant dense<[3, 2, 1, 2, 3, 2]> : tensor<6xi32>
// CHECK-DAG: accml.constant dense<[1, 1, 1, 2, 3, 3]> : tensor<6xi32>
// CHECK-DAG: accml.constant dense<2> : tensor<1xi32>
func.func @fold_pad() -> (tensor<6xi32>, tensor<6xi32>, tensor<6xi32>, tensor<1xi32>) {
  %x = accml.constant dense<[1, 2, 3]> : tensor<3xi32>
  %0 = accml.pad %x {pads = array<i64: 2, 1>, constant_value = 9.0} : tensor<3xi32> -> tensor<6xi32>
  %1 = accml.pad %x {pads = array<i64: 2, 1>, mode = "reflect"} : tensor<3xi32> -> tensor<6xi32>
  %2 = accml.pad %x {pads = array<i64: 2, 1>, mode = "edge"} : tensor<3xi32> -> tensor<6xi32>
  %3 = accml.pad %x {pads = array<i64: -1, -1>} : tensor<3xi32> -> tensor<1xi32>
  return %0, %1, %2, %3 : tensor<6xi32>, tensor<6xi32>, tensor<6xi32>, tensor<1xi32>
}

// -----

// CHECK-LABEL: func.func @fold_split
// CHECK-DAG: %[[A:.*]] = accml.constant dense<{{\[\[}}1], [4]]> : tensor<2x1xi64>
// CHECK-DAG: %[[B:.*]] = accml.constant dense<{{\[\[}}2, 3], [5, 6]]> : tensor<2x2xi64>
// CHECK: return %[[A]], %[[B]]
func.func @fold_split() -> (tensor<2x1xi64>, tensor<2x2xi64>) {
  %m = accml.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %0:2 = accml.split %m {axis = 1 : i64, split = array<i64: 1, 2>} : tensor<2x3xi64> -> tensor<2x1xi64>, tensor<2x2xi64>
  return %0#0, %0#1 : tensor<2x1xi64>, tensor<2x2xi64>
}

// -----

// Bounds beyond the type saturate; NaN bounds do not clamp.
// CHECK-LABEL: func.func @fold_clamp_extreme_bounds
// CHECK-DAG: accml.constant dense<[5, -7]> : tensor<2xi64>
// CHECK-DAG: accml.constant dense<[3, -7]> : tensor<2xi32>
func.func @fold_clamp_extreme_bounds() -> (tensor<2xi64>, tensor<2xi32>) {
  %a = accml.constant dense<[5, -7]> : tensor<2xi64>
  %b = accml.constant dense<[5, -7]> : tensor<2xi32>
  %0 = accml.clamp %a {max = 1.0e30} : tensor<2xi64>
  %1 = accml.clamp %b {min = 0x7FF8000000000000 : f64, max = 3.0} : tensor<2xi32>
  return %0, %1 : tensor<2xi64>, tensor<2xi32>
}

// -----

// CHECK-LABEL: func.func @fold_pad_bool
// CHECK: accml.constant dense<[true, false, true]> : tensor<3xi1>
func.func @fold_pad_bool() -> tensor<3xi1> {
  %x = accml.constant dense<[false]> : tensor<1xi1>
  %0 = accml.pad %x {pads = array<i64: 1, 1>, constant_value = 1.0} : tensor<1xi1> -> tensor<3xi1>
  return %0 : tensor<3xi1>
}

// -----

// Splats are never expanded to fold: these run in no time and leave the
// empty-result add alone.
// CHECK-LABEL: func.func @fold_huge_splats
// CHECK: %[[S:.*]] = accml.constant dense<1.000000e+00> : tensor<100000000xf32>
// CHECK: %[[ADD:.*]] = accml.add
// CHECK: return %[[ADD]], %[[S]], %[[S]]
func.func @fold_huge_splats() -> (tensor<200000000x0xf32>, tensor<100000000xf32>, tensor<100000000xf32>) {
  %big = accml.constant dense<1.0> : tensor<200000000x1xf32>
  %empty = accml.constant dense<> : tensor<1x0xf32>
  %0 = accml.add %big, %empty : (tensor<200000000x1xf32>, tensor<1x0xf32>) -> tensor<200000000x0xf32>
  %s = accml.constant dense<1.0> : tensor<200000000xf32>
  %1:2 = accml.split %s : tensor<200000000xf32> -> tensor<100000000xf32>, tensor<100000000xf32>
  return %0, %1#0, %1#1 : tensor<200000000x0xf32>, tensor<100000000xf32>, tensor<100000000xf32>
}
