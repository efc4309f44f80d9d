"""Rows → the sr_sink_batch the library reads: one joined bytes buffer plus computed slices."""

from __future__ import annotations

import array
import ctypes
import datetime
import decimal
import itertools
import json
import numbers
from typing import Any, Iterable, Sequence

from . import _abi
from .errors import DataError, InvalidArgumentError



def _default(value: Any) -> Any:
    """Python values json cannot encode, in the form StarRocks' JSON loader accepts (spec §6.1):
    Decimal as its exact text in a string (no float rounding), date/datetime as ISO text."""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return list(value)
    # numpy scalars (what pandas hands out: numpy.int64, numpy.float32, numpy.bool_), without
    # importing numpy: the numbers ABCs know them.
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)  # NaN stays NaN, refused below like a float NaN
    if type(value).__name__ in ("bool_", "bool") and type(value).__module__ == "numpy":
        return bool(value)
    raise TypeError(f"a row value of type {type(value).__name__} cannot be encoded as JSON")


# allow_nan=False: NaN/Infinity are not JSON; StarRocks would reject the whole body.
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                          default=_default).encode

# Fast path: on LP64 both pointers and size_t are 8 bytes, so the slice array is a flat array of
# uint64 pairs that can be built in C (array + slicing) instead of field by field.
_FLAT = (ctypes.sizeof(ctypes.c_void_p) == 8 and ctypes.sizeof(ctypes.c_size_t) == 8
         and ctypes.sizeof(_abi.SrSlice) == 16 and array.array("Q").itemsize == 8)


def encode_row(row: Any) -> bytes:
    """A row as JSON bytes: bytes-like as is, str as UTF-8, anything else through json."""
    if isinstance(row, bytes):
        return row
    if isinstance(row, (bytearray, memoryview)):
        return bytes(row)
    if isinstance(row, str):
        return row.encode("utf-8")
    return _dumps(row).encode("utf-8")


def _encoding_error(rows: Sequence[Any], cause: Exception) -> DataError:
    # Found again row by row only on failure, so the fast path stays a list comprehension.
    index = next((i for i, r in enumerate(rows) if not _encodes(r)), -1)
    return DataError(_abi.E_DATA, f"row {index}: cannot be encoded as JSON: {cause}",
                     flags=_abi.ERROR_F_DATA)


def _encodes(row: Any) -> bool:
    try:
        encode_row(row)
        return True
    except (TypeError, ValueError):
        return False


def encode_ops(ops: Iterable[int] | bytes | None, n_rows: int) -> bytes | None:
    if ops is None:
        return None
    if isinstance(ops, (bytes, bytearray)):
        buf = bytes(ops)
    else:
        try:
            buf = bytes(int(op) for op in ops)
        except (ValueError, TypeError) as e:
            raise InvalidArgumentError(_abi.E_INVALID_ARGUMENT,
                                       f"ops must be OP_UPSERT (0) or OP_DELETE (1): {e}") from None
    if len(buf) != n_rows:
        raise InvalidArgumentError(_abi.E_INVALID_ARGUMENT,
                                   f"ops has {len(buf)} entries for {n_rows} rows")
    return buf


class EncodedBatch:
    """Owns every buffer the sr_sink_batch points into; keep it alive during the call."""

    __slots__ = ("body", "flat", "slices", "ops", "batch")

    def __init__(self, rows: Sequence[Any], ops: Iterable[int] | bytes | None = None) -> None:
        try:
            parts = [encode_row(r) for r in rows]
        except (TypeError, ValueError) as e:
            raise _encoding_error(rows, e) from e
        n = len(parts)
        self.ops = encode_ops(ops, n)
        self.body = b"".join(parts)
        # c_char_p over a bytes object points at its internal buffer: no copy.
        base = ctypes.cast(ctypes.c_char_p(self.body), ctypes.c_void_p).value or 0
        lens = [len(p) for p in parts]
        offsets = itertools.accumulate(lens[:-1], initial=0) if n else iter(())
        slices_t = _abi.SrSlice * n
        self.flat = None
        if _FLAT:
            self.flat = array.array("Q", bytes(16 * n))
            self.flat[0::2] = array.array("Q", [base + off for off in offsets])
            self.flat[1::2] = array.array("Q", lens)
            self.slices = slices_t.from_buffer(self.flat)
        else:
            self.slices = slices_t()
            for i, (off, ln) in enumerate(zip(offsets, lens)):
                self.slices[i].data = base + off
                self.slices[i].len = ln
        self.batch = _abi.SrBatch(
            struct_size=ctypes.sizeof(_abi.SrBatch),
            reserved0=0,
            n_rows=n,
            rows=ctypes.cast(self.slices, ctypes.POINTER(_abi.SrSlice)),
            ops=(ctypes.cast(ctypes.c_char_p(self.ops), ctypes.c_void_p).value
                 if self.ops is not None else None),
        )

    def __len__(self) -> int:
        return self.batch.n_rows
