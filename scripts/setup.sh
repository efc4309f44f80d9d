#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build and test starrocks-sink. Idempotent; needs root
# (or sudo) only when something is missing.
set -euo pipefail
PKGS=(build-essential cmake ninja-build pkg-config curl ca-certificates
      libcurl4-openssl-dev libcjson-dev libssl-dev
      libmicrohttpd-dev liblz4-dev libzstd-dev zlib1g-dev
      libcmocka-dev libgtest-dev googletest python3 python3-pytest
      python3-pip python3-setuptools python3-wheel python3-venv valgrind
      openjdk-17-jdk-headless maven  # the Java binding: JNI headers, javac, mvn
      mariadb-client                 # the `mysql` client the emulator's query-port tests drive
      clang libclang-rt-14-dev       # the fuzz preset: clang with libFuzzer (scripts/fuzz.sh)
      debhelper dpkg-dev lintian help2man man-db patchelf unzip ccache)  # scripts/packages.sh
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The python3 on PATH may not be Debian's (pyenv on some images): it needs pytest, setuptools
# + wheel + scikit-build-core (the Python binding's build backend) for the offline `pip install`
# test of the Python binding, pymysql for the emulator's query-port tests, and pyarrow, pandas,
# polars and duckdb (from PyPI) for the Python binding's write_arrow/write_pandas tests (the
# binding imports none of them).
for mod in pytest setuptools wheel scikit_build_core pymysql pyarrow pandas polars duckdb; do
  python3 -c "import $mod" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check "${mod//_/-}"
done
