// RUN: rm -rf %t && split-file %s %t
// RUN: not accml-compile %t/missing.mlir -o %t/lib.so 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: accml-compile: error: cannot read {{.*}}missing.mlir: No such file or directory
// RUN: not accml-compile %t/private.mlir -o %t/lib.so 2>&1 | FileCheck %s --check-prefix=NOEXPORT
// NOEXPORT: accml-compile: error: {{.*}}private.mlir has no public function to export
// RUN: not accml-compile %t/bad.mlir -o %t/lib.so 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: accml-compile: error: {{.*}}bad.mlir:2:{{[0-9]+}}: error: 'accml.matmul' op expects the contracted dimensions to match
// RUN: not accml-compile %t/private.mlir 2>&1 | FileCheck %s --check-prefix=NOOUT
// NOOUT: accml-compile: for the -o option: must be specified at least once!
// RUN: touch %t/afile && not accml-compile %t/ok.mlir -o %t/afile/lib.so 2>&1 | FileCheck %s --check-prefix=NOTDIR
// NOTDIR: ld.lld: error: cannot open output file {{.*}}afile/lib.so: Not a directory
// NOTDIR: accml-compile: error: linking {{.*}}afile/lib.so failed
// RUN: not accml-compile %t/ok.mlir -o %t/x.so --pipeline-options="register-tiles=8,32,1 pack=maybe" 2>&1 | FileCheck %s --check-prefix=PIPELINE
// PIPELINE: accml-compile: error: invalid pipeline options 'register-tiles=8,32,1 pack=maybe': malformed value
// RUN: not accml-compile %t/ok.mlir -o %t/x.so --pipeline-options="register-tiles=8,32,1" 2>&1 | FileCheck %s --check-prefix=TILES
// TILES: accml-compile: error: {{.*}}ok.mlir:{{.*}}: error: accml-tile-and-fuse expects three cache-tiles (mc, nc, kc) and two register-tiles (mr, nr)
// RUN: not accml-compile %t/private.mlir -o %t/x.so --threads lots 2>&1 | FileCheck %s --check-prefix=THREADS
// THREADS: accml-compile: error: --threads expects a non-negative integer, got 'lots'

//--- private.mlir
func.func private @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}

//--- bad.mlir
func.func @main(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  %0 = accml.matmul %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

//--- ok.mlir
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = accml.relu %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}
