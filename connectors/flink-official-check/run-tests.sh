#!/bin/sh
# flink_official_check (ctest, label flink): the official StarRocks Flink connector from Maven
# Central against sr-emulator's query port and FE port, from a Flink 1.19 MiniCluster.
# usage: run-tests.sh <sr-emulator> <build dir>
set -eu
emulator=$1 build=$2
here=$(cd "$(dirname "$0")" && pwd)
SR_EMULATOR=$emulator mvn -q -B -f "$here/pom.xml" verify "-Dsrsink.build.dir=$build/maven"
