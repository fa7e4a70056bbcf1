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
#include "mlir/IR/PatternMatch.h"

namespace accml {

/// Rewrites a static f32 `linalg.matmul` on tensors, C[M][N] += A[M][K] *
/// B[K][N], into a copy of B into panels, Bp[N/nr][K][nr] (N padded with
/// zeros to a multiple of `panelWidth`), and a contraction on the panels,
/// C[m][n0][n1] += A[m][k] * Bp[n0][k][n1], on C viewed as M x N/nr x nr.
/// The inner kernel then reads B contiguously. Returns the contraction.
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
/// packed matmul: the weight is A (F x C*KH*KW), and the panels of B are
/// copied from the input (im2col) as windows of the flattened image, so
/// every copy is contiguous. Output positions run over whole input rows
/// (OH x W, the columns past OW computed and dropped), which makes the
/// window of a kernel tap a shifted slice of the image. Strided 1x1
/// kernels subsample the input first; other strided kernels become
/// stride-1 convolutions on the input's phases (space-to-depth), the weight
/// rearranged (at compile time when constant). Returns the generic that
/// copies the valid columns out (adding the accumulator).
mlir::FailureOr<mlir::linalg::GenericOp>
packConvolution(mlir::RewriterBase &rewriter, mlir::linalg::Conv2DNchwFchwOp op,
                int64_t panelWidth);

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
/// (space-to-depth) so that every window has unit stride. Returns the
/// generic.
mlir::FailureOr<mlir::linalg::GenericOp>
rewriteDepthwiseConvolution(mlir::RewriterBase &rewriter,
                            mlir::linalg::DepthwiseConv2DNchwChwOp op);

/// Rewrites a static f32 `linalg.pooling_nchw_max` or
/// `linalg.pooling_nchw_sum` on tensors into one elementwise generic over
/// the output: the maximum or sum over the kernel taps of unit-stride
/// windows of the input (of its phases when strided), starting from the
/// accumulator unless it is -inf (max) or zero (sum). Returns the generic.
mlir::FailureOr<mlir::linalg::GenericOp>
rewritePooling(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op);

/// A cache tile of at most `tile` along a dimension of `size`, balanced:
/// the dimension is split into as few tiles as `tile` allows, of equal
/// sizes rounded up to a multiple of `multiple` (a tile that does not
/// divide the problem would otherwise leave a small, slow last tile).
int64_t balanceTile(int64_t size, int64_t tile, int64_t multiple);

/// Whether `op` is the contraction that packMatmul creates (loops m, n0,
/// n1, k; maps A(m, k), Bp(n0, k, n1), C(m, n0, n1); f32 multiply-add).
bool isPackedMatmul(mlir::linalg::GenericOp op);

} // namespace accml

#endif // ACCML_DIALECT_ACCML_TRANSFORMS_TRANSFORMS_H
