//===- Normalization.cpp
//---------------------------------------------------------===//
#include "LoweringUtils.h"

using namespace mlir;
using namespace accml;
using namespace accml::lowering;

void lowering::populateNormalizationPatterns(RewritePatternSet &patterns) {}
