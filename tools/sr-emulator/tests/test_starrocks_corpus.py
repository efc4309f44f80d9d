"""StarRocks' own SQL-tester cases (transcribed in tests/starrocks/corpus/) run against the emulator.

Every case either passes or is named in SKIP with the reason the emulator (or the runner) cannot
express it; README.md "Known deviations" mirrors SKIP. A skipped case is still run: if it passes,
the test fails so that the stale entry is removed. A case that raises `Unsupported` without being
listed fails, so nothing is skipped silently.
"""
import os
import sys
import uuid

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "starrocks"))
from runner import CorpusRunner, Mismatch, Unsupported, parse_cases  # noqa: E402

from conftest import Emulator  # noqa: E402

CORPUS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "starrocks", "corpus")

# (file, case) -> why it cannot pass against the emulator.
SKIP = {
    ("test_stream_load_exception_handling", "test_multi_txn_load_failure"):
        "multi-statement transactions (transaction_type: multi, v4.0) are not emulated",
    ("test_stream_load_exception_handling", "test_load_failure_commit_behavior"):
        "its second half uses a multi-statement transaction (transaction_type: multi), not emulated",
    ("test_stream_load_exception_handling", "test_multi_txn_load_failure_then_retry"):
        "multi-statement transactions (transaction_type: multi, v4.0) are not emulated",
    ("test_stream_load_columns", "test_stream_load_columns"):
        "DEFAULT CURRENT_TIMESTAMP and the now() column expression are not emulated",
    ("test_partial_update_column_mode", "test_partial_update"):
        "UPDATE statements (SQL DML) are not emulated",
    ("test_partial_update_column_mode", "test_partial_update_with_expr"):
        "DEFAULT CURRENT_TIMESTAMP is not emulated",
    ("test_partial_update_upsert", "test_partial_update_upsert"):
        "sort keys (ORDER BY) and column-mode partial update's refusal on them are not emulated",
}


def _cases():
    out = []
    for name in sorted(os.listdir(CORPUS)):
        for case, stmts in parse_cases(os.path.join(CORPUS, name)):
            out.append(pytest.param(name, case, stmts, id="%s::%s" % (name, case)))
    return out


@pytest.mark.parametrize("corpus_file,case,stmts", _cases())
def test_case(tmp_path, corpus_file, case, stmts):
    emu = Emulator(tmp_path)
    try:
        runner = CorpusRunner(emu, uuid.uuid4().hex[:12])
        reason = SKIP.get((corpus_file, case))
        try:
            runner.run_case(stmts)
        except (Unsupported, Mismatch) as e:
            if reason:
                pytest.skip("%s (%s: %s)" % (reason, type(e).__name__, str(e).split("\n")[0][:200]))
            if isinstance(e, Unsupported):
                pytest.fail("not expressible and not in SKIP: %s" % e)
            raise
        if reason:
            pytest.fail("passes now: remove it from SKIP and from the README's deviations")
    finally:
        assert emu.stop() == 0, "sr-emulator did not shut down cleanly"


def test_every_skip_names_a_case():
    names = {(f, c) for f in os.listdir(CORPUS) for c, _ in parse_cases(os.path.join(CORPUS, f))}
    assert set(SKIP) <= names
