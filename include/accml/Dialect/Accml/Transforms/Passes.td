//===- Passes.td - accml dialect transformation passes -----*- tablegen -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_DIALECT_ACCML_TRANSFORMS_PASSES_TD
#define ACCML_DIALECT_ACCML_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AccmlInferShapesPass : Pass<"accml-infer-shapes", "::mlir::func::FuncOp"> {
  let summary = "Refine dynamic result dimensions from the inferred types";
  let description = [{
    Walks the accml ops of a function in order and replaces each result type
    by the one inferred from the (possibly just refined) operand types when
    the inferred type is more static, so that static shapes flow through a
    graph whose intermediate types were written or imported with `?`.
    Where a refined value reaches an op outside the accml dialect (such as
    `func.return`), a `tensor.cast` back to the old type is inserted, so the
    function's signature never changes.

    Example:

    ```mlir
    %0 = accml.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<?x?xf32>
    %1 = accml.relu %0 : tensor<?x?xf32>
    ```

    becomes

    ```mlir
    %0 = accml.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
    %1 = accml.relu %0 : tensor<2x3xf32>
    ```
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def AccmlExpandStridedCopiesPass
    : Pass<"accml-expand-strided-copies", "::mlir::func::FuncOp"> {
  let summary = "Turn memref.copy between strided buffers into row copies "
                "or linalg.copy";
  let description = [{
    The LLVM lowering of `memref.copy` calls the `memrefCopy` function of
    MLIR's runner-utils library unless both buffers are contiguous. This pass
    rewrites such copies (typically of the subviews that bufferizing
    `tensor.pad` and `tensor.insert_slice` produces) so that compiled code
    needs no runtime library: static copies (f32, f64, integers) whose rows
    (8 to 1024 elements) are contiguous on both sides become loops over the
    outer dimensions
    with one vector transfer per row (instead of a `memcpy` call per row);
    other copies become `linalg.copy`, which becomes plain loops. Copies
    between contiguous buffers are left alone: they become `memcpy`.

    Example:

    ```mlir
    memref.copy %src, %dst : memref<4x4xf32, strided<[8, 1]>> to memref<4x4xf32>
    ```

    becomes

    ```mlir
    linalg.copy ins(%src : memref<4x4xf32, strided<[8, 1]>>) outs(%dst : memref<4x4xf32>)
    ```

    and a copy of `memref<3x16xf32, strided<[20, 1]>>` becomes an `scf.for`
    over 3 rows, each a `vector.transfer_read` and `vector.transfer_write`
    of `vector<16xf32>`.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect", "::mlir::ub::UBDialect",
                           "::mlir::vector::VectorDialect"];
}

def AccmlFuseElementwisePass
    : Pass<"accml-fuse-elementwise", "::mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops; keep reshapes out of "
                "contractions, convolutions and reductions";
  let description = [{
    Upstream's elementwise fusion on tensors (`linalg-fuse-elementwise-ops`:
    producer-consumer fusion of elementwise generics, reshapes propagated by
    expanding the generics they meet, constant folding, and the linalg and
    reshape canonicalizations), except that a `tensor.collapse_shape` or
    `tensor.expand_shape` is never folded into an op with a reduction loop:
    a contraction or a convolution (`linalg.matmul`, `linalg.batch_matmul`,
    convolutions, and generics of that form) or a reduction (the lowering
    collapses a reduction's trailing dimensions into one, which upstream's
    pass expanded back: a global average pooling over 56 x 56 positions
    then ran as scalar loops, 5x slower). Upstream's pass expanded the 2-D `linalg.matmul`
    that a batch-1 3-D `accml.matmul` lowers to (collapse, matmul, expand)
    into a 3-D generic contraction, which `accml-pack` does not recognise
    and which ran element by element: a 1 x 128 x 768 by 768 x 768 matmul
    took 83x as long as the 2-D one. Elementwise chains still take the
    reshapes, so they fuse across them.

    Example:

    ```mlir
    %c = tensor.collapse_shape %x [[0, 1], [2]]
        : tensor<1x128x768xf32> into tensor<128x768xf32>
    %m = linalg.matmul ins(%c, %w : tensor<128x768xf32>, tensor<768x768xf32>)
                       outs(%acc : tensor<128x768xf32>) -> tensor<128x768xf32>
    %e = tensor.expand_shape %m [[0, 1], [2]] output_shape [1, 128, 768]
        : tensor<128x768xf32> into tensor<1x128x768xf32>
    ```

    stays as it is (upstream's pass makes the matmul a 3-D generic).
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect"];
}

def AccmlPackPass : Pass<"accml-pack", "::mlir::func::FuncOp"> {
  let summary = "Copy the right-hand operand of matmuls into panels";
  let description = [{
    Rewrites every `linalg.matmul` on static f32 tensors with at least
    `min-rows` rows into a copy of B into panels of `panel-width` columns
    (`Bp[N/nr][K][nr]`, each panel stored k-major; N is padded with zeros
    to a multiple of nr) and a contraction on the panels,
    `C[m][n0][n1] += A[m][k] * Bp[n0][k][n1]`, on C viewed as
    `M x N/nr x nr` through `tensor.expand_shape` (padded too when nr does
    not divide N, the padding sliced off afterwards). The register tiles of
    `accml-tile-and-fuse` then read each k step of B as one contiguous row
    of nr floats. A constant B (a dense literal or an f32 dense resource,
    as imported weights are) is packed at compile time into a new constant
    of the same kind, so no copy runs. A run-time B whose N is neither a
    multiple of nr nor below it is split into two matmuls that write their
    columns of C in place: the whole panels, and the last N mod nr columns
    in one panel of their own width (rounded up to 8 or a power of two),
    so that neither B nor C is copied whole into a padded buffer. A static
    f32 `linalg.batch_matmul` first becomes an `scf.forall` over its batch
    (the threads' work) of `linalg.matmul`s on each batch's slices, packed
    as above (as a batch_matmul it ran as scalar loops: 4 x 128 x 64 by
    4 x 64 x 128 took 2.9 ms, now 0.1 ms, attention's products in a
    transformer).

    Example (panel-width=32):

    ```mlir
    %0 = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x96xf32>)
                       outs(%c : tensor<64x96xf32>) -> tensor<64x96xf32>
    ```

    becomes a `linalg.generic` copying `tensor<128x3x32xf32>` (B expanded)
    into `tensor<3x128x32xf32>`, and a `linalg.generic` with loops
    `(m, n0, n1, k)` reading `tensor<64x128xf32>` and `tensor<3x128x32xf32>`
    into `tensor<64x3x32xf32>`, collapsed back to `tensor<64x96xf32>`.

    Convolutions (`linalg.conv_2d_nchw_fchw` on static f32 tensors, unless
    `convolutions=false`) become direct convolutions that read the input
    in place (no im2col copy). An output position (y, x) is column
    `y * W + x` of the input image flattened per channel (W its padded
    width; the columns with x >= OW are computed and dropped), so the
    window of kernel tap (r, s) is the flattened image shifted by
    `r * dh * W + s * dw`, and nr consecutive positions of one channel are
    nr contiguous floats. The result is a `linalg.generic` with loops
    `(n, fb, fi, p0, p1, r, s, c)`:
    `C[n][fb][fi][p0][p1] += A[fb][r][s][c][fi] *
    X[n][c][p0 * S + p1 + r * dh * W + s * dw]`, with the weight in
    blocks of `filter-block` (mr) filters, tap-major, filters innermost
    (`F/mr x KH x KW x C x mr`, zero filters padding F; rearranged at
    compile time when constant) and the result `N x F/mr x mr x R x L`:
    R rows of L positions, S apart. The rows are either panels (S = L =
    nr, over the OH x W positions; the image padded with rows so that the
    last panel's shifted reads stay inside) or, with `output-rows` (the
    default), the output rows themselves when they cost fewer vector lanes
    (OH rows of OW positions, S = W: the result is NCHW already, nothing
    to copy out; a 1x1 kernel's contiguous positions in rows of the
    largest multiple of 16 up to 256 that divides them, or one row): a row
    costs its positions rounded up to 16 lanes, panels their positions
    plus 25 lanes per copied-out element divided by the multiply-adds per
    position (C x KH x KW). A row's last register tile must be whole
    vectors or a power of two below 16 (LLVM spills tiles of 24 or 28
    lanes). ResNet-18's 7x7/2 stem (rows of 112) and 1x1 kernels on 28 x 28
    images (7 rows of 112, not 25 panels of which the last is half empty)
    run by rows; 3x3 kernels on 56 x 56 images (rows of 56 would waste
    12.5% of their lanes) in panels. When the channel stride of the
    flattened image would put many channel rows into a few L1 sets
    (strides near a multiple of 4 KiB), it is padded by 16 floats per
    channel. `accml-tile-and-fuse` turns the register tiles (mr filters x
    nr positions) into FMA micro-kernels. The valid filters and positions
    are copied out to NCHW, adding the convolution's accumulator (its
    bias) unless it is zero (for rows, and panels that are exactly the
    output, a copy that `accml-tile-and-fuse` fuses into the blocks as
    their epilogue). A strided 1x1
    kernel subsamples the input first; other strided kernels (not dilated)
    become one stride-1 direct convolution per phase of the input
    (space-to-depth), each with only that phase's taps
    (`ceil((KH - p) / sh) x ceil((KW - q) / sw)`), each the destination of
    the next. The phases of a zero-padded input are one strided copy of
    the unpadded input per phase and zeros in the strips of each phase that
    no input element reaches (no padded copy first, no element written
    twice).

    Small images are computed position-major instead (F a multiple of 16,
    OW <= 14, and either strided or with panels that would waste over 10%
    on columns past OW and panel rounding: ResNet-18's 7 x 7 layers
    computed 64 positions for 49), and so are wider outputs under the same
    conditions when a divisor of OW from 7 to 14 splits their rows into
    register tiles and the reduction is deep (C x KH x KW >= 256:
    ResNet-18's 3x3/2 on 64 channels, 56 -> 28, and its 3x3 on 128 x 28 x
    28, 1.1x-1.2x faster; its 7x7/2 stem and 1x1/2 downsampling,
    shallower, ran slower so): loops `(n, y, x, fb, fi, r, s, c)`,
    `C[n][y][x][fb * nf + fi] += X[n][c][y * sh + r * dh][x * sw + s * dw] *
    A[fb][r][s][c][fi]`, the image read in place (no flattening, no extra
    rows, and for strided kernels no phases and no subsampled copy: the
    positions are broadcast one at a time, at any stride), the weight
    blocked by filter tiles nf of 16 times the largest power of two (at
    most 4) of vectors that fit in the 32 registers with a row's
    accumulators and a broadcast (32 for rows of 7 to 14), zero filters
    padding F, the result `N x OH x OW x F` (channels last) copied out to
    NCHW by a transposing generic. A
    register tile is one output row (OW positions, broadcast) x one filter
    tile (vectors).

    Grouped convolutions (`linalg.conv_2d_ngchw_gfchw`, up to 64 groups)
    become one such convolution per group, on slices, inserted back into
    the accumulator.

    With `flat-depthwise` = P > 0 (accml-cpu-pipeline: 256), a stride-1
    depthwise convolution on static f32 NCHW tensors whose output is as
    wide as its input (zero padding by `tensor.pad`, or none) with at most
    P output positions per channel, not next to a layout transpose, is
    computed on each channel's flattened image: output q = y * W + x reads
    tap (r, s) at q + (r * dh - top) * W + (s * dw - left), so a vector of
    16 outputs takes one `vector.transfer_read` per tap of the flattened
    image, masked by a constant to the lanes whose tap lies inside the
    image (the border, and the row ends where the flat read wraps), times
    the tap's broadcast weight (`vector.fma`, taps outer and vectors inner,
    a vector's taps over up to 3 accumulators when there are fewer than 8
    vectors: the FMA latency). Channels run in blocks of up to 16 across an
    `scf.forall`; a bias broadcast (or fill) is each vector's start, and an
    elementwise consumer reading the result (activation, clamp, residual
    through the identity, per-channel values) is applied to the vectors
    before they are written. No padded copy, no transposes, no separate
    pass for the activation: MobileNetV2's 3x3 layer on 7 x 7 x 960 with
    its clamp 36-45 -> 23-29 us, on 14 x 14 x 576 40-51 -> 34-38 us (28 x
    28 and 56 x 56 images ran 1.5x-3.5x slower in this form).

    With `strided-windows` (on in accml-cpu-pipeline), a stride-2 depthwise
    convolution, max pooling or sum pooling on static f32 NCHW tensors (any
    dilation, padded with the combination's identity, zero or -inf, or not
    at all) with output rows of at least 8 and at most 9 taps, not next to
    a layout transpose, is computed by output rows: each image row that a
    row's taps read is read once, 32 columns at a time (two
    `vector.transfer_read`s, masked past W), and split into its even and
    odd columns by two `vector.shuffle`s; tap column 2x + o of output x is
    lane x + floor(o/2) of the even (o even) or odd columns, a shuffle of
    two neighbouring vectors when that is not lane x (columns left of the
    image or past it are the identity: the padding). The taps combine by
    `vector.fma` with the broadcast weight, `arith.maximumf` or
    `arith.addf`. The rows whose taps all read image rows run in an
    `scf.for`, two at a time on rows of up to two vectors (they share an
    image row), the padding's rows apart with only the taps inside the
    image; rows wider than 4 vectors in segments of 4. Bias or fill start,
    consumer and channel blocks as in the flat form. No phases copy (65% of
    MobileNetV2's 3x3/2 layer on 28 x 28 x 192 went into it) and no padded
    copy: 112 x 112 x 96 0.53 -> 1.11-1.23 of oneDNN's blocked kernel,
    28 x 28 x 192 0.39 -> 0.66-0.69 (rows of 14 in 16 lanes, 5 shuffles per
    3 multiply-adds); ResNet's 3x3/2 max pooling on 112 x 112 x 64 0.74 ->
    0.09 ms. A 5x5 kernel (25 taps) ran 1.3x slower than the phases.

    Depthwise convolutions (`linalg.depthwise_conv_2d_nchw_chw`) and
    poolings (`linalg.pooling_nchw_max`, `linalg.pooling_nchw_sum`) on
    static f32 tensors become one elementwise `linalg.generic` over the
    output: per kernel tap, a unit-stride `OH x OW` window of the input (of
    its phases when strided), combined by `math.fma` with the tap's
    per-channel weight, `arith.maximumf` or `arith.addf`, starting from the
    accumulator unless it is the identity (zero, or -inf for the maximum).
    Phases of 9 to 15 columns are padded to 16, one register, so that the
    taps read whole registers from an aligned column.
    With a multiple of 16 channels on images at most `channels-last-width`
    wide (7 by default: MobileNetV2's 7 x 7 layers; 0 turns it off), the
    window op works channels last instead: the image is copied to
    N x H x W x C and padded there, every tap is a window of that copy
    (strided for strided kernels: no phases) read through `(n, c, y, x) ->
    (n, y, x, c)`, depthwise weights are rearranged KH x KW x C (at compile
    time when constant), the window op writes N x OH x OW x C, and a
    copy-out to NCHW adds the accumulator (the bias). Vectorised across
    channels, a 7 x 7 image no longer runs as rows of 7 lanes (a 3x3
    depthwise layer on 960 channels ran 1.4x-1.6x faster, a 5x5 2.5x); the
    copies to and from NCHW cost 16 x 16 register transposes, which made
    images of 8 columns or more slower than the NCHW form (1.1x-1.9x from 8
    to 112 columns).
    Layouts propagate across the window op's boundary: an image that
    arrives channels last (a `linalg.transpose` of an N x H x W x C tensor,
    permutation `[0, 3, 1, 2]`, as an NHWC model's import makes) or a
    result that leaves channels last (its only use a transpose with
    permutation `[0, 2, 3, 1]`) takes the channels-last form at any width
    (unless `channels-last-width` is 0): the taps read that tensor itself,
    and a result that leaves channels last is accumulated (from the bias)
    and written N x H x W x C by the window op, replacing its transpose.
    A padded image that arrives channels last, wider than
    `channels-last-width`, is not copied into a padded image at all: the
    window op is split into regions of the output, the interior (the
    positions whose windows lie inside the image) reading the image in
    place and the columns beside it and the rows above and below reading
    padded copies of the strips they need, each region writing its part of
    the result (an accumulator other than a bias broadcast keeps the padded
    copy). MobileNetV2's depthwise layers given channels-last input and
    result ran 1.3x-2.7x faster by regions than with the padded copy.
    No copy between the layouts is left (a 3x3 depthwise layer on 7 x 7 x
    960 went from 0.46 to 0.84 of oneDNN's speed, in one process). The
    transposes between NCHW and channels last (multiple of 16 channels)
    that remain become copies over `(n, c, y, x)` that read or write the
    channels-last side through `(n, y, x, c)`, which accml-tile-and-fuse
    turns into 16 x 16 register transposes; so do transposes of the last
    two dimensions (matrices, batches of them) whose rows are a multiple of
    16, viewed as images of one row (a 768 x 768 transpose went from 1.04
    to 0.31 ms).
    A padded input of a unit-stride window op is padded again so that its
    rows start on a 64-byte line and are whole lines (the padding before a
    row grows to 16 columns, the windows shift with it): the copy into the
    padding stores aligned vectors. A padded row of at most one line (a
    14 x 14 or 7 x 7 image's) is only padded to the whole line: 16 floats,
    not 32, to fill and copy into.
    The generics that replace convolutions and poolings absorb the
    elementwise generics producing their inputs (bias broadcasts) and the
    one consuming their result (activations).
  }];
  let options = [
    Option<"panelWidth", "panel-width", "int64_t", /*default=*/"32",
           "Columns per panel (the register tile's nr)">,
    Option<"minRows", "min-rows", "int64_t", /*default=*/"16",
           "Pack only matmuls with at least this many rows">,
    Option<"filterBlock", "filter-block", "int64_t", /*default=*/"8",
           "Filters per block of a convolution's weight (the register "
           "tile's mr)">,
    Option<"convolutions", "convolutions", "bool", /*default=*/"true",
           "Rewrite convolutions (as packed matmuls or window sums) and "
           "poolings (as window reductions) too">,
    Option<"outputRows", "output-rows", "bool", /*default=*/"true",
           "Convolutions whose output rows cost fewer vector lanes than "
           "panels over their padded rows (with the copy-out) run by output "
           "rows">,
    Option<"channelsLastWidth", "channels-last-width", "int64_t",
           /*default=*/"7",
           "Depthwise convolutions and poolings with a multiple of 16 "
           "channels on images at most this wide work channels last "
           "(0: never)">,
    Option<"flatDepthwise", "flat-depthwise", "int64_t", /*default=*/"0",
           "NCHW stride-1 depthwise convolutions with at most this many "
           "output positions per channel (and the output as wide as the "
           "input) computed on each channel's flattened image in vectors "
           "with masked reads (0: never)">,
    Option<"stridedWindows", "strided-windows", "bool",
           /*default=*/"false",
           "NCHW stride-2 depthwise convolutions and poolings computed by "
           "output rows, each image row read once and split into its even "
           "and odd columns in registers (no phases copy)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::vector::VectorDialect"];
}

def AccmlTileAndFusePass
    : Pass<"accml-tile-and-fuse", "::mlir::func::FuncOp"> {
  let summary = "Tile matmuls and convolutions for the caches and registers, "
                "elementwise ops into rows";
  let description = [{
    Tiles every `linalg.matmul` with static sizes on tensors twice: cache
    tiles (`mc x nc x kc`) and, inside them, register tiles
    (`mr x nr x 1`). Cache tiles are balanced over each matmul: a dimension
    is split into as few tiles as the size allows, of equal sizes rounded
    up to whole register tiles (80 rows with `mc = 64`: two tiles of 40).
    The `mc x nc` blocks are an `scf.forall` (independent: the pipeline runs
    them on its threads), the rest `scf.for` nests over tensor slices.
    (`accml-cpu-pipeline` passes the tile-size model's sizes,
    docs/CostModel.md; these options' defaults are fixed.) Where the register tiles do not divide the problem, the
    last, partial M and N tiles are peeled, so that the main loops keep
    static register tiles; the remainders stay small linalg ops.

    Packed matmuls (the contractions of `accml-pack`, loops m, n0, n1, k)
    are tiled the same way, `nc` in whole panels; their register tiles
    (`mr` rows of one panel) become 2-D `linalg.matmul`s on rank-reducing
    slices. When the parallel blocks hold all of a matmul's rows (M up to
    `mc`, as in a transformer's projections), `accml-pack`'s copy of a
    run-time B into panels is fused into them (`tileAndFuseProducerOfSlice`,
    into the block and then into its `kc` step): each step packs its
    `kc x nc` piece of B into a buffer of its own, one panel row at a time,
    right before the register tiles read it, instead of a separate pass
    that writes the whole of packed B to memory for the blocks to read
    back. With more than one block of rows every piece would be packed
    once per block; there the copy stays a separate pass (rows of panels
    across the threads), and with `parallel-blocks` above 1 the blocks'
    `scf.forall` goes panels first, so that a thread's contiguous share of
    the blocks reads the panels it packed. A zero fill of the result that
    only the blocks use (a matmul's, a position-major convolution's) moves
    into them: each block fills its own slice, on its own thread, a fill
    that the register tiles then replace (the first reduction step's tiles
    start from zero).

    Epilogues of packed matmuls (an elementwise f32 generic, such as a
    bias, activation or residual, that reads the matmul's result through
    the collapse back to M x N, the result's only use) are rewritten over
    the matmul's M x panels x width layout (their other operands expanded
    alike: upstream's reshape fusion by expansion) and fused into the
    matmul's parallel blocks (`tileAndFuseConsumer`), one `1 x 1 x width`
    row at a time after the block's reduction; the matmul's own result
    then has no use and each block accumulates into a block of its own,
    zero-filled by rows in the block: no tensor of the whole matmul result,
    nor its fill, is materialised. Direct convolutions whose rows are
    exactly the output (output rows, whole filter blocks; or panels that
    fill the positions: 1x1 kernels on images of a multiple of 32 pixels,
    as in MobileNetV2's pointwise layers) get the same treatment: their
    epilogue over N x F x OH x OW is rewritten over the convolution's
    N x filter blocks x filters x rows x positions layout (for contiguous
    rows first collapsed to positions: reshape fusion by collapsing) and
    fused into its parallel blocks; a convolution whose panels are padded
    (the image's padding columns, or a last panel past the output) keeps
    its epilogue as the pass that copies its result out. Where the block's
    register tiles each complete their reduction in one pass (no
    channel-block loop around a tile's reduction loops: 1x1 kernels of up
    to 4 kc channels, the stem's 3 channels), the epilogue goes further,
    into the register tiles: right after a tile's reduction loop (the last
    of a chain of phases accumulating into the same tile) it runs on the
    tile's rows, one `1 x ... x nr` generic per row, into the result that
    the tile loops carry; each tile's (first) reduction starts from the
    block's initial value and the tile loops pass the block through, so
    that, vectorised (accml-vectorize reads each row from the
    accumulators' registers), neither the block nor a pass over it
    remains. (ResNet-18's 1x1/2 downsampling: 0.69-0.70 -> 0.82-0.89 of
    oneDNN; its 7x7/2 stem 0.79-0.84 -> 0.87-0.91; MobileNetV2's pointwise
    144 -> 24: 0.89-0.94 -> 1.14.)

    Direct convolutions (the generics of `accml-pack`, loops n, filter
    block, filter, row, position, r, s, c; a row is a panel of nr
    positions or an output row) are tiled into blocks of `mc / mr` filter
    blocks x rows of `nc` positions (an `scf.forall`), channel blocks of
    `4 kc / (KH * KW)` channels, then register tiles of one filter block
    (mr, the weight's blocking, whatever `register-tiles` says) x nr
    positions of one row (a longer row: tiles of nr and its last, partial
    tile peeled), the row loop outside the filter-block loop so that the
    image rows a tile reads stay in L1 while every filter block passes over
    them; each register tile (one tap and channel: mr filters, nr positions
    read in place from the flattened image) becomes an `mr x 1` times
    `1 x nr` `linalg.matmul`. A chain of direct convolutions accumulating into one
    result (the phases of a strided kernel, each the destination of the
    next) is tiled at its last term, the earlier terms and the zero fill
    fused into each parallel block through the destination: the block's
    result stays in cache across the terms. When every term fits one
    channel block and the image rows that a row of register tiles reads
    from all of them fit in two thirds of L1 (twice `window-block-bytes`),
    the terms are tiled by the same register tiles and their loop nests
    over rows, positions and filter blocks merged: a register tile runs
    every term's taps in turn and its accumulators stay in registers (the
    stem's 3 channels: each term loaded and stored them after 27 to 48
    multiply-adds; 1.04-1.1x faster). The subsampling copy of a strided
    1x1 convolution (the image's even rows and columns, which it reads
    collapsed into positions) is fused into its parallel blocks when they
    are whole image rows of one static size: each block subsamples the rows
    its positions are into a buffer of its own, right before its register
    tiles read them. As a parallel loop of its own the copy was a second
    fork and join of the threads: ResNet-18's 1x1/2 layer (64 -> 128
    channels, 56 -> 28) ran at two threads in 48 us, 37 us fused (oneDNN:
    36 us); one thread is unchanged (its last block is partial there, and
    the copy stays a loop of its own).

    Position-major convolutions (loops n, y, x, filter tile, filter, r, s,
    c) are tiled into blocks of rows x filter tiles (an `scf.forall`, the
    filter tiles split first for the threads: that re-reads only the small
    image), channel blocks of `kc nr / (KH * KW nf)` (the weights of a
    block stay in L1 while the rows pass), then register tiles of
    one output row (rows wider than 14 in parts: 28 as two of 14) x one
    filter tile, the filter-tile loop outside the row loop so that the
    weights, the large operand, stream once; each becomes an `OW x 1` (or
    part) times `1 x nf` `linalg.matmul`. Threaded (`parallel-blocks` >
    1), the zero padding of such a convolution's image, when the padded
    image is 512 KB or more, becomes a fill of the padded image by single
    rows (an `scf.forall` over the rows) and a copy of the image into its
    interior by bands of rows, rows outermost: each thread pads the rows
    its blocks read (a `tensor.pad` is one serial memset and copy; a 3x3/2
    convolution on 64 x 56 x 56 ran about 5% faster at two threads so).
    Their copy-outs to NCHW
    (channels-last input read through `(n, y, x, f)`, with the bias,
    activation and residual fused into them) are tiled into 16 channels x
    up to 16 positions (an `scf.forall`), each tile a 2-D generic that
    reads its input transposed. Copies between NCHW and channels last
    whose rows 16 does not divide (7 x 7 or 14 x 14 images) and whose
    operands hold whole images (not windows) first run on the images
    collapsed to one row of positions (H x W, contiguous in both layouts):
    16 x 16 tiles, and one narrower tile for the positions 16 does not
    divide (a 7 x 7 image: three tiles of 16 and one of 1, instead of seven
    of 7, each costing a whole 16 x 16 register transpose).

    Row-wise chains: an all-parallel f32 generic (rank 2 or more, rows of
    16 to 1024 elements) that reads the result of a reduction, such as the
    last step of softmax or layer_norm, is tiled one row at a time (an
    `scf.forall`: rows are independent, the threads' work) and the
    reductions and elementwise ops producing its operands are fused into
    the row loop (`tileConsumerAndFuseProducersUsingSCF`), so a row is read
    from memory once and no tensor of row maxima, sums or means is
    materialised. Matmuls and `accml-pack`'s contractions, which this pass
    tiles themselves, are not such reductions (a linear layer's bias stays
    an elementwise op) and are not fused into row loops (nor what
    produces their operands); batched matmuls are. Roots are taken in order, except a root whose result
    another root normalises by its own statistics (softmax's exponentials,
    divided by their sum), which waits to be fused into that root's loop.
    Fusion clones a producer
    for each slice it feeds; clones that would write into a slice of the
    loop output's initial (empty) tensor write into the loop's output row
    instead, so that CSE merges them and the row is computed once, in
    place. Inside the row loop, rows longer than 64 elements (and a
    multiple of 64) are processed in chunks of 64: parallel ops as
    `scf.for` loops over chunks, reductions with a 64-wide partial
    accumulator merged after the loop (`tileReductionUsingScf`), so that
    no op holds a whole row in registers. Reductions over the innermost
    dimension (16 to 1024 elements; not contractions) that no such chain
    absorbed, such as a standalone `reduce_sum`, are tiled by rows the same
    way, and so are longer rows that 64 divides (a global pooling's 3136
    positions: 64-wide partial accumulators; 0.64 -> 0.13 ms on
    256 x 56 x 56).

    Window ops (`accml-pack`'s depthwise convolutions and poolings: 4-D
    all-parallel generics whose taps are windows of a zero or -inf padding
    of the input, or of the phases of a strided kernel's input) are tiled
    first into blocks of one image and as many channels as keep the
    block's part of the padded copy within `window-block-bytes` (an
    `scf.forall`); each
    block rebuilds its part (the padding of its channels, or their zero
    strips and strided copies) and its taps read that copy, in L1, instead
    of a padded copy of the whole input that went through memory twice
    more. Inside the block, the window op and the copies are elementwise
    ops, tiled into rows as below, down to rows of 4 (a 7 x 7 or 14 x 14
    image's rows; other elementwise ops need 16): as scalar loops,
    MobileNetV2's depthwise layers on such images ran at a tenth of
    oneDNN's speed. A stride-1 NCHW window op (every window of one
    `tensor.pad`) is tiled by several output rows at a time, the largest
    divisor of OH up to 7 for rows of at most 16 positions, up to 2 for
    longer rows (whole registers, or ending in more than half of one; a
    tile's rows then go 16 columns at a time), so that the kernel's rows of
    taps read the same input rows within a tile (`accml-vectorize` loads
    each once). Channels-last window ops (taps read through `(n, y, x,
    c)` from an N x H x W x C copy, `accml-pack`'s `channels-last-width`)
    use channel blocks of a multiple of 16 and are fused into the blocks of
    their copy-out to NCHW (`tileConsumerAndFuseProducersUsingSCF`), so
    that each block copies its channels to channels last, pads them,
    computes its windows into a buffer of its own and copies that to NCHW,
    all in L1; the window op's tiles are one output row of positions x 16
    channels (a `w x 16` generic, no transposes), the copies' are
    transposing tiles as above. The blocks run in as few parallel chunks
    as `parallel-blocks` asks for (one when it is 1; otherwise twice as
    many, or the next divisor of the block count), each an `scf.for` over
    its blocks that carries the block's buffers: the padded copy's frame
    (the pad's fill, or the fills of the phases' borders when no fill
    overlaps a copied region) is written once, before the loop, and each
    block only inserts what depends on it; the channels-last copies and
    results are allocated once per loop too (malloc/free and memset were
    10-25% of the small layers' time). A channels-last window op that reads
    its image in place (the interior of `accml-pack`'s regions: taps are
    slices of an unpadded N x H x W x C tensor) has no copy to block; when
    a 16-channel block of its image exceeds `window-block-bytes` it is
    tiled row by row (an `scf.forall` over output rows, each an `scf.for`
    over 16-channel blocks and positions), so the input rows a row's taps
    read are read once, across all channels (MobileNetV2's 3x3/2 layer on
    112 x 112 x 96 channels last: 1.75x faster than by channel blocks);
    smaller images keep the channel blocks, which stay in L1 from row to
    row. Window ops with less work (outputs times taps) than
    `min-parallel-window-work` are not split for the threads (one chunk,
    serial loops): at two threads a parallel region costs 4-11 us, about
    what such an op takes alone (a 3x3 depthwise layer on 7 x 7 x 960,
    423 K multiply-adds, ran 1.5x slower on two threads than on one; the
    border regions of a channels-last image are such ops too).

    Other all-parallel `linalg.generic`s on static f32 tensors (fused elementwise
    chains) of rank 3 or more whose rows 16 does not divide (NCHW images
    with rows of 7, 14, 28, 56), whose accesses are plain (projected
    permutations) with the last two dimensions contiguous in every operand
    and whose operands are not slices, first run on whole images: the last
    two loops collapse into one (`tensor.collapse_shape` of the operands,
    `tensor.expand_shape` of the result), rows of 49 to 3136 (a 7 x 7
    residual add + relu ran 3x faster: its rows of 7 were not vectorised).
    Then those whose innermost dimension has at least 16 elements are tiled
    into rows, each cut into pieces along it: of 64 elements when 16
    divides the row, of 16 (one AVX-512 register) otherwise, the last
    partial piece peeled (a row of 56 as one 56-lane vector became a
    3.5-register value that LLVM assembled lane by lane), which
    `accml-vectorize` turns into vector operations. With `parallel-blocks`
    above 1, short rows go several to a parallel iteration (the largest
    divisor of their count that keeps an iteration within 1024 elements
    and leaves at least twice `parallel-blocks` iterations), one row at a
    time inside: a 1x1/2 convolution's subsampling copy was 1792
    iterations of 28 elements, no faster on two threads than on one. On an
    N x C x H x W image an iteration takes at most half of the rows and the
    groups of rows are the outer loop (a thread's contiguous share is a
    band of rows of every channel, the positions its convolution blocks
    read next); convolutions whose image is at least as large as their
    weights likewise take their blocks panels first. The
    register
    tile is what `accml-vectorize` turns into a block of FMAs held in
    registers.

    Example (default tile sizes):

    ```mlir
    %0 = linalg.matmul ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>)
                       outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
    ```

    becomes `scf.for` loops around a `linalg.matmul ... tensor<8x32xf32>`
    on 8 x 1 and 1 x 32 slices. The defaults were the best of a small grid
    on a 512^3 and 1024^3 f32 matmul on the project's AVX-512 machines
    (benchmarks/); a cost model replaces them later.
  }];
  let options = [
    ListOption<"cacheTiles", "cache-tiles", "int64_t",
               "Cache tile sizes mc, nc, kc (default 64, 256, 64)">,
    ListOption<"registerTiles", "register-tiles", "int64_t",
               "Register tile sizes mr, nr (default 8, 32)">,
    Option<"parallelBlocks", "parallel-blocks", "int64_t", /*default=*/"1",
           "Split the parallel cache blocks of matmuls and convolutions "
           "(halving the dimension with fewer blocks, down to register "
           "tiles) until the scf.forall has at least this many iterations "
           "(accml-cpu-pipeline passes 4 per thread when threaded)">,
    Option<"windowBlockBytes", "window-block-bytes", "int64_t",
           /*default=*/"16384",
           "Bytes of the padded input that a channel block of a window op "
           "(depthwise convolution, pooling) rebuilds (accml-cpu-pipeline "
           "passes a third of the target's L1)">,
    Option<"minParallelWindowWork", "min-parallel-window-work", "int64_t",
           /*default=*/"524288",
           "Window ops with less work (outputs times taps) run on one "
           "thread whatever parallel-blocks says (a parallel region costs "
           "about what they take alone)">,
    Option<"tileBF16Matmuls", "tile-bf16-matmuls", "bool",
           /*default=*/"true",
           "Tile matmuls of bf16 operands and their elementwise consumers "
           "too (false leaves both to accml-bf16-matmul after "
           "bufferization)">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect"];
}

def AccmlVectorizePass : Pass<"accml-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Vectorise register tiles of matmuls and rows of "
                "elementwise ops";
  let description = [{
    Vectorises every linalg matmul whose shape is static and at most a
    register tile (m <= 16, n <= 128, k = 1, as `accml-tile-and-fuse`
    leaves them) into
    `vector.transfer_read`s and a `vector.contract`, then hoists the
    accumulator's read and write out of the enclosing reduction loop so
    that it stays in registers across it. Static f32 linalg ops over one
    row (every loop but the innermost of one iteration, the innermost of 4
    to 1024: a row's peeled last piece counts), as `accml-tile-and-fuse`
    leaves elementwise rows and row-wise
    chains, become vector operations on the whole row (reductions become
    `vector.multi_reduction`). A row that copies every s-th element of its
    input (strided 1x1 convolutions, the phases of strided kernels) reads
    the span it covers, rounded up to whole registers (masked past the
    input's end), and picks with one `vector.shuffle`. F32 rows may read or write bf16 values that
    they only convert (`arith.extf`, `arith.truncf`). A division by a
    broadcast computed value (softmax's row sum) becomes one reciprocal per
    row and a product (within one ulp of the quotient). A pass over a row
    (an scf.for over its chunks) that reads, in each iteration, exactly the
    chunk the pass before it has just written (softmax's sum of the
    exponentials) joins that pass and takes the written vector instead:
    the sum is taken from registers. Two independent reduction passes over
    the same chunks (loops that carry only accumulators, the second not
    reading the first's results: layer_norm's shifted sum and sum of
    squares) join too, so that the row is read once for both. Single
    elements of a row's statistics inside row loops (a one-element
    generic: layer_norm's median shift, the two-pass mean of f16) become
    vector<1xf32> operations, not a buffer per row. The 16 x w and w x 16 tiles
    of transposing copies become a transposed read or write and row
    vectors. Before the accumulators of
    register tiles are hoisted out of their reduction loops, common
    computations are merged and loop-invariant ones (but not a loop's own
    `tensor.empty` buffers) moved out, so that an accumulator's read and
    write match and are defined outside the loop. Then register tiles that
    accumulate into a zero-filled block (a `linalg.fill`) start from the
    fill's value in the first pass over the reduction, where no earlier
    pass has written them: when the tile loops index distinct tiles (each
    loop's induction variable alone in a dimension the tile does not span,
    or, alone or times a constant, stepping by at least the tile along one
    it spans: the tiles along a row, a position-major tile's filter offset),
    and the nests that a loop passes the block through one after
    the other (a row's tiles and its peeled last tile) write disjoint
    parts of it, the accumulators' reads become splats, the outer
    reduction loop's first iteration peeled for them; and when the tiles
    also cover the block (and the block's other uses overwrite it whole),
    the fill is dropped (after bufferization it was a memset of every
    block: 6% of a strided 1x1 convolution's time). Reads of a fill's
    tensor (through slices) become splats of its value, and a read of one
    row of a register tile from the tensor that the tile's 2-D write just
    made is that row of the written vector (`vector.extract`): the rows of
    an epilogue fused into register tiles (accml-tile-and-fuse) read the
    accumulators from registers, and the tile's write is left dead.

    Example:

    ```mlir
    %0 = linalg.matmul ins(%a, %b : tensor<8x1xf32>, tensor<1x32xf32>)
                       outs(%c : tensor<8x32xf32>) -> tensor<8x32xf32>
    ```

    becomes

    ```mlir
    %0 = vector.contract {...} %va, %vb, %vc
        : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
    ```

    Reads and writes of rows of 5 to 7 or 9 to 15 f32 lanes (the rows of 7
    or 14 of a small image's depthwise convolution or pooling) move whole
    8- or 16-lane registers: the read loads the whole register (masked
    where it could pass the end of its source's row) and keeps its first
    lanes, the write writes the whole register masked to its lanes (the
    lanes past them may be another row's or a padding column); rows of the
    source's innermost dimension, also through a rank-reduced slice (a
    strided kernel's phases). LLVM split
    a 14-lane access into 8-, 4- and 2-lane pieces (5 instructions a read);
    MobileNetV2's 3x3 depthwise layer on 14 x 14 images went from 88 to
    52 us. Tiles of several rows of a window op are unrolled into rows
    first; then the reads of one input row at column shifts (columns that
    are a multiple of the register, through loop induction variables, plus
    constants) on rows of whole registers become aligned reads of the
    registers that hold their lanes and `vector.shuffle`s of one or two of
    them (`valignd`), one read per register however many taps and kernel
    rows read it (the indices compared as linear combinations of values),
    where that makes fewer reads: the unaligned reads crossed two cache
    lines. The 3x3 depthwise layers on 14 x 14 images ran 1.25x-1.3x
    faster, on 28 x 28 and 112 x 112 1.1x. Elementwise ops and transfers
    on rows of a whole number of 16-lane registers that is not a power of
    two (a fused epilogue's rows of 112) are unrolled one register at a
    time: LLVM built such vectors lane by lane (a 1x1/2 convolution spent
    17% of its time in 490 `vinsertps`).

    Finally the reduction loops of register tiles (the loops that carry
    vector accumulators through a `vector.contract`) are unrolled by
    `unroll-reduction` (a remainder loop takes what the factor does not
    divide): the body of an 8 x 32 register tile's loop (AVX-512) is 16
    FMAs, 8 broadcasts and 2 loads, and the loop's own increment, compare
    and branch are a tenth of its instructions. Unrolled 4 times, a 256 x 256 x 256 matmul ran 10%
    faster in the development machine's slow phases and 2-5% faster in its
    fast ones (1024^3: 3-5%). Only loops that carry nothing but vectors
    and sit in no other loop that carries a vector are unrolled: the
    channel loops of convolutions with windows, nested in the window's
    loops (which carry the accumulators), ran 4-6% slower unrolled.
  }];
  let options = [
    Option<"unrollReduction", "unroll-reduction", "int64_t",
           /*default=*/"4",
           "Unroll factor of register tiles' reduction loops (1: none)">,
  ];
  let dependentDialects = ["::mlir::vector::VectorDialect"];
}

def AccmlLowerVectorsPass
    : Pass<"accml-lower-vectors", "::mlir::func::FuncOp"> {
  let summary = "Lower vector contractions to FMAs and transfers to loads";
  let description = [{
    After bufferization: replaces vector `math.exp`, `math.expm1`,
    `math.tanh` and `math.erf` by polynomial approximations (within 1e-5
    relative / 1e-6 absolute of libm for every f32 input; scalar math and
    the logarithms keep calling libm), folds subviews into vector
    transfers, turns reads of one element broadcast across a vector (a
    channel's weight along a row) into a `memref.load` and a splat, and
    reads of an `M x 1` column (a register tile's broadcast operand, strided
    for strided position-major convolutions) into M scalar loads,
    transposing 2-D transfers of 4 to 16 x 4 to 16 f32 (the tiles of copies
    between NCHW and channels last) into one 16-lane load or masked store
    per contiguous row and a 16 x 16 transpose of the tile padded to 16 x
    16, lowered to AVX-512 shuffles (64) with each row passing through an
    empty inline asm on the way in and out: LLVM otherwise rewrote the
    shuffles for the lanes it found poison or unused into longer permute
    sequences (other transposes element by element),
    lowers `vector.contract` to outer products and those to
    `vector.fma`, row reductions to `vector.reduction`, and transfers,
    broadcasts, transposes and shape casts to the operations that
    `convert-vector-to-llvm` maps onto AVX-512.

    Example:

    ```mlir
    %r = vector.contract {...} %a, %b, %c : vector<4x1xf32>, vector<1x64xf32> into vector<4x64xf32>
    ```

    becomes four `vector.fma` of `vector<64xf32>` (each a broadcast row of
    `%a` times `%b` plus a row of `%c`).

    With `prefetch-distance` = d > 0, a reduction loop that carries a
    vector accumulator and reads, in each iteration, a piece of another
    row at the same loop-invariant position (a direct convolution's
    register tile: nr positions of one channel of the image per iteration,
    channels thousands of bytes apart, which no hardware prefetcher
    follows) prefetches the same rows d elements further (the next
    panel), one `memref.prefetch` per cache line of the piece.

    With `prefetch-next-rows`, in a loop over rows (a one-dimensional
    `scf.forall` of static bounds, as accml-tile-and-fuse makes of softmax,
    layer_norm and elementwise chains), the last of the body's `scf.for`
    passes that reads a row of a buffer (indexed by the row's induction
    variable, directly or through a subview) prefetches the same columns of
    the next row, and the first that writes one prefetches the next row
    for writing (rows it writes are not prefetched for reading), one
    `memref.prefetch` per cache line. Softmax's first pass over
    a row waits on memory and the later ones compute on L1; without this no
    load of the next row is in flight while they compute.

    With `prefetch-next-tile`, a register tile's reduction loop (an
    `scf.for` carrying a vector) whose accumulators start from a 2-D
    `vector.transfer_read` of rows of a buffer (columns along its
    contiguous innermost dimension), inside a loop over tiles whose
    induction variable indexes that read as is, is preceded by prefetches
    for writing of the next tile's rows (the induction variable plus the
    step), one `memref.prefetch` per cache line: a whole reduction ahead.
    The accumulators of a 1024^3 matmul's tiles otherwise wait on L2 (7% of
    its time; about 2% faster with the prefetches).

    A loop-carried `maxnumf` (`minnumf`) reduction whose accumulator
    cannot be NaN (its initial value is a number; or NaN, the vectoriser's
    identity, when its result is only reduced further with a number, then
    starting at -inf instead) is `x > acc ? x : acc`: one `vmaxps` per 16
    lanes with `avx512` (the intrinsic: LLVM lowers both maxnumf and the
    select to four instructions), and the row reductions of its NaN-free
    result are `vector.reduction`s with `nnan` (a tree of vmaxps, not a
    chain of scalar NaN tests). Softmax's row maximum, which ignores NaN.

    f32 vector `math.tanh` is AccML's own rational approximation
    x * P(x^2) / Q(x^2) (P of degree 5, Q of degree 3 in x^2, fitted for
    least maximum relative error; x clamped to +-7.913286, where it
    evaluates to exactly 1, so that no result exceeds 1 in magnitude): 8
    FMAs and no small-argument select where upstream's takes 9 and one;
    at most 3.7e-7 relative error; 11% faster on the elementwise chain of
    `make bench`, 18% on data in cache.

    With `avx512` (and `divide-by-reciprocal`, the default), the divisions
    of the tanh and erf approximations (by polynomials with positive
    coefficients: positive and finite) become a multiplication by
    `vrcp14ps`'s reciprocal refined by one Newton step (about 2^-28
    relative), which keeps the divider free: 20% faster tanh on data in
    cache on an Intel core. Where the divider keeps up (AMD Zen 5: a
    512-bit `vdivps` every 2.6 cycles, and every vector instruction shares
    the FMA units' two pipes) the four instructions of the reciprocal cost
    more than the division: accml-cpu-pipeline turns the option off for
    such targets (the elementwise chain of `make bench` 1.08x faster at one
    thread, 1.15x on data in cache).

    With `avx512`, vector f32 `math.exp` of a multiple of 16 elements is
    computed 16 lanes at a time by AccML's own kernel instead: the input
    clamped to [-104, 88.8] (NaN kept), m = x * log2(e) rounded to a
    multiple of 1/32 (as x * log2(e) + 1.5 * 2^18 in one FMA, minus
    1.5 * 2^18), r = x - m * ln 2 in one FMA (|r| <= ln 2 / 64), 2^(m mod
    1) looked up in a 32-entry table held in two registers (`vpermi2ps`
    indexed by the sum's low mantissa bits), exp(r) by a minimax quadratic
    (2 FMAs, 5.3e-8 relative) times that entry, and the result scaled by
    2^floor(m) with one `x86vector.avx512.mask.scalef` (`vscalefps`:
    overflow to infinity, gradual underflow to subnormals and zero): 9
    floating-point instructions and a permute per 16 elements, within
    4.6e-7 relative of exp over all f32 (checked exhaustively: 4.57e-7),
    where the generic approximation takes about 24. The kernel is bound by
    the two FMA pipes; the 16-entry table and cubic it replaced took one
    FMA more (4.08e-7; the kernel is 1.2x faster, softmax 1.07x).
  }];
  let options = [
    Option<"avx512", "avx512", "bool", /*default=*/"false",
           "Use AVX-512 instructions (vscalefps) for vector exp">,
    Option<"divideByReciprocal", "divide-by-reciprocal", "bool",
           /*default=*/"true",
           "With avx512, divide the tanh and erf approximations by a "
           "refined vrcp14ps reciprocal (false: vdivps, for CPUs whose "
           "divider keeps up with the FMA units)">,
    Option<"prefetchDistance", "prefetch-distance", "int64_t",
           /*default=*/"0",
           "Prefetch the rows that a register tile's reduction loop walks "
           "across this many elements ahead (0: no prefetches)">,
    Option<"prefetchNextRows", "prefetch-next-rows", "bool",
           /*default=*/"false",
           "In loops over rows, prefetch the next row in the last pass "
           "that reads a row and the first that writes one">,
    Option<"prefetchNextTile", "prefetch-next-tile", "bool",
           /*default=*/"false",
           "In loops over register tiles, prefetch the next tile's "
           "accumulators for writing before this tile's reduction loop">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::x86vector::X86VectorDialect"];
}

def AccmlAffineTilePass : Pass<"accml-affine-tile", "::mlir::func::FuncOp"> {
  let summary = "Cache and register tiling of affine matmul nests";
  let description = [{
    The affine route's matmul kernel, after bufferization and
    `convert-linalg-to-affine-loops`. A perfect affine nest
    `i, j, k` computing `C[i][j] += A[i][k] * B[k][j]` on static f32
    memrefs (identity layouts, C distinct from A and B) becomes cache tiles
    `mc x nc x kc` (loops `i0, j0, k0`) of register tiles `mr x nr`
    (loops `i1, j1`, bounded by `min` to the cache tile): the register
    tile's rows are unrolled and jammed into the k loop and its columns are
    vectors of `vector-width` lanes; the tile of C is loaded into
    `mr * nr / vector-width` vector registers before the k loop, carried
    through it as `iter_args` (scalar replacement) and stored after it. The
    k loop body is `nr / vector-width` `affine.vector_load`s of a row of B
    and, per row, one `affine.load` of A broadcast into
    `nr / vector-width` `vector.fma`s. Rows and columns that the register
    tiles do not divide keep the original scalar nest, restricted to them
    (in the same k order, so the results equal the untiled nest's up to
    FMA rounding). Cache tiles are balanced over the problem as in
    `accml-tile-and-fuse`. Other nests are left alone.

    Example (`register-tiles=8,32`, `vector-width=16`): the nest of a
    64 x 96 x 128 matmul becomes loops `i0`, `j0`, `k0`, `i1` (step 8),
    `j1` (step 32), 16 `affine.vector_load`s of C, the k loop with 16
    `vector.fma`s on 16 carried `vector<16xf32>` values, and 16
    `affine.vector_store`s.
  }];
  let options = [
    ListOption<"cacheTiles", "cache-tiles", "int64_t",
               "Cache tiles mc, nc, kc (default 64, 256, 128)">,
    ListOption<"registerTiles", "register-tiles", "int64_t",
               "Register tiles mr, nr (default 8, 32)">,
    Option<"vectorWidth", "vector-width", "int64_t", /*default=*/"16",
           "f32 lanes per vector register">,
  ];
  let dependentDialects = ["::mlir::affine::AffineDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::vector::VectorDialect"];
}

def AccmlBF16MatmulPass : Pass<"accml-bf16-matmul", "::mlir::ModuleOp"> {
  let summary = "Run bf16 matmuls on buffers on AMX or with AVX-512-BF16";
  let description = [{
    After bufferization: every `linalg.matmul` of static two-dimensional
    buffers `bf16 x bf16 -> f32` (the default indexing maps, rows with unit
    stride: what `convert-accml-to-linalg` makes of a bf16 `accml.matmul`,
    which accumulates in f32) becomes a kernel for the unit `unit` names
    (a `linalg.batch_matmul` of such buffers first becomes an `scf.for`
    over the batch of matmuls on the batch's slices):

    - B is copied into column blocks of the VNNI layout that `tdpbf16ps`
      and `vdpbf16ps` read, `packed[nb][kp][2 * j + t] = B[2 * kp + t][16 *
      nb + j]` (a `memref<(N/16) x (K/2) x 32 x bf16>`): one
      `vector.interleave` of two rows per 16 columns, row pairs in an
      `scf.parallel`. A constant B (a `memref.get_global` of a constant
      global, dense or dense resource, possibly through the
      `memref.expand_shape` that `accml-flatten-constants` leaves) is
      packed at compile time instead, into a new one-dimensional constant
      global `@<name>_vnni` reshaped at use.
    - `unit=amx`: A is copied into contiguous 16 x 32 tiles; C is computed
      in blocks of 32 x 32: four `16x16xf32` accumulator tiles start as
      `amx.tile_zero` (when a zero `linalg.fill` of C precedes the matmul;
      the fill is dropped) or are loaded from C, are carried through the
      loop over K in steps of 32 as `iter_args` with two A and two B tiles
      (`16x32xbf16`) per step (four `amx.tile_mulf`, all eight tile
      registers), and are stored once (`amx.tile_store`). The function
      first asks Linux for the tile data permission
      (`arch_prctl(ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA)`, a `syscall`
      call; without it the first tile instruction faults).
    - `unit=avx512-bf16`: 8 x 32 register tiles of C, sixteen
      `vector<16xf32>` accumulators carried through the loop over K in
      steps of 2; per step two 32-element rows of packed B and, per row of
      A (read in place), its pair of elements broadcast as one 32-bit lane
      into `x86vector.avx512.dot` (vdpbf16ps).
    - Loops: one `scf.parallel` (the threads) over column blocks of
      `block-columns` (B's block stays in half of L2) and row blocks of 32;
      inside, column blocks of 32 and depth blocks of `block-depth` (the
      first starts the accumulators, the others continue from C).
    - Sizes that are not multiples of 32 (and odd K, N not a multiple of
      16) go through zero-padded copies of A, B and C.
    - An elementwise consumer of C (the rounding of a bf16 matmul's f32
      result, with its bias and activation: an all-parallel generic that
      reads C, a local buffer used by nothing else, with the identity map,
      sizes multiples of 32) runs on each finished 32 x 32 block, one
      vectorised row of 32 at a time. On AMX from zero over the whole
      depth, the tiles go to a 32 x 32 scratch buffer instead and C
      disappears.

    Lower with `convert-vector-to-llvm{enable-amx}` (LLVM configures the
    tiles, `ldtilecfg`) or `{enable-x86vector}`. Other matmuls are left
    alone.
  }];
  let options = [
    Option<"unit", "unit", "std::string", /*default=*/"\"amx\"",
           "The unit the kernel runs on: amx or avx512-bf16">,
    Option<"blockColumns", "block-columns", "int64_t", /*default=*/"0",
           "Columns of B per cache block (a multiple of 32; 0: as many as "
           "fit half of L2 with the whole depth)">,
    Option<"blockDepth", "block-depth", "int64_t", /*default=*/"0",
           "Depth per block, rounded up to a multiple of 32 (0: the whole "
           "depth on AMX, whose accumulators then stay in tiles; 256 with "
           "AVX-512-BF16, whose 32-column panel of B then stays in L1)">,
    Option<"l2KiB", "l2-kib", "int64_t", /*default=*/"0",
           "L2 cache size in KiB for block-columns=0 (0: the host's)">,
  ];
  let dependentDialects = ["::mlir::amx::AMXDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::x86vector::X86VectorDialect"];
}

def AccmlAffineFusePass : Pass<"accml-affine-fuse", "::mlir::func::FuncOp"> {
  let summary = "Fuse producer and consumer affine nests through a local "
                "buffer";
  let description = [{
    The affine route's fusion, after `convert-linalg-to-affine-loops`. When
    an all-parallel perfect affine nest (constant bounds from 0, each store
    at the loop indices) writes only local buffers (`memref.alloc`) that
    nothing but the next nest of the same block (with the same bounds)
    reads, the producer is fused into that consumer at the innermost depth
    (upstream's `canFuseLoops` / `fuseLoops`, which check the dependences),
    and affine scalar replacement then forwards the stored values to the
    loads, so that the intermediate buffer is neither read back nor (once
    it has no loads left) kept.

    Example: `affine.for %i = 0 to 8 { affine.store %x, %t[%i] }` followed
    by `affine.for %i = 0 to 8 { %v = affine.load %t[%i] ... }` becomes one
    loop in which `%v` is `%x`.
  }];
  let dependentDialects = ["::mlir::affine::AffineDialect"];
}

def AccmlSerializeNestedParallelPass
    : Pass<"accml-serialize-nested-parallel", "::mlir::func::FuncOp"> {
  let summary = "Turn scf.parallel nested in another loop into scf.for";
  let description = [{
    With threads, `accml-cpu-pipeline` turns the remaining linalg ops into
    `scf.parallel` (`convert-linalg-to-parallel-loops`) and those into
    OpenMP regions. Ops inside tiled loops (rows that were not vectorised,
    peeled remainders of register tiles) would then fork and join a team
    of threads at every iteration of the enclosing loops. This pass turns
    every `scf.parallel` without reductions that is nested in another loop
    (`scf.for`, `scf.parallel`, `scf.forall`, `affine.for` ...) into a nest
    of `scf.for` over the same bounds and steps; outermost parallel loops
    stay parallel, except fills (loops whose only effect is storing one
    value defined outside them): sequential, they become a `memset`, which
    beats an OpenMP loop of scalar stores.

    Example: `scf.for %i ... { scf.parallel (%j) = (%c0) to (%c56) step
    (%c1) { ... } }` becomes `scf.for %i ... { scf.for %j = %c0 to %c56
    step %c1 { ... } }`.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def AccmlDynamicSchedulePass : Pass<"accml-dynamic-schedule"> {
  let summary = "Schedule OpenMP loops of few iterations dynamically";
  let description = [{
    After `convert-scf-to-openmp`: every `omp.wsloop` without a schedule
    whose loop nest has constant bounds and at most `max-iterations`
    iterations in all (the parallel cache blocks of matmuls and
    convolutions, a few per thread) is scheduled dynamically: threads take
    the blocks one at a time instead of equal static shares, so that a
    thread slowed down by the machine's other tenants, or one whose share
    holds the partial last block, no longer holds up the others. Loops of
    more iterations (rows of elementwise ops, copies: thousands of short
    iterations, where taking each one costs more than it balances) keep the
    static schedule. `max-iterations=0` changes nothing.

    When the pass runs on a module, a loop directly in its `omp.parallel`
    (no parallel construct around that), without clauses, with one block,
    index induction variables and more than 4 iterations per thread of the
    team (the `num_threads` clause, when constant) is scheduled the same
    way without libomp's dispatch: static stealing. Before the region, the
    team's size (the clause, or `omp_get_max_threads`, at most 64) splits
    the iterations into equal contiguous ranges, each with a counter (an
    i64 alone in a 64-byte line of the function's stack) set to its first
    iteration; in the region each thread (`omp_get_thread_num`) takes
    iterations from its own range's counter (`memref.atomic_rmw addi`)
    while they are below the range's end, then from the other ranges, in an
    `scf.while` whose body is the loop's, its indices delinearised from the
    iteration number; then the loop's barrier (none with `nowait`, or when
    the region ends right after). The Debian build of libomp formats its
    debug trace strings in the dispatch (about a hundred `sprintf` calls per
    loop and call) even with tracing off, which made MobileNetV2's small
    depthwise layers (20 to 36 channel blocks) slower on two threads than
    on one: 1.4x-1.9x faster with the counters, in one process. Loops of at
    most 4 iterations per thread (the parallel blocks of matmuls and
    convolutions) keep `schedule(dynamic)`: at 512^3 and 1024^3 on two
    threads libomp's dispatch ran 4-5% faster than the counters, for a
    reason not found (neutral on convolutions).

    Example: `omp.wsloop { omp.loop_nest (%i) : index = (%c0) to (%c9)
    step (%c1) { ... } }` in a team of unknown size becomes, in the region,
    an `scf.for` over the team's ranges starting at the thread's own, each
    an `scf.while` taking `memref.atomic_rmw addi %c1_i64,
    %counters[%owner, %c0]` while below the range's end.
  }];
  let options = [
    Option<"maxIterations", "max-iterations", "int64_t", /*default=*/"64",
           "Loops of at most this many iterations get schedule(dynamic)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::func::FuncDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::omp::OpenMPDialect",
                           "::mlir::scf::SCFDialect"];
}

def AccmlFlattenConstantsPass
    : Pass<"accml-flatten-constants", "::mlir::func::FuncOp"> {
  let summary = "Make tensor constants one-dimensional, reshaped at use";
  let description = [{
    Every static `arith.constant` tensor of rank 2 or more (a dense literal
    or a dense resource, whose blob is shared, not copied) becomes a
    one-dimensional constant followed by a `tensor.expand_shape` to the
    original shape. Run just before bufferization (the canonicalizer folds
    the reshape back): the constant becomes a one-dimensional
    `memref.global`, which LLVM holds as one constant data array instead of
    nested arrays with one LLVM constant per innermost row. On a ResNet-18
    the JIT otherwise spends most of its compile time walking the millions
    of row constants of the convolution weights.

    Example:

    ```mlir
    %w = arith.constant dense_resource<w> : tensor<64x3x7x7xf32>
    ```

    becomes

    ```mlir
    %0 = arith.constant dense_resource<w> : tensor<9408xf32>
    %w = tensor.expand_shape %0 [[0, 1, 2, 3]] output_shape [64, 3, 7, 7]
        : tensor<9408xf32> into tensor<64x3x7x7xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::tensor::TensorDialect"];
}

#endif // ACCML_DIALECT_ACCML_TRANSFORMS_PASSES_TD
