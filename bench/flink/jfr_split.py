#!/usr/bin/env python3
"""Where a bench JVM's Java time went, from its JFR (run.py --jfr NAME writes one per run):
   bench/flink/jfr_split.py logs/<run>.jfr
Execution samples by thread (the task thread runs source and sink chained; `main` plans the
job), the task thread's samples by the first frame of the sink (com.starrocks.*,
io.github.srsink.*) or of the generator (bench.flink.*), and the sink's samples by the innermost
sink frame. JFR samples Java code only: time in our native library shows up under perf
(run.py --perf NAME; `perf report --sort comm,dso`)."""
import collections
import json
import subprocess
import sys


def main(path):
    out = subprocess.run(["jfr", "print", "--json", "--events", "jdk.ExecutionSample", path],
                         capture_output=True, text=True, check=True).stdout
    events = json.loads(out)["recording"]["events"]
    threads, parts, inner = collections.Counter(), collections.Counter(), collections.Counter()
    for e in events:
        name = e["values"]["sampledThread"]["javaName"] or "?"
        kind = "task" if name.startswith("Source") else ("main" if name == "main" else "other")
        threads[kind] += 1
        if kind != "task":
            continue
        st = e["values"]["stackTrace"]
        frames = [f["method"]["type"]["name"].replace("/", ".") + "." + f["method"]["name"]
                  for f in (st["frames"] if st else [])]
        part = "other (Flink, JDK)"
        for f in frames:
            if f.startswith(("com.starrocks", "io.github.srsink")):
                part = "sink"
                inner[f] += 1
                break
            if f.startswith("bench.flink"):
                part = "source (generator)"
                break
        parts[part] += 1
    n = len(events)
    print(f"{n} samples: " + ", ".join(f"{k} {100 * v / n:.1f} %" for k, v in threads.most_common()))
    task = threads["task"] or 1
    for k, v in parts.most_common():
        print(f"  task thread {100 * v / task:5.1f} %  {k}")
    sink = parts["sink"] or 1
    print("  the sink's samples by innermost sink frame:")
    for k, v in inner.most_common(15):
        print(f"    {100 * v / sink:5.1f} %  {k}")


if __name__ == "__main__":
    main(sys.argv[1])
