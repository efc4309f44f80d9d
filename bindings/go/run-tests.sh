#!/usr/bin/env bash
# Runs the Go binding's tests — the conformance suite (tests/conformance/SCENARIOS.md) against a
# real sr-emulator and the binding checks — with `go test ./...`. ctest (conformance_go) calls it
# with SR_SINK_LIBRARY, SR_EMULATOR, SR_CONFORMANCE_DIR and, for sanitizer builds,
# SR_SINK_SANITIZER_RUNTIME. Outside ctest it falls back to build/default. Exits non-zero when a
# test fails; installs golang-go from Debian when no go is found.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

lib=${SR_SINK_LIBRARY:-$repo/build/default/src/libsr_sink.so}
[ -e "$lib" ] || { echo "run-tests.sh: SR_SINK_LIBRARY ($lib) does not exist; build the library or set SR_SINK_LIBRARY" >&2; exit 1; }
lib_dir=${SR_SINK_LIBRARY_DIR:-$(dirname "$lib")}
lib_dir=$(cd "$lib_dir" && pwd)
[ -e "$lib_dir/libsr_sink.so" ] || { echo "run-tests.sh: $lib_dir has no libsr_sink.so to link with" >&2; exit 1; }
include_dir=${SR_SINK_INCLUDE_DIR:-$repo/abi}
export SR_SINK_LIBRARY=$lib SR_SINK_LIBRARY_DIR=$lib_dir
export SR_EMULATOR=${SR_EMULATOR:-$repo/build/default/tools/sr-emulator/sr-emulator}
export SR_CONFORMANCE_DIR=${SR_CONFORMANCE_DIR:-$repo/tests/conformance}
[ -x "$SR_EMULATOR" ] || { echo "run-tests.sh: SR_EMULATOR ($SR_EMULATOR) is not an executable; build sr-emulator or set SR_EMULATOR" >&2; exit 1; }
[ -f "$SR_CONFORMANCE_DIR/catalog.json" ] || { echo "run-tests.sh: SR_CONFORMANCE_DIR ($SR_CONFORMANCE_DIR) has no catalog.json" >&2; exit 1; }

# Toolchain: PATH, then the upstream tarball's location, then Debian's package.
if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    export PATH="/usr/local/go/bin:$PATH"
  else
    echo "run-tests.sh: go not found; installing Debian's golang-go" >&2
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends golang-go >/dev/null
  fi
fi

# The srsink module has no dependencies: never reach for the network or another toolchain (the
# srarrow module below is the exception).
user_goproxy=${GOPROXY:-}
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=${GOFLAGS:-} CGO_ENABLED=1
work=$(dirname "$lib_dir")/bindings/go
mkdir -p "$work"
# The user's build cache when it is usable (compiling the standard library for cgo again costs
# minutes on a loaded machine), else one in the build tree.
if [ -z "${GOCACHE:-}" ]; then
  GOCACHE=$(go env GOCACHE 2>/dev/null || true)
  if [ -z "$GOCACHE" ] || ! mkdir -p "$GOCACHE" 2>/dev/null || [ ! -w "$GOCACHE" ]; then
    GOCACHE=$work/cache
  fi
fi
export GOCACHE GOPATH=${GOPATH:-$work/gopath}
mkdir -p "$GOCACHE" "$GOPATH"
# Compile against the repository's header, link against the build tree's library and load
# exactly that one at run time.
export CGO_CFLAGS="-I$include_dir ${CGO_CFLAGS:-}"
export CGO_LDFLAGS="-L$lib_dir ${CGO_LDFLAGS:-}"
export LD_LIBRARY_PATH=$lib_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

exec_args=()
# Sanitizer builds: load the library's sanitizer runtime first, only into the test binary.
if [ -n "${SR_SINK_SANITIZER_RUNTIME:-}" ]; then
  runner=$work/sanitizer-runner.sh
  cat >"$runner" <<RUNNER
#!/bin/sh
LD_PRELOAD="$SR_SINK_SANITIZER_RUNTIME\${LD_PRELOAD:+:\$LD_PRELOAD}" exec "\$@"
RUNNER
  chmod +x "$runner"
  exec_args=(-exec "$runner")
  # Leak checking stays on (the binding must release tokens and callbacks); the ctest preset's
  # ASAN_OPTIONS win when set.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
fi

cd "$here"
echo "run-tests.sh: $(go version), library $lib_dir, emulator $SR_EMULATOR, GOCACHE $GOCACHE"
status=0
go test -count=1 -timeout 600s -v "${exec_args[@]}" ./... "$@" || status=$?
# srarrow is a module of its own (so that srsink keeps no dependency): it needs arrow-go, which
# comes from the Go module proxy (Go's default GOPROXY) once into the module cache; go.sum pins
# it, and -mod=readonly refuses any change to go.mod.
if [ -n "$user_goproxy" ]; then srarrow_env=(GOPROXY="$user_goproxy"); else srarrow_env=(-u GOPROXY); fi
(cd srarrow && env "${srarrow_env[@]}" GOFLAGS=-mod=readonly \
  go test -count=1 -timeout 600s -v "${exec_args[@]}" ./... "$@") || status=$?
exit $status
