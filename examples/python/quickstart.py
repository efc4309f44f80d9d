"""Quick start: load rows exactly once into shop.orders (a Primary Key table), surviving restarts.
Install: pip install starrocks-sink (a wheel that carries libsr_sink), in a venv
Run:     SR_URL=http://fe:8030 SR_USER=loader SR_PASSWORD=... python quickstart.py quickstart.state
Every run restores the token stored by the last one, writes three rows and commits them."""
import os
import sys

import starrocks_sink as srs


def credentials(table, after_auth_failure):
    return os.environ.get("SR_USER", "root"), os.environ.get("SR_PASSWORD", "")


def load_state(path):
    """The state file holds "<checkpoint id>\\n<token bytes>"; (0, None) on the first run."""
    try:
        with open(path, "rb") as f:
            ckpt, _, token = f.read().partition(b"\n")
    except FileNotFoundError:
        return 0, None
    return int(ckpt), token or None


def store_state(path, ckpt, token):
    """Durably: write a temporary file, fsync it, rename it over the old state."""
    with open(path + ".tmp", "wb") as f:
        f.write(b"%d\n" % ckpt + token)
        f.flush()
        os.fsync(f.fileno())
    os.replace(path + ".tmp", path)


def main():
    url = os.environ.get("SR_URL")
    state = sys.argv[1] if len(sys.argv) > 1 else "quickstart.state"
    if not url:
        sys.exit("set SR_URL to the FE, e.g. http://127.0.0.1:8030")
    ckpt, token = load_state(state)
    try:
        with srs.Connector() as conn:
            conn.add_sink("shop.*", {"http_url": url, "execution_mode": "on_checkpoint"},
                          credentials)
            # open commits what the token names and rolls back the rest
            with conn.open("shop.orders", ["id", "name", "amount"],
                           instance_id="examples/python-quickstart/0",
                           restore_token=token) as sink:
                sink.write([{"id": 2 * ckpt + 1, "name": "a", "amount": "1.50"},
                            {"id": 2 * ckpt + 2, "name": "b", "amount": "2.00"}])
                sink.delete([{"id": 0}])
                token = sink.on_checkpoint(ckpt + 1)  # prepared, not yet visible
                try:
                    store_state(state, ckpt + 1, token)
                except OSError as e:
                    sys.exit(f"cannot store {state} ({e}); the next run rolls checkpoint "
                             f"{ckpt + 1} back")
                sink.commit(ckpt + 1)  # durable at the host: now visible
                print(f"checkpoint {ckpt + 1} committed")
    except srs.SinkError as e:
        sys.exit(f"load: {e.code_name}: {e.message}")


if __name__ == "__main__":
    main()
