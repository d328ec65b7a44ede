"""No name reaches the exported model.py as code: file names, titles, class names and class-run titles stay text.

Each hostile name is exported (by `python -m cnnviz export` and by the app's take-home zip); every module
must compile, run (--help, and on a digit), carry the name back unchanged, and do nothing else: no PWNED.
"""

import io
import json
import subprocess
import sys
import zipfile

from cnnviz.data.samples import list_samples
from cnnviz.network.model import build_model
from cnnviz.network.presets import preset
from cnnviz.training import checkpoints
from cnnviz.training.export import export_zip

from command_line import run_cli

PAYLOAD = '__import__("os").system("touch PWNED")'
HOSTILE = {
    "triple double quotes": f'x""";{PAYLOAD};"""y',
    "triple single quotes": f"x''';{PAYLOAD};'''y",
    "backslashes": f'a\\"""\\;{PAYLOAD}\\',
    "named escape": "\\N{ and \\N{LATIN SMALL LETTER A}",
    "newline": f"title\n{PAYLOAD}\n#",
    "nul": f"nul\x00{PAYLOAD}",
    "line separator": f"x\u2028{PAYLOAD}\u2029y",
    "long": ('"""' + PAYLOAD) * 200 + "z" * (10_000 - 200 * (3 + len(PAYLOAD))),
    "class run nickname": 'Class run: """;open("PWNED","w");""" #12',
    "braces": "{title} {{}} %s {0}",
}
FILE_NAMES = ("triple double quotes", "backslashes", "line separator")  # a file name: no NUL or /, 255 bytes at most
CLASSES = ('a"""b', "c'''d", "e\\N{f", "g\\", "{h}")

# Runs each exported model.py in its own folder, in one process: --help, then on a digit; keeps what it defined.
RUN_EACH = """
import json, os, runpy, sys
found = {}
for folder in sys.argv[2:]:
    os.chdir(folder)
    names = runpy.run_path("model.py", run_name="model")  # defines everything, runs nothing
    codes = []
    for args in (["--help"], [sys.argv[1], "--json"]):
        saved, sys.argv = sys.argv, ["model.py", *args]
        try:
            runpy.run_path("model.py", run_name="__main__")
        except SystemExit as exit:
            codes.append(exit.code)
        sys.argv = saved
    found[folder] = {"title": names["TITLE"], "classes": list(names["CLASSES"]), "codes": codes}
sys.stderr.write("\\n" + json.dumps(found))
"""


def run_each(folders, tmp_path) -> dict:
    digit = next(sample.path for sample in list_samples() if sample.label == 3)
    command = [sys.executable, "-c", RUN_EACH, str(digit), *map(str, folders)]
    run = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.count('"label": 3') == len(folders) - 1  # the last is an untrained network of other classes
    return json.loads(run.stderr.splitlines()[-1])


def test_hostile_names_stay_text_in_the_cli_export_and_the_apps_zip(tmp_path, bundled):
    folders, expected = [], {}
    for name in HOSTILE.values():  # the app's take-home zip: titles of models and class runs
        with zipfile.ZipFile(io.BytesIO(export_zip(bundled, name))) as archive:
            archive.extractall(tmp_path / f"zip {len(folders)}")
        folders.append(tmp_path / f"zip {len(folders)}" / "cnnviz-model")
        expected[str(folders[-1])] = (name, list(bundled.classes))
    for key in FILE_NAMES:  # python -m cnnviz export: the weights file's name becomes the title
        weights = tmp_path / f"{HOSTILE[key]}.safetensors"
        weights.write_bytes(checkpoints.BUNDLED_WEIGHTS.read_bytes())
        folders.append(tmp_path / f"cli {len(folders)}")
        result = run_cli("export", weights, "--out", folders[-1], cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        expected[str(folders[-1])] = (HOSTILE[key], list(bundled.classes))
    model = build_model(preset("modern", CLASSES), seed=1).eval()  # hostile class names
    with zipfile.ZipFile(io.BytesIO(export_zip(model, "classes"))) as archive:
        archive.extractall(tmp_path / "classes")
    folders.append(tmp_path / "classes" / "cnnviz-model")
    expected[str(folders[-1])] = ("classes", list(CLASSES))

    found = run_each(folders, tmp_path)
    for folder in folders:
        assert found[str(folder)]["codes"] == [0, 0], folder
        assert (found[str(folder)]["title"], found[str(folder)]["classes"]) == expected[str(folder)]
    assert not list(tmp_path.rglob("PWNED"))
