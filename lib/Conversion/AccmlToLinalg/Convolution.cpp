//===- Convolution.cpp - Lower accml convolutions to linalg ---------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// conv2d: the input is zero-padded with tensor.pad, the bias (if any) is
// broadcast into the accumulator, and the convolution is
// linalg.conv_2d_nchw_fchw (groups == 1), linalg.depthwise_conv_2d_nchw_chw
// (groups == channels == filters) or linalg.conv_2d_ngchw_gfchw (other
// groups, on reshaped operands).
//
// conv_transpose2d is a stride-1 convolution of the input dilated by the
// stride (zeros inserted between elements) and padded by
// dilation * (kernel - 1) - pads, with the kernel flipped spatially and its
// channel dimensions swapped per group.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace accml;
using namespace accml::lowering;

namespace {

/// Zero-pads the spatial dimensions of an NCHW tensor; negative amounts crop.
Value padSpatial(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                 ArrayRef<int64_t> high, Value fill) {
  auto type = cast<RankedTensorType>(input.getType());
  // Crop first where an amount is negative.
  if (llvm::any_of(low, [](int64_t p) { return p < 0; }) ||
      llvm::any_of(high, [](int64_t p) { return p < 0; })) {
    SmallVector<int64_t> shape(type.getShape());
    SmallVector<OpFoldResult> offsets(4, b.getIndexAttr(0)), sizes,
        strides(4, b.getIndexAttr(1));
    for (int64_t d = 0; d < 4; ++d) {
      if (d >= 2) {
        int64_t cropLow = std::max<int64_t>(0, -low[d - 2]);
        int64_t cropHigh = std::max<int64_t>(0, -high[d - 2]);
        offsets[d] = b.getIndexAttr(cropLow);
        shape[d] -= cropLow + cropHigh;
      }
      sizes.push_back(ShapedType::isDynamic(shape[d])
                          ? OpFoldResult(getDimSize(b, loc, input, d))
                          : OpFoldResult(b.getIndexAttr(shape[d])));
    }
    auto croppedType = RankedTensorType::get(shape, type.getElementType());
    input = tensor::ExtractSliceOp::create(b, loc, croppedType, input, offsets,
                                           sizes, strides);
    type = croppedType;
  }
  SmallVector<int64_t> lowPad = {0, 0, std::max<int64_t>(0, low[0]),
                                 std::max<int64_t>(0, low[1])};
  SmallVector<int64_t> highPad = {0, 0, std::max<int64_t>(0, high[0]),
                                  std::max<int64_t>(0, high[1])};
  if (llvm::all_of(lowPad, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(highPad, [](int64_t p) { return p == 0; }))
    return input;
  SmallVector<int64_t> shape(type.getShape());
  for (int64_t d = 2; d < 4; ++d)
    if (!ShapedType::isDynamic(shape[d]))
      shape[d] += lowPad[d] + highPad[d];
  auto paddedType = RankedTensorType::get(shape, type.getElementType());
  return createPad(b, loc, paddedType, input, lowPad, highPad, fill);
}

/// The accumulator of a convolution: zeros, or the bias broadcast along the
/// channel dimension.
Value createAccumulator(OpBuilder &b, Location loc, RankedTensorType type,
                        Value bias, Value batchSource) {
  auto dynamicSize = [&](int64_t d) -> Value {
    // Only the batch can be dynamic here.
    return getDimSize(b, loc, batchSource, d);
  };
  if (!bias)
    return createFilled(b, loc, type,
                        createScalar(b, loc, type.getElementType(), 0.0),
                        dynamicSize);
  Value init = createEmpty(b, loc, type, dynamicSize);
  MLIRContext *context = b.getContext();
  return buildParallelGeneric(
      b, loc, init, bias,
      AffineMap::get(4, 0, {getAffineDimExpr(1, context)}, context),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        return createCast(nested, nestedLoc, args[0], type.getElementType());
      });
}

Value buildConvWithAccumulator(OpBuilder &b, Location loc, Value input,
                               Value weight, Value bias,
                               ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> dilations, int64_t groups,
                               RankedTensorType type);

/// A 2-D convolution of an already padded NCHW input with an
/// F x C/groups x KH x KW weight into `type` (N x F x OH x OW).
Value buildConv(OpBuilder &b, Location loc, Value input, Value weight,
                Value bias, ArrayRef<int64_t> strides,
                ArrayRef<int64_t> dilations, int64_t groups,
                RankedTensorType type) {
  // f16 and bf16 convolutions accumulate in f32 and round once at the end.
  Type sourceType = type.getElementType();
  Type elementType = getAccumulatorType(sourceType);
  if (elementType != sourceType) {
    auto accType = RankedTensorType::get(type.getShape(), elementType);
    Value result = buildConvWithAccumulator(
        b, loc, input, weight, bias, strides, dilations, groups, accType);
    return castElements(b, loc, result, sourceType);
  }
  return buildConvWithAccumulator(b, loc, input, weight, bias, strides,
                                  dilations, groups, type);
}

/// buildConv with the accumulator type given by `type`.
Value buildConvWithAccumulator(OpBuilder &b, Location loc, Value input,
                               Value weight, Value bias,
                               ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> dilations, int64_t groups,
                               RankedTensorType type) {
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  Type elementType = type.getElementType();
  auto stridesAttr = b.getI64TensorAttr(strides);
  auto dilationsAttr = b.getI64TensorAttr(dilations);
  Value acc = createAccumulator(b, loc, type, bias, input);
  int64_t channels = inputType.getDimSize(1);
  int64_t filters = weightType.getDimSize(0);
  if (groups == 1)
    return linalg::Conv2DNchwFchwOp::create(
               b, loc, TypeRange{type}, ValueRange{input, weight},
               ValueRange{acc}, stridesAttr, dilationsAttr)
        .getResult(0);
  int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);
  if (groups == channels && filters == channels) {
    // Depthwise: drop the unit input-channel dimension of the weight.
    auto depthwiseType =
        RankedTensorType::get({channels, kh, kw}, weightType.getElementType());
    Value depthwise = tensor::CollapseShapeOp::create(
        b, loc, depthwiseType, weight,
        ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
    return linalg::DepthwiseConv2DNchwChwOp::create(
               b, loc, TypeRange{type}, ValueRange{input, depthwise},
               ValueRange{acc}, stridesAttr, dilationsAttr)
        .getResult(0);
  }
  // Grouped: split the channel dimensions into (group, channel-in-group).
  int64_t cg = channels / groups, fg = filters / groups;
  SmallVector<int64_t> inputShape = {inputType.getDimSize(0), groups, cg,
                                     inputType.getDimSize(2),
                                     inputType.getDimSize(3)};
  auto groupedInputType =
      RankedTensorType::get(inputShape, inputType.getElementType());
  SmallVector<OpFoldResult> inputSizes = {
      tensor::getMixedSize(b, loc, input, 0), b.getIndexAttr(groups),
      b.getIndexAttr(cg), b.getIndexAttr(inputType.getDimSize(2)),
      b.getIndexAttr(inputType.getDimSize(3))};
  Value groupedInput = tensor::ExpandShapeOp::create(
      b, loc, groupedInputType, input,
      ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}}, inputSizes);
  auto groupedWeightType = RankedTensorType::get({groups, fg, cg, kh, kw},
                                                 weightType.getElementType());
  Value groupedWeight = tensor::ExpandShapeOp::create(
      b, loc, groupedWeightType, weight,
      ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}},
      ArrayRef<OpFoldResult>{b.getIndexAttr(groups), b.getIndexAttr(fg),
                             b.getIndexAttr(cg), b.getIndexAttr(kh),
                             b.getIndexAttr(kw)});
  auto groupedType = RankedTensorType::get(
      {type.getDimSize(0), groups, fg, type.getDimSize(2), type.getDimSize(3)},
      elementType);
  SmallVector<OpFoldResult> accSizes = {
      tensor::getMixedSize(b, loc, acc, 0), b.getIndexAttr(groups),
      b.getIndexAttr(fg), b.getIndexAttr(type.getDimSize(2)),
      b.getIndexAttr(type.getDimSize(3))};
  Value groupedAcc = tensor::ExpandShapeOp::create(
      b, loc, groupedType, acc,
      ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}}, accSizes);
  Value grouped = linalg::Conv2DNgchwGfchwOp::create(
                      b, loc, TypeRange{groupedType},
                      ValueRange{groupedInput, groupedWeight},
                      ValueRange{groupedAcc}, stridesAttr, dilationsAttr)
                      .getResult(0);
  return tensor::CollapseShapeOp::create(
      b, loc, type, grouped,
      ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
}

/// Checks what the lowering needs: static channel and spatial sizes.
LogicalResult checkStaticConv(ConversionPatternRewriter &rewriter,
                              Operation *op, RankedTensorType input,
                              RankedTensorType weight) {
  for (int64_t d = 1; d < 4; ++d)
    if (input.isDynamicDim(d))
      return unsupported(rewriter, op,
                         "dynamic channel or spatial input dimensions; only "
                         "the batch dimension may be dynamic");
  if (!weight.hasStaticShape())
    return unsupported(rewriter, op, "a weight with dynamic dimensions");
  return success();
}

struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
    if (failed(checkStaticConv(rewriter, op, inputType, weightType)))
      return failure();
    ArrayRef<int64_t> pads = op.getPads();
    Value zero = createScalar(rewriter, loc, inputType.getElementType(), 0.0);
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(),
                              {pads[0], pads[1]}, {pads[2], pads[3]}, zero);
    int64_t groups = static_cast<int64_t>(op.getGroups());
    rewriter.replaceOp(op, buildConv(rewriter, loc, padded, adaptor.getWeight(),
                                     adaptor.getBias(), op.getStrides(),
                                     op.getDilations(), groups, op.getType()));
    return success();
  }
};

struct ConvTranspose2DLowering : OpConversionPattern<ConvTranspose2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvTranspose2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), weight = adaptor.getWeight();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (failed(checkStaticConv(rewriter, op, inputType, weightType)))
      return failure();
    Type elementType = inputType.getElementType();
    ArrayRef<int64_t> strides = op.getStrides(), pads = op.getPads(),
                      dilations = op.getDilations(),
                      outputPadding = op.getOutputPadding();
    int64_t groups = static_cast<int64_t>(op.getGroups());
    int64_t channels = inputType.getDimSize(1);
    int64_t fg = weightType.getDimSize(1), cg = channels / groups;
    int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);

    // 1. Dilate the input by the strides.
    Value zero = createScalar(rewriter, loc, elementType, 0.0);
    Value dilated = input;
    if (strides[0] != 1 || strides[1] != 1) {
      SmallVector<int64_t> shape(inputType.getShape());
      shape[2] = (shape[2] - 1) * strides[0] + 1;
      shape[3] = (shape[3] - 1) * strides[1] + 1;
      auto dilatedType = RankedTensorType::get(shape, elementType);
      Value zeros =
          createFilled(rewriter, loc, dilatedType, zero, [&](int64_t d) {
            return getDimSize(rewriter, loc, input, d);
          });
      SmallVector<OpFoldResult> offsets(4, rewriter.getIndexAttr(0)), sizes;
      for (int64_t d = 0; d < 4; ++d)
        sizes.push_back(tensor::getMixedSize(rewriter, loc, input, d));
      SmallVector<OpFoldResult> stepSizes = {
          rewriter.getIndexAttr(1), rewriter.getIndexAttr(1),
          rewriter.getIndexAttr(strides[0]), rewriter.getIndexAttr(strides[1])};
      dilated = tensor::InsertSliceOp::create(rewriter, loc, input, zeros,
                                              offsets, sizes, stepSizes);
    }
    // 2. Pad by dilation * (kernel - 1) - pads (+ output_padding at the end).
    int64_t spanH = dilations[0] * (kh - 1), spanW = dilations[1] * (kw - 1);
    Value padded =
        padSpatial(rewriter, loc, dilated, {spanH - pads[0], spanW - pads[1]},
                   {spanH - pads[2] + outputPadding[0],
                    spanW - pads[3] + outputPadding[1]},
                   zero);
    // 3. The equivalent forward kernel (F x C/groups x KH x KW):
    //    w'[g * fg + f, c, i, j] = w[g * cg + c, f, kh - 1 - i, kw - 1 - j].
    MLIRContext *context = rewriter.getContext();
    AffineExpr o = getAffineDimExpr(0, context),
               c = getAffineDimExpr(1, context),
               i = getAffineDimExpr(2, context),
               j = getAffineDimExpr(3, context);
    AffineExpr inChannel = groups == 1 ? c : o.floorDiv(fg) * cg + c;
    AffineExpr outChannel = groups == 1 ? o : o % fg;
    AffineMap readMap = AffineMap::get(
        4, 0, {inChannel, outChannel, kh - 1 - i, kw - 1 - j}, context);
    auto forwardType =
        RankedTensorType::get({groups * fg, cg, kh, kw}, elementType);
    Value forwardInit = tensor::EmptyOp::create(
        rewriter, loc, forwardType.getShape(), elementType);
    Value forward =
        buildParallelGeneric(rewriter, loc, forwardInit, weight, readMap);
    // 4. A stride-1 convolution with the same dilation and groups.
    rewriter.replaceOp(op, buildConv(rewriter, loc, padded, forward,
                                     adaptor.getBias(), {1, 1}, dilations,
                                     groups, op.getType()));
    return success();
  }
};

} // namespace

void lowering::populateConvolutionPatterns(RewritePatternSet &patterns) {
  patterns.add<Conv2DLowering, ConvTranspose2DLowering>(patterns.getContext());
}
