"""C09's host process: writes, takes checkpoint 1 (token stored durably), prepares checkpoint 2
(token never stored), then says "ready" and waits to be killed with SIGKILL before any commit.
Usage: c09_child.py <emulator url> <token file>"""

import os
import sys

import starrocks_sink as srs
from scenario import ORDERS_COLUMNS, R1, R2, R3


def store_durably(path: str, data: bytes) -> None:
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main() -> None:
    url, token_file = sys.argv[1], sys.argv[2]
    srs.set_default_library(srs.load_library(os.environ["SR_SINK_LIBRARY"]))
    c = srs.Connector()
    c.add_sink("shop.*", {"http_url": url, "execution_mode": "on_checkpoint",
                          "label_prefix": "conf", "max_retries": 2, "retry_backoff_ms": 10})
    sink = c.open("shop.orders", ORDERS_COLUMNS, instance_id="conf/c09/0")
    sink.write([R1, R2])
    store_durably(token_file, sink.on_checkpoint(1))
    sink.write([R3])
    sink.on_checkpoint(2)  # prepared; checkpoint 2 never becomes durable
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdin.read()  # killed here


if __name__ == "__main__":
    main()
