//===- CPUTargetTest.cpp - The tile-size model ----------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Target/CPUTarget.h"

#include "gtest/gtest.h"

using namespace accml;

namespace {

TEST(CPUTarget, AvxFiveTwelveTiles) {
  // 512-bit vectors x 32, L1 48 KiB, L2 2 MiB, 64 TLB entries (this
  // project's machines): 8 x 32 register tiles (16 accumulators),
  // kc = 36 KiB / (4 * (8 + 64)) = 128, B micro-panels of 16 KiB (4 pages)
  // so 8 panels (nc = 256) in 32 TLB entries, mc = 256 KiB / 1 KiB = 256.
  CPUTarget target;
  MatmulTiles tiles = chooseMatmulTiles(target);
  EXPECT_EQ(tiles.mr, 8);
  EXPECT_EQ(tiles.nr, 32);
  EXPECT_EQ(tiles.kc, 128);
  EXPECT_EQ(tiles.nc, 256);
  EXPECT_EQ(tiles.mc, 256);
}

TEST(CPUTarget, AvxTwoTiles) {
  // 256-bit vectors x 16, L1 32 KiB, L2 1 MiB: 4 x 16 register tiles,
  // kc = 24 KiB / (4 * 36) = 170 -> 160, micro-panels of 10 KiB (3 pages):
  // 10 panels (nc = 160), mc = 128 KiB / 640 = 204 -> 204.
  CPUTarget target;
  target.vectorBits = 256;
  target.vectorRegisters = 16;
  target.l1Bytes = 32 * 1024;
  target.l2Bytes = 1024 * 1024;
  MatmulTiles tiles = chooseMatmulTiles(target);
  EXPECT_EQ(tiles.mr, 4);
  EXPECT_EQ(tiles.nr, 16);
  EXPECT_EQ(tiles.kc, 160);
  EXPECT_EQ(tiles.nc, 160);
  EXPECT_EQ(tiles.mc, 204);
  // The C block fits an eighth of L2.
  EXPECT_LE(tiles.mc * tiles.nc * 4, target.l2Bytes / 8);
}

TEST(CPUTarget, TinyCachesStillGiveUsableTiles) {
  CPUTarget target;
  target.l1Bytes = 1024;
  target.l2Bytes = 4096;
  MatmulTiles tiles = chooseMatmulTiles(target);
  EXPECT_GE(tiles.kc, 16);
  EXPECT_GE(tiles.nc, tiles.nr);
  EXPECT_GE(tiles.mc, tiles.mr);
}

TEST(CPUTarget, DetectsTheHost) {
  CPUTarget host = CPUTarget::detectHost();
  EXPECT_GE(host.vectorBits, 128);
  EXPECT_GE(host.vectorRegisters, 16);
  EXPECT_GT(host.l1Bytes, 0);
  EXPECT_GT(host.l2Bytes, 0);
  EXPECT_GE(host.cores, 1);
  EXPECT_NE(host.str().find("-bit vectors"), std::string::npos);
}

} // namespace
