#!/usr/bin/env bash
# Lookup throughput of price-service against converter-vertx's POST /convert on one core, and
# price-service's latency at a fixed 1,000 requests/s. Server on CPU 1, load generator on CPU 0.
#
#   ./mvnw -B -q package -DskipTests -pl service-core,converter-vertx,price-service
#   price-service/bench/lookups.sh            # from the repository root
#
# Needs wrk and vegeta (go install github.com/tsenart/vegeta/v12@v12.13.0). Environment:
#   PRODUCTS (1000000) list size; RUNS (5) rounds of wrk runs (one per endpoint), medians reported;
#   DURATION (5s) per run;
#   RATE (1000) and RATE_DURATION (30s) for vegeta; JAVA (java from JAVA_HOME or PATH); JAVA_OPTS (-Xmx256m).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
java_opts=${JAVA_OPTS:--Xmx256m}
products=${PRODUCTS:-1000000}
runs=${RUNS:-5}
duration=${DURATION:-5s}
rate=${RATE:-1000}
rate_duration=${RATE_DURATION:-30s}
vegeta=${VEGETA:-$(command -v vegeta || echo "$HOME/go/bin/vegeta")}
work=$(mktemp -d)
server_pid=
started=()

cleanup() {
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# P0000001..P<products>, prices with 0 to 2 decimals.
awk -v n="$products" 'BEGIN { srand(42); for (i = 1; i <= n; i++) printf "P%07d,%d.%02d\n", i, int(rand() * 100000), int(rand() * 100) }' \
  > "$work/prices.txt"

start() { # name jar port env...
  local name=$1 jar=$2 port=$3; shift 3
  env HTTP_HOST=127.0.0.1 HTTP_PORT="$port" EVENT_LOOPS=1 "$@" \
    taskset -c 1 "$java" --sun-misc-unsafe-memory-access=allow $java_opts -jar "$jar" > "$work/$name.log" 2>&1 &
  server_pid=$!
  started+=("$server_pid")
  for _ in $(seq 1 300); do
    if curl -fs "http://127.0.0.1:$port/health/ready" > /dev/null; then return; fi
    sleep 0.1
  done
  echo "$name not ready:" >&2; cat "$work/$name.log" >&2; exit 1
}

cat > "$work/convert.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"fahrenheit": 212}'
wrk.headers["Content-Type"] = "application/json"
LUA
cat > "$work/random-id.lua" <<LUA
math.randomseed(7)
request = function() return wrk.format("GET", string.format("/prices/P%07d", math.random(1, $products))) end
LUA
cat > "$work/random-compat.lua" <<LUA
math.randomseed(7)
request = function() return wrk.format("GET", string.format("/price?product_id=P%07d", math.random(1, $products))) end
LUA

cpu_ticks() { # pid -> user + system clock ticks of every thread of the process
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# One wrk run against the server $2 (pid): "<requests/s> <requests per CPU-second of the server>".
# The second figure holds when other work shares the core: it is the throughput the server would
# reach with the core to itself.
run_wrk() { # url pid lua duration
  local before after out
  before=$(cpu_ticks "$2")
  out=$(taskset -c 0 wrk -t1 -c32 -d"$4" -s "$3" "$1")
  after=$(cpu_ticks "$2")
  echo "$out" | awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /requests in/ { requests = $1 } /^Requests\/sec/ { rps = $2 }
    END { printf "%.0f %.0f\n", rps, requests / (ticks / hz) }'
}

median() {
  printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"
}

echo "cpu: $(nproc) cores; server on cpu 1, wrk -t1 -c32 on cpu 0; $products products; $("$java" -version 2>&1 | head -1)"

# Both servers up at once (an idle one costs nothing), runs interleaved: converter, price, compat,
# converter, ... so that load from elsewhere on the machine falls on all three alike.
start converter-vertx "$root/converter-vertx/target/converter-vertx.jar" 18080
converter_pid=$server_pid
start price-service "$root/price-service/target/price-service.jar" 18081 PRICES_SOURCE="$work/prices.txt" PRICES_POLL_SECONDS=0
grep -o 'loaded [0-9]* prices.*' "$work/price-service.log" || true

convert=(http://127.0.0.1:18080/convert "$converter_pid" "$work/convert.lua")
lookup=(http://127.0.0.1:18081 "$server_pid" "$work/random-id.lua")
compat=(http://127.0.0.1:18081 "$server_pid" "$work/random-compat.lua")
# Warm-up: JIT, connections.
run_wrk "${convert[@]}" 5s > /dev/null
run_wrk "${lookup[@]}" 5s > /dev/null
run_wrk "${compat[@]}" 5s > /dev/null
declare -a convert_rps=() lookup_rps=() compat_rps=() convert_cpu=() lookup_cpu=() compat_cpu=()
for _ in $(seq 1 "$runs"); do
  read -r rps cpu < <(run_wrk "${convert[@]}" "$duration"); convert_rps+=("$rps"); convert_cpu+=("$cpu")
  read -r rps cpu < <(run_wrk "${lookup[@]}" "$duration"); lookup_rps+=("$rps"); lookup_cpu+=("$cpu")
  read -r rps cpu < <(run_wrk "${compat[@]}" "$duration"); compat_rps+=("$rps"); compat_cpu+=("$cpu")
done
report() { # label rps-array cpu-array
  local -n r=$2 c=$3
  printf '%-38s median %7.0f req/s, %7.0f req per CPU-second   runs (req/s): %s\n' "$1" "$(median "${r[@]}")" "$(median "${c[@]}")" "${r[*]}"
}
report "converter-vertx POST /convert" convert_rps convert_cpu
report "price-service GET /prices/{id}" lookup_rps lookup_cpu
report "price-service GET /price?product_id=" compat_rps compat_cpu
# Each round's runs are seconds apart: their ratios cancel most of the load from elsewhere.
ratios() { # numerators denominators
  local -n num=$1 den=$2; local out=()
  for i in "${!num[@]}"; do out+=("$(awk -v a="${num[$i]}" -v b="${den[$i]}" 'BEGIN { printf "%.2f", a / b }')"); done
  echo "median $(median "${out[@]}")   rounds: ${out[*]}"
}
echo "lookup / convert, req/s in the same round:        $(ratios lookup_rps convert_rps)"
echo "lookup / convert, req per CPU-second, same round: $(ratios lookup_cpu convert_cpu)"
echo "compat / convert, req per CPU-second, same round: $(ratios compat_cpu convert_cpu)"
kill "$converter_pid"; wait "$converter_pid" 2>/dev/null || true

# Latency at a fixed rate: ids drawn at random, each request a fresh target line.
awk -v n="$products" 'BEGIN { srand(9); for (i = 0; i < 20000; i++) printf "GET http://127.0.0.1:18081/prices/P%07d\n", 1 + int(rand() * n) }' > "$work/targets.txt"
taskset -c 0 "$vegeta" attack -targets="$work/targets.txt" -rate=500 -duration=5s > /dev/null # warm-up
echo "vegeta: $rate requests/s for $rate_duration, GET /prices/{random id}:"
taskset -c 0 "$vegeta" attack -targets="$work/targets.txt" -rate="$rate" -duration="$rate_duration" | "$vegeta" report -type=text \
  | grep -E 'Requests|Latencies|Success|Status'
"${java%java}jcmd" "$server_pid" GC.run > /dev/null
heap=$(curl -fs http://127.0.0.1:18081/metrics | awk '/^jvm_memory_used_bytes\{area="heap"/ { sum += $NF } END { printf "%.1f", sum / 1048576 }')
echo "price-service heap used after a full GC, serving $products products: ${heap} MiB"
