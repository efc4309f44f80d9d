#!/usr/bin/env python3
"""What a user writes by hand: rows as dicts, json.dumps, requests, Stream Load in batches.

    py_load.py FE_URL ROWS_FILE OPS_FILE MAX_MB [BATCH_ROWS]

The rows arrive as text in ROWS_FILE (like every other client's input), so the script first
turns each line into a dict (json.loads); that part is timed separately and NOT counted in the
reported wall time, which covers what the hand-written loader itself does: add "__op", json.dumps,
join a batch, PUT it. Redirects: requests drops the Authorization header when the FE's 307 points
to another port, so the script keeps it (the usual rebuild_auth override from StarRocks' Python
examples). Prints one JSON line.
"""
import json
import sys
import time
import uuid

import requests


class StarRocksSession(requests.Session):
    def rebuild_auth(self, prepared_request, response):
        pass  # keep Basic auth across the FE -> BE redirect


def main():
    url, rows_path, ops_path, max_mb = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    batch_rows = int(sys.argv[5]) if len(sys.argv) > 5 else 10000
    limit = int(max_mb * 1048576) if max_mb > 0 else 1 << 62
    endpoint = f"{url}/api/bench/orders/_stream_load"
    session = StarRocksSession()
    session.auth = ("root", "")
    prefix = f"pyload-{uuid.uuid4().hex[:12]}"
    rows = sent_bytes = loads = 0
    parse_s = load_s = 0.0
    with open(rows_path, "rb") as f_rows, open(ops_path, "rb") as f_ops:
        done = False
        while not done:
            # The user's rows: dicts (parsed outside the timed part).
            t = time.perf_counter()
            batch = []
            for line in f_rows:
                batch.append(json.loads(line))
                if len(batch) == batch_rows:
                    break
            ops = f_ops.read(len(batch))
            parse_s += time.perf_counter() - t
            if not batch:
                break
            t = time.perf_counter()
            for row, op in zip(batch, ops):
                row["__op"] = op
            body = "\n".join(json.dumps(r, separators=(",", ":")) for r in batch).encode() + b"\n"
            loads += 1
            r = session.put(endpoint, data=body, headers={
                "label": f"{prefix}-{loads}", "format": "json", "Expect": "100-continue",
                "columns": "id,customer,name,amount,ts,flag,__op"})
            reply = r.json()
            if reply.get("Status") not in ("Success", "Publish Timeout"):
                print(f"py_load: load {loads} failed: {reply}", file=sys.stderr)
                sys.exit(1)
            load_s += time.perf_counter() - t
            rows += len(batch)
            sent_bytes += len(body)
            if sent_bytes >= limit:
                done = True
    print(json.dumps({"rows": rows, "input_bytes": sent_bytes, "loads": loads,
                      "wall_s": round(load_s, 4), "parse_s": round(parse_s, 4)}))


if __name__ == "__main__":
    main()
