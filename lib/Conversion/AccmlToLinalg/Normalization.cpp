//===- Normalization.cpp - Lower accml normalisations to linalg -----------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// batch_norm folds its four parameter vectors into a per-channel scale and
// shift (one small generic) applied in one elementwise generic. layer_norm,
// softmax and log_softmax are reductions over the trailing (layer_norm) or
// one (softmax) dimension followed by an elementwise generic that reads the
// reduced statistics through a projecting indexing map; the max is
// subtracted before exponentiating.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace accml;
using namespace accml::lowering;

namespace {

/// The map from a rank-`rank` iteration space to the dimensions not in
/// `reduced` (how the reduced statistics are read back).
AffineMap getKeptMap(MLIRContext *context, int64_t rank,
                     ArrayRef<int64_t> reduced) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(reduced, d))
      exprs.push_back(getAffineDimExpr(d, context));
  return AffineMap::get(rank, 0, exprs, context);
}

struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    MLIRContext *context = rewriter.getContext();
    double epsilon = op.getEpsilon().convertToDouble();
    // Per channel: a = scale / sqrt(var + eps), b = bias - mean * a.
    auto vectorType = cast<RankedTensorType>(adaptor.getScale().getType());
    auto coefficientsType =
        RankedTensorType::get(vectorType.getShape(), elementType);
    Value scaleInit =
        createEmptyLike(rewriter, loc, coefficientsType, adaptor.getScale());
    Value shiftInit =
        createEmptyLike(rewriter, loc, coefficientsType, adaptor.getScale());
    AffineMap id1 = rewriter.getMultiDimIdentityMap(1);
    auto coefficients = linalg::GenericOp::create(
        rewriter, loc, TypeRange{coefficientsType, coefficientsType},
        ValueRange{adaptor.getScale(), adaptor.getBias(), adaptor.getMean(),
                   adaptor.getVariance()},
        ValueRange{scaleInit, shiftInit},
        ArrayRef<AffineMap>{id1, id1, id1, id1, id1, id1},
        ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          Value eps = createScalar(b, nestedLoc, elementType, epsilon);
          Value inverse = math::RsqrtOp::create(
              b, nestedLoc, arith::AddFOp::create(b, nestedLoc, args[3], eps));
          Value a = arith::MulFOp::create(b, nestedLoc, args[0], inverse);
          Value shift = arith::SubFOp::create(
              b, nestedLoc, args[1],
              arith::MulFOp::create(b, nestedLoc, args[2], a));
          linalg::YieldOp::create(b, nestedLoc, ValueRange{a, shift});
        });
    int64_t rank = type.getRank();
    AffineMap channel =
        AffineMap::get(rank, 0, {getAffineDimExpr(1, context)}, context);
    Value result = buildParallelGeneric(
        rewriter, loc, createEmptyLike(rewriter, loc, op.getType(), input),
        ValueRange{input, coefficients.getResult(0), coefficients.getResult(1)},
        {rewriter.getMultiDimIdentityMap(rank), channel, channel},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          return arith::AddFOp::create(
              b, nestedLoc,
              arith::MulFOp::create(b, nestedLoc, args[0], args[1]), args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    MLIRContext *context = rewriter.getContext();
    int64_t rank = type.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    SmallVector<int64_t> dims;
    for (int64_t d = axis; d < rank; ++d)
      dims.push_back(d);
    Value zero = createScalar(rewriter, loc, elementType, 0.0);
    Value count = createElementCount(rewriter, loc, input, dims, elementType);

    // f32 and f64: shifted single-pass statistics. With k a sample of each
    // normalised slice, s1 = sum(x - k) and s2 = sum((x - k)^2) read each
    // row once together (accml-vectorize fuses the two passes), where the
    // mean and then sum((x - mean)^2) took two passes. s2's rounding error
    // grows with (k - mean)^2 / var, so k is the median of three elements
    // (the first, the middle and the last: one outlier among them, such as
    // a transformer's massive-activation channel, is never chosen) rather
    // than any single one. Narrower types (f16, bf16 accumulate in their
    // own type) keep the two passes: k = the mean, no s1; so do normalised
    // dimensions of dynamic size (one of 0 would have no element to sample,
    // and such rows are not vectorised anyway).
    bool shifted =
        (elementType.isF32() || elementType.isF64()) &&
        llvm::none_of(dims, [&](int64_t d) { return type.isDynamicDim(d); });
    auto statType = RankedTensorType::get(
        ArrayRef(type.getShape()).take_front(axis), elementType);
    auto outerSize = [&](int64_t d) {
      return getDimSize(rewriter, loc, input, d);
    };
    Value shift;
    if (!shifted) {
      Value sum =
          buildReduction(rewriter, loc, input, dims, zero,
                         [](OpBuilder &b, Location nestedLoc, ValueRange args) {
                           return createAdd(b, nestedLoc, args[0], args[1]);
                         });
      shift = buildElementwise(
          rewriter, loc, statType, ValueRange{sum},
          [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
            return arith::DivFOp::create(b, nestedLoc, args[0], count);
          });
    } else if (llvm::any_of(
                   dims, [&](int64_t d) { return type.getDimSize(d) == 0; })) {
      // (Nothing to normalise: no element to shift by.)
      shift = createFilled(rewriter, loc, statType, zero, outerSize);
    } else {
      // The slices of the first, middle and last elements (`offset` of
      // each normalised dimension's static, non-zero size).
      auto sample = [&](function_ref<int64_t(int64_t)> offset) {
        SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
        SmallVector<OpFoldResult> sizes(rank, rewriter.getIndexAttr(1));
        SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
        for (int64_t d = 0; d < rank; ++d) {
          if (d < axis)
            sizes[d] = tensor::getMixedSize(rewriter, loc, input, d);
          else
            offsets[d] = rewriter.getIndexAttr(offset(type.getDimSize(d)));
        }
        return tensor::ExtractSliceOp::create(rewriter, loc, statType, input,
                                              offsets, sizes, strides)
            .getResult();
      };
      Value first = sample([](int64_t) { return int64_t(0); });
      Value middle = sample([](int64_t size) { return size / 2; });
      Value last = sample([](int64_t size) { return size - 1; });
      // median(a, b, c) = max(min(a, b), min(max(a, b), c)) (NaN-
      // propagating: a NaN among them makes the slice's result NaN, as
      // the NaN itself does).
      shift = buildElementwise(
          rewriter, loc, statType, ValueRange{first, middle, last},
          [](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
            Value low =
                arith::MinimumFOp::create(b, nestedLoc, args[0], args[1]);
            Value high =
                arith::MaximumFOp::create(b, nestedLoc, args[0], args[1]);
            return arith::MaximumFOp::create(
                b, nestedLoc, low,
                arith::MinimumFOp::create(b, nestedLoc, high, args[2]));
          });
    }
    AffineMap kept = getKeptMap(context, rank, dims);
    SmallVector<utils::IteratorType> iterators;
    for (int64_t d = 0; d < rank; ++d)
      iterators.push_back(d < axis ? utils::IteratorType::parallel
                                   : utils::IteratorType::reduction);
    auto shiftedSum = [&](bool squared) {
      Value init = createFilled(rewriter, loc, statType, zero, outerSize);
      return linalg::GenericOp::create(
                 rewriter, loc, TypeRange{statType}, ValueRange{input, shift},
                 ValueRange{init},
                 ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank),
                                     kept, kept},
                 iterators,
                 [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
                   Value centered =
                       arith::SubFOp::create(b, nestedLoc, args[0], args[1]);
                   // The square and its accumulation may contract into one
                   // FMA.
                   if (squared)
                     centered =
                         arith::MulFOp::create(b, nestedLoc, centered, centered,
                                               arith::FastMathFlags::contract);
                   linalg::YieldOp::create(
                       b, nestedLoc,
                       ValueRange{arith::AddFOp::create(
                           b, nestedLoc, args[2], centered,
                           arith::FastMathFlags::contract)});
                 })
          .getResult(0);
    };
    // The statistics the normalising pass reads: k, s1 (shifted only), s2.
    SmallVector<Value> inputs = {input, shift};
    if (shifted)
      inputs.push_back(shiftedSum(/*squared=*/false));
    inputs.push_back(shiftedSum(/*squared=*/true));
    unsigned statistics = inputs.size();
    // mean = k + s1 / n; var = max(s2 / n - (s1 / n)^2, 0) (rounding may
    // leave it slightly negative; maximumf keeps a NaN); two passes: mean
    // = k, var = s2 / n. y = (x - mean) * rsqrt(var + eps) * scale + bias.
    double epsilon = op.getEpsilon().convertToDouble();
    inputs.push_back(adaptor.getScale());
    SmallVector<AffineMap> maps(statistics, kept);
    maps.front() = rewriter.getMultiDimIdentityMap(rank);
    maps.push_back(getBroadcastMap(
        context,
        cast<RankedTensorType>(adaptor.getScale().getType()).getShape(),
        type.getShape()));
    if (Value bias = adaptor.getBias()) {
      inputs.push_back(bias);
      maps.push_back(getBroadcastMap(
          context, cast<RankedTensorType>(bias.getType()).getShape(),
          type.getShape()));
    }
    Value result = buildParallelGeneric(
        rewriter, loc, createEmptyLike(rewriter, loc, op.getType(), input),
        inputs, maps,
        [&](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          Value mean = args[1];
          Value variance =
              arith::DivFOp::create(b, nestedLoc, args[statistics - 1], count);
          if (shifted) {
            Value offset = arith::DivFOp::create(b, nestedLoc, args[2], count);
            mean = arith::AddFOp::create(b, nestedLoc, mean, offset);
            variance = arith::MaximumFOp::create(
                b, nestedLoc,
                arith::SubFOp::create(
                    b, nestedLoc, variance,
                    arith::MulFOp::create(b, nestedLoc, offset, offset)),
                createScalar(b, nestedLoc, elementType, 0.0));
          }
          Value inverse = math::RsqrtOp::create(
              b, nestedLoc,
              arith::AddFOp::create(
                  b, nestedLoc, variance,
                  createScalar(b, nestedLoc, elementType, epsilon)));
          Value centered = arith::SubFOp::create(b, nestedLoc, args[0], mean);
          Value normalized =
              arith::MulFOp::create(b, nestedLoc, centered, inverse);
          // (scale and bias in one FMA where there is a bias.)
          Value scaled =
              arith::MulFOp::create(b, nestedLoc, normalized, args[statistics],
                                    arith::FastMathFlags::contract);
          if (args.size() > statistics + 1)
            scaled = arith::AddFOp::create(b, nestedLoc, scaled,
                                           args[statistics + 1],
                                           arith::FastMathFlags::contract);
          return scaled;
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// softmax and log_softmax along one axis.
template <typename OpTy, bool isLog>
struct SoftmaxLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    MLIRContext *context = rewriter.getContext();
    int64_t rank = type.getRank();
    int64_t axis = normalizeAxis(static_cast<int64_t>(op.getAxis()), rank);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap kept = getKeptMap(context, rank, {axis});

    // The row maximum ignores NaN (maxnumf, which a reduction computes in
    // one vmaxps per vector, see accml-lower-vectors): a NaN in a row makes
    // the row's sum of exponentials NaN, so the whole row is NaN either way.
    Value max = buildReduction(
        rewriter, loc, input, {axis}, createLowest(rewriter, loc, elementType),
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          if (isa<FloatType>(args[0].getType()))
            return arith::MaxNumFOp::create(b, nestedLoc, args[0], args[1]);
          return createMax(b, nestedLoc, args[0], args[1]);
        });
    auto statType = cast<RankedTensorType>(max.getType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    if (!isLog) {
      // softmax: e = exp(x - max) once, its sum, then e / sum computed in
      // place (the division's destination is e), so that exp runs once per
      // element and e needs no buffer of its own.
      Value exps = buildParallelGeneric(
          rewriter, loc, createEmptyLike(rewriter, loc, op.getType(), input),
          ValueRange{input, max}, {identity, kept},
          [](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
            return math::ExpOp::create(
                b, nestedLoc,
                arith::SubFOp::create(b, nestedLoc, args[0], args[1]));
          });
      Value sumInit = createFilled(
          rewriter, loc, statType,
          createScalar(rewriter, loc, elementType, 0.0),
          [&](int64_t d) { return getDimSize(rewriter, loc, max, d); });
      Value sum =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{statType}, ValueRange{exps},
              ValueRange{sumInit}, ArrayRef<AffineMap>{identity, kept},
              iterators,
              [](OpBuilder &b, Location nestedLoc, ValueRange args) {
                linalg::YieldOp::create(b, nestedLoc,
                                        ValueRange{arith::AddFOp::create(
                                            b, nestedLoc, args[1], args[0])});
              })
              .getResult(0);
      // The exponentials are an input too, so that the body does not read
      // the destination: elementwise fusion may then fuse the division into
      // a consumer with more loops (fused, a body that reads its
      // destination would divide again on every iteration of those loops).
      Value result =
          linalg::GenericOp::create(
              rewriter, loc, TypeRange{exps.getType()}, ValueRange{exps, sum},
              ValueRange{exps}, ArrayRef<AffineMap>{identity, kept, identity},
              SmallVector<utils::IteratorType>(rank,
                                               utils::IteratorType::parallel),
              [](OpBuilder &b, Location nestedLoc, ValueRange args) {
                linalg::YieldOp::create(b, nestedLoc,
                                        ValueRange{arith::DivFOp::create(
                                            b, nestedLoc, args[0], args[1])});
              })
              .getResult(0);
      rewriter.replaceOp(op, result);
      return success();
    }
    // log_softmax: sum(exp(x - max)) in one reduction generic.
    Value sumInit = createFilled(
        rewriter, loc, statType, createScalar(rewriter, loc, elementType, 0.0),
        [&](int64_t d) { return getDimSize(rewriter, loc, max, d); });
    Value sum = linalg::GenericOp::create(
                    rewriter, loc, TypeRange{statType}, ValueRange{input, max},
                    ValueRange{sumInit},
                    ArrayRef<AffineMap>{identity, kept, kept}, iterators,
                    [](OpBuilder &b, Location nestedLoc, ValueRange args) {
                      Value shifted =
                          arith::SubFOp::create(b, nestedLoc, args[0], args[1]);
                      Value exp = math::ExpOp::create(b, nestedLoc, shifted);
                      linalg::YieldOp::create(b, nestedLoc,
                                              ValueRange{arith::AddFOp::create(
                                                  b, nestedLoc, args[2], exp)});
                    })
                    .getResult(0);
    Value result = buildParallelGeneric(
        rewriter, loc, createEmptyLike(rewriter, loc, op.getType(), input),
        ValueRange{input, max, sum}, {identity, kept, kept},
        [](OpBuilder &b, Location nestedLoc, ValueRange args) -> Value {
          Value shifted = arith::SubFOp::create(b, nestedLoc, args[0], args[1]);
          if (isLog)
            return arith::SubFOp::create(
                b, nestedLoc, shifted,
                math::LogOp::create(b, nestedLoc, args[2]));
          return arith::DivFOp::create(
              b, nestedLoc, math::ExpOp::create(b, nestedLoc, shifted),
              args[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void lowering::populateNormalizationPatterns(RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering, LayerNormLowering,
               SoftmaxLowering<SoftmaxOp, false>,
               SoftmaxLowering<LogSoftmaxOp, true>>(patterns.getContext());
}
