#!/usr/bin/env bash
# CI stage "packages" (.ci/run): what a user installs, installed and used as a user would, each
# example run twice against one sr-emulator (examples/run_example.py):
#   1. the Python wheel that carries libsr_sink (scripts/build-wheel.sh) in a fresh venv of the
#      system's python3, with no system libsr_sink and no SR_SINK_LIBRARY;
#   2. the Rust quick start with `--features bundled` from an empty target dir, no installed
#      library (SR_SINK_LIB_DIR unset);
#   3. the Debian packages (dpkg-buildpackage -b, lintian without errors), installed with apt-get;
#      the C quick start compiled with pkg-config and with find_package(sr_sink) against them and
#      run against the installed sr-emulator; then the packages are purged.
# Needs root (apt-get) and sr-emulator from a build (SR_EMULATOR, default build/default's) for
# steps 1 and 2. Prints each step's time. Usage: scripts/packages.sh [step...] (default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
steps=("${@:-wheel rust deb}")
steps=(${steps[*]})
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
scripts/setup.sh
emulator=${SR_EMULATOR:-$repo/build/default/tools/sr-emulator/sr-emulator}
catalog=$repo/tests/conformance/catalog.json
work=$(mktemp -d /tmp/sr-packages.XXXXXX)
debs=(libsr-sink1 libsr-sink-dev sr-sink-tools)
cleanup() {
  if dpkg-query -W -f='${Status}\n' "${debs[@]}" 2>/dev/null | grep -q "install ok"; then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get purge -y -qq "${debs[@]}" >/dev/null || true
  fi
  chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"
}
trap cleanup EXIT
export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
# debhelper (compat 13) gives the package build a HOME of its own: name the cache explicitly.
CCACHE_DIR=${CCACHE_DIR:-$(ccache -k cache_dir)}
export CCACHE_DIR
t_all=$SECONDS
took() { echo "packages: $1 passed in $((SECONDS - $2)) s"; }
no_system_library() {
  if ldconfig -p | grep -q 'libsr_sink\.so'; then
    echo "packages: a system libsr_sink is installed ($(ldconfig -p | grep libsr_sink)): remove it first" >&2
    exit 1
  fi
}

for step in "${steps[@]}"; do
  t=$SECONDS
  case $step in
  wheel)
    no_system_library
    wheel=$(scripts/build-wheel.sh "$work/wheel" | tail -1)
    unzip -l "$wheel" | grep -q 'starrocks_sink/libsr_sink\.so\.1$' \
      || { echo "packages: $wheel has no starrocks_sink/libsr_sink.so.1" >&2; exit 1; }
    /usr/bin/python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
    (cd "$work" && env -u SR_SINK_LIBRARY -u PYTHONPATH "$work/venv/bin/python" -c \
      'import starrocks_sink as s, sys; p = s.default_library().path; print("packages: wheel library", p); sys.exit(not p.startswith(sys.prefix))')
    env -u SR_SINK_LIBRARY -u PYTHONPATH python3 examples/run_example.py --emulator "$emulator" \
      --catalog "$catalog" --source examples/python/quickstart.py --cwd "$work" \
      -- "$work/venv/bin/python" "$repo/examples/python/quickstart.py"
    echo "packages: $(basename "$wheel")"
    ;;
  rust)
    no_system_library
    export PATH="$HOME/.cargo/bin:$PATH"
    cargo=(cargo --quiet --offline --locked --manifest-path "$repo/examples/rust/Cargo.toml" --features bundled)
    env -u SR_SINK_LIB_DIR CARGO_TARGET_DIR="$work/cargo-target" "${cargo[0]}" build "${cargo[@]:1}"
    env -u SR_SINK_LIB_DIR CARGO_TARGET_DIR="$work/cargo-target" python3 examples/run_example.py \
      --emulator "$emulator" --catalog "$catalog" --source examples/rust/quickstart.rs \
      -- "${cargo[0]}" run "${cargo[@]:1}" --
    ;;
  deb)
    # A fixed build path, so that ccache hits from one run to the next (the compiler's command
    # lines carry it); the lock keeps two runs out of each other's way.
    deb=/tmp/sr-sink-deb
    mkdir -p "$deb" && exec 9>"$deb.lock" && flock 9
    rm -rf "$deb"/* && mkdir -p "$deb/sr-sink"
    git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$deb/sr-sink"
    (cd "$deb/sr-sink" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" \
       dpkg-buildpackage -us -uc -b >"$deb/build.log" 2>&1) \
      || { tail -50 "$deb/build.log"; echo "packages: dpkg-buildpackage failed" >&2; exit 1; }
    echo "packages: built $(cd "$deb" && ls ./*.deb | tr '\n' ' ')(in $((SECONDS - t)) s)"
    lintian --fail-on error "$deb"/*.changes
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$deb"/libsr-sink1_*.deb \
      "$deb"/libsr-sink-dev_*.deb "$deb"/sr-sink-tools_*.deb >/dev/null
    # libsr-sink-dev needs no other -dev package: it depends on the library only, its .pc has no
    # Requires(.private) and its CMake package no other target.
    dev_deps=$(dpkg-query -W -f='${Depends}' libsr-sink-dev)
    [[ $dev_deps == "libsr-sink1 (= "*")" ]] || { echo "packages: libsr-sink-dev depends on: $dev_deps" >&2; exit 1; }
    [ -z "$(pkg-config --print-requires --print-requires-private sr_sink)" ] \
      || { echo "packages: sr_sink.pc requires other modules" >&2; exit 1; }
    ! grep -l 'INTERFACE_LINK_LIBRARIES' /usr/lib/*/cmake/sr_sink/*.cmake \
      || { echo "packages: the sr_sink CMake package links other libraries" >&2; exit 1; }
    # shellcheck disable=SC2046
    cc -o "$work/quickstart-pc" examples/c/quickstart.c $(pkg-config --cflags --libs sr_sink)
    cmake -S examples/c -B "$work/quickstart-cmake" -DCMAKE_C_COMPILER_LAUNCHER= >/dev/null
    cmake --build "$work/quickstart-cmake" >/dev/null
    for exe in "$work/quickstart-pc" "$work/quickstart-cmake/quickstart"; do
      python3 examples/run_example.py --emulator /usr/bin/sr-emulator --catalog "$catalog" \
        --source examples/c/quickstart.c -- "$exe"
    done
    sr-load --help >/dev/null && man -w sr-load >/dev/null && man -w sr-emulator >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get purge -y -qq "${debs[@]}" >/dev/null
    ! dpkg-query -W -f='${Status}\n' "${debs[@]}" 2>/dev/null | grep -q "install ok" \
      || { echo "packages: the packages are still installed after apt-get purge" >&2; exit 1; }
    ;;
  *) echo "packages: unknown step $step (wheel, rust, deb)" >&2; exit 2 ;;
  esac
  took "$step" "$t"
done
echo "packages: all steps in $((SECONDS - t_all)) s"
echo "${#steps[@]} passed, 0 failed"
