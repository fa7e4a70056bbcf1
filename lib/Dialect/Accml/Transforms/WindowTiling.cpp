//===- WindowTiling.cpp - Window ops tiled by channel blocks --------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Part of accml-tile-and-fuse: the window ops that accml-pack makes of
// depthwise convolutions and poolings read every kernel tap as a window of
// a padded copy of the image (of its phases when strided). Computed whole,
// that copy streams the image through memory twice more than the window op
// itself (a fill, a copy, then the taps' reads). Tiled by channel blocks,
// each block rebuilds its part of the copy in a buffer that stays in L1
// and reads its taps from there: the image is read from memory once.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;

namespace {

/// Whether the slice with `offsets`, `sizes` and `strides` of a tensor of
/// `shape` covers its batch and channel dimensions (0 and 1: offset 0, the
/// whole size) with unit strides, and the sliced tensor (`sliceShape`, of
/// a rank-reducing slice possibly) keeps them as its first two.
bool keepsBatchAndChannels(ArrayRef<int64_t> shape,
                           ArrayRef<int64_t> sliceShape,
                           ArrayRef<OpFoldResult> offsets,
                           ArrayRef<OpFoldResult> sizes,
                           ArrayRef<OpFoldResult> strides) {
  if (shape.size() < 2 || sliceShape.size() < 2 ||
      ShapedType::isDynamicShape(shape) ||
      ShapedType::isDynamicShape(sliceShape))
    return false;
  for (int dim = 0; dim < 2; ++dim)
    if (!isConstantIntValue(offsets[dim], 0) ||
        !isConstantIntValue(sizes[dim], shape[dim]) ||
        sliceShape[dim] != shape[dim])
      return false;
  return llvm::all_of(strides,
                      [](OpFoldResult s) { return isConstantIntValue(s, 1); });
}

/// `shape` with its batch and channel dimensions replaced by 1 and `block`.
SmallVector<int64_t> blockShape(ArrayRef<int64_t> shape, int64_t block) {
  SmallVector<int64_t> part(shape);
  part[0] = 1;
  part[1] = block;
  return part;
}

/// `values` with its first two entries replaced by `first` and `second`.
SmallVector<OpFoldResult> withFirstTwo(ArrayRef<OpFoldResult> values,
                                       OpFoldResult first,
                                       OpFoldResult second) {
  SmallVector<OpFoldResult> result(values);
  result[0] = first;
  result[1] = second;
  return result;
}

/// Whether the all-parallel generic `op` computes each (batch, channel)
/// from the same (batch, channel) of its operands only: every map starts
/// with d0, d1 and uses them nowhere else, no index computations.
bool isPerChannel(linalg::GenericOp op) {
  if (op.getNumLoops() < 2 || op.getNumReductionLoops() != 0 ||
      !op.hasPureTensorSemantics() || op.hasIndexSemantics())
    return false;
  MLIRContext *context = op.getContext();
  AffineExpr d0 = getAffineDimExpr(0, context),
             d1 = getAffineDimExpr(1, context);
  for (AffineMap map : op.getIndexingMapsArray()) {
    if (map.getNumResults() < 2 || map.getResult(0) != d0 ||
        map.getResult(1) != d1)
      return false;
    for (AffineExpr result : map.getResults().drop_front(2))
      if (result.isFunctionOfDim(0) || result.isFunctionOfDim(1))
        return false;
  }
  return true;
}

/// Rebuilds at the rewriter's insertion point the part of `value` (N x C x
/// ...) for batch `n` and channels `c` .. `c` + `block` - 1: pads, fills,
/// slices, insertions and per-channel generics are recomputed on the parts
/// of their operands, anything else is sliced. `parts` remembers the parts
/// built so far.
Value buildPart(RewriterBase &rewriter, Location loc, Value value,
                OpFoldResult n, OpFoldResult c, int64_t block,
                DenseMap<Value, Value> &parts) {
  if (Value known = parts.lookup(value))
    return known;
  auto type = cast<RankedTensorType>(value.getType());
  auto partType = RankedTensorType::get(blockShape(type.getShape(), block),
                                        type.getElementType());
  OpFoldResult zero = rewriter.getIndexAttr(0);
  OpFoldResult one = rewriter.getIndexAttr(1);
  OpFoldResult blockSize = rewriter.getIndexAttr(block);
  auto partOf = [&](Value operand) {
    return buildPart(rewriter, loc, operand, n, c, block, parts);
  };
  Operation *producer = value.getDefiningOp();
  Value part;
  auto pad = dyn_cast_or_null<tensor::PadOp>(producer);
  if (pad && pad.getConstantPaddingValue() && pad.getLow().empty() &&
      pad.getHigh().empty() && pad.getStaticLow()[0] == 0 &&
      pad.getStaticLow()[1] == 0 && pad.getStaticHigh()[0] == 0 &&
      pad.getStaticHigh()[1] == 0) {
    part = tensor::PadOp::create(
        rewriter, loc, partType, partOf(pad.getSource()), pad.getMixedLowPad(),
        pad.getMixedHighPad(), pad.getConstantPaddingValue());
  } else if (auto fill = dyn_cast_or_null<linalg::FillOp>(producer)) {
    part = linalg::FillOp::create(rewriter, loc, fill.getDpsInputs()[0],
                                  partOf(fill.getDpsInits()[0]))
               .getResult(0);
  } else if (isa_and_nonnull<tensor::EmptyOp>(producer)) {
    part = tensor::EmptyOp::create(rewriter, loc, partType.getShape(),
                                   partType.getElementType());
  } else if (auto insert = dyn_cast_or_null<tensor::InsertSliceOp>(producer);
             insert && keepsBatchAndChannels(
                           type.getShape(), insert.getSourceType().getShape(),
                           insert.getMixedOffsets(), insert.getMixedSizes(),
                           insert.getMixedStrides())) {
    part = tensor::InsertSliceOp::create(
        rewriter, loc, partOf(insert.getSource()), partOf(insert.getDest()),
        withFirstTwo(insert.getMixedOffsets(), zero, zero),
        withFirstTwo(insert.getMixedSizes(), one, blockSize),
        insert.getMixedStrides());
  } else if (auto extract = dyn_cast_or_null<tensor::ExtractSliceOp>(producer);
             extract && keepsBatchAndChannels(
                            extract.getSourceType().getShape(), type.getShape(),
                            extract.getMixedOffsets(), extract.getMixedSizes(),
                            extract.getMixedStrides())) {
    part = tensor::ExtractSliceOp::create(
        rewriter, loc, partType, partOf(extract.getSource()),
        withFirstTwo(extract.getMixedOffsets(), zero, zero),
        withFirstTwo(extract.getMixedSizes(), one, blockSize),
        extract.getMixedStrides());
  } else if (auto generic = dyn_cast_or_null<linalg::GenericOp>(producer);
             generic && isPerChannel(generic)) {
    SmallVector<Value> inputs, inits;
    for (Value input : generic.getDpsInputs())
      inputs.push_back(partOf(input));
    for (Value init : generic.getDpsInits())
      inits.push_back(partOf(init));
    SmallVector<Type> resultTypes;
    for (Value init : inits)
      resultTypes.push_back(init.getType());
    auto clone = linalg::GenericOp::create(
        rewriter, loc, resultTypes, inputs, inits,
        generic.getIndexingMapsArray(), generic.getIteratorTypesArray());
    rewriter.cloneRegionBefore(generic.getRegion(), clone.getRegion(),
                               clone.getRegion().end());
    for (auto [result, partResult] :
         llvm::zip(generic->getResults(), clone->getResults()))
      parts[result] = partResult;
    part = clone->getResult(cast<OpResult>(value).getResultNumber());
  } else {
    SmallVector<OpFoldResult> offsets(type.getRank(), zero);
    SmallVector<OpFoldResult> sizes;
    for (int64_t size : type.getShape())
      sizes.push_back(rewriter.getIndexAttr(size));
    SmallVector<OpFoldResult> strides(type.getRank(), one);
    part = tensor::ExtractSliceOp::create(
        rewriter, loc, partType, value, withFirstTwo(offsets, n, c),
        withFirstTwo(sizes, one, blockSize), strides);
  }
  parts[value] = part;
  return part;
}

/// The padded copy (the result of a tensor.pad, or of the insertions that
/// build the phases of a strided kernel's input) that the input `operand`
/// of a window op is a window of: the source of the slice `operand`, when
/// the slice keeps its batch and channel dimensions.
Value windowSource(Value operand) {
  auto slice = operand.getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice)
    return {};
  Value source = slice.getSource();
  if (!source.getDefiningOp<tensor::PadOp>() &&
      !source.getDefiningOp<tensor::InsertSliceOp>())
    return {};
  if (!keepsBatchAndChannels(slice.getSourceType().getShape(),
                             slice.getType().getShape(),
                             slice.getMixedOffsets(), slice.getMixedSizes(),
                             slice.getMixedStrides()))
    return {};
  return source;
}

} // namespace

bool accml::isWindowOp(linalg::GenericOp op) {
  if (op.getNumLoops() != 4 || op.getNumReductionLoops() != 0 ||
      op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
      ShapedType::isDynamicShape(op.getStaticLoopRanges()))
    return false;
  int windows = 0;
  for (OpOperand *input : op.getDpsInputOperands())
    if (windowSource(input->get()) &&
        op.getMatchingIndexingMap(input).isIdentity())
      ++windows;
  return windows >= 2;
}

FailureOr<scf::ForallOp> accml::tileWindowOp(RewriterBase &rewriter,
                                             linalg::GenericOp op,
                                             int64_t blockBytes) {
  if (!isWindowOp(op))
    return rewriter.notifyMatchFailure(op, "not a window op");
  SmallVector<int64_t> dims = op.getStaticLoopRanges();
  int64_t channels = dims[1];
  // The channel block: the largest divisor of the channel count whose
  // part of the padded copies fits in blockBytes.
  llvm::SetVector<Value> sources;
  for (OpOperand *input : op.getDpsInputOperands())
    if (Value source = windowSource(input->get());
        source && op.getMatchingIndexingMap(input).isIdentity())
      sources.insert(source);
  int64_t bytesPerChannel = 0;
  for (Value source : sources) {
    auto type = cast<RankedTensorType>(source.getType());
    bytesPerChannel += type.getNumElements() / type.getDimSize(0) /
                       type.getDimSize(1) *
                       llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  }
  int64_t block = std::max<int64_t>(blockBytes / bytesPerChannel, 1);
  while (channels % block != 0)
    --block;

  // Blocks of (one image, `block` channels) across the threads.
  scf::SCFTilingOptions options;
  options.setTileSizes(
      getAsIndexOpFoldResult(op.getContext(), {1, block, 0, 0}));
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled) || tiled->loops.size() != 1)
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  auto forall = cast<scf::ForallOp>(tiled->loops.front().getOperation());
  auto tiledOp = cast<linalg::GenericOp>(tiled->tiledOps.back());

  // Each block's windows read its own part of the padded copies, rebuilt
  // in the block.
  rewriter.setInsertionPoint(tiledOp);
  DenseMap<Value, Value> parts;
  for (OpOperand *input : tiledOp.getDpsInputOperands()) {
    auto blockSlice = input->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!blockSlice)
      continue;
    auto window =
        blockSlice.getSource().getDefiningOp<tensor::ExtractSliceOp>();
    if (!window || !sources.contains(window.getSource()))
      continue;
    OpFoldResult n = blockSlice.getMixedOffsets()[0];
    OpFoldResult c = blockSlice.getMixedOffsets()[1];
    Value part = buildPart(rewriter, tiledOp.getLoc(), window.getSource(), n, c,
                           block, parts);
    Value windowOfPart = tensor::ExtractSliceOp::create(
        rewriter, tiledOp.getLoc(), blockSlice.getType(), part,
        withFirstTwo(window.getMixedOffsets(), rewriter.getIndexAttr(0),
                     rewriter.getIndexAttr(0)),
        withFirstTwo(window.getMixedSizes(), rewriter.getIndexAttr(1),
                     rewriter.getIndexAttr(block)),
        window.getMixedStrides());
    rewriter.modifyOpInPlace(tiledOp, [&] { input->set(windowOfPart); });
  }
  return forall;
}
