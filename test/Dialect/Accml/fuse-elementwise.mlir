// RUN: accml-opt %s --split-input-file --accml-fuse-elementwise | FileCheck %s
// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(convert-accml-to-linalg),canonicalize,func.func(accml-fuse-elementwise,accml-pack))' | FileCheck %s --check-prefix=PIPE

// A batch-1 3-D matmul as convert-accml-to-linalg lowers it: the matmul
// stays a 2-D linalg.matmul between its reshapes (upstream's
// linalg-fuse-elementwise-ops expanded it into a 3-D generic contraction),
// and the bias added after the expand_shape stays an elementwise generic.
// CHECK-LABEL: func.func @matmul_between_reshapes
// CHECK: %[[C:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<1x128x64xf32> into tensor<128x64xf32>
// CHECK: %[[M:.*]] = linalg.matmul ins(%[[C]], %{{.*}} : tensor<128x64xf32>, tensor<64x32xf32>)
// CHECK: %[[E:.*]] = tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2]] output_shape [1, 128, 32]
// CHECK: linalg.generic {{.*}} ins(%[[E]], %{{.*}} : tensor<1x128x32xf32>, tensor<32xf32>)
// CHECK-NOT: linalg.generic
#map = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#bias = affine_map<(d0, d1, d2) -> (d2)>
func.func @matmul_between_reshapes(%x: tensor<1x128x64xf32>, %w: tensor<64x32xf32>, %b: tensor<32xf32>) -> tensor<1x128x32xf32> {
  %cst = arith.constant 0.0 : f32
  %c = tensor.collapse_shape %x [[0, 1], [2]] : tensor<1x128x64xf32> into tensor<128x64xf32>
  %e0 = tensor.empty() : tensor<128x32xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e0 : tensor<128x32xf32>) -> tensor<128x32xf32>
  %m = linalg.matmul ins(%c, %w : tensor<128x64xf32>, tensor<64x32xf32>) outs(%acc : tensor<128x32xf32>) -> tensor<128x32xf32>
  %e = tensor.expand_shape %m [[0, 1], [2]] output_shape [1, 128, 32] : tensor<128x32xf32> into tensor<1x128x32xf32>
  %e1 = tensor.empty() : tensor<1x128x32xf32>
  %r = linalg.generic {indexing_maps = [#map, #bias, #map], iterator_types = ["parallel", "parallel", "parallel"]} ins(%e, %b : tensor<1x128x32xf32>, tensor<32xf32>) outs(%e1 : tensor<1x128x32xf32>) {
  ^bb0(%in: f32, %bi: f32, %out: f32):
    %s = arith.addf %in, %bi : f32
    linalg.yield %s : f32
  } -> tensor<1x128x32xf32>
  return %r : tensor<1x128x32xf32>
}

// -----

// Elementwise ops still fuse across a reshape: the expand_shape moves to
// the first generic's operands (the generic expanded to 3-D), which then
// fuses with the second.
// CHECK-LABEL: func.func @elementwise_across_reshape
// CHECK-SAME: (%[[X:[^:]*]]: tensor<128x32xf32>, %[[Y:[^:]*]]: tensor<128x32xf32>)
// CHECK: %[[EX:.*]] = tensor.expand_shape %[[X]]
// CHECK: %[[EY:.*]] = tensor.expand_shape %[[Y]]
// CHECK: linalg.generic {{.*}} ins(%[[EX]], %[[EY]] : tensor<1x128x32xf32>, tensor<1x128x32xf32>)
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
#map2 = affine_map<(d0, d1) -> (d0, d1)>
#map3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
func.func @elementwise_across_reshape(%x: tensor<128x32xf32>, %y: tensor<128x32xf32>) -> tensor<1x128x32xf32> {
  %cst = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<128x32xf32>
  %a = linalg.generic {indexing_maps = [#map2, #map2, #map2], iterator_types = ["parallel", "parallel"]} ins(%x, %y : tensor<128x32xf32>, tensor<128x32xf32>) outs(%e0 : tensor<128x32xf32>) {
  ^bb0(%in: f32, %in2: f32, %out: f32):
    %s = arith.addf %in, %in2 : f32
    linalg.yield %s : f32
  } -> tensor<128x32xf32>
  %e = tensor.expand_shape %a [[0, 1], [2]] output_shape [1, 128, 32] : tensor<128x32xf32> into tensor<1x128x32xf32>
  %e1 = tensor.empty() : tensor<1x128x32xf32>
  %r = linalg.generic {indexing_maps = [#map3, #map3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%e : tensor<1x128x32xf32>) outs(%e1 : tensor<1x128x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %cst : f32
    linalg.yield %m : f32
  } -> tensor<1x128x32xf32>
  return %r : tensor<1x128x32xf32>
}

// -----

// A matmul whose result is expanded (no reshape of its operands): the
// expand_shape is not folded into it either (upstream's pass makes the
// matmul a 3-D generic).
// CHECK-LABEL: func.func @matmul_then_expand
// CHECK: %[[M:.*]] = linalg.matmul
// CHECK: tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2]] output_shape [2, 64, 32]
func.func @matmul_then_expand(%x: tensor<128x64xf32>, %w: tensor<64x32xf32>) -> tensor<2x64x32xf32> {
  %cst = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<128x32xf32>
  %acc = linalg.fill ins(%cst : f32) outs(%e0 : tensor<128x32xf32>) -> tensor<128x32xf32>
  %m = linalg.matmul ins(%x, %w : tensor<128x64xf32>, tensor<64x32xf32>) outs(%acc : tensor<128x32xf32>) -> tensor<128x32xf32>
  %e = tensor.expand_shape %m [[0, 1], [2]] output_shape [2, 64, 32] : tensor<128x32xf32> into tensor<2x64x32xf32>
  return %e : tensor<2x64x32xf32>
}

// -----

// From the accml level: a batch-1 3-D accml.matmul stays a 2-D
// linalg.matmul between reshapes, which accml-pack then packs (B in panels
// of 32 columns, the matmul a generic over them).
// PIPE-LABEL: func.func @accml_matmul_3d
// PIPE: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2]] : tensor<1x128x64xf32> into tensor<128x64xf32>
// PIPE: tensor<2x64x32xf32>
// PIPE: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// PIPE: tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2]] output_shape [1, 128, 64]
// CHECK-LABEL: func.func @accml_matmul_3d
func.func @accml_matmul_3d(%x: tensor<1x128x64xf32>, %w: tensor<64x64xf32>) -> tensor<1x128x64xf32> {
  %m = accml.matmul %x, %w : (tensor<1x128x64xf32>, tensor<64x64xf32>) -> tensor<1x128x64xf32>
  return %m : tensor<1x128x64xf32>
}
