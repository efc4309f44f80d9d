"""Fixtures that run the real sr-emulator process and drive it like a client would.

Loads go through real `curl` commands in the form StarRocks' documentation gives; table
contents are checked through the admin dump endpoint. Time-dependent behaviour (timeouts,
expiry, retention) uses the emulated clock (/_emulator/clock), never real sleeps.
"""
import itertools
import json
import os
import selectors
import signal
import subprocess
import urllib.error
import urllib.request
from decimal import Decimal

import pytest

EMULATOR = os.environ.get("SR_EMULATOR", "")
_file_seq = itertools.count()

DEFAULT_CATALOG = {
    "databases": {
        "shop": {
            "tables": {
                "orders": {
                    "keys_type": "PRIMARY_KEYS",
                    "columns": [
                        {"name": "id", "type": "BIGINT", "key": True, "nullable": False},
                        {"name": "name", "type": "VARCHAR(32)"},
                        {"name": "qty", "type": "INT"},
                        {"name": "price", "type": "DECIMAL(10,2)"},
                    ],
                },
                "versioned": {
                    "keys_type": "PRIMARY_KEYS",
                    "columns": [
                        {"name": "id", "type": "INT", "key": True},
                        {"name": "ver", "type": "INT"},
                        {"name": "val", "type": "VARCHAR(16)"},
                    ],
                },
                "logs": {
                    "keys_type": "DUP_KEYS",
                    "columns": [
                        {"name": "seq", "type": "INT", "key": True},
                        {"name": "msg", "type": "VARCHAR(100)"},
                    ],
                },
                "strict": {
                    "keys_type": "PRIMARY_KEYS",
                    "columns": [
                        {"name": "id", "type": "INT", "key": True},
                        {"name": "v", "type": "INT", "nullable": False},
                    ],
                },
            }
        },
        "other": {"tables": {}},
    }
}


class Emulator:
    """One running sr-emulator process."""

    def __init__(self, tmp_path, args=(), catalog=None, data_dir=None):
        if not EMULATOR:
            pytest.skip("SR_EMULATOR is not set (run through ctest)")
        self.tmp_path = tmp_path
        self.args = list(args)
        self.catalog_file = tmp_path / "catalog.json"
        self.catalog_file.write_text(json.dumps(catalog if catalog is not None else DEFAULT_CATALOG))
        self.data_dir = data_dir
        self.proc = None
        self.start()

    def start(self):
        cmd = [EMULATOR, "--fe-port", "0", "--catalog", str(self.catalog_file)]
        if "--be-port" not in self.args:
            cmd += ["--be-port", "0"]
        if self.data_dir is not None:
            cmd += ["--data-dir", str(self.data_dir)]
        cmd += self.args
        self.stderr = open(self.tmp_path / "emulator.stderr", "ab")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.stderr)
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout=30):
            self.proc.kill()
            raise RuntimeError("sr-emulator did not print its ready line")
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("sr-emulator exited: " + (self.tmp_path / "emulator.stderr").read_text())
        self.ready = json.loads(line)
        self.fe_port = self.ready["fe_port"]
        self.be_ports = self.ready["be_ports"]
        self.be_port = self.be_ports[0]

    def stop(self, sig=signal.SIGTERM):
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=30)
        self.proc.stdout.close()
        self.stderr.close()
        self.proc = None
        return rc

    def restart(self, sig=signal.SIGKILL):
        self.stop(sig)
        self.start()

    # ---- URLs ----
    def fe(self, path):
        return "http://127.0.0.1:%d%s" % (self.fe_port, path)

    def be(self, path, index=0):
        return "http://127.0.0.1:%d%s" % (self.be_ports[index], path)

    # ---- admin API (plain HTTP, no auth) ----
    def admin(self, method, path, body=None):
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        req = urllib.request.Request(self.fe(path), data=data, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def rows_raw(self, db="shop", table="orders"):
        status, text = self.admin("GET", "/_emulator/tables/%s/%s/rows" % (db, table))
        assert status == 200, text
        return [line for line in text.split("\n") if line]

    def rows(self, db="shop", table="orders"):
        return [json.loads(line, parse_float=Decimal) for line in self.rows_raw(db, table)]

    def stats(self):
        status, text = self.admin("GET", "/_emulator/stats")
        assert status == 200
        return json.loads(text)

    def label_stats(self, label, db="shop"):
        return self.stats()["labels"].get(db, {}).get(label)

    def advance(self, seconds):
        status, text = self.admin("POST", "/_emulator/clock", {"advance_s": seconds})
        assert status == 200, text
        return json.loads(text)["now"]

    def fault(self, **kw):
        status, text = self.admin("POST", "/_emulator/faults", kw)
        assert status == 200, text
        return json.loads(text)["id"]

    def faults(self):
        return json.loads(self.admin("GET", "/_emulator/faults")[1])

    # ---- client calls through real curl ----
    def curl(self, *args, timeout=60):
        """Runs curl; returns (last HTTP status, body text)."""
        cmd = ["curl", "-sS", "-o", "-", "-w", "\n%{http_code}"] + list(args)
        out = subprocess.run(cmd, capture_output=True, timeout=timeout)
        text = out.stdout.decode(errors="replace")
        body, _, code = text.rpartition("\n")
        return int(code or 0), body

    def write(self, name, content):
        # Unique names: concurrent test threads must never share a body file.
        path = self.tmp_path / ("%d-%s" % (next(_file_seq), name))
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path

    def stream_load(self, body, label=None, db="shop", table="orders", fmt="json", headers=(), user="root:",
                    target=None, expect=True):
        """The documented form:
        curl --location-trusted -u root: -H "label:l1" -H "Expect:100-continue" -H "format: json"
             -T rows.json http://127.0.0.1:PORT/api/shop/orders/_stream_load"""
        path = self.write("body-%s.dat" % (label or "nolabel"), body)
        args = ["--location-trusted", "-u", user]
        if label is not None:
            args += ["-H", "label:%s" % label]
        args += ["-H", "Expect:100-continue" if expect else "Expect:"]
        if fmt is not None:
            args += ["-H", "format: %s" % fmt]
        for h in headers:
            args += ["-H", h]
        url = target or self.fe("/api/%s/%s/_stream_load" % (db, table))
        args += ["-T", str(path), url]
        code, text = self.curl(*args)
        return code, (json.loads(text) if text.strip().startswith("{") else text)

    def txn(self, op, label, db="shop", table="orders", body=None, headers=(), user="root:", target=None):
        """/api/transaction/{op} the way the StarRocks docs show it (POST, or PUT -T for load)."""
        args = ["--location-trusted", "-u", user, "-H", "label:%s" % label, "-H", "db:%s" % db]
        if table is not None:
            args += ["-H", "table:%s" % table]
        for h in headers:
            args += ["-H", h]
        url = target or self.fe("/api/transaction/%s" % op)
        if op == "load":
            path = self.write("txn-%s.dat" % label, body if body is not None else b"")
            args += ["-H", "Expect:100-continue", "-T", str(path), url]
        else:
            args += ["-XPOST", url]
        code, text = self.curl(*args)
        return code, (json.loads(text) if text.strip().startswith("{") else text)

    def load_state(self, label, db="shop"):
        code, text = self.curl("--location-trusted", "-u", "root:",
                              self.fe("/api/%s/get_load_state?label=%s" % (db, label)))
        assert code == 200, text
        return json.loads(text)


@pytest.fixture
def emu(tmp_path):
    e = Emulator(tmp_path)
    yield e
    assert e.stop() == 0, "sr-emulator did not shut down cleanly"


@pytest.fixture
def make_emu(tmp_path):
    """Factory for emulators with extra command-line options."""
    started = []

    def make(args=(), catalog=None, data_dir=None, sub="e"):
        d = tmp_path / ("%s%d" % (sub, len(started)))
        d.mkdir()
        e = Emulator(d, args=args, catalog=catalog, data_dir=data_dir)
        started.append(e)
        return e

    yield make
    for e in started:
        if e.proc is not None:
            assert e.stop() == 0


def ndjson(*objs):
    return "".join(json.dumps(o) + "\n" for o in objs)
