#!/usr/bin/env python3
"""Where a bench JVM's CPU went, every thread and native frame included, from `perf record -g`
(run.py --perf NAME writes logs/<run>.perf.data; add --jvm-opt=-XX:+UnlockDiagnosticVMOptions
--jvm-opt=-XX:+DumpPerfMapAtExit so JIT-compiled Java frames have names):
   bench/flink/perf_split.py logs/<run>.perf.data [--top N]
Samples by thread role (JIT compilers, GC, `main`/launcher, the task thread(s): source and sink
chained, the library's threads, which inherit the task thread's name but run no Java), then the
task thread's samples by the outermost frame that decides the part: the sink's Java code
(io.github.srsink.*, com.starrocks.*), the sink's native code (libsr_sink, libcurl, the JNI glue),
the generator (bench.flink.*), else Flink/JDK; and the sink's samples by their innermost sink frame.
Percentages are of all samples of the process (one sample = one 1/F s of one thread's CPU)."""
import argparse
import collections
import re
import subprocess
import sys

NATIVE_SINK = ("libsr_sink", "libcurl", "libsr_sink_jni", "libssl", "libcrypto", "libnghttp")


def samples(path):
    out = subprocess.run(["perf", "script", "-i", path, "-F", "comm,tid,ip,sym,dso"],
                         capture_output=True, text=True, errors="replace").stdout
    comm, tid, frames = None, None, []
    for line in out.splitlines():
        if not line.strip():
            if comm is not None:
                yield comm, tid, frames
            comm, tid, frames = None, None, []
            continue
        if not line.startswith((" ", "\t")):
            m = re.match(r"^(.*?)\s+(\d+)\s*$", line)
            comm, tid = (m.group(1), int(m.group(2))) if m else (line.strip(), 0)
            continue
        m = re.match(r"^\s*[0-9a-f]+\s+(.*)\s+\((.*)\)\s*$", line)
        if m:
            frames.append((m.group(1), m.group(2)))
    if comm is not None:
        yield comm, tid, frames


def is_jit(dso):
    # JIT-compiled code: perf names its dso "[JIT] tid N" in reports, "/tmp/perf-PID.map" in scripts
    return dso.startswith("[JIT]") or re.search(r"perf-\d+\.map$", dso) is not None


def role(comm):
    if "CompilerThre" in comm:
        return "JIT compiler"
    if comm.startswith(("GC Thread", "G1 ")):
        return "GC"
    if comm == "java":
        return "main (planning) + launcher"
    if comm.startswith("Source"):
        return "task"
    return "other JVM/Flink threads"


def java_name(sym):
    # "void io.github.srsink.flink.internal.RowDataJson.write(org...)" -> "io.github...RowDataJson.write"
    m = re.match(r"^(?:[\w.$<>\[\]]+\s+)?([\w.$/]+)\(", sym)
    return m.group(1) if m else sym


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("perf_data")
    ap.add_argument("--top", type=int, default=20)
    a = ap.parse_args()
    roles, task_tids = collections.Counter(), collections.Counter()
    parts, inner, native = collections.Counter(), collections.Counter(), collections.Counter()
    n = 0
    for comm, tid, frames in samples(a.perf_data):
        n += 1
        r = role(comm)
        if r == "task":
            # The library's I/O thread carries the task thread's name: tell them apart by code.
            has_java = any(is_jit(d) or "libjvm" in d for _, d in frames)
            if not has_java:
                r = "library threads (task's name, no Java)"
        roles[r] += 1
        if r != "task" and not r.startswith("library"):
            continue
        part, leaf = "Flink, JDK (rest)", None
        top_sym, top_dso = frames[0] if frames else ("?", "?")
        if r.startswith("library"):
            part = "sink native (library threads)"
            native[f"{top_dso.split('/')[-1]} {top_sym}"] += 1
        else:
            # innermost-first: the first sink or generator frame names the part
            for sym, dso in frames:
                base = dso.split("/")[-1]
                if base.startswith(NATIVE_SINK):
                    part = "sink native (on the task thread)"
                    native[f"{base} {sym}"] += 1
                    break
                jn = java_name(sym)
                if jn.startswith(("io.github.srsink", "com.starrocks")):
                    part = "sink Java"
                    leaf = jn
                    break
                if jn.startswith("bench.flink"):
                    part = "source (generator)"
                    break
            if part == "sink Java":
                if top_dso.startswith("[kernel"):
                    leaf += " (kernel)"
                elif "libjvm" in top_dso:
                    leaf += " (JVM runtime: " + top_sym.split("(")[0][:60] + ")"
                inner[leaf] += 1
        parts[part] += 1
    if not n:
        sys.exit("no samples")
    print(f"{n} samples")
    for k, v in roles.most_common():
        print(f"  {100 * v / n:5.1f} %  {k}")
    print("the task thread(s) and the library's threads, by part:")
    for k, v in parts.most_common():
        print(f"  {100 * v / n:5.1f} %  {k}")
    sj = parts["sink Java"] or 1
    print("the sink's Java samples by innermost sink frame (% of the sink's Java samples):")
    for k, v in inner.most_common(a.top):
        print(f"  {100 * v / sj:5.1f} %  {k}")
    print("native sink frames (% of all samples):")
    for k, v in native.most_common(a.top):
        print(f"  {100 * v / n:5.2f} %  {k}")


if __name__ == "__main__":
    main()
