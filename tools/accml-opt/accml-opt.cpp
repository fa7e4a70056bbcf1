//===- accml-opt.cpp - The AccML optimizer driver -------------------------===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// An mlir-opt style driver with the accml dialect and passes, and the upstream
// dialects, passes and extensions that AccML's pipelines use.
//
//===----------------------------------------------------------------------===//

#include "accml/Conversion/Passes.h"
#include "accml/Dialect/Accml/IR/AccmlDialect.h"
#include "accml/Dialect/Accml/Transforms/Passes.h"
#include "accml/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  accml::registerAccmlPasses();
  accml::registerAccmlConversionPasses();
  accml::registerAccmlPipelines();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry.insert<accml::AccmlDialect>();

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "AccML optimizer driver\n", registry));
}
