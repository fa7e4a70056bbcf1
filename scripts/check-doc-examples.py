#!/usr/bin/env python3
"""Turns the ```mlir examples of op descriptions in a TableGen file into a
module that accml-opt can parse and verify.

Each example statement `%r = accml.op %a, %b {attrs} : <types>` becomes a
function whose arguments are the statement's operands, typed from the
statement's own type signature, so every documented example is checked.

Usage: check-doc-examples.py AccmlOps.td > examples.mlir
"""

import re
import sys


def split_top(text, sep=","):
    """Splits at `sep` outside <>, () and []."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        if ch == sep and depth == 0:
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur.strip())
    return parts


def operand_types(signature, count):
    """The operand types of a custom-format type signature."""
    signature = signature.strip()
    if signature.startswith("("):  # functional-type: (a, b) -> r
        depth = 0
        for i, ch in enumerate(signature):
            depth += ch in "(<"
            depth -= ch in ")>"
            if depth == 0:
                return split_top(signature[1:i])
    head = re.split(r"\s(?:->|to)\s", signature)[0]
    types = split_top(head)
    if len(types) == 1 and count > 1:  # unary-style: one type for all
        types = types * count
    return types


def statements(td_text):
    """Yields each statement of the ```mlir blocks, continuation lines joined."""
    for block in re.findall(r"```mlir\n(.*?)```", td_text, re.S):
        stmt = ""
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            if line.startswith("%") and stmt:
                yield stmt
                stmt = ""
            stmt = (stmt + " " + line).strip()
        if stmt:
            yield stmt


def main():
    text = open(sys.argv[1]).read()
    count = 0
    for stmt in statements(text):
        if not re.match(r"%\S+ = accml\.", stmt):
            continue  # whole functions (the dialect example) are skipped
        body = stmt.split("=", 1)[1]
        # The type signature follows the first " : " outside the attributes.
        flat = re.sub(r"\{[^{}]*\}", lambda m: "#" * len(m.group(0)), body)
        colon = flat.find(" : ")
        signature = body[colon + 3:] if colon >= 0 else ""
        before_attrs = body[:colon].split("{", 1)[0]
        operands = re.findall(r"%[\w]+", before_attrs)
        types = operand_types(signature, len(operands)) if operands else []
        if len(types) != len(operands):
            sys.exit(f"cannot type the operands of: {stmt}")
        args = ", ".join(f"{name}: {ty}" for name, ty in zip(operands, types))
        count += 1
        print(f"func.func @example{count}({args}) {{")
        print(f"  {stmt}")
        print("  return")
        print("}")
    print("{-#\n  dialect_resources: {\n    builtin: {")
    print('      conv1_weight: "0x04000000' + "00" * (64 * 3 * 7 * 7 * 4) + '"')
    print("    }\n  }\n#-}")
    print(f"// {count} examples", file=sys.stderr)


if __name__ == "__main__":
    main()
