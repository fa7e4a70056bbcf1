//===- NpyTest.cpp - Tests of the .npy reader and writer ------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Npy.h"

#include "llvm/Support/MemoryBuffer.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace accml::runtime;

namespace {

/// Parses `image` (named "test.npy"), returning the tensor or the error text.
llvm::Expected<Tensor> parse(const std::string &image) {
  return parseNpy(llvm::MemoryBufferRef(image, "test.npy"));
}

std::string errorOf(const std::string &image) {
  llvm::Expected<Tensor> tensor = parse(image);
  EXPECT_FALSE(static_cast<bool>(tensor));
  return tensor ? std::string() : llvm::toString(tensor.takeError());
}

/// A version-1.0 image with `header` (padded) and `data`.
std::string makeImage(std::string header, const std::string &data,
                      int major = 1) {
  std::string image("\x93NUMPY", 6);
  image.push_back(static_cast<char>(major));
  image.push_back(0);
  header.push_back('\n');
  if (major == 1) {
    image.push_back(static_cast<char>(header.size() & 0xff));
    image.push_back(static_cast<char>(header.size() >> 8));
  } else {
    for (int i = 0; i < 4; ++i)
      image.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
  }
  return image + header + data;
}

TEST(Npy, RoundTripsEveryType) {
  for (ElementType type :
       {ElementType::F32, ElementType::F16, ElementType::I8, ElementType::I32,
        ElementType::I64, ElementType::I1}) {
    Tensor tensor(type, {2, 3});
    for (int64_t i = 0; i < 6; ++i)
      tensor.setFromDouble(i, type == ElementType::I1 ? i % 2 : i - 2);
    llvm::Expected<Tensor> back = parse(serializeNpy(tensor));
    ASSERT_TRUE(static_cast<bool>(back)) << llvm::toString(back.takeError());
    EXPECT_EQ(back->getElementType(), type);
    EXPECT_EQ(back->getShape(), tensor.getShape());
    EXPECT_EQ(
        std::memcmp(back->getData(), tensor.getData(), tensor.getSizeInBytes()),
        0);
  }
}

TEST(Npy, RankZeroAndEmpty) {
  Tensor scalar(ElementType::F32, {});
  scalar.setFromDouble(0, 2.5);
  llvm::Expected<Tensor> back = parse(serializeNpy(scalar));
  ASSERT_TRUE(static_cast<bool>(back));
  EXPECT_EQ(back->getRank(), 0);
  EXPECT_EQ(back->getAsDouble(0), 2.5);

  Tensor empty(ElementType::I64, {0, 4});
  back = parse(serializeNpy(empty));
  ASSERT_TRUE(static_cast<bool>(back));
  EXPECT_EQ(back->getShape(), empty.getShape());
}

TEST(Npy, DataIsSixtyFourByteAligned) {
  std::string image = serializeNpy(Tensor(ElementType::F32, {3}));
  EXPECT_EQ((image.size() - 12) % 64, 0u);
}

TEST(Npy, Bfloat16IsWrittenAsFloat32) {
  Tensor tensor(ElementType::BF16, {2});
  tensor.setFromDouble(0, 1.5);
  tensor.setFromDouble(1, -3.0);
  llvm::Expected<Tensor> back = parse(serializeNpy(tensor));
  ASSERT_TRUE(static_cast<bool>(back));
  EXPECT_EQ(back->getElementType(), ElementType::F32);
  EXPECT_EQ(back->getAsDouble(0), 1.5);
  EXPECT_EQ(back->getAsDouble(1), -3.0);
}

TEST(Npy, ReadsVersionTwoHeaders) {
  std::string data(8, '\0');
  llvm::Expected<Tensor> tensor = parse(makeImage(
      "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", data, 2));
  ASSERT_TRUE(static_cast<bool>(tensor)) << llvm::toString(tensor.takeError());
  EXPECT_EQ(tensor->getElementType(), ElementType::I32);
}

TEST(Npy, RejectsMalformedFiles) {
  EXPECT_EQ(errorOf("PK\x03\x04 a zip file"),
            "test.npy: not a .npy file (bad magic)");
  EXPECT_EQ(errorOf(std::string("\x93NUMPY\x01\x00\x40", 9)),
            "test.npy: truncated header");
  EXPECT_EQ(errorOf(makeImage("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (2, 2), }",
                              std::string(12, '\0'))),
            "test.npy: truncated data: the shape (2, 2) needs 16 bytes, the "
            "file has 12");
  EXPECT_EQ(errorOf(makeImage("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (1,), }",
                              std::string(8, '\0'))),
            "test.npy: has 8 bytes of data where the shape (1,) needs 4");
  EXPECT_EQ(errorOf(makeImage("{'descr': '<c8', 'fortran_order': False, "
                              "'shape': (1,), }",
                              std::string(8, '\0'))),
            "test.npy: unsupported dtype '<c8' (supported: little-endian f4, "
            "f2, i1, i4, i8 and b1)");
  EXPECT_EQ(errorOf(makeImage("{'descr': '<f4', 'fortran_order': True, "
                              "'shape': (1, 1), }",
                              std::string(4, '\0'))),
            "test.npy: Fortran-order arrays are not supported; save a C-order "
            "array (numpy.ascontiguousarray)");
  EXPECT_EQ(errorOf(makeImage("{'descr': '<f4', 'shape': (1,), }",
                              std::string(4, '\0'))),
            "test.npy: malformed header '{'descr': '<f4', 'shape': (1,), }' "
            "(expected descr, fortran_order and shape)");
  EXPECT_EQ(errorOf(makeImage("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (-1,), }",
                              "")),
            "test.npy: malformed shape (-1,)");
  EXPECT_EQ(errorOf(makeImage("{}", "", 4)),
            "test.npy: unsupported .npy version 4 (supported: 1.0 to 3.0)");
}

TEST(Npy, ReportsMissingFiles) {
  llvm::Expected<Tensor> tensor = readNpy("/nonexistent/dir/x.npy");
  ASSERT_FALSE(static_cast<bool>(tensor));
  EXPECT_EQ(llvm::toString(tensor.takeError()),
            "/nonexistent/dir/x.npy: cannot read: No such file or directory");
}

} // namespace
