"""Python-binding checks (SCENARIOS.md B1–B5 and the ctypes mirror itself)."""

from __future__ import annotations

import ctypes
import gc
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import starrocks_sink as srs
from starrocks_sink import _abi, _rows
from starrocks_sink.connector import take_token
from emulator import REPO
from scenario import DUMP, ORDERS_COLUMNS, R1, R2, R3, encoded, opts

BAD = {"id": 9, "name": "x" * 70, "amount": "1.00"}

HERE = Path(__file__).resolve().parent

_STRUCTS = {
    "sr_sink_error": _abi.SrError,
    "sr_sink_host": _abi.SrHost,
    "sr_sink_credentials": _abi.SrCredentials,
    "sr_sink_slice": _abi.SrSlice,
    "sr_sink_batch": _abi.SrBatch,
    "sr_sink_open_params": _abi.SrOpenParams,
    "sr_sink_token": _abi.SrToken,
    "sr_sink_stats": _abi.SrStats,
    "sr_sink_vtable": _abi.SrVtable,
    "sr_sink_rejected_row": _abi.SrRejectedRow,
    "sr_sink_rejected_rows": _abi.SrRejectedRows,
    "sr_sink_registration": _abi.SrRegistration,
    "sr_sink_token_info": _abi.SrTokenInfo,
    "struct ArrowSchema": _abi.ArrowSchema,
    "struct ArrowArray": _abi.ArrowArray,
}


# ---- the ctypes mirror matches the header, field by field ---------------------------------------

def test_every_struct_matches_the_c_compiler(tmp_path):
    cc = shutil.which("cc") or shutil.which("gcc")
    assert cc, "a C compiler is needed to check the ctypes mirror against abi/sr_sink.h"
    include = os.environ.get("SR_SINK_INCLUDE_DIR", str(REPO / "abi"))
    prog = ['#include <stdio.h>', '#include <stddef.h>', '#include "sr_sink.h"', "int main(void){"]
    for cname, py in _STRUCTS.items():
        label = cname.replace(" ", "_")
        prog.append(f'printf("{label} size %zu\\n", sizeof({cname}));')
        for fname, _ in py._fields_:
            prog.append(f'printf("{label} {fname} %zu\\n", offsetof({cname}, {fname}));')
    prog.append('printf("ABI %u\\n", (unsigned)SR_SINK_ABI_VERSION); return 0;}')
    src = tmp_path / "layout.c"
    src.write_text("\n".join(prog))
    exe = tmp_path / "layout"
    subprocess.run([cc, "-std=c99", "-I", include, str(src), "-o", str(exe)], check=True)
    out = subprocess.run([str(exe)], check=True, capture_output=True, text=True).stdout
    expected = {}
    for line in out.splitlines():
        parts = line.split()
        if parts[0] == "ABI":
            assert int(parts[1]) == _abi.HOST_ABI_VERSION
            continue
        expected[(parts[0], parts[1])] = int(parts[2])
    for cname, py in _STRUCTS.items():
        label = cname.replace(" ", "_")
        assert ctypes.sizeof(py) == expected[(label, "size")], cname
        for fname, _ in py._fields_:
            assert getattr(py, fname).offset == expected[(label, fname)], (cname, fname)


def test_status_codes_and_constants_match_the_header():
    header = (REPO / "abi/sr_sink.h").read_text()
    for code, name in _abi.STATUS_NAMES.items():
        macro = name if name == "SR_SINK_OK" else name
        assert f"#define {macro} " in header
        value = header.split(f"#define {macro} ", 1)[1].split()[0]
        assert int(value) == code, name
    for name in ("ERROR_MESSAGE_MAX", "ERROR_LABEL_MAX", "CREDENTIAL_USER_MAX",
                 "CREDENTIAL_PASSWORD_MAX", "LOG_DEBUG", "OP_DELETE", "MODE_ON_CHECKPOINT",
                 "MODE_ON_WATERMARK", "ABI_VERSION_MINOR"):
        value = header.split(f"#define SR_SINK_{name} ", 1)[1].split()[0]
        assert int(value) == getattr(_abi, name), name


# ---- B1: token copied out and released exactly once ---------------------------------------------

def test_b1_token_bytes_copied_and_released_exactly_once():
    payload = ctypes.create_string_buffer(b'{"v":1,"txns":[]}', 17)
    released = []

    @_abi.TOKEN_RELEASE_FN
    def release(tok):
        released.append(tok.contents.len)
        tok.contents.release = _abi.TOKEN_RELEASE_FN()

    token = _abi.SrToken(struct_size=ctypes.sizeof(_abi.SrToken),
                         data=ctypes.cast(payload, ctypes.c_void_p), len=17, release=release)
    data = take_token(token)
    assert data == b'{"v":1,"txns":[]}'
    ctypes.memset(payload, 0, 17)  # the copy does not alias the library's bytes
    assert data == b'{"v":1,"txns":[]}'
    assert released == [17]
    assert not token.release
    assert take_token(token) == b""  # a second take cannot release again
    assert released == [17]


def test_b1_library_token_release_is_called_once(emu, library):
    # on_watermark mode hands out a token naming no transaction: the real release path.
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([R1])
            token = _abi.SrToken(struct_size=ctypes.sizeof(_abi.SrToken))
            err = _abi.SrError(struct_size=ctypes.sizeof(_abi.SrError))
            rc = library.vt.on_checkpoint(sink._handle, 1, ctypes.byref(token), ctypes.byref(err))
            assert rc == 0, err.message
            assert token.release, "the library handed out a token without release"
            # A copy of the pointer: a ctypes field object aliases the struct's memory.
            library_release = _abi.TOKEN_RELEASE_FN(
                ctypes.cast(token.release, ctypes.c_void_p).value)
            calls = []

            @_abi.TOKEN_RELEASE_FN
            def counting(tok):  # observes the library's release being called through take_token
                library_release(tok)
                calls.append(bool(tok.contents.release))

            token.release = counting
            data = take_token(token)
            assert data
            assert calls == [False]  # called once, and the library's release nulled `release`
            assert take_token(token) == b"" and calls == [False]
            assert sink.on_checkpoint(2)  # and through the API
    assert emu.dump("shop.orders") == [DUMP["R1"]]


# ---- B2: callbacks outlive the host's references ------------------------------------------------

def _connector_with_closures(emu, sink_out: list, log_lines: list) -> None:
    state = {"user": "root"}
    c = srs.Connector(log=lambda level, msg: log_lines.append(msg), log_level=srs.LOG_DEBUG)
    c.add_sink("shop.*", opts(emu), lambda table, again: (state["user"], ""))
    sink_out.append(c.open("shop.orders", ORDERS_COLUMNS))
    # Every reference to the connector and the closures goes out of scope here.


def test_b2_callbacks_survive_garbage_collection(emu):
    sinks: list = []
    log_lines: list = []
    _connector_with_closures(emu, sinks, log_lines)
    gc.collect()
    sink = sinks.pop()
    sink.write([R1, R2])
    sink.on_watermark(1)  # credentials and log callbacks run after the GC
    connector = sink._connector
    del sink
    gc.collect()  # the sink's finalizer closes it
    assert connector._sinks.__len__() == 0
    connector.close()
    assert log_lines
    assert emu.dump("shop.orders") == [DUMP["R1"], DUMP["R2"]]


def test_b2_open_connector_at_interpreter_exit_is_closed_cleanly(emu, library):
    code = (
        "import starrocks_sink as srs\n"
        f"srs.set_default_library(srs.load_library({library.path!r}))\n"
        "c = srs.Connector(log=lambda l, m: None, log_level=srs.LOG_DEBUG)\n"
        f"c.add_sink('shop.*', {{'http_url': {emu.url!r}, 'execution_mode': 'on_watermark'}})\n"
        "s = c.open('shop.orders', ['id', 'name', 'amount'])\n"
        "s.write([{'id': 7, 'name': 'x', 'amount': '1.00'}])\n"
        "s.on_watermark(1)\n"
        "s.write([{'id': 8}])\n"  # left open: interpreter exit must close it
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert emu.dump("shop.orders") == ['{"id":7,"name":"x","amount":1.00}']


def test_b2_a_connector_and_sink_collected_together_do_not_crash(emu, library):
    # A cycle (here through a holder) makes them garbage together; the GC clears the connector's
    # weak set of sinks before either finalizer runs, and the connector's may free the library
    # connector (closing the sink) before the sink's runs: the sink must not close it again.
    code = f"""
import gc, starrocks_sink as srs
gc.disable()
for i in range(20):
    holder = {{}}
    holder["c"] = c = srs.Connector()
    c.add_sink("shop.*", {{"http_url": "{emu.url}", "execution_mode": "on_watermark"}})
    holder["s"] = c.open("shop.orders", ["id", "name", "amount"])
    holder["self"] = holder
    del holder, c
    gc.collect()
print("ok")
"""
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]


def test_b2_a_finalizer_on_a_library_thread_closes_on_a_python_thread(emu):
    # The cyclic GC can run Sink/Connector finalizers inside a callback on a library thread; the
    # close they do must not run there (the library would join the thread it runs on).
    from starrocks_sink.connector import _finalize
    ran = threading.Event()
    where: list = []

    def close_stand_in():
        where.append(threading.current_thread())
        ran.set()

    def log(level, message):
        if isinstance(threading.current_thread(), threading._DummyThread) and not where:
            _finalize(close_stand_in)

    with srs.Connector(log=log, log_level=srs.LOG_DEBUG) as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([R1])
            sink.on_watermark(1)
    assert ran.wait(60), "no log line arrived on a library thread"
    assert where[0].name == "starrocks_sink-finalizer"
    assert not isinstance(where[0], threading._DummyThread)


# ---- B3: callback failures are contained --------------------------------------------------------

def test_b3_log_callback_that_raises_does_not_break_the_load(emu, caplog):
    def log(level, message):
        raise ValueError("host bug in the log callback")

    with srs.Connector(log=log, log_level=srs.LOG_DEBUG) as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([R1])
            sink.on_watermark(1)
        assert c.callback_errors >= 1
    assert emu.dump("shop.orders") == [DUMP["R1"]]


def test_b3_credentials_callback_that_raises_is_an_auth_error(emu):
    def creds(table, again):
        raise KeyError("vault down")

    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu), creds)
        with pytest.raises(srs.AuthError) as ei:
            c.open("shop.orders", ORDERS_COLUMNS)
        assert ei.value.code == 6
        assert c.callback_errors >= 1


def test_b3_credentials_that_do_not_fit_are_refused(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu), ("root", "p" * _abi.CREDENTIAL_PASSWORD_MAX))
        with pytest.raises(srs.AuthError):
            c.open("shop.orders", ORDERS_COLUMNS)


# ---- B4: the error value ------------------------------------------------------------------------

def test_b4_error_carries_everything(emu):
    with srs.Connector() as c:
        with pytest.raises(srs.SinkError) as ei:
            c.add_sink("shop.*", opts(emu, batch_max_rows="many"))
    e = ei.value
    assert type(e) is srs.ConfigError and isinstance(e, srs.SinkError)
    assert (e.code, e.code_name) == (2, "SR_SINK_E_CONFIG")
    assert isinstance(e.retryable, bool) and isinstance(e.fatal, bool) and isinstance(e.data, bool)
    assert e.label is None and e.http_status is None
    assert "batch_max_rows" in str(e) and str(e).startswith("SR_SINK_E_CONFIG: ")


def test_b4_error_classes_per_code():
    from starrocks_sink.errors import error_for
    e = error_for(9, "too many filtered rows", flags=_abi.ERROR_F_DATA | _abi.ERROR_F_FATAL,
                  label="conf-x-1", http_status=200)
    assert isinstance(e, srs.LoadError) and e.data and e.fatal and not e.retryable
    assert e.label == "conf-x-1" and e.http_status == 200
    assert isinstance(error_for(8, "t"), TimeoutError)
    assert isinstance(error_for(1, "v"), ValueError)
    assert type(error_for(77, "?")) is srs.SinkError and error_for(77, "?").code_name == \
        "SR_SINK_E_UNKNOWN"
    import pickle
    again = pickle.loads(pickle.dumps(e))
    assert type(again) is srs.LoadError and again.label == "conf-x-1" and again.fatal


# ---- B5: rows ------------------------------------------------------------------------------------

def test_b5_native_and_encoded_rows_give_the_same_dump(emulator_factory):
    dumps = []
    for form in ("native", "bytes", "str"):
        emu = emulator_factory()
        rows = {"native": [R1, R2, R3], "bytes": [encoded(r) for r in (R1, R2, R3)],
                "str": [encoded(r).decode() for r in (R1, R2, R3)]}[form]
        with srs.Connector() as c:
            c.add_sink("shop.*", opts(emu))
            with c.open("shop.orders", ORDERS_COLUMNS) as sink:
                sink.write(rows)
                sink.write(iter([{"id": 3, "name": "carol", "amount": "30.25"}]))  # any iterable
                sink.on_watermark(1)
        dumps.append(emu.dump("shop.orders"))
    assert dumps[0] == dumps[1] == dumps[2] == [DUMP["R1"], DUMP["R2"], DUMP["R3"]]


def test_b5_unicode_survives(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([{"id": 1, "name": "Zoë ☃ \"q\"", "amount": "1.00"}])
            sink.on_watermark(1)
    assert emu.dump("shop.orders") == ['{"id":1,"name":"Zoë ☃ \\"q\\"","amount":1.00}']


def test_b5_argument_errors_are_raised_before_the_library_is_called(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            with pytest.raises(srs.InvalidArgumentError, match="2 entries for 1 rows"):
                sink.write([R1], [0, 1])
            with pytest.raises(srs.InvalidArgumentError):
                sink.write(R1)  # a single row, not a sequence of rows
            with pytest.raises(srs.InvalidArgumentError):
                sink.write([R1], ["delete"])
            with pytest.raises(srs.DataError):
                sink.write([R1], [7])  # the library checks op values
            sink.write([])  # nothing to do
            assert sink.stats().rows_written == 0


def test_b5_decimal_and_datetime_values_are_encoded_exactly(emu):
    import datetime
    from decimal import Decimal
    assert _rows.encode_row({"t": datetime.datetime(2024, 1, 31, 12, 0, 5), "d": datetime.date(2024, 1, 31)}) \
        == b'{"t":"2024-01-31 12:00:05","d":"2024-01-31"}'
    with pytest.raises(TypeError, match="object"):
        _rows.encode_row({"x": object()})
    with pytest.raises(srs.DataError, match=r"row 1: cannot be encoded.*object") as ei:
        _rows.EncodedBatch([{"a": 1}, {"x": object()}])
    assert ei.value.data and ei.value.code == 5
    with pytest.raises(srs.DataError, match="row 0"):
        _rows.EncodedBatch([{"a": float("nan")}])
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([{"id": 1, "name": "d", "amount": Decimal("1234567890.12")}])
            sink.on_watermark(1)
    assert emu.dump("shop.orders") == ['{"id":1,"name":"d","amount":1234567890.12}']


def test_b5_slices_point_into_one_buffer():
    batch = _rows.EncodedBatch([{"a": 1}, b'{"b":2}', '{"c":"é"}'], [0, 1, 0])
    got = [ctypes.string_at(batch.batch.rows[i].data, batch.batch.rows[i].len)
           for i in range(len(batch))]
    assert got == [b'{"a":1}', b'{"b":2}', '{"c":"é"}'.encode()]
    assert batch.batch.rows[1].data == batch.batch.rows[0].data + 7
    assert ctypes.string_at(batch.batch.ops, 3) == b"\x00\x01\x00"
    assert batch.batch.struct_size == ctypes.sizeof(_abi.SrBatch)


def test_opens_run_in_parallel_but_not_with_add_sink():
    from starrocks_sink._rwlock import RWLock
    lock = RWLock()
    both_inside = threading.Barrier(2, timeout=30)

    def reader():
        with lock.shared():
            both_inside.wait()  # only passes if two readers hold the lock at once

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not both_inside.broken

    entered = threading.Event()
    with lock.shared():
        writer = threading.Thread(target=lambda: (lock.exclusive().__enter__(), entered.set()))
        writer.start()
        assert not entered.wait(0.2)  # the writer waits for the reader
    assert entered.wait(30)
    writer.join()


# ---- cancel from another thread -----------------------------------------------------------------

def test_cancel_interrupts_a_blocked_watermark(emu):
    emu.fault(point="be_stream_load", action="hang", times=-1)
    outcome: list = []
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu, request_timeout_ms=600000, load_timeout_s=600))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([R1])

            def watermark():
                try:
                    sink.on_watermark(1)
                    outcome.append(None)
                except srs.SinkError as e:
                    outcome.append(e)

            t = threading.Thread(target=watermark)
            t.start()
            # The event to wait for: the emulator has the load request in its hang.
            deadline = time.monotonic() + 60
            while not any(f.get("hits", 0) for f in emu.admin("GET", "/_emulator/faults")):
                assert time.monotonic() < deadline, "the load never reached the emulator"
                time.sleep(0.02)
            sink.cancel()
            t.join(timeout=60)
            assert not t.is_alive(), "cancel did not interrupt on_watermark"
    assert isinstance(outcome[0], srs.CancelledError), outcome


# ---- packaging -----------------------------------------------------------------------------------

def test_pip_installs_the_package_offline(tmp_path, library):
    # The pure-Python install (wheel.cmake=false: no library inside, it uses SR_SINK_LIBRARY or
    # the system's), from a copy so that nothing is written next to the sources. The wheel that
    # carries the library is tested by scripts/packages.sh.
    project = tmp_path / "project"
    shutil.copytree(HERE.parent, project, ignore=shutil.ignore_patterns(
        "tests", "build", "*.egg-info", "__pycache__"))
    target = tmp_path / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-index",
         "--no-deps", "--disable-pip-version-check", "--config-settings=wheel.cmake=false",
         "--target", str(target), str(project)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path)
    hint = ("\n(offline builds need scikit-build-core for this interpreter: "
            "`pip install scikit-build-core`, as scripts/setup.sh does)"
            if "scikit_build_core" in proc.stderr + proc.stdout else "")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:] + hint
    code = ("import starrocks_sink, sys; print(starrocks_sink.__file__); "
            "print(starrocks_sink.library_version())")
    env = dict(os.environ, PYTHONPATH=str(target), SR_SINK_LIBRARY=library.path)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(str(target)), out.stdout


# The README quick start is examples/python/quickstart.py, run by ctest (example_python_quickstart).


# ---- ABI 1.1 functions with a 1.0 library ---------------------------------------------------------

def _as_1_0_library(library: _abi.Library, how: str) -> _abi.Library:
    """The loaded library as a 1.0 library would present itself: a table that ends before the
    1.1 slots ("short"), or one whose 1.1 slots are NULL ("null")."""
    vt = _abi.SrVtable.from_buffer_copy(library.vt)
    if how == "short":
        vt.struct_size = _abi.VTABLE_1_0_SIZE
    else:
        for slot in _abi.VTABLE_SINCE:
            setattr(vt, slot, type(getattr(vt, slot))())  # a NULL function pointer
    return _abi.Library(library.path, library.cdll, vt)


@pytest.mark.parametrize("how", ["short", "null"])
def test_a_1_0_library_fails_only_the_1_1_calls_with_not_supported(emu, library, how):
    lib10 = _as_1_0_library(library, how)
    for slot in _abi.VTABLE_SINCE:
        assert lib10.function(slot) is None
    assert lib10.function("get_stats") is not None
    with pytest.raises(srs.NotSupportedError, match=r"token_inspect.*1\.1") as ei:
        srs.token_inspect(b'{"v":1}', library=lib10)
    assert ei.value.code_name == "SR_SINK_E_NOT_SUPPORTED"
    with srs.Connector(library=lib10) as c:
        with pytest.raises(srs.NotSupportedError, match="connector_register"):
            c.add_sink("shop.*", opts(emu), rejected_rows=lambda row: None)
        assert c._registered == {}  # nothing left behind by the refused registration
        with pytest.raises(srs.NotSupportedError, match="commit_token"):
            c.commit_token(b'{"v":1}')
        # Everything of ABI 1.0 still works.
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([R1])
            sink.on_watermark(1)
            assert sink.stats().rows_loaded == 1
    assert emu.dump("shop.orders") == [DUMP["R1"]]


def test_stats_of_a_1_0_library_leave_rows_rejected_zero():
    # A 1.0 library writes only the fields it has: the binding's zero-initialised rest stays 0.
    st = _abi.SrStats(struct_size=ctypes.sizeof(_abi.SrStats))
    assert st.rows_rejected == 0
    assert _abi.SrStats.rows_rejected.offset == 8 + 16 * 8


# ---- rejected rows: lifetime and containment ----------------------------------------------------

def test_rejected_rows_callback_released_by_the_library_when_registration_fails(emu):
    with srs.Connector() as c:
        with pytest.raises(srs.ConfigError):
            c.add_sink("shop.*", opts(emu, batch_max_rows=-1), rejected_rows=lambda row: None)
        # The library called release at once: the binding dropped its reference.
        assert c._registered == {}
        c.add_sink("shop.*", opts(emu), rejected_rows=lambda row: None)
        assert len(c._registered) == 1
    assert c._registered == {}


def test_b2_rejected_rows_callback_survives_garbage_collection(emu):
    got: list = []

    def register(c: srs.Connector) -> None:
        sink_state = {"rows": got}  # reachable only through the closure once this returns
        c.add_sink("shop.*", opts(emu, properties={"strict_mode": "true",
                                                   "max_filter_ratio": "0.5"}),
                   rejected_rows=lambda row: sink_state["rows"].append(row.row_text))

    with srs.Connector() as c:
        register(c)
        gc.collect()
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([R1, BAD, R2])
            gc.collect()
            sink.on_watermark(1)
    assert len(got) == 1 and "xxxxxxxxxx" in got[0]
    assert emu.dump("shop.orders") == [DUMP["R1"], DUMP["R2"]]


def test_b3_rejected_rows_callback_that_raises_fails_the_load_outcome(emu):
    # The load itself passes max_filter_ratio: only the callback's failure makes it a DataError.
    calls = []

    def rejected(row):
        calls.append(row)
        raise ValueError("dead-letter queue down")

    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu, properties={"strict_mode": "true",
                                                   "max_filter_ratio": "0.5"}),
                   rejected_rows=rejected)
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            sink.write([R1, BAD, R2])
            with pytest.raises(srs.DataError) as ei:
                sink.on_watermark(1)
            assert ei.value.code_name == "SR_SINK_E_DATA"
        assert len(calls) == 1 and c.callback_errors >= 1
