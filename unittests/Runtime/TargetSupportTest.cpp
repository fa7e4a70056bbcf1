//===- TargetSupportTest.cpp - bf16-matmul against the CPU ----------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Compiler.h"

#include "gtest/gtest.h"

using namespace accml;

namespace {

/// The message of `error`, or "" for success.
std::string message(llvm::Error error) {
  return error ? llvm::toString(std::move(error)) : std::string();
}

/// checkTargetSupport's message for bf16-matmul=`kind` on `target` ("" for
/// success).
std::string check(BF16Matmul kind, const CPUTarget &target) {
  CPUPipelineOptions options;
  options.bf16Matmul = kind;
  return message(runtime::checkTargetSupport(options, target));
}

TEST(TargetSupport, UnitsTheCPULacksAreErrors) {
  CPUTarget none;
  none.hasAMXBF16 = false;
  none.hasAVX512BF16 = false;
  EXPECT_EQ(check(BF16Matmul::AMX, none),
            "bf16-matmul=amx: this CPU has no AMX with bf16 (amx-tile, "
            "amx-bf16); use bf16-matmul=avx512-bf16, generic or auto");
  EXPECT_EQ(check(BF16Matmul::AVX512BF16, none),
            "bf16-matmul=avx512-bf16: this CPU has no AVX-512-BF16 "
            "(avx512bf16); use bf16-matmul=generic or auto");
  // auto and generic never ask for what is missing.
  EXPECT_EQ(check(BF16Matmul::Auto, none), "");
  EXPECT_EQ(check(BF16Matmul::Generic, none), "");
}

TEST(TargetSupport, UnitsTheCPUHasAreAccepted) {
  CPUTarget both;
  both.hasAMXBF16 = true;
  both.hasAVX512BF16 = true;
  EXPECT_EQ(check(BF16Matmul::AMX, both), "");
  EXPECT_EQ(check(BF16Matmul::AVX512BF16, both), "");
}

} // namespace
