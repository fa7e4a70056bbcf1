//===- Runtime.h - JIT compilation and execution ----------------*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Compiles an MLIR module (accml or linalg on tensors) with
// accml-cpu-pipeline, JIT-compiles it with the MLIR ExecutionEngine at -O3
// for the host CPU, and calls its functions on host tensors.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_RUNTIME_RUNTIME_H
#define ACCML_RUNTIME_RUNTIME_H

#include "accml/Runtime/Tensor.h"

#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace accml::runtime {

struct CompileOptions {
  /// Threads of the outer parallel loops (1: sequential, 0: every core).
  unsigned threads = 1;
  /// Further accml-cpu-pipeline options in the pass-option syntax, e.g.
  /// "cache-tiles=64,256,64 pack=false" (they override `threads`).
  std::string pipelineOptions;
  /// Print the IR after every pass to stderr.
  bool printIRAfterAll = false;
  /// Print pass-by-pass timing to stderr.
  bool timing = false;
  /// If set, write the LLVM IR (before LLVM's optimizations) to this file.
  std::string dumpLLVMIR;
};

/// The type of one argument or result: element type and shape (dynamic
/// dimensions are -1).
struct TensorSpec {
  ElementType elementType;
  llvm::SmallVector<int64_t> shape;

  /// "tensor<?x3xf32>".
  std::string str() const;
};

struct FunctionSignature {
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
};

/// A compiled module ready to run.
class CompiledModule {
public:
  ~CompiledModule();

  /// Parses `source` (MLIR text; `bufferName` names it in diagnostics),
  /// compiles and JIT-compiles it. Errors carry the MLIR diagnostics.
  static llvm::Expected<std::unique_ptr<CompiledModule>>
  compile(llvm::StringRef source, llvm::StringRef bufferName,
          const CompileOptions &options);

  /// The signature of public function `entry`, as written in the source.
  llvm::Expected<FunctionSignature> getSignature(llvm::StringRef entry) const;

  /// Names of the public functions the module can run.
  std::vector<std::string> getFunctionNames() const;

  /// Calls `entry` on `inputs`, which must match its signature (count, rank,
  /// static sizes, element type; f32 data is accepted for bf16 inputs).
  /// Returns the results as owned tensors.
  llvm::Expected<std::vector<Tensor>> run(llvm::StringRef entry,
                                          llvm::ArrayRef<Tensor> inputs);

  /// Wall-clock seconds spent in compile().
  double getCompileSeconds() const { return compileSeconds; }

private:
  CompiledModule();

  struct Impl;
  std::unique_ptr<Impl> impl;
  double compileSeconds = 0;
};

} // namespace accml::runtime

#endif // ACCML_RUNTIME_RUNTIME_H
