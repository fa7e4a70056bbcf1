// RUN: not accml-opt %s --split-input-file --accml-bf16-matmul="block-columns=-32" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not accml-opt %s --split-input-file --accml-bf16-matmul 2>&1 | FileCheck %s --check-prefix=TAKEN
// RUN: not accml-opt %s --split-input-file --accml-bf16-matmul="unit=tpu" 2>&1 | FileCheck %s --check-prefix=UNIT

// An unknown unit is rejected.
// UNIT: accml-bf16-matmul: unit must be amx or avx512-bf16, got 'tpu'

// Negative block sizes are rejected.
// BAD: accml-bf16-matmul: block-columns and block-depth must be 0 (chosen by the pass) or positive, got -32 and 0
func.func @matmul(%a: memref<32x32xbf16>, %b: memref<32x32xbf16>, %c: memref<32x32xf32>) {
  linalg.matmul ins(%a, %b : memref<32x32xbf16>, memref<32x32xbf16>) outs(%c : memref<32x32xf32>)
  return
}

// -----

// The function that asks for the tile permission is libc's syscall: a
// module that defines @syscall otherwise is an error.
// TAKEN: error: accml-bf16-matmul: @syscall (which AMX code calls for the tile permission) is defined here as something else
func.func @syscall(%x: i64) -> i64 {
  return %x : i64
}
func.func @uses_syscall_name(%a: memref<32x32xbf16>, %b: memref<32x32xbf16>, %c: memref<32x32xf32>) {
  linalg.matmul ins(%a, %b : memref<32x32xbf16>, memref<32x32xbf16>) outs(%c : memref<32x32xf32>)
  return
}
