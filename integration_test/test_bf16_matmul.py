"""bf16 matmuls on the AMX tile unit and with AVX-512-BF16 dot products
(accml-bf16-matmul; bf16-matmul=amx|avx512-bf16), against float64 numpy
references and against the generic loops.

Each unit's tests run only where the host CPU has it (amx_tile and amx_bf16,
or avx512_bf16, in /proc/cpuinfo): elsewhere its instructions fault. Inputs
are rounded to bf16 first (test_low_precision.to_bf16), so the reference
measures the compiled computation alone. Both units accumulate the bf16
products in f32 (tdpbf16ps, vdpbf16ps; denormals flushed to zero) and the
result is rounded to bf16 once: the bound is test_low_precision's bf16
PRODUCT_TOL (rtol = atol = 1e-2; half an ulp of bf16 is 3.9e-3 relative).
Shapes cover the in-place path (multiples of 32), every padded path (M, N,
K not multiples of 32, odd K, N not a multiple of 16), several column
blocks (K = 2048 makes the B blocks 256 columns wide), threads and an
epilogue.
"""

import numpy as np
import pytest

from accml_testing import run, single_op_module
from test_low_precision import PRODUCT_TOL, f64, lp_check, lrand, t
from test_vectorized import constant_weight


def cpu_flags():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


FLAGS = cpu_flags()
UNITS = [
    pytest.param("amx", marks=pytest.mark.skipif(
        not {"amx_tile", "amx_bf16"} <= FLAGS, reason="the host CPU has no AMX-BF16")),
    pytest.param("avx512-bf16", marks=pytest.mark.skipif(
        "avx512_bf16" not in FLAGS, reason="the host CPU has no AVX-512-BF16")),
]
GENERIC = "--pipeline-options=bf16-matmul=generic"


def unit_args(unit):
    return [f"--pipeline-options=bf16-matmul={unit}"]


SHAPES = [
    (64, 96, 64),     # in place: multiples of 32
    (32, 32, 32),     # one block
    (37, 45, 29),     # everything padded, odd K
    (1, 1, 1),
    (100, 33, 50),    # N not a multiple of 16
    (64, 64, 48),     # N a multiple of 16, not of 32
    (33, 64, 17),
    (16, 2048, 320),  # two column blocks (256 + 64)
    (130, 300, 70),
]


def matmul_module(m, k, n):
    return single_op_module("accml.matmul {args} : {types}", [None, None],
                            t((m, n), "bf16"),
                            arg_types=[t((m, k), "bf16"), t((k, n), "bf16")])


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("m,k,n", SHAPES, ids=lambda s: str(s))
def test_bf16_matmul(m, k, n, threads, unit):
    a, b = lrand((m, k), "bf16", seed=1), lrand((k, n), "bf16", seed=2)
    want = f64(a) @ f64(b)
    lp_check(matmul_module(m, k, n), [a, b], want, "bf16",
             PRODUCT_TOL["bf16"], threads=threads, extra_args=unit_args(unit))


@pytest.mark.parametrize("unit", UNITS)
def test_agrees_with_generic_loops(unit):
    """Both routes accumulate in f32 and round once: their results differ
    by at most one bf16 ulp (the summation orders differ)."""
    m, k, n = 70, 260, 90
    a, b = lrand((m, k), "bf16", seed=3), lrand((k, n), "bf16", seed=4)
    module = matmul_module(m, k, n)
    ours = f64(run(module, [a, b], extra_args=unit_args(unit))[0])
    generic = f64(run(module, [a, b], extra_args=[GENERIC])[0])
    ulp = 2.0 ** (np.floor(np.log2(np.maximum(np.abs(generic), 1e-30))) - 7)
    assert (np.abs(ours - generic) <= ulp).all()


@pytest.mark.parametrize("unit", UNITS)
def test_exact_on_small_integers(unit):
    """Products and sums of small integers are exact in bf16 and f32: the
    result must equal numpy's exactly (every element of A, B and C)."""
    m, k, n = 48, 96, 40
    rng = np.random.default_rng(5)
    a = rng.integers(-4, 5, (m, k)).astype(np.float32)
    b = rng.integers(-4, 5, (k, n)).astype(np.float32)
    want = a @ b
    assert np.abs(want).max() < 256  # exact in bf16's 8-bit significand
    lp_check(matmul_module(m, k, n), [a, b], want, "bf16", None, exact=True,
             extra_args=unit_args(unit))


@pytest.mark.parametrize("unit", UNITS)
def test_with_epilogue(unit):
    """bias + relu after the matmul (the epilogue stays a vectorised
    elementwise op on the result)."""
    m, k, n = 64, 128, 96
    a, b = lrand((m, k), "bf16", seed=6), lrand((k, n), "bf16", seed=7)
    bias = lrand((n,), "bf16", seed=8)
    tm, tk, tn = t((m, k), "bf16"), t((k, n), "bf16"), t((n,), "bf16")
    tr = t((m, n), "bf16")
    module = (
        f"func.func @main(%a: {tm}, %b: {tk}, %c: {tn}) -> {tr} {{\n"
        f"  %0 = accml.matmul %a, %b : ({tm}, {tk}) -> {tr}\n"
        f"  %1 = accml.add %0, %c : ({tr}, {tn}) -> {tr}\n"
        f"  %2 = accml.relu %1 : {tr}\n"
        f"  return %2 : {tr}\n}}\n")
    product = f64(lp_check(matmul_module(m, k, n), [a, b], f64(a) @ f64(b),
                           "bf16", PRODUCT_TOL["bf16"], extra_args=unit_args(unit)))
    # The sum is rounded to bf16 once more: compare with the rounded
    # product plus the bias.
    want = np.maximum(product + f64(bias), 0.0)
    lp_check(module, [a, b, bias], want, "bf16", PRODUCT_TOL["bf16"],
             extra_args=unit_args(unit))


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("form", ["dense", "resource"])
@pytest.mark.parametrize("m,k,n", [(64, 96, 64), (37, 45, 29)], ids=lambda s: str(s))
def test_constant_weight(m, k, n, form, unit):
    """A constant B (a weight) is packed at compile time into a constant
    global (zero-padded to whole blocks); the result must not change."""
    a, w = lrand((m, k), "bf16", seed=9), lrand((k, n), "bf16", seed=10)
    value, resources = constant_weight(w, form, element="bf16")
    tm, tw, tr = t((m, k), "bf16"), t((k, n), "bf16"), t((m, n), "bf16")
    module = (f"func.func @main(%a: {tm}) -> {tr} {{\n"
              f"  %w = accml.constant {value} : {tw}\n"
              f"  %r = accml.matmul %a, %w : ({tm}, {tw}) -> {tr}\n"
              f"  return %r : {tr}\n}}\n{resources}")
    lp_check(module, [a], f64(a) @ f64(w), "bf16", PRODUCT_TOL["bf16"],
             extra_args=unit_args(unit))


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("a_shape,b_shape", [
    ((3, 64, 96), (3, 96, 64)),      # in place per batch
    ((2, 37, 45), (2, 45, 29)),      # padded per batch
    ((2, 1, 40, 33), (1, 3, 33, 17)),  # broadcast batches
], ids=lambda s: "x".join(map(str, s)))
def test_batched(a_shape, b_shape, unit):
    """Batched matmuls (linalg.batch_matmul): one kernel per batch."""
    a, b = lrand(a_shape, "bf16", seed=11), lrand(b_shape, "bf16", seed=12)
    want = np.matmul(f64(a), f64(b))
    module = single_op_module("accml.matmul {args} : {types}", [a, b],
                              t(want.shape, "bf16"),
                              arg_types=[t(a_shape, "bf16"), t(b_shape, "bf16")])
    lp_check(module, [a, b], want, "bf16", PRODUCT_TOL["bf16"],
             extra_args=unit_args(unit))
