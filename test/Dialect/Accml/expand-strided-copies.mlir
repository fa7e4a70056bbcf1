// RUN: accml-opt %s --split-input-file --accml-expand-strided-copies | FileCheck %s

// CHECK-LABEL: func.func @strided
// CHECK-NOT: memref.copy
// CHECK: linalg.copy ins(%{{.*}} : memref<4x4xf32, strided<[8, 1]>>) outs(%{{.*}} : memref<4x4xf32>)
func.func @strided(%src: memref<4x4xf32, strided<[8, 1]>>, %dst: memref<4x4xf32>) {
  memref.copy %src, %dst : memref<4x4xf32, strided<[8, 1]>> to memref<4x4xf32>
  return
}

// -----

// Contiguous copies stay memref.copy (they become memcpy).
// CHECK-LABEL: func.func @negative_contiguous
// CHECK: memref.copy
// CHECK-NOT: linalg.copy
func.func @negative_contiguous(%src: memref<4x4xf32>, %dst: memref<4x4xf32>) {
  memref.copy %src, %dst : memref<4x4xf32> to memref<4x4xf32>
  return
}

// -----

// Rows of 8 to 1024 elements, contiguous on both sides: one vector
// transfer per row, in loops over the outer dimensions.
// CHECK-LABEL: func.func @rows
// CHECK-SAME: (%[[SRC:.*]]: memref<2x3x16xf32, strided<[80, 20, 1], offset: 1>>, %[[DST:.*]]: memref<2x3x16xf32>)
// CHECK-NOT: memref.copy
// CHECK-NOT: linalg.copy
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step
// CHECK: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step
// CHECK: %[[ROW:.*]] = vector.transfer_read %[[SRC]][%[[I]], %[[J]], %{{.*}}], %{{.*}} {in_bounds = [true]} : memref<2x3x16xf32, strided<[80, 20, 1], offset: 1>>, vector<16xf32>
// CHECK: vector.transfer_write %[[ROW]], %[[DST]][%[[I]], %[[J]], %{{.*}}] {in_bounds = [true]} : vector<16xf32>, memref<2x3x16xf32>
func.func @rows(%src: memref<2x3x16xf32, strided<[80, 20, 1], offset: 1>>, %dst: memref<2x3x16xf32>) {
  memref.copy %src, %dst : memref<2x3x16xf32, strided<[80, 20, 1], offset: 1>> to memref<2x3x16xf32>
  return
}

// -----

// Rows with a non-unit innermost stride stay element copies.
// CHECK-LABEL: func.func @negative_strided_rows
// CHECK: linalg.copy
func.func @negative_strided_rows(%src: memref<4x16xf32, strided<[64, 2]>>, %dst: memref<4x16xf32>) {
  memref.copy %src, %dst : memref<4x16xf32, strided<[64, 2]>> to memref<4x16xf32>
  return
}

// -----

// 16-bit floats stay element copies.
// CHECK-LABEL: func.func @negative_bf16_rows
// CHECK: linalg.copy
func.func @negative_bf16_rows(%src: memref<4x16xbf16, strided<[32, 1]>>, %dst: memref<4x16xbf16>) {
  memref.copy %src, %dst : memref<4x16xbf16, strided<[32, 1]>> to memref<4x16xbf16>
  return
}
