"""Whole example models (examples/*.mlir) against float64 numpy references.

Each model's weights are function arguments after the input, so the tests
feed random weights; the references below are written independently of
the compiler, in float64. All comparisons use rtol=1e-4, atol=1e-5 (the
harness' F32_REDUCTION_TOL): the models chain several reductions (convs
over up to 400 terms, matmuls, softmax, norms), so float32 rounding errors
accumulate beyond the single-op tolerance.
"""

import ast
import itertools
import math
import os
import re

import numpy as np

from accml_testing import ROOT, check

TOL = dict(rtol=1e-4, atol=1e-5)
EXAMPLES = os.path.join(ROOT, "examples")


def read_example(name):
    with open(os.path.join(EXAMPLES, name)) as f:
        return f.read()


def uniform(rng, shape, low=-0.3, high=0.3):
    return rng.uniform(low, high, size=shape).astype(np.float32)


def f64(a):
    return np.asarray(a, dtype=np.float64)


# ----------------------------------------------------------------------------
# float64 reference building blocks
# ----------------------------------------------------------------------------

def ref_conv2d(x, w, b=None, stride=1, pad=0):
    """NCHW x FCHW cross-correlation, symmetric padding, no groups."""
    x, w = f64(x), f64(w)
    n, c, h, wd = x.shape
    f, c2, kh, kw = w.shape
    assert c == c2
    x = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - kh) // stride + 1
    ow = (wd + 2 * pad - kw) // stride + 1
    out = np.zeros((n, f, oh, ow))
    for i, j in itertools.product(range(kh), range(kw)):
        patch = x[:, :, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride]
        out += np.einsum("nchw,fc->nfhw", patch, w[:, :, i, j])
    if b is not None:
        out += f64(b)[None, :, None, None]
    return out


def ref_max_pool_2x2(x):
    n, c, h, w = x.shape
    return f64(x)[:, :, :h // 2 * 2, :w // 2 * 2].reshape(n, c, h // 2, 2, w // 2, 2).max(axis=(3, 5))


def ref_relu(x):
    return np.maximum(x, 0.0)


def ref_softmax(x, axis=-1):
    x = f64(x)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def ref_batch_norm(x, scale, bias, mean, var, eps=1e-5):
    r = lambda v: f64(v)[None, :, None, None]
    return (f64(x) - r(mean)) / np.sqrt(r(var) + eps) * r(scale) + r(bias)


def ref_layer_norm(x, scale, bias, eps=1e-5):
    x = f64(x)
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * f64(scale) + f64(bias)


_erf = np.vectorize(math.erf)


def ref_gelu(x):
    x = f64(x)
    return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))


# ----------------------------------------------------------------------------
# LeNet-5
# ----------------------------------------------------------------------------

def test_lenet():
    rng = np.random.default_rng(1)
    x = uniform(rng, (1, 1, 28, 28), -1.0, 1.0)
    c1w, c1b = uniform(rng, (6, 1, 5, 5)), uniform(rng, (6,))
    c2w, c2b = uniform(rng, (16, 6, 5, 5)), uniform(rng, (16,))
    # fc1 sums 400 terms: a smaller scale keeps logits moderate.
    f1w, f1b = uniform(rng, (120, 400), -0.1, 0.1), uniform(rng, (120,))
    f2w, f2b = uniform(rng, (84, 120)), uniform(rng, (84,))
    f3w, f3b = uniform(rng, (10, 84)), uniform(rng, (10,))
    inputs = [x, c1w, c1b, c2w, c2b, f1w, f1b, f2w, f2b, f3w, f3b]

    h = ref_max_pool_2x2(ref_relu(ref_conv2d(x, c1w, c1b, pad=2)))      # 1x6x14x14
    h = ref_max_pool_2x2(ref_relu(ref_conv2d(h, c2w, c2b)))             # 1x16x5x5
    h = h.reshape(1, 400)
    h = ref_relu(h @ f64(f1w).T + f64(f1b))
    h = ref_relu(h @ f64(f2w).T + f64(f2b))
    want = ref_softmax(h @ f64(f3w).T + f64(f3b), axis=-1)
    assert want.shape == (1, 10)

    check(read_example("lenet.mlir"), inputs, want, tol=TOL)


# ----------------------------------------------------------------------------
# ResNet basic blocks
# ----------------------------------------------------------------------------

def bn_params(rng, c):
    scale = uniform(rng, (c,), 0.5, 1.5)
    bias = uniform(rng, (c,))
    mean = uniform(rng, (c,))
    var = uniform(rng, (c,), 0.5, 1.5)  # strictly positive
    return [scale, bias, mean, var]


def test_resnet_basic_block():
    rng = np.random.default_rng(2)
    x = uniform(rng, (1, 16, 14, 14), -1.0, 1.0)
    # 144 taps per output: weights ~ U(-0.1, 0.1) keep activations O(1).
    w1, bn1 = uniform(rng, (16, 16, 3, 3), -0.1, 0.1), bn_params(rng, 16)
    w2, bn2 = uniform(rng, (16, 16, 3, 3), -0.1, 0.1), bn_params(rng, 16)
    inputs = [x, w1, *bn1, w2, *bn2]

    h = ref_relu(ref_batch_norm(ref_conv2d(x, w1, pad=1), *bn1))
    h = ref_batch_norm(ref_conv2d(h, w2, pad=1), *bn2)
    want = ref_relu(h + f64(x))

    check(read_example("resnet_block.mlir"), inputs, want, tol=TOL, entry="main")


def test_resnet_downsample_block():
    rng = np.random.default_rng(3)
    x = uniform(rng, (1, 16, 14, 14), -1.0, 1.0)
    w1, bn1 = uniform(rng, (32, 16, 3, 3), -0.1, 0.1), bn_params(rng, 32)
    w2, bn2 = uniform(rng, (32, 32, 3, 3), -0.1, 0.1), bn_params(rng, 32)
    wp, bnp = uniform(rng, (32, 16, 1, 1)), bn_params(rng, 32)
    inputs = [x, w1, *bn1, w2, *bn2, wp, *bnp]

    h = ref_relu(ref_batch_norm(ref_conv2d(x, w1, stride=2, pad=1), *bn1))
    h = ref_batch_norm(ref_conv2d(h, w2, pad=1), *bn2)
    shortcut = ref_batch_norm(ref_conv2d(x, wp, stride=2), *bnp)
    want = ref_relu(h + shortcut)
    assert want.shape == (1, 32, 7, 7)

    check(read_example("resnet_block.mlir"), inputs, want, tol=TOL,
          entry="downsample_block")


def test_resnet_tail():
    # The end of a ResNet: a 7 x 7 convolution (position-major), batch norm,
    # relu, the residual, then the global average pool, whose row loop must
    # not absorb the convolution; the numbers must match.
    rng = np.random.default_rng(4)
    x = uniform(rng, (1, 32, 7, 7), -1.0, 1.0)
    w, bn = uniform(rng, (32, 32, 3, 3), -0.1, 0.1), bn_params(rng, 32)
    t_x, t_w, t_v, t_p = ("tensor<1x32x7x7xf32>", "tensor<32x32x3x3xf32>",
                          "tensor<32xf32>", "tensor<1x32x1x1xf32>")
    module = (
        f"func.func @main(%x: {t_x}, %w: {t_w}, %s: {t_v}, %b: {t_v}, %m: {t_v},"
        f" %v: {t_v}) -> {t_p} {{\n"
        f"  %c = accml.conv2d %x, %w {{pads = array<i64: 1, 1, 1, 1>}}"
        f" : ({t_x}, {t_w}) -> {t_x}\n"
        f"  %n = accml.batch_norm %c, %s, %b, %m, %v {{epsilon = 1.0e-05 : f32}}"
        f" : {t_x}, {t_v}, {t_v}, {t_v}, {t_v}\n"
        f"  %r = accml.relu %n : {t_x}\n"
        f"  %a = accml.add %r, %x : ({t_x}, {t_x}) -> {t_x}\n"
        f"  %p = accml.global_avg_pool %a : {t_x} -> {t_p}\n"
        f"  return %p : {t_p}\n}}\n")
    h = ref_relu(ref_batch_norm(ref_conv2d(x, w, pad=1), *bn)) + f64(x)
    want = h.mean(axis=(2, 3), keepdims=True)
    check(module, [x, w, *bn], want, tol=TOL)


# ----------------------------------------------------------------------------
# Transformer encoder block
# ----------------------------------------------------------------------------

def test_transformer_encoder():
    rng = np.random.default_rng(4)
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

    xs = f64(x)[0]                                       # seq x d
    def heads_of(w, b):                                  # -> heads x seq x hd
        return (xs @ f64(w) + f64(b)).reshape(seq, heads, hd).transpose(1, 0, 2)
    q, k, v = heads_of(wq, bq), heads_of(wk, bk), heads_of(wv, bv)
    p = ref_softmax(q @ k.transpose(0, 2, 1) / math.sqrt(hd), axis=-1)
    attn = (p @ v).transpose(1, 0, 2).reshape(seq, d)
    h = ref_layer_norm(xs + attn @ f64(wo) + f64(bo), g1, be1)
    f = ref_gelu(h @ f64(wf1) + f64(bf1)) @ f64(wf2) + f64(bf2)
    want = ref_layer_norm(h + f, g2, be2)[None]
    assert want.shape == (1, seq, d)

    check(read_example("transformer_encoder.mlir"), inputs, want, tol=TOL)


# ----------------------------------------------------------------------------
# examples/mlp.mlir (weights are constants in the file)
# ----------------------------------------------------------------------------

_CONSTANT = re.compile(
    r"%(\w+)\s*=\s*accml\.constant\s+dense<(.*?)>\s*:\s*tensor<([0-9x]*)f32>", re.S)


def mlp_constants(text):
    """The dense f32 constants of mlp.mlir, by SSA name, parsed from the file
    (so the reference follows the file's numbers, not the compiler's)."""
    consts = {}
    for name, body, dims in _CONSTANT.findall(text):
        shape = tuple(int(s) for s in dims.split("x") if s)
        value = np.array(ast.literal_eval(body.strip()), dtype=np.float64)
        consts[name] = np.broadcast_to(value, shape) if value.ndim == 0 else value
        assert consts[name].shape == shape, (name, consts[name].shape, shape)
    return consts


def test_mlp_example():
    text = read_example("mlp.mlir")
    c = mlp_constants(text)
    assert c["w1"].shape == (6, 8) and c["w2"].shape == (4, 6)
    assert c["w1"][0, 0] == 0.10 and c["w2"][3, 5] == 0.3  # sanity: parsed as written
    x = np.random.default_rng(5).uniform(-1.0, 1.0, size=(2, 8)).astype(np.float32)

    # relu(x @ w1^T + b1) * 1, then softmax(h @ w2^T + b2).
    h = ref_relu(f64(x) @ c["w1"].T + c["b1"]) * c["one"]
    want = ref_softmax(h @ c["w2"].T + c["b2"], axis=-1)

    check(text, [x], want, tol=TOL)
