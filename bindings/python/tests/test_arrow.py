"""Sink.write_arrow / Sink.write_pandas (ABI 1.2, issue #16) against a real sr-emulator.

Every case writes the same rows twice, once as Arrow and once as JSON rows (Sink.write), into two
tables of the same schema, and compares the emulator's dumps: the Arrow path must land exactly
what the JSON path lands. pyarrow and pandas come from PyPI (scripts/setup.sh installs them); the
binding itself imports neither.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import decimal
import gc
import math
import sys

import pyarrow as pa
import pandas as pd
import pytest

import starrocks_sink as srs
from starrocks_sink import _abi, _arrow
from scenario import DUMP, ORDERS_COLUMNS, R1, R2, R3, opts

D = decimal.Decimal

# ---- tables -------------------------------------------------------------------------------------

# One column per Arrow type of the header that pyarrow produces, in a StarRocks type that holds it.
TYPED_COLUMNS = [
    ("id", "BIGINT"),
    ("i8", "TINYINT"), ("i16", "SMALLINT"), ("i32", "INT"), ("i64", "BIGINT"),
    ("u8", "SMALLINT"), ("u16", "INT"), ("u32", "BIGINT"), ("u64", "LARGEINT"),
    ("f16", "FLOAT"), ("f32", "FLOAT"), ("f64", "DOUBLE"),
    ("d128", "DECIMAL(20,4)"), ("d256", "DECIMAL(38,6)"),
    ("b", "BOOLEAN"),
    ("date32", "DATE"), ("date64", "DATE"),
    ("ts_s", "DATETIME"), ("ts_ms", "DATETIME"), ("ts_us", "DATETIME"), ("ts_ns", "DATETIME"),
    ("ts_tz", "DATETIME"),
    ("t32", "VARCHAR(32)"), ("t64", "VARCHAR(32)"),
    ("s", "VARCHAR(64)"), ("ls", "VARCHAR(64)"), ("sv", "VARCHAR(64)"),
    ("bin", "VARBINARY(16)"), ("lbin", "VARBINARY(16)"), ("fbin", "VARBINARY(16)"),
    ("dict", "VARCHAR(16)"),
    ("arr", "ARRAY<INT>"), ("larr", "ARRAY<INT>"), ("farr", "ARRAY<INT>"),
    ("st", "STRUCT<a INT, b VARCHAR(8)>"), ("mp", "MAP<VARCHAR(8),INT>"), ("js", "JSON"),
]
TYPED_NAMES = [n for n, _ in TYPED_COLUMNS]


def create_table(emu, table: str, columns, keys=("id",)) -> None:
    db, name = table.split(".")
    cols = [{"name": n, "type": t, "key": n in keys, "nullable": n not in keys}
            for n, t in columns]
    emu.admin("POST", "/_emulator/tables",
              {"db": db, "table": name, "keys_type": "PRIMARY_KEYS", "columns": cols})


def typed_batch() -> pa.RecordBatch:
    """Three rows: typical values, extremes, and all nulls (but the key)."""
    utc = dt.timezone.utc
    ts = [dt.datetime(2024, 2, 29, 23, 59, 58, 123456), dt.datetime(1970, 1, 1), None]
    arrays = {
        "id": pa.array([1, 2, 3], pa.int64()),
        "i8": pa.array([-128, 127, None], pa.int8()),
        "i16": pa.array([-32768, 32767, None], pa.int16()),
        "i32": pa.array([-2**31, 2**31 - 1, None], pa.int32()),
        "i64": pa.array([-2**63, 2**63 - 1, None], pa.int64()),
        "u8": pa.array([0, 255, None], pa.uint8()),
        "u16": pa.array([0, 65535, None], pa.uint16()),
        "u32": pa.array([0, 2**32 - 1, None], pa.uint32()),
        "u64": pa.array([0, 2**64 - 1, None], pa.uint64()),
        "f16": pa.array([__import__("numpy").float16(1.5), __import__("numpy").float16(-0.25),
                         None], pa.float16()),
        "f32": pa.array([1.5, -3.25, None], pa.float32()),
        "f64": pa.array([0.1, -1e300, None], pa.float64()),
        "d128": pa.array([D("1234567890123456.7890"), D("-0.0001"), None], pa.decimal128(20, 4)),
        "d256": pa.array([D("12345678901234567890123456789012.123456"), D("0.000001"), None],
                         pa.decimal256(38, 6)),
        "b": pa.array([True, False, None], pa.bool_()),
        "date32": pa.array([dt.date(2024, 2, 29), dt.date(1900, 1, 1), None], pa.date32()),
        "date64": pa.array([dt.date(2024, 2, 29), dt.date(1970, 1, 1), None], pa.date64()),
        "ts_s": pa.array([t.replace(microsecond=0) if t else None for t in ts], pa.timestamp("s")),
        "ts_ms": pa.array([t.replace(microsecond=123000) if t else None for t in ts],
                          pa.timestamp("ms")),
        "ts_us": pa.array(ts, pa.timestamp("us")),
        "ts_ns": pa.array(ts, pa.timestamp("ns")),
        "ts_tz": pa.array([t.replace(tzinfo=utc) if t else None for t in ts],
                          pa.timestamp("us", tz="UTC")),
        "t32": pa.array([dt.time(23, 59, 58), dt.time(0, 0), None], pa.time32("s")),
        "t64": pa.array([dt.time(12, 0, 0, 5), dt.time(0, 0), None], pa.time64("us")),
        "s": pa.array(["Zoë ☃ \"q\"", "", None], pa.utf8()),
        "ls": pa.array(["large", "x", None], pa.large_utf8()),
        "sv": pa.array(["view", "y" * 20, None], pa.string_view()),
        "bin": pa.array([b"\x00\x01ab", b"", None], pa.binary()),
        "lbin": pa.array([b"large", b"z", None], pa.large_binary()),
        "fbin": pa.array([b"abcd", b"wxyz", None], pa.binary(4)),
        "dict": pa.array(["red", "blue", None]).dictionary_encode(),
        "arr": pa.array([[1, None, 3], [], None], pa.list_(pa.int32())),
        "larr": pa.array([[4], [5, 6], None], pa.large_list(pa.int32())),
        "farr": pa.array([[7, 8], [9, None], None], pa.list_(pa.int32(), 2)),
        "st": pa.array([{"a": 1, "b": "x"}, {"a": None, "b": "y"}, None],
                       pa.struct([("a", pa.int32()), ("b", pa.utf8())])),
        "mp": pa.array([[("k", 1)], [], None], pa.map_(pa.utf8(), pa.int32())),
        "js": pa.array([{"a": 1, "b": "x"}, {"a": 2, "b": None}, None],
                       pa.struct([("a", pa.int32()), ("b", pa.utf8())])),
    }
    return pa.RecordBatch.from_arrays(list(arrays.values()), names=list(arrays.keys()))


def typed_json_rows() -> list:
    """typed_batch() as the JSON rows a host would write for the same values."""
    return [
        {"id": 1, "i8": -128, "i16": -32768, "i32": -2**31, "i64": -2**63, "u8": 0, "u16": 0,
         "u32": 0, "u64": 0, "f16": 1.5, "f32": 1.5, "f64": 0.1,
         "d128": "1234567890123456.7890", "d256": "12345678901234567890123456789012.123456",
         "b": True, "date32": "2024-02-29", "date64": "2024-02-29",
         "ts_s": "2024-02-29 23:59:58", "ts_ms": "2024-02-29 23:59:58.123",
         "ts_us": "2024-02-29 23:59:58.123456", "ts_ns": "2024-02-29 23:59:58.123456",
         "ts_tz": "2024-02-29 23:59:58.123456", "t32": "23:59:58", "t64": "12:00:00.000005",
         "s": "Zoë ☃ \"q\"", "ls": "large", "sv": "view", "bin": "\x00\x01ab", "lbin": "large",
         "fbin": "abcd", "dict": "red", "arr": [1, None, 3], "larr": [4], "farr": [7, 8],
         "st": {"a": 1, "b": "x"}, "mp": {"k": 1}, "js": {"a": 1, "b": "x"}},
        {"id": 2, "i8": 127, "i16": 32767, "i32": 2**31 - 1, "i64": 2**63 - 1, "u8": 255,
         "u16": 65535, "u32": 2**32 - 1, "u64": 2**64 - 1, "f16": -0.25, "f32": -3.25,
         "f64": -1e300, "d128": "-0.0001", "d256": "0.000001", "b": False,
         "date32": "1900-01-01", "date64": "1970-01-01", "ts_s": "1970-01-01 00:00:00",
         "ts_ms": "1970-01-01 00:00:00.123", "ts_us": "1970-01-01 00:00:00",
         "ts_ns": "1970-01-01 00:00:00", "ts_tz": "1970-01-01 00:00:00", "t32": "00:00:00",
         "t64": "00:00:00", "s": "", "ls": "x", "sv": "y" * 20, "bin": "", "lbin": "z",
         "fbin": "wxyz", "dict": "blue", "arr": [], "larr": [5, 6], "farr": [9, None],
         "st": {"a": None, "b": "y"}, "mp": {}, "js": {"a": 2, "b": None}},
        {"id": 3},
    ]


# ---- helpers --------------------------------------------------------------------------------------

class Pair:
    """Two sinks on twin tables: `arrow` written with write_arrow, `json` with write."""

    def __init__(self, emu, columns, keys=("id",), **extra):
        self.emu = emu
        create_table(emu, "arrow.a", columns, keys)
        create_table(emu, "arrow.j", columns, keys)
        self.connector = srs.Connector()
        self.connector.add_sink("arrow.*", opts(emu, **extra))
        names = [n for n, _ in columns]
        self.arrow = self.connector.open("arrow.a", names)
        self.json = self.connector.open("arrow.j", names)

    def land(self):
        self.arrow.on_watermark(1)
        self.json.on_watermark(1)
        a, j = self.emu.dump("arrow.a"), self.emu.dump("arrow.j")
        self.connector.close()
        return a, j


@pytest.fixture
def orders(emu):
    with srs.Connector() as c:
        c.add_sink("shop.*", opts(emu))
        with c.open("shop.orders", ORDERS_COLUMNS) as sink:
            yield sink


def orders_batch(ids, names, amounts) -> pa.RecordBatch:
    return pa.RecordBatch.from_pydict({"id": pa.array(ids, pa.int64()),
                                       "name": pa.array(names, pa.utf8()),
                                       "amount": pa.array(amounts, pa.decimal128(12, 2))})


R123 = orders_batch([1, 2, 3], ["alice", "bob", "carol"], [D("10.50"), D("20.00"), D("30.25")])


def arrow_bytes() -> int:
    gc.collect()
    return pa.total_allocated_bytes()


# ---- every type, nulls, the same rows as JSON -----------------------------------------------------

@pytest.mark.parametrize("wire", ["json", "csv"])
def test_every_type_lands_like_the_same_rows_written_as_json(emu, wire):
    pair = Pair(emu, TYPED_COLUMNS, format=wire)
    assert pair.arrow.write_arrow(typed_batch()) == 3
    pair.json.write(typed_json_rows())
    a, j = pair.land()
    assert len(a) == 3
    assert a == j


def test_a_sliced_batch_honours_its_offset_at_every_level(emu):
    pair = Pair(emu, TYPED_COLUMNS)
    batch = typed_batch()
    assert batch.slice(1, 2).column(0).offset == 1
    assert pair.arrow.write_arrow(batch.slice(1, 2)) == 2
    pair.json.write(typed_json_rows()[1:])
    a, j = pair.land()
    assert len(a) == 2 and a == j


def test_a_chunked_table_is_a_stream_of_several_batches(emu):
    pair = Pair(emu, TYPED_COLUMNS)
    batch = typed_batch()
    table = pa.Table.from_batches([batch.slice(0, 1), batch.slice(1, 1), batch.slice(2, 1)])
    reader = table.to_reader()
    assert pair.arrow.write_arrow(reader) == 3
    pair.json.write(typed_json_rows())
    a, j = pair.land()
    assert len(a) == 3 and a == j


def test_timestamps_with_a_zone_are_wall_time_in_the_sinks_timezone(emu):
    pair = Pair(emu, [("id", "BIGINT"), ("ts", "DATETIME"), ("naive", "DATETIME")],
                timezone="+08:00")
    instant = dt.datetime(2024, 1, 1, 20, 30, tzinfo=dt.timezone.utc)
    pair.arrow.write_arrow(pa.RecordBatch.from_pydict({
        "id": [1], "ts": pa.array([instant], pa.timestamp("ms", tz="UTC")),
        "naive": pa.array([instant.replace(tzinfo=None)], pa.timestamp("ms"))}))
    pair.json.write([{"id": 1, "ts": "2024-01-02 04:30:00", "naive": "2024-01-01 20:30:00"}])
    a, j = pair.land()
    assert a == j and len(a) == 1


def test_orders_as_arrow_land_like_json(orders, emu):
    assert orders.write_arrow(R123) == 3
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == [DUMP["R1"], DUMP["R2"], DUMP["R3"]]
    assert orders.stats().rows_written == 3


def test_fields_in_any_order_and_a_subset(emu):
    pair = Pair(emu, [("id", "BIGINT"), ("name", "VARCHAR(64)"), ("amount", "DECIMAL(12,2)")])
    pair.arrow.write_arrow(pa.RecordBatch.from_pydict({"amount": pa.array([D("1.25")],
                                                                           pa.decimal128(12, 2)),
                                                       "id": [7]}))
    pair.json.write([{"amount": "1.25", "id": 7}])
    a, j = pair.land()
    assert a == j == ['{"id":7,"name":null,"amount":1.25}']


# ---- ops ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("form", ["ops_argument", "op_int8", "op_bool", "op_utf8"])
def test_ops_from_the_argument_or_an_op_field(orders, emu, form):
    orders.write_arrow(R123)
    keys = pa.array([1, 3], pa.int64())
    if form == "ops_argument":
        orders.write_arrow(pa.RecordBatch.from_pydict({"id": keys}), ops=[srs.OP_DELETE] * 2)
    else:
        op = {"op_int8": pa.array([1, 1], pa.int8()), "op_bool": pa.array([True, True]),
              "op_utf8": pa.array(["delete", "delete"])}[form]
        orders.write_arrow(pa.RecordBatch.from_pydict({"id": keys, "__op": op}))
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == [DUMP["R2"]]
    assert orders.stats().rows_deleted == 2


def test_ops_of_the_wrong_length_are_refused_before_anything_is_taken(orders, emu):
    before = arrow_bytes()
    with pytest.raises(srs.InvalidArgumentError, match="ops has 2 entries for 3 rows"):
        orders.write_arrow(R123, ops=[0, 0])
    # ops over a stream cover the whole stream: checked before its first batch is written.
    table = pa.Table.from_batches([R123, R123.slice(0, 1)])
    with pytest.raises(srs.InvalidArgumentError, match="ops has 3 entries for 4 rows"):
        orders.write_arrow(table, ops=[0, 0, 0])
    del table
    assert arrow_bytes() == before  # every moved struct was released
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == []
    assert orders.stats().rows_written == 0


def test_ops_over_a_stream_are_split_per_batch(orders, emu):
    table = pa.Table.from_batches([R123.slice(0, 2), R123.slice(2, 1), R123.slice(0, 1)])
    assert orders.write_arrow(table, ops=[0, 0, 0, 1]) == 4
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == [DUMP["R2"], DUMP["R3"]]


# ---- refused batches ------------------------------------------------------------------------------

def test_a_refused_batch_leaves_the_table_unchanged_and_the_sink_usable(orders, emu):
    orders.write_arrow(R123.slice(0, 1))
    bad_key = orders_batch([2, None], ["bob", "x"], [D("20.00"), D("1.00")])
    with pytest.raises(srs.DataError) as ei:
        orders.write_arrow(bad_key)
    assert "id" in ei.value.message and "1" in ei.value.message
    unknown = pa.RecordBatch.from_pydict({"id": [2], "nope": [1]})
    with pytest.raises(srs.InvalidArgumentError, match="nope"):
        orders.write_arrow(unknown)
    nan = pa.RecordBatch.from_pydict({"id": [2, 3], "name": ["a", "b"],
                                      "amount": pa.array([1.0, math.nan])})
    with pytest.raises(srs.DataError, match="amount"):
        orders.write_arrow(nan)
    assert orders.stats().rows_written == 1
    orders.write_arrow(R123.slice(1, 2))  # still usable
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == [DUMP["R1"], DUMP["R2"], DUMP["R3"]]


def test_a_refused_batch_in_a_stream_says_what_was_taken(orders, emu):
    bad_key = orders_batch([None], ["x"], [D("1.00")])
    table = pa.Table.from_batches([R123.slice(0, 2), bad_key, R123.slice(2, 1)])
    with pytest.raises(srs.DataError) as ei:
        orders.write_arrow(table)
    assert ei.value.rows_taken == 2
    assert "batch 1 of the stream" in ei.value.message and "2 rows" in ei.value.message
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == [DUMP["R1"], DUMP["R2"]]


def test_not_arrow_data_is_refused(orders):
    with pytest.raises(srs.InvalidArgumentError, match="__arrow_c_stream__"):
        orders.write_arrow([R1])
    with pytest.raises(srs.InvalidArgumentError):
        orders.write_arrow(pa.array([1, 2]))  # not a struct: the library names the format


# ---- ownership ------------------------------------------------------------------------------------

def test_capsules_are_moved_into_the_library_and_released_once(orders, emu):
    before = arrow_bytes()
    batch = orders_batch([1], ["alice"], [D("10.50")])
    schema_cap, array_cap = batch.__arrow_c_array__()
    holder = type("Holder", (), {"__arrow_c_array__": lambda self, requested_schema=None:
                                 (schema_cap, array_cap)})()
    orders.write_arrow(holder)
    # The capsules were emptied (release NULL): a second use is refused, not a double free.
    with pytest.raises(srs.InvalidArgumentError, match="already consumed"):
        orders.write_arrow(holder)
    del holder, schema_cap, array_cap, batch
    assert arrow_bytes() == before
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == [DUMP["R1"]]


def test_a_refused_batch_is_released_too(orders):
    before = arrow_bytes()
    for _ in range(3):
        with pytest.raises(srs.DataError):
            orders.write_arrow(orders_batch([None], ["x"], [D("1.00")]))
    assert arrow_bytes() == before


def _library_without_write_arrow(library):
    vt = _abi.SrVtable.from_buffer_copy(library.vt)
    vt.write_arrow = type(vt.write_arrow)()
    return _abi.Library(library.path, library.cdll, vt)


def test_an_older_library_refuses_write_arrow_only(emu, library):
    lib = _library_without_write_arrow(library)
    srs.set_default_library(lib)
    try:
        with srs.Connector() as c:
            c.add_sink("shop.*", opts(emu))
            with c.open("shop.orders", ORDERS_COLUMNS) as sink:
                before = arrow_bytes()
                with pytest.raises(srs.NotSupportedError, match="1.2"):
                    sink.write_arrow(R123)
                assert arrow_bytes() == before
                sink.write([R1])
                sink.on_watermark(1)
    finally:
        srs.set_default_library(library)
    assert emu.dump("shop.orders") == [DUMP["R1"]]


def test_the_stream_struct_has_the_arrow_layout():
    # ArrowSchema/ArrowArray are checked against the header's with the other structs
    # (test_binding); the header does not declare the stream: five pointers, in this order.
    p = ctypes.sizeof(ctypes.c_void_p)
    assert ctypes.sizeof(_arrow.ArrowArrayStream) == 5 * p
    assert [f for f, _ in _arrow.ArrowArrayStream._fields_] == [
        "get_schema", "get_next", "get_last_error", "release", "private_data"]


# ---- pandas (the cases) -------------------------------------------------------------------

def orders_frame() -> pd.DataFrame:
    return pd.DataFrame({"id": [1, 2, 3], "name": ["alice", "bob", "carol"],
                         "amount": [D("10.50"), D("20.00"), D("30.25")]})


def test_a_dataframe_is_refused_by_write_with_a_pointer_to_write_pandas(orders, emu):
    # Iterating a DataFrame yields its column names: they must never go out as rows.
    with pytest.raises(srs.InvalidArgumentError, match="write_pandas"):
        orders.write(orders_frame())
    with pytest.raises(srs.InvalidArgumentError, match="write_arrow"):
        orders.write(pa.Table.from_batches([R123]))
    assert orders.stats().rows_written == 0


@pytest.mark.parametrize("how", ["write_pandas", "write_arrow"])
def test_a_dataframe_with_numpy_int64_lands(orders, emu, how):
    # Reordered: an unnamed index that is not a RangeIndex (pandas' own Arrow export would write
    # it as a column "__index_level_0__", which is not a column of the table).
    df = orders_frame().iloc[[0, 2, 1]]
    assert df["id"].dtype == "int64" and type(df.index).__name__ != "RangeIndex"
    assert getattr(orders, how)(df) == 3
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == [DUMP["R1"], DUMP["R2"], DUMP["R3"]]


def test_numpy_scalars_in_json_rows_are_encoded(orders, emu):
    row = orders_frame().iloc[0]
    assert type(row["id"]).__module__ == "numpy"
    orders.write([{"id": row["id"], "name": row["name"], "amount": row["amount"]}])
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == [DUMP["R1"]]


def test_nan_is_a_data_error_naming_column_and_row_unless_nan_as_null(emulator_factory):
    emu = emulator_factory()
    columns = [("id", "BIGINT"), ("x", "DOUBLE")]
    pair = Pair(emu, columns)
    df = pd.DataFrame({"id": [1, 2, 3], "x": [0.5, math.nan, None]})
    with pytest.raises(srs.DataError) as ei:
        pair.arrow.write_pandas(df)
    assert "x" in ei.value.message and "row 1" in ei.value.message
    assert "nan_as_null=True" in ei.value.message
    assert pair.arrow.stats().rows_written == 0
    assert pair.arrow.write_pandas(df, nan_as_null=True) == 3
    pair.json.write([{"id": 1, "x": 0.5}, {"id": 2, "x": None}, {"id": 3, "x": None}])
    a, j = pair.land()
    assert a == j and len(a) == 3


def test_pandas_dtypes_and_index(emulator_factory):
    emu = emulator_factory()
    columns = [("id", "BIGINT"), ("n", "INT"), ("when", "DATETIME"), ("flag", "BOOLEAN"),
               ("s", "VARCHAR(16)"), ("day", "DATE")]
    pair = Pair(emu, columns)
    df = pd.DataFrame({
        "id": [10, 20, 30],
        "n": pd.array([1, None, 3], dtype="Int32"),
        "when": pd.to_datetime(["2024-01-02 03:04:05", None, "2024-12-31 23:59:59.5"],
                               format="ISO8601"),
        "flag": [True, False, True],
        "s": ["a", None, "c"],
        "day": [dt.date(2024, 1, 2), None, dt.date(1999, 12, 31)],
    }).set_index("id")
    df = df[df["flag"] | df["s"].isna()]  # a filtered frame: a non-range index
    assert pair.arrow.write_pandas(df) == 3
    pair.json.write([
        {"id": 10, "n": 1, "when": "2024-01-02 03:04:05", "flag": True, "s": "a",
         "day": "2024-01-02"},
        {"id": 20, "n": None, "when": None, "flag": False, "s": None, "day": None},
        {"id": 30, "n": 3, "when": "2024-12-31 23:59:59.5", "flag": True, "s": "c",
         "day": "1999-12-31"},
    ])
    a, j = pair.land()
    assert a == j and len(a) == 3


def test_write_pandas_ops_column_and_argument(orders, emu):
    orders.write_pandas(orders_frame())
    orders.write_pandas(pd.DataFrame({"id": [1], "__op": pd.array([1], dtype="int8")}))
    orders.write_pandas(pd.DataFrame({"id": [3]}), ops=[srs.OP_DELETE])
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == [DUMP["R2"]]


def test_write_pandas_without_pyarrow_names_what_to_install(orders, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow → ImportError
    with pytest.raises(ImportError, match="pip install pyarrow"):
        orders.write_pandas(orders_frame())
    assert orders.stats().rows_written == 0


def test_readme_arrow_example_runs(emu):
    import re
    from pathlib import Path
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    code = re.search(r"## ABI 1.2: Arrow data and pandas DataFrames\n\n```python\n(.*?)```",
                     readme, re.S).group(1)
    assert "http://127.0.0.1:8030" in code
    exec(compile(code.replace("http://127.0.0.1:8030", emu.url), "README arrow", "exec"), {})
    assert emu.dump("shop.orders") == [DUMP["R1"], DUMP["R3"]]


# ---- other producers of the PyCapsule interface -----------------------------------------------

def test_a_polars_dataframe_lands_like_json(orders, emu):
    import polars as pl

    df = pl.DataFrame({"id": [1, 2, 3], "name": ["alice", "bob", "carol"],
                       "amount": [D("10.50"), D("20.00"), D("30.25")]},
                      schema_overrides={"amount": pl.Decimal(12, 2)})
    assert orders.write_arrow(df) == 3
    assert orders.write_arrow(pl.DataFrame({"id": [2], "__op": [1]},
                                           schema_overrides={"__op": pl.Int8})) == 1
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == [DUMP["R1"], DUMP["R3"]]


def test_a_duckdb_result_lands_like_json(orders, emu):
    import duckdb

    con = duckdb.connect()
    rel = con.sql("SELECT i::BIGINT AS id, ['alice', 'bob', 'carol'][i] AS name, "
                  "[10.50, 20.00, 30.25][i]::DECIMAL(12,2) AS amount FROM range(1, 4) t(i)")
    assert orders.write_arrow(rel) == 3
    orders.on_watermark(1)
    assert emu.dump("shop.orders") == [DUMP["R1"], DUMP["R2"], DUMP["R3"]]
