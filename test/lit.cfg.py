# -*- Python -*-
# lit configuration of the AccML regression suite.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "AccML"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.accml_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%accml_src_root", config.accml_src_root))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
tool_dirs = [config.accml_tools_dir, config.llvm_tools_dir]
tools = [
    "accml-compile",
    "accml-opt",
    "accml-run",
    "accml-translate",
    ToolSubst("%python", config.python_executable),
    ToolSubst("%clang", os.path.join(config.llvm_tools_dir, "clang")),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)
