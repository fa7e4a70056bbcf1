//===- Npy.cpp - numpy .npy files -----------------------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace accml::runtime;
using llvm::StringRef;

static constexpr char kMagic[] = "\x93NUMPY";
static constexpr size_t kMagicSize = 6;

static llvm::Error npyError(StringRef name, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 name + ": " + message);
}

/// The value of `key` in a Python dict literal (the .npy header), trimmed.
static std::optional<StringRef> findValue(StringRef header, StringRef key) {
  for (StringRef quote : {"'", "\""}) {
    std::string pattern = (quote + key + quote).str();
    size_t at = header.find(pattern);
    if (at == StringRef::npos)
      continue;
    StringRef rest = header.drop_front(at + pattern.size()).ltrim();
    if (!rest.consume_front(":"))
      return std::nullopt;
    rest = rest.ltrim();
    if (rest.starts_with("(")) {
      size_t close = rest.find(')');
      if (close == StringRef::npos)
        return std::nullopt;
      return rest.take_front(close + 1);
    }
    size_t end = rest.find_first_of(",}");
    return rest.take_front(end).trim();
  }
  return std::nullopt;
}

static std::optional<ElementType> parseDescr(StringRef descr) {
  descr = descr.trim("'\" ");
  // Byte order: '<' little, '|' not applicable, '=' native (little here).
  if (descr.size() == 3 &&
      (descr[0] == '<' || descr[0] == '|' || descr[0] == '='))
    descr = descr.drop_front();
  if (descr == "f4")
    return ElementType::F32;
  if (descr == "f2")
    return ElementType::F16;
  if (descr == "i1")
    return ElementType::I8;
  if (descr == "i4")
    return ElementType::I32;
  if (descr == "i8")
    return ElementType::I64;
  if (descr == "b1")
    return ElementType::I1;
  return std::nullopt;
}

llvm::Expected<Tensor> accml::runtime::parseNpy(llvm::MemoryBufferRef buffer) {
  StringRef name = buffer.getBufferIdentifier();
  StringRef bytes = buffer.getBuffer();
  if (bytes.size() < kMagicSize + 2 ||
      std::memcmp(bytes.data(), kMagic, kMagicSize) != 0)
    return npyError(name, "not a .npy file (bad magic)");
  unsigned major = static_cast<uint8_t>(bytes[6]);
  size_t headerLength, headerStart;
  if (major == 1) {
    if (bytes.size() < 10)
      return npyError(name, "truncated header");
    headerLength = static_cast<uint8_t>(bytes[8]) |
                   (static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8);
    headerStart = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return npyError(name, "truncated header");
    headerLength = 0;
    for (int i = 3; i >= 0; --i)
      headerLength = (headerLength << 8) | static_cast<uint8_t>(bytes[8 + i]);
    headerStart = 12;
  } else {
    return npyError(name, "unsupported .npy version " + llvm::Twine(major) +
                              " (supported: 1.0 to 3.0)");
  }
  if (bytes.size() < headerStart + headerLength)
    return npyError(name, "truncated header");
  StringRef header = bytes.substr(headerStart, headerLength);

  std::optional<StringRef> descr = findValue(header, "descr");
  std::optional<StringRef> fortran = findValue(header, "fortran_order");
  std::optional<StringRef> shapeText = findValue(header, "shape");
  if (!descr || !fortran || !shapeText)
    return npyError(name, "malformed header '" + header.trim() +
                              "' (expected descr, fortran_order and shape)");
  std::optional<ElementType> type = parseDescr(*descr);
  if (!type)
    return npyError(name, "unsupported dtype " + *descr +
                              " (supported: little-endian f4, f2, i1, i4, i8 "
                              "and b1)");
  if (*fortran == "True")
    return npyError(name, "Fortran-order arrays are not supported; save a "
                          "C-order array (numpy.ascontiguousarray)");
  if (*fortran != "False")
    return npyError(name, "malformed fortran_order value " + *fortran);

  llvm::SmallVector<int64_t> shape;
  StringRef dims = shapeText->trim("() ");
  llvm::SmallVector<StringRef> parts;
  dims.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    part = part.trim();
    if (part.empty())
      continue;
    int64_t size;
    if (part.getAsInteger(10, size) || size < 0)
      return npyError(name, "malformed shape " + *shapeText);
    shape.push_back(size);
  }

  Tensor tensor(*type, shape);
  size_t dataStart = headerStart + headerLength;
  size_t available = bytes.size() - dataStart;
  if (available < tensor.getSizeInBytes())
    return npyError(name, "truncated data: the shape " + *shapeText +
                              " needs " + llvm::Twine(tensor.getSizeInBytes()) +
                              " bytes, the file has " + llvm::Twine(available));
  if (available > tensor.getSizeInBytes())
    return npyError(name, "has " + llvm::Twine(available) +
                              " bytes of data where the shape " + *shapeText +
                              " needs " + llvm::Twine(tensor.getSizeInBytes()));
  std::memcpy(tensor.getData(), bytes.data() + dataStart,
              tensor.getSizeInBytes());
  return tensor;
}

llvm::Expected<Tensor> accml::runtime::readNpy(StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!file)
    return npyError(path, "cannot read: " + file.getError().message());
  return parseNpy((*file)->getMemBufferRef());
}

std::string accml::runtime::serializeNpy(const Tensor &tensor) {
  const char *descr = "<f4";
  const Tensor *source = &tensor;
  Tensor widened;
  switch (tensor.getElementType()) {
  case ElementType::F32:
    descr = "<f4";
    break;
  case ElementType::BF16: {
    descr = "<f4";
    widened = Tensor(ElementType::F32, tensor.getShape());
    for (int64_t i = 0; i < tensor.getNumElements(); ++i)
      widened.setFromDouble(i, tensor.getAsDouble(i));
    source = &widened;
    break;
  }
  case ElementType::F16:
    descr = "<f2";
    break;
  case ElementType::I8:
    descr = "|i1";
    break;
  case ElementType::I32:
    descr = "<i4";
    break;
  case ElementType::I64:
    descr = "<i8";
    break;
  case ElementType::I1:
    descr = "|b1";
    break;
  }
  std::string header;
  llvm::raw_string_ostream os(header);
  os << "{'descr': '" << descr << "', 'fortran_order': False, 'shape': (";
  for (int64_t d : tensor.getShape())
    os << d << ", ";
  if (tensor.getRank() > 1) {
    header.pop_back();
    header.pop_back();
  } else if (tensor.getRank() == 1) {
    header.pop_back();
  }
  os << "), }";
  // Pad with spaces so that the data starts 64-byte aligned.
  size_t total = kMagicSize + 4 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::string image(kMagic, kMagicSize);
  image.push_back(1);
  image.push_back(0);
  image.push_back(static_cast<char>(header.size() & 0xff));
  image.push_back(static_cast<char>(header.size() >> 8));
  image += header;
  image.append(static_cast<const char *>(source->getData()),
               source->getSizeInBytes());
  return image;
}

llvm::Error accml::runtime::writeNpy(StringRef path, const Tensor &tensor) {
  std::error_code error;
  llvm::raw_fd_ostream out(path, error, llvm::sys::fs::OF_None);
  if (error)
    return npyError(path, "cannot write: " + error.message());
  out << serializeNpy(tensor);
  return llvm::Error::success();
}
