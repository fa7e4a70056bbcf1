//===- Tensor.h - Host tensors of the AccML runtime -------------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// A dense row-major host tensor that owns its bytes: what the runtime takes
// as input, returns as output, and what the .npy reader and writer exchange.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_RUNTIME_TENSOR_H
#define ACCML_RUNTIME_TENSOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mlir {
class Type;
} // namespace mlir

namespace accml::runtime {

/// The element types the runtime exchanges (the accml element types).
enum class ElementType { F32, F16, BF16, I8, I32, I64, I1 };

/// Bytes per element (i1 is stored as one byte, 0 or 1).
size_t getElementSize(ElementType type);

/// The MLIR spelling: "f32", "bf16", "i1", ...
llvm::StringRef getElementTypeName(ElementType type);

/// The element type of an MLIR scalar type, if the runtime supports it.
std::optional<ElementType> getElementType(mlir::Type type);

/// Conversions between float and the 16-bit float formats (round to nearest
/// even).
uint16_t floatToHalf(float value);
float halfToFloat(uint16_t value);
uint16_t floatToBFloat16(float value);
float bfloat16ToFloat(uint16_t value);

/// A dense row-major tensor owning its data.
class Tensor {
public:
  Tensor() = default;
  /// A tensor of zeros.
  Tensor(ElementType type, llvm::ArrayRef<int64_t> shape);
  /// A tensor that takes ownership of `allocation` (from malloc; freed with
  /// free) and whose elements start at `data`, inside it: the result
  /// buffers of compiled code are handed over without a copy.
  static Tensor adopt(ElementType type, llvm::ArrayRef<int64_t> shape,
                      void *allocation, void *data);

  Tensor(const Tensor &other);
  Tensor &operator=(const Tensor &other);
  Tensor(Tensor &&other) noexcept = default;
  Tensor &operator=(Tensor &&other) noexcept = default;

  ElementType getElementType() const { return type; }
  llvm::ArrayRef<int64_t> getShape() const { return shape; }
  int64_t getRank() const { return static_cast<int64_t>(shape.size()); }
  int64_t getNumElements() const;
  size_t getSizeInBytes() const { return size; }

  void *getData() { return data; }
  const void *getData() const { return data; }

  /// Element `i` (row-major) converted to double.
  double getAsDouble(int64_t i) const;
  /// Sets element `i` from a double (rounded/truncated to the type).
  void setFromDouble(int64_t i, double value);

  /// "tensor<2x3xf32>".
  std::string getTypeString() const;

private:
  struct Free {
    void operator()(void *pointer) const { std::free(pointer); }
  };

  ElementType type = ElementType::F32;
  llvm::SmallVector<int64_t> shape;
  std::unique_ptr<void, Free> allocation;
  uint8_t *data = nullptr;
  size_t size = 0;
};

} // namespace accml::runtime

#endif // ACCML_RUNTIME_TENSOR_H
