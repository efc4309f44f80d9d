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
from typing import Any, Callable, Dict, Iterable, Mapping, NamedTuple, Sequence, Tuple, Union

from . import _abi, _arrow
from ._rows import EncodedBatch
from ._rwlock import RWLock
from .errors import (DataError, InvalidArgumentError, NotSupportedError, SinkError, StateError,
                     error_for, from_struct)

_logger = logging.getLogger("starrocks_sink")

#: credentials(table, after_auth_failure) -> (user, password)
CredentialsCallback = Callable[[str, bool], Tuple[str, str]]
#: log(level, message); level is LOG_ERROR..LOG_DEBUG
LogCallback = Callable[[int, str], None]
Credentials = Union[CredentialsCallback, Tuple[str, str], None]


class RejectedRow(NamedTuple):
    """One row StarRocks rejected (filtered), as its error log reports it (sr_sink_rejected_row).

    table   "db.table"
    label   the label of the load or transaction that reported it
    row     the row as StarRocks reports it (bytes; may be cut by StarRocks; b"" if none)
    reason  StarRocks' reason for this row ("" if none)
    """

    table: str
    label: str
    row: bytes
    reason: str

    @property
    def row_text(self) -> str:
        return self.row.decode("utf-8", "replace")


#: rejected_rows(row) -> None; raising fails the load's outcome with DataError (the row is not lost:
#: the host replays from its last checkpoint and the row is reported again).
RejectedRowsCallback = Callable[[RejectedRow], Any]


class TokenInfo(NamedTuple):
    """What token_inspect() reports about a commit token."""

    execution_mode: str   # "on_checkpoint" or "on_watermark"
    checkpoint_id: int    # the checkpoint the token was made for
    n_transactions: int   # prepared transactions it names; 0: committing it does nothing


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
    rows_rejected: int  # since ABI 1.1: rows StarRocks rejected, reported to rejected_rows
    throttle_episodes: int  # since ABI 1.2: StarRocks push-back episodes waited out
    throttle_wait_ms: int  # since ABI 1.2: time spent backing off in them
    fe_failovers: int  # since ABI 1.2: requests moved to another FE of http_url


def _new_error() -> _abi.SrError:
    return _abi.SrError(struct_size=ctypes.sizeof(_abi.SrError))


def _raise_if_failed(lib: _abi.Library, rc: int, err: _abi.SrError) -> None:
    if rc != _abi.OK:
        raise from_struct(rc, err, lib.status_name(rc))


def _function(lib: _abi.Library, slot: str) -> Any:
    """The library's function in vtable `slot`; NotSupportedError (for this call only) when the
    loaded library is of an older minor version that does not have it."""
    fn = lib.function(slot)
    if fn is None:
        raise NotSupportedError(
            _abi.E_NOT_SUPPORTED,
            f"the libsr_sink at {lib.path} (ABI {lib.abi_major}.{lib.abi_minor}) does not provide "
            f"sr_sink_{slot}, which needs ABI {_abi.VTABLE_SINCE.get(slot, '1.1')} or newer")
    return fn


def _field_fits(struct_size: int, struct: Any, name: str) -> bool:
    field = getattr(struct, name)
    return struct_size >= field.offset + field.size


def token_inspect(token: bytes, library: _abi.Library | None = None) -> TokenInfo:
    """Decodes a commit token without acting on it (sr_sink_token_inspect): its execution mode,
    checkpoint id and number of transactions, so a host can order or skip tokens without
    parsing them. Needs no connector. Raises RecoveryError for bytes that are not a token this
    library can read, NotSupportedError with a library older than ABI 1.1."""
    lib = library or _abi.default_library()
    fn = _function(lib, "token_inspect")
    data = bytes(token)
    out = _abi.SrTokenInfo(struct_size=ctypes.sizeof(_abi.SrTokenInfo))
    err = _new_error()
    rc = fn(data, len(data), ctypes.byref(out), ctypes.byref(err))
    _raise_if_failed(lib, rc, err)
    mode = {_abi.MODE_ON_CHECKPOINT: "on_checkpoint",
            _abi.MODE_ON_WATERMARK: "on_watermark"}.get(out.execution_mode,
                                                         f"unknown({out.execution_mode})")
    return TokenInfo(mode, int(out.checkpoint_id), int(out.n_transactions))


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
        # Rejected-rows callbacks by the user_data key the library holds, until it calls
        # release (connector freed, or the registration failed).
        self._registered: Dict[int, Any] = {}
        self._registered_lock = threading.Lock()
        self._next_key = 1
        self._release = _abi.USER_DATA_RELEASE_FN(self._on_release)
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

    def _on_release(self, user_data: Any) -> None:
        try:
            with self._registered_lock:
                self._registered.pop(int(user_data or 0), None)
        except BaseException:  # noqa: BLE001 - nothing may propagate into C
            pass

    def _wrap_rejected_rows(self, fn: RejectedRowsCallback) -> Any:
        def text(value: bytes | None) -> str:
            return value.decode("utf-8", "replace") if value else ""

        def on_row(_user_data, row_ptr):
            try:
                r = row_ptr.contents
                size = r.struct_size  # the library's: read only the fields it has
                fits = lambda name: _field_fits(size, _abi.SrRejectedRow, name)  # noqa: E731
                row = b""
                if fits("row_len") and r.row and r.row_len:
                    row = ctypes.string_at(r.row, r.row_len)
                fn(RejectedRow(text(r.table) if fits("table") else "",
                               text(r.label) if fits("label") else "",
                               row,
                               text(r.reason) if fits("reason") else ""))
                return 0
            except BaseException:  # noqa: BLE001 - a failure fails the load's outcome, not C
                self._callback_failed("rejected rows")
                return 1
        return _abi.REJECTED_ROW_FN(on_row)

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
                 credentials: Credentials = None, *,
                 rejected_rows: RejectedRowsCallback | None = None) -> None:
        """Registers options for tables whose "db.table" matches `glob` (first match wins).

        options: a dict (encoded to JSON) or a JSON string; see abi/sr_sink.h for the keys.
        credentials: (user, password), or a callable (table, after_auth_failure) -> (user,
        password) called before every request (so secrets can rotate); default ("root", "").
        rejected_rows: a callable receiving a RejectedRow for every row StarRocks rejected
        (filtered under max_filter_ratio, or of a load that failed with too many filtered rows),
        before the call that completes the load returns — e.g. to send it to a dead-letter
        queue. It may run on library threads, concurrently for different sinks. If it raises, the
        load's outcome fails with DataError and the host replays from its last checkpoint (the
        row is reported again), so no rejected row is lost. Needs libsr_sink ABI 1.1
        (sr_sink_connector_register; NotSupportedError with a 1.0 library).
        """
        doc = options if isinstance(options, str) else json.dumps(options, separators=(",", ":"))
        cb = self._wrap_credentials(credentials)
        creds = _abi.SrCredentials(struct_size=ctypes.sizeof(_abi.SrCredentials), get=cb)
        err = _new_error()
        if rejected_rows is None:
            with self._lock.exclusive():
                handle = self._require_open()
                rc = self._lib.vt.connector_add_sink(handle, glob.encode("utf-8"),
                                                     doc.encode("utf-8"), ctypes.byref(creds),
                                                     ctypes.byref(err))
                if rc == _abi.OK:
                    self._keepalive.append(cb)
            _raise_if_failed(self._lib, rc, err)
            return
        if not callable(rejected_rows):
            raise InvalidArgumentError(_abi.E_INVALID_ARGUMENT, "rejected_rows must be callable")
        register = _function(self._lib, "connector_register")
        on_row = self._wrap_rejected_rows(rejected_rows)
        with self._registered_lock:
            key, self._next_key = self._next_key, self._next_key + 1
            self._registered[key] = on_row
        consumer = _abi.SrRejectedRows(struct_size=ctypes.sizeof(_abi.SrRejectedRows),
                                       on_row=on_row, user_data=key, release=self._release)
        reg = _abi.SrRegistration(struct_size=ctypes.sizeof(_abi.SrRegistration),
                                  glob=glob.encode("utf-8"), options_json=doc.encode("utf-8"),
                                  credentials=ctypes.pointer(creds),
                                  rejected_rows=ctypes.pointer(consumer))
        try:
            with self._lock.exclusive():
                handle = self._require_open()
                # From here the library owns `key`: it calls release when the connector is
                # freed, or before returning an error.
                rc = register(handle, ctypes.byref(reg), ctypes.byref(err))
                if rc == _abi.OK:
                    self._keepalive.append(cb)
        except StateError:
            self._on_release(key)
            raise
        _raise_if_failed(self._lib, rc, err)

    def commit_token(self, token: bytes) -> None:
        """Commits every transaction a commit token names, with no sink open
        (sr_sink_commit_token): for a committer that runs apart from the writer, e.g. after the
        writer process died. Idempotent; uses the registration matching the token's table.
        RecoveryError when the token is malformed or its data is no longer committable (the
        message names the checkpoint), NoRouteError when no registration matches. Needs
        libsr_sink ABI 1.1 (NotSupportedError with a 1.0 library)."""
        fn = _function(self._lib, "commit_token")
        data = bytes(token)
        err = _new_error()
        with self._lock.shared():
            handle = self._require_open()
            rc = fn(handle, data, len(data), ctypes.byref(err))
        _raise_if_failed(self._lib, rc, err)

    def open(self, table: str, columns: Sequence[str], *, instance_id: str | None = None,
             restore_token: bytes | None = None,
             key_columns: Sequence[str] | None = None) -> "Sink":
        """Opens a sink for "db.table" writing `columns`. In on_checkpoint mode, `instance_id` is
        required and `restore_token` (from Sink.on_checkpoint of the last durable checkpoint)
        recovers after a restart. `key_columns`, the host's own primary key, makes open refuse
        (SchemaError) a table whose primary key differs (ABI 1.1; NotSupportedError with a 1.0
        library, which could not check it)."""
        cols = [c.encode("utf-8") for c in columns]
        col_array = (ctypes.c_char_p * max(len(cols), 1))(*cols)
        token = bytes(restore_token) if restore_token else b""
        token_buf = ctypes.create_string_buffer(token, len(token)) if token else None
        keys = [k.encode("utf-8") for k in key_columns] if key_columns else []
        if keys and (self._lib.abi_major, self._lib.abi_minor) < (1, 1):
            raise NotSupportedError(
                _abi.E_NOT_SUPPORTED,
                f"the libsr_sink at {self._lib.path} (ABI {self._lib.abi_major}."
                f"{self._lib.abi_minor}) cannot check key_columns, which needs ABI 1.1 or newer")
        key_array = (ctypes.c_char_p * max(len(keys), 1))(*keys)
        params = _abi.SrOpenParams(
            struct_size=ctypes.sizeof(_abi.SrOpenParams),
            n_columns=len(cols),
            table=table.encode("utf-8"),
            columns=ctypes.cast(col_array, ctypes.POINTER(ctypes.c_char_p)),
            instance_id=instance_id.encode("utf-8") if instance_id is not None else None,
            restore_token=ctypes.cast(token_buf, ctypes.c_void_p).value if token_buf else None,
            restore_token_len=len(token),
            n_key_columns=len(keys),
            key_columns=ctypes.cast(key_array, ctypes.POINTER(ctypes.c_char_p)) if keys else None,
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
            # No callback can arrive any more: the callback objects may go. (The library has
            # released every registration in connector_free; clear whatever it did not.)
            self._keepalive.clear()
            with self._registered_lock:
                self._registered.clear()
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
        if _arrow.is_tabular(rows):
            # Iterating a DataFrame yields its column names, which would go out as rows.
            raise InvalidArgumentError(
                _abi.E_INVALID_ARGUMENT,
                f"write takes a sequence of rows (dicts or encoded JSON), not a "
                f"{type(rows).__name__}: use sink.write_arrow(data) for Arrow data (pyarrow, "
                f"polars, DuckDB, ...) or sink.write_pandas(df) for a pandas DataFrame")
        batch = EncodedBatch(rows if isinstance(rows, Sequence) else list(rows), ops)
        if len(batch) == 0:
            with self._lock:
                self._require_open()
            return
        with self._lock:
            self._call(self._lib.vt.write, ctypes.byref(batch.batch))

    def write_arrow(self, data: Any, ops: Iterable[int] | bytes | None = None) -> int:
        """Writes Arrow data (ABI 1.2): any object with ``__arrow_c_array__`` (one record batch:
        pyarrow RecordBatch, ...) or ``__arrow_c_stream__`` (pyarrow Table or reader, polars
        DataFrame, DuckDB result, ...), through the Arrow PyCapsule interface, with no copy
        through Python objects. Fields are named like the sink's columns (any subset, any
        order; key columns required). A row's op is ``ops[i]`` when given (one per row of the
        whole object), else the field ``__op`` (0/1, bool, or "upsert"/"delete"), else upsert.
        Returns the number of rows written.

        One batch is all or nothing (DataError/InvalidArgumentError naming column and row, and
        the sink stays usable). A stream is written batch by batch: when batch k fails, the
        rows of batches 0..k-1 were taken; the error says so and carries ``rows_taken``.
        A pandas DataFrame goes through write_pandas (its NaN and index rules).
        Raises NotSupportedError with a library older than ABI 1.2."""
        if _arrow.is_pandas_dataframe(data):
            return self.write_pandas(data, ops)
        fn = _function(self._lib, "write_arrow")  # before anything is moved out of `data`

        def write_one(schema: _abi.ArrowSchema, array: _abi.ArrowArray,
                      ops_buf: bytes | None) -> None:
            ops_ptr = (ctypes.cast(ctypes.c_char_p(ops_buf), ctypes.c_void_p)
                       if ops_buf is not None else None)
            # The library takes both structs, whatever it returns (they are released before
            # the call returns); ops_buf stays referenced until then.
            self._call(fn, ctypes.byref(schema), ctypes.byref(array), ops_ptr)

        with self._lock:
            self._require_open()
            return _arrow.write(data, ops, write_one)

    def write_pandas(self, df: Any, ops: Iterable[int] | bytes | None = None, *,
                     nan_as_null: bool = False, index: bool = True) -> int:
        """Writes a pandas DataFrame through Arrow (needs pyarrow, which pandas' own Arrow export
        needs too). Columns are named like the sink's columns; numpy and pandas dtypes map to
        Arrow types exactly (int64 stays int64, datetime64 is a timestamp, Decimal objects a
        decimal). Named index levels (``df.set_index("id")``) are written as columns unless
        ``index=False``; an unnamed index is not written. NaN in a float column is a DataError
        naming column and row unless ``nan_as_null=True`` writes it as NULL (pandas' meaning of
        NaN); None/NaT/pd.NA are NULL. The frame is written all or nothing. Returns the rows."""
        table = _arrow.pandas_to_arrow(df, nan_as_null=nan_as_null, index=index)
        try:
            return self.write_arrow(table, ops)
        except DataError as e:
            if nan_as_null or "NaN" not in e.message:
                raise
            raise error_for(e.code, e.message + " (write_pandas: nan_as_null=True writes NaN as "
                            "NULL, pandas' missing value)", code_name=e.code_name,
                            flags=e.flags, label=e.label, http_status=e.http_status) from None

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
        """The host's checkpoint `checkpoint_id` failed: roll back what was prepared for it.

        The rows of that epoch are then in no transaction, so the sink cannot go on: after
        abort (successful or not) the sink is failed, and every later write, on_watermark,
        on_checkpoint and commit raises StateError saying that the checkpoint was aborted.
        Close the sink and reopen it with the token of the last durable checkpoint
        (restore_token), then replay from there — in both modes (ABI 1.1 contract)."""
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
        """Closes the sink. Rows written since the last on_watermark (on_watermark mode) or
        on_checkpoint (on_checkpoint mode) are NOT loaded: the open load is abandoned or its
        transaction rolled back, and a WARN log line gives the number of rows not loaded. The
        host replays them from its last checkpoint; to load them instead, call on_watermark /
        on_checkpoint (+ commit) before close. Prepared transactions are left for recovery.
        Idempotent; raises the rollback's error, if any (the sink is closed either way)."""
        with self._lock:
            with self._handle_lock:
                handle, self._handle = self._handle, None
            if handle is None:
                return
            if self._connector._handle is None:
                # connector_free closed this sink already. (A Connector and its Sink that become
                # garbage together: the cyclic GC clears the Connector's weak set of sinks before
                # any finalizer runs, so the Connector's may free it first.)
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

