"""Numerical tests of AccML's elementwise ops through the whole pipeline
(convert-accml-to-linalg, accml-cpu-pipeline, JIT) against numpy.

Every reference is computed in float64 (or exact integer arithmetic) from
the very inputs fed to the compiled function, following the ONNX semantics
the dialect documents (docs/Dialects/Accml.md)."""

import math

import numpy as np
import pytest

from accml_testing import (BF16_TOL, F16_TOL, check, mlir_type,
                           rand, single_op_module, type_of)

F64 = np.float64
_erf = np.vectorize(math.erf, otypes=[F64])


def _params(names, xfails):
    return [pytest.param(n, marks=xfails[n]) if n in xfails else n
            for n in names]


def f64(x):
    return np.asarray(x).astype(F64)


def run_and_check(module, inputs, expected, tol=None, out_dtype=None,
                  **kwargs):
    """`check`, and also the element type of the (single) output."""
    outputs = check(module, inputs, expected, tol=tol, **kwargs)
    if out_dtype is not None:
        assert outputs[0].dtype == np.dtype(out_dtype), outputs[0].dtype
    return outputs


def rand_nonzero(shape, dtype=np.float32, seed=0, low=0.25, high=2.0):
    """Values of magnitude in [low, high) and random sign."""
    rng = np.random.default_rng(seed + 1000)
    sign = np.where(rng.integers(0, 2, size=shape) == 0, -1, 1)
    if np.issubdtype(np.dtype(dtype), np.integer):
        mag = rng.integers(int(low), int(high), size=shape)
    else:
        mag = rng.uniform(low, high, size=shape)
    return np.asarray(sign * mag).astype(dtype)


def to_bf16_values(x):
    """Rounds f32 values to the nearest bf16 value (ties to even), kept as
    f32, so that the runtime's f32 -> bf16 input conversion is exact."""
    bits = np.ascontiguousarray(x, dtype=np.float32).view(np.uint32)
    bias = ((bits >> 16) & 1) + np.uint32(0x7FFF)
    return ((bits + bias) & np.uint32(0xFFFF0000)).view(np.float32)


def fmt_f32(v):
    return f"{float(np.float32(v))!r} : f32"


# ---------------------------------------------------------------------------
# Binary ops with broadcasting
# ---------------------------------------------------------------------------

def _int_div(a, b):
    """C division (truncation toward zero), exactly, on int64."""
    a, b = a.astype(np.int64), b.astype(np.int64)
    return np.sign(a) * np.sign(b) * (np.abs(a) // np.abs(b))


# name: (float reference on float64, int reference on int64 or None,
#        is comparison)
BINARY = {
    "add": (np.add, np.add, False),
    "sub": (np.subtract, np.subtract, False),
    "mul": (np.multiply, np.multiply, False),
    "div": (np.divide, _int_div, False),
    "pow": (np.power, None, False),
    "max": (np.maximum, np.maximum, False),
    "min": (np.minimum, np.minimum, False),
    "equal": (np.equal, np.equal, True),
    "less": (np.less, np.less, True),
    "greater": (np.greater, np.greater, True),
}

SHAPES = {
    "same": ((3, 4), (3, 4)),
    "scalar_rhs": ((3, 4), ()),
    "scalar_lhs": ((), (3, 4)),
    "scalar_both": ((), ()),
    "row_col": ((4, 1), (1, 5)),
    "col_row": ((1, 5), (4, 1)),
    "rank_mismatch": ((2, 3, 4), (4,)),
    "rank_mismatch_lhs": ((4,), (2, 3, 4)),
    "mid_broadcast": ((2, 1, 4), (3, 1)),
    "odd1": ((1,), (1,)),
    "odd3": ((3,), (3,)),
    "odd17": ((17,), (17,)),
    "odd127": ((127,), (127,)),
    "odd17x127": ((17, 1), (1, 127)),
}


def binary_inputs(name, shape_a, shape_b, dtype):
    dtype = np.dtype(dtype)
    if name in ("equal", "less", "greater"):
        # Few distinct values, so that ties occur often.
        a = rand(shape_a, np.int32, seed=1, low=-2, high=3).astype(dtype)
        b = rand(shape_b, np.int32, seed=2, low=-2, high=3).astype(dtype)
        return a, b
    if dtype.kind == "f":
        if name == "pow":
            return (rand(shape_a, dtype, seed=1, low=0.1, high=3.0),
                    rand(shape_b, dtype, seed=2, low=-2.0, high=2.0))
        a = rand(shape_a, dtype, seed=1, low=-2.0, high=2.0)
        if name == "div":
            return a, rand_nonzero(shape_b, dtype, seed=2, low=0.25, high=4.0)
        return a, rand(shape_b, dtype, seed=2, low=-2.0, high=2.0)
    # Integer ranges where add, sub and mul cannot overflow.
    bound = {np.dtype(np.int8): 11, np.dtype(np.int32): 40000,
             np.dtype(np.int64): 3_000_000_000}[dtype]
    a = rand(shape_a, dtype, seed=1, low=-bound, high=bound + 1)
    if name == "div":
        return a, rand_nonzero(shape_b, dtype, seed=2, low=1, high=10)
    return a, rand(shape_b, dtype, seed=2, low=-bound, high=bound + 1)


def binary_module(name, a, b, out_shape, out_elt, arg_types=None):
    return single_op_module(f"accml.{name} {{args}} : {{types}}", [a, b],
                            mlir_type(out_shape, out_elt), arg_types)


@pytest.mark.parametrize("shapes", list(SHAPES.values()), ids=list(SHAPES))
@pytest.mark.parametrize("name", list(BINARY))
def test_binary_f32(name, shapes):
    fref, _, is_cmp = BINARY[name]
    a, b = binary_inputs(name, *shapes, np.float32)
    want = fref(f64(a), f64(b))
    out_elt = "i1" if is_cmp else "f32"
    module = binary_module(name, a, b, want.shape, out_elt)
    run_and_check(module, [a, b], want,
                  out_dtype=np.bool_ if is_cmp else np.float32)


INT_BINARY = [n for n, (_, iref, _) in BINARY.items() if iref is not None]


@pytest.mark.parametrize("shapes", [SHAPES["same"], SHAPES["row_col"],
                                    SHAPES["rank_mismatch"],
                                    SHAPES["scalar_rhs"]],
                         ids=["same", "row_col", "rank_mismatch", "scalar"])
@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64],
                         ids=["i8", "i32", "i64"])
@pytest.mark.parametrize("name", INT_BINARY)
def test_binary_int(name, dtype, shapes):
    _, iref, is_cmp = BINARY[name]
    a, b = binary_inputs(name, *shapes, dtype)
    want = iref(a.astype(np.int64), b.astype(np.int64))
    if not is_cmp:
        assert want.min() >= np.iinfo(dtype).min
        assert want.max() <= np.iinfo(dtype).max
        want = want.astype(dtype)
    out_elt = "i1" if is_cmp else mlir_type((), dtype)[7:-1]
    module = binary_module(name, a, b, want.shape, out_elt)
    run_and_check(module, [a, b], want,
                  out_dtype=np.bool_ if is_cmp else dtype)


def test_div_int_truncates_toward_zero():
    # Every sign combination, exact and inexact quotients.
    a = np.array([7, -7, 7, -7, 6, -6, 1, -1, 0, 127, -128, 5],
                 dtype=np.int32)
    b = np.array([2, 2, -2, -2, 3, 3, 2, 2, 5, -1, 3, -7], dtype=np.int32)
    want = np.array([3, -3, -3, 3, 2, -2, 0, 0, 0, -127, -42, 0],
                    dtype=np.int32)
    assert np.array_equal(want, _int_div(a, b))  # the numpy reference
    run_and_check(binary_module("div", a, b, a.shape, "i32"), [a, b], want,
                  out_dtype=np.int32)


def test_equal_i1():
    a, b = rand((4, 5), np.bool_, seed=1), rand((5,), np.bool_, seed=2)
    want = np.equal(a, b)
    run_and_check(binary_module("equal", a, b, want.shape, "i1"), [a, b],
                  want, out_dtype=np.bool_)


def test_max_min_nan_propagates():
    a = np.array([np.nan, 1.0, np.nan, -2.0], dtype=np.float32)
    b = np.array([0.0, np.nan, np.nan, 3.0], dtype=np.float32)
    for name, fref in (("max", np.maximum), ("min", np.minimum)):
        want = fref(f64(a), f64(b))
        assert np.isnan(want[:3]).all()
        run_and_check(binary_module(name, a, b, a.shape, "f32"), [a, b],
                      want, out_dtype=np.float32)


def test_pow_negative_base_integer_exponent():
    # ONNX Pow (like numpy) is defined for a negative base with an
    # integral exponent; 0^0 = 1 and 0^y = 0 for y > 0.
    a = np.array([-2.0, -2.0, -3.0, -0.5, -2.0, 0.0, 0.0, 2.0, -1.0],
                 dtype=np.float32)
    b = np.array([2.0, 3.0, -1.0, 2.0, 0.0, 0.0, 2.5, -0.5, 7.0],
                 dtype=np.float32)
    want = np.power(f64(a), f64(b))
    assert np.isfinite(want).all()
    run_and_check(binary_module("pow", a, b, a.shape, "f32"), [a, b], want,
                  out_dtype=np.float32)


def test_pow_common_exponents():
    # Importers see x^2, x^0.5, x^-1, x^3 constantly; any sign of x for the
    # integral ones.
    x = rand((4, 9), seed=3, low=-3, high=3)
    for e in (2.0, 3.0, -1.0, 1.0, 0.0):
        y = np.array(e, dtype=np.float32)
        want = np.power(f64(x), e)
        run_and_check(binary_module("pow", x, y, x.shape, "f32"), [x, y],
                      want, out_dtype=np.float32)
    xp = np.abs(x) + np.float32(0.01)
    y = np.array(0.5, dtype=np.float32)
    run_and_check(binary_module("pow", xp, y, x.shape, "f32"), [xp, y],
                  np.sqrt(f64(xp)), out_dtype=np.float32)


def test_compare_special_floats():
    nan, inf = np.nan, np.inf
    a = np.array([0.0, -0.0, nan, nan, 1.0, inf, -inf, inf],
                 dtype=np.float32)
    b = np.array([-0.0, 0.0, nan, 1.0, nan, inf, inf, 1e30],
                 dtype=np.float32)
    for name in ("equal", "less", "greater"):
        want = BINARY[name][0](f64(a), f64(b))
        run_and_check(binary_module(name, a, b, a.shape, "i1"), [a, b],
                      want, out_dtype=np.bool_)


def test_div_float_by_zero():
    a = np.array([1.0, -1.0, 0.0, 2.5], dtype=np.float32)
    b = np.array([0.0, 0.0, 0.0, -0.0], dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        want = f64(a) / f64(b)
    run_and_check(binary_module("div", a, b, a.shape, "f32"), [a, b], want,
                  out_dtype=np.float32)


# ---------------------------------------------------------------------------
# where (3-way broadcasting)
# ---------------------------------------------------------------------------

WHERE_SHAPES = {
    "same": ((3, 4), (3, 4), (3, 4)),
    "three_way": ((4, 1), (1, 5), ()),
    "rank_mismatch": ((2, 3, 4), (4,), (3, 1)),
    "cond_scalar": ((), (3, 4), (4,)),
    "cond_broadcast": ((5,), (3, 1), (3, 5)),
    "odd": ((17, 1), (1, 127), (127,)),
}


@pytest.mark.parametrize("dtype", [np.float32, np.int32, np.int64, np.int8,
                                   np.bool_],
                         ids=["f32", "i32", "i64", "i8", "i1"])
@pytest.mark.parametrize("shapes", list(WHERE_SHAPES.values()),
                         ids=list(WHERE_SHAPES))
def test_where(shapes, dtype):
    sc, sx, sy = shapes
    c = rand(sc, np.bool_, seed=3)
    x = rand(sx, dtype, seed=4, low=-50, high=50)
    y = rand(sy, dtype, seed=5, low=-50, high=50)
    want = np.where(c, x, y)
    if np.dtype(dtype).kind == "f":
        want = np.where(c, f64(x), f64(y))
    module = single_op_module("accml.where {args} : {types}", [c, x, y],
                              mlir_type(want.shape, dtype))
    run_and_check(module, [c, x, y], want, out_dtype=dtype)


# ---------------------------------------------------------------------------
# Unary ops
# ---------------------------------------------------------------------------

def _gelu(x):
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


def _gelu_tanh(x):
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi)
                                  * (x + 0.044715 * x ** 3)))


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _hard_sigmoid(alpha, beta):
    return lambda x: np.maximum(0, np.minimum(1, alpha * x + beta))


def _elu(alpha):
    return lambda x: np.where(x > 0, x, alpha * (np.exp(x) - 1))


def _leaky(alpha):
    return lambda x: np.where(x >= 0, x, alpha * x)


def _clip(lo, hi):
    def f(x):
        if lo is not None:
            x = np.maximum(x, lo)
        if hi is not None:
            x = np.minimum(x, hi)
        return x
    return f


# id: (op name, attribute text, (low, high) of the inputs or "nonzero",
#      float64 reference)
UNARY = {
    "neg": ("neg", "", (-3, 3), np.negative),
    "abs": ("abs", "", (-3, 3), np.abs),
    "exp": ("exp", "", (-5, 5), np.exp),
    "log": ("log", "", (0.01, 20), np.log),
    "sqrt": ("sqrt", "", (0.0, 20), np.sqrt),
    "rsqrt": ("rsqrt", "", (0.01, 20), lambda x: 1 / np.sqrt(x)),
    "reciprocal": ("reciprocal", "", "nonzero", lambda x: 1 / x),
    "tanh": ("tanh", "", (-5, 5), np.tanh),
    "sigmoid": ("sigmoid", "", (-10, 10), _sigmoid),
    "relu": ("relu", "", (-3, 3), lambda x: np.maximum(x, 0)),
    "leaky_relu": ("leaky_relu", "", (-3, 3), _leaky(0.01)),
    "leaky_relu_0.2": ("leaky_relu", f"{{alpha = {fmt_f32(0.2)}}}", (-3, 3),
                       _leaky(0.2)),
    "elu": ("elu", "", (-4, 3), _elu(1.0)),
    "elu_0.5": ("elu", f"{{alpha = {fmt_f32(0.5)}}}", (-4, 3), _elu(0.5)),
    "gelu": ("gelu", "", (-5, 5), _gelu),
    "gelu_tanh": ("gelu", '{approximate = "tanh"}', (-5, 5), _gelu_tanh),
    "gelu_none": ("gelu", '{approximate = "none"}', (-5, 5), _gelu),
    "erf": ("erf", "", (-3, 3), _erf),
    "silu": ("silu", "", (-8, 8), lambda x: x * _sigmoid(x)),
    "hard_sigmoid": ("hard_sigmoid", "", (-5, 5), _hard_sigmoid(0.2, 0.5)),
    "hard_sigmoid_torch": ("hard_sigmoid",
                           f"{{alpha = {fmt_f32(1 / 6)}}}", (-5, 5),
                           _hard_sigmoid(1 / 6, 0.5)),
    "hard_sigmoid_ab": ("hard_sigmoid",
                        f"{{alpha = {fmt_f32(0.5)}, beta = {fmt_f32(0.25)}}}",
                        (-5, 5), _hard_sigmoid(0.5, 0.25)),
    "hard_swish": ("hard_swish", "", (-5, 5),
                   lambda x: x * np.maximum(0, np.minimum(1, x / 6 + 0.5))),
    "clamp_min_max": ("clamp", "{min = 0.0, max = 6.0}", (-10, 10),
                      _clip(0.0, 6.0)),
    "clamp_min": ("clamp", "{min = -0.5}", (-3, 3), _clip(-0.5, None)),
    "clamp_max": ("clamp", "{max = 0.25}", (-3, 3), _clip(None, 0.25)),
    "clamp_none": ("clamp", "", (-3, 3), _clip(None, None)),
    # ONNX: with min > max every element becomes max.
    "clamp_min_gt_max": ("clamp", "{min = 1.0, max = -1.0}", (-3, 3),
                         lambda x: np.full_like(x, -1.0)),
}

UNARY_SHAPES = {"2d": (4, 17), "odd127": (127,), "one": (1,), "scalar": ()}


def unary_input(lohi, shape, dtype=np.float32, seed=7):
    if lohi == "nonzero":
        return rand_nonzero(shape, dtype, seed=seed, low=0.05, high=10)
    return rand(shape, dtype, seed=seed, low=lohi[0], high=lohi[1])


def unary_module(op, attrs, x, out_type=None, arg_type=None):
    attrs = (" " + attrs.replace("{", "{{").replace("}", "}}")) if attrs \
        else ""
    arg_types = [arg_type] if arg_type else None
    out_type = out_type or arg_type or type_of(x)
    return single_op_module(f"accml.{op} {{args}}{attrs} : {{out_type}}",
                            [x], out_type, arg_types)


@pytest.mark.parametrize("shape", list(UNARY_SHAPES.values()),
                         ids=list(UNARY_SHAPES))
@pytest.mark.parametrize("case", _params(UNARY,
                                         {}))
def test_unary_f32(case, shape):
    op, attrs, lohi, fref = UNARY[case]
    x = unary_input(lohi, shape)
    run_and_check(unary_module(op, attrs, x), [x], fref(f64(x)),
                  out_dtype=np.float32)


def test_unary_special_values():
    # Exact zeros, saturation and large magnitudes.
    x = np.array([0.0, -0.0, 1e-30, -1e-30, 30.0, -30.0, 80.0, -80.0,
                  1e-3, -1e-3], dtype=np.float32)
    for case in ("tanh", "sigmoid", "relu", "erf", "gelu", "gelu_tanh",
                 "silu", "elu", "hard_swish", "abs", "neg"):
        op, attrs, _, fref = UNARY[case]
        run_and_check(unary_module(op, attrs, x), [x], fref(f64(x)),
                      out_dtype=np.float32)


DENSE_RANGES = {
    "exp": (-87, 88), "log": (1e-6, 1e6), "tanh": (-12, 12),
    "sigmoid": (-40, 40), "erf": (-6, 6), "gelu": (-10, 10),
    "gelu_tanh": (-10, 10), "silu": (-30, 30), "elu": (-20, 5),
    "sqrt": (0, 1e4), "rsqrt": (1e-4, 1e4),
}


@pytest.mark.parametrize("case", list(DENSE_RANGES))
def test_unary_dense_range(case):
    # 4099 points over the whole useful range (every branch of a
    # polynomial approximation); an odd size leaves a vector remainder.
    op, attrs, _, fref = UNARY[case]
    lo, hi = DENSE_RANGES[case]
    space = np.geomspace if case in ("log", "rsqrt") else np.linspace
    x = space(lo, hi, 4099).astype(np.float32).reshape(1, 4099)
    run_and_check(unary_module(op, attrs, x), [x], fref(f64(x)),
                  out_dtype=np.float32)


def test_unary_ieee_edges():
    # exp overflow and underflow, log(0), sqrt(0), rsqrt(+inf), 1/-0.
    cases = [
        ("exp", [100.0, -100.0, 0.0, 88.0], np.exp),
        ("log", [0.0, 1.0, np.inf, 1e-30], np.log),
        ("sqrt", [0.0, -0.0, np.inf, 1e-30], np.sqrt),
        ("rsqrt", [np.inf, 1e-30, 4.0, 1e30], lambda x: 1 / np.sqrt(x)),
        ("reciprocal", [-0.0, 0.0, np.inf, 1e-30], lambda x: 1 / x),
    ]
    for op, values, fref in cases:
        x = np.array(values, dtype=np.float32)
        with np.errstate(divide="ignore", over="ignore"):
            # Float64 values past the f32 range become inf, as in f32.
            want = f64(fref(f64(x)).astype(np.float32))
        run_and_check(unary_module(op, "", x), [x], want,
                      out_dtype=np.float32)


# (op, attributes, element type, (low, high), int64 reference)
INT_UNARY = {
    "relu_i32": ("relu", "", np.int32, (-100, 100), lambda x: np.maximum(x, 0)),
    "relu_i8": ("relu", "", np.int8, (-100, 100), lambda x: np.maximum(x, 0)),
    "relu_i64": ("relu", "", np.int64, (-5e9, 5e9), lambda x: np.maximum(x, 0)),
    "neg_i32": ("neg", "", np.int32, (-100, 100), np.negative),
    "neg_i8": ("neg", "", np.int8, (-127, 127), np.negative),
    "abs_i32": ("abs", "", np.int32, (-100, 100), np.abs),
    "abs_i64": ("abs", "", np.int64, (-5e9, 5e9), np.abs),
    "clamp_i32": ("clamp", "{min = -3.0, max = 5.0}", np.int32, (-10, 10),
                  _clip(-3, 5)),
    "clamp_i32_min": ("clamp", "{min = 0.0}", np.int32, (-10, 10),
                      _clip(0, None)),
    "clamp_i8": ("clamp", "{min = -20.0, max = 20.0}", np.int8, (-120, 120),
                 _clip(-20, 20)),
    "clamp_i64": ("clamp", "{min = -4.0e9, max = 4.0e9}", np.int64,
                  (-5e9, 5e9), _clip(-4_000_000_000, 4_000_000_000)),
}


@pytest.mark.parametrize("shape", [(4, 17), ()], ids=["2d", "scalar"])
@pytest.mark.parametrize("case", list(INT_UNARY))
def test_unary_int(case, shape):
    op, attrs, dtype, (lo, hi), iref = INT_UNARY[case]
    x = rand(shape, dtype, seed=8, low=lo, high=hi)
    want = iref(x.astype(np.int64)).astype(dtype)
    run_and_check(unary_module(op, attrs, x), [x], want, out_dtype=dtype)


# ---------------------------------------------------------------------------
# cast
# ---------------------------------------------------------------------------

def _cast_cases():
    rng = np.random.default_rng(11)
    f = rng.uniform(-100, 100, size=(5, 7)).astype(np.float32)
    f[0, :6] = [0.0, -0.0, 0.4, -0.4, 0.99, -0.99]  # truncation toward zero
    f_bool = f.copy()
    f_bool[1, :4] = [1e-30, -1e-30, 0.0, -0.0]
    b = rng.integers(0, 2, size=(5, 7)).astype(np.bool_)
    i32 = rng.integers(-100000, 100000, size=(5, 7)).astype(np.int32)
    i32[0, :4] = [0, -1, 2**31 - 1, -2**31]
    i64 = rng.integers(-2**31, 2**31, size=(5, 7)).astype(np.int64)
    i64[0, :4] = [0, -1, 2**31 - 1, -2**31]
    i8 = rng.integers(-128, 128, size=(5, 7)).astype(np.int8)
    i8[0, :3] = [-128, 127, -1]
    f16 = rng.uniform(-100, 100, size=(5, 7)).astype(np.float16)
    ints_as_f32 = rng.integers(-120, 120, size=(5, 7)).astype(np.float32)
    # id: (input, result element type, reference, output dtype, tolerance)
    return {
        "f32_to_i32": (f, "i32", np.trunc(f64(f)).astype(np.int32),
                       np.int32, None),
        "f32_to_i64": (f, "i64", np.trunc(f64(f)).astype(np.int64),
                       np.int64, None),
        "f32_to_i8": (ints_as_f32 + np.float32(0.5), "i8",
                      np.trunc(f64(ints_as_f32 + np.float32(0.5)))
                      .astype(np.int8), np.int8, None),
        "f32_to_f16": (f, "f16", f64(f), np.float16, F16_TOL),
        "f32_to_bf16": (f, "bf16", f64(f), np.float32, BF16_TOL),
        "f32_to_i1": (f_bool, "i1", f64(f_bool) != 0, np.bool_, None),
        "i1_to_f32": (b, "f32", f64(b), np.float32, None),
        "i1_to_i32": (b, "i32", b.astype(np.int32), np.int32, None),
        "i32_to_f32": (i32, "f32", f64(i32), np.float32, None),
        "i32_to_i64": (i32, "i64", i32.astype(np.int64), np.int64, None),
        "i32_to_i1": (i32, "i1", i32 != 0, np.bool_, None),
        "i64_to_i32": (i64, "i32", i64.astype(np.int32), np.int32, None),
        "i8_to_i32": (i8, "i32", i8.astype(np.int32), np.int32, None),
        "i8_to_f32": (i8, "f32", f64(i8), np.float32, None),
        "f16_to_f32": (f16, "f32", f64(f16), np.float32, None),
        "f32_to_f32": (f, "f32", f64(f), np.float32, None),
    }


CAST_CASES = _cast_cases()


@pytest.mark.parametrize("case", _params(CAST_CASES,
                                         {}))
def test_cast(case):
    x, elt, want, out_dtype, tol = CAST_CASES[case]
    out_type = mlir_type(x.shape, elt)
    module = single_op_module("accml.cast {args} : {in_type} to {out_type}",
                              [x], out_type)
    run_and_check(module, [x], want, tol=tol, out_dtype=out_dtype)


def test_cast_scalar():
    x = np.array(-2.75, dtype=np.float32)
    module = single_op_module("accml.cast {args} : {in_type} to {out_type}",
                              [x], "tensor<i32>")
    run_and_check(module, [x], np.array(-2, dtype=np.int32),
                  out_dtype=np.int32)


# ---------------------------------------------------------------------------
# f16 and bf16
# ---------------------------------------------------------------------------

F16_BINARY = ["add", "mul"]
F16_UNARY = ["exp", "tanh", "relu"]


@pytest.mark.parametrize("shapes", [SHAPES["same"], SHAPES["row_col"],
                                    SHAPES["scalar_rhs"]],
                         ids=["same", "row_col", "scalar"])
@pytest.mark.parametrize("name", F16_BINARY)
def test_binary_f16(name, shapes):
    a = rand(shapes[0], np.float16, seed=1, low=-2, high=2)
    b = rand(shapes[1], np.float16, seed=2, low=-2, high=2)
    want = BINARY[name][0](f64(a), f64(b))
    module = binary_module(name, a, b, want.shape, "f16")
    run_and_check(module, [a, b], want, tol=F16_TOL, out_dtype=np.float16)


@pytest.mark.parametrize("case", F16_UNARY)
def test_unary_f16(case):
    op, attrs, lohi, fref = UNARY[case]
    x = unary_input(lohi, (4, 17), np.float16)
    run_and_check(unary_module(op, attrs, x), [x], fref(f64(x)), tol=F16_TOL,
                  out_dtype=np.float16)


@pytest.mark.parametrize("shapes", [SHAPES["same"], SHAPES["row_col"],
                                    SHAPES["rank_mismatch"]],
                         ids=["same", "row_col", "rank_mismatch"])
@pytest.mark.parametrize("name", ["add", "mul"])
def test_binary_bf16(name, shapes):
    # f32 data, converted to bf16 by the runtime; bf16 outputs come back
    # as f32.
    a = to_bf16_values(rand(shapes[0], seed=1, low=-2, high=2))
    b = to_bf16_values(rand(shapes[1], seed=2, low=-2, high=2))
    want = BINARY[name][0](f64(a), f64(b))
    module = binary_module(name, a, b, want.shape, "bf16",
                           arg_types=[mlir_type(a.shape, "bf16"),
                                      mlir_type(b.shape, "bf16")])
    run_and_check(module, [a, b], want, tol=BF16_TOL, out_dtype=np.float32)


def test_bf16_input_rounding():
    # Inputs that are not bf16 values: the runtime rounds them; the result
    # is still within the bf16 tolerance of the f32 data.
    a, b = rand((3, 5), seed=1), rand((3, 5), seed=2)
    want = f64(a) + f64(b)
    module = binary_module("add", a, b, want.shape, "bf16",
                           arg_types=[mlir_type(a.shape, "bf16")] * 2)
    run_and_check(module, [a, b], want, tol=BF16_TOL, out_dtype=np.float32)


@pytest.mark.parametrize("case", ["relu", "exp", "tanh"])
def test_unary_bf16(case):
    op, attrs, lohi, fref = UNARY[case]
    x = to_bf16_values(unary_input(lohi, (4, 17)))
    module = unary_module(op, attrs, x, arg_type=mlir_type(x.shape, "bf16"))
    run_and_check(module, [x], fref(f64(x)), tol=BF16_TOL,
                  out_dtype=np.float32)


# ---------------------------------------------------------------------------
# Dynamic shapes
# ---------------------------------------------------------------------------

DYN_ADD_RELU = """
func.func @main(%x: tensor<?x8xf32>, %b: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = accml.add %x, %b : (tensor<?x8xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %1 = accml.relu %0 : tensor<?x8xf32>
  return %1 : tensor<?x8xf32>
}
"""


@pytest.mark.parametrize("batch", [3, 1, 7])
def test_dynamic_batch_add_relu(batch):
    x, b = rand((batch, 8), seed=1), rand((8,), seed=2)
    run_and_check(DYN_ADD_RELU, [x, b], np.maximum(f64(x) + f64(b), 0),
                  out_dtype=np.float32)


def test_dynamic_broadcast_size_one():
    module = """
func.func @main(%x: tensor<?x1xf32>, %y: tensor<8xf32>) -> tensor<?x8xf32> {
  %0 = accml.sub %x, %y : (tensor<?x1xf32>, tensor<8xf32>) -> tensor<?x8xf32>
  %1 = accml.tanh %0 : tensor<?x8xf32>
  return %1 : tensor<?x8xf32>
}
"""
    x, y = rand((5, 1), seed=1), rand((8,), seed=2)
    run_and_check(module, [x, y], np.tanh(f64(x) - f64(y)),
                  out_dtype=np.float32)


def test_dynamic_both_operands():
    module = """
func.func @main(%x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> tensor<?x?xi1> {
  %0 = accml.mul %x, %y : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  %1 = accml.exp %0 : tensor<?x?xf32>
  %2 = accml.greater %1, %x : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xi1>
  return %2 : tensor<?x?xi1>
}
"""
    x, y = rand((3, 17), seed=1), rand((3, 17), seed=2)
    want = np.exp(f64(x) * f64(y)) > f64(x)
    # Ties (within f32 rounding) would make the reference ambiguous.
    assert np.abs(np.exp(f64(x) * f64(y)) - f64(x)).min() > 1e-4
    run_and_check(module, [x, y], want, out_dtype=np.bool_)


def test_dynamic_cast_and_where():
    module = """
func.func @main(%c: tensor<?xi1>, %x: tensor<?xf32>) -> tensor<?xi32> {
  %0 = accml.cast %x : tensor<?xf32> to tensor<?xi32>
  %1 = accml.neg %0 : tensor<?xi32>
  %2 = accml.where %c, %0, %1 : (tensor<?xi1>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xi32>
  return %2 : tensor<?xi32>
}
"""
    c = rand((19,), np.bool_, seed=1)
    x = rand((19,), seed=2, low=-50, high=50)
    t = np.trunc(f64(x)).astype(np.int32)
    run_and_check(module, [c, x], np.where(c, t, -t), out_dtype=np.int32)


# ---------------------------------------------------------------------------
# Fused chains and multithreading
# ---------------------------------------------------------------------------

def test_fused_chain():
    t, v = mlir_type((4, 16)), mlir_type((16,))
    module = f"""
func.func @main(%x: {t}, %s: {v}, %b: {v}) -> {t} {{
  %0 = accml.mul %x, %s : ({t}, {v}) -> {t}
  %1 = accml.add %0, %b : ({t}, {v}) -> {t}
  %2 = accml.gelu %1 {{approximate = "tanh"}} : {t}
  %3 = accml.sub %2, %x : ({t}, {t}) -> {t}
  %4 = accml.sigmoid %3 : {t}
  return %4 : {t}
}}
"""
    x, s, b = rand((4, 16), seed=1), rand((16,), seed=2), rand((16,), seed=3)
    h = f64(x) * f64(s) + f64(b)
    want = _sigmoid(_gelu_tanh(h) - f64(x))
    run_and_check(module, [x, s, b], want, out_dtype=np.float32)


def test_fused_chain_with_compare_and_where():
    t, tc = mlir_type((6, 9)), mlir_type((6, 9), "i1")
    module = f"""
func.func @main(%x: {t}, %y: tensor<f32>) -> {t} {{
  %0 = accml.mul %x, %y : ({t}, tensor<f32>) -> {t}
  %1 = accml.exp %0 : {t}
  %2 = accml.less %0, %x : ({t}, {t}) -> {tc}
  %3 = accml.clamp %1 {{min = 0.5, max = 2.0}} : {t}
  %4 = accml.leaky_relu %x {{alpha = {fmt_f32(0.2)}}} : {t}
  %5 = accml.where %2, %3, %4 : ({tc}, {t}, {t}) -> {t}
  return %5 : {t}
}}
"""
    x = rand((6, 9), seed=1, low=-3, high=3)
    y = np.array(1.5, dtype=np.float32)
    h = f64(x) * f64(y)
    want = np.where(h < f64(x), np.clip(np.exp(h), 0.5, 2.0),
                    np.where(f64(x) >= 0, f64(x), 0.2 * f64(x)))
    run_and_check(module, [x, y], want, out_dtype=np.float32)


def test_two_outputs_sharing_an_input():
    t = mlir_type((5, 3))
    module = f"""
func.func @main(%x: {t}) -> ({t}, {t}) {{
  %0 = accml.tanh %x : {t}
  %1 = accml.abs %0 : {t}
  %2 = accml.mul %0, %x : ({t}, {t}) -> {t}
  return %1, %2 : {t}, {t}
}}
"""
    x = rand((5, 3), seed=4, low=-3, high=3)
    check(module, [x], [np.abs(np.tanh(f64(x))), np.tanh(f64(x)) * f64(x)])


@pytest.mark.parametrize("threads", [1, 2, 4])
def test_large_broadcast_multithreaded(threads):
    a, b = rand((300, 1, 33), seed=1), rand((7, 33), seed=2)
    want = np.maximum(f64(a) * f64(b) - 0.5, 0)
    ta, tb, tr = type_of(a), type_of(b), mlir_type(want.shape)
    module = f"""
func.func @main(%a: {ta}, %b: {tb}, %h: tensor<f32>) -> {tr} {{
  %0 = accml.mul %a, %b : ({ta}, {tb}) -> {tr}
  %1 = accml.sub %0, %h : ({tr}, tensor<f32>) -> {tr}
  %2 = accml.relu %1 : {tr}
  return %2 : {tr}
}}
"""
    h = np.array(0.5, dtype=np.float32)
    run_and_check(module, [a, b, h], want, out_dtype=np.float32,
                  threads=threads)
