//===- Transforms.h - accml transformation entry points ---------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// The rewrites behind AccML's passes, callable on one op from C++.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_DIALECT_ACCML_TRANSFORMS_TRANSFORMS_H
#define ACCML_DIALECT_ACCML_TRANSFORMS_TRANSFORMS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

namespace accml {

/// f32 lanes of an AVX-512 register: the vector width that AccML's CPU
/// passes shape their register tiles, rows and transposes by.
constexpr int64_t kVectorLanes = 16;

/// The map through which a 4-D op over (n, c, y, x) reads or writes a
/// channels-last (N x H x W x C) tensor: (n, c, y, x) -> (n, y, x, c).
mlir::AffineMap channelsLastMap(mlir::MLIRContext *context);

/// Rewrites a static f32 `linalg.matmul` on tensors, C[M][N] += A[M][K] *
/// B[K][N], into a copy of B into panels, Bp[N/nr][K][nr] (N padded with
/// zeros to a multiple of `panelWidth`), and a contraction on the panels,
/// C[m][n0][n1] += A[m][k] * Bp[n0][k][n1], on C viewed as M x N/nr x nr.
/// The inner kernel then reads B contiguously. A run-time B with columns
/// past its last whole panel becomes two matmuls on column slices of B and
/// C: the whole panels (packed as above) and the rest, packed into one
/// panel of its width rounded up to 8 or a power of two (left a plain
/// matmul if that fails). Returns the (first) contraction.
mlir::FailureOr<mlir::linalg::GenericOp>
packMatmul(mlir::RewriterBase &rewriter, mlir::linalg::MatmulOp op,
           int64_t panelWidth);

/// Creates the contraction on panels, C[m][n0][n1] += A[m][k] *
/// Bp[n0][k][n1] (loops m, n0, n1, k), of A (M x K), `packed`
/// (N/nr x K x nr) and `cPanels` (M x N/nr x nr).
mlir::linalg::GenericOp buildPackedMatmul(mlir::OpBuilder &b,
                                          mlir::Location loc, mlir::Value a,
                                          mlir::Value packed,
                                          mlir::Value cPanels);

/// Rewrites a static f32 `linalg.conv_2d_nchw_fchw` on tensors into a
/// direct convolution (buildDirectConvolution) on the input image itself,
/// flattened per channel, which makes the window of a kernel tap a shifted
/// slice of the flattened image, read in place (no im2col copy). Output
/// positions run in panels of `panelWidth` over whole input rows (OH x W,
/// the columns past OW computed and dropped) or, with `outputRows` and
/// when that costs fewer vector lanes, in the output rows themselves (OH
/// rows of OW positions, W apart: NCHW without a copy-out; a 1x1 kernel's
/// contiguous positions in rows of a multiple of 16). The weight is rearranged
/// into blocks of `filterBlock` filters, tap-major with the filters innermost
/// (at compile time when constant). Strided 1x1 kernels subsample the input
/// first; other strided kernels become one stride-1 direct convolution per
/// phase of the input (space-to-depth), each with that phase's taps, chained
/// through their destinations. Small images (OW <= 14, F a multiple of 16,
/// strided or with more than 10% of the panels past the output) are
/// computed position-major instead (buildPositionMajorConvolution, any
/// stride, no phases). Returns the generic that copies the valid columns
/// out (adding the accumulator).
mlir::FailureOr<mlir::linalg::GenericOp>
packConvolution(mlir::RewriterBase &rewriter, mlir::linalg::Conv2DNchwFchwOp op,
                int64_t panelWidth, int64_t filterBlock,
                bool outputRows = true);

/// Rewrites a static f32 `linalg.batch_matmul` on tensors into an
/// scf.forall over its batch (the threads' work) of `linalg.matmul`s on the
/// batch's two-dimensional slices, inserted back into the accumulator (each
/// then packed and tiled like any matmul; as a batch_matmul it ran as
/// scalar loops, 36x slower than the 2-D matmul of the same work).
mlir::FailureOr<mlir::scf::ForallOp>
splitBatchMatmul(mlir::RewriterBase &rewriter, mlir::linalg::BatchMatmulOp op);

/// Groups of a grouped convolution that splitGroupedConvolution splits
/// (more would unroll too much code; depthwise ones have their own rewrite).
constexpr int64_t kMaxSplitGroups = 64;

/// Rewrites a static f32 `linalg.conv_2d_ngchw_gfchw` on tensors with at
/// most kMaxSplitGroups groups into one `linalg.conv_2d_nchw_fchw` per group
/// on slices of the input, weight and accumulator, inserted back into the
/// accumulator (each then packed by packConvolution).
mlir::LogicalResult
splitGroupedConvolution(mlir::RewriterBase &rewriter,
                        mlir::linalg::Conv2DNgchwGfchwOp op);

/// Rewrites a static f32 `linalg.depthwise_conv_2d_nchw_chw` on tensors
/// into one elementwise generic over the output: the sum over the kernel
/// taps of a unit-stride window of the input (an OH x OW slice) times the
/// tap's weight of the channel, plus the accumulator unless it is zero.
/// Strided kernels (not dilated) read the phases of the input
/// (space-to-depth) so that every window has unit stride. With C a
/// multiple of 16 and OW at most `channelsLastWidth`, the windows are
/// instead (strided) windows of a channels-last (N x H x W x C) copy of the
/// input, read through (n, c, y, x) -> (n, y, x, c), and the weights are
/// rearranged KH x KW x C. Returns the generic.
mlir::FailureOr<mlir::linalg::GenericOp>
rewriteDepthwiseConvolution(mlir::RewriterBase &rewriter,
                            mlir::linalg::DepthwiseConv2DNchwChwOp op,
                            int64_t channelsLastWidth = 0);

/// Whether `value` is a statically shaped f32 tensor.
inline bool isStaticF32(mlir::Value value) {
  auto type = llvm::dyn_cast<mlir::RankedTensorType>(value.getType());
  return type && type.hasStaticShape() && type.getElementType().isF32();
}

/// Rewrites a static f32 NCHW stride-1 depthwise convolution `op` whose
/// output is as wide as its input (OW = W, the image zero-padded by
/// tensor.pad or not at all) with at most `maxPositions` output positions
/// per channel into its flat form: output position q = y * W + x of a
/// channel reads tap (r, s) at q + (r * dh - top) * W + (s * dw - left) of
/// the channel's flattened image, so each vector of 16 consecutive outputs
/// takes one read per tap, masked to the lanes whose tap is inside the
/// image (the mask a constant of the tap and the vector: the image's
/// border, and the row ends where the flat read wraps), times the tap's
/// weight, broadcast: no padded copy, no transposes, every lane but the
/// last vector's tail an output. A per-channel bias (or fill) accumulator
/// starts the vectors, an elementwise consumer is applied before the
/// write, channel blocks run across an scf.forall, the vectors of a channel
/// unrolled. Not next to a layout transpose (the channels-last window form
/// is better there). Returns the result (N x C x OH x OW).
mlir::FailureOr<mlir::Value>
rewriteFlatDepthwise(mlir::RewriterBase &rewriter,
                     mlir::linalg::DepthwiseConv2DNchwChwOp op,
                     int64_t maxPositions);

/// The narrowest output rows that rewriteStridedWindow takes (narrower
/// ones would fill less than half of each vector).
constexpr int64_t kStridedWindowMinWidth = 8;

/// The most taps that rewriteStridedWindow takes: a depthwise kernel's
/// weights are held in registers with a row's pair vectors and
/// accumulators (a 5x5 kernel, 25 weights, ran 1.3x slower than the phases
/// on 28 x 28 x 240).
constexpr int64_t kStridedWindowMaxTaps = 9;

/// Rewrites a static f32 NCHW depthwise convolution, max pooling or sum
/// pooling `op` with stride 2 (any dilation, padding with the
/// combination's identity or none), output rows of at least
/// kStridedWindowMinWidth and at most kStridedWindowMaxTaps taps into its
/// row form: per output row, each image row that its taps read is read
/// once, 32 columns at a time (masked past W), and split into its even and
/// odd columns by two shuffles; tap column 2 x + o of output x is then lane
/// x + floor(o / 2) of the even or odd columns, a shuffle of two
/// neighbouring vectors when that is not lane x (columns left of the image
/// or past it are the identity: the padding). No phases copy, no padded
/// copy. The rows whose taps all read image rows run in an scf.for, the
/// padding's rows are built apart with the taps inside the image; bias,
/// consumer and channel blocks as in rewriteFlatDepthwise. Returns the
/// result (N x C x OH x OW).
mlir::FailureOr<mlir::Value> rewriteStridedWindow(mlir::RewriterBase &rewriter,
                                                  mlir::linalg::LinalgOp op);

/// Rewrites a static f32 `linalg.pooling_nchw_max` or
/// `linalg.pooling_nchw_sum` on tensors into one elementwise generic over
/// the output: the maximum or sum over the kernel taps of unit-stride
/// windows of the input (of its phases when strided), starting from the
/// accumulator unless it is -inf (max) or zero (sum); channels last as
/// rewriteDepthwiseConvolution says. Returns the generic.
mlir::FailureOr<mlir::linalg::GenericOp>
rewritePooling(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op,
               int64_t channelsLastWidth = 0);

/// A cache tile of at most `tile` along a dimension of `size`, balanced:
/// the dimension is split into as few tiles as `tile` allows, of equal
/// sizes rounded up to a multiple of `multiple` (a tile that does not
/// divide the problem would otherwise leave a small, slow last tile).
int64_t balanceTile(int64_t size, int64_t tile, int64_t multiple);

/// Creates the direct convolution C[n][fb][fi][p0][p1] +=
/// A[fb][r][s][c][fi] * X[n][c][p0 * rowStride + p1 + r * rowShift + s *
/// columnShift] (loops n, fb, fi, p0, p1, r, s, c) of the blocked weight
/// `taps` (F/mr x KH x KW x C x mr), the flattened `image` (N x C x L) and
/// `cRows` (N x F/mr x mr x R x len): block fb holds filters fb * mr ..
/// fb * mr + mr - 1, row p0 the `len` output positions that start at
/// p0 * rowStride of the flattened image (rowStride >= len), and tap
/// (r, s) reads them shifted. Panels are rows of whole register tiles
/// (rowStride = len = nr) that cover the image's padded rows; output rows
/// (rowStride = the padded width W, len = OW) skip its padding columns.
mlir::linalg::GenericOp
buildDirectConvolution(mlir::OpBuilder &b, mlir::Location loc, mlir::Value taps,
                       mlir::Value image, mlir::Value cRows, int64_t rowStride,
                       int64_t rowShift, int64_t columnShift);

/// Creates the position-major convolution C[n][y][x][fb * nf + fi] +=
/// X[n][c][y * sh + r * dh][x * sw + s * dw] * A[fb][r][s][c][fi] (loops n,
/// y, x, fb, fi, r, s, c) of the padded `image` (N x C x H x W) and the
/// blocked weight `taps` (F/nf x KH x KW x C x nf) into `cTiles` (N x OH x
/// OW x F, channels last), with `strides` (sh, sw) and `dilations` (dh,
/// dw): a register tile of one output row (OW positions) and nf filters
/// broadcasts OW image values, at any stride, and reads nf contiguous
/// weights per tap and channel, for images too small for panels of
/// positions.
mlir::linalg::GenericOp buildPositionMajorConvolution(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value image, mlir::Value taps,
    mlir::Value cTiles, llvm::ArrayRef<int64_t> strides,
    llvm::ArrayRef<int64_t> dilations);

/// The longest output row that a position-major register tile holds (14
/// positions x 2 vectors of filters: 28 accumulators).
constexpr int64_t kMaxPositionMajorRow = 14;

/// The positions of an output row of `outW` that a position-major register
/// tile holds: the whole row up to kMaxPositionMajorRow, else its longest
/// divisor of at least 7 up to that (0: none).
inline int64_t positionMajorRowTile(int64_t outW) {
  if (outW <= kMaxPositionMajorRow)
    return outW;
  for (int64_t tile = kMaxPositionMajorRow; tile >= 7; --tile)
    if (outW % tile == 0)
      return tile;
  return 0;
}

/// The low and high pads of `pad` when it pads with the constant +0.0, its
/// pads are constants and it may fold (no `nofold`); std::nullopt
/// otherwise. The zero paddings that accml-pack and accml-tile-and-fuse
/// rewrite into fills and copies.
std::optional<std::pair<llvm::SmallVector<int64_t>, llvm::SmallVector<int64_t>>>
getZeroPadAmounts(mlir::tensor::PadOp pad);

/// Whether `op` is a contraction that buildPositionMajorConvolution creates.
bool isPositionMajorConvolution(mlir::linalg::GenericOp op);

/// The coefficient of loop `dim` in `expr`, an affine expression of the 8
/// loops of accml-pack's convolutions (a tap's or position's stride in an
/// image map), when `expr` is linear in it.
std::optional<int64_t> coefficientOf(mlir::AffineExpr expr, unsigned dim);

/// Whether `op` is a contraction that buildDirectConvolution creates.
bool isDirectConvolution(mlir::linalg::GenericOp op);

/// Whether `op` is the contraction that packMatmul creates (loops m, n0,
/// n1, k; maps A(m, k), Bp(n0, k, n1), C(m, n0, n1); f32 multiply-add).
bool isPackedMatmul(mlir::linalg::GenericOp op);

/// The output rows that a tile of the window op `op` computes together: a
/// stride-1 NCHW window op (all its windows of one tensor.pad) gets the
/// largest divisor of OH up to kMaxWindowRows (rows of at most
/// kMaxWindowRowLength positions) or kMaxWideWindowRows (longer rows that
/// are whole registers or end in more than half of one), so that the
/// kernel's rows of taps share the input rows they read (loaded once per
/// tile, not once per tap); others get 1.
int64_t windowRowsPerTile(mlir::linalg::GenericOp op);

/// The most output rows per tile of a window op (windowRowsPerTile): 7
/// accumulators, 9 input rows and their shifted copies fit in registers.
constexpr int64_t kMaxWindowRows = 7;

/// Rows up to this long (one AVX-512 register of f32) get up to
/// kMaxWindowRows rows per tile; longer ones up to kMaxWideWindowRows.
constexpr int64_t kMaxWindowRowLength = kVectorLanes;

/// The most output rows per tile of a window op with rows longer than a
/// register (windowRowsPerTile).
constexpr int64_t kMaxWideWindowRows = 2;

/// Whether `op` is a window op: an all-parallel 4-D (loops n, c, y, x)
/// generic with at least two inputs that are windows (slices keeping the
/// batch and channel dimensions) of a padded copy of an image: a
/// tensor.pad, or the insertions that build the phases of a strided
/// kernel's input, read through the identity; or, channels last, of a
/// padded (or plain) N x H x W x C copy read through (n, c, y, x) ->
/// (n, y, x, c) (what accml-pack makes of depthwise convolutions and
/// poolings).
bool isWindowOp(mlir::linalg::GenericOp op);

/// Tiles the window op `op` by blocks of one image and as many channels as
/// keep the block's part of the padded copies within `blockBytes` (a part
/// of L1; at least one channel, a multiple of 16 channels last) as an
/// scf.forall, and rebuilds that part in each block from the part of the
/// image it copies: the block's windows then read a small copy in L1
/// instead of a whole copy in memory. A window op that writes channels last
/// is fused into the blocks of its copy-out to NCHW (its only user),
/// writing a buffer of the block's own. The blocks run in parallel chunks:
/// one when `parallelBlocks` is 1, otherwise the smallest divisor of the
/// block count from 2 * `parallelBlocks` up (all the blocks when none is
/// smaller). A chunk of several blocks is an scf.for over them that
/// allocates the block's buffers and writes the padded copies' padding
/// once, before its first block. Returns the parallel loop. On failure the
/// op may be left tiled without its copies rebuilt in the blocks (still
/// correct, not faster).
mlir::FailureOr<mlir::scf::ForallOp> tileWindowOp(mlir::RewriterBase &rewriter,
                                                  mlir::linalg::GenericOp op,
                                                  int64_t blockBytes,
                                                  int64_t parallelBlocks = 1);

} // namespace accml

#endif // ACCML_DIALECT_ACCML_TRANSFORMS_TRANSFORMS_H
