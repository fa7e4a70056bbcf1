//===- Tensor.cpp - Host tensors of the AccML runtime ---------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Tensor.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstring>

using namespace accml::runtime;

size_t accml::runtime::getElementSize(ElementType type) {
  switch (type) {
  case ElementType::F32:
  case ElementType::I32:
    return 4;
  case ElementType::F16:
  case ElementType::BF16:
    return 2;
  case ElementType::I8:
  case ElementType::I1:
    return 1;
  case ElementType::I64:
    return 8;
  }
  llvm_unreachable("unknown element type");
}

llvm::StringRef accml::runtime::getElementTypeName(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return "f32";
  case ElementType::F16:
    return "f16";
  case ElementType::BF16:
    return "bf16";
  case ElementType::I8:
    return "i8";
  case ElementType::I32:
    return "i32";
  case ElementType::I64:
    return "i64";
  case ElementType::I1:
    return "i1";
  }
  llvm_unreachable("unknown element type");
}

std::optional<ElementType> accml::runtime::getElementType(mlir::Type type) {
  if (type.isF32())
    return ElementType::F32;
  if (type.isF16())
    return ElementType::F16;
  if (type.isBF16())
    return ElementType::BF16;
  if (type.isSignlessInteger(8))
    return ElementType::I8;
  if (type.isSignlessInteger(32))
    return ElementType::I32;
  if (type.isSignlessInteger(64))
    return ElementType::I64;
  if (type.isSignlessInteger(1))
    return ElementType::I1;
  return std::nullopt;
}

static uint16_t toBits(float value, const llvm::fltSemantics &semantics) {
  llvm::APFloat f(value);
  bool losesInfo;
  f.convert(semantics, llvm::APFloat::rmNearestTiesToEven, &losesInfo);
  return static_cast<uint16_t>(f.bitcastToAPInt().getZExtValue());
}

static float fromBits(uint16_t bits, const llvm::fltSemantics &semantics) {
  llvm::APFloat f(semantics, llvm::APInt(16, bits));
  bool losesInfo;
  f.convert(llvm::APFloat::IEEEsingle(), llvm::APFloat::rmNearestTiesToEven,
            &losesInfo);
  return f.convertToFloat();
}

uint16_t accml::runtime::floatToHalf(float value) {
  return toBits(value, llvm::APFloat::IEEEhalf());
}
float accml::runtime::halfToFloat(uint16_t value) {
  return fromBits(value, llvm::APFloat::IEEEhalf());
}
uint16_t accml::runtime::floatToBFloat16(float value) {
  return toBits(value, llvm::APFloat::BFloat());
}
float accml::runtime::bfloat16ToFloat(uint16_t value) {
  return fromBits(value, llvm::APFloat::BFloat());
}

Tensor::Tensor(ElementType type, llvm::ArrayRef<int64_t> shape)
    : type(type), shape(shape.begin(), shape.end()) {
  size = static_cast<size_t>(getNumElements()) * getElementSize(type);
  // On a cache line: a vector load of data that calloc aligned to 16 bytes
  // straddles two lines (64-byte vectors: every one of them).
  constexpr size_t line = 64;
  size_t bytes = std::max<size_t>((size + line - 1) / line * line, line);
  allocation.reset(std::aligned_alloc(line, bytes));
  if (!allocation)
    llvm::report_fatal_error("out of memory allocating a tensor");
  std::memset(allocation.get(), 0, bytes);
  data = static_cast<uint8_t *>(allocation.get());
}

Tensor Tensor::adopt(ElementType type, llvm::ArrayRef<int64_t> shape,
                     void *allocation, void *data) {
  Tensor tensor;
  tensor.type = type;
  tensor.shape.assign(shape.begin(), shape.end());
  tensor.size =
      static_cast<size_t>(tensor.getNumElements()) * getElementSize(type);
  tensor.allocation.reset(allocation);
  tensor.data = static_cast<uint8_t *>(data);
  return tensor;
}

Tensor::Tensor(const Tensor &other) : Tensor(other.type, other.shape) {
  if (size)
    std::memcpy(data, other.data, size);
}

Tensor &Tensor::operator=(const Tensor &other) {
  if (this != &other)
    *this = Tensor(other);
  return *this;
}

int64_t Tensor::getNumElements() const {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  return count;
}

double Tensor::getAsDouble(int64_t i) const {
  const uint8_t *p = data + i * getElementSize(type);
  switch (type) {
  case ElementType::F32: {
    float v;
    std::memcpy(&v, p, 4);
    return v;
  }
  case ElementType::F16:
  case ElementType::BF16: {
    uint16_t bits;
    std::memcpy(&bits, p, 2);
    return type == ElementType::F16 ? halfToFloat(bits) : bfloat16ToFloat(bits);
  }
  case ElementType::I8:
    return static_cast<int8_t>(*p);
  case ElementType::I32: {
    int32_t v;
    std::memcpy(&v, p, 4);
    return v;
  }
  case ElementType::I64: {
    int64_t v;
    std::memcpy(&v, p, 8);
    return static_cast<double>(v);
  }
  case ElementType::I1:
    return *p ? 1.0 : 0.0;
  }
  llvm_unreachable("unknown element type");
}

void Tensor::setFromDouble(int64_t i, double value) {
  uint8_t *p = data + i * getElementSize(type);
  switch (type) {
  case ElementType::F32: {
    float v = static_cast<float>(value);
    std::memcpy(p, &v, 4);
    return;
  }
  case ElementType::F16:
  case ElementType::BF16: {
    float v = static_cast<float>(value);
    uint16_t bits =
        type == ElementType::F16 ? floatToHalf(v) : floatToBFloat16(v);
    std::memcpy(p, &bits, 2);
    return;
  }
  case ElementType::I8:
    *p = static_cast<uint8_t>(static_cast<int8_t>(value));
    return;
  case ElementType::I32: {
    int32_t v = static_cast<int32_t>(value);
    std::memcpy(p, &v, 4);
    return;
  }
  case ElementType::I64: {
    int64_t v = static_cast<int64_t>(value);
    std::memcpy(p, &v, 8);
    return;
  }
  case ElementType::I1:
    *p = value != 0.0;
    return;
  }
}

std::string Tensor::getTypeString() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << "tensor<";
  for (int64_t d : shape)
    os << d << "x";
  os << getElementTypeName(type) << ">";
  return s;
}
