#!/usr/bin/env bash
# Start-to-ready of the model server ("startup_ms" of the ready line: JVM start to listening with the
# model loaded and warmed up), RUNS times each way:
#   pre-unpacked: as built, the native libraries loaded in place from target/native/linux-x86_64;
#   cold cache:   as a fresh container without them would start: the native jar on the class path,
#                 an empty home, so JavaCPP unpacks 683 MB into ~/.javacpp/cache first.
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
RUNS="${RUNS:-3}"
JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xmx64m}"
NATIVE_JAR="$HOME/.m2/repository/org/tensorflow/tensorflow-core-native/1.1.0/tensorflow-core-native-1.1.0-linux-x86_64.jar"
PORT=28502
export TF_CPP_MIN_LOG_LEVEL=1

startup() { # log, then the java command
  local log="$1"; shift
  env HTTP_PORT=$PORT "$@" > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 600); do
    grep -aq 'startup_ms=' "$log" && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
  done
  kill $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  grep -ao 'startup_ms=[0-9]*' "$log" | cut -d= -f2
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

warm=(); cold=()
for run in $(seq 1 "$RUNS"); do
  warm+=("$(startup /tmp/footprint-startup-warm.log "$JAVA" --sun-misc-unsafe-memory-access=allow $JAVA_OPTS \
    -jar model-serving/target/model-serving.jar)")
  scratch="$(mktemp -d)"
  cp model-serving/target/model-serving.jar "$scratch/"
  cold+=("$(startup /tmp/footprint-startup-cold.log env MODEL_BASE_PATH="$PWD/model-serving/target/models" \
    "$JAVA" --sun-misc-unsafe-memory-access=allow $JAVA_OPTS -Duser.home="$scratch/home" \
    -cp "$scratch/model-serving.jar:$NATIVE_JAR" dev.footprint.model.ModelServingApp)")
  rm -rf "$scratch"
  echo "  run $run: pre-unpacked ${warm[-1]} ms, cold JavaCPP cache ${cold[-1]} ms"
done
echo "median start-to-ready: pre-unpacked $(printf '%s\n' "${warm[@]}" | median) ms, cold cache $(printf '%s\n' "${cold[@]}" | median) ms"
