//===- ThreadsOption.h - The --threads option of AccML tools ----*- C++ -*-===//
//
// Part of the AccML project.
//
//===----------------------------------------------------------------------===//
//
// libLLVM already registers a global command-line option named `threads`,
// so AccML's tools cannot declare their own cl::opt of that name. They take
// `--threads=N` / `--threads N` out of argv with this before parsing.
//
//===----------------------------------------------------------------------===//

#ifndef ACCML_SUPPORT_THREADSOPTION_H
#define ACCML_SUPPORT_THREADSOPTION_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace accml {

/// Removes `--threads=N` and `--threads N` (also with one dash) from
/// `argc`/`argv` and stores N in `threads`. On a malformed value, sets
/// `error` and returns false.
inline bool extractThreadsOption(int &argc, char **argv, unsigned &threads,
                                 std::string &error) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    std::optional<llvm::StringRef> value;
    if (arg == "--threads" || arg == "-threads") {
      if (i + 1 >= argc) {
        error = "--threads needs a value";
        return false;
      }
      value = argv[++i];
    } else if (arg.consume_front("--threads=") ||
               arg.consume_front("-threads=")) {
      value = arg;
    }
    if (!value) {
      argv[kept++] = argv[i];
      continue;
    }
    if (value->getAsInteger(10, threads)) {
      error = ("--threads expects a non-negative integer, got '" + *value + "'")
                  .str();
      return false;
    }
  }
  argc = kept;
  return true;
}

} // namespace accml

#endif // ACCML_SUPPORT_THREADSOPTION_H
