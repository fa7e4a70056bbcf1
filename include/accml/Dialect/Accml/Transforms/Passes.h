//===- Passes.h - accml passes ----------------------------------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_DIALECT_ACCML_TRANSFORMS_PASSES_H
#define ACCML_DIALECT_ACCML_TRANSFORMS_PASSES_H

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/Pass/Pass.h"

namespace accml {

#define GEN_PASS_DECL
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"

} // namespace accml

#endif // ACCML_DIALECT_ACCML_TRANSFORMS_PASSES_H
