//===- CPUPipeline.cpp - accml-cpu-pipeline -------------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Pipelines/Pipelines.h"

#include "accml/Conversion/Passes.h"
#include "accml/Dialect/Accml/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Affine/Transforms/Passes.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace accml;

CPUTarget accml::getTarget(const CPUPipelineOptions &options) {
  CPUTarget target = CPUTarget::detectHost();
  if (options.targetVectorBits > 0)
    target.vectorBits = options.targetVectorBits;
  if (options.targetVectorRegisters > 0)
    target.vectorRegisters = options.targetVectorRegisters;
  if (options.targetL1KiB > 0)
    target.l1Bytes = options.targetL1KiB * 1024;
  if (options.targetL2KiB > 0)
    target.l2Bytes = options.targetL2KiB * 1024;
  if (options.targetDivideCycles > 0)
    target.vectorDivideCycles = options.targetDivideCycles;
  return target;
}

MatmulTiles accml::getMatmulTiles(const CPUPipelineOptions &options) {
  MatmulTiles tiles = chooseMatmulTiles(getTarget(options));
  if (options.cacheTiles.size() == 3) {
    tiles.mc = options.cacheTiles[0];
    tiles.nc = options.cacheTiles[1];
    tiles.kc = options.cacheTiles[2];
  }
  if (options.registerTiles.size() == 2) {
    tiles.mr = options.registerTiles[0];
    tiles.nr = options.registerTiles[1];
  }
  return tiles;
}

BF16Matmul accml::resolveBF16Matmul(const CPUPipelineOptions &options) {
  if (options.bf16Matmul != BF16Matmul::Auto)
    return options.bf16Matmul;
  CPUTarget host = CPUTarget::detectHost();
  if (host.hasAMXBF16)
    return BF16Matmul::AMX;
  if (host.hasAVX512BF16)
    return BF16Matmul::AVX512BF16;
  return BF16Matmul::Generic;
}

namespace {
/// Whether the vectorised code may use AVX-512 instructions directly: the
/// host has them (the code runs there) and the target description keeps
/// 512-bit vectors.
bool usesAVX512(const CPUPipelineOptions &options) {
  return CPUTarget::detectHost().vectorBits >= 512 &&
         getTarget(options).vectorBits >= 512;
}
} // namespace

void accml::buildAccmlCPUPipeline(OpPassManager &pm,
                                  const CPUPipelineOptions &options) {
  // Tile sizes: given, or the tile-size model's for the target (malformed
  // lists reach the passes, which report them).
  MatmulTiles model = getMatmulTiles(options);
  SmallVector<int64_t> cacheTiles(options.cacheTiles.begin(),
                                  options.cacheTiles.end());
  SmallVector<int64_t> registerTiles(options.registerTiles.begin(),
                                     options.registerTiles.end());
  if (cacheTiles.empty())
    cacheTiles = {model.mc, model.nc, model.kc};
  if (registerTiles.empty())
    registerTiles = {model.mr, model.nr};
  // Panels as wide as the register tile (a negative width reaches
  // accml-pack, which reports it).
  int64_t panelWidth = options.panelWidth != 0 ? int64_t(options.panelWidth)
                                               : registerTiles.back();
  // Graph level to linalg on tensors, then fuse elementwise producers.
  pm.addNestedPass<func::FuncOp>(createConvertAccmlToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createAccmlFuseElementwisePass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  bool affine = options.loopStrategy == LoopStrategy::Affine;
  BF16Matmul bf16 = resolveBF16Matmul(options);
  if (options.vectorize && !affine) {
    if (options.pack) {
      AccmlPackPassOptions pack;
      pack.panelWidth = panelWidth;
      // Convolutions' weights in blocks of the register tile's rows.
      pack.filterBlock = registerTiles.front();
      pack.channelsLastWidth = options.channelsLastWidth;
      pack.outputRows = options.convolutionRows;
      // Depthwise convolutions on images of up to 16 vectors of outputs
      // per channel (7 x 7, 14 x 14) on their flattened channels (larger
      // ones, 28 x 28 and 56 x 56, ran 1.5x-3.5x slower so).
      pack.flatDepthwise = 16 * 16;
      // Stride-2 depthwise convolutions and poolings by output rows, their
      // columns split in registers (MobileNetV2's 3x3/2 layers 1.7x-2.1x
      // faster than through the phases).
      pack.stridedWindows = true;
      pm.addNestedPass<func::FuncOp>(createAccmlPackPass(pack));
    }
    AccmlTileAndFusePassOptions tiles;
    tiles.cacheTiles.assign(cacheTiles.begin(), cacheTiles.end());
    tiles.registerTiles.assign(registerTiles.begin(), registerTiles.end());
    tiles.tileBF16Matmuls = bf16 == BF16Matmul::Generic;
    // A depthwise/pooling channel block's padded copy: a third of L1 (the
    // rest holds the output rows and the weights).
    tiles.windowBlockBytes = getTarget(options).l1Bytes / 3;
    // Enough parallel blocks for every thread (several each, for balance).
    if (options.threads != 1)
      tiles.parallelBlocks =
          4 * (options.threads == 0 ? getTarget(options).cores
                                    : int64_t(options.threads));
    pm.addNestedPass<func::FuncOp>(createAccmlTileAndFusePass(tiles));
    // Folds the register tiles of peeled loops to static shapes.
    pm.addPass(createCanonicalizerPass());
    AccmlVectorizePassOptions vectorizeOptions;
    vectorizeOptions.unrollReduction = options.unrollReduction;
    pm.addNestedPass<func::FuncOp>(createAccmlVectorizePass(vectorizeOptions));
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }
  // C wrappers for the model's own functions (not for the libm
  // declarations that come later).
  if (options.emitCInterface)
    pm.addNestedPass<func::FuncOp>(LLVM::createLLVMRequestCWrappersPass());

  // Constants become one-dimensional globals (one LLVM constant array per
  // weight: fast to JIT).
  pm.addNestedPass<func::FuncOp>(createAccmlFlattenConstantsPass());

  // Tensors to buffers. Results of public functions become fresh
  // allocations that the caller owns and frees.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::buildBufferDeallocationPipeline(pm);
  // Clones of returned arguments and constants become alloc + copy.
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Copies of a buffer onto itself (what bufferizing loop-carried tensor
  // slices leaves) fold away here, before they become loops.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  // bf16 matmuls on AMX or with AVX-512-BF16 (before the copies of their
  // padded operands are expanded).
  if (bf16 != BF16Matmul::Generic) {
    AccmlBF16MatmulPassOptions kernel;
    kernel.unit = bf16 == BF16Matmul::AMX ? "amx" : "avx512-bf16";
    kernel.l2KiB = getTarget(options).l2Bytes / 1024;
    pm.addPass(createAccmlBF16MatmulPass(kernel));
  }
  pm.addNestedPass<func::FuncOp>(createAccmlExpandStridedCopiesPass());
  if (affine) {
    // The affine route: linalg ops on buffers become affine nests, fused
    // and tiled by our passes; with threads, the outermost parallel loops
    // of each nest run on them.
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToAffineLoopsPass());
    pm.addNestedPass<func::FuncOp>(createAccmlAffineFusePass());
    if (options.vectorize) {
      AccmlAffineTilePassOptions tiles;
      tiles.cacheTiles.assign(cacheTiles.begin(), cacheTiles.end());
      tiles.registerTiles.assign(registerTiles.begin(), registerTiles.end());
      tiles.vectorWidth =
          std::max<int64_t>(getTarget(options).vectorBits / 32, 1);
      pm.addNestedPass<func::FuncOp>(createAccmlAffineTilePass(tiles));
    }
    pm.addPass(createCanonicalizerPass());
    if (options.threads != 1) {
      affine::AffineParallelizeOptions parallel;
      parallel.maxNested = 1;
      pm.addNestedPass<func::FuncOp>(affine::createAffineParallelize(parallel));
      pm.addPass(createLowerAffinePass());
    }
  } else if (options.vectorize) {
    AccmlLowerVectorsPassOptions lowerVectors;
    lowerVectors.avx512 = usesAVX512(options);
    // A division every 4 cycles or faster keeps up with the tanh and erf
    // approximations' other instructions (about 8 cycles per vector).
    lowerVectors.divideByReciprocal = getTarget(options).vectorDivideCycles > 4;
    // Direct convolutions' image rows, two panels ahead.
    lowerVectors.prefetchDistance = 2 * registerTiles.back();
    // Rows of softmax, layer_norm and elementwise chains, one row ahead.
    lowerVectors.prefetchNextRows = true;
    // The accumulators of the next register tile, a reduction ahead.
    lowerVectors.prefetchNextTile = true;
    pm.addNestedPass<func::FuncOp>(createAccmlLowerVectorsPass(lowerVectors));
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  }

  // Buffers to loops; the outer parallel loops (and the scf.forall of the
  // tiled matmuls) go to OpenMP when threaded.
  if (options.threads == 1) {
    pm.addNestedPass<func::FuncOp>(createForallToForLoopPass());
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  } else {
    pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
    // Only outermost loops run on the threads.
    pm.addNestedPass<func::FuncOp>(createAccmlSerializeNestedParallelPass());
    ConvertSCFToOpenMPPassOptions openmp;
    openmp.numThreads = options.threads;
    pm.addPass(createConvertSCFToOpenMPPass(openmp));
    // With dynamic-schedule, the parallel blocks of matmuls and
    // convolutions (a few per thread) are taken one at a time from a
    // shared counter: a thread slowed down by the machine's other tenants
    // no longer holds up the others. Off by default: in equal static
    // shares each thread gets the same contiguous range of blocks in every
    // loop and every call (the panels of B it packed, the rows of the
    // image it copied, the blocks of the result it zeroed), in its own
    // cache; the blocks a thread took from another's range, and the
    // mapping that changed from call to call, were read from the other
    // core's cache (two threads: a 256^3 matmul 1.20x, a 7x7/2 stem
    // convolution 1.25x, a depthwise 3x3 on 7 x 7 x 960 1.5x faster
    // static, ResNet-18 the same).
    if (options.dynamicSchedule)
      pm.addPass(createAccmlDynamicSchedulePass());
    // Inlines the memref.alloca_scope that scf-to-openmp wraps loop bodies
    // in (they allocate nothing here); scf-to-cf cannot lower loops inside
    // one.
    pm.addPass(createCanonicalizerPass());
  }
  pm.addPass(createLowerAffinePass());
  VectorTransferToSCFOptions transfers;
  transfers.enableFullUnroll(true);
  pm.addPass(createConvertVectorToSCFPass(transfers));
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());

  // Scalars: low-precision math is computed in f32, bf16 conversions are
  // expanded to integer code, math without an LLVM intrinsic calls libm.
  pm.addPass(math::createMathExtendToSupportedTypes());
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());

  // Everything else to the LLVM dialect.
  ConvertVectorToLLVMPassOptions vectorToLLVM;
  // Row reductions (softmax, layer_norm) are trees of vector operations,
  // not a sequential chain (the sums' tolerances allow reassociation).
  vectorToLLVM.reassociateFPReductions = true;
  vectorToLLVM.amx = bf16 == BF16Matmul::AMX;
  vectorToLLVM.x86Vector =
      bf16 == BF16Matmul::AVX512BF16 ||
      (options.vectorize && !affine && usesAVX512(options));
  pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void accml::registerAccmlPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "accml-cpu-pipeline",
      "Compile accml (or linalg/tensor) IR on tensors to the LLVM dialect for "
      "the host CPU",
      buildAccmlCPUPipeline);
}
