"""The core package is plain Python: importing all of it must not pull in Streamlit."""

import pkgutil
import subprocess
import sys

import cnnviz


def test_no_module_of_cnnviz_imports_streamlit():
    modules = [m.name for m in pkgutil.walk_packages(cnnviz.__path__, prefix="cnnviz.") if m.name != "cnnviz.__main__"]
    assert "cnnviz.reading.preprocess" in modules and "cnnviz.viz.filters" in modules
    code = "import importlib, sys\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules)
    code += "assert 'streamlit' not in sys.modules, 'streamlit was imported'\n"
    subprocess.run([sys.executable, "-c", code], check=True)
