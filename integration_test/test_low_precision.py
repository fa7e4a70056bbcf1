"""f16 and bf16 through the whole pipeline, against float64 numpy references.

Every input is first rounded to the low-precision type (``np.float16`` for
f16; for bf16, f32 rounded to the nearest bf16 value, ties to even, kept in
f32 so that accml-run's f32 -> bf16 input conversion is exact). The
reference is computed in float64 from those rounded inputs, so what is
measured is the error of the compiled computation alone. f16 results must
come back as float16, bf16 results as f32 holding bf16 values.

Tolerances (``assert_allclose`` rtol/atol), by op family. u is the unit
roundoff: f16 2^-11 = 4.9e-4, bf16 2^-8 = 3.9e-3. "Measured" is the largest
error over 8 data sets (ACCML_LP_SEED=0..7, ACCML_LP_REPORT=1 prints them);
"ratio" is max |err| / (atol + rtol |want|), i.e. 1.0 would just fail.

* Products -- matmul, conv2d (+ bias): f16 rtol=atol=1e-3, bf16
  rtol=atol=1e-2 (PRODUCT_TOL). They accumulate in f32 and round once, so
  the error is half an ulp of the result: measured max relative error
  4.83e-4 (f16) and 3.83e-3 (bf16), i.e. <= u; ratio <= 0.42 (f16) and
  0.34 (bf16). An f16 accumulation of the K=300 product would give a ratio
  of ~5 (test_f16_accumulation_would_fail emulates it in numpy).
* gemm: PRODUCT_TOL, with atol raised to 2u max|alpha A B| (gemm_tol): the
  rounded product is scaled and added to beta C in the element type, so
  where the sum cancels the product's rounding error remains. Ratio <= 0.32
  (f16), 0.31 (bf16).
* Pooling: max_pool2d must be exact (measured: exact). avg_pool2d and
  global_avg_pool (sums of up to 256 terms in the element type) use the
  harness' F16_TOL / BF16_TOL, rtol=atol=2e-3 / 2e-2 (POOL_TOL); ratio
  <= 0.48 (f16), 0.35 (bf16).
* batch_norm and layer_norm over n elements (n = 1 for batch_norm), in the
  element type: rtol = atol = u (8 + sqrt(n)) (norm_tol). Several roundings
  of O(1) values (centring, mean/variance sums, rsqrt, scale, shift), plus
  sums that grow with n: measured max |err| f16 4.7e-3 (batch_norm),
  9.3e-3 (layer_norm, n=300); bf16 6.9e-2, 0.105; ratio <= 0.28 (f16),
  0.46 (bf16). The conv -> batch_norm -> relu chain uses norm_tol(n=1):
  ratio 0.21 (f16), 0.22 (bf16).
* softmax over n elements: relative, rtol = 2u (4 + sqrt(n)), atol=1e-6
  (softmax_tol; every probability is > 1e-5, and an atol of the size of the
  probabilities would hide errors at n=300). Measured max relative error
  ~6u at n<=10, ~10u at n=64, ~23u at n=300; ratio <= 0.48.
* reduce_sum / reduce_mean of n elements of [-1, 1], summed in the element
  type: the partial sums grow like sqrt(n) and each addition rounds, so the
  error grows like u n: atol = u n for a sum (u for a mean), rtol = 4u
  (reduce_tol). Measured max |err| at n=256: sum 5.3e-2 (f16), 0.49 (bf16);
  ratio <= 0.36 (f16), 0.45 (bf16).
"""

import os

import numpy as np
import pytest

from accml_testing import mlir_type, rand, run, single_op_module
from test_conv_pool import attrs, np_conv2d, np_pool

DTYPES = ["f16", "bf16"]

# Unit roundoff (half an ulp at 1, relative): f16 4.9e-4, bf16 3.9e-3.
U = {"f16": 2.0 ** -11, "bf16": 2.0 ** -8}

PRODUCT_TOL = {"f16": dict(rtol=1e-3, atol=1e-3), "bf16": dict(rtol=1e-2, atol=1e-2)}
POOL_TOL = {"f16": dict(rtol=2e-3, atol=2e-3), "bf16": dict(rtol=2e-2, atol=2e-2)}


def gemm_tol(dt, scaled_product):
    """PRODUCT_TOL, with an atol of at least 2u max|alpha A B|: the rounded
    product is added to beta C in the element type, so a result that cancels
    keeps the product's rounding error."""
    tol = dict(PRODUCT_TOL[dt])
    tol["atol"] = max(tol["atol"], 2 * U[dt] * float(np.abs(scaled_product).max()))
    return tol


def norm_tol(dt, n=1):
    """batch_norm (n = 1) and layer_norm over n elements."""
    t = U[dt] * (8 + np.sqrt(n))
    return dict(rtol=t, atol=t)


def softmax_tol(dt, n):
    """softmax over n elements: relative (every probability is > 1e-5 here)."""
    return dict(rtol=2 * U[dt] * (4 + np.sqrt(n)), atol=1e-6)


def reduce_tol(dt, n, mean=False):
    """reduce_sum / reduce_mean of n elements of [-1, 1], summed in the element
    type: atol u n for a sum (u n / n = u for a mean), rtol 4u."""
    return dict(rtol=4 * U[dt], atol=U[dt] * (1 if mean else n))


# ----------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------

def to_bf16(x):
    """f32 values rounded to the nearest bf16 (ties to even), kept as f32."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    bias = ((bits >> 16) & np.uint32(1)) + np.uint32(0x7FFF)
    return ((bits + bias) & np.uint32(0xFFFF0000)).view(np.float32)


def lowp(x, dt):
    """`x` rounded to the low-precision type `dt`, in the array type that
    accml-run reads for it (float16 for f16, float32 for bf16)."""
    if dt == "f16":
        return np.asarray(x).astype(np.float16)
    return to_bf16(np.asarray(x, dtype=np.float32))


# Seeds are offset by $ACCML_LP_SEED (default 0), to re-measure the errors
# on other data (ACCML_LP_REPORT=1 prints each test's maximum error).
SEED_OFFSET = int(os.environ.get("ACCML_LP_SEED", "0"))


def lrand(shape, dt, seed, low=-1.0, high=1.0):
    return lowp(rand(shape, seed=seed + 1000 * SEED_OFFSET, low=low, high=high), dt)


def t(shape, dt):
    return mlir_type(shape, dt)


def f64(x):
    return np.asarray(x, dtype=np.float64)


def lp_check(module, inputs, want, dt, tol, exact=False, **kwargs):
    """Runs `module`, checks the output's type and compares it with `want`."""
    outputs = run(module, inputs, **kwargs)
    assert len(outputs) == 1
    got = outputs[0]
    want = f64(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    if dt == "f16":
        assert got.dtype == np.float16, got.dtype
    else:
        # bf16 outputs come back as f32 holding bf16 values.
        assert got.dtype == np.float32, got.dtype
        low_bits = np.ascontiguousarray(got).view(np.uint32) & np.uint32(0xFFFF)
        assert not low_bits.any(), "bf16 output holds values that are not bf16"
    got = f64(got)
    assert np.isfinite(got).all()
    err = np.abs(got - want)
    if os.environ.get("ACCML_LP_REPORT"):
        ratio = err / (tol["atol"] + tol["rtol"] * np.abs(want)) if tol else err
        nz = np.abs(want) > 1e-2
        rel = (err[nz] / np.abs(want[nz])).max() if nz.any() else 0.0
        print(f"\nLPERR {os.environ.get('PYTEST_CURRENT_TEST', '').split(' ')[0]} "
              f"abs={err.max():.3g} rel={rel:.3g} ratio={ratio.max():.3g}")
    if exact:
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(got, want, **tol)
    return got


# ----------------------------------------------------------------------------
# matmul and gemm
# ----------------------------------------------------------------------------

MATMUL_SHAPES = [
    ((8, 16), (16, 8)),
    ((3, 300), (300, 5)),             # K = 300
    ((17, 33), (33, 9)),
    ((2, 4, 32), (2, 32, 6)),         # batched
    ((3, 5, 24), (24, 7)),            # N-D x 2-D
    ((1, 2, 6, 40), (3, 1, 40, 5)),   # batch broadcasting
    ((2, 3, 300), (2, 300, 4)),       # batched, K = 300
]


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("a_shape,b_shape", MATMUL_SHAPES,
                         ids=lambda s: "x".join(map(str, s)))
def test_matmul(dt, a_shape, b_shape):
    a, b = lrand(a_shape, dt, seed=1), lrand(b_shape, dt, seed=2)
    want = np.matmul(f64(a), f64(b))
    module = single_op_module("accml.matmul {args} : {types}", [a, b], t(want.shape, dt),
                              arg_types=[t(a_shape, dt), t(b_shape, dt)])
    lp_check(module, [a, b], want, dt, PRODUCT_TOL[dt])


def test_f16_accumulation_would_fail():
    """The PRODUCT_TOL bound is tight enough to see a product accumulated in
    f16 (rounded after every addition) rather than f32: a numpy emulation
    of that on the K=300 case violates it."""
    a, b = lrand((3, 300), "f16", seed=1), lrand((300, 5), "f16", seed=2)
    acc = np.zeros((3, 5), np.float16)
    for k in range(300):
        acc = (acc + np.outer(a[:, k], b[k]).astype(np.float16)).astype(np.float16)
    want = f64(a) @ f64(b)
    tol = PRODUCT_TOL["f16"]
    assert not np.allclose(f64(acc), want, **tol)
    once = (f64(a) @ f64(b)).astype(np.float16)
    np.testing.assert_allclose(f64(once), want, **tol)


def gemm_attrs(trans_a=False, trans_b=False, alpha=None, beta=None):
    parts = []
    if trans_a:
        parts.append("trans_a = true")
    if trans_b:
        parts.append("trans_b = true")
    if alpha is not None:
        parts.append(f"alpha = {alpha:e} : f32")
    if beta is not None:
        parts.append(f"beta = {beta:e} : f32")
    return (" {{" + ", ".join(parts) + "}}") if parts else ""


GEMM_CASES = [
    # M, K, N, trans_a, trans_b, alpha, beta, c_shape
    (4, 16, 6, False, False, None, None, None),
    (5, 24, 7, False, True, None, None, (7,)),
    (5, 24, 7, True, False, 0.5, 2.0, (5, 1)),
    (3, 300, 8, False, True, 0.25, 1.0, (3, 8)),
]


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("m,k,n,trans_a,trans_b,alpha,beta,c_shape", GEMM_CASES)
def test_gemm(dt, m, k, n, trans_a, trans_b, alpha, beta, c_shape):
    a = lrand((k, m) if trans_a else (m, k), dt, seed=3)
    b = lrand((n, k) if trans_b else (k, n), dt, seed=4)
    inputs, types = [a, b], [t(a.shape, dt), t(b.shape, dt)]
    op_a = f64(a).T if trans_a else f64(a)
    op_b = f64(b).T if trans_b else f64(b)
    want = scaled = (1.0 if alpha is None else alpha) * (op_a @ op_b)
    if c_shape is not None:
        c = lrand(c_shape, dt, seed=5)
        inputs.append(c)
        types.append(t(c_shape, dt))
        want = want + (1.0 if beta is None else beta) * f64(c)
    want = np.broadcast_to(want, (m, n))
    module = single_op_module("accml.gemm {args}" + gemm_attrs(trans_a, trans_b, alpha, beta)
                              + " : {types}", inputs, t((m, n), dt), arg_types=types)
    lp_check(module, inputs, want, dt, gemm_tol(dt, scaled))


# ----------------------------------------------------------------------------
# conv2d
# ----------------------------------------------------------------------------

CONV_CASES = {
    # (N, C, H, W), (F, C/g, KH, KW), strides, pads, groups, bias
    "plain": ((1, 3, 8, 8), (4, 3, 3, 3), (1, 1), (0, 0, 0, 0), 1, False),
    "strided_padded": ((2, 3, 9, 7), (5, 3, 3, 3), (2, 2), (1, 1, 1, 1), 1, True),
    "asym_pads": ((1, 4, 11, 10), (6, 4, 3, 3), (1, 2), (2, 1, 0, 3), 1, False),
    "depthwise": ((1, 8, 7, 7), (8, 1, 3, 3), (1, 1), (1, 1, 1, 1), 8, True),
    "depthwise_strided": ((1, 8, 10, 10), (8, 1, 3, 3), (2, 2), (1, 1, 1, 1), 8, False),
    "grouped": ((1, 6, 8, 8), (4, 3, 3, 3), (1, 1), (1, 1, 1, 1), 2, True),
    "bias_1x1": ((1, 16, 7, 7), (32, 16, 1, 1), (1, 1), (0, 0, 0, 0), 1, True),
    "k144_bias": ((1, 16, 10, 10), (8, 16, 3, 3), (1, 1), (1, 1, 1, 1), 1, True),
}



@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("case", sorted(CONV_CASES))
def test_conv2d(dt, case):
    xs, ws, strides, pads, groups, bias = CONV_CASES[case]
    x, w = lrand(xs, dt, seed=6), lrand(ws, dt, seed=7)
    inputs, types = [x, w], [t(xs, dt), t(ws, dt)]
    b = None
    if bias:
        b = lrand((ws[0],), dt, seed=8)
        inputs.append(b)
        types.append(t((ws[0],), dt))
    want = np_conv2d(f64(x), f64(w), None if b is None else f64(b), strides, pads,
                     groups=groups)
    op = ("accml.conv2d {args} "
          + attrs(strides=list(strides), pads=list(pads), groups=groups) + " : {types}")
    module = single_op_module(op, inputs, t(want.shape, dt), arg_types=types)
    lp_check(module, inputs, want, dt, PRODUCT_TOL[dt])


# ----------------------------------------------------------------------------
# pooling
# ----------------------------------------------------------------------------

POOL_CASES = {
    # shape, kernel, strides, pads, ceil_mode, count_include_pad
    "2x2s2": ((1, 2, 8, 8), (2, 2), (2, 2), (0, 0, 0, 0), False, False),
    "3x3s2p1": ((2, 3, 9, 9), (3, 3), (2, 2), (1, 1, 1, 1), False, False),
    "3x3s2p1_incl_pad": ((1, 2, 7, 7), (3, 3), (2, 2), (1, 1, 1, 1), False, True),
    "2x2_ceil": ((1, 2, 7, 7), (2, 2), (2, 2), (0, 0, 0, 0), True, False),
}


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("case", sorted(POOL_CASES))
def test_pool2d(dt, kind, case):
    shape, kernel, strides, pads, ceil_mode, count_include_pad = POOL_CASES[case]
    # Values in [-4, 4]: sums of a window leave [-1, 1].
    x = lrand(shape, dt, seed=9, low=-4, high=4)
    want = np_pool(f64(x), kernel, strides, pads, (1, 1), ceil_mode, kind, count_include_pad)
    extra = dict(count_include_pad=count_include_pad) if kind == "avg" else {}
    op = (f"accml.{kind}_pool2d %a0 "
          + attrs(kernel_shape=list(kernel), strides=list(strides), pads=list(pads),
                  ceil_mode=ceil_mode, **extra)
          + " : {in_type} -> {out_type}")
    module = single_op_module(op, [x], t(want.shape, dt), arg_types=[t(shape, dt)])
    lp_check(module, [x], want, dt, POOL_TOL[dt], exact=(kind == "max"))


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("shape", [(1, 3, 7, 7), (2, 4, 5), (1, 4, 16, 16)])
def test_global_avg_pool(dt, shape):
    x = lrand(shape, dt, seed=10)
    want = f64(x).mean(axis=tuple(range(2, len(shape))), keepdims=True)
    module = single_op_module("accml.global_avg_pool %a0 : {in_type} -> {out_type}",
                              [x], t(want.shape, dt), arg_types=[t(shape, dt)])
    lp_check(module, [x], want, dt, POOL_TOL[dt])


# ----------------------------------------------------------------------------
# normalisations and softmax
# ----------------------------------------------------------------------------

def bn_inputs(c, dt, seed):
    scale = lrand((c,), dt, seed=seed, low=0.5, high=1.5)
    bias = lrand((c,), dt, seed=seed + 1)
    mean = lrand((c,), dt, seed=seed + 2, low=-0.5, high=0.5)
    var = lrand((c,), dt, seed=seed + 3, low=0.1, high=2.0)
    return [scale, bias, mean, var]


def ref_batch_norm(x, scale, bias, mean, var, eps):
    shape = (1, -1) + (1,) * (x.ndim - 2)
    r = lambda v: f64(v).reshape(shape)
    return r(scale) * (f64(x) - r(mean)) / np.sqrt(r(var) + eps) + r(bias)


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("shape", [(2, 4, 5, 5), (3, 6, 7), (4, 17)])
def test_batch_norm(dt, shape):
    c = shape[1]
    x = lrand(shape, dt, seed=11, low=-2, high=2)
    params = bn_inputs(c, dt, seed=12)
    want = ref_batch_norm(x, *params, eps=1e-3)
    tx, tv = t(shape, dt), t((c,), dt)
    module = single_op_module(
        f"accml.batch_norm {{args}} {{{{epsilon = 1.0e-03 : f32}}}} : {tx}, {tv}, {tv}, {tv}, {tv}",
        [x, *params], tx, arg_types=[tx] + [tv] * 4)
    lp_check(module, [x, *params], want, dt, norm_tol(dt))


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("shape,axis,param_shape,with_bias", [
    ((2, 5, 16), -1, (16,), True),
    ((3, 7), -1, (7,), False),
    ((2, 5, 16), 1, (5, 16), True),
    ((1, 4, 300), 2, (300,), True),
])
def test_layer_norm(dt, shape, axis, param_shape, with_bias):
    x = lrand(shape, dt, seed=13, low=-2, high=2)
    scale = lrand(param_shape, dt, seed=14, low=0.5, high=1.5)
    bias = lrand(param_shape, dt, seed=15)
    axes = tuple(range(axis % len(shape), len(shape)))
    xd = f64(x)
    mean = xd.mean(axis=axes, keepdims=True)
    var = ((xd - mean) ** 2).mean(axis=axes, keepdims=True)
    want = (xd - mean) / np.sqrt(var + 1e-5) * f64(scale)
    inputs, types = [x, scale], [t(shape, dt), t(param_shape, dt)]
    if with_bias:
        want = want + f64(bias)
        inputs.append(bias)
        types.append(t(param_shape, dt))
    module = single_op_module(
        f"accml.layer_norm {{args}} {{{{axis = {axis} : i64}}}} : {', '.join(types)}",
        inputs, t(shape, dt), arg_types=types)
    n = int(np.prod([shape[a] for a in axes]))
    lp_check(module, inputs, want, dt, norm_tol(dt, n))


def ref_softmax(x, axis):
    x = f64(x)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("shape,axis", [((2, 10), -1), ((2, 10), 0), ((3, 4, 5), 1),
                                        ((4, 64), -1), ((2, 300), -1)])
def test_softmax(dt, shape, axis):
    x = lrand(shape, dt, seed=16, low=-4, high=4)
    want = ref_softmax(x, axis)
    module = single_op_module(f"accml.softmax %a0 {{{{axis = {axis} : i64}}}} : {{out_type}}",
                              [x], t(shape, dt), arg_types=[t(shape, dt)])
    lp_check(module, [x], want, dt, softmax_tol(dt, shape[axis]))


# ----------------------------------------------------------------------------
# reductions
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("dt", DTYPES)
@pytest.mark.parametrize("op", ["reduce_sum", "reduce_mean"])
@pytest.mark.parametrize("shape,axes,keepdims", [
    ((4, 8), [1], False),
    ((2, 3, 4), [0, 2], True),
    ((3, 17), [0], False),
    ((4, 256), [-1], True),
    ((6, 50), [], False),
])
def test_reduce(dt, op, shape, axes, keepdims):
    x = lrand(shape, dt, seed=17)
    fn = np.sum if op == "reduce_sum" else np.mean
    want = fn(f64(x), axis=tuple(axes) if axes else None, keepdims=keepdims)
    parts = [f"keepdims = {'true' if keepdims else 'false'}"]
    if axes:
        parts.append(f"axes = array<i64: {', '.join(map(str, axes))}>")
    count = int(np.prod([shape[a] for a in axes])) if axes else int(np.prod(shape))
    module = single_op_module(
        f"accml.{op} %a0 {{{{{', '.join(parts)}}}}} : {{in_type}} -> {{out_type}}",
        [x], t(np.shape(want), dt), arg_types=[t(shape, dt)])
    lp_check(module, [x], want, dt, reduce_tol(dt, count, mean=(op == "reduce_mean")))


# ----------------------------------------------------------------------------
# a small chain: conv -> batch_norm -> relu
# ----------------------------------------------------------------------------

@pytest.mark.parametrize("dt", DTYPES)
def test_conv_bn_relu(dt):
    x = lrand((1, 4, 8, 8), dt, seed=18)
    # 36 taps: weights in [-0.3, 0.3] keep the conv output O(1).
    w = lrand((6, 4, 3, 3), dt, seed=19, low=-0.3, high=0.3)
    b = lrand((6,), dt, seed=20, low=-0.2, high=0.2)
    params = bn_inputs(6, dt, seed=21)
    xt, wt, vt, yt = t((1, 4, 8, 8), dt), t((6, 4, 3, 3), dt), t((6,), dt), t((1, 6, 8, 8), dt)
    module = f"""
func.func @main(%x: {xt}, %w: {wt}, %b: {vt}, %s: {vt}, %bb: {vt}, %m: {vt}, %v: {vt}) -> {yt} {{
  %0 = accml.conv2d %x, %w, %b {{pads = array<i64: 1, 1, 1, 1>}} : ({xt}, {wt}, {vt}) -> {yt}
  %1 = accml.batch_norm %0, %s, %bb, %m, %v {{epsilon = 1.0e-05 : f32}} : {yt}, {vt}, {vt}, {vt}, {vt}
  %2 = accml.relu %1 : {yt}
  return %2 : {yt}
}}
"""
    conv = np_conv2d(f64(x), f64(w), f64(b), pads=(1, 1, 1, 1))
    want = np.maximum(ref_batch_norm(conv, *params, eps=1e-5), 0.0)
    lp_check(module, [x, w, b, *params], want, dt, norm_tol(dt))
