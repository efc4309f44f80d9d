#!/bin/sh
# connector_flink (ctest, label flink): install the Java binding built around this build's native
# libraries into the local Maven repository, then build and test the Flink connector against each
# Flink line (profiles flink-1.20 and flink-2), each packaging its shaded jar.
# usage: run-tests.sh <native dir: libsr_sink.so.1 + libsr_sink_jni.so> <sr-emulator> <build dir>
# Sanitizer builds: SR_SINK_TEST_PRELOAD / SR_SINK_TEST_ASAN_OPTIONS go to the test JVMs only.
set -eu
natives=$1 emulator=$2 build=$3
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
mvn -q -B -f "$repo/bindings/java/pom.xml" install -DskipTests \
  "-Dsrsink.native.dir=$natives" "-Dsrsink.build.dir=$build/java-binding"
for line in flink-1.20 flink-2; do
  echo "connector_flink: $line"
  SR_EMULATOR=$emulator mvn -q -B -f "$here/pom.xml" verify -P "$line" "-Dsrsink.build.dir=$build/maven" \
    "-Dsrsink.test.preload=${SR_SINK_TEST_PRELOAD:-}" "-Dsrsink.test.asan.options=${SR_SINK_TEST_ASAN_OPTIONS:-}"
done
