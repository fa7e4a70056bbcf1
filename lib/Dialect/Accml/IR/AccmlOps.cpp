//===- AccmlOps.cpp - accml dialect operations ----------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Result type inference and verification of the accml ops. Inference is the
// verifier for most ops: it rejects what it cannot type, and the
// InferTypeOpInterface checks the written result type against it.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/IR/AccmlOps.h"
#include "accml/Dialect/Accml/IR/ShapeUtils.h"

#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace accml;

//===----------------------------------------------------------------------===//
// Diagnostics helpers
//===----------------------------------------------------------------------===//

namespace {
/// Emits "'<op>' op <message>" at `loc` (when there is one) and fails, so that
/// inference errors read like the verifier's own.
template <typename... Args>
LogicalResult opError(std::optional<Location> loc, StringRef opName,
                      Args &&...args) {
  return emitOptionalError(loc, "'", opName, "' op ",
                           std::forward<Args>(args)...);
}

/// Formats a list of integers as "[a, b, c]".
std::string listStr(ArrayRef<int64_t> values) {
  std::string s = "[";
  llvm::raw_string_ostream os(s);
  llvm::interleaveComma(values, os);
  os << "]";
  return s;
}

/// Formats a shape as "2x?x3" (a scalar as "scalar").
std::string shapeStr(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  llvm::raw_string_ostream os(s);
  llvm::interleave(
      shape, os,
      [&](int64_t d) {
        if (ShapedType::isDynamic(d))
          os << "?";
        else
          os << d;
      },
      "x");
  return s;
}

/// Returns the ranked tensor type of `type` or fails with a diagnostic.
FailureOr<RankedTensorType> getRanked(std::optional<Location> loc,
                                      StringRef opName, Type type,
                                      StringRef what) {
  auto ranked = dyn_cast<RankedTensorType>(type);
  if (!ranked) {
    (void)opError(loc, opName, "expects ", what, " to be a ranked tensor, got ",
                  type);
    return failure();
  }
  return ranked;
}

/// Normalises an axis in [-rank, rank) to [0, rank) or fails.
FailureOr<int64_t> normalizeAxis(std::optional<Location> loc, StringRef opName,
                                 StringRef what, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) {
    (void)opError(loc, opName, "expects ", what, " in [", -rank, ", ", rank,
                  ") for rank ", rank, ", got ", axis);
    return failure();
  }
  return axis < 0 ? axis + rank : axis;
}

/// Normalises a list of distinct axes or fails.
FailureOr<SmallVector<int64_t>> normalizeAxes(std::optional<Location> loc,
                                              StringRef opName, StringRef what,
                                              ArrayRef<int64_t> axes,
                                              int64_t rank) {
  SmallVector<int64_t> result;
  llvm::SmallBitVector seen(rank);
  for (int64_t axis : axes) {
    FailureOr<int64_t> normalized =
        normalizeAxis(loc, opName, what, axis, rank);
    if (failed(normalized))
      return failure();
    if (seen.test(*normalized)) {
      (void)opError(loc, opName, "expects distinct ", what, ", got ",
                    listStr(axes));
      return failure();
    }
    seen.set(*normalized);
    result.push_back(*normalized);
  }
  return result;
}

bool isDyn(int64_t d) { return ShapedType::isDynamic(d); }

/// Fails because a size computed from the shapes and attributes does not fit
/// in 64 bits.
LogicalResult overflowError(std::optional<Location> loc, StringRef opName,
                            int64_t dim) {
  return opError(loc, opName, "expects shapes and attributes whose sizes fit ",
                 "in 64 bits, but dimension ", dim, " overflows");
}

} // namespace

//===----------------------------------------------------------------------===//
// Shape utilities (ShapeUtils.h)
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<int64_t>> accml::broadcastShapes(ArrayRef<int64_t> lhs,
                                                       ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l == r)
      result[i] = l;
    else if (l == 1)
      result[i] = r;
    else if (r == 1)
      result[i] = l;
    else if (isDyn(l))
      result[i] = r;
    else if (isDyn(r))
      result[i] = l;
    else
      return failure();
  }
  return result;
}

bool accml::isBroadcastableTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  size_t offset = to.size() - from.size();
  for (auto [i, d] : llvm::enumerate(from)) {
    int64_t t = to[offset + i];
    if (d != 1 && !isDyn(d) && !isDyn(t) && d != t)
      return false;
  }
  return true;
}

std::optional<int64_t> accml::pooledSize(int64_t in, int64_t padBegin,
                                         int64_t padEnd, int64_t window,
                                         int64_t stride, bool ceilMode) {
  if (isDyn(in))
    return ShapedType::kDynamic;
  std::optional<int64_t> start = llvm::checkedAdd(in, padBegin);
  std::optional<int64_t> padded =
      start ? llvm::checkedAdd(*start, padEnd) : std::nullopt;
  if (!padded)
    return std::nullopt;
  int64_t span = *padded - window;
  if (span < 0)
    return 0;
  int64_t out = span / stride + (ceilMode && span % stride != 0) + 1;
  // A window that would start inside the end padding is dropped.
  std::optional<int64_t> lastStart = llvm::checkedMul(out - 1, stride);
  if (ceilMode && (!lastStart || *lastStart >= *start))
    --out;
  return out;
}

int64_t accml::slicedSize(int64_t dim, int64_t start, int64_t end,
                          int64_t step) {
  if (isDyn(dim))
    return ShapedType::kDynamic;
  auto [s, e] = clampSliceBounds(dim, start, end, step);
  // Unsigned division: the magnitude of INT64_MIN fits in uint64_t.
  if (step > 0)
    return e > s ? static_cast<int64_t>(static_cast<uint64_t>(e - s - 1) /
                                        static_cast<uint64_t>(step)) +
                       1
                 : 0;
  uint64_t magnitude = 0 - static_cast<uint64_t>(step);
  return s > e ? static_cast<int64_t>(static_cast<uint64_t>(s - e - 1) /
                                      magnitude) +
                     1
               : 0;
}

std::pair<int64_t, int64_t> accml::clampSliceBounds(int64_t dim, int64_t start,
                                                    int64_t end, int64_t step) {
  if (dim == 0)
    return {0, 0};
  if (start < 0)
    start += dim;
  if (end < 0)
    end += dim;
  if (step > 0) {
    start = std::clamp<int64_t>(start, 0, dim);
    end = std::clamp<int64_t>(end, 0, dim);
  } else {
    start = std::clamp<int64_t>(start, 0, dim - 1);
    end = std::clamp<int64_t>(end, -1, dim - 1);
  }
  return {start, end};
}

//===----------------------------------------------------------------------===//
// Type inference entry points (used by the generated op classes)
//===----------------------------------------------------------------------===//

namespace accml::detail {

bool areCompatibleTensorTypes(TypeRange inferred, TypeRange actual) {
  if (inferred.size() != actual.size())
    return false;
  for (auto [a, b] : llvm::zip(inferred, actual)) {
    auto ta = dyn_cast<RankedTensorType>(a);
    auto tb = dyn_cast<RankedTensorType>(b);
    if (!ta || !tb || ta.getElementType() != tb.getElementType() ||
        failed(verifyCompatibleShape(ta.getShape(), tb.getShape())))
      return false;
  }
  return true;
}

/// Broadcasts the shapes of `types` together with numpy's rules.
static FailureOr<SmallVector<int64_t>>
broadcastAll(std::optional<Location> loc, StringRef opName,
             ArrayRef<RankedTensorType> types) {
  SmallVector<int64_t> shape;
  for (RankedTensorType type : types) {
    FailureOr<SmallVector<int64_t>> next =
        broadcastShapes(shape, type.getShape());
    if (failed(next)) {
      std::string operands;
      llvm::raw_string_ostream os(operands);
      llvm::interleaveComma(types, os,
                            [&](RankedTensorType t) { os << "'" << t << "'"; });
      (void)opError(loc, opName,
                    "expects operand shapes that broadcast together, got ",
                    operands);
      return failure();
    }
    shape = std::move(*next);
  }
  return shape;
}

LogicalResult inferBroadcastResultType(MLIRContext *context,
                                       std::optional<Location> loc,
                                       StringRef opName, ValueRange operands,
                                       bool isComparison,
                                       SmallVectorImpl<Type> &inferred) {
  SmallVector<RankedTensorType> types;
  for (Value v : operands) {
    FailureOr<RankedTensorType> t =
        getRanked(loc, opName, v.getType(), "operands");
    if (failed(t))
      return failure();
    types.push_back(*t);
  }
  Type elementType = types[0].getElementType();
  if (types[1].getElementType() != elementType)
    return opError(loc, opName,
                   "expects operands of the same element type, got ",
                   elementType, " and ", types[1].getElementType());
  FailureOr<SmallVector<int64_t>> shape = broadcastAll(loc, opName, types);
  if (failed(shape))
    return failure();
  Type resultElement =
      isComparison ? IntegerType::get(context, 1) : elementType;
  inferred.push_back(RankedTensorType::get(*shape, resultElement));
  return success();
}

LogicalResult inferWhereResultType(MLIRContext *context,
                                   std::optional<Location> loc,
                                   StringRef opName, ValueRange operands,
                                   SmallVectorImpl<Type> &inferred) {
  SmallVector<RankedTensorType> types;
  for (Value v : operands) {
    FailureOr<RankedTensorType> t =
        getRanked(loc, opName, v.getType(), "operands");
    if (failed(t))
      return failure();
    types.push_back(*t);
  }
  Type elementType = types[1].getElementType();
  if (types[2].getElementType() != elementType)
    return opError(loc, opName,
                   "expects 'x' and 'y' of the same element type, got ",
                   elementType, " and ", types[2].getElementType());
  FailureOr<SmallVector<int64_t>> shape = broadcastAll(loc, opName, types);
  if (failed(shape))
    return failure();
  inferred.push_back(RankedTensorType::get(*shape, elementType));
  return success();
}

LogicalResult inferMatMulResultType(MLIRContext *context,
                                    std::optional<Location> loc,
                                    StringRef opName, Type lhsType,
                                    Type rhsType,
                                    SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> lhs = getRanked(loc, opName, lhsType, "lhs");
  FailureOr<RankedTensorType> rhs = getRanked(loc, opName, rhsType, "rhs");
  if (failed(lhs) || failed(rhs))
    return failure();
  if (lhs->getElementType() != rhs->getElementType())
    return opError(loc, opName,
                   "expects operands of the same element type, got ",
                   lhs->getElementType(), " and ", rhs->getElementType());
  if (lhs->getRank() == 0 || rhs->getRank() == 0)
    return opError(loc, opName, "expects operands of rank at least 1, got ",
                   *lhs, " and ", *rhs);
  // Promote vectors to matrices as numpy does, remembering to drop the
  // added dimensions again.
  SmallVector<int64_t> l(lhs->getShape()), r(rhs->getShape());
  bool lhsVector = l.size() == 1, rhsVector = r.size() == 1;
  if (lhsVector)
    l.insert(l.begin(), 1);
  if (rhsVector)
    r.push_back(1);
  int64_t k1 = l.back(), k2 = r[r.size() - 2];
  if (!isDyn(k1) && !isDyn(k2) && k1 != k2)
    return opError(
        loc, opName, "expects the contracted dimensions to match, got lhs ",
        *lhs, " with ", k1, " columns and rhs ", *rhs, " with ", k2, " rows");
  FailureOr<SmallVector<int64_t>> batch =
      broadcastShapes(ArrayRef(l).drop_back(2), ArrayRef(r).drop_back(2));
  if (failed(batch))
    return opError(loc, opName, "expects batch dimensions that broadcast, got ",
                   *lhs, " and ", *rhs);
  SmallVector<int64_t> shape = *batch;
  if (!lhsVector)
    shape.push_back(l[l.size() - 2]);
  if (!rhsVector)
    shape.push_back(r.back());
  inferred.push_back(RankedTensorType::get(shape, lhs->getElementType()));
  return success();
}

LogicalResult inferGemmResultType(MLIRContext *context,
                                  std::optional<Location> loc, StringRef opName,
                                  GemmOp::Adaptor adaptor,
                                  SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> a =
      getRanked(loc, opName, adaptor.getA().getType(), "a");
  FailureOr<RankedTensorType> b =
      getRanked(loc, opName, adaptor.getB().getType(), "b");
  if (failed(a) || failed(b))
    return failure();
  if (a->getRank() != 2 || b->getRank() != 2)
    return opError(loc, opName, "expects matrices (rank 2), got ", *a, " and ",
                   *b);
  if (a->getElementType() != b->getElementType())
    return opError(loc, opName,
                   "expects operands of the same element type, got ",
                   a->getElementType(), " and ", b->getElementType());
  bool transA = adaptor.getTransA(), transB = adaptor.getTransB();
  int64_t m = a->getDimSize(transA ? 1 : 0), k1 = a->getDimSize(transA ? 0 : 1);
  int64_t k2 = b->getDimSize(transB ? 1 : 0), n = b->getDimSize(transB ? 0 : 1);
  if (!isDyn(k1) && !isDyn(k2) && k1 != k2)
    return opError(loc, opName, "expects the contracted dimensions to match, ",
                   "got op(a) ", shapeStr({m, k1}), " and op(b) ",
                   shapeStr({k2, n}));
  SmallVector<int64_t> shape = {m, n};
  if (Value c = adaptor.getC()) {
    FailureOr<RankedTensorType> cType =
        getRanked(loc, opName, c.getType(), "c");
    if (failed(cType))
      return failure();
    if (cType->getElementType() != a->getElementType())
      return opError(loc, opName, "expects 'c' of element type ",
                     a->getElementType(), ", got ", cType->getElementType());
    if (!isBroadcastableTo(cType->getShape(), shape))
      return opError(loc, opName, "expects 'c' to broadcast to the ",
                     shapeStr(shape), " result, got ", *cType);
  }
  inferred.push_back(RankedTensorType::get(shape, a->getElementType()));
  return success();
}

/// Checks the attributes shared by convolutions and pooling: `values` has
/// `size` entries, each at least `minValue`.
static LogicalResult checkWindowAttr(std::optional<Location> loc,
                                     StringRef opName, StringRef name,
                                     ArrayRef<int64_t> values, size_t size,
                                     int64_t minValue) {
  if (values.size() != size)
    return opError(loc, opName, "expects '", name, "' to have ", size,
                   " entries, got ", values.size());
  for (int64_t v : values)
    if (v < minValue)
      return opError(loc, opName, "expects '", name, "' entries >= ", minValue,
                     ", got ", listStr(values));
  return success();
}

/// Checks the operands common to conv2d and conv_transpose2d.
static LogicalResult checkConvOperands(std::optional<Location> loc,
                                       StringRef opName, RankedTensorType input,
                                       RankedTensorType weight, Value bias,
                                       int64_t biasSize) {
  if (input.getRank() != 4)
    return opError(loc, opName, "expects an NCHW input of rank 4, got ", input);
  if (weight.getRank() != 4)
    return opError(loc, opName, "expects a weight of rank 4, got ", weight);
  if (input.getElementType() != weight.getElementType())
    return opError(loc, opName,
                   "expects input and weight of the same element type, got ",
                   input.getElementType(), " and ", weight.getElementType());
  if (!bias)
    return success();
  auto biasType = dyn_cast<RankedTensorType>(bias.getType());
  if (!biasType || biasType.getRank() != 1 ||
      biasType.getElementType() != input.getElementType())
    return opError(loc, opName, "expects a bias of rank 1 with element type ",
                   input.getElementType(), ", got ", bias.getType());
  if (!isDyn(biasSize) && !isDyn(biasType.getDimSize(0)) &&
      biasType.getDimSize(0) != biasSize)
    return opError(loc, opName, "expects a bias of ", biasSize,
                   " elements (one per output channel), got ", biasType);
  return success();
}

LogicalResult inferConv2DResultType(MLIRContext *context,
                                    std::optional<Location> loc,
                                    StringRef opName, Conv2DOp::Adaptor adaptor,
                                    SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, adaptor.getInput().getType(), "input");
  FailureOr<RankedTensorType> weight =
      getRanked(loc, opName, adaptor.getWeight().getType(), "weight");
  if (failed(input) || failed(weight))
    return failure();
  int64_t groups = adaptor.getGroups();
  ArrayRef<int64_t> strides = adaptor.getStrides(), pads = adaptor.getPads(),
                    dilations = adaptor.getDilations();
  if (failed(checkWindowAttr(loc, opName, "strides", strides, 2, 1)) ||
      failed(checkWindowAttr(loc, opName, "pads", pads, 4, 0)) ||
      failed(checkWindowAttr(loc, opName, "dilations", dilations, 2, 1)))
    return failure();
  if (groups < 1)
    return opError(loc, opName, "expects 'groups' >= 1, got ", groups);
  int64_t f =
      weight->getRank() == 4 ? weight->getDimSize(0) : ShapedType::kDynamic;
  if (failed(checkConvOperands(loc, opName, *input, *weight, adaptor.getBias(),
                               f)))
    return failure();
  int64_t c = input->getDimSize(1), cPerGroup = weight->getDimSize(1);
  if (!isDyn(c) && !isDyn(cPerGroup) &&
      llvm::checkedMul(cPerGroup, groups) != std::optional<int64_t>(c))
    return opError(loc, opName, "expects input channels (", c,
                   ") to equal weight input channels (", cPerGroup,
                   ") times groups (", groups, ")");
  if (!isDyn(f) && f % groups != 0)
    return opError(loc, opName, "expects output channels (", f,
                   ") divisible by groups (", groups, ")");
  SmallVector<int64_t> shape = {input->getDimSize(0), f};
  for (int i = 0; i < 2; ++i) {
    int64_t k = weight->getDimSize(2 + i);
    if (isDyn(k)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    std::optional<int64_t> window =
        llvm::checkedMulAdd(dilations[i], k - 1, static_cast<int64_t>(1));
    int64_t in = input->getDimSize(2 + i);
    std::optional<int64_t> out =
        window ? pooledSize(in, pads[i], pads[i + 2], *window, strides[i],
                            /*ceilMode=*/false)
               : std::nullopt;
    if (!out)
      return overflowError(loc, opName, 2 + i);
    if (*out == 0)
      return opError(loc, opName, "expects the dilated kernel (", *window,
                     ") to fit the padded input (", in + pads[i] + pads[i + 2],
                     ") in spatial dimension ", i);
    shape.push_back(*out);
  }
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferConvTranspose2DResultType(MLIRContext *context,
                                             std::optional<Location> loc,
                                             StringRef opName,
                                             ConvTranspose2DOp::Adaptor adaptor,
                                             SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, adaptor.getInput().getType(), "input");
  FailureOr<RankedTensorType> weight =
      getRanked(loc, opName, adaptor.getWeight().getType(), "weight");
  if (failed(input) || failed(weight))
    return failure();
  int64_t groups = adaptor.getGroups();
  ArrayRef<int64_t> strides = adaptor.getStrides(), pads = adaptor.getPads(),
                    dilations = adaptor.getDilations(),
                    outputPadding = adaptor.getOutputPadding();
  if (failed(checkWindowAttr(loc, opName, "strides", strides, 2, 1)) ||
      failed(checkWindowAttr(loc, opName, "pads", pads, 4, 0)) ||
      failed(checkWindowAttr(loc, opName, "dilations", dilations, 2, 1)) ||
      failed(
          checkWindowAttr(loc, opName, "output_padding", outputPadding, 2, 0)))
    return failure();
  if (groups < 1)
    return opError(loc, opName, "expects 'groups' >= 1, got ", groups);
  for (int i = 0; i < 2; ++i)
    if (outputPadding[i] >= std::max(strides[i], dilations[i]))
      return opError(loc, opName,
                     "expects 'output_padding' entries smaller than the "
                     "stride or the dilation, got ",
                     listStr(outputPadding));
  int64_t f = ShapedType::kDynamic;
  if (weight->getRank() == 4 && !isDyn(weight->getDimSize(1))) {
    std::optional<int64_t> product =
        llvm::checkedMul(weight->getDimSize(1), groups);
    if (!product)
      return overflowError(loc, opName, 1);
    f = *product;
  }
  if (failed(checkConvOperands(loc, opName, *input, *weight, adaptor.getBias(),
                               f)))
    return failure();
  int64_t c = input->getDimSize(1), cw = weight->getDimSize(0);
  if (!isDyn(c) && !isDyn(cw) && c != cw)
    return opError(loc, opName, "expects input channels (", c,
                   ") to equal the weight's first dimension (", cw, ")");
  if (!isDyn(c) && c % groups != 0)
    return opError(loc, opName, "expects input channels (", c,
                   ") divisible by groups (", groups, ")");
  SmallVector<int64_t> shape = {input->getDimSize(0), f};
  for (int i = 0; i < 2; ++i) {
    int64_t in = input->getDimSize(2 + i), k = weight->getDimSize(2 + i);
    if (isDyn(in) || isDyn(k)) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    // stride * (in - 1) + output_padding + dilation * (k - 1) + 1 - pads
    std::optional<int64_t> out =
        llvm::checkedMulAdd(strides[i], in - 1, outputPadding[i] + 1 - pads[i]);
    std::optional<int64_t> kernel = llvm::checkedMul(dilations[i], k - 1);
    out = out && kernel ? llvm::checkedAdd(*out, *kernel) : std::nullopt;
    out = out ? llvm::checkedSub(*out, pads[i + 2]) : std::nullopt;
    if (!out)
      return overflowError(loc, opName, 2 + i);
    if (*out < 1)
      return opError(loc, opName, "expects a positive output size, got ", *out,
                     " in spatial dimension ", i);
    shape.push_back(*out);
  }
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult
inferPool2DResultType(MLIRContext *context, std::optional<Location> loc,
                      StringRef opName, Type inputType,
                      ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                      ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
                      bool ceilMode, SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, inputType, "input");
  if (failed(input))
    return failure();
  if (input->getRank() != 4)
    return opError(loc, opName, "expects an NCHW input of rank 4, got ",
                   *input);
  if (failed(checkWindowAttr(loc, opName, "kernel_shape", kernel, 2, 1)) ||
      failed(checkWindowAttr(loc, opName, "strides", strides, 2, 1)) ||
      failed(checkWindowAttr(loc, opName, "pads", pads, 4, 0)) ||
      failed(checkWindowAttr(loc, opName, "dilations", dilations, 2, 1)))
    return failure();
  SmallVector<int64_t> shape(input->getShape().take_front(2));
  for (int i = 0; i < 2; ++i) {
    if (pads[i] >= kernel[i] || pads[i + 2] >= kernel[i])
      return opError(loc, opName, "expects pads smaller than the kernel, got ",
                     "pads ", listStr(pads), " for kernel ", listStr(kernel));
    std::optional<int64_t> window = llvm::checkedMulAdd(
        dilations[i], kernel[i] - 1, static_cast<int64_t>(1));
    int64_t in = input->getDimSize(2 + i);
    std::optional<int64_t> out = window
                                     ? pooledSize(in, pads[i], pads[i + 2],
                                                  *window, strides[i], ceilMode)
                                     : std::nullopt;
    if (!out)
      return overflowError(loc, opName, 2 + i);
    if (*out == 0)
      return opError(loc, opName, "expects the window (", *window,
                     ") to fit the padded input (", in + pads[i] + pads[i + 2],
                     ") in spatial dimension ", i);
    shape.push_back(*out);
  }
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferGlobalPoolResultType(MLIRContext *context,
                                        std::optional<Location> loc,
                                        StringRef opName, Type inputType,
                                        SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, inputType, "input");
  if (failed(input))
    return failure();
  if (input->getRank() < 3)
    return opError(loc, opName,
                   "expects an N x C x D1 x ... input of rank at least 3, got ",
                   *input);
  SmallVector<int64_t> shape(input->getShape());
  std::fill(shape.begin() + 2, shape.end(), 1);
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferReduceResultType(MLIRContext *context,
                                    std::optional<Location> loc,
                                    StringRef opName, Type inputType,
                                    ArrayRef<int64_t> axes, bool keepdims,
                                    SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, inputType, "input");
  if (failed(input))
    return failure();
  int64_t rank = input->getRank();
  FailureOr<SmallVector<int64_t>> normalized =
      normalizeAxes(loc, opName, "'axes'", axes, rank);
  if (failed(normalized))
    return failure();
  llvm::SmallBitVector reduced(rank, axes.empty());
  for (int64_t axis : *normalized)
    reduced.set(axis);
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced.test(i))
      shape.push_back(input->getDimSize(i));
    else if (keepdims)
      shape.push_back(1);
  }
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferArgReduceResultType(MLIRContext *context,
                                       std::optional<Location> loc,
                                       StringRef opName, Type inputType,
                                       int64_t axis, bool keepdims,
                                       SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, inputType, "input");
  if (failed(input))
    return failure();
  if (input->getRank() == 0)
    return opError(loc, opName, "expects an input of rank at least 1, got ",
                   *input);
  FailureOr<int64_t> normalized =
      normalizeAxis(loc, opName, "'axis'", axis, input->getRank());
  if (failed(normalized))
    return failure();
  SmallVector<int64_t> shape(input->getShape());
  if (keepdims)
    shape[*normalized] = 1;
  else
    shape.erase(shape.begin() + *normalized);
  inferred.push_back(
      RankedTensorType::get(shape, IntegerType::get(context, 64)));
  return success();
}

LogicalResult inferTransposeResultType(MLIRContext *context,
                                       std::optional<Location> loc,
                                       StringRef opName, Type inputType,
                                       std::optional<ArrayRef<int64_t>> perm,
                                       SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, inputType, "input");
  if (failed(input))
    return failure();
  int64_t rank = input->getRank();
  SmallVector<int64_t> permutation =
      perm ? SmallVector<int64_t>(*perm)
           : llvm::to_vector(llvm::reverse(llvm::seq<int64_t>(0, rank)));
  if (static_cast<int64_t>(permutation.size()) != rank ||
      !isPermutationVector(permutation))
    return opError(loc, opName, "expects 'perm' to be a permutation of [0, ",
                   rank, "), got ", listStr(permutation));
  SmallVector<int64_t> shape;
  for (int64_t p : permutation)
    shape.push_back(input->getDimSize(p));
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferConcatResultType(MLIRContext *context,
                                    std::optional<Location> loc,
                                    StringRef opName, ValueRange inputs,
                                    int64_t axis,
                                    SmallVectorImpl<Type> &inferred) {
  if (inputs.empty())
    return opError(loc, opName, "expects at least one input");
  SmallVector<RankedTensorType> types;
  for (Value v : inputs) {
    FailureOr<RankedTensorType> t =
        getRanked(loc, opName, v.getType(), "inputs");
    if (failed(t))
      return failure();
    types.push_back(*t);
  }
  RankedTensorType first = types.front();
  int64_t rank = first.getRank();
  if (rank == 0)
    return opError(loc, opName, "expects inputs of rank at least 1, got ",
                   first);
  FailureOr<int64_t> dim = normalizeAxis(loc, opName, "'axis'", axis, rank);
  if (failed(dim))
    return failure();
  SmallVector<int64_t> shape(first.getShape());
  for (auto [i, type] : llvm::enumerate(ArrayRef(types).drop_front())) {
    if (type.getElementType() != first.getElementType() ||
        type.getRank() != rank)
      return opError(loc, opName, "expects inputs of one rank and element ",
                     "type, got ", first, " and ", type, " (input ", i + 1,
                     ")");
    for (int64_t d = 0; d < rank; ++d) {
      int64_t size = type.getDimSize(d);
      if (d == *dim) {
        if (isDyn(shape[d]) || isDyn(size)) {
          shape[d] = ShapedType::kDynamic;
          continue;
        }
        std::optional<int64_t> sum = llvm::checkedAdd(shape[d], size);
        if (!sum)
          return overflowError(loc, opName, d);
        shape[d] = *sum;
        continue;
      }
      if (!isDyn(shape[d]) && !isDyn(size) && shape[d] != size)
        return opError(loc, opName, "expects inputs to agree on every ",
                       "dimension but the axis, got ", first, " and ", type,
                       " (input ", i + 1, ") in dimension ", d);
      if (isDyn(shape[d]))
        shape[d] = size;
    }
  }
  inferred.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

LogicalResult inferSliceResultType(
    MLIRContext *context, std::optional<Location> loc, StringRef opName,
    Type inputType, ArrayRef<int64_t> starts, ArrayRef<int64_t> ends,
    std::optional<ArrayRef<int64_t>> axes,
    std::optional<ArrayRef<int64_t>> steps, SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, inputType, "input");
  if (failed(input))
    return failure();
  int64_t rank = input->getRank();
  size_t n = starts.size();
  if (ends.size() != n || (axes && axes->size() != n) ||
      (steps && steps->size() != n))
    return opError(loc, opName, "expects 'starts', 'ends', 'axes' and 'steps' ",
                   "of one length, got ", n, ", ", ends.size(), ", ",
                   axes ? axes->size() : n, " and ", steps ? steps->size() : n);
  SmallVector<int64_t> defaultAxes =
      llvm::to_vector(llvm::seq<int64_t>(0, static_cast<int64_t>(n)));
  FailureOr<SmallVector<int64_t>> normalized =
      normalizeAxes(loc, opName, "'axes'", axes ? *axes : defaultAxes, rank);
  if (failed(normalized))
    return failure();
  SmallVector<int64_t> shape(input->getShape());
  for (size_t i = 0; i < n; ++i) {
    int64_t step = steps ? (*steps)[i] : 1;
    if (step == 0)
      return opError(loc, opName, "expects non-zero 'steps', got ",
                     listStr(*steps));
    int64_t d = (*normalized)[i];
    shape[d] = slicedSize(shape[d], starts[i], ends[i], step);
  }
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferGatherResultType(MLIRContext *context,
                                    std::optional<Location> loc,
                                    StringRef opName, Type inputType,
                                    Type indicesType, int64_t axis,
                                    SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, inputType, "input");
  FailureOr<RankedTensorType> indices =
      getRanked(loc, opName, indicesType, "indices");
  if (failed(input) || failed(indices))
    return failure();
  if (input->getRank() == 0)
    return opError(loc, opName, "expects an input of rank at least 1, got ",
                   *input);
  FailureOr<int64_t> dim =
      normalizeAxis(loc, opName, "'axis'", axis, input->getRank());
  if (failed(dim))
    return failure();
  SmallVector<int64_t> shape(input->getShape().take_front(*dim));
  llvm::append_range(shape, indices->getShape());
  llvm::append_range(shape, input->getShape().drop_front(*dim + 1));
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferPadResultType(MLIRContext *context,
                                 std::optional<Location> loc, StringRef opName,
                                 Type inputType, ArrayRef<int64_t> pads,
                                 SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, inputType, "input");
  if (failed(input))
    return failure();
  int64_t rank = input->getRank();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return opError(loc, opName, "expects 'pads' of 2 * rank = ", 2 * rank,
                   " entries (all begins, then all ends), got ", pads.size());
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    int64_t size = input->getDimSize(i);
    if (!isDyn(size)) {
      std::optional<int64_t> begin = llvm::checkedAdd(size, pads[i]);
      std::optional<int64_t> padded =
          begin ? llvm::checkedAdd(*begin, pads[rank + i]) : std::nullopt;
      if (!padded)
        return overflowError(loc, opName, i);
      size = *padded;
    }
    if (!isDyn(size) && size < 0)
      return opError(loc, opName, "expects pads that leave a non-negative ",
                     "size, got ", size, " in dimension ", i);
    shape.push_back(size);
  }
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferFlattenResultType(MLIRContext *context,
                                     std::optional<Location> loc,
                                     StringRef opName, Type inputType,
                                     int64_t axis,
                                     SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, inputType, "input");
  if (failed(input))
    return failure();
  int64_t rank = input->getRank();
  if (axis < -rank || axis > rank)
    return opError(loc, opName, "expects 'axis' in [", -rank, ", ", rank,
                   "] for rank ", rank, ", got ", axis);
  if (axis < 0)
    axis += rank;
  // The product of `dims`; dynamic if one is; std::nullopt on overflow.
  auto product = [](ArrayRef<int64_t> dims) -> std::optional<int64_t> {
    std::optional<int64_t> p = 1;
    for (int64_t d : dims) {
      if (isDyn(d))
        return ShapedType::kDynamic;
      p = p ? llvm::checkedMul(*p, d) : std::nullopt;
    }
    return p;
  };
  ArrayRef<int64_t> shape = input->getShape();
  std::optional<int64_t> rows = product(shape.take_front(axis));
  std::optional<int64_t> columns = product(shape.drop_front(axis));
  if (!rows || !columns)
    return overflowError(loc, opName, rows ? 1 : 0);
  inferred.push_back(
      RankedTensorType::get({*rows, *columns}, input->getElementType()));
  return success();
}

LogicalResult inferSqueezeResultType(MLIRContext *context,
                                     std::optional<Location> loc,
                                     StringRef opName, Type inputType,
                                     std::optional<ArrayRef<int64_t>> axes,
                                     SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, inputType, "input");
  if (failed(input))
    return failure();
  int64_t rank = input->getRank();
  llvm::SmallBitVector drop(rank);
  if (axes) {
    FailureOr<SmallVector<int64_t>> normalized =
        normalizeAxes(loc, opName, "'axes'", *axes, rank);
    if (failed(normalized))
      return failure();
    for (int64_t axis : *normalized) {
      int64_t size = input->getDimSize(axis);
      if (size != 1 && !isDyn(size))
        return opError(loc, opName, "expects squeezed dimensions of size 1, ",
                       "got size ", size, " in dimension ", axis);
      drop.set(axis);
    }
  } else {
    for (int64_t i = 0; i < rank; ++i)
      if (input->getDimSize(i) == 1)
        drop.set(i);
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    if (!drop.test(i))
      shape.push_back(input->getDimSize(i));
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

LogicalResult inferUnsqueezeResultType(MLIRContext *context,
                                       std::optional<Location> loc,
                                       StringRef opName, Type inputType,
                                       ArrayRef<int64_t> axes,
                                       SmallVectorImpl<Type> &inferred) {
  FailureOr<RankedTensorType> input =
      getRanked(loc, opName, inputType, "input");
  if (failed(input))
    return failure();
  int64_t rank = input->getRank() + static_cast<int64_t>(axes.size());
  if (axes.empty())
    return opError(loc, opName, "expects at least one axis in 'axes'");
  FailureOr<SmallVector<int64_t>> normalized =
      normalizeAxes(loc, opName, "'axes'", axes, rank);
  if (failed(normalized))
    return failure();
  llvm::SmallBitVector inserted(rank);
  for (int64_t axis : *normalized)
    inserted.set(axis);
  SmallVector<int64_t> shape;
  ArrayRef<int64_t> in = input->getShape();
  for (int64_t i = 0; i < rank; ++i) {
    if (inserted.test(i)) {
      shape.push_back(1);
    } else {
      shape.push_back(in.front());
      in = in.drop_front();
    }
  }
  inferred.push_back(RankedTensorType::get(shape, input->getElementType()));
  return success();
}

} // namespace accml::detail

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  auto resource = dyn_cast<DenseResourceElementsAttr>(getValue());
  if (!resource)
    return success();
  DenseResourceElementsHandle handle = resource.getRawHandle();
  const AsmResourceBlob *blob = handle.getBlob();
  if (!blob)
    return emitOpError("expects data for resource '")
           << handle.getKey() << "', but the module has none";
  RankedTensorType type = getType();
  Type element = type.getElementType();
  if (!type.hasStaticShape())
    return success();
  // Booleans take one byte each in a resource blob.
  int64_t expected =
      type.getNumElements() * std::max(1u, element.getIntOrFloatBitWidth() / 8);
  int64_t actual = static_cast<int64_t>(blob->getData().size());
  if (actual != expected)
    return emitOpError("expects ")
           << expected << " bytes of data in resource '" << handle.getKey()
           << "' for " << type << ", got " << actual;
  return success();
}

LogicalResult GeluOp::verify() {
  StringRef approximate = getApproximate();
  if (approximate != "none" && approximate != "tanh")
    return emitOpError(
               "expects 'approximate' to be \"none\" or \"tanh\", got \"")
           << approximate << "\"";
  return success();
}

LogicalResult BatchNormOp::verify() {
  RankedTensorType input = getInput().getType();
  if (input.getRank() < 2)
    return emitOpError("expects an N x C x ... input of rank at least 2, got ")
           << input;
  int64_t channels = input.getDimSize(1);
  const StringRef names[] = {"scale", "bias", "mean", "variance"};
  const Value values[] = {getScale(), getBias(), getMean(), getVariance()};
  for (auto [name, value] : llvm::zip(names, values)) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getRank() != 1)
      return emitOpError("expects '") << name << "' of rank 1, got " << type;
    int64_t size = type.getDimSize(0);
    if (!isDyn(size) && !isDyn(channels) && size != channels)
      return emitOpError("expects '")
             << name << "' of " << channels
             << " elements (one per channel), got " << type;
  }
  if (getEpsilon().isNegative())
    return emitOpError("expects a non-negative 'epsilon'");
  return success();
}

LogicalResult LayerNormOp::verify() {
  RankedTensorType input = getInput().getType();
  int64_t rank = input.getRank();
  int64_t axis = getAxis();
  if (rank == 0)
    return emitOpError("expects an input of rank at least 1, got ") << input;
  if (axis < -rank || axis >= rank)
    return emitOpError("expects 'axis' in [")
           << -rank << ", " << rank << ") for rank " << rank << ", got "
           << axis;
  if (axis < 0)
    axis += rank;
  ArrayRef<int64_t> normalized = input.getShape().drop_front(axis);
  for (Value param : {getScale(), getBias()}) {
    if (!param)
      continue;
    auto type = cast<RankedTensorType>(param.getType());
    if (type.getElementType() != input.getElementType())
      return emitOpError("expects scale and bias of element type ")
             << input.getElementType() << ", got " << type;
    if (!isBroadcastableTo(type.getShape(), normalized))
      return emitOpError("expects scale and bias to broadcast to the "
                         "normalised dimensions ")
             << shapeStr(normalized) << ", got " << type;
  }
  if (getEpsilon().isNegative())
    return emitOpError("expects a non-negative 'epsilon'");
  return success();
}

/// Checks the axis of softmax and log_softmax.
static LogicalResult verifySoftmaxAxis(Operation *op, RankedTensorType type,
                                       int64_t axis) {
  int64_t rank = type.getRank();
  if (rank == 0)
    return op->emitOpError("expects an input of rank at least 1, got ") << type;
  if (axis < -rank || axis >= rank)
    return op->emitOpError("expects 'axis' in [")
           << -rank << ", " << rank << ") for rank " << rank << ", got "
           << axis;
  return success();
}

LogicalResult SoftmaxOp::verify() {
  return verifySoftmaxAxis(*this, getInput().getType(), getAxis());
}

LogicalResult LogSoftmaxOp::verify() {
  return verifySoftmaxAxis(*this, getInput().getType(), getAxis());
}

LogicalResult ReshapeOp::verify() {
  RankedTensorType input = getInput().getType(), result = getType();
  if (input.hasStaticShape() && result.hasStaticShape() &&
      input.getNumElements() != result.getNumElements())
    return emitOpError("expects the same number of elements, got ")
           << input.getNumElements() << " in " << input << " and "
           << result.getNumElements() << " in " << result;
  return success();
}

LogicalResult SplitOp::verify() {
  RankedTensorType input = getInput().getType();
  int64_t rank = input.getRank();
  if (rank == 0)
    return emitOpError("expects an input of rank at least 1, got ") << input;
  int64_t axis = getAxis();
  if (axis < -rank || axis >= rank)
    return emitOpError("expects 'axis' in [")
           << -rank << ", " << rank << ") for rank " << rank << ", got "
           << axis;
  if (axis < 0)
    axis += rank;
  size_t numResults = getNumResults();
  if (numResults == 0)
    return emitOpError("expects at least one result");
  int64_t size = input.getDimSize(axis);
  SmallVector<int64_t> sizes;
  if (std::optional<ArrayRef<int64_t>> split = getSplit()) {
    if (split->size() != numResults)
      return emitOpError("expects one 'split' entry per result, got ")
             << split->size() << " entries for " << numResults << " results";
    std::optional<int64_t> total = 0;
    for (int64_t s : *split) {
      if (s < 0)
        return emitOpError("expects non-negative 'split' sizes, got ")
               << listStr(*split);
      total = total ? llvm::checkedAdd(*total, s) : std::nullopt;
    }
    if (!total)
      return emitOpError("expects 'split' sizes whose sum fits in 64 bits, "
                         "got ")
             << listStr(*split);
    if (!isDyn(size) && *total != size)
      return emitOpError("expects 'split' sizes to add up to the dimension (")
             << size << "), got " << listStr(*split);
    sizes.assign(split->begin(), split->end());
  } else if (isDyn(size)) {
    sizes.assign(numResults, ShapedType::kDynamic);
  } else {
    if (size % static_cast<int64_t>(numResults) != 0)
      return emitOpError("expects dimension ")
             << axis << " (" << size << ") to divide evenly into " << numResults
             << " results, or explicit 'split' sizes";
    sizes.assign(numResults, size / static_cast<int64_t>(numResults));
  }
  for (auto [i, result] : llvm::enumerate(getResults())) {
    SmallVector<int64_t> shape(input.getShape());
    shape[axis] = sizes[i];
    Type expected = RankedTensorType::get(shape, input.getElementType());
    Type actual = result.getType();
    if (!detail::areCompatibleTensorTypes(TypeRange(expected),
                                          TypeRange(actual)))
      return emitOpError("expects result ")
             << i << " of type " << expected << ", got " << result.getType();
  }
  return success();
}

LogicalResult PadOp::verify() {
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return emitOpError(
               "expects 'mode' to be \"constant\", \"reflect\" or \"edge\", "
               "got \"")
           << mode << "\"";
  RankedTensorType input = getInput().getType();
  Type element = input.getElementType();
  if (isa<IntegerType>(element)) {
    // The fill value must be a value of the element type (i1: 0 or 1).
    unsigned width = element.getIntOrFloatBitWidth();
    llvm::APSInt value(width, /*isUnsigned=*/width == 1);
    bool isExact;
    if (getConstantValue().convertToInteger(value, llvm::APFloat::rmTowardZero,
                                            &isExact) != llvm::APFloat::opOK ||
        !isExact)
      return emitOpError("expects a 'constant_value' that ")
             << element << " represents exactly, got "
             << getConstantValue().convertToDouble();
  }
  int64_t rank = input.getRank();
  ArrayRef<int64_t> pads = getPads();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return success(); // Reported by type inference.
  for (int64_t i = 0; i < rank; ++i) {
    int64_t size = input.getDimSize(i);
    int64_t before = pads[i], after = pads[rank + i];
    if (isDyn(size) || (before <= 0 && after <= 0))
      continue;
    if (mode == "reflect" && (before >= size || after >= size))
      return emitOpError("expects reflect pads smaller than the dimension (")
             << size << "), got " << before << " and " << after
             << " in dimension " << i;
    if (mode == "edge" && size == 0)
      return emitOpError("expects a non-empty dimension to pad in edge mode, "
                         "got dimension ")
             << i << " of size 0";
  }
  return success();
}

LogicalResult ExpandOp::verify() {
  RankedTensorType input = getInput().getType(), result = getType();
  if (input.getRank() > result.getRank())
    return emitOpError("expects a result rank at least the input's, got ")
           << input << " and " << result;
  ArrayRef<int64_t> from = input.getShape(), to = result.getShape();
  size_t offset = to.size() - from.size();
  for (auto [i, d] : llvm::enumerate(from)) {
    int64_t t = to[offset + i];
    if (d == 1 || isDyn(d) || isDyn(t) || d == t)
      continue;
    return emitOpError("expects input ")
           << input << " to broadcast to " << result << ", but dimension " << i
           << " has size " << d << " where the result has " << t;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Misc op methods
//===----------------------------------------------------------------------===//

void ConstantOp::getAsmResultNames(OpAsmSetValueNameFn setNameFn) {
  setNameFn(getResult(), "cst");
}

SmallVector<int64_t> TransposeOp::getPermutation() {
  if (std::optional<ArrayRef<int64_t>> perm = getPerm())
    return SmallVector<int64_t>(*perm);
  return llvm::to_vector(
      llvm::reverse(llvm::seq<int64_t>(0, getInput().getType().getRank())));
}

//===----------------------------------------------------------------------===//
// TableGen'd op definitions
//===----------------------------------------------------------------------===//

#define GET_OP_CLASSES
#include "accml/Dialect/Accml/IR/AccmlOps.cpp.inc"
