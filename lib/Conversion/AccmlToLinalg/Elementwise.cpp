//===- Elementwise.cpp - Lower accml elementwise ops to linalg ------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Every elementwise accml op becomes one all-parallel linalg.generic whose
// indexing maps implement numpy broadcasting and whose body is the scalar
// computation below. Elementwise fusion later merges chains of them.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"

#include <functional>

using namespace mlir;
using namespace accml;
using namespace accml::lowering;

namespace {

/// Computes one result element from the operands' elements, for `op`.
using ScalarFn =
    std::function<Value(OpBuilder &, Location, ValueRange, Operation *op)>;

template <typename OpTy>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  ElementwiseLowering(MLIRContext *context, ScalarFn fn)
      : OpConversionPattern<OpTy>(context), fn(std::move(fn)) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), resultType, adaptor.getOperands(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return fn(b, loc, args, op.getOperation());
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  ScalarFn fn;
};

Value createCompare(OpBuilder &b, Location loc, Value lhs, Value rhs,
                    arith::CmpFPredicate floatPredicate,
                    arith::CmpIPredicate intPredicate) {
  if (isa<FloatType>(lhs.getType()))
    return arith::CmpFOp::create(b, loc, floatPredicate, lhs, rhs);
  return arith::CmpIOp::create(b, loc, intPredicate, lhs, rhs);
}

/// 1 / (1 + e^-x)
Value createSigmoid(OpBuilder &b, Location loc, Value x) {
  Type type = x.getType();
  Value one = createScalar(b, loc, type, 1.0);
  Value negated = arith::NegFOp::create(b, loc, x);
  Value exp = math::ExpOp::create(b, loc, negated);
  Value denominator = arith::AddFOp::create(b, loc, one, exp);
  return arith::DivFOp::create(b, loc, one, denominator);
}

/// max(0, min(1, alpha * x + beta))
Value createHardSigmoid(OpBuilder &b, Location loc, Value x, double alpha,
                        double beta) {
  Type type = x.getType();
  Value linear = arith::AddFOp::create(
      b, loc,
      arith::MulFOp::create(b, loc, createScalar(b, loc, type, alpha), x),
      createScalar(b, loc, type, beta));
  Value upper = arith::MinimumFOp::create(b, loc, linear,
                                          createScalar(b, loc, type, 1.0));
  return arith::MaximumFOp::create(b, loc, upper,
                                   createScalar(b, loc, type, 0.0));
}

/// An integer clamp bound: rounded inwards and saturated, as the folder does.
Value createIntBound(OpBuilder &b, Location loc, Type type, APFloat bound,
                     bool isLow) {
  unsigned width = type.getIntOrFloatBitWidth();
  APSInt result(width, /*isUnsigned=*/false);
  bool isExact;
  (void)bound.convertToInteger(
      result, isLow ? APFloat::rmTowardPositive : APFloat::rmTowardNegative,
      &isExact);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, result));
}

double toDouble(APFloat value) { return value.convertToDouble(); }

} // namespace

void lowering::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  auto add = [&](auto tag, ScalarFn fn) {
    using OpTy = typename decltype(tag)::type;
    patterns.add<ElementwiseLowering<OpTy>>(context, std::move(fn));
  };
  auto unaryFloat = [&](auto tag, auto build) {
    add(tag,
        [build](OpBuilder &b, Location loc, ValueRange args,
                Operation *) -> Value { return build(b, loc, args[0]); });
  };
  using llvm::type_identity;

  // Binary arithmetic.
  add(type_identity<AddOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) {
        return createAdd(b, loc, a[0], a[1]);
      });
  add(type_identity<SubOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) {
        return createSub(b, loc, a[0], a[1]);
      });
  add(type_identity<MulOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) {
        return createMul(b, loc, a[0], a[1]);
      });
  add(type_identity<DivOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) {
        return createDiv(b, loc, a[0], a[1]);
      });
  add(type_identity<PowOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) -> Value {
        return math::PowFOp::create(b, loc, a[0], a[1]);
      });
  add(type_identity<MaxOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) {
        return createMax(b, loc, a[0], a[1]);
      });
  add(type_identity<MinOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) {
        return createMin(b, loc, a[0], a[1]);
      });

  // Comparisons and selection.
  add(type_identity<EqualOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) {
        return createCompare(b, loc, a[0], a[1], arith::CmpFPredicate::OEQ,
                             arith::CmpIPredicate::eq);
      });
  add(type_identity<LessOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) {
        return createCompare(b, loc, a[0], a[1], arith::CmpFPredicate::OLT,
                             arith::CmpIPredicate::slt);
      });
  add(type_identity<GreaterOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) {
        return createCompare(b, loc, a[0], a[1], arith::CmpFPredicate::OGT,
                             arith::CmpIPredicate::sgt);
      });
  add(type_identity<WhereOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) -> Value {
        return arith::SelectOp::create(b, loc, a[0], a[1], a[2]);
      });

  // Unary functions.
  add(type_identity<NegOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) -> Value {
        if (isa<FloatType>(a[0].getType()))
          return arith::NegFOp::create(b, loc, a[0]);
        return arith::SubIOp::create(
            b, loc, createScalar(b, loc, a[0].getType(), 0.0), a[0]);
      });
  add(type_identity<AbsOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) -> Value {
        if (isa<FloatType>(a[0].getType()))
          return math::AbsFOp::create(b, loc, a[0]);
        return math::AbsIOp::create(b, loc, a[0]);
      });
  unaryFloat(type_identity<ExpOp>(), [](OpBuilder &b, Location loc, Value x) {
    return math::ExpOp::create(b, loc, x).getResult();
  });
  unaryFloat(type_identity<LogOp>(), [](OpBuilder &b, Location loc, Value x) {
    return math::LogOp::create(b, loc, x).getResult();
  });
  unaryFloat(type_identity<SqrtOp>(), [](OpBuilder &b, Location loc, Value x) {
    return math::SqrtOp::create(b, loc, x).getResult();
  });
  unaryFloat(type_identity<RsqrtOp>(), [](OpBuilder &b, Location loc, Value x) {
    return math::RsqrtOp::create(b, loc, x).getResult();
  });
  unaryFloat(type_identity<ReciprocalOp>(),
             [](OpBuilder &b, Location loc, Value x) {
               return arith::DivFOp::create(
                          b, loc, createScalar(b, loc, x.getType(), 1.0), x)
                   .getResult();
             });
  unaryFloat(type_identity<TanhOp>(), [](OpBuilder &b, Location loc, Value x) {
    return math::TanhOp::create(b, loc, x).getResult();
  });
  unaryFloat(type_identity<ErfOp>(), [](OpBuilder &b, Location loc, Value x) {
    return math::ErfOp::create(b, loc, x).getResult();
  });
  unaryFloat(type_identity<SigmoidOp>(), createSigmoid);
  unaryFloat(type_identity<SiluOp>(), [](OpBuilder &b, Location loc, Value x) {
    return arith::MulFOp::create(b, loc, x, createSigmoid(b, loc, x))
        .getResult();
  });
  add(type_identity<ReluOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *) {
        return createMax(b, loc, a[0], createScalar(b, loc, a[0].getType(), 0));
      });
  add(type_identity<LeakyReluOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *op) -> Value {
        Value x = a[0];
        double alpha = toDouble(cast<LeakyReluOp>(op).getAlpha());
        Value scaled = arith::MulFOp::create(
            b, loc, createScalar(b, loc, x.getType(), alpha), x);
        Value positive =
            arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x,
                                  createScalar(b, loc, x.getType(), 0.0));
        return arith::SelectOp::create(b, loc, positive, x, scaled);
      });
  add(type_identity<EluOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *op) -> Value {
        Value x = a[0];
        Type type = x.getType();
        double alpha = toDouble(cast<EluOp>(op).getAlpha());
        Value expm1 =
            arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x),
                                  createScalar(b, loc, type, 1.0));
        Value negative = arith::MulFOp::create(
            b, loc, createScalar(b, loc, type, alpha), expm1);
        Value positive =
            arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                  createScalar(b, loc, type, 0.0));
        return arith::SelectOp::create(b, loc, positive, x, negative);
      });
  add(type_identity<GeluOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *op) -> Value {
        Value x = a[0];
        Type type = x.getType();
        Value inner;
        if (cast<GeluOp>(op).getApproximate() == "tanh") {
          // tanh(sqrt(2 / pi) * (x + 0.044715 x^3))
          Value cube = arith::MulFOp::create(
              b, loc, x, arith::MulFOp::create(b, loc, x, x));
          Value poly = arith::AddFOp::create(
              b, loc, x,
              arith::MulFOp::create(
                  b, loc, createScalar(b, loc, type, 0.044715), cube));
          inner = math::TanhOp::create(
              b, loc,
              arith::MulFOp::create(
                  b, loc, createScalar(b, loc, type, 0.7978845608028654),
                  poly));
        } else {
          // erf(x / sqrt(2))
          inner = math::ErfOp::create(
              b, loc,
              arith::MulFOp::create(
                  b, loc, createScalar(b, loc, type, 0.7071067811865476), x));
        }
        Value onePlus = arith::AddFOp::create(
            b, loc, createScalar(b, loc, type, 1.0), inner);
        Value half =
            arith::MulFOp::create(b, loc, createScalar(b, loc, type, 0.5), x);
        return arith::MulFOp::create(b, loc, half, onePlus);
      });
  add(type_identity<HardSigmoidOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *op) {
        auto hs = cast<HardSigmoidOp>(op);
        return createHardSigmoid(b, loc, a[0], toDouble(hs.getAlpha()),
                                 toDouble(hs.getBeta()));
      });
  unaryFloat(type_identity<HardSwishOp>(), [](OpBuilder &b, Location loc,
                                              Value x) {
    return arith::MulFOp::create(b, loc, x,
                                 createHardSigmoid(b, loc, x, 1.0 / 6.0, 0.5))
        .getResult();
  });
  add(type_identity<ClampOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *op) -> Value {
        auto clamp = cast<ClampOp>(op);
        Value x = a[0];
        Type type = x.getType();
        bool isFloat = isa<FloatType>(type);
        // ONNX Clip: min first, then max (min > max gives max). NaN bounds
        // do not clamp.
        auto bound = [&](std::optional<APFloat> value, bool isLow) -> Value {
          if (!value || value->isNaN())
            return nullptr;
          if (isFloat)
            return createScalar(b, loc, type, value->convertToDouble());
          return createIntBound(b, loc, type, *value, isLow);
        };
        if (Value low = bound(clamp.getMin(), /*isLow=*/true))
          x = createMax(b, loc, x, low);
        if (Value high = bound(clamp.getMax(), /*isLow=*/false))
          x = createMin(b, loc, x, high);
        return x;
      });
  add(type_identity<CastOp>(),
      [](OpBuilder &b, Location loc, ValueRange a, Operation *op) {
        Type to =
            cast<RankedTensorType>(op->getResult(0).getType()).getElementType();
        return createCast(b, loc, a[0], to);
      });
}
