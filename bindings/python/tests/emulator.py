"""A real sr-emulator process for one test, and its admin API (tests/conformance/SCENARIOS.md)."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[3]

# The admin API is on loopback: never through a proxy (urllib and libcurl both honour *_proxy).
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
os.environ.setdefault("no_proxy", "127.0.0.1,localhost")


def _first_existing(env: str, candidates: list[Path]) -> str:
    value = os.environ.get(env)
    if value:
        if not Path(value).exists():
            raise RuntimeError(f"{env}={value} does not exist")
        return value
    for c in candidates:
        if c.exists():
            return str(c)
    raise RuntimeError(f"set {env} (looked in {', '.join(str(c) for c in candidates)})")


def emulator_path() -> str:
    return _first_existing("SR_EMULATOR", [REPO / "build/default/tools/sr-emulator/sr-emulator"])


def library_path() -> str:
    return _first_existing("SR_SINK_LIBRARY", [REPO / "build/default/src/libsr_sink.so.1"])


def conformance_dir() -> Path:
    return Path(os.environ.get("SR_CONFORMANCE_DIR", REPO / "tests/conformance"))


class Emulator:
    """sr-emulator on 127.0.0.1 with ports chosen by the OS; stopped with SIGTERM."""

    def __init__(self, data_dir: Path, users: str | None = None, catalog: Path | None = None,
                 extra: list[str] | None = None) -> None:
        catalog = catalog or conformance_dir() / "catalog.json"
        args = [emulator_path(), "--fe-port", "0", "--be-port", "0", "--bind", "127.0.0.1",
                "--catalog", str(catalog), "--data-dir", str(data_dir)]
        if users is not None:
            args += ["--users", users]
        args += extra or []
        self._stderr = open(data_dir.parent / f"{data_dir.name}.stderr", "w+b")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._stderr)
        line = self._read_ready_line(deadline_s=60)
        ready = json.loads(line)
        self.fe_port = int(ready["fe_port"])
        self.be_ports = [int(p) for p in ready["be_ports"]]
        self.url = f"http://127.0.0.1:{self.fe_port}"
        # Keep draining stdout so the emulator never blocks on a full pipe.
        threading.Thread(target=self._drain, daemon=True).start()

    def _read_ready_line(self, deadline_s: float) -> str:
        # Waits for the ready line (an event, not a sleep); the deadline only bounds a hang.
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        buf = b""
        end = time.monotonic() + deadline_s
        while b"\n" not in buf:
            left = end - time.monotonic()
            if left <= 0 or not sel.select(left):
                self.stop()
                raise RuntimeError(f"sr-emulator printed no ready line: {self.stderr()}")
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                self.proc.wait()
                raise RuntimeError(f"sr-emulator exited with {self.proc.returncode} before "
                                   f"becoming ready: {self.stderr()}")
            buf += chunk
        sel.close()
        return buf.split(b"\n", 1)[0].decode()

    def _drain(self) -> None:
        try:
            while self.proc.stdout.read(4096):
                pass
        except (OSError, ValueError):
            pass

    def stderr(self) -> str:
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")[-4000:]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()

    # ---- admin API ---------------------------------------------------------------------------

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, bytes]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with _opener.open(req, timeout=30) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def admin(self, method: str, path: str, body: Any = None) -> Any:
        status, data = self.request(method, path, body)
        if status != 200:
            raise AssertionError(f"{method} {path} → {status}: {data[:500]!r}")
        return json.loads(data) if data.strip() else None

    def dump(self, table: str) -> list[str]:
        """The table's rows as the emulator prints them: one canonical JSON line per row."""
        db, t = table.split(".", 1)
        status, data = self.request("GET", f"/_emulator/tables/{db}/{t}/rows")
        assert status == 200, f"dump {table} → {status}: {data[:300]!r}"
        return [line for line in data.decode().split("\n") if line.strip()]

    def stats(self) -> dict:
        return self.admin("GET", "/_emulator/stats")

    def labels(self, db: str = "shop", kind: str | None = None) -> dict[str, dict]:
        labels = self.stats().get("labels", {}).get(db, {})
        return {k: v for k, v in labels.items() if kind is None or v.get("kind") == kind}

    def set_user(self, user: str, password: str) -> None:
        self.admin("POST", "/_emulator/users", {"user": user, "password": password})

    def fault(self, **fault: Any) -> int:
        return self.admin("POST", "/_emulator/faults", fault)["id"]
