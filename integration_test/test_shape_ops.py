"""Numerical tests of AccML's data-movement ops (reshape, transpose, concat,
slice, split, gather, pad, expand, flatten, squeeze, unsqueeze) and of
accml.constant. Every expected value and result type comes from numpy.

The view-like ops run twice (`post`): as a single op whose result @main
returns as is (a view of the argument, on the CPU pipeline), and with the
result going through `accml.neg` (for i1, `accml.cast` to i32) before it is
returned, the expected value transformed alike.
"""

import numpy as np
import pytest

from accml_testing import (check, mlir_type, rand, single_op_module,
                           type_of)

I64_MAX = 2**63 - 1
I64_MIN = -2**63



def _arr(values):
    return "array<i64: " + ", ".join(str(int(v)) for v in values) + ">"


def _input(shape, dtype, seed=0):
    if dtype == np.bool_:
        return rand(shape, np.bool_, seed=seed)
    if np.issubdtype(np.dtype(dtype), np.integer):
        return rand(shape, dtype, seed=seed, low=-100, high=100)
    return rand(shape, dtype, seed=seed)


def _post_op(value, mlir_ty, want):
    """An op line applied to `value` and the value's expected image: neg for
    numbers, a cast to i32 for i1."""
    want = np.asarray(want)
    if want.dtype == np.bool_:
        out_ty = mlir_type(want.shape, "i32")
        return (f"accml.cast {value} : {mlir_ty} to {out_ty}", out_ty,
                want.astype(np.int32))
    return f"accml.neg {value} : {mlir_ty}", mlir_ty, -want


def _unary(op, attrs, x, want, arg_type=None, result_type=None, post=False):
    """Runs `accml.<op> %a0 {attrs} : T -> R` on x and compares with want;
    with `post`, through _post_op."""
    want = np.asarray(want)
    attr_text = (" {{" + attrs + "}}") if attrs else ""
    result_type = result_type or type_of(want)
    op_text = f"accml.{op} {{args}}{attr_text} : {{in_type}} -> {{out_type}}"
    if not post:
        module = single_op_module(op_text, [x], result_type,
                                  arg_types=[arg_type] if arg_type else None)
        check(module, [x], want)
        return
    arg_type = arg_type or type_of(x)
    line = op_text.format(args="%a0", in_type=arg_type,
                          out_type=result_type)
    post_line, out_type, post_want = _post_op("%r", result_type, want)
    module = (f"func.func @main(%a0: {arg_type}) -> {out_type} {{\n"
              f"  %r = {line}\n"
              f"  %p = {post_line}\n"
              f"  return %p : {out_type}\n"
              f"}}\n")
    check(module, [x], post_want)


DTYPES = [np.float32, np.int64, np.bool_]
DTYPE_IDS = ["f32", "i64", "i1"]
POST = pytest.mark.parametrize("post", [False, True], ids=["direct", "post"])

# ---------------------------------------------------------------- reshape


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape,new_shape", [
    ((2, 3, 4), (6, 4)),
    ((2, 3, 4), (24,)),
    ((24,), (2, 3, 4)),
    ((4, 6), (2, 2, 6)),
    ((2, 3, 4), (4, 3, 2)),
    ((1, 5), (5, 1)),
    ((1,), ()),
    ((1, 1, 1), ()),
    ((), (1, 1)),
    ((), (1,)),
    ((3, 1, 5), (1, 15, 1)),
])
@POST
def test_reshape(shape, new_shape, dtype, post):
    x = _input(shape, dtype, seed=1)
    _unary("reshape", "", x, x.reshape(new_shape), post=post)


@pytest.mark.parametrize("shape,arg_shape,new_shape", [
    ((3, 4), (None, 4), (None,)),
    ((3, 4), (None, 4), (None, 2, 2)),
    ((2, 3, 4), (None, 3, 4), (None, 12)),
])
@POST
def test_reshape_dynamic(shape, arg_shape, new_shape, post):
    x = _input(shape, np.float32, seed=2)
    want = x.reshape([-1 if d is None else d for d in new_shape])
    _unary("reshape", "", x, want, arg_type=mlir_type(arg_shape),
           result_type=mlir_type(new_shape), post=post)


# -------------------------------------------------------------- transpose


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape,perm", [
    ((2, 3, 4), (0, 2, 1)),
    ((2, 3, 4), (2, 0, 1)),
    ((2, 3, 4), (1, 2, 0)),
    ((3, 5), (1, 0)),
    ((2, 3, 4, 5), (3, 1, 0, 2)),
    ((1, 3, 1, 5), (0, 2, 1, 3)),
    ((17, 127), (1, 0)),
])
def test_transpose(shape, perm, dtype):
    x = _input(shape, dtype, seed=3)
    _unary("transpose", f"perm = {_arr(perm)}", x, np.transpose(x, perm))


# Between NCHW and channels last with a multiple of 16 channels: copies in
# 16 x 16 register transposes of positions (a partial last tile), across
# the threads.
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("shape,perm", [
    ((1, 32, 7, 9), (0, 2, 3, 1)),
    ((2, 16, 20, 20), (0, 2, 3, 1)),
    ((1, 7, 9, 32), (0, 3, 1, 2)),
    ((2, 20, 20, 48), (0, 3, 1, 2)),
    # The last two dimensions swapped (rows a multiple of 16): matrices and
    # batches of them, viewed as images of one row; and rows of 20, which
    # stay a plain transpose.
    ((32, 50), (1, 0)),
    ((3, 48, 17), (0, 2, 1)),
    ((2, 2, 16, 33), (0, 1, 3, 2)),
    ((20, 32), (1, 0)),
])
def test_transpose_channels_last(shape, perm, threads):
    x = _input(shape, np.float32, seed=4)
    module = single_op_module(
        f"accml.transpose {{args}} {{{{perm = {_arr(perm)}}}}} : {{in_type}} -> {{out_type}}",
        [x], type_of(np.transpose(x, perm)))
    check(module, [x], np.transpose(x, perm), threads=threads)


@pytest.mark.parametrize("shape", [(3, 5), (2, 3, 4), (2, 3, 4, 5)])
def test_transpose_default_reverses(shape):
    x = _input(shape, np.float32, seed=4)
    _unary("transpose", "", x, np.transpose(x))


@pytest.mark.parametrize("shape,perm", [((2, 3, 4), (0, 1, 2)), ((5,), None)])
@POST
def test_transpose_identity(shape, perm, post):
    x = _input(shape, np.float32, seed=4)
    _unary("transpose", "" if perm is None else f"perm = {_arr(perm)}", x,
           np.transpose(x, perm), post=post)


def test_transpose_dynamic():
    x = _input((3, 4, 5), np.float32, seed=5)
    _unary("transpose", f"perm = {_arr((2, 0, 1))}", x,
           np.transpose(x, (2, 0, 1)), arg_type=mlir_type((None, 4, 5)),
           result_type=mlir_type((5, None, 4)))


# ----------------------------------------------------------------- concat


def _concat_check(xs, axis, arg_types=None, result_type=None, post=False):
    want = np.concatenate(xs, axis=axis)
    arg_types = arg_types or [type_of(x) for x in xs]
    result_type = result_type or type_of(want)
    op = f"accml.concat {{args}} {{{{axis = {axis} : i64}}}} : {{types}}"
    if not post:
        check(single_op_module(op, xs, result_type, arg_types=arg_types),
              xs, want)
        return
    args = ", ".join(f"%a{i}" for i in range(len(xs)))
    params = ", ".join(f"%a{i}: {t}" for i, t in enumerate(arg_types))
    line = op.format(args=args,
                     types=f"({', '.join(arg_types)}) -> {result_type}")
    post_line, out_type, post_want = _post_op("%r", result_type, want)
    module = (f"func.func @main({params}) -> {out_type} {{\n"
              f"  %r = {line}\n"
              f"  %p = {post_line}\n"
              f"  return %p : {out_type}\n"
              f"}}\n")
    check(module, xs, post_want)


CONCAT_CASES = [
    ([(2, 3), (2, 5)], 1),
    ([(2, 3), (4, 3)], 0),
    ([(2, 3), (2, 5)], -1),
    ([(2, 3), (4, 3)], -2),
    ([(1, 2, 3), (1, 4, 3), (1, 1, 3)], 1),
    ([(2, 3, 1), (2, 3, 4), (2, 3, 2)], -1),
    ([(2, 3, 4), (2, 3, 4), (5, 3, 4)], -3),
    ([(4,), (1,), (3,)], 0),
    ([(3, 2)], 0),
    ([(3, 2)], -1),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shapes,axis", CONCAT_CASES)
@POST
def test_concat(shapes, axis, dtype, post):
    xs = [_input(s, dtype, seed=10 + i) for i, s in enumerate(shapes)]
    _concat_check(xs, axis, post=post)


def test_concat_dynamic_other_dim():
    xs = [_input((3, 2), np.float32, seed=20),
          _input((3, 5), np.float32, seed=21)]
    _concat_check(xs, 1, arg_types=[mlir_type((None, 2)),
                                    mlir_type((None, 5))],
                  result_type=mlir_type((None, 7)))


def test_concat_dynamic_axis():
    xs = [_input((3, 2), np.float32, seed=22),
          _input((4, 2), np.float32, seed=23)]
    _concat_check(xs, 0, arg_types=[mlir_type((None, 2)),
                                    mlir_type((4, 2))],
                  result_type=mlir_type((None, 2)))


# ------------------------------------------------------------------ slice


def _slice_ref(x, starts, ends, axes, steps):
    axes = list(range(len(starts))) if axes is None else axes
    steps = [1] * len(starts) if steps is None else steps
    index = [slice(None)] * x.ndim
    for s, e, a, st in zip(starts, ends, axes, steps):
        index[a] = slice(s, e, st)
    return x[tuple(index)]


def _slice_attrs(starts, ends, axes=None, steps=None):
    attrs = [f"starts = {_arr(starts)}", f"ends = {_arr(ends)}"]
    if axes is not None:
        attrs.append(f"axes = {_arr(axes)}")
    if steps is not None:
        attrs.append(f"steps = {_arr(steps)}")
    return ", ".join(attrs)


SLICE_CASES = [
    # (shape, starts, ends, axes, steps)
    ((2, 10), [1], [-1], [1], None),
    ((5, 10), [0, 2], [3, 8], None, None),
    ((5, 10), [1], [4], None, None),
    ((5, 10), [1], [10], [1], [3]),
    ((5, 10), [0, 1], [5, 10], [0, 1], [2, 2]),
    # Negative steps.
    ((5, 10), [-1], [I64_MIN], [1], [-1]),
    ((5, 10), [8], [1], [1], [-2]),
    ((5, 10), [4, 9], [0, -11], [0, 1], [-1, -3]),
    ((5, 10), [100], [-100], [1], [-1]),
    # Negative starts and ends.
    ((5, 10), [-4], [-1], [1], None),
    ((5, 10), [-3, -8], [5, -2], [0, 1], None),
    # Out-of-range values clamp.
    ((5, 10), [-100], [100], [1], None),
    ((5, 10), [2], [I64_MAX], [1], None),
    ((5, 10), [3], [1000], [0], [1]),
    ((5, 10), [-100, 0], [100, I64_MAX], [0, 1], None),
    # Negative and unordered axes.
    ((2, 3, 10), [2], [7], [-1], None),
    ((4, 3, 10), [1, 2], [9, 4], [2, 0], [2, 1]),
    ((4, 3, 10), [0, 1, 2], [4, 3, 10], [-3, -2, -1], [3, 1, 4]),
    ((4, 3, 10), [0, -1, 0], [4, I64_MIN, 10], None, [3, -1, 4]),
    # Steps larger than the dimension.
    ((5, 10), [1], [10], [1], [20]),
    ((5, 10), [9], [0], [1], [-20]),
]


@pytest.mark.parametrize("dtype", [np.float32, np.int64], ids=["f32", "i64"])
@pytest.mark.parametrize("shape,starts,ends,axes,steps", SLICE_CASES)
@POST
def test_slice(shape, starts, ends, axes, steps, dtype, post):
    x = _input(shape, dtype, seed=30)
    _unary("slice", _slice_attrs(starts, ends, axes, steps), x,
           _slice_ref(x, starts, ends, axes, steps), post=post)


@POST
def test_slice_bool(post):
    x = _input((6, 7), np.bool_, seed=31)
    _unary("slice", _slice_attrs([5, 1], [0, 7], [0, 1], [-2, 2]), x,
           x[5:0:-2, 1:7:2], post=post)


@POST
def test_slice_empty_result(post):
    x = _input((5, 10), np.float32, seed=32)
    _unary("slice", _slice_attrs([6], [2], [1]), x, x[:, 6:2], post=post)


@pytest.mark.parametrize("starts,ends,steps,want_dim", [
    ([-8], [9], None, 7),
    ([-8], [9], [2], 4),
])
@POST
def test_slice_dynamic_other_dim(starts, ends, steps, want_dim, post):
    x = _input((3, 10), np.float32, seed=33)
    want = _slice_ref(x, starts, ends, [1], steps)
    assert want.shape[1] == want_dim
    _unary("slice", _slice_attrs(starts, ends, [1], steps), x, want,
           arg_type=mlir_type((None, 10)),
           result_type=mlir_type((None, want_dim)), post=post)


# ------------------------------------------------------------------ split


def _split_module(in_type, out_types, attrs, posts=None):
    """`%r:n = accml.split`; returns the results, or with `posts` (op lines
    and types from _post_op, written for %r#i) their images."""
    n = len(out_types)
    outs = ", ".join(out_types)
    lines = [f"  %r:{n} = accml.split %a0 {{{attrs}}} : {in_type} -> {outs}"]
    if posts is None:
        results, ret_types = [f"%r#{i}" for i in range(n)], out_types
    else:
        results, ret_types = [], []
        for i, (line, ty) in enumerate(posts):
            lines.append(f"  %p{i} = {line}")
            results.append(f"%p{i}")
            ret_types.append(ty)
    rets = ", ".join(ret_types)
    return (f"func.func @main(%a0: {in_type}) -> ({rets}) {{\n"
            + "\n".join(lines) + "\n"
            f"  return {', '.join(results)} : {rets}\n"
            f"}}\n")


def _split_check(x, wants, attrs, post=False):
    out_types = [type_of(w) for w in wants]
    if not post:
        check(_split_module(type_of(x), out_types, attrs), [x], wants)
        return
    posts, post_wants = [], []
    for i, (w, ty) in enumerate(zip(wants, out_types)):
        line, post_ty, post_want = _post_op(f"%r#{i}", ty, w)
        posts.append((line, post_ty))
        post_wants.append(post_want)
    check(_split_module(type_of(x), out_types, attrs, posts), [x],
          post_wants)


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape,axis,sizes,count", [
    ((4, 5), 1, [2, 3], 2),
    ((4, 5), -1, [2, 3], 2),
    ((6, 2), 0, [1, 2, 3], 3),
    ((2, 3, 6), -1, [4, 1, 1], 3),
    ((2, 6, 3), 1, [0, 6], 2),
    ((4, 5), 0, None, 2),
    ((2, 3, 6), -1, None, 3),
    ((2, 3, 6), 2, None, 6),
    ((3, 4), 1, [4], 1),
])
@POST
def test_split(shape, axis, sizes, count, dtype, post):
    x = _input(shape, dtype, seed=40)
    if sizes is None:
        wants = np.split(x, count, axis=axis)
        attrs = f"axis = {axis} : i64"
    else:
        wants = np.split(x, np.cumsum(sizes)[:-1], axis=axis)
        attrs = f"axis = {axis} : i64, split = {_arr(sizes)}"
    assert len(wants) == count
    _split_check(x, wants, attrs, post=post)


@POST
def test_split_default_axis(post):
    x = _input((6, 3), np.float32, seed=41)
    _split_check(x, np.split(x, [2], axis=0), f"split = {_arr([2, 4])}",
                 post=post)


# ----------------------------------------------------------------- gather


@pytest.mark.parametrize("idx_dtype", [np.int64, np.int32], ids=["i64", "i32"])
@pytest.mark.parametrize("shape,axis,indices", [
    ((5, 4), 0, [1, 3, 0]),
    ((5, 4), 1, [3, 3, 0, 2, 1]),
    ((5, 4), -1, [2]),
    ((5, 4), 0, [-1, -5, 2]),
    ((5, 4), 1, [-1, 0, -4]),
    ((3, 5, 2), 1, [[0, 4, -2], [1, 1, 3]]),
    ((3, 5, 2), 0, [[2, 0], [-1, 1]]),
    ((3, 5, 2), -1, [[1], [0]]),
    ((7,), 0, [[6, 0, -3], [1, 2, 3]]),
])
def test_gather(shape, axis, indices, idx_dtype):
    x = _input(shape, np.float32, seed=50)
    idx = np.array(indices, dtype=idx_dtype)
    want = np.take(x, idx, axis=axis)
    module = single_op_module(
        f"accml.gather {{args}} {{{{axis = {axis} : i64}}}} : {{types}}",
        [x, idx], type_of(want))
    check(module, [x, idx], want)


@pytest.mark.parametrize("dtype", [np.int64, np.bool_], ids=["i64", "i1"])
def test_gather_other_dtypes(dtype):
    x = _input((4, 6), dtype, seed=51)
    idx = np.array([[5, -1], [0, 2]], dtype=np.int64)
    want = np.take(x, idx, axis=1)
    module = single_op_module(
        "accml.gather {args} {{axis = 1 : i64}} : {types}", [x, idx],
        type_of(want))
    check(module, [x, idx], want)


@pytest.mark.parametrize("index", [2, -1])
def test_gather_scalar_index(index):
    """A rank-0 index (from a constant) removes the gathered axis."""
    x = _input((3, 5, 2), np.float32, seed=52)
    want = np.take(x, index, axis=1)
    module = f"""
func.func @main(%a0: {type_of(x)}) -> {type_of(want)} {{
  %i = accml.constant dense<{index}> : tensor<i64>
  %r = accml.gather %a0, %i {{axis = 1 : i64}} : ({type_of(x)}, tensor<i64>) -> {type_of(want)}
  return %r : {type_of(want)}
}}
"""
    check(module, [x], want)


# -------------------------------------------------------------------- pad


def _pad_ref(x, pads, mode, value):
    rank = x.ndim
    begins, ends = pads[:rank], pads[rank:]
    # Negative pads crop first; then the positive ones pad.
    index = tuple(slice(max(-b, 0), x.shape[i] - max(-e, 0))
                  for i, (b, e) in enumerate(zip(begins, ends)))
    x = x[index]
    width = [(max(b, 0), max(e, 0)) for b, e in zip(begins, ends)]
    if mode == "constant":
        return np.pad(x, width, mode="constant",
                      constant_values=np.array(value).astype(x.dtype))
    return np.pad(x, width, mode=mode)


def _pad_attrs(pads, mode, value):
    attrs = [f"pads = {_arr(pads)}"]
    if mode is not None:
        attrs.append(f'mode = "{mode}"')
    if value is not None:
        attrs.append(f"constant_value = {value!r}")
    return ", ".join(attrs)


PAD_CASES = [
    # (shape, pads, mode, constant_value); mode None: the default
    # ("constant"), value None: the default (0).
    ((3, 4), [1, 2, 0, 3], None, None),
    ((3, 4), [1, 2, 0, 3], "constant", 1.5),
    ((3, 4), [0, 0, 0, 0], "constant", 1.5),
    ((1, 3, 4, 4), [0, 0, 1, 1, 0, 0, 1, 1], "constant", -2.0),
    ((5,), [3, 0], "constant", 7.0),
    ((3, 4), [1, 2, 2, 1], "reflect", None),
    ((1, 3, 5, 5), [0, 0, 2, 1, 0, 0, 1, 2], "reflect", None),
    ((6,), [5, 5], "reflect", None),
    ((3, 4), [1, 2, 2, 1], "edge", None),
    ((1, 2, 3, 3), [0, 0, 3, 0, 0, 0, 0, 4], "edge", None),
    ((1,), [2, 3], "edge", None),
    # Negative pads crop.
    ((4, 5), [-1, 0, 0, -2], "constant", None),
    ((4, 5), [-1, 2, 1, -2], "constant", 1.5),
    ((4, 5), [-2, -1, -1, -2], "constant", 0.0),
    ((4, 5), [-1, 2, 0, 0], "edge", None),
    ((4, 5), [0, -2, 2, 0], "reflect", None),
]


@pytest.mark.parametrize("shape,pads,mode,value", PAD_CASES)
@POST
def test_pad(shape, pads, mode, value, post):
    x = _input(shape, np.float32, seed=60)
    _unary("pad", _pad_attrs(pads, mode, value), x,
           _pad_ref(x, pads, mode or "constant",
                    0.0 if value is None else value), post=post)


@pytest.mark.parametrize("mode,value", [
    ("constant", 3.0),
    ("edge", None),
    ("reflect", None),
])
@POST
def test_pad_i64(mode, value, post):
    x = _input((3, 4), np.int64, seed=61)
    pads = [1, 2, 2, 1]
    _unary("pad", _pad_attrs(pads, mode, value), x,
           _pad_ref(x, pads, mode, value or 0), post=post)


# ----------------------------------------------------------------- expand


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape,new_shape", [
    ((3, 1), (2, 3, 4)),
    ((1,), (5,)),
    ((4,), (3, 4)),
    ((1, 1), (2, 3)),
    ((2, 3), (2, 3)),
    ((2, 1, 3), (2, 4, 3)),
    ((1, 3, 1), (2, 5, 3, 4)),
    ((5,), (2, 1, 5)),
    ((), (2, 3)),
    ((), ()),
])
@POST
def test_expand(shape, new_shape, dtype, post):
    x = _input(shape, dtype, seed=70)
    _unary("expand", "", x, np.broadcast_to(x, new_shape), post=post)


# ---------------------------------------------------------------- flatten


@pytest.mark.parametrize("dtype", [np.float32, np.int64], ids=["f32", "i64"])
@pytest.mark.parametrize("shape,axis", [
    ((2, 3, 4), 0),
    ((2, 3, 4), 1),
    ((2, 3, 4), 2),
    ((2, 3, 4), 3),
    ((2, 3, 4), -1),
    ((2, 3, 4), -2),
    ((2, 3, 4), -3),
    ((1, 512, 1, 1), 1),
    ((5,), 0),
    ((5,), 1),
])
@POST
def test_flatten(shape, axis, dtype, post):
    x = _input(shape, dtype, seed=80)
    a = axis % len(shape) if axis < 0 else axis
    rows = int(np.prod(shape[:a], dtype=np.int64))
    _unary("flatten", f"axis = {axis} : i64", x, x.reshape(rows, -1),
           post=post)


@POST
def test_flatten_default_axis(post):
    x = _input((2, 3, 4), np.float32, seed=81)
    _unary("flatten", "", x, x.reshape(2, -1), post=post)


# ---------------------------------------------------------------- squeeze


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape,axes", [
    ((1, 3, 1, 4), [0]),
    ((1, 3, 1, 4), [0, 2]),
    ((1, 3, 1, 4), [2, 0]),
    ((1, 3, 1, 4), [-2]),
    ((3, 4, 1), [-1]),
    ((1, 3, 1, 4), None),
    ((1, 512, 1, 1), None),
    ((1, 1), None),
    ((3, 4), None),
])
@POST
def test_squeeze(shape, axes, dtype, post):
    x = _input(shape, dtype, seed=90)
    want = np.squeeze(x, axis=None if axes is None else tuple(axes))
    _unary("squeeze", "" if axes is None else f"axes = {_arr(axes)}", x, want,
           post=post)


# -------------------------------------------------------------- unsqueeze


def _unsqueeze_ref(x, axes):
    rank = x.ndim + len(axes)
    for a in sorted(a % rank for a in axes):
        x = np.expand_dims(x, a)
    return x


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("shape,axes", [
    ((3, 4), [0, -1]),
    ((3, 4), [0, 2]),
    ((3, 4), [1]),
    ((3, 4), [-1]),
    ((3, 4), [3, 0]),
    ((3, 4), [-4, -2]),
    ((5,), [0, 1, 2]),
    ((2, 3, 4), [1, 3]),
    ((), [0]),
    ((), [0, -1]),
])
@POST
def test_unsqueeze(shape, axes, dtype, post):
    x = _input(shape, dtype, seed=100)
    _unary("unsqueeze", f"axes = {_arr(axes)}", x, _unsqueeze_ref(x, axes),
           post=post)


# --------------------------------------------------------------- constant


def _dense(array):
    """`dense<...>` text of a numpy array, exact for f32 values."""
    array = np.asarray(array)

    def fmt(v):
        if array.dtype == np.bool_:
            return "true" if v else "false"
        if np.issubdtype(array.dtype, np.integer):
            return str(int(v))
        return repr(float(v))

    def nest(a):
        if a.ndim == 0:
            return fmt(a[()])
        return "[" + ", ".join(nest(s) for s in a) + "]"

    return f"dense<{nest(array)}>"


CONSTANT_CASES = [
    ((2, 3), np.float32),
    ((4,), np.float32),
    ((2, 2, 3), np.float32),
    ((), np.float32),
    ((3, 2), np.int64),
    ((2, 4), np.bool_),
    ((2, 3), np.int32),
]


@pytest.mark.parametrize("shape,dtype", CONSTANT_CASES)
def test_constant_with_input(shape, dtype):
    """A dense constant of each type combined with an input: added for
    numbers, as the condition of a where for i1."""
    value = np.asarray(_input(shape, dtype, seed=110))
    tc = type_of(value)
    if dtype == np.bool_:
        x, y = _input(shape, np.float32, seed=115), _input(shape, np.float32,
                                                           seed=116)
        tx = type_of(x)
        want = np.where(value, x, y)
        module = f"""
func.func @main(%a0: {tx}, %a1: {tx}) -> {tx} {{
  %c = accml.constant {_dense(value)} : {tc}
  %r = accml.where %c, %a0, %a1 : ({tc}, {tx}, {tx}) -> {tx}
  return %r : {tx}
}}
"""
        check(module, [x, y], want)
        return
    x = _input(shape, dtype, seed=117)
    want = (x.astype(np.float64) + value if dtype == np.float32
            else x + value)
    tx, tr = type_of(x), mlir_type(np.shape(want), dtype)
    module = f"""
func.func @main(%a0: {tx}) -> {tr} {{
  %c = accml.constant {_dense(value)} : {tc}
  %r = accml.add %a0, %c : ({tx}, {tc}) -> {tr}
  return %r : {tr}
}}
"""
    check(module, [x], want)


@pytest.mark.parametrize("shape,dtype", CONSTANT_CASES)
def test_constant_returned(shape, dtype):
    """A function without arguments returning a dense constant as is."""
    value = np.asarray(_input(shape, dtype, seed=110))
    t = type_of(value)
    module = (f"func.func @main() -> {t} {{\n"
              f"  %r = accml.constant {_dense(value)} : {t}\n"
              f"  return %r : {t}\n"
              f"}}\n")
    check(module, [], value)


def test_constant_splat_returned():
    t = mlir_type((2, 3))
    module = (f"func.func @main() -> {t} {{\n"
              f"  %r = accml.constant dense<1.5> : {t}\n"
              f"  return %r : {t}\n"
              f"}}\n")
    check(module, [], np.full((2, 3), 1.5, np.float32))


def test_constant_splat_with_input():
    x = _input((2, 3), np.float32, seed=118)
    t = type_of(x)
    module = (f"func.func @main(%a0: {t}) -> {t} {{\n"
              f"  %c = accml.constant dense<1.5> : {t}\n"
              f"  %r = accml.mul %a0, %c : ({t}, {t}) -> {t}\n"
              f"  return %r : {t}\n"
              f"}}\n")
    check(module, [x], x.astype(np.float64) * 1.5)


@pytest.mark.parametrize("shape,const_shape", [
    ((2, 3), (2, 3)),
    ((2, 3), (3,)),
    ((4, 1), (1, 5)),
    ((2, 3), ()),
])
def test_constant_added_to_input(shape, const_shape):
    x = _input(shape, np.float32, seed=111)
    c = np.asarray(_input(const_shape, np.float32, seed=112))
    want = x.astype(np.float64) + c.astype(np.float64)
    tx, tc, tr = type_of(x), type_of(c), mlir_type(want.shape)
    module = f"""
func.func @main(%a0: {tx}) -> {tr} {{
  %c = accml.constant {_dense(c)} : {tc}
  %r = accml.add %a0, %c : ({tx}, {tc}) -> {tr}
  return %r : {tr}
}}
"""
    check(module, [x], want)


def test_constant_i64_added_to_input():
    x = _input((3, 4), np.int64, seed=113)
    c = _input((4,), np.int64, seed=114)
    tx, tc = type_of(x), type_of(c)
    module = f"""
func.func @main(%a0: {tx}) -> {tx} {{
  %c = accml.constant {_dense(c)} : {tc}
  %r = accml.add %a0, %c : ({tx}, {tc}) -> {tx}
  return %r : {tx}
}}
"""
    check(module, [x], x + c)


def test_shape_ops_chain():
    """Transpose, reshape, slice, constant, concat and split in one
    function, ending in computed values."""
    x = _input((2, 3, 4), np.float32, seed=120)
    c = _input((1, 6), np.float32, seed=121)
    t = mlir_type
    module = f"""
func.func @main(%x: {t((2, 3, 4))}) -> ({t((5, 2))}, {t((5, 4))}) {{
  %0 = accml.transpose %x {{perm = array<i64: 2, 0, 1>}} : {t((2, 3, 4))} -> {t((4, 2, 3))}
  %1 = accml.reshape %0 : {t((4, 2, 3))} -> {t((4, 6))}
  %2 = accml.slice %1 {{starts = array<i64: 5>, ends = array<i64: -100>, axes = array<i64: 1>, steps = array<i64: -1>}} : {t((4, 6))} -> {t((4, 6))}
  %3 = accml.constant {_dense(c)} : {t((1, 6))}
  %4 = accml.concat %3, %2 {{axis = 0 : i64}} : ({t((1, 6))}, {t((4, 6))}) -> {t((5, 6))}
  %5:2 = accml.split %4 {{axis = 1 : i64, split = array<i64: 2, 4>}} : {t((5, 6))} -> {t((5, 2))}, {t((5, 4))}
  %6 = accml.neg %5#0 : {t((5, 2))}
  %7 = accml.neg %5#1 : {t((5, 4))}
  return %6, %7 : {t((5, 2))}, {t((5, 4))}
}}
"""
    ref = np.transpose(x, (2, 0, 1)).reshape(4, 6)[:, ::-1]
    joined = np.concatenate([c, ref], axis=0)
    check(module, [x], [-joined[:, :2], -joined[:, 2:]])
