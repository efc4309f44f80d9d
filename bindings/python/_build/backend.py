"""Build backend: scikit-build-core, plus the library's sources in the sdist.

pyproject.toml sits in bindings/python, but libsr_sink's CMake project is the repository around
it, which scikit-build-core does not put in an sdist. build_sdist copies the parts the library
needs (CMakeLists.txt, abi/, src/, cmake/, pkgconfig/) into _vendor/sr_sink first, so the sdist
builds the library from source on its own; CMakeLists.txt here prefers that copy when present.
Wheels are built by scikit-build-core unchanged."""
import os
import shutil

from scikit_build_core.build import *  # noqa: F401,F403 (the PEP 517/660 hooks)
from scikit_build_core.build import build_sdist as _build_sdist

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_REPO = os.path.dirname(os.path.dirname(_HERE))
_VENDOR = os.path.join(_HERE, "_vendor", "sr_sink")
_PARTS = ["CMakeLists.txt", "abi", "src", "cmake", "pkgconfig"]


def build_sdist(sdist_directory, config_settings=None):
    if not os.path.exists(os.path.join(_REPO, "abi", "sr_sink.h")):
        return _build_sdist(sdist_directory, config_settings)  # already an sdist: vendored
    shutil.rmtree(_VENDOR, ignore_errors=True)
    try:
        for part in _PARTS:
            src, dst = os.path.join(_REPO, part), os.path.join(_VENDOR, part)
            if os.path.isdir(src):
                shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                os.makedirs(_VENDOR, exist_ok=True)
                shutil.copy2(src, dst)
        return _build_sdist(sdist_directory, config_settings)
    finally:
        shutil.rmtree(os.path.join(_HERE, "_vendor"), ignore_errors=True)
