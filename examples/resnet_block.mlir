// ResNet basic blocks (inference form: batch norm uses running statistics,
// epsilon 1e-5), NCHW, 16 channels on a 14x14 map to keep them small.
//
// @main: identity-shortcut basic block, 1x16x14x14 -> 1x16x14x14.
//   Inputs, in order:
//     %x                                    : 1x16x14x14 input
//     %w1                                   : 16x16x3x3  conv1 filter (pad 1, no bias)
//     %s1, %b1, %m1, %v1                    : 16 each    bn1 scale, bias, mean, variance
//     %w2                                   : 16x16x3x3  conv2 filter (pad 1, no bias)
//     %s2, %b2, %m2, %v2                    : 16 each    bn2 scale, bias, mean, variance
//   Output: relu(bn2(conv2(relu(bn1(conv1(x))))) + x), 1x16x14x14.
//
// @downsample_block: stride-2 basic block with a projection shortcut,
// 1x16x14x14 -> 1x32x7x7.
//   Inputs, in order:
//     %x                                    : 1x16x14x14 input
//     %w1                                   : 32x16x3x3  conv1 filter (stride 2, pad 1, no bias)
//     %s1, %b1, %m1, %v1                    : 32 each    bn1 parameters
//     %w2                                   : 32x32x3x3  conv2 filter (stride 1, pad 1, no bias)
//     %s2, %b2, %m2, %v2                    : 32 each    bn2 parameters
//     %wp                                   : 32x16x1x1  shortcut projection (stride 2, no bias)
//     %sp, %bp, %mp, %vp                    : 32 each    shortcut bn parameters
//   Output: relu(bn2(conv2(relu(bn1(conv1(x))))) + bnp(proj(x))), 1x32x7x7.

func.func @main(%x: tensor<1x16x14x14xf32>,
                %w1: tensor<16x16x3x3xf32>,
                %s1: tensor<16xf32>, %b1: tensor<16xf32>, %m1: tensor<16xf32>, %v1: tensor<16xf32>,
                %w2: tensor<16x16x3x3xf32>,
                %s2: tensor<16xf32>, %b2: tensor<16xf32>, %m2: tensor<16xf32>, %v2: tensor<16xf32>)
    -> tensor<1x16x14x14xf32> {
  %0 = accml.conv2d %x, %w1 {pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x16x14x14xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x14x14xf32>
  %1 = accml.batch_norm %0, %s1, %b1, %m1, %v1 {epsilon = 1.0e-05 : f32}
      : tensor<1x16x14x14xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
  %2 = accml.relu %1 : tensor<1x16x14x14xf32>
  %3 = accml.conv2d %2, %w2 {pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x16x14x14xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x14x14xf32>
  %4 = accml.batch_norm %3, %s2, %b2, %m2, %v2 {epsilon = 1.0e-05 : f32}
      : tensor<1x16x14x14xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
  %5 = accml.add %4, %x
      : (tensor<1x16x14x14xf32>, tensor<1x16x14x14xf32>) -> tensor<1x16x14x14xf32>
  %6 = accml.relu %5 : tensor<1x16x14x14xf32>
  return %6 : tensor<1x16x14x14xf32>
}

func.func @downsample_block(%x: tensor<1x16x14x14xf32>,
                %w1: tensor<32x16x3x3xf32>,
                %s1: tensor<32xf32>, %b1: tensor<32xf32>, %m1: tensor<32xf32>, %v1: tensor<32xf32>,
                %w2: tensor<32x32x3x3xf32>,
                %s2: tensor<32xf32>, %b2: tensor<32xf32>, %m2: tensor<32xf32>, %v2: tensor<32xf32>,
                %wp: tensor<32x16x1x1xf32>,
                %sp: tensor<32xf32>, %bp: tensor<32xf32>, %mp: tensor<32xf32>, %vp: tensor<32xf32>)
    -> tensor<1x32x7x7xf32> {
  // Main path.
  %0 = accml.conv2d %x, %w1 {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
      : (tensor<1x16x14x14xf32>, tensor<32x16x3x3xf32>) -> tensor<1x32x7x7xf32>
  %1 = accml.batch_norm %0, %s1, %b1, %m1, %v1 {epsilon = 1.0e-05 : f32}
      : tensor<1x32x7x7xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>
  %2 = accml.relu %1 : tensor<1x32x7x7xf32>
  %3 = accml.conv2d %2, %w2 {pads = array<i64: 1, 1, 1, 1>}
      : (tensor<1x32x7x7xf32>, tensor<32x32x3x3xf32>) -> tensor<1x32x7x7xf32>
  %4 = accml.batch_norm %3, %s2, %b2, %m2, %v2 {epsilon = 1.0e-05 : f32}
      : tensor<1x32x7x7xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>
  // Projection shortcut.
  %5 = accml.conv2d %x, %wp {strides = array<i64: 2, 2>}
      : (tensor<1x16x14x14xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x7x7xf32>
  %6 = accml.batch_norm %5, %sp, %bp, %mp, %vp {epsilon = 1.0e-05 : f32}
      : tensor<1x32x7x7xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>, tensor<32xf32>
  %7 = accml.add %4, %6
      : (tensor<1x32x7x7xf32>, tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  %8 = accml.relu %7 : tensor<1x32x7x7xf32>
  return %8 : tensor<1x32x7x7xf32>
}
