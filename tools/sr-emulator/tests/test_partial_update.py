"""Partial update (`partial_update: true`, `partial_update_mode: row|column`) on plain and
transaction loads (for issue #11, item 6: the library's typed partial_update option).

StarRocks semantics pinned here:
* Primary Key tables only ("Only primary key table support partial update").
* The columns the load names (the `columns` list) are the updated ones; a row whose key exists
  keeps every other column's stored value.
* A new key is inserted (row mode, and column mode = COLUMN_UPSERT_MODE): an unnamed column takes
  its DEFAULT, else NULL when nullable, else the type's zero value (BE get_column_values fills
  new rows with the default or append_default()).
* `partial_update_mode` changes how StarRocks writes, not the result; any value other than
  row/column/auto is ignored.
* The transaction path compares `partial_update` with the exact string "true" (BE
  _parse_request); the plain path accepts true/false in any case and refuses anything else.
"""
from conftest import ndjson

TABLE = {"db": "shop", "table": "pu", "keys_type": "PRIMARY_KEYS",
         "columns": [{"name": "id", "type": "INT", "key": True},
                     {"name": "name", "type": "VARCHAR(10)"},
                     {"name": "qty", "type": "INT", "nullable": False},
                     {"name": "note", "type": "VARCHAR(10)", "default": "none"},
                     {"name": "price", "type": "DECIMAL(6,2)", "nullable": False},
                     {"name": "tag", "type": "VARCHAR(5)", "nullable": False}]}
SEED = ndjson({"id": 1, "name": "a", "qty": 5, "note": "n1", "price": "1.50", "tag": "t"})
UPDATE = ndjson({"id": 1, "name": "b"}, {"id": 2, "name": "c"})
EXPECTED = ['{"id":1,"name":"b","qty":5,"note":"n1","price":1.50,"tag":"t"}',
            '{"id":2,"name":"c","qty":0,"note":"none","price":0.00,"tag":""}']


def seeded(make_emu):
    emu = make_emu()
    assert emu.admin("POST", "/_emulator/tables", TABLE)[0] == 200
    assert emu.stream_load(SEED, label="seed", table="pu")[1]["Status"] == "Success"
    return emu


def test_plain_load_row_and_column_mode(make_emu):
    for mode in (None, "row", "column", "auto"):
        emu = seeded(make_emu)
        headers = ["partial_update: true", "columns: id,name"] + (["partial_update_mode: " + mode] if mode else [])
        r = emu.stream_load(UPDATE, label="pu", table="pu", headers=headers)[1]
        assert r["Status"] == "Success" and r["NumberLoadedRows"] == 2, (mode, r)
        assert emu.rows_raw(table="pu") == EXPECTED, mode


def test_transaction_load_row_and_column_mode(make_emu):
    for mode in ("row", "column"):
        emu = seeded(make_emu)
        headers = ["format: json", "partial_update: true", "partial_update_mode: " + mode, "columns: id,name"]
        assert emu.txn("begin", "t", table="pu")[1]["Status"] == "OK"
        assert emu.txn("load", "t", table="pu", body=UPDATE, headers=headers)[1]["Status"] == "OK"
        r = emu.txn("prepare", "t", table="pu")[1]
        assert r["Status"] == "OK" and r["NumberLoadedRows"] == 2, r
        assert emu.txn("commit", "t", table="pu")[1]["Status"] == "OK"
        assert emu.rows_raw(table="pu") == EXPECTED, mode


def test_transaction_partial_update_flag_must_be_exactly_true(make_emu):
    emu = seeded(make_emu)
    headers = ["format: json", "partial_update: TRUE", "columns: id,name"]
    assert emu.txn("begin", "t", table="pu")[1]["Status"] == "OK"
    r = emu.txn("load", "t", table="pu", body=UPDATE, headers=headers)[1]
    # Not a partial update: the full-row plan needs every NOT NULL column without DEFAULT (an FE
    # planning error: ANALYSIS_ERROR).
    assert r["Status"] == "ANALYSIS_ERROR" and r["Message"] == "Column has no default value. column: qty", r
    # The plain path refuses a flag that is no boolean.
    r = emu.stream_load(UPDATE, label="bad", table="pu", headers=["partial_update: yes", "columns: id,name"])[1]
    assert r["Status"] == "Fail" and r["Message"] == "Invalid partial update flag format. Must be bool type"


def test_deletes_and_updates_mix_in_column_mode(make_emu):
    emu = seeded(make_emu)
    body = ndjson({"id": 1, "name": "x", "__op": 1}, {"id": 3, "name": "y", "__op": 0})
    r = emu.stream_load(body, label="d", table="pu",
                        headers=["partial_update: true", "partial_update_mode: column", "columns: id,name,__op"])[1]
    assert r["Status"] == "Success", r
    assert emu.rows_raw(table="pu") == ['{"id":3,"name":"y","qty":0,"note":"none","price":0.00,"tag":""}']


def test_partial_update_needs_a_primary_key_table(emu):
    for mode in ("row", "column"):
        r = emu.stream_load(ndjson({"seq": 1}), label="n" + mode, table="logs",
                            headers=["partial_update: true", "partial_update_mode: " + mode])[1]
        assert r["Status"] == "Fail" and r["Message"] == "Only primary key table support partial update"
    emu.txn("begin", "nt", table="logs")
    r = emu.txn("load", "nt", table="logs", body=ndjson({"seq": 1}),
                headers=["format: json", "partial_update: true"])[1]
    assert r["Status"] != "OK" and r["Message"] == "Only primary key table support partial update", r
