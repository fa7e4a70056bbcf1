//===- LoweringUtils.h - Helpers of the accml to linalg lowering -*- C++
//-*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Building blocks shared by the accml-to-linalg patterns: init tensors with
// dynamic sizes, scalar constants, broadcasting elementwise generics,
// reductions and reshapes. Private to lib/Conversion/AccmlToLinalg.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_LIB_CONVERSION_ACCMLTOLINALG_LOWERINGUTILS_H
#define ACCML_LIB_CONVERSION_ACCMLTOLINALG_LOWERINGUTILS_H

#include "accml/Dialect/Accml/IR/AccmlOps.h"
#include "accml/Support/LLVM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace accml::lowering {

using BodyBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// Reports that `op` cannot be lowered: "'accml.x' op cannot be lowered to
/// linalg: <reason>" and fails the match.
LogicalResult unsupported(ConversionPatternRewriter &rewriter, Operation *op,
                          const Twine &reason);

/// The size of dimension `dim` of `value` as an index value (a constant when
/// static).
Value getDimSize(OpBuilder &b, Location loc, Value value, int64_t dim);

/// A `tensor.empty` of `type`; `dynamicSize(i)` gives the size of each
/// dynamic dimension `i`.
Value createEmpty(OpBuilder &b, Location loc, RankedTensorType type,
                  llvm::function_ref<Value(int64_t)> dynamicSize);

/// A `tensor.empty` of `type` whose dynamic dimensions are those of `like`
/// (a tensor of the same rank).
Value createEmptyLike(OpBuilder &b, Location loc, RankedTensorType type,
                      Value like);

/// A tensor of `type` filled with `value` (an empty tensor and linalg.fill).
Value createFilled(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value, llvm::function_ref<Value(int64_t)> dynamicSize);

/// tensor.pad of `input` to `type` by `low`/`high` (non-negative) with the
/// scalar `fill`.
Value createPad(OpBuilder &b, Location loc, RankedTensorType type, Value input,
                ArrayRef<int64_t> low, ArrayRef<int64_t> high, Value fill);

/// A scalar constant of `type` (float or integer) with `value`.
Value createScalar(OpBuilder &b, Location loc, Type type, double value);

/// The identity of max (lowest value) or min (highest value) for `type`:
/// -inf / +inf for floats, the extreme integers otherwise.
Value createLowest(OpBuilder &b, Location loc, Type type);
Value createHighest(OpBuilder &b, Location loc, Type type);

/// The indexing map that reads an operand of `shape` for a result of rank
/// `resultRank` with numpy broadcasting: size-1 dimensions that broadcast
/// read index 0; a dynamic operand dimension is taken to match the result.
AffineMap getBroadcastMap(MLIRContext *context, ArrayRef<int64_t> shape,
                          ArrayRef<int64_t> resultShape);

/// An all-parallel linalg.generic writing `init` (whose type is the
/// result's) with `body(scalars of inputs)`, the inputs read through `maps`
/// (the output's map is the identity). A null `body` yields the first
/// input (a copy, broadcast or permutation, depending on its map).
Value buildParallelGeneric(OpBuilder &b, Location loc, Value init,
                           ValueRange inputs, ArrayRef<AffineMap> maps,
                           BodyBuilder body = nullptr);

/// An all-parallel linalg.generic computing `body(scalars of inputs)` into a
/// new tensor of `resultType`, broadcasting `inputs` (numpy rules).
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, BodyBuilder body);

/// Reduces `input` over `dims` with `combine` starting from `init`; the
/// result drops the reduced dimensions. With `collapseTrailing`, reduced
/// dims that are the last two or more of `input` (not all of them), all
/// static, are collapsed into one first: one innermost reduction dimension, which
/// accml-tile-and-fuse tiles by rows (a global average pooling over 56 x 56
/// positions ran as scalar loops, at a quarter of the bandwidth).
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     ArrayRef<int64_t> dims, Value init, BodyBuilder combine,
                     bool collapseTrailing = false);

/// Reshapes `value` to `type`, both of which may have at most one dynamic
/// dimension in the way collapse/expand can express; falls back to
/// `tensor.reshape` with a computed shape otherwise.
Value reshapeTo(OpBuilder &b, Location loc, Value value, RankedTensorType type);

/// Re-inserts size-1 dimensions at `dims` (sorted) into `value`, giving
/// `type` (the `keepdims` form of a reduction).
Value expandKeptDims(OpBuilder &b, Location loc, Value value,
                     RankedTensorType type, ArrayRef<int64_t> dims);

/// Scalar arithmetic that works for both float and (signed) integer types.
Value createAdd(OpBuilder &b, Location loc, Value lhs, Value rhs);
Value createSub(OpBuilder &b, Location loc, Value lhs, Value rhs);
Value createMul(OpBuilder &b, Location loc, Value lhs, Value rhs);
Value createDiv(OpBuilder &b, Location loc, Value lhs, Value rhs);
/// max/min propagating NaN, as numpy and PyTorch do.
Value createMax(OpBuilder &b, Location loc, Value lhs, Value rhs);
Value createMin(OpBuilder &b, Location loc, Value lhs, Value rhs);

/// Converts scalar `value` to `type` with ONNX Cast semantics.
Value createCast(OpBuilder &b, Location loc, Value value, Type type);

/// The type products and sums of `elementType` accumulate in: f32 for f16
/// and bf16 (as PyTorch and oneDNN do), the type itself otherwise.
Type getAccumulatorType(Type elementType);

/// Converts the elements of tensor `value` to `elementType` (an elementwise
/// generic), or returns it unchanged if they already are.
Value castElements(OpBuilder &b, Location loc, Value value, Type elementType);

/// The number of elements in dimensions `dims` of tensor `value` (known at
/// run time when a dimension is dynamic) as a scalar of `type`.
Value createElementCount(OpBuilder &b, Location loc, Value value,
                         ArrayRef<int64_t> dims, Type type);

/// Normalises a possibly negative axis.
inline int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

// Pattern sets, one per op family.
void populateElementwisePatterns(RewritePatternSet &patterns);
void populateLinearAlgebraPatterns(RewritePatternSet &patterns);
void populateConvolutionPatterns(RewritePatternSet &patterns);
void populatePoolingPatterns(RewritePatternSet &patterns);
void populateNormalizationPatterns(RewritePatternSet &patterns);
void populateReductionPatterns(RewritePatternSet &patterns);
void populateDataMovementPatterns(RewritePatternSet &patterns);

} // namespace accml::lowering

#endif // ACCML_LIB_CONVERSION_ACCMLTOLINALG_LOWERINGUTILS_H
