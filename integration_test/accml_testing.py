"""Helpers of AccML's numerical integration tests.

Each test builds a small MLIR module, runs it with `accml-run` on numpy
inputs (written as .npy) and compares the outputs with a numpy reference.
The build directory is $ACCML_BUILD_DIR (default: build/ beside this folder).
"""

import os
import subprocess
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD_DIR = os.environ.get("ACCML_BUILD_DIR", os.path.join(ROOT, "build"))
ACCML_RUN = os.path.join(BUILD_DIR, "bin", "accml-run")

# Tolerances (relative, absolute) by element type, as stated in the README.
F32_TOL = dict(rtol=1e-5, atol=1e-6)
F32_REDUCTION_TOL = dict(rtol=1e-4, atol=1e-5)  # > 1000 reduced elements
F16_TOL = dict(rtol=2e-3, atol=2e-3)
BF16_TOL = dict(rtol=2e-2, atol=2e-2)

_MLIR_TYPES = {
    np.dtype(np.float32): "f32",
    np.dtype(np.float16): "f16",
    np.dtype(np.int8): "i8",
    np.dtype(np.int32): "i32",
    np.dtype(np.int64): "i64",
    np.dtype(np.bool_): "i1",
}


def mlir_type(shape, dtype="f32"):
    """`tensor<2x3xf32>` for a shape and an MLIR element type name (or a
    numpy dtype)."""
    if not isinstance(dtype, str):
        dtype = _MLIR_TYPES[np.dtype(dtype)]
    dims = "".join(f"{'?' if d is None or d < 0 else d}x" for d in shape)
    return f"tensor<{dims}{dtype}>"


def type_of(array):
    return mlir_type(array.shape, array.dtype)


def single_op_module(op_text, inputs, result_type, arg_types=None):
    """A module whose @main applies one op line to its arguments %a0, %a1...

    `op_text` uses {args} for the comma-separated arguments and {types} for
    the functional type `(arg types) -> result type`."""
    arg_types = arg_types or [type_of(x) for x in inputs]
    args = ", ".join(f"%a{i}" for i in range(len(inputs)))
    params = ", ".join(f"%a{i}: {t}" for i, t in enumerate(arg_types))
    functional = f"({', '.join(arg_types)}) -> {result_type}"
    body = op_text.format(args=args, types=functional,
                          in_type=arg_types[0] if arg_types else "",
                          out_type=result_type)
    return (f"func.func @main({params}) -> {result_type} {{\n"
            f"  %r = {body}\n"
            f"  return %r : {result_type}\n"
            f"}}\n")


class RunError(Exception):
    pass


# ACCML_TEST_LOOP_STRATEGY=affine runs every test through the affine route
# of accml-cpu-pipeline (scripts/run-tests.sh runs the suite both ways).
LOOP_STRATEGY = os.environ.get("ACCML_TEST_LOOP_STRATEGY", "")


def with_loop_strategy(args):
    """`args` with loop-strategy added to the pipeline options when the
    environment asks for a loop strategy."""
    if not LOOP_STRATEGY:
        return list(args)
    option = f"loop-strategy={LOOP_STRATEGY}"
    result, found = [], False
    for arg in args:
        if arg.startswith("--pipeline-options="):
            arg = f"{arg} {option}"
            found = True
        result.append(arg)
    if not found:
        result.append(f"--pipeline-options={option}")
    return result


def run(module_text, inputs, entry="main", threads=1, extra_args=()):
    """Compiles and runs `module_text` on `inputs`; returns the outputs."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.mlir")
        with open(path, "w") as f:
            f.write(module_text)
        cmd = [ACCML_RUN, path, "--entry", entry, "--output-dir", tmp,
               f"--threads={threads}", *with_loop_strategy(extra_args)]
        for i, x in enumerate(inputs):
            input_path = os.path.join(tmp, f"input{i}.npy")
            np.save(input_path, np.require(x, requirements="C"))
            cmd += ["--input", input_path]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RunError(f"accml-run failed ({proc.returncode}):\n"
                           f"{proc.stderr}\n--- module ---\n{module_text}")
        outputs = []
        i = 0
        while os.path.exists(os.path.join(tmp, f"output{i}.npy")):
            outputs.append(np.load(os.path.join(tmp, f"output{i}.npy")))
            i += 1
        return outputs


def check(module_text, inputs, expected, tol=None, **kwargs):
    """Runs and compares every output with `expected` (an array or a list)."""
    if not isinstance(expected, (list, tuple)):
        expected = [expected]
    outputs = run(module_text, inputs, **kwargs)
    assert len(outputs) == len(expected), (len(outputs), len(expected))
    for got, want in zip(outputs, expected):
        want = np.asarray(want)
        assert got.shape == want.shape, (got.shape, want.shape)
        if want.dtype == np.bool_ or np.issubdtype(want.dtype, np.integer):
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got.astype(np.float64),
                                       want.astype(np.float64),
                                       **(tol or F32_TOL))
    return outputs


def rand(shape, dtype=np.float32, seed=0, low=-1.0, high=1.0):
    rng = np.random.default_rng(seed)
    if np.issubdtype(np.dtype(dtype), np.integer):
        return rng.integers(int(low), int(high), size=shape).astype(dtype)
    if np.dtype(dtype) == np.bool_:
        return rng.integers(0, 2, size=shape).astype(np.bool_)
    return rng.uniform(low, high, size=shape).astype(dtype)
