// accml-run compiles, runs, writes .npy outputs and reports timing.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.arange(8, dtype=np.float32).reshape(2, 4)); np.save('%t/b.npy', np.full(4, 10, np.float32))"
// RUN: accml-run %s --input %t/a.npy --input %t/b.npy --output-dir %t/out --repeat 3 | FileCheck %s
// RUN: %python -c "import numpy as np; r = np.load('%t/out/output0.npy'); assert r.shape == (2, 4) and (r == np.arange(8).reshape(2, 4) + 10).all(), r"
// RUN: accml-run %s --random-inputs --threads=2 | FileCheck %s --check-prefix=RANDOM
// The thread count may also come as a pipeline option (the OpenMP runtime
// is loaded either way).
// RUN: accml-run %s --random-inputs --pipeline-options="threads=2" | FileCheck %s --check-prefix=RANDOM

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

// --dump-llvm-ir writes the module's LLVM IR; --print-ir-after-all prints the
// IR after every pass of the pipeline; --verbose prints pass timing.
// RUN: accml-run %s --random-inputs --dump-llvm-ir %t/model.ll > /dev/null
// RUN: FileCheck %s --check-prefix=LLVMIR --input-file=%t/model.ll
// LLVMIR: define void @_mlir_ciface_main(
// RUN: accml-run %s --random-inputs --print-ir-after-all 2>&1 >/dev/null | FileCheck %s --check-prefix=AFTER
// AFTER: // -----// IR Dump After ConvertAccmlToLinalgPass (convert-accml-to-linalg)
// AFTER: // -----// IR Dump After OneShotBufferizePass (one-shot-bufferize)
// AFTER: // -----// IR Dump After ConvertToLLVMPass (convert-to-llvm)
// Pipeline options reach the passes.
// RUN: accml-run %s --random-inputs --pipeline-options="vectorize=false" --print-ir-after-all 2>&1 >/dev/null | FileCheck %s --check-prefix=OPTIONS
// OPTIONS-NOT: AccmlTileAndFusePass
// OPTIONS: IR Dump After OneShotBufferizePass
// OPTIONS-NOT: AccmlTileAndFusePass
// RUN: accml-run %s --random-inputs --verbose 2>&1 >/dev/null | FileCheck %s --check-prefix=TIMING
// TIMING: Execution time report
// TIMING: ConvertAccmlToLinalgPass
