//===- TensorTest.cpp - Tests of runtime tensors --------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Tensor.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdlib>

using namespace accml::runtime;

namespace {

TEST(Tensor, HalfPrecisionRoundsToNearestEven) {
  EXPECT_EQ(floatToHalf(1.0f), 0x3C00);
  EXPECT_EQ(halfToFloat(0x3C00), 1.0f);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7BFF);
  EXPECT_EQ(floatToHalf(1e6f), 0x7C00); // overflows to +inf
  // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties to even (1).
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3C00);
}

TEST(Tensor, Bfloat16RoundsToNearestEven) {
  EXPECT_EQ(floatToBFloat16(1.0f), 0x3F80);
  EXPECT_EQ(bfloat16ToFloat(0x3F80), 1.0f);
  EXPECT_EQ(bfloat16ToFloat(floatToBFloat16(3.140625f)), 3.140625f);
  // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties to even (1).
  EXPECT_EQ(floatToBFloat16(1.0f + std::ldexp(1.0f, -8)), 0x3F80);
}

TEST(Tensor, ElementAccessAndTypeString) {
  Tensor tensor(ElementType::I8, {2, 3});
  EXPECT_EQ(tensor.getNumElements(), 6);
  EXPECT_EQ(tensor.getSizeInBytes(), 6u);
  tensor.setFromDouble(5, -7);
  EXPECT_EQ(tensor.getAsDouble(5), -7.0);
  EXPECT_EQ(tensor.getTypeString(), "tensor<2x3xi8>");
  Tensor flags(ElementType::I1, {4});
  flags.setFromDouble(2, 5.0);
  EXPECT_EQ(flags.getAsDouble(2), 1.0);
  EXPECT_EQ(Tensor(ElementType::F32, {}).getTypeString(), "tensor<f32>");
}

TEST(Tensor, StartsZeroedAndCopiesDeeply) {
  Tensor tensor(ElementType::F32, {3, 5});
  for (int64_t i = 0; i < tensor.getNumElements(); ++i)
    EXPECT_EQ(tensor.getAsDouble(i), 0.0);
  tensor.setFromDouble(7, 2.5);
  Tensor copy = tensor;
  EXPECT_NE(copy.getData(), tensor.getData());
  EXPECT_EQ(copy.getAsDouble(7), 2.5);
  copy.setFromDouble(7, -1.0);
  EXPECT_EQ(tensor.getAsDouble(7), 2.5);
  Tensor assigned;
  assigned = copy;
  EXPECT_EQ(assigned.getTypeString(), "tensor<3x5xf32>");
  EXPECT_EQ(assigned.getAsDouble(7), -1.0);
  Tensor moved = std::move(assigned);
  EXPECT_EQ(moved.getAsDouble(7), -1.0);
}

TEST(Tensor, AdoptsAMallocBufferAtAnOffset) {
  // As the runtime hands over a result buffer: the data starts inside the
  // allocation (after alignment), and the tensor frees the allocation.
  auto *allocation = static_cast<float *>(std::malloc(6 * sizeof(float)));
  for (int i = 0; i < 6; ++i)
    allocation[i] = static_cast<float>(i);
  Tensor tensor =
      Tensor::adopt(ElementType::F32, {2, 2}, allocation, allocation + 2);
  EXPECT_EQ(tensor.getData(), allocation + 2);
  EXPECT_EQ(tensor.getSizeInBytes(), 4 * sizeof(float));
  EXPECT_EQ(tensor.getAsDouble(0), 2.0);
  EXPECT_EQ(tensor.getAsDouble(3), 5.0);
}

} // namespace
