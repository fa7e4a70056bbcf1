// One post-norm transformer encoder block (as in "Attention Is All You
// Need" / BERT): sequence 16, d_model 32, 4 heads of 8, feed-forward 64.
// Projection weights are in (in x out) layout: y = x @ W + b.
//
// Inputs, in order:
//   %x            : 1x16x32  input sequence (batch 1)
//   %wq, %bq      : 32x32, 32  query projection
//   %wk, %bk      : 32x32, 32  key projection
//   %wv, %bv      : 32x32, 32  value projection
//   %wo, %bo      : 32x32, 32  attention output projection
//   %g1, %be1     : 32, 32     layer norm 1 scale and bias
//   %wf1, %bf1    : 32x64, 64  feed-forward up projection
//   %wf2, %bf2    : 64x32, 32  feed-forward down projection
//   %g2, %be2     : 32, 32     layer norm 2 scale and bias
// Output: 1x16x32.
//
//   a = softmax((q k^T) / sqrt(8)) v per head,  h = LN1(x + a Wo + bo)
//   y = LN2(h + gelu(h Wf1 + bf1) Wf2 + bf2)
// (exact erf gelu; layer norms over the last axis with epsilon 1e-5.)

func.func @main(%x: tensor<1x16x32xf32>,
                %wq: tensor<32x32xf32>, %bq: tensor<32xf32>,
                %wk: tensor<32x32xf32>, %bk: tensor<32xf32>,
                %wv: tensor<32x32xf32>, %bv: tensor<32xf32>,
                %wo: tensor<32x32xf32>, %bo: tensor<32xf32>,
                %g1: tensor<32xf32>, %be1: tensor<32xf32>,
                %wf1: tensor<32x64xf32>, %bf1: tensor<64xf32>,
                %wf2: tensor<64x32xf32>, %bf2: tensor<32xf32>,
                %g2: tensor<32xf32>, %be2: tensor<32xf32>) -> tensor<1x16x32xf32> {
  // 1/sqrt(head_dim) = 1/sqrt(8)
  %scale = accml.constant dense<0.353553385> : tensor<f32>

  // Q, K, V projections: 1x16x32 -> 1x16x32 -> 1x16x4x8 -> 1x4x16x8
  %q0 = accml.matmul %x, %wq : (tensor<1x16x32xf32>, tensor<32x32xf32>) -> tensor<1x16x32xf32>
  %q1 = accml.add %q0, %bq : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
  %q2 = accml.reshape %q1 : tensor<1x16x32xf32> -> tensor<1x16x4x8xf32>
  %q = accml.transpose %q2 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x16x4x8xf32> -> tensor<1x4x16x8xf32>

  %k0 = accml.matmul %x, %wk : (tensor<1x16x32xf32>, tensor<32x32xf32>) -> tensor<1x16x32xf32>
  %k1 = accml.add %k0, %bk : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
  %k2 = accml.reshape %k1 : tensor<1x16x32xf32> -> tensor<1x16x4x8xf32>
  %k = accml.transpose %k2 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x16x4x8xf32> -> tensor<1x4x16x8xf32>

  %v0 = accml.matmul %x, %wv : (tensor<1x16x32xf32>, tensor<32x32xf32>) -> tensor<1x16x32xf32>
  %v1 = accml.add %v0, %bv : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>
  %v2 = accml.reshape %v1 : tensor<1x16x32xf32> -> tensor<1x16x4x8xf32>
  %v = accml.transpose %v2 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x16x4x8xf32> -> tensor<1x4x16x8xf32>

  // Scaled dot-product attention per head.
  %kt = accml.transpose %k {perm = array<i64: 0, 1, 3, 2>} : tensor<1x4x16x8xf32> -> tensor<1x4x8x16xf32>
  %s0 = accml.matmul %q, %kt : (tensor<1x4x16x8xf32>, tensor<1x4x8x16xf32>) -> tensor<1x4x16x16xf32>
  %s1 = accml.mul %s0, %scale : (tensor<1x4x16x16xf32>, tensor<f32>) -> tensor<1x4x16x16xf32>
  %p = accml.softmax %s1 {axis = -1 : i64} : tensor<1x4x16x16xf32>
  %a0 = accml.matmul %p, %v : (tensor<1x4x16x16xf32>, tensor<1x4x16x8xf32>) -> tensor<1x4x16x8xf32>

  // Merge heads: 1x4x16x8 -> 1x16x4x8 -> 1x16x32, output projection.
  %a1 = accml.transpose %a0 {perm = array<i64: 0, 2, 1, 3>} : tensor<1x4x16x8xf32> -> tensor<1x16x4x8xf32>
  %a2 = accml.reshape %a1 : tensor<1x16x4x8xf32> -> tensor<1x16x32xf32>
  %o0 = accml.matmul %a2, %wo : (tensor<1x16x32xf32>, tensor<32x32xf32>) -> tensor<1x16x32xf32>
  %o1 = accml.add %o0, %bo : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>

  // Residual + layer norm 1.
  %r1 = accml.add %x, %o1 : (tensor<1x16x32xf32>, tensor<1x16x32xf32>) -> tensor<1x16x32xf32>
  %h = accml.layer_norm %r1, %g1, %be1 {axis = -1 : i64, epsilon = 1.0e-05 : f32}
      : tensor<1x16x32xf32>, tensor<32xf32>, tensor<32xf32>

  // Feed-forward 32 -> 64 -> 32.
  %f0 = accml.matmul %h, %wf1 : (tensor<1x16x32xf32>, tensor<32x64xf32>) -> tensor<1x16x64xf32>
  %f1 = accml.add %f0, %bf1 : (tensor<1x16x64xf32>, tensor<64xf32>) -> tensor<1x16x64xf32>
  %f2 = accml.gelu %f1 : tensor<1x16x64xf32>
  %f3 = accml.matmul %f2, %wf2 : (tensor<1x16x64xf32>, tensor<64x32xf32>) -> tensor<1x16x32xf32>
  %f4 = accml.add %f3, %bf2 : (tensor<1x16x32xf32>, tensor<32xf32>) -> tensor<1x16x32xf32>

  // Residual + layer norm 2.
  %r2 = accml.add %h, %f4 : (tensor<1x16x32xf32>, tensor<1x16x32xf32>) -> tensor<1x16x32xf32>
  %y = accml.layer_norm %r2, %g2, %be2 {axis = -1 : i64, epsilon = 1.0e-05 : f32}
      : tensor<1x16x32xf32>, tensor<32xf32>, tensor<32xf32>
  return %y : tensor<1x16x32xf32>
}
