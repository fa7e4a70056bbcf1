//===- ShapeUtils.h - Shape rules of accml ops ------------------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// The shape rules of the accml ops (numpy broadcasting, pooling windows, ONNX
// slice clamping), shared by type inference, folders and lowerings. Dynamic
// dimensions are ShapedType::kDynamic.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_DIALECT_ACCML_IR_SHAPEUTILS_H
#define ACCML_DIALECT_ACCML_IR_SHAPEUTILS_H

#include "accml/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <utility>

namespace accml {

/// Broadcasts two shapes with numpy's rules. A dynamic dimension against a
/// static one other than 1 takes the static size. Fails on a mismatch.
FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                ArrayRef<int64_t> rhs);

/// Whether `from` broadcasts unidirectionally to `to` (numpy broadcast_to).
bool isBroadcastableTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to);

/// The number of `window`-wide windows, `stride` apart, over `in` padded by
/// `padBegin` and `padEnd`; rounded up with `ceilMode`, dropping a last window
/// that would start in the end padding. 0 when no window fits, dynamic when
/// `in` is, std::nullopt when the padded size overflows int64_t. `window` is
/// at least 1 and `stride` positive.
std::optional<int64_t> pooledSize(int64_t in, int64_t padBegin, int64_t padEnd,
                                  int64_t window, int64_t stride,
                                  bool ceilMode);

/// ONNX Slice bounds: `start` and `end` made non-negative and clamped to
/// `dim` for the direction of `step` ({0, 0} for an empty dimension).
std::pair<int64_t, int64_t> clampSliceBounds(int64_t dim, int64_t start,
                                             int64_t end, int64_t step);

/// The size of `dim` sliced by ONNX Slice rules.
int64_t slicedSize(int64_t dim, int64_t start, int64_t end, int64_t step);

} // namespace accml

#endif // ACCML_DIALECT_ACCML_IR_SHAPEUTILS_H
