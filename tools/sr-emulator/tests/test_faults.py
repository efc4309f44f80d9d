"""Fault injection (EMULATOR-CONTRACT.md) and the failure cases of spec §8."""
import json

from conftest import ndjson

ROW = ndjson({"id": 1, "name": "a"})


def test_http_status_fault(emu):
    fid = emu.fault(point="be_stream_load", action="http_status", code=503, body="busy")
    code, text = emu.stream_load(ROW, label="h1")
    assert code == 503 and text == "busy"
    assert emu.rows() == []
    assert emu.faults()[0]["id"] == fid and emu.faults()[0]["hits"] == 1
    assert emu.stream_load(ROW, label="h1")[1]["Status"] == "Success"  # times=1 by default


def test_reply_fault_with_extra(emu):
    emu.fault(point="be_stream_load", action="reply", status="Fail", message="injected", extra={"Foo": 1})
    r = emu.stream_load(ROW, label="r1")[1]
    assert r["Status"] == "Fail" and r["Message"] == "injected" and r["Foo"] == 1
    assert emu.rows() == []


def test_skip_times_and_label_filter(emu):
    emu.fault(point="be_stream_load", label="only", skip=1, times=2, action="not_master")
    assert emu.stream_load(ROW, label="other")[1]["Status"] == "Success"
    assert emu.stream_load(ROW, label="only")[1]["Status"] == "Success"  # skipped
    r = emu.stream_load(ROW, label="only2")[1]
    assert r["Status"] == "Success"  # label filter does not match
    emu.admin("DELETE", "/_emulator/faults")
    emu.fault(point="be_stream_load", label="x", times=2, action="not_master")
    for _ in range(2):
        r = emu.stream_load(ROW, label="x")[1]
        assert r["Status"] == "Fail" and r["Message"] == "current fe is not master"
    assert emu.stream_load(ROW, label="x")[1]["Status"] == "Success"


def test_drop_after_bytes_applies_nothing(emu):
    emu.fault(point="be_stream_load", action="drop", after_bytes=5)
    code, r = emu.stream_load(ndjson(*[{"id": i} for i in range(1000)]), label="dr")
    assert code in (0, 100) and r == ""  # curl saw the connection close without an answer
    assert emu.rows() == []
    assert emu.load_state("dr")["state"] in ("ABORTED", "UNKNOWN")
    assert emu.stream_load(ROW, label="dr")[1]["Status"] == "Success"


def test_apply_then_drop_gives_unknown_outcome_but_commits(emu):
    emu.fault(point="be_stream_load", action="apply_then_drop")
    code, r = emu.stream_load(ROW, label="ad")
    assert code in (0, 100) and r == ""  # no final answer
    assert emu.load_state("ad")["state"] == "VISIBLE"
    assert len(emu.rows()) == 1
    r = emu.stream_load(ROW, label="ad")[1]
    assert r["Status"] == "Label Already Exists" and r["ExistingJobStatus"] == "FINISHED"
    assert emu.label_stats("ad")["commits"] == 1


def test_apply_then_reply(emu):
    emu.fault(point="be_stream_load", action="apply_then_reply", status="Fail", message="lying")
    r = emu.stream_load(ROW, label="ar")[1]
    assert r["Status"] == "Fail" and r["Message"] == "lying"
    assert emu.load_state("ar")["state"] == "VISIBLE"


def test_delay_then_proceeds(emu):
    emu.fault(point="be_stream_load", action="delay", ms=200)
    assert emu.stream_load(ROW, label="dl")[1]["Status"] == "Success"


def test_hang_until_client_gives_up(emu):
    emu.fault(point="be_stream_load", action="hang")
    path = emu.write("h.json", ROW)
    code, _ = emu.curl("--max-time", "2", "--location-trusted", "-u", "root:", "-H", "label:hg", "-H",
                       "Expect:100-continue", "-H", "format: json", "-T", str(path),
                       emu.fe("/api/shop/orders/_stream_load"), timeout=30)
    assert code in (0, 100)
    assert emu.rows() == []
    assert emu.stream_load(ROW, label="hg")[1]["Status"] == "Success"


def test_publish_timeout_stream_load(emu):
    emu.fault(point="be_stream_load", action="publish_timeout", publish_delay_s=20)
    r = emu.stream_load(ROW, label="pt")[1]
    assert r["Status"] == "Publish Timeout"
    assert emu.load_state("pt")["state"] == "COMMITTED"
    r = emu.stream_load(ROW, label="pt")[1]
    assert r["Status"] == "Label Already Exists" and r["ExistingJobStatus"] == "FINISHED"
    emu.advance(21)
    assert emu.load_state("pt")["state"] == "VISIBLE" and len(emu.rows()) == 1
    assert emu.stats()["loads"]["Publish Timeout"] == 1


def test_too_many_versions(emu):
    emu.fault(point="be_stream_load", action="too_many_versions")
    r = emu.stream_load(ROW, label="tv")[1]
    assert r["Status"] == "Fail" and "too many versions" in r["Message"].lower()
    assert emu.rows() == []


def test_not_master_on_txn_begin_and_fe_commit(emu):
    emu.fault(point="txn_begin", action="not_master")
    r = emu.txn("begin", "nm")[1]
    assert "current fe is not master" in r["Message"] and r["Status"] != "OK"
    assert emu.txn("begin", "nm")[1]["Status"] == "OK"
    emu.txn("load", "nm", body=ROW, headers=["format: json"])
    emu.txn("prepare", "nm")
    emu.fault(point="txn_commit", action="not_master")
    r = emu.txn("commit", "nm")[1]
    assert r["Status"] == "FAILED" and "current fe is not master" in r["Message"]
    assert emu.load_state("nm")["state"] == "PREPARED"
    assert emu.txn("commit", "nm")[1]["Status"] == "OK"


def test_fe_commit_apply_then_drop_is_idempotent_on_retry(emu):
    emu.txn("begin", "cd")
    emu.txn("load", "cd", body=ROW, headers=["format: json"])
    emu.txn("prepare", "cd")
    emu.fault(point="txn_commit", action="apply_then_drop")
    code, body = emu.txn("commit", "cd")
    assert code in (0, 100) and body == ""
    assert emu.load_state("cd")["state"] == "VISIBLE"
    r = emu.txn("commit", "cd")[1]
    assert r["Status"] == "OK" and "already committed" in r["Message"]


def test_be_unreachable_after_begin(emu):
    emu.txn("begin", "bu")
    emu.fault(point="txn_load", action="be_unreachable")
    code, body = emu.txn("load", "bu", body=ROW, headers=["format: json"])
    assert body == ""
    assert code in (0, 307)  # the 307 target refuses the connection; no final answer
    # The client falls back: state polling, then rollback (still PREPARE → BE) or _cancel.
    assert emu.load_state("bu")["state"] == "PREPARE"
    code, text = emu.curl("-u", "root:", "-XPOST", emu.fe("/api/shop/orders/_cancel?label=bu"))
    assert json.loads(text)["status"] == "OK"
    assert emu.load_state("bu")["state"] == "ABORTED"


def test_be_unreachable_stream_load(emu):
    emu.fault(point="fe_stream_load", action="be_unreachable")
    code, r = emu.stream_load(ROW, label="bus")
    assert code in (0, 307) and r == ""
    assert emu.stream_load(ROW, label="bus")[1]["Status"] == "Success"


def test_txn_prepare_reply_fault(emu):
    emu.txn("begin", "rp")
    emu.txn("load", "rp", body=ROW, headers=["format: json"])
    emu.fault(point="txn_prepare", action="reply", status="TXN_NOT_EXISTS", message="gone")
    r = emu.txn("prepare", "rp")[1]
    assert r["Status"] == "TXN_NOT_EXISTS" and r["Message"] == "gone"
    assert emu.load_state("rp")["state"] == "PREPARE"


def test_get_load_state_and_schema_faults(emu):
    emu.fault(point="get_load_state", action="http_status", code=500)
    code, _ = emu.curl("-u", "root:", emu.fe("/api/shop/get_load_state?label=x"))
    assert code == 500
    emu.fault(point="schema_v2", action="http_status", code=404, body="{}")
    code, _ = emu.curl("-u", "root:", emu.fe("/api/v2/catalogs/default_catalog/databases/shop/tables/orders/schema"))
    assert code == 404


def test_invalid_fault_definitions(emu):
    assert emu.admin("POST", "/_emulator/faults", {"point": "nowhere", "action": "hang"})[0] == 400
    assert emu.admin("POST", "/_emulator/faults", {"point": "any", "action": "explode"})[0] == 400
    assert emu.admin("POST", "/_emulator/faults", b"not json")[0] == 400


def test_publish_order_follows_commit_order(emu):
    # txn A commits first but publishes slowly; B (same table, same key) commits later.
    emu.txn("begin", "A")
    emu.txn("load", "A", body=ndjson({"id": 1, "name": "from-A"}), headers=["format: json"])
    emu.txn("prepare", "A")
    emu.fault(point="txn_commit", action="publish_timeout", publish_delay_s=30)
    assert emu.txn("commit", "A")[1]["Status"] == "FAILED"
    emu.txn("begin", "B")
    emu.txn("load", "B", body=ndjson({"id": 1, "name": "from-B"}), headers=["format: json"])
    emu.txn("prepare", "B")
    emu.fault(point="txn_commit", action="publish_timeout", publish_delay_s=5)
    emu.txn("commit", "B")
    emu.advance(10)
    # B cannot become visible before A: both wait for A's publish.
    assert emu.load_state("B")["state"] == "COMMITTED"
    emu.advance(25)
    assert emu.rows()[0]["name"] == "from-B"
    # A later load without delay forces the pending versions out first, in order.
    emu.fault(point="be_stream_load", action="publish_timeout", publish_delay_s=100)
    emu.stream_load(ndjson({"id": 1, "name": "from-C"}), label="C")
    emu.stream_load(ndjson({"id": 2, "name": "from-D"}), label="D")
    assert emu.load_state("C")["state"] == "VISIBLE"
    assert [r["name"] for r in emu.rows()] == ["from-C", "from-D"]


def test_drop_and_hang_on_bodyless_txn_ops_do_nothing(emu):
    emu.fault(point="txn_begin", action="drop")
    code, body = emu.txn("begin", "db1")
    assert body == "" and emu.load_state("db1")["state"] == "UNKNOWN"
    emu.fault(point="txn_begin", action="hang")
    import subprocess
    out = subprocess.run(["curl", "-sS", "--max-time", "2", "--location-trusted", "-u", "root:", "-H", "label:db1",
                          "-H", "db:shop", "-H", "table:orders", "-XPOST", emu.fe("/api/transaction/begin")],
                         capture_output=True, timeout=30)
    assert out.stdout == b""
    assert emu.load_state("db1")["state"] == "UNKNOWN"
    assert emu.txn("begin", "db1")[1]["Status"] == "OK"
