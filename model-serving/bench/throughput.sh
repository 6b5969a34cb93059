#!/usr/bin/env bash
# :predict throughput with batching on and off against converter-vertx's /convert, on one core.
# The three servers run side by side, each pinned to core 1 (taskset -c 1: the JVM sees 1 CPU and
# runs 1 event loop); only one is under load at a time. wrk runs on core 0 with 1 thread and 32
# connections. The runs alternate (converter, batching on, batching off, converter, ...) so that
# load from elsewhere on the machine hits all three alike; prints every run, the medians, the batch
# sizes and each model server's RSS after the load.
#
#   model-serving/bench/throughput.sh            (from the repository root, after building both jars)
#   RUNS=5 DURATION=10s JAVA_OPTS="-XX:+UseSerialGC -Xmx64m" model-serving/bench/throughput.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-10s}"
JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xmx64m}"
BENCH=model-serving/bench
export TF_CPP_MIN_LOG_LEVEL=1

declare -A PORT=([converter]=28080 [batching-on]=28501 [batching-off]=28502)
declare -A URL=([converter]=/convert [batching-on]=/v1/models/model:predict [batching-off]=/v1/models/model:predict)
declare -A LUA=([converter]=convert.lua [batching-on]=predict.lua [batching-off]=predict.lua)
declare -A PID RESULTS
NAMES=(converter batching-on batching-off)

start() { # name jar env...
  local name="$1" jar="$2"; shift 2
  env HTTP_PORT="${PORT[$name]}" "$@" taskset -c 1 "$JAVA" --sun-misc-unsafe-memory-access=allow $JAVA_OPTS \
    -jar "$jar" > "/tmp/footprint-bench-$name.log" 2>&1 &
  PID[$name]=$!
}
cleanup() { for name in "${NAMES[@]}"; do [ -n "${PID[$name]:-}" ] && kill "${PID[$name]}" 2>/dev/null; done; true; }
trap cleanup EXIT

start converter converter-vertx/target/converter-vertx.jar
start batching-on model-serving/target/model-serving.jar BATCHING_ENABLED=true
start batching-off model-serving/target/model-serving.jar BATCHING_ENABLED=false
for name in "${NAMES[@]}"; do
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "http://127.0.0.1:${PORT[$name]}/health/ready" && break
    kill -0 "${PID[$name]}" 2>/dev/null || { echo "$name exited: $(tail -3 /tmp/footprint-bench-$name.log)" >&2; exit 1; }
    sleep 0.1
  done
  echo "$name ready: $(grep -ao 'startup_ms=[0-9]*' "/tmp/footprint-bench-$name.log")"
done

wrk_rps() { # name duration
  local out
  out="$(taskset -c 0 wrk -t1 -c32 -d"$2" -s "$BENCH/${LUA[$1]}" "http://127.0.0.1:${PORT[$1]}${URL[$1]}")"
  if grep -q "Non-2xx" <<<"$out"; then echo "$1: $(grep Non-2xx <<<"$out")" >&2; fi
  awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out"
}

echo "JVM options: $JAVA_OPTS; $RUNS alternating runs of $DURATION; wrk -t1 -c32 on core 0, servers on core 1"
for name in "${NAMES[@]}"; do wrk_rps "$name" 5s > /dev/null; done   # warm-up
for run in $(seq 1 "$RUNS"); do
  line="  run $run (load average $(cut -d' ' -f1 /proc/loadavg)):"
  for name in "${NAMES[@]}"; do
    rps="$(wrk_rps "$name" "$DURATION")"
    RESULTS[$name]="${RESULTS[$name]:-} $rps"
    line="$line $name $rps"
  done
  echo "$line"
done

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
converter="$(median <<<"${RESULTS[converter]}")"
on="$(median <<<"${RESULTS[batching-on]}")"
off="$(median <<<"${RESULTS[batching-off]}")"
for name in batching-on batching-off; do
  curl -s "http://127.0.0.1:${PORT[$name]}/metrics" | awk -v name="$name" '
    /^footprint_model_batch_requests_sum/ {s=$2} /^footprint_model_batch_requests_count/ {c=$2}
    END {if (c > 0) printf "%s: %.1f requests per session call (%d calls)\n", name, s/c, c}'
  echo "$name RSS after load: $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/${PID[$name]}/status"), peak $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' "/proc/${PID[$name]}/status")"
done
echo "converter RSS after load: $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' "/proc/${PID[converter]}/status")"
echo "medians: converter $converter, :predict batching on $on ($((100 * on / converter))%), batching off $off ($((100 * off / converter))%)"
