"""Behaviours StarRocks' own SQL-tester cases expose (issue #14 part B), checked with curl.

Each test names the StarRocks case (test/sql/...) or source its expectation comes from.
"""
import pytest

from conftest import ndjson

CATALOG = {
    "databases": {
        "d": {
            "tables": {
                "tab1": {  # test_condition_update's table
                    "keys_type": "PRIMARY_KEYS",
                    "columns": [
                        {"name": "k1", "type": "INT", "key": True},
                        {"name": "k2", "type": "VARCHAR(50)", "key": True},
                        {"name": "v1", "type": "INT"},
                        {"name": "v2", "type": "INT"},
                        {"name": "v4", "type": "VARCHAR(50)"},
                    ],
                },
                "notnull": {
                    "keys_type": "PRIMARY_KEYS",
                    "columns": [
                        {"name": "id", "type": "INT", "key": True},
                        {"name": "s", "type": "VARCHAR(10)", "nullable": False},
                        {"name": "n", "type": "INT", "nullable": False},
                        {"name": "dt", "type": "DATE", "nullable": False},
                        {"name": "ts", "type": "DATETIME", "nullable": False},
                        {"name": "j", "type": "JSON", "nullable": False},
                        {"name": "v", "type": "INT"},
                    ],
                },
                "site": {  # test_column_partial_update_with_condition_update's table
                    "keys_type": "PRIMARY_KEYS",
                    "columns": [
                        {"name": "site_id", "type": "INT", "key": True},
                        {"name": "event_day", "type": "DATE"},
                        {"name": "user_name", "type": "VARCHAR(32)"},
                    ],
                },
                "nums": {
                    "keys_type": "DUP_KEYS",
                    "columns": [
                        {"name": "k", "type": "INT", "key": True, "nullable": True},
                        {"name": "b", "type": "BIGINT"},
                        {"name": "i", "type": "INT"},
                        {"name": "arr", "type": "ARRAY<INT>"},
                        {"name": "j", "type": "JSON"},
                    ],
                },
            }
        }
    }
}

NOT_FOUND = ("Merge condition column %s does not exist. If you are doing partial update with condition update, "
             "please check condition column is in the given update columns. Otherwise please check condition "
             "column is in table tab1")


@pytest.fixture
def emu(make_emu):
    return make_emu(catalog=CATALOG)


def csv_load(emu, body, headers, table="tab1", label=None):
    return emu.stream_load(body, label=label, db="d", table=table, fmt="csv",
                           headers=["column_separator:,"] + list(headers))


# ---- merge_condition texts (Load.checkMergeCondition; test_condition_update) ----

def test_merge_condition_on_a_key_column(emu):
    code, r = csv_load(emu, "1,a,5,5,x\n", ["merge_condition:k1"])
    assert (r["Status"], r["Message"]) == ("Fail", "Merge condition column k1 should not be primary key!")


def test_merge_condition_on_an_unknown_column(emu):
    code, r = csv_load(emu, "1,a,5,5,x\n", ["merge_condition:v6"])
    assert (r["Status"], r["Message"]) == ("Fail", NOT_FOUND % "v6")


def test_merge_condition_on_a_varchar_column(emu):
    code, r = csv_load(emu, "1,a,5,5,x\n", ["merge_condition:v4"])
    assert r["Message"] == "Merge condition column has invalid type maybe bitmap/hll/percentile/json/varchar!"


def test_merge_condition_is_matched_case_insensitively(emu):
    assert csv_load(emu, "1,a,5,5,x\n", ["merge_condition:V1"])[1]["Status"] == "Success"
    assert csv_load(emu, "1,a,4,9,y\n", ["merge_condition:V1"])[1]["Status"] == "Success"
    assert emu.rows("d", "tab1") == [{"k1": 1, "k2": "a", "v1": 5, "v2": 5, "v4": "x"}]


# ---- partial update + merge_condition outside the updated columns ----

def test_partial_update_merge_condition_outside_the_given_columns(emu):
    code, r = csv_load(emu, "1,a,5\n", ["partial_update:true", "columns:k1,k2,v1", "merge_condition:v2"])
    assert (r["Status"], r["Message"]) == ("Fail", NOT_FOUND % "v2")
    assert emu.rows("d", "tab1") == []
    # inside the given columns it is accepted
    assert csv_load(emu, "1,a,5\n", ["partial_update:true", "columns:k1,k2,v1", "merge_condition:v1"])[1][
        "Status"] == "Success"


def test_partial_update_merge_condition_outside_the_columns_in_a_transaction(emu):
    assert emu.txn("begin", "t1", db="d", table="tab1")[1]["Status"] == "OK"
    code, r = emu.txn("load", "t1", db="d", table="tab1", body=b"1,a,5\n",
                      headers=["column_separator:,", "partial_update:true", "columns:k1,k2,v1",
                               "merge_condition:v2"])
    assert (r["Status"], r["Message"]) == ("ANALYSIS_ERROR", NOT_FOUND % "v2")
    assert emu.load_state("t1", db="d")["state"] == "ABORTED"


def test_column_mode_partial_update_does_not_apply_the_merge_condition(emu):
    # test_column_partial_update_with_condition_update: rows whose new condition value is NULL
    # (a quoted date that does not convert) are still updated in column mode.
    assert emu.stream_load(ndjson({"site_id": 22, "event_day": "2024-07-22", "user_name": "zs"}), db="d",
                           table="site")[1]["Status"] == "Success"
    code, r = csv_load(emu, "22,'2024-07-23','ll'\n", ["partial_update:true", "partial_update_mode:column",
                                                      "columns:site_id,event_day,user_name",
                                                      "merge_condition:event_day"], table="site")
    assert r["Status"] == "Success", r
    assert emu.rows("d", "site") == [{"site_id": 22, "event_day": None, "user_name": "'ll'"}]
    # row mode applies it: a NULL never wins over a stored value
    assert emu.stream_load(ndjson({"site_id": 23, "event_day": "2024-07-23", "user_name": "zs"}), db="d",
                           table="site")[1]["Status"] == "Success"
    csv_load(emu, "23,'2024-07-24','mm'\n", ["partial_update:true", "columns:site_id,event_day,user_name",
                                             "merge_condition:event_day"], table="site")
    assert emu.rows("d", "site")[1] == {"site_id": 23, "event_day": "2024-07-23", "user_name": "zs"}


# ---- partial update inserting new rows into a table with NOT NULL columns without default ----

def test_partial_update_new_row_fills_not_null_columns_without_default(emu):
    # StarRocks fills the type's default value and never refuses (PR #43490, issue #43833).
    code, r = csv_load(emu, "1,5\n", ["partial_update:true", "columns:id,v"], table="notnull")
    assert r["Status"] == "Success" and r["NumberLoadedRows"] == 1, r
    (row,) = emu.rows("d", "notnull")
    assert row["s"] == "" and row["n"] == 0 and row["v"] == 5
    assert row["dt"] is not None and row["ts"] is not None  # never NULL in a NOT NULL column
    # the existing row keeps its values on the next partial update
    csv_load(emu, "1,6\n", ["partial_update:true", "columns:id,v"], table="notnull")
    assert emu.rows("d", "notnull")[0] == dict(row, v=6)


# ---- expired PREPARED transaction (test_prepared_timeout) ----

def test_expired_prepared_transaction_reason(emu):
    assert emu.txn("begin", "p1", db="d", table="tab1")[1]["Status"] == "OK"
    emu.txn("load", "p1", db="d", table="tab1", body=b"1,a,1,1,x\n", headers=["column_separator:,"])
    assert emu.txn("prepare", "p1", db="d", table=None, headers=["prepared_timeout:1"])[1]["Status"] == "OK"
    assert emu.label_stats("p1", db="d")["prepared_timeout_ms"] == 1000
    emu.advance(5)
    st = emu.load_state("p1", db="d")
    assert (st["state"], st["reason"]) == ("ABORTED", "timeout by txn manager")


# ---- JSON bodies StarRocks loads leniently ----

def test_json_value_with_an_invalid_escape_loads_null(emu):
    # test_invalid_json: `\s` inside a string value; StarRocks loads the row with NULL there.
    body = b'{"k":1,"b":2,"j":"{\\"a\\": 1, \\s\\": 2}","arr":" [\\"1\\", \\"2\\"] "}\n'
    code, r = emu.stream_load(body, db="d", table="nums")
    assert (r["Status"], r["NumberLoadedRows"]) == ("Success", 1), r
    assert emu.rows("d", "nums") == [{"k": 1, "b": 2, "i": None, "arr": None, "j": None}]


def test_json_array_ends_after_an_element_with_a_broken_member_value(emu):
    # test_stream_load_json_map_partial_append
    body = '[{"k":1,"arr":[1]},\n {"k":2,"arr":[1 2],"b":7},\n {"k":3}]'
    code, r = emu.stream_load(body, db="d", table="nums", headers=["strip_outer_array:true"])
    assert (r["Status"], r["NumberTotalRows"], r["NumberLoadedRows"]) == ("Success", 2, 2), r
    assert [(x["k"], x["arr"], x["b"]) for x in emu.rows("d", "nums")] == [(1, [1], None), (2, None, None)]


def test_json_fractions_into_integers_go_through_double(emu):
    # test_json_check_number_overflow
    body = ndjson() + ('{"k":1,"b":9223372036854775000.0,"i":2147483647.3}\n'
                       '{"k":2,"b":9223372036854775807.0,"i":2147483648.0}\n'
                       '{"k":3,"b":-9223372036854775809.0,"i":-2147483649.0}\n')
    code, r = emu.stream_load(body, db="d", table="nums")
    assert r["Status"] == "Success", r
    got = [(x["k"], x["b"], x["i"]) for x in emu.rows("d", "nums")]
    assert got == [(1, 9223372036854774784, 2147483647), (2, None, None), (3, -9223372036854775808, None)]
