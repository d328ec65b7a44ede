"""The code's floors: pages -> ui -> the core (cnnviz/); no floor reaches up into one above it."""

import ast
import pkgutil
import subprocess
import sys

import cnnviz
from harness.app import ROOT

PAGE_PARTS = "ui.pages"  # the parts of one page each: only pages and other page parts import them


def imported_modules(path) -> set[str]:
    """The full dotted names of every module one Python file imports, wherever in the file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def imported_packages(path) -> set[str]:
    """The top-level names of every module one Python file imports, wherever in the file."""
    return {name.split(".")[0] for name in imported_modules(path)}


def test_the_core_never_imports_the_floors_above_it():
    files = sorted((ROOT / "cnnviz").rglob("*.py"))
    assert len(files) > 50
    reaching_up = {str(f.relative_to(ROOT)): imported_packages(f) & {"ui", "pages", "streamlit"} for f in files}
    assert {name: found for name, found in reaching_up.items() if found} == {}


def test_no_module_of_cnnviz_imports_streamlit_even_indirectly():
    modules = [m.name for m in pkgutil.walk_packages(cnnviz.__path__, prefix="cnnviz.") if m.name != "cnnviz.__main__"]
    assert "cnnviz.reading.preprocess" in modules and "cnnviz.viz.filters" in modules
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_ui_never_imports_a_page_and_only_page_parts_import_page_parts():
    files = sorted((ROOT / "ui").rglob("*.py"))
    parts = [f for f in files if f.is_relative_to(ROOT / PAGE_PARTS.replace(".", "/"))]
    assert len(files) > 30 and len(parts) > 3
    reaching_up = {}
    for file in files:
        imported = imported_modules(file)
        found = {name for name in imported if name.split(".")[0] == "pages"}
        if file not in parts:
            found |= {name for name in imported if name == PAGE_PARTS or name.startswith(PAGE_PARTS + ".")}
        if found:
            reaching_up[str(file.relative_to(ROOT))] = found
    assert reaching_up == {}
