"""Every function of the app (cnnviz/, ui/, pages/) reads in one screen: at most 80 lines."""

import ast

from harness.app import ROOT

LONGEST = 80  # lines of one function, its docstring included


def function_lengths() -> dict[str, int]:
    """{file:line name: lines} of every function and method in the app's code."""
    lengths = {}
    for folder in ("cnnviz", "ui", "pages"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    where = f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"
                    lengths[where] = node.end_lineno - node.lineno + 1
    return lengths


def test_no_function_is_longer_than_a_screen():
    lengths = function_lengths()
    assert len(lengths) > 500 and any(name.endswith(" parse_args") for name in lengths)
    assert {where: lines for where, lines in lengths.items() if lines > LONGEST} == {}
