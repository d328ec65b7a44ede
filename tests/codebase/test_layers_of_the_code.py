"""The code's floors: the core (cnnviz/) is plain Python that never reaches up into Streamlit, ui/ or the pages."""

import ast
import pkgutil
import subprocess
import sys

import cnnviz
from harness.app import ROOT


def imported_packages(path) -> set[str]:
    """The top-level names of every module one Python file imports, wherever in the file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


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
