"""A first end-to-end check of the pipeline: add, gelu, matmul."""

import math

import numpy as np

from accml_testing import check, rand, mlir_type


def test_add_gelu_matmul():
    a, b, w = rand((4, 8), seed=1), rand((8,), seed=2), rand((8, 3), seed=3)
    module = f"""
func.func @main(%a: {mlir_type((4, 8))}, %b: {mlir_type((8,))}, %w: {mlir_type((8, 3))}) -> {mlir_type((4, 3))} {{
  %0 = accml.add %a, %b : ({mlir_type((4, 8))}, {mlir_type((8,))}) -> {mlir_type((4, 8))}
  %1 = accml.gelu %0 : {mlir_type((4, 8))}
  %2 = accml.matmul %1, %w : ({mlir_type((4, 8))}, {mlir_type((8, 3))}) -> {mlir_type((4, 3))}
  return %2 : {mlir_type((4, 3))}
}}
"""
    x = (a + b).astype(np.float64)
    erf = np.vectorize(math.erf)
    gelu = 0.5 * x * (1 + erf(x / math.sqrt(2)))
    check(module, [a, b, w], gelu @ w.astype(np.float64))
