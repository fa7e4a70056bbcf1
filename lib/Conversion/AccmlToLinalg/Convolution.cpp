//===- Convolution.cpp
//---------------------------------------------------------===//
#include "LoweringUtils.h"

using namespace mlir;
using namespace accml;
using namespace accml::lowering;

void lowering::populateConvolutionPatterns(RewritePatternSet &patterns) {}
