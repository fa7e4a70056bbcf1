//===- CompiledModuleTest.cpp - Tests of the JIT-compiled modules ---------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Runtime.h"

#include "llvm/Support/Error.h"
#include "gtest/gtest.h"

using namespace accml::runtime;

namespace {

constexpr const char *kTwoFunctions = R"mlir(
func.func @add(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %r = accml.add %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func @twice(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = accml.add %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}
)mlir";

Tensor iota(llvm::ArrayRef<int64_t> shape, double start) {
  Tensor tensor(ElementType::F32, shape);
  for (int64_t i = 0; i < tensor.getNumElements(); ++i)
    tensor.setFromDouble(i, start + i);
  return tensor;
}

// Each public function's entry point is looked up once, when the module is
// compiled; calls alternating between two functions, many times, each get
// their own function's results.
TEST(CompiledModule, CallsEachFunctionThroughItsOwnEntryPoint) {
  auto module = CompiledModule::compile(kTwoFunctions, "two.mlir", {});
  ASSERT_TRUE(static_cast<bool>(module)) << llvm::toString(module.takeError());
  for (int call = 0; call < 3; ++call) {
    auto sums = (*module)->run("add", {iota({4}, call), iota({4}, 10)});
    ASSERT_TRUE(static_cast<bool>(sums)) << llvm::toString(sums.takeError());
    ASSERT_EQ(sums->size(), 1u);
    for (int64_t i = 0; i < 4; ++i)
      EXPECT_EQ((*sums)[0].getAsDouble(i), call + 10 + 2 * i);
    auto doubled = (*module)->run("twice", {iota({2, 3}, call)});
    ASSERT_TRUE(static_cast<bool>(doubled))
        << llvm::toString(doubled.takeError());
    ASSERT_EQ(doubled->size(), 1u);
    EXPECT_EQ((*doubled)[0].getShape(), llvm::ArrayRef<int64_t>({2, 3}));
    for (int64_t i = 0; i < 6; ++i)
      EXPECT_EQ((*doubled)[0].getAsDouble(i), 2.0 * (call + i));
  }
}

// A function the module does not have is an error naming the ones it has.
TEST(CompiledModule, UnknownFunctionIsAnError) {
  auto module = CompiledModule::compile(kTwoFunctions, "two.mlir", {});
  ASSERT_TRUE(static_cast<bool>(module)) << llvm::toString(module.takeError());
  auto result = (*module)->run("missing", {iota({4}, 0)});
  ASSERT_FALSE(static_cast<bool>(result));
  EXPECT_EQ(llvm::toString(result.takeError()),
            "no public function @missing in the module (it has @add, @twice)");
}

} // namespace
