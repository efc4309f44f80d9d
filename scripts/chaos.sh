#!/usr/bin/env bash
# The chaos soak (tests/chaos/soak.py, issue #18) against the default build's sr-emulator and
# sr-load. Short form (CI): scripts/chaos.sh — starts iterations for 3 minutes. Long form (by
# hand): scripts/chaos.sh --minutes 60 (record the result in tests/chaos/README.md). Other
# arguments go to soak.py (--seed N --iterations 1 repeats one iteration).
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/default
if [ ! -x "$build/tools/sr-emulator/sr-emulator" ] || [ ! -x "$build/tools/sr-load/sr-load" ] || [ ! -x "$build/tests/exactly_once/eo_host" ]; then
  cmake --preset default >/dev/null
  cmake --build --preset default -j "$(nproc)" --target sr-emulator sr-load sr_sink eo_host
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/sr-chaos.XXXXXX")"
rc=0
python3 tests/chaos/soak.py --emulator "$build/tools/sr-emulator/sr-emulator" \
  --sr-load "$build/tools/sr-load/sr-load" --eo-host "$build/tests/exactly_once/eo_host" \
  --iterations 100000 --minutes 3 --run-timeout 60 \
  --workdir "$work" "$@" || rc=$?
if [ "$rc" = 0 ]; then rm -rf "$work"; else echo "chaos: the failing iterations' logs are in $work" >&2; fi
exit "$rc"
