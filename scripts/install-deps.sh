#!/usr/bin/env bash
# Installs, with apt-get, every Debian package AccML, its tests and its benchmarks
# need. Idempotent: when everything is already installed it only runs dpkg-query
# and returns in well under a second.
#
# Usage: scripts/install-deps.sh [--check]
#   --check   only report what is missing; exit 1 if anything is.
set -euo pipefail

packages=(
  # LLVM/MLIR 22 toolchain (bookworm-security)
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  libclang-rt-22-dev libomp-22-dev
  # build
  cmake ninja-build ccache make git
  # Python bindings and tests
  python3 python3-dev pybind11-dev python3-pybind11 python3-numpy
  python3-pytest python3-pytest-xdist python3-hypothesis python3-matplotlib python3-scipy
  # ONNX (C++ and Python)
  libonnx-dev libprotobuf-dev protobuf-compiler python3-onnx
  # PyTorch: importer and numerical reference
  python3-torch python3-torchvision
  # comparison libraries for benchmarks/ and unit tests
  libopenblas-dev libdnnl-dev ocl-icd-opencl-dev libbenchmark-dev libgtest-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "missing packages: ${missing[*]}"
  exit 1
fi

echo "install-deps: installing ${#missing[@]} package(s): ${missing[*]}"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
