//===- Pooling.cpp - Lower accml pooling to linalg ------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// max_pool2d and avg_pool2d pad the input (with -inf or 0; ceil_mode adds
// the end padding its last window needs) and use linalg.pooling_nchw_max /
// pooling_nchw_sum. The average divides by a divisor table computed at
// compile time from the padding rules (count_include_pad counts the explicit
// padding, never the ceil-mode overhang), or by a single constant when every
// window has the same count. The global pools are linalg.reduce.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace accml;
using namespace accml::lowering;

namespace {

/// Spatial padding of a pooling op: the explicit pads plus, with ceil_mode,
/// what the last window needs beyond them.
struct PoolPadding {
  int64_t low[2], high[2], overhang[2];
};

PoolPadding computePadding(RankedTensorType input, RankedTensorType result,
                           ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                           ArrayRef<int64_t> pads,
                           ArrayRef<int64_t> dilations) {
  PoolPadding padding;
  for (int i = 0; i < 2; ++i) {
    int64_t window = dilations[i] * (kernel[i] - 1) + 1;
    int64_t needed = (result.getDimSize(2 + i) - 1) * strides[i] + window;
    int64_t available = input.getDimSize(2 + i) + pads[i] + pads[i + 2];
    padding.low[i] = pads[i];
    padding.overhang[i] = std::max<int64_t>(0, needed - available);
    padding.high[i] = pads[i + 2] + padding.overhang[i];
  }
  return padding;
}

Value padForPooling(OpBuilder &b, Location loc, Value input,
                    const PoolPadding &padding, Value fill) {
  auto type = cast<RankedTensorType>(input.getType());
  if (padding.low[0] == 0 && padding.low[1] == 0 && padding.high[0] == 0 &&
      padding.high[1] == 0)
    return input;
  SmallVector<int64_t> shape(type.getShape());
  for (int i = 0; i < 2; ++i)
    shape[2 + i] += padding.low[i] + padding.high[i];
  return createPad(b, loc, RankedTensorType::get(shape, type.getElementType()),
                   input, {0, 0, padding.low[0], padding.low[1]},
                   {0, 0, padding.high[0], padding.high[1]}, fill);
}

template <typename OpTy>
LogicalResult checkStaticPooling(ConversionPatternRewriter &rewriter, OpTy op,
                                 RankedTensorType input) {
  for (int64_t d = 1; d < 4; ++d)
    if (input.isDynamicDim(d))
      return unsupported(rewriter, op,
                         "dynamic channel or spatial dimensions; only the "
                         "batch dimension may be dynamic");
  return success();
}

struct MaxPool2DLowering : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    if (failed(checkStaticPooling(rewriter, op, inputType)))
      return failure();
    RankedTensorType type = op.getType();
    Type elementType = type.getElementType();
    PoolPadding padding =
        computePadding(inputType, type, op.getKernelShape(), op.getStrides(),
                       op.getPads(), op.getDilations());
    Value lowest = createLowest(rewriter, loc, elementType);
    Value padded = padForPooling(rewriter, loc, input, padding, lowest);
    Value init = createFilled(rewriter, loc, type, lowest, [&](int64_t d) {
      return getDimSize(rewriter, loc, input, d);
    });
    ArrayRef<int64_t> kernel = op.getKernelShape();
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, elementType);
    rewriter.replaceOp(op, linalg::PoolingNchwMaxOp::create(
                               rewriter, loc, TypeRange{type},
                               ValueRange{padded, window}, ValueRange{init},
                               rewriter.getI64TensorAttr(op.getStrides()),
                               rewriter.getI64TensorAttr(op.getDilations()))
                               .getResult(0));
    return success();
  }
};

struct AvgPool2DLowering : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    if (failed(checkStaticPooling(rewriter, op, inputType)))
      return failure();
    RankedTensorType type = op.getType();
    Type elementType = type.getElementType();
    ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides(),
                      pads = op.getPads(), dilations = op.getDilations();
    PoolPadding padding =
        computePadding(inputType, type, kernel, strides, pads, dilations);
    Value zero = createScalar(rewriter, loc, elementType, 0.0);
    Value padded = padForPooling(rewriter, loc, input, padding, zero);
    Value init = createFilled(rewriter, loc, type, zero, [&](int64_t d) {
      return getDimSize(rewriter, loc, input, d);
    });
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, elementType);
    Value sums = linalg::PoolingNchwSumOp::create(
                     rewriter, loc, TypeRange{type}, ValueRange{padded, window},
                     ValueRange{init}, rewriter.getI64TensorAttr(strides),
                     rewriter.getI64TensorAttr(dilations))
                     .getResult(0);

    // Divisors: how many counted positions each window covers, per spatial
    // dimension, multiplied.
    bool includePad = op.getCountIncludePad();
    int64_t outH = type.getDimSize(2), outW = type.getDimSize(3);
    SmallVector<SmallVector<int64_t>> counts(2);
    for (int i = 0; i < 2; ++i) {
      int64_t size = inputType.getDimSize(2 + i);
      int64_t lo = includePad ? -pads[i] : 0;
      int64_t hi = includePad ? size + pads[i + 2] : size;
      for (int64_t o = 0; o < type.getDimSize(2 + i); ++o) {
        int64_t start = o * strides[i] - pads[i], count = 0;
        for (int64_t k = 0; k < kernel[i]; ++k) {
          int64_t position = start + k * dilations[i];
          count += position >= lo && position < hi;
        }
        counts[i].push_back(std::max<int64_t>(count, 1));
      }
    }
    SmallVector<float> divisors;
    for (int64_t h = 0; h < outH; ++h)
      for (int64_t w = 0; w < outW; ++w)
        divisors.push_back(static_cast<float>(counts[0][h] * counts[1][w]));
    bool uniform = llvm::all_equal(divisors);
    auto divisorType = RankedTensorType::get({outH, outW}, elementType);
    SmallVector<Attribute> divisorAttrs;
    if (!uniform)
      for (float d : divisors)
        divisorAttrs.push_back(rewriter.getFloatAttr(elementType, d));
    Value divisorTable =
        uniform ? Value()
                : arith::ConstantOp::create(
                      rewriter, loc,
                      DenseElementsAttr::get(divisorType, divisorAttrs))
                      .getResult();
    double uniformDivisor = divisors.empty() ? 1.0 : divisors.front();
    SmallVector<Value> inputs = {sums};
    if (divisorTable)
      inputs.push_back(divisorTable);
    Value result = buildElementwise(
        rewriter, loc, type, inputs,
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          Value divisor =
              args.size() > 1
                  ? args[1]
                  : createScalar(b, nestedLoc, elementType, uniformDivisor);
          return arith::DivFOp::create(b, nestedLoc, args[0], divisor);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The mean or maximum over the spatial dimensions, keeping them as 1.
template <typename OpTy, bool isMax>
struct GlobalPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    Type elementType = inputType.getElementType();
    SmallVector<int64_t> dims;
    for (int64_t d = 2; d < inputType.getRank(); ++d)
      dims.push_back(d);
    Value init = isMax ? createLowest(rewriter, loc, elementType)
                       : createScalar(rewriter, loc, elementType, 0.0);
    Value reduced = buildReduction(
        rewriter, loc, input, dims, init,
        [](OpBuilder &b, Location nestedLoc, ValueRange args) {
          return isMax ? createMax(b, nestedLoc, args[0], args[1])
                       : createAdd(b, nestedLoc, args[0], args[1]);
        },
        /*collapseTrailing=*/true);
    if (!isMax) {
      // Divide by the number of spatial positions (computed at run time
      // when a spatial dimension is dynamic).
      Value countFloat =
          createElementCount(rewriter, loc, input, dims, elementType);
      auto reducedType = cast<RankedTensorType>(reduced.getType());
      reduced = buildElementwise(
          rewriter, loc, reducedType, ValueRange{reduced},
          [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
            return arith::DivFOp::create(b, nestedLoc, args[0], countFloat);
          });
    }
    rewriter.replaceOp(
        op, expandKeptDims(rewriter, loc, reduced, op.getType(), dims));
    return success();
  }
};

} // namespace

void lowering::populatePoolingPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxPool2DLowering, AvgPool2DLowering,
               GlobalPoolLowering<GlobalAvgPoolOp, false>,
               GlobalPoolLowering<GlobalMaxPoolOp, true>>(
      patterns.getContext());
}
