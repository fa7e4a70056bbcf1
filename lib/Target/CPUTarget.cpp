//===- CPUTarget.cpp - CPU target description and tile-size model ---------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Target/CPUTarget.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <unistd.h>

using namespace accml;

CPUTarget CPUTarget::detectHost() {
  CPUTarget target;
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f")) {
    target.vectorBits = 512;
    target.vectorRegisters = 32;
  } else if (features.lookup("avx")) {
    target.vectorBits = 256;
    target.vectorRegisters = 16;
  } else {
    target.vectorBits = 128;
    target.vectorRegisters = 16;
  }
  target.hasAMXBF16 =
      features.lookup("amx-tile") && features.lookup("amx-bf16");
  target.hasAVX512BF16 = features.lookup("avx512bf16");
  if (llvm::sys::getHostCPUName() == "znver5")
    target.vectorDivideCycles = 3;
  auto read = [](int name, int64_t fallback) {
    long value = sysconf(name);
    return value > 0 ? static_cast<int64_t>(value) : fallback;
  };
  target.l1Bytes = read(_SC_LEVEL1_DCACHE_SIZE, target.l1Bytes);
  target.l2Bytes = read(_SC_LEVEL2_CACHE_SIZE, target.l2Bytes);
  target.l3Bytes = read(_SC_LEVEL3_CACHE_SIZE, 0);
  target.cores = read(_SC_NPROCESSORS_ONLN, 1);
  return target;
}

std::string CPUTarget::str() const {
  return std::to_string(vectorBits) + "-bit vectors x " +
         std::to_string(vectorRegisters) + ", L1 " +
         std::to_string(l1Bytes / 1024) + " KiB, L2 " +
         std::to_string(l2Bytes / 1024) + " KiB, L3 " +
         std::to_string(l3Bytes / 1024) + " KiB, " + std::to_string(cores) +
         " cores";
}

MatmulTiles accml::chooseMatmulTiles(const CPUTarget &target,
                                     int64_t elementBytes) {
  MatmulTiles tiles;
  int64_t lanes = std::max<int64_t>(target.vectorBits / (8 * elementBytes), 1);
  // Register tile: two vectors per row of B (two contiguous loads per k
  // step), and as many rows as half the register file holds accumulators
  // (the other half holds the row of B and the broadcasts, so nothing
  // spills); 16 accumulators also cover the FMA latency x throughput (4 x 2)
  // many times over.
  tiles.nr = 2 * lanes;
  int64_t accumulators = std::max<int64_t>(target.vectorRegisters / 2, 2);
  tiles.mr = std::max<int64_t>(accumulators / 2, 1);
  // kc: the A micro-panel (mr x kc) stays in L1 while the register tiles
  // sweep the panels of a block, next to two B micro-panels (kc x nr: the
  // one being read and the next, prefetched): all in three quarters of L1.
  // Rounded down to a multiple of 16.
  int64_t kc =
      target.l1Bytes * 3 / 4 / (elementBytes * (tiles.mr + 2 * tiles.nr));
  tiles.kc = std::max<int64_t>(kc / 16 * 16, 16);
  // nc: every row of register tiles sweeps the B micro-panels of the block
  // (one per nr columns, each in its own panel of K x nr, so pages apart):
  // their pages must stay within half of the data TLB.
  int64_t pagesPerPanel = std::max<int64_t>(
      (tiles.kc * tiles.nr * elementBytes + target.pageBytes - 1) /
          target.pageBytes,
      1);
  int64_t panels = std::max<int64_t>(target.dtlbEntries / 2 / pagesPerPanel, 1);
  tiles.nc = panels * tiles.nr;
  // mc: the C block (mc x nc), read and written at every kc step, within
  // an eighth of L2 (the B block, the A rows and the next block's data
  // share the rest). In whole register tiles.
  int64_t mc = target.l2Bytes / 8 / (tiles.nc * elementBytes);
  tiles.mc = std::max<int64_t>(mc / tiles.mr, 1) * tiles.mr;
  return tiles;
}
