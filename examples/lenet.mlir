// LeNet-5-style CNN classifying one 28x28 grey image into 10 classes.
//
// Inputs, in order:
//   %x    : 1x1x28x28  image (NCHW)
//   %c1w  : 6x1x5x5    conv1 filter (pads 2 on each side), %c1b : 6 bias
//   %c2w  : 16x6x5x5   conv2 filter (no padding),          %c2b : 16 bias
//   %f1w  : 120x400    fc1 weight (out x in, used with trans_b), %f1b : 120
//   %f2w  : 84x120     fc2 weight,                          %f2b : 84
//   %f3w  : 10x84      fc3 weight,                          %f3b : 10
// Output: 1x10 class probabilities (softmax over the last axis).
//
// conv1 -> relu -> maxpool 2x2/2 -> conv2 -> relu -> maxpool 2x2/2
//   -> flatten -> fc1 -> relu -> fc2 -> relu -> fc3 -> softmax

func.func @main(%x: tensor<1x1x28x28xf32>,
                %c1w: tensor<6x1x5x5xf32>, %c1b: tensor<6xf32>,
                %c2w: tensor<16x6x5x5xf32>, %c2b: tensor<16xf32>,
                %f1w: tensor<120x400xf32>, %f1b: tensor<120xf32>,
                %f2w: tensor<84x120xf32>, %f2b: tensor<84xf32>,
                %f3w: tensor<10x84xf32>, %f3b: tensor<10xf32>) -> tensor<1x10xf32> {
  // Block 1: 1x1x28x28 -> 1x6x28x28 -> 1x6x14x14
  %0 = accml.conv2d %x, %c1w, %c1b {pads = array<i64: 2, 2, 2, 2>}
      : (tensor<1x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>) -> tensor<1x6x28x28xf32>
  %1 = accml.relu %0 : tensor<1x6x28x28xf32>
  %2 = accml.max_pool2d %1 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : tensor<1x6x28x28xf32> -> tensor<1x6x14x14xf32>

  // Block 2: 1x6x14x14 -> 1x16x10x10 -> 1x16x5x5
  %3 = accml.conv2d %2, %c2w, %c2b
      : (tensor<1x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>) -> tensor<1x16x10x10xf32>
  %4 = accml.relu %3 : tensor<1x16x10x10xf32>
  %5 = accml.max_pool2d %4 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>}
      : tensor<1x16x10x10xf32> -> tensor<1x16x5x5xf32>

  // Classifier: 400 -> 120 -> 84 -> 10
  %6 = accml.flatten %5 : tensor<1x16x5x5xf32> -> tensor<1x400xf32>
  %7 = accml.gemm %6, %f1w, %f1b {trans_b = true}
      : (tensor<1x400xf32>, tensor<120x400xf32>, tensor<120xf32>) -> tensor<1x120xf32>
  %8 = accml.relu %7 : tensor<1x120xf32>
  %9 = accml.gemm %8, %f2w, %f2b {trans_b = true}
      : (tensor<1x120xf32>, tensor<84x120xf32>, tensor<84xf32>) -> tensor<1x84xf32>
  %10 = accml.relu %9 : tensor<1x84xf32>
  %11 = accml.gemm %10, %f3w, %f3b {trans_b = true}
      : (tensor<1x84xf32>, tensor<10x84xf32>, tensor<10xf32>) -> tensor<1x10xf32>
  %12 = accml.softmax %11 {axis = -1 : i64} : tensor<1x10xf32>
  return %12 : tensor<1x10xf32>
}
