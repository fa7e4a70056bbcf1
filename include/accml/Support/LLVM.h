//===- LLVM.h - MLIR names in accml -----------------------------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Brings the MLIR and LLVM names that AccML code uses everywhere into the
// `accml` namespace, as CIRCT and upstream MLIR do with their LLVM.h.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_SUPPORT_LLVM_H
#define ACCML_SUPPORT_LLVM_H

#include "mlir/Support/LLVM.h"

namespace mlir {
class Attribute;
class Builder;
class Location;
class MLIRContext;
class OpBuilder;
class Operation;
class PatternRewriter;
class RewritePatternSet;
class Type;
class Value;
} // namespace mlir

namespace accml {
using namespace mlir;
} // namespace accml

#endif // ACCML_SUPPORT_LLVM_H
