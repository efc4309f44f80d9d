"""The interruption matrix (issue #11): a run of sr-load is interrupted before, at or after its
first checkpoint — the credentials are refused, the FE becomes unreachable, Ctrl-C, kill -9 —
and the rerun of the same command must leave the table exactly as loading the input once would:
every row, row 1 included, nothing twice (on_checkpoint: by the emulator's counters), and no
transaction left PREPARE or PREPARED.

The input comes through a pipe the test controls and the FE through fe_proxy.FeProxy, so every
point is an event (a row count, a state file, a request), never a sleep. Points:
  before - refused credentials / closed port: from the start (sr_sink_open fails).
           SIGINT / SIGKILL: after a random number of rows of epoch 1, or on a random request
           of sr_sink_open (schema fetch, recovery probe).
  at     - on a random request of checkpoint 1 (on_checkpoint: its transaction's begin, load,
           prepare or commit; on_watermark: its stream load). Rows are only sent at checkpoints
           (batch_max_rows is large), so the first such request belongs to checkpoint 1.
  after  - on a random request of checkpoint 2, once checkpoint 1 is committed.
Randomness is seeded: SR_LOAD_MATRIX_SEED (printed; a failing case prints its own seed)."""
import json
import os
import random
import signal
import subprocess
import threading
import urllib.request
import zlib

from conftest import (CATALOG, PASSWORD, WAIT_S, interruption_warnings, run, sr_load_cmd,
                      state_file, wait_for)
from fe_proxy import CLOSE, FORWARD, HOLD, FeProxy, closed_port_url

N_ROWS = 2000          # input records per case
CKPT_ROWS = 500        # --checkpoint-rows: checkpoints 1..4
BASE_SEED = int(os.environ.get("SR_LOAD_MATRIX_SEED", random.randrange(1 << 30)))
print(f"interruption matrix: SR_LOAD_MATRIX_SEED={BASE_SEED}")

KINDS = ["password", "unreachable", "sigint", "sigkill"]
POINTS = ["before", "at", "after"]
MODES = ["on_checkpoint", "on_watermark"]
CHECKPOINT_REQUESTS = {
    "on_checkpoint": [b"/api/transaction/begin", b"/api/transaction/load",
                      b"/api/transaction/prepare", b"/api/transaction/commit"],
    "on_watermark": [b"/_stream_load"],
}
OPEN_REQUESTS = {  # on_watermark has no recovery, so no probes
    "on_checkpoint": [b"/schema", b"/get_load_state"],
    "on_watermark": [b"/schema"],
}


def make_records(rng):
    """Upserts, updates and deletes; record 1 inserts id 1, which nothing later touches, so a
    run that loses the first row shows."""
    recs = [{"id": 1, "name": "first, \"row\"", "qty": 1, "price": "1.00"}]
    live, next_id = [], 2
    while len(recs) < N_ROWS:
        r = rng.random()
        if r < 0.6 or not live:
            i, next_id = next_id, next_id + 1
            live.append(i)
            recs.append({"id": i, "name": f"n{i}", "qty": rng.randrange(100),
                         "price": f"{rng.randrange(10000) / 100:.2f}"})
        elif r < 0.8:
            i = rng.choice(live)
            recs.append({"id": i, "name": f"u,{len(recs)}", "qty": rng.randrange(100),
                         "price": f"{rng.randrange(10000) / 100:.2f}"})
        else:
            i = live.pop(rng.randrange(len(live)))
            recs.append({"id": i, "__op": 1})
    return recs


def to_text(recs, fmt):
    if fmt == "ndjson":
        return [json.dumps(r) + "\n" for r in recs]
    def q(s):
        return '"' + s.replace('"', '""') + '"'
    lines = ["id,name,qty,price,__op\n"]
    for r in recs:
        if r.get("__op"):
            lines.append(f"{r['id']},,,,delete\n")
        else:
            lines.append(f"{r['id']},{q(r['name'])},{r['qty']},{r['price']},\n")
    return lines


def expected(recs):
    table = {}
    for r in recs:
        if r.get("__op"):
            table.pop(r["id"], None)
        else:
            table[r["id"]] = (r["name"], r["qty"], round(float(r["price"]), 2))
    return table


class Case:
    """One cell of the matrix on the shared emulator: its own table and its own user."""

    def __init__(self, emu, tmp_path, fmt, mode, columns, kind, point):
        self.emu, self.tmp, self.fmt, self.mode = emu, tmp_path, fmt, mode
        self.columns, self.kind, self.point = columns, kind, point
        name = f"{fmt}-{mode}-{'cols' if columns else 'nocols'}-{kind}-{point}"
        self.seed = (BASE_SEED ^ zlib.crc32(name.encode())) & 0x7FFFFFFF
        print(f"case {name}: seed {self.seed} (SR_LOAD_MATRIX_SEED={BASE_SEED})")
        self.rng = random.Random(self.seed)
        self.table = "t_" + name.replace("-", "_")
        self.user = "u_" + name.replace("-", "_")
        self.pw_file = tmp_path / "pw"
        self.right_pw = PASSWORD + "-" + str(self.seed)
        self._admin("POST", "/_emulator/tables",
                    {"db": "shop", "table": self.table, "keys_type": "PRIMARY_KEYS",
                     "columns": CATALOG["databases"]["shop"]["tables"]["orders"]["columns"]})
        self._admin("POST", "/_emulator/users", {"user": self.user, "password": self.right_pw})
        self.recs = make_records(self.rng)
        self.lines = to_text(self.recs, fmt)
        self.header = 1 if fmt == "csv" else 0

    def _admin(self, method, path, body):
        req = urllib.request.Request(self.emu.url + path, data=json.dumps(body).encode(),
                                     method=method)
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.read()

    def cmd(self, url, first_run):
        args = ["--mode", self.mode, "--format", self.fmt, "--checkpoint-rows", str(CKPT_ROWS),
                "--checkpoint-seconds", "0", "--state-file", str(self.tmp / "st"),
                "--password-file", str(self.pw_file), "--option", "batch_max_rows=1000000"]
        if self.columns:
            args += ["--columns", "id,name,qty,price"]
        if first_run:  # fail fast when refused or unreachable
            args += ["--option", "max_retries=1", "--option", "retry_backoff_ms=20"]
        cmd = sr_load_cmd(self.emu, *args, "-", table=f"shop.{self.table}", user=self.user)
        i = cmd.index("--password-env")
        del cmd[i:i + 2]
        cmd[cmd.index("--url") + 1] = url
        return cmd

    def rows_text(self, n):
        return "".join(self.lines[:self.header + n])

    # ---- the interrupted run --------------------------------------------------------------

    def interrupt(self):
        proxy = FeProxy(int(self.emu.url.rsplit(":", 1)[1]))
        self.pw_file.write_text(self.right_pw + "\n")
        url = proxy.url
        p = None

        def signal_action(sig):
            def act():
                p.send_signal(sig)
                return HOLD
            return act

        def refuse_credentials():
            # The password changes on the server; the one sr-load reads is now wrong.
            self.right_pw += "-rotated"
            self._admin("POST", "/_emulator/users", {"user": self.user, "password": self.right_pw})
            return FORWARD

        strike = {"password": refuse_credentials, "unreachable": lambda: CLOSE,
                  "sigint": signal_action(signal.SIGINT),
                  "sigkill": signal_action(signal.SIGKILL)}[self.kind]
        where = ""
        rows_first = None  # rows fed before the strike is armed
        if self.point == "before":
            if self.kind == "password":
                self.pw_file.write_text("Wrong-" + self.right_pw + "\n")
                where = "wrong password from the start"
            elif self.kind == "unreachable":
                proxy.close()
                url = closed_port_url()
                where = "closed port from the start"
            elif self.rng.random() < 0.5:
                pattern = self.rng.choice(OPEN_REQUESTS[self.mode])
                proxy.arm(pattern, strike)
                where = f"on request {pattern.decode()} of sr_sink_open"
            else:
                rows_first = self.rng.randrange(1, CKPT_ROWS)
                where = f"after {rows_first} rows fed"
        else:
            pattern = self.rng.choice(CHECKPOINT_REQUESTS[self.mode])
            if self.point == "at":
                proxy.arm(pattern, strike)
            where = f"on request {pattern.decode()} of checkpoint {1 if self.point == 'at' else 2}"
        print(f"  strike: {self.kind} {self.point}: {where}")

        err_path = self.tmp / "run1.err"
        with open(err_path, "w") as err:
            p = subprocess.Popen(self.cmd(url, True), stdin=subprocess.PIPE,
                                 stdout=subprocess.DEVNULL, stderr=err, text=True)
        feeders = []

        def feed(text):
            def w():
                try:
                    p.stdin.write(text)
                    p.stdin.flush()
                except (BrokenPipeError, OSError, ValueError):
                    pass
            t = threading.Thread(target=w, daemon=True)
            t.start()
            feeders.append(t)

        try:
            if rows_first is not None:
                feed(self.rows_text(rows_first))
                feeders[-1].join(WAIT_S)
                strike()
            elif self.point == "after":
                feed(self.rows_text(CKPT_ROWS))
                self._wait_checkpoint_1_committed()
                proxy.arm(pattern, strike)
                feed("".join(self.lines[self.header + CKPT_ROWS:]))
            else:
                feed(self.rows_text(N_ROWS))
            try:
                rc = p.wait(timeout=WAIT_S)
            except subprocess.TimeoutExpired:
                p.kill()
                raise AssertionError(f"the run did not stop ({where}); FE requests seen: "
                                     f"{proxy.seen[-20:]}")
        finally:
            try:
                p.stdin.close()
            except OSError:
                pass
            proxy.close()
        for t in feeders:
            t.join(WAIT_S)
        err = err_path.read_text()
        assert PASSWORD not in err and self.right_pw not in err, "the password was printed"
        want_rc = {"password": [1], "unreachable": [1], "sigint": [130],
                   "sigkill": [-signal.SIGKILL]}[self.kind]
        if self.kind == "sigint" and rows_first is not None:
            want_rc.append(-signal.SIGINT)  # the signal came before sr-load took it over
        assert rc in want_rc, f"{where}: rc {rc}\n{err}"
        if self.kind == "password":
            assert "SR_SINK_E_AUTH" in err, err
        if self.kind == "sigint" and rc == 130:
            # Ctrl-C's message is calm: no warning about a rollback the rerun handles anyway.
            assert not interruption_warnings(err), err
            assert "Rerun the same command" in err or "rerunning the same command" in err, err
        return err

    def _wait_checkpoint_1_committed(self):
        wait_for(lambda: int(state_file(self.tmp / "st").get("checkpoint", 0)) >= 1,
                 "checkpoint 1 in the state file")
        if self.mode == "on_checkpoint":
            wait_for(lambda: any(v["state"] == "VISIBLE" for v in self.labels().values()),
                     "checkpoint 1 committed")

    # ---- the rerun and the checks ---------------------------------------------------------

    def labels(self):
        return {l: v for l, v in self.emu.labels().items() if v.get("table") == self.table}

    def resume_and_check(self, first_err):
        self.pw_file.write_text(self.right_pw + "\n")
        r = run(self.cmd(self.emu.url, False), input_text=self.rows_text(N_ROWS),
                env=dict(os.environ), password=None)
        assert r.rc == 0, f"first run:\n{first_err}\nrerun:\n{r}"
        assert self.right_pw not in r.out + r.err
        got = {x["id"]: (x["name"], x["qty"], round(float(x["price"]), 2) if x["price"] is not None
                         else None)
               for x in self.emu.rows(table=self.table)}
        want = expected(self.recs)
        assert 1 in got, f"row 1 was lost\nfirst run:\n{first_err}\nrerun:\n{r}"
        missing = sorted(set(want) - set(got))[:10]
        extra = sorted(set(got) - set(want))[:10]
        wrong = [k for k in want if k in got and got[k] != want[k]][:10]
        assert not missing and not extra and not wrong, \
            f"missing {missing} extra {extra} wrong {[(k, got[k], want[k]) for k in wrong]}\n" \
            f"first run:\n{first_err}\nrerun:\n{r}"
        labels = self.labels()
        unfinished = [l for l, v in labels.items() if v["state"] in ("PREPARE", "PREPARED")]
        assert not unfinished, f"left unfinished: {unfinished}"
        assert all(v["commits"] <= 1 for v in labels.values()), labels
        t = self.emu.table_stats(f"shop.{self.table}")
        applied = t.get("upserts", 0) + t.get("deletes", 0)
        if self.mode == "on_checkpoint":
            assert applied == N_ROWS, f"{applied} rows applied for {N_ROWS} input rows"
        else:
            assert applied >= N_ROWS


def run_case(emu, tmp_path, fmt, mode, columns, kind, point):
    case = Case(emu, tmp_path, fmt, mode, columns, kind, point)
    first_err = case.interrupt()
    case.resume_and_check(first_err)
