#!/usr/bin/env python3
"""The Flink benchmark driver (issue 15; bench/README.md, "Flink"). `bench/flink/run.sh` is the
one command.

One SQL job in a Flink MiniCluster (bench.flink.FlinkBench, one fresh JVM per run):
    INSERT INTO sink SELECT * FROM orders
where `orders` is a generated changelog (bench/catalog.json's schema; ~80 % inserts, ~15 %
updates, ~5 % deletes) and `sink` is either connector:
    ours            'connector' = 'starrocks-sink' (JSON; the only format it has)
    official-json   'connector' = 'starrocks', 'sink.properties.format' = 'json'
    official-csv    'connector' = 'starrocks' with its default format (CSV)
each in exactly-once and at-least-once, at parallelism 1 and 2, into sr-emulator either parsing
(every row applied; the table is checked row by row afterwards) or with --discard (bodies counted
and dropped: the client is what is measured). Runs are interleaved (every configuration once per
round) and medians are reported.

Measured inside the bench JVM (FlinkBench): wall time and CPU of the whole process (every thread,
native ones included, /proc/self/stat) from planning the INSERT to the job's end, peak RSS
(VmHWM), peak heap used, checkpoint durations (Flink's REST history); here: the body bytes the
emulator received (bytes on the wire, headers not counted), the process's CPU from wait4 (start-up
included) and the checks: in parsing mode the table equals the one the changelog leaves, the
emulator applied exactly the changelog's upserts and deletes (no row twice, none lost) and no label
was committed twice.

--short is the CI form (ctest bench_flink_short): a small data set, one run of four
configurations covering both sinks and both semantics, parsing mode; only the checks count.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
ROOT = os.path.dirname(BENCH)
OFFICIAL = "com.starrocks:flink-connector-starrocks:1.2.10_flink-1.19"
ADD_OPENS = [f"--add-opens=java.base/{p}=ALL-UNNAMED" for p in (
    "java.lang", "java.util", "java.nio", "sun.nio.ch", "java.lang.reflect", "java.io", "java.net",
    "java.util.concurrent", "java.util.concurrent.atomic", "java.time", "java.math", "java.text")]


def log(msg):
    print(f"[bench-flink] {msg}", flush=True)


def die(msg):
    print(f"bench-flink: {msg}", file=sys.stderr, flush=True)
    sys.exit(1)


def run_measured(cmd, timeout, env=None):
    """Runs cmd; returns (rc, stdout, stderr, rusage of the child: wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        t0 = time.monotonic()
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                rc = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - t0 > timeout:
                p.kill()
                pid, status, ru = os.wait4(p.pid, 0)
                rc = -1
                break
            time.sleep(0.05)
        out.seek(0)
        err.seek(0)
        return rc, out.read().decode(errors="replace"), err.read().decode(errors="replace"), ru


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        if line.strip().startswith("{"):
            return json.loads(line)
    raise ValueError(f"no JSON line in: {text[-800:]!r}")


class Emulator:
    """One sr-emulator (parsing or --discard), with the MySQL query port when it has one."""

    def __init__(self, binary, work, discard):
        self.discard = discard
        name = "discard" if discard else "parse"
        help_text = subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
        self.has_query_port = "--query-port" in help_text
        cmd = [binary, "--fe-port", "0", "--be-port", "0", "--bind", "127.0.0.1",
               "--catalog", os.path.join(BENCH, "catalog.json"), "--label-keep-max-num", "1000000"]
        if self.has_query_port:
            cmd += ["--query-port", "0"]
        if discard:
            cmd.append("--discard")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(work, f"emulator-{name}.log"), "w"))
        line = self.proc.stdout.readline()
        if not line:
            die(f"sr-emulator ({name}) did not start: see {work}/emulator-{name}.log")
        ready = json.loads(line)
        self.fe = ready["fe_port"]
        self.query_port = ready.get("query_port")
        self.url = f"http://127.0.0.1:{self.fe}"

    def call(self, method, path, body=None):
        req = urllib.request.Request(self.url + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
        try:
            with urllib.request.urlopen(req, timeout=600) as r:
                return r.read()
        except urllib.error.HTTPError as e:
            if e.code == 404 and method == "DELETE":
                return b""
            raise

    def stats(self):
        return json.loads(self.call("GET", "/_emulator/stats"))

    def reset_table(self):
        """A fresh bench.orders for a parsing run, so its table check sees this run only."""
        table = json.load(open(os.path.join(BENCH, "catalog.json")))["databases"]["bench"]["tables"]["orders"]
        self.call("DELETE", "/_emulator/tables/bench/orders")
        self.call("POST", "/_emulator/tables", {"db": "bench", "table": "orders", **table})

    def cpu_s(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def table_counters(st):
    t = st["tables"].get("bench.orders", {})
    return {k: t.get(k, 0) for k in ("upserts", "deletes", "rows", "loads")}


def twice_committed(st):
    return [(l, v["commits"]) for db in st.get("labels", {}).values() for l, v in db.items()
            if v.get("commits", 0) > 1]


class Bench:
    def __init__(self, a):
        self.a = a
        self.work = a.work_dir
        os.makedirs(self.work, exist_ok=True)
        self.maven_out = os.path.join(self.work, "maven")
        self.runs = []
        self.notes = []
        self.seq = 0

    # ---- build -------------------------------------------------------------------------------
    def package(self, line):
        d = os.path.join(self.maven_out, f"flink-{line}")
        if self.a.no_build and os.path.exists(os.path.join(d, "classpath.txt")):
            return d
        log(f"mvn package -P flink-{line}")
        t = time.monotonic()
        r = subprocess.run(["mvn", "-q", "-B", "-f", os.path.join(HERE, "pom.xml"), "package",
                            f"-Pflink-{line}", f"-Dsrsink.native.dir={self.a.natives}",
                            f"-Dflinkbench.out={self.maven_out}"], capture_output=True, text=True)
        if r.returncode != 0:
            die(f"mvn package -P flink-{line} failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
        log(f"  built in {time.monotonic() - t:.0f} s")
        return d

    def classpath(self, d, official):
        cp = [os.path.join(d, "classes"), open(os.path.join(d, "classpath.txt")).read().strip()]
        if official:
            cp.append(open(os.path.join(d, "official-classpath.txt")).read().strip())
        return ":".join(cp)

    # ---- one run -----------------------------------------------------------------------------
    def run(self, cfg, emu, d, rnd):
        sink, semantic, p, mode, line = cfg["sink"], cfg["semantic"], cfg["p"], cfg["mode"], cfg["line"]
        official = sink.startswith("official")
        blackhole = sink == "blackhole"
        self.seq += 1
        label = f"r{os.getpid() % 100000}x{self.seq}"
        if not emu.discard:
            emu.reset_table()
        before = emu.stats()
        logf = os.path.join(self.work, "logs", cfg["name"].replace("/", "_") + f"-{rnd}.log")
        os.makedirs(os.path.dirname(logf), exist_ok=True)
        jvm = ["java", *ADD_OPENS, *self.a.jvm_opt, f"-Dlog4j2.configurationFile={HERE}/src/main/resources/log4j2.properties",
               f"-Dbench.log={logf}"]
        if cfg.get("jfr"):
            jvm.append(f"-XX:StartFlightRecording=filename={logf[:-4]}.jfr,settings=profile,dumponexit=true")
        args = [f"sink={'official' if official else sink}", f"semantic={semantic}",
                f"format={sink.split('-')[1] if official else 'json'}", f"parallelism={p}",
                f"rows={self.a.rows}", f"checkpoint-ms={self.a.checkpoint_ms}",
                f"load-url=127.0.0.1:{emu.fe}", f"label-prefix={label}", f"seed={self.a.seed}",
                f"clk-tck={os.sysconf('SC_CLK_TCK')}"]
        if official:
            args.append(f"jdbc-url=jdbc:mysql://127.0.0.1:{emu.query_port}")
        emu_cpu0 = emu.cpu_s()
        prefix = ["perf", "record", "-q", "-F", "499", "-g", "-o", logf[:-4] + ".perf.data", "--"] if cfg.get("perf") else []
        rc, out, err, ru = run_measured(prefix + jvm + ["-cp", self.classpath(d, official), "bench.flink.FlinkBench"] + args,
                                        timeout=self.a.timeout)
        emu_cpu = emu.cpu_s() - emu_cpu0
        if rc != 0:
            tail = open(logf).read()[-3000:] if os.path.exists(logf) else ""
            die(f"{cfg['name']} round {rnd}: the job failed (exit {rc}):\n{err[-3000:]}\nlog {logf}:\n{tail}")
        r = last_json(out)
        after = emu.stats()
        c0, c1 = table_counters(before), table_counters(after)
        r.update({"name": cfg["name"], "mode": mode, "line": line, "round": rnd,
                  "wire_bytes": after["bytes_received"] - before["bytes_received"],
                  "loads": c1["loads"] - c0["loads"],
                  "process_cpu_s": round(ru.ru_utime + ru.ru_stime, 3),
                  "process_maxrss_mib": round(ru.ru_maxrss / 1024, 1),
                  "emulator_cpu_s": round(emu_cpu, 3)})
        r["wire_bytes_per_row"] = round(r["wire_bytes"] / self.a.rows, 1)
        problems = []
        if not blackhole and r["wire_bytes"] <= 0:
            problems.append("the emulator received no body bytes")
        twice = twice_committed(after)
        if twice:
            problems.append(f"labels committed more than once: {twice[:5]}")
        if not emu.discard and not blackhole:
            v = self.verify(emu, line, p)
            r["table"] = v
            ups, dels = c1["upserts"] - c0["upserts"], c1["deletes"] - c0["deletes"]
            r["applied_upserts"], r["applied_deletes"] = ups, dels
            if not v["table_ok"]:
                problems.append(f"the table is wrong: {v}")
            if (ups, dels) != (v["changelog_upserts"], v["changelog_deletes"]):
                problems.append(f"applied {ups} upserts and {dels} deletes, the changelog has "
                                f"{v['changelog_upserts']} and {v['changelog_deletes']} (a row lost or applied twice)")
            r["exactly_once"] = not problems
        if problems:
            die(f"{cfg['name']} round {rnd}: " + "; ".join(problems) + f" (log {logf})")
        log(f"  {cfg['name']} round {rnd}: {r['rows_per_s']:,} rows/s, {r['cpu_s_per_mrow']} CPU s/Mrow, "
            f"RSS {r['peak_rss_mib']:.0f} MiB, heap {r['peak_heap_used_mib']:.0f} MiB, "
            f"checkpoints {r['checkpoints']} p50 {r['checkpoint_ms_p50']} ms p99 {r['checkpoint_ms_p99']} ms, "
            f"{r['wire_bytes_per_row']} B/row" + ("" if emu.discard or blackhole else ", table ok, applied once"))
        self.runs.append(r)

    def verify(self, emu, line, p):
        d = os.path.join(self.maven_out, f"flink-{line}")
        out = subprocess.run(["java", "-cp", self.classpath(d, False), "bench.flink.Verify", str(self.a.rows),
                              str(p), str(self.a.seed), emu.url, "bench", "orders"],
                             capture_output=True, text=True, timeout=1800)
        if out.returncode != 0:
            die(f"verify failed: {out.stderr[-2000:]}")
        return last_json(out.stdout)

    # ---- the whole benchmark -----------------------------------------------------------------
    def configs(self, emus):
        cfgs = []
        for mode in self.a.modes:
            for p in (self.a.parse_parallelism if mode == "parse" else self.a.parallelism):
                for semantic in self.a.semantics:
                    for sink in self.a.sinks:
                        if sink.startswith("official") and not emus[mode].has_query_port:
                            continue
                        if sink == "blackhole" and (mode != "discard" or semantic != self.a.semantics[0]):
                            continue  # one baseline per parallelism: it has no semantic, no StarRocks
                        cfgs.append({"sink": sink, "semantic": semantic, "p": p, "mode": mode,
                                     "line": self.a.flink_line})
        for line in self.a.reference_lines if "discard" in emus else []:  # they run --discard only
            for semantic in self.a.semantics:
                cfgs.append({"sink": "ours", "semantic": semantic, "p": 1, "mode": "discard", "line": line})
        if self.a.short:
            # Both sinks, both semantics, p 1 and 2, one run each: what CI checks.
            cfgs = [c for c in cfgs if (c["sink"], c["semantic"], c["p"]) in {
                ("ours", "exactly-once", 2), ("ours", "at-least-once", 1),
                ("official-csv", "exactly-once", 2), ("official-json", "at-least-once", 1)}]
        for c in cfgs:
            c["name"] = f"{c['sink']}/{c['semantic']}/p{c['p']}/{c['mode']}" + (
                "" if c["line"] == self.a.flink_line else f"/flink-{c['line']}")
        return cfgs

    def main(self):
        a = self.a
        dirs = {line: self.package(line) for line in [a.flink_line] + a.reference_lines}
        emus = {m: Emulator(a.emulator, self.work, m == "discard") for m in a.modes}
        try:
            if not all(e.has_query_port for e in emus.values()):
                note = ("the official connector did not run: this sr-emulator has no MySQL query port "
                        "(--query-port), which the official connector needs to plan its sink")
                self.notes.append(note)
                log(note)
            cfgs = self.configs(emus)
            log(f"{len(cfgs)} configurations x {a.runs} round(s), {a.rows:,} rows, checkpoint every "
                f"{a.checkpoint_ms} ms; load {os.getloadavg()[0]:.2f}")
            self.started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
            self.load = [os.getloadavg()]
            for rnd in range(a.runs):
                # Interleaved: every configuration once per round, the order rotated per round.
                order = cfgs[rnd % len(cfgs):] + cfgs[:rnd % len(cfgs)]
                for cfg in order:
                    self.run(cfg, emus[cfg["mode"]], dirs[cfg["line"]], rnd)
                self.load.append(os.getloadavg())
            self.finished = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        finally:
            for e in emus.values():
                e.stop()
        self.report(cfgs)

    # ---- report ------------------------------------------------------------------------------
    def summary(self, cfgs):
        out = {}
        for c in cfgs:
            rs = [r for r in self.runs if r["name"] == c["name"]]
            if not rs:
                continue
            med = lambda k: statistics.median(r[k] for r in rs)
            cps = sorted(d for r in rs for d in r["checkpoint_ms_all"])
            pct = lambda q: cps[max(0, min(len(cps) - 1, -(-q * len(cps) // 100) - 1))] if cps else None
            out[c["name"]] = {**c, "runs": len(rs), "rows_per_s": med("rows_per_s"),
                              "cpu_s_per_mrow": med("cpu_s_per_mrow"), "peak_rss_mib": med("peak_rss_mib"),
                              "peak_heap_used_mib": med("peak_heap_used_mib"),
                              "checkpoint_ms_p50": pct(50), "checkpoint_ms_p99": pct(99),
                              "checkpoints": len(cps), "wire_bytes_per_row": med("wire_bytes_per_row"),
                              "process_cpu_s": med("process_cpu_s"), "emulator_cpu_s": med("emulator_cpu_s"),
                              "table_ok": all(r.get("table", {}).get("table_ok", True) for r in rs),
                              "checked": rs[0]["mode"] != "discard" and c["sink"] != "blackhole"}
        return out

    def report(self, cfgs):
        a = self.a
        s = self.summary(cfgs)
        res = {"machine": machine(), "started": getattr(self, "started", None),
               "finished": getattr(self, "finished", None), "load": getattr(self, "load", None),
               "command": " ".join(sys.argv), "rows": a.rows, "rounds": a.runs,
               "checkpoint_ms": a.checkpoint_ms, "official": OFFICIAL, "notes": self.notes,
               "summary": s, "runs": self.runs}
        md = [f"Machine: {res['machine']}",
              f"Run: {res['started']} – {res['finished']}, load average (1 min) before/after each round: "
              + ", ".join(f"{l[0]:.1f}" for l in (res["load"] or [])),
              f"Command: `{res['command']}`; {a.rows:,} changelog rows per run, checkpoint every "
              f"{a.checkpoint_ms} ms, medians of {a.runs} interleaved round(s); official: `{OFFICIAL}`", ""]
        md += ["| configuration | rows/s | CPU s / M rows | peak RSS MiB | peak heap MiB | checkpoint p50 / p99 ms "
               "| wire B/row | emulator CPU s | table + exactly once |",
               "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
        for name, v in s.items():
            md.append(f"| {name} | {v['rows_per_s']:,.0f} | {v['cpu_s_per_mrow']:.2f} | {v['peak_rss_mib']:.0f} | "
                      f"{v['peak_heap_used_mib']:.0f} | {v['checkpoint_ms_p50']} / {v['checkpoint_ms_p99']} "
                      f"({v['checkpoints']}) | {v['wire_bytes_per_row']:.0f} | {v['emulator_cpu_s']:.1f} | "
                      f"{'ok' if v['checked'] and v['table_ok'] else ('not checked (--discard)' if not v['checked'] else 'WRONG')} |")
        md += ["", "Ratios, ours ÷ official, same semantic, parallelism and emulator mode (targets: rows/s ≥ 2, "
               "CPU/row ≤ 0.5, peak RSS ≤ 0.5, checkpoint p99 ≤ 1):", ""]
        for name, v in s.items():
            if v["sink"] != "ours" or v["line"] != a.flink_line:
                continue
            for off in ("official-json", "official-csv"):
                o = s.get(name.replace("ours/", off + "/", 1))
                if not o:
                    continue
                cp = (f"{v['checkpoint_ms_p99'] / o['checkpoint_ms_p99']:.2f}"
                      if v["checkpoint_ms_p99"] is not None and o["checkpoint_ms_p99"] else "n/a")
                md.append(f"- {name} vs {off}: rows/s {v['rows_per_s'] / o['rows_per_s']:.2f}, "
                          f"CPU/row {v['cpu_s_per_mrow'] / o['cpu_s_per_mrow']:.2f}, "
                          f"RSS {v['peak_rss_mib'] / o['peak_rss_mib']:.2f}, checkpoint p99 {cp}")
        floor = {v["p"]: v for v in s.values() if v["sink"] == "blackhole"}
        if floor:
            md += ["", "Above the floor (the same job into `blackhole`, same parallelism): what the sink itself "
                   "adds in CPU s per million rows and in peak RSS MiB, and the ratio ours ÷ official of that:", ""]
            for name, v in s.items():
                f = floor.get(v["p"])
                if v["sink"] != "ours" or v["line"] != a.flink_line or not f:
                    continue
                for off in ("official-json", "official-csv"):
                    o = s.get(name.replace("ours/", off + "/", 1))
                    if not o:
                        continue
                    oc, ooc = v["cpu_s_per_mrow"] - f["cpu_s_per_mrow"], o["cpu_s_per_mrow"] - f["cpu_s_per_mrow"]
                    orr, oor = v["peak_rss_mib"] - f["peak_rss_mib"], o["peak_rss_mib"] - f["peak_rss_mib"]
                    md.append(f"- {name} vs {off}: CPU {oc:.2f} vs {ooc:.2f} s/M rows"
                              + (f" ({oc / ooc:.2f})" if ooc > 0 else "")
                              + f"; RSS {orr:+.0f} vs {oor:+.0f} MiB" + (f" ({orr / oor:.2f})" if oor > 0 else ""))
        if self.notes:
            md += [""] + [f"Note: {n}" for n in self.notes]
        text = "\n".join(md) + "\n"
        os.makedirs(a.out_dir, exist_ok=True)
        with open(os.path.join(a.out_dir, "flink-latest.md"), "w") as f:
            f.write(text)
        with open(os.path.join(a.out_dir, "flink-latest.json"), "w") as f:
            json.dump(res, f, indent=1)
        print(text)
        log(f"results: {a.out_dir}/flink-latest.md, .json")


def machine():
    cpu = "?"
    try:
        for l in open("/proc/cpuinfo"):
            if l.startswith("model name"):
                cpu = l.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Linux {platform.release()}, {java}"


def build_release():
    log("building (cmake --preset release: sr-emulator, sr_sink_java_natives)")
    subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", "--preset", "release", "--target", "sr-emulator", "sr_sink_java_natives"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--short", action="store_true", help="the CI form: 20 000 rows, 4 configurations, parsing mode")
    ap.add_argument("--rows", type=int, help="changelog rows per run (default 3 000 000; --short 20 000)")
    ap.add_argument("--runs", type=int, help="interleaved rounds (default 3; --short 1)")
    ap.add_argument("--checkpoint-ms", type=int, help="checkpoint interval (default 3000; --short 1000)")
    ap.add_argument("--sinks", default="ours,official-json,official-csv,blackhole",
                    help="blackhole: the same job into Flink's blackhole connector (the floor without a sink)")
    ap.add_argument("--semantics", default="exactly-once,at-least-once")
    ap.add_argument("--parallelism", default="1,2", help="parallelisms of the --discard runs")
    ap.add_argument("--parse-parallelism", default="1,2", help="parallelisms of the parsing runs")
    ap.add_argument("--modes", default="discard,parse", help="emulator modes: discard, parse")
    ap.add_argument("--flink-line", default="1.19", help="the line both sinks run on (1.19)")
    ap.add_argument("--reference-lines", default="1.20,2", help="ours alone, --discard, p 1 (none: '')")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--jvm-opt", action="append", default=[], help="an extra JVM option of the bench JVMs")
    ap.add_argument("--jfr", default="", help="record JFR for configurations whose name contains this")
    ap.add_argument("--perf", default="", help="run `perf record` around the JVMs of configurations whose name contains this")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per run")
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build", "release"))
    ap.add_argument("--emulator", help="sr-emulator binary (default: the build dir's)")
    ap.add_argument("--natives", help="dir with libsr_sink.so.1 + libsr_sink_jni.so (default: the build dir's)")
    ap.add_argument("--work-dir", help="default: <build dir>/bench/flink")
    ap.add_argument("--out-dir", help="where flink-latest.{md,json} go (default: bench/results; --short: work dir)")
    ap.add_argument("--no-build", action="store_true", help="neither cmake nor mvn when their output exists")
    ap.add_argument("--report-only", metavar="JSON", help="re-render flink-latest.md from a results JSON")
    a = ap.parse_args()
    if a.report_only:
        res = json.load(open(a.report_only))
        a.rows, a.runs, a.checkpoint_ms = res["rows"], res["rounds"], res["checkpoint_ms"]
        a.flink_line, a.out_dir = "1.19", a.out_dir or os.path.dirname(os.path.abspath(a.report_only))
        a.work_dir = a.out_dir
        b = Bench(a)
        b.runs, b.notes = res["runs"], res["notes"]
        b.started, b.finished, b.load = res["started"], res["finished"], res["load"]
        names = list(dict.fromkeys(r["name"] for r in res["runs"]))
        cfgs = [{**res["summary"][n], "name": n} if n in res["summary"] else None for n in names]
        sys.argv = res["command"].split()
        b.report([c for c in cfgs if c])
        return
    a.rows = a.rows or (20000 if a.short else 3000000)
    a.runs = a.runs or (1 if a.short else 3)
    a.checkpoint_ms = a.checkpoint_ms or (1000 if a.short else 3000)
    a.sinks = [s for s in a.sinks.split(",") if s]
    a.semantics = [s for s in a.semantics.split(",") if s]
    a.parallelism = [int(p) for p in a.parallelism.split(",") if p]
    a.parse_parallelism = [int(p) for p in a.parse_parallelism.split(",") if p]
    a.modes = ["parse"] if a.short else [m for m in a.modes.split(",") if m]
    a.reference_lines = [] if a.short else [l for l in a.reference_lines.split(",") if l]
    a.work_dir = a.work_dir or os.path.join(a.build_dir, "bench", "flink")
    a.out_dir = a.out_dir or (a.work_dir if a.short else os.path.join(BENCH, "results"))
    if not a.emulator or not a.natives:
        if not a.no_build:
            build_release()
        a.emulator = a.emulator or os.path.join(a.build_dir, "tools", "sr-emulator", "sr-emulator")
        a.natives = a.natives or os.path.join(a.build_dir, "bindings", "java", "native")
    a.natives = os.path.abspath(a.natives)
    for lib in ("libsr_sink.so.1", "libsr_sink_jni.so"):
        if not os.path.exists(os.path.join(a.natives, lib)):
            die(f"--natives {a.natives} has no {lib} (build the target sr_sink_java_natives)")
    for s in a.sinks:
        if s not in ("ours", "official-json", "official-csv", "blackhole"):
            die(f"--sinks: unknown sink {s!r} (ours, official-json, official-csv, blackhole)")
    if a.jfr:
        log(f"JFR for configurations matching {a.jfr!r}")
    t = time.monotonic()
    b = Bench(a)
    if a.jfr or a.perf:
        orig = b.configs
        b.configs = lambda emus: [dict(c, jfr=bool(a.jfr) and a.jfr in c["name"],
                                       perf=bool(a.perf) and a.perf in c["name"]) for c in orig(emus)]
    b.main()
    log(f"done in {time.monotonic() - t:.0f} s")


if __name__ == "__main__":
    main()
