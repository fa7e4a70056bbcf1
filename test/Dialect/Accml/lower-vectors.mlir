// RUN: accml-opt %s --pass-pipeline='builtin.module(func.func(accml-lower-vectors))' | FileCheck %s
// RUN: accml-opt %s --pass-pipeline='builtin.module(func.func(accml-lower-vectors{avx512=true}))' | FileCheck %s --check-prefix=AVX512
// RUN: accml-opt %s --pass-pipeline='builtin.module(func.func(accml-lower-vectors{avx512=true divide-by-reciprocal=false}))' | FileCheck %s --check-prefix=DIVIDE
// RUN: accml-opt %s --pass-pipeline='builtin.module(func.func(accml-lower-vectors{prefetch-distance=64}))' | FileCheck %s --check-prefix=PREFETCH
// RUN: accml-opt %s --pass-pipeline='builtin.module(func.func(accml-lower-vectors{prefetch-next-rows=true}))' | FileCheck %s --check-prefix=ROWS
// RUN: accml-opt %s --pass-pipeline='builtin.module(func.func(accml-lower-vectors{prefetch-next-tile=true}))' | FileCheck %s --check-prefix=TILE

// A whole buffer collapsed to one dimension and read flat by vector reads
// (masked or not: accml-pack's flat and strided depthwise forms) becomes a
// reinterpret_cast of it, read at the flat index: the alias folding would
// otherwise delinearise the index (a division and a remainder per
// dimension). A collapse that no vector reads is folded into its loads as
// before.
// CHECK-LABEL: func.func @flat_reads
// CHECK-SAME: (%[[M:[^:]*]]: memref<2x4x28xf32>, %[[N:[^:]*]]: memref<2x8xf32>, %[[I:[^:]*]]: index
// CHECK: %[[FLAT:.*]] = memref.reinterpret_cast %[[M]] to offset: [0], sizes: [224], strides: [1] : memref<2x4x28xf32> to memref<224xf32>
// CHECK: vector.load %[[FLAT]][%[[I]]] : memref<224xf32>, vector<16xf32>
// CHECK: vector.maskedload %[[FLAT]][%{{.*}}], %{{.*}}, %{{.*}} : memref<224xf32>
// CHECK-NOT: into (2, 4, 28)
// CHECK: affine.delinearize_index %[[I]] into (2, 8)
// CHECK: memref.load %[[N]]
// CHECK: return
func.func @flat_reads(%m: memref<2x4x28xf32>, %n: memref<2x8xf32>, %i: index) -> (vector<16xf32>, vector<16xf32>, f32) {
  %pad = arith.constant 0.0 : f32
  %flat = memref.collapse_shape %m [[0, 1, 2]] : memref<2x4x28xf32> into memref<224xf32>
  %0 = vector.transfer_read %flat[%i], %pad {in_bounds = [true]} : memref<224xf32>, vector<16xf32>
  %j = affine.apply affine_map<(d0) -> (d0 + 16)>(%i)
  %mask = arith.constant dense<[true, true, true, true, true, true, true, true, true, true, true, true, false, false, false, false]> : vector<16xi1>
  %1 = vector.transfer_read %flat[%j], %pad, %mask {in_bounds = [true]} : memref<224xf32>, vector<16xf32>
  %other = memref.collapse_shape %n [[0, 1]] : memref<2x8xf32> into memref<16xf32>
  %2 = memref.load %other[%i] : memref<16xf32>
  return %0, %1, %2 : vector<16xf32>, vector<16xf32>, f32
}

// A 4 x 64 contraction with k = 1 becomes four broadcast FMAs of 64 lanes.
// CHECK-LABEL: func.func @contract
// CHECK-NOT: vector.contract
// CHECK-COUNT-4: vector.fma {{.*}} : vector<64xf32>
func.func @contract(%a: vector<4x1xf32>, %b: vector<1x64xf32>, %c: vector<4x64xf32>) -> vector<4x64xf32> {
  %0 = vector.contract {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %c : vector<4x1xf32>, vector<1x64xf32> into vector<4x64xf32>
  return %0 : vector<4x64xf32>
}

// A read of one element broadcast along the other dimensions (a channel's
// weight across a row) is a scalar load and a splat, not a unit-vector
// read expanded element by element; reads of more than one element and
// reads that may be out of bounds are not scalar loads.
// CHECK-LABEL: func.func @scalar_broadcast_read
// CHECK-SAME: (%[[M:[^:]*]]: memref<144x3x3xf32>, %[[I:[^:]*]]: index
// CHECK: %[[S:.*]] = memref.load %[[M]][%[[I]], %{{.*}}, %{{.*}}] : memref<144x3x3xf32>
// CHECK: vector.broadcast %[[S]] : f32 to vector<1x1x1x48xf32>
// CHECK-NOT: memref.load
// CHECK: return
func.func @scalar_broadcast_read(%m: memref<144x3x3xf32>, %i: index) -> (vector<1x1x1x48xf32>, vector<1x1x2x48xf32>, vector<1x1x1x48xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0.0 : f32
  %0 = vector.transfer_read %m[%i, %c0, %c1], %pad {in_bounds = [true, true, true, true], permutation_map = affine_map<(d0, d1, d2) -> (0, d0, 0, 0)>} : memref<144x3x3xf32>, vector<1x1x1x48xf32>
  %1 = vector.transfer_read %m[%i, %c0, %c1], %pad {in_bounds = [true, true, true, true], permutation_map = affine_map<(d0, d1, d2) -> (0, d0, d2, 0)>} : memref<144x3x3xf32>, vector<1x1x2x48xf32>
  %2 = vector.transfer_read %m[%i, %c0, %c1], %pad {in_bounds = [true, false, true, true], permutation_map = affine_map<(d0, d1, d2) -> (0, d0, 0, 0)>} : memref<144x3x3xf32>, vector<1x1x1x48xf32>
  return %0, %1, %2 : vector<1x1x1x48xf32>, vector<1x1x2x48xf32>, vector<1x1x1x48xf32>
}

// A column read (the broadcast operand of a register tile: here every
// second element of an image row, a strided position-major convolution's
// positions) is one scalar load per element.
// CHECK-LABEL: func.func @column_read
// CHECK-SAME: (%[[M:[^:]*]]: memref<7x1xf32, strided<[2, 2], offset: ?>>
// CHECK-COUNT-7: memref.load %[[M]]
// CHECK: vector.from_elements {{.*}} : vector<7x1xf32>
// CHECK-NOT: vector.transfer_read
// CHECK: return
func.func @column_read(%m: memref<7x1xf32, strided<[2, 2], offset: ?>>) -> vector<7x1xf32> {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %0 = vector.transfer_read %m[%c0, %c0], %pad {in_bounds = [true, true]} : memref<7x1xf32, strided<[2, 2], offset: ?>>, vector<7x1xf32>
  return %0 : vector<7x1xf32>
}

// Transposed reads (the tiles of copies between NCHW and channels last):
// tiles of 4 to 16 x 4 to 16 f32 are read as rows of the source (16 lanes;
// a row of 16 that could pass the source's last dimension stays a transfer
// read, masked when lowered further),
// padded to 16 x 16 and transposed with shuffles of 16-lane rows (64 of
// them); never element by element or as one shuffle of the whole flattened
// tile. With AVX-512, the rows pass through empty inline asm on the way in
// and out (so that LLVM does not rewrite the shuffles for the lanes it
// finds unused; the asm's operands are 512-bit registers).
// AVX512-LABEL: func.func @transpose_tiles
// AVX512-COUNT-16: llvm.inline_asm "", "=v,0"
// AVX512-COUNT-64: vector.shuffle {{.*}} : vector<16xf32>, vector<16xf32>
// AVX512-COUNT-16: llvm.inline_asm "", "=v,0"
// CHECK-LABEL: func.func @transpose_tiles
// CHECK-NOT: llvm.inline_asm
// CHECK-COUNT-16: vector.load %{{.*}} : memref<16x16xf32>, vector<16xf32>
// CHECK-COUNT-64: vector.shuffle {{.*}} : vector<16xf32>, vector<16xf32>
// CHECK-COUNT-7: vector.transfer_read %{{.*}}, %{{.*}} : memref<16x7xf32>, vector<16xf32>
// CHECK-COUNT-64: vector.shuffle {{.*}} : vector<16xf32>, vector<16xf32>
// CHECK-NOT: vector.shuffle {{.*}} : vector<112xf32>
// CHECK-NOT: vector.transpose
// CHECK: return
func.func @transpose_tiles(%m: memref<16x16xf32>, %n: memref<16x7xf32>) -> (vector<16x16xf32>, vector<7x16xf32>) {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %0 = vector.transfer_read %m[%c0, %c0], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (d1, d0)>} : memref<16x16xf32>, vector<16x16xf32>
  %1 = vector.transfer_read %n[%c0, %c0], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (d1, d0)>} : memref<16x7xf32>, vector<7x16xf32>
  return %0, %1 : vector<16x16xf32>, vector<7x16xf32>
}

// Transposed writes the same way: a 14 x 16 tile (14 positions of 16
// channels) written to 16 rows of 14 as 16 masked 16-lane stores after a
// 16 x 16 transpose; a tile of 2 positions element by element.
// CHECK-LABEL: func.func @transposed_write
// CHECK-COUNT-64: vector.shuffle {{.*}} : vector<16xf32>, vector<16xf32>
// CHECK-COUNT-16: vector.transfer_write %{{.*}}, %{{.*}} : vector<16xf32>, memref<16x14xf32, strided<[196, 1], offset: ?>>
// CHECK-NOT: vector.shuffle {{.*}} : vector<16xf32>, vector<16xf32>
// CHECK: return
func.func @transposed_write(%v: vector<14x16xf32>, %m: memref<16x14xf32, strided<[196, 1], offset: ?>>, %w: vector<2x16xf32>, %n: memref<16x2xf32>) {
  %c0 = arith.constant 0 : index
  vector.transfer_write %v, %m[%c0, %c0] {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (d1, d0)>} : vector<14x16xf32>, memref<16x14xf32, strided<[196, 1], offset: ?>>
  vector.transfer_write %w, %n[%c0, %c0] {in_bounds = [true, true], permutation_map = affine_map<(d0, d1) -> (d1, d0)>} : vector<2x16xf32>, memref<16x2xf32>
  return
}

// Row reductions become one vector.reduction (a tree of vector operations
// in LLVM), not a chain of scalar operations.
// CHECK-LABEL: func.func @row_sum
// CHECK-NOT: vector.multi_reduction
// CHECK: vector.reduction <add>, %{{.*}} : vector<128xf32> into f32
func.func @row_sum(%v: vector<1x128xf32>, %acc: vector<1xf32>) -> vector<1xf32> {
  %0 = vector.multi_reduction <add>, %v, %acc [1] : vector<1x128xf32> to vector<1xf32>
  return %0 : vector<1xf32>
}

// Vector exp, tanh and erf become polynomials; scalar math and the
// logarithm (whose approximation mishandles subnormal inputs) stay.
// CHECK-LABEL: func.func @vector_math
// CHECK-NOT: math.exp %{{.*}} : vector
// CHECK-NOT: math.tanh %{{.*}} : vector
// CHECK-NOT: math.erf %{{.*}} : vector
// CHECK: math.log %{{.*}} : vector<16xf32>
// CHECK: math.tanh %{{.*}} : f32
func.func @vector_math(%v: vector<16xf32>, %s: f32) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, f32) {
  %0 = math.exp %v : vector<16xf32>
  %1 = math.tanh %v : vector<16xf32>
  %2 = math.erf %v : vector<16xf32>
  %3 = math.log %v : vector<16xf32>
  %4 = math.tanh %s : f32
  return %0, %1, %2, %3, %4 : vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, f32
}

// With avx512, a vector exp of 32 lanes is two 16-lane kernels: clamp to
// [-104, 88.8] with the input second (NaN passes), m = x * log2(e) rounded
// to a multiple of 1/32 as (x * log2(e) + 1.5 * 2^18) - 1.5 * 2^18 (one
// FMA, one subtraction), r = x - m * ln 2 in one FMA, 2^(m mod 1) from the
// table of 2^(j / 32) in two registers by vpermi2ps on the sum's bits
// (their low 5 bits are m's 32nds), the minimax quadratic c0 + c1 r + c2
// r^2 (two FMAs; c0 rounds to 1) times it, then vscalefps (p * 2^floor(m);
// its operands in intrinsic order: p, m, the pass-through p, all lanes, the
// current rounding mode). An exp of 12 lanes (not a multiple of 16) takes
// the generic approximation.
// AVX512-LABEL: func.func @avx512_exp
// AVX512-DAG: %[[LO:.*]] = arith.constant dense<-1.040000e+02> : vector<16xf32>
// AVX512-DAG: %[[HI:.*]] = arith.constant dense<8.880000e+01> : vector<16xf32>
// AVX512-DAG: %[[LOG2E:.*]] = arith.constant dense<1.44269502> : vector<16xf32>
// AVX512-DAG: %[[MLN2:.*]] = arith.constant dense<-0.693147182> : vector<16xf32>
// AVX512-DAG: %[[MAGIC:.*]] = arith.constant dense<3.932160e+05> : vector<16xf32>
// AVX512-DAG: %[[C2:.*]] = arith.constant dense<0.499996334> : vector<16xf32>
// AVX512-DAG: %[[C1:.*]] = arith.constant dense<1.00001466> : vector<16xf32>
// AVX512-DAG: %[[C0:.*]] = arith.constant dense<1.000000e+00> : vector<16xf32>
// AVX512-DAG: %[[TLOW:.*]] = arith.constant dense<[1.000000e+00, 1.0218972, {{.*}}, 1.383910e+00]> : vector<16xf32>
// AVX512-DAG: %[[THIGH:.*]] = arith.constant dense<[1.41421354, {{.*}}, 1.95714414]> : vector<16xf32>
// AVX512-DAG: %[[ALL:.*]] = arith.constant -1 : i16
// AVX512-DAG: %[[CUR:.*]] = arith.constant 4 : i32
// AVX512: %[[X:.*]] = vector.extract %{{.*}}[0] : vector<16xf32> from vector<2x16xf32>
// AVX512: %[[BELOW:.*]] = arith.cmpf ogt, %[[LO]], %[[X]]
// AVX512: %[[X1:.*]] = arith.select %[[BELOW]], %[[LO]], %[[X]]
// AVX512: %[[ABOVE:.*]] = arith.cmpf olt, %[[HI]], %[[X1]]
// AVX512: %[[X2:.*]] = arith.select %[[ABOVE]], %[[HI]], %[[X1]]
// AVX512: %[[T:.*]] = math.fma %[[X2]], %[[LOG2E]], %[[MAGIC]]
// AVX512-NEXT: %[[M:.*]] = arith.subf %[[T]], %[[MAGIC]]
// AVX512-NEXT: %[[R:.*]] = math.fma %[[M]], %[[MLN2]], %[[X2]]
// AVX512-NEXT: %[[BITS:.*]] = arith.bitcast %[[T]] : vector<16xf32> to vector<16xi32>
// AVX512-NEXT: %[[POW:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"(%[[TLOW]], %[[BITS]], %[[THIGH]])
// AVX512-NEXT: %[[P1:.*]] = math.fma %[[C2]], %[[R]], %[[C1]]
// AVX512-NEXT: %[[P2:.*]] = math.fma %[[P1]], %[[R]], %[[C0]]
// AVX512-NEXT: %[[P:.*]] = arith.mulf %[[P2]], %[[POW]]
// AVX512-NEXT: x86vector.avx512.mask.scalef %[[P]], %[[M]], %[[P]], %[[ALL]], %[[CUR]] : vector<16xf32>
// AVX512: x86vector.avx512.mask.scalef
// AVX512-NOT: x86vector.avx512.mask.scalef
// AVX512-NOT: math.exp
func.func @avx512_exp(%v: vector<2x16xf32>, %w: vector<12xf32>) -> (vector<2x16xf32>, vector<12xf32>) {
  %0 = math.exp %v : vector<2x16xf32>
  %1 = math.exp %w : vector<12xf32>
  return %0, %1 : vector<2x16xf32>, vector<12xf32>
}

// A loop-carried maxnumf (minnumf) reduction from an initial value that is
// not NaN is a select on an ordered comparison (one vmaxps / vminps): the
// accumulator never becomes NaN. From an initial NaN (or a value not known
// here), or when the result is not just the next accumulator, it stays;
// but partial maxima that start at NaN (the vectoriser's identity) and are
// then combined with a number start at -inf instead. The row reduction of
// such NaN-free partial maxima is a vector.reduction with nnan (a vmaxps
// tree in LLVM, not a chain of scalar NaN tests).
// CHECK-LABEL: func.func @num_reductions
// CHECK-SAME: (%[[X:[^:]*]]: vector<16xf32>, %[[INIT:[^:]*]]: vector<16xf32>)
// CHECK-DAG: %[[NEG:.*]] = arith.constant dense<0xFF800000> : vector<1x16xf32>
// CHECK: scf.for {{.*}} iter_args(%[[ACC:.*]] = %{{.*}})
// CHECK-NEXT: %[[GT:.*]] = arith.cmpf ogt, %[[X]], %[[ACC]] : vector<16xf32>
// CHECK-NEXT: %[[M:.*]] = arith.select %[[GT]], %[[X]], %[[ACC]]
// CHECK-NEXT: scf.yield %[[M]]
// CHECK: scf.for {{.*}} iter_args(%[[ACC1:.*]] = %{{.*}})
// CHECK-NEXT: %[[LT:.*]] = arith.cmpf olt, %[[X]], %[[ACC1]] : vector<16xf32>
// CHECK-NEXT: arith.select %[[LT]], %[[X]], %[[ACC1]]
// CHECK: scf.for
// CHECK-NEXT: arith.maxnumf
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]])
// CHECK-NEXT: arith.maxnumf
// CHECK: scf.for
// CHECK-NEXT: arith.maxnumf
// CHECK-NEXT: arith.addf
// CHECK: %[[PARTIAL:.*]] = scf.for {{.*}} iter_args(%[[ACC2:.*]] = %[[NEG]]) -> (vector<1x16xf32>)
// CHECK-NEXT: arith.cmpf ogt, %{{.*}}, %[[ACC2]] : vector<1x16xf32>
// CHECK: %[[ROW:.*]] = vector.extract %[[PARTIAL]][0]
// CHECK-NEXT: vector.reduction <maxnumf>, %[[ROW]], %{{.*}} fastmath<nnan> : vector<16xf32> into f32
// With avx512 the select is vmaxps / vminps itself (x first: x > acc ? x :
// acc), which LLVM does not make of the select.
// AVX512-LABEL: func.func @num_reductions
// AVX512-SAME: (%[[X:[^:]*]]: vector<16xf32>
// AVX512: %[[CUR:.*]] = arith.constant 4 : i32
// AVX512: scf.for {{.*}} iter_args(%[[ACC:.*]] = %{{.*}})
// AVX512-NEXT: llvm.call_intrinsic "llvm.x86.avx512.max.ps.512"(%[[X]], %[[ACC]], %[[CUR]])
// AVX512: scf.for {{.*}} iter_args(%[[ACC1:.*]] = %{{.*}})
// AVX512-NEXT: llvm.call_intrinsic "llvm.x86.avx512.min.ps.512"(%[[X]], %[[ACC1]], %[[CUR]])
// AVX512-COUNT-3: arith.maxnumf
func.func @num_reductions(%x: vector<16xf32>, %init: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %lowest = arith.constant dense<0xFF800000> : vector<16xf32>
  %nan = arith.constant dense<0x7FC00000> : vector<16xf32>
  %0 = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %lowest) -> (vector<16xf32>) {
    %m = arith.maxnumf %x, %acc : vector<16xf32>
    scf.yield %m : vector<16xf32>
  }
  %1 = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %lowest) -> (vector<16xf32>) {
    %m = arith.minnumf %acc, %x : vector<16xf32>
    scf.yield %m : vector<16xf32>
  }
  %2 = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %nan) -> (vector<16xf32>) {
    %m = arith.maxnumf %x, %acc : vector<16xf32>
    scf.yield %m : vector<16xf32>
  }
  %3 = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %init) -> (vector<16xf32>) {
    %m = arith.maxnumf %x, %acc : vector<16xf32>
    scf.yield %m : vector<16xf32>
  }
  %4 = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %lowest) -> (vector<16xf32>) {
    %m = arith.maxnumf %x, %acc : vector<16xf32>
    %s = arith.addf %m, %x : vector<16xf32>
    scf.yield %s : vector<16xf32>
  }
  %identity = arith.constant dense<0x7FC00000> : vector<1x16xf32>
  %lowest1 = arith.constant dense<0xFF800000> : vector<1xf32>
  %x2 = vector.shape_cast %x : vector<16xf32> to vector<1x16xf32>
  %5 = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %identity) -> (vector<1x16xf32>) {
    %m = arith.maxnumf %x2, %acc : vector<1x16xf32>
    scf.yield %m : vector<1x16xf32>
  }
  %6 = vector.multi_reduction <maxnumf>, %5, %lowest1 [1] : vector<1x16xf32> to vector<1xf32>
  return %0, %1, %2, %3, %4, %6 : vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<1xf32>
}

// Only the identity itself (NaN in every lane) is replaced by -inf: an
// initial value not known here, or one with some lanes NaN and others not,
// stays, and so does the maxnumf, even when only a row reduction with a
// number consumes the result.
// CHECK-LABEL: func.func @negative_num_reductions
// CHECK: scf.for
// CHECK-NEXT: arith.maxnumf
// CHECK: scf.for
// CHECK-NEXT: arith.maxnumf
// CHECK-NOT: fastmath<nnan>
// CHECK: return
func.func @negative_num_reductions(%x: vector<1x16xf32>, %init: vector<1x16xf32>) -> (vector<1xf32>, vector<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %lowest = arith.constant dense<0xFF800000> : vector<1xf32>
  %mixed = arith.constant dense<[[0x7FC00000, 5.0, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000, 0x7FC00000]]> : vector<1x16xf32>
  %0 = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %init) -> (vector<1x16xf32>) {
    %m = arith.maxnumf %x, %acc : vector<1x16xf32>
    scf.yield %m : vector<1x16xf32>
  }
  %1 = vector.multi_reduction <maxnumf>, %0, %lowest [1] : vector<1x16xf32> to vector<1xf32>
  %2 = scf.for %i = %c0 to %c8 step %c1 iter_args(%acc = %mixed) -> (vector<1x16xf32>) {
    %m = arith.maxnumf %x, %acc : vector<1x16xf32>
    scf.yield %m : vector<1x16xf32>
  }
  %3 = vector.multi_reduction <maxnumf>, %2, %lowest [1] : vector<1x16xf32> to vector<1xf32>
  return %1, %3 : vector<1xf32>, vector<1xf32>
}

// tanh is AccML's rational approximation x * P(x^2) / Q(x^2): x clamped
// to [-7.913286, 7.913286] (selects that let NaN through), P of degree 5
// (Horner, five FMAs) times x, Q of degree 3 (three FMAs), one division;
// no select for small |x| and no call of libm.
// CHECK-LABEL: func.func @tanh_rational
// CHECK-SAME: (%[[V:[^:]*]]: vector<8xf32>)
// CHECK-DAG: %[[LO:.*]] = arith.constant dense<-7.91328573> : vector<8xf32>
// CHECK-DAG: %[[HI:.*]] = arith.constant dense<7.91328573> : vector<8xf32>
// CHECK-DAG: %[[P5:.*]] = arith.constant dense<2.74582579E-11> : vector<8xf32>
// CHECK-DAG: %[[Q3:.*]] = arith.constant dense<2.43741844E-4> : vector<8xf32>
// CHECK: %[[BELOW:.*]] = arith.cmpf ogt, %[[LO]], %[[V]]
// CHECK: %[[X1:.*]] = arith.select %[[BELOW]], %[[LO]], %[[V]]
// CHECK: %[[ABOVE:.*]] = arith.cmpf olt, %[[HI]], %[[X1]]
// CHECK: %[[X:.*]] = arith.select %[[ABOVE]], %[[HI]], %[[X1]]
// CHECK: %[[Z:.*]] = arith.mulf %[[X]], %[[X]]
// CHECK: math.fma %[[P5]], %[[Z]]
// CHECK-COUNT-4: math.fma %{{.*}}, %[[Z]]
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[X]], %{{.*}}
// CHECK-NEXT: math.fma %[[Q3]], %[[Z]]
// CHECK-COUNT-2: math.fma %{{.*}}, %[[Z]]
// CHECK-NEXT: %[[R:.*]] = arith.divf %[[P]], %{{.*}} : vector<8xf32>
// CHECK-NOT: arith.select
// CHECK-NEXT: return %[[R]]
func.func @tanh_rational(%v: vector<8xf32>) -> vector<8xf32> {
  %0 = math.tanh %v : vector<8xf32>
  return %0 : vector<8xf32>
}

// With avx512, the division of the tanh approximation (by a polynomial of
// x^2 with positive coefficients) is a product with vrcp14ps's reciprocal
// refined by one Newton step, per 16 lanes; the function's own division
// (which may be by zero) stays a division, and so does the tanh of 8
// lanes'. Without avx512, or with divide-by-reciprocal=false (a divider
// that keeps up: AMD Zen 5), every division stays.
// AVX512-LABEL: func.func @avx512_reciprocal
// AVX512-SAME: (%[[V:[^:]*]]: vector<32xf32>, %[[W:[^:]*]]: vector<8xf32>
// AVX512: %[[ALL:.*]] = arith.constant -1 : i16
// AVX512: %[[Q:.*]] = vector.extract_strided_slice %{{.*}} {offsets = [0], sizes = [16], strides = [1]}
// AVX512: llvm.call_intrinsic "llvm.x86.avx512.rcp14.ps.512"(%[[Q]], %[[Q]], %[[ALL]]) : (vector<16xf32>, vector<16xf32>, i16) -> vector<16xf32>
// AVX512: %[[Q1:.*]] = vector.extract_strided_slice %{{.*}} {offsets = [16], sizes = [16], strides = [1]}
// AVX512: llvm.call_intrinsic "llvm.x86.avx512.rcp14.ps.512"(%[[Q1]], %[[Q1]], %[[ALL]])
// AVX512: %[[R0:.*]] = vector.insert_strided_slice %{{.*}} {offsets = [16], strides = [1]} : vector<16xf32> into vector<32xf32>
// AVX512: %[[E:.*]] = math.fma %{{.*}}, %[[R0]], %{{.*}} : vector<32xf32>
// AVX512: %[[R1:.*]] = math.fma %[[R0]], %[[E]], %[[R0]] : vector<32xf32>
// AVX512: arith.mulf %{{.*}}, %[[R1]] : vector<32xf32>
// AVX512-NOT: llvm.call_intrinsic
// AVX512: arith.divf %{{.*}} : vector<8xf32>
// AVX512-NOT: llvm.call_intrinsic
// AVX512: arith.divf %[[V]], %[[V]] : vector<32xf32>
// AVX512: return
// CHECK-LABEL: func.func @avx512_reciprocal
// CHECK-NOT: llvm.call_intrinsic
// CHECK-COUNT-3: arith.divf
// DIVIDE-LABEL: func.func @avx512_reciprocal
// DIVIDE-NOT: rcp14
// DIVIDE-COUNT-3: arith.divf
// DIVIDE-NOT: rcp14
// DIVIDE: return
func.func @avx512_reciprocal(%v: vector<32xf32>, %w: vector<8xf32>) -> (vector<32xf32>, vector<8xf32>, vector<32xf32>) {
  %0 = math.tanh %v : vector<32xf32>
  %1 = math.tanh %w : vector<8xf32>
  %2 = arith.divf %v, %v : vector<32xf32>
  return %0, %1, %2 : vector<32xf32>, vector<8xf32>, vector<32xf32>
}

// A register tile's reduction loop over channels reads 32 positions of
// each channel's row of an image (a direct convolution): with
// prefetch-distance, the same rows 64 elements further are prefetched, one
// per cache line of the read. The accumulator's read (its index varies
// with nothing in the loop) and reads along the loop's own row (the
// position varies) are not prefetched; without the option, nothing is.
// PREFETCH-LABEL: func.func @prefetch_rows
// PREFETCH: scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args
// PREFETCH: %[[P:.*]] = affine.apply #{{.*}}()[%{{.*}}]
// PREFETCH: %[[A0:.*]] = arith.addi %[[P]], %c64
// PREFETCH: memref.prefetch %{{.*}}[%{{.*}}, %[[C]], %[[A0]]], read, locality<3>, data : memref<1x144x3136xf32>
// PREFETCH: %[[A1:.*]] = arith.addi %[[P]], %c80
// PREFETCH: memref.prefetch %{{.*}}[%{{.*}}, %[[C]], %[[A1]]], read, locality<3>, data
// PREFETCH-NOT: memref.prefetch
// PREFETCH: return
// CHECK-LABEL: func.func @prefetch_rows
// CHECK-NOT: memref.prefetch
func.func @prefetch_rows(%image: memref<1x144x3136xf32>, %row: memref<4096xf32>, %panel: index, %acc: vector<32xf32>) -> (vector<32xf32>, vector<32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c144 = arith.constant 144 : index
  %pad = arith.constant 0.0 : f32
  %0 = scf.for %c = %c0 to %c144 step %c1 iter_args(%a = %acc) -> (vector<32xf32>) {
    %p = affine.apply affine_map<()[s0] -> (s0 * 32)>()[%panel]
    %v = vector.transfer_read %image[%c0, %c, %p], %pad {in_bounds = [true]} : memref<1x144x3136xf32>, vector<32xf32>
    %s = arith.addf %a, %v : vector<32xf32>
    scf.yield %s : vector<32xf32>
  }
  %1 = scf.for %i = %c0 to %c144 step %c1 iter_args(%a = %acc) -> (vector<32xf32>) {
    %x = affine.apply affine_map<()[s0] -> (s0 * 16)>()[%i]
    %v = vector.transfer_read %row[%x], %pad {in_bounds = [true]} : memref<4096xf32>, vector<32xf32>
    %s = arith.addf %a, %v : vector<32xf32>
    scf.yield %s : vector<32xf32>
  }
  return %0, %1 : vector<32xf32>, vector<32xf32>
}

// A loop over register tiles (panels %j of a 2 x 32 tile of C, rows %i and
// %i + 1): with prefetch-next-tile, before each tile's reduction loop the
// next tile's accumulators (panel %j + 1, the same rows) are prefetched for
// writing, one per cache line: 2 rows x 2 lines. A tile read not indexed
// by the enclosing loop's induction variable is not prefetched; without the
// option, nothing is.
// TILE-LABEL: func.func @prefetch_next_tile
// TILE: scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// TILE-NEXT: vector.transfer_read %{{.*}}[%[[I:.*]], %[[J]], %c0]
// TILE-NEXT: %[[NEXT:.*]] = arith.addi %[[J]], %c1
// TILE-NEXT: memref.prefetch %{{.*}}[%[[I]], %[[NEXT]], %c0], write, locality<3>, data : memref<4x8x32xf32>
// TILE-NEXT: memref.prefetch %{{.*}}[%[[I]], %[[NEXT]], %c16], write
// TILE-NEXT: %[[I1:.*]] = arith.addi %[[I]], %c1
// TILE-NEXT: memref.prefetch %{{.*}}[%[[I1]], %[[NEXT]], %c0], write
// TILE-NEXT: memref.prefetch %{{.*}}[%[[I1]], %[[NEXT]], %c16], write
// TILE-NEXT: scf.for
// TILE-NOT: memref.prefetch
// TILE: return
// CHECK-LABEL: func.func @prefetch_next_tile
// CHECK-NOT: memref.prefetch
func.func @prefetch_next_tile(%c: memref<4x8x32xf32>, %b: memref<64x32xf32>, %i: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  %pad = arith.constant 0.0 : f32
  scf.for %j = %c0 to %c8 step %c1 {
    %acc = vector.transfer_read %c[%i, %j, %c0], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1, d2) -> (d0, d2)>} : memref<4x8x32xf32>, vector<2x32xf32>
    %r = scf.for %k = %c0 to %c64 step %c1 iter_args(%a = %acc) -> (vector<2x32xf32>) {
      %v = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : memref<64x32xf32>, vector<2x32xf32>
      %s = arith.addf %a, %v : vector<2x32xf32>
      scf.yield %s : vector<2x32xf32>
    }
    vector.transfer_write %r, %c[%i, %j, %c0] {in_bounds = [true, true], permutation_map = affine_map<(d0, d1, d2) -> (d0, d2)>} : vector<2x32xf32>, memref<4x8x32xf32>
  }
  scf.for %j = %c0 to %c8 step %c1 {
    %acc = vector.transfer_read %c[%i, %c0, %c0], %pad {in_bounds = [true, true], permutation_map = affine_map<(d0, d1, d2) -> (d0, d2)>} : memref<4x8x32xf32>, vector<2x32xf32>
    %r = scf.for %k = %c0 to %c64 step %c1 iter_args(%a = %acc) -> (vector<2x32xf32>) {
      %v = vector.transfer_read %b[%k, %c0], %pad {in_bounds = [true, true]} : memref<64x32xf32>, vector<2x32xf32>
      %s = arith.addf %a, %v : vector<2x32xf32>
      scf.yield %s : vector<2x32xf32>
    }
    vector.transfer_write %r, %c[%j, %c0, %c0] {in_bounds = [true, true], permutation_map = affine_map<(d0, d1, d2) -> (d0, d2)>} : vector<2x32xf32>, memref<4x8x32xf32>
  }
  return
}

// A loop over rows whose body makes three passes over a row (softmax:
// max, exp, scale): the last pass that reads the input's row (the second)
// prefetches the next row's same columns, one per cache line of its read
// (64 floats: 4); the first pass that writes the output's row (through a
// subview) prefetches the next row for writing; the output's row, read
// back by the third pass, is not prefetched for reading. The next row is
// clamped to the last one.
// ROWS-LABEL: func.func @prefetch_next_rows
// ROWS: scf.forall (%[[ROW:.*]]) in (8)
// ROWS: scf.for
// ROWS-NOT: memref.prefetch
// ROWS: scf.yield
// ROWS: scf.for %[[J:[^ ]*]] =
// ROWS: %[[N1:.*]] = arith.addi %[[ROW]], %c1
// ROWS: %[[NEXT:.*]] = arith.minui %[[N1]], %c7
// ROWS: memref.prefetch %[[IN:[^\[]*]][%[[NEXT]], %[[J]]], read, locality<3>, data : memref<8x1024xf32>
// ROWS-COUNT-3: memref.prefetch %[[IN]][%[[NEXT]], %{{.*}}], read
// ROWS: vector.transfer_read %[[IN]][%[[ROW]], %[[J]]]
// ROWS: memref.prefetch %[[OUT:[^\[]*]][%{{.*}}, %{{.*}}], write, locality<3>, data : memref<8x1024xf32>
// ROWS-COUNT-3: memref.prefetch %[[OUT]][%{{.*}}, %{{.*}}], write
// ROWS: vector.transfer_write
// ROWS: scf.for
// ROWS-NOT: memref.prefetch
// ROWS: return
// A row loop of one pass (an elementwise op) prefetches too; loops over
// two dimensions, of dynamic bounds, or reading at the row plus one, and
// rows of a buffer made inside an enclosing loop (a block's copy in L1)
// are left alone.
// ROWS-LABEL: func.func @prefetch_next_rows_negative
// ROWS: scf.forall
// ROWS-COUNT-4: memref.prefetch {{.*}}, read
// ROWS: vector.transfer_read
// ROWS-NOT: memref.prefetch
// ROWS: return
// CHECK-LABEL: func.func @prefetch_next_rows
// CHECK-NOT: memref.prefetch
// CHECK: return
func.func @prefetch_next_rows(%in: memref<8x1024xf32>, %out: memref<8x1024xf32>) {
  %c0 = arith.constant 0 : index
  %c64 = arith.constant 64 : index
  %c1024 = arith.constant 1024 : index
  %pad = arith.constant 0.0 : f32
  %init = arith.constant dense<0.0> : vector<1x64xf32>
  scf.forall (%i) in (8) {
    %m = scf.for %j = %c0 to %c1024 step %c64 iter_args(%a = %init) -> (vector<1x64xf32>) {
      %v = vector.transfer_read %in[%i, %j], %pad {in_bounds = [true, true]} : memref<8x1024xf32>, vector<1x64xf32>
      %s = arith.maximumf %a, %v : vector<1x64xf32>
      scf.yield %s : vector<1x64xf32>
    }
    %row = memref.subview %out[%i, 0] [1, 1024] [1, 1] : memref<8x1024xf32> to memref<1x1024xf32, strided<[1024, 1], offset: ?>>
    scf.for %j = %c0 to %c1024 step %c64 {
      %v = vector.transfer_read %in[%i, %j], %pad {in_bounds = [true, true]} : memref<8x1024xf32>, vector<1x64xf32>
      %e = arith.subf %v, %m : vector<1x64xf32>
      vector.transfer_write %e, %row[%c0, %j] {in_bounds = [true, true]} : vector<1x64xf32>, memref<1x1024xf32, strided<[1024, 1], offset: ?>>
    }
    scf.for %j = %c0 to %c1024 step %c64 {
      %v = vector.transfer_read %row[%c0, %j], %pad {in_bounds = [true, true]} : memref<1x1024xf32, strided<[1024, 1], offset: ?>>, vector<1x64xf32>
      %e = arith.mulf %v, %v : vector<1x64xf32>
      vector.transfer_write %e, %row[%c0, %j] {in_bounds = [true, true]} : vector<1x64xf32>, memref<1x1024xf32, strided<[1024, 1], offset: ?>>
    }
  }
  return
}

func.func @prefetch_next_rows_negative(%in: memref<8x1024xf32>, %n: index) -> vector<1x64xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %c1024 = arith.constant 1024 : index
  %pad = arith.constant 0.0 : f32
  %init = arith.constant dense<0.0> : vector<1x64xf32>
  %sink = memref.alloca() : memref<1x64xf32>
  scf.forall (%i) in (8) {
    %m = scf.for %j = %c0 to %c1024 step %c64 iter_args(%a = %init) -> (vector<1x64xf32>) {
      %v = vector.transfer_read %in[%i, %j], %pad {in_bounds = [true, true]} : memref<8x1024xf32>, vector<1x64xf32>
      %s = arith.addf %a, %v : vector<1x64xf32>
      scf.yield %s : vector<1x64xf32>
    }
    vector.transfer_write %m, %sink[%c0, %c0] {in_bounds = [true, true]} : vector<1x64xf32>, memref<1x64xf32>
  }
  scf.forall (%i, %k) in (4, 2) {
    %m = scf.for %j = %c0 to %c1024 step %c64 iter_args(%a = %init) -> (vector<1x64xf32>) {
      %v = vector.transfer_read %in[%i, %j], %pad {in_bounds = [true, true]} : memref<8x1024xf32>, vector<1x64xf32>
      %s = arith.addf %a, %v : vector<1x64xf32>
      scf.yield %s : vector<1x64xf32>
    }
    vector.transfer_write %m, %sink[%c0, %c0] {in_bounds = [true, true]} : vector<1x64xf32>, memref<1x64xf32>
  }
  scf.forall (%i) in (%n) {
    %m = scf.for %j = %c0 to %c1024 step %c64 iter_args(%a = %init) -> (vector<1x64xf32>) {
      %v = vector.transfer_read %in[%i, %j], %pad {in_bounds = [true, true]} : memref<8x1024xf32>, vector<1x64xf32>
      %s = arith.addf %a, %v : vector<1x64xf32>
      scf.yield %s : vector<1x64xf32>
    }
    vector.transfer_write %m, %sink[%c0, %c0] {in_bounds = [true, true]} : vector<1x64xf32>, memref<1x64xf32>
  }
  scf.forall (%i) in (7) {
    %m = scf.for %j = %c0 to %c1024 step %c64 iter_args(%a = %init) -> (vector<1x64xf32>) {
      %r = arith.addi %i, %c1 : index
      %v = vector.transfer_read %in[%r, %j], %pad {in_bounds = [true, true]} : memref<8x1024xf32>, vector<1x64xf32>
      %s = arith.addf %a, %v : vector<1x64xf32>
      scf.yield %s : vector<1x64xf32>
    }
    vector.transfer_write %m, %sink[%c0, %c0] {in_bounds = [true, true]} : vector<1x64xf32>, memref<1x64xf32>
  }
  scf.forall (%b) in (2) {
    %block = memref.alloc() : memref<8x1024xf32>
    scf.forall (%i) in (8) {
      %m = scf.for %j = %c0 to %c1024 step %c64 iter_args(%a = %init) -> (vector<1x64xf32>) {
        %v = vector.transfer_read %block[%i, %j], %pad {in_bounds = [true, true]} : memref<8x1024xf32>, vector<1x64xf32>
        %s = arith.addf %a, %v : vector<1x64xf32>
        scf.yield %s : vector<1x64xf32>
      }
      vector.transfer_write %m, %sink[%c0, %c0] {in_bounds = [true, true]} : vector<1x64xf32>, memref<1x64xf32>
    }
    memref.dealloc %block : memref<8x1024xf32>
  }
  %r = vector.transfer_read %sink[%c0, %c0], %pad {in_bounds = [true, true]} : memref<1x64xf32>, vector<1x64xf32>
  return %r : vector<1x64xf32>
}
