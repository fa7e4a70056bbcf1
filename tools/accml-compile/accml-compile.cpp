//===- accml-compile.cpp - Compile a model to a shared library ------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-compile model.mlir -o libmodel.so [--header model.h] [--threads=N]
//               [--object model.o]
//
// Compiles a module ahead of time with accml-cpu-pipeline into an object
// file optimised for the host CPU, links it into a shared library, and
// writes a C header declaring each public function's `_mlir_ciface_` entry
// point and its memref descriptor types.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Compiler.h"
#include "accml/Support/ThreadsOption.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"

#include <cctype>

using namespace mlir;
using namespace accml::runtime;
namespace cl = llvm::cl;

static cl::OptionCategory category("accml-compile options");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::Required,
                                       cl::desc("Shared library to write"),
                                       cl::value_desc("libmodel.so"),
                                       cl::cat(category));
static cl::opt<std::string>
    headerFile("header",
               cl::desc("C header to write (default: the library's name "
                        "with .h)"),
               cl::cat(category));
static cl::opt<std::string>
    objectFile("object", cl::desc("Also keep the object file at this path"),
               cl::cat(category));

static cl::opt<std::string> pipelineOptions(
    "pipeline-options",
    cl::desc("Options of accml-cpu-pipeline, e.g. \"cache-tiles=64,256,64 "
             "pack=false\" (see docs/Pipelines.md)"),
    cl::cat(category));
// --threads is taken out of argv by accml::extractThreadsOption.
static unsigned threads = 1;

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "accml-compile") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  std::string threadsError;
  if (!accml::extractThreadsOption(argc, argv, threads, threadsError))
    return fail(threadsError);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "AccML: compile a model into a shared library and a C header\n\n"
      "  --threads=<N>  threads of the parallel loops (default 1; 0: every "
      "core)\n");

  auto file = llvm::MemoryBuffer::getFileOrSTDIN(inputFile);
  if (!file)
    return fail("cannot read " + inputFile + ": " + file.getError().message());

  MLIRContext context;
  DialectRegistry registry;
  registerCompilerDialects(registry);
  context.appendDialectRegistry(registry);
  DiagnosticCapture diagnostics(context);
  OwningOpRef<ModuleOp> module =
      parseModule(context, (*file)->getBuffer(), inputFile);
  if (!module)
    return fail(
        llvm::toString(diagnostics.takeError("cannot parse " + inputFile)));
  auto signatures = prepareModule(*module, inputFile);
  if (!signatures)
    return fail(llvm::toString(signatures.takeError()));
  if (signatures->empty())
    return fail(inputFile + " has no public function to export");
  CompileOptions options;
  options.threads = threads;
  options.pipelineOptions = pipelineOptions;
  accml::CPUPipelineOptions pipelineOptions;
  if (llvm::Error error = parsePipelineOptions(options, pipelineOptions))
    return fail(llvm::toString(std::move(error)));
  if (failed(lowerToLLVMDialect(*module, options)))
    return fail(llvm::toString(
        diagnostics.takeError("compilation of " + inputFile + " failed")));

  // Object file (kept only with --object).
  llvm::SmallString<128> objectPath(objectFile);
  if (objectPath.empty()) {
    int fd;
    if (std::error_code error = llvm::sys::fs::createTemporaryFile(
            "accml-compile", "o", fd, objectPath))
      return fail("cannot create a temporary file: " + error.message());
    llvm::sys::Process::SafelyCloseFileDescriptor(fd);
  }
  {
    std::error_code error;
    llvm::raw_fd_ostream out(objectPath, error, llvm::sys::fs::OF_None);
    if (error)
      return fail("cannot write " + objectPath + ": " + error.message());
    if (llvm::Error emitError = emitObjectFile(*module, out))
      return fail(llvm::toString(std::move(emitError)));
  }
  llvm::StringRef outputDir = llvm::sys::path::parent_path(outputFile);
  if (!outputDir.empty())
    if (std::error_code error = llvm::sys::fs::create_directories(outputDir))
      return fail("cannot create " + outputDir + ": " + error.message());
  llvm::Error linked =
      linkSharedLibrary(objectPath, outputFile, pipelineOptions.threads != 1);
  if (objectFile.empty())
    llvm::sys::fs::remove(objectPath);
  if (linked)
    return fail(llvm::toString(std::move(linked)));

  // Header.
  std::string headerPath = headerFile;
  if (headerPath.empty()) {
    llvm::SmallString<128> path(outputFile);
    llvm::sys::path::replace_extension(path, "h");
    headerPath = std::string(path);
  }
  std::string guard = "ACCML_";
  for (char c : llvm::sys::path::filename(headerPath))
    guard += std::isalnum(static_cast<unsigned char>(c))
                 ? static_cast<char>(std::toupper(c))
                 : '_';
  std::error_code error;
  llvm::raw_fd_ostream header(headerPath, error, llvm::sys::fs::OF_Text);
  if (error)
    return fail("cannot write " + headerPath + ": " + error.message());
  emitCHeader(*signatures, llvm::sys::path::filename(inputFile), guard, header);
  llvm::outs() << "wrote " << outputFile << " and " << headerPath << "\n";
  return 0;
}
