"""Ahead-of-time compiled example models, called through ctypes.

Each example of examples/ is compiled with `accml-compile model.mlir -o
libX.so` (which also writes libX.h) into a temporary folder; the library is
loaded with ctypes and `_mlir_ciface_<func>` is called the way a C caller
does (examples/aot/run_mlp.c): a pointer to the result descriptor(s) first,
then one pointer per input descriptor, a descriptor being {allocated ptr,
aligned ptr, int64 offset, int64 sizes[rank], int64 strides[rank]}. The
results are copied out honouring their offset, sizes and strides, and their
buffers, malloc'd by the library, are freed with libc's free.

The outputs are compared with the JIT (accml-run on the same inputs) to
rtol=1e-5, atol=1e-6, and with the float64 numpy references of
test_models.py to its tolerance (rtol=1e-4, atol=1e-5).
"""

import ctypes
import ctypes.util
import math
import os
import re
import subprocess

import numpy as np
import pytest

from accml_testing import BUILD_DIR, run
from test_models import (TOL, f64, mlp_constants, read_example, ref_batch_norm,
                         ref_conv2d, ref_gelu, ref_layer_norm, ref_max_pool_2x2,
                         ref_relu, ref_softmax, uniform)

ACCML_COMPILE = os.path.join(BUILD_DIR, "bin", "accml-compile")
JIT_TOL = dict(rtol=1e-5, atol=1e-6)

_libc = ctypes.CDLL(ctypes.util.find_library("c"))
_libc.free.argtypes = [ctypes.c_void_p]
_libc.free.restype = None

_DESCRIPTORS = {}


def descriptor_type(rank):
    """The ctypes struct of a rank-`rank` f32 memref descriptor."""
    if rank not in _DESCRIPTORS:
        _DESCRIPTORS[rank] = type(f"MemRef{rank}D", (ctypes.Structure,), {"_fields_": [
            ("allocated", ctypes.c_void_p),
            ("aligned", ctypes.c_void_p),
            ("offset", ctypes.c_int64),
            ("sizes", ctypes.c_int64 * rank),
            ("strides", ctypes.c_int64 * rank),
        ]})
    return _DESCRIPTORS[rank]


def input_descriptor(array):
    """A descriptor viewing `array` (C-contiguous float32, kept alive by the
    caller)."""
    assert array.dtype == np.float32 and array.flags.c_contiguous
    desc = descriptor_type(array.ndim)()
    desc.allocated = desc.aligned = array.ctypes.data
    desc.offset = 0
    for i, (size, stride) in enumerate(zip(array.shape, array.strides)):
        desc.sizes[i] = size
        desc.strides[i] = stride // array.itemsize
    return desc


def copy_out(desc):
    """A numpy copy of the f32 tensor a result descriptor describes."""
    rank = len(desc.sizes)
    sizes = [desc.sizes[i] for i in range(rank)]
    strides = [desc.strides[i] for i in range(rank)]
    assert all(s >= 0 for s in sizes), sizes
    if 0 in sizes:
        return np.zeros(sizes, np.float32)
    assert all(s >= 0 for s in strides), strides
    extent = 1 + sum((n - 1) * s for n, s in zip(sizes, strides))
    base = desc.aligned + desc.offset * 4
    flat = np.ctypeslib.as_array((ctypes.c_float * extent).from_address(base))
    view = np.lib.stride_tricks.as_strided(flat, shape=sizes,
                                           strides=[s * 4 for s in strides])
    return np.array(view, dtype=np.float32, copy=True)


_SIGNATURE = re.compile(r"/\* @(\w+)\((.*?)\) -> \((.*?)\) \*/")
_TENSOR = re.compile(r"tensor<([0-9x]*)f32>")


def tensor_ranks(types):
    return [len([d for d in dims.split("x") if d]) for dims in _TENSOR.findall(types)]


class AotModel:
    """An example compiled into a shared library."""

    def __init__(self, mlir_path, out_dir, name):
        self.so = os.path.join(out_dir, f"lib{name}.so")
        self.header = os.path.join(out_dir, f"lib{name}.h")
        proc = subprocess.run([ACCML_COMPILE, mlir_path, "-o", self.so],
                              capture_output=True, text=True)
        assert proc.returncode == 0, f"accml-compile failed:\n{proc.stderr}"
        assert os.path.exists(self.so) and os.path.exists(self.header)
        with open(self.header) as f:
            self.header_text = f.read()
        self.lib = ctypes.CDLL(self.so)

    def signature(self, func):
        """(input ranks, result ranks) from the header's comment on `func`."""
        for name, args, results in _SIGNATURE.findall(self.header_text):
            if name == func:
                return tensor_ranks(args), tensor_ranks(results)
        raise AssertionError(f"@{func} is not declared in {self.header}")

    def call(self, func, inputs):
        """Calls _mlir_ciface_<func> on `inputs`; returns the outputs."""
        assert re.search(rf"void _mlir_ciface_{func}\(", self.header_text)
        in_ranks, out_ranks = self.signature(func)
        inputs = [np.ascontiguousarray(x, dtype=np.float32) for x in inputs]
        assert [x.ndim for x in inputs] == in_ranks
        in_descs = [input_descriptor(x) for x in inputs]
        # Several results are laid out one after another.
        results_type = type("Results", (ctypes.Structure,), {"_fields_": [
            (f"r{i}", descriptor_type(r)) for i, r in enumerate(out_ranks)]})
        results = results_type()
        fn = getattr(self.lib, f"_mlir_ciface_{func}")
        fn.restype = None
        fn.argtypes = [ctypes.c_void_p] * (1 + len(inputs))
        before = [x.copy() for x in inputs]
        fn(ctypes.addressof(results), *[ctypes.addressof(d) for d in in_descs])
        outputs = []
        for i in range(len(out_ranks)):
            desc = getattr(results, f"r{i}")
            assert desc.allocated and desc.aligned
            outputs.append(copy_out(desc))
        for i in range(len(out_ranks)):
            _libc.free(getattr(results, f"r{i}").allocated)
        for x, y in zip(inputs, before):  # inputs are read only
            np.testing.assert_array_equal(x, y)
        return outputs


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    cache = {}

    def get(example):
        if example not in cache:
            name = os.path.splitext(example)[0]
            out_dir = tmp_path_factory.mktemp(f"aot_{name}")
            path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "examples", example)
            cache[example] = AotModel(path, str(out_dir), name)
        return cache[example]
    return get


def check_aot(model, example, func, inputs, reference=None):
    """AOT outputs against the JIT's and (if given) a float64 reference."""
    aot = model.call(func, inputs)
    jit = run(read_example(example), inputs, entry=func)
    assert len(aot) == len(jit)
    for a, j in zip(aot, jit):
        assert a.shape == j.shape, (a.shape, j.shape)
        np.testing.assert_allclose(a, j, **JIT_TOL)
    if reference is not None:
        assert aot[0].shape == reference.shape
        np.testing.assert_allclose(f64(aot[0]), reference, **TOL)
    # A second call gives the same results (no state kept between calls).
    again = model.call(func, inputs)
    for a, b in zip(aot, again):
        np.testing.assert_array_equal(a, b)
    return aot


# ----------------------------------------------------------------------------
# the examples
# ----------------------------------------------------------------------------

def lenet_case(seed):
    rng = np.random.default_rng(seed)
    x = uniform(rng, (1, 1, 28, 28), -1.0, 1.0)
    c1w, c1b = uniform(rng, (6, 1, 5, 5)), uniform(rng, (6,))
    c2w, c2b = uniform(rng, (16, 6, 5, 5)), uniform(rng, (16,))
    f1w, f1b = uniform(rng, (120, 400), -0.1, 0.1), uniform(rng, (120,))
    f2w, f2b = uniform(rng, (84, 120)), uniform(rng, (84,))
    f3w, f3b = uniform(rng, (10, 84)), uniform(rng, (10,))
    inputs = [x, c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b, f3w, f3b]
    h = ref_max_pool_2x2(ref_relu(ref_conv2d(x, c1w, c1b, pad=2)))
    h = ref_max_pool_2x2(ref_relu(ref_conv2d(h, c2w, c2b))).reshape(1, 400)
    h = ref_relu(h @ f64(f1w).T + f64(f1b))
    h = ref_relu(h @ f64(f2w).T + f64(f2b))
    return inputs, ref_softmax(h @ f64(f3w).T + f64(f3b), axis=-1)


@pytest.mark.parametrize("seed", [11, 12])
def test_lenet(compiled, seed):
    inputs, want = lenet_case(seed)
    out = check_aot(compiled("lenet.mlir"), "lenet.mlir", "main", inputs, want)
    assert out[0].shape == (1, 10)


def bn_params(rng, c):
    return [uniform(rng, (c,), 0.5, 1.5), uniform(rng, (c,)), uniform(rng, (c,)),
            uniform(rng, (c,), 0.5, 1.5)]  # scale, bias, mean, variance > 0


def test_resnet_main(compiled):
    rng = np.random.default_rng(21)
    x = uniform(rng, (1, 16, 14, 14), -1.0, 1.0)
    w1, bn1 = uniform(rng, (16, 16, 3, 3), -0.1, 0.1), bn_params(rng, 16)
    w2, bn2 = uniform(rng, (16, 16, 3, 3), -0.1, 0.1), bn_params(rng, 16)
    h = ref_relu(ref_batch_norm(ref_conv2d(x, w1, pad=1), *bn1))
    want = ref_relu(ref_batch_norm(ref_conv2d(h, w2, pad=1), *bn2) + f64(x))
    check_aot(compiled("resnet_block.mlir"), "resnet_block.mlir", "main",
              [x, w1, *bn1, w2, *bn2], want)


def test_resnet_downsample_block(compiled):
    rng = np.random.default_rng(22)
    x = uniform(rng, (1, 16, 14, 14), -1.0, 1.0)
    w1, bn1 = uniform(rng, (32, 16, 3, 3), -0.1, 0.1), bn_params(rng, 32)
    w2, bn2 = uniform(rng, (32, 32, 3, 3), -0.1, 0.1), bn_params(rng, 32)
    wp, bnp = uniform(rng, (32, 16, 1, 1)), bn_params(rng, 32)
    h = ref_relu(ref_batch_norm(ref_conv2d(x, w1, stride=2, pad=1), *bn1))
    h = ref_batch_norm(ref_conv2d(h, w2, pad=1), *bn2)
    want = ref_relu(h + ref_batch_norm(ref_conv2d(x, wp, stride=2), *bnp))
    out = check_aot(compiled("resnet_block.mlir"), "resnet_block.mlir", "downsample_block",
                    [x, w1, *bn1, w2, *bn2, wp, *bnp], want)
    assert out[0].shape == (1, 32, 7, 7)


def test_resnet_both_entries_one_library(compiled):
    """Both functions of one library, called alternately."""
    model = compiled("resnet_block.mlir")
    rng = np.random.default_rng(23)
    main_inputs = [uniform(rng, (1, 16, 14, 14), -1.0, 1.0), uniform(rng, (16, 16, 3, 3), -0.1, 0.1),
                   *bn_params(rng, 16), uniform(rng, (16, 16, 3, 3), -0.1, 0.1), *bn_params(rng, 16)]
    down_inputs = [main_inputs[0], uniform(rng, (32, 16, 3, 3), -0.1, 0.1), *bn_params(rng, 32),
                   uniform(rng, (32, 32, 3, 3), -0.1, 0.1), *bn_params(rng, 32),
                   uniform(rng, (32, 16, 1, 1)), *bn_params(rng, 32)]
    a = model.call("main", main_inputs)[0]
    b = model.call("downsample_block", down_inputs)[0]
    a2 = model.call("main", main_inputs)[0]
    np.testing.assert_array_equal(a, a2)
    assert a.shape == (1, 16, 14, 14) and b.shape == (1, 32, 7, 7)


def test_transformer_encoder(compiled):
    rng = np.random.default_rng(31)
    seq, d, heads, hd, ff = 16, 32, 4, 8, 64
    x = uniform(rng, (1, seq, d), -1.0, 1.0)
    wq, bq = uniform(rng, (d, d)), uniform(rng, (d,))
    wk, bk = uniform(rng, (d, d)), uniform(rng, (d,))
    wv, bv = uniform(rng, (d, d)), uniform(rng, (d,))
    wo, bo = uniform(rng, (d, d)), uniform(rng, (d,))
    g1, be1 = uniform(rng, (d,), 0.5, 1.5), uniform(rng, (d,))
    wf1, bf1 = uniform(rng, (d, ff)), uniform(rng, (ff,))
    wf2, bf2 = uniform(rng, (ff, d)), uniform(rng, (d,))
    g2, be2 = uniform(rng, (d,), 0.5, 1.5), uniform(rng, (d,))
    inputs = [x, wq, bq, wk, bk, wv, bv, wo, bo, g1, be1, wf1, bf1, wf2, bf2, g2, be2]

    xs = f64(x)[0]

    def heads_of(w, b):
        return (xs @ f64(w) + f64(b)).reshape(seq, heads, hd).transpose(1, 0, 2)
    q, k, v = heads_of(wq, bq), heads_of(wk, bk), heads_of(wv, bv)
    p = ref_softmax(q @ k.transpose(0, 2, 1) / math.sqrt(hd), axis=-1)
    attn = (p @ v).transpose(1, 0, 2).reshape(seq, d)
    h = ref_layer_norm(xs + attn @ f64(wo) + f64(bo), g1, be1)
    f = ref_gelu(h @ f64(wf1) + f64(bf1)) @ f64(wf2) + f64(bf2)
    want = ref_layer_norm(h + f, g2, be2)[None]
    check_aot(compiled("transformer_encoder.mlir"), "transformer_encoder.mlir", "main",
              inputs, want)


@pytest.mark.parametrize("seed", [41, 42])
def test_mlp(compiled, seed):
    c = mlp_constants(read_example("mlp.mlir"))
    x = np.random.default_rng(seed).uniform(-1.0, 1.0, size=(2, 8)).astype(np.float32)
    h = ref_relu(f64(x) @ c["w1"].T + c["b1"]) * c["one"]
    want = ref_softmax(h @ c["w2"].T + c["b2"], axis=-1)
    check_aot(compiled("mlp.mlir"), "mlp.mlir", "main", [x], want)


def test_mlp_as_run_mlp_c(compiled):
    """The input of examples/aot/run_mlp.c: rows of probabilities."""
    i, j = np.meshgrid(np.arange(2), np.arange(8), indexing="ij")
    x = (0.25 * ((8 * i + j) % 5) - 0.5).astype(np.float32)
    out = compiled("mlp.mlir").call("main", [x])[0]
    assert out.shape == (2, 4)
    np.testing.assert_allclose(out.sum(axis=-1), 1.0, rtol=1e-6)
    c = mlp_constants(read_example("mlp.mlir"))
    want = ref_softmax(ref_relu(f64(x) @ c["w1"].T + c["b1"]) @ c["w2"].T + c["b2"])
    np.testing.assert_allclose(f64(out), want, **TOL)
