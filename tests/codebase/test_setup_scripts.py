"""The README's two commands: CI runs the test command, and it installs only the Debian packages that are missing."""

import re
import subprocess

import pytest

from harness.app import ROOT

# NodeSource's nodejs as dpkg lists it: it provides npm and conflicts with Debian's npm package.
NODESOURCE_NODEJS = "nodejs|install ok installed|nodejs-dev, nodejs-legacy, npm, nodejs-dev, npm (<= 1.2.14)"


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```\n(.+?)\n```", section)


def test_readme_has_exactly_two_commands_and_both_are_scripts_here():
    app, tests = readme_commands()
    assert (app, tests) == ("scripts/run-app", "scripts/run-tests")
    for command in (app, tests):
        assert (ROOT / command).stat().st_mode & 0o111, f"{command} is not executable"


def test_ci_runs_the_readme_test_command():
    _, tests = readme_commands()
    assert tests in (ROOT / ".ci" / "run").read_text().splitlines()


def test_requirements_pin_every_package_exactly():
    lines = [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")]
    assert all(re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", line) for line in lines), lines
    assert "torch==2.14.1" in lines and "torchvision==0.29.1" in lines
    cpu = (ROOT / "requirements-cpu.txt").read_text().splitlines()
    assert "torch==2.14.1" in cpu and "torchvision==0.29.1" in cpu, "the CPU build pins the same releases"


def wanted_packages() -> list[str]:
    """The COMMAND=PACKAGE pairs the test command asks system-packages for."""
    line = next(line for line in (ROOT / "scripts/run-tests").read_text().splitlines() if "system-packages" in line)
    return line.split()[1:]


def run_system_packages(tmp_path, present: set[str], installed: list[str], args: list[str] | None = None):
    """scripts/system-packages with only stubs on PATH: `present` commands exist, dpkg lists `installed`
    ("package|status|provides, conflicts" lines); returns the finished process and what apt-get was asked."""
    stubs = tmp_path / "bin"
    stubs.mkdir()
    log = tmp_path / "apt.log"
    (stubs / "apt-get").write_text(f'#!/bin/bash\necho "$*" >> {log}\n')
    listing = tmp_path / "dpkg.txt"
    listing.write_text("".join(line + "\n" for line in installed))
    (stubs / "dpkg-query").write_text(f"#!/bin/bash\n/bin/cat {listing}\n")
    for command in present:
        (stubs / command).write_text("#!/bin/bash\n")
    for stub in stubs.iterdir():
        stub.chmod(0o755)
    result = subprocess.run(
        ["/bin/bash", str(ROOT / "scripts/system-packages"), *(args or wanted_packages())],
        env={"PATH": str(stubs)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    return result, log.read_text().splitlines() if log.exists() else []


EVERYTHING = {"chromium", "nginx", "pg_virtualenv", "node", "npm"}


def test_nothing_missing_means_apt_never_runs(tmp_path):
    result, apt = run_system_packages(tmp_path, EVERYTHING, [NODESOURCE_NODEJS])
    assert result.returncode == 0, result.stderr
    assert apt == []


def test_only_nginx_missing_installs_only_nginx(tmp_path):
    result, apt = run_system_packages(tmp_path, EVERYTHING - {"nginx"}, [NODESOURCE_NODEJS])
    assert result.returncode == 0, result.stderr
    assert apt == ["update", "install -y nginx"]


def test_nodesource_nodejs_is_never_given_debians_npm(tmp_path):
    result, apt = run_system_packages(tmp_path, EVERYTHING - {"chromium"}, [NODESOURCE_NODEJS])
    assert result.returncode == 0, result.stderr
    assert apt == ["update", "install -y chromium"], "npm comes with NodeSource's nodejs"


def test_a_missing_npm_that_would_conflict_is_refused_in_one_sentence(tmp_path):
    result, apt = run_system_packages(tmp_path, EVERYTHING - {"npm"}, [NODESOURCE_NODEJS])
    assert result.returncode == 1
    assert not any(line.startswith("install") for line in apt)
    assert "the installed nodejs provides or conflicts with npm" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_fresh_debian_gets_each_missing_package_once(tmp_path):
    result, apt = run_system_packages(tmp_path, set(), [])
    assert result.returncode == 0, result.stderr
    assert apt == ["update"] + [f"install -y {pair.split('=')[1]}" for pair in wanted_packages()]


@pytest.mark.parametrize("status, installs", [("install ok installed", []), ("deinstall ok config-files", ["x-venv"])])
def test_a_bare_package_is_installed_only_when_dpkg_lacks_it(tmp_path, status, installs):
    result, apt = run_system_packages(tmp_path, set(), [f"x-venv|{status}|, "], args=["x-venv"])
    assert result.returncode == 0, result.stderr
    assert [line.removeprefix("install -y ") for line in apt if line.startswith("install")] == installs
