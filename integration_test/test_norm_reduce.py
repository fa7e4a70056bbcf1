"""Normalisations, softmax and reductions against numpy references."""

import numpy as np
import pytest

from accml_testing import (F32_REDUCTION_TOL, F32_TOL, check, mlir_type, rand,
                           run, single_op_module)


def tol_for(count):
    return F32_REDUCTION_TOL if count > 1000 else F32_TOL


@pytest.mark.parametrize("shape", [(1, 4, 5, 5), (2, 3, 7), (3, 17)])
def test_batch_norm(shape):
    c = shape[1]
    x = rand(shape, seed=1)
    scale, bias, mean = rand((c,), seed=2), rand((c,), seed=3), rand((c,), seed=4)
    var = rand((c,), seed=5, low=0.1, high=2.0)
    bshape = (1, c) + (1,) * (len(shape) - 2)
    f = lambda v: v.astype(np.float64).reshape(bshape)
    want = f(scale) * (x - f(mean)) / np.sqrt(f(var) + 1e-3) + f(bias)
    t, v = mlir_type(shape), mlir_type((c,))
    module = single_op_module(
        f"accml.batch_norm {{args}} {{{{epsilon = 1.0e-03 : f32}}}} : {t}, {v}, {v}, {v}, {v}",
        [x, scale, bias, mean, var], t)
    check(module, [x, scale, bias, mean, var], want)


@pytest.mark.parametrize("shape,axis,param_shape,with_bias", [
    ((2, 5, 16), -1, (16,), True),
    ((2, 5, 16), 1, (5, 16), True),
    ((3, 7), -1, (7,), False),
    ((1, 4, 300), 2, (300,), True),
    ((2, 3, 4, 5), 1, (1, 5), True),
])
def test_layer_norm(shape, axis, param_shape, with_bias):
    x = rand(shape, seed=6)
    scale, bias = rand(param_shape, seed=7), rand(param_shape, seed=8)
    axis_n = axis % len(shape)
    axes = tuple(range(axis_n, len(shape)))
    xd = x.astype(np.float64)
    mean = xd.mean(axis=axes, keepdims=True)
    var = ((xd - mean) ** 2).mean(axis=axes, keepdims=True)
    want = (xd - mean) / np.sqrt(var + 1e-5) * scale.astype(np.float64)
    inputs = [x, scale]
    types = [mlir_type(shape), mlir_type(param_shape)]
    if with_bias:
        want = want + bias.astype(np.float64)
        inputs.append(bias)
        types.append(mlir_type(param_shape))
    module = single_op_module(
        f"accml.layer_norm {{args}} {{{{axis = {axis} : i64}}}} : {', '.join(types)}",
        inputs, mlir_type(shape))
    check(module, inputs, want, tol=dict(rtol=1e-4, atol=1e-5))


@pytest.mark.parametrize("width", [1024, 300, 64])
def test_layer_norm_shifted_statistics(width):
    # f32 statistics are shifted by the median of each row's first, middle
    # and last elements (one pass for the sum and the sum of squares):
    # outliers at each of those three positions (100 against a unit
    # deviation: a shift by the outlier itself lost 3 digits), a constant
    # row (variance 0: the output is the bias), rows with a NaN and an
    # infinity (NaN throughout, as numpy gives), and rows far from zero
    # (1e4 + a unit deviation; -50 + a 1e-3 deviation), where the input's
    # own f32 resolution against the deviation (1e-3, 4e-3) bounds any f32
    # computation (the two-pass form was 1.0-2.4x further off there).
    rng = np.random.default_rng(21)
    x = rng.standard_normal((9, width)).astype(np.float32)
    x[0, 0] = 100.0
    x[1, width // 2] = 100.0
    x[2, width - 1] = -100.0
    x[3] = 3.25
    x[4, width // 3] = np.nan
    x[5, 1] = np.inf
    x[7] += 1e4
    x[8] = -50 + 1e-3 * x[8]
    scale = rng.uniform(0.5, 1.5, width).astype(np.float32)
    bias = rng.standard_normal(width).astype(np.float32)
    xd = x.astype(np.float64)
    with np.errstate(invalid="ignore"):
        mean = xd.mean(axis=1, keepdims=True)
        var = ((xd - mean) ** 2).mean(axis=1, keepdims=True)
        want = (xd - mean) / np.sqrt(var + 1e-5) * scale + bias
    t, v = mlir_type(x.shape), mlir_type(scale.shape)
    module = single_op_module(f"accml.layer_norm {{args}} : {t}, {v}, {v}",
                              [x, scale, bias], t)
    got = run(module, [x, scale, bias])[0]
    assert np.isnan(got[4:6]).all()
    np.testing.assert_allclose(got[[0, 1, 2, 3, 6]], want[[0, 1, 2, 3, 6]],
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(got[7:], want[7:], rtol=0, atol=2e-3)


def np_softmax(x, axis):
    x = x.astype(np.float64)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@pytest.mark.parametrize("shape,axis", [((2, 10), -1), ((2, 10), 0), ((3, 4, 5), 1), ((1, 127), -1), ((4, 1500), 1)])
def test_softmax(op, shape, axis):
    x = rand(shape, seed=9, low=-5, high=5)
    want = np_softmax(x, axis)
    if op == "log_softmax":
        want = np.log(want)
    module = single_op_module(f"accml.{op} %a0 {{{{axis = {axis} : i64}}}} : {{out_type}}",
                              [x], mlir_type(shape))
    check(module, [x], want, tol=tol_for(shape[axis]))


def test_softmax_dynamic_batch():
    x = rand((3, 8), seed=10)
    module = single_op_module("accml.softmax %a0 : {out_type}", [x], mlir_type((None, 8)),
                              arg_types=[mlir_type((None, 8))])
    check(module, [x], np_softmax(x, -1))


@pytest.mark.parametrize("width", [300, 1, 0])
def test_layer_norm_dynamic_width(width):
    # A normalised dimension of dynamic size (two passes: a row of size 0
    # has no element to shift by, and gives an empty result).
    x = rand((3, width), seed=11)
    scale = rand((width,), seed=12)
    xd = x.astype(np.float64)
    want = (xd - xd.mean(axis=1, keepdims=True)) / np.sqrt(
        xd.var(axis=1, keepdims=True) + 1e-5) * scale if width else xd
    t, v = mlir_type((3, None)), mlir_type((None,))
    module = single_op_module(f"accml.layer_norm {{args}} : {t}, {v}",
                              [x, scale], t, arg_types=[t, v])
    got = run(module, [x, scale])[0]
    assert got.shape == (3, width)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


REDUCERS = {
    "reduce_sum": np.sum, "reduce_mean": np.mean, "reduce_max": np.max,
    "reduce_min": np.min, "reduce_prod": np.prod,
}


@pytest.mark.parametrize("op", sorted(REDUCERS))
@pytest.mark.parametrize("shape,axes,keepdims", [
    ((4, 8), [1], False), ((4, 8), [-1], True), ((2, 3, 4), [0, 2], True),
    ((2, 3, 4), [], True), ((2, 3, 4), [], False), ((3, 17), [0], False),
    ((2, 1200), [1], False),
    # Trailing axes collapsed into one (rows of 3136 in chunks of 64, and
    # of 3 x 40 = 120).
    ((1, 8, 56, 56), [2, 3], True), ((2, 3, 4, 40), [-2, -1], False),
    # A vector to a scalar (accml-vectorize crashed on the 0-d vector).
    ((24,), [], False), ((100,), [0], True),
])
def test_reduce(op, shape, axes, keepdims):
    low, high = (0.5, 1.5) if op == "reduce_prod" else (-1, 1)
    x = rand(shape, seed=11, low=low, high=high)
    np_axes = tuple(axes) if axes else None
    want = REDUCERS[op](x.astype(np.float64), axis=np_axes, keepdims=keepdims)
    attrs = [f"keepdims = {'true' if keepdims else 'false'}"]
    if axes:
        attrs.append(f"axes = array<i64: {', '.join(map(str, axes))}>")
    count = int(np.prod([shape[a] for a in axes])) if axes else int(np.prod(shape))
    tol = tol_for(count)
    if op == "reduce_prod":
        tol = dict(rtol=1e-4, atol=1e-6)
    module = single_op_module(f"accml.{op} %a0 {{{{{', '.join(attrs)}}}}} : {{in_type}} -> {{out_type}}",
                              [x], mlir_type(np.shape(want)))
    check(module, [x], want, tol=tol)


@pytest.mark.parametrize("op", ["reduce_sum", "reduce_max", "reduce_min", "reduce_mean"])
def test_reduce_int(op):
    x = rand((3, 5), dtype=np.int32, seed=12, low=-50, high=50)
    fn = REDUCERS[op]
    want = fn(x.astype(np.int64), axis=1)
    if op == "reduce_mean":
        want = np.trunc(x.sum(axis=1) / 5)
    want = want.astype(np.int32)
    module = single_op_module(f"accml.{op} %a0 {{{{axes = array<i64: 1>, keepdims = false}}}} : {{in_type}} -> {{out_type}}",
                              [x], mlir_type((3,), "i32"))
    check(module, [x], want)


@pytest.mark.parametrize("op", ["argmax", "argmin"])
@pytest.mark.parametrize("shape,axis,keepdims,last", [
    ((4, 10), 1, False, False), ((4, 10), 0, True, False), ((2, 3, 5), -1, True, False),
    ((6, 4), 0, False, True),
])
def test_arg_reduce(op, shape, axis, keepdims, last):
    # Small integers give ties, which exercise select_last_index.
    x = rand(shape, seed=13, low=0, high=3, dtype=np.int32).astype(np.float32)
    fn = np.argmax if op == "argmax" else np.argmin
    if last:
        flipped = np.flip(x, axis=axis)
        want = x.shape[axis] - 1 - fn(flipped, axis=axis)
    else:
        want = fn(x, axis=axis)
    if keepdims:
        want = np.expand_dims(want, axis)
    attrs = f"axis = {axis} : i64, keepdims = {'true' if keepdims else 'false'}"
    if last:
        attrs += ", select_last_index = true"
    module = single_op_module(f"accml.{op} %a0 {{{{{attrs}}}}} : {{in_type}} -> {{out_type}}",
                              [x], mlir_type(want.shape, "i64"))
    check(module, [x], want.astype(np.int64))
