//===- Pipelines.h - AccML compilation pipelines ----------------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// The pass pipelines that take accml (or plain linalg/tensor) IR to the LLVM
// dialect. Each is a function usable from C++ and a PassPipelineRegistration
// usable from accml-opt, sharing one option struct.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_PIPELINES_PIPELINES_H
#define ACCML_PIPELINES_PIPELINES_H

#include "accml/Target/CPUTarget.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace accml {

/// How accml-cpu-pipeline makes loops of the linalg ops.
enum class LoopStrategy {
  /// Tiling, fusion and vectorisation on linalg/tensor, then scf loops.
  Linalg,
  /// Bufferize first, then affine loops with accml-affine-fuse and
  /// accml-affine-tile.
  Affine,
};

/// How accml-cpu-pipeline runs bf16 matmuls.
enum class BF16Matmul {
  /// AMX when the host has it, else AVX512BF16 when it has that, else
  /// Generic.
  Auto,
  /// The AMX tile unit (accml-bf16-matmul{unit=amx}).
  AMX,
  /// AVX-512-BF16 dot products (accml-bf16-matmul{unit=avx512-bf16}).
  AVX512BF16,
  /// The loops every other linalg op becomes.
  Generic,
};

struct CPUPipelineOptions : mlir::PassPipelineOptions<CPUPipelineOptions> {
  Option<unsigned> threads{
      *this, "threads",
      llvm::cl::desc("Threads that run the outer parallel loops (OpenMP); 1 "
                     "compiles sequential loops, 0 uses every core"),
      llvm::cl::init(1)};
  Option<bool> dynamicSchedule{
      *this, "dynamic-schedule",
      llvm::cl::desc("With threads, parallel loops of few iterations take "
                     "them one at a time (accml-dynamic-schedule) rather "
                     "than in equal static shares"),
      llvm::cl::init(false)};
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc("Tile and vectorise matmuls, elementwise chains, "
                     "row reductions and row-wise chains (accml-pack, "
                     "accml-tile-and-fuse, accml-vectorize, "
                     "accml-lower-vectors)"),
      llvm::cl::init(true)};
  Option<bool> pack{
      *this, "pack",
      llvm::cl::desc("Copy the right-hand operand of matmuls into panels "
                     "before tiling (accml-pack)"),
      llvm::cl::init(true)};
  Option<int64_t> panelWidth{
      *this, "panel-width",
      llvm::cl::desc("Columns per packed panel of B (accml-pack); 0: the "
                     "register tile's nr"),
      llvm::cl::init(0)};
  ListOption<int64_t> cacheTiles{
      *this, "cache-tiles",
      llvm::cl::desc("Matmul cache tiles mc, nc, kc (accml-tile-and-fuse, "
                     "accml-affine-tile); default: the tile-size model's")};
  ListOption<int64_t> registerTiles{
      *this, "register-tiles",
      llvm::cl::desc("Matmul register tiles mr, nr (accml-tile-and-fuse, "
                     "accml-affine-tile); default: the tile-size model's")};
  Option<bool> convolutionRows{
      *this, "convolution-rows",
      llvm::cl::desc("Convolutions whose output rows cost fewer vector lanes "
                     "than panels over their padded rows run by output rows "
                     "(accml-pack's output-rows)"),
      llvm::cl::init(true)};
  Option<int64_t> channelsLastWidth{
      *this, "channels-last-width",
      llvm::cl::desc("Depthwise convolutions and poolings with a multiple "
                     "of 16 channels on images at most this wide work "
                     "channels last (accml-pack; 0: never)"),
      llvm::cl::init(7)};
  Option<int64_t> unrollReduction{
      *this, "unroll-reduction",
      llvm::cl::desc("Unroll factor of the register tiles' reduction loops "
                     "(accml-vectorize; 1: none)"),
      llvm::cl::init(4)};
  Option<int64_t> targetVectorBits{
      *this, "target-vector-bits",
      llvm::cl::desc("Vector register width of the target in bits (0: the "
                     "host's)"),
      llvm::cl::init(0)};
  Option<int64_t> targetVectorRegisters{
      *this, "target-vector-registers",
      llvm::cl::desc("Vector registers of the target (0: the host's)"),
      llvm::cl::init(0)};
  Option<int64_t> targetL1KiB{
      *this, "target-l1-kib",
      llvm::cl::desc("L1 data cache per core in KiB (0: the host's)"),
      llvm::cl::init(0)};
  Option<int64_t> targetL2KiB{
      *this, "target-l2-kib",
      llvm::cl::desc("L2 cache per core in KiB (0: the host's)"),
      llvm::cl::init(0)};
  Option<int64_t> targetDivideCycles{
      *this, "target-divide-cycles",
      llvm::cl::desc("Cycles between two full-width f32 vector divisions "
                     "(0: the host's; above 4, the tanh and erf "
                     "approximations divide by a refined reciprocal)"),
      llvm::cl::init(0)};
  Option<LoopStrategy> loopStrategy{
      *this, "loop-strategy", llvm::cl::desc("How linalg ops become loops"),
      llvm::cl::init(LoopStrategy::Linalg),
      llvm::cl::values(
          clEnumValN(LoopStrategy::Linalg, "linalg",
                     "tile, fuse and vectorise on linalg/tensor (the default)"),
          clEnumValN(LoopStrategy::Affine, "affine",
                     "affine loops after bufferization, fused and tiled by "
                     "accml-affine-fuse and accml-affine-tile"))};
  Option<BF16Matmul> bf16Matmul{
      *this, "bf16-matmul",
      llvm::cl::desc("How bf16 matmuls (f32 accumulation) run"),
      llvm::cl::init(BF16Matmul::Auto),
      llvm::cl::values(
          clEnumValN(BF16Matmul::Auto, "auto",
                     "on AMX, else with AVX-512-BF16, as the host allows; "
                     "generic otherwise"),
          clEnumValN(BF16Matmul::AMX, "amx",
                     "on the AMX tile unit (accml-bf16-matmul)"),
          clEnumValN(BF16Matmul::AVX512BF16, "avx512-bf16",
                     "with AVX-512-BF16 dot products (accml-bf16-matmul)"),
          clEnumValN(BF16Matmul::Generic, "generic",
                     "as the loops every other linalg op becomes"))};
  Option<bool> emitCInterface{
      *this, "emit-c-interface",
      llvm::cl::desc("Give every function a _mlir_ciface_ wrapper taking "
                     "memref descriptors by pointer (what the runtime calls)"),
      llvm::cl::init(true)};
};

/// accml (or linalg/tensor/arith/math) on tensors -> LLVM dialect:
/// convert-accml-to-linalg, elementwise fusion, one-shot bufferization with
/// function boundaries, buffer deallocation, loops (OpenMP-parallel outer
/// loops when threads != 1), and the conversion to LLVM.
void buildAccmlCPUPipeline(mlir::OpPassManager &pm,
                           const CPUPipelineOptions &options);

/// The target the options describe: the host, with the target-* options
/// that are set replacing what was detected.
CPUTarget getTarget(const CPUPipelineOptions &options);

/// The matmul tiles the pipeline uses: cache-tiles and register-tiles when
/// given, the tile-size model's choice for getTarget(options) otherwise.
MatmulTiles getMatmulTiles(const CPUPipelineOptions &options);

/// What bf16-matmul resolves to on the host: AMX, AVX512BF16 or Generic
/// (auto picks the first of AMX and AVX-512-BF16 that the host has).
BF16Matmul resolveBF16Matmul(const CPUPipelineOptions &options);

/// Registers accml-cpu-pipeline.
void registerAccmlPipelines();

} // namespace accml

#endif // ACCML_PIPELINES_PIPELINES_H
