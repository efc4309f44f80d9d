import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
from eo_harness import Emulator  # noqa: E402


@pytest.fixture
def emu(tmp_path):
    data = tmp_path / "emulator-data"
    data.mkdir()
    e = Emulator(str(data), "--prepared-transaction-default-timeout-second", "3600")
    yield e
    e.stop()
