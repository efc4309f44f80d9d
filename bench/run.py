#!/usr/bin/env python3
"""The benchmark driver (issue 7). See bench/README.md; `bench/run.sh` is the one command.

Starts `sr-emulator --discard` on loopback, generates the orders data set once (bench/gen.c), and
runs, each several times (medians reported):
  curl      the ceiling: `curl -T` uploading the same NDJSON body as one Stream Load;
  lib-wm    the library through its C ABI from a C host (bench_host.c), on_watermark mode;
  lib-ckpt  the same in on_checkpoint mode (Transaction Stream Load, prepare + commit);
  java-sdk  the StarRocks Stream Load SDK (bench/java), transaction mode;
  python    a hand-written json.dumps + requests loader (bench/py_load.py);
then a latency run (1 000-row batches, each followed by on_watermark, next to curl doing the same
single loads), the memory run (--rss-mb of data through a 64 MiB budget), and the compression
variants (the library's `compression` option when it exists, plus the standalone cost of the
compressors on the same body).

Client CPU and peak RSS come from wait4() on the client process (the whole process: curl, the C
host, the JVM, the Python interpreter). Throughput uses the client's own timing of its loading
part (curl's time_total, the host's wall time from open to the last visible epoch), so process
start-up is not counted for anyone. Every run is checked: the emulator must have received exactly
the rows the client sent; a mismatch fails the benchmark (that is what --short checks in CI).
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MiB = 1048576
COLUMNS = "id,customer,name,amount,ts,flag,__op"


def log(msg):
    print(f"[bench] {msg}", flush=True)


def run_measured(cmd, timeout=None, env=None):
    """Runs cmd; returns (rc, stdout, stderr, rusage) with the child's own rusage (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        t0 = time.monotonic()
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if timeout and time.monotonic() - t0 > timeout:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                status = -1
                break
            time.sleep(0.02)
        p.returncode = os.waitstatus_to_exitcode(status) if status != -1 else -1
        out.seek(0)
        err.seek(0)
        return p.returncode, out.read().decode(), err.read().decode(), ru


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON line in output: {text[-500:]!r}")


class Emulator:
    def __init__(self, binary, work):
        self.proc = subprocess.Popen(
            [binary, "--fe-port", "0", "--be-port", "0", "--bind", "127.0.0.1", "--discard",
             "--catalog", os.path.join(HERE, "catalog.json"),
             "--label-keep-max-num", "100000"],
            stdout=subprocess.PIPE, stderr=open(os.path.join(work, "emulator.log"), "w"))
        ready = json.loads(self.proc.stdout.readline())
        self.fe = ready["fe_port"]
        self.url = f"http://127.0.0.1:{self.fe}"

    def stats(self):
        with urllib.request.urlopen(self.url + "/_emulator/stats") as r:
            return json.load(r)

    def rows(self):
        return self.stats()["tables"]["bench.orders"]["rows"]

    def cpu_s(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def result(name, rows, body_bytes, wall_s, ru, extra=None):
    cpu = ru.ru_utime + ru.ru_stime
    r = {"client": name, "rows": rows, "bytes": body_bytes, "wall_s": wall_s,
         "rows_per_s": rows / wall_s if wall_s > 0 else 0.0,
         "mb_per_s": body_bytes / MiB / wall_s if wall_s > 0 else 0.0,
         "cpu_s": cpu, "cpu_s_per_gb": cpu / (body_bytes / 2**30) if body_bytes else 0.0,
         "peak_rss_mb": ru.ru_maxrss / 1024.0}
    if extra:
        r.update(extra)
    return r


class Bench:
    def __init__(self, args):
        self.a = args
        self.work = args.work_dir
        os.makedirs(self.work, exist_ok=True)
        self.data = os.path.join(self.work, f"orders-{args.size_mb}mb")
        self.results = {}
        self.notes = []
        self.emu = None
        self.label_seq = 0

    # ---- setup -------------------------------------------------------------------------------
    def generate(self):
        meta_path = self.data + ".json"
        if os.path.exists(meta_path) and os.path.exists(self.data + ".body"):
            self.meta = json.load(open(meta_path))
            log(f"data set reused: {self.data}.* ({self.meta['rows']} rows)")
            return
        t = time.monotonic()
        out = subprocess.run([self.a.gen, "--bytes", str(self.a.size_mb * MiB), "--out", self.data],
                             check=True, capture_output=True, text=True).stdout
        self.meta = json.loads(out)
        json.dump(self.meta, open(meta_path, "w"))
        log(f"generated {self.meta['rows']} rows, {self.meta['body_bytes'] / MiB:.0f} MiB body "
            f"({self.meta['updates']} updates, {self.meta['deletes']} deletes) in "
            f"{time.monotonic() - t:.1f} s")

    def counters(self):
        st = self.emu.stats()
        return st["tables"]["bench.orders"]["rows"], st["bytes_received"]

    def check(self, name, before, rows=None, body_bytes=None):
        """The emulator must have received what the client says it sent: rows (--discard counts
        newlines, of the decompressed body, for plain and transaction loads) and body bytes."""
        got_rows, got_bytes = self.counters()
        if rows is not None and got_rows - before[0] != rows:
            raise SystemExit(f"bench: {name}: the emulator received {got_rows - before[0]} rows, "
                             f"expected {rows}")
        if body_bytes is not None and got_bytes - before[1] != body_bytes:
            raise SystemExit(f"bench: {name}: the emulator received {got_bytes - before[1]} body "
                             f"bytes, expected {body_bytes}")

    def label(self, kind):
        self.label_seq += 1
        return f"bench-{kind}-{os.getpid()}-{self.label_seq}"

    # ---- clients -------------------------------------------------------------------------------
    def curl_load(self, path, rows):
        before = self.counters()
        cmd = ["curl", "-sS", "--fail", "--location-trusted", "-u", "root:", "-H", "Expect:100-continue",
               "-H", f"label:{self.label('curl')}", "-H", "format:json", "-H", f"columns:{COLUMNS}",
               "-T", path, "-w", "\n{\"time_total\":%{time_total}}\n",
               f"{self.emu.url}/api/bench/orders/_stream_load"]
        rc, out, err, ru = run_measured(cmd)
        if rc != 0 or '"Status":"Success"' not in out:
            raise SystemExit(f"bench: curl failed ({rc}): {out[-400:]} {err[-400:]}")
        self.check("curl", before, rows=rows, body_bytes=os.path.getsize(path))
        return last_json(out)["time_total"], ru

    def run_curl(self):
        size = os.path.getsize(self.data + ".body")
        wall, ru = self.curl_load(self.data + ".body", self.meta["rows"])
        return result("curl", self.meta["rows"], size, wall, ru)

    def host_cmd(self, mode, *extra):
        return [self.a.host, "--url", self.emu.url, "--rows", self.data + ".rows", "--ops",
                self.data + ".ops", "--mode", mode, "--interval-mb", str(self.a.interval_mb), *extra]

    def run_host(self, mode, *extra, name=None, check_rows=True):
        before = self.counters()
        rc, out, err, ru = run_measured(self.host_cmd(mode, *extra))
        if rc == 3:
            return {"client": name, "unavailable": last_json(out)["unavailable"]}
        if rc != 0:
            raise SystemExit(f"bench: bench_host {mode} failed ({rc}): {err[-800:]}")
        r = last_json(out)
        if check_rows and r["rows_loaded"] != r["rows"]:
            raise SystemExit(f"bench: {name or mode}: StarRocks reported {r['rows_loaded']} rows "
                             f"loaded of {r['rows']}")
        if check_rows:
            # A prepared transaction committed through the FE is not (yet) counted in the
            # emulator's --discard rows, so 2PC runs are checked on body bytes (and rows_loaded).
            self.check(name or mode, before, rows=r["rows"] if mode == "on_watermark" else None,
                       body_bytes=r["bytes_sent"])
        return result(name or f"lib-{mode}", r["rows"], r["bytes_written"], r["wall_s"], ru,
                      {"loads": r["loads"], "bytes_sent": r["bytes_sent"], "epochs": r["epochs"],
                       "self_cpu_s": r["user_s"] + r["sys_s"], "latency": r.get("latency")})

    def run_host_only(self):
        rc, out, err, ru = run_measured(self.host_cmd("on_watermark", "--dry-run", "1"))
        if rc != 0:
            raise SystemExit(f"bench: bench_host --dry-run failed ({rc}): {err[-800:]}")
        r = last_json(out)
        return result("host-only", r["rows"], os.path.getsize(self.data + ".body"), r["wall_s"], ru)

    def java_classpath(self):
        out_dir = os.path.join(self.work, "java")
        cp_file = os.path.join(out_dir, "classpath.txt")
        if not os.path.exists(cp_file) or self.a.rebuild_java:
            if self.a.short:
                return None, "skipped in --short (not built; a full run builds it with mvn)"
            if not shutil.which("mvn") or not shutil.which("java"):
                return None, "skipped: java/mvn not installed"
            log("building the Java SDK client (mvn package)")
            mvn = ["mvn", "-q", "-B", "-f", os.path.join(HERE, "java", "pom.xml"), "package",
                   f"-Dsdkbench.out={out_dir}"]
            # Offline first (the local repository usually has everything), then Maven Central.
            rc = subprocess.run(mvn + ["-o"], capture_output=True).returncode
            if rc != 0:
                rc = subprocess.run(mvn).returncode
            if rc != 0:
                return None, f"skipped: mvn package failed ({rc})"
        return os.path.join(out_dir, "classes") + ":" + open(cp_file).read().strip(), None

    def run_java(self):
        cp, why = self.java_classpath()
        if cp is None:
            return {"client": "java-sdk", "unavailable": why}
        size = os.path.getsize(self.data + ".body")
        cmd = ["java", "-cp", cp, "bench.SdkBench", self.emu.url, self.data + ".body",
               str(self.a.interval_mb), "transaction"]
        t = time.monotonic()
        before = self.counters()
        rc, out, err, ru = run_measured(cmd, timeout=self.a.java_timeout)
        if rc != 0:
            what = (f"timed out after {self.a.java_timeout} s" if rc == -1 else f"exit {rc}")
            errline = next((l for l in err.splitlines() if "Exception" in l or "failed" in l), "")
            st = self.emu.stats()
            stuck = [f"{l}: {v['state']}" for l, v in st["labels"].get("bench", {}).items()
                     if l.startswith("sdkbench") and v["state"] not in ("VISIBLE", "ABORTED")]
            return {"client": "java-sdk", "unavailable": f"failed: {what} after "
                    f"{time.monotonic() - t:.0f} s; {errline[:300]} open txns: {stuck[:3]}",
                    "peak_rss_mb": ru.ru_maxrss / 1024.0}
        r = last_json(out)
        # The SDK sends JSON arrays ([row,row,...], strip_outer_array) without newlines, so the
        # emulator's --discard row count (newlines) does not apply; it sends the rows' bytes plus
        # one '[' and ']' per load and ',' instead of each '\n'.
        got_bytes = self.counters()[1] - before[1]
        if got_bytes < size:
            raise SystemExit(f"bench: java-sdk: the emulator received {got_bytes} body bytes, "
                             f"expected at least {size}")
        return result("java-sdk", r["rows"], size, r["wall_s"], ru)

    def run_python(self):
        mb = self.a.python_mb
        before = self.counters()
        rc, out, err, ru = run_measured([sys.executable, os.path.join(HERE, "py_load.py"), self.emu.url,
                                         self.data + ".rows", self.data + ".ops", str(mb)])
        if rc != 0:
            return {"client": "python", "unavailable": f"failed ({rc}): {err[-300:]}"}
        r = last_json(out)
        self.check("python", before, rows=r["rows"])
        return result("python", r["rows"], r["input_bytes"], r["wall_s"], ru,
                      {"parse_s": r["parse_s"], "loads": r["loads"]})

    # ---- runs ------------------------------------------------------------------------------------
    def throughput(self):
        clients = [("curl", self.run_curl),
                   ("lib-on_watermark", lambda: self.run_host("on_watermark")),
                   ("lib-on_checkpoint", lambda: self.run_host("on_checkpoint")),
                   ("python", self.run_python)]
        if not self.a.no_java:
            clients.insert(3, ("java-sdk", self.run_java))
        # The C host alone (reads and splits the rows exactly as in lib-*, never calls the
        # library): what of the lib-* cost belongs to the host, not to the library.
        clients.append(("host-only", self.run_host_only))
        runs = {name: [] for name, _ in clients}
        for i in range(self.a.runs):
            for name, fn in clients:
                if name == "java-sdk" and i > 0 and "unavailable" in runs[name][-1]:
                    continue  # a failed SDK run is reported once, not retried for minutes
                if name == "python" and i > 0 and self.a.short:
                    continue
                r = fn()
                runs[name].append(r)
                if "unavailable" in r:
                    log(f"run {i + 1}: {name}: {r['unavailable']}")
                else:
                    log(f"run {i + 1}: {name}: {r['rows_per_s']:,.0f} rows/s, {r['mb_per_s']:.0f} MB/s, "
                        f"{r['cpu_s_per_gb']:.2f} CPU s/GB, peak RSS {r['peak_rss_mb']:.0f} MiB")
        self.results["throughput"] = {name: summarize(rs) for name, rs in runs.items()}
        self.results["throughput_runs"] = runs

    def latency(self):
        n, batch = self.a.latency_n, 1000
        lib = self.run_host("on_watermark", "--latency", str(n), "--batch-rows", str(batch),
                            name="lib-latency")
        # curl: the same 1 000-row loads (the body lines of the first n batches), one process each.
        curl_ms, spawn_ms = [], []
        with open(self.data + ".body", "rb") as f:
            for i in range(n):
                lines = [f.readline() for _ in range(batch)]
                path = os.path.join(self.work, "lat.body")
                with open(path, "wb") as o:
                    o.writelines(lines)
                t = time.monotonic()
                wall, _ = self.curl_load(path, batch)
                spawn_ms.append((time.monotonic() - t) * 1e3)
                curl_ms.append(wall * 1e3)
        self.results["latency"] = {
            "n": n, "batch_rows": batch, "lib": lib["latency"],
            "curl": {"p50_ms": pct(curl_ms, 50), "p99_ms": pct(curl_ms, 99)},
            "curl_with_process_spawn": {"p50_ms": pct(spawn_ms, 50), "p99_ms": pct(spawn_ms, 99)}}
        log(f"latency: lib p50 {lib['latency']['p50_ms']:.2f} ms p99 {lib['latency']['p99_ms']:.2f} ms; "
            f"curl p50 {pct(curl_ms, 50):.2f} ms p99 {pct(curl_ms, 99):.2f} ms")

    def memory(self):
        r = self.run_host("on_watermark", "--total-mb", str(self.a.rss_mb), "--budget-mb",
                          str(self.a.rss_budget_mb), name="lib-rss")
        r["budget_mb"] = self.a.rss_budget_mb
        self.results["memory"] = r
        log(f"memory: {r['bytes'] / MiB:.0f} MiB streamed with a {self.a.rss_budget_mb} MiB budget: "
            f"peak RSS {r['peak_rss_mb']:.1f} MiB")

    def compression(self):
        out = {}
        # The library's option (if this build has it). The emulator stream-decompresses in
        # --discard mode, so rows are checked as usual; bytes_sent / bytes shows the saving.
        for algo in ("lz4_frame", "zstd", "gzip"):
            try:
                r = self.run_host("on_watermark", "--compression", algo, name=f"lib-{algo}")
            except SystemExit as e:
                r = {"client": f"lib-{algo}", "unavailable": f"failed: {e}"}
            out[f"lib-{algo}"] = r
            log(f"compression {algo}: " + (r.get("unavailable") or
                f"{r['mb_per_s']:.0f} MB/s, sent {r['bytes_sent'] / max(1, r['bytes']):.3f} of the body"))
        # The compressors' own cost on the same body (CLI tools at the levels a loader would use),
        # on the first 256 MiB of it (the ratio does not change with size; gzip is slow).
        sample = self.data + ".sample"
        with open(self.data + ".body", "rb") as src, open(sample, "wb") as dst:
            dst.write(src.read(256 * MiB))
        size = os.path.getsize(sample)
        for name, cmd in (("lz4 -1", ["lz4", "-1", "-c", sample]), ("zstd -1", ["zstd", "-1", "-c", sample]),
                          ("zstd -3", ["zstd", "-3", "-c", sample]), ("gzip -1", ["gzip", "-1", "-c", sample])):
            if not shutil.which(cmd[0]):
                continue
            with tempfile.TemporaryFile() as o:
                p = subprocess.Popen(cmd, stdout=o)
                _, _, ru = os.wait4(p.pid, 0)
                o.seek(0, 2)
                csize = o.tell()
            cpu = ru.ru_utime + ru.ru_stime
            out[name] = {"ratio": csize / size, "cpu_s_per_gb": cpu / (size / 2**30)}
            log(f"standalone {name}: {csize / size:.3f} of the body, {cpu / (size / 2**30):.2f} CPU s/GB")
        self.results["compression"] = out

    def run(self):
        self.generate()
        self.emu = Emulator(self.a.emulator, self.work)
        log(f"emulator on {self.emu.url} (--discard)")
        try:
            self.throughput()
            self.latency()
            self.memory()
            self.compression()
            self.results["emulator_cpu_s"] = self.emu.cpu_s()
        finally:
            self.emu.stop()
        self.results["machine"] = machine()
        self.results["command"] = " ".join(sys.argv)
        self.results["data"] = self.meta
        self.results["runs"] = self.a.runs
        md = render(self.results)
        print(md)
        with open(os.path.join(self.work, "results.md"), "w") as f:
            f.write(md)
        with open(os.path.join(self.work, "results.json"), "w") as f:
            json.dump(self.results, f, indent=1)
        if self.a.results_dir:
            os.makedirs(self.a.results_dir, exist_ok=True)
            shutil.copy(os.path.join(self.work, "results.md"), os.path.join(self.a.results_dir, "latest.md"))
            shutil.copy(os.path.join(self.work, "results.json"), os.path.join(self.a.results_dir, "latest.json"))


def pct(xs, p):
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def summarize(rs):
    ok = [r for r in rs if "unavailable" not in r]
    if not ok:
        return rs[-1] if rs else {}
    keys = ("wall_s", "rows_per_s", "mb_per_s", "cpu_s", "cpu_s_per_gb", "peak_rss_mb")
    out = dict(ok[0])
    for k in keys:
        out[k] = statistics.median(r[k] for r in ok)
    out["n"] = len(ok)
    return out


def machine():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": model, "kernel": platform.release(),
            "curl": subprocess.run(["curl", "--version"], capture_output=True, text=True).stdout.split("\n")[0]}


def render(res):
    t = res["throughput"]
    m = res["machine"]
    lines = [f"Machine: {m['nproc']} cores ({m['cpu']}), Linux {m['kernel']}; {m['curl']}",
             f"Data: {res['data']['rows']:,} rows, {res['data']['body_bytes'] / MiB:,.0f} MiB NDJSON body "
             f"({res['data']['updates']:,} updates, {res['data']['deletes']:,} deletes); "
             f"medians of {res['runs']} run(s). Command: `{res['command']}`", "",
             "| client | rows/s | MB/s | client CPU s/GB | peak RSS MiB | wall s |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, r in t.items():
        if not r or "unavailable" in r:
            lines.append(f"| {name} | {(r or {}).get('unavailable', 'not run')} | | | | |")
            continue
        lines.append(f"| {name} | {r['rows_per_s']:,.0f} | {r['mb_per_s']:,.0f} | {r['cpu_s_per_gb']:.2f} | "
                     f"{r['peak_rss_mb']:.1f} | {r['wall_s']:.2f} |")
    lines += ["", "Ratios (same run):", ""]

    def ratio(a, b, key):
        ra, rb = t.get(a) or {}, t.get(b) or {}
        if "unavailable" in ra or "unavailable" in rb or not ra or not rb or not rb.get(key):
            return "n/a"
        return f"{ra[key] / rb[key]:.2f}"

    for lib in ("lib-on_watermark", "lib-on_checkpoint"):
        lines.append(f"- {lib}: MB/s ÷ curl = {ratio(lib, 'curl', 'mb_per_s')} (target ≥ 0.8); "
                     f"rows/s ÷ Java SDK = {ratio(lib, 'java-sdk', 'rows_per_s')} (target > 1); "
                     f"CPU/GB ÷ Java SDK = {ratio(lib, 'java-sdk', 'cpu_s_per_gb')} (target < 1); "
                     f"RSS ÷ Java SDK = {ratio(lib, 'java-sdk', 'peak_rss_mb')}; "
                     f"rows/s ÷ Python = {ratio(lib, 'python', 'rows_per_s')} (target ≥ 20); "
                     f"CPU/GB ÷ curl = {ratio(lib, 'curl', 'cpu_s_per_gb')}")
    lat = res.get("latency")
    if lat:
        lines += ["", f"Latency ({lat['n']} batches of {lat['batch_rows']} rows, each followed by on_watermark; "
                  "curl: the same rows as single loads, curl's time_total):", "",
                  "| | p50 ms | p99 ms |", "|---|---:|---:|",
                  f"| library write + on_watermark | {lat['lib']['p50_ms']:.2f} | {lat['lib']['p99_ms']:.2f} |",
                  f"| curl single Stream Load | {lat['curl']['p50_ms']:.2f} | {lat['curl']['p99_ms']:.2f} |",
                  f"| curl incl. process start | {lat['curl_with_process_spawn']['p50_ms']:.2f} | "
                  f"{lat['curl_with_process_spawn']['p99_ms']:.2f} |", "",
                  f"- p50 ratio library ÷ curl = {lat['lib']['p50_ms'] / lat['curl']['p50_ms']:.2f}, "
                  f"p99 ratio = {lat['lib']['p99_ms'] / lat['curl']['p99_ms']:.2f} (target ≤ 1.5)"]
    mem = res.get("memory")
    if mem:
        lines += ["", f"Memory: {mem['bytes'] / MiB:,.0f} MiB streamed (on_watermark) with memory_budget_bytes = "
                  f"{mem['budget_mb']} MiB: peak RSS {mem['peak_rss_mb']:.1f} MiB (target < budget + 32 = "
                  f"{mem['budget_mb'] + 32} MiB), {mem['mb_per_s']:.0f} MB/s."]
    comp = res.get("compression")
    if comp:
        lines += ["", "Compression:", "", "| variant | result |", "|---|---|"]
        for name, r in comp.items():
            if "unavailable" in r:
                lines.append(f"| {name} (library option) | not available: {r['unavailable']} |")
            elif "ratio" in r:
                lines.append(f"| {name} (standalone CLI) | {r['ratio']:.3f} of the body bytes, "
                             f"{r['cpu_s_per_gb']:.2f} CPU s/GB |")
            else:
                lines.append(f"| {name} (library) | {r['mb_per_s']:.0f} MB/s, {r['cpu_s_per_gb']:.2f} CPU s/GB, "
                             f"sent {r['bytes_sent'] / max(1, r['bytes']):.3f} of the body |")
    lines += ["", f"Emulator CPU over the whole benchmark: {res.get('emulator_cpu_s', 0):.1f} s."]
    return "\n".join(lines) + "\n"


def build_release():
    log("building (cmake --preset release)")
    subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", "--preset", "release", "--target", "sr-bench-gen", "sr-bench-host",
                    "sr-emulator"], cwd=ROOT, check=True)
    b = os.path.join(ROOT, "build", "release")
    return (os.path.join(b, "tools", "sr-emulator", "sr-emulator"), os.path.join(b, "bench", "sr-bench-host"),
            os.path.join(b, "bench", "sr-bench-gen"), b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--short", action="store_true", help="CI form: 20 MiB, one run, numbers not judged")
    ap.add_argument("--build-dir")
    ap.add_argument("--emulator")
    ap.add_argument("--host")
    ap.add_argument("--gen")
    ap.add_argument("--work-dir")
    ap.add_argument("--results-dir", help="copy results.md/json here (full runs: bench/results)")
    ap.add_argument("--size-mb", type=int)
    ap.add_argument("--runs", type=int)
    ap.add_argument("--interval-mb", type=float, default=256,
                    help="input between watermarks/checkpoints (library) and flushes (Java SDK)")
    ap.add_argument("--python-mb", type=float, help="Python loads only this much (it is slow)")
    ap.add_argument("--latency-n", type=int)
    ap.add_argument("--rss-mb", type=int)
    ap.add_argument("--rss-budget-mb", type=int, default=64)
    ap.add_argument("--no-java", action="store_true")
    ap.add_argument("--rebuild-java", action="store_true")
    ap.add_argument("--java-timeout", type=float, default=300)
    a = ap.parse_args()
    short = a.short
    a.size_mb = a.size_mb or (20 if short else 2048)
    a.runs = a.runs or (1 if short else 3)
    a.python_mb = a.python_mb or (a.size_mb if short else 256)
    a.latency_n = a.latency_n or (20 if short else 300)
    a.rss_mb = a.rss_mb or (40 if short else 4096)
    if short:
        a.interval_mb = min(a.interval_mb, 8)
        a.rss_budget_mb = min(a.rss_budget_mb, 16)
    if not (a.emulator and a.host and a.gen):
        a.emulator, a.host, a.gen, _ = build_release()
    a.work_dir = a.work_dir or os.path.join(ROOT, "build", "bench-work")
    if not short and a.results_dir is None:
        a.results_dir = os.path.join(HERE, "results")
    Bench(a).run()


if __name__ == "__main__":
    main()
