//===- DataMovement.cpp - Lower accml shape ops to linalg and tensor ------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Reshapes become tensor.collapse_shape / expand_shape (tensor.reshape when
// no reassociation exists), transpose becomes linalg.transpose, slices and
// splits tensor.extract_slice (a reversing linalg.generic for negative
// steps), concat a chain of tensor.insert_slice, pad tensor.pad (constant)
// or a gathering linalg.generic (reflect, edge), gather and expand
// linalg.generic.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "accml/Dialect/Accml/IR/ShapeUtils.h"

using namespace mlir;
using namespace accml;
using namespace accml::lowering;

namespace {

/// Reshape-like ops: the result type says everything.
template <typename OpTy>
struct ReshapeLikeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getInput(),
                                     cast<RankedTensorType>(op.getType())));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<int64_t> perm = op.getPermutation();
    Value input = adaptor.getInput();
    RankedTensorType type = op.getType();
    Value init = createEmpty(rewriter, loc, type, [&](int64_t d) {
      return getDimSize(rewriter, loc, input, perm[d]);
    });
    rewriter.replaceOp(
        op, linalg::TransposeOp::create(rewriter, loc, input, init, perm)
                .getResult()[0]);
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    ValueRange inputs = adaptor.getInputs();
    // The size along the axis is the sum of the inputs'; the others are any
    // input's.
    Value result = createEmpty(rewriter, loc, type, [&](int64_t d) -> Value {
      if (d != axis)
        return getDimSize(rewriter, loc, inputs.front(), d);
      Value sum = arith::ConstantIndexOp::create(rewriter, loc, 0);
      for (Value input : inputs)
        sum = arith::AddIOp::create(rewriter, loc, sum,
                                    getDimSize(rewriter, loc, input, d));
      return sum;
    });
    Value offset = arith::ConstantIndexOp::create(rewriter, loc, 0);
    for (Value input : inputs) {
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(rank, rewriter.getIndexAttr(1));
      for (int64_t d = 0; d < rank; ++d)
        sizes.push_back(tensor::getMixedSize(rewriter, loc, input, d));
      offsets[axis] = offset;
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             offsets, sizes, strides);
      offset = arith::AddIOp::create(rewriter, loc, offset,
                                     getDimSize(rewriter, loc, input, axis));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// input[start + step * i] along each axis, as extract_slice for positive
/// steps; a negative step reads the mirrored range and reverses it.
Value buildSlice(OpBuilder &b, Location loc, Value input, RankedTensorType type,
                 ArrayRef<int64_t> begins, ArrayRef<int64_t> steps) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  SmallVector<OpFoldResult> offsets, sizes, strides;
  SmallVector<int64_t> reversed;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t step = steps[d];
    if (step > 0) {
      offsets.push_back(b.getIndexAttr(begins[d]));
      strides.push_back(b.getIndexAttr(step));
    } else {
      // Elements begin, begin + step, ... read forwards from the last one.
      int64_t count = type.getDimSize(d);
      offsets.push_back(b.getIndexAttr(begins[d] + step * (count - 1)));
      strides.push_back(b.getIndexAttr(-step));
      reversed.push_back(d);
    }
    if (type.isDynamicDim(d))
      sizes.push_back(getDimSize(b, loc, input, d));
    else
      sizes.push_back(b.getIndexAttr(type.getDimSize(d)));
  }
  Value slice = tensor::ExtractSliceOp::create(b, loc, type, input, offsets,
                                               sizes, strides);
  if (reversed.empty())
    return slice;
  // Reverse the dimensions with negative steps.
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d) {
    AffineExpr dim = b.getAffineDimExpr(d);
    exprs.push_back(llvm::is_contained(reversed, d)
                        ? b.getAffineConstantExpr(type.getDimSize(d) - 1) - dim
                        : dim);
  }
  Value init = createEmptyLike(b, loc, type, slice);
  return buildParallelGeneric(b, loc, init, slice,
                              AffineMap::get(rank, 0, exprs, b.getContext()));
}

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType inputType = op.getInput().getType();
    RankedTensorType type = op.getType();
    int64_t rank = inputType.getRank();
    SmallVector<int64_t> begins(rank, 0), steps(rank, 1);
    ArrayRef<int64_t> starts = op.getStarts(), ends = op.getEnds();
    for (size_t i = 0; i < starts.size(); ++i) {
      int64_t axis = normalizeAxis(
          op.getAxes() ? (*op.getAxes())[i] : static_cast<int64_t>(i), rank);
      int64_t step = op.getSteps() ? (*op.getSteps())[i] : 1;
      int64_t dim = inputType.getDimSize(axis);
      if (ShapedType::isDynamic(dim))
        return unsupported(rewriter, op,
                           "slicing a dynamic dimension (" + Twine(axis) +
                               "); only static dimensions can be sliced");
      steps[axis] = step;
      begins[axis] = clampSliceBounds(dim, starts[i], ends[i], step).first;
    }
    rewriter.replaceOp(op, buildSlice(rewriter, op.getLoc(), adaptor.getInput(),
                                      type, begins, steps));
    return success();
  }
};

struct SplitLowering : OpConversionPattern<SplitOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SplitOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType inputType = op.getInput().getType();
    int64_t rank = inputType.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    SmallVector<Value> results;
    int64_t offset = 0;
    for (Value result : op.getResults()) {
      auto type = cast<RankedTensorType>(result.getType());
      if (type.isDynamicDim(axis))
        return unsupported(rewriter, op,
                           "a dynamic size along the split axis; only static "
                           "pieces are supported");
      SmallVector<int64_t> begins(rank, 0), steps(rank, 1);
      begins[axis] = offset;
      results.push_back(buildSlice(rewriter, op.getLoc(), adaptor.getInput(),
                                   type, begins, steps));
      offset += type.getDimSize(axis);
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput(), indices = adaptor.getIndices();
    auto inputType = cast<RankedTensorType>(input.getType());
    auto indicesType = cast<RankedTensorType>(indices.getType());
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    int64_t axis =
        normalizeAxis(static_cast<int64_t>(op.getAxis()), inputType.getRank());
    int64_t indexRank = indicesType.getRank();
    Value init = createEmpty(rewriter, loc, type, [&](int64_t d) -> Value {
      if (d < axis)
        return getDimSize(rewriter, loc, input, d);
      if (d < axis + indexRank)
        return getDimSize(rewriter, loc, indices, d - axis);
      return getDimSize(rewriter, loc, input, d - indexRank + 1);
    });
    // The generic reads the index; the body extracts the element.
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < indexRank; ++d)
      indexExprs.push_back(rewriter.getAffineDimExpr(axis + d));
    Value axisSize = getDimSize(rewriter, loc, input, axis);
    Value result = buildParallelGeneric(
        rewriter, loc, init, indices,
        AffineMap::get(rank, 0, indexExprs, rewriter.getContext()),
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          // Negative indices count from the end.
          Value index = arith::IndexCastOp::create(b, nestedLoc,
                                                   b.getIndexType(), args[0]);
          Value zero = arith::ConstantIndexOp::create(b, nestedLoc, 0);
          Value negative = arith::CmpIOp::create(
              b, nestedLoc, arith::CmpIPredicate::slt, index, zero);
          Value wrapped = arith::AddIOp::create(b, nestedLoc, index, axisSize);
          index =
              arith::SelectOp::create(b, nestedLoc, negative, wrapped, index);
          SmallVector<Value> coords;
          for (int64_t d = 0; d < inputType.getRank(); ++d) {
            if (d < axis)
              coords.push_back(linalg::IndexOp::create(b, nestedLoc, d));
            else if (d == axis)
              coords.push_back(index);
            else
              coords.push_back(
                  linalg::IndexOp::create(b, nestedLoc, d + indexRank - 1));
          }
          return tensor::ExtractOp::create(b, nestedLoc, input, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    RankedTensorType type = op.getType();
    int64_t rank = inputType.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    // Negative pads crop first.
    if (llvm::any_of(pads, [](int64_t p) { return p < 0; })) {
      SmallVector<int64_t> cropped(inputType.getShape());
      SmallVector<int64_t> begins(rank, 0), steps(rank, 1);
      for (int64_t d = 0; d < rank; ++d) {
        if (ShapedType::isDynamic(cropped[d]))
          return unsupported(rewriter, op,
                             "negative pads on a dynamic dimension");
        begins[d] = std::max<int64_t>(0, -pads[d]);
        cropped[d] -= begins[d] + std::max<int64_t>(0, -pads[rank + d]);
      }
      input =
          buildSlice(rewriter, loc, input,
                     RankedTensorType::get(cropped, inputType.getElementType()),
                     begins, steps);
      inputType = cast<RankedTensorType>(input.getType());
    }
    SmallVector<int64_t> low, high;
    for (int64_t d = 0; d < rank; ++d) {
      low.push_back(std::max<int64_t>(0, pads[d]));
      high.push_back(std::max<int64_t>(0, pads[rank + d]));
    }
    StringRef mode = op.getMode();
    Type elementType = type.getElementType();
    if (mode == "constant") {
      double fill = op.getConstantValue().convertToDouble();
      Value value = elementType.isInteger(1)
                        ? arith::ConstantOp::create(
                              rewriter, loc, rewriter.getBoolAttr(fill != 0.0))
                              .getResult()
                        : createScalar(rewriter, loc, elementType, fill);
      Value pad = createPad(rewriter, loc, type, input, low, high, value);
      rewriter.replaceOp(op, pad);
      return success();
    }
    // reflect / edge: each result element reads a mirrored or clamped input
    // coordinate.
    Value init = createEmpty(rewriter, loc, type, [&](int64_t d) -> Value {
      Value size = getDimSize(rewriter, loc, input, d);
      return arith::AddIOp::create(
          rewriter, loc, size,
          arith::ConstantIndexOp::create(rewriter, loc, low[d] + high[d]));
    });
    bool reflect = mode == "reflect";
    Value result = buildParallelGeneric(
        rewriter, loc, init, ValueRange{}, ArrayRef<AffineMap>{},
        [&](OpBuilder &b, Location nestedLoc, ValueRange) -> Value {
          SmallVector<Value> coords;
          Value zero = arith::ConstantIndexOp::create(b, nestedLoc, 0);
          for (int64_t d = 0; d < rank; ++d) {
            Value i = arith::SubIOp::create(
                b, nestedLoc, linalg::IndexOp::create(b, nestedLoc, d),
                arith::ConstantIndexOp::create(b, nestedLoc, low[d]));
            Value last = arith::SubIOp::create(
                b, nestedLoc, getDimSize(b, nestedLoc, input, d),
                arith::ConstantIndexOp::create(b, nestedLoc, 1));
            Value below = arith::CmpIOp::create(
                b, nestedLoc, arith::CmpIPredicate::slt, i, zero);
            Value above = arith::CmpIOp::create(
                b, nestedLoc, arith::CmpIPredicate::sgt, i, last);
            Value lowValue = zero, highValue = last;
            if (reflect) {
              // -i before the start, 2 * last - i after the end.
              lowValue = arith::SubIOp::create(b, nestedLoc, zero, i);
              highValue = arith::SubIOp::create(
                  b, nestedLoc, arith::AddIOp::create(b, nestedLoc, last, last),
                  i);
            }
            i = arith::SelectOp::create(b, nestedLoc, below, lowValue, i);
            i = arith::SelectOp::create(b, nestedLoc, above, highValue, i);
            coords.push_back(i);
          }
          return tensor::ExtractOp::create(b, nestedLoc, input, coords);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct ExpandLowering : OpConversionPattern<ExpandOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ExpandOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    Value input = adaptor.getInput();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t offset = type.getRank() - inputType.getRank();
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d) &&
          (d < offset || inputType.getDimSize(d - offset) == 1))
        return unsupported(rewriter, op,
                           "a dynamic result dimension that the input does "
                           "not have; the broadcast sizes must be static");
    rewriter.replaceOp(
        op, buildElementwise(rewriter, op.getLoc(), type, ValueRange{input},
                             [](OpBuilder &, Location, ValueRange args) {
                               return args[0];
                             }));
    return success();
  }
};

} // namespace

void lowering::populateDataMovementPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<ReshapeLikeLowering<ReshapeOp>, ReshapeLikeLowering<FlattenOp>,
               ReshapeLikeLowering<SqueezeOp>, ReshapeLikeLowering<UnsqueezeOp>,
               TransposeLowering, ConcatLowering, SliceLowering, SplitLowering,
               GatherLowering, PadLowering, ExpandLowering>(context);
}
