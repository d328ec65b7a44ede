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
if [[ ${CNNVIZ_TORCH:-} == cpu ]]; then
    pip install --disable-pip-version-check -r requirements-cpu.txt  # PyTorch without CUDA: ~1 GB, not ~6
fi
