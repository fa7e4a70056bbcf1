// accml-run compiles, runs, writes .npy outputs and reports timing.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.arange(8, dtype=np.float32).reshape(2, 4)); np.save('%t/b.npy', np.full(4, 10, np.float32))"
// RUN: accml-run %s --input %t/a.npy --input %t/b.npy --output-dir %t/out --repeat 3 | FileCheck %s
// RUN: %python -c "import numpy as np; r = np.load('%t/out/output0.npy'); assert r.shape == (2, 4) and (r == np.arange(8).reshape(2, 4) + 10).all(), r"
// RUN: accml-run %s --random-inputs --threads=2 | FileCheck %s --check-prefix=RANDOM

// CHECK: compiled {{.*}}run.mlir in {{[0-9.]+}} s
// CHECK-NEXT: @main(tensor<2x4xf32>, tensor<4xf32>) -> (tensor<2x4xf32>)
// CHECK-NEXT: input 0: tensor<2x4xf32> from {{.*}}a.npy
// CHECK-NEXT: input 1: tensor<4xf32> from {{.*}}b.npy
// CHECK-NEXT: output 0: tensor<2x4xf32> [10, 11, 12, 13, 14, 15, 16, 17] -> {{.*}}output0.npy
// CHECK-NEXT: first run: {{[0-9.]+}} ms
// CHECK-NEXT: latency: median {{[0-9.]+}} ms, min {{[0-9.]+}} ms over 3 run(s)

// RANDOM: input 0: tensor<2x4xf32> (random)
// RANDOM: output 0: tensor<2x4xf32> [

func.func @main(%a: tensor<2x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = accml.add %a, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
