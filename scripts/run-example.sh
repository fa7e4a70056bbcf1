#!/usr/bin/env bash
# `make run`: puts an example model through the AccML pipeline that exists
# today (parse and verify, shape inference, folding and canonicalization) and
# prints what each step did.
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
echo "Code generation (accml -> linalg -> LLVM) and execution are not implemented yet;"
echo "accml-opt --help lists the passes available today."
