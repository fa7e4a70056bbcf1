//===- Passes.h - AccML conversion passes -----------------------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_CONVERSION_PASSES_H
#define ACCML_CONVERSION_PASSES_H

#include "accml/Conversion/AccmlToLinalg/AccmlToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace accml {

#define GEN_PASS_DECL
#include "accml/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "accml/Conversion/Passes.h.inc"

} // namespace accml

#endif // ACCML_CONVERSION_PASSES_H
