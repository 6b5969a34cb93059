#!/usr/bin/env bash
# p99 latency of :predict at a fixed 2,000 requests/s (open loop: vegeta keeps the rate whatever the
# answers take), the model server pinned to core 1 and vegeta to core 0. RUNS runs of DURATION;
# prints each run's percentiles and the median p99, then the server's RSS.
#
#   go install github.com/tsenart/vegeta/v12@v12.13.0   (or set VEGETA to its path)
#   model-serving/bench/latency.sh                      (from the repository root, after the build)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
VEGETA="${VEGETA:-$(command -v vegeta || echo "$(go env GOPATH)/bin/vegeta")}"
RATE="${RATE:-2000}"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-30s}"
JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xmx64m}"
PORT=28501
export TF_CPP_MIN_LOG_LEVEL=1

env HTTP_PORT=$PORT "$@" taskset -c 1 "$JAVA" --sun-misc-unsafe-memory-access=allow $JAVA_OPTS \
  -jar model-serving/target/model-serving.jar > /tmp/footprint-latency.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/health/ready" && break; sleep 0.1; done
echo "$(grep -ao 'startup_ms=[0-9]*' /tmp/footprint-latency.log); JVM options: $JAVA_OPTS; $RATE requests/s for $DURATION, $RUNS runs"

target="$(mktemp)"
printf 'POST http://127.0.0.1:%s/v1/models/model:predict\nContent-Type: application/json\n@%s\n' \
  "$PORT" "$PWD/model-serving/bench/predict-body.json" > "$target"
# Warm-up: JIT and TensorFlow's first calls.
taskset -c 0 "$VEGETA" attack -targets="$target" -rate="$RATE" -duration=5s > /dev/null
p99s=()
for run in $(seq 1 "$RUNS"); do
  report="$(taskset -c 0 "$VEGETA" attack -targets="$target" -rate="$RATE" -duration="$DURATION" \
    | "$VEGETA" report -type=json)"
  line="$(python3 -c 'import json,sys; r=json.load(sys.stdin); l=r["latencies"]; print("%.3f %.3f %.3f %.3f %.1f %s" % (l["50th"]/1e6, l["90th"]/1e6, l["99th"]/1e6, l["max"]/1e6, r["throughput"], r["success"]))' <<<"$report")"
  read -r p50 p90 p99 max throughput success <<<"$line"
  echo "  run $run: p50 ${p50} ms, p90 ${p90} ms, p99 ${p99} ms, max ${max} ms, ${throughput} answered/s, success ratio ${success}"
  p99s+=("$p99")
done
echo "median p99: $(printf '%s\n' "${p99s[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') ms"
echo "RSS after load: $(awk '/VmRSS/ {printf "%.0f MiB", $2/1024}' /proc/$pid/status), peak $(awk '/VmHWM/ {printf "%.0f MiB", $2/1024}' /proc/$pid/status)"
rm -f "$target"
