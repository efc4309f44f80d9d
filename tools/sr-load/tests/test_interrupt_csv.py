"""The interruption matrix for CSV input (see interruptions.py): every interruption before,
at and after the first checkpoint, in both modes, with and without --columns, then a rerun that
must load every row exactly as expected."""
import pytest

from conftest import Emulator
from interruptions import KINDS, MODES, POINTS, run_case


@pytest.fixture(scope="module")
def shared_emu(tmp_path_factory):
    e = Emulator(tmp_path_factory.mktemp("emu"))
    yield e
    e.stop()


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("columns", [False, True], ids=["inferred", "columns"])
@pytest.mark.parametrize("mode", MODES)
def test_csv_interrupted_then_resumed_loads_every_row_once(shared_emu, tmp_path, mode, columns,
                                                              kind, point):
    run_case(shared_emu, tmp_path, "csv", mode, columns, kind, point)
