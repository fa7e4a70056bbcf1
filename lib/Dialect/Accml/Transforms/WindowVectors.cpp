//===- WindowVectors.cpp - Window ops as vector loops ---------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Two forms of NCHW window ops that accml-pack builds as loops of vector
// operations itself, where the window generic (a padded copy of the image
// or its phases, then one generic over the output) would spend more time
// copying than computing: the flat form of depthwise convolutions on small
// stride-1 images (each channel's image flattened, one masked read per tap
// and vector) and the row form of stride-2 depthwise convolutions and
// poolings (each image row read once per output row and split into its
// even and odd columns in registers). Both start their vectors from the
// bias or fill, apply an elementwise consumer before the write and run
// channel blocks across an scf.forall.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include <algorithm>
#include <optional>

using namespace mlir;
using accml::isStaticF32;
using accml::kVectorLanes;

namespace {

/// The output vectors of a row that the strided form computes together
/// (their pair vectors, accumulators and weights in the 32 registers).
constexpr int64_t kStridedWindowSegment = 4;

/// How a window op combines its taps.
enum class WindowCombine { MultiplyAdd, Max, Sum };

/// An NCHW window op (a depthwise convolution, a max or sum pooling)
/// computed in vectors by loops of its own: how it combines its taps (and
/// the depthwise weights, C x KH x KW); the image before its padding with
/// the combination's identity (zero, or -inf for the maximum; a tensor.pad,
/// or none) and that padding's rows above and columns left of it; the
/// elementwise consumer (an activation, a residual, an average's division)
/// applied to the vectors before they are written; and, when the
/// accumulator is a per-channel bias broadcast or a fill, that bias or
/// value, which starts each vector (the broadcast is not materialised).
struct WindowVectors {
  linalg::LinalgOp op;
  WindowCombine combine = WindowCombine::MultiplyAdd;
  Value weight;
  double identity = 0.0;
  Value image;
  int64_t top = 0, left = 0;
  int64_t batch = 0, channels = 0, height = 0, width = 0;
  int64_t outH = 0, outW = 0, kh = 0, kw = 0;
  SmallVector<int64_t> strides, dilations;
  linalg::GenericOp consumer;
  Value bias, fillValue;
};

/// The map through which a 4-D op over (n, c, y, x) reads a per-channel
/// tensor.
AffineMap perChannelMap(MLIRContext *context) {
  return AffineMap::get(4, 0, {getAffineDimExpr(1, context)}, context);
}

/// Whether `generic` is an elementwise consumer of a window op's `result`
/// that its vectors can go through before they are written: all its loops
/// parallel, that result (its first input, read once) and
/// its other tensors read through the identity, per-channel values
/// through (d1), its own output unread, a body of elementwise ops without
/// regions.
bool isFusibleConsumer(linalg::GenericOp generic, Value result) {
  if (!generic.hasPureTensorSemantics() || generic.getNumLoops() != 4 ||
      generic.getNumParallelLoops() != 4 || generic.getNumDpsInits() != 1 ||
      generic.getResult(0).getType() != result.getType() ||
      !generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
           .isIdentity())
    return false;
  Block &body = generic.getRegion().front();
  if (!body.getArguments().back().use_empty())
    return false;
  AffineMap channelMap = perChannelMap(generic.getContext());
  for (OpOperand *in : generic.getDpsInputOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(in);
    if (!isStaticF32(in->get()) || !(map.isIdentity() || map == channelMap))
      return false;
  }
  if (!generic.getMatchingIndexingMap(generic.getDpsInputOperand(0))
           .isIdentity() ||
      generic.getDpsInputs()[0] != result ||
      llvm::count(generic.getDpsInputs(), result) != 1)
    return false;
  Value yielded = cast<linalg::YieldOp>(body.getTerminator()).getValues()[0];
  if (yielded.getParentBlock() != &body)
    return false;
  return llvm::all_of(body.without_terminator(), [](Operation &bodyOp) {
    return bodyOp.getNumRegions() == 0 && isMemoryEffectFree(&bodyOp) &&
           bodyOp.getNumResults() == 1 &&
           (bodyOp.hasTrait<OpTrait::Elementwise>() ||
            isa<arith::ConstantOp>(bodyOp)) &&
           bodyOp.getResult(0).getType().isIntOrFloat();
  });
}

/// `op` (a depthwise convolution, a max or sum pooling) as WindowVectors,
/// unless it is not static f32, its padding is not a static padding of the
/// image's rows and columns with the combination's identity, or a layout
/// transpose is next to it (the channels-last form of the window generic
/// is better there).
std::optional<WindowVectors> matchWindowVectors(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() ||
      !llvm::all_of(op->getOperands(), isStaticF32))
    return std::nullopt;
  WindowVectors form;
  form.op = op;
  // (Absent strides and dilations are 1, as the named ops default them.)
  auto values = [&](StringRef name) {
    auto attr = op->getAttrOfType<DenseIntElementsAttr>(name);
    return attr ? llvm::to_vector(attr.getValues<int64_t>())
                : SmallVector<int64_t>{1, 1};
  };
  form.strides = values("strides");
  form.dilations = values("dilations");
  ArrayRef<int64_t> window =
      cast<RankedTensorType>(op.getDpsInputs()[1].getType()).getShape();
  if (isa<linalg::DepthwiseConv2DNchwChwOp>(op)) {
    form.weight = op.getDpsInputs()[1];
    window = window.drop_front();
  } else if (isa<linalg::PoolingNchwMaxOp>(op)) {
    form.combine = WindowCombine::Max;
    form.identity = -std::numeric_limits<double>::infinity();
  } else if (isa<linalg::PoolingNchwSumOp>(op)) {
    form.combine = WindowCombine::Sum;
  } else {
    return std::nullopt;
  }
  if (window.size() != 2)
    return std::nullopt;
  form.kh = window[0];
  form.kw = window[1];
  form.image = op.getDpsInputs()[0];
  if (auto pad = form.image.getDefiningOp<tensor::PadOp>()) {
    Value padValue = pad.getConstantPaddingValue();
    FloatAttr padAttr;
    if (!padValue || !matchPattern(padValue, m_Constant(&padAttr)) ||
        padAttr.getValueAsDouble() != form.identity ||
        ShapedType::isDynamicShape(pad.getStaticLow()) ||
        pad.getStaticLow()[0] != 0 || pad.getStaticLow()[1] != 0 ||
        ShapedType::isDynamicShape(pad.getStaticHigh()) ||
        pad.getStaticHigh()[0] != 0 || pad.getStaticHigh()[1] != 0)
      return std::nullopt;
    form.top = pad.getStaticLow()[2];
    form.left = pad.getStaticLow()[3];
    form.image = pad.getSource();
  }
  Value result = op->getResult(0);
  if (form.image.getDefiningOp<linalg::TransposeOp>() ||
      llvm::any_of(result.getUsers(), [](Operation *user) {
        return isa<linalg::TransposeOp>(user);
      }))
    return std::nullopt;
  ArrayRef<int64_t> shape =
      cast<RankedTensorType>(form.image.getType()).getShape();
  Value init = op.getDpsInits()[0];
  ArrayRef<int64_t> outShape =
      cast<RankedTensorType>(init.getType()).getShape();
  form.batch = shape[0];
  form.channels = shape[1];
  form.height = shape[2];
  form.width = shape[3];
  form.outH = outShape[2];
  form.outW = outShape[3];
  if (result.hasOneUse())
    if (auto consumer = dyn_cast<linalg::GenericOp>(*result.user_begin());
        consumer && isFusibleConsumer(consumer, result))
      form.consumer = consumer;
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    // (A fill of another type is read as the accumulator.)
    if (fill.getInputs()[0].getType().isF32())
      form.fillValue = fill.getInputs()[0];
  } else if (auto broadcast = init.getDefiningOp<linalg::GenericOp>()) {
    Block &body = broadcast.getRegion().front();
    if (broadcast.getNumDpsInputs() == 1 && broadcast.getNumLoops() == 4 &&
        broadcast.getNumParallelLoops() == 4 &&
        broadcast.getIndexingMapsArray()[0] == perChannelMap(op.getContext()) &&
        broadcast.getIndexingMapsArray()[1].isIdentity() &&
        body.getOperations().size() == 1 &&
        cast<linalg::YieldOp>(body.getTerminator()).getValues()[0] ==
            body.getArgument(0) &&
        isStaticF32(broadcast.getDpsInputs()[0]))
      form.bias = broadcast.getDpsInputs()[0];
  }
  return form;
}

/// Builds a WindowVectors op in place of the op (and its consumer):
/// an scf.forall over blocks of up to 16 planes (an image's channel), in
/// each a loop over the block's planes, and per plane the vectors that a
/// form's body computes, reading the plane's image with readImage, starting
/// each vector with start and writing it with write (at positions within
/// the plane's OH x OW output, flattened).
class WindowVectorBuilder {
public:
  WindowVectorBuilder(RewriterBase &rewriter, WindowVectors form)
      : rewriter(rewriter), form(form), loc(form.op->getLoc()),
        f32(rewriter.getF32Type()),
        vectorType(VectorType::get({kVectorLanes}, f32)),
        positions(form.outH * form.outW), pixels(form.height * form.width) {}

  /// Replaces the window op by the loops, `planeBody` building one
  /// plane's vectors into `current` (the block's result) at `b`'s
  /// insertion point and returning the result with them written. Returns
  /// the op's result (N x C x OH x OW).
  Value build(function_ref<Value(OpBuilder &b, Value current)> planeBody);

  /// The weight of tap `t` of the plane's channel, broadcast.
  Value tap(int64_t t) const { return taps[t]; }

  /// A vector of the plane's image (flattened, H x W) from `offset`, the
  /// lanes off `mask` (unless null) not read (the combination's identity).
  Value readImage(OpBuilder &b, Value offset, Value mask) const {
    Value at = apply(b, dim(0) * pixels + dim(1), {plane, offset});
    return read(b, images, at, mask, identity);
  }

  /// The start of the vector at output position `position` of the plane
  /// (its lanes `mask`): the bias or fill, else the accumulator there.
  Value start(OpBuilder &b, Value current, Value position, Value mask) const {
    if (startValue)
      return startValue;
    return read(b, current,
                apply(b, dim(0) * positions + dim(1), {c, position}), mask,
                zero);
  }

  /// Writes the vector `value` at output position `position` of the plane
  /// (its lanes `mask`) into `current` through the consumer, if any;
  /// returns the new result.
  Value write(OpBuilder &b, Value current, Value value, Value position,
              Value mask) const;

  /// A vector of zeros.
  Value zeroVector(OpBuilder &b) const {
    return vector::BroadcastOp::create(b, loc, vectorType, zero);
  }

  /// A vector of the combination's identity (what the padding reads).
  Value identityVector(OpBuilder &b) const {
    return vector::BroadcastOp::create(b, loc, vectorType, identity);
  }

  /// The constant mask of `lanes`, or null when all are set.
  Value maskOf(OpBuilder &b, ArrayRef<bool> lanes) const {
    if (llvm::all_of(lanes, [](bool lane) { return lane; }))
      return Value();
    auto maskType = VectorType::get({kVectorLanes}, b.getI1Type());
    return arith::ConstantOp::create(b, loc,
                                     DenseElementsAttr::get(maskType, lanes));
  }

  /// The index `value`.
  Value index(OpBuilder &b, int64_t value) const {
    return arith::ConstantIndexOp::create(b, loc, value);
  }

  /// `expr` of `operands` (affine dimensions).
  Value apply(OpBuilder &b, AffineExpr expr, ValueRange operands) const {
    return affine::AffineApplyOp::create(
        b, loc, AffineMap::get(operands.size(), 0, expr, b.getContext()),
        operands);
  }

  /// Affine dimension `position`.
  AffineExpr dim(unsigned position) const {
    return getAffineDimExpr(position, rewriter.getContext());
  }

  Location getLoc() const { return loc; }
  VectorType getVectorType() const { return vectorType; }

private:
  Value read(OpBuilder &b, Value source, Value at, Value mask,
             Value padding) const {
    return vector::TransferReadOp::create(
        b, loc, vectorType, source, ValueRange{at},
        AffineMapAttr::get(b.getDimIdentityMap()), padding, mask,
        b.getBoolArrayAttr({true}));
  }

  /// `value` collapsed to one dimension.
  Value flat(Value value) {
    auto type = cast<RankedTensorType>(value.getType());
    ReassociationIndices all =
        llvm::to_vector<2>(llvm::seq<int64_t>(0, type.getRank()));
    return tensor::CollapseShapeOp::create(
        rewriter, loc, RankedTensorType::get({type.getNumElements()}, f32),
        value, ArrayRef<ReassociationIndices>{all});
  }

  RewriterBase &rewriter;
  WindowVectors form;
  Location loc;
  Type f32;
  VectorType vectorType;
  int64_t positions, pixels;
  Value images, weights, zero, identity;
  /// The consumer's inputs but the window op's result, flat (null for
  /// that one).
  SmallVector<Value> consumerOperands;
  // Of the plane being built: its index in the block, its index, its
  // channel, its vectors' start (null: the accumulator), its taps' weights
  // and its consumer's per-channel values (null for the others), broadcast.
  Value c, plane, channel, startValue;
  SmallVector<Value> taps, channelValues;
};

Value WindowVectorBuilder::build(
    function_ref<Value(OpBuilder &b, Value current)> planeBody) {
  linalg::LinalgOp op = form.op;
  linalg::GenericOp consumer = form.consumer;
  // (At the consumer: its other operands may be defined after the window
  // op.)
  rewriter.setInsertionPoint(consumer ? consumer.getOperation()
                                      : op.getOperation());
  Value init = op.getDpsInits()[0];
  int64_t planes = form.batch * form.channels;
  images = flat(form.image);
  if (form.weight)
    weights = flat(form.weight);
  // From a bias or fill, the result starts from an empty tensor.
  Value outputs =
      form.bias || form.fillValue
          ? tensor::EmptyOp::create(rewriter, loc,
                                    ArrayRef<int64_t>{planes * positions}, f32)
                .getResult()
          : flat(init);
  // Channel blocks: up to 16 planes, a divisor of their count.
  int64_t block = 1;
  for (int64_t size = 16; size >= 1; --size)
    if (planes % size == 0) {
      block = size;
      break;
    }
  zero = arith::ConstantOp::create(rewriter, loc, f32,
                                   rewriter.getF32FloatAttr(0));
  identity = arith::ConstantOp::create(
      rewriter, loc, f32, rewriter.getF32FloatAttr(float(form.identity)));
  AffineMap channelMap = perChannelMap(rewriter.getContext());
  if (consumer)
    for (OpOperand *in : consumer.getDpsInputOperands())
      consumerOperands.push_back(in->getOperandNumber() == 0 ? Value()
                                                             : flat(in->get()));
  auto forall = scf::ForallOp::create(
      rewriter, loc,
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(planes / block)},
      ValueRange{outputs}, std::nullopt);
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(forall.getBody());
    Value blockIndex = forall.getInductionVar(0);
    Value shared = forall.getRegionIterArgs()[0];
    Value offset = apply(rewriter, dim(0) * (block * positions), {blockIndex});
    auto sliceType = RankedTensorType::get({block * positions}, f32);
    Value slice = tensor::ExtractSliceOp::create(
        rewriter, loc, sliceType, shared, ArrayRef<OpFoldResult>{offset},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(block * positions)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
    auto loop = scf::ForOp::create(
        rewriter, loc, index(rewriter, 0), index(rewriter, block),
        index(rewriter, 1), ValueRange{slice},
        [&](OpBuilder &b, Location, Value inBlock, ValueRange args) {
          c = inBlock;
          plane = apply(b, dim(0) * block + dim(1), {blockIndex, c});
          channel = apply(b, dim(0) % form.channels, {plane});
          auto broadcast = [&](Value scalar) -> Value {
            return vector::BroadcastOp::create(b, loc, vectorType, scalar);
          };
          startValue = Value();
          if (form.bias)
            startValue = broadcast(tensor::ExtractOp::create(
                b, loc, form.bias, ValueRange{channel}));
          else if (form.fillValue)
            startValue = broadcast(form.fillValue);
          taps.clear();
          int64_t tapCount = form.kh * form.kw;
          for (int64_t t = 0; weights && t < tapCount; ++t)
            taps.push_back(broadcast(tensor::ExtractOp::create(
                b, loc, weights,
                ValueRange{apply(b, dim(0) * tapCount + t, {channel})})));
          channelValues.clear();
          if (consumer)
            for (OpOperand *in : consumer.getDpsInputOperands())
              channelValues.push_back(
                  consumer.getMatchingIndexingMap(in) == channelMap
                      ? broadcast(tensor::ExtractOp::create(
                            b, loc, consumerOperands[in->getOperandNumber()],
                            ValueRange{channel}))
                      : Value());
          scf::YieldOp::create(b, loc, planeBody(b, args.front()));
        });
    rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(
        rewriter, loc, loop.getResult(0), shared,
        ArrayRef<OpFoldResult>{offset},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(block * positions)},
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1)});
  }
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, init.getType(), forall.getResult(0),
      ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
  if (consumer) {
    rewriter.replaceOp(consumer, result);
    rewriter.eraseOp(op);
  } else {
    rewriter.replaceOp(op, result);
  }
  return result;
}

Value WindowVectorBuilder::write(OpBuilder &b, Value current, Value value,
                                 Value position, Value mask) const {
  if (linalg::GenericOp consumer = form.consumer) {
    Block &body = consumer.getRegion().front();
    IRMapping mapping;
    for (auto [number, in] : llvm::enumerate(consumer.getDpsInputOperands())) {
      Value operand = value;
      if (number != 0)
        operand =
            channelValues[number]
                ? channelValues[number]
                : read(b, consumerOperands[in->getOperandNumber()],
                       apply(b, dim(0) * positions + dim(1), {plane, position}),
                       mask, zero);
      mapping.map(body.getArgument(number), operand);
    }
    for (Operation &bodyOp : body.without_terminator()) {
      auto type =
          VectorType::get({kVectorLanes}, bodyOp.getResult(0).getType());
      if (auto constant = dyn_cast<arith::ConstantOp>(bodyOp)) {
        mapping.map(constant.getResult(),
                    arith::ConstantOp::create(
                        b, loc, type,
                        SplatElementsAttr::get(
                            type, cast<TypedAttr>(constant.getValue()))));
        continue;
      }
      // Scalars from outside the body, broadcast.
      for (Value operand : bodyOp.getOperands())
        if (!mapping.contains(operand))
          mapping.map(operand,
                      vector::BroadcastOp::create(
                          b, loc,
                          VectorType::get({kVectorLanes}, operand.getType()),
                          operand));
      Operation *cloned = b.clone(bodyOp, mapping);
      cloned->getResult(0).setType(type);
    }
    value = mapping.lookup(
        cast<linalg::YieldOp>(body.getTerminator()).getValues()[0]);
  }
  return vector::TransferWriteOp::create(
             b, loc, current.getType(), value, current,
             ValueRange{apply(b, dim(0) * positions + dim(1), {c, position})},
             AffineMapAttr::get(b.getDimIdentityMap()), mask,
             b.getBoolArrayAttr({true}))
      .getResult();
}

/// The number of accumulators each of `vectors` output vectors splits its
/// taps over (rows of taps: up to `rows`) so that at least 8 independent
/// FMA chains are in flight (a vector's 9 taps in one chain waited on the
/// FMA latency: 7 x 7 images, 4 vectors).
int64_t accumulatorChains(int64_t vectors, int64_t rows) {
  return std::clamp<int64_t>(llvm::divideCeil(8, vectors), 1, rows);
}

/// The sum of a vector's accumulators (null ones not started).
Value sumChains(OpBuilder &b, Location loc, ArrayRef<Value> chains) {
  Value sum = chains.front();
  for (Value partial : chains.drop_front())
    if (partial)
      sum = arith::AddFOp::create(b, loc, sum, partial);
  return sum;
}

} // namespace

FailureOr<Value>
accml::rewriteFlatDepthwise(RewriterBase &rewriter,
                            linalg::DepthwiseConv2DNchwChwOp op,
                            int64_t maxPositions) {
  std::optional<WindowVectors> form = matchWindowVectors(op);
  if (!form || !form->weight || form->strides[0] != 1 || form->strides[1] != 1)
    return failure();
  int64_t outH = form->outH, outW = form->outW, width = form->width,
          height = form->height, kh = form->kh, kw = form->kw, top = form->top,
          left = form->left;
  int64_t dh = form->dilations[0], dw = form->dilations[1];
  int64_t positions = outH * outW;
  if (outW != width || positions > maxPositions || positions < kVectorLanes)
    return failure();
  int64_t vectors = llvm::divideCeil(positions, kVectorLanes);
  // The lanes of vector v whose output is a position (the last vector's
  // tail is not), and those whose tap (r, s) reads inside the image.
  auto lanes = [&](int64_t v, std::optional<std::pair<int64_t, int64_t>> tap) {
    SmallVector<bool> valid(kVectorLanes, false);
    for (int64_t lane = 0; lane < kVectorLanes; ++lane) {
      int64_t q = v * kVectorLanes + lane;
      if (q >= positions)
        continue;
      if (!tap) {
        valid[lane] = true;
        continue;
      }
      int64_t y = q / outW + tap->first * dh - top;
      int64_t x = q % outW + tap->second * dw - left;
      valid[lane] = y >= 0 && y < height && x >= 0 && x < width;
    }
    return valid;
  };
  WindowVectorBuilder builder(rewriter, *form);
  Location loc = builder.getLoc();
  return builder.build([&](OpBuilder &b, Value current) {
    // Tap-major over the vectors, each vector's taps split over chains
    // (rows of taps).
    int64_t chains = accumulatorChains(vectors, kh);
    SmallVector<Value> outAts, outMasks;
    SmallVector<SmallVector<Value>> accs(vectors);
    for (int64_t v = 0; v < vectors; ++v) {
      outAts.push_back(builder.index(b, v * kVectorLanes));
      outMasks.push_back(builder.maskOf(b, lanes(v, std::nullopt)));
      // (A vector's first rows of taps may all be masked off: every
      // accumulator but the first starts when its row first reads.)
      accs[v].assign(chains, Value());
      accs[v].front() = builder.start(b, current, outAts[v], outMasks[v]);
    }
    for (int64_t r = 0; r < kh; ++r)
      for (int64_t s = 0; s < kw; ++s)
        for (int64_t v = 0; v < vectors; ++v) {
          SmallVector<bool> valid = lanes(v, std::make_pair(r, s));
          if (llvm::none_of(valid, [](bool lane) { return lane; }))
            continue;
          int64_t shift =
              (r * dh - top) * width + (s * dw - left) + v * kVectorLanes;
          Value pixelsRead = builder.readImage(b, builder.index(b, shift),
                                               builder.maskOf(b, valid));
          Value &acc = accs[v][size_t(r % chains)];
          if (!acc)
            acc = builder.zeroVector(b);
          acc = vector::FMAOp::create(b, loc, pixelsRead,
                                      builder.tap(r * kw + s), acc);
        }
    for (int64_t v = 0; v < vectors; ++v)
      current = builder.write(b, current, sumChains(b, loc, accs[v]), outAts[v],
                              outMasks[v]);
    return current;
  });
}

FailureOr<Value> accml::rewriteStridedWindow(RewriterBase &rewriter,
                                             linalg::LinalgOp op) {
  std::optional<WindowVectors> form = matchWindowVectors(op);
  if (!form || form->strides[0] != 2 || form->strides[1] != 2 ||
      form->outW < kStridedWindowMinWidth ||
      form->kh * form->kw > kStridedWindowMaxTaps)
    return failure();
  int64_t outH = form->outH, outW = form->outW, width = form->width,
          height = form->height, kh = form->kh, kw = form->kw, top = form->top,
          left = form->left;
  int64_t dh = form->dilations[0], dw = form->dilations[1];
  int64_t vectors = llvm::divideCeil(outW, kVectorLanes);
  // Output rows whose taps all read image rows: [firstFull, endFull). The
  // others (the padding's) are built one by one with the taps that do.
  auto rowInside = [&](int64_t y, int64_t r) {
    int64_t row = 2 * y + r * dh - top;
    return row >= 0 && row < height;
  };
  int64_t firstFull = 0, endFull = outH;
  while (firstFull < outH && !rowInside(firstFull, 0))
    ++firstFull;
  while (endFull > firstFull && !rowInside(endFull - 1, kh - 1))
    --endFull;
  // Column pairs: pair k of an image row is its columns 2k (even) and
  // 2k + 1 (odd); pair vector J holds pairs 16 J .. 16 J + 15, read as the
  // 32 columns from 32 J (two reads, the columns past W masked off) and
  // split into its even and odd columns by two shuffles. Output x reads
  // tap column 2 x + o (o = s * dw - left), pair x + m, m = floor(o / 2),
  // in its even (o even) or odd half: lane x % 16 of output vector v is
  // lane x + m of the pair vectors from 16 v, a shuffle of two of them
  // unless m is a multiple of 16. Pairs before the image or past its last
  // column are the identity (the padding: zero, or -inf for the maximum).
  SmallVector<int64_t> evens, odds;
  for (int64_t lane = 0; lane < kVectorLanes; ++lane) {
    evens.push_back(2 * lane);
    odds.push_back(2 * lane + 1);
  }
  auto columnLanes = [&](int64_t first) {
    SmallVector<bool> valid(kVectorLanes);
    for (int64_t lane = 0; lane < kVectorLanes; ++lane)
      valid[lane] = first + lane < width;
    return valid;
  };
  SmallVector<bool> lastLanes(kVectorLanes);
  for (int64_t lane = 0; lane < kVectorLanes; ++lane)
    lastLanes[lane] = (vectors - 1) * kVectorLanes + lane < outW;
  WindowVectorBuilder builder(rewriter, *form);
  Location loc = builder.getLoc();
  // Output rows `y` .. `y` + `rows` - 1 (fixed from `fixedRow`: their
  // taps outside the image left out), written into `current`, in segments
  // of up to kStridedWindowSegment vectors (their pair vectors,
  // accumulators and the taps' weights in registers); the image rows in
  // order, each read once for the output rows whose taps read it.
  auto buildRows = [&](OpBuilder &b, Value y, int64_t rows,
                       std::optional<int64_t> fixedRow, Value current) {
    Value lastMask = builder.maskOf(b, lastLanes);
    Value identities;
    auto identityVector = [&] {
      if (!identities)
        identities = builder.identityVector(b);
      return identities;
    };
    for (int64_t v0 = 0; v0 < vectors; v0 += kStridedWindowSegment) {
      int64_t v1 = std::min(vectors, v0 + kStridedWindowSegment);
      // Per output row and vector: its position, mask, accumulators.
      SmallVector<SmallVector<Value>> outAts(rows), outMasks(rows);
      SmallVector<SmallVector<Value>> accs(rows);
      for (int64_t i = 0; i < rows; ++i)
        for (int64_t v = v0; v < v1; ++v) {
          outAts[i].push_back(builder.apply(
              b, (builder.dim(0) + i) * outW + v * kVectorLanes, {y}));
          outMasks[i].push_back(v == vectors - 1 ? lastMask : Value());
          accs[i].push_back(
              builder.start(b, current, outAts[i].back(), outMasks[i].back()));
        }
      int64_t imageRows = 2 * (rows - 1) + (kh - 1) * dh + 1;
      for (int64_t row = 0; row < imageRows; ++row) {
        // The output rows i and tap rows r that read image row 2 y + row -
        // top.
        SmallVector<std::pair<int64_t, int64_t>> readers;
        for (int64_t i = 0; i < rows; ++i)
          for (int64_t r = 0; r < kh; ++r)
            if (2 * i + r * dh == row &&
                (!fixedRow || rowInside(*fixedRow + i, r)))
              readers.push_back({i, r});
        if (readers.empty())
          continue;
        Value rowStart =
            builder.apply(b, (builder.dim(0) * 2 + (row - top)) * width, {y});
        // Pair vector J's even and odd halves.
        DenseMap<int64_t, std::pair<Value, Value>> pairVectors;
        auto pairs = [&](int64_t j) -> std::pair<Value, Value> {
          auto it = pairVectors.find(j);
          if (it != pairVectors.end())
            return it->second;
          std::pair<Value, Value> split = {identityVector(), identityVector()};
          if (j >= 0 && 2 * j * kVectorLanes < width) {
            auto readAt = [&](int64_t column) -> Value {
              if (column >= width)
                return identityVector();
              return builder.readImage(
                  b, builder.apply(b, builder.dim(0) + column, {rowStart}),
                  builder.maskOf(b, columnLanes(column)));
            };
            Value low = readAt(2 * j * kVectorLanes);
            Value high = readAt(2 * j * kVectorLanes + kVectorLanes);
            split = {vector::ShuffleOp::create(b, loc, low, high, evens),
                     vector::ShuffleOp::create(b, loc, low, high, odds)};
          }
          pairVectors[j] = split;
          return split;
        };
        for (int64_t s = 0; s < kw; ++s) {
          int64_t o = s * dw - left;
          int64_t m = llvm::divideFloorSigned(o, 2);
          bool odd = o - 2 * m == 1;
          auto half = [&](int64_t j) {
            std::pair<Value, Value> split = pairs(j);
            return odd ? split.second : split.first;
          };
          for (int64_t v = v0; v < v1; ++v) {
            int64_t first = v * kVectorLanes + m;
            int64_t j = llvm::divideFloorSigned(first, kVectorLanes);
            int64_t lane = first - j * kVectorLanes;
            Value tapVector = half(j);
            if (lane != 0) {
              SmallVector<int64_t> shifted;
              for (int64_t k = 0; k < kVectorLanes; ++k)
                shifted.push_back(lane + k);
              tapVector = vector::ShuffleOp::create(b, loc, tapVector,
                                                    half(j + 1), shifted);
            }
            for (auto [i, r] : readers) {
              Value &acc = accs[i][v - v0];
              switch (form->combine) {
              case WindowCombine::MultiplyAdd:
                acc = vector::FMAOp::create(b, loc, tapVector,
                                            builder.tap(r * kw + s), acc);
                break;
              case WindowCombine::Max:
                acc = arith::MaximumFOp::create(b, loc, acc, tapVector);
                break;
              case WindowCombine::Sum:
                acc = arith::AddFOp::create(b, loc, acc, tapVector);
                break;
              }
            }
          }
        }
      }
      for (int64_t i = 0; i < rows; ++i)
        for (int64_t v = v0; v < v1; ++v)
          current = builder.write(b, current, accs[i][v - v0],
                                  outAts[i][v - v0], outMasks[i][v - v0]);
    }
    return current;
  };
  // Two output rows at a time on rows of up to two vectors (they share an
  // image row: 5 read per 2 output rows instead of 6; MobileNetV2's 3x3/2
  // on 28 x 28 and 56 x 56, 1.2x-1.3x faster), one on wider rows (4
  // vectors: 1.04x faster so, fewer registers).
  int64_t rowBlock = vectors <= 2 ? 2 : 1;
  return builder.build([&](OpBuilder &b, Value current) {
    for (int64_t y = 0; y < firstFull; ++y)
      current = buildRows(b, builder.index(b, y), 1, y, current);
    // The full rows in blocks of rowBlock, the rest one by one.
    int64_t blocks = (endFull - firstFull) / rowBlock;
    if (blocks > 0) {
      auto loop = scf::ForOp::create(
          b, loc, builder.index(b, firstFull),
          builder.index(b, firstFull + blocks * rowBlock),
          builder.index(b, rowBlock), ValueRange{current},
          [&](OpBuilder &nested, Location, Value y, ValueRange args) {
            scf::YieldOp::create(
                nested, loc,
                buildRows(nested, y, rowBlock, std::nullopt, args.front()));
          });
      current = loop.getResult(0);
    }
    for (int64_t y = firstFull + blocks * rowBlock; y < outH; ++y)
      current = buildRows(b, builder.index(b, y), 1, y, current);
    return current;
  });
}
