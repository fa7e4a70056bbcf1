"""Numerical tests of accml.matmul (numpy.matmul semantics) and accml.gemm
(ONNX Gemm): expected values come from numpy in float64."""

import numpy as np
import pytest

from accml_testing import (F32_REDUCTION_TOL, check, mlir_type, rand,
                           single_op_module, type_of)


# convert-accml-to-linalg reshapes a matmul operand (a rank-1 one to a
# matrix, or an N-D one with a dynamic batch to 2-D and back) with a
# tensor.expand_shape whose output_shape holds SSA index values even for
# static dimensions (`output_shape [1, %c4] : tensor<4xf32> into
# tensor<1x4xf32>`); after bufferization the memref.expand_shape verifier
# rejects it ("invalid output shape provided at pos 1") and accml-run fails
# to compile.


def _matmul_case(a_shape, b_shape, dtype=np.float32, seed=0):
    if np.issubdtype(np.dtype(dtype), np.integer):
        a = rand(a_shape, dtype, seed=seed, low=-8, high=8)
        b = rand(b_shape, dtype, seed=seed + 1, low=-8, high=8)
        want = np.matmul(a.astype(np.int64), b.astype(np.int64)).astype(dtype)
    else:
        a = rand(a_shape, dtype, seed=seed)
        b = rand(b_shape, dtype, seed=seed + 1)
        want = np.matmul(a.astype(np.float64), b.astype(np.float64))
    return a, b, np.asarray(want)


MATMUL_SHAPES = [
    # 2-D x 2-D with odd sizes.
    ((1, 1), (1, 1)),
    ((1, 3), (3, 1)),
    ((3, 1), (1, 3)),
    ((3, 17), (17, 127)),
    ((17, 3), (3, 17)),
    ((127, 17), (17, 3)),
    ((127, 127), (127, 1)),
    ((1, 127), (127, 17)),
    # Batched 3-D x 3-D.
    ((2, 3, 4), (2, 4, 5)),
    ((3, 17, 1), (3, 1, 17)),
    # Batch broadcasting.
    ((1, 2, 4, 3), (3, 1, 3, 5)),
    ((1, 4, 3), (2, 3, 5)),
    ((2, 4, 3), (1, 3, 5)),
    ((2, 1, 4, 3), (3, 3, 5)),
    ((4, 3), (2, 3, 3, 5)),
    # N-D x 2-D.
    ((2, 3, 4), (4, 5)),
    ((2, 3, 5, 4), (4, 17)),
    # 2-D x N-D.
    ((5, 4), (2, 4, 3)),
    # 1-D x 2-D, 2-D x 1-D, 1-D x 1-D (rank 0).
    ((4,), (4, 5)),
    ((5, 4), (4,)),
    ((17,), (17,)),
    ((1,), (1,)),
    # 1-D against a batched operand.
    ((4,), (2, 4, 5)),
    ((2, 3, 4), (4,)),
]


@pytest.mark.parametrize("a_shape,b_shape", MATMUL_SHAPES,
                         ids=lambda s: "x".join(map(str, s)) or "scalar")
def test_matmul_f32(a_shape, b_shape):
    a, b, want = _matmul_case(a_shape, b_shape)
    module = single_op_module("accml.matmul {args} : {types}", [a, b],
                              mlir_type(want.shape))
    check(module, [a, b], want)


# Matmuls with a bias added after, at one and two threads: batch-1 (and
# batch-2) 3-D activations times a 2-D weight, as in a transformer layer
# (the matmul between its reshapes stays a 2-D matmul through
# accml-fuse-elementwise, packed and tiled like any other; upstream's
# fusion made it a 3-D generic that ran element by element), and batched
# matmuls (attention's products), which accml-pack splits into one packed
# matmul per batch across the threads: B broadcast or batched, odd sizes.
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("a_shape,b_shape", [
    ((1, 128, 96), (96, 80)),
    ((2, 40, 64), (64, 33)),
    ((4, 128, 64), (4, 64, 128)),
    ((2, 3, 40, 24), (2, 3, 24, 33)),
    ((3, 50, 20), (20, 17)),
    ((5, 17, 100), (1, 100, 40)),
])
def test_matmul_bias(a_shape, b_shape, threads):
    a, w, want = _matmul_case(a_shape, b_shape, seed=11)
    bias = rand((b_shape[-1],), seed=13)
    want = want + bias.astype(np.float64)
    out = mlir_type(want.shape)
    module = (f"func.func @main(%a: {type_of(a)}, %w: {type_of(w)}, %b: {type_of(bias)}) -> {out} {{\n"
              f"  %m = accml.matmul %a, %w : ({type_of(a)}, {type_of(w)}) -> {out}\n"
              f"  %r = accml.add %m, %b : ({out}, {type_of(bias)}) -> {out}\n"
              f"  return %r : {out}\n}}\n")
    check(module, [a, w, bias], want, threads=threads, tol=F32_REDUCTION_TOL)


@pytest.mark.parametrize("a_shape,b_shape", [
    ((4, 1500), (1500, 3)),
    ((2, 3, 1024 + 17), (1024 + 17, 5)),
    ((2001,), (2001,)),
    ((3, 1200), (1200,)),
])
def test_matmul_large_k(a_shape, b_shape):
    a, b, want = _matmul_case(a_shape, b_shape, seed=7)
    module = single_op_module("accml.matmul {args} : {types}", [a, b],
                              mlir_type(want.shape))
    check(module, [a, b], want, tol=F32_REDUCTION_TOL)


@pytest.mark.parametrize("a_shape,b_shape", [
    ((3, 17), (17, 5)),
    ((2, 3, 4), (4, 5)),
    ((1, 2, 4, 3), (3, 1, 3, 5)),
    ((4,), (4,)),
    ((4,), (4, 3)),
])
def test_matmul_i32(a_shape, b_shape):
    a, b, want = _matmul_case(a_shape, b_shape, dtype=np.int32, seed=3)
    module = single_op_module("accml.matmul {args} : {types}", [a, b],
                              mlir_type(want.shape, "i32"))
    check(module, [a, b], want)


def _dyn(shape, dynamic):
    return tuple(None if i in dynamic else d for i, d in enumerate(shape))


@pytest.mark.parametrize("a_shape,b_shape,a_dyn,b_dyn", [
    # The batch (rows) of a ?x8 @ 8x5 product, run with 3 rows.
    ((3, 8), (8, 5), (0,), ()),
    ((3, 8), (8, 5), (0, 1), (0, 1)),
    ((3, 4, 8), (3, 8, 5), (0,), (0,)),
    ((3, 4, 8), (8, 5), (0,), ()),
])
def test_matmul_dynamic(a_shape, b_shape, a_dyn, b_dyn):
    a, b, want = _matmul_case(a_shape, b_shape, seed=11)
    res_shape = list(want.shape)
    # A result dimension is dynamic when the operand dimension it comes
    # from is.
    ra, rb = _dyn(a_shape, a_dyn), _dyn(b_shape, b_dyn)
    if ra[-2] is None:
        res_shape[-2] = None
    if rb[-1] is None:
        res_shape[-1] = None
    for i in range(len(res_shape) - 2):
        ia, ib = i - len(res_shape) + len(ra), i - len(res_shape) + len(rb)
        if (ia >= 0 and ra[ia] is None) or (ib >= 0 and rb[ib] is None):
            res_shape[i] = None
    module = single_op_module(
        "accml.matmul {args} : {types}", [a, b], mlir_type(res_shape),
        arg_types=[mlir_type(ra), mlir_type(rb)])
    check(module, [a, b], want)


# ---------------------------------------------------------------- gemm


def _gemm_attrs(trans_a, trans_b, alpha, beta):
    attrs = []
    if trans_a:
        attrs.append("trans_a = true")
    if trans_b:
        attrs.append("trans_b = true")
    if alpha is not None:
        attrs.append(f"alpha = {alpha:e} : f32")
    if beta is not None:
        attrs.append(f"beta = {beta:e} : f32")
    return (" {{" + ", ".join(attrs) + "}}") if attrs else ""


GEMM_CASES = [
    # (M, K, N, trans_a, trans_b, alpha, beta, c_shape)
    (3, 4, 5, False, False, None, None, None),
    (3, 4, 5, False, False, None, None, (3, 5)),
    (3, 4, 5, False, True, None, None, (5,)),
    (3, 4, 5, True, False, None, None, (3, 1)),
    (3, 4, 5, True, True, None, None, ()),
    (3, 4, 5, False, False, None, None, (1,)),
    (3, 4, 5, False, False, None, None, (1, 5)),
    (3, 4, 5, False, False, None, None, (1, 1)),
    (3, 4, 5, False, True, 0.5, 2.0, (5,)),
    (3, 4, 5, True, False, 0.5, 2.0, (3, 1)),
    (3, 4, 5, True, True, -1.5, 0.25, (3, 5)),
    (3, 4, 5, False, False, 2.0, -3.0, ()),
    (3, 4, 5, False, True, 0.5, None, None),
    (3, 4, 5, False, False, 1.0, 0.0, (3, 5)),
    (1, 1, 1, True, True, 3.0, 0.5, (1,)),
    (17, 127, 3, False, True, 0.5, 2.0, (3,)),
    (1, 17, 127, True, False, 1.0, 1.0, (127,)),
    (4, 1500, 3, False, True, 0.5, 2.0, (4, 1)),
]


@pytest.mark.parametrize("m,k,n,trans_a,trans_b,alpha,beta,c_shape",
                         GEMM_CASES)
def test_gemm(m, k, n, trans_a, trans_b, alpha, beta, c_shape):
    a = rand((k, m) if trans_a else (m, k), seed=21)
    b = rand((n, k) if trans_b else (k, n), seed=22)
    inputs = [a, b]
    op_a = a.astype(np.float64).T if trans_a else a.astype(np.float64)
    op_b = b.astype(np.float64).T if trans_b else b.astype(np.float64)
    want = (1.0 if alpha is None else alpha) * (op_a @ op_b)
    if c_shape is not None:
        c = rand(c_shape, seed=23)
        inputs.append(c)
        want = want + (1.0 if beta is None else beta) * c.astype(np.float64)
    want = np.broadcast_to(want, (m, n))
    attrs = _gemm_attrs(trans_a, trans_b, alpha, beta)
    # A scalar c (c_shape ()) is a rank-0 input tensor<f32>.
    module = single_op_module("accml.gemm {args}" + attrs + " : {types}",
                              inputs, mlir_type((m, n)))
    tol = F32_REDUCTION_TOL if k > 1000 else None
    check(module, inputs, want, tol=tol)


def test_gemm_i32():
    a = rand((3, 4), np.int32, seed=31, low=-8, high=8)
    b = rand((5, 4), np.int32, seed=32, low=-8, high=8)
    c = rand((5,), np.int32, seed=33, low=-8, high=8)
    want = (a.astype(np.int64) @ b.astype(np.int64).T + c).astype(np.int32)
    module = single_op_module("accml.gemm {args} {{trans_b = true}} : {types}",
                              [a, b, c], mlir_type((3, 5), "i32"))
    check(module, [a, b, c], want)


def test_gemm_chain_with_matmul():
    """A gemm feeding a matmul, as a classifier head does."""
    x, w, bias = rand((2, 8), seed=41), rand((6, 8), seed=42), rand((6,), seed=43)
    v = rand((6, 3), seed=44)
    t = lambda s: mlir_type(s)
    module = f"""
func.func @main(%x: {t((2, 8))}, %w: {t((6, 8))}, %b: {t((6,))}, %v: {t((6, 3))}) -> {t((2, 3))} {{
  %0 = accml.gemm %x, %w, %b {{trans_b = true}} : ({t((2, 8))}, {t((6, 8))}, {t((6,))}) -> {t((2, 6))}
  %1 = accml.matmul %0, %v : ({t((2, 6))}, {t((6, 3))}) -> {t((2, 3))}
  return %1 : {t((2, 3))}
}}
"""
    f = lambda z: z.astype(np.float64)
    want = (f(x) @ f(w).T + f(bias)) @ f(v)
    check(module, [x, w, bias, v], want)
