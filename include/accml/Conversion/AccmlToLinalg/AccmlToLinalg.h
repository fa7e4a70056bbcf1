//===- AccmlToLinalg.h - accml to linalg conversion -------------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_CONVERSION_ACCMLTOLINALG_ACCMLTOLINALG_H
#define ACCML_CONVERSION_ACCMLTOLINALG_ACCMLTOLINALG_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace accml {

/// Adds the patterns that lower every accml op to linalg, tensor, arith and
/// math ops on tensors. A pattern that cannot lower its op emits an error
/// naming the reason and what is supported, and fails.
void populateAccmlToLinalgConversionPatterns(mlir::RewritePatternSet &patterns);

} // namespace accml

#endif // ACCML_CONVERSION_ACCMLTOLINALG_ACCMLTOLINALG_H
