"""--data-dir journal: committed data, labels and PREPARED txns survive restarts, SIGKILL included."""
import signal

import pytest

from conftest import ndjson


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_restart_keeps_data_labels_and_prepared(make_emu, tmp_path, sig):
    e = make_emu(data_dir=tmp_path / "data")
    assert e.stream_load(ndjson({"id": 1, "name": "a"}, {"id": 2, "name": "b"}), label="s1")[1]["Status"] == "Success"
    assert e.stream_load(ndjson({"id": 2, "__op": 1}), label="s2")[1]["Status"] == "Success"
    e.txn("begin", "p1")
    e.txn("load", "p1", body=ndjson({"id": 10, "name": "prepared"}), headers=["format: json"])
    assert e.txn("prepare", "p1")[1]["Status"] == "OK"
    e.txn("begin", "open")
    e.txn("load", "open", body=ndjson({"id": 20}), headers=["format: json"])
    e.txn("begin", "gone")
    e.txn("rollback", "gone")
    assert e.admin("POST", "/_emulator/tables", {"db": "new", "table": "t", "keys_type": "DUP_KEYS",
                                                  "columns": [{"name": "a", "type": "INT"}]})[0] == 200
    e.stream_load(ndjson({"a": 5}), label="n1", db="new", table="t")
    before = e.rows_raw()

    e.restart(sig)

    assert e.rows_raw() == before
    assert e.rows(db="new", table="t") == [{"a": 5}]
    assert e.load_state("s1")["state"] == "VISIBLE"
    assert e.stream_load(ndjson({"id": 1}), label="s1")[1]["Status"] == "Label Already Exists"
    assert e.load_state("p1")["state"] == "PREPARED"
    assert e.load_state("gone")["state"] == "ABORTED"
    # An open (PREPARE) txn loses its BE context: TXN_NOT_EXISTS, and it is aborted.
    assert e.txn("load", "open", body=ndjson({"id": 21}), headers=["format: json"])[1]["Status"] == "TXN_NOT_EXISTS"
    assert e.load_state("open")["state"] == "ABORTED"
    # The PREPARED txn commits after the restart with its rows.
    assert e.txn("commit", "p1")[1]["Status"] == "OK"
    assert [r["id"] for r in e.rows()] == [1, 10]
    assert e.label_stats("p1")["commits"] == 1

    e.restart(sig)
    assert [r["id"] for r in e.rows()] == [1, 10]
    assert e.txn("commit", "p1")[1]["Message"].find("already committed") >= 0
    assert e.label_stats("p1")["commits"] == 1
    # New transaction ids never collide with replayed ones.
    r = e.stream_load(ndjson({"id": 30}), label="after")[1]
    assert r["TxnId"] > e.label_stats("p1")["txn_id"]


def test_prepared_expiry_counts_from_prepare_across_restart(make_emu, tmp_path):
    e = make_emu(data_dir=tmp_path / "data", args=["--prepared-transaction-default-timeout-second", "100"])
    e.txn("begin", "px")
    e.txn("load", "px", body=ndjson({"id": 1}), headers=["format: json"])
    e.txn("prepare", "px")
    e.advance(60)
    e.restart()
    assert e.load_state("px")["state"] == "PREPARED"
    e.advance(50)
    assert e.load_state("px")["state"] == "ABORTED"


def test_torn_journal_tail_is_ignored(make_emu, tmp_path):
    data = tmp_path / "data"
    e = make_emu(data_dir=data)
    e.stream_load(ndjson({"id": 1}), label="ok")
    e.stop(signal.SIGKILL)
    with open(data / "journal.jsonl", "ab") as f:
        f.write(b'{"t":"commit","id":99')  # a record cut by a crash
    e.start()
    assert [r["id"] for r in e.rows()] == [1]
    assert e.stream_load(ndjson({"id": 2}), label="ok2")[1]["Status"] == "Success"
    e.restart()
    assert [r["id"] for r in e.rows()] == [1, 2]
