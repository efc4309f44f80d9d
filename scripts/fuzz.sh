#!/usr/bin/env bash
# The fuzz stage (issue #18): builds the `fuzz` preset (clang, libFuzzer, ASan + UBSan) and runs
# every target in tests/fuzz for a bounded time, starting from its seed corpus (copied: the
# repository's corpus is never written) with its dictionary. A crash, a leak, a timeout or an
# out-of-memory fails the stage; the reproducer is printed (hex and base64) with the command that
# replays it.
# Usage: scripts/fuzz.sh [seconds-per-target (default $FUZZ_SECONDS or 40)] [target...]
# FUZZ_JOBS (default 2): targets run at once.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-${FUZZ_SECONDS:-40}}"
shift || true
jobs="${FUZZ_JOBS:-2}"
scripts/setup.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

bin=build/fuzz/tests/fuzz
work=build/fuzz/fuzz-run
rm -rf "$work"
mkdir -p "$work"
if (($#)); then targets=("$@"); else
  targets=()
  for d in tests/fuzz/corpus/fuzz_*; do targets+=("$(basename "$d")"); done
fi

run_target() {
  local t="$1" dir="$work/$1"
  mkdir -p "$dir/corpus" "$dir/artifacts"
  cp tests/fuzz/corpus/"$t"/* "$dir/corpus/" 2>/dev/null || true
  local dict=() name="${t#fuzz_}"
  [ -f "tests/fuzz/dict/$name.dict" ] && dict=(-dict="tests/fuzz/dict/$name.dict")
  local rc=0
  ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
    "$bin/$t" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=8192 \
    -print_final_stats=1 -artifact_prefix="$dir/artifacts/" "${dict[@]}" "$dir/corpus" \
    >"$dir/log" 2>&1 || rc=$?
  echo "$rc" >"$dir/rc"
}

pids=()
for t in "${targets[@]}"; do
  [ -x "$bin/$t" ] || { echo "fuzz: no such target $t" >&2; exit 2; }
  run_target "$t" &
  pids+=($!)
  if ((${#pids[@]} >= jobs)); then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
wait

failed=0
for t in "${targets[@]}"; do
  dir="$work/$t"
  rc="$(cat "$dir/rc")"
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/log" | grep -o '[0-9]*$' || echo '?')"
  cov="$(grep -o 'cov: [0-9]*' "$dir/log" | tail -1 || true)"
  if [ "$rc" = 0 ]; then
    echo "fuzz: $t ok (${seconds}s, $execs runs, $cov, corpus $(ls "$dir/corpus" | wc -l))"
    continue
  fi
  failed=1
  echo "fuzz: $t FAILED (exit $rc); its log:"
  sed 's/^/  | /' "$dir/log" | grep -v '^  | #[0-9]*.*\(NEW\|REDUCE\|pulse\)' | tail -80
  for f in "$dir"/artifacts/*; do
    [ -f "$f" ] || continue
    echo "fuzz: reproducer $f ($(stat -c %s "$f") bytes)"
    echo "  hex:"; od -An -tx1 -v "$f" | head -64 | sed 's/^/   /'
    echo "  base64: $(base64 -w0 "$f" | head -c 16384)"
    echo "  replay: $bin/$t $f   (or, without clang: build/default/tests/fuzz/$t $f)"
    echo "  after the fix, keep it: cp $f tests/fuzz/corpus/$t/"
  done
done
exit "$failed"
