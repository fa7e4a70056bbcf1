//===- Compiler.cpp - From MLIR text to LLVM IR and object code -----------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Compiler.h"

#include "accml/Dialect/Accml/IR/AccmlDialect.h"
#include "accml/Pipelines/Pipelines.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <mutex>
#include <set>

using namespace mlir;
using namespace accml;
using namespace accml::runtime;

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

void runtime::registerCompilerDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  registry.insert<AccmlDialect>();
}

void runtime::initializeNativeTarget() {
  static std::once_flag flag;
  std::call_once(flag, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

//===----------------------------------------------------------------------===//
// DiagnosticCapture
//===----------------------------------------------------------------------===//

struct DiagnosticCapture::Impl {
  explicit Impl(MLIRContext &context)
      : handler(&context, [this](Diagnostic &diag) {
          append(diag, diag.getSeverity());
          for (Diagnostic &note : diag.getNotes())
            append(note, DiagnosticSeverity::Note);
          return success();
        }) {}

  void append(Diagnostic &diag, DiagnosticSeverity severity) {
    llvm::raw_string_ostream os(text);
    if (auto file = dyn_cast<FileLineColLoc>(diag.getLocation()))
      os << file.getFilename().getValue() << ":" << file.getLine() << ":"
         << file.getColumn() << ": ";
    else
      os << diag.getLocation() << ": ";
    switch (severity) {
    case DiagnosticSeverity::Error:
      os << "error: ";
      break;
    case DiagnosticSeverity::Warning:
      os << "warning: ";
      break;
    case DiagnosticSeverity::Note:
      os << "note: ";
      break;
    case DiagnosticSeverity::Remark:
      os << "remark: ";
      break;
    }
    os << diag << "\n";
  }

  std::string text;
  ScopedDiagnosticHandler handler;
};

DiagnosticCapture::DiagnosticCapture(MLIRContext &context)
    : impl(std::make_unique<Impl>(context)) {}
DiagnosticCapture::~DiagnosticCapture() = default;

llvm::Error DiagnosticCapture::takeError(const llvm::Twine &fallback) {
  std::string message = impl->text.empty() ? fallback.str() : impl->text;
  impl->text.clear();
  if (!message.empty() && message.back() == '\n')
    message.pop_back();
  return makeError(message);
}

//===----------------------------------------------------------------------===//
// Parsing, signatures, lowering
//===----------------------------------------------------------------------===//

OwningOpRef<ModuleOp> runtime::parseModule(MLIRContext &context,
                                           llvm::StringRef source,
                                           llvm::StringRef bufferName) {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(source, bufferName), llvm::SMLoc());
  return parseSourceFile<ModuleOp>(sourceMgr, &context);
}

static std::optional<TensorSpec> toSpec(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return std::nullopt;
  std::optional<ElementType> element = getElementType(tensor.getElementType());
  if (!element)
    return std::nullopt;
  TensorSpec spec{*element, {}};
  for (int64_t d : tensor.getShape())
    spec.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return spec;
}

llvm::Expected<SignatureMap>
runtime::prepareModule(ModuleOp module, llvm::StringRef bufferName) {
  SignatureMap signatures;
  MLIRContext *context = module.getContext();
  auto unsupported = [&](func::FuncOp func, StringRef what, size_t i,
                         Type type) {
    return makeError(bufferName + ": function @" + func.getName() + " has " +
                     what + " " + llvm::Twine(i) + " of type " +
                     llvm::formatv("{0}", type).str() +
                     "; the runtime supports ranked tensors of f32, f16, "
                     "bf16, i8, i32, i64 and i1");
  };
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isPrivate() || func.isExternal())
      continue;
    FunctionSignature signature;
    FunctionType type = func.getFunctionType();
    for (auto [i, input] : llvm::enumerate(type.getInputs())) {
      std::optional<TensorSpec> spec = toSpec(input);
      if (!spec)
        return unsupported(func, "argument", i, input);
      signature.inputs.push_back(*spec);
      // Never let bufferization write into the caller's input buffers.
      func.setArgAttr(i, bufferization::BufferizationDialect::kWritableAttrName,
                      BoolAttr::get(context, false));
    }
    for (auto [i, output] : llvm::enumerate(type.getResults())) {
      std::optional<TensorSpec> spec = toSpec(output);
      if (!spec)
        return unsupported(func, "result", i, output);
      signature.outputs.push_back(*spec);
    }
    signatures[func.getName().str()] = std::move(signature);
  }
  return signatures;
}

llvm::Error runtime::parsePipelineOptions(const CompileOptions &options,
                                          CPUPipelineOptions &pipelineOptions) {
  pipelineOptions.threads = options.threads;
  std::string reason;
  llvm::raw_string_ostream errorStream(reason);
  // Malformed values are reported by the option parser on stderr; unknown
  // names come back in `reason`.
  if (failed(pipelineOptions.parseFromString(options.pipelineOptions,
                                             errorStream))) {
    llvm::StringRef text = llvm::StringRef(reason).trim();
    text.consume_front("<Pass-Options-Parser>: ");
    return makeError("invalid pipeline options '" + options.pipelineOptions +
                     "': " + (text.empty() ? "malformed value" : text));
  }
  // Compiled code runs on the host.
  return checkTargetSupport(pipelineOptions, CPUTarget::detectHost());
}

llvm::Error
runtime::checkTargetSupport(const CPUPipelineOptions &pipelineOptions,
                            const CPUTarget &target) {
  if (pipelineOptions.bf16Matmul == BF16Matmul::AMX && !target.hasAMXBF16)
    return makeError("bf16-matmul=amx: this CPU has no AMX with bf16 "
                     "(amx-tile, amx-bf16); use bf16-matmul=avx512-bf16, "
                     "generic or auto");
  if (pipelineOptions.bf16Matmul == BF16Matmul::AVX512BF16 &&
      !target.hasAVX512BF16)
    return makeError("bf16-matmul=avx512-bf16: this CPU has no AVX-512-BF16 "
                     "(avx512bf16); use bf16-matmul=generic or auto");
  return llvm::Error::success();
}

LogicalResult runtime::lowerToLLVMDialect(ModuleOp module,
                                          const CompileOptions &options) {
  MLIRContext *context = module.getContext();
  PassManager pm(context);
  if (options.printIRAfterAll) {
    context->disableMultithreading();
    pm.enableIRPrinting([](Pass *, Operation *) { return false; },
                        [](Pass *, Operation *) { return true; },
                        /*printModuleScope=*/true,
                        /*printAfterOnlyOnChange=*/false);
  }
  if (options.timing)
    pm.enableTiming();
  CPUPipelineOptions pipelineOptions;
  if (llvm::Error error = parsePipelineOptions(options, pipelineOptions))
    return mlir::emitError(module.getLoc()) << llvm::toString(std::move(error));
  buildAccmlCPUPipeline(pm, pipelineOptions);
  return pm.run(module);
}

//===----------------------------------------------------------------------===//
// Object code, shared libraries, headers
//===----------------------------------------------------------------------===//

/// Gives internal linkage to every function that has a `_mlir_ciface_`
/// wrapper, so that a library exports only the wrappers: a model function
/// named `main` must not clash with a program's `main`.
static void internalizeWrappedFunctions(ModuleOp module) {
  for (auto func : module.getOps<LLVM::LLVMFuncOp>()) {
    if (func.isExternal())
      continue;
    std::string wrapper = ("_mlir_ciface_" + func.getName()).str();
    if (module.lookupSymbol<LLVM::LLVMFuncOp>(wrapper))
      func.setLinkage(LLVM::Linkage::Internal);
  }
}

llvm::Error runtime::emitObjectFile(ModuleOp module,
                                    llvm::raw_pwrite_stream &os) {
  initializeNativeTarget();
  internalizeWrappedFunctions(module);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return makeError("cannot translate the module to LLVM IR");
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  builder->setRelocationModel(llvm::Reloc::PIC_);
  auto targetMachine = builder->createTargetMachine();
  if (!targetMachine)
    return targetMachine.takeError();
  ExecutionEngine::setupTargetTripleAndDataLayout(llvmModule.get(),
                                                  targetMachine->get());
  if (llvm::Error error = makeOptimizingTransformer(
          /*optLevel=*/3, /*sizeLevel=*/0,
          targetMachine->get())(llvmModule.get()))
    return error;
  llvm::legacy::PassManager codegen;
  if ((*targetMachine)
          ->addPassesToEmitFile(codegen, os, nullptr,
                                llvm::CodeGenFileType::ObjectFile))
    return makeError("the host target cannot emit object files");
  codegen.run(*llvmModule);
  return llvm::Error::success();
}

llvm::Error runtime::linkSharedLibrary(llvm::StringRef objectPath,
                                       llvm::StringRef outputPath,
                                       bool openmp) {
  std::string clang;
  for (StringRef name : {"clang-22", "/usr/lib/llvm-22/bin/clang"}) {
    if (auto path = llvm::sys::findProgramByName(name)) {
      clang = *path;
      break;
    }
  }
  if (clang.empty())
    return makeError("cannot find clang-22 to link " + outputPath +
                     " (install clang-22: scripts/install-deps.sh)");
  std::vector<std::string> args = {clang, "-shared",        "-fuse-ld=lld",
                                   "-o",  outputPath.str(), objectPath.str(),
                                   "-lm"};
  if (openmp) {
    args.push_back("-L" ACCML_LLVM_LIBRARY_DIR);
    args.push_back("-Wl,-rpath," ACCML_LLVM_LIBRARY_DIR);
    args.push_back("-lomp");
  }
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  std::string message;
  int status = llvm::sys::ExecuteAndWait(clang, argRefs, std::nullopt, {}, 0, 0,
                                         &message);
  if (status != 0)
    return makeError("linking " + outputPath + " failed" +
                     (message.empty() ? "" : ": " + message));
  return llvm::Error::success();
}

/// The C type of an element.
static StringRef getCType(ElementType type) {
  switch (type) {
  case ElementType::F32:
    return "float";
  case ElementType::F16:
  case ElementType::BF16:
    return "uint16_t";
  case ElementType::I8:
    return "int8_t";
  case ElementType::I32:
    return "int32_t";
  case ElementType::I64:
    return "int64_t";
  case ElementType::I1:
    return "uint8_t";
  }
  llvm_unreachable("unknown element type");
}

/// accml_memref_<type>_<rank>d
static std::string getDescriptorName(const TensorSpec &spec) {
  return ("accml_memref_" + getElementTypeName(spec.elementType) + "_" +
          llvm::Twine(spec.shape.size()) + "d")
      .str();
}

void runtime::emitCHeader(const SignatureMap &signatures,
                          llvm::StringRef sourceName, llvm::StringRef guard,
                          llvm::raw_ostream &os) {
  os << "/* Generated by accml-compile from " << sourceName
     << ". Do not edit. */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n"
     << "/*\n"
     << " * Each tensor is passed as a pointer to a memref descriptor: the\n"
     << " * allocated and aligned data pointers, an element offset, the sizes\n"
     << " * and the row-major strides (in elements). f16 and bf16 elements\n"
     << " * are uint16_t bit patterns; i1 elements are one byte, 0 or 1.\n"
     << " * Results are written to the first argument; their buffers are\n"
     << " * malloc'd by the model and the caller frees `allocated`.\n"
     << " */\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  std::set<std::string> declared;
  auto declare = [&](const TensorSpec &spec) {
    std::string name = getDescriptorName(spec);
    if (!declared.insert(name).second)
      return;
    StringRef type = getCType(spec.elementType);
    os << "typedef struct {\n  " << type << " *allocated;\n  " << type
       << " *aligned;\n  int64_t offset;\n";
    if (!spec.shape.empty())
      os << "  int64_t sizes[" << spec.shape.size() << "];\n  int64_t strides["
         << spec.shape.size() << "];\n";
    os << "} " << name << ";\n\n";
  };
  for (const auto &[function, signature] : signatures) {
    for (const TensorSpec &spec : signature.inputs)
      declare(spec);
    for (const TensorSpec &spec : signature.outputs)
      declare(spec);
  }
  for (const auto &[function, signature] : signatures) {
    os << "/* @" << function << "(";
    for (auto [i, spec] : llvm::enumerate(signature.inputs))
      os << (i ? ", " : "") << spec.str();
    os << ") -> (";
    for (auto [i, spec] : llvm::enumerate(signature.outputs))
      os << (i ? ", " : "") << spec.str();
    os << ") */\n";
    std::string resultType;
    if (signature.outputs.size() == 1) {
      resultType = getDescriptorName(signature.outputs.front());
    } else if (signature.outputs.size() > 1) {
      resultType = "accml_" + function + "_results";
      os << "typedef struct {\n";
      for (auto [i, spec] : llvm::enumerate(signature.outputs))
        os << "  " << getDescriptorName(spec) << " result" << i << ";\n";
      os << "} " << resultType << ";\n";
    }
    os << "void _mlir_ciface_" << function << "(";
    bool first = true;
    if (!resultType.empty()) {
      os << resultType << " *results";
      first = false;
    }
    for (auto [i, spec] : llvm::enumerate(signature.inputs)) {
      os << (first ? "" : ", ") << getDescriptorName(spec) << " *arg" << i;
      first = false;
    }
    if (first)
      os << "void";
    os << ");\n\n";
  }
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}
