"""Stream Load transaction interface (spec §4): every cell of the §4.5 transition table, the
per-label lock, the identical-headers rule, timeouts against the emulated clock."""
import json
import socket
import threading

import pytest

from conftest import ndjson

ROWS = ndjson({"id": 1, "name": "a"}, {"id": 2, "name": "b"})


def begin_load(emu, label, body=ROWS):
    assert emu.txn("begin", label)[1]["Status"] == "OK"
    r = emu.txn("load", label, body=body, headers=["format: json"])[1]
    assert r["Status"] == "OK", r
    return r


def prepared(emu, label):
    begin_load(emu, label)
    r = emu.txn("prepare", label)[1]
    assert r["Status"] == "OK", r
    return r


def visible(emu, label):
    prepared(emu, label)
    assert emu.txn("commit", label)[1]["Status"] == "OK"


def aborted(emu, label):
    assert emu.txn("begin", label)[1]["Status"] == "OK"
    assert emu.txn("rollback", label)[1]["Status"] == "OK"
    assert emu.load_state(label)["state"] == "ABORTED"


def test_documented_sequence_begin_load_prepare_commit(emu):
    r = emu.txn("begin", "t1")[1]
    assert r["Status"] == "OK" and r["Label"] == "t1" and r["TxnId"] > 0 and "BeginTxnTimeMs" in r
    txn_id = r["TxnId"]
    r = emu.txn("load", "t1", body=ROWS, headers=["format: json"])[1]
    assert r["Status"] == "OK" and r["TxnId"] == txn_id and r["LoadBytes"] == len(ROWS)
    r = emu.txn("load", "t1", body=ndjson({"id": 3, "name": "c"}), headers=["format: json"])[1]
    assert r["Status"] == "OK"
    assert emu.rows() == []  # nothing visible before commit
    assert emu.load_state("t1")["state"] == "PREPARE"
    r = emu.txn("prepare", "t1")[1]
    assert r["Status"] == "OK" and r["NumberTotalRows"] == 3 and r["NumberLoadedRows"] == 3
    assert emu.load_state("t1")["state"] == "PREPARED"
    assert emu.rows() == []
    r = emu.txn("commit", "t1")[1]
    assert r["Status"] == "OK" and r["TxnId"] == txn_id
    assert emu.load_state("t1")["state"] == "VISIBLE"
    assert [x["id"] for x in emu.rows()] == [1, 2, 3]
    lab = emu.label_stats("t1")
    assert lab["kind"] == "transaction" and lab["commits"] == 1 and lab["rows_loaded"] == 3


# ---- row: none (label never used) ----
def test_none_begin_starts_prepare(emu):
    assert emu.txn("begin", "n")[1]["Status"] == "OK"
    assert emu.load_state("n")["state"] == "PREPARE"


@pytest.mark.parametrize("op", ["load", "prepare"])
def test_none_load_or_prepare_fe_cannot_find_txn(emu, op):
    r = emu.txn(op, "n", body=ROWS)[1]
    assert r["Status"] == "FAILED" and "Can't find the transaction with db [shop] and label[n]" in r["Message"]


@pytest.mark.parametrize("op", ["commit", "rollback"])
def test_none_commit_or_rollback_fe_failed(emu, op):
    r = emu.txn(op, "n")[1]
    assert r["Status"] == "FAILED" and "No transaction found by label n" in r["Message"]


# ---- row: ABORTED ----
def test_aborted_begin_reuses_label_with_new_txn(emu):
    first = emu.txn("begin", "a")[1]["TxnId"]
    emu.txn("rollback", "a")
    r = emu.txn("begin", "a")[1]
    assert r["Status"] == "OK" and r["TxnId"] != first


@pytest.mark.parametrize("op", ["load", "prepare"])
def test_aborted_load_or_prepare_txn_not_exists(emu, op):
    aborted(emu, "a")
    r = emu.txn(op, "a", body=ROWS, headers=["format: json"])[1]
    assert r["Status"] == "TXN_NOT_EXISTS"


def test_aborted_commit_failed(emu):
    aborted(emu, "a")
    r = emu.txn("commit", "a")[1]
    assert r["Status"] == "FAILED" and "Can not commit ABORTED transaction" in r["Message"]


def test_aborted_rollback_ok_already_aborted(emu):
    aborted(emu, "a")
    r = emu.txn("rollback", "a")[1]
    assert r["Status"] == "OK" and "has already aborted" in r["Message"]


# ---- row: PREPARE without data ----
def test_prepare_no_data_begin_label_exists(emu):
    emu.txn("begin", "p")
    r = emu.txn("begin", "p")[1]
    assert r["Status"] == "LABEL_ALREADY_EXISTS" and "ExistingJobStatus" in r


def test_prepare_no_data_load_appends(emu):
    emu.txn("begin", "p")
    assert emu.txn("load", "p", body=ROWS, headers=["format: json"])[1]["Status"] == "OK"


@pytest.mark.parametrize("op", ["prepare", "commit"])
def test_prepare_no_data_prepare_or_commit_aborts(emu, op):
    emu.txn("begin", "p")
    r = emu.txn(op, "p")[1]
    assert r["Status"] == "INTERNAL_ERROR" and "hasn't send any data yet" in r["Message"]
    assert emu.load_state("p")["state"] == "ABORTED"


def test_prepare_no_data_rollback(emu):
    emu.txn("begin", "p")
    assert emu.txn("rollback", "p")[1]["Status"] == "OK"
    assert emu.load_state("p")["state"] == "ABORTED"


# ---- row: PREPARE with data ----
def test_prepare_with_data_begin_label_exists(emu):
    begin_load(emu, "d")
    assert emu.txn("begin", "d")[1]["Status"] == "LABEL_ALREADY_EXISTS"


def test_prepare_with_data_prepare_reports_counters(emu):
    begin_load(emu, "d")
    r = emu.txn("prepare", "d")[1]
    assert r["Status"] == "OK" and r["NumberLoadedRows"] == 2 and r["LoadBytes"] == len(ROWS)


def test_prepare_with_data_commit_one_phase(emu):
    begin_load(emu, "d")
    r = emu.txn("commit", "d")[1]
    assert r["Status"] == "OK" and r["NumberLoadedRows"] == 2
    assert emu.load_state("d")["state"] == "VISIBLE"
    assert len(emu.rows()) == 2


def test_prepare_with_data_commit_publish_timeout(emu):
    begin_load(emu, "d")
    emu.fault(point="txn_commit", action="publish_timeout", publish_delay_s=30)
    r = emu.txn("commit", "d")[1]
    assert r["Status"] == "PUBLISH_TIMEOUT"
    assert emu.load_state("d")["state"] == "COMMITTED"
    assert emu.rows() == []
    emu.advance(31)
    assert emu.load_state("d")["state"] == "VISIBLE"
    assert len(emu.rows()) == 2


def test_prepare_with_data_rollback(emu):
    begin_load(emu, "d")
    assert emu.txn("rollback", "d")[1]["Status"] == "OK"
    assert emu.load_state("d")["state"] == "ABORTED" and emu.rows() == []


def test_prepare_quality_failure_aborts(emu):
    emu.txn("begin", "q", table="strict")
    emu.txn("load", "q", table="strict", body=ndjson({"id": 1, "v": None}), headers=["format: json"])
    r = emu.txn("prepare", "q", table="strict")[1]
    assert r["Status"] == "INTERNAL_ERROR" and r["Message"] == "too many filtered rows" and "ErrorURL" in r
    assert emu.load_state("q")["state"] == "ABORTED"


def test_load_request_not_equal_last(emu):
    begin_load(emu, "ne")
    r = emu.txn("load", "ne", body=ROWS, headers=["format: json", "strip_outer_array: true"])[1]
    assert r["Status"] == "INTERNAL_ERROR" and r["Message"] == "load request not equal last."
    assert emu.load_state("ne")["state"] == "ABORTED"


def test_table_and_db_must_match_begin(emu):
    emu.txn("begin", "m")
    r = emu.txn("load", "m", table="logs", body=ROWS, headers=["format: json"])[1]
    assert r["Status"] == "INVALID_ARGUMENT" and "not equal transaction table" in r["Message"]


def test_concurrent_load_gets_txn_in_processing(emu):
    emu.txn("begin", "cc")
    # A first load holds the per-label lock: its body is still being sent.
    s = socket.create_connection(("127.0.0.1", emu.be_port), timeout=10)
    s.sendall(b"PUT /api/transaction/load HTTP/1.1\r\nHost: h\r\nAuthorization: Basic cm9vdDo=\r\nlabel: cc\r\n"
              b"db: shop\r\ntable: orders\r\nformat: json\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
    assert b"100 Continue" in s.recv(100)
    r = emu.txn("load", "cc", body=ROWS, headers=["format: json"])[1]
    assert r["Status"] == "TXN_IN_PROCESSING" and r["Label"] == "cc"
    r = emu.txn("prepare", "cc")[1]
    assert r["Status"] == "TXN_IN_PROCESSING"
    s.sendall(b'{"id": 9}\n')
    reply = b""
    while b"}" not in reply:
        reply += s.recv(4096)
    s.close()
    assert b'"Status":"OK"' in reply
    assert emu.txn("prepare", "cc")[1]["Status"] == "OK"


# ---- row: PREPARED ----
def test_prepared_begin_label_exists_running(emu):
    prepared(emu, "pd")
    r = emu.txn("begin", "pd")[1]
    assert r["Status"] == "LABEL_ALREADY_EXISTS" and r["ExistingJobStatus"] == "RUNNING"


@pytest.mark.parametrize("op", ["load", "prepare"])
def test_prepared_load_or_prepare_txn_not_exists(emu, op):
    prepared(emu, "pd")
    r = emu.txn(op, "pd", body=ROWS, headers=["format: json"])[1]
    assert r["Status"] == "TXN_NOT_EXISTS"
    assert emu.load_state("pd")["state"] == "PREPARED"  # the client must treat this as success


def test_prepared_commit_by_fe(emu):
    prepared(emu, "pd")
    r = emu.txn("commit", "pd")[1]
    assert r == {"Status": "OK", "Message": "", "TxnId": r["TxnId"], "Label": "pd"}
    assert len(emu.rows()) == 2


def test_prepared_commit_publish_timeout_leaves_committed(emu):
    prepared(emu, "pd")
    emu.fault(point="txn_commit", action="publish_timeout", publish_delay_s=10)
    r = emu.txn("commit", "pd")[1]
    assert r["Status"] == "FAILED" and "publish timeout" in r["Message"]
    assert emu.load_state("pd")["state"] == "COMMITTED"
    # COMMITTED row of the table: commit is idempotent, rollback is refused.
    r = emu.txn("commit", "pd")[1]
    assert r["Status"] == "OK" and "has already committed" in r["Message"]
    r = emu.txn("rollback", "pd")[1]
    assert r["Status"] == "FAILED" and "Can not abort COMMITTED transaction" in r["Message"]
    assert r and emu.txn("begin", "pd")[1]["ExistingJobStatus"] == "FINISHED"
    emu.advance(11)
    assert emu.load_state("pd")["state"] == "VISIBLE" and len(emu.rows()) == 2
    assert emu.label_stats("pd")["commits"] == 1


def test_prepared_rollback_by_fe(emu):
    prepared(emu, "pd")
    r = emu.txn("rollback", "pd")[1]
    assert r["Status"] == "OK"
    st = emu.load_state("pd")
    assert st["state"] == "ABORTED" and st["reason"] == "User Aborted"
    assert emu.rows() == []


# ---- row: VISIBLE ----
def test_visible_begin_label_exists_finished(emu):
    visible(emu, "v")
    r = emu.txn("begin", "v")[1]
    assert r["Status"] == "LABEL_ALREADY_EXISTS" and r["ExistingJobStatus"] == "FINISHED"


@pytest.mark.parametrize("op", ["load", "prepare"])
def test_visible_load_or_prepare_txn_not_exists(emu, op):
    visible(emu, "v")
    assert emu.txn(op, "v", body=ROWS, headers=["format: json"])[1]["Status"] == "TXN_NOT_EXISTS"


def test_visible_commit_retry_is_ok(emu):
    visible(emu, "v")
    r = emu.txn("commit", "v")[1]
    assert r["Status"] == "OK" and "has already committed" in r["Message"]
    assert emu.label_stats("v")["commits"] == 1
    assert len(emu.rows()) == 2


def test_visible_rollback_failed(emu):
    visible(emu, "v")
    r = emu.txn("rollback", "v")[1]
    assert r["Status"] == "FAILED" and "Can not abort VISIBLE transaction" in r["Message"]


# ---- timeouts (emulated clock) ----
def test_prepare_timeout_aborts(emu):
    emu.txn("begin", "to", headers=["timeout: 100"])
    emu.advance(50)
    assert emu.load_state("to")["state"] == "PREPARE"
    emu.advance(60)
    st = emu.load_state("to")
    assert st["state"] == "ABORTED" and "timeout" in st["reason"]
    r = emu.txn("load", "to", body=ROWS, headers=["format: json"])[1]
    assert r["Status"] == "TXN_NOT_EXISTS"


def test_idle_timeout_aborts_only_when_idle(emu):
    emu.txn("begin", "idle", headers=["idle_transaction_timeout: 30"])
    emu.advance(20)
    assert emu.txn("load", "idle", body=ROWS, headers=["format: json"])[1]["Status"] == "OK"
    emu.advance(20)
    assert emu.load_state("idle")["state"] == "PREPARE"  # activity 20 s ago
    emu.advance(15)
    st = emu.load_state("idle")
    assert st["state"] == "ABORTED" and "idle timeout" in st["reason"]


def test_prepared_expiry_default(make_emu):
    e = make_emu(args=["--prepared-transaction-default-timeout-second", "100"])
    prepared(e, "px")
    e.advance(90)
    assert e.load_state("px")["state"] == "PREPARED"
    e.advance(20)
    assert e.load_state("px")["state"] == "ABORTED"
    r = e.txn("commit", "px")[1]
    assert r["Status"] == "FAILED" and "Can not commit ABORTED" in r["Message"]
    assert e.rows() == []


def test_prepared_timeout_header(emu):
    begin_load(emu, "ph")
    assert emu.txn("prepare", "ph", headers=["prepared_timeout: 10"])[1]["Status"] == "OK"
    emu.advance(11)
    assert emu.load_state("ph")["state"] == "ABORTED"
    begin_load(emu, "bad")
    r = emu.txn("prepare", "bad", headers=["prepared_timeout: -1"])[1]
    assert r["Status"] == "INVALID_ARGUMENT" and "Invalid prepared_timeout" in r["Message"]


def test_fe_errors_missing_db_empty_label_list(emu):
    code, text = emu.curl("--location-trusted", "-u", "root:", "-H", "label:x", "-XPOST", emu.fe("/api/transaction/begin"))
    assert json.loads(text)["Message"] == "No database selected."
    code, text = emu.curl("--location-trusted", "-u", "root:", "-H", "db:shop", "-XPOST", emu.fe("/api/transaction/begin"))
    assert json.loads(text)["Message"] == "Empty label."
    r = emu.txn("list", "x")[1]
    assert r["Status"] == "FAILED" and "Unknown transaction operation: list" in r["Message"]
    code, text = emu.curl("-u", "root:", "-XPOST", emu.be("/api/transaction/list"))
    assert code == 200 and json.loads(text) == []


def test_be_rejects_multi_table_txn(emu):
    r = emu.txn("begin", "mt", headers=["transaction_type: multi"], target=emu.be("/api/transaction/begin"))[1]
    assert r["Status"] == "INVALID_ARGUMENT"


def test_rollback_during_load_leaves_load_aborted(emu):
    begin_load(emu, "rb")
    assert emu.txn("rollback", "rb")[1]["Status"] == "OK"
    assert emu.txn("commit", "rb")[1]["Status"] == "FAILED"


def test_parallel_txns_on_different_labels(emu):
    errors = []

    def run(i):
        try:
            visible(emu, "par%d" % i)
        except AssertionError as e:
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for i in range(4):
        assert emu.label_stats("par%d" % i)["commits"] == 1
