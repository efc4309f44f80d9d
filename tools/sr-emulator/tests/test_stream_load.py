"""Plain Stream Load (spec §2, §3): the FE hop, the BE header phase, labels, data semantics."""
import gzip
import json
import socket
import urllib.request

from conftest import ndjson


def test_documented_curl_form_loads_rows_through_fe_redirect(emu):
    code, r = emu.stream_load(ndjson({"id": 1, "name": "a", "qty": 2, "price": "1.50"},
                                     {"id": 2, "name": "b", "qty": 3, "price": 2.25}), label="l1")
    assert code == 200
    assert r["Status"] == "Success" and r["Message"] == "OK"
    assert r["Label"] == "l1" and r["TxnId"] > 0
    assert r["NumberTotalRows"] == 2 and r["NumberLoadedRows"] == 2 and r["NumberFilteredRows"] == 0
    assert r["LoadBytes"] > 0
    assert emu.rows_raw() == ['{"id":1,"name":"a","qty":2,"price":1.50}', '{"id":2,"name":"b","qty":3,"price":2.25}']
    assert emu.load_state("l1")["state"] == "VISIBLE"
    s = emu.stats()
    assert s["labels"]["shop"]["l1"]["commits"] == 1
    assert s["tables"]["shop.orders"]["rows"] == 2 and s["tables"]["shop.orders"]["upserts"] == 2


def test_fe_answers_307_without_reading_body_and_closes(emu):
    # Raw request so the exact wire behaviour is visible: no 100 Continue, 307, empty body, close.
    s = socket.create_connection(("127.0.0.1", emu.fe_port), timeout=10)
    s.sendall(b"PUT /api/shop/orders/_stream_load?x=1 HTTP/1.1\r\nHost: h\r\nAuthorization: Basic cm9vdDo=\r\n"
              b"Expect: 100-continue\r\nlabel: r1\r\nContent-Length: 5\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break  # the FE closed the connection
        data += chunk
    s.close()
    head = data.decode()
    assert head.startswith("HTTP/1.1 307")
    assert "100 Continue" not in head
    assert "Location: http://127.0.0.1:%d/api/shop/orders/_stream_load?x=1\r\n" % emu.be_port in head
    assert "Content-Length: 0" in head
    assert "Connection: close" in head.replace("connection: close", "Connection: close")


def test_fe_requires_expect_100_continue_on_http11(emu):
    code, r = emu.stream_load(ndjson({"id": 1}), label="noexp", expect=False)
    assert code == 200
    assert r["Status"] == "FAILED"
    assert "There is no 100-continue header" in r["Message"]
    assert emu.rows() == []


def test_fe_skips_expect_check_for_http10(emu):
    path = emu.write("r.json", ndjson({"id": 7}))
    code, text = emu.curl("-0", "--location-trusted", "-u", "root:", "-H", "label:h10", "-H", "Expect:",
                          "-H", "format: json", "-T", str(path), emu.fe("/api/shop/orders/_stream_load"))
    assert code == 200 and json.loads(text)["Status"] == "Success"


def test_fe_401_on_missing_or_wrong_credentials(emu):
    path = emu.write("r.json", ndjson({"id": 1}))
    code, text = emu.curl("-H", "Expect:100-continue", "-T", str(path), emu.fe("/api/shop/orders/_stream_load"))
    assert code == 401 and json.loads(text)["status"] == "FAILED"
    code, text = emu.curl("--location-trusted", "-u", "root:wrong", "-H", "Expect:100-continue", "-T", str(path),
                          emu.fe("/api/shop/orders/_stream_load"))
    assert code == 401 and "Access denied" in json.loads(text)["msg"]
    assert "wrong" not in text


def test_be_never_answers_401(emu):
    path = emu.write("r.json", ndjson({"id": 1}))
    code, text = emu.curl("-H", "label:x", "-H", "Expect:100-continue", "-T", str(path),
                          emu.be("/api/shop/orders/_stream_load"))
    assert code == 200
    r = json.loads(text)
    assert r["Status"] == "Fail" and r["Message"] == "no valid Basic authorization" and r["TxnId"] == -1


def test_direct_be_load_works(emu):
    code, r = emu.stream_load(ndjson({"id": 3}), label="direct", target=emu.be("/api/shop/orders/_stream_load"))
    assert r["Status"] == "Success"


def test_label_already_exists_finished_then_running(emu):
    assert emu.stream_load(ndjson({"id": 1, "name": "first"}), label="dup")[1]["Status"] == "Success"
    code, r = emu.stream_load(ndjson({"id": 1, "name": "second"}), label="dup")
    assert r["Status"] == "Label Already Exists" and r["ExistingJobStatus"] == "FINISHED"
    assert r["Message"] == "Label [dup] has already been used."
    keys = list(r.keys())
    assert keys.index("ExistingJobStatus") == keys.index("Status") + 1
    assert emu.rows()[0]["name"] == "first"
    # RUNNING: the label belongs to a transaction that is still open.
    assert emu.txn("begin", "running")[1]["Status"] == "OK"
    r = emu.stream_load(ndjson({"id": 2}), label="running")[1]
    assert r["Status"] == "Label Already Exists" and r["ExistingJobStatus"] == "RUNNING"
    assert emu.stats()["labels"]["shop"]["dup"]["commits"] == 1


def test_labels_are_per_database(emu):
    assert emu.stream_load(ndjson({"id": 1}), label="same", table="orders")[1]["Status"] == "Success"
    assert emu.stream_load(ndjson({"seq": 1}), label="same", table="logs")[1]["Status"] == "Label Already Exists"


def test_label_reusable_after_fail(emu):
    r = emu.stream_load("not json at all", label="retry")[1]
    assert r["Status"] == "Fail"
    assert emu.load_state("retry")["state"] in ("ABORTED", "UNKNOWN")
    r = emu.stream_load(ndjson({"id": 5}), label="retry")[1]
    assert r["Status"] == "Success"
    assert [row["id"] for row in emu.rows()] == [5]


def test_bad_label_unknown_db_table(emu):
    r = emu.stream_load(ndjson({"id": 1}), label="bad.label")[1]
    assert r["Status"] == "Fail" and r["Message"].startswith("Label format error. regex: ^[-\\w]{1,128}$")
    r = emu.stream_load(ndjson({"id": 1}), label="x" * 129)[1]
    assert r["Status"] == "Fail" and "Label format error" in r["Message"]
    r = emu.stream_load(ndjson({"id": 1}), label="u1", db="nodb")[1]
    assert r["Message"] == "unknown database, database=nodb"
    r = emu.stream_load(ndjson({"id": 1}), label="u2", table="nope")[1]
    assert r["Message"] == 'unknown table "shop.nope"'


def test_generated_label_when_none_given(emu):
    r = emu.stream_load(ndjson({"id": 1}))[1]
    assert r["Status"] == "Success" and len(r["Label"]) == 36


def test_invalid_headers_fail_before_body(emu):
    r = emu.stream_load(ndjson({"id": 1}), label="f1", fmt="xml")[1]
    assert r["Status"] == "Fail" and "unknown data format" in r["Message"]
    r = emu.stream_load(ndjson({"id": 1}), label="f2", headers=["timeout: abc"])[1]
    assert r["Message"] == "Invalid timeout format"
    r = emu.stream_load(ndjson({"id": 1}), label="f3", headers=["timeout: 0"])[1]
    assert "Expected values should be between 1 and 259200 seconds" in r["Message"]
    assert r["TxnId"] == -1 and emu.load_state("f3")["state"] == "UNKNOWN"  # refused before txn begin
    r = emu.stream_load(ndjson({"seq": 1}), label="f4", table="logs", headers=["partial_update: true"])[1]
    assert r["Message"] == "Only primary key table support partial update"
    # Other headers are validated after begin (plan RPC): the txn exists and is rolled back.
    assert r["TxnId"] > 0 and emu.load_state("f4")["state"] == "ABORTED"
    assert emu.stream_load(ndjson({"seq": 1}), label="f4", table="logs")[1]["Status"] == "Success"
    assert emu.rows() == []


def test_pk_upsert_and_delete_with_op(emu):
    emu.stream_load(ndjson({"id": 1, "name": "a"}, {"id": 2, "name": "b"}, {"id": 3, "name": "c"}), label="p1")
    r = emu.stream_load(json.dumps([{"id": 1, "name": "A", "__op": 0}, {"id": 2, "__op": 1}, {"id": 4, "name": "d"}]),
                        label="p2", headers=["strip_outer_array: true"])[1]
    assert r["Status"] == "Success"
    assert [(x["id"], x["name"]) for x in emu.rows()] == [(1, "A"), (3, "c"), (4, "d")]
    t = emu.stats()["tables"]["shop.orders"]
    assert t["deletes"] == 1 and t["upserts"] == 5


def test_csv_with_op_column(emu):
    body = "1\ta\t1\t1.00\t0\n2\tb\t2\t2.00\t0\n1\ta\t1\t1.00\t1\n"
    r = emu.stream_load(body, label="csv1", fmt="csv", headers=["columns: id,name,qty,price,__op"])[1]
    assert r["Status"] == "Success", r
    assert [x["id"] for x in emu.rows()] == [2]


def test_duplicate_table_keeps_every_row(emu):
    emu.stream_load(ndjson({"seq": 2, "msg": "x"}, {"seq": 1, "msg": "y"}, {"seq": 2, "msg": "x"}), label="d1",
                    table="logs")
    assert [r["seq"] for r in emu.rows(table="logs")] == [1, 2, 2]


def test_partial_update_keeps_absent_columns(emu):
    emu.stream_load(ndjson({"id": 1, "name": "a", "qty": 5, "price": "9.99"}), label="pu0")
    r = emu.stream_load(ndjson({"id": 1, "qty": 6}), label="pu1",
                        headers=["partial_update: true", "columns: id,qty"])[1]
    assert r["Status"] == "Success", r
    assert emu.rows_raw() == ['{"id":1,"name":"a","qty":6,"price":9.99}']


def test_merge_condition_applies_only_newer_versions(emu):
    emu.stream_load(ndjson({"id": 1, "ver": 5, "val": "five"}, {"id": 2, "ver": 1, "val": "one"}), label="m0",
                    table="versioned")
    r = emu.stream_load(ndjson({"id": 1, "ver": 4, "val": "older"}, {"id": 2, "ver": 2, "val": "newer"},
                               {"id": 3, "ver": 0, "val": "new"}),
                        label="m1", table="versioned", headers=["merge_condition: ver"])[1]
    assert r["Status"] == "Success"
    assert [(x["id"], x["ver"], x["val"]) for x in emu.rows(table="versioned")] == [
        (1, 5, "five"), (2, 2, "newer"), (3, 0, "new")]


def test_too_many_filtered_rows_with_error_url(emu):
    body = ndjson({"id": 1, "v": 1}, {"id": 2, "v": None}, {"id": 3, "v": 3})
    r = emu.stream_load(body, label="q1", table="strict")[1]
    assert r["Status"] == "Fail" and r["Message"] == "too many filtered rows"
    assert r["NumberFilteredRows"] == 1 and r["NumberTotalRows"] == 3
    assert "/api/_load_error_log?file=" in r["ErrorURL"]
    code, text = emu.curl(r["ErrorURL"])
    assert code == 200 and text.strip() != ""
    assert emu.rows(table="strict") == []
    assert emu.load_state("q1")["state"] == "ABORTED"
    # With a tolerant ratio the good rows load and the error log is still offered.
    r = emu.stream_load(body, label="q1", table="strict", headers=["max_filter_ratio: 0.5"])[1]
    assert r["Status"] == "Success" and r["NumberLoadedRows"] == 2 and r["NumberFilteredRows"] == 1
    assert "ErrorURL" in r
    assert [x["id"] for x in emu.rows(table="strict")] == [1, 3]


def test_non_strict_null_conversion_vs_strict_filtering(emu):
    r = emu.stream_load(ndjson({"id": 1, "qty": "abc"}), label="ns")[1]
    assert r["Status"] == "Success"
    assert emu.rows()[0]["qty"] is None
    r = emu.stream_load(ndjson({"id": 2, "qty": "abc"}), label="st", headers=["strict_mode: true"])[1]
    assert r["Status"] == "Fail" and r["Message"] == "too many filtered rows"


def test_compressed_bodies(emu):
    gz = gzip.compress(b"1\ta\t1\t1.00\n")
    r = emu.stream_load(gz, label="gzcsv", fmt="gzip")[1]
    assert r["Status"] == "Success", r
    gzj = gzip.compress(ndjson({"id": 2, "name": "j"}).encode())
    r = emu.stream_load(gzj, label="gzjson", headers=["compression: gzip"])[1]
    assert r["Status"] == "Success", r
    assert [x["id"] for x in emu.rows()] == [1, 2]
    r = emu.stream_load(b"not gzip", label="badgz", headers=["compression: gzip"])[1]
    assert r["Status"] == "Fail"


def test_chunked_body(emu):
    path = emu.write("c.json", ndjson(*[{"id": i} for i in range(100)]))
    code, text = emu.curl("--location-trusted", "-u", "root:", "-H", "label:chunk", "-H", "Expect:100-continue",
                          "-H", "format: json", "-H", "Transfer-Encoding: chunked", "-T", str(path),
                          emu.fe("/api/shop/orders/_stream_load"))
    assert json.loads(text)["NumberLoadedRows"] == 100
    assert len(emu.rows()) == 100


def test_body_size_limits(make_emu):
    e = make_emu(args=["--streaming-load-max-mb", "1", "--streaming-load-max-batch-size-mb", "1"])
    big = ndjson(*[{"id": i, "name": "x" * 20} for i in range(40000)])
    assert len(big) > 1024 * 1024
    r = e.stream_load(big, label="big")[1]
    assert r["Status"] == "Fail" and r["Message"].startswith("body size ")
    assert e.stats()["bytes_received"] == 0  # refused before any body byte was read


def test_json_size_limit_and_ignore_json_size(make_emu):
    e = make_emu(args=["--streaming-load-max-batch-size-mb", "1"])
    big = ndjson(*[{"id": i, "name": "x" * 20} for i in range(40000)])
    r = e.stream_load(big, label="js")[1]
    assert r["Status"] == "Fail" and "Set ignore_json_size to skip the check" in r["Message"]
    r = e.stream_load(big, label="js", headers=["ignore_json_size: true"])[1]
    assert r["Status"] == "Success" and r["NumberLoadedRows"] == 40000


def test_connection_dropped_mid_body_applies_nothing(emu):
    s = socket.create_connection(("127.0.0.1", emu.be_port), timeout=10)
    s.sendall(b"PUT /api/shop/orders/_stream_load HTTP/1.1\r\nHost: h\r\nAuthorization: Basic cm9vdDo=\r\n"
              b"label: cut\r\nformat: json\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n")
    assert b"100 Continue" in s.recv(100)
    s.sendall(b'{"id": 1}\n{"id": 2}\n')
    s.close()
    # The abort is noticed when MHD sees the close; poll the state (an event, not a sleep).
    for _ in range(200):
        state = emu.load_state("cut")["state"]
        if state == "ABORTED":
            break
        emu.curl(emu.fe("/_emulator/stats"))
    assert state == "ABORTED"
    assert emu.rows() == []
    assert emu.stream_load(ndjson({"id": 9}), label="cut")[1]["Status"] == "Success"


def test_get_load_state_errors_and_unknown(emu):
    assert emu.load_state("never")["state"] == "UNKNOWN"
    code, text = emu.curl("-u", "root:", emu.fe("/api/shop/get_load_state"))
    assert json.loads(text)["status"] == "FAILED" and json.loads(text)["msg"] == "No label selected."
    code, text = emu.curl("-u", "root:", emu.fe("/api/nodb/get_load_state?label=x"))
    assert json.loads(text)["msg"] == "unknown database, database=nodb"


def test_cancel_aborts_open_txn(emu):
    emu.txn("begin", "c1")
    code, text = emu.curl("-u", "root:", "-XPOST", emu.fe("/api/shop/orders/_cancel?label=c1"))
    assert json.loads(text)["status"] == "OK"
    st = emu.load_state("c1")
    assert st["state"] == "ABORTED" and st["reason"] == "user cancel"
    code, text = emu.curl("-u", "root:", "-XPOST", emu.fe("/api/shop/orders/_cancel?label=nothere"))
    assert json.loads(text)["status"] == "FAILED"


def test_label_eviction_by_keep_max_num(make_emu):
    e = make_emu(args=["--label-keep-max-num", "3"])
    for i in range(5):
        assert e.stream_load(ndjson({"id": i}), label="ev%d" % i)[1]["Status"] == "Success"
    labels = e.stats()["labels"]["shop"]
    assert sorted(labels) == ["ev2", "ev3", "ev4"]
    assert e.load_state("ev0")["state"] == "UNKNOWN"
    # An evicted label is accepted again (the dedup window is gone), as in StarRocks.
    assert e.stream_load(ndjson({"id": 0}), label="ev0")[1]["Status"] == "Success"
    assert e.stream_load(ndjson({"id": 0}), label="ev4")[1]["Status"] == "Label Already Exists"


def test_label_eviction_by_keep_max_second(make_emu):
    e = make_emu(args=["--label-keep-max-second", "100"])
    e.stream_load(ndjson({"id": 1}), label="old")
    e.advance(50)
    assert e.load_state("old")["state"] == "VISIBLE"
    e.advance(60)
    assert e.load_state("old")["state"] == "UNKNOWN"


def test_running_txn_limit(make_emu):
    e = make_emu(args=["--max-running-txn-num-per-db", "2"])
    assert e.txn("begin", "a")[1]["Status"] == "OK"
    assert e.txn("begin", "b")[1]["Status"] == "OK"
    r = e.txn("begin", "c")[1]
    assert "current running txns on db" in r["Message"] and "larger than limit 2" in r["Message"]
    r = e.stream_load(ndjson({"id": 1}), label="s")[1]
    assert r["Status"] == "Fail" and "larger than limit 2" in r["Message"]
    e.txn("rollback", "a")
    assert e.stream_load(ndjson({"id": 1}), label="s")[1]["Status"] == "Success"


def test_users_option_and_password_rotation(make_emu):
    e = make_emu(args=["--users", "alice:secret"])
    assert e.stream_load(ndjson({"id": 1}), label="u0", user="root:")[0] == 401
    assert e.stream_load(ndjson({"id": 1}), label="u1", user="alice:secret")[1]["Status"] == "Success"
    assert e.admin("POST", "/_emulator/users", {"user": "alice", "password": "new"})[0] == 200
    assert e.stream_load(ndjson({"id": 2}), label="u2", user="alice:secret")[0] == 401
    assert e.stream_load(ndjson({"id": 2}), label="u2", user="alice:new")[1]["Status"] == "Success"


def compress_cli(tool, data):
    import subprocess
    return subprocess.run([tool, "-c"], input=data, capture_output=True, check=True).stdout


def test_lz4_frame_and_zstd_json_and_csv(emu):
    body = ndjson({"id": 1, "name": "lz"}).encode()
    r = emu.stream_load(compress_cli("lz4", body), label="lz4j", headers=["compression: lz4_frame"])[1]
    assert r["Status"] == "Success", r
    r = emu.stream_load(compress_cli("zstd", ndjson({"id": 2}).encode()), label="zsj",
                        headers=["Content-Encoding: zstd"])[1]
    assert r["Status"] == "Success", r
    r = emu.stream_load(compress_cli("zstd", b"3\tz\t1\t1.00\n"), label="zscsv", fmt="zstd")[1]
    assert r["Status"] == "Success", r
    r = emu.stream_load(compress_cli("lz4", b"4\tl\t1\t1.00\n"), label="lzcsv", fmt="lz4")[1]
    assert r["Status"] == "Success", r
    assert [x["id"] for x in emu.rows()] == [1, 2, 3, 4]
    r = emu.stream_load(body, label="both", headers=["compression: gzip", "Content-Encoding: gzip"])[1]
    assert r["Status"] == "Fail" and "Only one of http header content-encoding and compression" in r["Message"]


def test_missing_insert_privilege(emu):
    assert emu.admin("POST", "/_emulator/users", {"user": "reader", "password": "pw", "insert": False})[0] == 200
    code, r = emu.stream_load(ndjson({"id": 1}), label="np", user="reader:pw")
    assert code == 401 and "INSERT privilege" in r["msg"]
    r = emu.stream_load(ndjson({"id": 1}), label="np", user="reader:pw",
                        target=emu.be("/api/shop/orders/_stream_load"))[1]
    assert r["Status"] == "Fail"
    assert r["Message"] == "Access denied; you need (at least one of) the INSERT privilege(s) for this operation"
    r = emu.txn("begin", "npt", user="reader:pw")[1]
    assert r["Status"] != "OK" and "INSERT privilege" in r["Message"]
    code, _ = emu.curl("-u", "reader:pw", emu.fe("/api/shop/orders/_schema"))
    assert code == 200  # reading the schema needs SELECT only
    assert emu.rows() == []
