// RUN: accml-translate --accml-to-llvmir %s | FileCheck %s
// RUN: accml-translate --accml-to-object %s -o %t.o && %python -c "import sys; d = open('%t.o', 'rb').read(); sys.exit(d[:4] != b'\x7fELF')"
// RUN: accml-opt %s --accml-cpu-pipeline | accml-translate --mlir-to-llvmir | FileCheck %s

// accml on tensors straight to LLVM IR, and the upstream translation of
// the lowered module, agree on the interface.
// CHECK: define {{.*}}@main(
// CHECK: fadd
// CHECK: define void @_mlir_ciface_main(ptr %0, ptr %1, ptr %2)
func.func @main(%a: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = accml.add %a, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}
