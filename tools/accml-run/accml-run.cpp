//===- accml-run.cpp - Compile and run a model ----------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-run file.mlir [--entry main] [--input x.npy ...] [--random-inputs]
//           [--output-dir D] [--repeat N] [--threads N] [--print-ir-after-all]
//           [--dump-llvm-ir F]
//
// Compiles a module with accml-cpu-pipeline, runs one function on .npy or
// random inputs, writes each output as .npy and prints compile time and run
// latency.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Npy.h"
#include "accml/Runtime/Runtime.h"
#include "accml/Support/ThreadsOption.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <random>

using namespace accml::runtime;
namespace cl = llvm::cl;

static cl::OptionCategory category("accml-run options");

static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir>"),
                                      cl::cat(category));
static cl::opt<std::string> entry("entry", cl::init("main"),
                                  cl::desc("Function to run (default: main)"),
                                  cl::cat(category));
static cl::list<std::string>
    inputs("input", cl::desc("A .npy file per function argument, in order"),
           cl::cat(category));
static cl::opt<bool>
    randomInputs("random-inputs",
                 cl::desc("Run on random inputs (floats uniform in [-1, 1), "
                          "integers in [0, 10), booleans fair)"),
                 cl::cat(category));
static cl::opt<unsigned> seed("seed", cl::init(0),
                              cl::desc("Seed of --random-inputs"),
                              cl::cat(category));
static cl::opt<int64_t> dynamicSize(
    "dynamic-size", cl::init(1),
    cl::desc("Size of dynamic dimensions of --random-inputs (default 1)"),
    cl::cat(category));
static cl::opt<std::string>
    outputDir("output-dir", cl::desc("Write output i to <dir>/output<i>.npy"),
              cl::cat(category));
static cl::opt<std::string> pipelineOptions(
    "pipeline-options",
    cl::desc("Options of accml-cpu-pipeline, e.g. \"cache-tiles=64,256,64 "
             "pack=false\" (see docs/Pipelines.md)"),
    cl::cat(category));
static cl::opt<unsigned> repeat("repeat", cl::init(1),
                                cl::desc("Runs to time (default 1)"),
                                cl::cat(category));
// --threads is taken out of argv by accml::extractThreadsOption.
static unsigned threads = 1;

static cl::opt<std::string> target("target", cl::init("cpu"),
                                   cl::desc("Target (only 'cpu' so far)"),
                                   cl::cat(category));
static cl::opt<bool>
    printIRAfterAll("print-ir-after-all",
                    cl::desc("Print the IR after every pass of the pipeline"),
                    cl::cat(category));
static cl::opt<std::string>
    dumpLLVMIR("dump-llvm-ir",
               cl::desc("Write the LLVM IR of the module to this file"),
               cl::cat(category));
static cl::opt<bool> verbose("verbose",
                             cl::desc("Print pass-by-pass compile timing"),
                             cl::cat(category));
static cl::opt<unsigned>
    printLimit("print-limit", cl::init(8),
               cl::desc("Output elements to print per output (default 8)"),
               cl::cat(category));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "accml-run") << message << "\n";
  return 1;
}

static Tensor randomTensor(const TensorSpec &spec, std::mt19937_64 &rng) {
  llvm::SmallVector<int64_t> shape;
  for (int64_t d : spec.shape)
    shape.push_back(d < 0 ? dynamicSize : d);
  Tensor tensor(spec.elementType, shape);
  std::uniform_real_distribution<double> real(-1.0, 1.0);
  std::uniform_int_distribution<int> integer(0, 9);
  for (int64_t i = 0; i < tensor.getNumElements(); ++i) {
    switch (spec.elementType) {
    case ElementType::F32:
    case ElementType::F16:
    case ElementType::BF16:
      tensor.setFromDouble(i, real(rng));
      break;
    case ElementType::I1:
      tensor.setFromDouble(i, integer(rng) % 2);
      break;
    default:
      tensor.setFromDouble(i, integer(rng));
    }
  }
  return tensor;
}

static void printValues(const Tensor &tensor) {
  llvm::outs() << "[";
  int64_t count = tensor.getNumElements();
  int64_t shown = std::min<int64_t>(count, printLimit);
  for (int64_t i = 0; i < shown; ++i) {
    if (i)
      llvm::outs() << ", ";
    llvm::outs() << llvm::format("%.6g", tensor.getAsDouble(i));
  }
  if (shown < count)
    llvm::outs() << ", ... (" << count << " elements)";
  llvm::outs() << "]";
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  std::string threadsError;
  if (!accml::extractThreadsOption(argc, argv, threads, threadsError))
    return fail(threadsError);
  cl::ParseCommandLineOptions(
      argc, argv,
      "AccML: compile a model and run it on the CPU\n\n"
      "  --threads=<N>  threads of the parallel loops (default 1; 0: every "
      "core)\n");

  if (target != "cpu")
    return fail("unsupported --target '" + target + "' (supported: cpu)");
  if (repeat == 0)
    return fail("--repeat must be at least 1");
  if (dynamicSize < 0)
    return fail("--dynamic-size must not be negative");
  if (!inputs.empty() && randomInputs)
    return fail("give either --input files or --random-inputs, not both");
  llvm::StringRef extension = llvm::sys::path::extension(inputFile);
  if (extension == ".onnx")
    return fail(inputFile + ": .onnx models must be imported first "
                            "(accml-import model.onnx -o model.mlir)");

  auto file = llvm::MemoryBuffer::getFileOrSTDIN(inputFile);
  if (!file)
    return fail("cannot read " + inputFile + ": " + file.getError().message());

  CompileOptions options;
  options.threads = threads;
  options.pipelineOptions = pipelineOptions;
  options.printIRAfterAll = printIRAfterAll;
  options.timing = verbose;
  options.dumpLLVMIR = dumpLLVMIR;
  auto module =
      CompiledModule::compile((*file)->getBuffer(), inputFile, options);
  if (!module)
    return fail(llvm::toString(module.takeError()));
  auto signature = (*module)->getSignature(entry);
  if (!signature)
    return fail(llvm::toString(signature.takeError()));

  llvm::outs() << "compiled " << inputFile << " in "
               << llvm::format("%.3f", (*module)->getCompileSeconds())
               << " s\n@" << entry << "(";
  for (auto [i, spec] : llvm::enumerate(signature->inputs))
    llvm::outs() << (i ? ", " : "") << spec.str();
  llvm::outs() << ") -> (";
  for (auto [i, spec] : llvm::enumerate(signature->outputs))
    llvm::outs() << (i ? ", " : "") << spec.str();
  llvm::outs() << ")\n";

  // Inputs.
  std::vector<Tensor> arguments;
  if (randomInputs) {
    std::mt19937_64 rng(seed);
    for (const TensorSpec &spec : signature->inputs)
      arguments.push_back(randomTensor(spec, rng));
  } else {
    if (inputs.size() != signature->inputs.size())
      return fail("@" + entry + " takes " +
                  llvm::Twine(signature->inputs.size()) + " input(s), got " +
                  llvm::Twine(inputs.size()) +
                  " --input file(s) (or use --random-inputs)");
    for (const std::string &path : inputs) {
      auto tensor = readNpy(path);
      if (!tensor)
        return fail(llvm::toString(tensor.takeError()));
      arguments.push_back(std::move(*tensor));
    }
  }
  for (auto [i, argument] : llvm::enumerate(arguments))
    llvm::outs() << "input " << i << ": " << argument.getTypeString()
                 << (randomInputs ? " (random)" : " from " + inputs[i]) << "\n";

  // Runs: a first one (which also resolves the JIT's symbols), then
  // --repeat timed ones.
  auto timedRun = [&](std::vector<Tensor> &outputs) -> llvm::Expected<double> {
    auto start = std::chrono::steady_clock::now();
    auto result = (*module)->run(entry, arguments);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    if (!result)
      return result.takeError();
    outputs = std::move(*result);
    return seconds;
  };
  std::vector<Tensor> outputs;
  llvm::Expected<double> first = timedRun(outputs);
  if (!first)
    return fail(llvm::toString(first.takeError()));
  std::vector<double> latencies;
  for (unsigned r = 0; r < repeat; ++r) {
    llvm::Expected<double> seconds = timedRun(outputs);
    if (!seconds)
      return fail(llvm::toString(seconds.takeError()));
    latencies.push_back(*seconds);
  }

  if (!outputDir.empty())
    if (std::error_code error = llvm::sys::fs::create_directories(outputDir))
      return fail("cannot create " + outputDir + ": " + error.message());
  for (auto [i, output] : llvm::enumerate(outputs)) {
    llvm::outs() << "output " << i << ": " << output.getTypeString() << " ";
    printValues(output);
    if (!outputDir.empty()) {
      llvm::SmallString<128> path(outputDir);
      llvm::sys::path::append(path, "output" + std::to_string(i) + ".npy");
      if (llvm::Error error = writeNpy(path, output))
        return fail(llvm::toString(std::move(error)));
      llvm::outs() << " -> " << path;
    }
    llvm::outs() << "\n";
  }

  std::vector<double> sorted = latencies;
  std::sort(sorted.begin(), sorted.end());
  double median = sorted[sorted.size() / 2];
  if (sorted.size() % 2 == 0)
    median = (sorted[sorted.size() / 2 - 1] + median) / 2;
  llvm::outs() << "first run: " << llvm::format("%.3f", *first * 1e3)
               << " ms\n";
  llvm::outs() << "latency: median " << llvm::format("%.3f", median * 1e3)
               << " ms, min " << llvm::format("%.3f", sorted.front() * 1e3)
               << " ms over " << repeat << " run(s)\n";
  return 0;
}
