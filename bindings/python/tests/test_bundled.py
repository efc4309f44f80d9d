"""The wheel's own library (starrocks_sink/libsr_sink.so.1 + the generated _bundled.py): loaded
before $SR_SINK_LIBRARY, and a missing or mismatched one fails the import in one sentence. Each
case imports a copy of the package, laid out as the wheel installs it, in a fresh interpreter."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "starrocks_sink"


def _installed(tmp_path: Path, library: str | None, version: str = "1.2.0") -> Path:
    site = tmp_path / "site"
    shutil.copytree(PACKAGE, site / "starrocks_sink", ignore=shutil.ignore_patterns("__pycache__"))
    (site / "starrocks_sink" / "_bundled.py").write_text(
        f'LIBRARY = "libsr_sink.so.1"\nVERSION = "{version}"\n')
    if library:
        shutil.copy(library, site / "starrocks_sink" / "libsr_sink.so.1")
    return site


def _import(site: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    code = "import starrocks_sink as s; print(s.default_library().path); print(s.library_version())"
    env = dict(os.environ, PYTHONPATH=str(site), SR_SINK_LIBRARY=str(tmp_path / "not-this.so"))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)


def test_the_bundled_library_comes_before_sr_sink_library(tmp_path, library):
    site = _installed(tmp_path, library.path)
    out = _import(site, tmp_path)
    assert out.returncode == 0, out.stderr
    path, version = out.stdout.split()
    assert path == str(site / "starrocks_sink" / "libsr_sink.so.1")
    assert version == "1.2.0"


def test_a_wheel_without_its_library_fails_at_import_in_one_sentence(tmp_path):
    out = _import(_installed(tmp_path, None), tmp_path)
    assert out.returncode != 0
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: starrocks_sink 1.2.0: its bundled library "), last
    assert last.endswith("libsr_sink.so.1 is missing; reinstall the wheel "
                         "(pip install --force-reinstall starrocks-sink)"), last


@pytest.mark.parametrize("what", ["version", "not a library"])
def test_a_wheel_with_a_mismatched_library_fails_at_import_in_one_sentence(tmp_path, library, what):
    if what == "version":
        site = _installed(tmp_path, library.path, version="1.1.0")
        expect = "is version 1.2.0, not the 1.1.0 it was built with; reinstall the wheel"
    else:
        site = _installed(tmp_path, None)
        (site / "starrocks_sink" / "libsr_sink.so.1").write_text("not an ELF file\n")
        expect = "cannot be loaded ("
    out = _import(site, tmp_path)
    assert out.returncode != 0
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("ImportError: starrocks_sink 1.2.0: its bundled library "), last
    assert expect in last, last
