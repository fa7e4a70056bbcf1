//===- BF16Matmul.cpp - accml-bf16-matmul ---------------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// accml-bf16-matmul: bf16 matmuls on buffers (bf16 x bf16 -> f32, what
// convert-accml-to-linalg makes of a bf16 accml.matmul) run on the AMX tile
// unit or with AVX-512-BF16 dot products. B is repacked into column blocks
// of the VNNI layout both read (pairs of rows interleaved, 16 columns per
// block, 64 bytes per row); sizes that are not multiples of the 32 x 32
// block go through zero-padded copies. An elementwise consumer of C (the
// rounding to bf16, bias, activation) runs on each finished block.
// - AMX: A is packed into contiguous 16 x 32 tiles; each 32 x 32 block of C
//   is held in four accumulator tiles over the depth, with two A and two B
//   tiles per 32-deep step (the eight tile registers).
// - AVX-512-BF16: 8 x 32 register tiles of C (16 zmm accumulators); per
//   pair of k, two 32-element rows of packed B and, per row of A, its pair
//   of elements broadcast as one 32-bit lane (vdpbf16ps).
//
//===----------------------------------------------------------------------===//

#include "accml/Dialect/Accml/Transforms/Passes.h"
#include "accml/Target/CPUTarget.h"

#include "mlir/Dialect/AMX/AMXDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/X86Vector/X86VectorDialect.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/TilingInterface.h"

#include <cstring>

namespace accml {
#define GEN_PASS_DEF_ACCMLBF16MATMULPASS
#include "accml/Dialect/Accml/Transforms/Passes.h.inc"
} // namespace accml

using namespace mlir;

namespace {

/// Rows of every tile; bf16 elements in a row of an A or B tile (64 bytes);
/// the rows and columns of the block of C one kernel iteration computes
/// (2 x 2 accumulator tiles of 16 x 16 f32).
constexpr int64_t kTileRows = 16;
constexpr int64_t kTileDepth = 32;
constexpr int64_t kBlock = 32;
/// Rows of an AVX-512-BF16 register tile (its columns: two vectors of 16),
/// and its default depth block (a 32-column panel of packed B, 16 KiB,
/// stays in L1 over the rows of a block).
constexpr int64_t kDotRows = 8;
constexpr int64_t kDotDepth = 256;

/// Linux's arch_prctl request for permission to use the AMX tile data
/// state (ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) and its syscall number.
constexpr int64_t kSysArchPrctl = 158;
constexpr int64_t kArchReqXcompPerm = 0x1023;
constexpr int64_t kXFeatureXTileData = 18;

int64_t roundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

bool hasUnitInnerStride(MemRefType type) {
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         strides.back() == 1;
}

/// Whether `op` (a matmul or batched matmul with the default indexing maps)
/// multiplies static bf16 buffers of rank `rank` whose rows are contiguous
/// into such an f32 buffer.
bool hasBF16Operands(linalg::LinalgOp op, int64_t rank) {
  if (!op.hasPureBufferSemantics())
    return false;
  SmallVector<MemRefType> types;
  for (Value operand : op->getOperands()) {
    auto type = dyn_cast<MemRefType>(operand.getType());
    if (!type || !type.hasStaticShape() || type.getRank() != rank ||
        !hasUnitInnerStride(type))
      return false;
    types.push_back(type);
  }
  return types.size() == 3 && types[0].getElementType().isBF16() &&
         types[1].getElementType().isBF16() &&
         types[2].getElementType().isF32();
}

/// Whether the pass rewrites `op`: a 2-D matmul with the default indexing
/// maps on static buffers of bf16 x bf16 -> f32 whose rows are contiguous.
bool isBF16Matmul(linalg::MatmulOp op) {
  return !op.hasUserDefinedMaps() && hasBF16Operands(op, 2);
}

/// Whether `op` is a batched matmul of the same kind, which splitBatches
/// turns into matmuls the pass rewrites.
bool isBF16BatchMatmul(linalg::BatchMatmulOp op) {
  return !op.hasUserDefinedMaps() && hasBF16Operands(op, 3);
}

/// An scf.for over the batch of `op` with a linalg.matmul on each batch's
/// two-dimensional slices of the operands; `op` is erased.
void splitBatches(linalg::BatchMatmulOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  int64_t batch = cast<MemRefType>(op->getOperand(0).getType()).getDimSize(0);
  Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
  Value c1 = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, c0, arith::ConstantIndexOp::create(b, loc, batch), c1);
  b.setInsertionPoint(loop.getBody()->getTerminator());
  SmallVector<Value> slices;
  for (Value operand : op->getOperands()) {
    auto type = cast<MemRefType>(operand.getType());
    SmallVector<OpFoldResult> offsets = {loop.getInductionVar(),
                                         b.getIndexAttr(0), b.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1),
                                       b.getIndexAttr(type.getDimSize(1)),
                                       b.getIndexAttr(type.getDimSize(2))};
    SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
    auto sliceType = memref::SubViewOp::inferRankReducedResultType(
        {type.getDimSize(1), type.getDimSize(2)}, type, offsets, sizes,
        strides);
    slices.push_back(memref::SubViewOp::create(
        b, loc, cast<MemRefType>(sliceType), operand, offsets, sizes, strides));
  }
  linalg::MatmulOp::create(b, loc, ValueRange{slices[0], slices[1]},
                           ValueRange{slices[2]});
  op.erase();
}

/// The linalg.fill of zero into `op`'s output just before `op` (only ops
/// without memory effects in between), if any.
linalg::FillOp getZeroFill(linalg::MatmulOp op) {
  Value output = op.getDpsInits()[0];
  for (Operation *previous = op->getPrevNode(); previous;
       previous = previous->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(previous)) {
      if (fill.getDpsInits()[0] != output)
        return nullptr;
      Attribute value;
      if (!matchPattern(fill.getDpsInputs()[0], m_Constant(&value)))
        return nullptr;
      auto zero = dyn_cast<FloatAttr>(value);
      return zero && zero.getValue().isPosZero() ? fill : nullptr;
    }
    if (!isMemoryEffectFree(previous))
      return nullptr;
  }
  return nullptr;
}

/// The elementwise consumer of `op`'s output that can run on each finished
/// block: the output is a local buffer that only a fill, `op`, this
/// consumer and its dealloc use; the consumer is an all-parallel
/// two-dimensional generic over the same shape that reads the output with
/// the identity map and writes one buffer; only static allocations and ops
/// without memory effects lie between `op` and it.
linalg::GenericOp getEpilogue(linalg::MatmulOp op) {
  Value output = op.getDpsInits()[0];
  if (!output.getDefiningOp<memref::AllocOp>())
    return nullptr;
  linalg::GenericOp consumer;
  for (Operation *user : output.getUsers()) {
    if (isa<linalg::FillOp, memref::DeallocOp>(user) || user == op)
      continue;
    auto generic = dyn_cast<linalg::GenericOp>(user);
    if (!generic || consumer)
      return nullptr;
    consumer = generic;
  }
  if (!consumer || consumer->getBlock() != op->getBlock() ||
      !consumer.hasPureBufferSemantics() || consumer.getNumDpsInits() != 1 ||
      consumer.getDpsInits()[0] == output || consumer.getNumLoops() != 2 ||
      consumer.getNumParallelLoops() != consumer.getNumLoops() ||
      consumer.getStaticLoopRanges() !=
          cast<MemRefType>(output.getType()).getShape() ||
      !consumer.getMatchingIndexingMap(consumer.getDpsInitOperand(0))
           .isIdentity())
    return nullptr;
  for (OpOperand *input : consumer.getDpsInputOperands())
    if (input->get() == output &&
        !consumer.getMatchingIndexingMap(input).isIdentity())
      return nullptr;
  if (llvm::any_of(consumer.getIndexingMapsArray(),
                   [](AffineMap map) { return !map.isProjectedPermutation(); }))
    return nullptr;
  // Its operands must exist where the kernel runs (static allocations
  // between them move up).
  for (Value operand : consumer->getOperands()) {
    Operation *def = operand.getDefiningOp();
    if (operand == output || !def || def->getBlock() != op->getBlock() ||
        def->isBeforeInBlock(op))
      continue;
    auto alloc = dyn_cast<memref::AllocOp>(def);
    if (!alloc || alloc->getNumOperands() != 0)
      return nullptr;
  }
  for (Operation *between = op->getNextNode(); between != consumer;
       between = between->getNextNode()) {
    if (!between)
      return nullptr;
    auto alloc = dyn_cast<memref::AllocOp>(between);
    if (!isMemoryEffectFree(between) &&
        (!alloc || alloc->getNumOperands() != 0))
      return nullptr;
  }
  return consumer;
}

/// Rewrites AMX-able matmuls of one module.
class BF16MatmulRewriter {
public:
  BF16MatmulRewriter(ModuleOp module, bool amx, int64_t blockColumns,
                     int64_t blockDepth, int64_t l2Bytes)
      : module(module), amx(amx), blockColumns(blockColumns),
        blockDepth(blockDepth), l2Bytes(l2Bytes) {}

  void rewrite(linalg::MatmulOp op);

private:
  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }

  /// A new buffer whose rows of tiles start on cache lines (a tile row
  /// that straddles two lines costs two loads).
  Value allocate(MemRefType type) {
    return memref::AllocOp::create(b, loc, type, b.getI64IntegerAttr(64));
  }

  /// The leading corner of the two-dimensional `buffer` with `shape`.
  Value corner(Value buffer, ArrayRef<int64_t> shape) {
    SmallVector<OpFoldResult> offsets(2, b.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(shape[0]),
                                       b.getIndexAttr(shape[1])};
    return memref::SubViewOp::create(b, loc, buffer, offsets, sizes, strides);
  }

  /// A zero-filled buffer of `shape` with `source` copied into its
  /// leading corner.
  Value padded(Value source, ArrayRef<int64_t> shape) {
    auto sourceType = cast<MemRefType>(source.getType());
    Type element = sourceType.getElementType();
    Value buffer = allocate(MemRefType::get(shape, element));
    Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
    linalg::FillOp::create(b, loc, zero, buffer);
    memref::CopyOp::create(b, loc, source,
                           corner(buffer, sourceType.getShape()));
    return buffer;
  }

  /// Copies the leading corner of `buffer` (shaped like `target`) back.
  void copyBack(Value buffer, Value target) {
    auto targetType = cast<MemRefType>(target.getType());
    memref::CopyOp::create(b, loc, corner(buffer, targetType.getShape()),
                           target);
  }

  /// Asks the kernel for permission to use the tile data registers (a
  /// no-op once granted; without it the first tile instruction faults).
  void requestTilePermission();

  /// A (m x k, multiples of 32) into 16 x 32 tiles, each contiguous:
  /// packed[mb][kb][r][c] = a[16 * mb + r][32 * kb + c].
  void packA(Value source, Value packed, int64_t m, int64_t k);

  /// When `matrix` is a constant global (through a reshape, as
  /// accml-flatten-constants leaves weights), a new constant global holding
  /// it packed as packB does, zero-padded to `packedType`, and its
  /// memref.get_global here; null otherwise.
  Value packConstant(Value matrix, MemRefType packedType);

  /// B (k x n, both multiples of 2 and 16) into VNNI column blocks:
  /// packed[nb][kp][2 * j + t] = b[2 * kp + t][16 * nb + j].
  void packB(Value source, Value packed, int64_t k, int64_t n);

  /// The operands of the kernel: A (packed into tiles for AMX), packed B,
  /// C (m x n); sizes multiples of 32; whether C starts from zero.
  struct Kernel {
    Value a, packedB, c;
    int64_t m, n, k;
    bool zeroInit;
    /// An elementwise consumer of C applied to each finished 32 x 32 block
    /// (null: none).
    linalg::GenericOp epilogue;
  };

  /// The 32 x 32 blocks of C += A * B on the tile unit.
  void emitKernel(const Kernel &kernel);

  /// The depth of a block for a depth of `k`: AMX keeps its accumulators
  /// in tiles over the whole depth; the dot kernel's B panel stays in L1
  /// over depth blocks.
  int64_t depthBlock(int64_t k) const {
    int64_t kc = blockDepth > 0 ? blockDepth : (amx ? k : kDotDepth);
    return std::min(roundUp(kc, kBlock), k);
  }

  /// Whether the kernel's blocks go through a scratch buffer into the
  /// epilogue, C never written: on AMX, with one depth block, from zero.
  bool scratchEpilogue(const Kernel &kernel, int64_t kc) const {
    return kernel.epilogue && amx && kc == kernel.k && kernel.zeroInit;
  }

  /// For the 32 rows from `i0`: the 32 x 32 blocks of C between columns
  /// `jc` and `jcEnd`, over the depth from `kStart` to `kEnd`, on AMX.
  /// With `scratch` (a 32 x 32 f32 buffer), the tiles go there instead of
  /// C and the epilogue runs on each block right away.
  void emitSweep(const Kernel &kernel, Value i0, Value jc, Value jcEnd,
                 Value kStart, Value kEnd, bool zeroInit,
                 Value scratch = nullptr);

  /// `epilogue` on the 32 x 32 blocks of the rows from `i0` between
  /// columns `jc` and `jcEnd`.
  void emitEpilogue(const Kernel &kernel, Value i0, Value jc, Value jcEnd);

  /// `epilogue` on the 32 x 32 block at (`i0`, `j0`), one vectorised row
  /// of 32 at a time, reading the block of C from `scratch` when given.
  void emitBlockEpilogue(const Kernel &kernel, Value i0, Value j0,
                         Value scratch);

  /// The same with AVX-512-BF16 dot products on 8 x 32 register tiles.
  void emitDotSweep(const Kernel &kernel, Value i0, Value jc, Value jcEnd,
                    Value kStart, Value kEnd, bool zeroInit);

  ModuleOp module;
  bool amx;
  int64_t blockColumns;
  int64_t blockDepth;
  int64_t l2Bytes;
  OpBuilder b{module.getContext()};
  Location loc = b.getUnknownLoc();
};

void BF16MatmulRewriter::requestTilePermission() {
  auto i64 = b.getI64Type();
  auto syscall = module.lookupSymbol<LLVM::LLVMFuncOp>("syscall");
  if (!syscall) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(module.getBody());
    syscall = LLVM::LLVMFuncOp::create(
        b, loc, "syscall",
        LLVM::LLVMFunctionType::get(i64, {i64}, /*isVarArg=*/true));
  }
  SmallVector<Value> args;
  for (int64_t value : {kSysArchPrctl, kArchReqXcompPerm, kXFeatureXTileData})
    args.push_back(arith::ConstantIntOp::create(b, loc, i64, value));
  LLVM::CallOp::create(b, loc, syscall, args);
}

Value BF16MatmulRewriter::packConstant(Value matrix, MemRefType packedType) {
  Value source = matrix;
  if (auto expand = source.getDefiningOp<memref::ExpandShapeOp>())
    source = expand.getSrc();
  auto getGlobal = source.getDefiningOp<memref::GetGlobalOp>();
  if (!getGlobal)
    return nullptr;
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      getGlobal, getGlobal.getNameAttr());
  if (!global || !global.getConstant() || !global.getInitialValue())
    return nullptr;
  // The bf16 values as raw 16-bit patterns, row-major.
  auto matrixType = cast<MemRefType>(matrix.getType());
  int64_t k = matrixType.getDimSize(0), n = matrixType.getDimSize(1);
  SmallVector<uint16_t> values;
  Attribute initial = *global.getInitialValue();
  if (auto dense = dyn_cast<DenseElementsAttr>(initial)) {
    for (APFloat value : dense.getValues<APFloat>())
      values.push_back(value.bitcastToAPInt().getZExtValue());
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(initial)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return nullptr;
    ArrayRef<char> data = blob->getData();
    values.resize(data.size() / 2);
    std::memcpy(values.data(), data.data(), values.size() * 2);
  } else {
    return nullptr;
  }
  if (values.size() == 1)
    values.assign(k * n, values.front());
  if (static_cast<int64_t>(values.size()) != k * n)
    return nullptr;
  // packed[nb][kp][2 j + t] = B[2 kp + t][16 nb + j], zero outside B.
  ArrayRef<int64_t> shape = packedType.getShape();
  SmallVector<uint16_t> packed(packedType.getNumElements(), 0);
  for (int64_t nb = 0; nb < shape[0]; ++nb)
    for (int64_t kp = 0; kp < shape[1]; ++kp)
      for (int64_t j = 0; j < kTileRows; ++j)
        for (int64_t t = 0; t < 2; ++t) {
          int64_t row = 2 * kp + t, column = kTileRows * nb + j;
          if (row < k && column < n)
            packed[(nb * shape[1] + kp) * kTileDepth + 2 * j + t] =
                values[row * n + column];
        }
  // One-dimensional, as accml-flatten-constants makes weights (one LLVM
  // constant array: fast to JIT), reshaped at use.
  int64_t size = packedType.getNumElements();
  auto flatType = MemRefType::get({size}, b.getBF16Type());
  auto attr = DenseElementsAttr::getFromRawBuffer(
      RankedTensorType::get({size}, b.getBF16Type()),
      ArrayRef<char>(reinterpret_cast<const char *>(packed.data()),
                     packed.size() * 2));
  memref::GlobalOp packedGlobal;
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(global);
    packedGlobal =
        memref::GlobalOp::create(b, loc, (global.getSymName() + "_vnni").str(),
                                 b.getStringAttr("private"), flatType, attr,
                                 /*constant=*/true, b.getI64IntegerAttr(64));
    // A unique name.
    SymbolTable(module).insert(packedGlobal);
  }
  Value flat =
      memref::GetGlobalOp::create(b, loc, flatType, packedGlobal.getSymName());
  return memref::ExpandShapeOp::create(
      b, loc, packedType, flat, ArrayRef<ReassociationIndices>{{0, 1, 2}});
}

void BF16MatmulRewriter::packA(Value source, Value packed, int64_t m,
                               int64_t k) {
  auto row = VectorType::get({kTileDepth}, b.getBF16Type());
  Value c0 = index(0), c1 = index(1), c16 = index(kTileRows);
  Value c32 = index(kTileDepth);
  // Row tiles in parallel; rows of 64 bytes copied whole.
  auto tiles = scf::ParallelOp::create(
      b, loc, ValueRange{c0}, ValueRange{index(m / kTileRows)}, ValueRange{c1});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(tiles.getBody()->getTerminator());
  Value mb = tiles.getInductionVars()[0];
  Value first = arith::MulIOp::create(b, loc, mb, c16);
  auto rows = scf::ForOp::create(b, loc, c0, c16, c1);
  b.setInsertionPoint(rows.getBody()->getTerminator());
  Value r = rows.getInductionVar();
  Value sourceRow = arith::AddIOp::create(b, loc, first, r);
  auto depth = scf::ForOp::create(b, loc, c0, index(k / kTileDepth), c1);
  b.setInsertionPoint(depth.getBody()->getTerminator());
  Value kb = depth.getInductionVar();
  Value column = arith::MulIOp::create(b, loc, kb, c32);
  Value values = vector::LoadOp::create(b, loc, row, source,
                                        ValueRange{sourceRow, column});
  vector::StoreOp::create(b, loc, values, packed, ValueRange{mb, kb, r, c0});
}

void BF16MatmulRewriter::packB(Value source, Value packed, int64_t k,
                               int64_t n) {
  Type bf16 = b.getBF16Type();
  auto half = VectorType::get({kTileRows}, bf16);
  Value c0 = index(0), c1 = index(1), c2 = index(2), c16 = index(16);
  // Row pairs in parallel; each reads two contiguous rows and writes one
  // 64-byte row of every column block.
  auto pairs = scf::ParallelOp::create(
      b, loc, ValueRange{c0}, ValueRange{index(k / 2)}, ValueRange{c1});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(pairs.getBody()->getTerminator());
  Value kp = pairs.getInductionVars()[0];
  Value row0 = arith::MulIOp::create(b, loc, kp, c2);
  Value row1 = arith::AddIOp::create(b, loc, row0, c1);
  auto blocks = scf::ForOp::create(b, loc, c0, index(n / kTileRows), c1);
  b.setInsertionPoint(blocks.getBody()->getTerminator());
  Value nb = blocks.getInductionVar();
  Value column = arith::MulIOp::create(b, loc, nb, c16);
  Value even =
      vector::LoadOp::create(b, loc, half, source, ValueRange{row0, column});
  Value odd =
      vector::LoadOp::create(b, loc, half, source, ValueRange{row1, column});
  Value pair = vector::InterleaveOp::create(b, loc, even, odd);
  vector::StoreOp::create(b, loc, pair, packed, ValueRange{nb, kp, c0});
}

void BF16MatmulRewriter::emitSweep(const Kernel &kernel, Value i0, Value jc,
                                   Value jcEnd, Value kStart, Value kEnd,
                                   bool zeroInit, Value scratch) {
  auto accType = amx::TileType::get({kTileRows, kTileRows}, b.getF32Type());
  auto inType = amx::TileType::get({kTileRows, kTileDepth}, b.getBF16Type());
  Value c0 = index(0), c1 = index(1), c2 = index(2), c16 = index(kTileRows);
  Value c32 = index(kBlock);
  OpBuilder::InsertionGuard guard(b);
  Value i1 = arith::AddIOp::create(b, loc, i0, c16);
  auto columns = scf::ForOp::create(b, loc, jc, jcEnd, c32);
  b.setInsertionPoint(columns.getBody()->getTerminator());
  Value j0 = columns.getInductionVar();
  Value j1 = arith::AddIOp::create(b, loc, j0, c16);
  Value nb0 = arith::DivUIOp::create(b, loc, j0, c16);
  Value nb1 = arith::AddIOp::create(b, loc, nb0, c1);
  std::pair<Value, Value> corners[4] = {{i0, j0}, {i0, j1}, {i1, j0}, {i1, j1}};
  SmallVector<Value> accumulators;
  for (auto [i, j] : corners)
    accumulators.push_back(
        zeroInit ? amx::TileZeroOp::create(b, loc, accType).getResult()
                 : amx::TileLoadOp::create(b, loc, accType, kernel.c,
                                           ValueRange{i, j})
                       .getResult());
  auto depth = scf::ForOp::create(b, loc, kStart, kEnd, c32, accumulators);
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(depth.getBody());
    Value kk = depth.getInductionVar();
    Value kp = arith::DivUIOp::create(b, loc, kk, c2);
    Value kb = arith::DivUIOp::create(b, loc, kk, c32);
    Value mb0 = arith::DivUIOp::create(b, loc, i0, c16);
    Value mb1 = arith::AddIOp::create(b, loc, mb0, c1);
    Value a0 = amx::TileLoadOp::create(b, loc, inType, kernel.a,
                                       ValueRange{mb0, kb, c0, c0});
    Value a1 = amx::TileLoadOp::create(b, loc, inType, kernel.a,
                                       ValueRange{mb1, kb, c0, c0});
    Value b0 = amx::TileLoadOp::create(b, loc, inType, kernel.packedB,
                                       ValueRange{nb0, kp, c0});
    Value b1 = amx::TileLoadOp::create(b, loc, inType, kernel.packedB,
                                       ValueRange{nb1, kp, c0});
    ValueRange acc = depth.getRegionIterArgs();
    SmallVector<Value> next = {
        amx::TileMulFOp::create(b, loc, accType, a0, b0, acc[0]),
        amx::TileMulFOp::create(b, loc, accType, a0, b1, acc[1]),
        amx::TileMulFOp::create(b, loc, accType, a1, b0, acc[2]),
        amx::TileMulFOp::create(b, loc, accType, a1, b1, acc[3])};
    scf::YieldOp::create(b, loc, next);
  }
  if (!scratch) {
    for (auto [corner, result] : llvm::zip(corners, depth.getResults()))
      amx::TileStoreOp::create(b, loc, kernel.c,
                               ValueRange{corner.first, corner.second}, result);
    return;
  }
  std::pair<Value, Value> scratchCorners[4] = {
      {c0, c0}, {c0, c16}, {c16, c0}, {c16, c16}};
  for (auto [corner, result] : llvm::zip(scratchCorners, depth.getResults()))
    amx::TileStoreOp::create(b, loc, scratch,
                             ValueRange{corner.first, corner.second}, result);
  emitBlockEpilogue(kernel, i0, j0, scratch);
}

void BF16MatmulRewriter::emitDotSweep(const Kernel &kernel, Value i0, Value jc,
                                      Value jcEnd, Value kStart, Value kEnd,
                                      bool zeroInit) {
  Type f32 = b.getF32Type(), bf16 = b.getBF16Type();
  auto accType = VectorType::get({kTileRows}, f32);
  auto pairsType = VectorType::get({kTileDepth}, bf16);
  auto pairType = VectorType::get({2}, bf16);
  auto lanesType = VectorType::get({kTileRows}, b.getI32Type());
  Value c0 = index(0), c1 = index(1), c2 = index(2), c16 = index(kTileRows);
  OpBuilder::InsertionGuard guard(b);
  // A 32-column panel of packed B serves the four 8-row tiles of the block.
  auto columns = scf::ForOp::create(b, loc, jc, jcEnd, index(kBlock));
  b.setInsertionPoint(columns.getBody()->getTerminator());
  Value j0 = columns.getInductionVar();
  Value j1 = arith::AddIOp::create(b, loc, j0, c16);
  Value nb0 = arith::DivUIOp::create(b, loc, j0, c16);
  Value nb1 = arith::AddIOp::create(b, loc, nb0, c1);
  auto rows = scf::ForOp::create(
      b, loc, i0, arith::AddIOp::create(b, loc, i0, index(kBlock)),
      index(kDotRows));
  b.setInsertionPoint(rows.getBody()->getTerminator());
  SmallVector<Value> rowIndex;
  for (int64_t r = 0; r < kDotRows; ++r)
    rowIndex.push_back(
        arith::AddIOp::create(b, loc, rows.getInductionVar(), index(r)));
  // Accumulators: row r, columns j0 (2r) and j1 (2r + 1).
  SmallVector<Value> accumulators;
  Value zero = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(accType, b.getFloatAttr(f32, 0.0)));
  for (Value row : rowIndex)
    for (Value column : {j0, j1})
      accumulators.push_back(
          zeroInit ? zero
                   : vector::LoadOp::create(b, loc, accType, kernel.c,
                                            ValueRange{row, column})
                         .getResult());
  auto depth = scf::ForOp::create(b, loc, kStart, kEnd, c2, accumulators);
  {
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPointToStart(depth.getBody());
    Value kk = depth.getInductionVar();
    Value kp = arith::DivUIOp::create(b, loc, kk, c2);
    Value b0 = vector::LoadOp::create(b, loc, pairsType, kernel.packedB,
                                      ValueRange{nb0, kp, c0});
    Value b1 = vector::LoadOp::create(b, loc, pairsType, kernel.packedB,
                                      ValueRange{nb1, kp, c0});
    ValueRange acc = depth.getRegionIterArgs();
    SmallVector<Value> next;
    for (auto [r, row] : llvm::enumerate(rowIndex)) {
      // A[row][kk], A[row][kk + 1] as one 32-bit lane, in all 16 lanes.
      Value pair = vector::LoadOp::create(b, loc, pairType, kernel.a,
                                          ValueRange{row, kk});
      Value word = vector::ExtractOp::create(
          b, loc,
          vector::BitCastOp::create(b, loc,
                                    VectorType::get({1}, b.getI32Type()), pair),
          ArrayRef<int64_t>{0});
      Value lanes = vector::BroadcastOp::create(b, loc, lanesType, word);
      Value a = vector::BitCastOp::create(b, loc, pairsType, lanes);
      next.push_back(
          x86vector::DotBF16Op::create(b, loc, accType, acc[2 * r], a, b0));
      next.push_back(
          x86vector::DotBF16Op::create(b, loc, accType, acc[2 * r + 1], a, b1));
    }
    scf::YieldOp::create(b, loc, next);
  }
  for (auto [r, row] : llvm::enumerate(rowIndex)) {
    vector::StoreOp::create(b, loc, depth.getResult(2 * r), kernel.c,
                            ValueRange{row, j0});
    vector::StoreOp::create(b, loc, depth.getResult(2 * r + 1), kernel.c,
                            ValueRange{row, j1});
  }
}

void BF16MatmulRewriter::emitKernel(const Kernel &kernel) {
  int64_t m = kernel.m, n = kernel.n, k = kernel.k;
  Value c0 = index(0), c32 = index(kBlock);
  // Column blocks of B sized to stay in half of L2 (k x nc bf16), a
  // multiple of the C block.
  int64_t nc = blockColumns;
  if (nc <= 0)
    nc = std::max<int64_t>(l2Bytes / 2 / (k * 2) / kBlock * kBlock, kBlock);
  nc = std::min(roundUp(nc, kBlock), n);
  int64_t kc = depthBlock(k);

  // Column blocks and row blocks of 32 in one parallel loop: the threads
  // take contiguous runs of it (whole column blocks where there are
  // several, so that each keeps its own block of B in its L2).
  auto blocks = scf::ParallelOp::create(b, loc, ValueRange{c0, c0},
                                        ValueRange{index(n), index(m)},
                                        ValueRange{index(nc), c32});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(blocks.getBody()->getTerminator());
  Value jc = blocks.getInductionVars()[0];
  Value i0 = blocks.getInductionVars()[1];
  Value jcEnd = arith::MinSIOp::create(
      b, loc, arith::AddIOp::create(b, loc, jc, index(nc)), index(n));
  // The first depth block starts the accumulators (from zero or C), the
  // others continue from C.
  // On AMX, over the whole depth from zero: each block's tiles go to a
  // 32 x 32 scratch buffer (one per iteration of the parallel loop: per
  // thread) and the epilogue takes them from there (C is never written).
  if (scratchEpilogue(kernel, kc)) {
    Value scratch = allocate(MemRefType::get({kBlock, kBlock}, b.getF32Type()));
    emitSweep(kernel, i0, jc, jcEnd, c0, index(k), /*zeroInit=*/true, scratch);
    memref::DeallocOp::create(b, loc, scratch);
    return;
  }
  auto sweep = [&](Value kStart, Value kEnd, bool zeroInit) {
    if (amx)
      emitSweep(kernel, i0, jc, jcEnd, kStart, kEnd, zeroInit);
    else
      emitDotSweep(kernel, i0, jc, jcEnd, kStart, kEnd, zeroInit);
  };
  sweep(c0, index(kc), kernel.zeroInit);
  if (kc < k) {
    auto depthBlocks =
        scf::ForOp::create(b, loc, index(kc), index(k), index(kc));
    b.setInsertionPoint(depthBlocks.getBody()->getTerminator());
    Value k0 = depthBlocks.getInductionVar();
    Value kEnd = arith::MinSIOp::create(
        b, loc, arith::AddIOp::create(b, loc, k0, index(kc)), index(k));
    sweep(k0, kEnd, /*zeroInit=*/false);
  }
  if (kernel.epilogue) {
    b.setInsertionPoint(blocks.getBody()->getTerminator());
    emitEpilogue(kernel, i0, jc, jcEnd);
  }
}

void BF16MatmulRewriter::emitEpilogue(const Kernel &kernel, Value i0, Value jc,
                                      Value jcEnd) {
  OpBuilder::InsertionGuard guard(b);
  auto columns = scf::ForOp::create(b, loc, jc, jcEnd, index(kBlock));
  b.setInsertionPoint(columns.getBody()->getTerminator());
  emitBlockEpilogue(kernel, i0, columns.getInductionVar(), nullptr);
}

void BF16MatmulRewriter::emitBlockEpilogue(const Kernel &kernel, Value i0,
                                           Value j0, Value scratch) {
  linalg::GenericOp epilogue = kernel.epilogue;
  OpBuilder::InsertionGuard guard(b);
  Value c0 = index(0), c1 = index(1);
  auto rows = scf::ForOp::create(b, loc, c0, index(kBlock), c1);
  b.setInsertionPoint(rows.getBody()->getTerminator());
  Value r = rows.getInductionVar();
  Value row = arith::AddIOp::create(b, loc, i0, r);
  // One 32-element row of the block: the consumer on subviews, vectorised
  // (its inputs are still in L1).
  IRRewriter rewriter(b);
  SmallVector<OpFoldResult> offsets = {row, j0};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(kBlock)};
  FailureOr<TilingResult> tiled =
      cast<TilingInterface>(epilogue.getOperation())
          .getTiledImplementation(rewriter, offsets, sizes);
  assert(succeeded(tiled) && "elementwise generics on buffers tile");
  auto tiledOp = cast<linalg::GenericOp>(tiled->tiledOps.front());
  if (scratch) {
    // The block of C is in the scratch buffer.
    rewriter.setInsertionPoint(tiledOp);
    Value scratchRow = memref::SubViewOp::create(
        rewriter, loc, scratch, SmallVector<OpFoldResult>{r, b.getIndexAttr(0)},
        sizes, SmallVector<OpFoldResult>(2, b.getIndexAttr(1)));
    for (auto [original, operand] : llvm::zip(epilogue.getDpsInputOperands(),
                                              tiledOp.getDpsInputOperands()))
      if (original->get() == kernel.c)
        operand->set(scratchRow);
  }
  rewriter.setInsertionPoint(tiledOp);
  if (failed(linalg::vectorize(rewriter, tiledOp)))
    return;
  rewriter.eraseOp(tiledOp);
  // Every transfer covers its whole (static) subview: no masks.
  rows.walk([&](VectorTransferOpInterface transfer) {
    SmallVector<bool> inBounds(transfer.getTransferRank(), true);
    transfer->setAttr(transfer.getInBoundsAttrName(),
                      b.getBoolArrayAttr(inBounds));
  });
}

void BF16MatmulRewriter::rewrite(linalg::MatmulOp op) {
  b.setInsertionPoint(op);
  loc = op.getLoc();
  Value a = op.getDpsInputs()[0], bMatrix = op.getDpsInputs()[1],
        c = op.getDpsInits()[0];
  auto aType = cast<MemRefType>(a.getType());
  auto bType = cast<MemRefType>(bMatrix.getType());
  int64_t m = aType.getDimSize(0), k = aType.getDimSize(1),
          n = bType.getDimSize(1);
  int64_t mBlocks = roundUp(m, kBlock), nBlocks = roundUp(n, kBlock),
          kBlocks = roundUp(k, kTileDepth);
  // C = 0 just before (what the lowering of accml.matmul makes): the
  // accumulators start as zero tiles instead.
  linalg::FillOp zeroFill = getZeroFill(op);
  if (zeroFill)
    zeroFill.erase();
  // The elementwise op that consumes C (such as the rounding to bf16) runs
  // on each block as soon as it is finished, while it is in cache.
  linalg::GenericOp epilogue;
  if (m == mBlocks && n == nBlocks)
    epilogue = getEpilogue(op);
  // Its buffers must exist before the kernel: the allocations between the
  // matmul and it move up.
  if (epilogue)
    for (Operation *between = op->getNextNode(); between != epilogue;) {
      Operation *next = between->getNextNode();
      if (isa<memref::AllocOp>(between))
        between->moveBefore(op);
      between = next;
    }
  if (amx)
    requestTilePermission();

  SmallVector<Value> temporaries;
  // A and C in place when the blocks cover them exactly.
  Value aTiles = a;
  if (m != mBlocks || k != kBlocks) {
    aTiles = padded(a, {mBlocks, kBlocks});
    temporaries.push_back(aTiles);
  }
  Value cTiles = c;
  if (m != mBlocks || n != nBlocks) {
    cTiles = zeroFill
                 ? allocate(MemRefType::get({mBlocks, nBlocks}, b.getF32Type()))
                 : padded(c, {mBlocks, nBlocks});
    temporaries.push_back(cTiles);
  }
  // B: pairs of rows and blocks of 16 columns. A constant B (a weight) is
  // packed now, into a constant global; otherwise it is packed at run time,
  // padded first when k or n leave a partial pair or block, the pad rows
  // of the packed B zeroed.
  auto packedType = MemRefType::get(
      {nBlocks / kTileRows, kBlocks / 2, kTileDepth}, b.getBF16Type());
  Value packedB = packConstant(bMatrix, packedType);
  bool packedAtRunTime = !packedB;
  if (packedAtRunTime) {
    Value bSource = bMatrix;
    int64_t packedK = k, packedN = n;
    if (k % 2 != 0 || n % kTileRows != 0) {
      bSource = padded(bMatrix, {kBlocks, nBlocks});
      temporaries.push_back(bSource);
      packedK = kBlocks;
      packedN = nBlocks;
    }
    packedB = allocate(packedType);
    if (packedK != kBlocks || packedN != nBlocks) {
      Value zero =
          arith::ConstantOp::create(b, loc, b.getZeroAttr(b.getBF16Type()));
      linalg::FillOp::create(b, loc, zero, packedB);
    }
    packB(bSource, packedB, packedK, packedN);
  }
  // AMX reads A as contiguous tiles; the dot kernel reads pairs of its
  // rows in place.
  Value aOperand = aTiles;
  if (amx) {
    aOperand = allocate(MemRefType::get(
        {mBlocks / kTileRows, kBlocks / kTileDepth, kTileRows, kTileDepth},
        b.getBF16Type()));
    packA(aTiles, aOperand, mBlocks, kBlocks);
    temporaries.push_back(aOperand);
  }
  Kernel kernel = {aOperand,
                   packedB,
                   cTiles,
                   mBlocks,
                   nBlocks,
                   kBlocks,
                   /*zeroInit=*/static_cast<bool>(zeroFill),
                   epilogue};
  emitKernel(kernel);
  if (epilogue)
    epilogue.erase();
  if (cTiles != c)
    copyBack(cTiles, c);
  if (packedAtRunTime)
    memref::DeallocOp::create(b, loc, packedB);
  for (Value buffer : temporaries)
    memref::DeallocOp::create(b, loc, buffer);
  op.erase();
  // Through the scratch buffer, C itself was never written: its buffer goes.
  if (scratchEpilogue(kernel, depthBlock(kBlocks))) {
    SmallVector<Operation *> users(c.getUsers());
    for (Operation *user : users)
      user->erase();
    c.getDefiningOp()->erase();
  }
}

struct AccmlBF16MatmulPass
    : accml::impl::AccmlBF16MatmulPassBase<AccmlBF16MatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    if (unit != "amx" && unit != "avx512-bf16") {
      getOperation().emitError()
          << "accml-bf16-matmul: unit must be amx or avx512-bf16, got '" << unit
          << "'";
      return signalPassFailure();
    }
    if (blockColumns < 0 || blockDepth < 0) {
      getOperation().emitError()
          << "accml-bf16-matmul: block-columns and block-depth must be 0 "
             "(chosen by the pass) or positive, got "
          << int64_t(blockColumns) << " and " << int64_t(blockDepth);
      return signalPassFailure();
    }
    // Batched matmuls: one matmul per batch on slices.
    SmallVector<linalg::BatchMatmulOp> batched;
    getOperation().walk([&](linalg::BatchMatmulOp op) {
      if (isBF16BatchMatmul(op))
        batched.push_back(op);
    });
    for (linalg::BatchMatmulOp op : batched)
      splitBatches(op);
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) {
      if (isBF16Matmul(op))
        matmuls.push_back(op);
    });
    if (matmuls.empty())
      return;
    Operation *taken = getOperation().lookupSymbol("syscall");
    if (unit == "amx" && taken && !isa<LLVM::LLVMFuncOp>(taken)) {
      taken->emitError("accml-bf16-matmul: @syscall (which AMX code calls "
                       "for the tile permission) is defined here as "
                       "something else");
      return signalPassFailure();
    }
    int64_t l2 = l2KiB > 0 ? int64_t(l2KiB) * 1024
                           : accml::CPUTarget::detectHost().l2Bytes;
    BF16MatmulRewriter rewriter(getOperation(), unit == "amx", blockColumns,
                                blockDepth, l2);
    for (linalg::MatmulOp op : matmuls)
      rewriter.rewrite(op);
  }
};

} // namespace
