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

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"

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
  Value padValue = pad ? pad.getConstantPaddingValue() : Value();
  if (padValue && pad.getLow().empty() && pad.getHigh().empty() &&
      pad.getStaticLow()[0] == 0 && pad.getStaticLow()[channelDim] == 0 &&
      pad.getStaticHigh()[0] == 0 && pad.getStaticHigh()[channelDim] == 0) {
    // (A padding value defined in the pad's own region is cloned: that
    // pad goes once the blocks rebuild their parts.)
    if (padValue.getParentRegion() == &pad.getRegion())
      padValue = rewriter.clone(*padValue.getDefiningOp())->getResult(0);
    part = tensor::PadOp::create(
        rewriter, loc, partType, partOf(pad.getSource(), channelDim),
        pad.getMixedLowPad(), pad.getMixedHighPad(), padValue);
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

/// The elements an insertion with static `offsets`, `sizes` and `strides`
/// writes, as a box: per dimension the first and last index it touches.
std::optional<SmallVector<std::pair<int64_t, int64_t>>>
insertedBox(tensor::InsertSliceOp insert) {
  SmallVector<std::pair<int64_t, int64_t>> box;
  for (auto [offset, size, stride] :
       llvm::zip_equal(insert.getStaticOffsets(), insert.getStaticSizes(),
                       insert.getStaticStrides())) {
    if (ShapedType::isDynamic(offset) || ShapedType::isDynamic(size) ||
        ShapedType::isDynamic(stride) || size < 1)
      return std::nullopt;
    box.push_back({offset, offset + (size - 1) * stride});
  }
  return box;
}

bool boxesOverlap(ArrayRef<std::pair<int64_t, int64_t>> a,
                  ArrayRef<std::pair<int64_t, int64_t>> b) {
  for (auto [x, y] : llvm::zip_equal(a, b))
    if (x.second < y.first || y.second < x.first)
      return false;
  return true;
}

/// Builds, before `loop`, what every iteration of it writes to its padded
/// copy `part` whatever the block: its buffer (an empty tensor of the
/// part's type), filled with the padding value when `part` is a
/// tensor.pad, or with the fills among the insertions that build it
/// (phases: the borders of each phase). Then `part` becomes a value carried
/// by the loop from that frame, and each iteration writes only what
/// depends on its block (the pad's source, the insertions that are not
/// fills) into the previous iteration's copy: the buffer is allocated and
/// its borders written once per loop, not once per block. Valid because
/// every iteration writes the same elements (static positions) and the
/// fills write none of them. Returns the new loop, or failure (with
/// nothing changed) when `part` is not of that form.
FailureOr<scf::ForOp> hoistFrame(RewriterBase &rewriter, scf::ForOp loop,
                                 Value part) {
  auto type = dyn_cast<RankedTensorType>(part.getType());
  if (!type || !type.hasStaticShape() || loop.isDefinedOutsideOfLoop(part))
    return failure();
  auto pad = part.getDefiningOp<tensor::PadOp>();
  Value padValue;
  tensor::EmptyOp empty;
  SmallVector<tensor::InsertSliceOp> chain, fills;
  // The value an insertion of a fill writes.
  auto fillValue = [](tensor::InsertSliceOp insert) {
    return insert.getSource().getDefiningOp<linalg::FillOp>().getDpsInputs()[0];
  };
  if (pad) {
    padValue = pad.getConstantPaddingValue();
    if (!padValue || !padValue.getDefiningOp() || !pad.getLow().empty() ||
        !pad.getHigh().empty() || !pad.getSourceType().hasStaticShape())
      return failure();
  } else {
    Value value = part;
    while (auto insert = value.getDefiningOp<tensor::InsertSliceOp>()) {
      chain.push_back(insert);
      value = insert.getDest();
    }
    empty = value.getDefiningOp<tensor::EmptyOp>();
    if (!empty || chain.empty() || !loop->isProperAncestor(empty))
      return failure();
    std::reverse(chain.begin(), chain.end());
    SmallVector<SmallVector<std::pair<int64_t, int64_t>>> written;
    for (tensor::InsertSliceOp insert : chain) {
      auto box = insertedBox(insert);
      if (!box)
        return failure();
      auto fill = insert.getSource().getDefiningOp<linalg::FillOp>();
      if (fill && fill->hasOneUse() &&
          loop.isDefinedOutsideOfLoop(fill.getDpsInputs()[0]))
        fills.push_back(insert);
      else
        written.push_back(*box);
    }
    if (fills.empty())
      return failure();
    for (auto [index, fill] : llvm::enumerate(fills)) {
      for (auto &box : written)
        if (boxesOverlap(*insertedBox(fill), box))
          return failure();
      // (Fills that overlap one another must agree: the frame applies them
      // all before anything reads the copy.)
      for (tensor::InsertSliceOp other : ArrayRef(fills).drop_front(index + 1))
        if (fillValue(other) != fillValue(fill) &&
            boxesOverlap(*insertedBox(fill), *insertedBox(other)))
          return failure();
    }
  }

  // The frame, before the loop. (A padding value defined in the region of
  // the whole input's tensor.pad, which goes once the blocks rebuild their
  // parts, is cloned here.)
  Location loc = part.getLoc();
  rewriter.setInsertionPoint(loop);
  if (pad && !padValue.getParentRegion()->isAncestor(loop->getParentRegion())) {
    Operation *constant = padValue.getDefiningOp();
    if (!constant || !constant->hasTrait<OpTrait::ConstantLike>())
      return failure();
    padValue = rewriter.clone(*constant)->getResult(0);
  }
  Value frame = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                        type.getElementType());
  if (pad) {
    frame = linalg::FillOp::create(rewriter, loc, padValue, frame).getResult(0);
  } else {
    for (tensor::InsertSliceOp insert : fills) {
      Value slice = tensor::ExtractSliceOp::create(
          rewriter, loc, insert.getSourceType(), frame,
          insert.getMixedOffsets(), insert.getMixedSizes(),
          insert.getMixedStrides());
      Value filled =
          linalg::FillOp::create(rewriter, loc, fillValue(insert), slice)
              .getResult(0);
      frame = tensor::InsertSliceOp::create(
          rewriter, loc, filled, frame, insert.getMixedOffsets(),
          insert.getMixedSizes(), insert.getMixedStrides());
    }
  }

  // The loop carries the copy from the frame on.
  FailureOr<LoopLikeOpInterface> extended = loop.replaceWithAdditionalYields(
      rewriter, frame, /*replaceInitOperandUsesInLoop=*/false,
      [](OpBuilder &, Location, ArrayRef<BlockArgument> args) {
        return SmallVector<Value>(args.begin(), args.end());
      });
  if (failed(extended))
    return failure();
  auto newLoop = cast<scf::ForOp>(extended->getOperation());
  BlockArgument carried = newLoop.getRegionIterArgs().back();
  Value last = carried;
  if (pad) {
    rewriter.setInsertionPoint(pad);
    SmallVector<OpFoldResult> sizes, strides;
    for (int64_t size : pad.getSourceType().getShape()) {
      sizes.push_back(rewriter.getIndexAttr(size));
      strides.push_back(rewriter.getIndexAttr(1));
    }
    last = tensor::InsertSliceOp::create(rewriter, pad.getLoc(),
                                         pad.getSource(), carried,
                                         pad.getMixedLowPad(), sizes, strides);
    rewriter.replaceOp(pad, last);
  } else {
    // (A value read between the insertions now holds the frame's fills
    // already, where it held nothing yet.)
    for (tensor::InsertSliceOp insert : llvm::reverse(chain))
      if (!llvm::is_contained(fills, insert)) {
        last = insert.getResult();
        break;
      }
    rewriter.replaceOp(empty, carried);
    for (tensor::InsertSliceOp insert : fills) {
      auto fill = insert.getSource().getDefiningOp<linalg::FillOp>();
      rewriter.replaceOp(insert, insert.getDest());
      rewriter.eraseOp(fill);
    }
  }
  Operation *yield = newLoop.getBody()->getTerminator();
  rewriter.modifyOpInPlace(
      yield, [&] { yield->setOperand(yield->getNumOperands() - 1, last); });
  return newLoop;
}

/// The tensor.empty that `value` is written into, in place, through
/// reshapes, insertions, destination-style ops and loops; null if none.
tensor::EmptyOp rootEmpty(Value value) {
  while (value) {
    Operation *producer = value.getDefiningOp();
    if (!producer)
      return {};
    if (auto empty = dyn_cast<tensor::EmptyOp>(producer))
      return empty;
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(producer))
      value = expand.getSrc();
    else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(producer))
      value = collapse.getSrc();
    else if (auto insert = dyn_cast<tensor::InsertSliceOp>(producer))
      value = insert.getDest();
    else if (auto forall = dyn_cast<scf::ForallOp>(producer))
      value = forall.getOutputs()[cast<OpResult>(value).getResultNumber()];
    else if (auto loop = dyn_cast<scf::ForOp>(producer))
      value = loop.getInitArgs()[cast<OpResult>(value).getResultNumber()];
    else if (auto dps = dyn_cast<DestinationStyleOpInterface>(producer))
      value = dps.getTiedOpOperand(cast<OpResult>(value))->get();
    else
      return {};
  }
  return {};
}

/// When `value`, computed in the body of `loop`, is written in place into a
/// tensor.empty of its own type in that body, allocates that tensor once,
/// before the loop, and carries it through the loop (yielding `value`):
/// an empty tensor's contents are undefined, the previous block's will do.
/// Returns the new loop, or failure with nothing changed.
FailureOr<scf::ForOp> carryEmpty(RewriterBase &rewriter, scf::ForOp loop,
                                 Value value) {
  tensor::EmptyOp empty = rootEmpty(value);
  if (!empty || empty->getParentOp() != loop.getOperation() ||
      empty.getType() != value.getType() || !empty.getType().hasStaticShape())
    return failure();
  rewriter.setInsertionPoint(loop);
  Value buffer = tensor::EmptyOp::create(rewriter, empty.getLoc(),
                                         empty.getType().getShape(),
                                         empty.getType().getElementType());
  FailureOr<LoopLikeOpInterface> extended = loop.replaceWithAdditionalYields(
      rewriter, buffer, /*replaceInitOperandUsesInLoop=*/false,
      [&](OpBuilder &, Location, ArrayRef<BlockArgument>) {
        return SmallVector<Value>{value};
      });
  if (failed(extended))
    return failure();
  auto newLoop = cast<scf::ForOp>(extended->getOperation());
  rewriter.replaceOp(empty, newLoop.getRegionIterArgs().back());
  return newLoop;
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
  // (The padded copy is a tensor.pad, or in a block loop the insertion of
  // the block into the frame that the loop carries.)
  auto image = source.getDefiningOp<tensor::InsertSliceOp>();
  auto frame = image ? dyn_cast<BlockArgument>(image.getDest()) : nullptr;
  if ((!source.getDefiningOp<tensor::PadOp>() &&
       !(frame && isa<scf::ForOp>(frame.getOwner()->getParentOp()) &&
         image.getResultType().getRank() == 4)) ||
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
                                             int64_t blockBytes,
                                             int64_t parallelBlocks) {
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

  // Blocks of (one image, `block` channels), in as few parallel chunks as
  // keep the threads busy: one when single-threaded, otherwise twice
  // `parallelBlocks` (8 per thread from accml-cpu-pipeline, more than the 4
  // per thread from which accml-dynamic-schedule shares them out from
  // counters), or the next divisor of the block count. A chunk of several
  // blocks is a loop over them that builds the frames of their padded
  // copies once (hoistFrame).
  int64_t numBlocks = channels / block, chunks = 1;
  if (parallelBlocks > 1) {
    chunks = std::min(numBlocks, 2 * parallelBlocks);
    while (numBlocks % chunks != 0)
      ++chunks;
  }
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(
      op.getContext(), {1, numBlocks / chunks * block, 0, 0}));
  options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  scf::SCFTilingOptions blocks;
  blocks.setTileSizes(
      getAsIndexOpFoldResult(op.getContext(), {0, block, 0, 0}));
  blocks.setLoopType(scf::SCFTilingOptions::LoopType::ForOp);
  scf::ForallOp forall;
  scf::ForOp blockLoop;
  linalg::GenericOp tiledOp;
  if (linalg::GenericOp copyOut = channelsLastCopyOut(op)) {
    // A window op that writes channels last is fused into the blocks of
    // its copy-out to NCHW: each block's result goes to NCHW from L1.
    // Tiles `consumer` (the copy-out or its tile) and fuses `producer` (the
    // window op or its tile) into the loop: the loop and the tiles.
    auto tileCopyOut = [&](linalg::GenericOp consumer,
                           linalg::GenericOp producer,
                           const scf::SCFTilingOptions &tiling)
        -> FailureOr<
            std::tuple<Operation *, linalg::GenericOp, linalg::GenericOp>> {
      scf::SCFTileAndFuseOptions fuseOptions;
      fuseOptions.setTilingOptions(tiling);
      fuseOptions.setFusionControlFn(
          [&](tensor::ExtractSliceOp, OpResult result, bool)
              -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
            if (result.getOwner() != producer.getOperation())
              return std::nullopt;
            return scf::SCFTileAndFuseOptions::ControlFnResult{};
          });
      rewriter.setInsertionPoint(consumer);
      FailureOr<scf::SCFTileAndFuseResult> fused =
          scf::tileConsumerAndFuseProducersUsingSCF(
              rewriter, cast<TilingInterface>(consumer.getOperation()),
              fuseOptions);
      // (Without the window op in the blocks, the new loop is left unused
      // and the caller's dead-op sweep removes it.)
      if (failed(fused) || fused->loops.size() != 1 ||
          !fused->fusedProducers.contains(producer.getOperation()))
        return failure();
      Operation *loop = fused->loops.front().getOperation();
      linalg::GenericOp tiledWindow, tiledCopyOut;
      for (Operation *tiled : fused->tiledAndFusedOps) {
        auto generic = dyn_cast<linalg::GenericOp>(tiled);
        if (!generic || !loop->isProperAncestor(generic))
          continue;
        if (generic.getNumDpsInputs() == op.getNumDpsInputs() &&
            generic.getIndexingMapsArray() == op.getIndexingMapsArray())
          tiledWindow = generic;
        else if (generic.getIndexingMapsArray() ==
                 copyOut.getIndexingMapsArray())
          tiledCopyOut = generic;
      }
      if (!tiledWindow || !tiledCopyOut)
        return failure();
      for (auto [original, replacement] : fused->replacements)
        rewriter.replaceAllUsesWith(original, replacement);
      return std::make_tuple(loop, tiledWindow, tiledCopyOut);
    };
    auto chunkTiles = tileCopyOut(copyOut, op, options);
    if (failed(chunkTiles))
      return failure();
    forall = cast<scf::ForallOp>(std::get<0>(*chunkTiles));
    tiledOp = std::get<1>(*chunkTiles);
    if (chunks < numBlocks) {
      auto blockTiles = tileCopyOut(std::get<2>(*chunkTiles), tiledOp, blocks);
      if (failed(blockTiles))
        return failure();
      blockLoop = cast<scf::ForOp>(std::get<0>(*blockTiles));
      tiledOp = std::get<1>(*blockTiles);
    }
    // The block's channels-last result in a buffer of its own, not a slice
    // of one for the whole image.
    auto slice =
        tiledOp.getDpsInits()[0].getDefiningOp<tensor::ExtractSliceOp>();
    Value whole = slice ? slice.getSource() : Value();
    while (auto chunk = whole ? whole.getDefiningOp<tensor::ExtractSliceOp>()
                              : tensor::ExtractSliceOp())
      whole = chunk.getSource();
    if (whole && whole.getDefiningOp<tensor::EmptyOp>()) {
      rewriter.setInsertionPoint(tiledOp);
      Value fresh = tensor::EmptyOp::create(rewriter, slice.getLoc(),
                                            slice.getType().getShape(),
                                            slice.getType().getElementType());
      rewriter.modifyOpInPlace(
          tiledOp, [&] { tiledOp.getDpsInitsMutable()[0].set(fresh); });
    }
  } else {
    // Tiles `generic` by `tiling` into one loop: the loop and the tile.
    auto tileOnce = [&](linalg::GenericOp generic,
                        const scf::SCFTilingOptions &tiling)
        -> FailureOr<std::pair<Operation *, linalg::GenericOp>> {
      rewriter.setInsertionPoint(generic);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(generic.getOperation()), tiling);
      if (failed(tiled) || tiled->loops.size() != 1)
        return failure();
      rewriter.replaceOp(generic, tiled->replacements);
      return std::make_pair(tiled->loops.front().getOperation(),
                            cast<linalg::GenericOp>(tiled->tiledOps.back()));
    };
    auto chunkTiles = tileOnce(op, options);
    if (failed(chunkTiles))
      return failure();
    forall = cast<scf::ForallOp>(chunkTiles->first);
    tiledOp = chunkTiles->second;
    if (chunks < numBlocks) {
      auto blockTiles = tileOnce(tiledOp, blocks);
      if (failed(blockTiles))
        return failure();
      blockLoop = cast<scf::ForOp>(blockTiles->first);
      tiledOp = blockTiles->second;
    }
  }

  // Each block's windows read its own part of the padded copies, rebuilt
  // in the block.
  rewriter.setInsertionPoint(tiledOp);
  DenseMap<Value, Value> parts;
  llvm::SetVector<Value> copies;
  for (OpOperand *input : tiledOp.getDpsInputOperands()) {
    // The input is the block's slice (then the chunk's, when the blocks
    // are in a loop) of the window of a padded copy: slices that keep all
    // of the window but its batch and channel dimensions.
    SmallVector<tensor::ExtractSliceOp> blockSlices;
    tensor::ExtractSliceOp window;
    Value value = input->get();
    for (int64_t level = 0; level < (blockLoop ? 2 : 1); ++level) {
      auto slice = value.getDefiningOp<tensor::ExtractSliceOp>();
      if (!slice)
        break;
      blockSlices.push_back(slice);
      value = slice.getSource();
    }
    window = value.getDefiningOp<tensor::ExtractSliceOp>();
    if (blockSlices.size() != (blockLoop ? 2u : 1u) || !window ||
        !sources.contains(window.getSource()))
      continue;
    int64_t channelDim = sources.lookup(window.getSource());
    if (!windowChannelDim(tiledOp.getMatchingIndexingMap(input)) ||
        *windowChannelDim(tiledOp.getMatchingIndexingMap(input)) !=
            channelDim ||
        llvm::any_of(blockSlices, [&](tensor::ExtractSliceOp slice) {
          auto shape = slice.getSourceType().getShape();
          for (int64_t dim = 0; dim < slice.getSourceType().getRank(); ++dim) {
            if (!isConstantIntValue(slice.getMixedStrides()[dim], 1))
              return true;
            if (dim == 0 || dim == channelDim)
              continue;
            if (!isConstantIntValue(slice.getMixedOffsets()[dim], 0) ||
                !isConstantIntValue(slice.getMixedSizes()[dim], shape[dim]))
              return true;
          }
          return false;
        }))
      continue;
    OpFoldResult n = rewriter.getIndexAttr(0), c = rewriter.getIndexAttr(0);
    AffineExpr s0, s1;
    bindSymbols(rewriter.getContext(), s0, s1);
    for (tensor::ExtractSliceOp slice : blockSlices) {
      n = affine::makeComposedFoldedAffineApply(
          rewriter, tiledOp.getLoc(), s0 + s1, {n, slice.getMixedOffsets()[0]});
      c = affine::makeComposedFoldedAffineApply(
          rewriter, tiledOp.getLoc(), s0 + s1,
          {c, slice.getMixedOffsets()[channelDim]});
    }
    Value part = buildPart(rewriter, tiledOp.getLoc(), window.getSource(),
                           channelDim, n, c, block, parts);
    copies.insert(part);
    Value windowOfPart = tensor::ExtractSliceOp::create(
        rewriter, tiledOp.getLoc(), blockSlices.front().getType(), part,
        withBatchAndChannel(window.getMixedOffsets(), rewriter.getIndexAttr(0),
                            rewriter.getIndexAttr(0), channelDim),
        withBatchAndChannel(window.getMixedSizes(), rewriter.getIndexAttr(1),
                            rewriter.getIndexAttr(block), channelDim),
        window.getMixedStrides());
    rewriter.modifyOpInPlace(tiledOp, [&] { input->set(windowOfPart); });
  }
  if (blockLoop) {
    // The blocks' buffers are allocated once per loop: the padded copies'
    // frames, what is copied into them (a channels-last copy of the image),
    // the window op's own result (channels last).
    SmallVector<Value> carried = {tiledOp->getResult(0)};
    // (A copy that another copy's chain builds is left alone: hoisting the
    // other erases the ops it is made of.)
    auto chainOf = [](Value copy) {
      SmallPtrSet<Operation *, 8> ops;
      Value value = copy;
      while (auto insert = value.getDefiningOp<tensor::InsertSliceOp>()) {
        ops.insert(insert);
        value = insert.getDest();
      }
      if (Operation *root = value.getDefiningOp())
        ops.insert(root);
      return ops;
    };
    SmallVector<Value> hoistable;
    for (Value copy : copies)
      if (llvm::none_of(copies, [&](Value other) {
            return other != copy &&
                   chainOf(other).contains(copy.getDefiningOp());
          }))
        hoistable.push_back(copy);
    for (Value copy : hoistable) {
      if (auto pad = copy.getDefiningOp<tensor::PadOp>())
        carried.push_back(pad.getSource());
      if (FailureOr<scf::ForOp> hoisted = hoistFrame(rewriter, blockLoop, copy);
          succeeded(hoisted))
        blockLoop = *hoisted;
    }
    for (Value value : carried)
      if (FailureOr<scf::ForOp> withBuffer =
              carryEmpty(rewriter, blockLoop, value);
          succeeded(withBuffer))
        blockLoop = *withBuffer;
  }
  return forall;
}
