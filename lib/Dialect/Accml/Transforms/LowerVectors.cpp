//===- LowerVectors.cpp - Vector math and contractions to AVX-512 ---------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-lower-vectors: after bufferization, vector math becomes polynomials
// (exp, with AVX-512, AccML's own vscalefps kernel), contractions become
// FMAs, row reductions vector.reduction, and transfers the loads and
// stores that convert-vector-to-llvm maps onto AVX-512.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"
#include "accml/Dialect/Accml/Transforms/Transforms.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/VectorInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/MapVector.h"
#include <cmath>

namespace accml {
#define GEN_PASS_DEF_ACCMLLOWERVECTORSPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;

namespace {

/// The math functions computed by polynomial approximations on vectors:
/// those whose upstream approximation stays within 1e-5 relative / 1e-6
/// absolute of libm over all f32 inputs, overflow, underflow, infinities
/// and NaN included. (The logarithms are not: they treat subnormal inputs
/// as the smallest normal number.)
constexpr StringLiteral kApproximatedMath[] = {"exp", "expm1", "tanh", "erf"};

/// The upstream approximations whose divisions are by positive finite
/// polynomials (see divideByRefinedReciprocal); f32 tanh is AccML's own
/// (RationalTanh), which divides by its reciprocal itself.
constexpr StringLiteral kPositiveDivisorMath[] = {"erf"};

using accml::kVectorLanes;

/// Applies `fn` to each 16 lanes of `operands` (f32 vectors of one shape, a
/// multiple of 16 elements) and returns the results in that shape.
Value mapLanes(OpBuilder &b, Location loc, ValueRange operands,
               function_ref<Value(ValueRange)> fn) {
  auto type = cast<VectorType>(operands.front().getType());
  int64_t elements = type.getNumElements();
  auto flatType = VectorType::get({elements}, b.getF32Type());
  auto cast = [&](Value v, VectorType to) -> Value {
    return v.getType() == to ? v : vector::ShapeCastOp::create(b, loc, to, v);
  };
  SmallVector<Value> flat;
  for (Value operand : operands)
    flat.push_back(cast(operand, flatType));
  Value result = arith::ConstantOp::create(
      b, loc, flatType, DenseElementsAttr::get(flatType, b.getF32FloatAttr(0)));
  for (int64_t offset = 0; offset < elements; offset += kVectorLanes) {
    SmallVector<Value> lanes;
    for (Value operand : flat)
      lanes.push_back(vector::ExtractStridedSliceOp::create(
          b, loc, operand, offset, kVectorLanes, 1));
    result = vector::InsertStridedSliceOp::create(b, loc, fn(lanes), result,
                                                  offset, 1);
  }
  return cast(result, type);
}

/// `x` clamped to [lowest, highest] as select(lowest > x, lowest, x) and
/// select(highest < x, highest, x): vmaxps / vminps with x second, so that
/// a NaN passes through (the exp and tanh approximations).
Value clampKeepingNaN(OpBuilder &b, Location loc, Value x, Value lowest,
                      Value highest) {
  Value below =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, lowest, x);
  x = arith::SelectOp::create(b, loc, below, lowest, x);
  Value above =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, highest, x);
  return arith::SelectOp::create(b, loc, above, highest, x);
}

/// math.exp on f32 vectors of a multiple of 16 elements, 16 lanes at a time
/// with AVX-512 (see accml-lower-vectors' description): clamp, reduce by m *
/// ln 2 with m a multiple of 1/32, 2^(m mod 1) from a 32-entry table held in
/// two registers (vpermi2ps), a quadratic for exp(r), scale by 2^floor(m).
///
/// The kernel is bound by the FMA unit's two pipes (on Zen 5 the others take
/// the clamps, the subtraction, vscalefps and the lookup): with a table of
/// 32 entries |r| <= ln 2 / 64 and a quadratic does what a cubic did with
/// 16, one FMA fewer per 16 lanes (the kernel 12-15% faster, measured).
struct AVX512Exp : OpRewritePattern<math::ExpOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(math::ExpOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<VectorType>(op.getType());
    if (!type || !type.getElementType().isF32() || type.isScalable() ||
        type.getNumElements() % kVectorLanes != 0)
      return failure();
    Location loc = op.getLoc();
    auto laneType = VectorType::get({kVectorLanes}, rewriter.getF32Type());
    auto indexType = VectorType::get({kVectorLanes}, rewriter.getI32Type());
    auto splat = [&](double value) -> Value {
      return arith::ConstantOp::create(
          rewriter, loc, laneType,
          DenseElementsAttr::get(laneType, rewriter.getF32FloatAttr(value)));
    };
    // The quadratic of least maximum relative error to exp on
    // [-ln 2 / 64, ln 2 / 64] (Remez): 5.3e-8.
    Value lowest = splat(-104.0), highest = splat(88.8),
          log2e = splat(1.4426950408889634),
          minusLn2 = splat(-0.6931471805599453),
          // 1.5 * 2^18: adding it rounds to a multiple of 1/32 (to nearest
          // even), whose 32nds are the sum's 5 lowest mantissa bits.
        magic = splat(393216.0), c2 = splat(0.4999963345316927),
          c1 = splat(1.0000146621978863), c0 = splat(1.000000000429956);
    // 2^(j / 32), j = 0 .. 31, in two registers: vpermi2ps reads the entry
    // that the low 5 bits of each lane's index select (bit 4: which one).
    SmallVector<float> powers;
    for (int j = 0; j < 2 * kVectorLanes; ++j)
      powers.push_back(static_cast<float>(std::exp2(j / 32.0)));
    auto tableHalf = [&](int half) -> Value {
      return arith::ConstantOp::create(
          rewriter, loc, laneType,
          DenseElementsAttr::get(
              laneType, ArrayRef<float>(powers).slice(half * kVectorLanes,
                                                      kVectorLanes)));
    };
    Value low = tableHalf(0), high = tableHalf(1);
    StringAttr permute =
        rewriter.getStringAttr("llvm.x86.avx512.vpermi2var.ps.512");
    Value allLanes = arith::ConstantOp::create(
        rewriter, loc, rewriter.getI16Type(), rewriter.getI16IntegerAttr(-1));
    // _MM_FROUND_CUR_DIRECTION.
    Value rounding = arith::ConstantOp::create(
        rewriter, loc, rewriter.getI32Type(), rewriter.getI32IntegerAttr(4));
    auto kernel = [&](ValueRange lanes) -> Value {
      Value x = lanes[0];
      x = clampKeepingNaN(rewriter, loc, x, lowest, highest);
      // m = x * log2(e) rounded to a multiple of 1/32, as (x * log2(e) +
      // magic) - magic.
      Value t = math::FmaOp::create(rewriter, loc, x, log2e, magic);
      Value m = arith::SubFOp::create(rewriter, loc, t, magic);
      // r = x - m * ln 2 in one FMA, |r| <= ln 2 / 64: ln 2's rounding to
      // f32 (1.9e-9) times |m| <= 150 bounds r's error by 3e-7.
      Value r = math::FmaOp::create(rewriter, loc, m, minusLn2, x);
      // llvm.x86.avx512.vpermi2var.ps.512(table low, index, table high).
      Value power =
          LLVM::CallIntrinsicOp::create(
              rewriter, loc, laneType, permute,
              ValueRange{low,
                         arith::BitcastOp::create(rewriter, loc, indexType, t),
                         high})
              .getResult(0);
      // exp(r) = c0 + c1 r + c2 r^2.
      Value p = math::FmaOp::create(rewriter, loc, c2, r, c1);
      p = math::FmaOp::create(rewriter, loc, p, r, c0);
      p = arith::MulFOp::create(rewriter, loc, p, power);
      // Scaled last: 2^floor(m) alone overflows for x just below log(FLT_MAX)
      // (m rounds up to 128) and loses bits where the result is subnormal.
      // The op passes its operands in order to
      // llvm.x86.avx512.mask.scalef.ps.512(a, b, passthrough, mask,
      // rounding): p * 2^floor(m), all lanes.
      return x86vector::MaskScaleFOp::create(rewriter, loc, laneType, p, m, p,
                                             allLanes, rounding);
    };
    rewriter.replaceOp(op, mapLanes(rewriter, loc, op.getOperand(), kernel));
    return success();
  }
};

/// `a / b` on f32 vectors of a multiple of 16 elements whose divisor is
/// known positive and finite (the denominators of the tanh and erf
/// approximations: polynomials of x^2 or |x| with positive coefficients) as
/// `a * r`, r = rcp14(b) refined by one Newton step (relative error about
/// 2^-28 before the product's rounding): `vrcp14ps` and three FMA-unit
/// operations where `vdivps` occupies the divider for 10 cycles per 16
/// lanes (the tanh approximation was bound by it). Not for divisions in
/// general: b = 0 or infinity would give NaN.
Value divideByRefinedReciprocal(OpBuilder &b, Location loc, Value dividend,
                                Value divisor) {
  auto type = cast<VectorType>(divisor.getType());
  auto laneType = VectorType::get({kVectorLanes}, b.getF32Type());
  Value allLanes = arith::ConstantOp::create(b, loc, b.getI16Type(),
                                             b.getI16IntegerAttr(-1));
  StringAttr rcp14 = b.getStringAttr("llvm.x86.avx512.rcp14.ps.512");
  // rcp14(a, passthrough, mask).
  Value r = mapLanes(b, loc, divisor, [&](ValueRange lanes) {
    return LLVM::CallIntrinsicOp::create(
               b, loc, laneType, rcp14,
               ValueRange{lanes[0], lanes[0], allLanes})
        .getResult(0);
  });
  Value one = arith::ConstantOp::create(
      b, loc, type, DenseElementsAttr::get(type, b.getF32FloatAttr(1)));
  // e = 1 - b * r; r' = r + r * e.
  Value error = math::FmaOp::create(
      b, loc, arith::NegFOp::create(b, loc, divisor), r, one);
  r = math::FmaOp::create(b, loc, r, error, r);
  return arith::MulFOp::create(b, loc, dividend, r);
}

/// Whether `value` is a constant without NaN.
bool isNotNaN(Value value) {
  DenseFPElementsAttr elements;
  FloatAttr scalar;
  if (matchPattern(value, m_Constant(&elements)))
    return llvm::none_of(elements.getValues<APFloat>(),
                         [](const APFloat &v) { return v.isNaN(); });
  return matchPattern(value, m_Constant(&scalar)) && !scalar.getValue().isNaN();
}

/// A loop-carried maxnumf (minnumf) reduction, acc' = maxnumf(x, acc) with
/// an initial acc that is not NaN, as x > acc ? x : acc (x < acc): acc is
/// never NaN (maxnumf of a NaN and a number is the number), and for such an
/// acc the two agree, NaN x included. With `avx512` (16-lane multiples)
/// that is exactly `vmaxps x, acc` (`vminps`), called as the intrinsic:
/// LLVM lowers maxnumf, and also the equivalent select without no-signed-
/// zeros, to a compare, a NaN compare, a mask or and a blend, two of them
/// on port 5 only (softmax's row maximum). Otherwise the select.
template <typename OpTy, arith::CmpFPredicate Predicate>
struct NumReduction : OpRewritePattern<OpTy> {
  NumReduction(MLIRContext *context, bool avx512)
      : OpRewritePattern<OpTy>(context), avx512(avx512) {}

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto loop = dyn_cast<scf::ForOp>(op->getParentOp());
    if (!loop || !op->hasOneUse())
      return failure();
    auto yield = dyn_cast<scf::YieldOp>(*op->user_begin());
    if (!yield || yield->getParentOp() != loop.getOperation())
      return failure();
    unsigned position = op->use_begin()->getOperandNumber();
    Value acc = loop.getRegionIterArgs()[position];
    Value x;
    if (op.getLhs() == acc)
      x = op.getRhs();
    else if (op.getRhs() == acc)
      x = op.getLhs();
    else
      return failure();
    // An initial value that is not NaN. The linalg vectoriser starts the
    // partial maxima at NaN (maxnumf's identity) and combines them with the
    // reduction's own initial value afterwards: when that is a number, the
    // partial maxima may start at -inf (+inf) instead (a lane of only NaN
    // then gives -inf, not NaN, which the number absorbs all the same).
    Location loc = op.getLoc();
    bool isMax = Predicate == arith::CmpFPredicate::OGT;
    if (!isNotNaN(loop.getInitArgs()[position])) {
      auto kind = isMax ? vector::CombiningKind::MAXNUMF
                        : vector::CombiningKind::MINNUMF;
      auto initType = dyn_cast<VectorType>(acc.getType());
      // Only the identity itself (NaN in every lane) may be replaced, and
      // only when nothing else in the loop sees the accumulator.
      DenseFPElementsAttr identity;
      if (!initType || !initType.getElementType().isF32() ||
          !matchPattern(loop.getInitArgs()[position], m_Constant(&identity)) ||
          !llvm::all_of(identity.getValues<APFloat>(),
                        [](const APFloat &v) { return v.isNaN(); }) ||
          !acc.hasOneUse() ||
          !llvm::all_of(
              loop.getResult(position).getUsers(), [&](Operation *user) {
                auto reduce = dyn_cast<vector::MultiDimReductionOp>(user);
                return reduce && reduce.getKind() == kind &&
                       isNotNaN(reduce.getAcc());
              }))
        return failure();
      rewriter.setInsertionPoint(loop);
      Value infinity = arith::ConstantOp::create(
          rewriter, loc, initType,
          DenseElementsAttr::get(
              initType, rewriter.getF32FloatAttr(
                            isMax ? -std::numeric_limits<float>::infinity()
                                  : std::numeric_limits<float>::infinity())));
      rewriter.modifyOpInPlace(
          loop, [&] { loop.getInitArgsMutable()[position].assign(infinity); });
      rewriter.setInsertionPoint(op);
    }
    auto type = dyn_cast<VectorType>(op.getType());
    if (avx512 && type && type.getElementType().isF32() && !type.isScalable() &&
        type.getNumElements() % kVectorLanes == 0) {
      StringAttr name = rewriter.getStringAttr(
          isMax ? "llvm.x86.avx512.max.ps.512" : "llvm.x86.avx512.min.ps.512");
      // _MM_FROUND_CUR_DIRECTION.
      Value rounding = arith::ConstantOp::create(
          rewriter, loc, rewriter.getI32Type(), rewriter.getI32IntegerAttr(4));
      auto laneType = VectorType::get({kVectorLanes}, rewriter.getF32Type());
      rewriter.replaceOp(
          op, mapLanes(rewriter, loc, {x, acc}, [&](ValueRange lanes) {
            return LLVM::CallIntrinsicOp::create(
                       rewriter, loc, laneType, name,
                       ValueRange{lanes[0], lanes[1], rounding})
                .getResult(0);
          }));
    } else {
      Value wins = arith::CmpFOp::create(rewriter, loc, Predicate, x, acc);
      rewriter.replaceOpWithNewOp<arith::SelectOp>(op, wins, x, acc);
    }
    reduceWithoutNaN(rewriter, loop.getResult(position), isMax);
    return success();
  }

  /// The partial maxima (minima) `partial` have no NaN: their row
  /// reductions of the same kind (multi_reductions of a 1 x N or N vector
  /// along N with an initial value that is not NaN) become
  /// vector.reductions with `nnan`, which LLVM lowers to a tree of vmaxps
  /// (without, a sequential chain of scalar maxnum with NaN tests: softmax
  /// spent 15% of its time there).
  static void reduceWithoutNaN(PatternRewriter &rewriter, Value partial,
                               bool isMax) {
    auto kind =
        isMax ? vector::CombiningKind::MAXNUMF : vector::CombiningKind::MINNUMF;
    for (Operation *user : llvm::make_early_inc_range(partial.getUsers())) {
      auto reduce = dyn_cast<vector::MultiDimReductionOp>(user);
      if (!reduce || reduce.getKind() != kind || !isNotNaN(reduce.getAcc()))
        continue;
      VectorType type = reduce.getSourceVectorType();
      int64_t rank = type.getRank();
      if (rank > 2 || (rank == 2 && type.getDimSize(0) != 1) ||
          reduce.getReductionDims() != ArrayRef<int64_t>{rank - 1})
        continue;
      rewriter.setInsertionPoint(reduce);
      Location loc = reduce.getLoc();
      Value flat = reduce.getSource();
      if (rank == 2)
        flat = vector::ShapeCastOp::create(
            rewriter, loc,
            VectorType::get({type.getDimSize(1)}, type.getElementType()), flat);
      Value acc = reduce.getAcc();
      if (isa<VectorType>(acc.getType()))
        acc =
            vector::ExtractOp::create(rewriter, loc, acc, ArrayRef<int64_t>{0});
      Value result = vector::ReductionOp::create(rewriter, loc, kind, flat, acc,
                                                 arith::FastMathFlags::nnan);
      if (isa<VectorType>(reduce.getType()))
        result = vector::BroadcastOp::create(rewriter, loc, reduce.getType(),
                                             result);
      rewriter.replaceOp(reduce, result);
    }
  }

  bool avx512;
};

/// math.tanh on f32 vectors as x * P(x^2) / Q(x^2) with P of degree 5 and
/// Q of degree 3 in x^2: AccML's own fit of least maximum relative error
/// to tanh on [0, 7.9053] (a Lawson-weighted rational least-squares fit),
/// 8 FMAs where upstream's approximation takes 9 and a select of x for
/// |x| < 4e-4 (not needed here: P(0) / Q(0) = 1). x is clamped to [-c, c]
/// (NaN passes through), c = 7.913286 the first f32 at which the
/// approximation evaluates to 1 exactly. Checked for every f32 in [5, 14]
/// and on a dense grid of [0, 12]: no result exceeds 1 in magnitude (so
/// 1 + tanh(x) is 0, not negative, for large negative x: tanh-GELU), and
/// the relative error is at most 3.7e-7 (3.4e-7 with an exact division).
/// With `avx512` and a multiple of 16 lanes the division is a product with
/// the refined reciprocal (Q >= 1).
struct RationalTanh : OpRewritePattern<math::TanhOp> {
  RationalTanh(MLIRContext *context, bool avx512)
      : OpRewritePattern(context), avx512(avx512) {}

  LogicalResult matchAndRewrite(math::TanhOp op,
                                PatternRewriter &rewriter) const override {
    auto type = dyn_cast<VectorType>(op.getType());
    if (!type || !type.getElementType().isF32() || type.isScalable())
      return failure();
    Location loc = op.getLoc();
    auto splat = [&](double value) -> Value {
      return arith::ConstantOp::create(
          rewriter, loc, type,
          DenseElementsAttr::get(type, rewriter.getF32FloatAttr(value)));
    };
    // Highest degree first; coefficients of x^2.
    auto horner = [&](ArrayRef<double> coefficients, Value z) {
      Value p = splat(coefficients.front());
      for (double c : coefficients.drop_front())
        p = math::FmaOp::create(rewriter, loc, p, z, splat(c));
      return p;
    };
    Value lowest = splat(-7.913285732269287),
          highest = splat(7.913285732269287);
    Value x = op.getOperand();
    x = clampKeepingNaN(rewriter, loc, x, lowest, highest);
    Value z = arith::MulFOp::create(rewriter, loc, x, x);
    Value p = arith::MulFOp::create(
        rewriter, loc, x,
        horner({2.7458257889634297e-11, -1.6122143620123097e-08,
                1.0321046829631086e-05, 0.00303235137835145,
                0.13021838665008545, 1.0},
               z));
    Value q = horner({0.00024374184431508183, 0.024216296151280403,
                      0.46355170011520386, 1.0},
                     z);
    if (avx512 && type.getNumElements() % kVectorLanes == 0)
      rewriter.replaceOp(op, divideByRefinedReciprocal(rewriter, loc, p, q));
    else
      rewriter.replaceOpWithNewOp<arith::DivFOp>(op, p, q);
    return success();
  }

  bool avx512;
};

/// A transfer_read that reads one element and broadcasts it (every vector
/// dimension it reads from memory has size 1, the others are broadcast
/// dimensions of the permutation map) becomes memref.load + vector.broadcast.
/// Upstream's permutation-map lowering turns it into a read of a unit vector
/// and an n-D broadcast that the broadcast lowering expands element by
/// element (56 inserts for a depthwise convolution's weight per row; the
/// reads that were left over were unrolled into scalar loads through the
/// stack).
struct ScalarBroadcastRead : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferReadOp op,
                                PatternRewriter &rewriter) const override {
    if (!isa<MemRefType>(op.getBase().getType()) || op.getMask())
      return failure();
    VectorType type = op.getVectorType();
    AffineMap map = op.getPermutationMap();
    bool broadcasts = false;
    for (auto [dim, result] : llvm::enumerate(map.getResults())) {
      if (auto constant = dyn_cast<AffineConstantExpr>(result)) {
        if (constant.getValue() != 0)
          return failure();
        broadcasts |= type.getDimSize(dim) != 1;
        continue;
      }
      // Read dimensions: one element, known to be in bounds.
      if (type.getDimSize(dim) != 1 || type.getScalableDims()[dim] ||
          !op.isDimInBounds(dim))
        return failure();
    }
    if (!broadcasts)
      return failure();
    Value scalar = memref::LoadOp::create(rewriter, op.getLoc(), op.getBase(),
                                          op.getIndices());
    rewriter.replaceOpWithNewOp<vector::BroadcastOp>(op, type, scalar);
    return success();
  }
};

/// A read of an M x 1 column (the broadcast operand of a register tile:
/// the weights of mr filters, or a position-major convolution's row of OW
/// positions, strided for strided kernels) becomes M scalar loads: each
/// element is broadcast on its own anyway, and the generic lowering of a
/// 2-D read from a strided memref went through a buffer on the stack.
struct ColumnRead : OpRewritePattern<vector::TransferReadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferReadOp op,
                                PatternRewriter &rewriter) const override {
    VectorType type = op.getVectorType();
    auto memref = dyn_cast<MemRefType>(op.getBase().getType());
    if (!memref || op.getMask() || type.getRank() != 2 ||
        type.getDimSize(1) != 1 || type.isScalable() ||
        !op.getPermutationMap().isMinorIdentity() ||
        op.getPermutationMap().getNumResults() != 2 ||
        !llvm::all_of(op.getInBoundsValues(), [](bool b) { return b; }))
      return failure();
    Location loc = op.getLoc();
    SmallVector<Value> indices(op.getIndices());
    unsigned row = indices.size() - 2;
    SmallVector<Value> elements;
    for (int64_t i = 0; i < type.getDimSize(0); ++i) {
      SmallVector<Value> at(indices);
      at[row] = arith::AddIOp::create(
          rewriter, loc, indices[row],
          arith::ConstantIndexOp::create(rewriter, loc, i));
      elements.push_back(
          memref::LoadOp::create(rewriter, loc, op.getBase(), at));
    }
    rewriter.replaceOpWithNewOp<vector::FromElementsOp>(op, type, elements);
    return success();
  }
};

/// Whether `value` has the same value in every iteration of `loop`: defined
/// outside it, or computed in it by side-effect-free ops from such values.
bool isLoopInvariant(scf::ForOp loop, Value value) {
  if (loop.isDefinedOutsideOfLoop(value))
    return true;
  Operation *op = value.getDefiningOp();
  if (!op || op->getNumRegions() != 0 || !isMemoryEffectFree(op))
    return false;
  return llvm::all_of(op->getOperands(), [&](Value operand) {
    return isLoopInvariant(loop, operand);
  });
}

/// In a reduction loop that carries a vector accumulator (a register tile's
/// k loop), each read of a piece of a row that the loop walks across rows
/// with (its innermost index is loop-invariant, another index is not; the
/// rows are longer than the piece plus `distance`) is preceded by
/// prefetches of the same rows `distance` elements further, one per cache
/// line of the piece: the rows of the next register tile. A direct
/// convolution's register tile reads nr positions of each channel's row of
/// the image, one channel per iteration, rows thousands of bytes apart: no
/// hardware prefetcher follows them, and the first filter block of every
/// panel waited for each of its image loads.
void prefetchAhead(scf::ForOp loop, int64_t distance) {
  if (!llvm::any_of(loop.getRegionIterArgs(), [](BlockArgument arg) {
        return isa<VectorType>(arg.getType());
      }))
    return;
  SmallVector<vector::TransferReadOp> reads;
  for (Operation &op : loop.getBody()->without_terminator())
    if (auto read = dyn_cast<vector::TransferReadOp>(&op))
      reads.push_back(read);
  for (vector::TransferReadOp read : reads) {
    auto type = dyn_cast<MemRefType>(read.getBase().getType());
    VectorType vectorType = read.getVectorType();
    if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity() ||
        read.getIndices().empty() ||
        !read.getPermutationMap().isMinorIdentity() ||
        vectorType.getNumElements() != vectorType.getShape().back())
      continue;
    // At least the next piece of each row (a read as long as the distance
    // would prefetch itself).
    int64_t length = vectorType.getShape().back();
    int64_t ahead = std::max(distance, length);
    Value last = read.getIndices().back();
    auto variesWithLoop = [&](Value index) {
      return !isLoopInvariant(loop, index);
    };
    if (variesWithLoop(last) ||
        !llvm::any_of(read.getIndices().drop_back(), variesWithLoop) ||
        type.getShape().back() < length + ahead)
      continue;
    OpBuilder b(read);
    Location loc = read.getLoc();
    int64_t lineElements =
        64 / llvm::divideCeil(type.getElementTypeBitWidth(), 8);
    for (int64_t offset = 0; offset < length; offset += lineElements) {
      SmallVector<Value> indices(read.getIndices());
      indices.back() = arith::AddIOp::create(
          b, loc, last, arith::ConstantIndexOp::create(b, loc, ahead + offset));
      memref::PrefetchOp::create(b, loc, read.getBase(), indices,
                                 /*isWrite=*/false, /*localityHint=*/3,
                                 /*isDataCache=*/true);
    }
  }
}

/// A register tile's accumulators are read from its cache block (a
/// vector.transfer_read of 2-D rows x columns that initialises the vector
/// iter_arg of its reduction loop) when the tile starts, after the loop
/// over the previous tile's reduction: the reads waited on L2 (1024^3
/// matmul: 7% of the time). In a loop over tiles (an scf.for whose
/// induction variable is one of the read's indices as is), the next
/// tile's rows are prefetched for writing (one `memref.prefetch` per cache
/// line) before this tile's reduction loop, a whole reduction ahead.
void prefetchTileAfter(scf::ForOp reduction) {
  auto tiles = dyn_cast<scf::ForOp>(reduction->getParentOp());
  if (!tiles)
    return;
  std::optional<int64_t> step = getConstantIntValue(tiles.getStep());
  if (!step)
    return;
  Value tile = tiles.getInductionVar();
  for (Value init : reduction.getInitArgs()) {
    auto read = init.getDefiningOp<vector::TransferReadOp>();
    if (!read || read->getBlock() != reduction->getBlock() || read.getMask())
      continue;
    auto type = dyn_cast<MemRefType>(read.getBase().getType());
    VectorType vectorType = read.getVectorType();
    AffineMap map = read.getPermutationMap();
    if (!type || vectorType.getRank() != 2 || map.getNumResults() != 2 ||
        !map.isProjectedPermutation() || !type.getElementType().isF32())
      continue;
    // Rows along one dimension of the buffer, columns along its innermost,
    // contiguous one.
    auto rowDim = dyn_cast<AffineDimExpr>(map.getResult(0));
    auto columnDim = dyn_cast<AffineDimExpr>(map.getResult(1));
    int64_t rank = type.getRank();
    SmallVector<int64_t> strides;
    int64_t offset;
    if (!rowDim || !columnDim ||
        columnDim.getPosition() != unsigned(rank - 1) ||
        failed(type.getStridesAndOffset(strides, offset)) ||
        strides.back() != 1)
      continue;
    ValueRange indices = read.getIndices();
    auto tileIndex = llvm::find(indices, tile);
    if (tileIndex == indices.end())
      continue;
    OpBuilder b(reduction);
    Location loc = read.getLoc();
    auto plus = [&](Value value, int64_t amount) -> Value {
      if (amount == 0)
        return value;
      return arith::AddIOp::create(
          b, loc, value, arith::ConstantIndexOp::create(b, loc, amount));
    };
    Value next = plus(tile, *step);
    constexpr int64_t kLineFloats = 16;
    SmallVector<Value> at(indices);
    at[tileIndex - indices.begin()] = next;
    unsigned r = rowDim.getPosition();
    Value firstRow = at[r], firstColumn = at[rank - 1];
    for (int64_t row = 0; row < vectorType.getDimSize(0); ++row) {
      at[r] = plus(firstRow, row);
      for (int64_t column = 0; column < vectorType.getDimSize(1);
           column += kLineFloats) {
        at[rank - 1] = plus(firstColumn, column);
        memref::PrefetchOp::create(b, loc, read.getBase(), at,
                                   /*isWrite=*/true, /*localityHint=*/3,
                                   /*isDataCache=*/true);
      }
    }
  }
}

/// Where a vector transfer of `rows`' body addresses the row: the buffer
/// from outside the loop it reads or writes, directly or through a
/// rank-preserving unit-stride subview made in the body, and its indices in
/// that buffer; the row's induction variable must be one of those indices
/// (or subview offsets) as is.
struct RowAccess {
  Value buffer;
  SmallVector<OpFoldResult> offsets; // added to the transfer's indices
  ValueRange indices;
};

std::optional<RowAccess> getRowAccess(scf::ForallOp rows,
                                      VectorTransferOpInterface transfer) {
  Value row = rows.getInductionVar(0);
  if (!transfer.getPermutationMap().isMinorIdentity() || transfer.getMask() ||
      transfer.getIndices().size() < 2)
    return std::nullopt;
  RowAccess access;
  access.buffer = transfer.getBase();
  access.indices = transfer.getIndices();
  if (auto subview = access.buffer.getDefiningOp<memref::SubViewOp>()) {
    if (subview.getSourceType().getRank() != subview.getType().getRank() ||
        !llvm::all_of(subview.getStaticStrides(),
                      [](int64_t stride) { return stride == 1; }))
      return std::nullopt;
    access.buffer = subview.getSource();
    access.offsets = subview.getMixedOffsets();
  } else {
    access.offsets.assign(access.indices.size(),
                          OpBuilder(rows).getIndexAttr(0));
  }
  // Buffers of the function's own (its arguments and allocations outside
  // every loop): a buffer made inside an enclosing loop is a block's copy
  // that stays in L1 (the channel blocks of depthwise convolutions), where
  // prefetches only take issue slots.
  auto type = dyn_cast<MemRefType>(access.buffer.getType());
  Operation *scope = access.buffer.getParentRegion()->getParentOp();
  if (!type || !type.hasStaticShape() || !type.getLayout().isIdentity() ||
      !rows.isDefinedOutsideOfLoop(access.buffer) ||
      !isa<FunctionOpInterface>(scope))
    return std::nullopt;
  // The row index is the induction variable itself, not the innermost one.
  auto isRow = [&](int64_t dim) {
    return dyn_cast_if_present<Value>(access.offsets[dim]) == row ||
           access.indices[dim] == row;
  };
  int64_t rank = access.indices.size();
  if (!llvm::any_of(llvm::seq<int64_t>(0, rank - 1), isRow) || isRow(rank - 1))
    return std::nullopt;
  return access;
}

/// In a loop over rows (a one-dimensional scf.forall of static bounds:
/// what accml-tile-and-fuse makes of softmax, layer_norm and chains of
/// elementwise ops), the last of the body's passes over a row (its scf.for
/// loops) that reads the row of a buffer prefetches the same columns of the
/// next row, and the first that writes one prefetches the next row for
/// writing (rows that the body writes are not prefetched for reading): one
/// `memref.prefetch` per cache line. Softmax's first pass over a row waits
/// on memory while the next ones compute on L1 (exponentials), with no load
/// of the next row in flight meanwhile; and the hardware prefetchers stop
/// at each row's 4 KiB page.
void prefetchNextRow(scf::ForallOp rows) {
  if (rows.getRank() != 1)
    return;
  int64_t lower = rows.getStaticLowerBound()[0],
          upper = rows.getStaticUpperBound()[0], step = rows.getStaticStep()[0];
  if (ShapedType::isDynamic(lower) || ShapedType::isDynamic(upper) ||
      step != 1 || upper - lower < 2)
    return;
  // The transfers of each (buffer, 0 for reads or 1 for writes) in the
  // pass that prefetches for them: the last that reads, the first that
  // writes.
  llvm::MapVector<std::pair<Value, int>,
                  SmallVector<std::pair<VectorTransferOpInterface, RowAccess>>>
      chosen;
  for (Operation &op : rows.getBody()->without_terminator()) {
    auto loop = dyn_cast<scf::ForOp>(&op);
    if (!loop)
      continue;
    llvm::MapVector<
        std::pair<Value, int>,
        SmallVector<std::pair<VectorTransferOpInterface, RowAccess>>>
        pass;
    for (Operation &inner : loop.getBody()->without_terminator()) {
      auto transfer = dyn_cast<VectorTransferOpInterface>(&inner);
      if (!transfer)
        continue;
      if (std::optional<RowAccess> access = getRowAccess(rows, transfer))
        pass[{access->buffer, isa<vector::TransferWriteOp>(&inner)}].push_back(
            {transfer, *access});
    }
    for (auto &[key, transfers] : pass)
      if (key.second == 0 || !chosen.contains(key))
        chosen[key] = std::move(transfers);
  }
  Value row = rows.getInductionVar(0);
  for (auto &[key, transfers] : chosen) {
    auto [buffer, isWrite] = key;
    // A row that the body writes is read back from cache: only prefetched
    // for writing.
    if (!isWrite && chosen.contains({buffer, 1}))
      continue;
    int64_t lineElements =
        64 /
        llvm::divideCeil(
            cast<MemRefType>(buffer.getType()).getElementTypeBitWidth(), 8);
    for (auto &[transfer, access] : transfers) {
      OpBuilder b(transfer);
      Location loc = transfer.getLoc();
      // The next row; the last row again at the end.
      Value next = arith::MinUIOp::create(
          b, loc,
          arith::AddIOp::create(b, loc, row,
                                arith::ConstantIndexOp::create(b, loc, 1)),
          arith::ConstantIndexOp::create(b, loc, upper - 1));
      int64_t length = transfer.getVectorType().getShape().back();
      for (int64_t offset = 0; offset < length; offset += lineElements) {
        SmallVector<Value> indices;
        for (auto [dim, start] : llvm::enumerate(access.offsets)) {
          Value index = access.indices[dim] == row ? next : access.indices[dim];
          if (dyn_cast_if_present<Value>(start) == row)
            index = arith::AddIOp::create(b, loc, next, index);
          else if (!isConstantIntValue(start, 0))
            index = arith::AddIOp::create(
                b, loc, getValueOrCreateConstantIndexOp(b, loc, start), index);
          if (dim + 1 == access.offsets.size() && offset != 0)
            index = arith::AddIOp::create(
                b, loc, index, arith::ConstantIndexOp::create(b, loc, offset));
          indices.push_back(index);
        }
        memref::PrefetchOp::create(b, loc, buffer, indices, isWrite != 0,
                                   /*localityHint=*/3, /*isDataCache=*/true);
      }
    }
  }
}

/// For a 2-D f32 transfer that moves its vector transposed (the tiles of
/// transposing copies: vector<R x C> with R, C <= 16, read or written
/// through (.., d_b, .., d_a) -> (d_a, d_b) with d_a the innermost
/// dimension of its source or destination), the dimension d_b; nullopt
/// otherwise.
static std::optional<unsigned> transposedRowDim(VectorTransferOpInterface op) {
  VectorType type = op.getVectorType();
  auto shaped = dyn_cast<ShapedType>(op.getBase().getType());
  // (Tiles of fewer than 4 rows or columns go element by element: a
  // 16 x 16 transpose for one or two positions costs more.)
  if (!shaped || type.getRank() != 2 || type.isScalable() ||
      !type.getElementType().isF32() || type.getDimSize(0) > kVectorLanes ||
      type.getDimSize(1) > kVectorLanes || type.getDimSize(0) < 4 ||
      type.getDimSize(1) < 4 || op.getMask())
    return std::nullopt;
  AffineMap map = op.getPermutationMap();
  auto inner = dyn_cast<AffineDimExpr>(map.getResult(0));
  auto outer = dyn_cast<AffineDimExpr>(map.getResult(1));
  if (!inner || !outer ||
      inner.getPosition() != unsigned(shaped.getRank() - 1) ||
      outer.getPosition() >= inner.getPosition())
    return std::nullopt;
  return outer.getPosition();
}

/// Transposing 2-D transfers (see transposedRowDim) become one 1-D
/// transfer per contiguous row and a 16 x 16 register transpose (the
/// vector padded with poison lanes and rows, the lanes and rows that carry
/// data taken from the result), which accml-lower-vectors lowers as
/// AVX-512 shuffles. The rows of R < 16 lanes are then widened to whole
/// registers. Left to upstream's lowering, a 7 x 16 or 14 x 16 transpose
/// went element by element (a vinsertps per float).
static void splitTransposingTransfers(RewriterBase &rewriter,
                                      func::FuncOp func) {
  SmallVector<VectorTransferOpInterface> transfers;
  func.walk([&](VectorTransferOpInterface op) {
    if (transposedRowDim(op) &&
        llvm::all_of(op.getInBoundsValues(), [](bool b) { return b; }))
      transfers.push_back(op);
  });
  Type f32 = rewriter.getF32Type();
  auto square = VectorType::get({kVectorLanes, kVectorLanes}, f32);
  for (VectorTransferOpInterface op : transfers) {
    unsigned rowDim = *transposedRowDim(op);
    VectorType type = op.getVectorType();
    int64_t rows = type.getDimSize(0), columns = type.getDimSize(1);
    Location loc = op.getLoc();
    rewriter.setInsertionPoint(op);
    // The indices of row j of the source or destination (d_b + j).
    auto rowIndices = [&](int64_t j) {
      SmallVector<Value> indices(op.getIndices());
      indices[rowDim] = arith::AddIOp::create(
          rewriter, loc, indices[rowDim],
          arith::ConstantIndexOp::create(rewriter, loc, j));
      return indices;
    };
    // Rows of fewer than 16 lanes move whole registers: read unmasked when
    // the register stays inside the row's dimension, masked otherwise;
    // written masked. (LLVM splits a 7- or 14-lane access into pieces.)
    auto rowType = VectorType::get({kVectorLanes}, f32);
    // Whether a 16-lane row of `transfer` stays inside its source's or
    // destination's innermost dimension.
    auto rowInBounds = [&](VectorTransferOpInterface transfer) {
      auto shaped = cast<ShapedType>(transfer.getBase().getType());
      int64_t size = shaped.getShape().back();
      std::optional<int64_t> start =
          getConstantIntValue(transfer.getIndices().back());
      return rows == kVectorLanes || (!ShapedType::isDynamic(size) && start &&
                                      *start + kVectorLanes <= size);
    };
    if (auto read = dyn_cast<vector::TransferReadOp>(op.getOperation())) {
      bool inBounds = rowInBounds(op);
      // Row j of memory is column j of the vector.
      Value padded = ub::PoisonOp::create(rewriter, loc, square);
      for (int64_t j = 0; j < columns; ++j) {
        Value row = vector::TransferReadOp::create(
            rewriter, loc, rowType, read.getBase(), rowIndices(j),
            read.getPadding(), ArrayRef<bool>{inBounds});
        padded = vector::InsertOp::create(rewriter, loc, row, padded,
                                          ArrayRef<int64_t>{j});
      }
      Value transposed = vector::TransposeOp::create(rewriter, loc, padded,
                                                     ArrayRef<int64_t>{1, 0});
      rewriter.replaceOpWithNewOp<vector::ExtractStridedSliceOp>(
          read, transposed, ArrayRef<int64_t>{0, 0},
          ArrayRef<int64_t>{rows, columns}, ArrayRef<int64_t>{1, 1});
      continue;
    }
    auto write = cast<vector::TransferWriteOp>(op.getOperation());
    Value padded = vector::InsertStridedSliceOp::create(
        rewriter, loc, write.getVector(),
        ub::PoisonOp::create(rewriter, loc, square), ArrayRef<int64_t>{0, 0},
        ArrayRef<int64_t>{1, 1});
    Value transposed = vector::TransposeOp::create(rewriter, loc, padded,
                                                   ArrayRef<int64_t>{1, 0});
    Value mask;
    if (rows < kVectorLanes)
      mask = vector::ConstantMaskOp::create(
          rewriter, loc, VectorType::get({kVectorLanes}, rewriter.getI1Type()),
          ArrayRef<int64_t>{rows});
    // (In bounds only when the whole register stays inside the row's
    // dimension; the mask keeps the lanes past the row's end unwritten.)
    bool writeInBounds = rowInBounds(op);
    Value base = write.getBase();
    bool onTensor = isa<RankedTensorType>(base.getType());
    for (int64_t j = 0; j < columns; ++j) {
      Value row = vector::ExtractOp::create(rewriter, loc, transposed,
                                            ArrayRef<int64_t>{j});
      auto rowWrite = vector::TransferWriteOp::create(
          rewriter, loc, row, base, rowIndices(j),
          AffineMapAttr::get(AffineMap::getMinorIdentityMap(
              cast<ShapedType>(base.getType()).getRank(), 1,
              rewriter.getContext())),
          mask, rewriter.getBoolArrayAttr({writeInBounds}));
      if (onTensor)
        base = rowWrite.getResult();
    }
    if (onTensor)
      rewriter.replaceOp(write, base);
    else
      rewriter.eraseOp(write);
  }
}

struct AccmlLowerVectorsPass
    : accml::impl::AccmlLowerVectorsPassBase<AccmlLowerVectorsPass> {
  using AccmlLowerVectorsPassBase::AccmlLowerVectorsPassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *context = &getContext();
    // Vector math as polynomials (vectorised code would otherwise call libm
    // once per element); scalar math keeps calling libm.
    {
      if (avx512) {
        SmallVector<Operation *> exps;
        func.walk([&](math::ExpOp op) { exps.push_back(op); });
        RewritePatternSet patterns(context);
        patterns.add<AVX512Exp>(context);
        (void)applyOpPatternsGreedily(exps, std::move(patterns));
      }
      {
        RewritePatternSet patterns(context);
        patterns.add<NumReduction<arith::MaxNumFOp, arith::CmpFPredicate::OGT>,
                     NumReduction<arith::MinNumFOp, arith::CmpFPredicate::OLT>>(
            context, avx512);
        SmallVector<Operation *> reductions;
        func.walk([&](Operation *op) {
          if (isa<arith::MaxNumFOp, arith::MinNumFOp>(op))
            reductions.push_back(op);
        });
        (void)applyOpPatternsGreedily(reductions, std::move(patterns));
      }
      {
        SmallVector<Operation *> tanhs;
        func.walk([&](math::TanhOp op) { tanhs.push_back(op); });
        RewritePatternSet patterns(context);
        patterns.add<RationalTanh>(context, avx512 && divideByReciprocal);
        (void)applyOpPatternsGreedily(tanhs, std::move(patterns));
      }
      // The approximations with positive divisors first, so that their
      // divisions (those not there before) can become reciprocals.
      auto approximate = [&](ArrayRef<StringLiteral> names) {
        SmallVector<Operation *> vectorMath;
        func.walk([&](Operation *op) {
          if (op->getDialect() && op->getDialect()->getNamespace() == "math" &&
              op->getNumResults() == 1 &&
              isa<VectorType>(op->getResult(0).getType()) &&
              llvm::is_contained(names, op->getName().stripDialect()))
            vectorMath.push_back(op);
        });
        RewritePatternSet patterns(context);
        // The predicate sees names with or without the dialect prefix.
        populateMathPolynomialApproximationPatterns(
            patterns, [names](StringRef name) {
              name.consume_front("math.");
              return llvm::is_contained(names, name);
            });
        (void)applyOpPatternsGreedily(vectorMath, std::move(patterns));
      };
      DenseSet<Operation *> divisions;
      func.walk([&](arith::DivFOp op) { divisions.insert(op); });
      approximate(kPositiveDivisorMath);
      if (avx512 && divideByReciprocal)
        func.walk([&](arith::DivFOp op) {
          auto type = dyn_cast<VectorType>(op.getType());
          if (divisions.contains(op) || !type ||
              !type.getElementType().isF32() || type.isScalable() ||
              type.getNumElements() % kVectorLanes != 0)
            return;
          OpBuilder b(op);
          op.replaceAllUsesWith(divideByRefinedReciprocal(
              b, op.getLoc(), op.getLhs(), op.getRhs()));
          op.erase();
        });
      approximate(kApproximatedMath);
    }
    if (prefetchDistance > 0)
      func.walk(
          [&](scf::ForOp loop) { prefetchAhead(loop, prefetchDistance); });
    if (prefetchNextRows)
      func.walk([&](scf::ForallOp rows) { prefetchNextRow(rows); });
    if (prefetchNextTile)
      func.walk([&](scf::ForOp loop) {
        if (llvm::any_of(loop.getRegionIterArgs(), [](BlockArgument arg) {
              return isa<VectorType>(arg.getType());
            }))
          prefetchTileAfter(loop);
      });
    // 16 x 16 f32 transposes (the tiles of copy-outs to NCHW) as AVX-512
    // shuffles; the others element by element below (the shuffle lowering's
    // fallback for other shapes, one 1-D shuffle of the whole flattened
    // tile, made LLVM emit code 2.5x slower than the whole convolution).
    {
      IRRewriter rewriter(context);
      splitTransposingTransfers(rewriter, func);
      SmallVector<Operation *> transposingTransfers;
      func.walk([&](Operation *op) {
        if (auto read = dyn_cast<vector::TransferReadOp>(op);
            read && read.getVectorType().getRank() == 2 &&
            !read.getPermutationMap().isMinorIdentity())
          transposingTransfers.push_back(op);
        if (auto write = dyn_cast<vector::TransferWriteOp>(op);
            write && write.getVectorType().getRank() == 2 &&
            write.getPermutationMap().isPermutation() &&
            !write.getPermutationMap().isMinorIdentity())
          transposingTransfers.push_back(op);
      });
      RewritePatternSet transferPatterns(context);
      vector::populateVectorTransferPermutationMapLoweringPatterns(
          transferPatterns);
      (void)applyOpPatternsGreedily(transposingTransfers,
                                    std::move(transferPatterns));
      SmallVector<Operation *> squares;
      func.walk([&](vector::TransposeOp op) {
        VectorType type = op.getSourceVectorType();
        if (type.getRank() == 2 && type.getDimSize(0) == 16 &&
            type.getDimSize(1) == 16 && type.getElementType().isF32())
          squares.push_back(op);
      });
      // Each square's rows pass through an empty inline asm on the way in
      // and out: LLVM then cannot see which lanes are poison (the padding
      // rows of a 14 x 16 tile) or unused (its 14 columns written), which
      // it exploited to rewrite the 64 shuffles into a longer sequence of
      // permutes whose index vectors it spilled (a 3x3 depthwise layer on
      // 14 x 14 images ran 1.6x slower than without the transposes).
      // (Only with AVX-512: the asm's "v" operands are 512-bit registers.)
      for (Operation *&op : squares) {
        if (!avx512)
          break;
        auto transpose = cast<vector::TransposeOp>(op);
        OpBuilder b(transpose);
        Location loc = transpose.getLoc();
        VectorType type = transpose.getSourceVectorType();
        auto opaqueRows = [&](Value matrix) {
          Value result = ub::PoisonOp::create(b, loc, type);
          for (int64_t i = 0; i < type.getDimSize(0); ++i) {
            Value row =
                vector::ExtractOp::create(b, loc, matrix, ArrayRef<int64_t>{i});
            row = LLVM::InlineAsmOp::create(
                      b, loc, row.getType(), ValueRange{row}, "", "=v,0",
                      /*has_side_effects=*/false, /*is_align_stack=*/false,
                      LLVM::tailcallkind::TailCallKind::None,
                      LLVM::AsmDialectAttr(), ArrayAttr())
                      .getResult(0);
            result = vector::InsertOp::create(b, loc, row, result,
                                              ArrayRef<int64_t>{i});
          }
          return result;
        };
        auto opaque = vector::TransposeOp::create(
            b, loc, opaqueRows(transpose.getVector()),
            transpose.getPermutation());
        Value out = opaqueRows(opaque.getResult());
        transpose.getResult().replaceAllUsesWith(out);
        transpose.erase();
        op = opaque;
      }
      RewritePatternSet patterns(context);
      vector::populateVectorTransposeLoweringPatterns(
          patterns, vector::VectorTransposeLowering::Shuffle16x16);
      (void)applyOpPatternsGreedily(squares, std::move(patterns));
    }
    // A whole contiguous buffer read flat by vector reads (accml-pack's
    // flat and strided depthwise convolutions): a reinterpret_cast, not a
    // collapse_shape, whose reads the alias folding below would rewrite
    // into the source's indices with a division and a remainder per
    // dimension (the flat index's delinearisation took most of a 7 x 7
    // depthwise convolution's time).
    func.walk([](memref::CollapseShapeOp collapse) {
      MemRefType source = collapse.getSrcType();
      MemRefType type = collapse.getResultType();
      if (type.getRank() != 1 || !source.hasStaticShape() ||
          !source.getLayout().isIdentity() || !type.getLayout().isIdentity() ||
          !llvm::any_of(collapse->getUsers(), [](Operation *user) {
            return isa<vector::TransferReadOp>(user);
          }))
        return;
      OpBuilder b(collapse);
      auto cast = memref::ReinterpretCastOp::create(
          b, collapse.getLoc(), type, collapse.getSrc(), /*offset=*/0,
          /*sizes=*/ArrayRef<int64_t>{type.getDimSize(0)},
          /*strides=*/ArrayRef<int64_t>{1});
      collapse.getResult().replaceAllUsesWith(cast.getResult());
      collapse.erase();
    });
    {
      RewritePatternSet patterns(context);
      patterns.add<ScalarBroadcastRead, ColumnRead>(context, /*benefit=*/2);
      memref::populateFoldMemRefAliasOpPatterns(patterns);
      vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
      vector::populateVectorContractLoweringPatterns(
          patterns, vector::VectorContractLowering::OuterProduct);
      vector::populateVectorOuterProductLoweringPatterns(patterns);
      // Row reductions become vector.reduction, which LLVM reduces as a
      // tree of vector operations (reassociated, see accml-cpu-pipeline).
      vector::populateVectorMultiReductionLoweringPatterns(
          patterns, vector::VectorMultiReductionLowering::InnerReduction);
      vector::populateVectorTransposeLoweringPatterns(
          patterns, vector::VectorTransposeLowering::EltWise);
      vector::populateVectorBroadcastLoweringPatterns(patterns);
      vector::populateVectorShapeCastLoweringPatterns(patterns);
      vector::populateVectorTransferLoweringPatterns(patterns,
                                                     /*maxTransferRank=*/1);
      // Not converging within the iteration limit is not an error: the
      // remaining ops are still legal vector ops.
      (void)applyPatternsGreedily(func, std::move(patterns));
    }
  }
};

} // namespace
