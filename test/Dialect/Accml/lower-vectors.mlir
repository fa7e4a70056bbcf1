// RUN: accml-opt %s --pass-pipeline='builtin.module(func.func(accml-lower-vectors))' | FileCheck %s

// A 4 x 64 contraction with k = 1 becomes four broadcast FMAs of 64 lanes.
// CHECK-LABEL: func.func @contract
// CHECK-NOT: vector.contract
// CHECK-COUNT-4: vector.fma {{.*}} : vector<64xf32>
func.func @contract(%a: vector<4x1xf32>, %b: vector<1x64xf32>, %c: vector<4x64xf32>) -> vector<4x64xf32> {
  %0 = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %c : vector<4x1xf32>, vector<1x64xf32> into vector<4x64xf32>
  return %0 : vector<4x64xf32>
}

// Row reductions become one vector.reduction (a tree of vector operations
// in LLVM), not a chain of scalar operations.
// CHECK-LABEL: func.func @row_sum
// CHECK-NOT: vector.multi_reduction
// CHECK: vector.reduction <add>, %{{.*}} : vector<128xf32> into f32
func.func @row_sum(%v: vector<1x128xf32>, %acc: vector<1xf32>) -> vector<1xf32> {
  %0 = vector.multi_reduction <add>, %v, %acc [1] : vector<1x128xf32> to vector<1xf32>
  return %0 : vector<1xf32>
}

// Vector exp, tanh and erf become polynomials; scalar math and the
// logarithm (whose approximation mishandles subnormal inputs) stay.
// CHECK-LABEL: func.func @vector_math
// CHECK-NOT: math.exp %{{.*}} : vector
// CHECK-NOT: math.tanh %{{.*}} : vector
// CHECK-NOT: math.erf %{{.*}} : vector
// CHECK: math.log %{{.*}} : vector<16xf32>
// CHECK: math.tanh %{{.*}} : f32
func.func @vector_math(%v: vector<16xf32>, %s: f32) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, f32) {
  %0 = math.exp %v : vector<16xf32>
  %1 = math.tanh %v : vector<16xf32>
  %2 = math.erf %v : vector<16xf32>
  %3 = math.log %v : vector<16xf32>
  %4 = math.tanh %s : f32
  return %0, %1, %2, %3, %4 : vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, f32
}
