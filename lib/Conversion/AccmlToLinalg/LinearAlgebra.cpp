//===- LinearAlgebra.cpp - Lower accml matmul and gemm to linalg ----------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml.matmul follows numpy: vectors are promoted to matrices, batch
// dimensions broadcast. It becomes linalg.matmul when the right operand is a
// matrix (the left operand's batch dimensions fold into its rows) and
// linalg.batch_matmul otherwise (operands broadcast to a common batch that
// is collapsed into one dimension). accml.gemm is transposes, a matmul and
// one elementwise epilogue for alpha, beta and the bias.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include "mlir/Dialect/Traits.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace accml;
using namespace accml::lowering;

namespace {

/// The reassociation that groups the leading `count` of `rank` dimensions.
SmallVector<ReassociationIndices> leadingReassociation(int64_t count,
                                                       int64_t rank) {
  SmallVector<ReassociationIndices> reassociation(1);
  for (int64_t i = 0; i < count; ++i)
    reassociation.front().push_back(i);
  for (int64_t i = count; i < rank; ++i)
    reassociation.push_back({i});
  return reassociation;
}

/// Collapses the leading `count` dimensions of `value` into one.
Value collapseLeading(OpBuilder &b, Location loc, Value value, int64_t count) {
  if (count == 1)
    return value;
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  return tensor::CollapseShapeOp::create(b, loc, value,
                                         leadingReassociation(count, rank));
}

/// Expands the leading dimension of `value` into `count` dimensions, giving
/// `type`; `sizes` holds every result size as a value.
Value expandLeading(OpBuilder &b, Location loc, Value value,
                    RankedTensorType type, int64_t count,
                    ArrayRef<Value> sizes) {
  if (count == 1)
    return value;
  SmallVector<OpFoldResult> outputShape;
  for (int64_t i = 0; i < type.getRank(); ++i)
    outputShape.push_back(getAsOpFoldResult(sizes[i]));
  return tensor::ExpandShapeOp::create(
      b, loc, type, value, leadingReassociation(count, type.getRank()),
      outputShape);
}

/// Gives `value` the type `type` (compatible shape): a cast or a reshape.
Value castOrReshape(OpBuilder &b, Location loc, Value value,
                    RankedTensorType type) {
  auto sourceType = cast<RankedTensorType>(value.getType());
  if (sourceType == type)
    return value;
  if (sourceType.getRank() == type.getRank())
    return tensor::CastOp::create(b, loc, type, value);
  return reshapeTo(b, loc, value, type);
}

/// Broadcasts `operand` (rank >= 2) to batch shape `batch` followed by its
/// own two matrix dimensions; `batchSizes` holds the batch sizes as values.
Value broadcastBatch(OpBuilder &b, Location loc, Value operand,
                     ArrayRef<int64_t> batch, ArrayRef<Value> batchSizes) {
  auto type = cast<RankedTensorType>(operand.getType());
  SmallVector<int64_t> shape(batch);
  shape.push_back(type.getDimSize(type.getRank() - 2));
  shape.push_back(type.getDimSize(type.getRank() - 1));
  auto targetType = RankedTensorType::get(shape, type.getElementType());
  if (targetType == type)
    return operand;
  int64_t rank = targetType.getRank();
  Value init = createEmpty(b, loc, targetType, [&](int64_t dim) -> Value {
    if (dim < static_cast<int64_t>(batch.size()))
      return batchSizes[dim];
    return getDimSize(b, loc, operand, type.getRank() - (rank - dim));
  });
  return buildParallelGeneric(
      b, loc, init, operand,
      getBroadcastMap(b.getContext(), type.getShape(), shape));
}

/// Promotes a vector to a matrix by inserting a unit dimension at `pos`.
Value promoteVector(OpBuilder &b, Location loc, Value vector, int64_t pos) {
  auto type = cast<RankedTensorType>(vector.getType());
  SmallVector<int64_t> shape = {type.getDimSize(0)};
  shape.insert(shape.begin() + pos, 1);
  auto matrixType = RankedTensorType::get(shape, type.getElementType());
  SmallVector<OpFoldResult> outputShape = {b.getIndexAttr(1),
                                           b.getIndexAttr(1)};
  outputShape[1 - pos] = tensor::getMixedSize(b, loc, vector, 0);
  return tensor::ExpandShapeOp::create(
      b, loc, matrixType, vector, {ReassociationIndices{0, 1}}, outputShape);
}

/// a @ b for matrices or stacks of matrices (rank >= 2 each), numpy rules.
Value buildMatMul(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  // f16 and bf16 products accumulate in f32 and are rounded once at the
  // end.
  Type sourceType = lhsType.getElementType();
  Type elementType = getAccumulatorType(sourceType);
  Value zero = createScalar(b, loc, elementType, 0.0);
  int64_t lhsRank = lhsType.getRank(), rhsRank = rhsType.getRank();
  ArrayRef<int64_t> lhsBatch = lhsType.getShape().drop_back(2);
  ArrayRef<int64_t> rhsBatch = rhsType.getShape().drop_back(2);
  int64_t m = lhsType.getDimSize(lhsRank - 2);
  int64_t n = rhsType.getDimSize(rhsRank - 1);
  Value mSize = getDimSize(b, loc, lhs, lhsRank - 2);
  Value nSize = getDimSize(b, loc, rhs, rhsRank - 1);

  if (rhsRank == 2) {
    // Fold the batch dimensions of lhs into its rows: one linalg.matmul.
    int64_t batchCount = lhsRank - 2;
    Value rows = collapseLeading(b, loc, lhs, batchCount + 1);
    auto rowsType = cast<RankedTensorType>(rows.getType());
    auto productType =
        RankedTensorType::get({rowsType.getDimSize(0), n}, elementType);
    Value init = createFilled(b, loc, productType, zero, [&](int64_t dim) {
      return dim == 0 ? getDimSize(b, loc, rows, 0) : nSize;
    });
    Value product =
        linalg::MatmulOp::create(b, loc, TypeRange{productType},
                                 ValueRange{rows, rhs}, ValueRange{init})
            .getResult(0);
    SmallVector<int64_t> shape(lhsBatch);
    shape.push_back(m);
    shape.push_back(n);
    auto resultType = RankedTensorType::get(shape, elementType);
    SmallVector<Value> sizes;
    for (int64_t i = 0; i < batchCount + 1; ++i)
      sizes.push_back(getDimSize(b, loc, lhs, i));
    sizes.push_back(nSize);
    return castElements(
        b, loc,
        expandLeading(b, loc, product, resultType, batchCount + 1, sizes),
        sourceType);
  }

  // Broadcast both operands to a common batch, collapse it to one
  // dimension and use linalg.batch_matmul.
  SmallVector<int64_t> batch;
  (void)OpTrait::util::getBroadcastedShape(lhsBatch, rhsBatch, batch);
  int64_t batchRank = static_cast<int64_t>(batch.size());
  SmallVector<Value> batchSizes;
  for (int64_t i = 0; i < batchRank; ++i) {
    int64_t l = i - (batchRank - static_cast<int64_t>(lhsBatch.size()));
    int64_t r = i - (batchRank - static_cast<int64_t>(rhsBatch.size()));
    if (!ShapedType::isDynamic(batch[i]))
      batchSizes.push_back(arith::ConstantIndexOp::create(b, loc, batch[i]));
    else if (l >= 0 && lhsBatch[l] != 1)
      batchSizes.push_back(getDimSize(b, loc, lhs, l));
    else
      batchSizes.push_back(getDimSize(b, loc, rhs, r));
  }
  Value lhsFull = broadcastBatch(b, loc, lhs, batch, batchSizes);
  Value rhsFull = broadcastBatch(b, loc, rhs, batch, batchSizes);
  Value lhs3 = collapseLeading(b, loc, lhsFull, batchRank);
  Value rhs3 = collapseLeading(b, loc, rhsFull, batchRank);
  if (batchRank == 0) {
    // Cannot happen: rank >= 3 on one side gives a batch dimension.
    llvm_unreachable("batch matmul without batch dimensions");
  }
  auto lhs3Type = cast<RankedTensorType>(lhs3.getType());
  auto productType =
      RankedTensorType::get({lhs3Type.getDimSize(0), m, n}, elementType);
  Value init = createFilled(b, loc, productType, zero, [&](int64_t dim) {
    if (dim == 0)
      return getDimSize(b, loc, lhs3, 0);
    return dim == 1 ? mSize : nSize;
  });
  Value product =
      linalg::BatchMatmulOp::create(b, loc, TypeRange{productType},
                                    ValueRange{lhs3, rhs3}, ValueRange{init})
          .getResult(0);
  SmallVector<int64_t> shape(batch);
  shape.push_back(m);
  shape.push_back(n);
  auto resultType = RankedTensorType::get(shape, elementType);
  SmallVector<Value> sizes(batchSizes);
  sizes.push_back(mSize);
  sizes.push_back(nSize);
  return castElements(
      b, loc, expandLeading(b, loc, product, resultType, batchRank, sizes),
      sourceType);
}

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    bool lhsVector = cast<RankedTensorType>(lhs.getType()).getRank() == 1;
    bool rhsVector = cast<RankedTensorType>(rhs.getType()).getRank() == 1;
    if (lhsVector)
      lhs = promoteVector(rewriter, loc, lhs, 0);
    if (rhsVector)
      rhs = promoteVector(rewriter, loc, rhs, 1);
    Value product = buildMatMul(rewriter, loc, lhs, rhs);
    rewriter.replaceOp(op, castOrReshape(rewriter, loc, product, op.getType()));
    return success();
  }
};

struct GemmLowering : OpConversionPattern<GemmOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GemmOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto transpose = [&](Value matrix) -> Value {
      auto type = cast<RankedTensorType>(matrix.getType());
      auto transposedType = RankedTensorType::get(
          {type.getDimSize(1), type.getDimSize(0)}, type.getElementType());
      Value init = createEmpty(rewriter, loc, transposedType, [&](int64_t d) {
        return getDimSize(rewriter, loc, matrix, 1 - d);
      });
      return linalg::TransposeOp::create(rewriter, loc, matrix, init,
                                         ArrayRef<int64_t>{1, 0})
          .getResult()[0];
    };
    Value a = op.getTransA() ? transpose(adaptor.getA()) : adaptor.getA();
    Value b = op.getTransB() ? transpose(adaptor.getB()) : adaptor.getB();
    Value product = buildMatMul(rewriter, loc, a, b);
    auto productType = cast<RankedTensorType>(product.getType());
    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Value c = adaptor.getC();
    if (alpha != 1.0 || (c && beta != 0.0)) {
      SmallVector<Value> inputs = {product};
      if (c && beta != 0.0)
        inputs.push_back(c);
      Type elementType = productType.getElementType();
      product = buildElementwise(
          rewriter, loc, productType, inputs,
          [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
            Value result = args[0];
            if (alpha != 1.0)
              result = createMul(
                  nested, nestedLoc,
                  createScalar(nested, nestedLoc, elementType, alpha), result);
            if (args.size() > 1) {
              Value bias = args[1];
              if (beta != 1.0)
                bias = createMul(
                    nested, nestedLoc,
                    createScalar(nested, nestedLoc, elementType, beta), bias);
              result = createAdd(nested, nestedLoc, result, bias);
            }
            return result;
          });
    }
    rewriter.replaceOp(op, castOrReshape(rewriter, loc, product, op.getType()));
    return success();
  }
};

} // namespace

void lowering::populateLinearAlgebraPatterns(RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, GemmLowering>(patterns.getContext());
}
