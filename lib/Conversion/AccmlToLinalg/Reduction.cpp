//===- Reduction.cpp
//---------------------------------------------------------===//
#include "LoweringUtils.h"

using namespace mlir;
using namespace accml;
using namespace accml::lowering;

void lowering::populateReductionPatterns(RewritePatternSet &patterns) {}
