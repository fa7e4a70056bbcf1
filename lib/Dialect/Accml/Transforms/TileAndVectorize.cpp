//===- TileAndVectorize.cpp - Tiling and vectorisation --------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-tile-and-fuse and accml-vectorize: AccML's fast path on tensors.
// Matmuls and direct convolutions get cache tiles (parallel blocks for the
// threads) and register tiles that become blocks of accumulators held in
// vector registers across the reduction loop; row-wise chains (softmax,
// layer_norm) run one fused row at a time in chunks; elementwise ops in
// rows. accml-lower-vectors (LowerVectors.cpp) then lowers the contractions
// to broadcast-FMA micro-kernels after bufferization.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"
#include "accml/Dialect/Accml/Transforms/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "mlir/Transforms/RegionUtils.h"

#define DEBUG_TYPE "accml-tile-and-fuse"

namespace accml {
#define GEN_PASS_DEF_ACCMLTILEANDFUSEPASS
#define GEN_PASS_DEF_ACCMLVECTORIZEPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;

int64_t accml::balanceTile(int64_t size, int64_t tile, int64_t multiple) {
  tile = std::clamp<int64_t>(tile, 1, size);
  int64_t tiles = llvm::divideCeil(size, tile);
  int64_t balanced = llvm::divideCeil(size, tiles);
  int64_t rounded = llvm::divideCeil(balanced, multiple) * multiple;
  return std::min(size, rounded);
}

namespace {

/// Makes the two parallel cache-block sizes `a` (over `sizeA`, in
/// multiples of `unitA`) and `b` (over `sizeB`, multiples of `unitB`)
/// smaller until there are at least `wanted` blocks (`otherBlocks` more
/// from other parallel loops multiply the count) or both are one unit, so
/// that every thread gets work even when the cache model's blocks cover
/// the whole problem. Splitting one dimension makes the blocks along it
/// read the other operand again: `a` is halved first when `splitAFirst`
/// (the operand that splitting it duplicates is the smaller one), `b`
/// otherwise; the blocks stay balanced.
void splitForThreads(int64_t sizeA, int64_t &a, int64_t unitA, int64_t sizeB,
                     int64_t &b, int64_t unitB, int64_t wanted,
                     bool splitAFirst, int64_t otherBlocks = 1) {
  auto blocks = [](int64_t size, int64_t tile) -> int64_t {
    return llvm::divideCeil(size, tile);
  };
  auto halve = [](int64_t size, int64_t tile, int64_t unit) {
    int64_t half = std::max<int64_t>(unit, tile / 2 / unit * unit);
    return accml::balanceTile(size, half, unit);
  };
  while (otherBlocks * blocks(sizeA, a) * blocks(sizeB, b) < wanted) {
    int64_t smallerA = a > unitA ? halve(sizeA, a, unitA) : a;
    int64_t smallerB = b > unitB ? halve(sizeB, b, unitB) : b;
    bool canA = smallerA < a, canB = smallerB < b;
    if (!canA && !canB)
      return;
    if (canA && (splitAFirst || !canB))
      a = smallerA;
    else
      b = smallerB;
  }
}

/// Tiles `op` by `sizes` (one per loop; 0 leaves a loop untiled) with
/// scf.for loops (scf.forall when `parallel`), in the order of
/// `interchange` (a permutation of the loops) when given; returns the tiled
/// op and the loops, outermost first.
FailureOr<std::pair<linalg::LinalgOp, SmallVector<LoopLikeOpInterface>>>
tile(RewriterBase &rewriter, linalg::LinalgOp op, ArrayRef<int64_t> sizes,
     bool parallel = false, ArrayRef<int64_t> interchange = {}) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  options.setInterchange(interchange);
  if (parallel)
    options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(result))
    return failure();
  rewriter.replaceOp(op, result->replacements);
  return std::make_pair(cast<linalg::LinalgOp>(result->tiledOps.back()),
                        result->loops);
}

/// Rows of row-wise chains longer than this are processed in chunks of
/// this many elements (four AVX-512 registers).
constexpr int64_t kRowChunk = 64;

/// Register tiles of matmuls have at most this many columns (accml-vectorize
/// leaves wider ones: they unroll into very long code).
constexpr int64_t kMaxTileColumns = 128;

/// Rows of elementwise ops are this long at most (four f32 AVX-512
/// registers).
constexpr int64_t kElementwiseTile = 64;

/// Elements of an elementwise op that one parallel iteration takes at most
/// when its rows are short (several rows per iteration).
constexpr int64_t kParallelElements = 1024;

/// The work of the window op `op`: its outputs (the product of its loop
/// ranges) times its taps (the inputs read as images: 4-D maps).
int64_t windowWork(linalg::GenericOp op) {
  int64_t outputs = 1;
  for (int64_t size : op.getStaticLoopRanges())
    outputs *= size;
  int64_t taps = llvm::count_if(op.getDpsInputOperands(), [&](OpOperand *in) {
    return op.getMatchingIndexingMap(in).getNumResults() == 4;
  });
  return outputs * taps;
}

using accml::channelsLastMap;
using accml::kVectorLanes;

/// Whether the bf16 values of `op`'s body are only converted: each is a
/// block argument or an arith.truncf result, used only by arith.extf or
/// the yield (all arithmetic is in f32; LLVM lowers such vectors well).
bool convertsBF16Only(linalg::LinalgOp op) {
  auto onlyConverted = [](Value value) {
    return llvm::all_of(value.getUsers(), [](Operation *user) {
      return isa<arith::ExtFOp, linalg::YieldOp>(user);
    });
  };
  for (BlockArgument argument : op.getBlock()->getArguments())
    if (argument.getType().isBF16() && !onlyConverted(argument))
      return false;
  for (Operation &nested : op.getBlock()->without_terminator())
    for (Value result : nested.getResults())
      if (result.getType().isBF16() &&
          (!isa<arith::TruncFOp>(nested) || !onlyConverted(result)))
        return false;
  return true;
}

/// Whether every operand of `op` has f32 elements (or bf16 ones that the
/// body only converts, with `allowBF16`) and its body has no
/// tensor.extract (gathers) or linalg.index (index computations): what the
/// vectoriser turns into plain vector arithmetic.
bool isF32WithoutGathers(linalg::LinalgOp op, bool allowBF16 = false) {
  if (!llvm::all_of(op->getOperands(), [&](Value operand) {
        Type element = getElementTypeOrSelf(operand.getType());
        return element.isF32() || (allowBF16 && element.isBF16());
      }))
    return false;
  if (allowBF16 && !convertsBF16Only(op))
    return false;
  WalkResult walk = op->walk([](Operation *nested) {
    return isa<tensor::ExtractOp, linalg::IndexOp>(nested)
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return !walk.wasInterrupted();
}

/// An all-parallel generic on static f32 tensors whose innermost dimension
/// is long enough to vectorise (`minRow` elements), without tensor.extract
/// (gathers) or index computations.
bool isVectorizableElementwise(linalg::GenericOp op, int64_t minRow = 16) {
  if (!op.hasPureTensorSemantics() || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() || op.getNumLoops() == 0)
    return false;
  SmallVector<int64_t> dims = op.getStaticLoopRanges();
  if (ShapedType::isDynamicShape(dims) || dims.back() < minRow)
    return false;
  return isF32WithoutGathers(op, /*allowBF16=*/true);
}

/// The stride s of a strided copy out[.., x] = in[.., x * s + c] with s > 1
/// along the innermost loop x (the subsampling of a strided 1x1
/// convolution, the phases of space-to-depth): one input, a body that
/// yields it, an identity output map, and an input whose innermost index is
/// s * x plus terms free of x (its other indices free of x too).
std::optional<int64_t> stridedCopyStride(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() == 0 || op.getNumReductionLoops() != 0)
    return std::nullopt;
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getOperations().size() != 1 ||
      yield.getValues()[0] != body.getArgument(0))
    return std::nullopt;
  AffineMap inMap = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  if (!op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity() ||
      inMap.getNumResults() == 0)
    return std::nullopt;
  unsigned loops = op.getNumLoops(), x = loops - 1;
  MLIRContext *context = op.getContext();
  AffineExpr last = inMap.getResults().back();
  // The coefficient of x: the index with x at 1 minus the index with x at
  // 0 (every other loop at 0).
  auto at = [&](int64_t value) -> std::optional<int64_t> {
    SmallVector<AffineExpr> point(loops, getAffineConstantExpr(0, context));
    point[x] = getAffineConstantExpr(value, context);
    if (auto constant = dyn_cast<AffineConstantExpr>(last.replaceDims(point)))
      return constant.getValue();
    return std::nullopt;
  };
  std::optional<int64_t> at0 = at(0), at1 = at(1);
  if (!at0 || !at1 || *at1 - *at0 < 2)
    return std::nullopt;
  int64_t stride = *at1 - *at0;
  AffineExpr rest = simplifyAffineExpr(
      last - getAffineDimExpr(x, context) * stride, loops, 0);
  if (rest.isFunctionOfDim(x) ||
      llvm::any_of(inMap.getResults().drop_back(),
                   [&](AffineExpr expr) { return expr.isFunctionOfDim(x); }))
    return std::nullopt;
  return stride;
}

/// The shortest rows of `op` that are tiled and vectorised as elementwise
/// rows: 16 (one register), or 4 for the window ops of a channel block
/// (depthwise convolutions, poolings) and strided copies (the phases of
/// strided ones), whose short rows (7 or 14) cannot be collapsed into
/// whole images as plain elementwise ops are (collapseShortRows): as
/// scalar loops, MobileNetV2's depthwise layers on 14 x 14 and 7 x 7 images
/// ran at a tenth of oneDNN's speed, as rows of 14 or 7 lanes 2-4x faster.
int64_t minElementwiseRow(linalg::GenericOp op) {
  return accml::isWindowOp(op) || stridedCopyStride(op) ? 4 : 16;
}

/// Whether an input of `op` is the result of a matmul of bf16 operands
/// (its epilogue: accml-bf16-matmul applies it to each block of the
/// matmul's result).
bool readsBF16Matmul(linalg::GenericOp op) {
  return llvm::any_of(op.getDpsInputs(), [](Value input) {
    auto matmul = input.getDefiningOp<linalg::MatmulOp>();
    return matmul &&
           getElementTypeOrSelf(matmul.getDpsInputs()[0].getType()).isBF16();
  });
}

/// Rows of row-wise chains (softmax, layer_norm, normalisations) are at
/// most this long: a row is vectorised whole (up to 64 AVX-512 registers).
constexpr int64_t kMaxRow = 1024;

/// Whether `op` is a linalg op with a reduction loop.
bool isReduction(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumReductionLoops() > 0;
}

/// Whether `op` is a static f32 linalg.matmul on tensors or one of
/// accml-pack's contractions: one that accml-tile-and-fuse tiles for the
/// caches and registers itself.
bool isTiledMatmul(Operation *op) {
  // The contractions of accml-pack have their own tiling too (a copy-out
  // of a position-major convolution taken as a row root fused the
  // convolution into its row loop, unvectorised: ResNet-18 ran 30x
  // slower).
  if (auto generic = dyn_cast_or_null<linalg::GenericOp>(op))
    return accml::isPackedMatmul(generic) ||
           accml::isDirectConvolution(generic) ||
           accml::isPositionMajorConvolution(generic);
  auto matmul = dyn_cast_or_null<linalg::MatmulOp>(op);
  return matmul && matmul.hasPureTensorSemantics() &&
         !ShapedType::isDynamicShape(matmul.getStaticLoopRanges()) &&
         llvm::all_of(matmul->getOperandTypes(), [](Type type) {
           return getElementTypeOrSelf(type).isF32();
         });
}

/// The root of a row-wise chain: a vectorisable elementwise generic (rank 2
/// or more, rows of at most kMaxRow) that reads the result of a reduction,
/// such as the normalisation at the end of softmax or layer_norm. Matmuls
/// that have their own tiling are not such reductions (fused into a row
/// loop, a matmul becomes a 1 x N x K product that is not vectorised: a
/// linear layer's bias would make its matmul scalar); other contractions
/// (batched matmuls) are.
bool isRowRoot(linalg::GenericOp op) {
  if (!isVectorizableElementwise(op) || op.getNumLoops() < 2 ||
      op.getStaticLoopRanges().back() > kMaxRow)
    return false;
  return llvm::any_of(op.getDpsInputs(), [](Value input) {
    Operation *producer = input.getDefiningOp();
    return isReduction(producer) && !isTiledMatmul(producer);
  });
}

/// A reduction over the innermost dimension of static f32 tensors (rows
/// of 16 to kMaxRow elements, or longer ones that kRowChunk divides; at
/// least two rows), such as a standalone reduce_sum, but not a
/// contraction (matmuls have their own tiling): tiled by rows like the
/// root of a row-wise chain.
bool isRowReduction(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() < 2 ||
      op.getNumReductionLoops() != 1 || op.getNumDpsInits() != 1 ||
      !linalg::isReductionIterator(op.getIteratorTypesArray().back()) ||
      linalg::isaContractionOpInterface(op))
    return false;
  if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      generic && accml::isPackedMatmul(generic))
    return false;
  SmallVector<int64_t> dims = op.getStaticLoopRanges();
  // (Longer rows when chunkRows cuts them into chunks: a global average
  // pooling's 56 x 56 positions ran at a quarter of the bandwidth as
  // scalar loops.)
  if (ShapedType::isDynamicShape(dims) || dims.back() < 16 ||
      (dims.back() > kMaxRow && dims.back() % kRowChunk != 0) ||
      llvm::all_of(ArrayRef(dims).drop_back(),
                   [](int64_t d) { return d == 1; }))
    return false;
  return isF32WithoutGathers(op);
}

/// The channels-last map of a transposing copy whose images are collapsed
/// to rows of positions: (n, c, p) -> (n, p, c).
AffineMap flatChannelsLastMap(MLIRContext *context) {
  AffineExpr n, c, p;
  bindDims(context, n, c, p);
  return AffineMap::get(3, 0, {n, p, c}, context);
}

/// Whether `op` works on channels-last tensors, tiled by 16 channels: a
/// position-major convolution's copy-out to NCHW (with the bias,
/// activation and residual fused into it), the channels-last copy of a
/// depthwise convolution's or pooling's input, that window op itself, and
/// its copy-out. An all-parallel 4-D generic (loops n, c, y, x) on static
/// f32 tensors whose operands are read or written through channelsLastMap,
/// the identity or (inputs only) per channel (d1), with at least one
/// channels-last operand; the channels a multiple of 16.
bool isChannelsLastOp(linalg::GenericOp op) {
  if (op.getNumLoops() != 4 || op.getNumReductionLoops() != 0 ||
      op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
      !isF32WithoutGathers(op))
    return false;
  SmallVector<int64_t> dims = op.getStaticLoopRanges();
  if (ShapedType::isDynamicShape(dims) || dims[1] % 16 != 0)
    return false;
  MLIRContext *context = op.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, context);
  AffineMap perChannel =
      AffineMap::get(4, 0, {getAffineDimExpr(1, context)}, context);
  bool channelsLast = false;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (map == channelsLastMap(context))
      channelsLast = true;
    else if (map != identity && (map != perChannel || !op.isDpsInput(&operand)))
      return false;
  }
  return channelsLast;
}

/// Whether the channels-last op `op` reads windows of an image in place:
/// two or more inputs read through channelsLastMap are slices of one
/// tensor that is not a padding or a copy built for it (the interior of a
/// channels-last window reduction, see accml-pack).
bool readsWindowsInPlace(linalg::GenericOp op) {
  Value image;
  int64_t windows = 0;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (op.getMatchingIndexingMap(input) != channelsLastMap(op.getContext()))
      continue;
    auto slice = input->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (!slice || (image && slice.getSource() != image))
      return false;
    image = slice.getSource();
    ++windows;
  }
  return windows >= 2 && !image.getDefiningOp<tensor::PadOp>() &&
         !image.getDefiningOp<tensor::InsertSliceOp>() &&
         !image.getDefiningOp<linalg::GenericOp>();
}

/// The bytes per channel of the image whose windows the channels-last
/// `op` reads in place (readsWindowsInPlace).
int64_t windowImageBytes(linalg::GenericOp op) {
  for (OpOperand *input : op.getDpsInputOperands()) {
    auto slice = input->get().getDefiningOp<tensor::ExtractSliceOp>();
    if (slice &&
        op.getMatchingIndexingMap(input) == channelsLastMap(op.getContext())) {
      ArrayRef<int64_t> shape = slice.getSourceType().getShape();
      return shape[1] * shape[2] * 4;
    }
  }
  return 0;
}

/// The positions per tile of a transposing copy-out with rows of `width`:
/// the largest divisor of `width` up to 16 (whole tiles, no remainders).
int64_t copyOutColumns(int64_t width) {
  for (int64_t columns = std::min<int64_t>(width, 16); columns > 1; --columns)
    if (width % columns == 0)
      return columns;
  return 1;
}

/// An elementwise op whose rows are not whole registers (an NCHW image's
/// rows of 7, 14, 28 or 56, each a run of 16-lane pieces and a masked
/// remainder) over whole tensors (no slices, so that the reshapes are free)
/// runs on its images instead: the last two loops collapsed into one (H x W
/// contiguous in every operand), rows of 49, 196, 784 or 3136: 4 vector
/// operations for a 7 x 7 image, whose rows of 7 were too short to
/// vectorise. Returns the op that replaces `op`, or `op`.
linalg::GenericOp collapseShortRows(RewriterBase &rewriter,
                                    linalg::GenericOp op) {
  SmallVector<int64_t> dims = op.getStaticLoopRanges();
  int64_t rank = dims.size();
  if (rank < 3 || dims.back() % kVectorLanes == 0)
    return op;
  // Plain (projected permutation) accesses only: not the shifted windows of
  // pooling and depthwise convolutions.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  ReassociationIndices image = {rank - 2, rank - 1};
  if (!llvm::all_of(
          maps, [](AffineMap map) { return map.isProjectedPermutation(); }) ||
      !linalg::areDimSequencesPreserved(maps, {image}))
    return op;
  for (Value operand : op->getOperands())
    if (operand.getDefiningOp<tensor::ExtractSliceOp>())
      return op;
  SmallVector<ReassociationIndices> groups;
  for (int64_t dim = 0; dim < rank - 2; ++dim)
    groups.push_back({dim});
  groups.push_back(image);
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::CollapseResult> collapsed =
      linalg::collapseOpIterationDims(op, groups, rewriter);
  if (failed(collapsed))
    return op;
  rewriter.replaceOp(op, collapsed->results);
  return cast<linalg::GenericOp>(collapsed->collapsedOp.getOperation());
}

/// Reorders the dimensions of `forall` (and its mapping, if any): its new
/// dimension j is the old dimension perm[j].
scf::ForallOp permuteForall(RewriterBase &rewriter, scf::ForallOp forall,
                            ArrayRef<int64_t> perm) {
  assert(static_cast<int64_t>(perm.size()) == forall.getRank() &&
         "a permutation of the loop's dimensions");
  auto permute = [&](auto values) {
    SmallVector<typename decltype(values)::value_type> result;
    for (int64_t p : perm)
      result.push_back(values[p]);
    return result;
  };
  std::optional<ArrayAttr> mapping;
  if (std::optional<ArrayAttr> old = forall.getMapping())
    mapping =
        rewriter.getArrayAttr(permute(SmallVector<Attribute>(old->getValue())));
  rewriter.setInsertionPoint(forall);
  auto permuted = scf::ForallOp::create(
      rewriter, forall.getLoc(), permute(forall.getMixedLowerBound()),
      permute(forall.getMixedUpperBound()), permute(forall.getMixedStep()),
      forall.getOutputs(), mapping);
  rewriter.eraseOp(permuted.getTerminator());
  SmallVector<Value> args(forall.getBody()->getNumArguments());
  for (auto [j, p] : llvm::enumerate(perm))
    args[p] = permuted.getInductionVar(j);
  for (auto [i, arg] : llvm::enumerate(permuted.getRegionIterArgs()))
    args[perm.size() + i] = arg;
  rewriter.mergeBlocks(forall.getBody(), permuted.getBody(), args);
  rewriter.replaceOp(forall, permuted.getResults());
  return permuted;
}

/// Elementwise ops: rows of at most 64 elements along the innermost
/// dimension (one to four AVX-512 registers), the last partial row peeled.
void tileElementwise(RewriterBase &rewriter, linalg::GenericOp op,
                     bool parallel = true, int64_t parallelBlocks = 1) {
  SmallVector<int64_t> dims = op.getStaticLoopRanges();
  // The rows are independent (an scf.forall: the threads' work, unless
  // `parallel` is false), then each row is cut into pieces of at most
  // kElementwiseTile.
  linalg::LinalgOp row = op;
  int64_t windowRows = dims.size() == 4 ? accml::windowRowsPerTile(op) : 1;
  if (dims.size() > 1) {
    SmallVector<int64_t> outer(dims.size(), 1);
    outer.back() = 0;
    // (Several output rows of a stride-1 window op: see
    // windowRowsPerTile.)
    outer[dims.size() - 2] = windowRows;
    // Threaded (`parallelBlocks` > 1), short rows go several to a parallel
    // iteration: the largest divisor of their count that keeps an
    // iteration within kParallelElements and leaves at least twice
    // `parallelBlocks` iterations. One per iteration, a 1x1/2
    // convolution's subsampling copy (64 x 28 rows of 28) was 1792
    // iterations that two threads ran no faster than one. (Only for ops at
    // the top level: in a block's loop, nothing runs in parallel.)
    // An image (N x C x H x W) goes by at most half of its rows per
    // iteration, the groups of rows outside the channels (below): the
    // threads' contiguous shares are then bands of rows of every channel,
    // as the convolutions' blocks (panels outermost, see the convolutions
    // below) read and write them, on the same core.
    bool image = dims.size() == 4;
    int64_t group = 1;
    int64_t rowCount = 1;
    for (int64_t size : ArrayRef<int64_t>(dims).drop_back())
      rowCount *= size;
    bool threaded = windowRows == 1 && parallel && parallelBlocks > 1 &&
                    !op->getParentOfType<LoopLikeOpInterface>();
    // (Images whose row count has no divisor up to half of it, such as 7,
    // keep whole images per iteration: rows one at a time would be
    // iterations too short to pay for themselves.)
    auto chooseGroup = [&](bool halfRows) {
      for (int64_t rows = dims[dims.size() - 2]; rows > 1; --rows)
        if (dims[dims.size() - 2] % rows == 0 &&
            rows * dims.back() <= kParallelElements &&
            rowCount / rows >= 2 * parallelBlocks &&
            (!halfRows || 2 * rows <= dims[2]))
          return rows;
      return int64_t(1);
    };
    if (threaded) {
      group = chooseGroup(image);
      if (image && group == 1)
        group = chooseGroup(false);
    }
    outer[dims.size() - 2] = std::max(windowRows, group);
    auto tiledRows = tile(rewriter, op, outer, parallel);
    if (failed(tiledRows))
      return;
    if (threaded && image && dims[1] > 1 && dims[2] / outer[2] > 1)
      if (auto forall =
              dyn_cast<scf::ForallOp>(tiledRows->second.front().getOperation());
          forall && forall.getRank() == 3)
        tiledRows->second.front() = permuteForall(rewriter, forall, {0, 2, 1});
    row = tiledRows->first;
    if (group > 1) {
      SmallVector<int64_t> oneRow(dims.size(), 0);
      oneRow[dims.size() - 2] = 1;
      auto rowTiles = tile(rewriter, row, oneRow);
      if (failed(rowTiles))
        return;
      row = rowTiles->first;
    }
  }
  SmallVector<int64_t> sizes(dims.size(), 0);
  // Rows that are not whole registers (16 floats) go one register at a
  // time, the partial one peeled: a row of 56 as one vector<56xf32> is a
  // 3.5-register value whose broadcast operands LLVM assembles lane by
  // lane, and spills (a depthwise convolution's nine weights took 36
  // registers).
  // (Tiles of several window rows, one register wide: their rows are
  // vectorised one register at a time.)
  sizes.back() = dims.back() % kVectorLanes == 0 && windowRows == 1
                     ? std::min<int64_t>(dims.back(), kElementwiseTile)
                     : std::min<int64_t>(dims.back(), kVectorLanes);
  auto rows = tile(rewriter, row, sizes);
  if (failed(rows) || rows->second.empty())
    return;
  if (auto innermost =
          dyn_cast<scf::ForOp>(rows->second.back().getOperation())) {
    scf::ForOp partial;
    (void)scf::peelForLoopAndSimplifyBounds(rewriter, innermost, partial);
  }
}

/// Whether `op` is a root whose epilogue is fused into its parallel blocks:
/// a packed matmul or a direct convolution.
bool hasFusedEpilogue(Operation *op) {
  auto generic = dyn_cast_if_present<linalg::GenericOp>(op);
  return generic && (accml::isPackedMatmul(generic) ||
                     accml::isDirectConvolution(generic));
}

/// Matmul and convolution epilogues (bias, activation, residual: an
/// elementwise generic reading a packed matmul's result through the
/// collapse back to M x N, or a direct convolution's through the collapse
/// to N x F x positions and the expansion to N x F x OH x OW, the result's
/// only use) are rewritten over the root's own layout (M x panels x width;
/// N x filter blocks x filters x panels x width), their other operands
/// reshaped alike (upstream's reshape fusion by collapsing, then by
/// expansion), so that each parallel block of the root can apply its
/// epilogue to its own result (see fuseEpilogue). A convolution whose
/// positions are padded to whole panels (a slice between the collapse and
/// the expansion) keeps its epilogue as the pass that copies its result
/// out. Returns the epilogue of each such root.
DenseMap<Operation *, linalg::GenericOp> expandEpilogues(func::FuncOp func) {
  // The root whose result `value` is, through its collapse.
  auto collapsedRoot = [](Value value) -> Operation * {
    auto collapse = value.getDefiningOp<tensor::CollapseShapeOp>();
    if (!collapse || !hasFusedEpilogue(collapse.getSrc().getDefiningOp()))
      return nullptr;
    return collapse.getSrc().getDefiningOp();
  };
  // Whether `consumer` may take `fused`, the reshaped result of a root
  // (`root` of `fused`'s value), as its epilogue.
  // (Its rows may be short before it is rewritten over the root's rows,
  // which are panels: 8 x 8 images.)
  auto isEpilogueOperand = [&](OpOperand *fused,
                               function_ref<Operation *(Value)> root) {
    auto consumer = dyn_cast<linalg::GenericOp>(fused->getOwner());
    Operation *producer = root(fused->get());
    if (!producer || !consumer || !consumer.isDpsInput(fused) ||
        !fused->get().hasOneUse() || !producer->hasOneUse() ||
        !isVectorizableElementwise(consumer, /*minRow=*/1))
      return false;
    // (An elementwise op reading two roots is the epilogue of neither.)
    return llvm::count_if(consumer.getDpsInputs(), [&](Value input) {
             return root(input) != nullptr;
           }) == 1;
  };
  RewritePatternSet patterns(func.getContext());
  // A convolution's N x F x OH x OW result, expanded from positions,
  // first: the epilogue over positions.
  linalg::populateFoldReshapeOpsByCollapsingPatterns(
      patterns, [&](OpOperand *fused) {
        return isEpilogueOperand(fused, [&](Value value) -> Operation * {
          auto expand = value.getDefiningOp<tensor::ExpandShapeOp>();
          if (!expand || !expand->hasOneUse())
            return nullptr;
          Operation *root = collapsedRoot(expand.getSrc());
          auto generic = dyn_cast_if_present<linalg::GenericOp>(root);
          return generic && accml::isDirectConvolution(generic) ? root
                                                                : nullptr;
        });
      });
  linalg::populateFoldReshapeOpsByExpansionPatterns(
      patterns, [&](OpOperand *fused) {
        return isEpilogueOperand(fused, collapsedRoot);
      });
  (void)applyPatternsGreedily(func, std::move(patterns));
  DenseMap<Operation *, linalg::GenericOp> epilogues;
  func.walk([&](linalg::GenericOp op) {
    if (!isVectorizableElementwise(op))
      return;
    SmallVector<Operation *> roots;
    for (Value input : op.getDpsInputs())
      if (hasFusedEpilogue(input.getDefiningOp()))
        roots.push_back(input.getDefiningOp());
    if (roots.size() == 1 && roots.front()->hasOneUse())
      epilogues[roots.front()] = op;
  });
  return epilogues;
}

/// Whether `op` is accml-pack's copy of a matmul's B, computed at run time,
/// into panels (Bp[n0][k][n1] = B[k][n0][n1], into an empty tensor) whose
/// only use is the B operand of a packed matmul.
bool isRuntimePanelPacking(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != 3 || op.getNumParallelLoops() != 3 ||
      !op.hasPureTensorSemantics() || !op->hasOneUse() ||
      !op.getDpsInits()[0].getDefiningOp<tensor::EmptyOp>())
    return false;
  auto yield = cast<linalg::YieldOp>(op.getBody()->getTerminator());
  if (yield.getValues() != ValueRange{op.getBody()->getArgument(0)})
    return false;
  MLIRContext *context = op.getContext();
  AffineExpr p0, p1, p2;
  bindDims(context, p0, p1, p2);
  if (op.getIndexingMapsArray() !=
      SmallVector<AffineMap>{AffineMap::get(3, 0, {p1, p0, p2}, context),
                             AffineMap::getMultiDimIdentityMap(3, context)})
    return false;
  auto matmul = dyn_cast<linalg::GenericOp>(*op->user_begin());
  return matmul && accml::isPackedMatmul(matmul) &&
         matmul.getDpsInputs()[1] == op->getResult(0);
}

/// A copy fused into a loop whose destination is a slice of an empty
/// tensor gets an empty tensor of its own: a buffer of the slice's size
/// (reused by every iteration) rather than a slice of one as large as the
/// whole producer. (The last block's piece of a B whose panels no block
/// count divides has dynamic sizes.)
void initFromOwnEmpty(RewriterBase &rewriter, linalg::GenericOp copy) {
  OpOperand &init = copy.getDpsInitsMutable()[0];
  auto initSlice = init.get().getDefiningOp<tensor::ExtractSliceOp>();
  if (!initSlice || !initSlice.getSource().getDefiningOp<tensor::EmptyOp>() ||
      initSlice.getResultType().getRank() !=
          int64_t(initSlice.getMixedSizes().size()))
    return;
  rewriter.setInsertionPoint(initSlice);
  Value empty =
      tensor::EmptyOp::create(rewriter, initSlice.getLoc(),
                              initSlice.getResultType(), initSlice.getSizes());
  rewriter.modifyOpInPlace(copy, [&] { init.set(empty); });
}

/// Fuses the producer of `slice` (a generic: a packing or subsampling copy)
/// into `loop`, the loop around the slice's user, and gives the fused copy
/// an empty destination of its own (initFromOwnEmpty). Returns the fused
/// copy.
FailureOr<linalg::GenericOp> fuseCopyOfSlice(RewriterBase &rewriter,
                                             tensor::ExtractSliceOp slice,
                                             LoopLikeOpInterface loop) {
  SmallVector<LoopLikeOpInterface> loops = {loop};
  std::optional<scf::SCFFuseProducerOfSliceResult> fused =
      scf::tileAndFuseProducerOfSlice(rewriter, slice, loops);
  if (!fused)
    return failure();
  auto copy = fused->tiledAndFusedProducer.getDefiningOp<linalg::GenericOp>();
  if (!copy)
    return failure();
  initFromOwnEmpty(rewriter, copy);
  return copy;
}

/// Fuses the producer of `op`'s B operand, which `op` reads through a
/// slice, into `loop` (the loop around `op`): the producer then computes
/// just that slice, in the loop. Returns the fused copy of the producer
/// (a generic); the original is erased once nothing else uses it, and is
/// left in place when fusion fails.
FailureOr<linalg::GenericOp> fuseProducerOfB(RewriterBase &rewriter,
                                             linalg::LinalgOp op,
                                             LoopLikeOpInterface loop) {
  auto slice = op.getDpsInputs()[1].getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice)
    return failure();
  Operation *producer = slice.getSource().getDefiningOp();
  FailureOr<linalg::GenericOp> copy = fuseCopyOfSlice(rewriter, slice, loop);
  if (succeeded(copy) && producer && isOpTriviallyDead(producer))
    rewriter.eraseOp(producer);
  return copy;
}

/// The subsampling copy (a strided copy, see stridedCopyStride) that a
/// strided 1x1 direct convolution `conv` reads as its image, through a
/// collapse of the image's rows into positions ([[0], [1], [2, 3]]), when
/// its panels are whole rows of the image; null otherwise.
linalg::GenericOp subsampleOfConvolution(linalg::GenericOp conv) {
  auto collapse =
      conv.getDpsInputs()[1].getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse || !collapse->hasOneUse())
    return {};
  Value image = collapse.getSrc();
  // (accml-pack writes the copy into its result with a full-size slice.)
  if (auto insert = image.getDefiningOp<tensor::InsertSliceOp>();
      insert && insert.getSourceType() == insert.getResultType() &&
      insert->hasOneUse())
    image = insert.getSource();
  auto copy = image.getDefiningOp<linalg::GenericOp>();
  auto type = cast<RankedTensorType>(collapse.getSrcType());
  SmallVector<ReassociationIndices> groups = collapse.getReassociationIndices();
  SmallVector<int64_t> dims = conv.getStaticLoopRanges();
  if (!copy || !copy->hasOneUse() || !stridedCopyStride(copy) ||
      !type.hasStaticShape() || type.getRank() != 4 || groups.size() != 3 ||
      groups[2] != ReassociationIndices{2, 3} ||
      ShapedType::isDynamicShape(dims) || dims[5] != 1 || dims[6] != 1 ||
      dims[4] % type.getDimSize(3) != 0)
    return {};
  return copy;
}

/// Fuses the subsampling copy of a strided 1x1 convolution (see
/// subsampleOfConvolution) into the convolution's parallel `blocks`, whose
/// tiled convolution is `term`: each block subsamples the rows of the image
/// that its positions are, right before reading them, into a buffer of its
/// own. As a parallel loop of its own the copy was a second fork and join
/// of the threads, and at two threads ResNet-18's 1x1/2 layer took 49 us
/// where the same convolution on an unstrided 28 x 28 image took 33 us.
/// The slice of the collapsed image that `term` reads becomes the collapse
/// of a slice of whole rows, whose producer is then fused.
LogicalResult fuseSubsampleIntoBlocks(RewriterBase &rewriter,
                                      linalg::GenericOp term,
                                      scf::ForallOp blocks,
                                      const DenseSet<Operation *> &copies) {
  auto slice = term.getDpsInputs()[1].getDefiningOp<tensor::ExtractSliceOp>();
  if (!slice || slice.getResultType().getRank() != 3)
    return failure();
  auto collapse = slice.getSource().getDefiningOp<tensor::CollapseShapeOp>();
  if (!collapse)
    return failure();
  Value image = collapse.getSrc();
  auto insert = image.getDefiningOp<tensor::InsertSliceOp>();
  if (insert && insert.getSourceType() == insert.getResultType())
    image = insert.getSource();
  else
    insert = {};
  if (!copies.contains(image.getDefiningOp()))
    return failure();
  auto type = cast<RankedTensorType>(collapse.getSrcType());
  int64_t width = type.getDimSize(3);
  SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
  std::optional<int64_t> positions =
      getConstantIntValue(slice.getMixedSizes()[2]);
  std::optional<int64_t> channels =
      getConstantIntValue(slice.getMixedSizes()[1]);
  if (!positions || *positions % width != 0 || !channels ||
      *channels != type.getDimSize(1) || !isConstantIntValue(offsets[1], 0) ||
      !llvm::all_of(slice.getMixedStrides(),
                    [](OpFoldResult s) { return isConstantIntValue(s, 1); }))
    return failure();
  Location loc = slice.getLoc();
  rewriter.setInsertionPoint(slice);
  // The slice's first position is the first of a row (its panels are
  // whole rows).
  OpFoldResult row = affine::makeComposedFoldedAffineApply(
      rewriter, loc, rewriter.getAffineDimExpr(0).floorDiv(width),
      {offsets[2]});
  auto rows = tensor::ExtractSliceOp::create(
      rewriter, loc, image,
      SmallVector<OpFoldResult>{offsets[0], rewriter.getIndexAttr(0), row,
                                rewriter.getIndexAttr(0)},
      SmallVector<OpFoldResult>{slice.getMixedSizes()[0],
                                rewriter.getIndexAttr(*channels),
                                rewriter.getIndexAttr(*positions / width),
                                rewriter.getIndexAttr(width)},
      SmallVector<OpFoldResult>(4, rewriter.getIndexAttr(1)));
  Value collapsed =
      tensor::CollapseShapeOp::create(rewriter, loc, slice.getResultType(),
                                      rows, collapse.getReassociationIndices());
  rewriter.replaceOp(slice, collapsed);
  if (collapse->use_empty())
    rewriter.eraseOp(collapse);
  if (insert && insert->use_empty())
    rewriter.eraseOp(insert);
  FailureOr<linalg::GenericOp> copy = fuseCopyOfSlice(
      rewriter, rows, cast<LoopLikeOpInterface>(blocks.getOperation()));
  if (failed(copy))
    return failure();
  // Rows of the block's piece, in order (a block is one thread's work).
  tileElementwise(rewriter, *copy, /*parallel=*/false);
  return success();
}

/// The tile sizes of `op` by rows: all loops but the innermost by 1.
SmallVector<int64_t> rowTileSizes(linalg::LinalgOp op) {
  SmallVector<int64_t> sizes(op.getNumLoops(), 1);
  sizes.back() = 0;
  return sizes;
}

/// The fill (a zero, usually) of a matmul's or position-major
/// convolution's result, outside its parallel `blocks` (the result, or its
/// expansion to the blocks' layout, is their shared output and has no other
/// use), moves into the blocks: each fills its own block of the result
/// before accumulating into it, a fill of the whole block that
/// startTilesFromFill can then remove (when the register tiles cover the
/// block, the first reduction step's tiles start from the constant; a
/// partial block of dynamic size keeps its fill). Run before the blocks,
/// the fill was one thread's pass over the whole result, which the other
/// threads' blocks then wrote again from their cores.
void fuseFillIntoBlocks(RewriterBase &rewriter, scf::ForallOp blocks) {
  for (auto [index, init] : llvm::enumerate(blocks.getOutputs())) {
    auto expand = init.getDefiningOp<tensor::ExpandShapeOp>();
    Value filled = expand ? expand.getSrc() : init;
    auto fill = filled.getDefiningOp<linalg::FillOp>();
    if (!fill || !fill.hasPureTensorSemantics() || !filled.hasOneUse() ||
        (expand && !expand->hasOneUse()))
      continue;
    // Every use of the shared output in the body: a block's slice of it,
    // or the destination its result goes back into.
    BlockArgument shared = blocks.getRegionIterArgs()[index];
    SmallVector<tensor::ExtractSliceOp> slices;
    bool onlySlices = llvm::all_of(shared.getUses(), [&](OpOperand &use) {
      if (auto slice = dyn_cast<tensor::ExtractSliceOp>(use.getOwner())) {
        slices.push_back(slice);
        return slice.getResultType().getRank() ==
               slice.getSourceType().getRank();
      }
      return isa<tensor::ParallelInsertSliceOp>(use.getOwner());
    });
    if (!onlySlices || slices.empty())
      continue;
    Value unfilled = fill.getOutputs()[0];
    if (expand) {
      rewriter.setInsertionPoint(expand);
      unfilled = tensor::ExpandShapeOp::create(
          rewriter, expand.getLoc(), expand.getResultType(), unfilled,
          expand.getReassociationIndices(), expand.getMixedOutputShape());
    }
    OpOperand &output = blocks.getOutputsMutable()[index];
    rewriter.modifyOpInPlace(blocks, [&] { output.set(unfilled); });
    Value value = fill.getDpsInputs()[0];
    if (expand)
      rewriter.eraseOp(expand);
    rewriter.eraseOp(fill);
    for (tensor::ExtractSliceOp slice : slices) {
      rewriter.setInsertionPointAfter(slice);
      auto blockFill =
          linalg::FillOp::create(rewriter, slice.getLoc(), ValueRange{value},
                                 ValueRange{slice.getResult()});
      rewriter.replaceAllUsesExcept(slice.getResult(), blockFill.getResult(0),
                                    blockFill);
    }
  }
}

/// Fuses `epilogue`, an elementwise consumer of the tiled matmul's result
/// (over its M x panels x width layout), into the matmul's parallel
/// `blocks`: each block applies it to the rows it has just computed, while
/// they are in cache, one register-row (1 x 1 x width) at a time; the
/// whole result is no longer read back from memory by a separate pass.
/// With `untiled`, the block's epilogue is left whole and appended there
/// instead (a convolution's, for fuseIntoRegisterTiles).
LogicalResult
fuseEpilogue(RewriterBase &rewriter, linalg::GenericOp epilogue,
             LoopLikeOpInterface blocks,
             SmallVectorImpl<linalg::GenericOp> *untiled = nullptr) {
  SmallVector<LoopLikeOpInterface> loops = {blocks};
  FailureOr<scf::SCFFuseConsumerOfSliceResult> fused =
      scf::tileAndFuseConsumer(rewriter, epilogue, loops);
  if (failed(fused))
    return failure();
  rewriter.eraseOp(epilogue);
  // One register row (all loops but the innermost by 1) at a time, unless
  // the caller takes the block's epilogue (to fuse into register tiles).
  for (Operation *tiled : fused->tiledOps)
    if (auto row = dyn_cast<linalg::GenericOp>(tiled)) {
      if (untiled)
        untiled->push_back(row);
      else
        (void)tile(rewriter, row, rowTileSizes(row));
    }
  // The root's own result is no longer used: each block accumulates into
  // a block of its own, filled in the block when the result was (the zero
  // fill of the whole result was a pass over memory before the matmul, and
  // the result went through memory once more; a convolution's blocks fill
  // their part of an empty tensor themselves).
  // (Fusion replaced the loop: `loops` holds the new one.)
  auto forall = cast<scf::ForallOp>(loops.front().getOperation());
  for (OpResult result : forall->getResults()) {
    if (!result.use_empty())
      continue;
    Value init = forall.getOutputs()[result.getResultNumber()];
    if (auto expand = init.getDefiningOp<tensor::ExpandShapeOp>())
      init = expand.getSrc();
    auto fill = init.getDefiningOp<linalg::FillOp>();
    if (!fill && !init.getDefiningOp<tensor::EmptyOp>())
      continue;
    BlockArgument shared = forall.getRegionIterArgs()[result.getResultNumber()];
    for (OpOperand &use : llvm::make_early_inc_range(shared.getUses())) {
      auto slice = dyn_cast<tensor::ExtractSliceOp>(use.getOwner());
      // (Rank-reducing slices are left reading the whole result.)
      if (!slice ||
          slice.getResultType().getRank() != slice.getSourceType().getRank())
        continue;
      rewriter.setInsertionPoint(slice);
      Value empty = tensor::EmptyOp::create(
          rewriter, slice.getLoc(), slice.getMixedSizes(),
          slice.getResultType().getElementType());
      if (!fill) {
        rewriter.replaceOp(slice, empty);
        continue;
      }
      auto blockFill = rewriter.replaceOpWithNewOp<linalg::FillOp>(
          slice, ValueRange{fill.getDpsInputs()[0]}, ValueRange{empty});
      // By rows of registers, as the epilogue.
      (void)tile(rewriter, blockFill, rowTileSizes(blockFill));
    }
  }
  return success();
}

/// Whether `value` is `iv` or computed from it by side-effect-free ops
/// without regions (affine.apply and the like).
bool dependsOn(Value value, Value iv) {
  if (value == iv)
    return true;
  Operation *op = value.getDefiningOp();
  if (!op || op->getNumRegions() != 0 || !isMemoryEffectFree(op))
    return false;
  return llvm::any_of(op->getOperands(),
                      [&](Value operand) { return dependsOn(operand, iv); });
}

/// The smallest padded image (bytes) that padByRowsInParallel pads in
/// parallel: the serial pad of a smaller one is cheap next to two parallel
/// loops' start. At two threads, a 3x3/2 convolution on 64 x 56 x 56 (861
/// KB padded) ran 4-7% faster in parallel; a 3x3 one on 128 x 28 x 28 (460
/// KB) no faster (0.97-1.03x, the machine's noise).
constexpr int64_t kMinParallelPadBytes = 512 * 1024;

/// Replaces `pad`, a zero padding of the rows and columns of a static
/// N x C x H x W f32 image, by a zero fill of the padded image and a copy of
/// the image into its interior, each an scf.forall over rows outermost:
/// under the static schedule, each thread zeroes and fills the band of rows
/// that its blocks of a position-major convolution read (rows first, see
/// there), in its own cache. A tensor.pad is one serial memset and copy (a
/// 3x3/2 convolution on 64 x 56 x 56 at two threads: 400 us with the pad,
/// 310 us on an unpadded 57 x 57 image); the other thread then read its
/// half from the first one's cache. Returns whether `pad` was replaced.
/// (Only for padded images of at least kMinParallelPadBytes.)
bool padByRowsInParallel(RewriterBase &rewriter, tensor::PadOp pad,
                         int64_t parallelBlocks) {
  RankedTensorType sourceType = pad.getSourceType();
  RankedTensorType paddedType = pad.getResultType();
  auto amounts = accml::getZeroPadAmounts(pad);
  if (!amounts || !sourceType.hasStaticShape() ||
      !paddedType.hasStaticShape() || sourceType.getRank() != 4 ||
      !sourceType.getElementType().isF32() ||
      paddedType.getNumElements() * 4 < kMinParallelPadBytes)
    return false;
  auto &[low, high] = *amounts;
  if (low[0] != 0 || low[1] != 0 || high[0] != 0 || high[1] != 0)
    return false;
  Location loc = pad.getLoc();
  MLIRContext *context = rewriter.getContext();
  rewriter.setInsertionPoint(pad);
  Value zero =
      arith::ConstantOp::create(rewriter, loc, rewriter.getF32FloatAttr(0.0f));
  Value empty = tensor::EmptyOp::create(rewriter, loc, paddedType.getShape(),
                                        rewriter.getF32Type());
  auto fill = linalg::FillOp::create(rewriter, loc, zero, empty);
  SmallVector<OpFoldResult> offsets =
      getAsIndexOpFoldResult(context, {0, 0, low[2], low[3]});
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(context, sourceType.getShape());
  SmallVector<OpFoldResult> strides(4, rewriter.getIndexAttr(1));
  Value interior = tensor::ExtractSliceOp::create(
      rewriter, loc, sourceType, fill.getResult(0), offsets, sizes, strides);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, context);
  auto copy = linalg::GenericOp::create(
      rewriter, loc, sourceType, ValueRange{pad.getSource()},
      ValueRange{interior}, ArrayRef<AffineMap>{identity, identity},
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [](OpBuilder &b, Location nested, ValueRange args) {
        linalg::YieldOp::create(b, nested, args[0]);
      });
  Value padded =
      tensor::InsertSliceOp::create(rewriter, loc, copy.getResult(0),
                                    fill.getResult(0), offsets, sizes, strides);
  rewriter.replaceOp(pad, padded);
  // The fill by single padded rows of every channel (as many iterations as
  // rows: the threads' shares are then the halves of the rows), the copy
  // as any image elementwise op (bands of rows outermost).
  (void)tile(rewriter, fill, {1, 0, 1, 0}, /*parallel=*/true);
  tileElementwise(rewriter, copy, /*parallel=*/true, parallelBlocks);
  return true;
}

/// The most rows (all dimensions but the innermost) of a register tile
/// whose epilogue fuseIntoRegisterTiles applies row by row.
constexpr int64_t kMaxEpilogueRows = 16;

/// The mark of a direct convolution block's epilogue that
/// accml-tile-and-fuse left untiled, to fuse into the block's register
/// tiles once they are made (removed then).
constexpr StringLiteral kRegisterEpilogue = "accml.register_epilogue";

/// Fuses `epilogue`, the elementwise generic that a direct convolution's
/// parallel block applies to the block's result (fuseEpilogue), into the
/// block's register tiles when each completes its reduction in one pass
/// (no channel-block loop outside the tile's reduction loops: 1x1
/// kernels, the stem's 3 channels): after a tile's reduction loop (the
/// last of a chain of phases into the same tile), the epilogue runs on
/// the tile's rows (one tiled generic per row, which accml-vectorize reads
/// from the accumulators' registers) and writes them to the epilogue's
/// result, carried through the tile loops. Each reduction starts from the
/// block's initial value and the tile loops pass the block through, so
/// nothing reads the block back: neither the pass over the whole block
/// that the epilogue was (ResNet-18's 1x1/2 downsampling spent 15% of its
/// time there) nor, once vectorised, the tiles' writes remain.
///
/// The block is computed by a chain of loops in the block, each taking it
/// on from the one before (a row's tiles and its peeled last tile, when a
/// block holds one row): tile loops, or reduction loops themselves.
LogicalResult fuseIntoRegisterTiles(RewriterBase &rewriter,
                                    linalg::GenericOp epilogue) {
  if (!epilogue.hasPureTensorSemantics() || epilogue.getNumDpsInits() != 1 ||
      epilogue.getNumReductionLoops() != 0 ||
      !llvm::all_of(
          epilogue.getIndexingMapsArray(),
          [](AffineMap map) { return map.isProjectedPermutation(); }) ||
      !epilogue.getMatchingIndexingMap(epilogue.getDpsInitOperand(0))
           .isIdentity())
    return failure();
  // The block's result: an input read through the identity, the result of
  // the last loop of the chain (inserted whole into the block's fill).
  OpOperand *blockOperand = nullptr;
  scf::ForOp last;
  for (OpOperand *input : epilogue.getDpsInputOperands()) {
    if (!epilogue.getMatchingIndexingMap(input).isIdentity())
      continue;
    Value value = input->get();
    if (auto insert = value.getDefiningOp<tensor::InsertSliceOp>()) {
      if (insert.getSourceType() != insert.getDestType() ||
          !areAllConstantIntValue(insert.getMixedOffsets(), 0) ||
          !areAllConstantIntValue(insert.getMixedStrides(), 1))
        continue;
      bool whole = true;
      for (auto [dim, size] : llvm::enumerate(insert.getMixedSizes())) {
        if (!insert.getDestType().isDynamicDim(dim))
          continue;
        auto dimOp = dyn_cast_if_present<Value>(size)
                         ? cast<Value>(size).getDefiningOp<tensor::DimOp>()
                         : tensor::DimOp();
        std::optional<int64_t> index =
            dimOp ? dimOp.getConstantIndex() : std::nullopt;
        whole &= dimOp && dimOp.getSource() == insert.getDest() && index &&
                 *index == int64_t(dim);
      }
      if (!whole)
        continue;
      value = insert.getSource();
    }
    auto loop = value.getDefiningOp<scf::ForOp>();
    if (!loop)
      continue;
    if (blockOperand)
      return failure();
    blockOperand = input;
    last = loop;
  }
  if (!blockOperand)
    return failure();
  SmallVector<scf::ForOp> chain = {last};
  while (auto previous =
             chain.front().getInitArgs().front().getDefiningOp<scf::ForOp>())
    chain.insert(chain.begin(), previous);
  DenseSet<Operation *> chainLoops;
  for (scf::ForOp loop : chain) {
    if (loop->getBlock() != epilogue->getBlock() ||
        loop.getNumRegionIterArgs() != 1)
      return failure();
    chainLoops.insert(loop);
  }
  Value blockInit = chain.front().getInitArgs().front();
  int64_t rank = epilogue.getNumLoops();
  // Each register tile's insertion into the block and its reduction loop:
  // the outermost loop outside which the insertion's offsets are defined;
  // every loop between it and the chain indexes the tile (no channel-block
  // loop: the tile's values are final after its reduction loop).
  DenseMap<Operation *, tensor::InsertSliceOp> insertions;
  DenseSet<Operation *> tileLoops;
  for (scf::ForOp loop : chain) {
    WalkResult walk = loop->walk([&](linalg::MatmulOp matmul) {
      if (!matmul->hasOneUse())
        return WalkResult::interrupt();
      auto insert = dyn_cast<tensor::InsertSliceOp>(*matmul->user_begin());
      if (!insert || insert.getDestType().getRank() != rank ||
          !areAllConstantIntValue(insert.getMixedStrides(), 1))
        return WalkResult::interrupt();
      SmallVector<Value> offsets;
      for (OpFoldResult offset : insert.getMixedOffsets())
        if (auto value = dyn_cast<Value>(offset))
          offsets.push_back(value);
      scf::ForOp reduction;
      for (auto parent = dyn_cast<scf::ForOp>(matmul->getParentOp()); parent;
           parent = dyn_cast<scf::ForOp>(parent->getParentOp())) {
        if (!llvm::all_of(offsets, [&](Value offset) {
              return parent.isDefinedOutsideOfLoop(offset);
            }))
          break;
        reduction = parent;
        if (chainLoops.contains(parent))
          break;
      }
      if (!reduction || insertions.contains(reduction) ||
          reduction.getNumRegionIterArgs() != 1)
        return WalkResult::interrupt();
      // (Whether the reductions of a tile loop compute its tile alone or as
      // a chain is checked below, once all are known.)
      if (!chainLoops.contains(reduction)) {
        auto tileLoop = dyn_cast<scf::ForOp>(reduction->getParentOp());
        if (!tileLoop || tileLoop.getNumRegionIterArgs() != 1)
          return WalkResult::interrupt();
        for (Operation *parent = tileLoop;; parent = parent->getParentOp()) {
          auto loop = dyn_cast<scf::ForOp>(parent);
          if (!loop || loop.getNumRegionIterArgs() != 1 ||
              !llvm::any_of(offsets, [&](Value offset) {
                return dependsOn(offset, loop.getInductionVar());
              }))
            return WalkResult::interrupt();
          tileLoops.insert(loop);
          if (chainLoops.contains(loop))
            break;
        }
      }
      // Static tiles of at most kMaxEpilogueRows rows.
      int64_t rows = 1;
      for (int64_t size : insert.getStaticSizes().drop_back()) {
        if (ShapedType::isDynamic(size))
          return WalkResult::interrupt();
        rows *= size;
      }
      if (rows > kMaxEpilogueRows ||
          ShapedType::isDynamic(insert.getStaticSizes().back()))
        return WalkResult::interrupt();
      insertions[reduction] = insert;
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return failure();
  }
  // The block flows through the chain, and in each tile loop from the
  // block it carries in to what it carries out, only through reductions
  // (each starting from the block as it stands) and nested tile loops;
  // nothing else reads or writes it. Consecutive reductions into the same
  // tile (the phases of a strided kernel) are one group: the first starts
  // from the block's initial value, the last takes the epilogue.
  DenseSet<Operation *> firstTerms;
  auto sameTile = [&](Operation *a, Operation *b) {
    tensor::InsertSliceOp x = insertions.lookup(a), y = insertions.lookup(b);
    return x.getMixedOffsets() == y.getMixedOffsets() &&
           x.getStaticSizes() == y.getStaticSizes();
  };
  std::function<FailureOr<Value>(ArrayRef<Operation *>, Value, bool)> flow =
      [&](ArrayRef<Operation *> ops, Value in,
          bool checkUses) -> FailureOr<Value> {
    Value current = in;
    SmallVector<Operation *> group;
    auto close = [&] {
      if (group.empty())
        return;
      firstTerms.insert(group.front());
      for (Operation *term : ArrayRef(group).drop_back())
        insertions.erase(term);
      group.clear();
    };
    for (Operation *op : ops) {
      if (!llvm::is_contained(op->getOperands(), current))
        continue;
      auto loop = dyn_cast<scf::ForOp>(op);
      if (!loop || loop.getNumRegionIterArgs() != 1 ||
          loop.getInitArgs().front() != current ||
          (checkUses && !current.hasOneUse()))
        return failure();
      if (insertions.contains(loop)) {
        if (!group.empty() && !sameTile(group.front(), loop))
          close();
        group.push_back(loop);
      } else if (tileLoops.contains(loop)) {
        close();
        SmallVector<Operation *> body;
        for (Operation &nested : loop.getBody()->without_terminator())
          body.push_back(&nested);
        FailureOr<Value> inner =
            flow(body, loop.getRegionIterArgs().front(), true);
        if (failed(inner) ||
            cast<scf::YieldOp>(loop.getBody()->getTerminator()).getOperand(0) !=
                *inner)
          return failure();
      } else {
        return failure();
      }
      current = loop.getResult(0);
      checkUses = true;
    }
    close();
    return current;
  };
  {
    SmallVector<Operation *> ops(chain.begin(), chain.end());
    FailureOr<Value> end = flow(ops, blockInit, /*checkUses=*/false);
    if (failed(end) || *end != last.getResult(0))
      return failure();
  }
  // Every loop of the chain computes tiles.
  for (scf::ForOp loop : chain)
    if (!insertions.contains(loop) && !tileLoops.contains(loop))
      return failure();
  // The epilogue's other operands are defined before the chain.
  SmallVector<Value> others;
  for (OpOperand &operand : epilogue->getOpOperands())
    if (&operand != blockOperand)
      others.push_back(operand.get());
  if (failed(moveValueDefinitions(rewriter, others, chain.front())))
    return failure();
  auto tiling = cast<TilingInterface>(epilogue.getOperation());
  unsigned blockIndex = blockOperand->getOperandNumber();
  unsigned initIndex = epilogue.getDpsInitOperand(0)->getOperandNumber();
  // The epilogue of one tile, after its reduction loop, on `out`.
  auto applyToTile = [&](scf::ForOp reduction, Value out) -> Value {
    tensor::InsertSliceOp insert = insertions.lookup(reduction);
    Location loc = insert.getLoc();
    rewriter.setInsertionPointAfter(reduction);
    SmallVector<OpFoldResult> offsets = insert.getMixedOffsets();
    ArrayRef<int64_t> sizes = insert.getStaticSizes();
    SmallVector<OpFoldResult> rowSizes(rank, rewriter.getIndexAttr(1));
    rowSizes.back() = rewriter.getIndexAttr(sizes.back());
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1));
    SmallVector<int64_t> position(rank - 1, 0);
    while (true) {
      SmallVector<OpFoldResult> rowOffsets(offsets);
      for (int64_t dim = 0; dim + 1 < rank; ++dim)
        if (position[dim] != 0)
          rowOffsets[dim] = affine::makeComposedFoldedAffineApply(
              rewriter, loc, rewriter.getAffineSymbolExpr(0) + position[dim],
              {offsets[dim]});
      FailureOr<TilingResult> tiled =
          tiling.getTiledImplementation(rewriter, rowOffsets, rowSizes);
      if (failed(tiled) || tiled->tiledOps.size() != 1)
        return Value();
      Operation *row = tiled->tiledOps.front();
      // The row reads the tile from the reduction's result and writes into
      // the carried result.
      auto retarget = [&](unsigned index, Value source) {
        auto slice =
            row->getOperand(index).getDefiningOp<tensor::ExtractSliceOp>();
        if (!slice)
          return false;
        rewriter.modifyOpInPlace(
            slice, [&] { slice.getSourceMutable().assign(source); });
        return true;
      };
      if (!retarget(blockIndex, reduction.getResult(0)) ||
          !retarget(initIndex, out))
        return Value();
      out = tensor::InsertSliceOp::create(rewriter, loc, row->getResult(0), out,
                                          rowOffsets, rowSizes, strides);
      // The next row.
      int64_t dim = rank - 2;
      while (dim >= 0 && ++position[dim] == sizes[dim])
        position[dim--] = 0;
      if (dim < 0)
        break;
    }
    return out;
  };
  // The result threaded through the tile loops.
  bool failedTile = false;
  std::function<Value(scf::ForOp, Value)> thread = [&](scf::ForOp loop,
                                                       Value out) -> Value {
    SmallVector<Operation *> ops;
    for (Operation &op : loop.getBody()->without_terminator())
      ops.push_back(&op);
    FailureOr<LoopLikeOpInterface> threaded = loop.replaceWithAdditionalYields(
        rewriter, ValueRange{out}, /*replaceInitOperandUsesInLoop=*/false,
        [&](OpBuilder &, Location, ArrayRef<BlockArgument> args) {
          Value current = args.front();
          for (Operation *op : ops) {
            if (!current)
              break;
            if (insertions.contains(op))
              current = applyToTile(cast<scf::ForOp>(op), current);
            else if (tileLoops.contains(op))
              current = thread(cast<scf::ForOp>(op), current);
          }
          if (!current) {
            failedTile = true;
            current = args.front();
          }
          return SmallVector<Value>{current};
        });
    if (failed(threaded)) {
      failedTile = true;
      return out;
    }
    return threaded->getOperation()->getResults().back();
  };
  Value result = epilogue.getDpsInits()[0];
  for (scf::ForOp loop : chain) {
    if (insertions.contains(loop)) {
      result = applyToTile(loop, result);
      if (!result)
        return failure();
      continue;
    }
    result = thread(loop, result);
    if (failedTile)
      return failure();
  }
  rewriter.replaceOp(epilogue, result);
  // Nothing reads the block any more but each tile its own part of it.
  for (Operation *op : firstTerms) {
    auto reduction = cast<scf::ForOp>(op);
    rewriter.modifyOpInPlace(reduction, [&] {
      reduction.getInitArgsMutable()[0].assign(blockInit);
    });
  }
  // (The tile loops of the chain carry the block from its initial value
  // too, and pass it through.)
  SmallVector<scf::ForOp> passThrough;
  result.getParentBlock()->walk([&](scf::ForOp loop) {
    if (loop.getNumRegionIterArgs() == 2 && !insertions.contains(loop) &&
        llvm::any_of(insertions, [&](auto &entry) {
          return loop->isProperAncestor(entry.first);
        }))
      passThrough.push_back(loop);
  });
  for (scf::ForOp loop : passThrough) {
    auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
    rewriter.modifyOpInPlace(
        yield, [&] { yield->setOperand(0, loop.getRegionIterArgs()[0]); });
    if (loop->getBlock() == result.getParentBlock())
      rewriter.modifyOpInPlace(
          loop, [&] { loop.getInitArgsMutable()[0].assign(blockInit); });
  }
  return success();
}

struct AccmlTileAndFusePass
    : accml::impl::AccmlTileAndFusePassBase<AccmlTileAndFusePass> {
  using AccmlTileAndFusePassBase::AccmlTileAndFusePassBase;

  void runOnOperation() override {
    SmallVector<int64_t> cache(cacheTiles.begin(), cacheTiles.end());
    SmallVector<int64_t> registers(registerTiles.begin(), registerTiles.end());
    if (cache.empty())
      cache = {64, 256, 64};
    if (registers.empty())
      registers = {8, 32};
    if (windowBlockBytes < 1) {
      getOperation().emitError(
          "accml-tile-and-fuse: window-block-bytes must be positive");
      return signalPassFailure();
    }
    if (minParallelWindowWork < 0) {
      getOperation().emitError(
          "accml-tile-and-fuse: min-parallel-window-work must not be negative");
      return signalPassFailure();
    }
    if (cache.size() != 3 || registers.size() != 2) {
      getOperation().emitError(
          "accml-tile-and-fuse expects three cache-tiles (mc, nc, kc) and two "
          "register-tiles (mr, nr)");
      return signalPassFailure();
    }
    IRRewriter rewriter(&getContext());
    // Window ops (depthwise convolutions, poolings) first, by channel
    // blocks that rebuild their part of the padded input in L1; the whole
    // padded copies they read are then dead. The blocks' window ops and
    // copies are elementwise ops, tiled into rows below.
    SmallVector<linalg::GenericOp> windows;
    getOperation().walk([&](linalg::GenericOp op) {
      if (accml::isWindowOp(op))
        windows.push_back(op);
    });
    for (linalg::GenericOp op : windows)
      (void)accml::tileWindowOp(
          rewriter, op, windowBlockBytes,
          windowWork(op) < minParallelWindowWork ? 1 : parallelBlocks);
    if (!windows.empty())
      eraseDeadOps(rewriter);
    DenseMap<Operation *, linalg::GenericOp> epilogues =
        expandEpilogues(getOperation());
    DenseSet<Operation *> fusedLater;
    for (auto &[matmul, epilogue] : epilogues)
      fusedLater.insert(epilogue);
    // Elementwise ops over images with short rows run on whole images (see
    // collapseShortRows; rows of 7 or 14 were not even vectorised).
    SmallVector<linalg::GenericOp> shortRows;
    getOperation().walk([&](linalg::GenericOp op) {
      if (fusedLater.contains(op) || accml::isPackedMatmul(op) ||
          accml::isDirectConvolution(op) ||
          accml::isPositionMajorConvolution(op) || isChannelsLastOp(op) ||
          isRowRoot(op) || op.getNumParallelLoops() != op.getNumLoops() ||
          !op.hasPureTensorSemantics() || !isF32WithoutGathers(op))
        return;
      shortRows.push_back(op);
    });
    for (linalg::GenericOp op : shortRows)
      (void)collapseShortRows(rewriter, op);
    // Packed matmuls, loops (m, n0, n1, k): the same cache tiles (nc in
    // whole panels), balanced, then split for the threads. Returns the
    // rows and the panels of a parallel block.
    auto packedBlocks = [&](linalg::GenericOp op) {
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      int64_t panelsPerBlock = accml::balanceTile(
          dims[1], std::max<int64_t>(cache[1] / dims[2], 1), 1);
      int64_t rowsPerBlock =
          accml::balanceTile(dims[0], cache[0], registers[0]);
      splitForThreads(dims[0], rowsPerBlock, registers[0], dims[1],
                      panelsPerBlock, 1, parallelBlocks,
                      /*splitAFirst=*/dims[1] * dims[2] < dims[0]);
      return std::make_pair(rowsPerBlock, panelsPerBlock);
    };
    // Run-time packings of B whose matmul's blocks hold all of its rows:
    // packed inside those blocks (below), not tiled on their own.
    auto singleRowBlock = [&](linalg::GenericOp matmul) {
      return packedBlocks(matmul).first >= matmul.getStaticLoopRanges()[0];
    };
    DenseSet<Operation *> panelPackings;
    // The subsampling copies of strided 1x1 convolutions, fused into the
    // convolutions' blocks (fuseSubsampleIntoBlocks) rather than tiled as
    // elementwise ops.
    SmallVector<linalg::GenericOp> subsamples;
    getOperation().walk([&](linalg::GenericOp op) {
      if (accml::isDirectConvolution(op))
        if (linalg::GenericOp copy = subsampleOfConvolution(op))
          subsamples.push_back(copy);
    });
    DenseSet<Operation *> subsampleSet;
    for (linalg::GenericOp copy : subsamples)
      subsampleSet.insert(copy);
    SmallVector<linalg::MatmulOp> matmuls;
    SmallVector<linalg::GenericOp> packed, convolutions, positionMajor,
        channelsLastOps, rowRoots, elementwise;
    getOperation().walk([&](Operation *op) {
      if (fusedLater.contains(op) || subsampleSet.contains(op))
        return;
      if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
        bool bf16 =
            getElementTypeOrSelf(matmul.getDpsInputs()[0].getType()).isBF16();
        if (matmul.hasPureTensorSemantics() && (tileBF16Matmuls || !bf16))
          matmuls.push_back(matmul);
      } else if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
        if (accml::isPackedMatmul(generic))
          packed.push_back(generic);
        else if (accml::isDirectConvolution(generic))
          convolutions.push_back(generic);
        else if (accml::isPositionMajorConvolution(generic))
          positionMajor.push_back(generic);
        else if (isChannelsLastOp(generic))
          channelsLastOps.push_back(generic);
        else if (isRowRoot(generic) &&
                 (tileBF16Matmuls || !readsBF16Matmul(generic)))
          rowRoots.push_back(generic);
        else if (isRuntimePanelPacking(generic) &&
                 singleRowBlock(
                     cast<linalg::GenericOp>(*generic->user_begin())))
          panelPackings.insert(generic);
        else if (isVectorizableElementwise(generic,
                                           minElementwiseRow(generic)) &&
                 (tileBF16Matmuls || !readsBF16Matmul(generic)))
          elementwise.push_back(generic);
      }
    });
    // Packed matmuls whose run-time B is packed by a loop of its own (tiled
    // with the elementwise ops, before the matmuls).
    DenseSet<Operation *> separatelyPackedB;
    for (linalg::GenericOp op : packed) {
      auto producer = op.getDpsInputs()[1].getDefiningOp<linalg::GenericOp>();
      if (producer && isRuntimePanelPacking(producer) &&
          !panelPackings.contains(producer))
        separatelyPackedB.insert(op);
    }
    // Row-wise chains: one row at a time, with the reductions and
    // elementwise ops that produce the root's operands fused into the row
    // loop, so that a row is read from memory once and no intermediate
    // tensor is materialised.
    // A root whose rows another root normalises by their own statistics
    // (softmax's exponentials: the division reads them and a reduction of
    // them) waits for that root, whose row loop fuses it once for both and
    // leaves it without uses; the others go in order (taken consumers
    // first, a root would fuse its producer roots into row loops that do
    // not match theirs and recompute them: the transformer example ran 2x
    // slower).
    auto normalisedLater = [&](linalg::GenericOp op) {
      Value result = op->getResult(0);
      return llvm::any_of(result.getUsers(), [&](Operation *user) {
        auto consumer = dyn_cast<linalg::GenericOp>(user);
        if (!consumer || !llvm::is_contained(rowRoots, consumer))
          return false;
        return llvm::any_of(consumer.getDpsInputs(), [&](Value input) {
          auto statistics = input.getDefiningOp<linalg::LinalgOp>();
          return statistics && isReduction(statistics) &&
                 llvm::is_contained(statistics.getDpsInputs(), result);
        });
      });
    };
    SmallVector<linalg::GenericOp> deferred;
    for (linalg::GenericOp op : rowRoots) {
      if (normalisedLater(op)) {
        deferred.push_back(op);
        continue;
      }
      (void)tileRowsAndFuse(rewriter, op);
    }
    for (linalg::GenericOp op : deferred)
      if (!op->use_empty())
        (void)tileRowsAndFuse(rewriter, op);
    // Reductions over rows that no row-wise chain absorbed (the fusion
    // erases the producers it moved into a row loop).
    SmallVector<linalg::LinalgOp> rowReductions;
    getOperation().walk([&](linalg::LinalgOp op) {
      if (isRowReduction(op))
        rowReductions.push_back(op);
    });
    for (linalg::LinalgOp op : rowReductions)
      (void)tileRowsAndFuse(rewriter, op);
    // Channels-last ops (copies between the layouts, channels-last window
    // ops): 16 channels x up to 16 positions per tile (the threads' work),
    // each a 2-D generic that accml-vectorize turns into a register
    // transpose where the layouts differ: read as rows of positions, the
    // channels were 16 scalar loads per vector (a 7x7/2 stem's copy-out of
    // 800 K values took longer than the convolution).
    for (linalg::GenericOp op : channelsLastOps) {
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      // Rows that 16 does not divide: the image's positions as one row
      // (the H x W of both layouts are contiguous when neither is a
      // window), 16 at a time and one last partial tile. Tiles of 7 or 14
      // positions spent a 16 x 16 transpose on each.
      if (dims[3] % 16 != 0 && isCollapsibleTranspose(op)) {
        if (succeeded(tileFlatTranspose(rewriter, op)))
          continue;
      }
      // A window op reading its image in place (the interior of a
      // channels-last image, see accml-pack) whose 16-channel block of the
      // image is larger than window-block-bytes goes row by row, each row
      // over all channels: the rows its taps read are then read once,
      // together, not once per channel block (an image of 4.8 MB, 112 x 112
      // x 96, was read from memory by lines of 64 bytes 384 bytes apart:
      // 1.75x slower). A smaller block stays in L1 from row to row, and the
      // blocks go one after the other (14 x 14 x 576: 1.14x faster so).
      // Small in-place window ops run on one thread (see
      // min-parallel-window-work).
      bool inPlace = readsWindowsInPlace(op);
      bool parallel = !inPlace || windowWork(op) >= minParallelWindowWork;
      if (inPlace && windowImageBytes(op) * 16 > windowBlockBytes) {
        auto rows = tile(rewriter, op, {1, 0, 1, 0}, parallel);
        if (failed(rows))
          continue;
        auto rowTiles =
            tile(rewriter, rows->first, {0, 16, 0, copyOutColumns(dims[3])});
        if (succeeded(rowTiles))
          replaceByTransposeTile(rewriter, cast<linalg::GenericOp>(
                                               rowTiles->first.getOperation()));
        continue;
      }
      auto tiles =
          tile(rewriter, op, {1, 16, 1, copyOutColumns(dims[3])}, parallel);
      if (succeeded(tiles))
        replaceByTransposeTile(
            rewriter, cast<linalg::GenericOp>(tiles->first.getOperation()));
    }
    for (linalg::GenericOp op : elementwise)
      tileElementwise(rewriter, op, /*parallel=*/true, parallelBlocks);
    for (linalg::MatmulOp op : matmuls) {
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      if (ShapedType::isDynamicShape(dims))
        continue;
      // Fewer rows than a register tile (matrix-vector products such as a
      // linear layer at batch 1): register tiles of all the rows, as wide
      // as the same number of accumulators allows, so that each k step
      // streams a long contiguous piece of a row of B.
      SmallVector<int64_t> reg = registers;
      if (dims[0] < reg[0]) {
        int64_t width = std::min(reg[0] * reg[1] / dims[0], kMaxTileColumns);
        reg = {dims[0], std::min(dims[1], std::max(reg[1], width))};
      }
      // Cache tiles clamp to the problem and are balanced over it.
      SmallVector<int64_t> outer = {
          accml::balanceTile(dims[0], cache[0], reg[0]),
          accml::balanceTile(dims[1], std::max(cache[1], reg[1]), reg[1]),
          accml::balanceTile(dims[2], cache[2], 1)};
      // Splitting rows re-reads B, splitting columns re-reads A.
      splitForThreads(dims[0], outer[0], reg[0], dims[1], outer[1], reg[1],
                      parallelBlocks,
                      /*splitAFirst=*/dims[2] * dims[1] < dims[0] * dims[2]);
      // The M x N cache blocks are independent (scf.forall: the threads'
      // work); k stays sequential inside each.
      auto blocks =
          tile(rewriter, op, {outer[0], outer[1], 0}, /*parallel=*/true);
      if (failed(blocks))
        continue;
      if (auto forall =
              dyn_cast<scf::ForallOp>(blocks->second.front().getOperation()))
        fuseFillIntoBlocks(rewriter, forall);
      auto panels = tile(rewriter, blocks->first, {0, 0, outer[2]});
      if (failed(panels))
        continue;
      auto registerTiles = tile(rewriter, panels->first, {reg[0], reg[1], 1});
      if (failed(registerTiles))
        continue;
      peelRegisterLoops(rewriter,
                        ArrayRef(registerTiles->second).take_front(2));
    }
    // Packed matmuls: parallel blocks (packedBlocks), kc steps, register
    // tiles of mr rows of one panel.
    for (linalg::GenericOp op : packed) {
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      int64_t panelWidth = dims[2];
      auto [rowsPerBlock, panelsPerBlock] = packedBlocks(op);
      Operation *packing = op.getDpsInputs()[1].getDefiningOp();
      if (!panelPackings.contains(packing))
        packing = nullptr;
      linalg::GenericOp epilogue = epilogues.lookup(op);
      // A run-time B packed by a loop of its own (several blocks of rows
      // read each panel), panel by panel across the threads: the blocks go
      // panels first, so that each thread's share of them (a contiguous
      // range of the blocks under a static schedule) reads the panels
      // that it packed itself, from its own cache, rather than half of them
      // from the other core's (with as many threads as groups of panels:
      // two threads on two groups for 256^3).
      bool panelsFirst = separatelyPackedB.contains(op) && parallelBlocks > 1 &&
                         rowsPerBlock < dims[0];
      auto blocks = tile(rewriter, op, {rowsPerBlock, panelsPerBlock, 0, 0},
                         /*parallel=*/true);
      if (succeeded(blocks) && panelsFirst)
        if (auto forall =
                dyn_cast<scf::ForallOp>(blocks->second.front().getOperation()))
          if (forall.getRank() == 2)
            blocks->second.front() = permuteForall(rewriter, forall, {1, 0});
      // An epilogue that could not be fused is tiled by rows on its own.
      if (epilogue &&
          (failed(blocks) ||
           failed(fuseEpilogue(rewriter, epilogue, blocks->second.front()))))
        tileElementwise(rewriter, epilogue);
      if (failed(blocks)) {
        if (packing)
          tileElementwise(rewriter, cast<linalg::GenericOp>(packing));
        continue;
      }
      if (auto forall = blocks->first->getParentOfType<scf::ForallOp>())
        fuseFillIntoBlocks(rewriter, forall);
      // A run-time B whose blocks hold all the rows is packed inside them,
      // a kc x nc piece right before the register tiles read it, into a
      // buffer that stays in L2: the separate packing wrote all of packed
      // B to memory for the blocks to read back. With one block of rows,
      // each piece is packed once either way. First into the parallel block
      // (its panels, all of K), then into the kc step (kc rows of them).
      FailureOr<linalg::GenericOp> blockPacking = failure();
      if (packing) {
        auto forall = blocks->first->getParentOfType<scf::ForallOp>();
        blockPacking = forall ? fuseProducerOfB(rewriter, blocks->first, forall)
                              : FailureOr<linalg::GenericOp>(failure());
        if (failed(blockPacking) && !packing->use_empty())
          tileElementwise(rewriter, cast<linalg::GenericOp>(packing));
      }
      auto panels = tile(rewriter, blocks->first,
                         {0, 0, 0, accml::balanceTile(dims[3], cache[2], 1)});
      if (failed(panels)) {
        if (succeeded(blockPacking))
          tileElementwise(rewriter, *blockPacking, /*parallel=*/false);
        continue;
      }
      if (succeeded(blockPacking)) {
        // Rows of one panel, in order (a block is one thread's work).
        FailureOr<linalg::GenericOp> stepPacking =
            fuseProducerOfB(rewriter, panels->first, panels->second.front());
        tileElementwise(rewriter,
                        succeeded(stepPacking) ? *stepPacking : *blockPacking,
                        /*parallel=*/false);
      }
      auto registerTiles =
          tile(rewriter, panels->first,
               {registers[0], 1, std::min(registers[1], panelWidth), 1});
      if (failed(registerTiles))
        continue;
      auto tileOp =
          cast<linalg::GenericOp>(registerTiles->first.getOperation());
      replaceByMatmul(rewriter, tileOp);
      SmallVector<LoopLikeOpInterface> loops = registerTiles->second;
      peelRegisterLoops(rewriter, {loops.front()});
    }
    // Direct convolutions, loops (n, fb, fi, p0, p1, r, s, c; p0 a panel
    // or an output row, p1 its positions): blocks of mc filters (whole
    // filter blocks) x nc positions (whole rows) across the threads,
    // channel blocks of 4 kc / (KH * KW) channels (a reduction block of
    // about 4 kc taps x channels: the block's weights stay in L2 while its
    // rows pass; kc / (KH * KW) channels made the channel loops so short
    // that ResNet-18's last layer ran 35% slower), then register tiles of
    // one filter block (mr, the weight's blocking) x nr positions of a row,
    // the row loops outside the filter loop (the register tiles of a row
    // share its image rows, which stay in L1), accumulating over the taps
    // and channels.
    // A chain of direct convolutions accumulating into one result (the
    // phases of a strided kernel, each the destination of the next) is
    // tiled once, at its last term: the earlier terms and the zero fill are
    // fused into each parallel block through the destination, so that the
    // block's result stays in cache across the terms instead of every term
    // streaming the whole result.
    auto isChainLink = [](linalg::GenericOp op) {
      return llvm::any_of(op->getUses(), [](OpOperand &use) {
        auto consumer = dyn_cast<linalg::GenericOp>(use.getOwner());
        return consumer && accml::isDirectConvolution(consumer) &&
               consumer.isDpsInit(&use);
      });
    };
    SmallVector<linalg::GenericOp> chainEnds;
    for (linalg::GenericOp op : convolutions)
      if (!isChainLink(op))
        chainEnds.push_back(op);
    for (linalg::GenericOp op : chainEnds) {
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      int64_t mr = dims[2], nr = dims[4];
      int64_t filterBlocks =
          accml::balanceTile(dims[1], std::max<int64_t>(cache[0] / mr, 1), 1);
      int64_t panels =
          accml::balanceTile(dims[3], std::max<int64_t>(cache[1] / nr, 1), 1);
      // Splitting the filters re-reads the image, splitting the positions
      // re-reads the weights.
      int64_t taps = dims[5] * dims[6];
      splitForThreads(dims[1], filterBlocks, 1, dims[3], panels, 1,
                      parallelBlocks,
                      /*splitAFirst=*/dims[3] * nr < dims[1] * mr * taps,
                      /*otherBlocks=*/dims[0]);
      scf::SCFTileAndFuseOptions options;
      options.tilingOptions.setTileSizes(getAsIndexOpFoldResult(
          op.getContext(), {1, filterBlocks, 0, panels, 0, 0, 0, 0}));
      options.tilingOptions.setLoopType(
          scf::SCFTilingOptions::LoopType::ForallOp);
      options.setFusionControlFn(
          [](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
              -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
            Operation *owner = producer.getOwner();
            auto generic = dyn_cast<linalg::GenericOp>(owner);
            if (isDestination &&
                (isa<linalg::FillOp>(owner) ||
                 (generic && accml::isDirectConvolution(generic))))
              return scf::SCFTileAndFuseOptions::ControlFnResult{};
            return std::nullopt;
          });
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTileAndFuseResult> result =
          scf::tileConsumerAndFuseProducersUsingSCF(
              rewriter, cast<TilingInterface>(op.getOperation()), options);
      linalg::GenericOp epilogue = epilogues.lookup(op);
      if (failed(result) || result->loops.empty()) {
        if (epilogue)
          tileElementwise(rewriter, epilogue);
        continue;
      }
      for (OpResult value : op->getResults())
        if (Value replacement = result->replacements.lookup(value))
          rewriter.replaceAllUsesWith(value, replacement);
      rewriter.eraseOp(op);
      // The threads take the blocks in contiguous ranges (a static
      // schedule): when the image is at least as large as the weights,
      // the panels go outermost, so that each thread reads its own part of
      // the image (and writes its own part of the result, which the next
      // layer's blocks read back on the same core) and all of the weights,
      // rather than all of the image, half of it from the other core.
      LoopLikeOpInterface blocks = result->loops.front();
      auto forall = dyn_cast<scf::ForallOp>(blocks.getOperation());
      if (parallelBlocks > 1 && forall && forall.getRank() == 3 &&
          dims[3] * nr >= dims[1] * mr * taps)
        blocks = permuteForall(rewriter, forall, {0, 2, 1});
      // The epilogue (bias, activation, residual) of a convolution whose
      // positions are not padded (expandEpilogues), into the blocks: each
      // applies it to its result while that is in cache.
      SmallVector<linalg::GenericOp> blockEpilogue;
      if (epilogue &&
          failed(fuseEpilogue(rewriter, epilogue, blocks, &blockEpilogue)))
        tileElementwise(rewriter, epilogue);
      // Inside each block, every term (their shapes may be dynamic: the
      // last block of panels can be partial): channel blocks, then
      // register tiles.
      SmallVector<linalg::GenericOp> terms;
      for (Operation *tiled : result->tiledAndFusedOps)
        if (auto term = dyn_cast<linalg::GenericOp>(tiled);
            term && term.getNumLoops() == 8 && term.getNumReductionLoops() == 3)
          terms.push_back(term);
      if (auto forall = dyn_cast<scf::ForallOp>(blocks.getOperation()))
        for (linalg::GenericOp term : terms)
          (void)fuseSubsampleIntoBlocks(rewriter, term, forall, subsampleSet);
      // (A chain of terms with short reductions: their register tiles
      // together, see tileChainTogether; the L1 estimate: the window
      // blocks' third of it, twice.)
      bool together =
          terms.size() > 1 &&
          succeeded(tileChainTogether(rewriter, terms, registers[1], cache[2],
                                      2 * windowBlockBytes));
      // The block's epilogue may go into the register tiles when one term
      // or one nest of chained terms computes the block (terms in nests of
      // their own each compute all of it in turn), else by rows of the
      // block now.
      for (linalg::GenericOp rows : blockEpilogue) {
        if (terms.size() == 1 || together) {
          rows->setAttr(kRegisterEpilogue, rewriter.getUnitAttr());
          continue;
        }
        (void)tile(rewriter, rows, rowTileSizes(rows));
      }
      if (together)
        continue;
      for (linalg::GenericOp term : terms) {
        SmallVector<int64_t> termDims = term.getStaticLoopRanges();
        auto channels =
            tile(rewriter, term,
                 {0, 0, 0, 0, 0, 0, 0,
                  accml::balanceTile(
                      termDims[7],
                      std::max<int64_t>(
                          4 * cache[2] / (termDims[5] * termDims[6]), 1),
                      1)});
        if (failed(channels))
          continue;
        // Rows longer than a register tile (output rows, see
        // accml-pack): nr positions at a time, the last, partial tile of
        // each row peeled.
        if (termDims[4] <= registers[1]) {
          (void)tile(rewriter, channels->first, {0, 1, 0, 1, 0, 1, 1, 1},
                     /*parallel=*/false,
                     /*interchange=*/{0, 3, 1, 2, 4, 5, 6, 7});
          continue;
        }
        auto registerTiles =
            tile(rewriter, channels->first, {0, 1, 0, 1, registers[1], 1, 1, 1},
                 /*parallel=*/false,
                 /*interchange=*/{0, 3, 4, 1, 2, 5, 6, 7});
        if (succeeded(registerTiles))
          peelRegisterLoops(rewriter, {registerTiles->second[1]});
      }
    }
    // Subsampling copies that could not be fused (or whose convolution
    // was not tiled): by rows, as the other elementwise ops.
    for (linalg::GenericOp copy : subsamples) {
      if (copy->use_empty())
        rewriter.eraseOp(copy);
      else
        tileElementwise(rewriter, copy, /*parallel=*/true, parallelBlocks);
    }
    // Position-major convolutions, loops (n, y, x, fb, fi, r, s, c):
    // blocks of rows x filter tiles across the threads (the filters split
    // first: splitting them re-reads the image, small for the images this
    // form is for, splitting rows re-reads the weights), channel blocks of
    // kc nr / (KH * KW nf) channels, then register tiles of one output row (or
    // part of one) x one filter tile, the filter loop outside the row loop (a
    // filter tile's weights for a channel block stay in cache while the rows
    // pass over them: the weights, the large operand, stream once).
    for (linalg::GenericOp op : positionMajor) {
      if (parallelBlocks > 1)
        if (auto pad = op.getDpsInputs()[0].getDefiningOp<tensor::PadOp>())
          (void)padByRowsInParallel(rewriter, pad, parallelBlocks);
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      int64_t rows = dims[1];
      int64_t filterTiles = accml::balanceTile(
          dims[3], std::max<int64_t>(cache[1] / dims[4], 1), 1);
      splitForThreads(dims[1], rows, 1, dims[3], filterTiles, 1, parallelBlocks,
                      /*splitAFirst=*/false,
                      /*otherBlocks=*/dims[0]);
      auto blocks = tile(rewriter, op, {1, rows, 0, filterTiles, 0, 0, 0, 0},
                         /*parallel=*/true);
      if (failed(blocks))
        continue;
      if (auto forall =
              dyn_cast<scf::ForallOp>(blocks->second.front().getOperation()))
        fuseFillIntoBlocks(rewriter, forall);
      // Channel blocks whose weights (channels x KH x KW x the filter tile)
      // take what a kc x nr panel of B takes in a matmul's register tiles:
      // the block's weights stay in L1 while the rows pass over them. (4 kc
      // / (KH * KW) channels, as the direct convolutions take, was 60 KB of
      // weights for ResNet-18's last layer, 512 channels of 7 x 7: re-read
      // from L2 by each of its 7 rows, it ran 1.15-1.2x slower than with
      // 14 channels, 16 KB; blocks up to 18 KB ran as fast, 36 KB 1.2x
      // slower; the 14 x 14 and 28 x 28 layers ran the same either way.)
      int64_t blockChannels = std::max<int64_t>(
          cache[2] * registers[1] / (dims[4] * dims[5] * dims[6]), 1);
      auto channels = tile(
          rewriter, blocks->first,
          {0, 0, 0, 0, 0, 0, 0, accml::balanceTile(dims[7], blockChannels, 1)});
      if (failed(channels))
        continue;
      // (Rows wider than a register tile in parts of positionMajorRowTile.)
      int64_t rowTile = dims[2] <= accml::kMaxPositionMajorRow
                            ? 0
                            : accml::positionMajorRowTile(dims[2]);
      (void)tile(rewriter, channels->first, {0, 1, rowTile, 1, 0, 1, 1, 1},
                 /*parallel=*/false,
                 /*interchange=*/{0, 3, 1, 2, 4, 5, 6, 7});
    }
    if (!convolutions.empty() || !positionMajor.empty())
      replaceConvolutionTilesByMatmuls(rewriter);
    // Rank-reducing slices instead of reshapes of slices.
    auto foldReshapes = [&] {
      RewritePatternSet patterns(&getContext());
      tensor::populateReassociativeReshapeFoldingPatterns(patterns);
      (void)applyPatternsGreedily(getOperation(), std::move(patterns));
    };
    foldReshapes();
    // The epilogues of direct convolutions' blocks: into the register
    // tiles where the tiles complete their reduction in one pass, else by
    // rows of the block. (Collected by their mark: the canonicalisations
    // above may have replaced them.)
    SmallVector<linalg::GenericOp> blockEpilogues;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op->hasAttr(kRegisterEpilogue))
        blockEpilogues.push_back(op);
    });
    for (linalg::GenericOp epilogue : blockEpilogues) {
      epilogue->removeAttr(kRegisterEpilogue);
      if (failed(fuseIntoRegisterTiles(rewriter, epilogue)))
        (void)tile(rewriter, epilogue, rowTileSizes(epilogue));
    }
    if (!blockEpilogues.empty())
      foldReshapes();
  }

  /// Erases the ops without effects whose results are unused.
  void eraseDeadOps(RewriterBase &rewriter) {
    // Rounds of: erase the dead ops that no dead op encloses (an op with a
    // region, such as a fused window op left without uses, takes its body
    // with it: visiting that body afterwards read freed memory); their
    // operands' producers may be dead in the next round.
    for (bool erased = true; erased;) {
      erased = false;
      SmallVector<Operation *> dead;
      getOperation().walk([&](Operation *op) {
        if (op != getOperation() && isOpTriviallyDead(op))
          dead.push_back(op);
      });
      DenseSet<Operation *> deadSet(dead.begin(), dead.end());
      for (Operation *op : dead) {
        bool enclosed = false;
        for (Operation *parent = op->getParentOp(); parent && !enclosed;
             parent = parent->getParentOp())
          enclosed = deadSet.contains(parent);
        if (enclosed)
          continue;
        rewriter.eraseOp(op);
        erased = true;
      }
    }
  }

  /// Tiles `op` one row at a time (every loop but the innermost by 1) and
  /// fuses the producers of its operands into the row loop.
  static LogicalResult tileRowsAndFuse(RewriterBase &rewriter,
                                       linalg::LinalgOp op) {
    SmallVector<int64_t> sizes(op.getNumLoops(), 1);
    sizes.back() = 0;
    scf::SCFTileAndFuseOptions options;
    options.tilingOptions.setTileSizes(
        getAsIndexOpFoldResult(op.getContext(), sizes));
    // Rows are independent: the threads' work.
    options.tilingOptions.setLoopType(
        scf::SCFTilingOptions::LoopType::ForallOp);
    // Matmuls and convolutions that this pass tiles for the caches stay
    // whole, and so do their producers (a global average pool's row loop
    // fused ResNet-18's whole last stage, convolutions included).
    options.setFusionControlFn(
        [](tensor::ExtractSliceOp, OpResult producer,
           bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
          if (isTiledMatmul(producer.getOwner()))
            return std::nullopt;
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        });
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTileAndFuseResult> result =
        scf::tileConsumerAndFuseProducersUsingSCF(
            rewriter, cast<TilingInterface>(op.getOperation()), options);
    if (failed(result))
      return failure();
    for (OpResult value : op->getResults())
      if (Value replacement = result->replacements.lookup(value))
        rewriter.replaceAllUsesWith(value, replacement);
    rewriter.eraseOp(op);
    if (!result->loops.empty()) {
      writeIntoDestination(rewriter, result->loops.front());
      // Merges the clones that now compute the same values.
      DominanceInfo dominance;
      eliminateCommonSubExpressions(rewriter, dominance, result->loops.front());
      readDestinationInPlace(rewriter, result->loops.front());
      chunkRows(rewriter, result->loops.front());
    }
    return success();
  }

  /// A generic of the row loop whose input is also its destination (with
  /// the same map), such as softmax's division of the exponentials it
  /// overwrites, reads the destination through its output argument
  /// instead: otherwise bufferization sees the destination read after the
  /// loop that writes it starts, and copies the row first.
  static void readDestinationInPlace(RewriterBase &rewriter,
                                     LoopLikeOpInterface loop) {
    SmallVector<linalg::GenericOp> ops;
    for (Operation &nested : loop->getRegion(0).front())
      if (auto op = dyn_cast<linalg::GenericOp>(&nested))
        ops.push_back(op);
    for (linalg::GenericOp op : ops) {
      if (op.getNumDpsInits() != 1 || op.getNumResults() != 1)
        continue;
      OpOperand *init = op.getDpsInitOperand(0);
      AffineMap initMap = op.getMatchingIndexingMap(init);
      // An input computed in this op's destination (its producer's
      // destination is the same value), which the op does not read,
      // becomes the destination: the op then updates it in place.
      if (!op.payloadUsesValueFromOperand(init)) {
        for (OpOperand *input : op.getDpsInputOperands()) {
          auto producer =
              input->get().getDefiningOp<DestinationStyleOpInterface>();
          if (!producer || input->get().getType() != init->get().getType() ||
              op.getMatchingIndexingMap(input) != initMap)
            continue;
          auto result = cast<OpResult>(input->get());
          if (producer.getDpsInitOperand(result.getResultNumber())->get() !=
              init->get())
            continue;
          rewriter.modifyOpInPlace(op, [&] { init->set(input->get()); });
          break;
        }
      }
      SmallVector<Value> inputs;
      SmallVector<AffineMap> maps;
      SmallVector<unsigned> dropped;
      for (OpOperand *input : op.getDpsInputOperands()) {
        if (input->get() == init->get() &&
            op.getMatchingIndexingMap(input) == initMap) {
          dropped.push_back(input->getOperandNumber());
          continue;
        }
        inputs.push_back(input->get());
        maps.push_back(op.getMatchingIndexingMap(input));
      }
      if (dropped.empty())
        continue;
      maps.push_back(initMap);
      rewriter.setInsertionPoint(op);
      auto replacement = linalg::GenericOp::create(
          rewriter, op.getLoc(), op.getResultTypes(), inputs,
          ValueRange{init->get()}, maps, op.getIteratorTypesArray());
      Block &body = op.getRegion().front();
      BlockArgument out = body.getArgument(op.getNumDpsInputs());
      for (unsigned index : llvm::reverse(dropped)) {
        body.getArgument(index).replaceAllUsesWith(out);
        body.eraseArgument(index);
      }
      rewriter.inlineRegionBefore(op.getRegion(), replacement.getRegion(),
                                  replacement.getRegion().end());
      rewriter.replaceOp(op, replacement->getResults());
    }
  }

  /// Fusion clones a producer for each consumer slice it feeds. When a
  /// root updates a producer's result in place (softmax divides the
  /// exponentials it overwrites), the clone feeding the root's destination
  /// writes into the loop's shared output, the others into slices of the
  /// producer's own (empty) tensor, the same one the loop's output starts
  /// from. Those clones write into the shared output's slice instead: they
  /// then compute the same value as the destination's clone, which CSE
  /// merges, and the row is computed once and updated in place.
  static void writeIntoDestination(RewriterBase &rewriter,
                                   LoopLikeOpInterface loop) {
    auto forall = dyn_cast<scf::ForallOp>(loop.getOperation());
    if (!forall)
      return;
    for (Operation &nested : forall.getBody()->without_terminator()) {
      auto op = dyn_cast<linalg::GenericOp>(&nested);
      if (!op || op.getNumDpsInits() != 1 ||
          op.payloadUsesValueFromOperand(op.getDpsInitOperand(0)))
        continue;
      auto slice = op.getDpsInits()[0].getDefiningOp<tensor::ExtractSliceOp>();
      if (!slice || !slice.getSource().getDefiningOp<tensor::EmptyOp>())
        continue;
      for (auto [init, shared] :
           llvm::zip(forall.getOutputs(), forall.getRegionIterArgs())) {
        if (init != slice.getSource())
          continue;
        rewriter.setInsertionPoint(op);
        Value retargeted = tensor::ExtractSliceOp::create(
            rewriter, slice.getLoc(), slice.getType(), shared,
            slice.getMixedOffsets(), slice.getMixedSizes(),
            slice.getMixedStrides());
        rewriter.modifyOpInPlace(
            op, [&] { op.getDpsInitsMutable()[0].assign(retargeted); });
        break;
      }
    }
  }

  /// Cuts the one-row ops in the body of a row loop into chunks of
  /// kRowChunk elements along the row (scf.for loops; reductions keep a
  /// kRowChunk-wide partial accumulator, merged after the loop), when
  /// kRowChunk divides the row: each op then streams through the row a few
  /// vector registers at a time instead of holding the whole row in
  /// registers (a row of 1024 is 64 of them: spilled).
  static void chunkRows(RewriterBase &rewriter, LoopLikeOpInterface loop) {
    SmallVector<linalg::LinalgOp> ops;
    for (Operation &nested : loop->getRegion(0).front())
      if (auto op = dyn_cast<linalg::LinalgOp>(&nested))
        ops.push_back(op);
    for (linalg::LinalgOp op : ops) {
      if (!op.hasPureTensorSemantics() || isa<linalg::FillOp>(op) ||
          op.getNumLoops() == 0)
        continue;
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      if (ShapedType::isDynamicShape(dims) || dims.back() <= kRowChunk ||
          dims.back() % kRowChunk != 0 ||
          !llvm::all_of(ArrayRef(dims).drop_back(),
                        [](int64_t d) { return d == 1; }))
        continue;
      SmallVector<int64_t> sizes(dims.size(), 0);
      sizes.back() = kRowChunk;
      unsigned reductions = op.getNumReductionLoops();
      if (reductions == 0) {
        (void)tile(rewriter, op, sizes);
        continue;
      }
      auto partial = dyn_cast<PartialReductionOpInterface>(op.getOperation());
      if (reductions != 1 || !partial ||
          !linalg::isReductionIterator(op.getIteratorTypesArray().back()))
        continue;
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileReductionUsingScf(
          rewriter, partial, getAsIndexOpFoldResult(op.getContext(), sizes));
      if (succeeded(tiled))
        rewriter.replaceOp(op, tiled->replacements);
    }
  }

  /// Whether two loop bounds are equal: the same value or constant, or
  /// the same dimension of tensors of the same shape by construction (a
  /// loop's result and its initial value, a destination-style op's result
  /// and its init).
  static bool sameBound(Value a, Value b) {
    if (isEqualConstantIntOrValue(a, b))
      return true;
    auto dimA = a.getDefiningOp<tensor::DimOp>();
    auto dimB = b.getDefiningOp<tensor::DimOp>();
    if (!dimA || !dimB ||
        !isEqualConstantIntOrValue(dimA.getIndex(), dimB.getIndex()))
      return false;
    auto root = [](Value value) {
      while (true) {
        auto result = dyn_cast<OpResult>(value);
        if (!result)
          return value;
        Operation *owner = result.getOwner();
        if (auto loop = dyn_cast<scf::ForOp>(owner)) {
          value = loop.getInitArgs()[result.getResultNumber()];
          continue;
        }
        if (auto dps = dyn_cast<DestinationStyleOpInterface>(owner);
            dps && dps.getNumDpsInits() == owner->getNumResults()) {
          value = dps.getDpsInits()[result.getResultNumber()];
          continue;
        }
        return value;
      }
    };
    return root(dimA.getSource()) == root(dimB.getSource());
  }

  /// Merges `second` into `first`, two scf.for loops with the same bounds
  /// that carry one tensor each, `second` starting from `first`'s result
  /// (its only use): one loop whose iteration runs `first`'s body, then
  /// `second`'s on what it yields; then merges their inner loops the same
  /// way, `depth` levels down. Only for loops whose iteration i of
  /// `second` reads what iteration i of `first` wrote and nothing else
  /// (register tiles of the same positions and filters).
  static FailureOr<scf::ForOp> mergeChainedLoops(RewriterBase &rewriter,
                                                 scf::ForOp first,
                                                 scf::ForOp second,
                                                 int64_t depth) {
    if (first.getNumRegionIterArgs() != 1 || second.getNumRegionIterArgs() != 1)
      return failure();
    // (Sizes of `first`'s result are its initial value's.)
    for (OpOperand &use :
         llvm::make_early_inc_range(first.getResult(0).getUses()))
      if (auto dim = dyn_cast<tensor::DimOp>(use.getOwner()))
        rewriter.modifyOpInPlace(dim, [&] { use.set(first.getInitArgs()[0]); });
    if (second.getInitArgs()[0] != first.getResult(0) ||
        !first.getResult(0).hasOneUse() ||
        first->getBlock() != second->getBlock() ||
        !isEqualConstantIntOrValue(first.getLowerBound(),
                                   second.getLowerBound()) ||
        !sameBound(first.getUpperBound(), second.getUpperBound()) ||
        !isEqualConstantIntOrValue(first.getStep(), second.getStep()))
      return failure();
    rewriter.setInsertionPoint(second);
    Value firstYield =
        cast<scf::YieldOp>(first.getBody()->getTerminator()).getOperand(0);
    Value secondYield =
        cast<scf::YieldOp>(second.getBody()->getTerminator()).getOperand(0);
    Value firstInner, secondInner;
    auto merged = scf::ForOp::create(
        rewriter, second.getLoc(), second.getLowerBound(),
        second.getUpperBound(), second.getStep(),
        ValueRange{first.getInitArgs()[0]},
        [&](OpBuilder &b, Location loc, Value iv, ValueRange args) {
          IRMapping map;
          map.map(first.getInductionVar(), iv);
          map.map(first.getRegionIterArgs()[0], args[0]);
          for (Operation &op : first.getBody()->without_terminator())
            b.clone(op, map);
          Value y1 = map.lookupOrDefault(firstYield);
          map.map(second.getInductionVar(), iv);
          map.map(second.getRegionIterArgs()[0], y1);
          for (Operation &op : second.getBody()->without_terminator())
            b.clone(op, map);
          scf::YieldOp::create(b, loc, map.lookupOrDefault(secondYield));
          firstInner = y1;
          secondInner = map.lookupOrDefault(secondYield);
        });
    rewriter.replaceOp(second, merged.getResults());
    rewriter.eraseOp(first);
    if (depth <= 1)
      return merged;
    auto innerFirst = firstInner.getDefiningOp<scf::ForOp>();
    auto innerSecond = secondInner.getDefiningOp<scf::ForOp>();
    if (!innerFirst || !innerSecond)
      return merged;
    (void)mergeChainedLoops(rewriter, innerFirst, innerSecond, depth - 1);
    return merged;
  }

  /// A chain of direct convolutions in one parallel block (the phases of a
  /// strided kernel, each the destination of the next) whose terms each fit
  /// one channel block: every term tiled by the same register tiles, and
  /// their loop nests over rows, positions and filter blocks merged into
  /// one, so that a register tile runs every term's taps in turn and its
  /// accumulators stay in registers across the terms (tiled on its own,
  /// each term loaded and stored them: short reductions, the stem's 27 to
  /// 48 multiply-adds per tile and term).
  static LogicalResult tileChainTogether(RewriterBase &rewriter,
                                         ArrayRef<linalg::GenericOp> terms,
                                         int64_t nr, int64_t kc,
                                         int64_t l1Bytes) {
    // The chain's order: each term accumulates into the one before.
    SmallVector<linalg::GenericOp> chain;
    for (linalg::GenericOp term : terms)
      if (!llvm::is_contained(terms, term.getDpsInits()[0].getDefiningOp()))
        chain.push_back(term);
    if (chain.size() != 1)
      return failure();
    while (chain.size() < terms.size()) {
      linalg::GenericOp next;
      for (linalg::GenericOp term : terms)
        if (term.getDpsInits()[0].getDefiningOp() == chain.back())
          next = term;
      if (!next || !chain.back()->hasOneUse())
        return failure();
      chain.push_back(next);
    }
    SmallVector<int64_t> dims = chain.front().getStaticLoopRanges();
    for (linalg::GenericOp term : chain) {
      SmallVector<int64_t> termDims = term.getStaticLoopRanges();
      if (termDims[7] >
              std::max<int64_t>(4 * kc / (termDims[5] * termDims[6]), 1) ||
          termDims[4] != dims[4])
        return failure();
    }
    // The image rows that one row of register tiles reads from every term
    // stay in L1 while the filter blocks pass over them (ResNet-18's
    // layer2 3x3/2, 64 channels x 4 phases x 62 floats, ran 1.17x slower
    // merged; its stem, 3 channels, 1.1x faster).
    int64_t bytes = 0;
    for (linalg::GenericOp term : chain) {
      SmallVector<int64_t> termDims = term.getStaticLoopRanges();
      AffineExpr image = term.getIndexingMapsArray()[1].getResult(2);
      auto coefficient = [&](unsigned dim) {
        return accml::coefficientOf(image, dim).value_or(0);
      };
      bytes += termDims[7] * 4 *
               (termDims[4] + (termDims[5] - 1) * coefficient(5) +
                (termDims[6] - 1) * coefficient(6));
    }
    if (bytes > l1Bytes)
      return failure();
    bool splitRow = dims[4] > nr;
    SmallVector<int64_t> sizes = {0, 1, 0, 1, splitRow ? nr : 0, 1, 1, 1};
    SmallVector<int64_t> order = {0, 3, 4, 1, 2, 5, 6, 7};
    int64_t outer = splitRow ? 3 : 2;
    // (From here on the terms are rewritten: a tiling or merge that fails
    // leaves valid, unmerged nests, and the caller must not touch the
    // terms again.)
    scf::ForOp nest;
    for (linalg::GenericOp term : chain) {
      auto tiles = tile(rewriter, term, sizes, /*parallel=*/false, order);
      auto loop =
          succeeded(tiles) && !tiles->second.empty()
              ? dyn_cast<scf::ForOp>(tiles->second.front().getOperation())
              : scf::ForOp();
      if (!loop || !nest) {
        nest = loop;
        continue;
      }
      FailureOr<scf::ForOp> merged =
          mergeChainedLoops(rewriter, nest, loop, outer);
      nest = succeeded(merged) ? *merged : loop;
    }
    if (!nest)
      return success();
    // The last, partial tile of each row peeled (loops: rows, positions,
    // filter blocks).
    if (splitRow) {
      scf::ForOp positions;
      for (Operation &op : nest.getBody()->without_terminator())
        if (auto loop = dyn_cast<scf::ForOp>(op))
          positions = loop;
      if (positions)
        peelRegisterLoops(rewriter, {positions});
    }
    return success();
  }

  /// Sizes that the register tiles do not divide: peels the last, partial
  /// tile of each loop so that the main loops have static register tiles
  /// (which accml-vectorize turns into FMAs); the remainders stay linalg
  /// ops on small slices.
  static void peelRegisterLoops(RewriterBase &rewriter,
                                ArrayRef<LoopLikeOpInterface> loops) {
    for (LoopLikeOpInterface loop : loops) {
      scf::ForOp partial;
      if (auto forOp = dyn_cast<scf::ForOp>(loop.getOperation()))
        (void)scf::peelForLoopAndSimplifyBounds(rewriter, forOp, partial);
    }
  }

  /// The register tiles of direct convolutions, once their slices' sizes
  /// are folded to constants (the panel blocks' last tile may be partial),
  /// as matmuls.
  void replaceConvolutionTilesByMatmuls(RewriterBase &rewriter) {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns, context);
    // (The insertions of peeled register tiles, whose sizes were values.)
    tensor::InsertSliceOp::getCanonicalizationPatterns(patterns, context);
    tensor::CastOp::getCanonicalizationPatterns(patterns, context);
    affine::AffineMinOp::getCanonicalizationPatterns(patterns, context);
    scf::ForOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    context->getLoadedDialect<tensor::TensorDialect>()
        ->getCanonicalizationPatterns(patterns);
    (void)applyPatternsGreedily(getOperation(), std::move(patterns));
    SmallVector<linalg::GenericOp> tiles;
    getOperation().walk([&](linalg::GenericOp op) {
      if (!accml::isDirectConvolution(op))
        return;
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      if (dims[0] == 1 && dims[1] == 1 && dims[3] == 1 && dims[5] == 1 &&
          dims[6] == 1 && dims[7] == 1)
        tiles.push_back(op);
    });
    for (linalg::GenericOp op : tiles)
      replaceConvolutionByMatmul(rewriter, op);
    SmallVector<linalg::GenericOp> rowTiles;
    getOperation().walk([&](linalg::GenericOp op) {
      if (!accml::isPositionMajorConvolution(op))
        return;
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      if (dims[0] == 1 && dims[1] == 1 &&
          dims[2] <= accml::kMaxPositionMajorRow && dims[3] == 1 &&
          dims[5] == 1 && dims[6] == 1 && dims[7] == 1)
        rowTiles.push_back(op);
    });
    for (linalg::GenericOp op : rowTiles)
      replacePositionMajorByMatmul(rewriter, op);
  }

  /// A 1 x 16 x 1 x w tile of a transposing copy-out as a 2-D generic on
  /// rank-reduced slices: 16 x w (channels, positions) when most of its
  /// operands are NCHW, w x 16 (positions, channels) when most are channels
  /// last (a channels-last depthwise convolution's windows), the output's
  /// layout deciding a tie; the other layout's operands are read or written
  /// transposed, per-channel inputs are one vector of channels. One
  /// register transpose per operand of the other layout.
  static void replaceByTransposeTile(RewriterBase &rewriter,
                                     linalg::GenericOp op) {
    Location loc = op.getLoc();
    MLIRContext *context = op.getContext();
    rewriter.setInsertionPoint(op);
    SmallVector<int64_t> dims = op.getStaticLoopRanges();
    int64_t rank = dims.size();
    int64_t channels = dims[1], columns = dims.back();
    AffineMap lastMap =
        rank == 4 ? channelsLastMap(context) : flatChannelsLastMap(context);
    Type f32 = rewriter.getF32Type();
    auto reduce = [&](Value value, ArrayRef<int64_t> shape) -> Value {
      auto type = cast<RankedTensorType>(value.getType());
      SmallVector<OpFoldResult> zeros(type.getRank(), rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> ones(type.getRank(), rewriter.getIndexAttr(1));
      SmallVector<OpFoldResult> sizes;
      for (int64_t size : type.getShape())
        sizes.push_back(rewriter.getIndexAttr(size));
      return tensor::ExtractSliceOp::create(rewriter, loc,
                                            RankedTensorType::get(shape, f32),
                                            value, zeros, sizes, ones);
    };
    AffineExpr d0, d1;
    bindDims(context, d0, d1);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(2, context);
    AffineMap swapped = AffineMap::get(2, 0, {d1, d0}, context);
    int64_t channelsLast = 0, nchw = 0;
    for (OpOperand &operand : op->getOpOperands()) {
      AffineMap map = op.getMatchingIndexingMap(&operand);
      if (map == lastMap)
        ++channelsLast;
      else if (map.getNumResults() == rank)
        ++nchw;
    }
    bool outputLast =
        op.getMatchingIndexingMap(op.getDpsInitOperand(0)) == lastMap;
    bool positionsFirst =
        channelsLast > nchw || (channelsLast == nchw && outputLast);
    // The 2-D slice of an operand, and the map it is accessed through.
    auto operand2d = [&](OpOperand *operand) -> std::pair<Value, AffineMap> {
      AffineMap map = op.getMatchingIndexingMap(operand);
      if (map.getNumResults() == 1)
        return {operand->get(),
                AffineMap::get(2, 0, {positionsFirst ? d1 : d0}, context)};
      if (map == lastMap)
        return {reduce(operand->get(), {columns, channels}),
                positionsFirst ? identity : swapped};
      return {reduce(operand->get(), {channels, columns}),
              positionsFirst ? swapped : identity};
    };
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (OpOperand *input : op.getDpsInputOperands()) {
      auto [value, map] = operand2d(input);
      inputs.push_back(value);
      maps.push_back(map);
    }
    auto [init, initMap] = operand2d(op.getDpsInitOperand(0));
    maps.push_back(initMap);
    auto tile2d = linalg::GenericOp::create(
        rewriter, loc, init.getType(), inputs, ValueRange{init}, maps,
        SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel));
    rewriter.inlineRegionBefore(op.getRegion(), tile2d.getRegion(),
                                tile2d.getRegion().end());
    auto outType = cast<RankedTensorType>(op.getResult(0).getType());
    SmallVector<OpFoldResult> zeros(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> ones(rank, rewriter.getIndexAttr(1));
    SmallVector<OpFoldResult> sizes;
    for (int64_t size : outType.getShape())
      sizes.push_back(rewriter.getIndexAttr(size));
    Value result =
        tensor::InsertSliceOp::create(rewriter, loc, tile2d.getResult(0),
                                      op.getDpsInits()[0], zeros, sizes, ones);
    rewriter.replaceOp(op, result);
  }

  /// Whether the transposing op `op` (isChannelsLastOp) moves whole
  /// images between the layouts: it has an NCHW (identity) operand and no
  /// operand is a window (a slice), so that H x W are contiguous in every
  /// operand and collapse into one dimension.
  static bool isCollapsibleTranspose(linalg::GenericOp op) {
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, op.getContext());
    bool plain = false;
    for (OpOperand &operand : op->getOpOperands()) {
      AffineMap map = op.getMatchingIndexingMap(&operand);
      if (map.getNumResults() != 4)
        continue;
      plain |= map == identity;
      if (auto slice = operand.get().getDefiningOp<tensor::ExtractSliceOp>()) {
        // A block of whole channels (of whole images) only.
        ArrayRef<int64_t> source = slice.getSourceType().getShape();
        ArrayRef<int64_t> sliced = slice.getType().getShape();
        if (sliced.size() != 4 || source.size() != 4 || !slice.hasUnitStride())
          return false;
        bool channelsLast = map != identity;
        for (int64_t dim : channelsLast ? std::array<int64_t, 2>{1, 2}
                                        : std::array<int64_t, 2>{2, 3})
          if (sliced[dim] != source[dim])
            return false;
        if (channelsLast && sliced[3] != source[3])
          return false;
      }
    }
    return plain;
  }

  /// Tiles the transposing op `op` (isCollapsibleTranspose) on its images
  /// collapsed to one row of positions (loops n, c, p; channels last read
  /// through (n, p, c)): 16 channels x 16 positions per tile (the threads'
  /// work), the positions that 16 does not divide in one last, narrower
  /// tile of their own; each tile a 2-D transposing generic.
  static LogicalResult tileFlatTranspose(RewriterBase &rewriter,
                                         linalg::GenericOp op) {
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::CollapseResult> collapsed =
        linalg::collapseOpIterationDims(op, {{0}, {1}, {2, 3}}, rewriter);
    if (failed(collapsed))
      return failure();
    rewriter.replaceOp(op, collapsed->results);
    auto flat = cast<linalg::GenericOp>(collapsed->collapsedOp.getOperation());
    int64_t positions = flat.getStaticLoopRanges()[2];
    int64_t whole = positions / 16 * 16;
    SmallVector<linalg::GenericOp> parts = {flat};
    if (whole != 0 && whole != positions) {
      rewriter.setInsertionPoint(flat);
      auto [first, second] =
          linalg::splitOp(rewriter, cast<TilingInterface>(flat.getOperation()),
                          2, rewriter.getIndexAttr(whole));
      parts = {cast<linalg::GenericOp>(first.getOperation()),
               cast<linalg::GenericOp>(second.getOperation())};
    }
    // (Once collapsed, `op` is gone: a part that does not tile stays as it
    // is, and the caller moves on.)
    for (linalg::GenericOp part : parts) {
      int64_t width = std::min<int64_t>(part.getStaticLoopRanges()[2], 16);
      auto tiles = tile(rewriter, part, {1, 16, width}, /*parallel=*/true);
      if (succeeded(tiles))
        replaceByTransposeTile(
            rewriter, cast<linalg::GenericOp>(tiles->first.getOperation()));
    }
    return success();
  }

  /// A register tile of a position-major convolution, 1 x 1 x OW x 1 x nr
  /// x 1 x 1 x 1, as a 2-D linalg.matmul (OW x 1 times 1 x nr) on reshaped
  /// slices: OW positions of one image row and channel (broadcast), the nr
  /// filters of one tap and channel (contiguous in the blocked weight).
  static void replacePositionMajorByMatmul(RewriterBase &rewriter,
                                           linalg::GenericOp op) {
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    // A strided kernel's row slice spans (OW - 1) * sw + 1 columns: every
    // sw-th is a position (broadcast one at a time, at no cost).
    int64_t positions = op.getStaticLoopRanges()[2];
    Value image = op.getDpsInputs()[0];
    auto imageType = cast<RankedTensorType>(image.getType());
    if (imageType.getDimSize(3) != positions) {
      int64_t stride =
          *accml::coefficientOf(op.getIndexingMapsArray()[0].getResult(3), 2);
      image = tensor::ExtractSliceOp::create(
          rewriter, loc,
          RankedTensorType::get({1, 1, 1, positions}, rewriter.getF32Type()),
          image, getAsIndexOpFoldResult(rewriter.getContext(), {0, 0, 0, 0}),
          getAsIndexOpFoldResult(rewriter.getContext(), {1, 1, 1, positions}),
          getAsIndexOpFoldResult(rewriter.getContext(), {1, 1, 1, stride}));
    }
    Value row = tensor::CollapseShapeOp::create(
        rewriter, loc, image, ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
    Value a = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({positions, 1}, rewriter.getF32Type()), row,
        ArrayRef<ReassociationIndices>{{0, 1}});
    replaceByMatmulOf(rewriter, op, a, {{0, 1, 2}, {3}}, {{0, 1, 2, 3}, {4}});
  }

  /// A register tile of a direct convolution, 1 x 1 x mr x 1 x nr x 1 x 1 x
  /// 1, as a 2-D linalg.matmul (mr x 1 times 1 x nr) on reshaped slices:
  /// the mr filters of one tap and channel (contiguous in the blocked
  /// weight), and nr positions of one channel of the image.
  static void replaceConvolutionByMatmul(RewriterBase &rewriter,
                                         linalg::GenericOp op) {
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    Value taps = tensor::CollapseShapeOp::create(
        rewriter, loc, op.getDpsInputs()[0],
        ArrayRef<ReassociationIndices>{{0, 1, 2, 3, 4}});
    int64_t rows = cast<RankedTensorType>(taps.getType()).getDimSize(0);
    Value a = tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get({rows, 1}, rewriter.getF32Type()),
        taps, ArrayRef<ReassociationIndices>{{0, 1}});
    replaceByMatmulOf(rewriter, op, a, {{0, 1, 2}, {3, 4}});
  }

  /// A register tile of a packed matmul, mr x 1 x nr x 1, as a 2-D
  /// linalg.matmul (mr x 1 times 1 x nr) on reshaped slices, which
  /// accml-vectorize turns into FMAs.
  static void replaceByMatmul(RewriterBase &rewriter, linalg::GenericOp op) {
    rewriter.setInsertionPoint(op);
    replaceByMatmulOf(rewriter, op, op.getDpsInputs()[0], {{0}, {1, 2}});
  }

  /// Replaces the register tile `op` by a linalg.matmul of `a` (mr x 1),
  /// its second input collapsed to 1 x nr by `bRows` and its destination
  /// collapsed to mr x nr by `tileRows`, expanded back to the tile's shape.
  static void
  replaceByMatmulOf(RewriterBase &rewriter, linalg::GenericOp op, Value a,
                    ArrayRef<ReassociationIndices> tileRows,
                    ArrayRef<ReassociationIndices> bRows = {{0, 1}, {2}}) {
    Location loc = op.getLoc();
    Value b = tensor::CollapseShapeOp::create(rewriter, loc,
                                              op.getDpsInputs()[1], bRows);
    Value c = tensor::CollapseShapeOp::create(rewriter, loc,
                                              op.getDpsInits()[0], tileRows);
    auto matmul = linalg::MatmulOp::create(rewriter, loc, c.getType(),
                                           ValueRange{a, b}, ValueRange{c});
    Value result =
        tensor::ExpandShapeOp::create(rewriter, loc, op.getResult(0).getType(),
                                      matmul.getResult(0), tileRows);
    rewriter.replaceOp(op, result);
  }
};

/// A static f32 linalg op on tensors over one row: every loop but the
/// innermost has one iteration, the innermost at least 16 and at most
/// kMaxRow iterations; no gathers or index computations.
bool isRow(linalg::LinalgOp op) {
  if (!op.hasPureTensorSemantics() || op.getNumLoops() == 0 ||
      op.getNumDpsInits() != 1)
    return false;
  SmallVector<int64_t> dims = op.getStaticLoopRanges();
  // Fills of any row length (the accumulators of row reductions are one
  // element long): a vector store, not a loop.
  int64_t minLength = isa<linalg::FillOp>(op) ? 1 : 4;
  // (The tiles of several output rows of a window op count as rows: see
  // windowRowsPerTile.)
  bool windowRows = dims.size() == 4 && dims[2] <= accml::kMaxWindowRows &&
                    dims[3] <= accml::kMaxWindowRowLength;
  if (ShapedType::isDynamicShape(dims) || dims.back() < minLength ||
      dims.back() > kMaxRow ||
      !llvm::all_of(ArrayRef(dims).drop_back(windowRows ? 2 : 1),
                    [](int64_t d) { return d == 1; }))
    return false;
  return isF32WithoutGathers(op, /*allowBF16=*/true);
}

/// x / broadcast(s) -> x * broadcast(1 / s) for floats, when s is computed
/// (not a constant) and has fewer elements than x: one division per row
/// instead of one per element, such as softmax's division by the row sums.
/// The product differs from the quotient by at most one ulp.
/// A read of one row of a register tile from the tensor that the tile's
/// 2-D write just produced (rows along one dimension of the tensor, the
/// row's elements along its innermost): that row of the written vector
/// (fuseIntoRegisterTiles' epilogue rows read the accumulators so).
struct ForwardTileRow : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    auto write = read.getBase().getDefiningOp<vector::TransferWriteOp>();
    if (!write || read.getMask() || write.getMask() ||
        !isa<RankedTensorType>(read.getBase().getType()) ||
        read.hasOutOfBoundsDim() || write.hasOutOfBoundsDim())
      return failure();
    VectorType tile = write.getVectorType();
    VectorType row = read.getVectorType();
    AffineMap map = write.getPermutationMap();
    unsigned rank = read.getIndices().size();
    if (tile.getRank() != 2 || map.getNumResults() != 2 ||
        !map.isProjectedPermutation() || map.getDimPosition(1) != rank - 1 ||
        !read.getPermutationMap().isMinorIdentity() ||
        row.getShape().back() != tile.getDimSize(1) ||
        row.getNumElements() != tile.getDimSize(1))
      return failure();
    unsigned rowDim = map.getDimPosition(0);
    std::optional<int64_t> index;
    for (unsigned dim = 0; dim < rank; ++dim) {
      Value at = read.getIndices()[dim], from = write.getIndices()[dim];
      if (dim != rowDim) {
        if (at != from)
          return failure();
        continue;
      }
      std::optional<int64_t> a = getConstantIntValue(at),
                             b = getConstantIntValue(from);
      if (a && b)
        index = *a - *b;
      else if (at == from)
        index = 0;
    }
    if (!index || *index < 0 || *index >= tile.getDimSize(0))
      return failure();
    Value extracted = vector::ExtractOp::create(
        rewriter, read.getLoc(), write.getVector(), ArrayRef<int64_t>{*index});
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(read, row, extracted);
    return success();
  }
};

/// An in-bounds read of a tensor that linalg.fill made: the fill's value,
/// broadcast.
struct ReadOfFill : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransferReadOp read,
                                PatternRewriter &rewriter) const override {
    Value source = read.getBase();
    while (auto slice = source.getDefiningOp<tensor::ExtractSliceOp>())
      source = slice.getSource();
    auto fill = source.getDefiningOp<linalg::FillOp>();
    if (!fill || !fill.hasPureTensorSemantics() || read.getMask() ||
        read.hasOutOfBoundsDim() ||
        fill.getInputs()[0].getType() != read.getVectorType().getElementType())
      return failure();
    rewriter.replaceOpWithNewOp<vector::BroadcastOp>(read, read.getVectorType(),
                                                     fill.getInputs()[0]);
    return success();
  }
};

struct DivideByReciprocal : OpRewritePattern<arith::DivFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::DivFOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<VectorType>(op.getType());
    if (!type)
      return failure();
    // The chain of broadcasts, transposes and shape casts that spreads the
    // divisor, outermost first.
    SmallVector<Operation *> chain;
    Value source = op.getRhs();
    bool broadcast = false;
    while (Operation *def = source.getDefiningOp()) {
      if (!isa<vector::BroadcastOp, vector::TransposeOp, vector::ShapeCastOp>(
              def))
        break;
      broadcast |= isa<vector::BroadcastOp>(def);
      chain.push_back(def);
      source = def->getOperand(0);
    }
    int64_t sourceElements = 1;
    if (auto sourceType = dyn_cast<VectorType>(source.getType()))
      sourceElements = sourceType.getNumElements();
    if (!broadcast || sourceElements >= type.getNumElements() ||
        matchPattern(source, m_Constant()))
      return failure();
    Location loc = op.getLoc();
    rewriter.setInsertionPointAfterValue(source);
    Type element = getElementTypeOrSelf(source.getType());
    Attribute oneAttr = rewriter.getFloatAttr(element, 1.0);
    if (auto sourceType = dyn_cast<VectorType>(source.getType()))
      oneAttr = DenseElementsAttr::get(sourceType, oneAttr);
    Value one = arith::ConstantOp::create(rewriter, loc, source.getType(),
                                          cast<TypedAttr>(oneAttr));
    Value spread =
        arith::DivFOp::create(rewriter, loc, one, source, op.getFastmathAttr());
    rewriter.setInsertionPoint(op);
    for (Operation *link : llvm::reverse(chain)) {
      IRMapping mapping;
      mapping.map(link->getOperand(0), spread);
      spread = rewriter.clone(*link, mapping)->getResult(0);
    }
    rewriter.replaceOpWithNewOp<arith::MulFOp>(op, op.getLhs(), spread,
                                               op.getFastmathAttr());
    return success();
  }
};

/// Whether `a` in a loop over `ivA` and `b` in a loop over `ivB` are the
/// same index lists: equal values, or the loops' induction variables.
bool sameIndices(ValueRange a, Value ivA, ValueRange b, Value ivB) {
  if (a.size() != b.size())
    return false;
  for (auto [x, y] : llvm::zip(a, b))
    if (!(x == y || (x == ivA && y == ivB)))
      return false;
  return true;
}

/// Fuses a pass over a row into the pass before it when it reads, in each
/// iteration, exactly the vector that the previous pass has just written
/// (softmax: the pass that sums the exponentials reads back each chunk the
/// exp pass wrote): `second`, an scf.for after `first` in its block (the
/// ops in between not using `first`'s results) with the same bounds and
/// step, reads `first`'s results only by transfer_reads
/// at the indices (with its own induction variable) and of the type of the
/// transfer_write that `first` yields them from, and is otherwise pure.
/// The fused loop computes both bodies, the reads replaced by the written
/// vectors; the value is then summed from registers instead of read back
/// (LLVM also kept the read-back chunks of a whole row alive for the next
/// pass and spilled them). Chunks are disjoint (the write of each
/// iteration is never overwritten: step and vector along the induction
/// variable's dimension, checked), so the read saw exactly that vector.
///
/// Also fuses two independent reduction passes over the same bounds (both
/// loops carry only accumulators, and `second` does not read `first`'s
/// results: layer_norm's shifted sum and sum of squares), so that the row
/// is read once for both; ops between them that use `first`'s results (its
/// horizontal reduction) move after the fused loop.
LogicalResult fuseRowPasses(RewriterBase &rewriter, scf::ForOp first,
                            scf::ForOp second) {
  if (first->getBlock() != second->getBlock() ||
      !first->isBeforeInBlock(second) ||
      !isEqualConstantIntOrValue(first.getLowerBound(),
                                 second.getLowerBound()) ||
      !isEqualConstantIntOrValue(first.getUpperBound(),
                                 second.getUpperBound()) ||
      !isEqualConstantIntOrValue(first.getStep(), second.getStep()))
    return failure();
  std::optional<int64_t> step = getConstantIntValue(first.getStep());
  if (!step)
    return failure();
  // The ops in between (constants, the second pass's initial values) stay
  // before the fused loop, which takes the second loop's place: those that
  // use the first's results (directly or through each other) may only move
  // after it, for independent passes, when the second loop does not use
  // them (the ops that stay cannot: using one makes an op dependent).
  SmallVector<Operation *> dependent;
  llvm::SmallPtrSet<Operation *, 8> dependentSet;
  for (Operation *op = first->getNextNode(); op != second.getOperation();
       op = op->getNextNode()) {
    bool usesFirst = false;
    op->walk([&](Operation *nested) {
      for (Value operand : nested->getOperands()) {
        Operation *producer = operand.getDefiningOp();
        usesFirst |=
            producer == first.getOperation() || dependentSet.contains(producer);
      }
    });
    if (usesFirst) {
      dependent.push_back(op);
      dependentSet.insert(op);
    }
  }
  for (Operation *op : dependent)
    for (Operation *user : op->getUsers())
      if (second->isAncestor(user))
        return failure();
  for (Value init : second.getInitArgs())
    if (init.getDefiningOp() == first.getOperation())
      return failure();
  // Both loops and the ops between them only compute on values (tensor
  // transfers included): interleaving them moves no memory access past
  // another.
  for (Operation *op = first; op != second->getNextNode();
       op = op->getNextNode())
    if (!isMemoryEffectFree(op))
      return failure();
  auto yield = cast<scf::YieldOp>(first.getBody()->getTerminator());
  Value ivA = first.getInductionVar(), ivB = second.getInductionVar();
  // The written vector that each read of `first`'s results stands for.
  DenseMap<Operation *, Value> replaced;
  WalkResult walk = second.getBody()->walk([&](Operation *op) {
    for (Value operand : op->getOperands()) {
      auto result = dyn_cast<OpResult>(operand);
      if (!result || result.getOwner() != first.getOperation())
        continue;
      auto read = dyn_cast<vector::TransferReadOp>(op);
      auto write = yield.getOperand(result.getResultNumber())
                       .getDefiningOp<vector::TransferWriteOp>();
      // Reads directly in the loop's body (those are the ones replaced),
      // of a chunk that moves with the induction variable (a write to the
      // same place in every iteration leaves only the last one).
      if (!read || read->getParentOp() != second.getOperation() || !write ||
          write->getBlock() != first.getBody() ||
          !llvm::is_contained(write.getIndices(), ivA) ||
          write.getBase() !=
              first.getRegionIterArgs()[result.getResultNumber()] ||
          read.getMask() || write.getMask() ||
          read.getVectorType() != write.getVectorType() ||
          read.getPermutationMap() != write.getPermutationMap() ||
          !read.getPermutationMap().isMinorIdentity() ||
          !llvm::all_of(read.getInBoundsValues(), [](bool b) { return b; }) ||
          !sameIndices(write.getIndices(), ivA, read.getIndices(), ivB))
        return WalkResult::interrupt();
      // The induction variable indexes one dimension; the chunk written
      // along it must not reach the next iteration's.
      VectorType type = read.getVectorType();
      int64_t rank = read.getIndices().size();
      for (auto [dim, index] : llvm::enumerate(read.getIndices())) {
        if (index != ivB)
          continue;
        int64_t vectorDim = int64_t(dim) - (rank - type.getRank());
        int64_t extent = vectorDim < 0 ? 1 : type.getDimSize(vectorDim);
        if (extent > *step)
          return WalkResult::interrupt();
      }
      replaced[op] = write.getVector();
    }
    if (!isa<vector::TransferReadOp, scf::YieldOp>(op) &&
        !isMemoryEffectFree(op))
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  // Accumulators only: vectors, or tensors of at most one vector of 64
  // elements (the vectoriser's accumulator chunks, before they move into
  // registers).
  auto carriesVectors = [](scf::ForOp loop) {
    return llvm::all_of(loop.getResultTypes(), [](Type type) {
      auto tensor = dyn_cast<RankedTensorType>(type);
      return isa<VectorType>(type) || (tensor && tensor.hasStaticShape() &&
                                       tensor.getNumElements() <= 64);
    });
  };
  bool independent = replaced.empty();
  if (walk.wasInterrupted() ||
      (independent && !(carriesVectors(first) && carriesVectors(second))) ||
      (!independent && !dependent.empty()))
    return failure();
  for (Operation *op : llvm::reverse(dependent))
    rewriter.moveOpAfter(op, second);

  SmallVector<Value> inits(first.getInitArgs());
  llvm::append_range(inits, second.getInitArgs());
  rewriter.setInsertionPoint(second);
  auto fused =
      scf::ForOp::create(rewriter, first.getLoc(), first.getLowerBound(),
                         first.getUpperBound(), first.getStep(), inits);
  Block *body = fused.getBody();
  rewriter.setInsertionPointToStart(body);
  IRMapping mapping;
  mapping.map(ivA, fused.getInductionVar());
  mapping.map(ivB, fused.getInductionVar());
  unsigned firstResults = first.getNumResults();
  for (auto [i, arg] : llvm::enumerate(first.getRegionIterArgs()))
    mapping.map(arg, fused.getRegionIterArgs()[i]);
  for (auto [i, arg] : llvm::enumerate(second.getRegionIterArgs()))
    mapping.map(arg, fused.getRegionIterArgs()[firstResults + i]);
  SmallVector<Value> yields;
  for (Operation &op : first.getBody()->without_terminator())
    rewriter.clone(op, mapping);
  for (Value v : yield.getOperands())
    yields.push_back(mapping.lookupOrDefault(v));
  for (Operation &op : second.getBody()->without_terminator()) {
    if (auto it = replaced.find(&op); it != replaced.end()) {
      mapping.map(op.getResult(0), mapping.lookupOrDefault(it->second));
      continue;
    }
    rewriter.clone(op, mapping);
  }
  for (Value v : second.getBody()->getTerminator()->getOperands())
    yields.push_back(mapping.lookupOrDefault(v));
  // scf::ForOp::create gave the body an empty yield.
  rewriter.setInsertionPointToEnd(body);
  if (!body->empty() && isa<scf::YieldOp>(body->back()))
    rewriter.eraseOp(&body->back());
  scf::YieldOp::create(rewriter, first.getLoc(), yields);
  rewriter.replaceOp(first, fused.getResults().take_front(firstResults));
  rewriter.replaceOp(second, fused.getResults().drop_front(firstResults));
  return success();
}

/// A register tile's accumulator access at the bottom of a nest of scf.for
/// loops on a tensor: `loops` (outermost first) pass the tensor down as one
/// iter_arg each; the innermost reads a tile of it and writes the tile back
/// at the same indices, the value it yields.
struct TileNest {
  SmallVector<scf::ForOp> loops;
  vector::TransferReadOp read;
  vector::TransferWriteOp write;
};

/// The nests that carry `init` (the initial value of `loop`'s iter_arg
/// `position`) down to tile reads and writes, if that is all that happens
/// to it: in each loop, the tensor goes through one read and write of a
/// tile, or through a sequence of inner loops, each taking the one
/// before's result (a register tile loop and its peeled last, partial
/// tile).
std::optional<SmallVector<TileNest>> findTileNests(scf::ForOp loop,
                                                   unsigned position) {
  Value arg = loop.getRegionIterArgs()[position];
  Value yielded = loop.getBody()->getTerminator()->getOperand(position);
  if (!yielded.hasOneUse())
    return std::nullopt;
  SmallVector<Operation *> users(arg.getUsers());
  if (users.size() == 2) {
    if (!isa<vector::TransferReadOp>(users[0]))
      std::swap(users[0], users[1]);
    auto read = dyn_cast<vector::TransferReadOp>(users[0]);
    auto write = dyn_cast<vector::TransferWriteOp>(users[1]);
    if (!read || !write || read->getParentOp() != loop.getOperation() ||
        write->getParentOp() != loop.getOperation() || write.getBase() != arg ||
        write.getResult() != yielded || !read->isBeforeInBlock(write) ||
        read.getMask() || write.getMask() ||
        read.getVectorType() != write.getVectorType() ||
        read.getPermutationMap() != write.getPermutationMap() ||
        read.getIndices() != write.getIndices() ||
        !llvm::all_of(read.getInBoundsValues(), [](bool b) { return b; }))
      return std::nullopt;
    return SmallVector<TileNest>{TileNest{{loop}, read, write}};
  }
  SmallVector<TileNest> nests;
  for (Value current = arg; current != yielded;) {
    if (!current.hasOneUse())
      return std::nullopt;
    OpOperand &use = *current.use_begin();
    auto inner = dyn_cast<scf::ForOp>(use.getOwner());
    if (!inner || inner->getParentOp() != loop.getOperation() ||
        use.getOperandNumber() < inner.getNumControlOperands())
      return std::nullopt;
    unsigned innerPosition =
        use.getOperandNumber() - inner.getNumControlOperands();
    std::optional<SmallVector<TileNest>> innerNests =
        findTileNests(inner, innerPosition);
    if (!innerNests)
      return std::nullopt;
    for (TileNest &nest : *innerNests) {
      nest.loops.insert(nest.loops.begin(), loop);
      nests.push_back(std::move(nest));
    }
    current = inner.getResult(innerPosition);
  }
  if (nests.empty())
    return std::nullopt;
  return nests;
}

/// Where the tiles of a TileNest lie in the block, per dimension of the
/// block: the loop whose induction variable indexes it (null: a constant
/// index), the constant index, and the tile's extent along it.
struct TilePlacement {
  SmallVector<scf::ForOp> loops;
  // The index along a dimension is its loop's induction variable times
  // this (a position-major tile's filter offset: the filter tile's index
  // times its 32 filters).
  SmallVector<int64_t> scales;
  SmallVector<int64_t> constants;
  SmallVector<int64_t> extents;
};

/// The placement of `nest`'s tiles when they are distinct: every loop of
/// the nest but the outermost indexes one dimension of the block, either
/// one the tile does not span, or one it spans with a constant step at
/// least the tile's extent (the register tiles along a row); the other
/// indices are constants. The outermost loop's induction variable may
/// index one dimension in the same way, or none (a reduction loop).
std::optional<TilePlacement> placeTiles(const TileNest &nest) {
  vector::TransferReadOp read = nest.read;
  int64_t rank = read.getIndices().size();
  TilePlacement placement;
  placement.loops.assign(rank, scf::ForOp());
  placement.scales.assign(rank, 1);
  placement.constants.assign(rank, 0);
  placement.extents.assign(rank, 1);
  AffineMap map = read.getPermutationMap();
  for (auto [vectorDim, expr] : llvm::enumerate(map.getResults())) {
    auto dim = dyn_cast<AffineDimExpr>(expr);
    if (!dim)
      return std::nullopt;
    placement.extents[dim.getPosition()] =
        read.getVectorType().getDimSize(vectorDim);
  }
  auto spans = [&](int64_t dim) {
    return llvm::any_of(map.getResults(), [&](AffineExpr e) {
      return e == getAffineDimExpr(dim, map.getContext());
    });
  };
  for (auto [dim, index] : llvm::enumerate(read.getIndices())) {
    std::optional<int64_t> constant = getConstantIntValue(index);
    if (constant) {
      placement.constants[dim] = *constant;
      continue;
    }
    // The induction variable, or it times a constant.
    Value iv = index;
    int64_t scale = 1;
    if (auto apply = index.getDefiningOp<affine::AffineApplyOp>()) {
      AffineMap applied = apply.getAffineMap();
      if (applied.getNumResults() != 1 || applied.getNumInputs() != 1)
        return std::nullopt;
      auto product = dyn_cast<AffineBinaryOpExpr>(applied.getResult(0));
      if (!product || product.getKind() != AffineExprKind::Mul ||
          !isa<AffineDimExpr, AffineSymbolExpr>(product.getLHS()))
        return std::nullopt;
      auto factor = dyn_cast<AffineConstantExpr>(product.getRHS());
      if (!factor || factor.getValue() < 1)
        return std::nullopt;
      iv = apply.getMapOperands().front();
      scale = factor.getValue();
    }
    auto found = llvm::find_if(
        nest.loops, [&](scf::ForOp l) { return l.getInductionVar() == iv; });
    if (found == nest.loops.end() ||
        llvm::is_contained(placement.loops, *found))
      return std::nullopt;
    scf::ForOp loop = *found;
    if (spans(dim)) {
      std::optional<int64_t> step = getConstantIntValue(loop.getStep());
      if (!step || *step * scale < placement.extents[dim] ||
          !getConstantIntValue(loop.getLowerBound()))
        return std::nullopt;
    } else if (scale != 1) {
      return std::nullopt;
    }
    placement.loops[dim] = loop;
    placement.scales[dim] = scale;
  }
  // No loop of the nest but the outermost may leave the tile in place.
  for (scf::ForOp loop : ArrayRef(nest.loops).drop_front())
    if (!llvm::is_contained(placement.loops, loop))
      return std::nullopt;
  return placement;
}

/// The range [first, last) of indices along `dim` that `placement`'s tiles
/// cover, when static.
std::optional<std::pair<int64_t, int64_t>>
staticRange(const TilePlacement &placement, unsigned dim) {
  int64_t extent = placement.extents[dim];
  scf::ForOp loop = placement.loops[dim];
  if (!loop)
    return std::make_pair(placement.constants[dim],
                          placement.constants[dim] + extent);
  std::optional<int64_t> lb = getConstantIntValue(loop.getLowerBound()),
                         ub = getConstantIntValue(loop.getUpperBound()),
                         step = getConstantIntValue(loop.getStep());
  if (!lb || !ub || !step || *ub <= *lb)
    return std::nullopt;
  int64_t last = *lb + (*ub - *lb - 1) / *step * *step;
  int64_t scale = placement.scales[dim];
  return std::make_pair(*lb * scale, last * scale + extent);
}

/// Register tiles of convolutions and matmuls accumulate into a cache
/// block that is zero-filled first (a linalg.fill of the block, a memset
/// after bufferization), and each tile's accumulators start from a read of
/// it. When the tile loops index distinct tiles (placeTiles), and the
/// nests of a loop that passes the block through several (a peeled last
/// tile) write disjoint parts of it, every read in the first pass over the
/// reduction reads the fill's value: it becomes that constant (the outer
/// reduction loop's first iteration is peeled for it). When the tiles also
/// cover the whole block, and the block's other uses overwrite it
/// entirely, the fill itself goes: nothing reads it any more. (1x1/2
/// convolution: the memset took 6% of the time.)
void startTilesFromFill(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<linalg::FillOp> fills;
  func.walk([&](linalg::FillOp fill) {
    if (fill.hasPureTensorSemantics() &&
        matchPattern(fill.getInputs()[0], m_Constant()) &&
        fill.getInputs()[0].getType() ==
            getElementTypeOrSelf(fill.getResult(0).getType()))
      fills.push_back(fill);
  });
  for (linalg::FillOp fill : fills) {
    Value block = fill.getResult(0);
    auto blockType = cast<RankedTensorType>(block.getType());
    // The block's size along `dim`: static, or the size it was sliced or
    // created with.
    auto sizeOf = [&](unsigned dim) -> OpFoldResult {
      if (!blockType.isDynamicDim(dim))
        return rewriter.getIndexAttr(blockType.getDimSize(dim));
      if (auto empty = fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
        return empty.getMixedSizes()[dim];
      auto slice = fill.getOutputs()[0].getDefiningOp<tensor::ExtractSliceOp>();
      if (!slice || slice.getSourceType().getRank() != blockType.getRank())
        return OpFoldResult();
      return slice.getMixedSizes()[dim];
    };
    // Whether `slice` (of the block, or inserted into it) is all of it.
    auto isWhole = [&](OffsetSizeAndStrideOpInterface slice) {
      if (slice.getMixedSizes().size() != size_t(blockType.getRank()))
        return false;
      for (auto [dim, size] : llvm::enumerate(slice.getMixedSizes())) {
        OpFoldResult whole = sizeOf(dim);
        if (!whole || !isConstantIntValue(slice.getMixedOffsets()[dim], 0) ||
            !isConstantIntValue(slice.getMixedStrides()[dim], 1) ||
            !isEqualConstantIntOrValue(size, whole))
          return false;
      }
      return true;
    };
    // The loop nest the block enters, directly or through a whole slice.
    scf::ForOp outer;
    unsigned position = 0;
    bool others = false;
    for (OpOperand &use : block.getUses()) {
      Operation *user = use.getOwner();
      if (auto insert = dyn_cast<tensor::InsertSliceOp>(user);
          insert && use.get() == insert.getDest() && isWhole(insert))
        continue;
      Value init = block;
      OpOperand *initUse = &use;
      if (auto slice = dyn_cast<tensor::ExtractSliceOp>(user)) {
        if (slice.getType() != blockType || !isWhole(slice) ||
            !slice->hasOneUse()) {
          others = true;
          continue;
        }
        init = slice.getResult();
        initUse = &*init.use_begin();
      }
      auto loop = dyn_cast<scf::ForOp>(initUse->getOwner());
      if (!loop || outer ||
          initUse->getOperandNumber() < loop.getNumControlOperands()) {
        others = true;
        continue;
      }
      outer = loop;
      position = initUse->getOperandNumber() - loop.getNumControlOperands();
    }
    if (others || !outer)
      continue;
    std::optional<SmallVector<TileNest>> nests = findTileNests(outer, position);
    if (!nests)
      continue;
    auto placeAll = [](ArrayRef<TileNest> all)
        -> std::optional<SmallVector<TilePlacement>> {
      SmallVector<TilePlacement> placements;
      for (const TileNest &nest : all) {
        std::optional<TilePlacement> placement = placeTiles(nest);
        if (!placement)
          return std::nullopt;
        placements.push_back(std::move(*placement));
      }
      return placements;
    };
    std::optional<SmallVector<TilePlacement>> placements = placeAll(*nests);
    if (!placements)
      continue;
    // Loops after `outer` in its block that take the block on from it (the
    // peeled last register tile of a row, when no reduction loop encloses
    // the tiles): their tiles join, when every loop of the chain indexes a
    // dimension of the block (their reads are then all first reads).
    // Whether `loop` indexes a dimension of the block in all of `all`.
    auto indexedBy = [](ArrayRef<TilePlacement> all, scf::ForOp loop) {
      return llvm::all_of(all, [&](const TilePlacement &p) {
        return llvm::is_contained(p.loops, loop);
      });
    };
    bool siblings = false;
    {
      SmallVector<TileNest> chainNests(*nests);
      SmallVector<TilePlacement> chainPlacements(*placements);
      bool chained = indexedBy(*placements, outer);
      scf::ForOp last = outer;
      unsigned lastPosition = position;
      while (chained && last.getResult(lastPosition).hasOneUse()) {
        OpOperand &use = *last.getResult(lastPosition).use_begin();
        auto next = dyn_cast<scf::ForOp>(use.getOwner());
        if (!next || next->getBlock() != last->getBlock() ||
            use.getOperandNumber() < next.getNumControlOperands())
          break;
        unsigned nextPosition =
            use.getOperandNumber() - next.getNumControlOperands();
        std::optional<SmallVector<TileNest>> nextNests =
            findTileNests(next, nextPosition);
        std::optional<SmallVector<TilePlacement>> nextPlacements =
            nextNests ? placeAll(*nextNests) : std::nullopt;
        if (!nextPlacements || !indexedBy(*nextPlacements, next)) {
          chained = false;
          break;
        }
        llvm::append_range(chainNests, *nextNests);
        llvm::append_range(chainPlacements, *nextPlacements);
        last = next;
        lastPosition = nextPosition;
        siblings = true;
      }
      if (chained && siblings) {
        nests = std::move(chainNests);
        placements = std::move(chainPlacements);
      } else {
        siblings = false;
      }
    }
    int64_t rank = blockType.getRank();
    // The nests write disjoint parts of the block: every two differ in a
    // dimension where their static ranges do not overlap.
    auto disjoint = [&](const TilePlacement &a, const TilePlacement &b) {
      for (int64_t dim = 0; dim < rank; ++dim) {
        if (a.loops[dim] && a.loops[dim] == b.loops[dim])
          continue;
        auto ra = staticRange(a, dim), rb = staticRange(b, dim);
        if (ra && rb && (ra->second <= rb->first || rb->second <= ra->first))
          return true;
      }
      return false;
    };
    bool allDisjoint = true;
    for (size_t i = 0; i < placements->size(); ++i)
      for (size_t j = i + 1; j < placements->size(); ++j)
        allDisjoint &= disjoint((*placements)[i], (*placements)[j]);
    if (!allDisjoint)
      continue;
    // The outermost loop indexes a dimension, or none: a reduction loop,
    // whose first iteration is peeled so that only it reads the fill.
    // (A chain of sibling loops indexes the block throughout.)
    bool outerIndexes = siblings || indexedBy(*placements, outer);
    if (!outerIndexes && llvm::any_of(*placements, [&](const TilePlacement &p) {
          return llvm::is_contained(p.loops, outer);
        }))
      continue;
    if (!outerIndexes) {
      std::optional<APInt> trips = outer.getStaticTripCount();
      if (!trips || trips->isZero())
        continue;
      if (trips->ugt(1)) {
        scf::ForOp first;
        if (failed(scf::peelForLoopFirstIteration(rewriter, outer, first)))
          continue;
        // The peeled iteration is the nest the block now enters.
        nests = findTileNests(first, position);
        placements = nests ? placeAll(*nests) : std::nullopt;
        if (!placements)
          continue;
        outer = first;
      }
    }
    // The first pass reads the fill's value.
    for (TileNest &nest : *nests) {
      rewriter.setInsertionPoint(nest.read);
      Value splat = vector::BroadcastOp::create(rewriter, nest.read.getLoc(),
                                                nest.read.getVectorType(),
                                                fill.getInputs()[0]);
      rewriter.replaceOp(nest.read, splat);
    }
    // Whether the tiles cover the block: along a dimension that a loop of
    // every nest indexes, that loop runs from 0 to the dimension's size in
    // steps of 1; along the others, of static size, the nests' tiles lie
    // inside it and together (distinct and disjoint) count all of it.
    bool covers = true;
    int64_t blockVolume = 1, tilesVolume = 0;
    SmallVector<bool> shared(rank, false);
    for (int64_t dim = 0; dim < rank && covers; ++dim) {
      scf::ForOp loop = placements->front().loops[dim];
      shared[dim] =
          loop && llvm::all_of(*placements, [&](const TilePlacement &p) {
            return p.loops[dim] == loop;
          });
      OpFoldResult size = sizeOf(dim);
      if (!size) {
        covers = false;
      } else if (shared[dim]) {
        // (Its tiles side by side: steps of the tile's extent.)
        int64_t scale = placements->front().scales[dim];
        std::optional<int64_t> step = getConstantIntValue(loop.getStep()),
                               ub = getConstantIntValue(loop.getUpperBound()),
                               staticSize = getConstantIntValue(size);
        covers =
            llvm::all_of(*placements,
                         [&](const TilePlacement &p) {
                           return p.scales[dim] == scale;
                         }) &&
            matchPattern(loop.getLowerBound(), m_Zero()) && step &&
            *step * scale == placements->front().extents[dim] &&
            (scale == 1 ? isEqualConstantIntOrValue(size, loop.getUpperBound())
                        : ub && staticSize && *ub * scale == *staticSize);
      } else if (std::optional<int64_t> staticSize =
                     getConstantIntValue(size)) {
        blockVolume *= *staticSize;
      } else {
        covers = false;
      }
    }
    for (const TilePlacement &placement : *placements) {
      int64_t volume = 1;
      for (int64_t dim = 0; dim < rank && covers; ++dim) {
        if (shared[dim])
          continue;
        auto range = staticRange(placement, dim);
        std::optional<int64_t> size = getConstantIntValue(sizeOf(dim));
        covers = range && size && range->first >= 0 && range->second <= *size;
        if (!covers)
          break;
        scf::ForOp loop = placement.loops[dim];
        int64_t extent = placement.extents[dim];
        if (!loop) {
          volume *= extent;
          continue;
        }
        // (Tiles that leave gaps between them do not count whole.)
        int64_t step = *getConstantIntValue(loop.getStep());
        covers = step * placement.scales[dim] == extent;
        volume *= range->second - range->first;
      }
      tilesVolume += volume;
    }
    if (covers && tilesVolume == blockVolume)
      rewriter.replaceAllUsesWith(block, fill.getOutputs()[0]);
  }
}

/// A row of a strided copy (the subsampling of a strided 1x1 convolution,
/// the phases of space-to-depth): out[.., x] = in[.., x * s + c] with s > 1
/// along the innermost dimension, every other loop of one iteration. The
/// linalg vectoriser cannot read a strided row; this reads the contiguous
/// span the row covers and picks every s-th element with one
/// vector.shuffle (vpermt2ps), where the scalar loop moved one float at a
/// time.
LogicalResult vectorizeStridedCopy(RewriterBase &rewriter,
                                   linalg::LinalgOp linalgOp) {
  auto op = dyn_cast<linalg::GenericOp>(linalgOp.getOperation());
  std::optional<int64_t> strideOfCopy =
      op ? stridedCopyStride(op) : std::nullopt;
  if (!strideOfCopy)
    return failure();
  SmallVector<int64_t> dims = op.getStaticLoopRanges();
  AffineMap inMap = op.getIndexingMapsArray()[0];
  auto inType = dyn_cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  if (!inType || !inType.hasStaticShape() ||
      inMap.getNumResults() != static_cast<unsigned>(inType.getRank()) ||
      llvm::any_of(ArrayRef(dims).drop_back(),
                   [](int64_t size) { return size != 1; }))
    return failure();
  // The input's indices with every loop at 0 (the other loops have one
  // iteration): the row starts at column c of the input.
  MLIRContext *context = op.getContext();
  SmallVector<int64_t> offsets;
  for (AffineExpr expr : inMap.getResults()) {
    SmallVector<AffineExpr> zeros(dims.size(),
                                  getAffineConstantExpr(0, context));
    auto constant = dyn_cast<AffineConstantExpr>(expr.replaceDims(zeros));
    if (!constant)
      return failure();
    offsets.push_back(constant.getValue());
  }
  int64_t c = offsets.back(), stride = *strideOfCopy, count = dims.back();
  int64_t span = c + (count - 1) * stride + 1;
  if (span > inType.getShape().back())
    return failure();
  Location loc = op.getLoc();
  Type f32 = rewriter.getF32Type();
  SmallVector<Value> indices;
  for (int64_t offset : offsets)
    indices.push_back(arith::ConstantIndexOp::create(rewriter, loc, offset));
  indices.back() = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value padding = arith::ConstantOp::create(rewriter, loc, f32,
                                            rewriter.getF32FloatAttr(0));
  // Whole registers: a vector<31xf32> is loaded in pieces of 16, 8, 4, 2
  // and 1 lanes; past the row's end, the read is masked.
  int64_t length = llvm::alignTo(span, kVectorLanes);
  auto spanType = VectorType::get({length}, f32);
  Value row = vector::TransferReadOp::create(
      rewriter, loc, spanType, op.getDpsInputs()[0], indices, padding,
      ArrayRef<bool>{length <= inType.getShape().back()});
  SmallVector<int64_t> picks;
  for (int64_t i = 0; i < count; ++i)
    picks.push_back(c + i * stride);
  Value picked = vector::ShuffleOp::create(rewriter, loc, row, row, picks);
  auto outType = cast<RankedTensorType>(op.getDpsInits()[0].getType());
  SmallVector<Value> zeros(outType.getRank(),
                           arith::ConstantIndexOp::create(rewriter, loc, 0));
  Value shaped = vector::ShapeCastOp::create(
      rewriter, loc, VectorType::get(outType.getShape(), f32), picked);
  SmallVector<bool> inBounds(outType.getRank(), true);
  Value written =
      vector::TransferWriteOp::create(rewriter, loc, shaped,
                                      op.getDpsInits()[0], zeros, inBounds)
          .getResult();
  rewriter.replaceOp(op, written);
  return success();
}

/// The register width (8 or 16 f32 lanes) that a row of `type` (every
/// dimension but the innermost 1) of 5 to 7 or 9 to 15 lanes fills, else 0.
static int64_t wholeRegisterLanes(VectorType type) {
  if (type.isScalable() || !type.getElementType().isF32() ||
      type.getRank() == 0)
    return 0;
  ArrayRef<int64_t> shape = type.getShape();
  if (llvm::any_of(shape.drop_back(), [](int64_t size) { return size != 1; }))
    return 0;
  int64_t lanes = shape.back();
  if (lanes > 4 && lanes < 8)
    return 8;
  if (lanes > 8 && lanes < kVectorLanes)
    return kVectorLanes;
  return 0;
}

/// Whether the permutation map `map` of a transfer of a vector whose
/// dimensions but the last have one element reads along its source's
/// innermost dimension (a minor identity, or a row of a rank-reduced
/// slice: a phase of a strided kernel's input, (d0, d1, d4, d5) of 6).
static bool isRowMap(AffineMap map) {
  return map.getNumResults() > 0 &&
         map.getResults().back() ==
             getAffineDimExpr(map.getNumDims() - 1, map.getContext()) &&
         llvm::all_of(map.getResults(),
                      [](AffineExpr e) { return isa<AffineDimExpr>(e); });
}

/// Reads and writes of rows of 5 to 7 or 9 to 15 f32 lanes (an image's
/// rows of 7 or 14, in depthwise convolutions and poolings on small
/// images) move whole 8- or 16-lane registers: a read becomes a read of
/// the whole register (masked past the end of its source's row when that
/// may be reached) and a slice of its first lanes, a write a write of the
/// whole register masked to its lanes. LLVM split a 14-lane access into 8-, 4-
/// and 2-lane pieces and reassembled them (5 instructions a read), while the
/// computation in between is a whole register wide anyway: MobileNetV2's
/// 3x3 depthwise layer on 14 x 14 images went from 88 to 52 us.
void widenShortRows(RewriterBase &rewriter, func::FuncOp func) {
  SmallVector<vector::TransferReadOp> reads;
  SmallVector<vector::TransferWriteOp> writes;
  func.walk([&](Operation *op) {
    if (auto read = dyn_cast<vector::TransferReadOp>(op)) {
      if (wholeRegisterLanes(read.getVectorType()) && !read.getMask() &&
          isRowMap(read.getPermutationMap()))
        reads.push_back(read);
    } else if (auto write = dyn_cast<vector::TransferWriteOp>(op)) {
      if (wholeRegisterLanes(write.getVectorType()) && !write.getMask() &&
          isRowMap(write.getPermutationMap()))
        writes.push_back(write);
    }
  });
  auto widened = [](VectorType type) {
    SmallVector<int64_t> shape(type.getShape());
    shape.back() = wholeRegisterLanes(type);
    return VectorType::get(shape, type.getElementType());
  };
  // The in_bounds flags of the widened transfer `op` (its source or
  // destination of the vector's rank): the innermost dimension is in bounds
  // when the whole register from a constant index stays inside it.
  auto widenedBounds =
      [](VectorTransferOpInterface op) -> std::optional<SmallVector<bool>> {
    auto shaped = dyn_cast<ShapedType>(op.getBase().getType());
    VectorType type = op.getVectorType();
    if (!shaped || shaped.getRank() < type.getRank())
      return std::nullopt;
    int64_t size = shaped.getShape().back();
    std::optional<int64_t> start = getConstantIntValue(op.getIndices().back());
    // (The other dimensions as the original access has them.)
    SmallVector<bool> inBounds = op.getInBoundsValues();
    inBounds.back() = !ShapedType::isDynamic(size) && start &&
                      *start + wholeRegisterLanes(type) <= size;
    return inBounds;
  };
  for (vector::TransferReadOp read : reads) {
    std::optional<SmallVector<bool>> inBounds = widenedBounds(read);
    if (!inBounds)
      continue;
    VectorType type = read.getVectorType();
    rewriter.setInsertionPoint(read);
    Value wide = vector::TransferReadOp::create(
        rewriter, read.getLoc(), widened(type), read.getBase(),
        read.getIndices(), read.getPadding(), read.getPermutationMap(),
        *inBounds);
    SmallVector<int64_t> zeros(type.getRank(), 0), ones(type.getRank(), 1);
    rewriter.replaceOpWithNewOp<vector::ExtractStridedSliceOp>(
        read, wide, zeros, type.getShape(), ones);
  }
  for (vector::TransferWriteOp write : writes) {
    std::optional<SmallVector<bool>> inBounds = widenedBounds(write);
    if (!inBounds)
      continue;
    VectorType type = write.getVectorType();
    rewriter.setInsertionPoint(write);
    Value poison =
        ub::PoisonOp::create(rewriter, write.getLoc(), widened(type));
    SmallVector<int64_t> zeros(type.getRank(), 0), ones(type.getRank(), 1);
    Value wide = vector::InsertStridedSliceOp::create(
        rewriter, write.getLoc(), write.getVector(), poison, zeros, ones);
    // Only the original lanes are stored (a mask): the lanes past them may
    // be inside the row, holding values of their own (a padding column).
    SmallVector<int64_t> original(type.getShape());
    Value mask = vector::ConstantMaskOp::create(
        rewriter, write.getLoc(),
        VectorType::get(widened(type).getShape(), rewriter.getI1Type()),
        original);
    auto replacement = vector::TransferWriteOp::create(
        rewriter, write.getLoc(), wide, write.getBase(), write.getIndices(),
        AffineMapAttr::get(write.getPermutationMap()), mask,
        rewriter.getBoolArrayAttr(*inBounds));
    rewriter.replaceOp(write, replacement->getResults());
  }
}

/// Whether `loop` carries a vector (a register tile's accumulator).
static bool carriesVector(scf::ForOp loop) {
  return llvm::any_of(loop.getRegionIterArgs(),
                      [](Value v) { return isa<VectorType>(v.getType()); });
}

/// Unrolls by `factor` the reduction loops of register tiles that are their
/// tile's only reduction loop: loops that carry only vectors and hold a
/// vector.contract, with no enclosing loop that carries a vector. (The
/// channel loops of convolutions with windows, nested in the window's
/// loops, are left alone: unrolled, a 3x3 convolution ran 4-6% slower.)
/// The walk visits inner loops first and unrolling changes only a loop's
/// own body (and adds a remainder loop beside it), so the loops collected
/// stay valid.
void unrollReductionLoops(func::FuncOp func, int64_t factor) {
  SmallVector<scf::ForOp> loops;
  func.walk([&](scf::ForOp loop) {
    if (loop.getNumRegionIterArgs() == 0 ||
        !llvm::all_of(loop.getRegionIterArgs(),
                      [](Value v) { return isa<VectorType>(v.getType()); }) ||
        !llvm::any_of(loop.getBody()->getOperations(), [](Operation &op) {
          return isa<vector::ContractionOp>(op);
        }))
      return;
    for (auto parent = loop->getParentOfType<scf::ForOp>(); parent;
         parent = parent->getParentOfType<scf::ForOp>())
      if (carriesVector(parent))
        return;
    // Not loops too short to unroll once. (With a static trip count the
    // unrolling reads the bounds as constants: a count known from bounds
    // that are not, such as %lb to %lb + 64, is left alone.)
    std::optional<APInt> trips = loop.getStaticTripCount();
    if (trips && (trips->getSExtValue() < factor ||
                  !getConstantIntValue(loop.getLowerBound()) ||
                  !getConstantIntValue(loop.getUpperBound()) ||
                  !getConstantIntValue(loop.getStep())))
      return;
    loops.push_back(loop);
  });
  for (scf::ForOp loop : loops)
    (void)loopUnrollByFactor(loop, factor);
}

/// An index as a linear combination of values plus a constant, seen
/// through affine.apply (of linear maps) and constants: two indices
/// computed differently (a tap's row y + 1, the next output row's y + 0 +
/// 1) compare equal.
struct LinearIndex {
  llvm::SmallMapVector<Value, int64_t, 4> terms;
  int64_t constant = 0;
  bool operator==(const LinearIndex &other) const {
    if (constant != other.constant)
      return false;
    auto nonzero = [](const LinearIndex &index) {
      SmallVector<std::pair<Value, int64_t>> result;
      for (auto [value, coefficient] : index.terms)
        if (coefficient != 0)
          result.push_back({value, coefficient});
      llvm::sort(result, [](auto a, auto b) {
        return a.first.getAsOpaquePointer() < b.first.getAsOpaquePointer();
      });
      return result;
    };
    return nonzero(*this) == nonzero(other);
  }
};

std::optional<LinearIndex> linearIndex(Value value);

/// `expr` (of `apply`'s dims and symbols) as a LinearIndex.
std::optional<LinearIndex> linearExpr(AffineExpr expr,
                                      affine::AffineApplyOp apply) {
  unsigned dims = apply.getAffineMap().getNumDims();
  if (auto constant = dyn_cast<AffineConstantExpr>(expr)) {
    LinearIndex index;
    index.constant = constant.getValue();
    return index;
  }
  if (auto dim = dyn_cast<AffineDimExpr>(expr))
    return linearIndex(apply.getMapOperands()[dim.getPosition()]);
  if (auto symbol = dyn_cast<AffineSymbolExpr>(expr))
    return linearIndex(apply.getMapOperands()[dims + symbol.getPosition()]);
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return std::nullopt;
  std::optional<LinearIndex> lhs = linearExpr(binary.getLHS(), apply);
  std::optional<LinearIndex> rhs = linearExpr(binary.getRHS(), apply);
  if (!lhs || !rhs)
    return std::nullopt;
  if (binary.getKind() == AffineExprKind::Add) {
    for (auto [value, coefficient] : rhs->terms)
      lhs->terms[value] += coefficient;
    lhs->constant += rhs->constant;
    return lhs;
  }
  if (binary.getKind() == AffineExprKind::Mul) {
    if (!rhs->terms.empty())
      std::swap(lhs, rhs);
    if (!rhs->terms.empty())
      return std::nullopt;
    for (auto &[value, coefficient] : lhs->terms)
      coefficient *= rhs->constant;
    lhs->constant *= rhs->constant;
    return lhs;
  }
  return std::nullopt;
}

std::optional<LinearIndex> linearIndex(Value value) {
  if (std::optional<int64_t> constant = getConstantIntValue(value)) {
    LinearIndex index;
    index.constant = *constant;
    return index;
  }
  if (auto apply = value.getDefiningOp<affine::AffineApplyOp>())
    return linearExpr(apply.getAffineMap().getResult(0), apply);
  LinearIndex index;
  index.terms[value] = 1;
  return index;
}

/// Whether `coefficient * value` is a multiple of `multiple` for every
/// value it takes: an induction variable of an scf.for or scf.forall whose
/// constant lower bound and step are.
bool isMultipleOf(Value value, int64_t coefficient, int64_t multiple) {
  std::optional<int64_t> lb, step;
  // (The owners also own their loops' other block arguments: iter_args.)
  if (scf::ForOp loop = scf::getForInductionVarOwner(value);
      loop && loop.getInductionVar() == value) {
    lb = getConstantIntValue(loop.getLowerBound());
    step = getConstantIntValue(loop.getStep());
  } else if (scf::ForallOp forall = scf::getForallOpThreadIndexOwner(value)) {
    unsigned position = cast<BlockArgument>(value).getArgNumber();
    if (position >= forall.getRank())
      return false;
    lb = getConstantIntValue(forall.getMixedLowerBound()[position]);
    step = getConstantIntValue(forall.getMixedStep()[position]);
  }
  return lb && step && (coefficient * *lb) % multiple == 0 &&
         (coefficient * *step) % multiple == 0;
}

/// Reads of one row at column shifts (the taps of a window op along a
/// row: columns x + s .. x + s + 15 of an image row for s = 0, 1, 2, or 8
/// lanes; x a multiple of the register, constant or through loop induction
/// variables) on rows of whole registers: aligned reads of the registers
/// that hold their lanes, and for each read one or two of them shifted
/// together (valignd), where that makes fewer reads; the unaligned reads
/// straddled two cache lines. With several output rows per tile
/// (windowRowsPerTile) the reads of one input row by different kernel rows
/// (indices computed differently, compared as linear combinations) share
/// the aligned reads too.
void shiftReadsInRegisters(RewriterBase &rewriter, func::FuncOp func) {
  // Reads of one register's lanes (8 or 16) along rows whose length is a
  // whole number of registers (an aligned register that holds a column of
  // the row lies inside it), at a column that is a multiple of the
  // register plus a constant; grouped by block, base and vector type.
  llvm::MapVector<std::tuple<Block *, Value, Type>,
                  SmallVector<vector::TransferReadOp>>
      groups;
  func.walk([&](vector::TransferReadOp read) {
    VectorType type = read.getVectorType();
    auto base = dyn_cast<ShapedType>(read.getBase().getType());
    if (type.getRank() == 0 || !base)
      return;
    int64_t lanes = type.getShape().back();
    if (read.getMask() || !isRowMap(read.getPermutationMap()) ||
        (lanes != kVectorLanes && lanes != kVectorLanes / 2) ||
        llvm::any_of(type.getShape().drop_back(),
                     [](int64_t size) { return size != 1; }) ||
        base.isDynamicDim(base.getRank() - 1) ||
        base.getShape().back() % lanes != 0)
      return;
    std::optional<LinearIndex> column = linearIndex(read.getIndices().back());
    if (!column || !llvm::all_of(column->terms, [&](auto term) {
          return term.second == 0 ||
                 isMultipleOf(term.first, term.second, lanes);
        }))
      return;
    groups[{read->getBlock(), read.getBase(), type}].push_back(read);
  });
  for (auto &[key, reads] : groups) {
    // Rows: the same leading indices and the same non-constant part of the
    // column.
    auto sameRow = [](vector::TransferReadOp a, vector::TransferReadOp b) {
      for (auto [x, y] :
           llvm::zip(a.getIndices().drop_back(), b.getIndices().drop_back())) {
        std::optional<LinearIndex> u = linearIndex(x), v = linearIndex(y);
        if (!u || !v || !(*u == *v))
          return false;
      }
      LinearIndex u = *linearIndex(a.getIndices().back()),
                  v = *linearIndex(b.getIndices().back());
      u.constant = v.constant = 0;
      return u == v;
    };
    SmallVector<SmallVector<vector::TransferReadOp>> rows;
    for (vector::TransferReadOp read : reads) {
      auto match = llvm::find_if(
          rows, [&](auto &row) { return sameRow(row.front(), read); });
      if (match == rows.end())
        rows.push_back({read});
      else
        match->push_back(read);
    }
    for (SmallVector<vector::TransferReadOp> &row : rows) {
      VectorType type = row.front().getVectorType();
      int64_t lanes = type.getShape().back();
      int64_t size =
          cast<ShapedType>(row.front().getBase().getType()).getShape().back();
      // The used lanes of each read: its uses are slices of its first
      // lanes (a widened short row), or all of them.
      auto usedLanes = [&](vector::TransferReadOp read) -> int64_t {
        int64_t used = 0;
        for (Operation *user : read->getUsers()) {
          auto slice = dyn_cast<vector::ExtractStridedSliceOp>(user);
          if (!slice || llvm::any_of(slice.getOffsets(), [](Attribute a) {
                return cast<IntegerAttr>(a).getInt() != 0;
              }))
            return lanes;
          used = std::max(used, slice.getType().getShape().back());
        }
        return used;
      };
      // Per read: its column's constant part, and the aligned registers
      // (constant parts) that hold its used lanes. The used lanes are
      // inside the row: the read is in bounds, or at a constant column
      // whose used lanes end inside it.
      struct Shifted {
        vector::TransferReadOp read;
        int64_t column, first, second;
      };
      SmallVector<Shifted> shifted;
      llvm::SmallSetVector<int64_t, 4> registers;
      bool valid = true, unaligned = false;
      for (vector::TransferReadOp read : row) {
        LinearIndex column = *linearIndex(read.getIndices().back());
        int64_t used = usedLanes(read);
        bool inside = read.getInBoundsValues().back() ||
                      (column.terms.empty() && column.constant + used <= size);
        if (!inside || used == 0) {
          valid = false;
          break;
        }
        int64_t first = llvm::divideFloorSigned(column.constant, lanes) * lanes;
        int64_t second =
            column.constant - first + used > lanes ? first + lanes : first;
        unaligned |= column.constant != first;
        registers.insert(first);
        registers.insert(second);
        shifted.push_back({read, column.constant, first, second});
      }
      // (Only where a register serves several reads, and some read is not
      // aligned already.)
      if (!valid || !unaligned || registers.size() >= row.size())
        continue;
      // The aligned reads, before the first of the row's reads.
      vector::TransferReadOp earliest = row.front();
      int64_t earliestColumn = shifted.front().column;
      for (const Shifted &entry : shifted)
        if (entry.read->isBeforeInBlock(earliest)) {
          earliest = entry.read;
          earliestColumn = entry.column;
        }
      rewriter.setInsertionPoint(earliest);
      Location loc = earliest.getLoc();
      auto flatType = VectorType::get({lanes}, type.getElementType());
      DenseMap<int64_t, Value> loaded;
      for (int64_t offset : registers) {
        SmallVector<Value> indices(earliest.getIndices());
        // (The earliest read's column moved by the difference.)
        AffineExpr d0 = rewriter.getAffineDimExpr(0);
        indices.back() = affine::AffineApplyOp::create(
            rewriter, loc, AffineMap::get(1, 0, d0 + (offset - earliestColumn)),
            ValueRange{earliest.getIndices().back()});
        // (Whole registers inside the row; the other dimensions as the
        // earliest read has them.)
        SmallVector<bool> inBounds = earliest.getInBoundsValues();
        inBounds.back() = true;
        Value aligned = vector::TransferReadOp::create(
            rewriter, loc, type, earliest.getBase(), indices,
            earliest.getPadding(), earliest.getPermutationMap(), inBounds);
        loaded[offset] =
            vector::ShapeCastOp::create(rewriter, loc, flatType, aligned);
      }
      Value poison = ub::PoisonOp::create(rewriter, loc, flatType);
      for (const Shifted &entry : shifted) {
        int64_t shift = entry.column - entry.first;
        rewriter.setInsertionPoint(entry.read);
        Value value = loaded[entry.first];
        if (shift != 0) {
          // Lanes past the first register come from the second (or are
          // unused: poison).
          Value next =
              entry.second != entry.first ? loaded[entry.second] : poison;
          SmallVector<int64_t> mask;
          for (int64_t lane = 0; lane < lanes; ++lane)
            mask.push_back(lane + shift);
          value = vector::ShuffleOp::create(rewriter, loc, value, next, mask);
        }
        rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(entry.read, type,
                                                         value);
      }
    }
  }
}

/// Unrolls the vector ops of `func` whose vector type (a transfer_write's
/// vector, or the result of a one-result op) `nativeShape` maps to a
/// smaller shape into ops on that shape.
void unrollVectors(
    func::FuncOp func,
    llvm::function_ref<std::optional<SmallVector<int64_t>>(VectorType)>
        nativeShape) {
  RewritePatternSet patterns(func.getContext());
  vector::UnrollVectorOptions options;
  options.setNativeShapeFn(
      [nativeShape](Operation *op) -> std::optional<SmallVector<int64_t>> {
        VectorType type;
        if (auto write = dyn_cast<vector::TransferWriteOp>(op))
          type = write.getVectorType();
        else if (op->getNumResults() == 1)
          type = dyn_cast<VectorType>(op->getResult(0).getType());
        if (!type)
          return std::nullopt;
        return nativeShape(type);
      });
  vector::populateVectorUnrollPatterns(patterns, options);
  vector::populateVectorToVectorCanonicalizationPatterns(patterns);
  (void)applyPatternsGreedily(func, std::move(patterns));
}

struct AccmlVectorizePass
    : accml::impl::AccmlVectorizePassBase<AccmlVectorizePass> {
  using Base::Base;
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *context = &getContext();
    if (unrollReduction < 1) {
      func.emitError("accml-vectorize: unroll-reduction must be positive");
      return signalPassFailure();
    }
    // Vectorise the register-sized matmuls.
    SmallVector<linalg::MatmulOp> matmuls;
    func.walk([&](linalg::MatmulOp op) {
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      // Register tiles only (a k of 1): larger vectors unroll into very
      // long code.
      if (op.hasPureTensorSemantics() && !ShapedType::isDynamicShape(dims) &&
          dims[2] == 1 && dims[0] <= 16 && dims[1] <= kMaxTileColumns)
        matmuls.push_back(op);
    });
    // Rows (as accml-tile-and-fuse leaves them): elementwise rows of at
    // most 64 elements, and the reductions and elementwise ops of row-wise
    // chains, rows of at most kMaxRow elements.
    SmallVector<linalg::LinalgOp> rows;
    func.walk([&](linalg::LinalgOp op) {
      if (isa<linalg::MatmulOp>(op) || !isRow(op))
        return;
      rows.push_back(op);
    });
    // Single elements of a row's statistics inside a row loop (layer_norm's
    // mean, the row sum divided by its length): as vector<1xf32> ops they
    // fold into the transfers around them, where as generics they became a
    // heap buffer per row (a malloc and a free in each iteration of the row
    // loop). (Not outside loops: a one-element op on a reshaped 0-d tensor
    // would become a vector load from a 0-d memref, which is invalid.)
    func.walk([&](linalg::GenericOp op) {
      if (!isa<scf::ForOp, scf::ForallOp>(op->getParentOp()) ||
          !op.hasPureTensorSemantics() || op.getNumLoops() == 0 ||
          op.getNumParallelLoops() != op.getNumLoops() ||
          !isF32WithoutGathers(op))
        return;
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      if (llvm::all_of(dims, [](int64_t d) { return d == 1; }))
        rows.push_back(op);
    });
    // The 16 x w and w x 16 tiles of transposing copies
    // (accml-tile-and-fuse).
    func.walk([&](linalg::GenericOp op) {
      if (op.getNumLoops() != 2 || op.getNumParallelLoops() != 2 ||
          !op.hasPureTensorSemantics() || !isF32WithoutGathers(op) || isRow(op))
        return;
      SmallVector<int64_t> dims = op.getStaticLoopRanges();
      if (ShapedType::isDynamicShape(dims) ||
          !((dims[0] == 16 && dims[1] <= 16) ||
            (dims[1] == 16 && dims[0] <= 16)))
        return;
      AffineMap transposed = AffineMap::getPermutationMap(
          ArrayRef<unsigned>{1, 0}, op.getContext());
      if (llvm::any_of(op.getIndexingMapsArray(),
                       [&](AffineMap map) { return map == transposed; }))
        rows.push_back(op);
      // (And the w x 16 tiles of channels-last window ops: positions x
      // channels, the weights per channel.)
      else if (dims[1] == 16 &&
               llvm::all_of(op.getIndexingMapsArray(), [&](AffineMap map) {
                 return map.isIdentity() ||
                        map == AffineMap::get(
                                   2, 0, {getAffineDimExpr(1, op.getContext())},
                                   op.getContext());
               }))
        rows.push_back(op);
    });
    IRRewriter rewriter(context);
    for (linalg::LinalgOp op : rows) {
      rewriter.setInsertionPoint(op);
      if (succeeded(vectorizeStridedCopy(rewriter, op)))
        continue;
      FailureOr<linalg::VectorizationResult> result =
          linalg::vectorize(rewriter, op);
      if (succeeded(result))
        rewriter.replaceOp(op, result->replacements);
    }
    for (linalg::MatmulOp op : matmuls) {
      rewriter.setInsertionPoint(op);
      FailureOr<linalg::VectorizationResult> result = linalg::vectorize(
          rewriter, op, /*inputVectorSizes=*/{}, /*inputScalableVecDims=*/{},
          /*vectorizeNDExtract=*/false, /*flatten1DDepthwiseConv=*/false,
          /*assumeDynamicDimsMatchVecSizes=*/false,
          /*createNamedContraction=*/true);
      if (succeeded(result))
        rewriter.replaceOp(op, result->replacements);
    }
    // Multi-reductions of products become contractions that absorb the
    // operand broadcasts (first, before transfers fold the broadcasts into
    // their permutation maps); then the transfers fold.
    {
      RewritePatternSet patterns(context);
      vector::populateVectorReductionToContractPatterns(patterns);
      vector::populateSinkVectorOpsPatterns(patterns);
      (void)applyPatternsGreedily(func, std::move(patterns));
    }
    {
      RewritePatternSet patterns(context);
      vector::TransferReadOp::getCanonicalizationPatterns(patterns, context);
      vector::TransferWriteOp::getCanonicalizationPatterns(patterns, context);
      tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
      (void)applyPatternsGreedily(func, std::move(patterns));
    }
    // Tiles of several rows of a window op, one row at a time (their
    // reads of the same input row are then one read: see
    // shiftReadsInRegisters).
    unrollVectors(func,
                  [](VectorType type) -> std::optional<SmallVector<int64_t>> {
                    if (type.getRank() != 4 || type.getDimSize(0) != 1 ||
                        type.getDimSize(1) != 1 || type.getDimSize(2) == 1 ||
                        type.getDimSize(2) > accml::kMaxWindowRows ||
                        type.getDimSize(3) > accml::kMaxWindowRowLength)
                      return std::nullopt;
                    return SmallVector<int64_t>{1, 1, 1, type.getDimSize(3)};
                  });
    // Rows of whole registers but not a power of two of them (a fused
    // epilogue's rows of 112): one register at a time. LLVM legalised
    // vector<112xf32> operations by building vectors lane by lane (490
    // vinsertps in a 1x1/2 convolution's epilogue, 17% of its time).
    unrollVectors(
        func, [](VectorType type) -> std::optional<SmallVector<int64_t>> {
          // (A 0-d vector, a reduction's scalar: nothing to unroll.)
          if (type.getRank() == 0)
            return std::nullopt;
          int64_t lanes = type.getShape().back();
          if (type.isScalable() || !type.getElementType().isF32() ||
              lanes <= accml::kVectorLanes ||
              lanes % accml::kVectorLanes != 0 || llvm::isPowerOf2_64(lanes) ||
              llvm::any_of(type.getShape().drop_back(),
                           [](int64_t size) { return size != 1; }))
            return std::nullopt;
          SmallVector<int64_t> native(type.getRank(), 1);
          native.back() = accml::kVectorLanes;
          return native;
        });
    // Short rows in whole registers.
    widenShortRows(rewriter, func);
    // Reads of one row at column shifts: one aligned read.
    shiftReadsInRegisters(rewriter, func);
    // Divisions by a broadcast row value: one reciprocal per row.
    {
      RewritePatternSet patterns(context);
      patterns.add<DivideByReciprocal>(context);
      (void)applyPatternsGreedily(func, std::move(patterns));
    }
    // A pass over a row that reads back what the pass before it wrote
    // (softmax's sum of the exponentials) joins that pass. (The loops are
    // collected again after each fusion: it erases both loops and all
    // loops nested in them.)
    for (bool fused = true; fused;) {
      fused = false;
      SmallVector<scf::ForOp> loops;
      func.walk([&](scf::ForOp loop) { loops.push_back(loop); });
      for (scf::ForOp loop : loops) {
        // The next loop of the block.
        Operation *after = loop->getNextNode();
        while (after && !isa<scf::ForOp>(after))
          after = after->getNextNode();
        auto next = dyn_cast_or_null<scf::ForOp>(after);
        if (next && succeeded(fuseRowPasses(rewriter, loop, next))) {
          fused = true;
          break;
        }
      }
    }
    // Keep the accumulators in registers across the reduction loop. (The
    // read and the write of an accumulator must use the same index values,
    // defined outside the loop: a position-major convolution's channel
    // offset was computed twice inside it, and its accumulators went
    // through memory every k step, 2.5x slower.)
    {
      DominanceInfo dominance;
      eliminateCommonSubExpressions(rewriter, dominance, func);
    }
    func.walk([&](LoopLikeOpInterface loop) {
      // Not the loop's own buffers (tensor.empty): moved out of a parallel
      // loop, a channel block's buffer became one that bufferization
      // copied for every iteration (depthwise convolutions ran 1.3x-1.6x
      // slower).
      (void)moveLoopInvariantCode(
          loop.getLoopRegions(),
          [&](Value value, Region *) {
            return loop.isDefinedOutsideOfLoop(value);
          },
          [](Operation *op, Region *) {
            return isMemoryEffectFree(op) && !isa<tensor::EmptyOp>(op) &&
                   isSpeculatable(op);
          },
          [&](Operation *op, Region *) { loop.moveOutOfLoop(op); });
      (void)hoistLoopInvariantSubsets(rewriter, loop);
    });
    // Register tiles of the first reduction pass start from the fill's
    // value, not from a read of the zero-filled block (once the hoisting's
    // pass-through iter_args are gone, and the writes of a register tile
    // that the next write to the same place overwrites: a chain's terms).
    // (And the rows of a register tile's fused epilogue read the
    // accumulators, which start from the fill's value:
    // fuseIntoRegisterTiles.)
    {
      RewritePatternSet patterns(context);
      scf::ForOp::getCanonicalizationPatterns(patterns, context);
      vector::TransferWriteOp::getCanonicalizationPatterns(patterns, context);
      patterns.add<ForwardTileRow, ReadOfFill>(context);
      (void)applyPatternsGreedily(func, std::move(patterns));
    }
    startTilesFromFill(rewriter, func);
    if (unrollReduction > 1)
      unrollReductionLoops(func, unrollReduction);
  }
};

} // namespace
