#!/usr/bin/env bash
# Runs the Rust binding's tests — unit tests and the conformance suite (tests/conformance/
# SCENARIOS.md) against a real sr-emulator — with `cargo test`. ctest (conformance_rust) calls it
# with SR_SINK_LIBRARY, SR_EMULATOR, SR_CONFORMANCE_DIR and, for sanitizer builds,
# SR_SINK_SANITIZER_RUNTIME. Outside ctest it falls back to build/default. Exits non-zero when a
# test fails; installs cargo from Debian when no cargo is found.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

lib=${SR_SINK_LIBRARY:-$repo/build/default/src/libsr_sink.so}
[ -e "$lib" ] || { echo "run-tests.sh: SR_SINK_LIBRARY ($lib) does not exist; build the library or set SR_SINK_LIBRARY" >&2; exit 1; }
lib_dir=${SR_SINK_LIBRARY_DIR:-$(dirname "$lib")}
lib_dir=$(cd "$lib_dir" && pwd)
[ -e "$lib_dir/libsr_sink.so" ] || { echo "run-tests.sh: $lib_dir has no libsr_sink.so to link with" >&2; exit 1; }
export SR_SINK_LIBRARY=$lib SR_SINK_LIBRARY_DIR=$lib_dir
export SR_EMULATOR=${SR_EMULATOR:-$repo/build/default/tools/sr-emulator/sr-emulator}
export SR_CONFORMANCE_DIR=${SR_CONFORMANCE_DIR:-$repo/tests/conformance}
[ -x "$SR_EMULATOR" ] || { echo "run-tests.sh: SR_EMULATOR ($SR_EMULATOR) is not an executable; build sr-emulator or set SR_EMULATOR" >&2; exit 1; }
[ -f "$SR_CONFORMANCE_DIR/catalog.json" ] || { echo "run-tests.sh: SR_CONFORMANCE_DIR ($SR_CONFORMANCE_DIR) has no catalog.json" >&2; exit 1; }

# Toolchain: PATH, then rustup's default location, then Debian's package.
if ! command -v cargo >/dev/null 2>&1; then
  if [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
  else
    echo "run-tests.sh: cargo not found; installing Debian's cargo" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends cargo >/dev/null
  fi
fi

# Link against the build tree's library, and load exactly that one at run time.
export SR_SINK_LIB_DIR=$lib_dir
export LD_LIBRARY_PATH=$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
# Build products next to the library's build tree (never in the source tree).
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$(dirname "$lib_dir")/bindings/rust/target}
mkdir -p "$CARGO_TARGET_DIR"

# Sanitizer builds: the test binaries are not instrumented but the library is, so its runtime
# must be loaded first — only into the test binaries (a cargo runner), not into cargo and rustc.
if [ -n "${SR_SINK_SANITIZER_RUNTIME:-}" ]; then
  runner=$CARGO_TARGET_DIR/sanitizer-runner.sh
  cat >"$runner" <<RUNNER
#!/bin/sh
LD_PRELOAD="$SR_SINK_SANITIZER_RUNTIME\${LD_PRELOAD:+:\$LD_PRELOAD}" exec "\$@"
RUNNER
  chmod +x "$runner"
  triple=$(rustc -vV | sed -n 's/^host: //p')
  triple_var=$(echo "$triple" | tr 'a-z-' 'A-Z_')
  export "CARGO_TARGET_${triple_var}_RUNNER=$runner"
  # Leak checking stays on (the binding must release tokens and callbacks); the ctest preset's
  # ASAN_OPTIONS win when set.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
fi

cd "$here"
echo "run-tests.sh: $(cargo --version), library $lib_dir, emulator $SR_EMULATOR"
# The feature `arrow` of sr-sink (arrow-array, arrow-schema) comes from crates.io, and Cargo.lock
# pins it: fetch it once (nothing is downloaded when ~/.cargo has it), then build offline.
cargo fetch --locked
cargo test --offline --locked --workspace "$@"
# The feature `arrow`: its unit tests and tests/arrow.rs (the rest of the suite ran above).
exec cargo test --offline --locked -p sr-sink --features arrow --lib --test arrow "$@"
