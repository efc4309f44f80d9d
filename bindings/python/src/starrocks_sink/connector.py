"""Connector and Sink: the idiomatic face of the C ABI.

Lifetimes: a Connector owns the library connector and every ctypes callback object it handed to
the library; they stay referenced until sr_sink_connector_free has returned (after which the
library makes no callback), so a callback can never run after its Python object was collected.
A Sink holds a strong reference to its Connector, so the connector outlives every open sink.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import logging
import threading
import weakref
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence, Tuple, Union

from . import _abi
from ._rows import EncodedBatch
from ._rwlock import RWLock
from .errors import InvalidArgumentError, SinkError, StateError, from_struct

_logger = logging.getLogger("starrocks_sink")

#: credentials(table, after_auth_failure) -> (user, password)
CredentialsCallback = Callable[[str, bool], Tuple[str, str]]
#: log(level, message); level is LOG_ERROR..LOG_DEBUG
LogCallback = Callable[[int, str], None]
Credentials = Union[CredentialsCallback, Tuple[str, str], None]


@dataclass(frozen=True)
class SinkStats:
    """sr_sink_stats: monotonic counters, except the gauges buffered_bytes and last_load_ms."""

    rows_written: int
    rows_deleted: int
    bytes_written: int
    rows_loaded: int
    rows_filtered: int
    bytes_sent: int
    loads: int
    load_failures: int
    retries: int
    txns_begun: int
    txns_prepared: int
    txns_committed: int
    txns_aborted: int
    buffered_bytes: int
    last_load_ms: int
    server_load_ms: int


def _new_error() -> _abi.SrError:
    return _abi.SrError(struct_size=ctypes.sizeof(_abi.SrError))


def _raise_if_failed(lib: _abi.Library, rc: int, err: _abi.SrError) -> None:
    if rc != _abi.OK:
        raise from_struct(rc, err, lib.status_name(rc))


def take_token(token: _abi.SrToken) -> bytes:
    """Copies a token's bytes out and releases it exactly once (Arrow-style ownership: after
    release the library has set token.release to NULL, so a second call cannot release again)."""
    release = token.release
    if not release:
        return b""
    try:
        return ctypes.string_at(token.data, token.len) if token.len else b""
    finally:
        release(ctypes.byref(token))
        token.release = _abi.TOKEN_RELEASE_FN()  # NULL, whatever the releaser did


# Connectors still open at interpreter exit are closed first, so no library thread calls into a
# finalizing interpreter.
_live_connectors: "weakref.WeakSet[Connector]" = weakref.WeakSet()


@atexit.register
def _close_live_connectors() -> None:
    for connector in list(_live_connectors):
        try:
            connector.close()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


class Connector:
    """A registry of sinks (glob → options + credentials) with a shared HTTP pool and memory budget.

    >>> with Connector(log=print_log) as c:
    ...     c.add_sink("shop.*", {"http_url": "http://fe:8030", "execution_mode": "on_watermark"},
    ...                credentials=("root", ""))
    ...     with c.open("shop.orders", ["id", "name"]) as sink:
    ...         sink.write([{"id": 1, "name": "a"}]); sink.on_watermark(1)

    `log(level, message)` and credential callbacks may be called from library threads; exceptions
    they raise are caught (logged to the "starrocks_sink" Python logger) and never reach C.
    """

    def __init__(self, log: LogCallback | None = None, log_level: int = _abi.LOG_INFO,
                 library: _abi.Library | str | None = None) -> None:
        self._handle: int | None = None
        self._keepalive: list[Any] = []
        self._sinks: "weakref.WeakSet[Sink]" = weakref.WeakSet()
        # open() is shared (opens may run in parallel); add_sink() and close() are exclusive.
        self._lock = RWLock()
        self._sinks_lock = threading.RLock()  # reentrant: a finalizer may run while held
        self.callback_errors = 0  # exceptions raised by host callbacks (caught)
        if isinstance(library, _abi.Library):
            self._lib = library
        elif isinstance(library, str):
            self._lib = _abi.load_library(library)
        else:
            self._lib = _abi.default_library()

        host = _abi.SrHost(struct_size=ctypes.sizeof(_abi.SrHost), log_level=log_level)
        if log is not None:
            host.log = self._wrap_log(log)
            self._keepalive.append(host.log)
        handle = ctypes.c_void_p()
        err = _new_error()
        rc = self._lib.vt.connector_new(ctypes.byref(host), ctypes.byref(handle), ctypes.byref(err))
        _raise_if_failed(self._lib, rc, err)
        self._handle = handle.value
        _live_connectors.add(self)

    # ---- callbacks ---------------------------------------------------------------------------

    def _callback_failed(self, what: str) -> None:
        self.callback_errors += 1
        try:
            _logger.exception("starrocks_sink: %s callback raised; ignored", what)
        except Exception:  # noqa: BLE001 - logging itself must not escape into C either
            pass

    def _wrap_log(self, log: LogCallback) -> Any:
        def on_log(_user_data, level, message):
            try:
                log(int(level), message.decode("utf-8", "replace") if message else "")
            except BaseException:  # noqa: BLE001 - nothing may propagate into C
                self._callback_failed("log")
        return _abi.LOG_FN(on_log)

    def _wrap_credentials(self, credentials: Credentials) -> Any:
        if credentials is None:
            credentials = ("root", "")
        if isinstance(credentials, tuple):
            user0, password0 = credentials
            fixed = (user0, password0)
            credentials = lambda _table, _again: fixed  # noqa: E731

        fn = credentials

        def on_credentials(_user_data, table, after_auth_failure, user_buf, password_buf):
            try:
                user, password = fn(table.decode("utf-8", "replace") if table else "",
                                    bool(after_auth_failure))
                u = user.encode("utf-8") if isinstance(user, str) else bytes(user)
                p = password.encode("utf-8") if isinstance(password, str) else bytes(password)
                if (len(u) >= _abi.CREDENTIAL_USER_MAX or len(p) >= _abi.CREDENTIAL_PASSWORD_MAX
                        or b"\0" in u or b"\0" in p):
                    _logger.error("starrocks_sink: credentials callback returned a user or "
                                  "password that is too long or contains NUL")
                    return 1
                ctypes.memmove(user_buf, u + b"\0", len(u) + 1)
                ctypes.memmove(password_buf, p + b"\0", len(p) + 1)
                return 0
            except BaseException:  # noqa: BLE001 - a failure becomes SR_SINK_E_AUTH, not a crash
                self._callback_failed("credentials")
                return 1
        return _abi.CREDENTIALS_FN(on_credentials)

    # ---- API ---------------------------------------------------------------------------------

    @property
    def library(self) -> _abi.Library:
        return self._lib

    @property
    def closed(self) -> bool:
        return self._handle is None

    def _require_open(self) -> int:
        if self._handle is None:
            raise StateError(_abi.E_STATE, "the connector is closed")
        return self._handle

    def add_sink(self, glob: str, options: Mapping[str, Any] | str,
                 credentials: Credentials = None) -> None:
        """Registers options for tables whose "db.table" matches `glob` (first match wins).

        options: a dict (encoded to JSON) or a JSON string; see abi/sr_sink.h for the keys.
        credentials: (user, password), or a callable (table, after_auth_failure) -> (user,
        password) called before every request (so secrets can rotate); default ("root", "").
        """
        doc = options if isinstance(options, str) else json.dumps(options, separators=(",", ":"))
        cb = self._wrap_credentials(credentials)
        creds = _abi.SrCredentials(struct_size=ctypes.sizeof(_abi.SrCredentials), get=cb)
        err = _new_error()
        with self._lock.exclusive():
            handle = self._require_open()
            rc = self._lib.vt.connector_add_sink(handle, glob.encode("utf-8"), doc.encode("utf-8"),
                                                 ctypes.byref(creds), ctypes.byref(err))
            if rc == _abi.OK:
                self._keepalive.append(cb)
        _raise_if_failed(self._lib, rc, err)

    def open(self, table: str, columns: Sequence[str], *, instance_id: str | None = None,
             restore_token: bytes | None = None) -> "Sink":
        """Opens a sink for "db.table" writing `columns`. In on_checkpoint mode, `instance_id` is
        required and `restore_token` (from Sink.on_checkpoint of the last durable checkpoint)
        recovers after a restart."""
        cols = [c.encode("utf-8") for c in columns]
        col_array = (ctypes.c_char_p * max(len(cols), 1))(*cols)
        token = bytes(restore_token) if restore_token else b""
        token_buf = ctypes.create_string_buffer(token, len(token)) if token else None
        params = _abi.SrOpenParams(
            struct_size=ctypes.sizeof(_abi.SrOpenParams),
            n_columns=len(cols),
            table=table.encode("utf-8"),
            columns=ctypes.cast(col_array, ctypes.POINTER(ctypes.c_char_p)),
            instance_id=instance_id.encode("utf-8") if instance_id is not None else None,
            restore_token=ctypes.cast(token_buf, ctypes.c_void_p).value if token_buf else None,
            restore_token_len=len(token),
        )
        out = ctypes.c_void_p()
        err = _new_error()
        with self._lock.shared():
            handle = self._require_open()
            rc = self._lib.vt.open(handle, ctypes.byref(params), ctypes.byref(out),
                                   ctypes.byref(err))
            _raise_if_failed(self._lib, rc, err)
            sink = Sink(self, out.value, table)
            with self._sinks_lock:
                self._sinks.add(sink)
        return sink

    def close(self) -> None:
        """Closes every sink still open, then frees the connector. Idempotent."""
        with self._lock.exclusive():
            if self._handle is None:
                return
            with self._sinks_lock:
                sinks = list(self._sinks)
            for sink in sinks:
                try:
                    sink.close()
                except SinkError as e:
                    _logger.warning("starrocks_sink: closing %s: %s", sink.table, e)
            handle, self._handle = self._handle, None
            self._lib.vt.connector_free(handle)
            # No callback can arrive any more: the callback objects may go.
            self._keepalive.clear()
            _live_connectors.discard(self)

    def __repr__(self) -> str:
        state = "closed" if self._handle is None else f"{len(self._sinks)} open sinks"
        return f"<starrocks_sink.Connector {state}, library {self._lib.path}>"

    def __enter__(self) -> "Connector":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_handle", None) is not None:
            _finalize(self.close)


def _finalize(close: Callable[[], None]) -> None:
    """Runs a forgotten close() from a finalizer. The cyclic GC may run a finalizer on a library
    thread (inside a callback); closing there would make the library join the thread it runs on,
    so on such a thread the close is handed to a new Python thread."""
    def run() -> None:
        try:
            close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer
            pass
    if isinstance(threading.current_thread(), threading._DummyThread):  # a foreign (library) thread
        threading.Thread(target=run, name="starrocks_sink-finalizer", daemon=False).start()
    else:
        run()


class Sink:
    """One write relation (INSERT INTO db.table). Calls are serialized by an internal lock;
    cancel() may be called from another thread at any time."""

    def __init__(self, connector: Connector, handle: int, table: str) -> None:
        self._connector = connector  # strong: the connector (and its callbacks) outlive the sink
        self._lib = connector._lib
        self._handle: int | None = handle
        self.table = table
        self._lock = threading.RLock()        # serializes calls on this sink (ABI rule)
        self._handle_lock = threading.Lock()  # guards the handle between cancel() and close()
        self._err = _new_error()              # reused: calls are serialized

    @property
    def closed(self) -> bool:
        return self._handle is None

    def _require_open(self) -> int:
        h = self._handle
        if h is None:
            raise StateError(_abi.E_STATE, f"the sink for {self.table} is closed")
        return h

    def _call(self, fn: Callable[..., int], *args: Any) -> None:
        # Caller holds self._lock.
        handle = self._require_open()
        rc = fn(handle, *args, ctypes.byref(self._err))
        _raise_if_failed(self._lib, rc, self._err)

    def write(self, rows: Sequence[Any], ops: Iterable[int] | bytes | None = None) -> None:
        """Writes rows: dicts (encoded to JSON here) or already-encoded JSON objects (bytes or
        str), one per row. `ops[i]` is OP_UPSERT or OP_DELETE; None = all upserts. A delete needs
        only the key columns. Blocks while the memory budget is full (write_timeout_ms)."""
        if isinstance(rows, (bytes, str, Mapping)):
            raise InvalidArgumentError(_abi.E_INVALID_ARGUMENT,
                                       "rows must be a sequence of rows, not a single row")
        batch = EncodedBatch(rows if isinstance(rows, Sequence) else list(rows), ops)
        if len(batch) == 0:
            with self._lock:
                self._require_open()
            return
        with self._lock:
            self._call(self._lib.vt.write, ctypes.byref(batch.batch))

    def upsert(self, rows: Sequence[Any]) -> None:
        self.write(rows)

    def delete(self, keys: Sequence[Any]) -> None:
        self.write(keys, bytes([_abi.OP_DELETE]) * len(keys))

    def on_watermark(self, watermark: int) -> None:
        """on_watermark mode: returns once the data written so far is visible in StarRocks."""
        with self._lock:
            self._call(self._lib.vt.on_watermark, int(watermark))

    def on_checkpoint(self, checkpoint_id: int) -> bytes:
        """Prepares the checkpoint's data; returns the commit token to store with the checkpoint
        (then call commit(checkpoint_id) once the checkpoint is durable)."""
        token = _abi.SrToken(struct_size=ctypes.sizeof(_abi.SrToken))
        with self._lock:
            handle = self._require_open()
            rc = self._lib.vt.on_checkpoint(handle, int(checkpoint_id), ctypes.byref(token),
                                            ctypes.byref(self._err))
            data = take_token(token)  # also on error, should a library ever hand one out
            _raise_if_failed(self._lib, rc, self._err)
        return data

    def commit(self, checkpoint_id: int) -> None:
        """Commits everything prepared for checkpoints <= checkpoint_id. Idempotent."""
        with self._lock:
            self._call(self._lib.vt.commit, int(checkpoint_id))

    def abort(self, checkpoint_id: int) -> None:
        """The checkpoint failed: roll back what was prepared for it."""
        with self._lock:
            self._call(self._lib.vt.abort, int(checkpoint_id))

    def cancel(self) -> None:
        """Interrupts a blocked call (it raises CancelledError); the sink is then failed.
        Safe from any thread; a no-op on a closed sink."""
        with self._handle_lock:
            if self._handle is not None:
                self._lib.vt.cancel(self._handle)

    def stats(self) -> SinkStats:
        out = _abi.SrStats(struct_size=ctypes.sizeof(_abi.SrStats))
        err = _new_error()
        with self._handle_lock:  # get_stats may run concurrently with other calls
            handle = self._require_open()
            rc = self._lib.vt.get_stats(handle, ctypes.byref(out), ctypes.byref(err))
        _raise_if_failed(self._lib, rc, err)
        return SinkStats(**{name: getattr(out, name) for name in _abi.STATS_FIELDS})

    def close(self) -> None:
        """Closes the sink. Data not yet made visible (on_watermark) or prepared (on_checkpoint) is
        dropped; prepared transactions are left for recovery. Idempotent; raises the rollback's
        error, if any (the sink is closed either way)."""
        with self._lock:
            with self._handle_lock:
                handle, self._handle = self._handle, None
            if handle is None:
                return
            err = _new_error()
            rc = self._lib.vt.close(handle, ctypes.byref(err))
            with self._connector._sinks_lock:
                self._connector._sinks.discard(self)
        _raise_if_failed(self._lib, rc, err)

    def __repr__(self) -> str:
        return f"<starrocks_sink.Sink {self.table} {'closed' if self._handle is None else 'open'}>"

    def __enter__(self) -> "Sink":
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        try:
            self.close()
        except SinkError:
            if exc_type is None:
                raise
            _logger.warning("starrocks_sink: closing %s after an error", self.table, exc_info=True)

    def __del__(self) -> None:
        if getattr(self, "_handle", None) is not None:
            _finalize(self.close)

