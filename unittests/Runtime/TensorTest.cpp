//===- TensorTest.cpp - Tests of runtime tensors --------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Tensor.h"

#include "gtest/gtest.h"

#include <cmath>

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

} // namespace
