"""tests/conformance/SCENARIOS.md C01–C20, through the Python binding, against a real sr-emulator."""

from __future__ import annotations

import ctypes
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import starrocks_sink as srs
from starrocks_sink import _abi
from scenario import (CUSTOMERS_COLUMNS, D1, DUMP, ORDERS_COLUMNS, R1, R2, R2b, R3, encoded,
                      opts)

HERE = Path(__file__).resolve().parent


def lines(*names: str) -> list[str]:
    return [DUMP[n] for n in names]


# ---- C01 ----------------------------------------------------------------------------------------

def test_c01_version_and_names(library):
    assert library.abi_major == 1
    assert re.match(r"^\d+\.\d+\.\d+", srs.library_version())
    assert srs.status_name(0) == "SR_SINK_OK"
    assert srs.status_name(2) == "SR_SINK_E_CONFIG"
    assert srs.status_name(3) == "SR_SINK_E_NO_ROUTE"
    assert srs.status_name(18) == "SR_SINK_E_INTERNAL"
    assert srs.status_name(999) == "SR_SINK_E_UNKNOWN"
    # The binding's own table agrees with the library for every code.
    for code, name in _abi.STATUS_NAMES.items():
        assert srs.status_name(code) == name


# ---- C02 ----------------------------------------------------------------------------------------

def test_c02_library_refuses_another_major(library):
    vt = _abi.SrVtable()
    fn = library.cdll.sr_sink_get_vtable
    fn.restype = ctypes.c_int32
    fn.argtypes = [ctypes.c_uint32, ctypes.POINTER(_abi.SrVtable), ctypes.c_size_t]
    assert fn(_abi.abi_version(2, 0), ctypes.byref(vt), ctypes.sizeof(vt)) == _abi.E_VERSION


def test_c02_binding_refuses_a_library_of_another_major(library):
    # The binding negotiating as an ABI 2 host against this (major 1) library.
    with pytest.raises(srs.AbiVersionError) as ei:
        srs.load_library(library.path, host_abi_version=_abi.abi_version(2, 0))
    msg = str(ei.value)
    assert "1" in msg and "2" in msg and "major" in msg.lower()
    assert isinstance(ei.value, ImportError)
    # And the check itself, seeing a library that reports major 2.
    with pytest.raises(srs.AbiVersionError, match=r"(?i)major 2.*major 1"):
        _abi.check_abi_version(_abi.abi_version(2, 3), "/x/libsr_sink.so.2")


# ---- C03 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("doc, key", [
    ("batch_max_rows", "batch_max_rows"),
    ("http_urls", "http_urls"),
    ("no_http_url", "http_url"),
    ("execution_mode", "execution_mode"),
])
def test_c03_bad_options_name_the_key(emu, doc, key):
    if doc == "batch_max_rows":
        options = opts(emu, batch_max_rows=-1)
    elif doc == "http_urls":
        options = opts(emu, http_urls="x")
    elif doc == "no_http_url":
        options = {"execution_mode": "on_watermark"}
    else:
        options = opts(emu, execution_mode="sometimes")
    with srs.Connector() as c:
        with pytest.raises(srs.ConfigError) as ei:
            c.add_sink("shop.*", options)
        assert ei.value.code == 2 and ei.value.code_name == "SR_SINK_E_CONFIG"
        assert key in ei.value.message
        with pytest.raises(srs.NoRouteError):
            c.open("shop.orders", ORDERS_COLUMNS)


def test_c03_options_that_are_not_json(emu):
    with srs.Connector() as c:
        with pytest.raises(srs.ConfigError):
            c.add_sink("shop.*", "not json")
        with pytest.raises(srs.NoRouteError):
            c.open("shop.orders", ORDERS_COLUMNS)


# ---- C04 ----------------------------------------------------------------------------------------

def test_c04_unmatched_table_is_a_no_route_error(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with pytest.raises(srs.NoRouteError) as ei:
            c.open("other.t", ["id"])
        assert ei.value.code_name == "SR_SINK_E_NO_ROUTE"
        assert "other.t" in ei.value.message


def test_c04_first_matching_glob_wins(emu):
    with srs.Connector() as c:
        c.add_sink("shop.orders", opts(emu))
        c.add_sink("*", opts(emu, http_url="http://127.0.0.1:1"))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            assert not sink.closed


# ---- C05 ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("table, columns, must_mention", [
    ("shop.events", ["id", "payload"], ["shop.events", "(?i)primary key"]),
    ("shop.missing", ["id"], ["shop.missing"]),
    ("shop.orders", ["id", "name", "nosuch"], ["nosuch"]),
    ("shop.orders", ["name", "amount"], [r"\bid\b"]),
])
def test_c05_schema_errors_at_open(emu, table, columns, must_mention):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with pytest.raises(srs.SchemaError) as ei:
            c.open(table, columns)
        assert ei.value.code_name == "SR_SINK_E_SCHEMA"
        for pattern in must_mention:
            if pattern.startswith("(?i)") or pattern.startswith("\\b"):
                assert re.search(pattern, ei.value.message), ei.value.message
            else:
                assert pattern in ei.value.message, ei.value.message


def test_open_refuses_a_host_key_that_is_not_the_tables_primary_key(emu):
    # ABI 1.1 key_columns: an engine whose key differs from StarRocks' would merge rows otherwise.
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with pytest.raises(srs.SchemaError) as ei:
            c.open("shop.orders", ORDERS_COLUMNS, key_columns=["id", "name"])
        assert "the primary key of shop.orders is (`id`), but the host declared (`id`, `name`)" \
            in ei.value.message
        with c.open("shop.orders", ORDERS_COLUMNS, key_columns=["id"]) as sink:
            assert not sink.closed


# ---- C06 ----------------------------------------------------------------------------------------

def test_c06_upserts_and_deletes_land(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([R1, R2, R3])
            sink.on_watermark(1)
            assert emu.dump("shop.orders") == lines("R1", "R2", "R3")
            sink.write([encoded(R2b), encoded(D1).decode()], [srs.OP_UPSERT, srs.OP_DELETE])
            sink.on_watermark(2)
        assert emu.dump("shop.orders") == lines("R2b", "R3")

        with c.open("shop.customers", CUSTOMERS_COLUMNS) as sink:
            sink.write([{"region": "eu", "id": 1, "name": "x", "vip": True},
                        {"region": "us", "id": 1, "name": "y", "vip": False}])
            sink.delete([{"region": "eu", "id": 1}])
            sink.on_watermark(3)
        assert emu.dump("shop.customers") == ['{"region":"us","id":1,"name":"y","vip":false}']


# ---- C07 ----------------------------------------------------------------------------------------

def test_c07_on_watermark_visibility(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([R1])
            assert emu.dump("shop.orders") == []
            sink.on_watermark(10)
            assert emu.dump("shop.orders") == lines("R1")

            loads_before = emu.stats()["tables"]["shop.orders"]["loads"]
            sink.on_watermark(11)
            assert emu.stats()["tables"]["shop.orders"]["loads"] == loads_before

            labels = emu.labels(kind="stream_load")
            assert labels, "no stream load label recorded"
            for name, info in labels.items():
                assert name.startswith("conf-"), name
                assert info["state"] == "VISIBLE" and info["commits"] == 1, (name, info)

            st = sink.stats()
            assert st.rows_written == 1 and st.loads >= 1 and st.rows_loaded == 1


# ---- C08 ----------------------------------------------------------------------------------------

def _txn_labels(emu, state: str | None = None) -> dict[str, dict]:
    return {k: v for k, v in emu.labels(kind="transaction").items()
            if state is None or v["state"] == state}


def test_c08_on_checkpoint_token_commit_visible(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu, "on_checkpoint"))
        with c.open("shop.orders", ORDERS_COLUMNS, instance_id="conf/c08/0") as sink:
            sink.write([R1, R2])
            token = sink.on_checkpoint(1)
            assert isinstance(token, bytes) and token

            assert emu.dump("shop.orders") == []
            prepared = _txn_labels(emu, "PREPARED")
            assert len(prepared) == 1, emu.labels()
            (label1,) = prepared

            sink.commit(1)
            assert emu.dump("shop.orders") == lines("R1", "R2")
            assert _txn_labels(emu)[label1]["state"] == "VISIBLE"
            assert _txn_labels(emu)[label1]["commits"] == 1

            sink.commit(1)  # idempotent
            assert _txn_labels(emu)[label1]["commits"] == 1

            sink.write([R3])
            assert sink.on_checkpoint(2)
            (label2,) = set(_txn_labels(emu)) - {label1}
            sink.on_watermark(5)  # a no-op in this mode
            sink.abort(2)
            assert emu.dump("shop.orders") == lines("R1", "R2")
            assert _txn_labels(emu)[label2]["state"] == "ABORTED"

            # ABI 1.1: after abort the sink is failed; only close (and reopen) is useful.
            for call in (lambda: sink.write([R3]), lambda: sink.on_checkpoint(3),
                         lambda: sink.commit(2)):
                with pytest.raises(srs.StateError) as ei:
                    call()
                assert ei.value.code_name == "SR_SINK_E_STATE"
                assert "aborted" in ei.value.message.lower(), ei.value.message
                assert "2" in ei.value.message, ei.value.message
            assert emu.dump("shop.orders") == lines("R1", "R2")
        assert sink.closed  # close (leaving the block) returned OK


# ---- C09 ----------------------------------------------------------------------------------------

def test_c09_recovery_after_the_host_process_is_killed(emu, tmp_path, library):
    token_file = tmp_path / "checkpoint-1.token"
    env = dict(os.environ)
    env["SR_SINK_LIBRARY"] = library.path
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    child = subprocess.Popen(
        [sys.executable, str(HERE / "c09_child.py"), emu.url, str(token_file)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        ready = child.stdout.readline()
        assert ready == b"ready\n", (ready, child.stderr.read() if child.poll() is not None else "")
    finally:
        child.send_signal(signal.SIGKILL)  # before commit: the host dies with prepared txns
        child.wait()
        child.stdin.close()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL

    token1 = token_file.read_bytes()
    assert token1
    assert emu.dump("shop.orders") == []
    assert len(_txn_labels(emu, "PREPARED")) == 2, emu.labels()

    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu, "on_checkpoint"))
        with c.open("shop.orders", ORDERS_COLUMNS, instance_id="conf/c09/0",
                    restore_token=token1) as sink:
            assert emu.dump("shop.orders") == lines("R1", "R2")
            txns = _txn_labels(emu)
            visible = [k for k, v in txns.items() if v["state"] == "VISIBLE"]
            assert len(visible) == 1 and txns[visible[0]]["commits"] == 1, txns
            assert not [k for k, v in txns.items() if v["state"] in ("PREPARE", "PREPARED")], txns

            sink.write([R3])
            token3 = sink.on_checkpoint(3)
            sink.commit(3)
            assert emu.dump("shop.orders") == lines("R1", "R2", "R3")
        label3 = [k for k in _txn_labels(emu, "VISIBLE") if k != visible[0]]
        assert len(label3) == 1

        with c.open("shop.orders", ORDERS_COLUMNS, instance_id="conf/c09/0",
                    restore_token=token3):
            assert emu.dump("shop.orders") == lines("R1", "R2", "R3")
            assert _txn_labels(emu)[label3[0]]["commits"] == 1


# ---- C10 ----------------------------------------------------------------------------------------

def test_c10_credentials_called_and_rotated_after_401(emulator_factory):
    emu = emulator_factory(users="root:,alice:pw1")
    secret_store = {"alice": "pw1"}
    calls: list[tuple[str, bool]] = []
    cache = {"password": secret_store["alice"]}
    log_lines: list[str] = []
    messages: list[str] = []

    def credentials(table: str, after_auth_failure: bool):
        calls.append((table, after_auth_failure))
        if after_auth_failure:
            cache["password"] = secret_store["alice"]
        return "alice", cache["password"]

    log = lambda level, message: log_lines.append(message)  # noqa: E731

    with srs.Connector(log=log, log_level=srs.LOG_DEBUG) as c:
        c.add_sink("shop.*", opts(emu), credentials)
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            assert calls and all(t == "shop.orders" for t, _ in calls)
            emu.set_user("alice", "pw2")
            secret_store["alice"] = "pw2"
            sink.write([R1])
            sink.on_watermark(1)
        assert (("shop.orders", True) in calls), calls
        assert emu.dump("shop.orders") == lines("R1")

    with srs.Connector(log=log, log_level=srs.LOG_DEBUG) as c:
        c.add_sink("shop.*", opts(emu), ("alice", "wrong"))
        with pytest.raises(srs.AuthError) as ei:
            c.open("shop.orders", ORDERS_COLUMNS)
        assert ei.value.code_name == "SR_SINK_E_AUTH" and ei.value.http_status == 401
        messages.append(str(ei.value))

    def failing(table, after_auth_failure):
        raise RuntimeError("secret store unavailable")

    with srs.Connector(log=log, log_level=srs.LOG_DEBUG) as c:
        c.add_sink("shop.*", opts(emu), failing)
        with pytest.raises(srs.AuthError) as ei:
            c.open("shop.orders", ORDERS_COLUMNS)
        messages.append(str(ei.value))
        assert c.callback_errors >= 1

    for text in log_lines + messages:
        for secret in ("pw1", "pw2", "wrong"):
            assert secret not in text, text


# ---- C11 ----------------------------------------------------------------------------------------

def test_c11_log_callback_receives_lines_from_a_library_thread(emulator_factory):
    emu = emulator_factory(users="root:,alice:s3cret")
    got: list[tuple[int, str, int]] = []
    lock = threading.Lock()

    def log(level: int, message: str) -> None:
        with lock:
            got.append((level, message, threading.get_ident()))

    c = srs.Connector(log=log, log_level=srs.LOG_DEBUG)
    c.add_sink("shop.*", opts(emu), ("alice", "s3cret"))
    with c.open("shop.orders", ORDERS_COLUMNS) as sink:
        sink.write([R1, R2])
        sink.on_watermark(1)
    c.close()
    with lock:
        count = len(got)
    assert count >= 1
    for level, message, _ in got:
        assert 1 <= level <= 4
        assert message and "\n" not in message
        assert "s3cret" not in message
    me = threading.get_ident()
    assert any(tid != me for _, _, tid in got), "no log line came from a library thread"
    with lock:
        assert len(got) == count  # nothing after the connector was closed


# ---- C12 ----------------------------------------------------------------------------------------

def test_c12_close_twice_and_use_after_close(emu):
    c = srs.Connector()
    c.add_sink("shop.*", opts(emu))
    sink = c.open("shop.orders", ORDERS_COLUMNS)
    sink.write([R1])
    sink.on_watermark(1)
    sink.close()
    sink.close()
    with pytest.raises(srs.StateError) as ei:
        sink.write([R2])
    assert ei.value.code_name == "SR_SINK_E_STATE"
    for call in (lambda: sink.on_watermark(2), lambda: sink.on_checkpoint(2),
                 lambda: sink.commit(2), sink.stats):
        with pytest.raises(srs.StateError):
            call()
    sink.cancel()  # a no-op on a closed sink

    other = c.open("shop.orders", ORDERS_COLUMNS)
    c.close()
    assert other.closed
    other.close()
    with pytest.raises(srs.StateError):
        other.write([R2])
    c.close()
    with pytest.raises(srs.StateError):
        c.open("shop.orders", ORDERS_COLUMNS)
    assert emu.dump("shop.orders") == lines("R1")


def test_c12_scope_exit_closes_both_in_either_order(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([R1])
            sink.on_watermark(1)
    assert sink.closed and c.closed

    c2 = srs.Connector()
    c2.add_sink("shop.*", opts(emu))
    with c2:
        s2 = c2.open("shop.orders", ORDERS_COLUMNS)
    assert c2.closed and s2.closed
    with s2:  # entering/leaving a sink closed by its connector is harmless
        pass


# ---- C13 ----------------------------------------------------------------------------------------

def test_c13_malformed_rows_name_the_row_and_nothing_is_taken(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            with pytest.raises(srs.DataError) as ei:
                sink.write([encoded(R1), b"[1,2]", encoded(R3)])
            assert ei.value.code_name == "SR_SINK_E_DATA"
            assert re.search(r"(?i)row\D{0,3}1\b", ei.value.message), ei.value.message
            assert ei.value.data
            with pytest.raises(srs.DataError) as ei:
                sink.write([{"id": 4, "__op": 0}])
            assert "__op" in ei.value.message
            sink.write([R2])
            sink.on_watermark(1)
    assert emu.dump("shop.orders") == lines("R2")


# ---- C14 ----------------------------------------------------------------------------------------

def test_c14_rejected_load_carries_the_label(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu, properties={"strict_mode": "true"}))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([{"id": 9, "name": "x" * 70, "amount": "1.00"}])
            with pytest.raises(srs.SinkError) as ei:
                sink.on_watermark(1)
    e = ei.value
    assert e.code_name in ("SR_SINK_E_DATA", "SR_SINK_E_LOAD"), e
    assert not e.retryable
    assert e.label and e.label.startswith("conf-"), e
    assert e.message
    assert emu.dump("shop.orders") == []


# ---- C15 ----------------------------------------------------------------------------------------

def test_c15_sink_statistics(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([R1, R2, R3])
            sink.write([D1], [srs.OP_DELETE])
            sink.on_watermark(1)
            st = sink.stats()
    assert st.rows_written == 4 and st.rows_deleted == 1
    assert st.bytes_written > 0 and st.loads >= 1
    assert st.rows_loaded == 4 and st.buffered_bytes == 0


# ---- C16 ----------------------------------------------------------------------------------------

def test_c16_concurrent_sinks_on_host_threads(emu):
    errors: list[BaseException] = []
    log_count = [0]
    log_lock = threading.Lock()

    def log(level, message):
        with log_lock:
            log_count[0] += 1

    def run(table, columns, make_row):
        try:
            with c.open(table, columns) as sink:
                for b in range(4):
                    sink.write([make_row(i) for i in range(1 + 50 * b, 51 + 50 * b)])
                sink.on_watermark(1)
        except BaseException as e:  # noqa: BLE001 - reported by the main thread
            errors.append(e)

    with srs.Connector(log=log, log_level=srs.LOG_INFO) as c:
        c.add_sink("shop.*", opts(emu))
        threads = [
            threading.Thread(target=run, args=("shop.orders", ORDERS_COLUMNS,
                             lambda i: {"id": i, "name": f"a{i}", "amount": "1.00"})),
            threading.Thread(target=run, args=("shop.customers", CUSTOMERS_COLUMNS,
                             lambda i: {"region": "eu", "id": i, "name": f"b{i}", "vip": False})),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors, errors
    orders = emu.dump("shop.orders")
    customers = emu.dump("shop.customers")
    assert len(orders) == 200 and len(customers) == 200
    assert orders[0] == '{"id":1,"name":"a1","amount":1.00}'
    assert customers[-1] == '{"region":"eu","id":200,"name":"b200","vip":false}'


# ---- C17 ----------------------------------------------------------------------------------------

BAD = {"id": 9, "name": "x" * 70, "amount": "1.00"}


@pytest.mark.parametrize("mode", ["on_watermark", "on_checkpoint"])
def test_c17_rejected_rows_reach_the_callback(emu, mode):
    got: list = []
    failing = {"on": False}
    log_lines: list = []
    lock = threading.Lock()

    def rejected(row: srs.RejectedRow) -> None:
        with lock:
            got.append(row)
        if failing["on"]:
            raise RuntimeError("dead-letter queue unavailable")

    def log(level, message):
        with lock:
            log_lines.append((level, message))

    ckp = mode == "on_checkpoint"
    options = opts(emu, mode, properties={"strict_mode": "true", "max_filter_ratio": "0.5"})
    with srs.Connector(log=log, log_level=srs.LOG_INFO) as c:
        c.add_sink("shop.*", options, rejected_rows=rejected)
        with c.open("shop.orders", ORDERS_COLUMNS,
                    instance_id="conf/c17/0" if ckp else None) as sink:
            sink.write([R1, BAD, R2])
            if ckp:
                assert sink.on_checkpoint(1)
                sink.commit(1)
            else:
                sink.on_watermark(1)
            assert emu.dump("shop.orders") == lines("R1", "R2")
            assert len(got) == 1, got
            row = got[0]
            assert isinstance(row, srs.RejectedRow)
            assert row.table == "shop.orders"
            assert row.label.startswith("conf-"), row
            assert b"xxxxxxxxxx" in row.row and "xxxxxxxxxx" in row.row_text, row
            assert row.reason, row
            st = sink.stats()
            assert st.rows_rejected == 1 and st.rows_filtered == 1, st
        with lock:
            for level, message in log_lines:
                assert not (level <= srs.LOG_INFO and "xxxxxxxxxx" in message), message

        # A second sink whose callback fails for every row: the load's outcome is a data error.
        failing["on"] = True
        errors_before = c.callback_errors
        with c.open("shop.orders", ORDERS_COLUMNS,
                    instance_id="conf/c17/1" if ckp else None) as sink:
            sink.write([BAD])
            with pytest.raises(srs.SinkError) as ei:
                if ckp:
                    sink.on_checkpoint(1)
                else:
                    sink.on_watermark(2)
            assert ei.value.code_name == "SR_SINK_E_DATA", ei.value
        assert c.callback_errors > errors_before  # the exception was caught, not propagated
    assert emu.dump("shop.orders") == lines("R1", "R2")


# ---- C18 ----------------------------------------------------------------------------------------

def _run_child_until_ready(script: str, args: list, library) -> None:
    env = dict(os.environ)
    env["SR_SINK_LIBRARY"] = library.path
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    child = subprocess.Popen([sys.executable, str(HERE / script), *args],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env)
    try:
        ready = child.stdout.readline()
        assert ready == b"ready\n", (ready, child.stderr.read() if child.poll() is not None else "")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdin.close()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL


def test_c18_commit_a_stored_token_with_no_sink_open(emu, tmp_path, library):
    token_file = tmp_path / "checkpoint-1.token"
    _run_child_until_ready("c18_child.py", [emu.url, str(token_file)], library)
    token = token_file.read_bytes()
    assert token
    assert emu.dump("shop.orders") == []
    (label1,) = _txn_labels(emu, "PREPARED")

    info = srs.token_inspect(token)
    assert isinstance(info, srs.TokenInfo)
    assert info == ("on_checkpoint", 1, 1), info
    assert (info.execution_mode, info.checkpoint_id, info.n_transactions) == \
        ("on_checkpoint", 1, 1)

    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu, "on_checkpoint"))
        c.commit_token(token)  # no sink open on this connector
        assert emu.dump("shop.orders") == lines("R1", "R2")
        assert _txn_labels(emu)[label1]["state"] == "VISIBLE"
        assert _txn_labels(emu)[label1]["commits"] == 1
        c.commit_token(token)  # idempotent
        assert _txn_labels(emu)[label1]["commits"] == 1

        with c.open("shop.orders", ORDERS_COLUMNS, instance_id="conf/c18/0",
                    restore_token=token):
            assert emu.dump("shop.orders") == lines("R1", "R2")

        with pytest.raises(srs.RecoveryError) as ei:
            c.commit_token(b"not a token")
        assert ei.value.code_name == "SR_SINK_E_RECOVERY"
    with pytest.raises(srs.RecoveryError):
        srs.token_inspect(b"not a token")

    with srs.Connector() as other:
        other.add_sink("other.*", opts(emu, "on_checkpoint"))
        with pytest.raises(srs.NoRouteError) as ei:
            other.commit_token(token)
        assert ei.value.code_name == "SR_SINK_E_NO_ROUTE"
    assert _txn_labels(emu)[label1]["commits"] == 1


# ---- C19 ----------------------------------------------------------------------------------------

def test_c19_close_with_rows_not_loaded_says_so(emu):
    got: list = []
    lock = threading.Lock()

    def log(level, message):
        with lock:
            got.append((level, message))

    with srs.Connector(log=log, log_level=srs.LOG_INFO) as c:
        c.add_sink("shop.*", opts(emu))
        sink = c.open("shop.orders", ORDERS_COLUMNS)
        sink.write([R1, R2])
        sink.close()
    with lock:
        warns = [m for level, m in got if level == srs.LOG_WARN]
    assert any("2 rows" in m and "not loaded" in m.lower() for m in warns), got
    assert emu.dump("shop.orders") == []


# ---- C20 ----------------------------------------------------------------------------------------

def test_c20_key_columns_checked_at_write(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            with pytest.raises(srs.DataError) as ei:
                sink.write([R1, {"id": 4, "nmae": "x"}])
            e = ei.value
            assert e.code_name == "SR_SINK_E_DATA" and e.data, e
            assert "nmae" in e.message and re.search(r"(?i)row\D{0,3}1\b", e.message), e.message

            with pytest.raises(srs.DataError) as ei:
                sink.write([{"name": "x", "amount": "1.00"}])
            e = ei.value
            assert e.data and "id" in e.message and "missing" in e.message.lower(), e.message

            with pytest.raises(srs.DataError) as ei:
                sink.write([{"id": None, "name": "x"}])
            e = ei.value
            assert e.data and "id" in e.message and "null" in e.message.lower(), e.message

            assert sink.stats().rows_written == 0  # nothing of the failed batches was taken
            sink.write([R3])
            sink.on_watermark(1)
    assert emu.dump("shop.orders") == lines("R3")
