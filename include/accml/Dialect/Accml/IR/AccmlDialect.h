//===- AccmlDialect.h - The accml dialect -----------------------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_DIALECT_ACCML_IR_ACCMLDIALECT_H
#define ACCML_DIALECT_ACCML_IR_ACCMLDIALECT_H

#include "mlir/IR/Dialect.h"

#include "accml/Dialect/Accml/IR/AccmlOpsDialect.h.inc"

#endif // ACCML_DIALECT_ACCML_IR_ACCMLDIALECT_H
