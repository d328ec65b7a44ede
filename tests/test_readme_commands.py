"""README's two commands stay true: CI runs the test command verbatim, and both name real files."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.+?)\n```", section)


def test_readme_has_exactly_two_commands():
    app, tests = readme_commands()
    assert app == "pip install -r requirements.txt && streamlit run app.py"
    assert tests.endswith("pip install -r requirements-dev.txt && ruff check . && python -m pytest")


def test_ci_runs_the_readme_test_command():
    _, tests = readme_commands()
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert tests in ci


def test_requirements_pin_every_package_exactly():
    lines = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", line) for line in lines), lines
    assert "torch==2.14.1" in lines and "torchvision==0.29.1" in lines
