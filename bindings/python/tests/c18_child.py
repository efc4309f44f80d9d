"""C18's writer process: prepares checkpoint 1, stores its token durably, says "ready" and waits
to be killed with SIGKILL before any commit (the committer runs in another process).
Usage: c18_child.py <emulator url> <token file>"""

import os
import sys

import starrocks_sink as srs
from c09_child import store_durably
from scenario import ORDERS_COLUMNS, R1, R2


def main() -> None:
    url, token_file = sys.argv[1], sys.argv[2]
    srs.set_default_library(srs.load_library(os.environ["SR_SINK_LIBRARY"]))
    c = srs.Connector()
    c.add_sink("shop.*", {"http_url": url, "execution_mode": "on_checkpoint",
                          "label_prefix": "conf", "max_retries": 2, "retry_backoff_ms": 10})
    sink = c.open("shop.orders", ORDERS_COLUMNS, instance_id="conf/c18/0")
    sink.write([R1, R2])
    store_durably(token_file, sink.on_checkpoint(1))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdin.read()  # killed here


if __name__ == "__main__":
    main()
