"""conv2d, conv_transpose2d and pooling against numpy references."""

import itertools

import numpy as np
import pytest

from accml_testing import (F32_REDUCTION_TOL, F32_TOL, check, mlir_type, rand,
                           single_op_module)


def np_conv2d(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0),
              dilations=(1, 1), groups=1):
    """Reference 2-D cross-correlation, NCHW / FCHW, in float64."""
    x = x.astype(np.float64)
    w = w.astype(np.float64)
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    eh = dilations[0] * (kh - 1) + 1
    ew = dilations[1] * (kw - 1) + 1
    oh = (x.shape[2] - eh) // strides[0] + 1
    ow = (x.shape[3] - ew) // strides[1] + 1
    out = np.zeros((n, f, oh, ow))
    fg = f // groups
    for g in range(groups):
        xs = x[:, g * cg:(g + 1) * cg]
        ws = w[g * fg:(g + 1) * fg]
        for i, j in itertools.product(range(kh), range(kw)):
            patch = xs[:, :, i * dilations[0]:i * dilations[0] + strides[0] * (oh - 1) + 1:strides[0],
                       j * dilations[1]:j * dilations[1] + strides[1] * (ow - 1) + 1:strides[1]]
            out[:, g * fg:(g + 1) * fg] += np.einsum("nchw,fc->nfhw", patch, ws[:, :, i, j])
    if b is not None:
        out += b.astype(np.float64)[None, :, None, None]
    return out


def np_conv_transpose2d(x, w, b=None, strides=(1, 1), pads=(0, 0, 0, 0),
                        dilations=(1, 1), output_padding=(0, 0), groups=1):
    """Reference transposed convolution (scatter form), float64."""
    x = x.astype(np.float64)
    w = w.astype(np.float64)
    n, c, h, wd = x.shape
    _, fg, kh, kw = w.shape
    cg = c // groups
    full_h = (h - 1) * strides[0] + dilations[0] * (kh - 1) + 1 + output_padding[0]
    full_w = (wd - 1) * strides[1] + dilations[1] * (kw - 1) + 1 + output_padding[1]
    out = np.zeros((n, fg * groups, full_h, full_w))
    for g in range(groups):
        for i, j in itertools.product(range(h), range(wd)):
            for p, q in itertools.product(range(kh), range(kw)):
                oh = i * strides[0] + p * dilations[0]
                ow = j * strides[1] + q * dilations[1]
                out[:, g * fg:(g + 1) * fg, oh, ow] += np.einsum(
                    "nc,cf->nf", x[:, g * cg:(g + 1) * cg, i, j], w[g * cg:(g + 1) * cg, :, p, q])
    out = out[:, :, pads[0]:full_h - pads[2], pads[1]:full_w - pads[3]]
    if b is not None:
        out += b.astype(np.float64)[None, :, None, None]
    return out


def attrs(**kwargs):
    parts = []
    for key, value in kwargs.items():
        if value is None:
            continue
        if isinstance(value, bool):
            parts.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, int):
            parts.append(f"{key} = {value} : i64")
        else:
            parts.append(f"{key} = array<i64: {', '.join(map(str, value))}>")
    return "{{" + ", ".join(parts) + "}}" if parts else ""


CONV_CASES = [
    # (N, C, H, W), (F, C/g, KH, KW), strides, pads, dilations, groups, bias
    ((1, 3, 8, 8), (4, 3, 3, 3), (1, 1), (0, 0, 0, 0), (1, 1), 1, False),
    ((2, 3, 9, 7), (5, 3, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), 1, True),
    ((1, 4, 11, 11), (6, 4, 3, 3), (1, 2), (2, 1, 0, 3), (2, 2), 1, True),
    ((1, 8, 7, 7), (8, 1, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 8, True),  # depthwise
    ((1, 8, 10, 10), (8, 1, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), 8, False),
    ((1, 6, 8, 8), (4, 3, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 2, True),  # grouped
    ((2, 4, 6, 6), (8, 1, 1, 1), (1, 1), (0, 0, 0, 0), (1, 1), 4, False),  # multiplier 2
    ((1, 16, 7, 7), (32, 16, 1, 1), (1, 1), (0, 0, 0, 0), (1, 1), 1, True),  # 1x1
    ((1, 3, 17, 17), (2, 3, 7, 7), (2, 2), (3, 3, 3, 3), (1, 1), 1, False),
    # Strided 1x1 whose subsampled image gets extra rows (7 panels of 32 for
    # 14 x 14 positions).
    ((1, 16, 27, 27), (24, 16, 1, 1), (2, 2), (0, 0, 0, 0), (1, 1), 1, True),
    # Depthwise on rows shorter than a register (vectorised in whole 8- or
    # 16-lane registers, masked at the rows' ends): 14 x 14, 14 x 14 out of
    # 28 x 28 at stride 2, rows of 11 and of 6.
    ((1, 16, 14, 14), (16, 1, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 16, True),
    ((1, 8, 28, 28), (8, 1, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), 8, True),
    ((1, 4, 13, 11), (4, 1, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 4, False),
    ((2, 4, 6, 6), (4, 1, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), 4, True),
]


def conv_case(xs, ws, strides, pads, dilations, groups, bias, seed):
    """A single accml.conv2d module on random inputs (input of shape `xs`,
    weight `ws`, a bias when `bias`), its inputs and the numpy reference."""
    x, w = rand(xs, seed=seed), rand(ws, seed=seed + 1)
    inputs = [x, w]
    b = None
    if bias:
        b = rand((ws[0],), seed=seed + 2)
        inputs.append(b)
    want = np_conv2d(x, w, b, strides, pads, dilations, groups)
    op = ("accml.conv2d {args} "
          + attrs(strides=list(strides), pads=list(pads), dilations=list(dilations),
                  groups=groups)
          + " : {types}")
    return single_op_module(op, inputs, mlir_type(want.shape)), inputs, want


@pytest.mark.parametrize("xs,ws,strides,pads,dilations,groups,bias", CONV_CASES)
def test_conv2d(xs, ws, strides, pads, dilations, groups, bias):
    module, inputs, want = conv_case(xs, ws, strides, pads, dilations, groups, bias, seed=1)
    check(module, inputs, want)


# Channels last (a multiple of 16 channels on images at most 7 wide, or
# wider ones with the channels-last-width option): the image copied to
# N x H x W x C and back in 16 x 16 transposes of its positions (a last tile
# of 1 to 15 positions), the windows read across channels.
CHANNELS_LAST_CASES = [
    # (N, C, H, W), (F, 1, KH, KW), strides, pads, dilations, bias, options
    ((1, 32, 7, 7), (32, 1, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True, ""),
    ((2, 48, 7, 7), (48, 1, 5, 5), (1, 1), (2, 2, 2, 2), (1, 1), True, ""),
    ((1, 16, 7, 7), (16, 1, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), False, ""),
    ((1, 32, 6, 5), (32, 1, 3, 3), (1, 1), (0, 1, 2, 1), (1, 1), True, ""),
    ((1, 16, 7, 7), (16, 1, 3, 3), (1, 1), (2, 2, 2, 2), (2, 2), True, ""),
    ((1, 64, 4, 4), (64, 1, 3, 3), (1, 1), (0, 0, 0, 0), (1, 1), False, ""),
    ((1, 16, 14, 14), (16, 1, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True,
     "channels-last-width=64"),
    ((1, 32, 13, 11), (32, 1, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), False,
     "channels-last-width=64"),
    ((1, 16, 28, 28), (16, 1, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), True,
     "channels-last-width=64"),
    ((2, 48, 9, 11), (48, 1, 3, 3), (1, 1), (0, 0, 0, 0), (1, 1), True,
     "channels-last-width=64"),
    # 32 channel blocks of 32, in 16 chunks at two threads (a loop over
    # two blocks in each).
    ((1, 1024, 7, 7), (1024, 1, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True, ""),
    # Off: the NCHW form.
    ((1, 32, 7, 7), (32, 1, 3, 3), (1, 1), (1, 1, 1, 1), (1, 1), True,
     "channels-last-width=0"),
]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("xs,ws,strides,pads,dilations,bias,options", CHANNELS_LAST_CASES)
def test_depthwise_channels_last(xs, ws, strides, pads, dilations, bias, options, threads):
    module, inputs, want = conv_case(xs, ws, strides, pads, dilations, xs[1], bias, seed=3)
    extra = [f"--pipeline-options={options}"] if options else []
    check(module, inputs, want, threads=threads, extra_args=extra)


# Window ops between channels-last layers: the N x H x W x C input
# transposed to NCHW, the result transposed back (as an NHWC model imports).
# accml-pack reads the input and writes the result channels last directly,
# whatever the width; with a channel count that 16 does not divide, the
# transposes stay. `layout` says which side is channels last.
BOUNDARY_CASES = [
    # (N, C, H, W), (F, 1, KH, KW), strides, pads, bias, layout[, dilations]
    ((1, 32, 7, 7), (32, 1, 3, 3), (1, 1), (1, 1, 1, 1), True, "both"),
    ((1, 48, 14, 14), (48, 1, 3, 3), (1, 1), (1, 1, 1, 1), True, "both"),
    ((2, 32, 28, 28), (32, 1, 3, 3), (2, 2), (1, 1, 1, 1), True, "both"),
    ((1, 16, 57, 57), (16, 1, 3, 3), (2, 2), (1, 1, 1, 1), False, "both"),
    ((1, 64, 9, 11), (64, 1, 5, 5), (1, 1), (2, 1, 2, 3), True, "both"),
    ((1, 32, 20, 20), (32, 1, 3, 3), (1, 1), (1, 1, 1, 1), True, "input"),
    ((1, 32, 20, 20), (32, 1, 3, 3), (2, 2), (1, 1, 1, 1), True, "output"),
    ((1, 24, 10, 10), (24, 1, 3, 3), (1, 1), (1, 1, 1, 1), True, "both"),
    # No interior (every output's window reaches into the padding), or
    # border outputs that read only padding (more padding than the kernel
    # spans): the padded copy of the whole image.
    ((1, 16, 8, 8), (16, 1, 9, 9), (1, 1), (4, 4, 4, 4), True, "both"),
    ((1, 16, 8, 8), (16, 1, 1, 1), (2, 2), (2, 2, 2, 2), True, "both"),
    ((1, 16, 12, 12), (16, 1, 1, 1), (1, 1), (1, 1, 1, 1), False, "both"),
    # Dilated, and strided with more padding after than before.
    ((1, 32, 16, 16), (32, 1, 3, 3), (1, 1), (2, 2, 2, 2), True, "both", (2, 2)),
    ((1, 32, 15, 17), (32, 1, 3, 3), (2, 2), (0, 1, 2, 2), True, "both"),
]


def boundary_module(op_text, x_nchw, out_shape, other_inputs, layout):
    """A module applying `op_text` (on %x, %a1 ...) to an image that arrives
    channels last when `layout` is "input" or "both" and whose result leaves
    channels last when it is "output" or "both"."""
    n, c, h, w = x_nchw.shape
    on, oc, oh, ow = out_shape
    x_type = mlir_type((n, c, h, w))
    xl_type = mlir_type((n, h, w, c))
    r_type = mlir_type(out_shape)
    rl_type = mlir_type((on, oh, ow, oc))
    arriving = layout in ("input", "both")
    leaving = layout in ("output", "both")
    params = [f"%a0: {xl_type}" if arriving else f"%x: {x_type}"]
    params += [f"%a{i + 1}: {mlir_type(a.shape)}" for i, a in enumerate(other_inputs)]
    lines = []
    if arriving:
        lines.append(f"%x = accml.transpose %a0 {{perm = array<i64: 0, 3, 1, 2>}} : "
                     f"{xl_type} -> {x_type}")
    lines.append(f"%r = {op_text}")
    if leaving:
        lines.append(f"%rl = accml.transpose %r {{perm = array<i64: 0, 2, 3, 1>}} : "
                     f"{r_type} -> {rl_type}")
    result, result_type = ("%rl", rl_type) if leaving else ("%r", r_type)
    body = "".join(f"  {line}\n" for line in lines)
    return (f"func.func @main({', '.join(params)}) -> {result_type} {{\n{body}"
            f"  return {result} : {result_type}\n}}\n")


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("case", BOUNDARY_CASES)
def test_depthwise_channels_last_boundary(case, threads):
    xs, ws, strides, pads, bias, layout = case[:6]
    dilations = case[6] if len(case) > 6 else (1, 1)
    x, w = rand(xs, seed=21), rand(ws, seed=22)
    b = rand((ws[0],), seed=23) if bias else None
    want = np_conv2d(x, w, b, strides, pads, dilations, xs[1])
    others = [w] + ([b] if bias else [])
    types = ", ".join(mlir_type(t.shape) for t in [x] + others)
    op = ("accml.conv2d %x, " + ", ".join(f"%a{i + 1}" for i in range(len(others)))
          + " " + attrs(strides=list(strides), pads=list(pads),
                        dilations=list(dilations), groups=xs[1])
          .replace("{{", "{").replace("}}", "}")
          + f" : ({types}) -> {mlir_type(want.shape)}")
    module = boundary_module(op, x, want.shape, others, layout)
    inputs = [x.transpose(0, 2, 3, 1) if layout in ("input", "both") else x] + others
    if layout in ("output", "both"):
        want = want.transpose(0, 2, 3, 1)
    check(module, inputs, want, threads=threads)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("shape,ceil_mode", [
    ((1, 32, 7, 7), False), ((1, 64, 30, 30), False), ((1, 24, 12, 12), False),
    # ceil_mode: padding past the image's bottom and right.
    ((2, 32, 28, 28), True), ((1, 16, 20, 20), True)])
def test_pool_channels_last_boundary(kind, shape, ceil_mode, threads):
    x = rand(shape, seed=24)
    want = np_pool(x, (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), ceil_mode, kind, False)
    extra = dict(count_include_pad=False) if kind == "avg" else {}
    op = (f"accml.{kind}_pool2d %x "
          + attrs(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                  dilations=[1, 1], ceil_mode=ceil_mode, **extra)
          .replace("{{", "{").replace("}}", "}")
          + f" : {mlir_type(shape)} -> {mlir_type(want.shape)}")
    module = boundary_module(op, x, want.shape, [], "both")
    check(module, [x.transpose(0, 2, 3, 1)], want.transpose(0, 2, 3, 1),
          threads=threads)


# Window ops in loops over their channel blocks that carry the blocks'
# padded copy (its padding written once per loop): one loop single-threaded,
# chunks of blocks at two threads (with a batch of 2: blocks of both
# images), for padded and for strided (phases) inputs.
BLOCK_LOOP_CASES = [
    # (N, C, H, W), (F, 1, KH, KW), strides, pads, bias
    ((2, 64, 30, 30), (64, 1, 3, 3), (1, 1), (1, 1, 1, 1), True),
    ((1, 96, 44, 44), (96, 1, 3, 3), (2, 2), (1, 1, 1, 1), True),
    ((1, 128, 28, 28), (128, 1, 3, 3), (2, 2), (1, 1, 1, 1), False),
    ((2, 96, 20, 20), (96, 1, 5, 5), (1, 1), (2, 1, 2, 3), True),
]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("xs,ws,strides,pads,bias", BLOCK_LOOP_CASES)
def test_depthwise_block_loops(xs, ws, strides, pads, bias, threads):
    module, inputs, want = conv_case(xs, ws, strides, pads, (1, 1), xs[1], bias, seed=5)
    check(module, inputs, want, threads=threads)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool_block_loops(kind, threads):
    x = rand((2, 64, 36, 36), seed=12)
    want = np_pool(x, (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), False, kind, False)
    extra = dict(count_include_pad=False) if kind == "avg" else {}
    op = (f"accml.{kind}_pool2d %a0 "
          + attrs(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                  dilations=[1, 1], ceil_mode=False, **extra)
          + " : {in_type} -> {out_type}")
    module = single_op_module(op, [x], mlir_type(want.shape))
    check(module, [x], want, threads=threads)


def test_conv2d_dynamic_batch():
    x, w, b = rand((3, 3, 8, 8), seed=4), rand((4, 3, 3, 3), seed=5), rand((4,), seed=6)
    want = np_conv2d(x, w, b, pads=(1, 1, 1, 1))
    module = single_op_module(
        "accml.conv2d {args} {{pads = array<i64: 1, 1, 1, 1>}} : {types}",
        [x, w, b], mlir_type((None, 4, 8, 8)),
        arg_types=[mlir_type((None, 3, 8, 8)), mlir_type((4, 3, 3, 3)), mlir_type((4,))])
    check(module, [x, w, b], want)


CONV_T_CASES = [
    # (N, C, H, W), (C, F/g, KH, KW), strides, pads, dilations, output_padding, groups, bias
    ((1, 4, 5, 5), (4, 3, 3, 3), (1, 1), (0, 0, 0, 0), (1, 1), (0, 0), 1, False),
    ((1, 4, 5, 5), (4, 2, 3, 3), (2, 2), (1, 1, 1, 1), (1, 1), (1, 1), 1, True),
    ((2, 6, 4, 3), (6, 2, 3, 2), (2, 3), (0, 1, 1, 0), (1, 1), (0, 0), 2, True),
    ((1, 2, 4, 4), (2, 3, 3, 3), (1, 1), (1, 1, 1, 1), (2, 2), (0, 0), 1, False),
    ((1, 4, 3, 3), (4, 1, 4, 4), (2, 2), (1, 1, 1, 1), (1, 1), (0, 0), 4, False),
]


@pytest.mark.parametrize("xs,ws,strides,pads,dilations,output_padding,groups,bias", CONV_T_CASES)
def test_conv_transpose2d(xs, ws, strides, pads, dilations, output_padding, groups, bias):
    x, w = rand(xs, seed=7), rand(ws, seed=8)
    inputs = [x, w]
    b = None
    if bias:
        b = rand((ws[1] * groups,), seed=9)
        inputs.append(b)
    want = np_conv_transpose2d(x, w, b, strides, pads, dilations, output_padding, groups)
    op = ("accml.conv_transpose2d {args} "
          + attrs(strides=list(strides), pads=list(pads), dilations=list(dilations),
                  output_padding=list(output_padding), groups=groups)
          + " : {types}")
    module = single_op_module(op, inputs, mlir_type(want.shape))
    check(module, inputs, want)


def np_pool(x, kernel, strides, pads, dilations, ceil_mode, kind, count_include_pad=False):
    n, c, h, w = x.shape
    out_shape = []
    for i, size in enumerate((h, w)):
        window = dilations[i] * (kernel[i] - 1) + 1
        span = size + pads[i] + pads[i + 2] - window
        out = (-(-span // strides[i]) if ceil_mode else span // strides[i]) + 1
        if ceil_mode and (out - 1) * strides[i] >= size + pads[i]:
            out -= 1
        out_shape.append(out)
    result = np.zeros((n, c, *out_shape))
    xd = x.astype(np.float64)
    for oh, ow in itertools.product(range(out_shape[0]), range(out_shape[1])):
        values, counted = [], 0
        for p, q in itertools.product(range(kernel[0]), range(kernel[1])):
            i = oh * strides[0] - pads[0] + p * dilations[0]
            j = ow * strides[1] - pads[1] + q * dilations[1]
            inside = 0 <= i < h and 0 <= j < w
            in_padded = -pads[0] <= i < h + pads[2] and -pads[1] <= j < w + pads[3]
            if inside:
                values.append(xd[:, :, i, j])
            if inside or (count_include_pad and in_padded):
                counted += 1
        if kind == "max":
            result[:, :, oh, ow] = np.max(np.stack(values), axis=0)
        else:
            result[:, :, oh, ow] = np.sum(np.stack(values), axis=0) / counted
    return result


POOL_CASES = [
    # shape, kernel, strides, pads, dilations, ceil_mode, count_include_pad
    ((1, 2, 8, 8), (2, 2), (2, 2), (0, 0, 0, 0), (1, 1), False, False),
    ((2, 3, 9, 9), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), False, False),
    ((1, 2, 7, 7), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), False, True),
    ((1, 2, 7, 7), (2, 2), (2, 2), (0, 0, 0, 0), (1, 1), True, False),
    ((1, 2, 7, 6), (3, 2), (2, 2), (1, 0, 1, 1), (1, 1), True, True),
    ((1, 2, 10, 10), (3, 3), (1, 1), (2, 2, 2, 2), (2, 2), False, False),
    ((1, 1, 5, 5), (5, 5), (1, 1), (0, 0, 0, 0), (1, 1), False, False),
    ((1, 3, 17, 17), (3, 3), (3, 3), (1, 1, 1, 1), (1, 1), True, False),
    # Rows of 14 and 13 (whole 16-lane registers, masked).
    ((1, 3, 14, 14), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), False, False),
    ((1, 2, 28, 26), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), False, True),
    # Stride 2 with output rows of 8 or more (accml-pack's strided row
    # form: columns split into even and odd in registers): ResNet's 3x3/2
    # (rows of 56), ceil mode's extra padding below and right, 2x2 windows
    # on rows of 35 (3 vectors), dilation 2, a batch of 2 with
    # count_include_pad off (the division a consumer).
    ((1, 4, 112, 112), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), False, True),
    ((1, 3, 32, 32), (3, 3), (2, 2), (0, 0, 0, 0), (1, 1), True, False),
    ((1, 2, 20, 70), (2, 2), (2, 2), (0, 0, 0, 0), (1, 1), False, False),
    ((1, 2, 30, 30), (3, 3), (2, 2), (2, 2, 2, 2), (2, 2), False, True),
    ((2, 3, 40, 41), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), False, False),
    # Channels last (16 channels or more, images at most 7 wide).
    ((1, 32, 7, 7), (3, 3), (1, 1), (1, 1, 1, 1), (1, 1), False, True),
    ((2, 16, 7, 7), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), True, False),
    ((1, 16, 6, 6), (2, 2), (2, 2), (0, 0, 0, 0), (1, 1), False, False),
]


@pytest.mark.parametrize("shape,kernel,strides,pads,dilations,ceil_mode,count_include_pad", POOL_CASES)
@pytest.mark.parametrize("kind", ["max", "avg"])
def test_pool2d(shape, kernel, strides, pads, dilations, ceil_mode, count_include_pad, kind):
    x = rand(shape, seed=10)
    want = np_pool(x, kernel, strides, pads, dilations, ceil_mode, kind, count_include_pad)
    extra = dict(count_include_pad=count_include_pad) if kind == "avg" else {}
    op = (f"accml.{kind}_pool2d %a0 "
          + attrs(kernel_shape=list(kernel), strides=list(strides), pads=list(pads),
                  dilations=list(dilations), ceil_mode=ceil_mode, **extra)
          + " : {in_type} -> {out_type}")
    module = single_op_module(op, [x], mlir_type(want.shape))
    check(module, [x], want)


def test_max_pool_dynamic_batch():
    x = rand((3, 2, 6, 6), seed=11)
    want = np_pool(x, (2, 2), (2, 2), (0, 0, 0, 0), (1, 1), False, "max")
    module = single_op_module(
        "accml.max_pool2d %a0 {{kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}} : {in_type} -> {out_type}",
        [x], mlir_type((None, 2, 3, 3)), arg_types=[mlir_type((None, 2, 6, 6))])
    check(module, [x], want)


# (Spatial dimensions collapse into one reduction dimension; 56 x 56 =
# 3136, a multiple of 64, and 64 x 50 rows go in 64-wide chunks.)
@pytest.mark.parametrize("kind", ["avg", "max"])
@pytest.mark.parametrize("shape", [(1, 3, 7, 7), (2, 4, 5), (1, 2, 40, 40),
                                   (1, 32, 56, 56), (2, 16, 64, 50)])
def test_global_pool(kind, shape):
    x = rand(shape, seed=12)
    axes = tuple(range(2, len(shape)))
    want = (np.mean if kind == "avg" else np.max)(x.astype(np.float64), axis=axes, keepdims=True)
    module = single_op_module(f"accml.global_{kind}_pool %a0 : {{in_type}} -> {{out_type}}",
                              [x], mlir_type(want.shape))
    tol = F32_REDUCTION_TOL if np.prod(shape[2:]) > 1000 else F32_TOL
    check(module, [x], want, tol=tol)
