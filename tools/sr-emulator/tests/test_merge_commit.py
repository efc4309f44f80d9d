"""Merge commit (StarRocks >= 3.4): `enable_merge_commit` loads of one table with the same load
headers that arrive within `merge_commit_interval_ms` share one transaction.

Expectations come from StarRocks' test/sql/test_stream_load/R/test_merge_commit, the BE's
IsomorphicBatchWrite (sync mode waits for VISIBLE), StreamLoadContext::to_json for batch writes
(reply fields) and the FE's MergeCommitMgr (interval/parallel checks).
"""
import concurrent.futures
import json

from conftest import ndjson

def mc_headers(interval_ms=300, asynchronous=False, extra=()):
    h = ["enable_merge_commit:true", "merge_commit_interval_ms:%d" % interval_ms, "merge_commit_parallel:4"]
    if asynchronous:
        h.append("merge_commit_async:true")
    return h + list(extra)


def test_concurrent_sync_loads_share_one_transaction(emu):
    def load(i):
        return emu.stream_load(ndjson({"id": i, "name": "n%d" % i, "qty": i}), label="req%d" % i,
                               headers=mc_headers(1500))

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        replies = [r for _, r in pool.map(load, range(1, 7))]
    assert all(r["Status"] == "Success" and r["Message"] == "OK" for r in replies), replies
    assert sorted(r["RequestId"] for r in replies) == ["req%d" % i for i in range(1, 7)]
    assert set(replies[0].keys()) >= {"TxnId", "Label", "Status", "Message", "RequestId", "LoadBytes", "LoadTimeMs",
                             "ReadDataTimeMs", "PendingTimeMs", "WaitPlanTimeMs", "WriteDataTimeMs",
                             "WaitFinishTimeMs", "LeftMergeTimeMs"}
    txns = {r["TxnId"] for r in replies}
    assert len(txns) < 6, replies  # merged: fewer transactions than loads
    assert [row["id"] for row in emu.rows()] == [1, 2, 3, 4, 5, 6]
    for rep in replies:  # sync mode answers once the merged txn is visible
        assert emu.load_state(rep["Label"])["state"] == "VISIBLE"
        assert rep["Label"] != rep["RequestId"]
    # the request labels are not load labels
    assert emu.load_state("req1")["state"] == "UNKNOWN"


def test_async_loads_answer_at_once_and_the_label_becomes_visible(emu):
    replies = [emu.stream_load(ndjson({"id": i}), headers=mc_headers(60000, asynchronous=True))[1]
               for i in (1, 2, 3)]
    assert all(r["Status"] == "Success" for r in replies), replies
    assert len({r["Label"] for r in replies}) == 1  # one window
    label = replies[0]["Label"]
    assert emu.load_state(label)["state"] == "PREPARE"
    assert emu.rows() == []
    emu.advance(61)  # the window closes at the next request after its end
    assert emu.load_state(label)["state"] == "VISIBLE"
    assert [row["id"] for row in emu.rows()] == [1, 2, 3]
    # a later load opens a new window
    r = emu.stream_load(ndjson({"id": 4}), headers=mc_headers(60000, asynchronous=True))[1]
    assert r["Label"] != label


def test_different_load_headers_are_different_windows(emu):
    a = emu.stream_load(ndjson({"id": 1}), headers=mc_headers(60000, asynchronous=True))[1]
    b = emu.stream_load("2,x\n", fmt="csv", headers=mc_headers(60000, asynchronous=True,
                                                               extra=["columns:id,name", "column_separator:,"]))[1]
    assert a["Status"] == b["Status"] == "Success", (a, b)
    assert a["TxnId"] != b["TxnId"]


def test_interval_and_parallel_are_required(emu):
    r = emu.stream_load(ndjson({"id": 1}), headers=["enable_merge_commit:true", "merge_commit_parallel:2"])[1]
    assert (r["Status"], r["Message"]) == ("Fail", "Batch write interval must be set positive, but is null")
    r = emu.stream_load(ndjson({"id": 1}), headers=["enable_merge_commit:true", "merge_commit_interval_ms:100"])[1]
    assert (r["Status"], r["Message"]) == ("Fail", "Batch write parallel must be set positive, but is null")
    r = emu.stream_load(ndjson({"id": 1}), headers=["enable_merge_commit:yes"])[1]
    assert r["Message"] == "Invalid parameter enable_merge_commit. The value must be bool type, but is yes"
    assert emu.rows() == []


def test_a_bad_body_fails_the_whole_window(emu):
    ok = emu.stream_load(ndjson({"id": 1}), headers=mc_headers(60000, asynchronous=True))[1]
    bad = emu.stream_load("{not json", headers=mc_headers(60000, asynchronous=True))[1]
    assert ok["Label"] == bad["Label"]
    emu.advance(61)
    st = emu.load_state(ok["Label"])
    assert st["state"] == "ABORTED", st
    assert emu.rows() == []  # nothing of the window is applied: the client must load again


def test_sync_load_reports_an_aborted_window(emu):
    code, r = emu.stream_load(ndjson({"id": 1, "qty": "x"}),
                              headers=mc_headers(200, extra=["strict_mode:true"]))
    assert r["Status"] == "Fail" and r["Message"] == "Load is aborted, reason: too many filtered rows", r


def test_a_cancelled_window_takes_no_more_loads(emu):
    first = emu.stream_load(ndjson({"id": 1}), headers=mc_headers(60000, asynchronous=True))[1]
    code, text = emu.curl("--location-trusted", "-u", "root:", "-XPOST",
                          emu.fe("/api/shop/orders/_cancel?label=%s" % first["Label"]))
    assert json.loads(text)["status"] == "OK", text
    second = emu.stream_load(ndjson({"id": 2}), headers=mc_headers(60000, asynchronous=True))[1]
    assert second["Status"] == "Success" and second["Label"] != first["Label"], second
    emu.advance(61)
    assert emu.load_state(first["Label"])["state"] == "ABORTED"
    assert emu.load_state(second["Label"])["state"] == "VISIBLE"
    assert [row["id"] for row in emu.rows()] == [2]
