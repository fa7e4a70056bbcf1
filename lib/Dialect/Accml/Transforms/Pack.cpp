//===- Pack.cpp - Panel layout of matmul operands -------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-pack: copies the right-hand operand of a matmul into panels of
// `nr` columns, each stored k-major, so that the register tiles of the inner
// kernel stream B from contiguous memory instead of rows N floats apart
// (rows a power of two apart also collide in the same cache sets).
// Convolutions become direct convolutions on the input image in place (a
// kernel tap is a shifted window of the image flattened per channel), their
// weights in blocks of the register tile's filters.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"
#include "accml/Dialect/Accml/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

#include <limits>
#include <numeric>

namespace accml {
#define GEN_PASS_DEF_ACCMLPACKPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;
using accml::isStaticF32;
using accml::kVectorLanes;

namespace {

/// The maps of the packed contraction, loops (m, n0, n1, k).
SmallVector<AffineMap> packedMatmulMaps(MLIRContext *context) {
  AffineExpr m, n0, n1, k;
  bindDims(context, m, n0, n1, k);
  return {AffineMap::get(4, 0, {m, k}, context),
          AffineMap::get(4, 0, {n0, k, n1}, context),
          AffineMap::get(4, 0, {m, n0, n1}, context)};
}

/// `value` before the reshapes (collapse_shape, expand_shape) it went
/// through.
Value beforeReshapes(Value value) {
  while (isa_and_nonnull<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(
      value.getDefiningOp()))
    value = value.getDefiningOp()->getOperand(0);
  return value;
}

/// Whether `value` is an f32 constant, possibly reshaped (what
/// getConstantValues reads), without reading it.
bool isF32Constant(Value value) {
  ElementsAttr attr;
  return matchPattern(beforeReshapes(value), m_Constant(&attr)) &&
         attr.getElementType().isF32() &&
         isa<DenseF32ResourceElementsAttr, DenseElementsAttr>(attr);
}

/// The f32 values of a constant `value` (a dense literal or an f32 dense
/// resource, possibly reshaped: a depthwise weight's C x 1 x KH x KW
/// collapsed to C x KH x KW), row-major; `isResource` tells which.
std::optional<std::vector<float>> getConstantValues(Value value,
                                                    bool &isResource) {
  value = beforeReshapes(value);
  ElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.getElementType().isF32())
    return std::nullopt;
  auto type = cast<ShapedType>(attr.getType());
  if (auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr)) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data || static_cast<int64_t>(data->size()) != type.getNumElements())
      return std::nullopt;
    isResource = true;
    return std::vector<float>(data->begin(), data->end());
  }
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto range = dense.getValues<float>();
    isResource = false;
    return std::vector<float>(range.begin(), range.end());
  }
  return std::nullopt;
}

/// A constant of `type` holding `values`: a dense resource named `name`
/// when `isResource` (large weights stay out of the attribute storage), a
/// dense literal otherwise.
Value createConstant(OpBuilder &b, Location loc, RankedTensorType type,
                     ArrayRef<float> values, bool isResource, StringRef name) {
  TypedAttr attr;
  if (isResource)
    attr = TypedAttr(DenseF32ResourceElementsAttr::get(
        type, name, HeapAsmResourceBlob::allocateAndCopyInferAlign(values)));
  else
    attr = DenseElementsAttr::get(type, values);
  return arith::ConstantOp::create(b, loc, attr);
}

/// The panels of B when B is a constant of `columns` columns:
/// Bp[n0][k][n1] = B[k][n0 * nr + n1], zero past the last column.
Value packConstant(OpBuilder &builder, Location loc, Value b,
                   RankedTensorType packedType, int64_t columns) {
  bool isResource = false;
  std::optional<std::vector<float>> values = getConstantValues(b, isResource);
  if (!values)
    return {};
  int64_t panels = packedType.getDimSize(0), rows = packedType.getDimSize(1),
          width = packedType.getDimSize(2);
  std::vector<float> result(panels * rows * width, 0.0f);
  for (int64_t panel = 0; panel < panels; ++panel)
    for (int64_t k = 0; k < rows; ++k)
      for (int64_t j = 0; j < width && panel * width + j < columns; ++j)
        result[(panel * rows + k) * width + j] =
            (*values)[k * columns + panel * width + j];
  return createConstant(builder, loc, packedType, result, isResource, "packed");
}

/// Replaces `op`, a transpose of a constant f32 tensor (a weight stored the
/// other way round, such as a linear layer's), by the transposed constant.
LogicalResult foldConstantTranspose(RewriterBase &rewriter,
                                    linalg::TransposeOp op) {
  bool isResource = false;
  std::optional<std::vector<float>> values =
      getConstantValues(op.getInput(), isResource);
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!values || !resultType || !isStaticF32(op.getInput()))
    return failure();
  ArrayRef<int64_t> inShape =
      cast<RankedTensorType>(op.getInput().getType()).getShape();
  ArrayRef<int64_t> permutation = op.getPermutation();
  int64_t rank = inShape.size();
  // Result index i reads input index j with j[permutation[d]] = i[d].
  SmallVector<int64_t> inStrides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    inStrides[d] = inStrides[d + 1] * inShape[d + 1];
  std::vector<float> transposed(values->size());
  SmallVector<int64_t> index(rank, 0);
  for (float &element : transposed) {
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source += index[d] * inStrides[permutation[d]];
    element = (*values)[source];
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++index[d] < resultType.getDimSize(d))
        break;
      index[d] = 0;
    }
  }
  rewriter.setInsertionPoint(op);
  Value folded = createConstant(rewriter, op.getLoc(), resultType, transposed,
                                isResource, "transposed");
  rewriter.replaceOp(op, folded);
  return success();
}

/// The copy of `image`, a static f32 image, from NCHW to N x H x W x C
/// (`toLast`) or back: a generic over (n, c, y, x) that reads or writes the
/// channels-last side through (n, c, y, x) -> (n, y, x, c), which
/// accml-tile-and-fuse turns into 16 x 16 register transposes.
Value createLayoutCopy(OpBuilder &b, Location loc, Value image, bool toLast) {
  MLIRContext *context = b.getContext();
  ArrayRef<int64_t> shape = cast<RankedTensorType>(image.getType()).getShape();
  SmallVector<int64_t> resultShape =
      toLast ? SmallVector<int64_t>{shape[0], shape[2], shape[3], shape[1]}
             : SmallVector<int64_t>{shape[0], shape[3], shape[1], shape[2]};
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, context);
  AffineMap channelsLast = accml::channelsLastMap(context);
  Value init = tensor::EmptyOp::create(b, loc, resultShape, b.getF32Type());
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{image}, ValueRange{init},
             toLast ? SmallVector<AffineMap>{identity, channelsLast}
                    : SmallVector<AffineMap>{channelsLast, identity},
             SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
             [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               linalg::YieldOp::create(nested, nestedLoc, args[0]);
             })
      .getResult(0);
}

/// Replaces `op`, a transpose of a static f32 tensor by createLayoutCopy
/// (as a linalg.transpose, it was copied one element at a time): an image
/// between NCHW and N x H x W x C with a multiple of 16 channels (2.4x-2.9x
/// faster on 56 x 56 x 144), or a transpose of the last two dimensions
/// (matrices, batches of them: a run-time weight of a linear layer, the
/// keys of attention) whose rows are a multiple of 16, viewed as images of
/// one row (B x M x N as B x M x 1 x N, M the channels; a 768 x 768
/// transpose 3x faster).
LogicalResult rewriteLayoutTranspose(RewriterBase &rewriter,
                                     linalg::TransposeOp op) {
  ArrayRef<int64_t> permutation = op.getPermutation();
  if (!op.hasPureTensorSemantics() || !isStaticF32(op.getInput()))
    return failure();
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  int64_t rank = inputType.getRank();
  Location loc = op.getLoc();
  bool toLast = permutation == ArrayRef<int64_t>{0, 2, 3, 1};
  if (toLast || permutation == ArrayRef<int64_t>{0, 3, 1, 2}) {
    int64_t channels =
        toLast ? inputType.getDimSize(1) : inputType.getDimSize(3);
    if (channels % 16 != 0)
      return failure();
    rewriter.setInsertionPoint(op);
    rewriter.replaceOp(op,
                       createLayoutCopy(rewriter, loc, op.getInput(), toLast));
    return success();
  }
  // The last two dimensions swapped, the others in place.
  if (rank < 2 || permutation[rank - 2] != rank - 1 ||
      permutation[rank - 1] != rank - 2 ||
      llvm::any_of(llvm::seq<int64_t>(0, rank - 2),
                   [&](int64_t d) { return permutation[d] != d; }))
    return failure();
  ArrayRef<int64_t> shape = inputType.getShape();
  int64_t rows = shape[rank - 2], columns = shape[rank - 1], batch = 1;
  for (int64_t size : shape.drop_back(2))
    batch *= size;
  if (rows % 16 != 0 || columns < 2)
    return failure();
  rewriter.setInsertionPoint(op);
  Type f32 = rewriter.getF32Type();
  // The leading dimensions as one (B x M x N; B = 1 for a matrix), viewed
  // as B x M x 1 x N.
  ReassociationIndices leading =
      llvm::to_vector(llvm::seq<int64_t>(0, rank - 2));
  auto batchedType = RankedTensorType::get({batch, rows, columns}, f32);
  Value batched = op.getInput();
  if (rank == 2)
    batched = tensor::ExpandShapeOp::create(
        rewriter, loc, batchedType, batched,
        SmallVector<ReassociationIndices>{{0, 1}, {2}});
  else if (rank > 3)
    batched = tensor::CollapseShapeOp::create(
        rewriter, loc, batchedType, batched,
        SmallVector<ReassociationIndices>{leading, {rank - 2}, {rank - 1}});
  Value image = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({batch, rows, 1, columns}, f32),
      batched, SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}});
  // B x 1 x N x M, back to B x N x M and the result's shape.
  Value copy = createLayoutCopy(rewriter, loc, image, /*toLast=*/true);
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  Value result = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({batch, columns, rows}, f32), copy,
      SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}});
  if (rank == 2)
    result = tensor::CollapseShapeOp::create(
        rewriter, loc, resultType, result,
        SmallVector<ReassociationIndices>{{0, 1}, {2}});
  else if (rank > 3)
    result = tensor::ExpandShapeOp::create(
        rewriter, loc, resultType, result,
        SmallVector<ReassociationIndices>{leading, {rank - 2}, {rank - 1}});
  rewriter.replaceOp(op, result);
  return success();
}

} // namespace

namespace {

/// The maps of the direct convolution, loops (n, fb, fi, p0, p1, r, s, c),
/// for rows of positions `rowStride` apart and tap shifts of `rowShift`
/// and `columnShift`.
SmallVector<AffineMap> directConvolutionMaps(MLIRContext *context,
                                             int64_t rowStride,
                                             int64_t rowShift,
                                             int64_t columnShift) {
  AffineExpr n, fb, fi, p0, p1, r, s, c;
  bindDims(context, n, fb, fi, p0, p1, r, s, c);
  return {AffineMap::get(8, 0, {fb, r, s, c, fi}, context),
          AffineMap::get(
              8, 0,
              {n, c, p0 * rowStride + p1 + r * rowShift + s * columnShift},
              context),
          AffineMap::get(8, 0, {n, fb, fi, p0, p1}, context)};
}

/// The maps of the position-major convolution, loops (n, y, x, fb, fi, r,
/// s, c), for strides `sh`, `sw` and dilations `dh`, `dw`.
SmallVector<AffineMap> positionMajorConvolutionMaps(MLIRContext *context,
                                                    int64_t sh, int64_t sw,
                                                    int64_t dh, int64_t dw,
                                                    int64_t nf) {
  AffineExpr n, y, x, fb, fi, r, s, c;
  bindDims(context, n, y, x, fb, fi, r, s, c);
  return {
      AffineMap::get(8, 0, {n, c, y * sh + r * dh, x * sw + s * dw}, context),
      AffineMap::get(8, 0, {fb, r, s, c, fi}, context),
      AffineMap::get(8, 0, {n, y, x, fb * nf + fi}, context)};
}

/// Whether the body of `op` is acc + a * b (arguments a, b, acc).
bool isMultiplyAdd(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<arith::AddFOp>();
  if (!add || body.getOperations().size() != 3)
    return false;
  auto mul = add.getRhs().getDefiningOp<arith::MulFOp>();
  return mul && add.getLhs() == body.getArgument(2) &&
         mul.getLhs() == body.getArgument(0) &&
         mul.getRhs() == body.getArgument(1);
}

} // namespace

bool accml::isPackedMatmul(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() != 4)
    return false;
  using utils::IteratorType;
  if (op.getIteratorTypesArray() !=
      SmallVector<IteratorType>{IteratorType::parallel, IteratorType::parallel,
                                IteratorType::parallel,
                                IteratorType::reduction})
    return false;
  if (op.getIndexingMapsArray() != packedMatmulMaps(op.getContext()))
    return false;
  if (!llvm::all_of(op->getOperands(), isStaticF32))
    return false;
  return isMultiplyAdd(op);
}

namespace {

/// The generic C += A * B over `inputs` (A, B) into `init`, with `maps` and
/// `parallel` parallel loops followed by reductions (the contractions of
/// accml-pack).
linalg::GenericOp createMultiplyAdd(OpBuilder &b, Location loc,
                                    ValueRange inputs, Value init,
                                    ArrayRef<AffineMap> maps,
                                    unsigned parallel) {
  SmallVector<utils::IteratorType> iterators(parallel,
                                             utils::IteratorType::parallel);
  iterators.append(maps.front().getNumDims() - parallel,
                   utils::IteratorType::reduction);
  return linalg::GenericOp::create(
      b, loc, init.getType(), inputs, ValueRange{init}, maps, iterators,
      [](OpBuilder &builder, Location nested, ValueRange args) {
        Value product =
            arith::MulFOp::create(builder, nested, args[0], args[1]);
        Value sum = arith::AddFOp::create(builder, nested, args[2], product);
        linalg::YieldOp::create(builder, nested, sum);
      });
}

/// Whether `op` is a static f32 multiply-add generic of two inputs with 8
/// loops, 5 parallel then 3 reductions (accml-pack's convolutions).
bool isConvolutionContraction(linalg::GenericOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() != 8 ||
      op.getNumReductionLoops() != 3 ||
      !llvm::all_of(op->getOperands(), isStaticF32) || !isMultiplyAdd(op))
    return false;
  using utils::IteratorType;
  SmallVector<IteratorType> iterators = op.getIteratorTypesArray();
  return llvm::all_of(ArrayRef(iterators).take_front(5), [](IteratorType t) {
    return t == IteratorType::parallel;
  });
}

} // namespace

std::optional<int64_t> accml::coefficientOf(AffineExpr expr, unsigned dim) {
  MLIRContext *context = expr.getContext();
  SmallVector<AffineExpr> point(8, getAffineConstantExpr(0, context));
  point[dim] = getAffineConstantExpr(1, context);
  if (auto constant = dyn_cast<AffineConstantExpr>(expr.replaceDims(point)))
    return constant.getValue();
  return std::nullopt;
}

linalg::GenericOp accml::buildPackedMatmul(OpBuilder &b, Location loc, Value a,
                                           Value packed, Value cPanels) {
  return createMultiplyAdd(b, loc, ValueRange{a, packed}, cPanels,
                           packedMatmulMaps(b.getContext()), 3);
}

linalg::GenericOp accml::buildDirectConvolution(OpBuilder &b, Location loc,
                                                Value taps, Value image,
                                                Value cRows, int64_t rowStride,
                                                int64_t rowShift,
                                                int64_t columnShift) {
  return createMultiplyAdd(
      b, loc, ValueRange{taps, image}, cRows,
      directConvolutionMaps(b.getContext(), rowStride, rowShift, columnShift),
      5);
}

linalg::GenericOp accml::buildPositionMajorConvolution(
    OpBuilder &b, Location loc, Value image, Value taps, Value cTiles,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  return createMultiplyAdd(
      b, loc, ValueRange{image, taps}, cTiles,
      positionMajorConvolutionMaps(
          b.getContext(), strides[0], strides[1], dilations[0], dilations[1],
          cast<RankedTensorType>(taps.getType()).getDimSize(4)),
      5);
}

std::optional<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>>
accml::getZeroPadAmounts(tensor::PadOp pad) {
  APFloat padValue(0.0f);
  if (pad.getNofold() || !pad.getConstantPaddingValue() ||
      !matchPattern(pad.getConstantPaddingValue(),
                    m_ConstantFloat(&padValue)) ||
      !padValue.isPosZero())
    return std::nullopt;
  std::optional<SmallVector<int64_t>> low =
      getConstantIntValues(pad.getMixedLowPad());
  std::optional<SmallVector<int64_t>> high =
      getConstantIntValues(pad.getMixedHighPad());
  if (!low || !high)
    return std::nullopt;
  return std::make_pair(std::move(*low), std::move(*high));
}

bool accml::isPositionMajorConvolution(linalg::GenericOp op) {
  if (!isConvolutionContraction(op))
    return false;
  // The strides and dilations are the image map's coefficients of y and r
  // (its third result), x and s (its fourth).
  AffineMap imageMap = op.getIndexingMapsArray()[0];
  if (imageMap.getNumResults() != 4)
    return false;
  std::optional<int64_t> sh = accml::coefficientOf(imageMap.getResult(2), 1),
                         sw = accml::coefficientOf(imageMap.getResult(3), 2),
                         dh = accml::coefficientOf(imageMap.getResult(2), 5),
                         dw = accml::coefficientOf(imageMap.getResult(3), 6);
  return sh && sw && dh && dw &&
         op.getIndexingMapsArray() ==
             positionMajorConvolutionMaps(op.getContext(), *sh, *sw, *dh, *dw,
                                          op.getStaticLoopRanges()[4]);
}

bool accml::isDirectConvolution(linalg::GenericOp op) {
  if (!isConvolutionContraction(op))
    return false;
  // The row stride and the shifts are the image map's coefficients of p0,
  // r and s; rows do not overlap.
  AffineMap imageMap = op.getIndexingMapsArray()[1];
  if (imageMap.getNumResults() != 3)
    return false;
  std::optional<int64_t> rowStride =
                             accml::coefficientOf(imageMap.getResult(2), 3),
                         rowShift =
                             accml::coefficientOf(imageMap.getResult(2), 5),
                         columnShift =
                             accml::coefficientOf(imageMap.getResult(2), 6);
  return rowStride && rowShift && columnShift &&
         *rowStride >= op.getStaticLoopRanges()[4] &&
         op.getIndexingMapsArray() ==
             directConvolutionMaps(op.getContext(), *rowStride, *rowShift,
                                   *columnShift);
}

FailureOr<linalg::GenericOp> accml::packMatmul(RewriterBase &rewriter,
                                               linalg::MatmulOp op,
                                               int64_t panelWidth) {
  if (!op.hasPureTensorSemantics() || panelWidth < 1 ||
      !llvm::all_of(op->getOperands(), isStaticF32))
    return rewriter.notifyMatchFailure(op, "not a static f32 matmul");
  // Only the plain matmul (no transposed or broadcast operand maps).
  MLIRContext *context = op.getContext();
  AffineExpr m, n, k;
  bindDims(context, m, n, k);
  if (op.getIndexingMapsArray() !=
      SmallVector<AffineMap>{AffineMap::get(3, 0, {m, k}, context),
                             AffineMap::get(3, 0, {k, n}, context),
                             AffineMap::get(3, 0, {m, n}, context)})
    return rewriter.notifyMatchFailure(op, "operand maps are not A(m,k), "
                                           "B(k,n), C(m,n)");
  SmallVector<int64_t> dims = op.getStaticLoopRanges();
  int64_t sizeM = dims[0], sizeN = dims[1], sizeK = dims[2];
  int64_t panels = llvm::divideCeil(sizeN, panelWidth);
  int64_t paddedN = panels * panelWidth;

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Type f32 = rewriter.getF32Type();
  Value a = op.getDpsInputs()[0], b = op.getDpsInputs()[1],
        c = op.getDpsInits()[0];
  if (paddedN != sizeN && sizeN > panelWidth && !isF32Constant(b)) {
    // A run-time B of columns past the last whole panel: the whole panels
    // and the rest are two matmuls writing their columns of C in place. As
    // one, B was copied into a padded B before packing, and C computed in
    // a padded buffer and copied out (three more passes over a 1000 x 1000
    // matrix). The rest runs in a panel of its own width, rounded up to 8
    // or a power of two (in AVX-512 or AVX registers, not spilled).
    int64_t headN = sizeN / panelWidth * panelWidth, tailN = sizeN - headN;
    auto columns = [&](Value value, int64_t offset, int64_t size) {
      auto type = cast<RankedTensorType>(value.getType());
      return tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get({type.getDimSize(0), size}, f32),
          value, getAsIndexOpFoldResult(context, {0, offset}),
          getAsIndexOpFoldResult(context, {type.getDimSize(0), size}),
          getAsIndexOpFoldResult(context, {1, 1}));
    };
    auto part = [&](Value into, int64_t offset,
                    int64_t size) -> std::pair<linalg::MatmulOp, Value> {
      Value init = columns(into, offset, size);
      auto matmul = linalg::MatmulOp::create(
          rewriter, loc, TypeRange{init.getType()},
          ValueRange{a, columns(b, offset, size)}, ValueRange{init});
      Value inserted = tensor::InsertSliceOp::create(
          rewriter, loc, matmul.getResult(0), into,
          getAsIndexOpFoldResult(context, {0, offset}),
          getAsIndexOpFoldResult(context, {sizeM, size}),
          getAsIndexOpFoldResult(context, {1, 1}));
      return {matmul, inserted};
    };
    auto [head, withHead] = part(c, 0, headN);
    auto [tail, result] = part(withHead, headN, tailN);
    rewriter.replaceOp(op, result);
    FailureOr<linalg::GenericOp> contraction =
        packMatmul(rewriter, head, panelWidth);
    int64_t tailWidth = std::min<int64_t>(
        panelWidth, std::max<int64_t>(8, llvm::PowerOf2Ceil(tailN)));
    (void)packMatmul(rewriter, tail, tailWidth);
    return contraction;
  }
  Value zero;
  if (paddedN != sizeN) {
    zero = arith::ConstantOp::create(rewriter, loc, f32,
                                     rewriter.getF32FloatAttr(0.0f));
    c = tensor::createPadHighOp(RankedTensorType::get({sizeM, paddedN}, f32), c,
                                zero,
                                /*nofold=*/false, loc, rewriter);
  }
  SmallVector<ReassociationIndices> splitColumns = {{0}, {1, 2}};
  auto packedType = RankedTensorType::get({panels, sizeK, panelWidth}, f32);
  // Constant weights are packed once, here.
  Value packed = packConstant(rewriter, loc, b, packedType, sizeN);
  if (!packed) {
    if (paddedN != sizeN)
      b = tensor::createPadHighOp(RankedTensorType::get({sizeK, paddedN}, f32),
                                  b, zero, /*nofold=*/false, loc, rewriter);
    // B[k][n0 * nr + n1] -> Bp[n0][k][n1]: a copy whose innermost dimension
    // is contiguous on both sides.
    Value bRows = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({sizeK, panels, panelWidth}, f32),
        b, splitColumns);
    Value packedInit =
        tensor::EmptyOp::create(rewriter, loc, packedType.getShape(), f32);
    AffineExpr p0, p1, p2;
    bindDims(context, p0, p1, p2);
    SmallVector<AffineMap> copyMaps = {
        AffineMap::get(3, 0, {p1, p0, p2}, context),
        AffineMap::getMultiDimIdentityMap(3, context)};
    packed =
        linalg::GenericOp::create(
            rewriter, loc, packedType, ValueRange{bRows},
            ValueRange{packedInit}, copyMaps,
            SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel),
            [](OpBuilder &builder, Location nested, ValueRange args) {
              linalg::YieldOp::create(builder, nested, args[0]);
            })
            .getResult(0);
  }

  Value cPanels = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({sizeM, panels, panelWidth}, f32), c,
      splitColumns);
  linalg::GenericOp contraction =
      accml::buildPackedMatmul(rewriter, loc, a, packed, cPanels);
  Value result = tensor::CollapseShapeOp::create(
      rewriter, loc, contraction.getResult(0), splitColumns);
  if (paddedN != sizeN)
    result = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get({sizeM, sizeN}, f32), result,
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                               rewriter.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(sizeM),
                               rewriter.getIndexAttr(sizeN)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                               rewriter.getIndexAttr(1)});
  rewriter.replaceOp(op, result);
  return contraction;
}

namespace {

/// Index attributes for static offsets, sizes or strides.
SmallVector<OpFoldResult> indexAttrs(OpBuilder &b, ArrayRef<int64_t> values) {
  return getAsIndexOpFoldResult(b.getContext(), values);
}

/// The static slice of `source` at `offsets` of `sizes` (unit strides), of
/// type `type` (rank-reducing when it drops unit dimensions).
Value createSlice(OpBuilder &b, Location loc, RankedTensorType type,
                  Value source, ArrayRef<int64_t> offsets,
                  ArrayRef<int64_t> sizes) {
  SmallVector<int64_t> ones(offsets.size(), 1);
  return tensor::ExtractSliceOp::create(
      b, loc, type, source, indexAttrs(b, offsets), indexAttrs(b, sizes),
      indexAttrs(b, ones));
}

/// `value` zero-padded at the end of each dimension to `shape`. Padding of
/// a zero-padded tensor pads its source once.
Value padHighTo(OpBuilder &b, Location loc, Value value,
                ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  Value zero =
      arith::ConstantOp::create(b, loc, b.getF32Type(), b.getF32FloatAttr(0));
  auto paddedType = RankedTensorType::get(shape, type.getElementType());
  if (auto pad = value.getDefiningOp<tensor::PadOp>()) {
    if (auto amounts = accml::getZeroPadAmounts(pad)) {
      SmallVector<OpFoldResult> high;
      for (auto [d, size] : llvm::enumerate(shape))
        high.push_back(
            b.getIndexAttr(amounts->second[d] + size - type.getDimSize(d)));
      return tensor::PadOp::create(b, loc, paddedType, pad.getSource(),
                                   pad.getMixedLowPad(), high, zero);
    }
  }
  return tensor::createPadHighOp(paddedType, value, zero, /*nofold=*/false, loc,
                                 b);
}

/// An all-parallel copy into a new tensor of `shape`: result[i] =
/// source[map(i)].
Value createCopy(OpBuilder &b, Location loc, Value source, AffineMap map,
                 ArrayRef<int64_t> shape) {
  Value init = tensor::EmptyOp::create(b, loc, shape, b.getF32Type());
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{source}, ValueRange{init},
             SmallVector<AffineMap>{map, AffineMap::getMultiDimIdentityMap(
                                             shape.size(), b.getContext())},
             SmallVector<utils::IteratorType>(shape.size(),
                                              utils::IteratorType::parallel),
             [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
               linalg::YieldOp::create(nested, nestedLoc, args[0]);
             })
      .getResult(0);
}

/// The sh x sw phases of `input` (N x C x PH*sh x PW*sw): phase (p, q)
/// holds rows y * sh + p and columns x * sw + q; `phasesFirst` orders them
/// sh x sw x N x C x PH x PW, otherwise N x C x sh x sw x PH x PW. When
/// `input` is a zero padding (static, constant) of X, the phases are a
/// zero fill and, per phase, a strided copy of the part of X it holds into
/// its slice: X is read once and no padded copy of it is made first.
Value createPhases(OpBuilder &b, Location loc, Value input, int64_t sh,
                   int64_t sw, bool phasesFirst) {
  MLIRContext *context = b.getContext();
  ArrayRef<int64_t> shape = cast<RankedTensorType>(input.getType()).getShape();
  int64_t batch = shape[0], channels = shape[1], phaseH = shape[2] / sh,
          phaseW = shape[3] / sw;
  SmallVector<int64_t> phasesShape =
      phasesFirst
          ? SmallVector<int64_t>{sh, sw, batch, channels, phaseH, phaseW}
          : SmallVector<int64_t>{batch, channels, sh, sw, phaseH, phaseW};
  AffineExpr d0, d1, d2, d3, d4, d5;
  bindDims(context, d0, d1, d2, d3, d4, d5);
  auto pad = input.getDefiningOp<tensor::PadOp>();
  std::optional<SmallVector<int64_t>> low;
  if (pad)
    if (auto amounts = accml::getZeroPadAmounts(pad))
      low = amounts->first;
  if (!low || (*low)[0] != 0 || (*low)[1] != 0) {
    AffineMap map =
        phasesFirst ? AffineMap::get(6, 0, {d2, d3, d4 * sh + d0, d5 * sw + d1},
                                     context)
                    : AffineMap::get(6, 0, {d0, d1, d4 * sh + d2, d5 * sw + d3},
                                     context);
    return createCopy(b, loc, input, map, phasesShape);
  }
  Value source = pad.getSource();
  ArrayRef<int64_t> sourceShape =
      cast<RankedTensorType>(source.getType()).getShape();
  int64_t height = sourceShape[2], width = sourceShape[3];
  int64_t lowH = (*low)[2], lowW = (*low)[3];
  Type f32 = b.getF32Type();
  Value zero = arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0));
  Value result = tensor::EmptyOp::create(b, loc, phasesShape, f32);
  // Zeros where phase (p, q) holds no element of X: its rows [ya, yb),
  // columns [xa, xb). (Filling the whole tensor first wrote every element
  // twice: a tenth of a strided depthwise convolution's time.)
  // Rows [ya, yb), columns [xa, xb) of phase (p, q): its slice of `result`,
  // and `fill` (which computes the new values into the slice) inserted back.
  auto updatePhase = [&](int64_t p, int64_t q, int64_t ya, int64_t yb,
                         int64_t xa, int64_t xb,
                         function_ref<Value(Value)> fill) {
    SmallVector<int64_t> offsets =
        phasesFirst ? SmallVector<int64_t>{p, q, 0, 0, ya, xa}
                    : SmallVector<int64_t>{0, 0, p, q, ya, xa};
    SmallVector<int64_t> sizes =
        phasesFirst
            ? SmallVector<int64_t>{1, 1, batch, channels, yb - ya, xb - xa}
            : SmallVector<int64_t>{batch, channels, 1, 1, yb - ya, xb - xa};
    auto sliceType =
        RankedTensorType::get({batch, channels, yb - ya, xb - xa}, f32);
    Value values = fill(createSlice(b, loc, sliceType, result, offsets, sizes));
    result = tensor::InsertSliceOp::create(
        b, loc, values, result, indexAttrs(b, offsets), indexAttrs(b, sizes),
        indexAttrs(b, SmallVector<int64_t>(6, 1)));
  };
  auto fillZeros = [&](int64_t p, int64_t q, int64_t ya, int64_t yb, int64_t xa,
                       int64_t xb) {
    if (yb <= ya || xb <= xa)
      return;
    updatePhase(p, q, ya, yb, xa, xb, [&](Value slice) {
      return linalg::FillOp::create(b, loc, zero, slice).getResult(0);
    });
  };
  // The phase rows (columns) y with 0 <= y * s + p - low < size.
  auto range = [](int64_t phase, int64_t stride, int64_t lowPad, int64_t size,
                  int64_t count) {
    int64_t first =
        llvm::divideCeil(std::max<int64_t>(lowPad - phase, 0), stride);
    int64_t end = std::min<int64_t>(
        count,
        llvm::divideCeil(std::max<int64_t>(size + lowPad - phase, 0), stride));
    return std::make_pair(first, end);
  };
  for (int64_t p = 0; p < sh; ++p) {
    for (int64_t q = 0; q < sw; ++q) {
      // (Plain variables: lambdas below capture them.)
      std::pair<int64_t, int64_t> rows = range(p, sh, lowH, height, phaseH),
                                  columns = range(q, sw, lowW, width, phaseW);
      int64_t y0 = rows.first, y1 = rows.second, x0 = columns.first,
              x1 = columns.second;
      if (y1 <= y0 || x1 <= x0) {
        fillZeros(p, q, 0, phaseH, 0, phaseW);
        continue;
      }
      fillZeros(p, q, 0, y0, 0, phaseW);
      fillZeros(p, q, y1, phaseH, 0, phaseW);
      fillZeros(p, q, y0, y1, 0, x0);
      fillZeros(p, q, y0, y1, x1, phaseW);
      updatePhase(p, q, y0, y1, x0, x1, [&](Value dest) {
        return linalg::GenericOp::create(
                   b, loc, dest.getType(), ValueRange{source}, ValueRange{dest},
                   SmallVector<AffineMap>{
                       AffineMap::get(4, 0,
                                      {d0, d1, (d2 + y0) * sh + (p - lowH),
                                       (d3 + x0) * sw + (q - lowW)},
                                      context),
                       AffineMap::getMultiDimIdentityMap(4, context)},
                   SmallVector<utils::IteratorType>(
                       4, utils::IteratorType::parallel),
                   [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
                     linalg::YieldOp::create(nested, nestedLoc, args[0]);
                   })
            .getResult(0);
      });
    }
  }
  return result;
}

/// Whether `value` is a tensor filled with `expected`.
bool isFilledWith(Value value, double expected) {
  auto fill = value.getDefiningOp<linalg::FillOp>();
  APFloat fillValue(0.0f);
  if (!fill || !matchPattern(fill.getInputs()[0], m_ConstantFloat(&fillValue)))
    return false;
  APFloat wanted(expected);
  bool losesInfo = false;
  wanted.convert(fillValue.getSemantics(), APFloat::rmNearestTiesToEven,
                 &losesInfo);
  return fillValue.bitwiseIsEqual(wanted);
}

/// The per-channel values that `acc` (N x C x H x W) broadcasts, when it is
/// an elementwise generic copying a 1-D tensor along (n, c, y, x) -> (c)
/// (a convolution's bias); otherwise null.
Value broadcastChannels(Value acc) {
  auto broadcast = acc.getDefiningOp<linalg::GenericOp>();
  if (!broadcast || broadcast.getNumDpsInputs() != 1 ||
      broadcast.getNumLoops() != 4 || broadcast.getNumParallelLoops() != 4 ||
      !broadcast.getMatchingIndexingMap(broadcast.getDpsInitOperand(0))
           .isIdentity())
    return {};
  OpOperand *input = broadcast.getDpsInputOperand(0);
  MLIRContext *context = acc.getContext();
  if (broadcast.getMatchingIndexingMap(input) !=
      AffineMap::get(4, 0, {getAffineDimExpr(1, context)}, context))
    return {};
  auto yield = cast<linalg::YieldOp>(broadcast.getBody()->getTerminator());
  if (yield.getValues().size() != 1 ||
      yield.getValues()[0] != broadcast.getMatchingBlockArgument(input))
    return {};
  return input->get();
}

/// The all-parallel generic over a fresh tensor of `type` that combines
/// `inputs` (read through `maps`) by `body`, which also receives the
/// accumulator: `acc` is appended as the last input (so that an elementwise
/// producer of it, such as a bias broadcast, can fuse) unless it is filled
/// with `identity`, in which case `body` gets a null accumulator. The
/// result is written through `resultMap` (a permutation; the identity when
/// null) into a tensor of `type`'s shape permuted by it.
linalg::GenericOp createAccumulatingGeneric(
    OpBuilder &b, Location loc, RankedTensorType type,
    SmallVector<Value> inputs, SmallVector<AffineMap> maps, Value acc,
    double identity,
    function_ref<Value(OpBuilder &, Location, ValueRange, Value)> body,
    AffineMap resultMap = {}) {
  MLIRContext *context = b.getContext();
  int64_t rank = type.getRank();
  bool useAccumulator = !isFilledWith(acc, identity);
  int64_t accIndex = inputs.size();
  if (useAccumulator) {
    inputs.push_back(acc);
    maps.push_back(AffineMap::getMultiDimIdentityMap(rank, context));
  }
  if (!resultMap)
    resultMap = AffineMap::getMultiDimIdentityMap(rank, context);
  maps.push_back(resultMap);
  SmallVector<int64_t> shape = applyPermutationMap(resultMap, type.getShape());
  auto resultType = RankedTensorType::get(shape, type.getElementType());
  Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
  return linalg::GenericOp::create(
      b, loc, resultType, inputs, ValueRange{init}, maps,
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value accumulator = useAccumulator ? args[accIndex] : Value();
        linalg::YieldOp::create(nested, nestedLoc,
                                body(nested, nestedLoc, args, accumulator));
      });
}

} // namespace

namespace {

/// One stride-1 convolution that a convolution is made of: the taps of
/// `weight` (F x C x KH x KW; `values`, row-major, when it is a constant)
/// applied to `image` (N x C x rows x W, padded with rows so that every
/// shifted read of the output positions stays inside).
struct ConvolutionTerm {
  Value image;
  Value weight;
  std::optional<std::vector<float>> values;
  int64_t kh, kw;
};

/// The weight of `term` in blocks of `mr` filters, each tap-major with the
/// filters innermost (F/mr x KH x KW x C x mr, F padded with zero filters
/// to a multiple of mr): a register tile reads the mr filters of one tap
/// and channel contiguously, and the taps and channels one after the other.
/// Constant weights are rearranged here, once.
Value blockWeight(OpBuilder &b, Location loc, const ConvolutionTerm &term,
                  int64_t filters, int64_t channels, int64_t mr,
                  bool isResource) {
  MLIRContext *context = b.getContext();
  int64_t kh = term.kh, kw = term.kw;
  int64_t blocks = llvm::divideCeil(filters, mr);
  SmallVector<int64_t> blockedShape = {blocks, kh, kw, channels, mr};
  if (term.values) {
    const std::vector<float> &values = *term.values;
    std::vector<float> blocked(blocks * kh * kw * channels * mr, 0.0f);
    for (int64_t f = 0; f < filters; ++f)
      for (int64_t c = 0; c < channels; ++c)
        for (int64_t r = 0; r < kh; ++r)
          for (int64_t s = 0; s < kw; ++s)
            blocked[(((f / mr * kh + r) * kw + s) * channels + c) * mr +
                    f % mr] = values[((f * channels + c) * kh + r) * kw + s];
    return createConstant(b, loc,
                          RankedTensorType::get(blockedShape, b.getF32Type()),
                          blocked, isResource, "blocked");
  }
  Value weight =
      padHighTo(b, loc, term.weight, {blocks * mr, channels, kh, kw});
  AffineExpr d0, d1, d2, d3, d4;
  bindDims(context, d0, d1, d2, d3, d4);
  return createCopy(b, loc, weight,
                    AffineMap::get(5, 0, {d0 * mr + d4, d3, d1, d2}, context),
                    blockedShape);
}

/// The flattened image `flat` (N x C x L), with its channels moved apart
/// by 16 more floats when L floats put them so close to a multiple of 4
/// KiB that the rows a register-tile column reads (one per channel, up to
/// a channel block of 512) would fall into a few L1 sets: an L1 of 64 sets
/// of 64-byte lines and 12 ways, as on this project's CPUs (48 KiB), holds
/// 12 lines per set, and channel rows 4 KiB apart (a 32 x 32 image) all map
/// to one set. 64 more bytes make the stride an odd number of lines, which
/// visits every set. A 1x1 convolution of 1024 channels on a 32 x 32 image
/// ran at a third of the speed of the same matmul.
Value spreadChannelRows(OpBuilder &b, Location loc, Value flat) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(flat.getType()).getShape();
  int64_t channels = shape[1], length = shape[2];
  constexpr int64_t kLineBytes = 64, kSets = 64, kWays = 12;
  int64_t strideBytes = length * 4;
  int64_t sets = strideBytes % kLineBytes != 0
                     ? kSets
                     : kSets / std::gcd(strideBytes / kLineBytes, kSets);
  // Two lines per channel row of a 32-float register tile.
  int64_t demand = 2 * std::min<int64_t>(channels, 512);
  if (demand <= 2 * sets * kWays)
    return flat;
  return padHighTo(b, loc, flat, {shape[0], channels, length + 16});
}

/// The multiply-adds per output position (C x KH x KW) below which a
/// convolution with output rows wider than kMaxPositionMajorRow is not
/// computed position-major: its register tiles of part of a row pay the
/// copy-out to NCHW and a reduction too short to hide it (ResNet-18's
/// 7x7/2 stem on 3 channels, 147, and its 1x1/2 downsampling, 64, ran
/// 1.1x-1.3x slower so; its 3x3/2 on 64 channels, 576, 1.1x faster).
constexpr int64_t kMinWidePositionMajorDepth = 256;

/// Whether a stride-1 convolution with an OH x OW output computed from
/// image rows of `width` columns in panels of `nr` positions wastes enough
/// of its panels on columns past OW and panel rounding (over 10%) to be
/// computed position-major, with register tiles of an output row or, on
/// rows wider than kMaxPositionMajorRow with `multiplyAdds` per position of
/// at least kMinWidePositionMajorDepth, of part of one
/// (positionMajorRowTile: ResNet-18's 3x3 on 128 x 28 x 28, 10% wasted in
/// panels, ran 1.1x-1.2x faster).
bool shouldUsePositionMajor(int64_t outH, int64_t outW, int64_t width,
                            int64_t nr, int64_t multiplyAdds) {
  if (accml::positionMajorRowTile(outW) == 0 ||
      (outW > accml::kMaxPositionMajorRow &&
       multiplyAdds < kMinWidePositionMajorDepth))
    return false;
  int64_t computed = llvm::divideCeil(outH * width, nr) * nr;
  return 10 * computed > 11 * outH * outW;
}

/// The filters of a position-major register tile of a row of `outW`
/// positions: 16 times the most vectors, a power of two (LLVM splits a
/// 48-lane accumulator row into pieces it moves lane by lane), that fit in
/// the 32 AVX-512 registers with the row's accumulators and a broadcast
/// (7 x 4 vectors took 33 registers: LLVM shuffled accumulators between
/// registers and spilled).
int64_t positionMajorFilterTile(int64_t outW) {
  int64_t vectors = std::clamp<int64_t>(31 / (outW + 1), 1, 4);
  return 16 * int64_t(llvm::bit_floor(uint64_t(vectors)));
}

/// How a direct convolution runs over its output positions: `count` rows
/// of `length` positions, `stride` apart in the image flattened per channel
/// (rows of W columns).
struct PositionRows {
  int64_t count, length, stride;
};

/// What copying one output element out of a convolution's result costs, in
/// multiply-add lanes (about 0.5 ns against 100 GFLOP/s; the copy-outs of
/// ResNet-18's 7x7/2 stem, 147 multiply-adds per position, and of its 1x1/2
/// downsampling, 64, took 16-18% of their time).
constexpr int64_t kCopyOutLanes = 25;

/// Panels of `nr` positions over the OH x W positions of image rows of
/// `rowWidth` columns.
PositionRows panelRows(int64_t outH, int64_t rowWidth, int64_t nr) {
  return {int64_t(llvm::divideCeil(outH * rowWidth, nr)), nr, nr};
}

/// The rows of a direct convolution with an OH x OW output read from image
/// rows of `rowWidth` columns (W >= OW), with `multiplyAdds` multiply-adds
/// per position (C x KH x KW), and register tiles of `nr` positions: the
/// cheaper, in vector lanes, of
/// - panels: nr positions each, over the OH x W flattened positions (the
///   columns past OW and past the last panel computed and dropped); unless
///   they are exactly the output (a 1x1 kernel on an image of whole
///   panels), the result is copied out to NCHW;
/// - rows of the output: OH rows of OW positions, W apart, which are NCHW
///   already, at the cost of a partial register tile per row (a row of 56
///   positions is 4 vectors for 3.5); a 1x1 kernel's positions (W = OW)
///   are one flat row, split into rows of a multiple of 16 positions where
///   possible (784 = 7 x 112).
PositionRows choosePositionRows(int64_t outH, int64_t outW, int64_t rowWidth,
                                int64_t nr, int64_t multiplyAdds) {
  int64_t positions = outH * outW;
  PositionRows panels = panelRows(outH, rowWidth, nr);
  bool copiesOut = rowWidth != outW || positions % nr != 0;
  double panelCost =
      double(panels.count * nr) +
      (copiesOut ? double(positions * kCopyOutLanes) / double(multiplyAdds)
                 : 0.0);
  PositionRows outputRows{outH, outW, rowWidth};
  if (rowWidth == outW) {
    // The longest rows of a multiple of 16 up to 256 positions, else one
    // row of all of them (up to 256).
    for (int64_t length = 256; length >= kVectorLanes; length -= kVectorLanes)
      if (positions % length == 0) {
        outputRows = {positions / length, length, length};
        break;
      }
    if (outputRows.length == outW && positions <= 256)
      outputRows = {1, positions, positions};
  }
  // Register tiles of nr positions along a row and one of the rest, which
  // must be whole vectors or a power of two below one: LLVM spills
  // accumulators of 24 or 28 lanes through the stack (20x slower).
  int64_t rest = outputRows.length % nr;
  if (rest % kVectorLanes != 0 &&
      (rest > kVectorLanes || !llvm::isPowerOf2_64(rest)))
    return panels;
  double rowCost =
      double(outputRows.count * llvm::alignTo(outputRows.length, kVectorLanes));
  return rowCost < panelCost ? outputRows : panels;
}

/// Replaces the convolution `op` by the copy of `result` (read through
/// `map`) to its NCHW result, plus its accumulator (the bias) unless that is
/// zero; returns the copy.
linalg::GenericOp copyOutConvolution(RewriterBase &rewriter,
                                     linalg::Conv2DNchwFchwOp op, Value result,
                                     AffineMap map) {
  Value acc = op.getDpsInits()[0];
  auto copyOut = createAccumulatingGeneric(
      rewriter, op.getLoc(), cast<RankedTensorType>(acc.getType()), {result},
      {map}, acc, 0.0,
      [](OpBuilder &b, Location nested, ValueRange args, Value accumulator) {
        return accumulator
                   ? arith::AddFOp::create(b, nested, accumulator, args[0])
                         .getResult()
                   : args[0];
      });
  rewriter.replaceOp(op, copyOut.getResult(0));
  return copyOut;
}

} // namespace

FailureOr<linalg::GenericOp> accml::packConvolution(RewriterBase &rewriter,
                                                    linalg::Conv2DNchwFchwOp op,
                                                    int64_t panelWidth,
                                                    int64_t filterBlock,
                                                    bool outputRows) {
  if (!op.hasPureTensorSemantics() || panelWidth < 1 || filterBlock < 1 ||
      !llvm::all_of(op->getOperands(), isStaticF32))
    return rewriter.notifyMatchFailure(op, "not a static f32 convolution");
  MLIRContext *context = op.getContext();
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value input = op.getDpsInputs()[0], weight = op.getDpsInputs()[1],
        acc = op.getDpsInits()[0];
  ArrayRef<int64_t> inShape =
      cast<RankedTensorType>(input.getType()).getShape();
  ArrayRef<int64_t> wShape =
      cast<RankedTensorType>(weight.getType()).getShape();
  auto accType = cast<RankedTensorType>(acc.getType());
  int64_t batch = inShape[0], channels = inShape[1], height = inShape[2],
          width = inShape[3];
  int64_t filters = wShape[0], kh = wShape[2], kw = wShape[3];
  int64_t outH = accType.getDimSize(2), outW = accType.getDimSize(3);
  auto strides = llvm::to_vector(op.getStrides().getValues<int64_t>());
  auto dilations = llvm::to_vector(op.getDilations().getValues<int64_t>());
  int64_t sh = strides[0], sw = strides[1], dh = dilations[0],
          dw = dilations[1];
  Type f32 = rewriter.getF32Type();
  AffineExpr d0, d1, d2, d3, d4, d5;
  bindDims(context, d0, d1, d2, d3, d4, d5);
  bool isResource = false;
  std::optional<std::vector<float>> values =
      getConstantValues(weight, isResource);
  // Small images (ResNet-18's last layers: 7 x 7 outputs, computed as 7
  // rows of 9 and 2 panels of 32, 64 positions for 49) are computed
  // position-major instead: register tiles of one whole output row (OW
  // positions, broadcast, at any stride: no phases, no subsampled copy) x
  // a tile of filters (vectors), no columns past OW, no panel rounding.
  // Wider strided outputs take register tiles of part of a row
  // (positionMajorRowTile) when their reductions are deep enough
  // (ResNet-18's 3x3/2 on 64 channels, 56 -> 28, 1.1x faster than phases).
  if (filters % 16 == 0 &&
      ((sh != 1 || sw != 1)
           ? (outW <= kMaxPositionMajorRow ||
              (positionMajorRowTile(outW) != 0 && kh * kw > 1 &&
               channels * kh * kw >= kMinWidePositionMajorDepth))
           : shouldUsePositionMajor(outH, outW, width, panelWidth,
                                    channels * kh * kw))) {
    ConvolutionTerm term{input, weight, values, kh, kw};
    // (Filters padded with zero filters to whole tiles.)
    int64_t filterTile = positionMajorFilterTile(positionMajorRowTile(outW));
    Value taps = blockWeight(rewriter, loc, term, filters, channels, filterTile,
                             isResource);
    Value zero = arith::ConstantOp::create(rewriter, loc, f32,
                                           rewriter.getF32FloatAttr(0));
    Value result = tensor::EmptyOp::create(
        rewriter, loc,
        ArrayRef<int64_t>{batch, outH, outW,
                          int64_t(llvm::alignTo(filters, filterTile))},
        f32);
    result = linalg::FillOp::create(rewriter, loc, zero, result).getResult(0);
    result = buildPositionMajorConvolution(rewriter, loc, input, taps, result,
                                           strides, dilations)
                 .getResult(0);
    // (Without the zero filters padding F to whole tiles.)
    if (filters % filterTile != 0)
      result =
          createSlice(rewriter, loc,
                      RankedTensorType::get({batch, outH, outW, filters}, f32),
                      result, {0, 0, 0, 0}, {batch, outH, outW, filters});
    // NCHW again, adding the accumulator (the bias) unless it is zero.
    return copyOutConvolution(rewriter, op, result,
                              accml::channelsLastMap(context));
  }
  bool phased = (sh != 1 || sw != 1) && (kh != 1 || kw != 1);
  if (phased && (dh != 1 || dw != 1))
    return rewriter.notifyMatchFailure(op, "strided and dilated");

  // Output position (y, x) is column y * W + x of an image flattened per
  // channel, and tap (r, s) reads the flattened image shifted by r * dh * W
  // + s * dw, so a register tile of nr positions reads nr contiguous
  // elements of a channel: no im2col copy. The positions run in rows
  // (choosePositionRows): panels of nr over whole padded rows (columns
  // past OW computed and dropped; the images padded with rows so that the
  // last panel's shifted reads stay inside), or the output rows
  // themselves.
  int64_t nr = panelWidth;
  int64_t rowWidth = phased                 ? llvm::divideCeil(width, sw)
                     : (sh != 1 || sw != 1) ? outW
                                            : width;
  PositionRows rows = outputRows ? choosePositionRows(outH, outW, rowWidth, nr,
                                                      channels * kh * kw)
                                 : panelRows(outH, rowWidth, nr);
  auto paddedRows = [&](int64_t imageRows, int64_t taps, int64_t columnTaps) {
    int64_t lastShift = (taps - 1) * dh * rowWidth + (columnTaps - 1) * dw;
    int64_t end = (rows.count - 1) * rows.stride + rows.length + lastShift;
    return std::max<int64_t>(imageRows, llvm::divideCeil(end, rowWidth));
  };
  SmallVector<ConvolutionTerm> terms;
  if (!phased) {
    if (sh != 1 || sw != 1) {
      // A strided 1x1 kernel reads every sh-th row and sw-th column: copy
      // those, then the convolution has stride 1. The copy goes straight
      // into the image with its extra rows, zeroed on their own (a padded
      // copy of the copy ran on one thread: ResNet-18's 1x1/2 scaled 1.2x
      // on two).
      int64_t imageRows = paddedRows(outH, kh, kw);
      Value image = tensor::EmptyOp::create(
          rewriter, loc, ArrayRef<int64_t>{batch, channels, imageRows, outW},
          f32);
      if (imageRows > outH) {
        auto stripType = RankedTensorType::get(
            {batch, channels, imageRows - outH, outW}, f32);
        Value zero = arith::ConstantOp::create(rewriter, loc, f32,
                                               rewriter.getF32FloatAttr(0));
        Value strip = linalg::FillOp::create(
                          rewriter, loc, zero,
                          createSlice(rewriter, loc, stripType, image,
                                      {0, 0, outH, 0}, stripType.getShape()))
                          .getResult(0);
        image = tensor::InsertSliceOp::create(
            rewriter, loc, strip, image, indexAttrs(rewriter, {0, 0, outH, 0}),
            indexAttrs(rewriter, stripType.getShape()),
            indexAttrs(rewriter, {1, 1, 1, 1}));
      }
      auto copyType = RankedTensorType::get({batch, channels, outH, outW}, f32);
      Value dest = createSlice(rewriter, loc, copyType, image, {0, 0, 0, 0},
                               copyType.getShape());
      Value copy =
          linalg::GenericOp::create(
              rewriter, loc, copyType, ValueRange{input}, ValueRange{dest},
              SmallVector<AffineMap>{
                  AffineMap::get(4, 0, {d0, d1, d2 * sh, d3 * sw}, context),
                  AffineMap::getMultiDimIdentityMap(4, context)},
              SmallVector<utils::IteratorType>(4,
                                               utils::IteratorType::parallel),
              [](OpBuilder &nested, Location nestedLoc, ValueRange args) {
                linalg::YieldOp::create(nested, nestedLoc, args[0]);
              })
              .getResult(0);
      input = tensor::InsertSliceOp::create(
          rewriter, loc, copy, image, indexAttrs(rewriter, {0, 0, 0, 0}),
          indexAttrs(rewriter, copyType.getShape()),
          indexAttrs(rewriter, {1, 1, 1, 1}));
      height = imageRows;
      width = outW;
    }
    input = padHighTo(rewriter, loc, input,
                      {batch, channels, paddedRows(height, kh, kw), width});
    terms.push_back({input, weight, values, kh, kw});
  } else {
    // Space-to-depth: input row y * sh + p, column x * sw + q is row y,
    // column x of phase (p, q); tap row r * sh + p of the kernel is tap row
    // r of that phase. Each phase with taps is a stride-1 convolution of
    // its own taps (ceil((KH - p) / sh) x ceil((KW - q) / sw)), all into
    // the same result: no multiplications by taps past the kernel.
    int64_t phaseW = rowWidth;
    int64_t phaseRows =
        paddedRows(llvm::divideCeil(height, sh), llvm::divideCeil(kh, sh),
                   llvm::divideCeil(kw, sw));
    input = padHighTo(rewriter, loc, input,
                      {batch, channels, phaseRows * sh, phaseW * sw});
    Value phases =
        createPhases(rewriter, loc, input, sh, sw, /*phasesFirst=*/true);
    auto phaseType =
        RankedTensorType::get({batch, channels, phaseRows, phaseW}, f32);
    for (int64_t p = 0; p < sh && p < kh; ++p) {
      for (int64_t q = 0; q < sw && q < kw; ++q) {
        ConvolutionTerm term;
        term.kh = llvm::divideCeil(kh - p, sh);
        term.kw = llvm::divideCeil(kw - q, sw);
        term.image =
            createSlice(rewriter, loc, phaseType, phases, {p, q, 0, 0, 0, 0},
                        {1, 1, batch, channels, phaseRows, phaseW});
        if (values) {
          std::vector<float> taps(filters * channels * term.kh * term.kw);
          int64_t index = 0;
          for (int64_t f = 0; f < filters; ++f)
            for (int64_t c = 0; c < channels; ++c)
              for (int64_t r = 0; r < term.kh; ++r)
                for (int64_t t = 0; t < term.kw; ++t, ++index)
                  taps[index] =
                      (*values)[((f * channels + c) * kh + r * sh + p) * kw +
                                t * sw + q];
          term.values = std::move(taps);
        } else {
          term.weight = createCopy(
              rewriter, loc, weight,
              AffineMap::get(4, 0, {d0, d1, d2 * sh + p, d3 * sw + q}, context),
              {filters, channels, term.kh, term.kw});
        }
        terms.push_back(std::move(term));
      }
    }
    width = phaseW;
  }

  // C: N x F/mr x mr x R x len (the filters padded to whole blocks),
  // zero-initialised, accumulated by each term in turn; the accumulator of
  // the convolution (zeros or the bias) is added when the valid filters
  // and positions are copied out.
  int64_t mr = filterBlock;
  int64_t blocks = llvm::divideCeil(filters, mr);
  Value zero = arith::ConstantOp::create(rewriter, loc, f32,
                                         rewriter.getF32FloatAttr(0));
  Value result = tensor::EmptyOp::create(
      rewriter, loc,
      ArrayRef<int64_t>{batch, blocks, mr, rows.count, rows.length}, f32);
  result = linalg::FillOp::create(rewriter, loc, zero, result).getResult(0);
  for (const ConvolutionTerm &term : terms) {
    Value a =
        blockWeight(rewriter, loc, term, filters, channels, mr, isResource);
    Value flat = tensor::CollapseShapeOp::create(
        rewriter, loc, term.image,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
    flat = spreadChannelRows(rewriter, loc, flat);
    result = buildDirectConvolution(rewriter, loc, a, flat, result, rows.stride,
                                    width * dh, dw)
                 .getResult(0);
  }
  auto outType = RankedTensorType::get({batch, filters, outH, outW}, f32);
  if (rows.stride != rows.length) {
    // Output rows: the result is N x F x OH x OW already.
    Value valid = tensor::CollapseShapeOp::create(
        rewriter, loc, result,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    if (blocks * mr != filters)
      valid = createSlice(rewriter, loc, outType, valid, {0, 0, 0, 0},
                          outType.getShape());
    return copyOutConvolution(rewriter, op, valid,
                              AffineMap::getMultiDimIdentityMap(4, context));
  }
  // Contiguous rows (panels, or a 1x1 kernel's positions): the first OH x
  // W positions of each filter, without the columns past OW.
  Value columns = tensor::CollapseShapeOp::create(
      rewriter, loc, result,
      ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3, 4}});
  Value valid = createSlice(
      rewriter, loc, RankedTensorType::get({batch, filters, outH * width}, f32),
      columns, {0, 0, 0}, {batch, filters, outH * width});
  valid = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({batch, filters, outH, width}, f32),
      valid, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  valid = createSlice(rewriter, loc, outType, valid, {0, 0, 0, 0},
                      outType.getShape());
  // Adding the accumulator (the bias) unless it is zero.
  return copyOutConvolution(rewriter, op, valid,
                            AffineMap::getMultiDimIdentityMap(4, context));
}

namespace {

/// `input`, a constant padding of X (N x C x H x W) with static pads, padded
/// again so that each row of X starts on a 64-byte boundary (16 floats)
/// and the rows are whole lines: the padding before each row grows to a
/// multiple of 16, the padding after it to the next multiple of 16 (a
/// padded row of at most 16 floats is only padded to 16).
/// Returns the new padding and how many columns each row moved right, or
/// `input` and 0 when it is not such a padding. The copy of X into the
/// padded buffer (which a window op's channel blocks rebuild in L1) then
/// stores whole aligned vectors: with a padding of one, every 64-byte store
/// of a row straddled two lines.
std::pair<Value, int64_t> alignPaddedRows(OpBuilder &b, Location loc,
                                          Value input) {
  auto pad = input.getDefiningOp<tensor::PadOp>();
  if (!pad || !pad.getConstantPaddingValue() ||
      pad.getSourceType().getRank() != 4 ||
      ShapedType::isDynamicShape(pad.getStaticLow()) ||
      ShapedType::isDynamicShape(pad.getStaticHigh()) ||
      !pad.getSourceType().hasStaticShape())
    return {input, 0};
  constexpr int64_t lineFloats = 16;
  SmallVector<int64_t> low(pad.getStaticLow()), high(pad.getStaticHigh());
  int64_t width = pad.getSourceType().getDimSize(3);
  int64_t shift = (lineFloats - low[3] % lineFloats) % lineFloats;
  // A padded row of at most one line is only padded to the whole line, not
  // moved: the padded copy of a 14 x 14 image then has rows of 16 floats,
  // not 32, half the buffer that every channel block fills and copies into
  // (a 3x3 depthwise convolution on 14 x 14 images ran 16% faster, on 7 x 7
  // images 11%).
  if (low[3] + width + high[3] <= lineFloats)
    shift = 0;
  int64_t total = llvm::alignTo(low[3] + shift + width + high[3], lineFloats);
  if (shift == 0 && total == low[3] + width + high[3])
    return {input, 0};
  low[3] += shift;
  high[3] = total - low[3] - width;
  SmallVector<int64_t> shape(pad.getResultType().getShape());
  shape[3] = total;
  Value aligned = tensor::PadOp::create(
      b, loc,
      RankedTensorType::get(shape, pad.getResultType().getElementType()),
      pad.getSource(), indexAttrs(b, low), indexAttrs(b, high),
      pad.getConstantPaddingValue());
  return {aligned, shift};
}

/// How the taps of a window reduction combine.
enum class WindowKind { Depthwise, Max, Sum };

/// The interior of a window reduction on an H x W image padded by `low`
/// (top, left) with an outH x outW output: the output rows y0..y1 and
/// columns x0..x1 (inclusive) whose taps all read rows and columns of the
/// image, or nullopt when there are none or when a row or column of
/// outputs beside them reads only padding.
std::optional<std::array<int64_t, 4>>
windowInterior(int64_t height, int64_t width, ArrayRef<int64_t> low,
               int64_t outH, int64_t outW, int64_t kh, int64_t kw,
               ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  int64_t sh = strides[0], sw = strides[1], dh = dilations[0],
          dw = dilations[1];
  int64_t y0 = llvm::divideCeil(low[0], sh),
          y1 = std::min(outH - 1, llvm::divideFloorSigned(
                                      height - 1 + low[0] - (kh - 1) * dh, sh)),
          x0 = llvm::divideCeil(low[1], sw),
          x1 = std::min(outW - 1, llvm::divideFloorSigned(
                                      width - 1 + low[1] - (kw - 1) * dw, sw));
  if (y0 > y1 || x0 > x1)
    return std::nullopt;
  // Every border region reads some of the image (with more padding than
  // the kernel spans, a row or column of outputs reads only padding).
  if ((y0 > 0 && (y0 - 1) * sh + (kh - 1) * dh < low[0]) ||
      (y1 + 1 < outH && (y1 + 1) * sh - low[0] >= height) ||
      (x0 > 0 && (x0 - 1) * sw + (kw - 1) * dw < low[1]) ||
      (x1 + 1 < outW && (x1 + 1) * sw - low[1] >= width))
    return std::nullopt;
  return std::array<int64_t, 4>{y0, y1, x0, x1};
}

/// The channels-last window reduction of `image` (N x H x W x C, unpadded)
/// padded by `low` (top, left; the bottom and right as the output needs)
/// with `padValue`,
/// built by regions of its N x OH x OW x C output so that no padded copy of
/// the whole image is made: the positions whose windows lie inside the
/// image (the interior) read it in place, the border rows and columns
/// padded copies of the strips they read. Each region is a channels-last
/// window op (taps through (n, c, y, x) -> (n, y, x, c), then
/// `tapWeights` and `bias` per channel when given, combined by
/// `combineTaps` from the bias or from nothing) writing its part of the
/// result in place. Returns the result and the interior's window op;
/// requires an interior (windowInterior).
std::pair<Value, linalg::GenericOp> buildWindowRegions(
    OpBuilder &b, Location loc, Value image, ArrayRef<int64_t> low,
    Value padValue, int64_t outH, int64_t outW, int64_t kh, int64_t kw,
    ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
    ArrayRef<Value> tapWeights, Value bias,
    function_ref<Value(OpBuilder &, Location, ValueRange, Value)> combineTaps) {
  MLIRContext *context = b.getContext();
  ArrayRef<int64_t> shape = cast<RankedTensorType>(image.getType()).getShape();
  int64_t batch = shape[0], height = shape[1], width = shape[2],
          channels = shape[3];
  int64_t sh = strides[0], sw = strides[1], dh = dilations[0],
          dw = dilations[1];
  auto [y0, y1, x0, x1] = *windowInterior(height, width, low, outH, outW, kh,
                                          kw, strides, dilations);
  AffineMap channelsLast = accml::channelsLastMap(context);
  AffineMap perChannel =
      AffineMap::get(4, 0, {getAffineDimExpr(1, context)}, context);
  Type f32 = b.getF32Type();
  Value result = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{batch, outH, outW, channels}, f32);
  // Rows [ya, yb) and columns [xa, xb) of the output.
  auto buildRegion = [&](int64_t ya, int64_t yb, int64_t xa,
                         int64_t xb) -> linalg::GenericOp {
    if (ya >= yb || xa >= xb)
      return {};
    // The rectangle of the padded image that the region reads, clipped to
    // the image; what it lacks is padding.
    int64_t rowStart = ya * sh - low[0],
            rows = (yb - 1 - ya) * sh + (kh - 1) * dh + 1,
            colStart = xa * sw - low[1],
            cols = (xb - 1 - xa) * sw + (kw - 1) * dw + 1;
    int64_t rowLo = std::max<int64_t>(rowStart, 0),
            rowHi = std::min(rowStart + rows, height),
            colLo = std::max<int64_t>(colStart, 0),
            colHi = std::min(colStart + cols, width);
    Value piece =
        createSlice(b, loc,
                    RankedTensorType::get(
                        {batch, rowHi - rowLo, colHi - colLo, channels}, f32),
                    image, {0, rowLo, colLo, 0},
                    {batch, rowHi - rowLo, colHi - colLo, channels});
    if (rowLo != rowStart || colLo != colStart || rowHi != rowStart + rows ||
        colHi != colStart + cols)
      piece = tensor::PadOp::create(
          b, loc, RankedTensorType::get({batch, rows, cols, channels}, f32),
          piece, indexAttrs(b, {0, rowLo - rowStart, colLo - colStart, 0}),
          indexAttrs(b,
                     {0, rowStart + rows - rowHi, colStart + cols - colHi, 0}),
          padValue);
    auto regionType =
        RankedTensorType::get({batch, yb - ya, xb - xa, channels}, f32);
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (int64_t r = 0; r < kh; ++r) {
      for (int64_t s = 0; s < kw; ++s) {
        inputs.push_back(tensor::ExtractSliceOp::create(
            b, loc, regionType, piece, indexAttrs(b, {0, r * dh, s * dw, 0}),
            indexAttrs(b, regionType.getShape()),
            indexAttrs(b, {1, sh, sw, 1})));
        maps.push_back(channelsLast);
      }
    }
    for (Value weight : tapWeights) {
      inputs.push_back(weight);
      maps.push_back(perChannel);
    }
    if (bias) {
      inputs.push_back(bias);
      maps.push_back(perChannel);
    }
    maps.push_back(channelsLast);
    SmallVector<int64_t> offsets = {0, ya, xa, 0};
    Value init =
        createSlice(b, loc, regionType, result, offsets, regionType.getShape());
    auto window = linalg::GenericOp::create(
        b, loc, regionType, inputs, ValueRange{init}, maps,
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          linalg::YieldOp::create(
              nested, nestedLoc,
              combineTaps(nested, nestedLoc, args,
                          bias ? args[inputs.size() - 1] : Value()));
        });
    result = tensor::InsertSliceOp::create(
        b, loc, window.getResult(0), result, indexAttrs(b, offsets),
        indexAttrs(b, regionType.getShape()), indexAttrs(b, {1, 1, 1, 1}));
    return window;
  };
  // The interior first (most of the work), then the columns beside it and
  // the rows above and below.
  linalg::GenericOp interior = buildRegion(y0, y1 + 1, x0, x1 + 1);
  buildRegion(y0, y1 + 1, 0, x0);
  buildRegion(y0, y1 + 1, x1 + 1, outW);
  buildRegion(0, y0, 0, outW);
  buildRegion(y1 + 1, outH, 0, outW);
  return {result, interior};
}

/// Replaces the NCHW window op `op` (a depthwise convolution or a pooling)
/// of `input` (padded), `kh x kw` taps, accumulator `acc` and, for
/// depthwise convolutions, `weight` (C x KH x KW) by one elementwise generic
/// over the output: per tap, a unit-stride OH x OW window of the input (of
/// the input's phases when strided), combined by multiply-add with the
/// tap's weight, maximum or sum, starting from the accumulator unless it is
/// the combination's identity.
FailureOr<linalg::GenericOp>
rewriteWindowReduction(RewriterBase &rewriter, linalg::LinalgOp op, Value input,
                       Value weight, Value acc, int64_t kh, int64_t kw,
                       ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                       WindowKind kind, int64_t channelsLastWidth) {
  if (!op.hasPureTensorSemantics() ||
      !llvm::all_of(op->getOperands(), isStaticF32))
    return rewriter.notifyMatchFailure(op, "not static f32 tensors");
  int64_t sh = strides[0], sw = strides[1], dh = dilations[0],
          dw = dilations[1];
  if ((sh != 1 || sw != 1) && (dh != 1 || dw != 1))
    return rewriter.notifyMatchFailure(op, "strided and dilated");
  MLIRContext *context = op.getContext();
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  ArrayRef<int64_t> inShape =
      cast<RankedTensorType>(input.getType()).getShape();
  auto accType = cast<RankedTensorType>(acc.getType());
  int64_t batch = inShape[0], channels = inShape[1], height = inShape[2],
          width = inShape[3];
  int64_t outH = accType.getDimSize(2), outW = accType.getDimSize(3);
  Type f32 = rewriter.getF32Type();
  AffineExpr d0, d1, d2, d3, d4, d5;
  bindDims(context, d0, d1, d2, d3, d4, d5);
  AffineMap identityMap = AffineMap::getMultiDimIdentityMap(4, context);
  AffineMap perChannel = AffineMap::get(4, 0, {d1}, context);
  int64_t taps = kh * kw;
  // One operand per tap: the window of the input it reads; then, for
  // depthwise convolutions, the tap's weights (one per channel). (Built by
  // regions: only the weights.)
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  bool regions = false;
  Value regionImage, regionBias;
  // The taps combine starting from the accumulator unless it is the
  // identity of the combination.
  double identity =
      kind == WindowKind::Max ? -std::numeric_limits<double>::infinity() : 0.0;
  // The image before its padding.
  Value source = input;
  auto pad = input.getDefiningOp<tensor::PadOp>();
  // (A padding value defined in the pad's region is cloned: the pad may
  // go.)
  Value padValue = pad ? pad.getConstantPaddingValue() : Value();
  if (padValue && pad.getRegion().isAncestor(padValue.getParentRegion())) {
    Operation *constant = padValue.getDefiningOp();
    padValue = constant && constant->hasTrait<OpTrait::ConstantLike>()
                   ? rewriter.clone(*constant)->getResult(0)
                   : Value();
  }
  bool repad = padValue && !ShapedType::isDynamicShape(pad.getStaticLow()) &&
               !ShapedType::isDynamicShape(pad.getStaticHigh()) &&
               pad.getStaticLow()[0] == 0 && pad.getStaticLow()[1] == 0 &&
               pad.getStaticHigh()[0] == 0 && pad.getStaticHigh()[1] == 0;
  if (repad)
    source = pad.getSource();
  ArrayRef<int64_t> sourceShape =
      cast<RankedTensorType>(source.getType()).getShape();
  // An image that arrives channels last (the transpose of an N x H x W x C
  // tensor) or a result that leaves channels last (its only use a
  // transpose to N x H x W x C): the channels-last form saves that
  // transpose instead of adding one, whatever the width.
  auto arriving = source.getDefiningOp<linalg::TransposeOp>();
  if (arriving && (arriving.getPermutation() != ArrayRef<int64_t>{0, 3, 1, 2} ||
                   !isStaticF32(arriving.getInput())))
    arriving = {};
  linalg::TransposeOp leaving;
  if (op->getResult(0).hasOneUse()) {
    leaving = dyn_cast<linalg::TransposeOp>(*op->getResult(0).user_begin());
    if (leaving && (leaving.getPermutation() != ArrayRef<int64_t>{0, 2, 3, 1} ||
                    leaving.getInput() != op->getResult(0) ||
                    !leaving.hasPureTensorSemantics()))
      leaving = {};
  }
  if (channels % 16 == 0 && channelsLastWidth > 0 &&
      (sourceShape[3] <= channelsLastWidth || arriving || leaving)) {
    // Channels last: the image copied to N x H x W x C (and padded there),
    // every tap a window of it (strided for strided kernels: no phases),
    // read through (n, c, y, x) -> (n, y, x, c), the weights KH x KW x C.
    // Vectorised across channels, a 7 x 7 image's rows are no longer
    // 7-lane vectors; the copies to and from NCHW transpose 16 x 16 tiles
    // (see accml-tile-and-fuse), which costs more than it saves from 8
    // columns up.
    Value last = arriving ? arriving.getInput()
                          : createLayoutCopy(rewriter, loc, source,
                                             /*toLast=*/true);
    // A padded image that arrives channels last, wider than the small
    // images: windows by regions (buildWindowRegions), no padded copy of
    // the whole image (on 14 x 14 x 576, that copy took half the time). A
    // result that leaves channels last then needs an accumulator that the
    // regions can start from: none, or a bias.
    if (arriving && repad && sourceShape[3] > channelsLastWidth &&
        windowInterior(height - pad.getStaticLow()[2] - pad.getStaticHigh()[2],
                       width - pad.getStaticLow()[3] - pad.getStaticHigh()[3],
                       pad.getStaticLow().drop_front(2), outH, outW, kh, kw,
                       strides, dilations)) {
      regions = true;
      if (leaving && !isFilledWith(acc, identity)) {
        regionBias = broadcastChannels(acc);
        regions = static_cast<bool>(regionBias);
      }
    }
    if (repad && !regions) {
      ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
      last = tensor::PadOp::create(
          rewriter, loc,
          RankedTensorType::get({batch, height, width, channels}, f32), last,
          indexAttrs(rewriter, {0, low[2], low[3], 0}),
          indexAttrs(rewriter, {0, high[2], high[3], 0}), padValue);
    }
    AffineMap channelsLast = accml::channelsLastMap(context);
    auto windowType = RankedTensorType::get({batch, outH, outW, channels}, f32);
    for (int64_t r = 0; r < kh && !regions; ++r) {
      for (int64_t s = 0; s < kw; ++s) {
        operands.push_back(tensor::ExtractSliceOp::create(
            rewriter, loc, windowType, last,
            indexAttrs(rewriter, {0, r * dh, s * dw, 0}),
            indexAttrs(rewriter, windowType.getShape()),
            indexAttrs(rewriter, {1, sh, sw, 1})));
        maps.push_back(channelsLast);
      }
    }
    regionImage = last;
    if (kind == WindowKind::Depthwise) {
      // KH x KW x C: each tap's weights contiguous (rearranged once when
      // constant).
      bool isResource = false;
      std::optional<std::vector<float>> values =
          getConstantValues(weight, isResource);
      auto tapMajorType = RankedTensorType::get({kh, kw, channels}, f32);
      Value tapMajor;
      if (values) {
        std::vector<float> rearranged(values->size());
        for (int64_t c = 0; c < channels; ++c)
          for (int64_t t = 0; t < taps; ++t)
            rearranged[t * channels + c] = (*values)[c * taps + t];
        tapMajor = createConstant(rewriter, loc, tapMajorType, rearranged,
                                  isResource, "taps");
      } else {
        tapMajor = createCopy(rewriter, loc, weight,
                              AffineMap::get(3, 0,
                                             {getAffineDimExpr(2, context),
                                              getAffineDimExpr(0, context),
                                              getAffineDimExpr(1, context)},
                                             context),
                              tapMajorType.getShape());
      }
      auto tapType = RankedTensorType::get({channels}, f32);
      for (int64_t r = 0; r < kh; ++r) {
        for (int64_t s = 0; s < kw; ++s) {
          operands.push_back(createSlice(rewriter, loc, tapType, tapMajor,
                                         {r, s, 0}, {1, 1, channels}));
          maps.push_back(perChannel);
        }
      }
    }
  } else {
    // The phases of a strided input (space-to-depth): tap (r, s) then
    // reads phase (r % sh, s % sw) at unit stride. (Valid outputs never
    // read the rows and columns padded here.)
    int64_t phaseH = llvm::divideCeil(height, sh),
            phaseW = llvm::divideCeil(width, sw);
    // Phase rows of 9 to 15 columns are padded to one register (16
    // lanes): the taps' reads are then whole registers within the row,
    // from an aligned column (a 28 x 28 image's phases of 15 columns were
    // read with masks; 7.5% of MobileNetV2's 3x3/2 layer on it).
    if ((sh != 1 || sw != 1) && phaseW > kVectorLanes / 2 &&
        phaseW < kVectorLanes)
      phaseW = kVectorLanes;
    if (sh != 1 || sw != 1) {
      input = padHighTo(rewriter, loc, input,
                        {batch, channels, phaseH * sh, phaseW * sw});
      input = createPhases(rewriter, loc, input, sh, sw, /*phasesFirst=*/false);
    }
    // The interior of a padded input starts on a cache line.
    int64_t shift = 0;
    if (sh == 1 && sw == 1)
      std::tie(input, shift) = alignPaddedRows(rewriter, loc, input);
    auto windowType = RankedTensorType::get({batch, channels, outH, outW}, f32);
    for (int64_t r = 0; r < kh; ++r) {
      for (int64_t s = 0; s < kw; ++s) {
        if (sh == 1 && sw == 1)
          operands.push_back(createSlice(rewriter, loc, windowType, input,
                                         {0, 0, r * dh, s * dw + shift},
                                         windowType.getShape()));
        else
          operands.push_back(createSlice(rewriter, loc, windowType, input,
                                         {0, 0, r % sh, s % sw, r / sh, s / sw},
                                         {batch, channels, 1, 1, outH, outW}));
        maps.push_back(identityMap);
      }
    }
    if (kind == WindowKind::Depthwise) {
      auto tapType = RankedTensorType::get({channels}, f32);
      for (int64_t r = 0; r < kh; ++r) {
        for (int64_t s = 0; s < kw; ++s) {
          operands.push_back(createSlice(rewriter, loc, tapType, weight,
                                         {0, r, s}, {channels, 1, 1}));
          maps.push_back(perChannel);
        }
      }
    }
  }
  // In tap order, from `accumulator` (null: from the first tap).
  // `value` combined with one more tap's `tap` (and `tapWeight`); a null
  // `value` starts the combination.
  auto combine = [&](OpBuilder &b, Location nested, Value value, Value tap,
                     Value tapWeight) -> Value {
    switch (kind) {
    case WindowKind::Depthwise:
      return value
                 ? math::FmaOp::create(b, nested, tap, tapWeight, value)
                       .getResult()
                 : arith::MulFOp::create(b, nested, tap, tapWeight).getResult();
    case WindowKind::Max:
      return value
                 ? arith::MaximumFOp::create(b, nested, value, tap).getResult()
                 : tap;
    case WindowKind::Sum:
      return value ? arith::AddFOp::create(b, nested, value, tap).getResult()
                   : tap;
    }
    llvm_unreachable("unknown window kind");
  };
  auto combineTaps = [&](OpBuilder &b, Location nested, ValueRange args,
                         Value accumulator) {
    Value value = accumulator;
    for (int64_t t = 0; t < taps; ++t)
      value = combine(b, nested, value, args[t],
                      kind == WindowKind::Depthwise ? args[taps + t] : Value());
    return value;
  };
  // The copy of a channels-last window result to NCHW, combined with the
  // accumulator.
  auto createCopyOut = [&](Value window) {
    return createAccumulatingGeneric(
        rewriter, loc, accType, {window}, {accml::channelsLastMap(context)},
        acc, identity,
        [&](OpBuilder &b, Location nested, ValueRange args, Value accumulator) {
          if (!accumulator)
            return args[0];
          if (kind == WindowKind::Max)
            return arith::MaximumFOp::create(b, nested, accumulator, args[0])
                .getResult();
          return arith::AddFOp::create(b, nested, accumulator, args[0])
              .getResult();
        });
  };
  // The NCHW image that only the window op read (and an accumulator that
  // the regions replaced by its bias).
  auto eraseDeadImage = [&] {
    if (Operation *producer = acc.getDefiningOp();
        regionBias && producer->use_empty())
      rewriter.eraseOp(producer);
    if (repad && pad->use_empty())
      rewriter.eraseOp(pad);
    if (arriving && arriving->use_empty())
      rewriter.eraseOp(arriving);
  };
  if (regions) {
    auto [window, interior] = buildWindowRegions(
        rewriter, loc, regionImage, pad.getStaticLow().drop_front(2), padValue,
        outH, outW, kh, kw, strides, dilations, operands,
        leaving ? regionBias : Value(), combineTaps);
    if (leaving) {
      rewriter.replaceOp(leaving, window);
      rewriter.eraseOp(op);
      eraseDeadImage();
      return interior;
    }
    auto copyOut = createCopyOut(window);
    rewriter.replaceOp(op, copyOut.getResult(0));
    eraseDeadImage();
    return copyOut;
  }
  if (leaving && !maps.empty() && maps.front() != identityMap) {
    // Channels last throughout: one window op accumulates and writes
    // N x OH x OW x C, replacing the transpose.
    auto result =
        createAccumulatingGeneric(rewriter, loc, accType, operands, maps, acc,
                                  identity, combineTaps, maps.front());
    rewriter.replaceOp(leaving, result.getResult(0));
    rewriter.eraseOp(op);
    eraseDeadImage();
    return result;
  }
  if (!maps.empty() && maps.front() != identityMap) {
    // Channels last: the window op writes N x OH x OW x C too (its tiles
    // are then whole registers of channels, no transposes), and a copy-out
    // to NCHW adds the accumulator: the transposes are all in the copies.
    AffineMap channelsLast = maps.front();
    SmallVector<AffineMap> windowMaps(maps);
    windowMaps.push_back(channelsLast);
    Value init = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{batch, outH, outW, channels}, f32);
    auto window = linalg::GenericOp::create(
        rewriter, loc, init.getType(), operands, ValueRange{init}, windowMaps,
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location nested, ValueRange args) {
          linalg::YieldOp::create(b, nested,
                                  combineTaps(b, nested, args, Value()));
        });
    auto copyOut = createCopyOut(window.getResult(0));
    rewriter.replaceOp(op, copyOut.getResult(0));
    eraseDeadImage();
    return copyOut;
  }
  auto result = createAccumulatingGeneric(rewriter, loc, accType, operands,
                                          maps, acc, identity, combineTaps);
  rewriter.replaceOp(op, result.getResult(0));
  return result;
}

} // namespace

AffineMap accml::channelsLastMap(MLIRContext *context) {
  AffineExpr n, c, y, x;
  bindDims(context, n, c, y, x);
  return AffineMap::get(4, 0, {n, y, x, c}, context);
}

FailureOr<linalg::GenericOp>
accml::rewriteDepthwiseConvolution(RewriterBase &rewriter,
                                   linalg::DepthwiseConv2DNchwChwOp op,
                                   int64_t channelsLastWidth) {
  Value weight = op.getDpsInputs()[1];
  auto weightType = dyn_cast<RankedTensorType>(weight.getType());
  if (!weightType || weightType.getRank() != 3)
    return rewriter.notifyMatchFailure(op, "unexpected weight");
  return rewriteWindowReduction(
      rewriter, op, op.getDpsInputs()[0], weight, op.getDpsInits()[0],
      weightType.getDimSize(1), weightType.getDimSize(2),
      llvm::to_vector(op.getStrides().getValues<int64_t>()),
      llvm::to_vector(op.getDilations().getValues<int64_t>()),
      WindowKind::Depthwise, channelsLastWidth);
}

FailureOr<linalg::GenericOp> accml::rewritePooling(RewriterBase &rewriter,
                                                   linalg::LinalgOp op,
                                                   int64_t channelsLastWidth) {
  WindowKind kind;
  if (isa<linalg::PoolingNchwMaxOp>(op))
    kind = WindowKind::Max;
  else if (isa<linalg::PoolingNchwSumOp>(op))
    kind = WindowKind::Sum;
  else
    return rewriter.notifyMatchFailure(op, "not an NCHW max or sum pooling");
  auto window = dyn_cast<RankedTensorType>(op.getDpsInputs()[1].getType());
  if (!window || window.getRank() != 2)
    return rewriter.notifyMatchFailure(op, "unexpected window");
  auto stridesAttr = op->getAttrOfType<DenseIntElementsAttr>("strides");
  auto dilationsAttr = op->getAttrOfType<DenseIntElementsAttr>("dilations");
  if (!stridesAttr || !dilationsAttr)
    return rewriter.notifyMatchFailure(op, "no strides or dilations");
  return rewriteWindowReduction(
      rewriter, op, op.getDpsInputs()[0], Value(), op.getDpsInits()[0],
      window.getDimSize(0), window.getDimSize(1),
      llvm::to_vector(stridesAttr.getValues<int64_t>()),
      llvm::to_vector(dilationsAttr.getValues<int64_t>()), kind,
      channelsLastWidth);
}

FailureOr<scf::ForallOp> accml::splitBatchMatmul(RewriterBase &rewriter,
                                                 linalg::BatchMatmulOp op) {
  if (!op.hasPureTensorSemantics() || op.hasUserDefinedMaps() ||
      !llvm::all_of(op->getOperands(), isStaticF32))
    return rewriter.notifyMatchFailure(op, "not a static f32 batch_matmul");
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value init = op.getDpsInits()[0];
  int64_t batch = cast<RankedTensorType>(init.getType()).getDimSize(0);
  // The batch's M x K, K x N and M x N slices.
  auto slice = [&](OpBuilder &b, Value operand, Value index) -> Value {
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(operand.getType()).getShape();
    return tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get({shape[1], shape[2]}, b.getF32Type()),
        operand,
        ArrayRef<OpFoldResult>{index, b.getIndexAttr(0), b.getIndexAttr(0)},
        indexAttrs(b, {1, shape[1], shape[2]}), indexAttrs(b, {1, 1, 1}));
  };
  auto forall = scf::ForallOp::create(
      rewriter, loc, ArrayRef<OpFoldResult>{rewriter.getIndexAttr(batch)},
      ValueRange{init}, std::nullopt);
  Block *body = forall.getBody();
  Value index = forall.getInductionVar(0);
  OpBuilder b = OpBuilder::atBlockBegin(body);
  Value shared = forall.getRegionIterArgs()[0];
  auto matmul = linalg::MatmulOp::create(
      b, loc,
      ValueRange{slice(b, op.getDpsInputs()[0], index),
                 slice(b, op.getDpsInputs()[1], index)},
      ValueRange{slice(b, shared, index)});
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  ArrayRef<int64_t> shape = cast<RankedTensorType>(init.getType()).getShape();
  tensor::ParallelInsertSliceOp::create(
      b, loc, matmul.getResult(0), shared,
      ArrayRef<OpFoldResult>{index, b.getIndexAttr(0), b.getIndexAttr(0)},
      indexAttrs(b, {1, shape[1], shape[2]}), indexAttrs(b, {1, 1, 1}));
  rewriter.replaceOp(op, forall.getResults());
  return forall;
}

LogicalResult accml::splitGroupedConvolution(RewriterBase &rewriter,
                                             linalg::Conv2DNgchwGfchwOp op) {
  if (!op.hasPureTensorSemantics() ||
      !llvm::all_of(op->getOperands(), isStaticF32))
    return rewriter.notifyMatchFailure(op, "not a static f32 convolution");
  Value input = op.getDpsInputs()[0], weight = op.getDpsInputs()[1],
        acc = op.getDpsInits()[0];
  ArrayRef<int64_t> in = cast<RankedTensorType>(input.getType()).getShape();
  ArrayRef<int64_t> w = cast<RankedTensorType>(weight.getType()).getShape();
  ArrayRef<int64_t> out = cast<RankedTensorType>(acc.getType()).getShape();
  int64_t groups = in[1];
  if (groups > kMaxSplitGroups)
    return rewriter.notifyMatchFailure(op, "too many groups to split");
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Type f32 = rewriter.getF32Type();
  auto inType = RankedTensorType::get({in[0], in[2], in[3], in[4]}, f32);
  auto wType = RankedTensorType::get({w[1], w[2], w[3], w[4]}, f32);
  auto outType = RankedTensorType::get({out[0], out[2], out[3], out[4]}, f32);
  Value result = acc;
  for (int64_t g = 0; g < groups; ++g) {
    Value groupInput =
        createSlice(rewriter, loc, inType, input, {0, g, 0, 0, 0},
                    {in[0], 1, in[2], in[3], in[4]});
    Value groupWeight =
        createSlice(rewriter, loc, wType, weight, {g, 0, 0, 0, 0},
                    {1, w[1], w[2], w[3], w[4]});
    SmallVector<int64_t> outOffsets = {0, g, 0, 0, 0};
    SmallVector<int64_t> outSizes = {out[0], 1, out[2], out[3], out[4]};
    Value groupAcc =
        createSlice(rewriter, loc, outType, acc, outOffsets, outSizes);
    Value conv = linalg::Conv2DNchwFchwOp::create(
                     rewriter, loc, TypeRange{outType},
                     ValueRange{groupInput, groupWeight}, ValueRange{groupAcc},
                     op.getStrides(), op.getDilations())
                     .getResult(0);
    result = tensor::InsertSliceOp::create(
        rewriter, loc, conv, result, indexAttrs(rewriter, outOffsets),
        indexAttrs(rewriter, outSizes), indexAttrs(rewriter, {1, 1, 1, 1, 1}));
  }
  rewriter.replaceOp(op, result);
  return success();
}

namespace {

struct AccmlPackPass : accml::impl::AccmlPackPassBase<AccmlPackPass> {
  using AccmlPackPassBase::AccmlPackPassBase;

  void runOnOperation() override {
    if (panelWidth < 1 || filterBlock < 1) {
      getOperation().emitError()
          << "accml-pack: " << (panelWidth < 1 ? "panel-width" : "filter-block")
          << " must be positive";
      return signalPassFailure();
    }
    if (channelsLastWidth < 0) {
      getOperation().emitError(
          "accml-pack: channels-last-width must not be negative (0: never)");
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    // Batched matmuls: one matmul per batch (packed below with the others).
    SmallVector<linalg::BatchMatmulOp> batched;
    getOperation().walk(
        [&](linalg::BatchMatmulOp op) { batched.push_back(op); });
    for (linalg::BatchMatmulOp op : batched)
      (void)accml::splitBatchMatmul(rewriter, op);
    // Weights stored transposed (linear layers) are transposed once, here.
    SmallVector<linalg::TransposeOp> transposes;
    getOperation().walk(
        [&](linalg::TransposeOp op) { transposes.push_back(op); });
    for (linalg::TransposeOp op : transposes)
      (void)foldConstantTranspose(rewriter, op);
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) {
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      // Rows of A reuse each panel; with fewer than minRows of them the copy
      // costs more than it saves.
      if (!ShapedType::isDynamicShape(dims) && dims[0] >= minRows)
        matmuls.push_back(op);
    });
    for (linalg::MatmulOp op : matmuls)
      (void)accml::packMatmul(rewriter, op, panelWidth);
    if (convolutions)
      rewriteConvolutions(rewriter);
    // Transposes between NCHW and channels last that no window op took
    // over: copies that accml-tile-and-fuse transposes in registers.
    transposes.clear();
    getOperation().walk(
        [&](linalg::TransposeOp op) { transposes.push_back(op); });
    for (linalg::TransposeOp op : transposes)
      (void)rewriteLayoutTranspose(rewriter, op);
  }

  /// Convolutions as packed matmuls or direct convolutions, depthwise
  /// convolutions and poolings as window reductions.
  void rewriteConvolutions(RewriterBase &rewriter) {
    // Grouped convolutions: one convolution per group first.
    SmallVector<linalg::Conv2DNgchwGfchwOp> grouped;
    getOperation().walk(
        [&](linalg::Conv2DNgchwGfchwOp op) { grouped.push_back(op); });
    for (linalg::Conv2DNgchwGfchwOp op : grouped)
      (void)accml::splitGroupedConvolution(rewriter, op);
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation().walk(
        [&](linalg::Conv2DNchwFchwOp op) { convs.push_back(op); });
    // The generics that replace convolutions absorb their bias broadcasts
    // and elementwise consumers (activations), as the convolutions'
    // accumulators and consumers would have been.
    for (linalg::Conv2DNchwFchwOp op : convs) {
      FailureOr<linalg::GenericOp> result = accml::packConvolution(
          rewriter, op, panelWidth, filterBlock, outputRows);
      if (succeeded(result))
        fuseElementwiseNeighbours(rewriter, *result);
    }
    SmallVector<linalg::DepthwiseConv2DNchwChwOp> depthwise;
    getOperation().walk(
        [&](linalg::DepthwiseConv2DNchwChwOp op) { depthwise.push_back(op); });
    for (linalg::DepthwiseConv2DNchwChwOp op : depthwise) {
      if (flatDepthwise > 0 &&
          succeeded(accml::rewriteFlatDepthwise(rewriter, op, flatDepthwise)))
        continue;
      if (stridedWindows &&
          succeeded(accml::rewriteStridedWindow(rewriter, op)))
        continue;
      FailureOr<linalg::GenericOp> result =
          accml::rewriteDepthwiseConvolution(rewriter, op, channelsLastWidth);
      if (succeeded(result))
        fuseElementwiseNeighbours(rewriter, *result);
    }
    SmallVector<linalg::LinalgOp> pools;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isa<linalg::PoolingNchwMaxOp, linalg::PoolingNchwSumOp>(op))
        pools.push_back(op);
    });
    for (linalg::LinalgOp op : pools) {
      if (stridedWindows &&
          succeeded(accml::rewriteStridedWindow(rewriter, op)))
        continue;
      FailureOr<linalg::GenericOp> result =
          accml::rewritePooling(rewriter, op, channelsLastWidth);
      if (succeeded(result))
        fuseElementwiseNeighbours(rewriter, *result);
    }
  }

  /// Fuses into the all-parallel `op` the elementwise generics producing its
  /// inputs, then the elementwise generic consuming its only result, as
  /// long as linalg's elementwise fusion applies.
  static void fuseElementwiseNeighbours(RewriterBase &rewriter,
                                        linalg::GenericOp op) {
    auto fuse = [&](OpOperand *operand) -> linalg::GenericOp {
      auto producer = operand->get().getDefiningOp<linalg::GenericOp>();
      // (A channels-last window op stays apart from its copy-out.)
      if (!producer || accml::isPackedMatmul(producer) ||
          accml::isDirectConvolution(producer) ||
          (accml::isWindowOp(producer) &&
           !producer.getMatchingIndexingMap(producer.getDpsInitOperand(0))
                .isIdentity()) ||
          !linalg::areElementwiseOpsFusable(operand))
        return {};
      Operation *consumer = operand->getOwner();
      rewriter.setInsertionPoint(consumer);
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, operand);
      if (failed(fused))
        return {};
      for (auto [original, replacement] : fused->replacements)
        rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
          return use.getOwner() != fused->fusedOp;
        });
      if (consumer->use_empty())
        rewriter.eraseOp(consumer);
      if (producer->use_empty())
        rewriter.eraseOp(producer);
      return cast<linalg::GenericOp>(fused->fusedOp);
    };
    bool changed = true;
    while (changed) {
      changed = false;
      for (OpOperand *input : op.getDpsInputOperands()) {
        if (linalg::GenericOp fused = fuse(input)) {
          op = fused;
          changed = true;
          break;
        }
      }
    }
    while (op->hasOneUse()) {
      OpOperand &use = *op->getUses().begin();
      auto consumer = dyn_cast<linalg::GenericOp>(use.getOwner());
      if (!consumer || !consumer.isDpsInput(&use))
        return;
      linalg::GenericOp fused = fuse(&use);
      if (!fused)
        return;
      op = fused;
    }
  }
};

} // namespace
