// A two-layer perceptron classifying 8 features into 4 classes, as an
// exporter would write it: the weights come in (out, in) layout and are
// transposed, intermediate types are left dynamic, and a few no-op
// operations (a scale by one, a reshape to the same shape) are left in.
// `make run` shows what accml-opt does with it.

func.func @main(%x: tensor<2x8xf32>) -> tensor<2x4xf32> {
  %w1 = accml.constant dense<[
    [ 0.10, -0.20,  0.30, -0.40,  0.50, -0.60,  0.70, -0.80],
    [-0.15,  0.25, -0.35,  0.45, -0.55,  0.65, -0.75,  0.85],
    [ 0.05,  0.05,  0.05,  0.05,  0.05,  0.05,  0.05,  0.05],
    [ 0.20,  0.10,  0.00, -0.10, -0.20, -0.10,  0.00,  0.10],
    [ 0.30, -0.30,  0.30, -0.30,  0.30, -0.30,  0.30, -0.30],
    [-0.05,  0.15, -0.25,  0.35, -0.45,  0.55, -0.65,  0.75]]> : tensor<6x8xf32>
  %b1 = accml.constant dense<[0.01, -0.02, 0.03, -0.04, 0.05, -0.06]> : tensor<6xf32>
  %w2 = accml.constant dense<[
    [ 0.5, -0.5,  0.5, -0.5,  0.5, -0.5],
    [ 0.1,  0.2,  0.3,  0.4,  0.5,  0.6],
    [-0.6, -0.5, -0.4, -0.3, -0.2, -0.1],
    [ 0.3,  0.3,  0.3,  0.3,  0.3,  0.3]]> : tensor<4x6xf32>
  %b2 = accml.constant dense<[0.1, 0.2, 0.3, 0.4]> : tensor<4xf32>
  %one = accml.constant dense<1.0> : tensor<f32>

  // Layer 1: relu(x @ w1^T + b1)
  %w1t = accml.transpose %w1 : tensor<6x8xf32> -> tensor<8x6xf32>
  %h0 = accml.matmul %x, %w1t : (tensor<2x8xf32>, tensor<8x6xf32>) -> tensor<?x?xf32>
  %h1 = accml.add %h0, %b1 : (tensor<?x?xf32>, tensor<6xf32>) -> tensor<?x6xf32>
  %h2 = accml.relu %h1 : tensor<?x6xf32>
  %h3 = accml.mul %h2, %one : (tensor<?x6xf32>, tensor<f32>) -> tensor<?x6xf32>

  // Layer 2: softmax(h @ w2^T + b2)
  %w2t = accml.transpose %w2 : tensor<4x6xf32> -> tensor<6x4xf32>
  %o0 = accml.gemm %h3, %w2t, %b2 : (tensor<?x6xf32>, tensor<6x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  %o1 = accml.softmax %o0 : tensor<?x4xf32>
  %o2 = accml.reshape %o1 : tensor<?x4xf32> -> tensor<2x4xf32>
  return %o2 : tensor<2x4xf32>
}
