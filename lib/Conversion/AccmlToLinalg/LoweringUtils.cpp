//===- LoweringUtils.cpp - Helpers of the accml to linalg lowering --------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"

#include <limits>

using namespace mlir;
using namespace accml;
using namespace accml::lowering;

LogicalResult lowering::unsupported(ConversionPatternRewriter &rewriter,
                                    Operation *op, const Twine &reason) {
  op->emitOpError("cannot be lowered to linalg: ") << reason;
  return rewriter.notifyMatchFailure(op, reason);
}

Value lowering::getDimSize(OpBuilder &b, Location loc, Value value,
                           int64_t dim) {
  auto type = cast<RankedTensorType>(value.getType());
  if (!type.isDynamicDim(dim))
    return arith::ConstantIndexOp::create(b, loc, type.getDimSize(dim));
  return tensor::DimOp::create(b, loc, value, dim);
}

Value lowering::createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                            llvm::function_ref<Value(int64_t)> dynamicSize) {
  SmallVector<Value> sizes;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      sizes.push_back(dynamicSize(i));
  return tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType(),
                                 sizes);
}

Value lowering::createEmptyLike(OpBuilder &b, Location loc,
                                RankedTensorType type, Value like) {
  return createEmpty(b, loc, type,
                     [&](int64_t i) { return getDimSize(b, loc, like, i); });
}

Value lowering::createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                             Value value,
                             llvm::function_ref<Value(int64_t)> dynamicSize) {
  Value empty = createEmpty(b, loc, type, dynamicSize);
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value lowering::createPad(OpBuilder &b, Location loc, RankedTensorType type,
                          Value input, ArrayRef<int64_t> low,
                          ArrayRef<int64_t> high, Value fill) {
  return tensor::PadOp::create(
      b, loc, type, input, getAsIndexOpFoldResult(b.getContext(), low),
      getAsIndexOpFoldResult(b.getContext(), high), fill);
}

Value lowering::createScalar(OpBuilder &b, Location loc, Type type,
                             double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value lowering::createLowest(OpBuilder &b, Location loc, Type type) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(),
                                                  /*Negative=*/true)));
  unsigned width = type.getIntOrFloatBitWidth();
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, APInt::getSignedMinValue(width)));
}

Value lowering::createHighest(OpBuilder &b, Location loc, Type type) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType, APFloat::getInf(floatType.getFloatSemantics(),
                                                  /*Negative=*/false)));
  unsigned width = type.getIntOrFloatBitWidth();
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, APInt::getSignedMaxValue(width)));
}

AffineMap lowering::getBroadcastMap(MLIRContext *context,
                                    ArrayRef<int64_t> shape,
                                    ArrayRef<int64_t> resultShape) {
  int64_t rank = static_cast<int64_t>(resultShape.size());
  int64_t offset = rank - static_cast<int64_t>(shape.size());
  SmallVector<AffineExpr> exprs;
  for (auto [i, size] : llvm::enumerate(shape)) {
    int64_t resultSize = resultShape[offset + i];
    if (size == 1 && resultSize != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(offset + i, context));
  }
  return AffineMap::get(rank, 0, exprs, context);
}

Value lowering::buildParallelGeneric(OpBuilder &b, Location loc, Value init,
                                     ValueRange inputs,
                                     ArrayRef<AffineMap> maps,
                                     BodyBuilder body) {
  auto type = cast<RankedTensorType>(init.getType());
  int64_t rank = type.getRank();
  SmallVector<AffineMap> allMaps(maps);
  allMaps.push_back(b.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, inputs, ValueRange{init}, allMaps,
             iterators,
             [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               Value result = body ? body(nested, nestedLoc, args.drop_back())
                                   : args.front();
               linalg::YieldOp::create(nested, nestedLoc, result);
             })
      .getResult(0);
}

Value lowering::buildElementwise(OpBuilder &b, Location loc,
                                 RankedTensorType resultType, ValueRange inputs,
                                 BodyBuilder body) {
  MLIRContext *context = b.getContext();
  ArrayRef<int64_t> resultShape = resultType.getShape();
  int64_t rank = resultType.getRank();
  // A dynamic result dimension takes its size from an input that has it
  // (after alignment) and does not broadcast it.
  Value init = createEmpty(b, loc, resultType, [&](int64_t dim) -> Value {
    for (Value input : inputs) {
      auto type = cast<RankedTensorType>(input.getType());
      int64_t d = dim - (rank - type.getRank());
      if (d >= 0 && type.getDimSize(d) != 1)
        return getDimSize(b, loc, input, d);
    }
    return arith::ConstantIndexOp::create(b, loc, 1);
  });
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(getBroadcastMap(
        context, cast<RankedTensorType>(input.getType()).getShape(),
        resultShape));
  return buildParallelGeneric(b, loc, init, inputs, maps, body);
}

Value lowering::buildReduction(OpBuilder &b, Location loc, Value input,
                               ArrayRef<int64_t> dims, Value init,
                               BodyBuilder combine, bool collapseTrailing) {
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  SmallVector<int64_t> keptDims;
  for (int64_t i = 0; i < inputType.getRank(); ++i) {
    if (llvm::is_contained(dims, i))
      continue;
    shape.push_back(inputType.getDimSize(i));
    keptDims.push_back(i);
  }
  auto resultType = RankedTensorType::get(shape, inputType.getElementType());
  Value filled = createFilled(b, loc, resultType, init, [&](int64_t i) {
    return getDimSize(b, loc, input, keptDims[i]);
  });
  SmallVector<int64_t> sortedDims(dims);
  llvm::sort(sortedDims);
  int64_t rank = inputType.getRank();
  int64_t trailing = static_cast<int64_t>(sortedDims.size());
  if (collapseTrailing && trailing >= 2 && trailing < rank &&
      sortedDims.front() == rank - trailing && sortedDims.back() == rank - 1 &&
      llvm::all_of(sortedDims,
                   [&](int64_t d) { return !inputType.isDynamicDim(d); })) {
    SmallVector<ReassociationIndices> groups;
    SmallVector<int64_t> collapsedShape;
    for (int64_t d = 0; d < rank - trailing; ++d) {
      groups.push_back({d});
      collapsedShape.push_back(inputType.getDimSize(d));
    }
    int64_t size = 1;
    ReassociationIndices last;
    for (int64_t d = rank - trailing; d < rank; ++d) {
      last.push_back(d);
      size *= inputType.getDimSize(d);
    }
    groups.push_back(last);
    collapsedShape.push_back(size);
    input = tensor::CollapseShapeOp::create(
        b, loc,
        RankedTensorType::get(collapsedShape, inputType.getElementType()),
        input, groups);
    sortedDims = {rank - trailing};
  }
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{input}, ValueRange{filled}, sortedDims,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = combine(nested, nestedLoc, args);
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return reduce.getResult(0);
}

Value lowering::reshapeTo(OpBuilder &b, Location loc, Value value,
                          RankedTensorType type) {
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType == type)
    return value;
  if (sourceType.getRank() == type.getRank() &&
      succeeded(verifyCompatibleShape(sourceType, type)))
    return tensor::CastOp::create(b, loc, type, value);
  // To and from rank 0 (all sizes 1): empty reassociations.
  if (type.getRank() == 0 && sourceType.hasStaticShape())
    return tensor::CollapseShapeOp::create(b, loc, type, value,
                                           ArrayRef<ReassociationIndices>{});
  if (sourceType.getRank() == 0 && type.hasStaticShape()) {
    SmallVector<OpFoldResult> ones(type.getRank(), b.getIndexAttr(1));
    return tensor::ExpandShapeOp::create(
        b, loc, type, value, ArrayRef<ReassociationIndices>{}, ones);
  }
  if (std::optional<SmallVector<ReassociationIndices>> reassociation =
          getReassociationIndicesForReshape(sourceType, type)) {
    if (sourceType.getRank() > type.getRank())
      return tensor::CollapseShapeOp::create(b, loc, type, value,
                                             *reassociation);
    if (sourceType.getRank() < type.getRank()) {
      // The output shape of an expansion: static sizes, and for a dynamic
      // result dimension the size of the source dimension it comes from
      // (each group has at most one dynamic dimension here).
      SmallVector<OpFoldResult> outputShape;
      for (auto [sourceDim, group] : llvm::enumerate(*reassociation)) {
        for (int64_t dim : group) {
          if (!type.isDynamicDim(dim)) {
            outputShape.push_back(b.getIndexAttr(type.getDimSize(dim)));
            continue;
          }
          OpFoldResult mixed = tensor::getMixedSize(b, loc, value, sourceDim);
          Value size = getValueOrCreateConstantIndexOp(b, loc, mixed);
          int64_t staticProduct = 1;
          for (int64_t other : group)
            if (other != dim)
              staticProduct *= type.getDimSize(other);
          if (staticProduct != 1)
            size = arith::DivUIOp::create(
                b, loc, size,
                arith::ConstantIndexOp::create(b, loc, staticProduct));
          outputShape.push_back(size);
        }
      }
      return tensor::ExpandShapeOp::create(b, loc, type, value, *reassociation,
                                           outputShape);
    }
  }
  // General case: flatten and reshape with a shape tensor. A dynamic result
  // dimension gets the element count divided by the static sizes.
  Value count = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t i = 0; i < sourceType.getRank(); ++i)
    count = arith::MulIOp::create(b, loc, count, getDimSize(b, loc, value, i));
  int64_t staticProduct = 1;
  for (int64_t size : type.getShape())
    if (!ShapedType::isDynamic(size))
      staticProduct *= size;
  SmallVector<Value> sizes;
  for (int64_t size : type.getShape()) {
    Value dim = ShapedType::isDynamic(size)
                    ? arith::DivUIOp::create(
                          b, loc, count,
                          arith::ConstantIndexOp::create(b, loc, staticProduct))
                          .getResult()
                    : arith::ConstantIndexOp::create(b, loc, size).getResult();
    sizes.push_back(
        arith::IndexCastOp::create(b, loc, b.getI64Type(), dim).getResult());
  }
  Value shape = tensor::FromElementsOp::create(b, loc, sizes);
  return tensor::ReshapeOp::create(b, loc, type, value, shape);
}

Value lowering::expandKeptDims(OpBuilder &b, Location loc, Value value,
                               RankedTensorType type, ArrayRef<int64_t> dims) {
  if (value.getType() == type)
    return value;
  // Group each kept dimension with the reduced (size-1) dimensions around it.
  SmallVector<ReassociationIndices> reassociation;
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType.getRank() == 0) {
    SmallVector<OpFoldResult> ones(type.getRank(), b.getIndexAttr(1));
    return tensor::ExpandShapeOp::create(
        b, loc, type, value, ArrayRef<ReassociationIndices>{}, ones);
  }
  ReassociationIndices current;
  int64_t kept = 0;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    current.push_back(i);
    if (!llvm::is_contained(dims, i)) {
      ++kept;
      if (kept < sourceType.getRank()) {
        reassociation.push_back(current);
        current.clear();
      }
    }
  }
  reassociation.push_back(current);
  SmallVector<OpFoldResult> outputShape;
  int64_t sourceDim = 0;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    if (llvm::is_contained(dims, i)) {
      outputShape.push_back(b.getIndexAttr(1));
      continue;
    }
    if (type.isDynamicDim(i))
      outputShape.push_back(tensor::getMixedSize(b, loc, value, sourceDim));
    else
      outputShape.push_back(b.getIndexAttr(type.getDimSize(i)));
    ++sourceDim;
  }
  return tensor::ExpandShapeOp::create(b, loc, type, value, reassociation,
                                       outputShape);
}

Value lowering::createAdd(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return arith::AddIOp::create(b, loc, lhs, rhs);
}

Value lowering::createSub(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::SubFOp::create(b, loc, lhs, rhs);
  return arith::SubIOp::create(b, loc, lhs, rhs);
}

Value lowering::createMul(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MulFOp::create(b, loc, lhs, rhs);
  return arith::MulIOp::create(b, loc, lhs, rhs);
}

Value lowering::createDiv(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::DivFOp::create(b, loc, lhs, rhs);
  return arith::DivSIOp::create(b, loc, lhs, rhs);
}

Value lowering::createMax(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MaximumFOp::create(b, loc, lhs, rhs);
  return arith::MaxSIOp::create(b, loc, lhs, rhs);
}

Value lowering::createMin(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  if (isa<FloatType>(lhs.getType()))
    return arith::MinimumFOp::create(b, loc, lhs, rhs);
  return arith::MinSIOp::create(b, loc, lhs, rhs);
}

Value lowering::createCast(OpBuilder &b, Location loc, Value value, Type to) {
  Type from = value.getType();
  if (from == to)
    return value;
  auto fromFloat = dyn_cast<FloatType>(from);
  auto toFloat = dyn_cast<FloatType>(to);
  if (to.isInteger(1)) {
    // Non-zero is true.
    Value zero = createScalar(b, loc, from, 0.0);
    if (fromFloat)
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value, zero);
  }
  bool fromBool = from.isInteger(1);
  if (fromFloat && toFloat) {
    if (fromFloat.getWidth() < toFloat.getWidth())
      return arith::ExtFOp::create(b, loc, to, value);
    if (fromFloat.getWidth() > toFloat.getWidth())
      return arith::TruncFOp::create(b, loc, to, value);
    // f16 <-> bf16: through f32.
    Value wide = arith::ExtFOp::create(b, loc, b.getF32Type(), value);
    return arith::TruncFOp::create(b, loc, to, wide);
  }
  if (fromFloat)
    return arith::FPToSIOp::create(b, loc, to, value);
  if (toFloat)
    return fromBool ? arith::UIToFPOp::create(b, loc, to, value).getResult()
                    : arith::SIToFPOp::create(b, loc, to, value).getResult();
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (fromWidth < toWidth)
    return fromBool ? arith::ExtUIOp::create(b, loc, to, value).getResult()
                    : arith::ExtSIOp::create(b, loc, to, value).getResult();
  return arith::TruncIOp::create(b, loc, to, value);
}

Type lowering::getAccumulatorType(Type elementType) {
  if (elementType.isF16() || elementType.isBF16())
    return Float32Type::get(elementType.getContext());
  return elementType;
}

Value lowering::castElements(OpBuilder &b, Location loc, Value value,
                             Type elementType) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getElementType() == elementType)
    return value;
  auto resultType = RankedTensorType::get(type.getShape(), elementType);
  return buildElementwise(
      b, loc, resultType, ValueRange{value},
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        return createCast(nested, nestedLoc, args[0], elementType);
      });
}

Value lowering::createElementCount(OpBuilder &b, Location loc, Value value,
                                   ArrayRef<int64_t> dims, Type type) {
  Value count = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t d : dims)
    count = arith::MulIOp::create(b, loc, count, getDimSize(b, loc, value, d));
  Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
  return createCast(b, loc, asInt, type);
}
