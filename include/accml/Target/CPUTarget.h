//===- CPUTarget.h - CPU target description and tile-size model -*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// What AccML's tiling needs to know about a CPU (vector width, registers,
// caches, cores), detected from the host or given as options, and the
// analytic model that turns it into matmul tile sizes. The model is
// described in docs/CostModel.md.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_TARGET_CPUTARGET_H
#define ACCML_TARGET_CPUTARGET_H

#include <cstdint>
#include <string>

namespace accml {

/// A CPU as the tile-size model sees it.
struct CPUTarget {
  /// Width of a vector register in bits (512 with AVX-512, 256 with AVX2).
  int64_t vectorBits = 512;
  /// Number of architectural vector registers.
  int64_t vectorRegisters = 32;
  /// Per-core L1 data cache and L2 cache, and the L3 cache (0: none), in
  /// bytes.
  int64_t l1Bytes = 48 * 1024;
  int64_t l2Bytes = 2 * 1024 * 1024;
  int64_t l3Bytes = 0;
  /// First-level data TLB entries and the page size they map (no portable
  /// way to read them: 64 entries of 4 KiB pages, as on recent x86 cores).
  int64_t dtlbEntries = 64;
  int64_t pageBytes = 4096;
  /// Cores the compiled code may use.
  int64_t cores = 1;
  /// Cycles between two full-width f32 vector divisions (the divider's
  /// reciprocal throughput; no portable way to read it: 8, as on Intel
  /// AVX-512 cores; AMD Zen 5 (znver5): 3, measured 2.6 for vdivps zmm).
  int64_t vectorDivideCycles = 8;
  /// Whether the CPU has the AMX tile unit with bf16 products (amx-tile and
  /// amx-bf16).
  bool hasAMXBF16 = false;
  /// Whether the CPU has AVX-512 bf16 dot products (avx512bf16).
  bool hasAVX512BF16 = false;

  /// The host CPU: vector width and registers from its instruction set
  /// extensions, caches and cores from the operating system (the defaults
  /// above for what cannot be read).
  static CPUTarget detectHost();

  /// "512-bit vectors x 32, L1 48 KiB, L2 2048 KiB, L3 0 KiB, 2 cores".
  std::string str() const;
};

/// Matmul tile sizes: cache tiles mc x nc x kc, register tiles mr x nr.
struct MatmulTiles {
  int64_t mc, nc, kc, mr, nr;
};

/// The tile sizes the analytic model picks for a matmul of `elementBytes`
/// wide elements on `target` (docs/CostModel.md): the register tile from
/// the vector width and register count, kc from L1, nc from the data TLB,
/// mc from L2.
MatmulTiles chooseMatmulTiles(const CPUTarget &target,
                              int64_t elementBytes = 4);

} // namespace accml

#endif // ACCML_TARGET_CPUTARGET_H
