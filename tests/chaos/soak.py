#!/usr/bin/env python3
"""Seeded chaos soak (issue #18): real hosts against a real sr-emulator with random faults,
random SIGKILL/SIGINT of the host, random emulator restarts (SIGKILL, then a restart on the same
ports with its journal) and random cancels — then the emulator's table and counters are checked.

One iteration:
  1. a fresh emulator (own data dir, fixed ports so a restart keeps them) and a random input:
     NDJSON or CSV, upserts, updates and deletes of ids that repeat;
  2. a host: sr-load in on_checkpoint or on_watermark mode, with a state file;
  3. up to --attempts chaotic runs: before each, random faults (drops, hangs, 5xx, Publish
     Timeout, not-master, too-many-versions, 401, delays, apply-then-drop) are armed on random
     points; during it, at a random moment, the host may get SIGKILL or SIGINT (sr-load's SIGINT
     calls sr_sink_cancel from its signal thread: a cancel at a random moment), and the emulator
     may be SIGKILLed and restarted with its journal;
  4. the faults are cleared and the same command is rerun until it succeeds (the final recovery;
     it must succeed within a few clean runs);
  5. checks: the table equals the input applied in order; on_checkpoint: exactly once — every
     label committed at most once, and the rows loaded by the visible labels add up to the
     input's row count; both modes: no transaction left PREPARE/PREPARED.

Everything random comes from one seed, printed at the start and with every failure:
`soak.py --seed N` repeats a run (timing-dependent events can differ, the choices cannot).
Exit 0 when every iteration passed, 1 otherwise (the failing seeds and their logs are named).

Usage: soak.py --emulator PATH --sr-load PATH [--iterations N] [--minutes M] [--seed S]
               [--workdir DIR] [--keep]"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

# eo_host's row formula lives in one place, beside eo_host.c.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "exactly_once"))
import eo_harness  # noqa: E402

PASSWORD = "Chaos-Pa55-never-printed"
CATALOG = {"databases": {"shop": {"tables": {
    "orders": {"keys_type": "PRIMARY_KEYS", "columns": [
        {"name": "id", "type": "BIGINT", "key": True, "nullable": False},
        {"name": "name", "type": "VARCHAR(64)"},
        {"name": "qty", "type": "INT", "nullable": False}]}}},
    # eo_host's table (tests/exactly_once/eo_host.c).
    "eo": {"tables": {"t": {"keys_type": "PRIMARY_KEYS", "columns": [
        {"name": "id", "type": "BIGINT", "key": True, "nullable": False},
        {"name": "val", "type": "VARCHAR(32)"},
        {"name": "n", "type": "BIGINT"}]}}}}}

# Fault points each mode's requests pass through, and the actions drawn for them.
POINTS = {
    "on_checkpoint": ["txn_begin", "txn_load", "txn_prepare", "txn_commit", "txn_rollback",
                      "get_load_state", "schema_v2", "schema_sql", "any"],
    "on_watermark": ["fe_stream_load", "be_stream_load", "schema_v2", "schema_sql", "any"],
}


def fault_action(rng):
    kind = rng.choice(["500", "503", "401", "drop", "apply_then_drop", "hang", "publish_timeout",
                       "not_master", "too_many_versions", "delay", "be_unreachable"])
    if kind in ("500", "503", "401"):
        return {"action": "http_status", "code": int(kind)}
    if kind == "drop":
        return {"action": "drop", "after_bytes": rng.choice([0, 10, 1000])}
    if kind == "delay":
        return {"action": "delay", "ms": rng.randrange(50, 1500)}
    if kind == "publish_timeout":
        return {"action": "publish_timeout", "publish_delay_s": rng.randrange(1, 10)}
    return {"action": kind}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Emulator:
    def __init__(self, path, dirpath):
        self.path, self.dir = path, dirpath
        self.fe_port, self.be_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.fe_port}"
        with open(os.path.join(dirpath, "catalog.json"), "w") as f:
            json.dump(CATALOG, f)
        self.proc = None
        self.restarts = 0
        self.start()

    def start(self):
        log = open(os.path.join(self.dir, "emulator.log"), "ab")
        for attempt in range(50):  # the old process's ports can take a moment to be free
            self.proc = subprocess.Popen(
                [self.path, "--fe-port", str(self.fe_port), "--be-port", str(self.be_port),
                 "--bind", "127.0.0.1", "--catalog", os.path.join(self.dir, "catalog.json"),
                 "--data-dir", os.path.join(self.dir, "emu-data"),
                 "--users", f"root:,alice:{PASSWORD}"],
                stdout=subprocess.PIPE, stderr=log, text=True)
            line = self.proc.stdout.readline()
            if line.strip():
                json.loads(line)
                return
            self.proc.wait()
            time.sleep(0.1)
        raise RuntimeError("sr-emulator did not start (see emulator.log)")

    def kill_and_restart(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.restarts += 1
        self.start()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def req(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        r = urllib.request.Request(self.url + path, data=data, method=method)
        with urllib.request.urlopen(r, timeout=60) as resp:
            return resp.read().decode()

    def stats(self):
        return json.loads(self.req("GET", "/_emulator/stats"))

    def rows(self, db="shop", table="orders"):
        text = self.req("GET", f"/_emulator/tables/{db}/{table}/rows")
        return [json.loads(l) for l in text.splitlines() if l.strip()]


def make_input(rng, n):
    """Records with ids that repeat (updates), deletes of live ids, and quoting-hostile text."""
    recs, live, next_id = [], [], 1
    for _ in range(n):
        r = rng.random()
        if r < 0.1 and live:
            recs.append({"id": rng.choice(live), "__op": 1})
        elif r < 0.35 and live:
            i = rng.choice(live)
            recs.append({"id": i, "name": f"u{i},\"{rng.randrange(1000)}\"", "qty": rng.randrange(1 << 20)})
        else:
            i, next_id = next_id, next_id + 1
            live.append(i)
            recs.append({"id": i, "name": f"n{i} é", "qty": rng.randrange(1 << 20)})
    return recs


def expected_table(recs):
    table = {}
    for r in recs:
        if r.get("__op") == 1:
            table.pop(r["id"], None)
        else:
            table[r["id"]] = {k: v for k, v in r.items() if k != "__op"}
    return table


def write_input(path, recs, fmt):
    with open(path, "w", encoding="utf-8") as f:
        if fmt == "ndjson":
            for r in recs:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        else:
            f.write("id,name,qty,__op\n")
            for r in recs:
                if r.get("__op") == 1:
                    f.write(f"{r['id']},,0,1\n")
                else:
                    name = '"' + r["name"].replace('"', '""') + '"'
                    f.write(f"{r['id']},{name},{r['qty']},0\n")


class Iteration:
    def __init__(self, args, seed, workdir):
        self.args, self.seed, self.dir = args, seed, workdir
        self.rng = random.Random(seed)
        self.log_lines = []

    def log(self, msg):
        line = f"[seed {self.seed}] {msg}"
        self.log_lines.append(line)
        if self.args.verbose:
            print(line, flush=True)

    def command(self):
        if self.host == "eo_host":
            cmd = [self.args.eo_host, "--url", self.emu.url, "--table", "eo.t", "--instance", "chaos",
                   "--state", os.path.join(self.dir, "eo_state"), "--rows", str(self.n_rows),
                   "--batch", str(self.eo_batch), "--ckpt-rows", str(self.ckpt_rows),
                   "--batch-max-rows", str(self.batch_rows), "--keys", str(self.eo_keys)]
            if self.cancel_ms is not None:
                cmd += ["--cancel-after-ms", str(self.cancel_ms)]
            return cmd
        return [self.args.sr_load, "--url", self.emu.url, "--user", "alice",
                "--password-env", "CHAOS_PW", "--table", "shop.orders", "--mode", self.mode,
                "--format", self.fmt, "--checkpoint-rows", str(self.ckpt_rows),
                "--checkpoint-seconds", "0", "--state-file", os.path.join(self.dir, "state"),
                "--instance-id", "chaos", "--progress", "none",
                "--option", f"batch_max_rows={self.batch_rows}",
                "--option", "max_retries=3", "--option", "retry_backoff_ms=20",
                "--option", "request_timeout_ms=2000", "--option", "connect_timeout_ms=1000",
                "--option", "write_timeout_ms=10000",
                "-"]

    def run_host(self, timeout, chaos):
        """One run of the host; with chaos, a random SIGKILL/SIGINT and emulator restart."""
        env = dict(os.environ, CHAOS_PW=PASSWORD)
        out = open(os.path.join(self.dir, "host.log"), "ab")
        out.write(f"\n=== run ({'chaos' if chaos else 'clean'}) ===\n".encode())
        out.flush()
        # The input comes through a pipe at a bounded pace (the same bytes every run; sr-load
        # skips what the state file says is done), so a run lasts long enough for a strike to
        # land in the middle of it.
        # eo_host cancels its own sink from a thread (--cancel-after-ms) at a random moment.
        self.cancel_ms = None
        if chaos and self.host == "eo_host" and self.rng.random() < 0.5:
            self.cancel_ms = self.rng.randrange(0, int(self.feed_s * 1000) + 500)
            self.log(f"  the host will call sr_sink_cancel at {self.cancel_ms} ms")
        p = subprocess.Popen(self.command(), stdin=subprocess.PIPE, stdout=out, stderr=out, env=env)
        if self.host == "eo_host":
            p.stdin.close()
        else:
            threading.Thread(target=self.feed, args=(p,), daemon=True).start()
        timers = []
        if chaos:
            window = self.feed_s + 0.5
            if self.rng.random() < (0.3 if self.cancel_ms is not None else 0.6):
                # sr-load: SIGINT cancels its sink (signals.c), SIGKILL is a crash. eo_host has
                # no handler: SIGKILL only (it cancels itself instead).
                sig = (signal.SIGKILL if self.host == "eo_host"
                       else self.rng.choice([signal.SIGKILL, signal.SIGINT, signal.SIGINT]))
                at = self.rng.uniform(0, window)
                self.log(f"  will send {signal.Signals(sig).name} to the host at {at:.2f}s")

                def strike(sig=sig):
                    if p.poll() is None:
                        p.send_signal(sig)
                        self.log(f"  sent {signal.Signals(sig).name}")
                timers.append(threading.Timer(at, strike))
            if self.rng.random() < 0.3:
                at = self.rng.uniform(0, window)
                self.log(f"  will restart the emulator at {at:.2f}s")

                def restart():
                    running = p.poll() is None
                    self.emu.kill_and_restart()
                    self.log(f"  restarted the emulator (host {'running' if running else 'done'})")
                timers.append(threading.Timer(at, restart))
        for t in timers:
            t.start()
        try:
            rc = p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            rc = "timeout"
        for t in timers:
            t.cancel()
            if t.is_alive():
                t.join()
        out.close()
        return rc

    def feed(self, p):
        try:
            for k in range(0, len(self.data), self.chunk):
                p.stdin.write(self.data[k:k + self.chunk])
                p.stdin.flush()
                time.sleep(self.pause)
            p.stdin.close()
        except (BrokenPipeError, OSError, ValueError):
            pass  # the host stopped reading (it failed, or was killed)

    def arm_faults(self):
        n = self.rng.choice([0, 1, 1, 2, 3])
        for _ in range(n):
            spec = {"point": self.rng.choice(POINTS[self.mode]), "skip": self.rng.randrange(4),
                    "times": self.rng.choice([1, 1, 2, 3])}
            spec.update(fault_action(self.rng))
            if spec["action"] == "hang":  # each costs a request timeout: keep runs short
                spec["times"] = 1
            self.emu.req("POST", "/_emulator/faults", spec)
            self.log(f"  fault {json.dumps(spec)}")

    def run(self):
        rng = self.rng
        hosts = ["sr-load", "sr-load"] + (["eo_host"] if self.args.eo_host else [])
        self.host = rng.choice(hosts)
        if self.host == "eo_host":
            return self.run_eo_host()
        self.mode = rng.choice(["on_checkpoint", "on_watermark"])
        self.fmt = rng.choice(["ndjson", "csv"])
        n_rows = rng.randrange(200, self.args.max_rows)
        self.ckpt_rows = rng.randrange(20, max(21, n_rows // 2))
        self.batch_rows = rng.choice([50, 500, 100000])
        self.db, self.table = "shop", "orders"
        recs = make_input(rng, n_rows)
        self.input = os.path.join(self.dir, "input." + self.fmt)
        write_input(self.input, recs, self.fmt)
        with open(self.input, "rb") as f:
            self.data = f.read()
        self.feed_s = rng.uniform(0.5, self.args.feed_s)  # how long feeding the input takes
        self.chunk = 16384
        self.pause = self.feed_s / max(1, len(self.data) // self.chunk)
        self.log(f"host=sr-load mode={self.mode} format={self.fmt} rows={n_rows} checkpoint_rows={self.ckpt_rows} "
                 f"batch_max_rows={self.batch_rows}")
        self.emu = Emulator(self.args.emulator, self.dir)
        try:
            return self.drive(recs)
        finally:
            self.emu.stop()

    def run_eo_host(self):
        """tests/exactly_once/eo_host.c: a C host on the public ABI, on_checkpoint, that stores
        its token durably before commit and may cancel its sink from a thread at any moment."""
        rng = self.rng
        self.mode = "on_checkpoint"
        self.db, self.table = "eo", "t"
        self.n_rows = rng.randrange(200, self.args.max_rows)
        self.ckpt_rows = rng.randrange(20, max(21, self.n_rows // 3))
        self.batch_rows = rng.choice([15, 200, 5000])
        self.eo_batch = rng.randrange(1, 64)
        self.eo_keys = rng.randrange(10, 5000)
        self.feed_s = rng.uniform(0.3, 1.5)
        recs = []
        for op, key, row in eo_harness.stream(self.n_rows, self.eo_keys):
            recs.append({"id": key, "__op": 1} if op == "delete" else row)
        self.log(f"host=eo_host rows={self.n_rows} checkpoint_rows={self.ckpt_rows} "
                 f"batch_max_rows={self.batch_rows} keys={self.eo_keys}")
        self.emu = Emulator(self.args.emulator, self.dir)
        try:
            return self.drive(recs)
        finally:
            self.emu.stop()

    def drive(self, recs):
        rng = self.rng
        attempts = rng.randrange(1, self.args.attempts + 1)
        for a in range(attempts):
            self.log(f"chaos run {a + 1}/{attempts}")
            self.arm_faults()
            rc = self.run_host(self.args.run_timeout, chaos=True)
            self.log(f"  exit {rc}")
            if rc == 0:
                break
            if self.emu.proc.poll() is not None:
                return f"the emulator died (exit {self.emu.proc.returncode})"
            self.emu.req("DELETE", "/_emulator/faults")
        self.emu.req("DELETE", "/_emulator/faults")
        if self.args.sabotage:  # checks the checker: a host that loses its state file
            self.log("sabotage: the state file is deleted before the final run")
            try:
                os.unlink(os.path.join(self.dir, "eo_state" if self.host == "eo_host" else "state"))
            except FileNotFoundError:
                pass
        # Final recovery: clean reruns of the same command. One should do; a run that a
        # leftover (e.g. a publish still pending) makes fail is given a second chance.
        for k in range(3):
            rc = self.run_host(self.args.run_timeout, chaos=False)
            self.log(f"clean run {k + 1}: exit {rc}")
            if rc == 0:
                break
        else:
            return f"the clean reruns did not succeed (last exit {rc})"
        # Let delayed publishes finish (emulated clock), then check.
        self.emu.req("POST", "/_emulator/clock", {"advance_s": 30})
        return self.check(recs)

    def check(self, recs):
        want = expected_table(recs)
        got = {r["id"]: r for r in self.emu.rows(self.db, self.table)}
        if got != want:
            missing = sorted(set(want) - set(got))[:5]
            extra = sorted(set(got) - set(want))[:5]
            diff = sorted(i for i in set(want) & set(got) if want[i] != got[i])[:5]
            return (f"table differs from the input applied once: {len(got)} rows, want {len(want)}; "
                    f"missing ids {missing}, unexpected ids {extra}, different ids {diff}")
        labels = self.emu.stats().get("labels", {}).get(self.db, {})
        open_ = {l: v["state"] for l, v in labels.items() if v["state"] in ("PREPARE", "PREPARED")}
        if open_:
            return f"transactions left open: {open_}"
        if self.mode == "on_checkpoint":
            twice = {l: v["commits"] for l, v in labels.items() if v.get("commits", 0) > 1}
            if twice:
                return f"labels committed more than once: {twice}"
            loaded = sum(v.get("rows_loaded", 0) for v in labels.values()
                         if v["state"] in ("VISIBLE", "COMMITTED"))
            if loaded != len(recs):
                return f"not exactly once: visible labels loaded {loaded} rows, the input has {len(recs)}"
            pending = [l for l, v in labels.items() if v["state"] == "COMMITTED"]
            if pending:
                return f"labels still COMMITTED after the publish delay: {pending}"
        self.log(f"ok ({len(labels)} labels, {self.emu.restarts} emulator restarts)")
        return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emulator", default=os.environ.get("SR_EMULATOR", "sr-emulator"))
    ap.add_argument("--sr-load", default=os.environ.get("SR_LOAD", "sr-load"))
    ap.add_argument("--eo-host", default=os.environ.get("EO_HOST"),
                    help="tests/exactly_once/eo_host: also drive it (with random sr_sink_cancel)")
    ap.add_argument("--iterations", type=int, default=10)
    ap.add_argument("--minutes", type=float, default=3.0, help="stop starting iterations after this")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--attempts", type=int, default=4, help="max chaotic runs per iteration")
    ap.add_argument("--max-rows", type=int, default=20000)
    ap.add_argument("--feed-s", type=float, default=4.0, help="the input is fed over up to this long")
    ap.add_argument("--run-timeout", type=float, default=120.0)
    ap.add_argument("--workdir", default=None)
    ap.add_argument("--keep", action="store_true", help="keep passing iterations' directories")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--sabotage", action="store_true",
                    help="delete the state file before the final run: the checks must fail")
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 31)
    print(f"chaos soak: --seed {seed} (iteration i uses seed {seed}+i; repeat one with "
          f"--seed <its seed> --iterations 1)", flush=True)
    root = args.workdir or tempfile.mkdtemp(prefix="sr-chaos-")
    os.makedirs(root, exist_ok=True)
    deadline = time.monotonic() + args.minutes * 60
    passed, failed = 0, []
    for i in range(args.iterations):
        if time.monotonic() > deadline:
            break
        s = seed + i
        d = os.path.join(root, f"seed-{s}")
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        it = Iteration(args, s, d)
        t0 = time.monotonic()
        try:
            err = it.run()
        except Exception as e:  # a harness error is a failure too, with its seed
            err = f"{type(e).__name__}: {e}"
        dt = time.monotonic() - t0
        if err:
            failed.append(s)
            print(f"FAIL seed {s} ({dt:.1f}s): {err}\n  " + "\n  ".join(it.log_lines) +
                  f"\n  logs: {d}/host.log, {d}/emulator.log", flush=True)
        else:
            passed += 1
            print(f"pass seed {s} ({dt:.1f}s): {it.log_lines[0].split('] ', 1)[1]}; "
                  f"{it.log_lines[-1].split('] ', 1)[1]}", flush=True)
            if not args.keep:
                shutil.rmtree(d, ignore_errors=True)
    print(f"chaos soak: {passed} passed, {len(failed)} failed" +
          (f" (seeds {failed})" if failed else ""), flush=True)
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
