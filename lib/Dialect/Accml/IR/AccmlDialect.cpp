//===- AccmlDialect.cpp - The accml dialect -------------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/IR/AccmlDialect.h"
#include "accml/Dialect/Accml/IR/AccmlOps.h"

using namespace mlir;
using namespace accml;

#include "accml/Dialect/Accml/IR/AccmlOpsDialect.cpp.inc"

void AccmlDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "accml/Dialect/Accml/IR/AccmlOps.cpp.inc"
      >();
}

Operation *AccmlDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
