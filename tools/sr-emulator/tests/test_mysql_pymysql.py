"""The MySQL protocol query port (--query-port) driven by PyMySQL: authentication, the
connection-time statements drivers send, information_schema (the same answers as the HTTP SQL API),
SHOW/DESC, single-table SELECTs of loaded data (equal to the dump endpoint), CREATE DATABASE/TABLE,
and MySQL error codes for everything else."""
import json

import pymysql
import pytest

from mysql_util import connect, dump_as_text, qemu, query, start  # noqa: F401 (fixture)

ROWS = '{"id": 1, "name": "a\\"b", "qty": 3, "price": 1.5}\n{"id": 2, "name": null, "qty": 7, "price": 30}\n' \
       '{"id": 3, "name": "ü ✓", "qty": -1, "price": 0.25}\n'


def test_ready_line_reports_the_query_port(qemu):
    assert qemu.ready["query_port"] not in (qemu.fe_port, qemu.be_port)


def test_connect_without_and_with_password(qemu):
    with connect(qemu) as c:
        assert query(c, "SELECT current_user()")[1] == [("'root'@'%'",)]
    with connect(qemu, user="alice", password="s3cret-pw", database="shop") as c:
        assert query(c, "SELECT database(), user()")[1] == [("shop", "'alice'@'127.0.0.1'")]


@pytest.mark.parametrize("user,password", [("alice", "wrong"), ("alice", ""), ("root", "x"), ("nobody", "")])
def test_bad_credentials_are_error_1045(qemu, user, password):
    with pytest.raises(pymysql.err.MySQLError) as e:
        connect(qemu, user=user, password=password)
    assert e.value.args[0] == 1045
    assert "Access denied for user '%s'" % user in e.value.args[1]
    assert "wrong" not in e.value.args[1] and "s3cret" not in e.value.args[1]


def test_unknown_database_at_connect_and_init_db(qemu):
    with pytest.raises(pymysql.err.MySQLError) as e:
        connect(qemu, database="nodb")
    assert e.value.args[0] == 1049
    with connect(qemu) as c:
        with pytest.raises(pymysql.err.MySQLError) as e:
            c.select_db("nodb")
        assert e.value.args[0] == 1049
        c.select_db("shop")  # COM_INIT_DB
        assert query(c, "SELECT database()")[1] == [("shop",)]
        c.ping(reconnect=False)  # COM_PING


def test_connector_j_connection_queries(qemu):
    """What MySQL Connector/J 5.1 (inside the official Flink connector) sends when it connects."""
    with connect(qemu) as c:
        names, rows = query(c, "/* mysql-connector-java-5.1.49 ( Revision: ad86f36e100e104cd926c6b81c8cab9565750116 ) */"
                               "SELECT  @@session.auto_increment_increment AS auto_increment_increment, "
                               "@@character_set_client AS character_set_client, @@character_set_connection AS "
                               "character_set_connection, @@character_set_results AS character_set_results, "
                               "@@character_set_server AS character_set_server, @@collation_server AS collation_server, "
                               "@@collation_connection AS collation_connection, @@init_connect AS init_connect, "
                               "@@interactive_timeout AS interactive_timeout, @@license AS license, "
                               "@@lower_case_table_names AS lower_case_table_names, @@max_allowed_packet AS "
                               "max_allowed_packet, @@net_write_timeout AS net_write_timeout, @@performance_schema AS "
                               "performance_schema, @@sql_mode AS sql_mode, @@system_time_zone AS system_time_zone, "
                               "@@time_zone AS time_zone, @@transaction_isolation AS transaction_isolation, "
                               "@@wait_timeout AS wait_timeout")
        got = dict(zip(names, rows[0]))
        assert got["auto_increment_increment"] == "1" and got["character_set_server"] == "utf8"
        assert got["max_allowed_packet"] == "33554432" and got["transaction_isolation"] == "REPEATABLE-READ"
        for stmt in ["SET NAMES utf8mb4", "SET character_set_results = NULL", "SET autocommit=1",
                     "SET sql_mode='STRICT_TRANS_TABLES'", "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
                     "SET @my_var = 5", "SET query_timeout = 600, @@session.wait_timeout = 100"]:
            query(c, stmt)
        assert query(c, "SELECT @@query_timeout, @@wait_timeout, @my_var")[1] == [("600", "100", "5")]
        assert query(c, "SELECT @@sql_mode")[1] == [("STRICT_TRANS_TABLES",)]
        assert query(c, "SHOW WARNINGS")[0] == ["Level", "Code", "Message"]
        assert query(c, "select current_version() as ver;") == (["ver"], [("3.3.5-emulator",)])
        assert query(c, "SELECT @@version_comment LIMIT 1")[1] == [("StarRocks version 3.3.5-emulator",)]
        assert query(c, "SELECT @@version")[1] == [("8.0.33",)]
        with pytest.raises(pymysql.err.MySQLError) as e:
            query(c, "SELECT @@no_such_variable")
        assert e.value.args[0] == 1193 and "no_such_variable" in e.value.args[1]


def test_current_version_is_configurable(tmp_path):
    e = start(tmp_path, args=["--sr-version", "3.2.11-abcdef"])
    try:
        with connect(e) as c:
            assert query(c, "select current_version()")[1] == [("3.2.11-abcdef",)]
    finally:
        assert e.stop() == 0


def test_show_variables_databases_tables(qemu):
    with connect(qemu) as c:
        names, rows = query(c, "SHOW VARIABLES LIKE 'character_set_%'")
        assert names == ["Variable_name", "Value"] and ("character_set_server", "utf8") in rows
        assert all(r[0].startswith("character_set_") for r in rows)
        # PyMySQL turns autocommit off when it connects (SET AUTOCOMMIT = 0): the session value shows.
        assert query(c, "SHOW SESSION VARIABLES WHERE Variable_name = 'autocommit'")[1] == [("autocommit", "0")]
        assert query(c, "SHOW DATABASES") == (["Database"], [("information_schema",), ("other",), ("shop",)])
        with pytest.raises(pymysql.err.MySQLError) as e:
            query(c, "SHOW TABLES")
        assert e.value.args[0] == 1046
        assert query(c, "SHOW TABLES FROM shop") == (["Tables_in_shop"], [("logs",), ("orders",), ("strict",),
                                                                          ("versioned",)])
        c.select_db("shop")
        assert query(c, "SHOW FULL TABLES LIKE 'o%'") == (["Tables_in_shop", "Table_type"], [("orders", "BASE TABLE")])


def test_desc_and_show_create_table_match_the_http_sql_api(qemu):
    from test_schema import sql
    with connect(qemu, database="shop") as c:
        names, rows = query(c, "DESC orders")
        code, text = sql(qemu, "DESC shop.orders")
        http = json.loads(text)
        assert names == [m["name"] for m in http["meta"]]
        assert rows == [tuple(d[n] for n in names) for d in http["data"]]
        assert rows[0] == ("id", "bigint", "NO", "true", None, "")
        assert query(c, "SHOW COLUMNS FROM orders FROM shop")[1] == rows
        names, rows = query(c, "SHOW CREATE TABLE shop.orders")
        code, text = sql(qemu, "SHOW CREATE TABLE shop.orders")
        assert rows == [(json.loads(text)["data"][0]["Table"], json.loads(text)["data"][0]["Create Table"])]
        assert "PRIMARY KEY(`id`)" in rows[0][1]


def test_information_schema_matches_the_http_sql_api(qemu):
    """information_schema.columns / tables_config / tables: the query port and the HTTP SQL API
    give the same rows (one SQL answerer)."""
    from test_schema import sql
    queries = [
        # The official Flink connector's column query (Connector/J substitutes the ? client-side).
        "select `COLUMN_NAME`, `ORDINAL_POSITION`, `COLUMN_KEY`, `DATA_TYPE`, `COLUMN_SIZE`, `DECIMAL_DIGITS` from "
        "`information_schema`.`COLUMNS` where `TABLE_SCHEMA`='shop' and `TABLE_NAME`='orders';",
        "SELECT TABLE_MODEL, PRIMARY_KEY, DISTRIBUTE_KEY FROM information_schema.tables_config "
        "WHERE TABLE_SCHEMA = 'shop' ORDER BY TABLE_NAME",
        "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.tables WHERE TABLE_SCHEMA = 'shop' ORDER BY 1 DESC",
        "SELECT SCHEMA_NAME FROM information_schema.schemata",
    ]
    with connect(qemu) as c:
        for q in queries:
            names, rows = query(c, q)
            code, text = sql(qemu, q)
            assert code == 200, text
            lines = [json.loads(l) for l in text.strip().split("\n")]
            assert names == [m["name"] for m in lines[1]["meta"]]
            http_rows = [tuple(None if v is None else str(v) for v in l["data"]) for l in lines if "data" in l]
            assert rows == http_rows, q
        names, rows = query(c, queries[0])
        assert rows == [("id", "1", "PRI", "bigint", "19", "0"), ("name", "2", "", "varchar", "32", None),
                        ("qty", "3", "", "int", "10", "0"), ("price", "4", "", "decimal", "10", "2")]
        assert query(c, queries[2])[1][0] == ("versioned", "BASE TABLE")


def test_select_reads_what_stream_load_loaded(qemu):
    code, r = qemu.stream_load(ROWS, label="q1")
    assert code == 200 and r["Status"] == "Success", r["Message"]
    with connect(qemu, database="shop") as c:
        names, rows = query(c, "SELECT * FROM orders")
        assert names == ["id", "name", "qty", "price"]
        assert rows == dump_as_text(qemu)
        assert rows[2] == ("3", "ü ✓", "-1", "0.25")
        assert query(c, "SELECT name, id FROM shop.orders WHERE id = 1")[1] == [('a"b', "1")]
        assert query(c, "SELECT id FROM orders WHERE name IS NULL")[1] == [("2",)]
        assert query(c, "SELECT id FROM orders WHERE price >= 1.5 AND qty <> 7")[1] == [("1",)]
        assert query(c, "SELECT id, qty FROM orders ORDER BY qty DESC LIMIT 2")[1] == [("2", "7"), ("1", "3")]
        assert query(c, "SELECT id FROM orders ORDER BY id LIMIT 1, 1")[1] == [("2",)]
        assert query(c, "SELECT id FROM orders ORDER BY id LIMIT 5 OFFSET 2")[1] == [("3",)]
        assert query(c, "SELECT COUNT(*) FROM orders") == (["count(*)"], [("3",)])
        assert query(c, "select count(*) as n from shop.orders where qty > 0") == (["n"], [("2",)])
    with connect(qemu, database="shop", text=False) as c:  # PyMySQL's own conversions of the column types
        assert query(c, "SELECT id, name, qty, price FROM orders WHERE id = %s", (1,))[1] == [(1, 'a"b', 3,
                                                                                               __import__("decimal").Decimal("1.50"))]


def test_create_database_and_table_then_load_and_read(qemu):
    with connect(qemu) as c:
        query(c, "CREATE DATABASE analytics")
        with pytest.raises(pymysql.err.MySQLError) as e:
            query(c, "CREATE DATABASE analytics")
        assert e.value.args[0] == 1007
        query(c, "CREATE DATABASE IF NOT EXISTS analytics")
        c.select_db("analytics")
        query(c, """CREATE TABLE events (
                      id BIGINT NOT NULL COMMENT "the key",
                      kind VARCHAR(16) NOT NULL DEFAULT 'click',
                      at DATETIME,
                      day DATE,
                      ok BOOLEAN,
                      score DOUBLE,
                      tags ARRAY<VARCHAR(8)>,
                      info STRUCT<a INT, b VARCHAR(5)>
                    ) ENGINE=OLAP
                    PRIMARY KEY(id)
                    COMMENT "events"
                    DISTRIBUTED BY HASH(id) BUCKETS 4
                    PROPERTIES ("replication_num" = "1")""")
        with pytest.raises(pymysql.err.MySQLError) as e:
            query(c, "CREATE TABLE events (id INT) DUPLICATE KEY(id)")
        assert e.value.args[0] == 1050
        query(c, "CREATE TABLE IF NOT EXISTS events (id INT) DUPLICATE KEY(id)")
        with pytest.raises(pymysql.err.MySQLError) as e:
            query(c, "CREATE TABLE bad (a INT, b INT) PRIMARY KEY(b) DISTRIBUTED BY HASH(b)")
        assert e.value.args[0] == 1064 and "ordered prefix" in e.value.args[1]
        with pytest.raises(pymysql.err.MySQLError) as e:
            query(c, "CREATE TABLE bad2 (a NOTATYPE) DUPLICATE KEY(a)")
        assert e.value.args[0] == 1064
        assert query(c, "SHOW TABLES")[1] == [("events",)]
        assert query(c, "DESC events")[1][1] == ("kind", "varchar(16)", "NO", "false", "click", "")
        cols = query(c, "SELECT COLUMN_NAME, COLUMN_TYPE, COLUMN_KEY FROM information_schema.columns "
                        "WHERE TABLE_SCHEMA = 'analytics' AND TABLE_NAME = 'events'")[1]
        assert cols[0] == ("id", "bigint(20)", "PRI") and len(cols) == 8
    body = ('{"id": 2, "kind": "click", "at": "2024-01-31 12:00:00", "day": "2024-01-31", "ok": true, "score": 1.5, '
            '"tags": ["x", "y"], "info": {"a": 1, "b": "q"}}\n{"id": 1, "kind": "view", "ok": false}\n')
    code, r = qemu.stream_load(body, label="ev1", db="analytics", table="events")
    assert code == 200 and r["Status"] == "Success", r["Message"]
    with connect(qemu, database="analytics") as c:
        rows = query(c, "SELECT * FROM events ORDER BY id")[1]
        assert rows == dump_as_text(qemu, "analytics", "events")
        assert rows[0][:6] == ("1", "view", None, None, "0", None)
        assert rows[1][:6] == ("2", "click", "2024-01-31 12:00:00", "2024-01-31", "1", "1.5")
        query(c, "DROP TABLE events")
        assert query(c, "SHOW TABLES")[1] == []
        query(c, "DROP TABLE IF EXISTS events")


def test_created_tables_survive_a_restart(tmp_path):
    data = tmp_path / "data"
    e = start(tmp_path, data_dir=data)
    try:
        with connect(e) as c:
            query(c, "CREATE DATABASE kept")
            query(c, "CREATE TABLE kept.t (k INT NOT NULL, v VARCHAR(10)) PRIMARY KEY(k) DISTRIBUTED BY HASH(k)")
            query(c, "CREATE DATABASE empty_db")
        e.restart()
        e.query_port = e.ready["query_port"]
        with connect(e) as c:
            assert ("empty_db",) in query(c, "SHOW DATABASES")[1]
            assert query(c, "SHOW TABLES FROM kept")[1] == [("t",)]
    finally:
        e.stop()


def test_unsupported_statements_are_errors_not_hangs(qemu):
    with connect(qemu, database="shop") as c:
        for stmt, code in [("INSERT INTO orders VALUES (1, 'a', 1, 1)", 1064),
                           ("SELECT * FROM orders o JOIN logs l ON o.id = l.seq", 1064),
                           ("SELECT qty, COUNT(*) FROM orders GROUP BY qty", 1064),
                           ("UPDATE orders SET qty = 1", 1064),
                           ("SELECT * FROM nope", 1064),
                           ("SELECT nope FROM orders", 1064),
                           ("SELECT 1; SELECT 2", 1064),
                           ("SELECT * FROM nodb.t", 1064),
                           ("USE nodb", 1049),
                           ("SELECT upper('x')", 1064),
                           ("SELECT 'unterminated", 1064),
                           ("", 1065)]:
            with pytest.raises(pymysql.err.MySQLError) as e:
                query(c, stmt)
            assert e.value.args[0] == code, (stmt, e.value.args)
        # The connection is still usable after every error.
        assert query(c, "SELECT 1, 'x', 2.5")[1] == [("1", "x", "2.5")]
        for stmt in ["BEGIN", "COMMIT", "ROLLBACK", "START TRANSACTION"]:
            query(c, stmt)


def test_http_sql_api_shares_the_answerer(qemu):
    """The HTTP SQL API gains what the query port answers (same engine): SHOW DATABASES and
    SELECTs of user tables."""
    from test_schema import sql
    qemu.stream_load(ROWS, label="h1")
    code, text = sql(qemu, "SHOW DATABASES")
    assert code == 200 and [d["Database"] for d in json.loads(text)["data"]] == ["information_schema", "other", "shop"]
    code, text = sql(qemu, "SELECT id, price FROM shop.orders WHERE id = 3")
    lines = [json.loads(l) for l in text.strip().split("\n")]
    assert {"data": [3, 0.25]} in lines
