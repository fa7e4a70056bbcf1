#!/usr/bin/env python3
"""AccML's benchmark harness (`make bench`).

Measures, side by side in one run, AccML (linalg and affine routes) against
oneDNN, OpenBLAS, numpy and PyTorch on f32 matmuls (and the 2-thread speedup
of AccML's and oneDNN's, 1 and 2 threads in the same rounds), AccML on AMX against
oneDNN on bf16 matmuls, AccML against oneDNN on ResNet-18 and MobileNetV2 convolution layers, memory-bound ops against a
plain copy, and the machine's AVX-512 FMA peak, and writes
benchmarks/results/results.json, results.md and results.png plus the
machine description. Every library runs in its own process (accml-bench for
the C++ ones) with its thread count set in the environment, and each row is
the median of repeated runs after a warm-up. The machines are shared and
noisy: the libraries of one comparison run in interleaved rounds (--rounds,
3 by default), and each ratio is the median of the ratios measured within a
round; read the ratios rather than the absolute numbers. At one thread,
AccML and oneDNN also alternate within one process (`accml-bench --against
onednn`) for the f32 matmuls and the convolutions: each round's ratio then
compares the two in the same phase of the machine.

Usage: benchmarks/run.py [--build build] [--quick] [--repeat N] [--rounds N]
"""

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

MATMUL_SHAPES = [(256, 256, 256), (512, 512, 512), (1000, 1000, 1000),
                 (1024, 1024, 1024), (2048, 2048, 2048), (128, 768, 768),
                 (128, 3072, 768)]
QUICK_SHAPES = [(256, 256, 256), (512, 512, 512), (1024, 1024, 1024)]
# Square f32 matmuls whose 2-thread speedup is measured in shared rounds.
SCALING_SIZES = [1024, 2048]
# Square bf16 matmuls (AccML on AMX against oneDNN's AMX kernel).
BF16_SIZES = [1024, 2048]

# Convolution layers, batch 1: name, channels, input size, filters, kernel,
# stride, padding, groups.
CONV_LAYERS = [
    ("resnet18 conv1 7x7/2", 3, 224, 64, 7, 2, 3, 1),
    ("resnet18 layer1 3x3", 64, 56, 64, 3, 1, 1, 1),
    ("resnet18 layer2 3x3/2", 64, 56, 128, 3, 2, 1, 1),
    ("resnet18 layer2 1x1/2", 64, 56, 128, 1, 2, 0, 1),
    ("resnet18 layer2 3x3", 128, 28, 128, 3, 1, 1, 1),
    ("resnet18 layer3 3x3", 256, 14, 256, 3, 1, 1, 1),
    ("resnet18 layer4 3x3", 512, 7, 512, 3, 1, 1, 1),
    ("mobilenetv2 dw 3x3", 144, 56, 144, 3, 1, 1, 144),
    ("mobilenetv2 dw 3x3/2", 96, 112, 96, 3, 2, 1, 96),
    ("mobilenetv2 pw 1x1", 144, 56, 24, 1, 1, 0, 1),
    # MobileNetV2's depthwise layers on small images (rows of 14 and 7).
    ("mobilenetv2 dw 3x3 14x14", 576, 14, 576, 3, 1, 1, 576),
    ("mobilenetv2 dw 3x3/2 28x28", 192, 28, 192, 3, 2, 1, 192),
    ("mobilenetv2 dw 3x3 7x7", 960, 7, 960, 3, 1, 1, 960),
]
QUICK_CONV_LAYERS = [CONV_LAYERS[1], CONV_LAYERS[2], CONV_LAYERS[7]]

PY_BENCH = r"""
import json, sys, time
import numpy as np
lib, m, n, k, threads, repeat = sys.argv[1], *map(int, sys.argv[2:7])
rng = np.random.default_rng(0)
a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
if lib == "torch":
    import torch
    torch.set_num_threads(threads)
    a, b = torch.from_numpy(a), torch.from_numpy(b)
    fn = lambda: torch.matmul(a, b)
else:
    fn = lambda: np.matmul(a, b)
fn()
times = []
for _ in range(repeat):
    start = time.perf_counter()
    fn()
    times.append(time.perf_counter() - start)
times.sort()
median = times[len(times) // 2]
flops = 2.0 * m * n * k
print(json.dumps({"lib": lib, "op": "matmul", "dtype": "f32", "m": m, "n": n,
                  "k": k, "threads": threads, "median_s": median,
                  "min_s": times[0], "gflops": flops / median / 1e9,
                  "best_gflops": flops / times[0] / 1e9}))
"""


TORCH_RESNET = r"""
import json, sys, time
import torch, torchvision
threads, repeat = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(threads)
model = torchvision.models.resnet18().eval()
x = torch.randn(1, 3, 224, 224)
with torch.no_grad():
    model(x)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        model(x)
        times.append(time.perf_counter() - start)
times.sort()
print(json.dumps({"model": "resnet18", "threads": threads,
                  "median_ms": 1000 * times[len(times) // 2]}))
"""


def run_json(cmd, env_extra):
    env = dict(os.environ)
    env.update(env_extra)
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        print(f"  failed: {' '.join(cmd)}\n{proc.stderr}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def interleaved(commands, rounds, reference, value):
    """Runs each of `commands` ({key: (cmd, env)}) once per round, all of a
    round back to back; returns each key's median row (by `value`) and, for
    each key, the median over the rounds of its value divided by the
    `reference` key's value in the same round (the machines are shared and
    their speed drifts between runs minutes apart: a ratio measured within
    a round is far steadier than the ratio of two medians)."""
    rows = {key: [] for key in commands}
    ratios = {key: [] for key in commands}
    for _ in range(rounds):
        got = {}
        for key, (cmd, env) in commands.items():
            row = run_json(cmd, env)
            if row:
                rows[key].append(row)
                got[key] = row
        if reference in got:
            for key, row in got.items():
                ratios[key].append(value(row) / value(got[reference]))

    def median(values):
        return sorted(values)[len(values) // 2] if values else None
    medians = {key: (sorted(r, key=value)[len(r) // 2] if r else None)
               for key, r in rows.items()}
    return medians, {key: median(r) for key, r in ratios.items()}


def against(bench, problem, rounds, other):
    """AccML and `other` alternating in one accml-bench process (`--against
    other`), `rounds` rounds: the median of the per-round ratios (the
    other's time / AccML's) and their range, or None. Separate processes
    often meet the machine in different phases; within one process, each
    round compares the two in the same phase. `onednn`: oneDNN on the same
    matmul or convolution (one thread; above 1, AccML is faster); `copy`: a
    plain copy of the bytes a memory-bound op moves (the fraction of the
    copy's bandwidth)."""
    row = run_json([bench, "--lib", "accml"] + problem +
                   ["--against", other, "--rounds", str(rounds)], {})
    if not row:
        return None
    return {"ratio": row["ratio"], "min": row["ratio_min"],
            "max": row["ratio_max"]}


def cpu_has_amx():
    """Whether the CPU has the AMX tile unit with bf16 (Intel's Sapphire
    Rapids and later; AMD's Zen 4 and 5 have AVX-512-BF16 only)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = line.split(":", 1)[1].split()
                    return "amx_tile" in flags and "amx_bf16" in flags
    except OSError:
        pass
    return False


def machine():
    info = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "platform": platform.platform(), "cores": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return info


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--quick", action="store_true",
                        help="fewer shapes and runs")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of each side-by-side comparison")
    args = parser.parse_args()
    bench = os.path.join(args.build, "bin", "accml-bench")
    out_dir = os.path.join(ROOT, "benchmarks", "results")
    os.makedirs(out_dir, exist_ok=True)
    shapes = QUICK_SHAPES if args.quick else MATMUL_SHAPES
    repeat = 3 if args.quick else args.repeat
    rounds = 1 if args.quick else args.rounds
    # Rounds of the in-process AccML / oneDNN comparisons (one thread).
    same_rounds = 2 if args.quick else max(2 * args.rounds, 6)

    results = []
    peak = run_json([bench, "--lib", "peak", "--repeat", "3"], {})
    print(f"FMA peak (1 core): {peak['gflops']:.1f} GFLOP/s")
    for threads in (1, 2):
        for m, n, k in shapes:
            size = ["--m", str(m), "--n", str(n), "--k", str(k),
                    "--threads", str(threads), "--repeat", str(repeat)]
            # OpenBLAS 0.3.21 mis-detects this CPU as Prescott; set the core
            # type here only (never in tests).
            blas_env = {"OPENBLAS_CORETYPE": "SkylakeX",
                        "OPENBLAS_NUM_THREADS": str(threads),
                        "OMP_NUM_THREADS": str(threads)}
            commands = {
                "accml": ([bench, "--lib", "accml"] + size, {}),
                # The affine route of the same pipeline.
                "accml-affine": ([bench, "--lib", "accml"] + size +
                                 ["--options", "loop-strategy=affine"], {}),
                "onednn": ([bench, "--lib", "onednn"] + size,
                           {"OMP_NUM_THREADS": str(threads)}),
                "openblas": ([bench, "--lib", "openblas"] + size, blas_env),
            }
            for lib in ("numpy", "torch"):
                commands[lib] = (["/usr/bin/python3", "-c", PY_BENCH, lib, str(m),
                                  str(n), str(k), str(threads), str(repeat)],
                                 blas_env)
            medians, ratios = interleaved(commands, rounds, "onednn",
                                          lambda r: r["gflops"])
            same = (against(bench, size, same_rounds, "onednn")
                    if threads == 1 else None)
            rows = []
            for lib, r in medians.items():
                if r:
                    r["lib"] = lib
                    r["pct_peak"] = 100.0 * r["gflops"] / (peak["gflops"] * threads)
                    r["to_onednn"] = ratios[lib]
                    if lib == "accml" and same:
                        r["to_onednn_same_process"] = same
                    rows.append(r)
            results.extend(rows)
            line = ", ".join(f"{r['lib']} {r['gflops']:.1f}" for r in rows)
            print(f"matmul {m}x{n}x{k} threads={threads}: {line} GFLOP/s")

    # Thread scaling: 2 threads against 1 in the same rounds (the rows above
    # run their 1- and 2-thread problems minutes apart, and the machine's
    # speed drifts between them), AccML's and oneDNN's.
    scaling = []
    for size in SCALING_SIZES:
        for lib in ("accml", "onednn"):
            commands = {}
            for threads in (1, 2):
                cmd = [bench, "--lib", lib, "--m", str(size), "--n", str(size),
                       "--k", str(size), "--threads", str(threads),
                       "--repeat", str(repeat)]
                commands[threads] = (cmd, {"OMP_NUM_THREADS": str(threads)})
            medians, ratios = interleaved(commands, rounds, 1,
                                          lambda r: r["gflops"])
            if medians[1] and medians[2]:
                scaling.append({"lib": lib, "size": size,
                                "gflops_1": medians[1]["gflops"],
                                "gflops_2": medians[2]["gflops"],
                                "speedup": ratios[2]})
                print(f"scaling {lib} {size}^3: 1 thread "
                      f"{medians[1]['gflops']:.1f}, 2 threads "
                      f"{medians[2]['gflops']:.1f} GFLOP/s, speedup "
                      f"{ratios[2]:.2f}")

    # bf16 matmuls (f32 accumulation): AccML on AMX (bf16-matmul=amx, bf16
    # result) and oneDNN's AMX kernel (f32 result), side by side.
    bf16 = []
    for threads in (1, 2):
        for size in BF16_SIZES:
            shape = ["--m", str(size), "--n", str(size), "--k", str(size),
                     "--dtype", "bf16", "--threads", str(threads),
                     "--repeat", str(repeat * 2)]
            # The AMX unit is shared with the machine's other tenants, in
            # bursts: five interleaved rounds.
            commands = {
                "amx": ([bench, "--lib", "accml"] + shape +
                        ["--options", "bf16-matmul=amx"], {}),
                "dot": ([bench, "--lib", "accml"] + shape +
                        ["--options", "bf16-matmul=avx512-bf16"], {}),
                "onednn": ([bench, "--lib", "onednn"] + shape,
                           {"OMP_NUM_THREADS": str(threads)})}
            if not cpu_has_amx():
                del commands["amx"]
            medians, ratios = interleaved(
                commands,
                max(rounds, 5) if not args.quick else 1, "onednn",
                lambda r: r["gflops"])
            ours, dot, theirs = (medians.get(key) for key in ("amx", "dot", "onednn"))
            # A CPU without AMX (AMD's Zen 4 and 5) rejects bf16-matmul=amx:
            # its row keeps the AVX-512-BF16 kernel against oneDNN's best
            # bf16 kernel on that CPU.
            if (ours or dot) and theirs:
                bf16.append({"size": size, "threads": threads,
                             "accml_gflops": ours["gflops"] if ours else None,
                             "accml_avx512bf16_gflops": dot["gflops"] if dot else None,
                             "onednn_gflops": theirs["gflops"],
                             "ratio": ratios.get("amx") if ours else None,
                             "avx512bf16_ratio": ratios["dot"] if dot else None})
                def text(row, ratio):
                    if not row:
                        return "- (not run)"
                    return (f"{row['gflops']:.1f}" +
                            (f" ({ratio:.2f} of oneDNN)" if ratio is not None
                             else ""))
                print(f"bf16 matmul {size}^3 threads={threads}: accml AMX "
                      f"{text(ours, ratios.get('amx'))}, accml AVX-512-BF16 "
                      f"{text(dot, ratios['dot'])}, onednn "
                      f"{theirs['gflops']:.1f} GFLOP/s")

    # Memory-bound ops on 1M elements, as GB/s and % of a plain copy.
    memory = []
    for threads in (1, 2):
        # Millisecond runs: as many repeats as the copy (the first few runs
        # still fault in their output pages).
        common = ["--repeat", str(repeat * 5), "--threads", str(threads)]
        commands = {"copy": ([bench, "--lib", "copy", "--op", "copy"] + common, {})}
        for op in ("softmax", "layer_norm", "elementwise"):
            commands[op] = ([bench, "--lib", "accml", "--op", op] + common, {})
        medians, ratios = interleaved(commands, rounds, "copy",
                                      lambda r: r["gbps"])
        copy = medians["copy"]
        for op in ("softmax", "layer_norm", "elementwise"):
            row = medians[op]
            if row and copy:
                row["pct_copy"] = 100.0 * ratios[op]
                row["copy_gbps"] = copy["gbps"]
                row["same_process"] = against(
                    bench, ["--op", op] + common, same_rounds, "copy")
                memory.append(row)
                same = row["same_process"]
                print(f"{op} 1024x1024 threads={threads}: {row['gbps']:.2f} GB/s "
                      f"({row['pct_copy']:.1f}% of copy, {copy['gbps']:.1f} GB/s"
                      + (f"; in one process {100 * same['ratio']:.1f}%"
                         if same else "") + ")")

    # Convolutions: AccML and oneDNN (its preferred layouts) side by side.
    convs = []
    for threads in (1, 2):
        for name, c, hw, f, kernel, stride, pad, groups in (
                QUICK_CONV_LAYERS if args.quick else CONV_LAYERS):
            shape = ["--op", "conv2d", "--c", str(c), "--hw", str(hw), "--f", str(f),
                     "--kernel", str(kernel), "--stride", str(stride), "--pad", str(pad),
                     "--groups", str(groups), "--threads", str(threads),
                     "--repeat", str(repeat * 2)]
            medians, ratios = interleaved(
                {"accml": ([bench, "--lib", "accml"] + shape, {}),
                 "onednn": ([bench, "--lib", "onednn"] + shape,
                            {"OMP_NUM_THREADS": str(threads)})},
                rounds, "onednn", lambda r: r["gflops"])
            ours, theirs = medians["accml"], medians["onednn"]
            same = (against(bench, shape, same_rounds, "onednn")
                    if threads == 1 else None)
            # Depthwise layers between channels-last layers (an N x H x W x C
            # input and result, transposed around the NCHW op in the
            # module): AccML's preferred layout at the boundary, as oneDNN
            # gets its blocked one.
            last = (against(bench, shape + ["--layout", "nhwc"], same_rounds,
                            "onednn")
                    if threads == 1 and groups > 1 else None)
            if ours and theirs:
                convs.append({"layer": name, "threads": threads,
                              "accml_gflops": ours["gflops"],
                              "onednn_gflops": theirs["gflops"],
                              "ratio": ratios["accml"],
                              "ratio_same_process": same,
                              "ratio_channels_last": last})
                print(f"conv {name} threads={threads}: accml {ours['gflops']:.1f}, "
                      f"onednn {theirs['gflops']:.1f} GFLOP/s")

    # A ResNet-18-sized graph: AccML's compile time and latency, and eager
    # PyTorch's latency on torchvision's resnet18 (random weights).
    models = []
    for threads in (1, 2):
        env = {"OMP_NUM_THREADS": str(threads)}
        medians, ratios = interleaved(
            {"accml": (["/usr/bin/python3",
                        os.path.join(ROOT, "benchmarks", "resnet18.py"),
                        "--build", args.build, "--threads", str(threads),
                        "--repeat", str(repeat)], env),
             "torch": (["/usr/bin/python3", "-c", TORCH_RESNET, str(threads),
                        str(repeat)], env)},
            rounds, "torch", lambda r: r["median_ms"])
        ours, torch_row = medians["accml"], medians["torch"]
        if ours:
            ours["torch_ms"] = torch_row["median_ms"] if torch_row else None
            ours["to_torch"] = ratios["accml"] if torch_row else None
            models.append(ours)
            print(f"resnet18 threads={threads}: compile {ours['compile_s']:.1f} s, "
                  f"accml {ours['median_ms']:.1f} ms, torch {ours['torch_ms']} ms")

    report = {"machine": machine(), "fma_peak_gflops_per_core": peak["gflops"],
              "results": results, "thread_scaling": scaling,
              "bf16_matmul": bf16, "memory_bound": memory,
              "conv2d": convs,
              "models": models}
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(report, f, indent=1)

    # Markdown: one row per problem, GFLOP/s and the ratio to oneDNN.
    libs = ["accml", "accml-affine", "onednn", "openblas", "numpy", "torch"]
    lines = [f"# AccML benchmarks ({report['machine']['date']})", "",
             f"Machine: {report['machine'].get('cpu', '?')}, "
             f"{report['machine']['cores']} cores; measured FMA peak "
             f"{peak['gflops']:.1f} GFLOP/s per core (f32, AVX-512).", "",
             f"f32 matmul, GFLOP/s (the median of {rounds} interleaved rounds, "
             "each the median of its runs, every library in its own process) "
             "and % of peak; accml/oneDNN is the median of the per-round "
             "ratios; in one process (1 thread): AccML and oneDNN alternating "
             f"in one process, {same_rounds} rounds (`accml-bench --against "
             "onednn`), the median of the per-round ratios [their range].", "",
             "| M x N x K | threads | " + " | ".join(libs) +
             " | accml/oneDNN | in one process |",
             "|---|---|" + "---|" * len(libs) + "---|---|"]
    for threads in (1, 2):
        for m, n, k in shapes:
            row = {r["lib"]: r for r in results if (r["m"], r["n"], r["k"], r["threads"]) == (m, n, k, threads)}
            cells = [f"{row[l]['gflops']:.1f} ({row[l]['pct_peak']:.0f}%)" if l in row else "-" for l in libs]
            ratio = (f"{row['accml']['to_onednn']:.3f}"
                     if "accml" in row and "onednn" in row else "-")
            same = row.get("accml", {}).get("to_onednn_same_process")
            same = (f"{same['ratio']:.3f} [{same['min']:.2f}, {same['max']:.2f}]"
                    if same else "-")
            lines.append(f"| {m}x{n}x{k} | {threads} | " + " | ".join(cells) +
                         f" | {ratio} | {same} |")
    lines += ["", "f32 matmul thread scaling: 1 and 2 threads in the same "
              f"{rounds} interleaved rounds (GFLOP/s, medians); the speedup is "
              "the median of the per-round ratios.", "",
              "| M = N = K | lib | 1 thread | 2 threads | speedup |",
              "|---|---|---|---|---|"]
    for r in scaling:
        lines.append(f"| {r['size']} | {r['lib']} | {r['gflops_1']:.1f} | "
                     f"{r['gflops_2']:.1f} | {r['speedup']:.2f} |")
    lines += ["", "bf16 matmul (f32 accumulation), GFLOP/s (the median of five "
              "interleaved rounds, each the median of its runs; accml/oneDNN is the "
              "median of the five per-round ratios): AccML on AMX "
              "(`bf16-matmul=amx`) and with AVX-512-BF16 (`bf16-matmul=avx512-bf16`), "
              "bf16 result, A and B packed every call; oneDNN's best bf16 kernel "
              "on this CPU (AMX where present, f32 result). This CPU "
              + ("has AMX." if cpu_has_amx() else
                 "has no AMX (amx-tile, amx-bf16): the AMX column is empty and "
                 "oneDNN runs its AVX-512-BF16 kernel too.") + "", "",
              "| M = N = K | threads | accml AMX | accml AVX-512-BF16 | oneDNN | "
              "AMX/oneDNN | AVX-512-BF16/oneDNN |",
              "|---|---|---|---|---|---|---|"]

    def cell(value, spec):
        return "-" if value is None else format(value, spec)
    for r in bf16:
        lines.append(f"| {r['size']} | {r['threads']} | "
                     f"{cell(r['accml_gflops'], '.1f')} | "
                     f"{cell(r['accml_avx512bf16_gflops'], '.1f')} | "
                     f"{r['onednn_gflops']:.1f} | {cell(r['ratio'], '.2f')} | "
                     f"{cell(r.get('avx512bf16_ratio'), '.2f')} |")
    lines += ["", "Memory-bound ops on a 1024 x 1024 f32 tensor: GB/s moved (one read, "
              f"one write; the median of {rounds} interleaved rounds) and % of a plain "
              "copy (one thread, memcpy; the median of the per-round ratios to the "
              "copy run in the same round, each in its own process); in one process: "
              f"the op and the copy alternating in one process, {same_rounds} rounds "
              "(`accml-bench --against copy`), the median of the per-round ratios "
              "[their range].", "",
              "| op | threads | accml GB/s | copy GB/s | % of copy | in one process |",
              "|---|---|---|---|---|---|"]
    for r in memory:
        same = r.get("same_process")
        same_text = (f"{100 * same['ratio']:.1f}% [{100 * same['min']:.1f}, "
                     f"{100 * same['max']:.1f}]" if same else "-")
        lines.append(f"| {r['op']} | {r['threads']} | {r['gbps']:.2f} | "
                     f"{r['copy_gbps']:.1f} | {r['pct_copy']:.1f}% | {same_text} |")
    lines += ["", "Convolutions (batch 1, f32, bias, constant weights), GFLOP/s "
              f"(the median of {rounds} interleaved rounds, each library in its "
              "own process); accml/oneDNN is the median of the per-round ratios; "
              "in one process (1 thread): the two alternating in one process, "
              f"{same_rounds} rounds, the median of the per-round ratios [their "
              "range]; oneDNN uses its preferred (blocked) layouts, AccML gets "
              "and returns NCHW; channels last (depthwise layers, 1 thread): "
              "the same in one process with AccML's input and result N x H x W "
              "x C (`accml-bench --layout nhwc`: transposes around the NCHW "
              "op, which accml-pack propagates into it), its preferred layout "
              "at the boundary.", "",
              "| layer | threads | accml | oneDNN | accml/oneDNN | in one process "
              "| channels last, in one process |",
              "|---|---|---|---|---|---|---|"]
    def ratio_text(same):
        return (f"{same['ratio']:.2f} [{same['min']:.2f}, {same['max']:.2f}]"
                if same else "-")
    for r in convs:
        same = ratio_text(r.get("ratio_same_process"))
        last = ratio_text(r.get("ratio_channels_last"))
        lines.append(f"| {r['layer']} | {r['threads']} | {r['accml_gflops']:.1f} | "
                     f"{r['onednn_gflops']:.1f} | {r['ratio']:.2f} | {same} | {last} |")
    lines += ["", "ResNet-18 (batch 1, 224 x 224, f32; benchmarks/resnet18.py writes it as an "
              "accml module with random weights): AccML's compile time and median latency, "
              "eager PyTorch's latency on torchvision's resnet18 (the median of "
              f"{rounds} interleaved rounds); accml/torch is the median of the "
              "per-round latency ratios (below 1: AccML is faster).", "",
              "| threads | compile (s) | accml (ms) | torch (ms) | accml/torch |",
              "|---|---|---|---|---|"]
    for r in models:
        torch_ms = f"{r['torch_ms']:.1f}" if r.get("torch_ms") else "-"
        ratio = f"{r['to_torch']:.2f}" if r.get("to_torch") else "-"
        lines.append(f"| {r['threads']} | {r['compile_s']:.1f} | {r['median_ms']:.1f} | "
                     f"{torch_ms} | {ratio} |")
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
        for ax, threads in zip(axes, (1, 2)):
            labels = [f"{m}x{n}x{k}" for m, n, k in shapes]
            width = 0.8 / len(libs)
            for i, lib in enumerate(libs):
                values = []
                for m, n, k in shapes:
                    match = [r for r in results if r["lib"] == lib and (r["m"], r["n"], r["k"], r["threads"]) == (m, n, k, threads)]
                    values.append(match[0]["gflops"] if match else 0)
                ax.bar([x + i * width for x in range(len(shapes))], values, width, label=lib)
            ax.axhline(peak["gflops"] * threads, color="k", linestyle="--", label="FMA peak")
            ax.set_xticks([x + 0.4 - width / 2 for x in range(len(shapes))])
            ax.set_xticklabels(labels, rotation=30)
            ax.set_title(f"f32 matmul, {threads} thread(s)")
            ax.set_ylabel("GFLOP/s")
        axes[0].legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(os.path.join(out_dir, "results.png"), dpi=100)
    except ImportError:
        print("matplotlib not available: no plot", file=sys.stderr)


if __name__ == "__main__":
    main()
