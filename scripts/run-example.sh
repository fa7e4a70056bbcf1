#!/usr/bin/env bash
# `make run`: puts an example model through AccML: graph-level passes (shape
# inference, folding, canonicalization), then compilation to native code and
# execution with accml-run, JIT and ahead of time, printing what each step
# did, the outputs and the timing.
set -euo pipefail
build="${1:-build}"
model="${MODEL:-examples/mlp.mlir}"
opt="$build/bin/accml-opt"
pipeline='builtin.module(func.func(accml-infer-shapes,canonicalize,cse))'
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

count_ops() { # file -> "N ops (M accml ops)"
  "$opt" "$1" --print-op-stats -o /dev/null 2>&1 |
    awk -F, '/,/ { n += $2; if ($1 ~ /accml\./) a += $2 } END { printf "%d ops, %d accml ops", n, a }'
}

echo "== AccML example: $model"
echo
echo "-- 1. parse and verify"
"$opt" "$model" -o "$out/parsed.mlir"
echo "   $(count_ops "$out/parsed.mlir"), every op verified and its result type checked"
echo
echo "-- 2. accml-infer-shapes, canonicalize, cse"
echo "   pipeline: $pipeline"
"$opt" "$model" --pass-pipeline="$pipeline" --mlir-timing \
  -o "$out/optimized.mlir" 2> "$out/report.txt"
grep -E "Total Execution Time" "$out/report.txt" | sed 's/^ */   /'
dynamic() { grep -v "func.func" "$1" | grep -o 'tensor<[^>]*?[^>]*>' | wc -l; }
echo "   types with dynamic dimensions: $(dynamic "$out/parsed.mlir") -> $(dynamic "$out/optimized.mlir")"
echo "   $(count_ops "$out/optimized.mlir") after folding"
echo
echo "   operations before -> after:"
"$opt" "$out/parsed.mlir" --print-op-stats -o /dev/null 2>&1 | awk -F, '/accml\./ { gsub(/ /, "", $1); printf "%s=%d\n", $1, $2 }' | sort > "$out/before.txt"
"$opt" "$out/optimized.mlir" --print-op-stats -o /dev/null 2>&1 | awk -F, '/accml\./ { gsub(/ /, "", $1); printf "%s=%d\n", $1, $2 }' | sort > "$out/after.txt"
join -t= -a1 -a2 -e0 -o 0,1.2,2.2 "$out/before.txt" "$out/after.txt" |
  awk -F= '{ printf "     %-18s %3d -> %d\n", $1, $2, $3 }'
echo
echo "-- 3. the optimized model"
grep -v "accml.constant" "$out/optimized.mlir" | sed 's/^/   /'
echo "   (constants elided from this listing)"
echo
echo "-- 4. compile (accml-cpu-pipeline, JIT at -O3) and run it on a fixed input"
/usr/bin/python3 -c "import numpy as np; np.save('$out/x.npy', (0.25 * (np.arange(16).reshape(2, 8) % 5) - 0.5).astype(np.float32))"
"$build/bin/accml-run" "$model" --input "$out/x.npy" --output-dir "$out" --repeat 100 | sed 's/^/   /'
echo
echo "-- 5. the same model ahead of time: a shared library, a C header and a C program"
"$build/bin/accml-compile" "$model" -o "$out/aot/libmlp.so" | sed 's/^/   /'
clang-22 examples/aot/run_mlp.c -I"$out/aot" -L"$out/aot" -lmlp -Wl,-rpath,"$out/aot" -o "$out/run_mlp"
echo "   examples/aot/run_mlp.c prints:"
"$out/run_mlp" | sed 's/^/     /'
echo
echo "-- 6. a transformer encoder block (examples/transformer_encoder.mlir) on random"
echo "      inputs and weights, 1 and 2 threads"
for t in 1 2; do
  "$build/bin/accml-run" examples/transformer_encoder.mlir --random-inputs --repeat 20 --threads=$t |
    grep -E "compiled|latency" | sed "s/^/   [threads=$t] /"
done
