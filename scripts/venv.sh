# Sourced by run-app and run-tests: use the active virtual environment, or make and activate ./.venv.
#
# Debian and Ubuntu refuse a system-wide `pip install` (an "externally managed" Python), so the packages
# go into a virtual environment of this checkout. Where Debian's Python lacks venv, its package is added.
if [[ -z ${VIRTUAL_ENV:-} ]]; then
    python=$(command -v python3.11 || command -v python3)
    version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    [[ $version == 3.1[1-9] ]] || { echo "cnnviz needs Python 3.11 or newer; $python is $version." >&2; exit 1; }
    if [[ ! -x .venv/bin/python ]]; then
        "$python" -c 'import ensurepip' 2>/dev/null || scripts/system-packages "python$version-venv"
        "$python" -m venv .venv
    fi
    . .venv/bin/activate
fi
# Python keeps the bytecode of what it imports (uv, unlike pip, compiles none as it installs): where this is
# switched off, every process the app or the tests start would compile PyTorch's sources again.
unset PYTHONDONTWRITEBYTECODE

# Install a requirements file into the environment. uv unpacks PyTorch's ~6 GB about four times faster than pip
# (about 35 s instead of 2 min on 2 cores); where uv cannot be had or cannot install (it reads no pip.conf: a
# private index, say), pip does it as before.
install() {
    if pip install --disable-pip-version-check --quiet uv==0.13.10 && uv pip install -r "$1"; then
        return
    fi
    echo "uv could not install $1; pip installs it instead." >&2
    pip install --disable-pip-version-check -r "$1"
}

if [[ ${CNNVIZ_TORCH:-} == cpu ]]; then
    install requirements-cpu.txt  # PyTorch without CUDA: ~1 GB, not ~6
fi
