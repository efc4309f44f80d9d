"""Helpers of the query-port tests (test_mysql_*.py): an emulator with --query-port 0, PyMySQL
connections that return every value as the text the server sent, and the dump endpoint's rows in
the same text form (what a MySQL text result set carries for each canonical value)."""
import json

import pytest

from conftest import DEFAULT_CATALOG, Emulator

USERS = "root:,alice:s3cret-pw"


def start(tmp_path, args=(), catalog=None, data_dir=None):
    e = Emulator(tmp_path, args=["--query-port", "0", "--users", USERS] + list(args), catalog=catalog,
                 data_dir=data_dir)
    assert isinstance(e.ready.get("query_port"), int) and e.ready["query_port"] > 0, e.ready
    e.query_port = e.ready["query_port"]
    return e


@pytest.fixture
def qemu(tmp_path):
    e = start(tmp_path)
    yield e
    assert e.stop() == 0, "sr-emulator did not shut down cleanly"


def connect(emu, user="root", password="", database=None, text=True, **kw):
    import pymysql
    if text:
        # No decoders (int keys), encoders kept: values arrive as the server's text.
        kw["conv"] = {k: v for k, v in pymysql.converters.conversions.items() if not isinstance(k, int)}
    return pymysql.connect(host="127.0.0.1", port=emu.query_port, user=user, password=password,
                           database=database, connect_timeout=10, read_timeout=30, write_timeout=30, **kw)


def query(conn, sql, args=None):
    with conn.cursor() as cur:
        cur.execute(sql, args)
        names = [d[0] for d in cur.description] if cur.description else []
        return names, [tuple(r) for r in cur.fetchall()]


def dump_as_text(emu, db="shop", table="orders"):
    """The dump's rows as MySQL text values: NULL → None, booleans → 1/0, numbers as printed."""
    out = []
    for line in emu.rows_raw(db, table):
        row = json.loads(line, parse_float=str, parse_int=str)
        plain = json.loads(line)  # nested values (ARRAY/STRUCT/JSON) keep their JSON numbers
        vals = []
        for k, v in row.items():
            if v is None:
                vals.append(None)
            elif v is True or v is False:
                vals.append("1" if v else "0")
            elif isinstance(v, (dict, list)):
                vals.append(json.dumps(plain[k], separators=(",", ":"), ensure_ascii=False))
            else:
                vals.append(v)
        out.append(tuple(vals))
    return out
