#!/usr/bin/env python3
"""A ResNet-18-sized accml graph: compile time and latency (`make bench`).

Writes torchvision's ResNet-18 topology (batch 1, 3 x 224 x 224 input;
convolutions without bias, batch_norm, relu, residual adds, max pooling,
global average pooling, the 512 -> 1000 linear layer) as an accml module
with random weights stored as dense resources (as imported ONNX weights
are: 11.7 M parameters), then compiles and runs it with accml-run and
reports the compile time and the median latency. Prints one JSON object.

Usage: benchmarks/resnet18.py [--build build] [--threads N] [--repeat N]
                              [--output model.mlir]
"""

import argparse
import json
import os
import re
import subprocess
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Builder:
    def __init__(self, seed=0):
        self.rng = np.random.default_rng(seed)
        self.lines = []
        self.resources = {}
        self.count = 0

    def value(self):
        self.count += 1
        return f"%v{self.count}"

    def weight(self, shape, scale):
        name = f"w{len(self.resources)}"
        data = (self.rng.standard_normal(shape) * scale).astype("<f4")
        self.resources[name] = data
        v = self.value()
        self.lines.append(f"  {v} = accml.constant dense_resource<{name}> : {ttype(shape)}")
        return v

    def op(self, text):
        v = self.value()
        self.lines.append(f"  {v} = {text}")
        return v


def ttype(shape):
    return "tensor<" + "x".join(map(str, shape)) + "xf32>"


def conv_bn(b, x, shape, filters, kernel, stride, relu=True):
    c, h, w = shape
    pad = kernel // 2
    oh, ow = (h + 2 * pad - kernel) // stride + 1, (w + 2 * pad - kernel) // stride + 1
    weight = b.weight((filters, c, kernel, kernel), (2.0 / (c * kernel * kernel)) ** 0.5)
    out = (filters, oh, ow)
    y = b.op(f"accml.conv2d {x}, {weight} {{pads = array<i64: {pad}, {pad}, {pad}, {pad}>, "
             f"strides = array<i64: {stride}, {stride}>}} : ({ttype((1, c, h, w))}, "
             f"{ttype((filters, c, kernel, kernel))}) -> {ttype((1,) + out)}")
    scale = b.weight((filters,), 0.1)
    bias = b.weight((filters,), 0.1)
    mean = b.weight((filters,), 0.1)
    var = b.op(f"accml.abs {b.weight((filters,), 1.0)} : {ttype((filters,))}")
    v = ttype((filters,))
    y = b.op(f"accml.batch_norm {y}, {scale}, {bias}, {mean}, {var} {{epsilon = 1.0e-05 : f32}} "
             f": {ttype((1,) + out)}, {v}, {v}, {v}, {v}")
    if relu:
        y = b.op(f"accml.relu {y} : {ttype((1,) + out)}")
    return y, out


def basic_block(b, x, shape, filters, stride):
    y, out = conv_bn(b, x, shape, filters, 3, stride)
    y, out = conv_bn(b, y, out, filters, 3, 1, relu=False)
    if stride != 1 or shape[0] != filters:
        x, _ = conv_bn(b, x, shape, filters, 1, stride, relu=False)
    t = ttype((1,) + out)
    y = b.op(f"accml.add {y}, {x} : ({t}, {t}) -> {t}")
    return b.op(f"accml.relu {y} : {t}"), out


def resnet18():
    b = Builder()
    x = "%x"
    y, shape = conv_bn(b, x, (3, 224, 224), 64, 7, 2)
    c, h, w = shape
    out = (c, (h + 2 - 3) // 2 + 1, (w + 2 - 3) // 2 + 1)
    y = b.op(f"accml.max_pool2d {y} {{kernel_shape = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, "
             f"strides = array<i64: 2, 2>}} : {ttype((1,) + shape)} -> {ttype((1,) + out)}")
    shape = out
    for filters, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
        y, shape = basic_block(b, y, shape, filters, stride)
        y, shape = basic_block(b, y, shape, filters, 1)
    y = b.op(f"accml.global_avg_pool {y} : {ttype((1,) + shape)} -> {ttype((1, 512, 1, 1))}")
    y = b.op(f"accml.flatten {y} : {ttype((1, 512, 1, 1))} -> {ttype((1, 512))}")
    fc = b.weight((1000, 512), (1.0 / 512) ** 0.5)
    fc_bias = b.weight((1000,), 0.01)
    y = b.op(f"accml.gemm {y}, {fc}, {fc_bias} {{trans_b = true}} : ({ttype((1, 512))}, "
             f"{ttype((1000, 512))}, {ttype((1000,))}) -> {ttype((1, 1000))}")
    text = [f"func.func @main(%x: {ttype((1, 3, 224, 224))}) -> {ttype((1, 1000))} {{"]
    text += b.lines
    text += [f"  return {y} : {ttype((1, 1000))}", "}", "{-#", "  dialect_resources: {",
             "    builtin: {"]
    entries = [f'      {name}: "0x04000000{data.tobytes().hex().upper()}"'
               for name, data in b.resources.items()]
    text += [",\n".join(entries), "    }", "  }", "#-}"]
    params = sum(d.size for d in b.resources.values())
    return "\n".join(text) + "\n", params


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--options", default="", help="accml-cpu-pipeline options")
    parser.add_argument("--output", help="also keep the module here")
    args = parser.parse_args()
    module, params = resnet18()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.output or os.path.join(tmp, "resnet18.mlir")
        with open(path, "w") as f:
            f.write(module)
        cmd = [os.path.join(args.build, "bin", "accml-run"), path, "--random-inputs",
               f"--threads={args.threads}", f"--repeat={args.repeat}"]
        if args.options:
            cmd.append(f"--pipeline-options={args.options}")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
    compile_s = float(re.search(r"compiled .* in ([0-9.]+) s", proc.stdout).group(1))
    median_ms = float(re.search(r"latency: median ([0-9.]+) ms", proc.stdout).group(1))
    print(json.dumps({"model": "resnet18", "parameters": int(params),
                      "threads": args.threads, "options": args.options,
                      "compile_s": compile_s, "median_ms": median_ms}))


if __name__ == "__main__":
    main()
