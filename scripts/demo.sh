#!/usr/bin/env bash
# The README demo: build, start sr-emulator on loopback with a demo table, generate a million
# orders with updates and deletes, load them with sr-load (on_checkpoint = exactly-once),
# SIGKILL it mid-way, resume it from its state file, and compare the table with the expected
# row count and checksum. Exit status 0 only if they match.
#
# With SR_URL (+ SR_USER, SR_PASSWORD, optional SR_TABLE, default shop.orders) set, the same
# load goes into that StarRocks instead (the table must exist; see tools/sr-load/README.md) and
# the row count is checked with the HTTP SQL API.
#
# The demo ends with a look at the loaded table through the query port (MySQL protocol, like
# StarRocks' 9030) with the `mysql` client; against StarRocks set SR_QUERY_PORT for that look.
#
# Knobs: SR_DEMO_ORDERS (default 1000000), SR_DEMO_PRESET (default "default"),
#        SR_DEMO_DIR (work dir, default a temp dir removed at the end), SR_DEMO_KEEP=1 keeps it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
ORDERS=${SR_DEMO_ORDERS:-1000000}
PRESET=${SR_DEMO_PRESET:-default}
CHECKPOINT_ROWS=$(( ORDERS / 10 > 1000 ? ORDERS / 10 : 1000 ))

say() { printf '\n==> %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }
json_field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }

say "Installing what is missing (scripts/setup.sh)"
scripts/setup.sh

say "Building (cmake --preset $PRESET)"
cmake --preset "$PRESET" >/dev/null
cmake --build --preset "$PRESET" -j "$(nproc)" \
  --target sr_sink sr-load sr-emulator sr-load-gen sr-load-checksum
BUILD=$ROOT/build/$PRESET
SR_LOAD=$BUILD/tools/sr-load/sr-load
[ -x "$SR_LOAD" ] || die "sr-load was not built at $SR_LOAD"

W=${SR_DEMO_DIR:-$(mktemp -d /tmp/sr-demo.XXXXXX)}
mkdir -p "$W"
EMU_PID=""
LOAD_PID=""
cleanup() {
  [ -n "$LOAD_PID" ] && kill -9 "$LOAD_PID" 2>/dev/null || true
  if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; wait "$EMU_PID" 2>/dev/null || true; fi
  if [ -z "${SR_DEMO_DIR:-}" ] && [ "${SR_DEMO_KEEP:-0}" != 1 ]; then rm -rf "$W"; fi
}
trap cleanup EXIT

say "Generating $ORDERS orders with updates and deletes (seed 42)"
"$BUILD/tools/sr-load/sr-load-gen" --orders "$ORDERS" --seed 42 \
  --out "$W/orders.ndjson" --expected "$W/expected.json"
INPUT_ROWS=$(json_field "$W/expected.json" input_rows)

if [ -n "${SR_URL:-}" ]; then
  TARGET="StarRocks at $SR_URL"
  URL=$SR_URL
  export SR_USER=${SR_USER:-root}
  export SR_PASSWORD=${SR_PASSWORD:-}
  TABLE=${SR_TABLE:-shop.orders}
else
  say "Starting sr-emulator on 127.0.0.1 with table shop.orders"
  "$BUILD/tools/sr-emulator/sr-emulator" --fe-port 0 --be-port 0 --query-port 0 --bind 127.0.0.1 \
    --catalog "$ROOT/tools/sr-load/demo/catalog.json" >"$W/emulator.ready" 2>"$W/emulator.log" &
  EMU_PID=$!
  for _ in $(seq 300); do
    [ -s "$W/emulator.ready" ] && break
    kill -0 "$EMU_PID" 2>/dev/null || die "sr-emulator exited: $(tail -3 "$W/emulator.log")"
    sleep 0.1
  done
  FE_PORT=$(json_field "$W/emulator.ready" fe_port)
  QUERY_HOST=127.0.0.1
  QUERY_PORT=$(json_field "$W/emulator.ready" query_port)
  URL=http://127.0.0.1:$FE_PORT
  TARGET="sr-emulator at $URL"
  export SR_USER=root SR_PASSWORD=""
  TABLE=shop.orders
fi

# batch_max_rows: rows stream into the open transaction in loads of 20000 rows during an epoch.
LOAD=("$SR_LOAD" --url "$URL" --user "$SR_USER" --password-env SR_PASSWORD --table "$TABLE"
      --mode on_checkpoint --checkpoint-rows "$CHECKPOINT_ROWS" --state-file "$W/load.state"
      --option batch_max_rows=20000 --progress log --progress-interval 5 "$W/orders.ndjson")
state_checkpoint() { sed -n 's/^checkpoint //p' "$W/load.state" 2>/dev/null || true; }

say "Loading $INPUT_ROWS rows into $TABLE ($TARGET), a checkpoint every $CHECKPOINT_ROWS rows"
echo "    ${LOAD[*]}"
"${LOAD[@]}" --summary-json "$W/run1.json" &
LOAD_PID=$!
KILLED=0
while kill -0 "$LOAD_PID" 2>/dev/null; do
  ck=$(state_checkpoint)
  if [ -n "$ck" ] && [ "$ck" -ge 3 ]; then
    # A second into the next epoch: its first rows are usually in an open transaction by then.
    sleep 1
    kill -9 "$LOAD_PID" 2>/dev/null && KILLED=1
    break
  fi
  sleep 0.05
done
RC1=0
wait "$LOAD_PID" 2>/dev/null || RC1=$?
LOAD_PID=""
[ "$KILLED" = 1 ] || [ "$RC1" = 0 ] || die "sr-load failed (exit status $RC1)"
if [ "$KILLED" = 1 ]; then
  say "Killed sr-load with SIGKILL after checkpoint $(state_checkpoint) ($(sed -n 's/^rows //p' "$W/load.state") input rows durable)"
  if [ -z "${SR_URL:-}" ]; then
    curl -sf "$URL/_emulator/stats" | python3 -c 'import json,sys
s=json.load(sys.stdin)
t=s["tables"].get("shop.orders",{})
st=[v["state"] for v in s.get("labels",{}).get("shop",{}).values()]
print("    the table now has", t.get("rows",0), "visible rows; the killed run left",
      st.count("PREPARE"), "open and", st.count("PREPARED"), "prepared transaction(s) behind")' || true
  fi
  say "Resuming with the same command and state file"
  "${LOAD[@]}" --summary-json "$W/run2.json"
else
  say "sr-load finished before it could be killed (nothing to resume)"
fi

say "Checking the table"
FAIL=0
UNVERIFIED=0
EXPECTED_ROWS=$(json_field "$W/expected.json" rows)
EXPECTED_SUM=$(json_field "$W/expected.json" checksum)
if [ -z "${SR_URL:-}" ]; then
  curl -sf "$URL/_emulator/tables/shop/orders/rows" | "$BUILD/tools/sr-load/sr-load-checksum" >"$W/actual.json"
  ROWS=$(json_field "$W/actual.json" rows)
  SUM=$(json_field "$W/actual.json" checksum)
  curl -sf "$URL/_emulator/stats" >"$W/stats.json"
  APPLIED=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["tables"]["shop.orders"]; print(t["upserts"]+t["deletes"])' "$W/stats.json")
  printf '    %-22s %-20s %s\n' "" "table" "expected"
  printf '    %-22s %-20s %s\n' "rows" "$ROWS" "$EXPECTED_ROWS"
  printf '    %-22s %-20s %s\n' "checksum" "$SUM" "$EXPECTED_SUM"
  printf '    %-22s %-20s %s\n' "input rows applied" "$APPLIED" "$INPUT_ROWS  (each exactly once)"
  [ "$ROWS" = "$EXPECTED_ROWS" ] && [ "$SUM" = "$EXPECTED_SUM" ] && [ "$APPLIED" = "$INPUT_ROWS" ] || FAIL=1
else
  db=${TABLE%%.*}
  COUNT=$(printf '{"query":"SELECT COUNT(*) FROM %s"}' "$TABLE" |
    curl -sf --config <(printf 'user = "%s:%s"\n' "$SR_USER" "$SR_PASSWORD") --location-trusted \
      -H 'Content-Type: application/json' --data-binary @- \
      "$URL/api/v1/catalogs/default_catalog/databases/$db/sql" |
    python3 -c 'import json,sys
for l in sys.stdin:
    o=json.loads(l)
    if "data" in o: print(o["data"][0]); break' 2>/dev/null || true)
  if [ -n "$COUNT" ]; then
    printf '    rows %s, expected %s (if %s was empty before the demo)\n' "$COUNT" "$EXPECTED_ROWS" "$TABLE"
    [ "$COUNT" = "$EXPECTED_ROWS" ] || FAIL=1
  else
    echo "    could not count the rows over the HTTP SQL API (StarRocks 3.2+); expected $EXPECTED_ROWS"
    UNVERIFIED=1
  fi
  echo "    (the checksum is only compared against the emulator, which can dump the table)"
fi

python3 - "$W" <<'EOF'
import json, os, sys
w = sys.argv[1]
for name, what in (("run1.json", "first run"), ("run2.json", "resumed run")):
    path = os.path.join(w, name)
    if not os.path.exists(path):
        continue
    r = json.load(open(path))
    print(f"    throughput, {what}: {r['rows_sent']} rows in {r['elapsed_s']:.1f} s = "
          f"{r['rows_per_s']:.0f} rows/s, {r['mb_per_s']:.1f} MB/s"
          + (f" (skipped the {r['rows_skipped']} rows loaded before the kill)" if r["resumed"] else ""))
EOF

# A look at what was loaded, the way a person would: the mysql client on the query port.
if [ -z "${SR_URL:-}" ] || [ -n "${SR_QUERY_PORT:-}" ]; then
  if [ -n "${SR_URL:-}" ]; then
    QUERY_HOST=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.urlparse(sys.argv[1]).hostname)' "$URL")
    QUERY_PORT=$SR_QUERY_PORT
  fi
  QUERY="SELECT COUNT(*) FROM $TABLE; SELECT * FROM $TABLE WHERE status = 'shipped' ORDER BY amount DESC LIMIT 5"
  say "Querying $TABLE through the query port ($QUERY_HOST:$QUERY_PORT, MySQL protocol)"
  echo "    mysql -h $QUERY_HOST -P $QUERY_PORT -u $SR_USER -e \"$QUERY\""
  MYSQL_PWD=$SR_PASSWORD mysql -h "$QUERY_HOST" -P "$QUERY_PORT" -u "$SR_USER" --table -e "$QUERY" | sed 's/^/    /' ||
    { echo "    the query through the query port failed"; FAIL=1; }
fi

if [ "$FAIL" = 0 ] && [ "$UNVERIFIED" = 1 ]; then
  say "Loaded; the row count could not be verified (see above)"
elif [ "$FAIL" = 0 ] && [ -n "${SR_URL:-}" ]; then
  say "OK: the table has the expected number of rows"
elif [ "$FAIL" = 0 ]; then
  say "OK: the table matches the expected rows and checksum, every input row applied exactly once"
else
  say "MISMATCH: see above (work dir $W)"
  SR_DEMO_KEEP=1
  exit 1
fi
