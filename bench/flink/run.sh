#!/usr/bin/env bash
# The Flink benchmark, one command (bench/README.md, "Flink"): builds the release preset
# (sr-emulator, the Java binding's natives) and the bench module (mvn, Flink 1.19 + 1.20 + 2.x),
# then runs our connector and the official StarRocks connector in the same Flink job, interleaved,
# and writes bench/results/flink-latest.{md,json}. `--short` is the CI form; `--help` for the rest.
set -euo pipefail
exec python3 "$(dirname "$0")/run.py" "$@"
