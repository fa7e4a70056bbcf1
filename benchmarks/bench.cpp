//===- bench.cpp - One measurement of the AccML benchmark harness ---------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-bench --lib accml|onednn|openblas|peak --op matmul --m M --n N --k K
//             [--threads T] [--repeat R] [--dtype f32|bf16]
//             [--options "accml-cpu-pipeline options"]
//             [--compare-options "other options" | --against onednn]
//             [--rounds N]
// accml-bench --lib accml|onednn --op conv2d --c C --hw H --f F
//             [--kernel K] [--stride S] [--pad P] [--groups G]
//             [--layout nchw|nhwc] ...
// accml-bench --lib accml|copy --op softmax|layer_norm|elementwise|copy ...
//             [--against copy]
//
// Convolutions are batch 1, NCHW, square (H x H input, K x K kernel), with
// a bias and constant weights (as in an imported model: AccML may rearrange
// them at compile time, oneDNN gets them in its preferred layout before
// the timing starts). ACCML_BENCH_DUMP=file writes the convolution's
// module there (to inspect or rerun with accml-run). --layout nhwc gives
// AccML's convolution its input and takes its result channels last
// (N x H x W x C), transposed to and from the NCHW accml.conv2d in the
// module, as a layer between two channels-last layers of a model sees
// them: the layout AccML prefers at the boundary, as oneDNN gets its own.
//
// Runs one library on one problem and prints one JSON object with the
// median and minimum time of R runs (after a warm-up) and GFLOP/s. Each
// library runs in its own process (benchmarks/run.py drives them) so that
// their OpenMP runtimes and thread settings never meet.
//
// --compare-options (AccML only) compiles the module a second time with
// other pipeline options and alternates the two in one process, N rounds
// (--rounds, default 10) of R runs each, the order flipped every round;
// it prints the median time of each and the median of the per-round
// ratios (compared / options) with their range. On a shared machine whose
// speed drifts, the two sides then see the same drift: comparisons run
// minutes apart, or in separate processes, could not resolve a 10% change.
//
// --against onednn (AccML, f32 matmul or conv2d, one thread) alternates
// AccML with oneDNN on the same problem in the same way and prints the
// median of the per-round speed ratios (oneDNN's time / AccML's: above 1,
// AccML is faster). Libraries in separate processes often met the machine
// in different phases (the same AccML matmul ran at 84 and 140 GFLOP/s in
// two processes a minute apart); alternating in one process, each round's
// ratio compares the two in the same phase. (One thread only: AccML's and
// oneDNN's OpenMP worker threads would compete in one process.)
//
// --against copy (AccML's softmax, layer_norm or elementwise chain, any
// threads) alternates it with a plain copy (memcpy) of the same bytes: the
// ratio is then the fraction of the copy's bandwidth reached, both measured
// in the same phase of the machine.
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Runtime.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <immintrin.h>
#include <optional>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include <cblas.h>
#include <oneapi/dnnl/dnnl.h>

using namespace accml::runtime;

namespace {

struct Options {
  std::string lib = "accml", op = "matmul", dtype = "f32";
  int64_t m = 1024, n = 1024, k = 1024;
  int threads = 1, repeat = 10;
  std::string pipelineOptions;
  // A second set of pipeline options to compare with (empty: none), and
  // the rounds of the comparison.
  std::optional<std::string> compareOptions;
  int rounds = 10;
  // A library to alternate AccML with in one process (--against onednn).
  std::optional<std::string> against;
  // conv2d: channels, input height and width, filters, kernel, stride,
  // padding (all sides), groups.
  int64_t c = 64, hw = 56, f = 64, kernel = 3, stride = 1, pad = 1, groups = 1;
  // conv2d: the layout of AccML's input and result (nchw or nhwc).
  std::string layout = "nchw";

  int64_t outHW() const { return (hw + 2 * pad - kernel) / stride + 1; }
  double convFlops() const {
    return 2.0 * f * (c / groups) * kernel * kernel * outHW() * outHW();
  }
};

[[noreturn]] void die(const std::string &message) {
  std::fprintf(stderr, "accml-bench: error: %s\n", message.c_str());
  std::exit(1);
}

double seconds(std::function<void()> fn) {
  auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// The median of `values` (not empty).
double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t half = values.size() / 2;
  return values.size() % 2 ? values[half]
                           : (values[half - 1] + values[half]) / 2;
}

/// Median and minimum of `repeat` timed runs after one warm-up.
std::pair<double, double> measure(int repeat, const std::function<void()> &fn) {
  fn();
  std::vector<double> times;
  for (int r = 0; r < repeat; ++r)
    times.push_back(seconds(fn));
  return {median(times), *std::min_element(times.begin(), times.end())};
}

std::vector<float> randomData(size_t count, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> data(count);
  for (float &x : data)
    x = dist(rng);
  return data;
}

/// What --compare-options measured: the median times of the two variants
/// and the median, minimum and maximum of the per-round ratios.
struct Comparison {
  double median = 0, compareMedian = 0, ratio = 0, minRatio = 0, maxRatio = 0;
};
std::optional<Comparison> comparison;

/// With --against: one run of the other library (set up before the timing).
std::function<void()> againstRun;

/// Compiles `source` with the benchmark's pipeline options and times runs
/// of @main on `inputs`. With --compare-options or --against, also fills
/// `comparison`.
std::pair<double, double> measureModule(const Options &o,
                                        const std::string &source,
                                        std::vector<Tensor> inputs) {
  auto compile = [&](const std::string &pipelineOptions) {
    CompileOptions options;
    options.threads = o.threads;
    options.pipelineOptions = pipelineOptions;
    auto module = CompiledModule::compile(source, "bench.mlir", options);
    if (!module)
      die(llvm::toString(module.takeError()));
    return std::move(*module);
  };
  std::unique_ptr<CompiledModule> module = compile(o.pipelineOptions);
  // The previous run's outputs are freed after the next run has allocated
  // its own (as in accml-run): freeing them first lets glibc return the
  // pages to the kernel, and every run would then time page faults.
  std::vector<Tensor> previous;
  auto timeRuns = [&](CompiledModule &compiled) {
    return measure(o.repeat, [&] {
      auto result = compiled.run("main", inputs);
      if (!result)
        die(llvm::toString(result.takeError()));
      previous = std::move(*result);
    });
  };
  if (!o.compareOptions && !againstRun)
    return timeRuns(*module);
  std::unique_ptr<CompiledModule> other =
      o.compareOptions ? compile(*o.compareOptions) : nullptr;
  auto timeOther = [&] {
    return other ? timeRuns(*other) : measure(o.repeat, againstRun);
  };
  std::vector<double> times, otherTimes, ratios;
  double best = 1e30;
  for (int round = 0; round < o.rounds; ++round) {
    std::pair<double, double> mine, theirs;
    if (round % 2 == 0) {
      mine = timeRuns(*module);
      theirs = timeOther();
    } else {
      theirs = timeOther();
      mine = timeRuns(*module);
    }
    times.push_back(mine.first);
    otherTimes.push_back(theirs.first);
    ratios.push_back(theirs.first / mine.first);
    best = std::min(best, mine.second);
  }
  comparison = Comparison{median(times), median(otherTimes), median(ratios),
                          *std::min_element(ratios.begin(), ratios.end()),
                          *std::max_element(ratios.begin(), ratios.end())};
  return {median(times), best};
}

/// An f32 tensor of `shape` with uniform random values.
Tensor randomTensor(llvm::ArrayRef<int64_t> shape, unsigned seed) {
  Tensor tensor(ElementType::F32, shape);
  std::vector<float> data = randomData(tensor.getNumElements(), seed);
  std::memcpy(tensor.getData(), data.data(), data.size() * 4);
  return tensor;
}

std::pair<double, double> benchAccml(const Options &o) {
  std::string type = o.dtype;
  std::string a = "tensor<" + std::to_string(o.m) + "x" + std::to_string(o.k) +
                  "x" + type + ">";
  std::string b = "tensor<" + std::to_string(o.k) + "x" + std::to_string(o.n) +
                  "x" + type + ">";
  std::string c = "tensor<" + std::to_string(o.m) + "x" + std::to_string(o.n) +
                  "x" + type + ">";
  std::string source = "func.func @main(%a: " + a + ", %b: " + b + ") -> " + c +
                       " {\n  %0 = accml.matmul %a, %b : (" + a + ", " + b +
                       ") -> " + c + "\n  return %0 : " + c + "\n}\n";
  ElementType element = type == "bf16" ? ElementType::BF16 : ElementType::F32;
  Tensor lhs(element, {o.m, o.k}), rhs(element, {o.k, o.n});
  std::vector<float> x = randomData(o.m * o.k, 1), y = randomData(o.k * o.n, 2);
  for (int64_t i = 0; i < o.m * o.k; ++i)
    lhs.setFromDouble(i, x[i]);
  for (int64_t i = 0; i < o.k * o.n; ++i)
    rhs.setFromDouble(i, y[i]);
  std::vector<Tensor> inputs;
  inputs.push_back(std::move(lhs));
  inputs.push_back(std::move(rhs));
  return measureModule(o, source, std::move(inputs));
}

/// "tensor<AxBx...xf32>".
std::string tensorType(std::initializer_list<int64_t> shape) {
  std::string text = "tensor<";
  for (int64_t d : shape)
    text += std::to_string(d) + "x";
  return text + "f32>";
}

/// The hexadecimal blob of a dense_resource holding `data` (little-endian
/// f32 after the 4-byte alignment header).
std::string resourceBlob(const std::vector<float> &data) {
  static const char digits[] = "0123456789ABCDEF";
  std::string hex = "0x04000000";
  hex.reserve(hex.size() + data.size() * 8);
  const auto *bytes = reinterpret_cast<const unsigned char *>(data.data());
  for (size_t i = 0; i < data.size() * 4; ++i) {
    hex += digits[bytes[i] >> 4];
    hex += digits[bytes[i] & 15];
  }
  return hex;
}

std::pair<double, double> benchAccmlConv(const Options &o) {
  int64_t out = o.outHW(), cg = o.c / o.groups;
  std::string x = tensorType({1, o.c, o.hw, o.hw});
  std::string w = tensorType({o.f, cg, o.kernel, o.kernel});
  std::string b = tensorType({o.f});
  std::string r = tensorType({1, o.f, out, out});
  std::string p = std::to_string(o.pad), s = std::to_string(o.stride);
  bool nhwc = o.layout == "nhwc";
  // Channels last at the boundary: transposes around the NCHW convolution.
  std::string xLast = tensorType({1, o.hw, o.hw, o.c});
  std::string rLast = tensorType({1, out, out, o.f});
  std::string source =
      "func.func @main(%" + std::string(nhwc ? "xl: " + xLast : "x: " + x) +
      ") -> " + (nhwc ? rLast : r) + " {\n" +
      (nhwc ? "  %x = accml.transpose %xl {perm = array<i64: 0, 3, 1, 2>} : " +
                  xLast + " -> " + x + "\n"
            : "") +
      "  %w = accml.constant dense_resource<w> : " + w + "\n" +
      "  %b = accml.constant dense_resource<b> : " + b + "\n" +
      "  %r = accml.conv2d %x, %w, %b {pads = array<i64: " + p + ", " + p +
      ", " + p + ", " + p + ">, strides = array<i64: " + s + ", " + s +
      ">, groups = " + std::to_string(o.groups) + " : i64} : (" + x + ", " + w +
      ", " + b + ") -> " + r + "\n" +
      (nhwc ? "  %rl = accml.transpose %r {perm = array<i64: 0, 2, 3, 1>} : " +
                  r + " -> " + rLast + "\n  return %rl : " + rLast
            : "  return %r : " + r) +
      "\n}\n" + "{-#\n  dialect_resources: {\n    builtin: {\n      w: \"" +
      resourceBlob(randomData(o.f * cg * o.kernel * o.kernel, 5)) +
      "\",\n      b: \"" + resourceBlob(randomData(o.f, 6)) +
      "\"\n    }\n  }\n#-}\n";
  if (const char *dump = std::getenv("ACCML_BENCH_DUMP"))
    if (FILE *file = std::fopen(dump, "w")) {
      std::fputs(source.c_str(), file);
      std::fclose(file);
    }
  std::vector<Tensor> inputs;
  inputs.push_back(nhwc ? randomTensor({1, o.hw, o.hw, o.c}, 7)
                        : randomTensor({1, o.c, o.hw, o.hw}, 7));
  return measureModule(o, source, std::move(inputs));
}

/// The module of a memory-bound benchmark on a 1024 x 1024 f32 tensor
/// (`--m`/`--n` override the shape), and the bytes it must move.
std::pair<std::string, double> memoryBoundModule(const Options &o) {
  std::string t =
      "tensor<" + std::to_string(o.m) + "x" + std::to_string(o.n) + "xf32>";
  std::string v = "tensor<" + std::to_string(o.n) + "xf32>";
  double bytes = 2.0 * o.m * o.n * 4; // read the input, write the output
  std::string body;
  if (o.op == "softmax") {
    body = "  %r = accml.softmax %x : " + t + "\n";
  } else if (o.op == "layer_norm") {
    body = "  %g = accml.constant dense<1.5> : " + v + "\n" +
           "  %b = accml.constant dense<0.5> : " + v + "\n" +
           "  %r = accml.layer_norm %x, %g, %b : " + t + ", " + v + ", " + v +
           "\n";
  } else if (o.op == "elementwise") {
    // A 5-op chain: tanh(relu((x * 2 + 1) - x)).
    body = "  %c2 = accml.constant dense<2.0> : tensor<f32>\n"
           "  %c1 = accml.constant dense<1.0> : tensor<f32>\n"
           "  %0 = accml.mul %x, %c2 : (" +
           t + ", tensor<f32>) -> " + t + "\n" +
           "  %1 = accml.add %0, %c1 : (" + t + ", tensor<f32>) -> " + t +
           "\n" + "  %2 = accml.sub %1, %x : (" + t + ", " + t + ") -> " + t +
           "\n" + "  %3 = accml.relu %2 : " + t + "\n" +
           "  %r = accml.tanh %3 : " + t + "\n";
  } else {
    die("unsupported --op " + o.op +
        " (supported: matmul, conv2d, softmax, layer_norm, elementwise, copy)");
  }
  return {"func.func @main(%x: " + t + ") -> " + t + " {\n" + body +
              "  return %r : " + t + "\n}\n",
          bytes};
}

std::pair<double, double> benchAccmlMemoryBound(const Options &o,
                                                double &bytes) {
  auto [source, moved] = memoryBoundModule(o);
  bytes = moved;
  std::vector<Tensor> inputs;
  inputs.push_back(randomTensor({o.m, o.n}, 3));
  return measureModule(o, source, std::move(inputs));
}

/// The bandwidth reference: a plain copy of the same bytes.
std::pair<double, double> benchCopy(const Options &o, double &bytes) {
  std::vector<float> in = randomData(o.m * o.n, 4), out(o.m * o.n);
  bytes = 2.0 * o.m * o.n * 4;
  return measure(o.repeat,
                 [&] { std::memcpy(out.data(), in.data(), in.size() * 4); });
}

void check(dnnl_status_t status, const char *what) {
  if (status != dnnl_success)
    die(std::string("oneDNN: ") + what + " failed");
}

/// One run of oneDNN's matmul on the problem of `o` (set up here).
std::function<void()> oneDNNMatmul(const Options &o) {
  dnnl_engine_t engine;
  check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine");
  dnnl_stream_t stream;
  check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags),
        "stream");
  dnnl_data_type_t type = o.dtype == "bf16" ? dnnl_bf16 : dnnl_f32;
  dnnl_memory_desc_t aDesc, bDesc, cDesc;
  dnnl_dims_t aDims = {o.m, o.k}, bDims = {o.k, o.n}, cDims = {o.m, o.n};
  check(dnnl_memory_desc_init_by_tag(&aDesc, 2, aDims, type, dnnl_ab), "a");
  check(dnnl_memory_desc_init_by_tag(&bDesc, 2, bDims, type, dnnl_ab), "b");
  check(dnnl_memory_desc_init_by_tag(&cDesc, 2, cDims, dnnl_f32, dnnl_ab), "c");
  dnnl_matmul_desc_t desc;
  check(dnnl_matmul_desc_init(&desc, &aDesc, &bDesc, nullptr, &cDesc),
        "matmul desc");
  dnnl_primitive_desc_t pd;
  check(dnnl_primitive_desc_create(&pd, &desc, nullptr, engine, nullptr),
        "primitive desc");
  dnnl_primitive_t matmul;
  check(dnnl_primitive_create(&matmul, pd), "primitive");
  dnnl_memory_t aMem, bMem, cMem;
  check(dnnl_memory_create(&aMem, &aDesc, engine, DNNL_MEMORY_ALLOCATE), "a");
  check(dnnl_memory_create(&bMem, &bDesc, engine, DNNL_MEMORY_ALLOCATE), "b");
  check(dnnl_memory_create(&cMem, &cDesc, engine, DNNL_MEMORY_ALLOCATE), "c");
  if (type == dnnl_f32) {
    std::vector<float> x = randomData(o.m * o.k, 1),
                       y = randomData(o.k * o.n, 2);
    void *p;
    check(dnnl_memory_get_data_handle(aMem, &p), "data");
    std::memcpy(p, x.data(), x.size() * 4);
    check(dnnl_memory_get_data_handle(bMem, &p), "data");
    std::memcpy(p, y.data(), y.size() * 4);
  }
  std::vector<dnnl_exec_arg_t> args = {
      {DNNL_ARG_SRC, aMem}, {DNNL_ARG_WEIGHTS, bMem}, {DNNL_ARG_DST, cMem}};
  return [=] {
    check(dnnl_primitive_execute(matmul, stream, 3, args.data()), "execute");
    check(dnnl_stream_wait(stream), "wait");
  };
}

std::pair<double, double> benchOneDNN(const Options &o) {
  return measure(o.repeat, oneDNNMatmul(o));
}

/// A oneDNN memory of the layout the primitive chose for argument `index`
/// of kind `what`, filled with random values.
dnnl_memory_t createMemory(dnnl_primitive_desc_t pd, dnnl_query_t what,
                           int index, dnnl_engine_t engine, unsigned seed) {
  const dnnl_memory_desc_t *desc =
      dnnl_primitive_desc_query_md(pd, what, index);
  dnnl_memory_t memory;
  check(dnnl_memory_create(&memory, desc, engine, DNNL_MEMORY_ALLOCATE),
        "memory");
  size_t count = dnnl_memory_desc_get_size(desc) / 4;
  std::vector<float> data = randomData(count, seed);
  void *p;
  check(dnnl_memory_get_data_handle(memory, &p), "data");
  std::memcpy(p, data.data(), count * 4);
  return memory;
}

/// One run of oneDNN's convolution on the problem of `o` (set up here).
std::function<void()> oneDNNConv(const Options &o) {
  dnnl_engine_t engine;
  check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine");
  dnnl_stream_t stream;
  check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags),
        "stream");
  int64_t out = o.outHW(), cg = o.c / o.groups, fg = o.f / o.groups;
  dnnl_memory_desc_t src, weights, bias, dst;
  dnnl_dims_t srcDims = {1, o.c, o.hw, o.hw}, dstDims = {1, o.f, out, out},
              biasDims = {o.f};
  check(dnnl_memory_desc_init_by_tag(&src, 4, srcDims, dnnl_f32,
                                     dnnl_format_tag_any),
        "src");
  check(dnnl_memory_desc_init_by_tag(&dst, 4, dstDims, dnnl_f32,
                                     dnnl_format_tag_any),
        "dst");
  check(dnnl_memory_desc_init_by_tag(&bias, 1, biasDims, dnnl_f32, dnnl_a),
        "bias");
  if (o.groups == 1) {
    dnnl_dims_t wDims = {o.f, o.c, o.kernel, o.kernel};
    check(dnnl_memory_desc_init_by_tag(&weights, 4, wDims, dnnl_f32,
                                       dnnl_format_tag_any),
          "weights");
  } else {
    dnnl_dims_t wDims = {o.groups, fg, cg, o.kernel, o.kernel};
    check(dnnl_memory_desc_init_by_tag(&weights, 5, wDims, dnnl_f32,
                                       dnnl_format_tag_any),
          "weights");
  }
  dnnl_dims_t strides = {o.stride, o.stride}, pads = {o.pad, o.pad};
  dnnl_convolution_desc_t desc;
  check(dnnl_convolution_forward_desc_init(
            &desc, dnnl_forward_inference, dnnl_convolution_direct, &src,
            &weights, &bias, &dst, strides, pads, pads),
        "convolution desc");
  dnnl_primitive_desc_t pd;
  check(dnnl_primitive_desc_create(&pd, &desc, nullptr, engine, nullptr),
        "primitive desc");
  dnnl_primitive_t conv;
  check(dnnl_primitive_create(&conv, pd), "primitive");
  // The bias is the second weights argument.
  std::vector<dnnl_exec_arg_t> args = {
      {DNNL_ARG_SRC, createMemory(pd, dnnl_query_src_md, 0, engine, 7)},
      {DNNL_ARG_WEIGHTS, createMemory(pd, dnnl_query_weights_md, 0, engine, 5)},
      {DNNL_ARG_BIAS, createMemory(pd, dnnl_query_weights_md, 1, engine, 6)},
      {DNNL_ARG_DST, createMemory(pd, dnnl_query_dst_md, 0, engine, 8)}};
  return [=] {
    check(dnnl_primitive_execute(conv, stream, 4, args.data()), "execute");
    check(dnnl_stream_wait(stream), "wait");
  };
}

std::pair<double, double> benchOneDNNConv(const Options &o) {
  return measure(o.repeat, oneDNNConv(o));
}

std::pair<double, double> benchOpenBLAS(const Options &o) {
  if (o.dtype != "f32")
    die("OpenBLAS is measured in f32 only");
  openblas_set_num_threads(o.threads);
  std::vector<float> x = randomData(o.m * o.k, 1), y = randomData(o.k * o.n, 2);
  std::vector<float> z(o.m * o.n);
  return measure(o.repeat, [&] {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, o.m, o.n, o.k, 1.0f,
                x.data(), o.k, y.data(), o.n, 0.0f, z.data(), o.n);
  });
}

/// A kernel of independent AVX-512 FMA chains: the machine's f32 peak.
__attribute__((target("avx512f,fma"))) void fmaLoop(int64_t iterations,
                                                    float *out) {
  __m512 acc[12];
  for (__m512 &a : acc)
    a = _mm512_set1_ps(0.0f);
  __m512 x = _mm512_set1_ps(1.0000001f), y = _mm512_set1_ps(0.9999999f);
  for (int64_t i = 0; i < iterations; ++i)
    for (__m512 &a : acc)
      a = _mm512_fmadd_ps(a, x, y);
  float sink = 0;
  for (__m512 &a : acc)
    sink += _mm512_reduce_add_ps(a);
  *out = sink;
}

double fmaPeak(int64_t iterations) {
  float sink;
  double time = seconds([&] { fmaLoop(iterations, &sink); });
  if (sink == 12345.0f)
    std::printf(" ");
  return time;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc)
        die(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--lib")
      o.lib = value();
    else if (arg == "--op")
      o.op = value();
    else if (arg == "--dtype")
      o.dtype = value();
    else if (arg == "--m")
      o.m = std::stoll(value());
    else if (arg == "--n")
      o.n = std::stoll(value());
    else if (arg == "--k")
      o.k = std::stoll(value());
    else if (arg == "--threads")
      o.threads = std::stoi(value());
    else if (arg == "--options")
      o.pipelineOptions = value();
    else if (arg == "--compare-options")
      o.compareOptions = value();
    else if (arg == "--against")
      o.against = value();
    else if (arg == "--rounds")
      o.rounds = std::stoi(value());
    else if (arg == "--repeat")
      o.repeat = std::stoi(value());
    else if (arg == "--c")
      o.c = std::stoll(value());
    else if (arg == "--hw")
      o.hw = std::stoll(value());
    else if (arg == "--f")
      o.f = std::stoll(value());
    else if (arg == "--kernel")
      o.kernel = std::stoll(value());
    else if (arg == "--stride")
      o.stride = std::stoll(value());
    else if (arg == "--pad")
      o.pad = std::stoll(value());
    else if (arg == "--groups")
      o.groups = std::stoll(value());
    else if (arg == "--layout")
      o.layout = value();
    else
      die("unknown option " + arg);
  }
  // OpenBLAS starts its worker threads when it is loaded, and idle ones
  // spin (sched_yield) on the other core: the process runs again with as
  // many OpenBLAS threads as the OpenBLAS run needs (one for the others).
  if (!std::getenv("ACCML_BENCH_CHILD")) {
    std::string blasThreads =
        std::to_string(o.lib == "openblas" ? std::max(o.threads, 1) : 1);
    setenv("OPENBLAS_NUM_THREADS", blasThreads.c_str(), 1);
    // oneDNN alternating with AccML's one thread runs on one thread too.
    if (o.against && *o.against == "onednn")
      setenv("OMP_NUM_THREADS", "1", 1);
    setenv("ACCML_BENCH_CHILD", "1", 1);
    execv("/proc/self/exe", argv);
    die("cannot re-run /proc/self/exe");
  }
  if (o.compareOptions && o.lib != "accml")
    die("--compare-options compares two compilations of --lib accml");
  if (o.rounds < 1 || o.repeat < 1)
    die("--rounds and --repeat must be positive");
  if (o.against) {
    bool memoryBound =
        o.op == "softmax" || o.op == "layer_norm" || o.op == "elementwise";
    if (*o.against == "copy") {
      // A plain copy has no threads of its own: any --threads.
      if (o.lib != "accml" || o.compareOptions || !memoryBound ||
          o.dtype != "f32")
        die("--against copy compares --lib accml with a plain copy on "
            "softmax, layer_norm or elementwise (without --compare-options)");
    } else if (o.lib != "accml" || *o.against != "onednn" || o.compareOptions ||
               o.threads != 1 || o.dtype != "f32" ||
               (o.op != "matmul" && o.op != "conv2d")) {
      // Two OpenMP runtimes' idle threads would meet in one process: the
      // in-process comparison is for one thread.
      die("--against onednn compares --lib accml with oneDNN on f32 matmul "
          "or conv2d at --threads 1 (without --compare-options); --against "
          "copy, with a plain copy on softmax, layer_norm or elementwise");
    }
  }
  // A comparison prints its own object instead of the measurement's.
  auto printComparison = [&] {
    if (!comparison)
      return false;
    if (o.against) {
      std::printf("{\"lib\": \"accml\", \"op\": \"%s\", \"against\": "
                  "\"%s\", \"rounds\": %d, \"median_s\": %.9f, "
                  "\"against_median_s\": %.9f, \"ratio\": %.4f, "
                  "\"ratio_min\": %.4f, \"ratio_max\": %.4f}\n",
                  o.op.c_str(), o.against->c_str(), o.rounds,
                  comparison->median, comparison->compareMedian,
                  comparison->ratio, comparison->minRatio,
                  comparison->maxRatio);
      return true;
    }
    std::printf("{\"lib\": \"accml\", \"op\": \"%s\", \"options\": \"%s\", "
                "\"compare_options\": \"%s\", \"rounds\": %d, "
                "\"median_s\": %.9f, \"compare_median_s\": %.9f, "
                "\"ratio\": %.4f, \"ratio_min\": %.4f, \"ratio_max\": "
                "%.4f}\n",
                o.op.c_str(), o.pipelineOptions.c_str(),
                o.compareOptions->c_str(), o.rounds, comparison->median,
                comparison->compareMedian, comparison->ratio,
                comparison->minRatio, comparison->maxRatio);
    return true;
  };
  std::pair<double, double> t;
  double flops = 2.0 * o.m * o.n * o.k;
  if (o.op == "conv2d") {
    if (o.c < 1 || o.hw < 1 || o.f < 1 || o.kernel < 1 || o.stride < 1 ||
        o.pad < 0 || o.groups < 1 || o.c % o.groups || o.f % o.groups ||
        o.hw + 2 * o.pad < o.kernel)
      die("invalid convolution shape");
    if (o.layout != "nchw" && o.layout != "nhwc")
      die("--layout must be nchw or nhwc, not '" + o.layout + "'");
    if (o.against)
      againstRun = oneDNNConv(o);
    if (o.lib == "accml")
      t = benchAccmlConv(o);
    else if (o.lib == "onednn")
      t = benchOneDNNConv(o);
    else
      die("--op conv2d is measured for --lib accml and onednn");
    if (printComparison())
      return 0;
    std::printf("{\"lib\": \"%s\", \"op\": \"conv2d\", \"c\": %lld, "
                "\"hw\": %lld, \"f\": %lld, \"kernel\": %lld, "
                "\"stride\": %lld, \"pad\": %lld, \"groups\": %lld, "
                "\"threads\": %d, \"median_s\": %.9f, \"min_s\": %.9f, "
                "\"gflops\": %.3f, \"best_gflops\": %.3f}\n",
                o.lib.c_str(), static_cast<long long>(o.c),
                static_cast<long long>(o.hw), static_cast<long long>(o.f),
                static_cast<long long>(o.kernel),
                static_cast<long long>(o.stride), static_cast<long long>(o.pad),
                static_cast<long long>(o.groups), o.threads, t.first, t.second,
                o.convFlops() / t.first / 1e9, o.convFlops() / t.second / 1e9);
    return 0;
  }
  if (o.op != "matmul" && o.lib != "peak") {
    // Memory-bound ops report GB/s.
    double bytes = 0;
    // The copy alternating with AccML: the same bytes, in buffers of its
    // own.
    std::vector<float> copyIn, copyOut;
    if (o.against) {
      copyIn = randomData(o.m * o.n, 4);
      copyOut.resize(o.m * o.n);
      againstRun = [&] {
        std::memcpy(copyOut.data(), copyIn.data(), copyIn.size() * 4);
      };
    }
    if (o.lib == "accml")
      t = benchAccmlMemoryBound(o, bytes);
    else if (o.lib == "copy")
      t = benchCopy(o, bytes);
    else
      die("--op " + o.op + " is measured for --lib accml and copy");
    if (printComparison())
      return 0;
    std::printf("{\"lib\": \"%s\", \"op\": \"%s\", \"m\": %lld, "
                "\"n\": %lld, \"threads\": %d, \"median_s\": %.9f, "
                "\"min_s\": %.9f, \"gbps\": %.3f}\n",
                o.lib.c_str(), o.op.c_str(), static_cast<long long>(o.m),
                static_cast<long long>(o.n), o.threads, t.first, t.second,
                bytes / t.first / 1e9);
    return 0;
  }
  if (o.against)
    againstRun = oneDNNMatmul(o);
  if (o.lib == "accml") {
    t = benchAccml(o);
  } else if (o.lib == "onednn") {
    t = benchOneDNN(o);
  } else if (o.lib == "openblas") {
    t = benchOpenBLAS(o);
  } else if (o.lib == "peak") {
    int64_t iterations = 100000000;
    flops = 2.0 * 16 * 12 * iterations;
    std::vector<double> times;
    for (int r = 0; r < std::max(o.repeat, 3); ++r)
      times.push_back(fmaPeak(iterations));
    std::sort(times.begin(), times.end());
    t = {times[times.size() / 2], times.front()};
  } else {
    die("unknown --lib " + o.lib +
        " (supported: accml, onednn, openblas, peak)");
  }
  if (printComparison())
    return 0;
  std::printf("{\"lib\": \"%s\", \"op\": \"%s\", \"dtype\": \"%s\", "
              "\"m\": %lld, \"n\": %lld, \"k\": %lld, \"threads\": %d, "
              "\"median_s\": %.9f, \"min_s\": %.9f, \"gflops\": %.3f, "
              "\"best_gflops\": %.3f}\n",
              o.lib.c_str(), o.op.c_str(), o.dtype.c_str(),
              static_cast<long long>(o.m), static_cast<long long>(o.n),
              static_cast<long long>(o.k), o.threads, t.first, t.second,
              flops / t.first / 1e9, flops / t.second / 1e9);
  return 0;
}
