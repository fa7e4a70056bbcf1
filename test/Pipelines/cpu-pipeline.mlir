// RUN: accml-opt %s --split-input-file --accml-cpu-pipeline="target-vector-bits=512 target-vector-registers=32" | FileCheck %s
// RUN: accml-opt %s --split-input-file --accml-cpu-pipeline="threads=2 dynamic-schedule=true" | FileCheck %s --check-prefix=OMP
// RUN: accml-opt %s --split-input-file --accml-cpu-pipeline="threads=2" | FileCheck %s --check-prefix=STATIC

// accml on tensors to the LLVM dialect, with C wrappers for the runtime.

// CHECK-LABEL: llvm.func @main
// CHECK-NOT: accml.
// CHECK-NOT: linalg.
// CHECK: llvm.call @malloc
// CHECK: llvm.fadd
// CHECK: llvm.func @_mlir_ciface_main
// With threads and dynamic-schedule, the rows are taken by the threads
// from the counters of accml-dynamic-schedule (more than 4 iterations per
// thread; the region's end is the loop's barrier).
// OMP-LABEL: llvm.func @main
// OMP: omp.parallel
// OMP: llvm.atomicrmw add %{{.*}}, %{{.*}} acq_rel : !llvm.ptr, i64
// OMP-NOT: omp.barrier
// OMP: omp.terminator
// By default (dynamic-schedule=false), scf-to-openmp's static
// worksharing loop: no counters.
// STATIC-LABEL: llvm.func @main
// STATIC: omp.parallel
// STATIC-NOT: llvm.atomicrmw
// STATIC: omp.wsloop {
// STATIC-NEXT: omp.loop_nest
// STATIC-NOT: llvm.atomicrmw
// STATIC: omp.terminator
func.func @main(%a: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = accml.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %1 = accml.relu %0 : tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// Plain linalg/tensor input, as other frontends produce it, is accepted
// (and its matmul takes the vectorised path: 4 x 3 is one peeled tile).
// CHECK-LABEL: llvm.func @linalg_input
// CHECK: llvm.intr.fmuladd
// CHECK: llvm.func @_mlir_ciface_linalg_input
func.func @linalg_input(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%f : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Math without an LLVM intrinsic calls libm; no runner-utils symbol is used.
// CHECK-LABEL: llvm.func @erff
// CHECK-NOT: memrefCopy
// CHECK-LABEL: llvm.func @gelu_pad
func.func @gelu_pad(%x: tensor<2x4xf32>) -> tensor<2x6xf32> {
  %0 = accml.gelu %x : tensor<2x4xf32>
  %1 = accml.pad %0 {pads = array<i64: 0, 1, 0, 1>} : tensor<2x4xf32> -> tensor<2x6xf32>
  return %1 : tensor<2x6xf32>
}

// -----

// A matmul that the tiles divide runs on broadcast-FMA micro-kernels;
// vectorize=false keeps the plain loops.
// CHECK-LABEL: llvm.func @tiled_matmul
// CHECK: llvm.intr.fmuladd({{.*}}) : (vector<32xf32>, vector<32xf32>, vector<32xf32>) -> vector<32xf32>
// RUN: accml-opt %s --split-input-file --accml-cpu-pipeline="vectorize=false" | FileCheck %s --check-prefix=SCALAR
// RUN: accml-opt %s --split-input-file --accml-cpu-pipeline="loop-strategy=affine target-vector-bits=512" | FileCheck %s --check-prefix=AFFINE
// RUN: accml-opt %s --split-input-file --accml-cpu-pipeline="loop-strategy=affine threads=2 target-vector-bits=512" | FileCheck %s --check-prefix=AFFINE-OMP
// RUN: not accml-opt %s --split-input-file --accml-cpu-pipeline="loop-strategy=polyhedral" 2>&1 | FileCheck %s --check-prefix=BADSTRATEGY
// RUN: accml-opt %s --split-input-file --accml-cpu-pipeline="target-vector-bits=256 target-vector-registers=16 target-l1-kib=32 target-l2-kib=1024" | FileCheck %s --check-prefix=AVX2
// RUN: accml-opt %s --split-input-file --accml-cpu-pipeline="bf16-matmul=amx" | FileCheck %s --check-prefix=AMX
// RUN: accml-opt %s --split-input-file --accml-cpu-pipeline="bf16-matmul=amx loop-strategy=affine" | FileCheck %s --check-prefix=AMX
// RUN: accml-opt %s --split-input-file --accml-cpu-pipeline="bf16-matmul=generic" | FileCheck %s --check-prefix=NOAMX
// RUN: accml-opt %s --split-input-file --accml-cpu-pipeline="bf16-matmul=avx512-bf16" | FileCheck %s --check-prefix=DOTBF16
// RUN: not accml-opt %s --split-input-file --accml-cpu-pipeline="bf16-matmul=vnni" 2>&1 | FileCheck %s --check-prefix=BADBF16
// The tile-size model for an AVX2-class target: 4 x 16 register tiles.
// AVX2-LABEL: llvm.func @tiled_matmul
// AVX2-NOT: vector<32xf32>
// AVX2: llvm.intr.fmuladd({{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// The affine route: accml-affine-tile's 8 x 32 register tiles, vectors of 16.
// AFFINE-LABEL: llvm.func @tiled_matmul
// AFFINE: llvm.intr.fmuladd({{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// AFFINE-OMP-LABEL: llvm.func @tiled_matmul
// AFFINE-OMP: omp.parallel
// AFFINE-OMP: llvm.intr.fmuladd({{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// BADSTRATEGY: for the --loop-strategy option: Cannot find option named 'polyhedral'!
// SCALAR-LABEL: llvm.func @tiled_matmul
// SCALAR-NOT: vector<32xf32>
// SCALAR: llvm.fmul %{{.*}} : f32
func.func @tiled_matmul(%a: tensor<64x128xf32>, %b: tensor<128x256xf32>) -> tensor<64x256xf32> {
  %0 = accml.matmul %a, %b : (tensor<64x128xf32>, tensor<128x256xf32>) -> tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// Softmax rows: one fused loop whose reductions are reassociated vector
// reductions and whose exp is a polynomial (no libm call).
// CHECK-LABEL: llvm.func @softmax
// CHECK-NOT: llvm.call @expf
// CHECK: llvm.intr.vector.reduce.fmax(%{{.*}}) {fastmathFlags = #llvm.fastmath<reassoc>} : (vector<64xf32>) -> f32
// CHECK: "llvm.intr.vector.reduce.fadd"(%{{.*}}, %{{.*}}) <{fastmathFlags = #llvm.fastmath<reassoc>}> : (f32, vector<64xf32>) -> f32
// CHECK-NOT: llvm.call @expf
// CHECK: llvm.func @_mlir_ciface_softmax
func.func @softmax(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = accml.softmax %x : tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// -----

// bf16 matmuls on AMX (bf16-matmul=amx; auto on a host with AMX): the tile
// permission request, then tile loads, tdpbf16ps and tile stores.
// bf16-matmul=avx512-bf16: vdpbf16ps. bf16-matmul=generic: neither.
// AMX-LABEL: llvm.func @bf16_matmul
// AMX: llvm.call @syscall
// AMX: llvm.call_intrinsic "llvm.x86.tileloadd64.internal"
// AMX: llvm.call_intrinsic "llvm.x86.tdpbf16ps.internal"
// AMX: llvm.call_intrinsic "llvm.x86.tilestored64.internal"
// NOAMX-LABEL: llvm.func @bf16_matmul
// NOAMX-NOT: llvm.x86
// NOAMX: llvm.return
// DOTBF16-LABEL: llvm.func @bf16_matmul
// DOTBF16-NOT: tdpbf16ps
// DOTBF16: llvm.call_intrinsic "llvm.x86.avx512bf16.dpbf16ps.512"
// BADBF16: for the --bf16-matmul option: Cannot find option named 'vnni'!
func.func @bf16_matmul(%a: tensor<64x96xbf16>, %b: tensor<96x64xbf16>) -> tensor<64x64xbf16> {
  %0 = accml.matmul %a, %b : (tensor<64x96xbf16>, tensor<96x64xbf16>) -> tensor<64x64xbf16>
  return %0 : tensor<64x64xbf16>
}
