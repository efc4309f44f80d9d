#!/usr/bin/env python3
"""ctest example_c_quickstart: runs the C quick start twice against one sr-emulator (the second
run restores the first one's token), checks the table, and that README.md shows the file as is.
usage: run_c_quickstart.py <quickstart binary> <sr-emulator> <catalog.json> <README.md> <source>"""
import json, os, subprocess, sys, tempfile, urllib.request

exe, emulator, catalog, readme, source = sys.argv[1:6]
with open(source) as f:
    code = f.read()
with open(readme) as f:
    if "```c\n" + code + "```" not in f.read():
        sys.exit("README.md does not show examples/c/quickstart.c as it is")

with tempfile.TemporaryDirectory() as d:
    emu = subprocess.Popen([emulator, "--fe-port", "0", "--be-port", "0", "--bind", "127.0.0.1",
                            "--catalog", catalog, "--data-dir", d], stdout=subprocess.PIPE, text=True)
    try:
        fe = json.loads(emu.stdout.readline())["fe_port"]
        env = dict(os.environ, SR_URL=f"http://127.0.0.1:{fe}")
        state = os.path.join(d, "quickstart.state")
        for run in (1, 2):
            r = subprocess.run([exe, state], env=env, capture_output=True, text=True, timeout=120)
            if r.returncode != 0 or f"checkpoint {run} committed" not in r.stdout:
                sys.exit(f"run {run}: exit {r.returncode}\n{r.stdout}{r.stderr}")
        rows = urllib.request.urlopen(f"http://127.0.0.1:{fe}/_emulator/tables/shop/orders/rows").read()
        got = [json.loads(l)["id"] for l in rows.decode().splitlines() if l]
        if got != [1, 2, 3, 4]:
            sys.exit(f"table ids {got}, expected [1, 2, 3, 4]")
    finally:
        emu.terminate()
        emu.wait(timeout=10)
print("1 passed, 0 failed")
