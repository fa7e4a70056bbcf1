# AccML: the README's commands. A thin wrapper over CMake + Ninja.
#
#   make run     compile and run the example model (installs and builds as needed)
#   make test    build and run the whole test suite (installs and builds as needed)
#   make build   install dependencies, configure and build
#   make bench   run the benchmark harness (benchmarks/results/); BENCH_ARGS=--quick
#   make bench-grid  the tile-size model against a grid of tile sizes
#   make docs    regenerate the dialect and pass reference in docs/
#   make clean   remove the build directory

BUILD_DIR ?= build
JOBS ?= 2
LLVM_PREFIX ?= /usr/lib/llvm-22

# ccache keys on paths relative to the checkout, so that a clone elsewhere
# (CI's) reuses what any other checkout on the machine compiled.
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

CMAKE_FLAGS = -G Ninja \
  -DCMAKE_BUILD_TYPE=Release \
  -DMLIR_DIR=$(LLVM_PREFIX)/lib/cmake/mlir \
  -DLLVM_EXTERNAL_LIT=$(LLVM_PREFIX)/bin/lit \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DLLVM_USE_LINKER=lld \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
  -DPython3_EXECUTABLE=/usr/bin/python3

.PHONY: all deps configure build test run bench bench-grid docs clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	@scripts/install-deps.sh
	cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS)

configure: deps $(BUILD_DIR)/build.ninja

build: configure
	ninja -C $(BUILD_DIR) -j $(JOBS)

test: build
	ninja -C $(BUILD_DIR) -j $(JOBS) mlir-doc
	@scripts/run-tests.sh $(BUILD_DIR)

run: build
	@scripts/run-example.sh $(BUILD_DIR)

bench: build
	ninja -C $(BUILD_DIR) -j $(JOBS) accml-bench
	/usr/bin/python3 benchmarks/run.py --build $(BUILD_DIR) $(BENCH_ARGS)

bench-grid: build
	ninja -C $(BUILD_DIR) -j $(JOBS) accml-bench
	/usr/bin/python3 benchmarks/tile_grid.py --build $(BUILD_DIR) $(BENCH_ARGS)

docs: configure
	ninja -C $(BUILD_DIR) mlir-doc
	@scripts/update-docs.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
