"""Schema discovery endpoints (spec §5): `_schema`, v2 schema, HTTP SQL API in both output forms."""
import json

from conftest import DEFAULT_CATALOG


def sql(emu, query, path="/api/v1/catalogs/default_catalog/sql", raw=False):
    body = {"query": query}
    if raw:
        body["onlyOutputResultRaw"] = True
    f = emu.write("q.json", json.dumps(body))
    return emu.curl("-u", "root:", "-XPOST", "-H", "Content-Type: application/json", "--data-binary", "@%s" % f,
                    emu.fe(path))


def test_legacy_schema(emu):
    code, text = emu.curl("-u", "root:", emu.fe("/api/shop/orders/_schema"))
    assert code == 200
    r = json.loads(text)
    assert r["status"] == 200
    assert r["properties"][0] == {"name": "id", "type": "BIGINT", "comment": ""}
    assert r["properties"][3] == {"name": "price", "type": "DECIMAL64", "comment": "", "precision": "10", "scale": "2"}
    code, text = emu.curl("-u", "root:", emu.fe("/api/shop/nope/_schema"))
    assert code == 404 and json.loads(text)["status"] == 404
    code, _ = emu.curl(emu.fe("/api/shop/orders/_schema"))
    assert code == 401


def test_v2_schema(emu):
    code, text = emu.curl("-u", "root:", emu.fe("/api/v2/catalogs/default_catalog/databases/shop/tables/orders/schema"))
    assert code == 200
    r = json.loads(text)
    assert r["code"] == "0" and r["message"] == "OK"
    res = r["result"]
    assert res["keysType"] == "PRIMARY_KEYS" and res["name"] == "orders"
    cols = res["columns"]
    assert [c["name"] for c in cols] == ["id", "name", "qty", "price"]
    assert cols[0]["isKey"] is True and cols[0]["isAllowNull"] is False
    assert cols[1]["isKey"] is False and cols[1]["isAllowNull"] is True
    assert cols[1]["type"]["name"] == "VARCHAR" and cols[3]["type"]["scale"] == 2
    code, text = emu.curl("-u", "root:", emu.fe("/api/v2/catalogs/default_catalog/databases/shop/tables/x/schema"))
    assert code == 404 and json.loads(text)["code"] == "404"


def test_v2_schema_complex_types(make_emu):
    cat = {"databases": {"d": {"tables": {"t": {"keys_type": "DUP_KEYS", "columns": [
        {"name": "k", "type": "INT", "key": True},
        {"name": "a", "type": "ARRAY<INT>"},
        {"name": "m", "type": "MAP<VARCHAR(10),INT>"},
        {"name": "s", "type": "STRUCT<x INT, y VARCHAR(5)>"}]}}}}}
    e = make_emu(catalog=cat)
    code, text = e.curl("-u", "root:", e.fe("/api/v2/catalogs/default_catalog/databases/d/tables/t/schema"))
    cols = json.loads(text)["result"]["columns"]
    assert cols[1]["type"]["name"] == "ARRAY" and cols[1]["type"]["itemType"]["name"] == "INT"
    assert cols[2]["type"]["keyType"]["name"] == "VARCHAR" and cols[2]["type"]["valueType"]["name"] == "INT"
    assert [f["name"] for f in cols[3]["type"]["fields"]] == ["x", "y"]
    assert json.loads(text)["result"]["keysType"] == "DUP_KEYS"


def test_sql_tables_config_ndjson(emu):
    code, text = sql(emu, "SELECT TABLE_MODEL, PRIMARY_KEY FROM information_schema.tables_config "
                          "WHERE TABLE_SCHEMA='shop' AND TABLE_NAME='orders'")
    assert code == 200
    lines = [json.loads(l) for l in text.strip().split("\n")]
    assert "connectionId" in lines[0]
    assert [m["name"] for m in lines[1]["meta"]] == ["TABLE_MODEL", "PRIMARY_KEY"]
    assert lines[2] == {"data": ["PRIMARY_KEYS", "`id`"]}
    assert lines[3]["statistics"]["returnRows"] == 1
    code, text = sql(emu, "SELECT TABLE_MODEL, PRIMARY_KEY FROM information_schema.tables_config "
                          "WHERE TABLE_SCHEMA='shop' AND TABLE_NAME='logs'", raw=True)
    lines = [json.loads(l) for l in text.strip().split("\n")]
    assert len(lines) == 2 and lines[1] == {"data": ["DUP_KEYS", ""]}


def test_sql_columns_query(emu):
    code, text = sql(emu, "SELECT COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_KEY, "
                          "COLUMN_SIZE, DECIMAL_DIGITS FROM information_schema.columns WHERE TABLE_SCHEMA='shop' "
                          "AND TABLE_NAME='orders' ORDER BY ORDINAL_POSITION")
    data = [json.loads(l)["data"] for l in text.strip().split("\n") if '"data"' in l]
    assert data == [["id", 1, "bigint", "bigint(20)", "NO", "PRI", 19, 0],
                    ["name", 2, "varchar", "varchar(32)", "YES", "", 32, None],
                    ["qty", 3, "int", "int(11)", "YES", "", 10, 0],
                    ["price", 4, "decimal", "decimal(10,2)", "YES", "", 10, 2]]


def test_sql_show_create_table_and_desc_single_object(emu):
    code, text = sql(emu, "SHOW CREATE TABLE shop.orders")
    r = json.loads(text)  # one object, not NDJSON
    assert [m["name"] for m in r["meta"]] == ["Table", "Create Table"]
    ddl = r["data"][0]["Create Table"]
    assert r["data"][0]["Table"] == "orders" and "PRIMARY KEY(`id`)" in ddl
    code, text = sql(emu, "DESC orders", path="/api/v1/catalogs/default_catalog/databases/shop/sql")
    r = json.loads(text)
    assert [m["name"] for m in r["meta"]] == ["Field", "Type", "Null", "Key", "Default", "Extra"]
    assert r["data"][0] == {"Field": "id", "Type": "bigint", "Null": "NO", "Key": "true", "Default": None, "Extra": ""}
    assert r["statistics"]["returnRows"] == len(DEFAULT_CATALOG["databases"]["shop"]["tables"]["orders"]["columns"])


def test_sql_errors(emu):
    code, text = sql(emu, "INSERT INTO shop.orders VALUES (1)")
    assert code == 400 and "only support SELECT, SHOW, EXPLAIN, DESC, KILL" in json.loads(text)["msg"]
    code, text = sql(emu, "SELECT 1; SELECT 2")
    assert code == 400 and "multiple" in json.loads(text)["msg"]
    code, text = sql(emu, "")
    assert code == 400
    code, text = emu.curl("-u", "root:", "-XPOST", "-d", "{bad", emu.fe("/api/v1/catalogs/default_catalog/sql"))
    assert code == 400 and "malformed json" in json.loads(text)["msg"]
    code, text = sql(emu, "DESC nope", path="/api/v1/catalogs/default_catalog/databases/shop/sql")
    assert code == 500
    code, text = sql(emu, "DESC orders", path="/api/v1/catalogs/default_catalog/databases/nodb/sql")
    assert code == 403
    code, _ = emu.curl("-XPOST", "-d", '{"query":"DESC shop.orders"}', emu.fe("/api/v1/catalogs/default_catalog/sql"))
    assert code == 401


def test_sql_select_count(emu):
    emu.stream_load('{"id": 1}\n{"id": 2}\n', label="cnt")
    code, text = sql(emu, "SELECT COUNT(*) FROM shop.orders")
    lines = [json.loads(l) for l in text.strip().split("\n")]
    assert code == 200 and {"data": [2]} in lines
    code, text = sql(emu, "select count(*) from orders", path="/api/v1/catalogs/default_catalog/databases/shop/sql",
                     raw=True)
    assert [json.loads(l) for l in text.strip().split("\n")][1] == {"data": [2]}
    code, _ = sql(emu, "SELECT COUNT(*) FROM shop.nope")
    assert code == 500
