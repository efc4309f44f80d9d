#!/usr/bin/env python3
"""ctest example_<lang>_quickstart (and scripts/packages.sh): checks that each README shows the
example file as it is, runs an optional build command once, then runs the example twice against
one sr-emulator (the second run restores the first one's token) and checks the table.

usage: run_example.py --emulator EXE --catalog catalog.json --source FILE
                      [--readme README.md]... [--fence LANG] [--build SHELL-CMD] [--cwd DIR]
                      [--env K=V]... [--run-env K=V]... -- COMMAND...
COMMAND gets the state file as its last argument and SR_URL in its environment; $WORK in --build,
--env and COMMAND is replaced by a scratch directory that is removed at the end."""
import argparse, json, os, shutil, subprocess, sys, tempfile, urllib.request

ap = argparse.ArgumentParser()
ap.add_argument("--emulator", required=True)
ap.add_argument("--catalog", required=True)
ap.add_argument("--source", required=True)
ap.add_argument("--readme", action="append", default=[])
ap.add_argument("--fence", default="")
ap.add_argument("--build")
ap.add_argument("--cwd")
ap.add_argument("--env", action="append", default=[])
ap.add_argument("--run-env", action="append", default=[], help="K=V for the runs, not the build")
ap.add_argument("--keep-work", action="store_true", help="do not remove the scratch directory")
ap.add_argument("command", nargs="+")
a = ap.parse_args()

with open(a.source) as f:
    code = f.read()
for readme in a.readme:
    with open(readme) as f:
        if f"```{a.fence}\n{code}```" not in f.read():
            sys.exit(f"{readme} does not show {a.source} as it is (a ```{a.fence} block)")

work = tempfile.mkdtemp(prefix="sr-example-")
sub = lambda s: s.replace("$WORK", work)
env = dict(os.environ)
for kv in a.env:
    k, _, v = kv.partition("=")
    env[k] = sub(v)
try:
    if a.build:
        r = subprocess.run(sub(a.build), shell=True, cwd=a.cwd, env=env, timeout=1200)
        if r.returncode != 0:
            sys.exit(f"build failed (exit {r.returncode}): {a.build}")
    data = os.path.join(work, "emulator")
    os.mkdir(data)
    emu = subprocess.Popen([a.emulator, "--fe-port", "0", "--be-port", "0", "--bind", "127.0.0.1",
                            "--catalog", a.catalog, "--data-dir", data],
                           stdout=subprocess.PIPE, text=True)
    try:
        fe = json.loads(emu.stdout.readline())["fe_port"]
        env["SR_URL"] = f"http://127.0.0.1:{fe}"
        for kv in a.run_env:
            k, _, v = kv.partition("=")
            env[k] = sub(v)
        state = os.path.join(work, "quickstart.state")
        for run in (1, 2):
            r = subprocess.run([sub(c) for c in a.command] + [state], env=env, cwd=a.cwd,
                               capture_output=True, text=True, timeout=300)
            if r.returncode != 0 or f"checkpoint {run} committed" not in r.stdout:
                sys.exit(f"run {run}: exit {r.returncode}\n{r.stdout}{r.stderr}")
        url = f"http://127.0.0.1:{fe}/_emulator/tables/shop/orders/rows"
        got = [json.loads(l)["id"] for l in urllib.request.urlopen(url).read().decode().splitlines() if l]
        if got != [1, 2, 3, 4]:
            sys.exit(f"table ids {got}, expected [1, 2, 3, 4]")
    finally:
        emu.terminate()
        emu.wait(timeout=10)
finally:
    if not a.keep_work:
        subprocess.run(["chmod", "-R", "u+w", work])  # Go's module cache is read-only
        shutil.rmtree(work)
print(f"{os.path.basename(a.source)}: 1 passed, 0 failed")
