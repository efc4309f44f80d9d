"""Rejected rows in transaction loads (issue #11, item 4), as StarRocks' BE reports them:

* `/api/transaction/load` replies never carry counters or ErrorURL (the plan fragment is still
  running; StreamLoadContext::to_resp_json writes LoadBytes for a load).
* prepare/commit run the fragment to its end. Within `max_filter_ratio` (taken from the first
  load) the OK reply carries NumberTotalRows/NumberLoadedRows/NumberFilteredRows and ErrorURL.
* Over the ratio (default 0: any rejected row) the reply is INTERNAL_ERROR "too many filtered
  rows" with ErrorURL and no counters (to_resp_json writes counters only for OK), and the
  transaction is aborted.
* ErrorURL points at the coordinator BE; that BE serves the rejected rows as
  "Error: <reason>. Row: <row>" lines; another BE does not have the file.
"""
import json
from urllib.parse import urlparse

from conftest import ndjson

GOOD = ndjson({"id": 1, "v": 1}, {"id": 2, "v": 2})
BAD = ndjson({"id": 3, "v": None}, {"id": 4, "v": 4})
BAD_LINE = 'Error: NULL value in non-nullable column \'v\'. Row: {"id": 3, "v": null}'


def begin_on(emu, label, be):
    r = emu.txn("begin", label, table="strict", target=emu.be("/api/transaction/begin", be))[1]
    assert r["Status"] == "OK", r


def load(emu, label, body, extra=()):
    r = emu.txn("load", label, table="strict", body=body, headers=["format: json"] + list(extra))[1]
    assert r["Status"] == "OK", r
    assert "ErrorURL" not in r and "NumberFilteredRows" not in r, r
    return r


def assert_error_log_on(emu, url, be):
    u = urlparse(url)
    assert u.port == emu.be_ports[be] and u.path == "/api/_load_error_log", url
    code, text = emu.curl(url)
    assert code == 200 and text.splitlines() == [BAD_LINE], text
    other = emu.be("/api/_load_error_log?" + u.query, 1 - be)
    assert emu.curl(other)[0] == 404, "the error log is a file on the coordinator BE only"


def test_within_ratio_prepare_reports_filtered_rows_and_error_url(make_emu):
    emu = make_emu(args=["--be-port", "0", "--be-port", "0"])
    begin_on(emu, "w", 1)
    load(emu, "w", GOOD, ["max_filter_ratio: 0.5"])
    load(emu, "w", BAD, ["max_filter_ratio: 0.5"])
    r = emu.txn("prepare", "w", table="strict")[1]
    assert r["Status"] == "OK", r
    assert (r["NumberTotalRows"], r["NumberLoadedRows"], r["NumberFilteredRows"]) == (4, 3, 1)
    assert_error_log_on(emu, r["ErrorURL"], 1)
    assert emu.txn("commit", "w", table="strict")[1]["Status"] == "OK"
    assert [x["id"] for x in emu.rows(table="strict")] == [1, 2, 4]


def test_within_ratio_one_phase_commit_reports_filtered_rows(make_emu):
    emu = make_emu(args=["--be-port", "0", "--be-port", "0"])
    begin_on(emu, "c", 0)
    load(emu, "c", GOOD + BAD, ["max_filter_ratio: 0.25"])
    r = emu.txn("commit", "c", table="strict")[1]
    assert r["Status"] == "OK" and r["NumberFilteredRows"] == 1 and r["NumberLoadedRows"] == 3, r
    assert_error_log_on(emu, r["ErrorURL"], 0)
    assert emu.load_state("c")["state"] == "VISIBLE"


def test_over_the_ratio_fails_with_error_url_and_no_counters(make_emu):
    emu = make_emu(args=["--be-port", "0", "--be-port", "0"])
    for label, ratio, op in (("d", (), "prepare"), ("r", ["max_filter_ratio: 0.2"], "commit")):
        begin_on(emu, label, 1)
        load(emu, label, GOOD, ratio)
        load(emu, label, BAD, ratio)
        r = emu.txn(op, label, table="strict")[1]
        assert r["Status"] == "INTERNAL_ERROR" and r["Message"] == "too many filtered rows", r
        for key in ("NumberTotalRows", "NumberLoadedRows", "NumberFilteredRows", "TxnId", "Label"):
            assert key not in r, (key, r)
        assert_error_log_on(emu, r["ErrorURL"], 1)
        assert emu.load_state(label)["state"] == "ABORTED"
    assert emu.rows(table="strict") == []


def test_plain_load_error_url_is_the_serving_be(make_emu):
    emu = make_emu(args=["--be-port", "0", "--be-port", "0"])
    for be in (0, 1):
        r = emu.stream_load(GOOD + BAD, label="p%d" % be, table="strict", headers=["max_filter_ratio: 0.5"],
                            target=emu.be("/api/shop/strict/_stream_load", be))[1]
        assert r["Status"] == "Success" and r["NumberFilteredRows"] == 1, r
        assert_error_log_on(emu, r["ErrorURL"], be)
