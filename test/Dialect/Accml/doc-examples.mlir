// Every ```mlir example in the op descriptions (the generated reference)
// parses and verifies.
// RUN: %python %accml_src_root/scripts/check-doc-examples.py %accml_src_root/include/accml/Dialect/Accml/IR/AccmlOps.td > %t.mlir
// RUN: accml-opt %t.mlir | FileCheck %s
// CHECK: func.func @example1(
// CHECK: func.func @example60(
