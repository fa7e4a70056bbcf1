//===- Compiler.h - From MLIR text to LLVM IR and object code ---*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// The steps shared by the JIT (CompiledModule) and the ahead-of-time tools
// (accml-translate, accml-compile): parsing with every dialect AccML knows,
// recording function signatures, lowering with accml-cpu-pipeline, and
// emitting optimised object code, shared libraries and C headers.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_RUNTIME_COMPILER_H
#define ACCML_RUNTIME_COMPILER_H

#include "accml/Pipelines/Pipelines.h"
#include "accml/Runtime/Runtime.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace accml::runtime {

using SignatureMap = std::map<std::string, FunctionSignature>;

/// Registers every dialect, extension and LLVM IR translation AccML uses.
void registerCompilerDialects(mlir::DialectRegistry &registry);

/// Initialises LLVM's native target (once per process).
void initializeNativeTarget();

/// Collects the diagnostics emitted on a context while alive, as text.
class DiagnosticCapture {
public:
  explicit DiagnosticCapture(mlir::MLIRContext &context);
  ~DiagnosticCapture();
  /// The collected diagnostics as an error (or `fallback` if there were
  /// none); clears them.
  llvm::Error takeError(const llvm::Twine &fallback);

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

/// Parses `source` into a module on `context` (diagnostics go to the
/// context's handlers).
mlir::OwningOpRef<mlir::ModuleOp> parseModule(mlir::MLIRContext &context,
                                              llvm::StringRef source,
                                              llvm::StringRef bufferName);

/// Records the signature of every public function and marks its tensor
/// arguments read-only for bufferization. Fails on types the runtime cannot
/// exchange.
llvm::Expected<SignatureMap> prepareModule(mlir::ModuleOp module,
                                           llvm::StringRef bufferName);

/// Sets `pipelineOptions` from `options` (threads, then the
/// `pipelineOptions` text); an error names what is wrong with the text, or
/// the host's lack of a unit the options ask for (checkTargetSupport).
llvm::Error parsePipelineOptions(const CompileOptions &options,
                                 CPUPipelineOptions &pipelineOptions);

/// An error when `pipelineOptions` ask for an instruction set extension
/// that `target` lacks (bf16-matmul=amx without AMX-BF16,
/// bf16-matmul=avx512-bf16 without AVX-512-BF16): the code would fault.
llvm::Error checkTargetSupport(const CPUPipelineOptions &pipelineOptions,
                               const CPUTarget &target);

/// Runs accml-cpu-pipeline on `module` in place.
mlir::LogicalResult lowerToLLVMDialect(mlir::ModuleOp module,
                                       const CompileOptions &options);

/// Translates an LLVM-dialect module, optimises it at -O3 for the host CPU
/// and writes an object file (position independent) to `os`.
llvm::Error emitObjectFile(mlir::ModuleOp module, llvm::raw_pwrite_stream &os);

/// Links `objectPath` into the shared library `outputPath` with clang-22
/// (adding libm, and libomp when `openmp`).
llvm::Error linkSharedLibrary(llvm::StringRef objectPath,
                              llvm::StringRef outputPath, bool openmp);

/// Writes a C header declaring the `_mlir_ciface_` entry points of
/// `signatures` with their memref descriptor types.
void emitCHeader(const SignatureMap &signatures, llvm::StringRef sourceName,
                 llvm::StringRef guard, llvm::raw_ostream &os);

} // namespace accml::runtime

#endif // ACCML_RUNTIME_COMPILER_H
