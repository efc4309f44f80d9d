#!/usr/bin/env bash
# The benchmark, one command: builds the release preset, starts sr-emulator --discard on loopback,
# runs curl / the library (C ABI, both modes) / the Java SDK / a Python loader, the latency, memory
# and compression runs, and writes bench/results/latest.md. `--short` is the CI form (20 MiB).
# Any other argument goes to run.py (see `bench/run.py --help`).
set -euo pipefail
exec python3 "$(dirname "$0")/run.py" "$@"
