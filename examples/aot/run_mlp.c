/*
 * Calls the MLP of examples/mlp.mlir compiled ahead of time:
 *
 *   accml-compile examples/mlp.mlir -o libmlp.so      (writes libmlp.h too)
 *   clang-22 examples/aot/run_mlp.c -I. -L. -lmlp -Wl,-rpath,. -o run_mlp
 *   ./run_mlp
 *
 * The input is x[i][j] = 0.25 * ((8 * i + j) % 5) - 0.5; the program prints
 * the 2x4 class probabilities, one row per line.
 */

#include "libmlp.h"

#include <stdio.h>
#include <stdlib.h>

int main(void) {
  float input[2][8];
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 8; ++j)
      input[i][j] = 0.25f * (float)((8 * i + j) % 5) - 0.5f;

  /* A row-major 2x8 tensor: sizes {2, 8}, strides {8, 1}. */
  accml_memref_f32_2d x = {&input[0][0], &input[0][0], 0, {2, 8}, {8, 1}};
  accml_memref_f32_2d y;
  _mlir_ciface_main(&y, &x);

  for (int64_t i = 0; i < y.sizes[0]; ++i) {
    for (int64_t j = 0; j < y.sizes[1]; ++j)
      printf("%s%.6f", j ? " " : "",
             y.aligned[y.offset + i * y.strides[0] + j * y.strides[1]]);
    printf("\n");
  }
  /* The model allocated the result; the caller frees it. */
  free(y.allocated);
  return 0;
}
