// RUN: accml-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(accml-infer-shapes))' --verify-diagnostics -o /dev/null

// Shapes that `?` had hidden as inconsistent are reported, and the pass fails.
func.func @inconsistent_shapes(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<5xf32>) -> tensor<?x?xf32> {
  %0 = accml.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<?x?xf32>
  // expected-error @+3 {{'accml.add' op expects operand shapes that broadcast together, got 'tensor<2x3xf32>', 'tensor<5xf32>'}}
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'accml.add' op no longer verifies once accml-infer-shapes made its operand types static: the graph's shapes are inconsistent}}
  %1 = accml.add %0, %c : (tensor<?x?xf32>, tensor<5xf32>) -> tensor<?x?xf32>
  return %1 : tensor<?x?xf32>
}
