"""Shared values of tests/conformance/SCENARIOS.md."""

from __future__ import annotations

import json
from typing import Any

ORDERS_COLUMNS = ["id", "name", "amount"]
CUSTOMERS_COLUMNS = ["region", "id", "name", "vip"]

R1 = {"id": 1, "name": "alice", "amount": "10.50"}
R2 = {"id": 2, "name": "bob", "amount": "20.00"}
R3 = {"id": 3, "name": "carol", "amount": "30.25"}
R2b = {"id": 2, "name": "bobby", "amount": "21.00"}
D1 = {"id": 1}

DUMP = {
    "R1": '{"id":1,"name":"alice","amount":10.50}',
    "R2": '{"id":2,"name":"bob","amount":20.00}',
    "R3": '{"id":3,"name":"carol","amount":30.25}',
    "R2b": '{"id":2,"name":"bobby","amount":21.00}',
}


def opts(emu: Any, mode: str = "on_watermark", **extra: Any) -> dict:
    """OPTS(mode) of the scenario list, plus overrides."""
    doc = {"http_url": emu.url, "execution_mode": mode, "label_prefix": "conf",
           "max_retries": 2, "retry_backoff_ms": 10}
    doc.update(extra)
    return doc


def encoded(row: dict) -> bytes:
    return json.dumps(row, separators=(",", ":")).encode()
