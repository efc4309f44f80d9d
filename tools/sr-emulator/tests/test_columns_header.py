"""The `columns` header is parsed like StarRocks' FE parses it: with its SQL parser, as
"COLUMNS (" + header + ")". Reserved words and names with spaces must be backquoted (issue #11,
item 8). Plain Stream Load and transaction loads both plan through that parser."""
from conftest import ndjson

KW_TABLE = {"db": "shop", "table": "kw", "keys_type": "PRIMARY_KEYS",
            "columns": [{"name": "id", "type": "INT", "key": True},
                        {"name": "select", "type": "INT"},
                        {"name": "order", "type": "VARCHAR(10)"},
                        {"name": "key", "type": "INT"},
                        {"name": "desc", "type": "VARCHAR(10)"},
                        {"name": "my col", "type": "INT"},
                        {"name": "a`b", "type": "INT"}]}
QUOTED = "`id`,`select`,`order`,`key`,`desc`,`my col`,`a``b`"
UNQUOTED = "id,select,order,key,desc,my col,a`b"
ROW = {"id": 1, "select": 2, "order": "o", "key": 3, "desc": "d", "my col": 4, "a`b": 5}
DUMP = '{"id":1,"select":2,"order":"o","key":3,"desc":"d","my col":4,"a`b":5}'
SYNTAX = "Getting syntax error at line 1, column 12. Detail message: Unexpected input 'select', " \
         "the most similar input is {a legal identifier}."


def make_table(emu):
    assert emu.admin("POST", "/_emulator/tables", KW_TABLE)[0] == 200


def test_plain_load_backquoted_names_load(emu):
    make_table(emu)
    r = emu.stream_load(ndjson(ROW), label="q1", table="kw", headers=["columns: " + QUOTED])[1]
    assert r["Status"] == "Success", r
    assert emu.rows_raw(table="kw") == [DUMP]
    # CSV: the same list names the fields in order.
    r = emu.stream_load("7,8,x,9,y,10,11\n", label="q2", table="kw", fmt="csv",
                        headers=["columns: " + QUOTED, "column_separator: ,"])[1]
    assert r["Status"] == "Success", r
    assert emu.rows_raw(table="kw")[1] == '{"id":7,"select":8,"order":"x","key":9,"desc":"y","my col":10,"a`b":11}'


def test_plain_load_unquoted_reserved_word_fails_like_starrocks(emu):
    make_table(emu)
    r = emu.stream_load(ndjson(ROW), label="u1", table="kw", headers=["columns: " + UNQUOTED])[1]
    assert r["Status"] == "Fail" and r["Message"] == SYNTAX, r
    assert emu.load_state("u1")["state"] == "ABORTED"  # planned after begin: the txn is rolled back
    assert emu.rows(table="kw") == []


def test_plain_load_unquoted_name_with_space_fails(emu):
    make_table(emu)
    r = emu.stream_load(ndjson(ROW), label="u2", table="kw", headers=["columns: id,`select`,my col"])[1]
    assert r["Status"] == "Fail"
    assert r["Message"] == ("Getting syntax error at line 1, column 24. Detail message: No viable statement for "
                            "input 'my col'."), r
    for reserved in ("order", "key", "desc"):
        r = emu.stream_load(ndjson(ROW), label="u3" + reserved, table="kw", headers=["columns: id," + reserved])[1]
        assert r["Status"] == "Fail" and ("Unexpected input '%s'" % reserved) in r["Message"], r


def test_transaction_load_unquoted_columns_fail_and_abort(emu):
    make_table(emu)
    assert emu.txn("begin", "t1", table="kw")[1]["Status"] == "OK"
    r = emu.txn("load", "t1", table="kw", body=ndjson(ROW), headers=["format: json", "columns: " + UNQUOTED])[1]
    # The BE forwards the header to the FE's streamLoadPut; a ParsingException comes back as INTERNAL_ERROR.
    assert r["Status"] == "INTERNAL_ERROR" and r["Message"] == SYNTAX, r
    assert emu.load_state("t1")["state"] == "ABORTED"


def test_transaction_load_backquoted_columns_commit(emu):
    make_table(emu)
    assert emu.txn("begin", "t2", table="kw")[1]["Status"] == "OK"
    r = emu.txn("load", "t2", table="kw", body=ndjson(ROW), headers=["format: json", "columns: " + QUOTED])[1]
    assert r["Status"] == "OK", r
    assert emu.txn("commit", "t2", table="kw")[1]["Status"] == "OK"
    assert emu.rows_raw(table="kw") == [DUMP]


def test_ordinary_names_still_load_unquoted(emu):
    r = emu.stream_load(ndjson({"id": 1, "name": "a"}), label="o1", headers=["columns: id, name"])[1]
    assert r["Status"] == "Success", r
    emu.txn("begin", "o2")
    r = emu.txn("load", "o2", body=ndjson({"id": 2, "name": "b"}), headers=["format: json", "columns: id,name"])[1]
    assert r["Status"] == "OK", r
    assert emu.txn("commit", "o2")[1]["Status"] == "OK"
    assert [x["id"] for x in emu.rows()] == [1, 2]
