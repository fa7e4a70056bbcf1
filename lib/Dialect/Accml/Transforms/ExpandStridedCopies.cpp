//===- ExpandStridedCopies.cpp - accml-expand-strided-copies --------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

namespace accml {
#define GEN_PASS_DEF_ACCMLEXPANDSTRIDEDCOPIESPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;

namespace {

/// Whether `type` is laid out densely in row-major order (memcpy-able).
bool isContiguous(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.getLayout().isIdentity();
}

/// Rows of at most this many elements are copied as one vector.
constexpr int64_t kMaxVectorRow = 1024;

/// The innermost size of a copy between static buffers of f32, f64 or
/// integers of 8 bits or more whose innermost dimension has unit stride on
/// both sides and 8 to kMaxVectorRow elements; 0 when the copy is not such
/// a row copy.
int64_t vectorRowLength(memref::CopyOp copy) {
  auto source = cast<MemRefType>(copy.getSource().getType());
  auto target = cast<MemRefType>(copy.getTarget().getType());
  // 16-bit floats are left to scalar code: without native support, LLVM
  // cannot legalise some of their vector operations.
  Type element = source.getElementType();
  bool supported =
      element.isF32() || element.isF64() ||
      (element.isSignlessInteger() && element.getIntOrFloatBitWidth() >= 8);
  if (!source.hasStaticShape() || source.getRank() == 0 || !supported)
    return 0;
  for (MemRefType type : {source, target}) {
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(type.getStridesAndOffset(strides, offset)) ||
        strides.back() != 1)
      return 0;
  }
  int64_t length = source.getShape().back();
  return length >= 8 && length <= kMaxVectorRow ? length : 0;
}

/// Copies row by row: loops over the outer dimensions, one vector
/// transfer per row (the rows are contiguous on both sides).
void copyRows(OpBuilder &builder, memref::CopyOp copy, int64_t length) {
  Location loc = copy.getLoc();
  auto source = cast<MemRefType>(copy.getSource().getType());
  auto vectorType = VectorType::get({length}, source.getElementType());
  SmallVector<Value> indices;
  Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
  Value one = arith::ConstantIndexOp::create(builder, loc, 1);
  for (int64_t size : source.getShape().drop_back()) {
    Value bound = arith::ConstantIndexOp::create(builder, loc, size);
    auto loop = scf::ForOp::create(builder, loc, zero, bound, one);
    indices.push_back(loop.getInductionVar());
    builder.setInsertionPoint(loop.getBody()->getTerminator());
  }
  indices.push_back(zero);
  Value padding = ub::PoisonOp::create(builder, loc, source.getElementType());
  Value row = vector::TransferReadOp::create(builder, loc, vectorType,
                                             copy.getSource(), indices, padding,
                                             /*inBounds=*/ArrayRef<bool>{true});
  vector::TransferWriteOp::create(builder, loc, row, copy.getTarget(), indices,
                                  /*inBounds=*/ArrayRef<bool>{true});
}

struct AccmlExpandStridedCopiesPass
    : accml::impl::AccmlExpandStridedCopiesPassBase<
          AccmlExpandStridedCopiesPass> {
  void runOnOperation() override {
    getOperation().walk([](memref::CopyOp copy) {
      if (isContiguous(copy.getSource().getType()) &&
          isContiguous(copy.getTarget().getType()))
        return;
      OpBuilder builder(copy);
      if (int64_t length = vectorRowLength(copy))
        copyRows(builder, copy, length);
      else
        linalg::CopyOp::create(builder, copy.getLoc(), copy.getSource(),
                               copy.getTarget());
      copy.erase();
    });
  }
};

} // namespace
