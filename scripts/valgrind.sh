#!/usr/bin/env bash
# Runs the library's C++ test programs under valgrind memcheck (errors and definite leaks fail).
# Needs a build of the given preset (default: "default"), e.g. after scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
build="build/${1:-default}"
scripts/setup.sh   # valgrind is among its packages
tests=(tests/unit/sr_sink_logic_tests tests/integration/sr_sink_runtime_tests
       tests/exactly_once/exactly_once_unit_tests tests/exactly_once/exactly_once_in_process_tests
       tests/integration/sr_sink_integration_tests)
# valgrind runs one thread at a time and, by default (--fair-sched=no), hands the CPU over
# unfairly: a test thread that spins without ever blocking in the kernel can starve the others
# for good (this once stalled the integration program for 19 minutes). Tests must block while
# they wait; the time bound per program turns any new such spin into a failure, not a stall.
failed=0
for t in "${tests[@]}"; do
  echo "valgrind: $t"
  if ! timeout 900 valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
       --show-leak-kinds=definite "$build/$t" --gtest_brief=1; then
    echo "valgrind: $t FAILED"; failed=$((failed + 1))
  fi
done
echo "valgrind: $(( ${#tests[@]} - failed )) passed, $failed failed"
exit $((failed > 0))
