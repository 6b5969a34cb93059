#!/usr/bin/env bash
# The main job, locally: build the services, start them, send each a few requests and show the answers.
#   KEEP_RUNNING=1 ./footprint demo   leaves the services running afterwards.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$FOOTPRINT_ROOT"
select_jdk
apt_install curl

log "building the runnable jars (tests skipped: ./footprint test runs them)"
mvnw -q package -DskipTests

run_dir="$(mktemp -d)"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
[ "${KEEP_RUNNING:-0}" = 1 ] || trap stop_all EXIT

start() { # name port jar [env...]
  local name="$1" port="$2" jar="$3"; shift 3
  env HTTP_PORT="$port" "$@" "$JAVA_HOME/bin/java" --sun-misc-unsafe-memory-access=allow -jar "$jar" \
    > "$run_dir/$name.log" 2>&1 &
  pids+=("$!")
  wait_http_ok "http://127.0.0.1:$port/health/ready" 120 \
    || { cat "$run_dir/$name.log" >&2; die "$name did not become ready"; }
  log "$name ready on :$port ($(grep -o 'startup_ms=[0-9]*' "$run_dir/$name.log"))"
}

show() { # method url [json body]
  local method="$1" url="$2" body="${3:-}"
  printf '\n\033[1m$ curl -X %s %s%s\033[0m\n' "$method" "$url" "${body:+ -H 'Content-Type: application/json' -d '$body'}"
  if [ -n "$body" ]; then
    curl -sS -X "$method" "$url" -H 'Content-Type: application/json' -d "$body"
  else
    curl -sS -X "$method" "$url"
  fi
  echo
}

start converter-vertx 8080 converter-vertx/target/converter-vertx.jar
show POST http://127.0.0.1:8080/convert '{"fahrenheit": 212}'
show POST http://127.0.0.1:8080/convert '{"fahrenheit": [98.6, -40, 32]}'
show GET 'http://127.0.0.1:8080/convert?fahrenheit=451'
show GET http://127.0.0.1:8080/
show POST http://127.0.0.1:8080/convert '{"fahrenheit": "hot"}'
show GET http://127.0.0.1:8080/health/ready

echo
if [ "${KEEP_RUNNING:-0}" = 1 ]; then
  log "services keep running (pids ${pids[*]}); logs in $run_dir"
else
  log "done; stopping the services (logs in $run_dir)"
fi
