"""Arrow data in: the Arrow PyCapsule interface → sr_sink_write_arrow (ABI 1.2).

Any object with ``__arrow_c_array__`` (one record batch) or ``__arrow_c_stream__`` (a stream of
record batches) is accepted: pyarrow Tables/RecordBatches/readers, polars DataFrames, DuckDB
results, nanoarrow, ... The binding imports none of them: the capsules carry the Arrow C Data
Interface structs, which are moved out of their capsules and into the library.

Moving (the Arrow spec's move semantics): copy the struct, then mark the source released by
setting its ``release`` to NULL, so the capsule's destructor does nothing. From then on the copy
is ours until sr_sink_write_arrow takes it: the library releases every struct it is handed,
whatever it returns. Every struct that has not reached the library (an error before the call, the
batches after a failed one) is released here, so nothing leaks and nothing is released twice.
"""

from __future__ import annotations

import ctypes
from ctypes import CFUNCTYPE, POINTER, Structure, c_char_p, c_int, c_void_p
from typing import Any, Callable, Iterable, List, Optional, Tuple

from . import _abi
from ._rows import encode_ops
from .errors import InvalidArgumentError, SinkError, error_for


class ArrowArrayStream(Structure):
    """struct ArrowArrayStream of the Arrow C stream interface (not in sr_sink.h: the library
    takes one batch per call; the binding iterates the stream)."""


ArrowArrayStream._fields_ = [
    ("get_schema", CFUNCTYPE(c_int, POINTER(ArrowArrayStream), POINTER(_abi.ArrowSchema))),
    ("get_next", CFUNCTYPE(c_int, POINTER(ArrowArrayStream), POINTER(_abi.ArrowArray))),
    ("get_last_error", CFUNCTYPE(c_char_p, POINTER(ArrowArrayStream))),
    ("release", CFUNCTYPE(None, POINTER(ArrowArrayStream))),
    ("private_data", c_void_p),
]

_capsule_is_valid = ctypes.pythonapi.PyCapsule_IsValid
_capsule_is_valid.restype = c_int
_capsule_is_valid.argtypes = [ctypes.py_object, c_char_p]
_capsule_get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
_capsule_get_pointer.restype = c_void_p
_capsule_get_pointer.argtypes = [ctypes.py_object, c_char_p]


def _invalid(message: str) -> InvalidArgumentError:
    return InvalidArgumentError(_abi.E_INVALID_ARGUMENT, message)


def _clear_release(address: int, struct_type: type) -> None:
    # The release slot is a plain function pointer in all three structs.
    c_void_p.from_address(address + struct_type.release.offset).value = None


def move_out(capsule: Any, name: str, struct_type: type) -> Any:
    """The struct a PyCapsule named `name` holds, moved into a new ctypes struct that the caller
    now owns; the capsule's struct is left released (its destructor then does nothing)."""
    cname = name.encode()
    if not _capsule_is_valid(capsule, cname):
        raise _invalid(f"expected a PyCapsule named {name!r}, got {type(capsule).__name__}")
    address = _capsule_get_pointer(capsule, cname)
    source = struct_type.from_address(address)
    if not source.release:
        raise _invalid(f"the {name} capsule holds a released struct (it was already consumed)")
    moved = struct_type.from_buffer_copy(source)
    _clear_release(address, struct_type)
    return moved


def release(struct: Any) -> None:
    """Releases a struct we own (no-op when released or moved into the library)."""
    if struct.release:
        struct.release(ctypes.byref(struct))
        _clear_release(ctypes.addressof(struct), type(struct))


def _export(data: Any, method: str) -> Any:
    try:
        return getattr(data, method)()
    except ImportError as e:
        raise ImportError(f"{type(data).__name__}.{method}() needs a package that is not "
                          f"installed ({e}); for most producers that is pyarrow: "
                          f"pip install pyarrow") from e


def _stream_error(stream: ArrowArrayStream, rc: int, what: str) -> SinkError:
    message = None
    if stream.get_last_error:
        raw = stream.get_last_error(ctypes.byref(stream))
        message = raw.decode("utf-8", "replace") if raw else None
    return _invalid(f"the Arrow stream's {what} failed with errno {rc}"
                    + (f": {message}" if message else ""))


# write_one(schema, array, ops_or_None) calls the library (which takes both structs) and raises
# SinkError on failure.
WriteOne = Callable[[_abi.ArrowSchema, _abi.ArrowArray, Optional[bytes]], None]
Batch = Tuple[_abi.ArrowSchema, _abi.ArrowArray]


def write(data: Any, ops: Iterable[int] | bytes | None, write_one: WriteOne) -> int:
    """Writes `data` (one batch, or a stream of batches) through write_one; returns the rows
    written. A single batch is all or nothing. A stream is written batch by batch: when batch k
    fails, batches 0..k-1 were taken (the error says how many rows, also as `rows_taken`)."""
    if hasattr(data, "__arrow_c_array__"):
        return _write_array(data, ops, write_one)
    if hasattr(data, "__arrow_c_stream__"):
        return _write_stream(data, ops, write_one)
    raise _invalid(f"write_arrow takes an object with __arrow_c_array__ or __arrow_c_stream__ "
                   f"(the Arrow PyCapsule interface: a pyarrow Table or RecordBatch, a polars "
                   f"DataFrame, a DuckDB result, ...), got {type(data).__name__}")


def _write_array(data: Any, ops: Any, write_one: WriteOne) -> int:
    exported = _export(data, "__arrow_c_array__")
    if not (isinstance(exported, tuple) and len(exported) == 2):
        raise _invalid(f"{type(data).__name__}.__arrow_c_array__() returned "
                       f"{type(exported).__name__}, not (schema capsule, array capsule)")
    schema = move_out(exported[0], "arrow_schema", _abi.ArrowSchema)
    batches: List[Batch] = []
    try:
        batches.append((schema, move_out(exported[1], "arrow_array", _abi.ArrowArray)))
        return _write_batches(batches, ops, write_one)
    finally:
        release(schema)
        _release_all(batches)


def _write_stream(data: Any, ops: Any, write_one: WriteOne) -> int:
    stream = move_out(_export(data, "__arrow_c_stream__"), "arrow_array_stream", ArrowArrayStream)
    batches: List[Batch] = []
    try:
        if ops is not None:
            # ops cover the whole stream: read it all first, so that a count that does not match
            # fails before anything is written.
            while _next_batch(stream, batches):
                pass
            return _write_batches(batches, ops, write_one)
        rows = 0
        index = 0
        while _next_batch(stream, batches):
            rows += _write_batches(batches, None, write_one, first_index=index, rows_before=rows)
            batches.clear()
            index += 1
        return rows
    finally:
        _release_all(batches)
        release(stream)


def _next_batch(stream: ArrowArrayStream, out: List[Batch]) -> bool:
    """Appends the stream's next batch (with its own copy of the schema) to out; False at the
    end of the stream."""
    array = _abi.ArrowArray()
    rc = stream.get_next(ctypes.byref(stream), ctypes.byref(array))
    if rc != 0:
        raise _stream_error(stream, rc, "get_next")
    if not array.release:
        return False
    # Each call of the library consumes its schema, so every batch gets one of its own.
    schema = _abi.ArrowSchema()
    rc = stream.get_schema(ctypes.byref(stream), ctypes.byref(schema))
    if rc != 0:
        release(array)
        raise _stream_error(stream, rc, "get_schema")
    out.append((schema, array))
    return True


def _write_batches(batches: List[Batch], ops: Any, write_one: WriteOne, first_index: int = 0,
                   rows_before: int = 0) -> int:
    total = sum(array.length for _, array in batches)
    ops_buf = encode_ops(ops, total)  # InvalidArgumentError on a count that does not match
    rows = rows_before
    for i, (schema, array) in enumerate(batches):
        n = array.length
        part = None if ops_buf is None else ops_buf[rows - rows_before:rows - rows_before + n]
        try:
            write_one(schema, array, part)
        except SinkError as e:
            index = first_index + i
            if index == 0:
                raise
            raise _in_stream(e, index, rows, n) from None
        rows += n
    return rows - rows_before


def _in_stream(e: SinkError, index: int, rows_before: int, n: int) -> SinkError:
    err = error_for(e.code,
                    f"batch {index} of the stream (rows {rows_before}..{rows_before + n - 1}; "
                    f"the {rows_before} rows of the batches before it were taken): {e.message}",
                    code_name=e.code_name, flags=e.flags, label=e.label,
                    http_status=e.http_status)
    err.rows_taken = rows_before  # type: ignore[attr-defined]
    return err


def _release_all(batches: List[Batch]) -> None:
    for schema, array in batches:
        release(schema)
        release(array)


# ---- pandas -----------------------------------------------------------------------------------

def is_pandas_dataframe(data: Any) -> bool:
    cls = type(data)
    return cls.__name__ == "DataFrame" and cls.__module__.split(".", 1)[0] == "pandas"


def is_tabular(data: Any) -> bool:
    """Arrow data or a DataFrame (things Sink.write must not iterate as rows)."""
    return (hasattr(data, "__arrow_c_stream__") or hasattr(data, "__arrow_c_array__")
            or (type(data).__name__ == "DataFrame" and hasattr(data, "columns")))


def pandas_to_arrow(df: Any, nan_as_null: bool, index: bool) -> Any:
    """A pyarrow object for `df`: one RecordBatch (so the frame is written all or nothing)."""
    try:
        import pyarrow as pa
    except ImportError:
        raise ImportError(
            "write_pandas needs pyarrow to turn a pandas DataFrame into Arrow (pandas' own Arrow "
            "export needs it too): pip install pyarrow (or pip install 'starrocks-sink[pandas]')"
        ) from None
    if not is_pandas_dataframe(df):
        raise _invalid(f"write_pandas takes a pandas DataFrame, got {type(df).__name__}")
    if index:
        # Named index levels are data (df.set_index("id")); an unnamed index is only row order.
        named = [n for n in df.index.names if n is not None]
        if named:
            df = df.reset_index(level=named)
    table = pa.Table.from_pandas(df, preserve_index=False)
    if not nan_as_null:
        # from_pandas turns NaN into null (pandas' missing value). Keep NaN a value instead, so
        # the library refuses it naming column and row, unless the host asked for NULL.
        import numpy as np

        for i in range(df.shape[1]):
            column = df.iloc[:, i]
            if (isinstance(column.dtype, np.dtype) and column.dtype.kind == "f"
                    and bool(column.isna().any())):
                field = table.schema.field(i)
                table = table.set_column(i, field, pa.array(column.to_numpy(), type=field.type))
    batches = table.combine_chunks().to_batches()
    return batches[0] if len(batches) == 1 else table
