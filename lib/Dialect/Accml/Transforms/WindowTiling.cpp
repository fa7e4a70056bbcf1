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
#include "llvm/ADT/MapVector.h"

using namespace mlir;

namespace {

/// Whether the slice with `offsets`, `sizes` and `strides` of a tensor of
/// `shape` covers its batch and channel dimensions (0 and `channelDim`:
/// offset 0, the whole size, unit stride), and the sliced tensor
/// (`sliceShape`, of a rank-reducing slice possibly, which keeps them
/// first when `channelDim` is 1) has them at the same positions.
bool keepsBatchAndChannels(ArrayRef<int64_t> shape,
                           ArrayRef<int64_t> sliceShape,
                           ArrayRef<OpFoldResult> offsets,
                           ArrayRef<OpFoldResult> sizes,
                           ArrayRef<OpFoldResult> strides, int64_t channelDim) {
  if (int64_t(shape.size()) <= channelDim ||
      int64_t(sliceShape.size()) <= channelDim ||
      (channelDim != 1 && shape.size() != sliceShape.size()) ||
      ShapedType::isDynamicShape(shape) ||
      ShapedType::isDynamicShape(sliceShape))
    return false;
  for (int64_t dim : {int64_t(0), channelDim})
    if (!isConstantIntValue(offsets[dim], 0) ||
        !isConstantIntValue(sizes[dim], shape[dim]) ||
        !isConstantIntValue(strides[dim], 1) || sliceShape[dim] != shape[dim])
      return false;
  return true;
}

/// `shape` with its batch and channel dimensions replaced by 1 and `block`.
SmallVector<int64_t> blockShape(ArrayRef<int64_t> shape, int64_t block,
                                int64_t channelDim) {
  SmallVector<int64_t> part(shape);
  part[0] = 1;
  part[channelDim] = block;
  return part;
}

/// `values` with its batch and channel entries (0 and `channelDim`)
/// replaced by `batch` and `channel`.
SmallVector<OpFoldResult> withBatchAndChannel(ArrayRef<OpFoldResult> values,
                                              OpFoldResult batch,
                                              OpFoldResult channel,
                                              int64_t channelDim) {
  SmallVector<OpFoldResult> result(values);
  result[0] = batch;
  result[channelDim] = channel;
  return result;
}

/// When the all-parallel generic `op` computes each (batch, channel) of
/// its result `resultNumber`, whose channels are dimension `channelDim`,
/// from the same (batch, channel) of its operands only, the dimension that
/// holds the channels in each operand (inputs, then inits): every map
/// starts with d0, holds the channel loop (the loop at `channelDim` of the
/// result's map) once and uses neither anywhere else, no index
/// computations. A copy from NCHW to channels last (N x H x W x C) is such
/// a generic.
std::optional<SmallVector<int64_t>> perChannelDims(linalg::GenericOp op,
                                                   unsigned resultNumber,
                                                   int64_t channelDim) {
  if (op.getNumLoops() < 2 || op.getNumReductionLoops() != 0 ||
      !op.hasPureTensorSemantics() || op.hasIndexSemantics())
    return std::nullopt;
  AffineMap resultMap =
      op.getMatchingIndexingMap(op.getDpsInitOperand(resultNumber));
  if (int64_t(resultMap.getNumResults()) <= channelDim)
    return std::nullopt;
  auto channel = dyn_cast<AffineDimExpr>(resultMap.getResult(channelDim));
  AffineExpr batch = getAffineDimExpr(0, op.getContext());
  if (!channel || channel == batch)
    return std::nullopt;
  SmallVector<int64_t> dims;
  for (AffineMap map : op.getIndexingMapsArray()) {
    if (map.getNumResults() < 2 || map.getResult(0) != batch)
      return std::nullopt;
    std::optional<int64_t> position;
    for (auto [index, result] : llvm::enumerate(map.getResults())) {
      if (index == 0)
        continue;
      if (result == channel && !position) {
        position = index;
        continue;
      }
      if (result.isFunctionOfDim(0) ||
          result.isFunctionOfDim(channel.getPosition()))
        return std::nullopt;
    }
    if (!position)
      return std::nullopt;
    dims.push_back(*position);
  }
  return dims;
}

/// Rebuilds at the rewriter's insertion point the part of `value` (its
/// batch dimension 0, its channels dimension `channelDim`) for batch `n`
/// and channels `c` .. `c` + `block` - 1: pads, fills, slices, insertions
/// and per-channel generics are recomputed on the parts of their operands,
/// anything else is sliced. `parts` remembers the parts built so far.
Value buildPart(RewriterBase &rewriter, Location loc, Value value,
                int64_t channelDim, OpFoldResult n, OpFoldResult c,
                int64_t block, DenseMap<Value, Value> &parts) {
  if (Value known = parts.lookup(value))
    return known;
  auto type = cast<RankedTensorType>(value.getType());
  auto partType = RankedTensorType::get(
      blockShape(type.getShape(), block, channelDim), type.getElementType());
  OpFoldResult zero = rewriter.getIndexAttr(0);
  OpFoldResult one = rewriter.getIndexAttr(1);
  OpFoldResult blockSize = rewriter.getIndexAttr(block);
  auto partOf = [&](Value operand, int64_t operandChannelDim) {
    return buildPart(rewriter, loc, operand, operandChannelDim, n, c, block,
                     parts);
  };
  Operation *producer = value.getDefiningOp();
  Value part;
  auto pad = dyn_cast_or_null<tensor::PadOp>(producer);
  auto generic = dyn_cast_or_null<linalg::GenericOp>(producer);
  std::optional<SmallVector<int64_t>> genericDims;
  if (generic)
    genericDims = perChannelDims(
        generic, cast<OpResult>(value).getResultNumber(), channelDim);
  if (pad && pad.getConstantPaddingValue() && pad.getLow().empty() &&
      pad.getHigh().empty() && pad.getStaticLow()[0] == 0 &&
      pad.getStaticLow()[channelDim] == 0 && pad.getStaticHigh()[0] == 0 &&
      pad.getStaticHigh()[channelDim] == 0) {
    part = tensor::PadOp::create(rewriter, loc, partType,
                                 partOf(pad.getSource(), channelDim),
                                 pad.getMixedLowPad(), pad.getMixedHighPad(),
                                 pad.getConstantPaddingValue());
  } else if (auto fill = dyn_cast_or_null<linalg::FillOp>(producer)) {
    part = linalg::FillOp::create(rewriter, loc, fill.getDpsInputs()[0],
                                  partOf(fill.getDpsInits()[0], channelDim))
               .getResult(0);
  } else if (isa_and_nonnull<tensor::EmptyOp>(producer)) {
    part = tensor::EmptyOp::create(rewriter, loc, partType.getShape(),
                                   partType.getElementType());
  } else if (auto insert = dyn_cast_or_null<tensor::InsertSliceOp>(producer);
             insert && keepsBatchAndChannels(
                           type.getShape(), insert.getSourceType().getShape(),
                           insert.getMixedOffsets(), insert.getMixedSizes(),
                           insert.getMixedStrides(), channelDim)) {
    part = tensor::InsertSliceOp::create(
        rewriter, loc, partOf(insert.getSource(), channelDim),
        partOf(insert.getDest(), channelDim),
        withBatchAndChannel(insert.getMixedOffsets(), zero, zero, channelDim),
        withBatchAndChannel(insert.getMixedSizes(), one, blockSize, channelDim),
        insert.getMixedStrides());
  } else if (auto extract = dyn_cast_or_null<tensor::ExtractSliceOp>(producer);
             extract && keepsBatchAndChannels(
                            extract.getSourceType().getShape(), type.getShape(),
                            extract.getMixedOffsets(), extract.getMixedSizes(),
                            extract.getMixedStrides(), channelDim)) {
    part = tensor::ExtractSliceOp::create(
        rewriter, loc, partType, partOf(extract.getSource(), channelDim),
        withBatchAndChannel(extract.getMixedOffsets(), zero, zero, channelDim),
        withBatchAndChannel(extract.getMixedSizes(), one, blockSize,
                            channelDim),
        extract.getMixedStrides());
  } else if (genericDims) {
    SmallVector<Value> inputs, inits;
    unsigned numInputs = generic.getNumDpsInputs();
    for (auto [index, input] : llvm::enumerate(generic.getDpsInputs()))
      inputs.push_back(partOf(input, (*genericDims)[index]));
    for (auto [index, init] : llvm::enumerate(generic.getDpsInits()))
      inits.push_back(partOf(init, (*genericDims)[numInputs + index]));
    SmallVector<Type> resultTypes;
    for (Value init : inits)
      resultTypes.push_back(init.getType());
    auto clone = linalg::GenericOp::create(
        rewriter, loc, resultTypes, inputs, inits,
        generic.getIndexingMapsArray(), generic.getIteratorTypesArray());
    rewriter.cloneRegionBefore(generic.getRegion(), clone.getRegion(),
                               clone.getRegion().end());
    // (Another result is the same part only if its channels are at the
    // same dimension.)
    for (auto [index, result] : llvm::enumerate(generic->getResults()))
      if ((*genericDims)[numInputs + index] == channelDim)
        parts[result] = clone->getResult(index);
    part = clone->getResult(cast<OpResult>(value).getResultNumber());
  } else {
    SmallVector<OpFoldResult> offsets(type.getRank(), zero);
    SmallVector<OpFoldResult> sizes;
    for (int64_t size : type.getShape())
      sizes.push_back(rewriter.getIndexAttr(size));
    SmallVector<OpFoldResult> strides(type.getRank(), one);
    part = tensor::ExtractSliceOp::create(
        rewriter, loc, partType, value,
        withBatchAndChannel(offsets, n, c, channelDim),
        withBatchAndChannel(sizes, one, blockSize, channelDim), strides);
  }
  parts[value] = part;
  return part;
}

/// The dimension of a window operand read through `map` (loops n, c, y,
/// x) that holds the channels: 1 for the identity, 3 for channels last
/// ((n, c, y, x) -> (n, y, x, c)); nullopt for other maps.
std::optional<int64_t> windowChannelDim(AffineMap map) {
  MLIRContext *context = map.getContext();
  if (map.isIdentity())
    return 1;
  AffineExpr n, c, y, x;
  bindDims(context, n, c, y, x);
  if (map == AffineMap::get(4, 0, {n, y, x, c}, context))
    return 3;
  return std::nullopt;
}

/// The padded copy (the result of a tensor.pad, or of the insertions that
/// build the phases of a strided kernel's input) that the input `operand`
/// of a window op is a window of, when the slice `operand` keeps its batch
/// and channel dimensions (0 and `channelDim`).
Value windowSource(Value operand, int64_t channelDim) {
  auto slice = operand.getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice)
    return {};
  Value source = slice.getSource();
  // (A channels-last copy without padding is a generic.)
  if (!source.getDefiningOp<tensor::PadOp>() &&
      !source.getDefiningOp<tensor::InsertSliceOp>() &&
      !(channelDim == 3 && source.getDefiningOp<linalg::GenericOp>()))
    return {};
  if (!keepsBatchAndChannels(slice.getSourceType().getShape(),
                             slice.getType().getShape(),
                             slice.getMixedOffsets(), slice.getMixedSizes(),
                             slice.getMixedStrides(), channelDim))
    return {};
  return source;
}

/// The windows among the inputs of `op`: each input's padded source and
/// its channel dimension.
SmallVector<std::tuple<OpOperand *, Value, int64_t>>
windowInputs(linalg::GenericOp op) {
  SmallVector<std::tuple<OpOperand *, Value, int64_t>> windows;
  for (OpOperand *input : op.getDpsInputOperands()) {
    std::optional<int64_t> channelDim =
        windowChannelDim(op.getMatchingIndexingMap(input));
    if (!channelDim)
      continue;
    if (Value source = windowSource(input->get(), *channelDim))
      windows.push_back({input, source, *channelDim});
  }
  return windows;
}

/// The copy-out to NCHW of the window op `op` when it writes channels last
/// ((n, c, y, x) -> (n, y, x, c)): its only user, an all-parallel generic
/// over the same loops reading it through that map and writing the
/// identity.
linalg::GenericOp channelsLastCopyOut(linalg::GenericOp op) {
  AffineMap output = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (windowChannelDim(output) != 3 || !op->hasOneUse())
    return {};
  OpOperand &use = *op->getUses().begin();
  auto copyOut = dyn_cast<linalg::GenericOp>(use.getOwner());
  if (!copyOut || !copyOut.isDpsInput(&use) || copyOut.getNumDpsInits() != 1 ||
      copyOut.getNumReductionLoops() != 0 ||
      copyOut.getStaticLoopRanges() != op.getStaticLoopRanges() ||
      copyOut.getMatchingIndexingMap(&use) != output ||
      !copyOut.getMatchingIndexingMap(copyOut.getDpsInitOperand(0))
           .isIdentity())
    return {};
  return copyOut;
}

} // namespace

bool accml::isWindowOp(linalg::GenericOp op) {
  if (op.getNumLoops() != 4 || op.getNumReductionLoops() != 0 ||
      op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
      ShapedType::isDynamicShape(op.getStaticLoopRanges()))
    return false;
  return windowInputs(op).size() >= 2;
}

int64_t accml::windowRowsPerTile(linalg::GenericOp op) {
  if (!isWindowOp(op))
    return 1;
  SmallVector<int64_t> dims = op.getStaticLoopRanges();
  // NCHW windows of one padded copy (a stride-1 kernel: a strided one's
  // taps read several phases, whose rows the tile's output rows share
  // less: 1.15x slower).
  auto windows = windowInputs(op);
  Value source = std::get<1>(windows.front());
  // Rows longer than a register: 2 rows per tile (each input row is 2 or
  // 3 registers, shifted into 2 more per tap column; 4 and 7 rows ran no
  // faster), unless the row ends in an 8-lane piece (56 columns: 1.09x
  // slower with 2 rows).
  int64_t maxRows = kMaxWindowRows;
  if (dims[3] > kMaxWindowRowLength) {
    int64_t rest = dims[3] % kMaxWindowRowLength;
    if (rest != 0 && rest <= kMaxWindowRowLength / 2)
      return 1;
    maxRows = kMaxWideWindowRows;
  }
  if (!source.getDefiningOp<tensor::PadOp>() ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity() ||
      llvm::any_of(windows, [&](auto window) {
        return std::get<1>(window) != source || std::get<2>(window) != 1;
      }))
    return 1;
  for (int64_t rows = std::min(dims[2], maxRows); rows > 1; --rows)
    if (dims[2] % rows == 0)
      return rows;
  return 1;
}

FailureOr<scf::ForallOp> accml::tileWindowOp(RewriterBase &rewriter,
                                             linalg::GenericOp op,
                                             int64_t blockBytes) {
  if (!isWindowOp(op))
    return rewriter.notifyMatchFailure(op, "not a window op");
  SmallVector<int64_t> dims = op.getStaticLoopRanges();
  int64_t channels = dims[1];
  // The channel block: the largest divisor of the channel count whose
  // part of the padded copies fits in blockBytes (a multiple of 16 when
  // they are channels last, their vectors' lanes).
  llvm::MapVector<Value, int64_t> sources;
  for (auto [input, source, channelDim] : windowInputs(op))
    sources.insert({source, channelDim});
  int64_t bytesPerChannel = 0, multiple = 1;
  for (auto [source, channelDim] : sources) {
    auto type = cast<RankedTensorType>(source.getType());
    bytesPerChannel += type.getNumElements() / type.getDimSize(0) /
                       type.getDimSize(channelDim) *
                       llvm::divideCeil(type.getElementTypeBitWidth(), 8);
    if (channelDim != 1)
      multiple = kVectorLanes;
  }
  if (channels % multiple != 0)
    multiple = 1;
  int64_t block = std::max<int64_t>(blockBytes / bytesPerChannel, multiple);
  block -= block % multiple;
  while (channels % block != 0)
    block -= multiple;

  // Blocks of (one image, `block` channels) across the threads.
  scf::SCFTilingOptions options;
  options.setTileSizes(
      getAsIndexOpFoldResult(op.getContext(), {1, block, 0, 0}));
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  scf::ForallOp forall;
  linalg::GenericOp tiledOp;
  if (linalg::GenericOp copyOut = channelsLastCopyOut(op)) {
    // A window op that writes channels last is fused into the blocks of
    // its copy-out to NCHW: each block's result goes to NCHW from L1.
    scf::SCFTileAndFuseOptions fuseOptions;
    fuseOptions.setTilingOptions(options);
    fuseOptions.setFusionControlFn(
        [&](tensor::ExtractSliceOp, OpResult producer, bool)
            -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
          if (producer.getOwner() != op.getOperation())
            return std::nullopt;
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        });
    rewriter.setInsertionPoint(copyOut);
    FailureOr<scf::SCFTileAndFuseResult> fused =
        scf::tileConsumerAndFuseProducersUsingSCF(
            rewriter, cast<TilingInterface>(copyOut.getOperation()),
            fuseOptions);
    // (Without the window op in the blocks, the new loop is left unused
    // and the caller's dead-op sweep removes it.)
    if (failed(fused) || fused->loops.size() != 1 ||
        !fused->fusedProducers.contains(op.getOperation()))
      return failure();
    forall = cast<scf::ForallOp>(fused->loops.front().getOperation());
    for (Operation *tiled : fused->tiledAndFusedOps) {
      auto generic = dyn_cast<linalg::GenericOp>(tiled);
      if (generic && generic.getNumDpsInputs() == op.getNumDpsInputs() &&
          forall->isProperAncestor(generic) &&
          generic.getIndexingMapsArray() == op.getIndexingMapsArray())
        tiledOp = generic;
    }
    if (!tiledOp)
      return failure();
    for (auto [original, replacement] : fused->replacements)
      rewriter.replaceAllUsesWith(original, replacement);
    // The block's channels-last result in a buffer of its own, not a slice
    // of one for the whole image.
    if (auto slice =
            tiledOp.getDpsInits()[0].getDefiningOp<tensor::ExtractSliceOp>();
        slice && slice.getSource().getDefiningOp<tensor::EmptyOp>()) {
      rewriter.setInsertionPoint(tiledOp);
      Value fresh = tensor::EmptyOp::create(rewriter, slice.getLoc(),
                                            slice.getType().getShape(),
                                            slice.getType().getElementType());
      rewriter.modifyOpInPlace(
          tiledOp, [&] { tiledOp.getDpsInitsMutable()[0].set(fresh); });
    }
  } else {
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(tiled) || tiled->loops.size() != 1)
      return failure();
    rewriter.replaceOp(op, tiled->replacements);
    forall = cast<scf::ForallOp>(tiled->loops.front().getOperation());
    tiledOp = cast<linalg::GenericOp>(tiled->tiledOps.back());
  }

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
    int64_t channelDim = sources.lookup(window.getSource());
    if (!windowChannelDim(tiledOp.getMatchingIndexingMap(input)) ||
        *windowChannelDim(tiledOp.getMatchingIndexingMap(input)) != channelDim)
      continue;
    OpFoldResult n = blockSlice.getMixedOffsets()[0];
    OpFoldResult c = blockSlice.getMixedOffsets()[channelDim];
    Value part = buildPart(rewriter, tiledOp.getLoc(), window.getSource(),
                           channelDim, n, c, block, parts);
    Value windowOfPart = tensor::ExtractSliceOp::create(
        rewriter, tiledOp.getLoc(), blockSlice.getType(), part,
        withBatchAndChannel(window.getMixedOffsets(), rewriter.getIndexAttr(0),
                            rewriter.getIndexAttr(0), channelDim),
        withBatchAndChannel(window.getMixedSizes(), rewriter.getIndexAttr(1),
                            rewriter.getIndexAttr(block), channelDim),
        window.getMixedStrides());
    rewriter.modifyOpInPlace(tiledOp, [&] { input->set(windowOfPart); });
  }
  return forall;
}
