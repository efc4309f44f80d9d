#!/usr/bin/env python3
"""Wire formats (issue #16): the same orders rows through four library paths, data in memory.

  json-json   JSON rows → sr_sink_write → JSON body (the library before issue #16)
  json-csv    the same JSON rows with option format = csv → CSV body
  arrow-csv   the rows as Arrow record batches → sr_sink_write_arrow → CSV body
  arrow-json  the same Arrow batches → JSON body

Each run is one `sr-bench-format-host` process (bench/format_host.c) against one
`sr-emulator --discard`, interleaved, --runs times; medians. Measured by the host around its
writes and the final watermark: rows/s, client CPU seconds per million rows (getrusage of the
host process, both threads), body bytes (bytes_written). Every run is checked: the emulator
counted every row.

  bench/formats.py [--size-mb 256] [--runs 3] [--batch-rows 4096]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import run as bench  # noqa: E402  (Emulator, log)

PATHS = ["json-json", "json-csv", "arrow-csv", "arrow-json"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mb", type=int, default=256)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--batch-rows", type=int, default=4096)
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build", "release"))
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--work-dir", default=os.path.join(ROOT, "build", "bench-work"))
    a = ap.parse_args()
    if not a.no_build:
        subprocess.run(["cmake", "--preset", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["cmake", "--build", "--preset", "release", "--target", "sr-bench-gen",
                        "sr-bench-format-host", "sr-emulator"], cwd=ROOT, check=True)
    b = a.build_dir
    emulator = os.path.join(b, "tools", "sr-emulator", "sr-emulator")
    host = os.path.join(b, "bench", "sr-bench-format-host")
    gen = os.path.join(b, "bench", "sr-bench-gen")
    os.makedirs(a.work_dir, exist_ok=True)
    data = os.path.join(a.work_dir, f"orders-{a.size_mb}mb")
    if not os.path.exists(data + ".json"):
        out = subprocess.run([gen, "--bytes", str(a.size_mb * bench.MiB), "--out", data],
                             check=True, capture_output=True, text=True).stdout
        open(data + ".json", "w").write(out)
    meta = json.load(open(data + ".json"))
    emu = bench.Emulator(emulator, a.work_dir)
    res = {p: [] for p in PATHS}
    try:
        for r in range(a.runs):
            for p in PATHS:
                before = emu.stats()["tables"]["bench.orders"]["rows"]
                out = subprocess.run([host, "--url", emu.url, "--rows", data + ".rows", "--ops",
                                      data + ".ops", "--path", p, "--batch-rows", str(a.batch_rows)],
                                     check=True, capture_output=True, text=True).stdout
                j = bench.last_json(out)
                got = emu.stats()["tables"]["bench.orders"]["rows"] - before
                if got != j["rows"] or j["rows_loaded"] != j["rows"]:
                    raise SystemExit(f"{p}: emulator counted {got} rows, library loaded "
                                     f"{j['rows_loaded']}, host wrote {j['rows']}")
                res[p].append(j)
                bench.log(f"run {r + 1} {p}: {j['rows'] / j['wall_s']:,.0f} rows/s, "
                          f"{j['cpu_s'] / j['rows'] * 1e6:.3f} CPU s/M rows, {j['bytes_written']:,} B")
    finally:
        emu.stop()

    def med(p, f):
        return statistics.median(f(j) for j in res[p])
    rows_s = {p: med(p, lambda j: j["rows"] / j["wall_s"]) for p in PATHS}
    cpu_m = {p: med(p, lambda j: j["cpu_s"] / j["rows"] * 1e6) for p in PATHS}
    body = {p: med(p, lambda j: j["bytes_written"]) for p in PATHS}
    lines = [f"Data: {meta['rows']:,} orders rows ({a.size_mb} MiB of NDJSON body), batches of "
             f"{a.batch_rows} rows, in memory; medians of {a.runs} interleaved runs.", "",
             "| path | rows/s | client CPU s per million rows | body bytes | body ÷ json-json |",
             "|---|---:|---:|---:|---:|"]
    for p in PATHS:
        lines.append(f"| {p} | {rows_s[p]:,.0f} | {cpu_m[p]:.3f} | {body[p]:,.0f} | "
                     f"{body[p] / body['json-json']:.2f} |")
    lines += ["", "Ratios to json-json (same run):", ""]
    for p in PATHS[1:]:
        lines.append(f"- {p}: rows/s × {rows_s[p] / rows_s['json-json']:.2f}, CPU per row × "
                     f"{cpu_m[p] / cpu_m['json-json']:.2f}, body bytes × {body[p] / body['json-json']:.2f}")
    text = "\n".join(lines)
    print(text)
    open(os.path.join(a.work_dir, "formats.md"), "w").write(text + "\n")


if __name__ == "__main__":
    main()
