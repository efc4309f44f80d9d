"""Helpers for the exactly-once tests: an sr-emulator process (with its admin API) and the
eo_host crash-test host (eo_host.c). Paths come from the environment that ctest sets:
SR_EMULATOR (the emulator binary) and EO_HOST (the host binary)."""
import json
import os
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

DB = "eo"
COLUMNS = [
    {"name": "id", "type": "BIGINT", "key": True, "nullable": False},
    {"name": "val", "type": "VARCHAR(32)"},
    {"name": "n", "type": "BIGINT"},
]


class Emulator:
    """One sr-emulator process on ports chosen by the OS, journaling into data_dir."""

    def __init__(self, data_dir, *extra):
        self.data_dir = data_dir
        self.extra = list(extra)
        self.proc = None
        self.start()

    def start(self, fe_port=0, be_port=0):
        args = [os.environ["SR_EMULATOR"], "--fe-port", str(fe_port), "--be-port", str(be_port),
                "--data-dir", self.data_dir] + self.extra
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()  # the one "ready" line with the ports
        if not line:
            raise RuntimeError("sr-emulator exited before it was ready: %s" % self.proc.wait())
        ready = json.loads(line)
        self.fe_port, self.be_port = ready["fe_port"], ready["be_ports"][0]
        self.url = "http://127.0.0.1:%d" % self.fe_port

    def kill(self):
        """SIGKILL: no clean shutdown, only the journal survives."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def restart(self, same_ports=False):
        """SIGKILL and start again from the journal; same_ports keeps URLs a live host holds."""
        self.kill()
        if same_ports:
            self.start(self.fe_port, self.be_port)
        else:
            self.start()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)

    def request(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def create_table(self, table):
        status, body = self.request("POST", "/_emulator/tables", {
            "db": DB, "table": table, "keys_type": "PRIMARY_KEYS", "columns": COLUMNS})
        assert status == 200, body

    def rows(self, table):
        status, body = self.request("GET", "/_emulator/tables/%s/%s/rows" % (DB, table))
        assert status == 200, body
        return [json.loads(line) for line in body.splitlines() if line.strip()]

    def stats(self):
        status, body = self.request("GET", "/_emulator/stats")
        assert status == 200, body
        return json.loads(body)

    def labels(self):
        return self.stats().get("labels", {}).get(DB, {})

    def fault(self, **spec):
        status, body = self.request("POST", "/_emulator/faults", spec)
        assert status == 200, body
        return json.loads(body)["id"]

    def fault_hits(self, fault_id):
        status, body = self.request("GET", "/_emulator/faults")
        assert status == 200, body
        for f in json.loads(body):
            if f.get("id") == fault_id:
                return f.get("hits", 0)
        return 0

    def clear_faults(self):
        self.request("DELETE", "/_emulator/faults")

    def advance_clock(self, seconds):
        status, body = self.request("POST", "/_emulator/clock", {"advance_s": seconds})
        assert status == 200, body

    def wait_for_hit(self, fault_id, timeout=60):
        """Waits until a request matched the fault (the emulator is holding it)."""
        deadline = time.monotonic() + timeout
        while self.fault_hits(fault_id) < 1:
            assert time.monotonic() < deadline, "no request reached fault %s" % fault_id
            time.sleep(0.02)


class Host:
    """One eo_host run. Arguments are eo_host's flags without the leading dashes."""

    def __init__(self, emulator, state, table, **flags):
        self.emulator = emulator
        self.state = str(state)
        self.table = table
        self.flags = flags

    def args(self, **extra):
        flags = dict(self.flags)
        flags.update(extra)
        out = [os.environ["EO_HOST"], "--url", self.emulator.url, "--state", self.state,
               "--table", "%s.%s" % (DB, self.table)]
        for k, v in flags.items():
            if v is not None:
                out += ["--" + k.replace("_", "-"), str(v)]
        return out

    def run(self, timeout=240, **extra):
        """Runs to its end (or its crash point); returns (returncode, stdout lines)."""
        p = subprocess.run(self.args(**extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=timeout)
        return p.returncode, p.stdout.splitlines(), p.stderr

    def spawn(self, **extra):
        # stderr (the library's log) goes to a file: a full pipe would block the host.
        err = tempfile.TemporaryFile(mode="w+")
        proc = subprocess.Popen(self.args(**extra), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=err, text=True)
        proc.errfile = err
        return proc


def stderr_of(proc):
    proc.errfile.seek(0)
    return proc.errfile.read()


def wait_until(predicate, timeout=60):
    """Polls an observable condition of the emulator (there is no event to wait on)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached within %ss" % timeout
        time.sleep(0.02)


def read_until(proc, prefix, timeout=120):
    """Reads the host's stdout until a line starting with `prefix` (returns it)."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise AssertionError("host ended before %r; output: %s; stderr: %s"
                                 % (prefix, seen, stderr_of(proc)))
        seen.append(line.strip())
        if line.startswith(prefix):
            return line.strip()
    raise AssertionError("no %r within %ss; output: %s" % (prefix, timeout, seen))


def stream(rows, keys=50, key_base=0):
    """The rows eo_host writes, as (op, key, row) tuples (see eo_host.c)."""
    for i in range(rows):
        key = key_base + (i * 7) % keys
        yield ("delete" if i % 5 == 4 else "upsert"), key, {"id": key, "val": "v%d,\"|\t\n\\N'" % i, "n": i}


def expected_table(rows, keys=50, key_base=0):
    table = {}
    for op, key, row in stream(rows, keys, key_base):
        if op == "delete":
            table.pop(key, None)
        else:
            table[key] = row
    return table


def expected_ops(rows, keys=50, key_base=0):
    ups = sum(1 for op, _, _ in stream(rows, keys, key_base) if op == "upsert")
    return ups, rows - ups


def assert_exactly_once(emu, table, prefix, hosts):
    """hosts: list of (rows, keys, key_base) per writer of `table`."""
    want = {}
    ups = dels = 0
    for rows, keys, key_base in hosts:
        want.update(expected_table(rows, keys, key_base))
        u, d = expected_ops(rows, keys, key_base)
        ups += u
        dels += d
    got = {r["id"]: r for r in emu.rows(table)}
    assert got == want
    stats = emu.stats()
    mine = {l: s for l, s in stats.get("labels", {}).get(DB, {}).items()
            if l.startswith(prefix + "-")}
    for label, s in mine.items():
        assert s.get("commits", 0) <= 1, "label %s applied %s times" % (label, s["commits"])
        assert s["state"] not in ("PREPARE", "PREPARED"), "label %s left %s" % (label, s["state"])
    t = stats["tables"]["%s.%s" % (DB, table)]
    assert (t["upserts"], t["deletes"]) == (ups, dels), \
        "every row applied once: want %d upserts %d deletes, emulator counted %s" % (ups, dels, t)
