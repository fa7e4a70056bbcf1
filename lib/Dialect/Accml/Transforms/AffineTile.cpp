//===- AffineTile.cpp - Cache and register tiling of affine matmuls -------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-affine-tile: the affine route's matmul kernel. A perfect affine nest
//
//   affine.for %i = 0 to M { affine.for %j = 0 to N { affine.for %k = 0 to K {
//     C[i][j] = C[i][j] + A[i][k] * B[k][j] } } }
//
// (what convert-linalg-to-affine-loops makes of linalg.matmul) becomes cache
// tiles (i0, j0, k0 of mc x nc x kc) of register tiles (mr rows x nr
// columns): the register tile's row loop is unrolled and jammed into the k
// loop, its columns are vectors of the target's width, and the tile of C is
// loaded into registers before the k loop and stored after it (scalar
// replacement through iter_args), so the k loop body is nr / width vector
// loads of B and mr x nr / width broadcast FMAs. Rows and columns that the
// register tiles do not divide keep the original scalar nest, restricted to
// them.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"
#include "accml/Dialect/Accml/Transforms/Transforms.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/IRMapping.h"

namespace accml {
#define GEN_PASS_DEF_ACCMLAFFINETILEPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;

namespace {

/// An affine matmul nest and its operands.
struct MatmulNest {
  affine::AffineForOp i, j, k;
  Value a, b, c;
  int64_t m, n, depth;
};

/// Whether `load` reads `memref[first][second]` with plain loop indices.
bool readsAt(affine::AffineLoadOp load, Value first, Value second) {
  AffineMap map = load.getAffineMap();
  if (map.getNumResults() != 2 || !map.isPermutation() ||
      load.getMapOperands().size() != 2)
    return false;
  // The map is a permutation of its two operands: resolve each result.
  Value operands[2] = {load.getMapOperands()[0], load.getMapOperands()[1]};
  auto at = [&](unsigned result) {
    return operands[cast<AffineDimExpr>(map.getResult(result)).getPosition()];
  };
  return at(0) == first && at(1) == second;
}

/// Whether `loop` runs from 0 to a constant with step 1; returns the trip
/// count.
std::optional<int64_t> constantTrips(affine::AffineForOp loop) {
  if (!loop.hasConstantBounds() || loop.getConstantLowerBound() != 0 ||
      loop.getStepAsInt() != 1 || loop.getNumIterOperands() != 0)
    return std::nullopt;
  return loop.getConstantUpperBound();
}

/// Matches a perfect i, j, k nest computing C[i][j] += A[i][k] * B[k][j]
/// on static f32 memrefs with identity layouts.
std::optional<MatmulNest> matchMatmul(affine::AffineForOp i) {
  MatmulNest nest;
  nest.i = i;
  auto isOnly = [](affine::AffineForOp loop) -> affine::AffineForOp {
    Block *body = loop.getBody();
    if (body->getOperations().size() != 2)
      return {};
    return dyn_cast<affine::AffineForOp>(body->front());
  };
  nest.j = isOnly(i);
  if (!nest.j)
    return std::nullopt;
  nest.k = isOnly(nest.j);
  if (!nest.k)
    return std::nullopt;
  std::optional<int64_t> m = constantTrips(i), n = constantTrips(nest.j),
                         depth = constantTrips(nest.k);
  if (!m || !n || !depth)
    return std::nullopt;
  nest.m = *m;
  nest.n = *n;
  nest.depth = *depth;
  // load A, load B, load C (any order), mulf, addf, store, yield.
  Block *body = nest.k.getBody();
  if (body->getOperations().size() != 7)
    return std::nullopt;
  auto store = dyn_cast<affine::AffineStoreOp>(*std::prev(body->end(), 2));
  if (!store)
    return std::nullopt;
  auto add = store.getValueToStore().getDefiningOp<arith::AddFOp>();
  if (!add)
    return std::nullopt;
  Value iv = i.getInductionVar(), jv = nest.j.getInductionVar(),
        kv = nest.k.getInductionVar();
  affine::AffineLoadOp cLoad;
  arith::MulFOp mul;
  for (Value operand : {add.getLhs(), add.getRhs()}) {
    if (auto load = operand.getDefiningOp<affine::AffineLoadOp>())
      cLoad = load;
    else if (auto product = operand.getDefiningOp<arith::MulFOp>())
      mul = product;
  }
  if (!cLoad || !mul || !readsAt(cLoad, iv, jv))
    return std::nullopt;
  auto aLoad = mul.getLhs().getDefiningOp<affine::AffineLoadOp>();
  auto bLoad = mul.getRhs().getDefiningOp<affine::AffineLoadOp>();
  if (!aLoad || !bLoad || !readsAt(aLoad, iv, kv) || !readsAt(bLoad, kv, jv))
    return std::nullopt;
  // The store writes where C was read.
  if (store.getMemRef() != cLoad.getMemRef() ||
      store.getAffineMap() != cLoad.getAffineMap() ||
      store.getMapOperands() != cLoad.getMapOperands())
    return std::nullopt;
  nest.a = aLoad.getMemRef();
  nest.b = bLoad.getMemRef();
  nest.c = cLoad.getMemRef();
  for (Value memref : {nest.a, nest.b, nest.c}) {
    auto type = cast<MemRefType>(memref.getType());
    if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
        !type.getElementType().isF32())
      return std::nullopt;
  }
  // A, B and C must be distinct buffers (C never aliases an operand).
  if (nest.c == nest.a || nest.c == nest.b)
    return std::nullopt;
  return nest;
}

/// A loop from `lower` to min(`iv` + `tile`, `bound`) (or to `bound` when no
/// iv) with the given step, built at the builder's insertion point.
affine::AffineForOp createTileLoop(OpBuilder &b, Location loc, Value outer,
                                   int64_t tile, int64_t bound, int64_t step,
                                   ValueRange iterArgs = {}) {
  MLIRContext *context = b.getContext();
  if (!outer)
    return affine::AffineForOp::create(b, loc, 0, bound, step, iterArgs);
  AffineExpr d0 = getAffineDimExpr(0, context);
  AffineMap lower = AffineMap::get(1, 0, {d0}, context);
  AffineMap upper = AffineMap::get(
      1, 0, {d0 + tile, getAffineConstantExpr(bound, context)}, context);
  return affine::AffineForOp::create(b, loc, ValueRange{outer}, lower,
                                     ValueRange{outer}, upper, step, iterArgs);
}

/// Clones the scalar nest of `nest` over rows [rowBegin, rowEnd) and
/// columns [columnBegin, columnEnd), before `nest.i`.
void cloneRemainder(OpBuilder &b, MatmulNest nest, int64_t rowBegin,
                    int64_t rowEnd, int64_t columnBegin, int64_t columnEnd) {
  if (rowBegin >= rowEnd || columnBegin >= columnEnd)
    return;
  Location loc = nest.i.getLoc();
  auto rows = affine::AffineForOp::create(b, loc, rowBegin, rowEnd);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(rows.getBody());
  auto columns = affine::AffineForOp::create(b, loc, columnBegin, columnEnd);
  b.setInsertionPointToStart(columns.getBody());
  IRMapping mapping;
  mapping.map(nest.i.getInductionVar(), rows.getInductionVar());
  mapping.map(nest.j.getInductionVar(), columns.getInductionVar());
  b.clone(*nest.k, mapping);
}

/// Rewrites `nest` into cache tiles of register tiles (see the file
/// comment). `tiles` is mc, nc, kc; `registers` mr, nr; `width` the vector
/// width in f32 lanes.
void tileMatmul(MatmulNest nest, ArrayRef<int64_t> tiles,
                ArrayRef<int64_t> registers, int64_t width) {
  int64_t mr = registers[0], nr = registers[1];
  int64_t rows = nest.m / mr * mr, columns = nest.n / nr * nr;
  OpBuilder b(nest.i);
  Location loc = nest.i.getLoc();
  MLIRContext *context = b.getContext();
  if (rows > 0 && columns > 0) {
    // Cache tiles balanced over the problem.
    int64_t mc = accml::balanceTile(rows, tiles[0], mr);
    int64_t nc = accml::balanceTile(columns, tiles[1], nr);
    int64_t kc = accml::balanceTile(nest.depth, tiles[2], 1);
    auto i0 = createTileLoop(b, loc, {}, 0, rows, std::min(mc, rows));
    b.setInsertionPointToStart(i0.getBody());
    auto j0 = createTileLoop(b, loc, {}, 0, columns, std::min(nc, columns));
    b.setInsertionPointToStart(j0.getBody());
    auto k0 =
        createTileLoop(b, loc, {}, 0, nest.depth, std::min(kc, nest.depth));
    b.setInsertionPointToStart(k0.getBody());
    auto i1 = createTileLoop(b, loc, i0.getInductionVar(), mc, rows, mr);
    b.setInsertionPointToStart(i1.getBody());
    auto j1 = createTileLoop(b, loc, j0.getInductionVar(), nc, columns, nr);
    b.setInsertionPointToStart(j1.getBody());

    // Index maps (i, j) -> (i + r, j + v * width).
    AffineExpr d0 = getAffineDimExpr(0, context),
               d1 = getAffineDimExpr(1, context);
    auto at = [&](int64_t r, int64_t column) {
      return AffineMap::get(2, 0, {d0 + r, d1 + column}, context);
    };
    Value i = i1.getInductionVar(), j = j1.getInductionVar();
    auto vectorType = VectorType::get({width}, b.getF32Type());
    int64_t vectors = nr / width;
    SmallVector<Value> accumulators;
    for (int64_t r = 0; r < mr; ++r)
      for (int64_t v = 0; v < vectors; ++v)
        accumulators.push_back(affine::AffineVectorLoadOp::create(
            b, loc, vectorType, nest.c, at(r, v * width), ValueRange{i, j}));
    auto k = createTileLoop(b, loc, k0.getInductionVar(), kc, nest.depth, 1,
                            accumulators);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(k.getBody());
      Value kv = k.getInductionVar();
      SmallVector<Value> bRow;
      for (int64_t v = 0; v < vectors; ++v)
        bRow.push_back(affine::AffineVectorLoadOp::create(
            b, loc, vectorType, nest.b,
            AffineMap::get(2, 0, {d0, d1 + v * width}, context),
            ValueRange{kv, j}));
      SmallVector<Value> results;
      ValueRange carried = k.getRegionIterArgs();
      for (int64_t r = 0; r < mr; ++r) {
        Value a = affine::AffineLoadOp::create(
            b, loc, nest.a, AffineMap::get(2, 0, {d0 + r, d1}, context),
            ValueRange{i, kv});
        Value splat = vector::BroadcastOp::create(b, loc, vectorType, a);
        for (int64_t v = 0; v < vectors; ++v)
          results.push_back(vector::FMAOp::create(b, loc, splat, bRow[v],
                                                  carried[r * vectors + v]));
      }
      affine::AffineYieldOp::create(b, loc, results);
    }
    for (int64_t r = 0; r < mr; ++r)
      for (int64_t v = 0; v < vectors; ++v)
        affine::AffineVectorStoreOp::create(
            b, loc, k.getResult(r * vectors + v), nest.c, at(r, v * width),
            ValueRange{i, j});
    b.setInsertionPoint(nest.i);
  }
  // The rows and columns the register tiles do not cover.
  if (rows > 0)
    cloneRemainder(b, nest, 0, rows, columns, nest.n);
  cloneRemainder(b, nest, rows, nest.m, 0, nest.n);
  nest.i.erase();
}

struct AccmlAffineTilePass
    : accml::impl::AccmlAffineTilePassBase<AccmlAffineTilePass> {
  using AccmlAffineTilePassBase::AccmlAffineTilePassBase;

  void runOnOperation() override {
    SmallVector<int64_t> tiles(cacheTiles.begin(), cacheTiles.end());
    SmallVector<int64_t> registers(registerTiles.begin(), registerTiles.end());
    if (tiles.empty())
      tiles = {64, 256, 128};
    if (registers.empty())
      registers = {8, 32};
    if (tiles.size() != 3 || registers.size() != 2 ||
        llvm::any_of(tiles, [](int64_t t) { return t < 1; }) ||
        registers[0] < 1 || vectorWidth < 1 || registers[1] < vectorWidth ||
        registers[1] % vectorWidth != 0) {
      getOperation().emitError(
          "accml-affine-tile expects three positive cache-tiles (mc, nc, kc) "
          "and register-tiles (mr, nr) with nr a multiple of vector-width");
      return signalPassFailure();
    }
    SmallVector<MatmulNest> nests;
    getOperation().walk([&](affine::AffineForOp loop) {
      if (std::optional<MatmulNest> nest = matchMatmul(loop))
        nests.push_back(*nest);
    });
    for (MatmulNest nest : nests)
      tileMatmul(nest, tiles, registers, vectorWidth);
  }
};

} // namespace
