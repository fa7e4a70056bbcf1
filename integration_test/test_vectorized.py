"""The vectorised paths of accml-cpu-pipeline against numpy: polynomial
vector math at special values, row-wise fused chains (softmax, layer_norm)
on rows of every length class, and packed, tiled matmuls under every
pipeline option that changes their code."""

import numpy as np
import pytest

from accml_testing import F32_REDUCTION_TOL, F32_TOL, check, mlir_type, rand, run, single_op_module
from test_elementwise import UNARY, f64, run_and_check, unary_module

SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 88.7, 89.0, -87.3, -103.0,
           -104.0, 1e-40, -1e-40, 3.4e38, -3.4e38, 1.0, -1.0, 9.0, -9.0,
           20.0, -20.0, 1e-3, -1e-3, 0.5, 30.0]


@pytest.mark.parametrize("case", ["exp", "tanh", "erf", "sigmoid", "gelu",
                                  "gelu_tanh", "silu", "elu", "log"])
def test_vector_math_special_values(case):
    # Rows of 100: one vector of 64 and a remainder of 36, both vectorised.
    op, attrs, _, fref = UNARY[case]
    values = np.array(SPECIAL, dtype=np.float32)
    if case == "log":
        values = np.abs(values)
    x = np.resize(values, (3, 100)).astype(np.float32)
    with np.errstate(all="ignore"):
        want = fref(f64(x)).astype(np.float32)
    run_and_check(unary_module(op, attrs, x), [x], want, out_dtype=np.float32)


def test_tanh_accuracy_and_saturation():
    # Every 4th f32 of [5, 14] and of [-14, -5] (where the approximation
    # meets +-1: no result may exceed 1 in magnitude, and where tanh rounds
    # to +-1 in f32 the result is +-1, so that 1 + tanh(x) is 0 for
    # tanh-GELU), and a dense grid of [-5, 5]: within 4e-7 relative of
    # float64 tanh (the vector approximation's maximum is 3.7e-7; the
    # affine route's scalar code calls libm).
    bits = np.arange(np.float32(5).view(np.int32),
                     np.float32(14).view(np.int32), 4, dtype=np.int32)
    tail = bits.view(np.float32)
    x = np.concatenate([tail, -tail, np.linspace(-5, 5, 1 << 18,
                                                 dtype=np.float32)])
    x = x[:x.size // 64 * 64].reshape(-1, 64)
    module = single_op_module("accml.tanh %a0 : {out_type}", [x],
                              mlir_type(x.shape))
    got = run(module, [x])[0].astype(np.float64)
    want = np.tanh(f64(x))
    assert np.abs(got).max() <= 1.0
    saturated = np.tanh(f64(x)).astype(np.float32) == np.sign(x)
    assert np.all(np.abs(got[saturated]) == 1.0)
    assert (np.abs(got - want) / np.abs(want).clip(1e-30)).max() < 4e-7


def test_exp_accuracy():
    # Every 2048th f32 of [-104, 88.8] (the clamp's range) and a dense grid
    # of [-20, 20]: the AVX-512 kernel (a 32-entry table of 2^(j / 32), a
    # quadratic, r = x - m * ln 2 in one FMA) is within 4.6e-7 relative of
    # float64 exp wherever exp(x) is a normal f32 (exhaustively over all
    # f32 of [-104, 88.8]: 4.57e-7, at x = -86.573; the 16-entry table and
    # cubic it replaced: 4.08e-7), within 1e-38 absolute below, never
    # negative, and infinite past 88.73 (test_vector_math_special_values).
    # The affine route's scalar code calls libm.
    lo, hi = np.float32(-104).view(np.int32), np.float32(88.8).view(np.int32)
    negative = np.arange(0, lo - np.int32(-(2**31)) + 1, 2048,
                         dtype=np.int64)
    negative = (negative - 2**31).astype(np.int32).view(np.float32)
    positive = np.arange(0, hi + 1, 2048, dtype=np.int32).view(np.float32)
    x = np.concatenate([negative, positive,
                        np.linspace(-20, 20, 1 << 18, dtype=np.float32)])
    x = x[:x.size // 64 * 64].reshape(-1, 64)
    module = single_op_module("accml.exp %a0 : {out_type}", [x],
                              mlir_type(x.shape))
    got = run(module, [x])[0].astype(np.float64)
    want = np.exp(f64(x))
    assert (got >= 0).all()
    f32 = np.finfo(np.float32)
    normal = (want >= f32.tiny) & (want <= f32.max)
    assert np.isinf(got[want > f32.max]).all()
    assert (np.abs(got - want)[normal] / want[normal]).max() < 4.6e-7
    assert np.abs(got - want)[want < f32.tiny].max() < 1e-38


@pytest.mark.parametrize("shape", [(2, 8, 7, 7), (1, 4, 14, 14),
                                   (1, 3, 28, 28), (1, 2, 5, 3)])
def test_short_image_rows(shape):
    # NCHW images with rows that are not whole registers run on whole
    # images (rows of 49, 196, 784; 15 stays partial): residual add, a
    # per-channel bias, relu.
    x, y = rand(shape, seed=16), rand(shape, seed=17)
    b = rand((shape[1], 1, 1), seed=18)
    t, bt = mlir_type(shape), mlir_type(b.shape)
    module = (f"func.func @main(%x: {t}, %y: {t}, %b: {bt}) -> {t} {{\n"
              f"  %0 = accml.add %x, %y : ({t}, {t}) -> {t}\n"
              f"  %1 = accml.add %0, %b : ({t}, {bt}) -> {t}\n"
              f"  %2 = accml.relu %1 : {t}\n"
              f"  return %2 : {t}\n}}\n")
    check(module, [x, y, b], np.maximum(f64(x) + f64(y) + f64(b), 0))


def np_softmax(x):
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# Rows of 16 to 1024 are fused and vectorised whole; longer ones are not.
ROWS = [(2, 16), (7, 33), (5, 1000), (3, 1024), (2, 3, 64), (2, 2048)]


@pytest.mark.parametrize("shape", ROWS)
@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_row_softmax(op, shape):
    x = rand(shape, seed=11, low=-8, high=8)
    want = np_softmax(x)
    if op == "log_softmax":
        want = np.log(want)
    module = single_op_module(f"accml.{op} %a0 : {{out_type}}", [x],
                              mlir_type(shape))
    tol = F32_REDUCTION_TOL if shape[-1] > 1000 else F32_TOL
    check(module, [x], want, tol=tol)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_row_softmax_special_values(op):
    # Rows with a NaN, with +inf, with -inf, all -inf, and a finite row,
    # 1000 long (chunks of 64 and a remainder): a NaN anywhere makes its
    # row NaN (the row maximum ignores NaN, the sum does not), as in numpy.
    x = rand((5, 1000), seed=15, low=-8, high=8)
    x[0, 517] = np.nan
    x[1, 3] = np.inf
    x[2, 999] = -np.inf
    x[3, :] = -np.inf
    with np.errstate(invalid="ignore", divide="ignore"):
        want = np_softmax(x)
        if op == "log_softmax":
            want = np.log(want)
    assert np.isnan(want[0]).all() and np.isfinite(want[4]).all()
    module = single_op_module(f"accml.{op} %a0 : {{out_type}}", [x],
                              mlir_type(x.shape))
    check(module, [x], want, tol=F32_TOL)


@pytest.mark.parametrize("shape", ROWS)
def test_row_layer_norm(shape):
    x = rand(shape, seed=12, low=-3, high=5)
    n = shape[-1]
    scale, bias = rand((n,), seed=13), rand((n,), seed=14)
    x64 = x.astype(np.float64)
    mean = x64.mean(axis=-1, keepdims=True)
    var = ((x64 - mean) ** 2).mean(axis=-1, keepdims=True)
    want = (x64 - mean) / np.sqrt(var + 1e-5) * scale + bias
    t, v = mlir_type(shape), mlir_type((n,))
    module = single_op_module(f"accml.layer_norm {{args}} : {t}, {v}, {v}",
                              [x, scale, bias], t)
    tol = F32_REDUCTION_TOL if n > 1000 else F32_TOL
    check(module, [x, scale, bias], want, tol=tol)


MATMUL_OPTIONS = [
    "",
    "pack=false",
    "panel-width=16",
    "register-tiles=4,16 cache-tiles=32,64,32",
    "register-tiles=6,32 cache-tiles=30,96,40",
    "unroll-reduction=1",
    "unroll-reduction=3 cache-tiles=32,64,40",
    "vectorize=false",
]


@pytest.mark.parametrize("options", MATMUL_OPTIONS)
@pytest.mark.parametrize("m,k,n", [(40, 64, 100), (127, 127, 127),
                                   (33, 70, 50), (16, 8, 32), (64, 300, 65),
                                   (128, 128, 3000)])
def test_matmul_pipeline_options(options, m, k, n):
    a, b = rand((m, k), seed=15), rand((k, n), seed=16)
    module = single_op_module("accml.matmul {args} : {types}", [a, b],
                              mlir_type((m, n)))
    want = a.astype(np.float64) @ b.astype(np.float64)
    check(module, [a, b], want, tol=F32_REDUCTION_TOL if k > 100 else F32_TOL,
          extra_args=[f"--pipeline-options={options}"])


ROW_REDUCERS = {"reduce_sum": np.sum, "reduce_mean": np.mean,
                "reduce_max": np.max, "reduce_min": np.min,
                "reduce_prod": np.prod}


@pytest.mark.parametrize("op", sorted(ROW_REDUCERS))
@pytest.mark.parametrize("shape,keepdims", [((4, 16), False), ((3, 1000), True),
                                            ((2, 5, 64), False), ((6, 17), True)])
def test_row_reductions(op, shape, keepdims):
    # Reductions over the last axis run one vectorised row at a time.
    low, high = (0.9, 1.1) if op == "reduce_prod" else (-1, 1)
    x = rand(shape, seed=17, low=low, high=high)
    want = ROW_REDUCERS[op](x.astype(np.float64), axis=-1, keepdims=keepdims)
    attrs = (f"keepdims = {'true' if keepdims else 'false'}, "
             f"axes = array<i64: {len(shape) - 1}>")
    module = single_op_module(
        f"accml.{op} %a0 {{{{{attrs}}}}} : {{in_type}} -> {{out_type}}",
        [x], mlir_type(np.shape(want)))
    tol = F32_REDUCTION_TOL if shape[-1] > 100 else F32_TOL
    check(module, [x], want, tol=tol)


def constant_weight(w, form, element="f32"):
    """The attribute of an f32 (or bf16: `w`'s values must be bf16 values
    held in f32) constant holding `w` ("dense": a hex dense literal;
    "resource": dense_resource<w>) and the resource section that goes with
    it ("" for dense)."""
    data = np.ascontiguousarray(w, dtype="<f4")
    if element == "bf16":
        data = (data.view("<u4") >> 16).astype("<u2")
    raw = "0x" + data.tobytes().hex().upper()
    if form == "dense":
        return f'dense<"{raw}">', ""
    return ("dense_resource<w>",
            '{-#\n  dialect_resources: {\n    builtin: {\n'
            f'      w: "0x04000000{raw[2:]}"\n    }}\n  }}\n#-}}\n')


@pytest.mark.parametrize("form", ["dense", "resource"])
@pytest.mark.parametrize("m,k,n", [(20, 24, 40), (64, 32, 64)])
def test_matmul_constant_weights(form, m, k, n):
    # A constant B is packed into panels at compile time (40 columns are
    # padded to 64); the result must not change.
    a, w = rand((m, k), seed=18), rand((k, n), seed=19)
    value, resources = constant_weight(w, form)
    module = (f"func.func @main(%a: {mlir_type((m, k))}) -> {mlir_type((m, n))} {{\n"
              f"  %w = accml.constant {value} : {mlir_type((k, n))}\n"
              f"  %r = accml.matmul %a, %w : ({mlir_type((m, k))}, {mlir_type((k, n))})"
              f" -> {mlir_type((m, n))}\n"
              f"  return %r : {mlir_type((m, n))}\n}}\n{resources}")
    check(module, [a], a.astype(np.float64) @ w.astype(np.float64))


@pytest.mark.parametrize("form", ["dense", "resource"])
@pytest.mark.parametrize("m,k,n", [(1, 512, 1000), (1, 40, 24), (3, 64, 130), (20, 24, 40)])
def test_linear_transposed_constant_weight(form, m, k, n):
    # A linear layer (gemm with trans_b, the weight stored N x K as
    # imported models hold it): the constant weight is transposed at compile
    # time; with fewer rows than a register tile (batch 1), the register
    # tiles span the rows and up to 128 columns, and the bias add is not a
    # row-wise chain around the matmul.
    x, w, b = rand((m, k), seed=31), rand((n, k), seed=32), rand((n,), seed=33)
    value, resources = constant_weight(w, form)
    bias = "dense<\"0x" + np.ascontiguousarray(b, dtype="<f4").tobytes().hex().upper() + "\">"
    module = (f"func.func @main(%x: {mlir_type((m, k))}) -> {mlir_type((m, n))} {{\n"
              f"  %w = accml.constant {value} : {mlir_type((n, k))}\n"
              f"  %b = accml.constant {bias} : {mlir_type((n,))}\n"
              f"  %r = accml.gemm %x, %w, %b {{trans_b = true}} : ({mlir_type((m, k))}, "
              f"{mlir_type((n, k))}, {mlir_type((n,))}) -> {mlir_type((m, n))}\n"
              f"  return %r : {mlir_type((m, n))}\n}}\n{resources}")
    want = x.astype(np.float64) @ w.astype(np.float64).T + b
    check(module, [x], want, tol=F32_REDUCTION_TOL if k > 100 else F32_TOL)


# Convolutions become direct convolutions on the flattened image (a kernel
# tap reads it shifted; strided kernels through subsampling or
# space-to-depth), their weights in blocks of the register tile's filters:
# every geometry the rewrite distinguishes, against numpy, with and without
# packing, and with register tiles that leave a remainder of filters.
PACKED_CONV_CASES = [
    # (N, C, H, W), (F, C, KH, KW), strides, pads, dilations, bias
    ((1, 16, 14, 14), (32, 16, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True),
    ((2, 8, 9, 13), (12, 8, 3, 5), (1, 1), (0, 2, 1, 0), (1, 1), False),
    ((1, 5, 12, 11), (7, 5, 3, 3), (1, 1), (2, 2, 2, 2), (2, 3), True),
    ((1, 32, 7, 7), (64, 32, 1, 1), (1, 1), (0, 0, 0, 0), (1, 1), True),
    ((2, 16, 15, 15), (24, 16, 1, 1), (2, 2), (0, 0, 0, 0), (1, 1), False),
    ((1, 8, 15, 16), (16, 8, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), True),
    ((1, 3, 23, 23), (8, 3, 7, 7), (2, 2), (3, 3, 3, 3), (1, 1), False),
    ((1, 4, 10, 12), (6, 4, 4, 2), (3, 2), (1, 0, 2, 1), (1, 1), True),
    ((1, 4, 11, 11), (6, 4, 3, 3), (1, 2), (2, 1, 0, 3), (2, 2), False),
    # Channel rows 4 KiB apart: the flattened image is spread by 16 floats.
    ((1, 32, 32, 32), (16, 32, 1, 1), (1, 1), (0, 0, 0, 0), (1, 1), True),
]


@pytest.mark.parametrize("options", ["", "pack=false", "register-tiles=12,32",
                                     "register-tiles=4,16 panel-width=16"])
@pytest.mark.parametrize("xs,ws,strides,pads,dilations,bias", PACKED_CONV_CASES)
def test_packed_conv2d(options, xs, ws, strides, pads, dilations, bias):
    from test_conv_pool import conv_case
    module, inputs, want = conv_case(xs, ws, strides, pads, dilations, 1, bias, seed=21)
    depth = ws[1] * ws[2] * ws[3]
    check(module, inputs, want, tol=F32_REDUCTION_TOL if depth > 100 else F32_TOL,
          extra_args=[f"--pipeline-options={options}"])


@pytest.mark.parametrize("form", ["dense", "resource"])
@pytest.mark.parametrize("strides", [(1, 1), (2, 2)])
def test_packed_conv2d_constant_weights(form, strides):
    # A constant weight of a strided kernel is rearranged into phases at
    # compile time; the result must not change.
    from test_conv_pool import attrs, np_conv2d
    x, w = rand((1, 6, 13, 13), seed=24), rand((10, 6, 3, 3), seed=25)
    want = np_conv2d(x, w, None, strides, (1, 1, 1, 1), (1, 1), 1)
    value, resources = constant_weight(w, form)
    t_x, t_w, t_r = mlir_type(x.shape), mlir_type(w.shape), mlir_type(want.shape)
    conv_attrs = attrs(strides=list(strides), pads=[1, 1, 1, 1]).replace("{{", "{").replace("}}", "}")
    module = (f"func.func @main(%x: {t_x}) -> {t_r} {{\n"
              f"  %w = accml.constant {value} : {t_w}\n"
              f"  %r = accml.conv2d %x, %w {conv_attrs} : ({t_x}, {t_w}) -> {t_r}\n"
              f"  return %r : {t_r}\n}}\n{resources}")
    check(module, [x], want)


# Depthwise convolutions become one elementwise sum over the kernel taps of
# unit-stride windows (strided kernels through the input's phases).
DEPTHWISE_CASES = [
    # (N, C, H, W), (KH, KW), strides, pads, dilations, bias
    ((1, 16, 20, 20), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True),
    ((2, 8, 13, 19), (3, 3), (1, 1), (2, 2, 2, 2), (2, 2), False),
    ((1, 16, 33, 34), (5, 5), (2, 2), (2, 2, 2, 2), (1, 1), True),
    ((1, 4, 7, 7), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), False),
    ((1, 6, 17, 21), (3, 2), (2, 3), (1, 0, 1, 2), (1, 1), True),
    ((1, 5, 19, 19), (3, 3), (2, 2), (1, 1, 1, 1), (2, 2), False),
    # Channel blocks of several channels (small maps: 48 channels of 9x9
    # padded), rows that 16 does not divide (56: 16-lane pieces and a peeled
    # half register), MobileNetV2's strided shape at reduced channels.
    ((2, 96, 7, 7), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True),
    ((1, 4, 56, 56), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True),
    ((1, 3, 112, 112), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), True),
    # Several output rows per tile (windowRowsPerTile), the taps right of
    # the first read as shifted registers: 7 rows of 14, 6 rows of 12 with
    # 5x5 taps (shifts up to 4), 13 rows (prime: one at a time), a dilated
    # kernel (shifts 0, 2, 4: past the register, unaligned reads).
    ((1, 24, 14, 14), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True),
    ((1, 8, 12, 12), (5, 5), (1, 1), (2, 2, 2, 2), (1, 1), False),
    ((2, 8, 13, 13), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True),
    ((1, 8, 14, 14), (3, 3), (1, 1), (2, 2, 2, 2), (2, 2), True),
    # Rows longer than a register, 2 output rows per tile, the taps read as
    # two aligned registers shifted together: rows of 28 (16 + 12), 32,
    # 48 with 5x5 taps; 27 rows (odd: one at a time).
    ((1, 4, 28, 28), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True),
    ((2, 3, 32, 32), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), False),
    ((1, 2, 48, 48), (5, 5), (1, 1), (2, 2, 2, 2), (1, 1), True),
    ((1, 2, 27, 27), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True),
    # Phases of 15 columns padded to 16 (a register), 5x5 taps over them.
    ((1, 8, 28, 28), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), True),
    ((1, 8, 27, 27), (5, 5), (2, 2), (2, 2, 2, 2), (1, 1), False),
]


@pytest.mark.parametrize("options", ["", "pack=false"])
@pytest.mark.parametrize("xs,ks,strides,pads,dilations,bias", DEPTHWISE_CASES)
def test_depthwise_conv2d(options, xs, ks, strides, pads, dilations, bias):
    from test_conv_pool import conv_case
    c = xs[1]
    module, inputs, want = conv_case(xs, (c, 1) + ks, strides, pads, dilations, c, bias,
                                     seed=26)
    check(module, inputs, want, extra_args=[f"--pipeline-options={options}"])


# Stride-1 depthwise convolutions whose output is as wide as the input, on
# images of at most 256 output positions (accml-pack's flat-depthwise):
# each channel's flattened image in vectors of 16 outputs, one masked read
# per tap (the image's border and the row ends where the flat read wraps),
# the bias broadcast, an activation or a residual applied before the write.
# 7 x 7 (the last vector one lane), 14 x 14, 5x5 taps, dilation 2, padding
# only on one side (OW = W still), fewer output rows than input rows,
# channel counts that 16 does not divide, a batch of 2, constant weights,
# two threads.
FLAT_DEPTHWISE_CASES = [
    # (N, C, H, W), (KH, KW), pads, dilations, bias, consumer, constant, threads
    ((1, 32, 7, 7), (3, 3), (1, 1, 1, 1), (1, 1), True, "clamp", True, 1),
    ((1, 48, 14, 14), (3, 3), (1, 1, 1, 1), (1, 1), True, "relu", False, 2),
    ((2, 10, 9, 9), (5, 5), (2, 2, 2, 2), (1, 1), False, "", False, 1),
    ((1, 16, 12, 12), (3, 3), (2, 2, 2, 2), (2, 2), True, "residual", True, 1),
    ((1, 24, 8, 8), (3, 3), (0, 2, 0, 0), (1, 1), True, "", False, 2),
    ((1, 6, 16, 5), (3, 3), (0, 1, 0, 1), (1, 1), True, "clamp", True, 1),
    # 3 vectors of 5x5 taps (3 accumulators each), the first rows of taps
    # of the first vector all outside the image; a residual computed after
    # the convolution (its consumer's operand defined after it).
    ((1, 4, 3, 16), (5, 5), (2, 2, 2, 2), (1, 1), True, "", False, 1),
    ((1, 16, 7, 7), (3, 3), (1, 1, 1, 1), (1, 1), True, "late residual", True, 1),
]


# Stride-2 depthwise convolutions (accml-pack's strided-windows): per
# output row each image row read once, 32 columns at a time, and split into
# its even and odd columns in registers; taps left of the first pair shift
# the odd (or even) columns by a lane. Rows of one vector two at a time
# (OW 14), two (28), 4 vectors (56), 6 (81: two segments); dilation 2 with two
# columns of padding (shifts -1 and +1), padding only below and right
# (TensorFlow's SAME: a tap reading the next pair), none at all (the last
# image column unread), odd widths, a batch of 2, two threads, constant
# weights, activations and residuals before the write; a 5x5 kernel (25
# taps: the phases instead).
STRIDED_DEPTHWISE_CASES = [
    # (N, C, H, W), (KH, KW), pads, dilations, bias, consumer, constant, threads
    ((1, 16, 28, 28), (3, 3), (1, 1, 1, 1), (1, 1), True, "clamp", True, 1),
    ((1, 8, 56, 56), (3, 3), (1, 1, 1, 1), (1, 1), True, "relu", False, 2),
    ((1, 4, 112, 112), (3, 3), (1, 1, 1, 1), (1, 1), True, "", True, 1),
    ((2, 6, 27, 27), (3, 3), (1, 1, 1, 1), (1, 1), False, "", False, 2),
    ((1, 6, 27, 27), (5, 5), (2, 2, 2, 2), (1, 1), True, "relu", False, 1),
    ((1, 8, 32, 33), (3, 3), (0, 0, 1, 1), (1, 1), True, "residual", False, 1),
    ((1, 3, 12, 161), (3, 3), (1, 1, 1, 1), (1, 1), True, "late residual", True, 1),
    ((1, 8, 30, 30), (3, 3), (2, 2, 2, 2), (2, 2), True, "", True, 1),
    ((1, 5, 17, 40), (3, 3), (0, 0, 0, 0), (1, 1), False, "clamp", False, 2),
]


@pytest.mark.parametrize(
    "strides,xs,ks,pads,dilations,bias,consumer,constant,threads",
    [((1, 1),) + case for case in FLAT_DEPTHWISE_CASES]
    + [((2, 2),) + case for case in STRIDED_DEPTHWISE_CASES])
def test_depthwise_vector_forms(strides, xs, ks, pads, dilations, bias, consumer,
                                constant, threads):
    from test_conv_pool import attrs, np_conv2d
    c = xs[1]
    x, w = rand(xs, seed=70), rand((c, 1) + ks, seed=71)
    b = rand((c,), seed=72) if bias else None
    want = np_conv2d(x, w, b, strides, pads, dilations, c)
    res = rand(want.shape, seed=73)
    if consumer == "clamp":
        want = np.clip(want, 0.0, 0.5)
    elif consumer == "relu":
        want = np.maximum(want, 0)
    elif consumer == "residual":
        want = want + res
    elif consumer == "late residual":
        want = want + np.maximum(res, 0)
    t_x, t_w, t_r = mlir_type(x.shape), mlir_type(w.shape), mlir_type(want.shape)
    t_b = mlir_type((c,))
    params = [f"%x: {t_x}"]
    inputs = [x]
    resources = ""
    lines = []
    if constant:
        value, resources = constant_weight(w, "resource")
        lines.append(f"  %w = accml.constant {value} : {t_w}\n")
    else:
        params.append(f"%w: {t_w}")
        inputs.append(w)
    operands, types = "%x, %w", f"{t_x}, {t_w}"
    if bias:
        params.append(f"%b: {t_b}")
        inputs.append(b)
        operands, types = operands + ", %b", types + f", {t_b}"
    if consumer in ("residual", "late residual"):
        params.append(f"%res: {t_r}")
        inputs.append(res)
    conv_attrs = attrs(pads=list(pads), strides=list(strides),
                       dilations=list(dilations), groups=c)
    conv_attrs = conv_attrs.replace("{{", "{").replace("}}", "}")
    lines.append(f"  %c = accml.conv2d {operands} {conv_attrs} : ({types}) -> {t_r}\n")
    add = f"accml.add %c, {{}} : ({t_r}, {t_r}) -> {t_r}"
    lines += {
        "clamp": [f"  %r = accml.clamp %c {{min = 0.0, max = 0.5}} : {t_r}\n"],
        "relu": [f"  %r = accml.relu %c : {t_r}\n"],
        "residual": [f"  %r = {add.format('%res')}\n"],
        "late residual": [f"  %p = accml.relu %res : {t_r}\n",
                          f"  %r = {add.format('%p')}\n"],
    }.get(consumer, [])
    last = "%r" if consumer else "%c"
    module = (f"func.func @main({', '.join(params)}) -> {t_r} {{\n" + "".join(lines) +
              f"  return {last} : {t_r}\n}}\n{resources}")
    check(module, inputs, want, threads=threads)


# A convolution's epilogue (bias, residual, activation) runs in the pass that
# copies a padded convolution's result out (3x3 with padding), or in the
# parallel blocks of a 1x1 convolution whose positions fill whole panels
# (16 x 16 = 8 x 32; batch 2 and two threads split the blocks differently);
# the numbers must not change.
@pytest.mark.parametrize("xs,ws,pad,residual,threads", [
    ((1, 8, 12, 12), (16, 8, 3, 3), 1, False, 1),
    ((1, 24, 16, 16), (40, 24, 1, 1), 0, True, 1),
    ((1, 24, 16, 16), (40, 24, 1, 1), 0, True, 2),
    ((2, 8, 8, 8), (16, 8, 1, 1), 0, True, 1),
    ((2, 8, 8, 8), (16, 8, 1, 1), 0, True, 2),
])
def test_conv2d_epilogue(xs, ws, pad, residual, threads):
    from test_conv_pool import np_conv2d
    x, w, b = rand(xs, seed=60), rand(ws, seed=61), rand((ws[0],), seed=62)
    want = np_conv2d(x, w, b, (1, 1), (pad,) * 4, (1, 1), 1)
    res = rand(want.shape, seed=63)
    if residual:
        want = want + res
    want = np.maximum(want, 0)
    t_x, t_w, t_b, t_r = (mlir_type(x.shape), mlir_type(w.shape), mlir_type(b.shape),
                          mlir_type(want.shape))
    add = (f"  %s = accml.add %c, %res : ({t_r}, {t_r}) -> {t_r}\n" if residual else "")
    module = (f"func.func @main(%x: {t_x}, %w: {t_w}, %b: {t_b}, %res: {t_r}) -> {t_r} {{\n"
              f"  %c = accml.conv2d %x, %w, %b {{pads = array<i64: {pad}, {pad}, {pad}, {pad}>}}"
              f" : ({t_x}, {t_w}, {t_b}) -> {t_r}\n" + add +
              f"  %r = accml.relu {'%s' if residual else '%c'} : {t_r}\n"
              f"  return %r : {t_r}\n}}\n")
    depth = ws[1] * ws[2] * ws[3]
    check(module, [x, w, b, res], want, tol=F32_REDUCTION_TOL if depth > 100 else F32_TOL,
          threads=threads)


# With constant weights, a 1x1 convolution's register tiles complete their
# reduction in one pass, and its epilogue (bias, residual, activation) runs
# on each tile's accumulators (accml-tile-and-fuse); the phases of a strided
# 7x7 kernel (ResNet-18's stem: at 224 x 224 their register tiles are
# chained) accumulate into the same tiles one after another, the epilogue
# after the last. Strided 1x1 (a subsampled copy), 24 filters, a batch of
# 2, two threads; the numbers must not change.
@pytest.mark.parametrize("xs,ws,stride,pad,residual,threads", [
    ((1, 16, 28, 28), (32, 16, 1, 1), 2, 0, True, 1),
    ((1, 40, 14, 14), (24, 40, 1, 1), 1, 0, True, 2),
    ((2, 8, 8, 8), (16, 8, 1, 1), 1, 0, False, 2),
    ((1, 3, 32, 32), (16, 3, 7, 7), 2, 3, True, 1),
    ((1, 3, 224, 224), (64, 3, 7, 7), 2, 3, False, 1),
    ((1, 8, 20, 20), (16, 8, 3, 3), 1, 1, True, 1),
])
def test_conv2d_constant_weights_epilogue(xs, ws, stride, pad, residual, threads):
    from test_conv_pool import np_conv2d
    x, w, b = rand(xs, seed=64), rand(ws, seed=65), rand((ws[0],), seed=66)
    want = np_conv2d(x, w, b, (stride, stride), (pad,) * 4, (1, 1), 1)
    res = rand(want.shape, seed=67)
    if residual:
        want = want + res
    want = np.maximum(want, 0)
    value, resources = constant_weight(w, "resource")
    bias = "dense<\"0x" + np.ascontiguousarray(b, dtype="<f4").tobytes().hex().upper() + "\">"
    t_x, t_w, t_b, t_r = (mlir_type(x.shape), mlir_type(w.shape), mlir_type(b.shape),
                          mlir_type(want.shape))
    add = (f"  %s = accml.add %c, %res : ({t_r}, {t_r}) -> {t_r}\n" if residual else "")
    module = (f"func.func @main(%x: {t_x}, %res: {t_r}) -> {t_r} {{\n"
              f"  %w = accml.constant {value} : {t_w}\n"
              f"  %b = accml.constant {bias} : {t_b}\n"
              f"  %c = accml.conv2d %x, %w, %b {{pads = array<i64: {pad}, {pad}, {pad}, {pad}>,"
              f" strides = array<i64: {stride}, {stride}>}}"
              f" : ({t_x}, {t_w}, {t_b}) -> {t_r}\n" + add +
              f"  %r = accml.relu {'%s' if residual else '%c'} : {t_r}\n"
              f"  return %r : {t_r}\n}}\n{resources}")
    depth = ws[1] * ws[2] * ws[3]
    check(module, [x, res], want, tol=F32_REDUCTION_TOL if depth > 50 else F32_TOL,
          threads=threads)


# Convolutions computed by output rows (accml-pack's output-rows: rows of
# OW positions, or a 1x1 kernel's positions in rows of a multiple of 16 or
# one row; register tiles of 32 and a peeled last tile of 16, 8 or 4), their
# bias, residual and activation applied in the parallel blocks; the same
# module with convolution-rows=false (panels over the padded rows and a
# copy-out) must agree too. Cases: a 1x1 kernel on 28 x 28 (rows of 112),
# a 1x1/2 on 14 x 14 (one row of 196: 6 x 32 + 4), a 7x7/2 stem (phases,
# rows of 32), 12 filters (a partial filter block, sliced), a dilated 3x3.
@pytest.mark.parametrize("rows", [True, False])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("xs,f,k,stride,pad,dil", [
    ((1, 16, 28, 28), 24, 1, 1, 0, 1),
    ((1, 8, 27, 27), 24, 1, 2, 0, 1),
    ((1, 3, 64, 64), 16, 7, 2, 3, 1),
    ((2, 4, 16, 16), 12, 3, 1, 1, 1),
    ((1, 8, 16, 16), 8, 3, 1, 2, 2),
    # A stem whose phases share register tiles (tileChainTogether) on rows
    # of 48: tiles of 32 and a peeled one of 16.
    ((1, 3, 96, 96), 16, 7, 2, 3, 1),
])
def test_conv2d_output_rows(xs, f, k, stride, pad, dil, threads, rows):
    from test_conv_pool import np_conv2d
    x, w, b = rand(xs, seed=70), rand((f, xs[1], k, k), seed=71), rand((f,), seed=72)
    want = np_conv2d(x, w, b, (stride, stride), (pad,) * 4, (dil, dil), 1)
    res = rand(want.shape, seed=73)
    want = np.maximum(want + res, 0)
    t_x, t_w, t_b, t_r = (mlir_type(x.shape), mlir_type(w.shape), mlir_type(b.shape),
                          mlir_type(want.shape))
    attrs = (f"{{pads = array<i64: {pad}, {pad}, {pad}, {pad}>, "
             f"strides = array<i64: {stride}, {stride}>, dilations = array<i64: {dil}, {dil}>}}")
    module = (f"func.func @main(%x: {t_x}, %w: {t_w}, %b: {t_b}, %res: {t_r}) -> {t_r} {{\n"
              f"  %c = accml.conv2d %x, %w, %b {attrs} : ({t_x}, {t_w}, {t_b}) -> {t_r}\n"
              f"  %s = accml.add %c, %res : ({t_r}, {t_r}) -> {t_r}\n"
              f"  %r = accml.relu %s : {t_r}\n"
              f"  return %r : {t_r}\n}}\n")
    options = [] if rows else ["--pipeline-options=convolution-rows=false"]
    check(module, [x, w, b, res], want, tol=F32_REDUCTION_TOL, threads=threads,
          extra_args=options)


# A strided 1x1 convolution's subsampling copy fused into the parallel
# blocks (each block subsamples the rows its positions are): ResNet's
# downsampling shapes (56 -> 28, 28 -> 14, 14 -> 7, smaller channel counts),
# batch 2, odd input sizes, at 1 and 2 threads, with a bias, a residual and
# relu after it.
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("xs,f", [
    ((1, 16, 56, 56), 32),
    ((1, 32, 28, 28), 48),
    ((1, 48, 14, 14), 64),
    ((2, 8, 28, 28), 16),
    ((1, 8, 27, 27), 24),
])
def test_strided_1x1_subsample(xs, f, threads):
    from test_conv_pool import np_conv2d
    x, w, b = rand(xs, seed=80), rand((f, xs[1], 1, 1), seed=81), rand((f,), seed=82)
    want = np_conv2d(x, w, b, (2, 2), (0,) * 4, (1, 1), 1)
    res = rand(want.shape, seed=83)
    want = np.maximum(want + res, 0)
    t_x, t_w, t_b, t_r = (mlir_type(x.shape), mlir_type(w.shape), mlir_type(b.shape),
                          mlir_type(want.shape))
    module = (f"func.func @main(%x: {t_x}, %w: {t_w}, %b: {t_b}, %res: {t_r}) -> {t_r} {{\n"
              f"  %c = accml.conv2d %x, %w, %b {{strides = array<i64: 2, 2>}} : ({t_x}, {t_w}, {t_b}) -> {t_r}\n"
              f"  %s = accml.add %c, %res : ({t_r}, {t_r}) -> {t_r}\n"
              f"  %r = accml.relu %s : {t_r}\n"
              f"  return %r : {t_r}\n}}\n")
    check(module, [x, w, b, res], want, tol=F32_REDUCTION_TOL, threads=threads)


# Pooling becomes one elementwise max or sum over unit-stride windows (of the
# input's phases when strided), vectorised along rows.
@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("shape,kernel,strides,pads", [
    ((1, 16, 56, 56), (3, 3), (2, 2), (1, 1, 1, 1)),   # ResNet's stem pool
    ((2, 8, 32, 40), (2, 2), (2, 2), (0, 0, 0, 0)),
    ((1, 4, 30, 30), (3, 3), (1, 1), (1, 1, 1, 1)),
    ((1, 8, 14, 14), (3, 3), (1, 1), (1, 1, 1, 1)),    # 7 rows per tile
])
def test_vectorized_pool2d(kind, shape, kernel, strides, pads):
    from test_conv_pool import attrs, np_pool
    x = rand(shape, seed=32)
    x[0, 0, 0, :5] = -np.inf  # max keeps -inf where a window holds only -inf
    want = np_pool(x, kernel, strides, pads, (1, 1), False, kind, False)
    op = (f"accml.{kind}_pool2d %a0 "
          + attrs(kernel_shape=list(kernel), strides=list(strides), pads=list(pads))
          + " : {in_type} -> {out_type}")
    module = single_op_module(op, [x], mlir_type(want.shape))
    with np.errstate(invalid="ignore"):
        check(module, [x], want)


# Grouped convolutions: one packed convolution per group.
@pytest.mark.parametrize("xs,ws,strides,pads,groups,bias", [
    ((1, 16, 12, 12), (32, 4, 3, 3), (1, 1), (1, 1, 1, 1), 4, True),
    ((2, 12, 11, 13), (6, 6, 3, 3), (2, 2), (1, 1, 1, 1), 2, False),
    ((1, 8, 9, 9), (16, 1, 1, 1), (1, 1), (0, 0, 0, 0), 8, True),   # multiplier 2
])
def test_grouped_conv2d(xs, ws, strides, pads, groups, bias):
    from test_conv_pool import conv_case
    module, inputs, want = conv_case(xs, ws, strides, pads, (1, 1), groups, bias, seed=33)
    check(module, inputs, want)


# Two threads: the parallel blocks are split for the threads (parallel-blocks),
# a strided kernel's phases are fused per block, and row-wise chains run
# their rows on both threads; results must not change.
THREADED_CONV_CASES = [
    # (N, C, H, W), (F, C, KH, KW), strides, pads
    ((1, 16, 14, 14), (32, 16, 3, 3), (1, 1), (1, 1, 1, 1)),
    ((2, 8, 15, 16), (24, 8, 3, 3), (2, 2), (1, 1, 1, 1)),
    ((1, 3, 23, 23), (16, 3, 7, 7), (2, 2), (3, 3, 3, 3)),
    ((1, 64, 7, 7), (64, 64, 3, 3), (1, 1), (1, 1, 1, 1)),
]


@pytest.mark.parametrize("xs,ws,strides,pads", THREADED_CONV_CASES)
def test_threaded_conv2d(xs, ws, strides, pads):
    from test_conv_pool import conv_case
    module, inputs, want = conv_case(xs, ws, strides, pads, (1, 1), 1, True, seed=41)
    depth = ws[1] * ws[2] * ws[3]
    check(module, inputs, want, tol=F32_REDUCTION_TOL if depth > 100 else F32_TOL,
          threads=2)


# Small images are computed position-major (register tiles of a whole output
# row, or part of a wider one, x 16 to 64 filters): ResNet-18's 7 x 7 and 14 x 14 layers, 1x1 kernels,
# dilation, a batch of 2, channel counts that the channel blocks do not
# divide, filter tiles of 48, 32 and 16, two threads.
POSITION_MAJOR_CASES = [
    # (N, C, H, W), (F, C, KH, KW), strides, pads, dilations, threads
    ((1, 64, 7, 7), (64, 64, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 1),
    ((2, 100, 7, 7), (48, 100, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 1),
    ((1, 32, 14, 14), (32, 32, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 2),
    ((1, 24, 7, 7), (80, 24, 1, 1), (1, 1), (0, 0, 0, 0), (1, 1), 1),
    ((1, 16, 11, 11), (16, 16, 3, 3), (1, 1), (2, 2, 2, 2), (2, 2), 1),
    ((1, 130, 9, 9), (64, 130, 3, 3), (1, 1), (0, 1, 0, 1), (1, 1), 2),
    # Strided: the positions are broadcast at the stride, no phases.
    ((1, 32, 14, 14), (64, 32, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), 1),
    ((2, 48, 14, 14), (32, 48, 1, 1), (2, 2), (0, 0, 0, 0), (1, 1), 2),
    ((1, 16, 15, 27), (16, 16, 3, 3), (1, 2), (1, 1, 1, 1), (1, 1), 1),
    ((1, 16, 20, 20), (32, 16, 3, 3), (2, 2), (2, 2, 2, 2), (2, 2), 1),
    ((1, 8, 28, 28), (16, 8, 7, 7), (3, 3), (3, 3, 3, 3), (1, 1), 1),
    # Wider rows with deep reductions (C x KH x KW >= 256) in register tiles
    # of part of a row: 28 = 2 x 14 (strided, two threads; stride 1, where
    # panels would waste 10%), 30 = 3 x 10.
    ((1, 64, 56, 56), (64, 64, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), 2),
    ((2, 32, 28, 28), (32, 32, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 1),
    ((1, 40, 20, 60), (16, 40, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), 1),
    # Wider strided outputs of shallow reductions stay in the panel form
    # (with phases or a subsampled copy: position-major tiles of part of a
    # row ran 1.1x to 3x slower on ResNet-18's conv1 and 1x1/2).
    ((1, 8, 56, 56), (32, 8, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), 2),
    ((2, 16, 56, 56), (48, 16, 1, 1), (2, 2), (0, 0, 0, 0), (1, 1), 1),
    ((1, 3, 64, 64), (16, 3, 7, 7), (2, 2), (3, 3, 3, 3), (1, 1), 1),
    # Two threads pad a padded image of at least 512 KB by rows in parallel
    # (a fill, then a copy into the interior): a batch of 2, asymmetric
    # pads (none on the left), pads of 2 with dilation.
    ((2, 32, 56, 56), (32, 32, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), 2),
    ((1, 80, 57, 57), (16, 80, 3, 3), (2, 2), (2, 0, 1, 1), (1, 1), 2),
    ((1, 48, 60, 60), (32, 48, 3, 3), (2, 2), (2, 2, 2, 2), (2, 2), 2),
]


@pytest.mark.parametrize("xs,ws,strides,pads,dilations,threads", POSITION_MAJOR_CASES)
def test_position_major_conv2d(xs, ws, strides, pads, dilations, threads):
    from test_conv_pool import conv_case
    module, inputs, want = conv_case(xs, ws, strides, pads, dilations, 1, True, seed=46)
    depth = ws[1] * ws[2] * ws[3]
    check(module, inputs, want, tol=F32_REDUCTION_TOL if depth > 50 else F32_TOL,
          threads=threads)


@pytest.mark.parametrize("xs,strides", [((2, 24, 14, 14), (1, 1)), ((1, 16, 28, 28), (2, 2))])
def test_threaded_depthwise_conv2d(xs, strides):
    # Channel blocks on both threads, each rebuilding its own padded copy.
    from test_conv_pool import conv_case
    c = xs[1]
    module, inputs, want = conv_case(xs, (c, 1, 3, 3), strides, (1, 1, 1, 1), (1, 1), c,
                                     True, seed=45)
    check(module, inputs, want, threads=2)


# Matmul epilogues (bias, activation, residual) are fused into the
# matmul's parallel blocks, which accumulate into blocks of their own; a
# matmul whose result has another use keeps it whole.
EPILOGUES = {
    "bias_relu": ("%b = accml.add %c, %a2 : ({t}, {v}) -> {t}\n"
                  "  %r = accml.relu %b : {t}",
                  lambda c, bias, res: np.maximum(c + bias, 0)),
    "bias_gelu": ("%b = accml.add %c, %a2 : ({t}, {v}) -> {t}\n"
                  "  %r = accml.gelu %b : {t}",
                  lambda c, bias, res: _gelu(c + bias)),
    "residual": ("%b = accml.add %c, %a3 : ({t}, {t}) -> {t}\n"
                 "  %r = accml.tanh %b : {t}",
                 lambda c, bias, res: np.tanh(c + res)),
    "two_uses": ("%b = accml.relu %c : {t}\n"
                 "  %r = accml.add %b, %c : ({t}, {t}) -> {t}",
                 lambda c, bias, res: np.maximum(c, 0) + c),
}


def _gelu(x):
    from test_elementwise import _gelu as gelu
    return gelu(x)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("m,k,n", [(64, 48, 96), (100, 70, 128), (9, 33, 64), (40, 64, 100)])
@pytest.mark.parametrize("epilogue", sorted(EPILOGUES))
def test_matmul_epilogue(epilogue, m, k, n, threads):
    a, b = rand((m, k), seed=46), rand((k, n), seed=47)
    bias, res = rand((n,), seed=48), rand((m, n), seed=49)
    body, ref = EPILOGUES[epilogue]
    t, v = mlir_type((m, n)), mlir_type((n,))
    module = (f"func.func @main(%a0: {mlir_type((m, k))}, %a1: {mlir_type((k, n))}, "
              f"%a2: {v}, %a3: {t}) -> {t} {{\n"
              f"  %c = accml.matmul %a0, %a1 : ({mlir_type((m, k))}, {mlir_type((k, n))}) -> {t}\n"
              f"  " + body.format(t=t, v=v) + "\n"
              f"  return %r : {t}\n}}\n")
    c = a.astype(np.float64) @ b.astype(np.float64)
    want = ref(c, bias.astype(np.float64), res.astype(np.float64))
    check(module, [a, b, bias, res], want, tol=F32_REDUCTION_TOL, threads=threads)


def test_matmul_sum_of_two():
    # An elementwise op of two matmuls' results is the epilogue of neither.
    m, k, n = 64, 40, 96
    a, b, b2 = rand((m, k), seed=50), rand((k, n), seed=51), rand((k, n), seed=52)
    ta, tb, tc = mlir_type((m, k)), mlir_type((k, n)), mlir_type((m, n))
    module = (f"func.func @main(%a: {ta}, %b: {tb}, %b2: {tb}) -> {tc} {{\n"
              f"  %0 = accml.matmul %a, %b : ({ta}, {tb}) -> {tc}\n"
              f"  %1 = accml.matmul %a, %b2 : ({ta}, {tb}) -> {tc}\n"
              f"  %2 = accml.add %0, %1 : ({tc}, {tc}) -> {tc}\n"
              f"  %r = accml.relu %2 : {tc}\n"
              f"  return %r : {tc}\n}}\n")
    a64 = a.astype(np.float64)
    want = np.maximum(a64 @ b.astype(np.float64) + a64 @ b2.astype(np.float64), 0)
    check(module, [a, b, b2], want, tol=F32_REDUCTION_TOL)


# (128, 300, 160): one block of rows, B packed inside the column blocks,
# which the threads share, over three kc steps. (128, 128, 3000): 93 whole
# panels (the last block of them smaller) and 24 columns in a panel of
# their own. (256, 256, 256), (300, 200, 260): several blocks of rows, B
# packed before them panel by panel across the threads, the blocks taken
# panels first; each block zeroes its own part of the result. Dynamically
# scheduled (dynamic-schedule=true) and unpacked (pack=false) as well.
@pytest.mark.parametrize("options", ["", "dynamic-schedule=true", "pack=false"])
@pytest.mark.parametrize("m,k,n", [(128, 96, 200), (1, 64, 300), (40, 32, 64),
                                   (128, 300, 160), (128, 128, 3000),
                                   (256, 256, 256), (300, 200, 260)])
def test_threaded_matmul(m, k, n, options):
    a, b = rand((m, k), seed=42), rand((k, n), seed=43)
    module = single_op_module("accml.matmul {args} : {types}", [a, b],
                              mlir_type((m, n)))
    check(module, [a, b], a.astype(np.float64) @ b.astype(np.float64),
          tol=F32_REDUCTION_TOL, threads=2,
          extra_args=[f"--pipeline-options={options}"])


@pytest.mark.parametrize("shape", [(6, 1024), (5, 128), (3, 1000)])
def test_threaded_softmax(shape):
    x = rand(shape, seed=44, low=-8, high=8)
    module = single_op_module("accml.softmax %a0 : {out_type}", [x], mlir_type(shape))
    check(module, [x], np_softmax(x), tol=F32_REDUCTION_TOL, threads=2)
