// RUN: accml-opt %s --split-input-file --convert-accml-to-linalg | FileCheck %s

// Elementwise ops become one all-parallel linalg.generic whose indexing maps
// broadcast numpy-style.

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8xf32>) outs(%[[E]] : tensor<4x8xf32>)
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = accml.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// A size-1 dimension that broadcasts is read at index 0.
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[ROW1:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @sub_outer
// CHECK: linalg.generic {indexing_maps = [#[[COL]], #[[ROW1]], #{{.*}}]
// CHECK: arith.subi
func.func @sub_outer(%a: tensor<4x1xi32>, %b: tensor<1x5xi32>) -> tensor<4x5xi32> {
  %0 = accml.sub %a, %b : (tensor<4x1xi32>, tensor<1x5xi32>) -> tensor<4x5xi32>
  return %0 : tensor<4x5xi32>
}

// -----

// A dynamic batch takes its size from the operand that has it.
// CHECK-LABEL: func.func @dynamic_batch
// CHECK-SAME: (%[[A:.*]]: tensor<?x8xf32>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[N:.*]] = tensor.dim %[[A]], %[[C0]] : tensor<?x8xf32>
// CHECK: tensor.empty(%[[N]]) : tensor<?x8xf32>
// CHECK: arith.maximumf
func.func @dynamic_batch(%a: tensor<?x8xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = accml.max %a, %b : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// CHECK-LABEL: func.func @compare_and_select
// CHECK: arith.cmpf olt
// CHECK: linalg.generic
// CHECK: arith.select
func.func @compare_and_select(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %c = accml.less %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  %0 = accml.where %c, %a, %b : (tensor<3xi1>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @unary
// CHECK: math.erf
// CHECK: math.tanh
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: arith.cmpf oge
// CHECK: arith.select
func.func @unary(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = accml.gelu %x : tensor<4xf32>
  %1 = accml.gelu %x {approximate = "tanh"} : tensor<4xf32>
  %2 = accml.sigmoid %x : tensor<4xf32>
  %3 = accml.leaky_relu %x : tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// ONNX Clip: the lower bound first, then the upper one; integer bounds are
// rounded inwards.
// CHECK-LABEL: func.func @clamp_int
// CHECK: %[[LO:.*]] = arith.constant 1 : i32
// CHECK: arith.maxsi %{{.*}}, %[[LO]]
// CHECK: %[[HI:.*]] = arith.constant 6 : i32
// CHECK: arith.minsi %{{.*}}, %[[HI]]
func.func @clamp_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = accml.clamp %x {min = 0.5, max = 6.5} : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @casts
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.cmpf une
// CHECK: arith.uitofp %{{.*}} : i1 to f32
// CHECK: arith.truncf %{{.*}} : f32 to bf16
func.func @casts(%x: tensor<4xf32>, %b: tensor<4xi1>) -> (tensor<4xi32>, tensor<4xi1>, tensor<4xf32>, tensor<4xbf16>) {
  %0 = accml.cast %x : tensor<4xf32> to tensor<4xi32>
  %1 = accml.cast %x : tensor<4xf32> to tensor<4xi1>
  %2 = accml.cast %b : tensor<4xi1> to tensor<4xf32>
  %3 = accml.cast %x : tensor<4xf32> to tensor<4xbf16>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xi1>, tensor<4xf32>, tensor<4xbf16>
}

// -----

// CHECK-LABEL: func.func @constant
// CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK-NOT: accml.constant
func.func @constant() -> tensor<2xf32> {
  %0 = accml.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %0 : tensor<2xf32>
}
