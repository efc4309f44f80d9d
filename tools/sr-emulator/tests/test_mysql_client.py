"""The query port driven by Debian's `mysql` client (mariadb-client, installed by
scripts/setup.sh): a person looking at what was loaded."""
import shutil
import subprocess

from mysql_util import dump_as_text, qemu  # noqa: F401 (fixture)


def mysql(emu, *args, user="root", password=None, stdin=None):
    binary = shutil.which("mariadb") or shutil.which("mysql")
    assert binary, "the mysql client is missing: run scripts/setup.sh (mariadb-client)"
    cmd = [binary, "-h", "127.0.0.1", "-P", str(emu.query_port), "-u", user, "--batch", "--skip-ssl",
           "--connect-timeout=10"]
    if password is not None:
        cmd.append("-p" + password)
    out = subprocess.run(cmd + list(args), input=stdin, capture_output=True, text=True, timeout=60)
    return out.returncode, out.stdout, out.stderr


def table(text):
    """--batch output: header + tab-separated rows (NULL spelled NULL)."""
    lines = text.rstrip("\n").split("\n")
    return [tuple(None if v == "NULL" else v for v in l.split("\t")) for l in lines]


def test_connect_with_and_without_password(qemu):
    rc, out, err = mysql(qemu, "-e", "select current_version()")
    assert rc == 0, err
    assert table(out) == [("current_version()",), ("3.3.5-emulator",)]
    rc, out, err = mysql(qemu, "-e", "select user()", user="alice", password="s3cret-pw")
    assert rc == 0, err
    assert table(out)[1] == ("'alice'@'127.0.0.1'",)
    rc, out, err = mysql(qemu, "-e", "select 1", user="alice", password="nope")
    assert rc != 0 and "ERROR 1045 (28000)" in err and "Access denied for user 'alice'" in err
    assert "nope" not in err


def test_interactive_style_session(qemu):
    """A script the way a person types it: the client's own connect-time query
    (select @@version_comment limit 1), USE (COM_INIT_DB + field list), SHOW, DESC."""
    script = "\n".join([
        "status;",
        "show databases;",
        "use shop;",
        "show tables;",
        "desc orders;",
        "show create table orders\\G",
        "select TABLE_NAME, TABLE_MODEL from information_schema.tables_config where TABLE_SCHEMA = 'shop' order by TABLE_NAME;",
        "create database lab;",
        "use lab",
        "create table t1 (k int not null, v varchar(8)) primary key(k) distributed by hash(k) buckets 1;",
        "show tables;",
        "select count(*) from t1;",
        "set names utf8mb4;",
        "show variables like 'version%';",
    ]) + "\n"
    rc, out, err = mysql(qemu, "--auto-rehash", stdin=script)
    assert rc == 0, err
    assert "StarRocks version 3.3.5-emulator" in out  # status reads @@version_comment
    assert "information_schema\nother\nshop\n" in out
    assert "Tables_in_shop\nlogs\norders\nstrict\nversioned\n" in out
    assert "id\tbigint\tNO\ttrue\tNULL\t\n" in out
    assert "PRIMARY KEY(`id`)" in out
    assert "orders\tPRIMARY_KEYS\n" in out and "logs\tDUP_KEYS\n" in out
    assert "Tables_in_lab\nt1\ncount(*)\n0\n" in out
    assert "version\t8.0.33\nversion_comment\tStarRocks version 3.3.5-emulator\n" in out


def test_select_of_a_stream_loaded_table_equals_the_dump(qemu):
    code, r = qemu.stream_load('{"id": 10, "name": "x y", "qty": 1, "price": 2.5}\n'
                               '{"id": 2, "name": null, "qty": null, "price": 0}\n', label="cli1")
    assert code == 200 and r["Status"] == "Success", r["Message"]
    rc, out, err = mysql(qemu, "shop", "-e", "SELECT * FROM orders")
    assert rc == 0, err
    rows = table(out)
    assert rows[0] == ("id", "name", "qty", "price")
    assert rows[1:] == dump_as_text(qemu)
    rc, out, err = mysql(qemu, "-e", "SELECT COUNT(*) FROM shop.orders; SELECT name FROM shop.orders WHERE id = 10")
    assert rc == 0, err
    assert out == "count(*)\n2\nname\nx y\n"


def test_errors_carry_mysql_codes(qemu):
    rc, out, err = mysql(qemu, "-e", "DELETE FROM shop.orders")
    assert rc == 1 and "ERROR 1064 (42000)" in err
    rc, out, err = mysql(qemu, "nodb", "-e", "select 1")
    assert rc == 1 and "ERROR 1049 (42000)" in err and "Unknown database 'nodb'" in err
    rc, out, err = mysql(qemu, "-e", "select * from shop.nope")
    assert rc == 1 and "ERROR 1064" in err and "Unknown table 'shop.nope'" in err
