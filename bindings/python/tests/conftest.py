"""Fixtures: the binding under test (from ../src unless installed) and sr-emulator processes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

_SRC = Path(__file__).resolve().parents[1] / "src"
if os.environ.get("SR_SINK_PY_USE_INSTALLED") != "1" and str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))

import starrocks_sink  # noqa: E402

from emulator import Emulator, library_path  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def library() -> starrocks_sink.Library:
    """The library under test, loaded from $SR_SINK_LIBRARY (a missing library fails the suite)."""
    lib = starrocks_sink.load_library(library_path())
    starrocks_sink.set_default_library(lib)
    return lib


@pytest.fixture
def emulator_factory(tmp_path: Path):
    """start(users=..., extra=[...]) → a fresh emulator; all are stopped after the test."""
    started: list[Emulator] = []

    def start(**kwargs) -> Emulator:
        data_dir = tmp_path / f"emu{len(started)}"
        data_dir.mkdir()
        emu = Emulator(data_dir, **kwargs)
        started.append(emu)
        return emu

    yield start
    for emu in started:
        emu.stop()


@pytest.fixture
def emu(emulator_factory) -> Emulator:
    return emulator_factory()
