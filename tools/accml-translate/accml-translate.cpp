//===- accml-translate.cpp - MLIR to LLVM IR and object code --------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// mlir-translate with AccML's translations:
//   --mlir-to-llvmir    LLVM-dialect MLIR to LLVM IR (upstream)
//   --accml-to-llvmir   accml / linalg on tensors through accml-cpu-pipeline
//                       to LLVM IR
//   --accml-to-object   the same, optimised at -O3 for the host CPU, as an
//                       object file
//
//===----------------------------------------------------------------------===//

#include "accml/Runtime/Compiler.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllTranslations.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace accml::runtime;

/// Whether `module` still needs accml-cpu-pipeline (it holds anything that
/// is not in the LLVM dialect).
static bool needsLowering(ModuleOp module) {
  WalkResult result = module.walk([](Operation *op) {
    if (isa<ModuleOp>(op) || isa<LLVM::LLVMDialect>(op->getDialect()))
      return WalkResult::advance();
    return WalkResult::interrupt();
  });
  return result.wasInterrupted();
}

static LogicalResult lower(ModuleOp module) {
  if (!needsLowering(module))
    return success();
  if (llvm::Error error = prepareModule(module, "the input").takeError()) {
    emitError(module.getLoc()) << llvm::toString(std::move(error));
    return failure();
  }
  return lowerToLLVMDialect(module, CompileOptions());
}

int main(int argc, char **argv) {
  registerAllTranslations();
  TranslateFromMLIRRegistration toLLVMIR(
      "accml-to-llvmir",
      "Lower accml or linalg on tensors with accml-cpu-pipeline and translate "
      "to LLVM IR",
      [](ModuleOp module, raw_ostream &os) -> LogicalResult {
        if (failed(lower(module)))
          return failure();
        llvm::LLVMContext context;
        std::unique_ptr<llvm::Module> llvmModule =
            translateModuleToLLVMIR(module, context);
        if (!llvmModule)
          return failure();
        llvmModule->print(os, nullptr);
        return success();
      },
      registerCompilerDialects);
  TranslateFromMLIRRegistration toObject(
      "accml-to-object",
      "Lower with accml-cpu-pipeline and emit an object file optimised at -O3 "
      "for the host CPU",
      [](ModuleOp module, raw_ostream &os) -> LogicalResult {
        if (failed(lower(module)))
          return failure();
        SmallString<0> buffer;
        llvm::raw_svector_ostream bufferStream(buffer);
        if (llvm::Error error = emitObjectFile(module, bufferStream)) {
          emitError(module.getLoc()) << llvm::toString(std::move(error));
          return failure();
        }
        os << buffer;
        return success();
      },
      registerCompilerDialects);
  return failed(mlirTranslateMain(argc, argv, "AccML translation driver"));
}
