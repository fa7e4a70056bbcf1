//===- Npy.h - numpy .npy files ---------------------------------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Reads and writes numpy's .npy format (versions 1.0 to 3.0), C order,
// little endian, with the dtypes of the accml element types: f4, f2, i1, i4,
// i8, b1. numpy has no bfloat16: bf16 tensors are written as f4, and the
// runtime accepts f4 data for bf16 inputs.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_RUNTIME_NPY_H
#define ACCML_RUNTIME_NPY_H

#include "accml/Runtime/Tensor.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBufferRef.h"

namespace accml::runtime {

/// Parses a .npy image; `name` is used in error messages.
llvm::Expected<Tensor> parseNpy(llvm::MemoryBufferRef buffer);

/// Reads a .npy file. Malformed files give an error that names the file and
/// what is wrong (bad magic, truncated data, unsupported dtype, Fortran
/// order, ...).
llvm::Expected<Tensor> readNpy(llvm::StringRef path);

/// The .npy image of `tensor` (bf16 is widened to f4).
std::string serializeNpy(const Tensor &tensor);

/// Writes `tensor` to `path` as .npy.
llvm::Error writeNpy(llvm::StringRef path, const Tensor &tensor);

} // namespace accml::runtime

#endif // ACCML_RUNTIME_NPY_H
