// Every class of bad input to accml-run is an error with a clear message.
// RUN: rm -rf %t && split-file %s %t
// RUN: %python -c "import numpy as np; np.save('%t/a.npy', np.ones((2, 4), np.float32)); np.save('%t/b.npy', np.ones(4, np.float32)); np.save('%t/wrong.npy', np.ones((3, 4), np.float32)); np.save('%t/int.npy', np.ones(4, np.int32)); np.save('%t/f64.npy', np.ones(4)); np.save('%t/fortran.npy', np.asfortranarray(np.ones((2, 4), np.float32))); np.save('%t/big.npy', np.ones(4, dtype='>f4')); open('%t/truncated.npy', 'wb').write(open('%t/a.npy', 'rb').read()[:-3]); open('%t/junk.npy', 'wb').write(b'not a numpy file at all')"

// RUN: not accml-run %t/model.mlir --input %t/wrong.npy --input %t/b.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: accml-run: error: input 0 of @main must be tensor<2x4xf32>, got tensor<3x4xf32>
// RUN: not accml-run %t/model.mlir --input %t/a.npy --input %t/int.npy 2>&1 | FileCheck %s --check-prefix=TYPE
// TYPE: accml-run: error: input 1 of @main must be tensor<4xf32>, got tensor<4xi32>
// RUN: not accml-run %t/model.mlir --input %t/a.npy 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: accml-run: error: @main takes 2 input(s), got 1 --input file(s) (or use --random-inputs)
// RUN: not accml-run %t/model.mlir --input %t/a.npy --input %t/f64.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: accml-run: error: {{.*}}f64.npy: unsupported dtype '<f8' (supported: little-endian f4, f2, i1, i4, i8 and b1)
// RUN: not accml-run %t/model.mlir --input %t/a.npy --input %t/big.npy 2>&1 | FileCheck %s --check-prefix=ENDIAN
// ENDIAN: accml-run: error: {{.*}}big.npy: unsupported dtype '>f4'
// RUN: not accml-run %t/model.mlir --input %t/fortran.npy --input %t/b.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: accml-run: error: {{.*}}fortran.npy: Fortran-order arrays are not supported; save a C-order array (numpy.ascontiguousarray)
// RUN: not accml-run %t/model.mlir --input %t/truncated.npy --input %t/b.npy 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: accml-run: error: {{.*}}truncated.npy: truncated data: the shape (2, 4) needs 32 bytes, the file has 29
// RUN: not accml-run %t/model.mlir --input %t/junk.npy --input %t/b.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: accml-run: error: {{.*}}junk.npy: not a .npy file (bad magic)
// RUN: not accml-run %t/model.mlir --input %t/missing.npy --input %t/b.npy 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: accml-run: error: {{.*}}missing.npy: cannot read: No such file or directory
// RUN: not accml-run %t/model.mlir --entry nope --random-inputs 2>&1 | FileCheck %s --check-prefix=ENTRY
// ENTRY: accml-run: error: no public function @nope in the module (it has @main)
// RUN: not accml-run %t/model.mlir --random-inputs --input %t/a.npy 2>&1 | FileCheck %s --check-prefix=BOTH
// BOTH: accml-run: error: give either --input files or --random-inputs, not both
// RUN: not accml-run %t/model.mlir --random-inputs --threads=many 2>&1 | FileCheck %s --check-prefix=THREADS
// THREADS: accml-run: error: --threads expects a non-negative integer, got 'many'
// RUN: not accml-run %t/model.mlir --random-inputs --threads 2>&1 | FileCheck %s --check-prefix=NOTHREADS
// NOTHREADS: accml-run: error: --threads needs a value
// RUN: accml-run %t/model.mlir --random-inputs --threads 2 | FileCheck %s --check-prefix=SPACED
// SPACED: output 0: tensor<2x4xf32>
// RUN: not accml-run %t/model.mlir --random-inputs --repeat 0 2>&1 | FileCheck %s --check-prefix=REPEAT
// REPEAT: accml-run: error: --repeat must be at least 1
// RUN: not accml-run %t/model.mlir --random-inputs --target gpu 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: accml-run: error: unsupported --target 'gpu' (supported: cpu)
// RUN: not accml-run %t/model.mlir --random-inputs --pipeline-options="cache-tiles=oops" 2>&1 | FileCheck %s --check-prefix=PIPELINE
// PIPELINE: accml-run: for the --cache-tiles option: 'oops' value invalid for long argument!
// PIPELINE: accml-run: error: invalid pipeline options 'cache-tiles=oops': malformed value
// RUN: not accml-run %t/model.mlir --random-inputs --pipeline-options="no-such-option=1" 2>&1 | FileCheck %s --check-prefix=PIPELINE-NAME
// PIPELINE-NAME: accml-run: error: invalid pipeline options 'no-such-option=1': no such option no-such-option
// RUN: not accml-run %t/model.mlir --random-inputs --pipeline-options="loop-strategy=polyhedral" 2>&1 | FileCheck %s --check-prefix=STRATEGY
// STRATEGY: accml-run: for the --loop-strategy option: Cannot find option named 'polyhedral'!
// STRATEGY: accml-run: error: invalid pipeline options 'loop-strategy=polyhedral': malformed value
// RUN: not accml-run %t/model.mlir --random-inputs --pipeline-options="threads=2 dynamic-schedule=sometimes" 2>&1 | FileCheck %s --check-prefix=SCHEDULE
// SCHEDULE: accml-run: for the --dynamic-schedule option: 'sometimes' is invalid value for boolean argument!
// SCHEDULE: accml-run: error: invalid pipeline options 'threads=2 dynamic-schedule=sometimes': malformed value
// RUN: not accml-run %t/model.onnx 2>&1 | FileCheck %s --check-prefix=ONNX
// ONNX: accml-run: error: {{.*}}model.onnx: .onnx models must be imported first (accml-import model.onnx -o model.mlir)
// RUN: not accml-run %t/none.mlir 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: accml-run: error: cannot read {{.*}}none.mlir: No such file or directory
// RUN: not accml-run %t/bad.mlir --random-inputs 2>&1 | FileCheck %s --check-prefix=BADIR
// BADIR: accml-run: error: {{.*}}bad.mlir:2:{{[0-9]+}}: error: use of value '%a' expects different type than prior uses
// RUN: not accml-run %t/unsupported.mlir --random-inputs 2>&1 | FileCheck %s --check-prefix=NOLOWERING
// NOLOWERING: accml-run: error: {{.*}}unsupported.mlir:2:{{[0-9]+}}: error: 'accml.conv2d' op cannot be lowered to linalg: dynamic channel or spatial input dimensions; only the batch dimension may be dynamic
// RUN: not accml-run %t/memref.mlir --random-inputs 2>&1 | FileCheck %s --check-prefix=SIGNATURE
// SIGNATURE: accml-run: error: {{.*}}memref.mlir: function @main has argument 0 of type memref<2xf32>; the runtime supports ranked tensors of f32, f16, bf16, i8, i32, i64 and i1

//--- model.mlir
func.func @main(%a: tensor<2x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = accml.add %a, %b : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

//--- bad.mlir
func.func @main(%a: tensor<2xf32>) -> tensor<2xf32> {
  %0 = accml.relu %a : tensor<3xf32>
  return %0 : tensor<2xf32>
}

//--- unsupported.mlir
func.func @main(%a: tensor<1x3x?x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32> {
  %0 = accml.conv2d %a, %w : (tensor<1x3x?x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32>
  return %0 : tensor<1x4x?x6xf32>
}

//--- memref.mlir
func.func @main(%a: memref<2xf32>) {
  return
}
