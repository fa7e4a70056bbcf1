//===- Reduction.cpp - Lower accml reductions to linalg -------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// reduce_* become linalg.reduce (mean divides the sum by the element count)
// followed by an expand_shape for keepdims. argmax/argmin are a reduction
// generic carrying the best value and its index.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

using namespace mlir;
using namespace accml;
using namespace accml::lowering;

namespace {

enum class ReduceKind { Sum, Mean, Max, Min, Prod };

/// The reduced dimensions: `axes` normalised, or all of them when empty.
SmallVector<int64_t> getReducedDims(ArrayRef<int64_t> axes, int64_t rank) {
  SmallVector<int64_t> dims;
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      dims.push_back(d);
  for (int64_t axis : axes)
    dims.push_back(normalizeAxis(axis, rank));
  llvm::sort(dims);
  return dims;
}

template <typename OpTy, ReduceKind kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = adaptor.getInput();
    auto type = cast<RankedTensorType>(input.getType());
    Type elementType = type.getElementType();
    SmallVector<int64_t> dims = getReducedDims(op.getAxes(), type.getRank());
    Value init;
    switch (kind) {
    case ReduceKind::Sum:
    case ReduceKind::Mean:
      init = createScalar(rewriter, loc, elementType, 0.0);
      break;
    case ReduceKind::Prod:
      init = createScalar(rewriter, loc, elementType, 1.0);
      break;
    case ReduceKind::Max:
      init = createLowest(rewriter, loc, elementType);
      break;
    case ReduceKind::Min:
      init = createHighest(rewriter, loc, elementType);
      break;
    }
    Value reduced = buildReduction(
        rewriter, loc, input, dims, init,
        [](OpBuilder &b, Location nestedLoc, ValueRange args) {
          switch (kind) {
          case ReduceKind::Sum:
          case ReduceKind::Mean:
            return createAdd(b, nestedLoc, args[0], args[1]);
          case ReduceKind::Prod:
            return createMul(b, nestedLoc, args[0], args[1]);
          case ReduceKind::Max:
            return createMax(b, nestedLoc, args[0], args[1]);
          case ReduceKind::Min:
            return createMin(b, nestedLoc, args[0], args[1]);
          }
          llvm_unreachable("unknown reduction");
        },
        /*collapseTrailing=*/true);
    if (kind == ReduceKind::Mean) {
      Value countValue =
          createElementCount(rewriter, loc, input, dims, elementType);
      reduced = buildElementwise(
          rewriter, loc, cast<RankedTensorType>(reduced.getType()),
          ValueRange{reduced},
          [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
            return createDiv(b, nestedLoc, args[0], countValue);
          });
    }
    RankedTensorType resultType = op.getType();
    rewriter.replaceOp(
        op, op.getKeepdims()
                ? expandKeptDims(rewriter, loc, reduced, resultType, dims)
                : reshapeTo(rewriter, loc, reduced, resultType));
    return success();
  }
};

template <typename OpTy, bool isMax>
struct ArgReduceLowering : OpConversionPattern<OpTy> {
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
    bool last = op.getSelectLastIndex();

    SmallVector<int64_t> shape;
    SmallVector<AffineExpr> keptExprs;
    for (int64_t d = 0; d < rank; ++d) {
      if (d == axis)
        continue;
      shape.push_back(type.getDimSize(d));
      keptExprs.push_back(getAffineDimExpr(d, context));
    }
    auto valueType = RankedTensorType::get(shape, elementType);
    auto indexType = RankedTensorType::get(shape, rewriter.getI64Type());
    auto dynamicSize = [&](int64_t d) {
      return getDimSize(rewriter, loc, input, d < axis ? d : d + 1);
    };
    Value bestInit =
        createFilled(rewriter, loc, valueType,
                     isMax ? createLowest(rewriter, loc, elementType)
                           : createHighest(rewriter, loc, elementType),
                     dynamicSize);
    Value indexInit = createFilled(
        rewriter, loc, indexType,
        createScalar(rewriter, loc, rewriter.getI64Type(), 0.0), dynamicSize);
    AffineMap kept = AffineMap::get(rank, 0, keptExprs, context);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indexType}, ValueRange{input},
        ValueRange{bestInit, indexInit},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank), kept, kept},
        iterators, [&](OpBuilder &b, Location nestedLoc, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value better;
          if (isa<FloatType>(elementType)) {
            arith::CmpFPredicate predicate =
                isMax ? (last ? arith::CmpFPredicate::OGE
                              : arith::CmpFPredicate::OGT)
                      : (last ? arith::CmpFPredicate::OLE
                              : arith::CmpFPredicate::OLT);
            better = arith::CmpFOp::create(b, nestedLoc, predicate, x, best);
          } else {
            arith::CmpIPredicate predicate =
                isMax ? (last ? arith::CmpIPredicate::sge
                              : arith::CmpIPredicate::sgt)
                      : (last ? arith::CmpIPredicate::sle
                              : arith::CmpIPredicate::slt);
            better = arith::CmpIOp::create(b, nestedLoc, predicate, x, best);
          }
          Value index = arith::IndexCastOp::create(
              b, nestedLoc, b.getI64Type(),
              linalg::IndexOp::create(b, nestedLoc, axis));
          linalg::YieldOp::create(
              b, nestedLoc,
              ValueRange{arith::SelectOp::create(b, nestedLoc, better, x, best),
                         arith::SelectOp::create(b, nestedLoc, better, index,
                                                 bestIndex)});
        });
    Value indices = generic.getResult(1);
    RankedTensorType resultType = op.getType();
    rewriter.replaceOp(
        op, op.getKeepdims()
                ? expandKeptDims(rewriter, loc, indices, resultType, {axis})
                : reshapeTo(rewriter, loc, indices, resultType));
    return success();
  }
};

} // namespace

void lowering::populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<ReduceSumOp, ReduceKind::Sum>,
               ReduceLowering<ReduceMeanOp, ReduceKind::Mean>,
               ReduceLowering<ReduceMaxOp, ReduceKind::Max>,
               ReduceLowering<ReduceMinOp, ReduceKind::Min>,
               ReduceLowering<ReduceProdOp, ReduceKind::Prod>,
               ArgReduceLowering<ArgMaxOp, true>,
               ArgReduceLowering<ArgMinOp, false>>(patterns.getContext());
}
