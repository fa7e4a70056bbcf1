// Bad input ends in a clear error and a non-zero exit, never a crash (`not`
// fails on a crash as on success).

// RUN: split-file %s %t

// RUN: not accml-opt %t/unknown-op.mlir 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: unknown-op.mlir:2:8: error: custom op 'accml.frobnicate' is unknown

// RUN: not accml-opt %t/generic-unknown-op.mlir 2>&1 | FileCheck %s --check-prefix=GENERIC
// GENERIC: error: unregistered operation 'accml.frobnicate' found in dialect ('accml') that does not allow unknown operations

// RUN: not accml-opt %t/truncated.mlir 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: truncated.mlir:2:{{[0-9]+}}: error: expected

// RUN: not accml-opt %t/wrong-operand-count.mlir 2>&1 | FileCheck %s --check-prefix=OPERANDS
// OPERANDS: error: 'accml.add' op expected 2 operands, but found 1

// RUN: not accml-opt %t/bad-attribute.mlir 2>&1 | FileCheck %s --check-prefix=ATTR
// ATTR: error: {{.*}}'accml.conv2d' op attribute 'strides' failed to satisfy constraint: i64 dense array attribute

// RUN: not accml-opt %t/bad-constant.mlir 2>&1 | FileCheck %s --check-prefix=CONSTANT
// CONSTANT: error: inferred shape of elements literal ([2]) does not match type ([3])

// RUN: not accml-opt %t/bad-resource.mlir 2>&1 | FileCheck %s --check-prefix=RESOURCE
// RESOURCE: error: expected hex string blob for key 'w'

// RUN: not accml-opt %t/missing-resource.mlir 2>&1 | FileCheck %s --check-prefix=NORESOURCE
// NORESOURCE: error: 'accml.constant' op expects data for resource 'nowhere', but the module has none

// RUN: not accml-opt %t/short-resource.mlir 2>&1 | FileCheck %s --check-prefix=SHORT
// SHORT: error: 'accml.constant' op expects 16 bytes of data in resource 'w' for 'tensor<4xf32>', got 8

// RUN: not accml-opt %t/short-bool-resource.mlir 2>&1 | FileCheck %s --check-prefix=SHORTBOOL
// SHORTBOOL: error: 'accml.constant' op expects 4 bytes of data in resource 'b' for 'tensor<4xi1>', got 1

// RUN: not accml-opt %t/does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: cannot open input file '{{.*}}does-not-exist.mlir': No such file or directory

// RUN: printf 'ML\357R\006garbage' > %t/garbage.mlirbc
// RUN: not accml-opt %t/garbage.mlirbc 2>&1 | FileCheck %s --check-prefix=BYTECODE
// BYTECODE: error: bytecode version {{[0-9]+}} is newer than the current version

// RUN: not accml-opt --no-such-flag %t/unknown-op.mlir 2>&1 | FileCheck %s --check-prefix=FLAG
// FLAG: Unknown command line argument '--no-such-flag'

// RUN: not accml-opt %t/valid.mlir --pass-pipeline='builtin.module(no-such-pass)' 2>&1 | FileCheck %s --check-prefix=PASS
// PASS: 'no-such-pass' does not refer to a registered pass or pass pipeline

//--- valid.mlir
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = accml.relu %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

//--- unknown-op.mlir
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = accml.frobnicate %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

//--- generic-unknown-op.mlir
func.func @f(%a: tensor<2xf32>) {
  %0 = "accml.frobnicate"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return
}

//--- truncated.mlir
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = accml.relu %a : tensor<2x
//--- wrong-operand-count.mlir
func.func @f(%a: tensor<2xf32>) {
  %0 = "accml.add"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return
}

//--- bad-attribute.mlir
func.func @f(%a: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  %0 = accml.conv2d %a, %w {strides = "two"} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

//--- bad-constant.mlir
func.func @f() -> tensor<3xf32> {
  %0 = accml.constant dense<[1.0, 2.0]> : tensor<3xf32>
  return %0 : tensor<3xf32>
}

//--- bad-resource.mlir
func.func @f() -> tensor<2xf32> {
  %0 = accml.constant dense_resource<w> : tensor<2xf32>
  return %0 : tensor<2xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: 42
    }
  }
#-}

//--- missing-resource.mlir
func.func @f() -> tensor<2xf32> {
  %0 = accml.constant dense_resource<nowhere> : tensor<2xf32>
  %1 = accml.exp %0 : tensor<2xf32>
  return %1 : tensor<2xf32>
}

//--- short-resource.mlir
func.func @f() -> tensor<4xf32> {
  %0 = accml.constant dense_resource<w> : tensor<4xf32>
  return %0 : tensor<4xf32>
}
{-#
  dialect_resources: {
    builtin: {
      w: "0x040000000000803F00000040"
    }
  }
#-}

//--- short-bool-resource.mlir
func.func @f() -> tensor<4xi1> {
  %0 = accml.constant dense_resource<b> : tensor<4xi1>
  return %0 : tensor<4xi1>
}
{-#
  dialect_resources: {
    builtin: {
      b: "0x0100000001"
    }
  }
#-}
