// The ahead-of-time path: accml-compile makes a shared library and a C
// header from examples/mlp.mlir; the example C program links and runs it,
// and its output matches accml-run's (the JIT) on the same input.
// RUN: rm -rf %t && mkdir -p %t
// RUN: accml-compile %accml_src_root/examples/mlp.mlir -o %t/libmlp.so | FileCheck %s --check-prefix=TOOL
// RUN: FileCheck %s --check-prefix=HEADER --input-file=%t/libmlp.h
// RUN: %clang %accml_src_root/examples/aot/run_mlp.c -I%t -L%t -lmlp -Wl,-rpath,%t -o %t/run_mlp
// RUN: %t/run_mlp > %t/aot.txt
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', (0.25 * (np.arange(16).reshape(2, 8) %% 5) - 0.5).astype(np.float32))"
// RUN: accml-run %accml_src_root/examples/mlp.mlir --input %t/x.npy --output-dir %t
// RUN: %python -c "import numpy as np; aot = np.loadtxt('%t/aot.txt'); jit = np.load('%t/output0.npy'); assert aot.shape == (2, 4), aot; np.testing.assert_allclose(aot, jit, rtol=1e-5, atol=1e-6)"
// RUN: nm -D %t/libmlp.so | FileCheck %s --check-prefix=SYMBOLS
// Threads given as a pipeline option also link the OpenMP runtime.
// RUN: accml-compile %accml_src_root/examples/mlp.mlir -o %t/libmlp2.so --pipeline-options="threads=2"
// RUN: readelf -d %t/libmlp2.so | FileCheck %s --check-prefix=OMP
// OMP: NEEDED{{.*}}libomp

// TOOL: wrote {{.*}}libmlp.so and {{.*}}libmlp.h
// HEADER: #ifndef ACCML_LIBMLP_H
// HEADER: typedef struct {
// HEADER-NEXT: float *allocated;
// HEADER-NEXT: float *aligned;
// HEADER-NEXT: int64_t offset;
// HEADER-NEXT: int64_t sizes[2];
// HEADER-NEXT: int64_t strides[2];
// HEADER-NEXT: } accml_memref_f32_2d;
// HEADER: /* @main(tensor<2x8xf32>) -> (tensor<2x4xf32>) */
// HEADER-NEXT: void _mlir_ciface_main(accml_memref_f32_2d *results, accml_memref_f32_2d *arg0);
// Only the C wrapper is exported: a model function called main must not
// clash with the program's main.
// SYMBOLS: T _mlir_ciface_main
// SYMBOLS-NOT: T main
