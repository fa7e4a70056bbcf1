// RUN: accml-opt %s --split-input-file --convert-accml-to-linalg --canonicalize | FileCheck %s

// CHECK-LABEL: func.func @reshapes
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [1, 6, 4] : tensor<6x4xf32> into tensor<1x6x4xf32>
func.func @reshapes(%x: tensor<2x3x4xf32>) -> tensor<1x6x4xf32> {
  %0 = accml.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = accml.unsqueeze %0 {axes = array<i64: 0>} : tensor<6x4xf32> -> tensor<1x6x4xf32>
  return %1 : tensor<1x6x4xf32>
}

// -----

// No reassociation between 2x3 and 3x2: a tensor.reshape with a shape.
// CHECK-LABEL: func.func @reshape_general
// CHECK: tensor.reshape
func.func @reshape_general(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = accml.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3x4xf32>) outs(%{{.*}} : tensor<2x4x3xf32>) permutation = [0, 2, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<2x4x3xf32> {
  %0 = accml.transpose %x {perm = array<i64: 0, 2, 1>} : tensor<2x3x4xf32> -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[S0:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %[[S0]][0, 3] [2, 5] [1, 1]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %0 = accml.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Positive steps are an extract_slice; negative ones read the mirrored
// range and reverse it.
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0, d1) -> (d0, -d1 + 2)>
// CHECK-LABEL: func.func @slices
// CHECK: tensor.extract_slice %{{.*}}[0, 1] [2, 3] [1, 2] : tensor<2x8xf32> to tensor<2x3xf32>
// CHECK: %[[M:.*]] = tensor.extract_slice %{{.*}}[0, 1] [2, 3] [1, 3] : tensor<2x8xf32> to tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[REV]], {{.*}}]} ins(%[[M]]
func.func @slices(%x: tensor<2x8xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = accml.slice %x {starts = array<i64: 1>, ends = array<i64: 7>, axes = array<i64: 1>, steps = array<i64: 2>} : tensor<2x8xf32> -> tensor<2x3xf32>
  %1 = accml.slice %x {starts = array<i64: -1>, ends = array<i64: 0>, axes = array<i64: 1>, steps = array<i64: -3>} : tensor<2x8xf32> -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @split
// CHECK: tensor.extract_slice %{{.*}}[0, 0] [2, 2] [1, 1]
// CHECK: tensor.extract_slice %{{.*}}[0, 2] [2, 6] [1, 1]
func.func @split(%x: tensor<2x8xf32>) -> (tensor<2x2xf32>, tensor<2x6xf32>) {
  %0:2 = accml.split %x {axis = 1 : i64, split = array<i64: 2, 6>} : tensor<2x8xf32> -> tensor<2x2xf32>, tensor<2x6xf32>
  return %0#0, %0#1 : tensor<2x2xf32>, tensor<2x6xf32>
}

// -----

// gather reads each index and extracts; negative indices wrap.
// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<3xi64>) outs(%{{.*}} : tensor<2x3x4xf32>)
// CHECK: arith.cmpi slt
// CHECK: arith.select
// CHECK: tensor.extract
func.func @gather(%x: tensor<2x5x4xf32>, %i: tensor<3xi64>) -> tensor<2x3x4xf32> {
  %0 = accml.gather %x, %i {axis = 1 : i64} : (tensor<2x5x4xf32>, tensor<3xi64>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @pads
// CHECK: %[[V:.*]] = arith.constant 1.500000e+00 : f32
// CHECK: tensor.pad %{{.*}} low[0, 1] high[0, 2]
// CHECK: tensor.yield %[[V]]
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x7xf32>)
// CHECK: tensor.extract
func.func @pads(%x: tensor<2x4xf32>) -> (tensor<2x7xf32>, tensor<2x7xf32>) {
  %0 = accml.pad %x {pads = array<i64: 0, 1, 0, 2>, constant_value = 1.5} : tensor<2x4xf32> -> tensor<2x7xf32>
  %1 = accml.pad %x {pads = array<i64: 0, 1, 0, 2>, mode = "reflect"} : tensor<2x4xf32> -> tensor<2x7xf32>
  return %0, %1 : tensor<2x7xf32>, tensor<2x7xf32>
}

// -----

// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d1, 0)>
// CHECK-LABEL: func.func @expand
// CHECK: linalg.generic {indexing_maps = [#[[B]], {{.*}}]{{.*}} outs(%{{.*}} : tensor<2x3x4xf32>)
func.func @expand(%x: tensor<3x1xf32>) -> tensor<2x3x4xf32> {
  %0 = accml.expand %x : tensor<3x1xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}
