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
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"
#include "accml/Dialect/Accml/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Utils/Utils.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

namespace accml {
#define GEN_PASS_DEF_ACCMLPACKPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;

namespace {

/// The maps of the packed contraction, loops (m, n0, n1, k).
SmallVector<AffineMap> packedMatmulMaps(MLIRContext *context) {
  AffineExpr m, n0, n1, k;
  bindDims(context, m, n0, n1, k);
  return {AffineMap::get(4, 0, {m, k}, context),
          AffineMap::get(4, 0, {n0, k, n1}, context),
          AffineMap::get(4, 0, {m, n0, n1}, context)};
}

/// The panels of B when B is a constant (a dense literal or an f32 dense
/// resource) of `columns` columns: Bp[n0][k][n1] = B[k][n0 * nr + n1],
/// zero past the last column. A resource gives a resource (large weights
/// stay out of the attribute storage).
std::optional<TypedAttr> packConstant(Value b, RankedTensorType packedType,
                                      int64_t columns) {
  ElementsAttr attr;
  if (!matchPattern(b, m_Constant(&attr)))
    return std::nullopt;
  int64_t panels = packedType.getDimSize(0), rows = packedType.getDimSize(1),
          width = packedType.getDimSize(2);
  std::vector<float> values;
  auto resource = dyn_cast<DenseF32ResourceElementsAttr>(attr);
  if (resource) {
    std::optional<ArrayRef<float>> data = resource.tryGetAsArrayRef();
    if (!data || static_cast<int64_t>(data->size()) != rows * columns)
      return std::nullopt;
    values.assign(data->begin(), data->end());
  } else if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    auto range = dense.getValues<float>();
    values.assign(range.begin(), range.end());
  } else {
    return std::nullopt;
  }
  std::vector<float> result(panels * rows * width, 0.0f);
  for (int64_t panel = 0; panel < panels; ++panel)
    for (int64_t k = 0; k < rows; ++k)
      for (int64_t j = 0; j < width && panel * width + j < columns; ++j)
        result[(panel * rows + k) * width + j] =
            values[k * columns + panel * width + j];
  if (resource)
    return TypedAttr(DenseF32ResourceElementsAttr::get(
        packedType, "packed",
        HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef(result))));
  return TypedAttr(DenseElementsAttr::get(packedType, ArrayRef(result)));
}

bool isStaticF32(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32();
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
  // acc + a * b.
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
  Value packed;
  if (std::optional<TypedAttr> constant = packConstant(b, packedType, sizeN)) {
    // Constant weights are packed once, here.
    packed = arith::ConstantOp::create(rewriter, loc, *constant);
  } else {
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
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  auto contraction = linalg::GenericOp::create(
      rewriter, loc, cPanels.getType(), ValueRange{a, packed},
      ValueRange{cPanels}, packedMatmulMaps(context), iterators,
      [](OpBuilder &builder, Location nested, ValueRange args) {
        Value product =
            arith::MulFOp::create(builder, nested, args[0], args[1]);
        Value sum = arith::AddFOp::create(builder, nested, args[2], product);
        linalg::YieldOp::create(builder, nested, sum);
      });
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

struct AccmlPackPass : accml::impl::AccmlPackPassBase<AccmlPackPass> {
  using AccmlPackPassBase::AccmlPackPassBase;

  void runOnOperation() override {
    if (panelWidth < 1) {
      getOperation().emitError("accml-pack: panel-width must be positive");
      return signalPassFailure();
    }
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) {
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      // Rows of A reuse each panel; with fewer than minRows of them the copy
      // costs more than it saves.
      if (!ShapedType::isDynamicShape(dims) && dims[0] >= minRows)
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::MatmulOp op : matmuls)
      (void)accml::packMatmul(rewriter, op, panelWidth);
  }
};

} // namespace
