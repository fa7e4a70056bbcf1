// RUN: accml-opt %s --pass-pipeline='builtin.module(func.func(accml-lower-vectors))' | FileCheck %s

// A 4 x 64 contraction with k = 1 becomes four broadcast FMAs of 64 lanes.
// CHECK-LABEL: func.func @contract
// CHECK-NOT: vector.contract
// CHECK-COUNT-4: vector.fma {{.*}} : vector<64xf32>
func.func @contract(%a: vector<4x1xf32>, %b: vector<1x64xf32>, %c: vector<4x64xf32>) -> vector<4x64xf32> {
  %0 = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %c : vector<4x1xf32>, vector<1x64xf32> into vector<4x64xf32>
  return %0 : vector<4x64xf32>
}
