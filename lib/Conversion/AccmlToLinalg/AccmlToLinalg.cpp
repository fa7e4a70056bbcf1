//===- AccmlToLinalg.cpp - The convert-accml-to-linalg pass ---------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Conversion/AccmlToLinalg/AccmlToLinalg.h"
#include "accml/Conversion/Passes.h"

#include "LoweringUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace accml {
#define GEN_PASS_DEF_CONVERTACCMLTOLINALGPASS
#include "accml/Conversion/Passes.h.inc"
} // namespace accml

using namespace mlir;
using namespace accml;

namespace {

/// accml.constant -> arith.constant with the same (possibly resource) value.
struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(op.getValue()));
    return success();
  }
};

struct ConvertAccmlToLinalgPass
    : accml::impl::ConvertAccmlToLinalgPassBase<ConvertAccmlToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    target.addIllegalDialect<AccmlDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });

    RewritePatternSet patterns(context);
    populateAccmlToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void accml::populateAccmlToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConstantLowering>(patterns.getContext());
  lowering::populateElementwisePatterns(patterns);
  lowering::populateLinearAlgebraPatterns(patterns);
  lowering::populateConvolutionPatterns(patterns);
  lowering::populatePoolingPatterns(patterns);
  lowering::populateNormalizationPatterns(patterns);
  lowering::populateReductionPatterns(patterns);
  lowering::populateDataMovementPatterns(patterns);
}
