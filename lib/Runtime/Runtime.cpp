//===- Runtime.cpp - JIT compilation and execution ------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// Functions are called through their `_mlir_ciface_` wrappers: each tensor
// argument is passed as a pointer to a memref descriptor
// {allocated, aligned, offset, sizes[rank], strides[rank]} (all 8-byte
// fields), and the results come back through a pointer to the descriptors
// laid out one after the other. Returned buffers are fresh allocations
// (ownership-based deallocation clones anything else) that the runtime
// copies out and frees.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Runtime.h"
#include "accml/Runtime/Compiler.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <malloc.h>
#include <map>
#include <mutex>

using namespace mlir;
using namespace accml;
using namespace accml::runtime;

namespace {

llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// A memref descriptor of `rank`: allocated, aligned, offset, sizes, strides.
size_t descriptorWords(size_t rank) { return 3 + 2 * rank; }

/// Compiled code mallocs and frees its buffers on every run. By default
/// glibc hands large freed blocks back to the kernel (blocks over the mmap
/// threshold are unmapped, the heap top is trimmed), and the next run takes
/// page faults on all of them again: on memory-bound models that is most
/// of the time. Raising both thresholds keeps freed buffers in the process
/// for the next run (as the caching allocators of ML frameworks do). The
/// glibc tunables (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, or
/// ACCML_MALLOC_DEFAULTS=1) keep glibc's defaults.
void keepFreedBuffers() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (std::getenv("ACCML_MALLOC_DEFAULTS") ||
        std::getenv("MALLOC_MMAP_THRESHOLD_") ||
        std::getenv("MALLOC_TRIM_THRESHOLD_"))
      return;
    // The largest mmap threshold glibc accepts on 64-bit hosts: 32 MiB.
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
  });
}

} // namespace

std::string TensorSpec::str() const {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += (d < 0 ? std::string("?") : std::to_string(d)) + "x";
  return s + getElementTypeName(elementType).str() + ">";
}

struct CompiledModule::Impl {
  MLIRContext context;
  SignatureMap signatures;
  std::unique_ptr<ExecutionEngine> engine;
  /// The packed entry point (`_mlir__mlir_ciface_<name>`) of each public
  /// function, looked up once: a lookup in the JIT's session on every call
  /// (ExecutionEngine::invokePacked) took about 4 us, as long as a small
  /// layer itself (a 16-channel 7 x 7 depthwise convolution: 5.4 us a call,
  /// oneDNN 0.8 us).
  std::map<std::string, void (*)(void **)> entries;
};

CompiledModule::CompiledModule() : impl(std::make_unique<Impl>()) {}
CompiledModule::~CompiledModule() = default;

llvm::Expected<std::unique_ptr<CompiledModule>>
CompiledModule::compile(llvm::StringRef source, llvm::StringRef bufferName,
                        const CompileOptions &options) {
  auto start = std::chrono::steady_clock::now();
  CPUPipelineOptions pipelineOptions;
  if (llvm::Error error = parsePipelineOptions(options, pipelineOptions))
    return std::move(error);
  initializeNativeTarget();
  keepFreedBuffers();
  std::unique_ptr<CompiledModule> result(new CompiledModule());
  MLIRContext &context = result->impl->context;
  DialectRegistry registry;
  registerCompilerDialects(registry);
  context.appendDialectRegistry(registry);
  context.loadAllAvailableDialects();
  DiagnosticCapture diagnostics(context);

  OwningOpRef<ModuleOp> module = parseModule(context, source, bufferName);
  if (!module)
    return diagnostics.takeError("cannot parse " + bufferName);
  llvm::Expected<SignatureMap> signatures = prepareModule(*module, bufferName);
  if (!signatures)
    return signatures.takeError();
  result->impl->signatures = std::move(*signatures);
  if (failed(lowerToLLVMDialect(*module, options)))
    return diagnostics.takeError("compilation of " + bufferName + " failed");

  if (!options.dumpLLVMIR.empty()) {
    llvm::LLVMContext llvmContext;
    std::unique_ptr<llvm::Module> llvmModule =
        translateModuleToLLVMIR(*module, llvmContext);
    if (!llvmModule)
      return diagnostics.takeError("cannot translate to LLVM IR");
    std::error_code error;
    llvm::raw_fd_ostream out(options.dumpLLVMIR, error, llvm::sys::fs::OF_Text);
    if (error)
      return makeError("cannot write " + options.dumpLLVMIR + ": " +
                       error.message());
    llvmModule->print(out, nullptr);
  }

  // The options hold a function_ref: the transformer must outlive create().
  std::function<llvm::Error(llvm::Module *)> transformer =
      makeOptimizingTransformer(/*optLevel=*/3, /*sizeLevel=*/0,
                                /*targetMachine=*/nullptr);
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  // ACCML_PERF=1: tell perf about the JIT's functions (jitdump files for
  // `perf record -k 1` and `perf inject --jit`).
  engineOptions.enablePerfNotificationListener =
      std::getenv("ACCML_PERF") != nullptr;
  SmallVector<StringRef> libraries;
  // The thread count as the pipeline saw it (--threads, or threads= in the
  // pipeline options).
  if (pipelineOptions.threads != 1)
    libraries.push_back(ACCML_OPENMP_LIBRARY);
  engineOptions.sharedLibPaths = libraries;
  auto engine = ExecutionEngine::create(*module, engineOptions);
  if (!engine)
    return makeError("JIT compilation of " + bufferName +
                     " failed: " + llvm::toString(engine.takeError()));
  result->impl->engine = std::move(*engine);
  for (const auto &[name, signature] : result->impl->signatures) {
    auto entry = result->impl->engine->lookupPacked("_mlir_ciface_" + name);
    if (!entry)
      return makeError("JIT compilation of " + bufferName +
                       ": no entry point for @" + name + ": " +
                       llvm::toString(entry.takeError()));
    result->impl->entries[name] = *entry;
  }
  result->compileSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return result;
}

llvm::Expected<FunctionSignature>
CompiledModule::getSignature(llvm::StringRef entry) const {
  auto it = impl->signatures.find(entry.str());
  if (it == impl->signatures.end()) {
    std::string names;
    for (const auto &[name, signature] : impl->signatures)
      names += (names.empty() ? "@" : ", @") + name;
    return makeError(
        "no public function @" + entry + " in the module" +
        (names.empty() ? std::string() : " (it has " + names + ")"));
  }
  return it->second;
}

std::vector<std::string> CompiledModule::getFunctionNames() const {
  std::vector<std::string> names;
  for (const auto &[name, signature] : impl->signatures)
    names.push_back(name);
  return names;
}

llvm::Expected<std::vector<Tensor>>
CompiledModule::run(llvm::StringRef entry, llvm::ArrayRef<Tensor> inputs) {
  llvm::Expected<FunctionSignature> signature = getSignature(entry);
  if (!signature)
    return signature.takeError();

  // Check the inputs against the signature.
  if (inputs.size() != signature->inputs.size())
    return makeError("@" + entry + " takes " +
                     llvm::Twine(signature->inputs.size()) + " input(s), got " +
                     llvm::Twine(inputs.size()));
  std::vector<Tensor> converted(inputs.size());
  std::vector<const Tensor *> actual;
  for (auto [i, input] : llvm::enumerate(inputs)) {
    const TensorSpec &spec = signature->inputs[i];
    bool shapeMatches =
        input.getRank() == static_cast<int64_t>(spec.shape.size());
    for (size_t d = 0; shapeMatches && d < spec.shape.size(); ++d)
      shapeMatches = spec.shape[d] < 0 || spec.shape[d] == input.getShape()[d];
    const Tensor *use = &input;
    if (input.getElementType() != spec.elementType) {
      if (spec.elementType == ElementType::BF16 &&
          input.getElementType() == ElementType::F32) {
        converted[i] = Tensor(ElementType::BF16, input.getShape());
        for (int64_t e = 0; e < input.getNumElements(); ++e)
          converted[i].setFromDouble(e, input.getAsDouble(e));
        use = &converted[i];
      } else {
        shapeMatches = false;
      }
    }
    if (!shapeMatches)
      return makeError("input " + llvm::Twine(i) + " of @" + entry +
                       " must be " + spec.str() + ", got " +
                       input.getTypeString());
    actual.push_back(use);
  }

  // Descriptors of the inputs.
  std::vector<std::vector<int64_t>> descriptors;
  for (const Tensor *input : actual) {
    int64_t rank = input->getRank();
    std::vector<int64_t> desc(descriptorWords(rank));
    auto data = reinterpret_cast<intptr_t>(input->getData());
    desc[0] = data;
    desc[1] = data;
    desc[2] = 0;
    int64_t stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      desc[3 + d] = input->getShape()[d];
      desc[3 + rank + d] = stride;
      stride *= input->getShape()[d];
    }
    descriptors.push_back(std::move(desc));
  }
  // Space for the result descriptors, one after the other.
  size_t resultWords = 0;
  for (const TensorSpec &spec : signature->outputs)
    resultWords += descriptorWords(spec.shape.size());
  std::vector<int64_t> results(std::max<size_t>(resultWords, 1), 0);

  std::vector<void *> pointers;
  if (!signature->outputs.empty())
    pointers.push_back(results.data());
  for (std::vector<int64_t> &desc : descriptors)
    pointers.push_back(desc.data());
  SmallVector<void *> args;
  for (void *&pointer : pointers)
    args.push_back(&pointer);
  auto function = impl->entries.find(entry.str());
  if (function == impl->entries.end())
    return makeError("cannot call @" + entry + ": no entry point");
  function->second(args.data());

  // Hand the result buffers over to the outputs, or copy them out and free
  // them once every output is built.
  std::vector<Tensor> outputs;
  std::vector<void *> adopted, copied;
  size_t offset = 0;
  for (const TensorSpec &spec : signature->outputs) {
    int64_t rank = static_cast<int64_t>(spec.shape.size());
    const int64_t *desc = results.data() + offset;
    offset += descriptorWords(rank);
    SmallVector<int64_t> shape(desc + 3, desc + 3 + rank);
    size_t elementSize = getElementSize(spec.elementType);
    auto *base = reinterpret_cast<uint8_t *>(desc[1]) +
                 desc[2] * static_cast<int64_t>(elementSize);
    bool contiguous = true;
    for (int64_t d = rank - 1, stride = 1; d >= 0; --d) {
      contiguous &= shape[d] == 1 || desc[3 + rank + d] == stride;
      stride *= shape[d];
    }
    // What the function allocated (never an input buffer or a global, whose
    // allocated pointer is the 0xdeadbeef marker) is handed over to the
    // first output that holds it contiguously; other outputs copy.
    auto *allocated = reinterpret_cast<void *>(desc[0]);
    bool isInput = llvm::any_of(
        actual, [&](const Tensor *t) { return t->getData() == allocated; });
    bool owned = allocated && !isInput &&
                 allocated != reinterpret_cast<void *>(0xdeadbeef);
    if (owned && contiguous && !llvm::is_contained(adopted, allocated)) {
      adopted.push_back(allocated);
      outputs.push_back(
          Tensor::adopt(spec.elementType, shape, allocated, base));
      continue;
    }
    Tensor output(spec.elementType, shape);
    auto *out = static_cast<uint8_t *>(output.getData());
    // Row-major copy honouring the returned strides.
    SmallVector<int64_t> index(rank, 0);
    if (contiguous)
      std::memcpy(out, base, output.getSizeInBytes());
    for (int64_t e = 0; !contiguous && e < output.getNumElements(); ++e) {
      int64_t source = 0;
      for (int64_t d = 0; d < rank; ++d)
        source += index[d] * desc[3 + rank + d];
      std::memcpy(out + e * elementSize, base + source * elementSize,
                  elementSize);
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < shape[d])
          break;
        index[d] = 0;
      }
    }
    if (owned && !llvm::is_contained(copied, allocated))
      copied.push_back(allocated);
    outputs.push_back(std::move(output));
  }
  for (void *allocated : copied)
    if (!llvm::is_contained(adopted, allocated))
      std::free(allocated);
  return outputs;
}
