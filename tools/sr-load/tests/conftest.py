"""Fixtures for sr-load's end-to-end tests: a real sr-emulator on loopback (port 0, a temp data
dir per test) and a runner for the real sr-load binary. Paths come from ctest's environment:
SR_EMULATOR, SR_LOAD, SR_LOAD_GEN, SR_LOAD_CHECKSUM (see CMakeLists.txt)."""
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "demo"))
import checksum  # noqa: E402

SR_LOAD = os.environ.get("SR_LOAD", "sr-load")
SR_EMULATOR = os.environ.get("SR_EMULATOR", "sr-emulator")
# The password of user `alice` on the emulator: it must never appear in sr-load's output.
PASSWORD = "Pa55-w0rd-Never-Printed"
WAIT_S = 120  # upper bound for an awaited event on a loaded machine; events end waits early

CATALOG = {"databases": {"shop": {"tables": {
    "orders": {"keys_type": "PRIMARY_KEYS", "columns": [
        {"name": "id", "type": "BIGINT", "key": True, "nullable": False},
        {"name": "name", "type": "VARCHAR(64)"},
        {"name": "qty", "type": "INT", "nullable": False},
        {"name": "price", "type": "DECIMAL(10,2)"},
        {"name": "note", "type": "VARCHAR(64)"}]}}}}}


class Emulator:
    def __init__(self, tmp_path):
        cat = tmp_path / "catalog.json"
        cat.write_text(json.dumps(CATALOG))
        self.proc = subprocess.Popen(
            [SR_EMULATOR, "--fe-port", "0", "--be-port", "0", "--bind", "127.0.0.1",
             "--catalog", str(cat), "--data-dir", str(tmp_path / "emu-data"),
             "--users", f"root:,alice:{PASSWORD}"],
            stdout=subprocess.PIPE, stderr=open(tmp_path / "emulator.log", "wb"), text=True)
        ready = json.loads(self.proc.stdout.readline())
        self.url = f"http://127.0.0.1:{ready['fe_port']}"

    def _req(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.read().decode()

    def stats(self):
        return json.loads(self._req("GET", "/_emulator/stats"))

    def table_stats(self, table="shop.orders"):
        return self.stats()["tables"].get(table, {})

    def labels(self, db="shop"):
        return self.stats().get("labels", {}).get(db, {})

    def rows(self, db="shop", table="orders"):
        text = self._req("GET", f"/_emulator/tables/{db}/{table}/rows")
        return [json.loads(l) for l in text.splitlines() if l.strip()]

    def rows_text(self, db="shop", table="orders"):
        return self._req("GET", f"/_emulator/tables/{db}/{table}/rows")

    def fault(self, **spec):
        return json.loads(self._req("POST", "/_emulator/faults", spec))["id"]

    def faults(self):
        return json.loads(self._req("GET", "/_emulator/faults"))

    def clear_faults(self):
        self._req("DELETE", "/_emulator/faults")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


@pytest.fixture
def emu(tmp_path):
    e = Emulator(tmp_path)
    yield e
    e.stop()


def sr_load_cmd(emu, *args, table="shop.orders", user="alice", extra_env_var="SRL_PW"):
    cmd = [SR_LOAD, "--url", emu.url, "--user", user, "--password-env", extra_env_var,
           "--table", table, "--progress", "log", "--progress-interval", "0.5"]
    return cmd + list(args)


def env_with_password(password=PASSWORD):
    env = dict(os.environ)
    env["SRL_PW"] = password
    return env


class Result:
    def __init__(self, rc, out, err):
        self.rc, self.out, self.err = rc, out, err

    def __repr__(self):
        return f"rc={self.rc}\nstdout:\n{self.out}\nstderr:\n{self.err}"


def run(cmd, input_text=None, env=None, password=PASSWORD, timeout=600):
    p = subprocess.run(cmd, input=input_text, capture_output=True, text=True,
                       env=env or env_with_password(password), timeout=timeout)
    res = Result(p.returncode, p.stdout, p.stderr)
    assert PASSWORD not in p.stdout and PASSWORD not in p.stderr, "the password was printed"
    if password:
        assert password not in p.stdout + p.stderr, "the password was printed"
    return res


def ndjson(rows):
    return "".join(json.dumps(r) + "\n" for r in rows)


def expected_table(rows, op_field="__op"):
    """Applies upserts/deletes in order, like a Primary Key table. Returns {id: row}."""
    table = {}
    for r in rows:
        r = dict(r)
        op = r.pop(op_field, 0)
        if op in (1, "1", "delete"):
            table.pop(r["id"], None)
        else:
            table[r["id"]] = r
    return table


def wait_for(pred, what, timeout=WAIT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def state_file(path):
    """The state file as a dict of its last value per key."""
    try:
        with open(path) as f:
            return dict(l.rstrip("\n").split(" ", 1) for l in f if " " in l)
    except FileNotFoundError:
        return {}


def interruption_warnings(err):
    """The warning lines of an interrupted run, less the library's open-time notice that the input
    lacks some table columns (upserts reset them), which is not about the interruption."""
    return [l for l in err.splitlines()
            if "warning" in l and "is opened without column(s)" not in l]
