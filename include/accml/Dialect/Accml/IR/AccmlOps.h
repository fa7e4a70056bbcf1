//===- AccmlOps.h - accml dialect operations --------------------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_DIALECT_ACCML_IR_ACCMLOPS_H
#define ACCML_DIALECT_ACCML_IR_ACCMLOPS_H

#include "accml/Dialect/Accml/IR/AccmlDialect.h"
#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "accml/Dialect/Accml/IR/AccmlOps.h.inc"

#endif // ACCML_DIALECT_ACCML_IR_ACCMLOPS_H
