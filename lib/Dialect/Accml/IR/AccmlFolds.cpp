//===- AccmlFolds.cpp - Folders of the accml ops --------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Folders: algebraic identities (x + 0, x * 1, a reshape to the same type,
// ...) and constant folding of elementwise and shape ops on small dense
// constants. Dense resources (large weights) are never folded: folding would
// copy them.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/IR/AccmlOps.h"
#include "accml/Dialect/Accml/IR/ShapeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/APSInt.h"

#include <cmath>

using namespace mlir;
using namespace accml;

/// Constants with more elements than this are not folded: folding copies
/// them, and large tensors are weights that the lowering reads in place.
static constexpr int64_t kMaxFoldedElements = 1 << 16;

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

namespace {

/// The dense constant `attr` if it is small enough to fold, else null.
DenseElementsAttr getFoldable(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.getType().hasStaticShape())
    return nullptr;
  if (!dense.isSplat() && dense.getNumElements() > kMaxFoldedElements)
    return nullptr;
  return dense;
}

/// Whether a result of `type` is small and static enough to materialise.
bool canMaterialize(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && tensor.hasStaticShape() &&
         tensor.getNumElements() <= kMaxFoldedElements;
}

double toDouble(const APFloat &value) {
  APFloat copy = value;
  bool losesInfo;
  copy.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &losesInfo);
  return copy.convertToDouble();
}

/// Whether `attr` is a splat constant equal to `value`.
bool isSplatOf(Attribute attr, int64_t value) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  Type element = dense.getElementType();
  if (isa<FloatType>(element))
    return toDouble(dense.getSplatValue<APFloat>()) ==
           static_cast<double>(value);
  if (element.isInteger(1))
    return value == 0 ? !dense.getSplatValue<bool>()
                      : value == 1 && dense.getSplatValue<bool>();
  return dense.getSplatValue<APInt>().getSExtValue() == value;
}

/// Row-major strides of `shape`.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Calls `fn(resultIndex, multiIndex)` for every element of `shape`.
template <typename Fn>
void forEachIndex(ArrayRef<int64_t> shape, Fn fn) {
  int64_t count = ShapedType::getNumElements(shape);
  SmallVector<int64_t> index(shape.size(), 0);
  for (int64_t linear = 0; linear < count; ++linear) {
    fn(linear, ArrayRef<int64_t>(index));
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

/// For every element of `resultShape`, the linear index of the element of an
/// operand of `shape` that broadcasts to it (numpy rules).
SmallVector<int64_t> broadcastSourceIndices(ArrayRef<int64_t> shape,
                                            ArrayRef<int64_t> resultShape) {
  SmallVector<int64_t> strides = stridesOf(shape);
  size_t offset = resultShape.size() - shape.size();
  SmallVector<int64_t> result;
  result.reserve(ShapedType::getNumElements(resultShape));
  forEachIndex(resultShape, [&](int64_t, ArrayRef<int64_t> index) {
    int64_t source = 0;
    for (size_t d = 0; d < shape.size(); ++d)
      if (shape[d] != 1)
        source += index[offset + d] * strides[d];
    result.push_back(source);
  });
  return result;
}

/// The elements of a foldable constant by linear index, without expanding a
/// splat (which may be arbitrarily large).
class ElementValues {
public:
  explicit ElementValues(DenseElementsAttr attr) : splat(attr.isSplat()) {
    if (splat)
      values.push_back(attr.getSplatValue<Attribute>());
    else
      values = llvm::to_vector(attr.getValues<Attribute>());
  }
  Attribute operator[](int64_t i) const { return values[splat ? 0 : i]; }

private:
  bool splat;
  SmallVector<Attribute> values;
};

/// A new constant of `type` whose element `i` is element `indices[i]` of
/// `source`.
DenseElementsAttr gatherElements(DenseElementsAttr source,
                                 ArrayRef<int64_t> indices,
                                 RankedTensorType type) {
  if (source.isSplat())
    return DenseElementsAttr::get(type, source.getSplatValue<Attribute>());
  ElementValues values(source);
  SmallVector<Attribute> result;
  result.reserve(indices.size());
  for (int64_t i : indices)
    result.push_back(values[i]);
  return DenseElementsAttr::get(type, result);
}

/// `value` rounded with `mode` to a signed integer of `width` bits, saturated
/// to its range.
APInt toSaturatedInt(const APFloat &value, unsigned width,
                     APFloat::roundingMode mode) {
  APSInt result(width, /*isUnsigned=*/false);
  bool isExact;
  // convertToInteger saturates out-of-range values.
  (void)value.convertToInteger(result, mode, &isExact);
  return result;
}

/// Rounds `value` to the float semantics of `type`.
APFloat toFloat(double value, FloatType type) {
  APFloat result(value);
  bool losesInfo;
  result.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                 &losesInfo);
  return result;
}

/// Folds an elementwise binary op on two constants with broadcasting. `fn`
/// maps (lhs, rhs) values given as `Attribute`s of the operand element type
/// to the result element attribute, or null to give up.
template <typename Fn>
Attribute foldBinaryConstants(ArrayRef<Attribute> operands, Type resultType,
                              Fn fn) {
  DenseElementsAttr lhs = getFoldable(operands[0]);
  DenseElementsAttr rhs = getFoldable(operands[1]);
  auto type = dyn_cast<RankedTensorType>(resultType);
  if (!lhs || !rhs || !type || !type.hasStaticShape() ||
      type.getNumElements() == 0 ||
      (!(lhs.isSplat() && rhs.isSplat()) && !canMaterialize(type)))
    return nullptr;
  if (lhs.isSplat() && rhs.isSplat()) {
    Attribute value =
        fn(lhs.getSplatValue<Attribute>(), rhs.getSplatValue<Attribute>());
    return value ? DenseElementsAttr::get(type, value) : nullptr;
  }
  ElementValues lhsValues(lhs), rhsValues(rhs);
  SmallVector<int64_t> lhsIndex =
      broadcastSourceIndices(lhs.getType().getShape(), type.getShape());
  SmallVector<int64_t> rhsIndex =
      broadcastSourceIndices(rhs.getType().getShape(), type.getShape());
  SmallVector<Attribute> result;
  result.reserve(lhsIndex.size());
  for (auto [l, r] : llvm::zip(lhsIndex, rhsIndex)) {
    Attribute value = fn(lhsValues[l], rhsValues[r]);
    if (!value)
      return nullptr;
    result.push_back(value);
  }
  return DenseElementsAttr::get(type, result);
}

/// Folds an arithmetic binary op: `floatFn` on doubles for float element
/// types (rounded back), `intFn` on APInts for integer ones (std::nullopt
/// gives up, e.g. on division by zero).
template <typename FloatFn, typename IntFn>
Attribute foldArith(ArrayRef<Attribute> operands, Type resultType,
                    FloatFn floatFn, IntFn intFn) {
  return foldBinaryConstants(
      operands, resultType, [&](Attribute a, Attribute b) -> Attribute {
        if (auto fa = dyn_cast<FloatAttr>(a)) {
          auto fb = cast<FloatAttr>(b);
          auto type = cast<FloatType>(fa.getType());
          return FloatAttr::get(type, toFloat(floatFn(toDouble(fa.getValue()),
                                                      toDouble(fb.getValue())),
                                              type));
        }
        auto ia = cast<IntegerAttr>(a), ib = cast<IntegerAttr>(b);
        std::optional<APInt> value = intFn(ia.getValue(), ib.getValue());
        if (!value)
          return nullptr;
        return IntegerAttr::get(ia.getType(), *value);
      });
}

/// Folds a comparison to an i1 constant.
template <typename Pred>
Attribute foldCompare(ArrayRef<Attribute> operands, Type resultType,
                      Pred pred) {
  Builder builder(resultType.getContext());
  return foldBinaryConstants(
      operands, resultType, [&](Attribute a, Attribute b) -> Attribute {
        int order; // -1, 0, 1; 2 for unordered (NaN).
        if (auto fa = dyn_cast<FloatAttr>(a)) {
          APFloat::cmpResult c =
              fa.getValue().compare(cast<FloatAttr>(b).getValue());
          order = c == APFloat::cmpLessThan      ? -1
                  : c == APFloat::cmpEqual       ? 0
                  : c == APFloat::cmpGreaterThan ? 1
                                                 : 2;
        } else {
          APInt ia = cast<IntegerAttr>(a).getValue();
          APInt ib = cast<IntegerAttr>(b).getValue();
          bool isBool = ia.getBitWidth() == 1;
          bool less = isBool ? ia.ult(ib) : ia.slt(ib);
          order = ia == ib ? 0 : less ? -1 : 1;
        }
        return builder.getBoolAttr(pred(order));
      });
}

/// Folds a float unary op computed in double precision.
template <typename Fn>
Attribute foldUnaryFloat(Attribute operand, Type resultType, Fn fn) {
  DenseElementsAttr input = getFoldable(operand);
  if (!input || !isa<FloatType>(input.getElementType()))
    return nullptr;
  auto type = cast<RankedTensorType>(resultType);
  auto elementType = cast<FloatType>(type.getElementType());
  auto apply = [&](const APFloat &v) {
    return toFloat(fn(toDouble(v)), elementType);
  };
  if (input.isSplat())
    return DenseElementsAttr::get(type, apply(input.getSplatValue<APFloat>()));
  SmallVector<APFloat> values;
  for (const APFloat &v : input.getValues<APFloat>())
    values.push_back(apply(v));
  return DenseElementsAttr::get(type, values);
}

/// Folds a unary op with a float function and an integer function.
template <typename FloatFn, typename IntFn>
Attribute foldUnaryNumeric(Attribute operand, Type resultType, FloatFn floatFn,
                           IntFn intFn) {
  DenseElementsAttr input = getFoldable(operand);
  if (!input)
    return nullptr;
  if (isa<FloatType>(input.getElementType()))
    return foldUnaryFloat(operand, resultType, floatFn);
  auto type = cast<RankedTensorType>(resultType);
  if (input.isSplat())
    return DenseElementsAttr::get(type, intFn(input.getSplatValue<APInt>()));
  SmallVector<APInt> values;
  for (const APInt &v : input.getValues<APInt>())
    values.push_back(intFn(v));
  return DenseElementsAttr::get(type, values);
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

double hardSigmoid(double x, double alpha, double beta) {
  return std::max(0.0, std::min(1.0, alpha * x + beta));
}

/// Returns `value` if it has exactly `type` (a fold may not change types).
OpFoldResult ifSameType(Value value, Type type) {
  return value.getType() == type ? OpFoldResult(value) : OpFoldResult();
}

} // namespace

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Elementwise binary ops
//===----------------------------------------------------------------------===//

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0))
    if (OpFoldResult r = ifSameType(getLhs(), getType()))
      return r;
  if (isSplatOf(adaptor.getLhs(), 0))
    if (OpFoldResult r = ifSameType(getRhs(), getType()))
      return r;
  return foldArith(
      adaptor.getOperands(), getType(),
      [](double a, double b) { return a + b; },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a + b;
      });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 0))
    if (OpFoldResult r = ifSameType(getLhs(), getType()))
      return r;
  return foldArith(
      adaptor.getOperands(), getType(),
      [](double a, double b) { return a - b; },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a - b;
      });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    if (OpFoldResult r = ifSameType(getLhs(), getType()))
      return r;
  if (isSplatOf(adaptor.getLhs(), 1))
    if (OpFoldResult r = ifSameType(getRhs(), getType()))
      return r;
  return foldArith(
      adaptor.getOperands(), getType(),
      [](double a, double b) { return a * b; },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a * b;
      });
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    if (OpFoldResult r = ifSameType(getLhs(), getType()))
      return r;
  return foldArith(
      adaptor.getOperands(), getType(),
      [](double a, double b) { return a / b; },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        // Division by zero and INT_MIN / -1 are left to run time.
        if (b.isZero() || (a.isMinSignedValue() && b.isAllOnes()))
          return std::nullopt;
        return a.sdiv(b);
      });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  if (isSplatOf(adaptor.getRhs(), 1))
    if (OpFoldResult r = ifSameType(getLhs(), getType()))
      return r;
  return foldArith(
      adaptor.getOperands(), getType(),
      [](double a, double b) { return std::pow(a, b); },
      [](const APInt &, const APInt &) -> std::optional<APInt> {
        return std::nullopt;
      });
}

/// max and min: NaN propagates, as in numpy.
template <bool isMax>
static Attribute foldMinMax(ArrayRef<Attribute> operands, Type type) {
  return foldArith(
      operands, type,
      [](double a, double b) {
        if (std::isnan(a) || std::isnan(b))
          return std::nan("");
        return isMax ? std::max(a, b) : std::min(a, b);
      },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return isMax ? (a.sgt(b) ? a : b) : (a.slt(b) ? a : b);
      });
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    if (OpFoldResult r = ifSameType(getLhs(), getType()))
      return r;
  return foldMinMax<true>(adaptor.getOperands(), getType());
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    if (OpFoldResult r = ifSameType(getLhs(), getType()))
      return r;
  return foldMinMax<false>(adaptor.getOperands(), getType());
}

OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(adaptor.getOperands(), getType(),
                     [](int order) { return order == 0; });
}

OpFoldResult LessOp::fold(FoldAdaptor adaptor) {
  return foldCompare(adaptor.getOperands(), getType(),
                     [](int order) { return order == -1; });
}

OpFoldResult GreaterOp::fold(FoldAdaptor adaptor) {
  return foldCompare(adaptor.getOperands(), getType(),
                     [](int order) { return order == 1; });
}

OpFoldResult WhereOp::fold(FoldAdaptor adaptor) {
  if (getX() == getY())
    if (OpFoldResult r = ifSameType(getX(), getType()))
      return r;
  auto condition = dyn_cast_or_null<DenseElementsAttr>(adaptor.getCondition());
  if (condition && condition.isSplat())
    if (OpFoldResult r = ifSameType(
            condition.getSplatValue<bool>() ? getX() : getY(), getType()))
      return r;
  // All three constant: select elementwise with broadcasting.
  condition = getFoldable(adaptor.getCondition());
  DenseElementsAttr x = getFoldable(adaptor.getX());
  DenseElementsAttr y = getFoldable(adaptor.getY());
  RankedTensorType type = getType();
  if (!condition || !x || !y || !canMaterialize(type))
    return {};
  ElementValues conditions(condition), xs(x), ys(y);
  SmallVector<int64_t> ci =
      broadcastSourceIndices(condition.getType().getShape(), type.getShape());
  SmallVector<int64_t> xi =
      broadcastSourceIndices(x.getType().getShape(), type.getShape());
  SmallVector<int64_t> yi =
      broadcastSourceIndices(y.getType().getShape(), type.getShape());
  SmallVector<Attribute> result;
  result.reserve(ci.size());
  for (size_t i = 0; i < ci.size(); ++i)
    result.push_back(cast<BoolAttr>(conditions[ci[i]]).getValue() ? xs[xi[i]]
                                                                  : ys[yi[i]]);
  return DenseElementsAttr::get(type, result);
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  return foldUnaryNumeric(
      adaptor.getInput(), getType(), [](double x) { return -x; },
      [](const APInt &x) { return -x; });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  return foldUnaryNumeric(
      adaptor.getInput(), getType(), [](double x) { return std::fabs(x); },
      [](const APInt &x) { return x.abs(); });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  return foldUnaryNumeric(
      adaptor.getInput(), getType(),
      [](double x) { return x > 0 ? x : (std::isnan(x) ? x : 0.0); },
      [](const APInt &x) {
        return x.isNegative() ? APInt::getZero(x.getBitWidth()) : x;
      });
}

OpFoldResult ExpOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return std::exp(x); });
}

OpFoldResult LogOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return std::log(x); });
}

OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return std::sqrt(x); });
}

OpFoldResult RsqrtOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return 1.0 / std::sqrt(x); });
}

OpFoldResult ReciprocalOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return 1.0 / x; });
}

OpFoldResult TanhOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return std::tanh(x); });
}

OpFoldResult SigmoidOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), sigmoid);
}

OpFoldResult LeakyReluOp::fold(FoldAdaptor adaptor) {
  double alpha = getAlpha().convertToDouble();
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [&](double x) { return x >= 0 ? x : alpha * x; });
}

OpFoldResult EluOp::fold(FoldAdaptor adaptor) {
  double alpha = getAlpha().convertToDouble();
  return foldUnaryFloat(adaptor.getInput(), getType(), [&](double x) {
    return x > 0 ? x : alpha * (std::exp(x) - 1.0);
  });
}

OpFoldResult GeluOp::fold(FoldAdaptor adaptor) {
  if (getApproximate() == "tanh")
    return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) {
      constexpr double kSqrt2OverPi = 0.7978845608028654;
      return 0.5 * x *
             (1.0 + std::tanh(kSqrt2OverPi * (x + 0.044715 * x * x * x)));
    });
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) {
    return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
  });
}

OpFoldResult ErfOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return std::erf(x); });
}

OpFoldResult SiluOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [](double x) { return x * sigmoid(x); });
}

OpFoldResult HardSigmoidOp::fold(FoldAdaptor adaptor) {
  double alpha = getAlpha().convertToDouble();
  double beta = getBeta().convertToDouble();
  return foldUnaryFloat(adaptor.getInput(), getType(),
                        [&](double x) { return hardSigmoid(x, alpha, beta); });
}

OpFoldResult HardSwishOp::fold(FoldAdaptor adaptor) {
  return foldUnaryFloat(adaptor.getInput(), getType(), [](double x) {
    return x * hardSigmoid(x, 1.0 / 6.0, 0.5);
  });
}

OpFoldResult ClampOp::fold(FoldAdaptor adaptor) {
  std::optional<APFloat> minAttr = getMin(), maxAttr = getMax();
  if (!minAttr && !maxAttr)
    return getInput();
  double lo = minAttr ? minAttr->convertToDouble() : -INFINITY;
  double hi = maxAttr ? maxAttr->convertToDouble() : INFINITY;
  // ONNX Clip: min first, then max, so min > max gives max everywhere.
  auto clampDouble = [&](double x) {
    if (std::isnan(x))
      return x;
    return std::min(std::max(x, lo), hi);
  };
  // Integer bounds: rounded inwards and saturated to the element type; a
  // NaN bound does not clamp, as on floats.
  auto intBound = [](std::optional<APFloat> bound, bool isLow,
                     unsigned width) -> std::optional<APInt> {
    if (!bound || bound->isNaN())
      return std::nullopt;
    return toSaturatedInt(*bound, width,
                          isLow ? APFloat::rmTowardPositive
                                : APFloat::rmTowardNegative);
  };
  return foldUnaryNumeric(
      adaptor.getInput(), getType(), clampDouble, [&](const APInt &x) {
        unsigned width = x.getBitWidth();
        APInt result = x;
        if (std::optional<APInt> low = intBound(minAttr, true, width))
          if (result.slt(*low))
            result = *low;
        if (std::optional<APInt> high = intBound(maxAttr, false, width))
          if (result.sgt(*high))
            result = *high;
        return result;
      });
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  DenseElementsAttr input = getFoldable(adaptor.getInput());
  auto type = cast<RankedTensorType>(getType());
  if (!input || !type.hasStaticShape())
    return {};
  Type from = input.getElementType(), to = type.getElementType();
  auto convert = [&](Attribute element) -> Attribute {
    if (auto f = dyn_cast<FloatAttr>(element)) {
      APFloat value = f.getValue();
      if (auto toFloatType = dyn_cast<FloatType>(to)) {
        bool losesInfo;
        value.convert(toFloatType.getFloatSemantics(),
                      APFloat::rmNearestTiesToEven, &losesInfo);
        return FloatAttr::get(to, value);
      }
      if (to.isInteger(1))
        return BoolAttr::get(to.getContext(), !value.isZero());
      // Out-of-range and NaN conversions are undefined; leave them alone.
      APSInt result(to.getIntOrFloatBitWidth(), /*isUnsigned=*/false);
      bool isExact;
      APFloat::opStatus status =
          value.convertToInteger(result, APFloat::rmTowardZero, &isExact);
      if (status != APFloat::opOK && status != APFloat::opInexact)
        return nullptr;
      return IntegerAttr::get(to, result);
    }
    APInt value = cast<IntegerAttr>(element).getValue();
    bool isBool = from.isInteger(1);
    if (auto toFloatType = dyn_cast<FloatType>(to)) {
      APFloat result(toFloatType.getFloatSemantics());
      result.convertFromAPInt(value, /*IsSigned=*/!isBool,
                              APFloat::rmNearestTiesToEven);
      return FloatAttr::get(to, result);
    }
    if (to.isInteger(1))
      return BoolAttr::get(to.getContext(), !value.isZero());
    unsigned width = to.getIntOrFloatBitWidth();
    return IntegerAttr::get(to, isBool ? value.zextOrTrunc(width)
                                       : value.sextOrTrunc(width));
  };
  if (input.isSplat()) {
    Attribute value = convert(input.getSplatValue<Attribute>());
    return value ? DenseElementsAttr::get(type, value) : nullptr;
  }
  SmallVector<Attribute> values;
  for (Attribute element : input.getValues<Attribute>()) {
    Attribute value = convert(element);
    if (!value)
      return {};
    values.push_back(value);
  }
  return DenseElementsAttr::get(type, values);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// A reduction that keeps its dimensions and only reduces dimensions of size
/// 1 is the identity.
template <typename ReduceOp>
static OpFoldResult foldTrivialReduction(ReduceOp op) {
  RankedTensorType input = op.getInput().getType();
  if (!op.getKeepdims() || input != op.getType())
    return {};
  ArrayRef<int64_t> axes = op.getAxes();
  if (axes.empty())
    return input.hasStaticShape() && input.getNumElements() == 1
               ? OpFoldResult(op.getInput())
               : OpFoldResult();
  for (int64_t axis : axes)
    if (input.getDimSize(axis < 0 ? axis + input.getRank() : axis) != 1)
      return {};
  return op.getInput();
}

OpFoldResult ReduceSumOp::fold(FoldAdaptor) {
  return foldTrivialReduction(*this);
}
OpFoldResult ReduceMeanOp::fold(FoldAdaptor) {
  return foldTrivialReduction(*this);
}
OpFoldResult ReduceMaxOp::fold(FoldAdaptor) {
  return foldTrivialReduction(*this);
}
OpFoldResult ReduceMinOp::fold(FoldAdaptor) {
  return foldTrivialReduction(*this);
}
OpFoldResult ReduceProdOp::fold(FoldAdaptor) {
  return foldTrivialReduction(*this);
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // reshape(reshape(x)) -> reshape(x): only the final shape matters.
  if (auto producer = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(producer.getInput());
    return getResult();
  }
  if (DenseElementsAttr input = getFoldable(adaptor.getInput()))
    if (getType().hasStaticShape())
      return input.reshape(getType());
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  SmallVector<int64_t> perm = getPermutation();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return ifSameType(getInput(), getType());
  DenseElementsAttr input = getFoldable(adaptor.getInput());
  RankedTensorType type = getType();
  if (!input || !type.hasStaticShape())
    return {};
  if (input.isSplat())
    return DenseElementsAttr::get(type, input.getSplatValue<Attribute>());
  SmallVector<int64_t> inputStrides = stridesOf(input.getType().getShape());
  SmallVector<int64_t> indices;
  forEachIndex(type.getShape(), [&](int64_t, ArrayRef<int64_t> index) {
    int64_t source = 0;
    for (auto [d, p] : llvm::enumerate(perm))
      source += index[d] * inputStrides[p];
    indices.push_back(source);
  });
  return gatherElements(input, indices, type);
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1)
    return ifSameType(getInputs().front(), getType());
  RankedTensorType type = getType();
  if (!canMaterialize(type))
    return {};
  SmallVector<ElementValues> inputs;
  for (Attribute attr : adaptor.getInputs()) {
    DenseElementsAttr dense = getFoldable(attr);
    if (!dense)
      return {};
    inputs.emplace_back(dense);
  }
  int64_t rank = type.getRank();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0)
    axis += rank;
  int64_t outer = ShapedType::getNumElements(type.getShape().take_front(axis));
  SmallVector<Attribute> result;
  for (int64_t o = 0; o < outer; ++o) {
    for (auto [value, chunkValues] : llvm::zip(getInputs(), inputs)) {
      int64_t chunk = ShapedType::getNumElements(
          cast<RankedTensorType>(value.getType()).getShape().drop_front(axis));
      for (int64_t k = 0; k < chunk; ++k)
        result.push_back(chunkValues[o * chunk + k]);
    }
  }
  return DenseElementsAttr::get(type, result);
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  RankedTensorType inputType = getInput().getType(), type = getType();
  std::optional<ArrayRef<int64_t>> steps = getSteps();
  bool unitSteps =
      !steps || llvm::all_of(*steps, [](int64_t s) { return s == 1; });
  if (unitSteps && inputType == type && type.hasStaticShape())
    return getInput();
  DenseElementsAttr input = getFoldable(adaptor.getInput());
  if (!input || !type.hasStaticShape())
    return {};
  if (input.isSplat())
    return DenseElementsAttr::get(type, input.getSplatValue<Attribute>());
  int64_t rank = inputType.getRank();
  SmallVector<int64_t> begin(rank, 0), step(rank, 1);
  ArrayRef<int64_t> starts = getStarts(), ends = getEnds();
  for (size_t i = 0; i < starts.size(); ++i) {
    int64_t axis = getAxes() ? (*getAxes())[i] : static_cast<int64_t>(i);
    if (axis < 0)
      axis += rank;
    step[axis] = steps ? (*steps)[i] : 1;
    begin[axis] = clampSliceBounds(inputType.getDimSize(axis), starts[i],
                                   ends[i], step[axis])
                      .first;
  }
  SmallVector<int64_t> inputStrides = stridesOf(inputType.getShape());
  SmallVector<int64_t> indices;
  forEachIndex(type.getShape(), [&](int64_t, ArrayRef<int64_t> index) {
    int64_t source = 0;
    for (int64_t d = 0; d < rank; ++d)
      source += (begin[d] + index[d] * step[d]) * inputStrides[d];
    indices.push_back(source);
  });
  return gatherElements(input, indices, type);
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  DenseElementsAttr input = getFoldable(adaptor.getInput());
  DenseElementsAttr indices = getFoldable(adaptor.getIndices());
  RankedTensorType type = getType();
  if (!input || !indices || !canMaterialize(type))
    return {};
  ArrayRef<int64_t> inputShape = input.getType().getShape();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0)
    axis += static_cast<int64_t>(inputShape.size());
  int64_t dim = inputShape[axis];
  int64_t inner = ShapedType::getNumElements(inputShape.drop_front(axis + 1));
  int64_t outer = ShapedType::getNumElements(inputShape.take_front(axis));
  SmallVector<int64_t> positions;
  for (const APInt &index : indices.getValues<APInt>()) {
    int64_t i = index.getSExtValue();
    if (i < -dim || i >= dim)
      return {}; // Out of range: undefined, left to run time.
    positions.push_back(i < 0 ? i + dim : i);
  }
  SmallVector<int64_t> sources;
  sources.reserve(type.getNumElements());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t p : positions)
      for (int64_t k = 0; k < inner; ++k)
        sources.push_back((o * dim + p) * inner + k);
  return gatherElements(input, sources, type);
}

OpFoldResult PadOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> pads = getPads();
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return ifSameType(getInput(), getType());
  DenseElementsAttr input = getFoldable(adaptor.getInput());
  RankedTensorType type = getType();
  if (!input || !canMaterialize(type))
    return {};
  ArrayRef<int64_t> inShape = input.getType().getShape();
  int64_t rank = static_cast<int64_t>(inShape.size());
  StringRef mode = getMode();
  SmallVector<int64_t> strides = stridesOf(inShape);
  ElementValues values(input);
  // The fill value of constant mode in the element type (the verifier
  // checked that an integer type represents it exactly).
  Type elementType = type.getElementType();
  APFloat fill = getConstantValue();
  Attribute fillAttr;
  if (auto floatType = dyn_cast<FloatType>(elementType))
    fillAttr =
        FloatAttr::get(floatType, toFloat(fill.convertToDouble(), floatType));
  else if (elementType.isInteger(1))
    fillAttr = BoolAttr::get(getContext(), !fill.isZero());
  else
    fillAttr = IntegerAttr::get(
        elementType, toSaturatedInt(fill, elementType.getIntOrFloatBitWidth(),
                                    APFloat::rmTowardZero));
  SmallVector<Attribute> result;
  forEachIndex(type.getShape(), [&](int64_t, ArrayRef<int64_t> index) {
    int64_t source = 0;
    bool inPadding = false;
    for (int64_t d = 0; d < rank; ++d) {
      int64_t i = index[d] - pads[d], size = inShape[d];
      if (i < 0 || i >= size) {
        if (mode == "reflect")
          i = i < 0 ? -i : 2 * (size - 1) - i;
        else if (mode == "edge")
          i = i < 0 ? 0 : size - 1;
        else
          inPadding = true;
      }
      source += i * strides[d];
    }
    result.push_back(inPadding ? fillAttr : values[source]);
  });
  return DenseElementsAttr::get(type, result);
}

LogicalResult SplitOp::fold(FoldAdaptor adaptor,
                            SmallVectorImpl<OpFoldResult> &results) {
  if (getNumResults() == 1 && getResult(0).getType() == getInput().getType()) {
    results.push_back(getInput());
    return success();
  }
  DenseElementsAttr input = getFoldable(adaptor.getInput());
  if (!input)
    return failure();
  RankedTensorType inputType = getInput().getType();
  int64_t axis = static_cast<int64_t>(getAxis());
  if (axis < 0)
    axis += inputType.getRank();
  SmallVector<int64_t> inputStrides = stridesOf(inputType.getShape());
  int64_t offset = 0;
  for (Value result : getResults()) {
    auto type = cast<RankedTensorType>(result.getType());
    if (!type.hasStaticShape())
      return failure();
    if (input.isSplat()) {
      results.push_back(
          DenseElementsAttr::get(type, input.getSplatValue<Attribute>()));
      continue;
    }
    SmallVector<int64_t> indices;
    forEachIndex(type.getShape(), [&](int64_t, ArrayRef<int64_t> index) {
      int64_t source = 0;
      for (auto [d, i] : llvm::enumerate(index))
        source += (static_cast<int64_t>(d) == axis ? i + offset : i) *
                  inputStrides[d];
      indices.push_back(source);
    });
    results.push_back(gatherElements(input, indices, type));
    offset += type.getDimSize(axis);
  }
  return success();
}

OpFoldResult ExpandOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  DenseElementsAttr input = getFoldable(adaptor.getInput());
  RankedTensorType type = getType();
  if (!input || !type.hasStaticShape())
    return {};
  if (input.isSplat())
    return DenseElementsAttr::get(type, input.getSplatValue<Attribute>());
  if (!canMaterialize(type))
    return {};
  return gatherElements(
      input,
      broadcastSourceIndices(input.getType().getShape(), type.getShape()),
      type);
}
