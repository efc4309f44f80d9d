#!/usr/bin/env python3
"""Builds the Go quick start the way a program outside this repository gets the binding: from a
module proxy, by its module path and version, with no `replace`. The proxy is a directory (Go's
GOPROXY=file:// protocol) holding bindings/go as the module zip a real proxy serves for the tag
bindings/go/vX.Y.Z; the module cache is a scratch one so no stale copy is used.

usage: build_outside.py <bindings/go> <quickstart.go> <work dir> <output binary> <version>
Needs the header and library where cgo finds them (installed, or CGO_CFLAGS/CGO_LDFLAGS)."""
import json, os, pathlib, re, subprocess, sys, zipfile

mod_dir, example, work, out = (pathlib.Path(p).resolve() for p in sys.argv[1:5])
module = re.search(r"^module\s+(\S+)", (mod_dir / "go.mod").read_text(), re.M).group(1)
version = "v" + sys.argv[5]

# `go get` finds a module in a subdirectory of a repository only when its path is the
# repository's path plus that subdirectory; the repository is the one the Java groupId names
# (io.github.<owner> is github.com/<owner>).
repo_root = mod_dir.parent.parent
owner = re.search(r"<groupId>io\.github\.([^<]+)</groupId>",
                  (repo_root / "bindings/java/pom.xml").read_text()).group(1)
subdir = mod_dir.relative_to(repo_root).as_posix()
if not (module.startswith(f"github.com/{owner}/") and module.endswith("/" + subdir)):
    sys.exit(f"module path {module} is not github.com/{owner}/<repository>/{subdir}: `go get` "
             f"could not find it in the repository")

at = work / "goproxy" / module.lower() / "@v"  # no upper case in srsink's path: no !-escaping
at.mkdir(parents=True, exist_ok=True)
(at / "list").write_text(version + "\n")
(at / f"{version}.info").write_text(json.dumps({"Version": version}))
(at / f"{version}.mod").write_text((mod_dir / "go.mod").read_text())
with zipfile.ZipFile(at / f"{version}.zip", "w") as z:
    for f in sorted(mod_dir.iterdir()):
        if f.is_file():
            z.write(f, f"{module}@{version}/{f.name}")

prog = work / "program"
prog.mkdir(exist_ok=True)
(prog / "main.go").write_text(example.read_text())
(prog / "go.mod").write_text(f"module example.com/quickstart\n\ngo 1.19\n\nrequire {module} {version}\n")
env = dict(os.environ, GOPROXY=f"file://{work / 'goproxy'}", GOSUMDB="off", GOFLAGS="-mod=mod",
           GOMODCACHE=str(work / "gomodcache"), GOWORK="off")
for cmd in (["go", "mod", "tidy"], ["go", "build", "-o", str(out), "."]):
    r = subprocess.run(cmd, cwd=prog, env=env)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed (exit {r.returncode}) for {module}@{version}")
