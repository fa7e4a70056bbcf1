// RUN: not accml-opt %s --split-input-file --accml-amx-matmul="block-columns=-32" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not accml-opt %s --split-input-file --accml-amx-matmul 2>&1 | FileCheck %s --check-prefix=TAKEN

// Negative block sizes are rejected.
// BAD: accml-amx-matmul: block-columns and block-depth must be 0 (chosen by the pass) or positive, got -32 and 0
func.func @matmul(%a: memref<32x32xbf16>, %b: memref<32x32xbf16>, %c: memref<32x32xf32>) {
  linalg.matmul ins(%a, %b : memref<32x32xbf16>, memref<32x32xbf16>) outs(%c : memref<32x32xf32>)
  return
}

// -----

// The function that asks for the tile permission is libc's syscall: a
// module that defines @syscall otherwise is an error.
// TAKEN: error: accml-amx-matmul: @syscall (which AMX code calls for the tile permission) is defined here as something else
func.func @syscall(%x: i64) -> i64 {
  return %x : i64
}
func.func @uses_syscall_name(%a: memref<32x32xbf16>, %b: memref<32x32xbf16>, %c: memref<32x32xf32>) {
  linalg.matmul ins(%a, %b : memref<32x32xbf16>, memref<32x32xbf16>) outs(%c : memref<32x32xf32>)
  return
}
