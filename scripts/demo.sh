#!/usr/bin/env bash
# The main job, locally: build the services, start them, send each a few requests and show the
# answers; then a short head-to-head of the services, the Go, JDK and FastAPI peers and the anchors
# (fasthttp, Gin, nginx's ceiling), each on one core
# under its Deployment's limits, and the path of its HTML report.
#   KEEP_RUNNING=1 ./footprint demo   leaves the services running (and skips the head-to-head)
#   DEMO_SECONDS=10 ./footprint demo  longer measured runs (default 3 s each, 3 rounds, after each target's warm-up to steady)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/services.sh"
cd "$FOOTPRINT_ROOT"
select_jdk
apt_install curl

log "building the runnable jars (tests skipped: ./footprint test runs them)"
mvnw -q package -DskipTests

[ "${KEEP_RUNNING:-0}" = 1 ] || trap stop_services EXIT

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

start_service converter-vertx 8080
start_service model-serving 8501
start_service price-service 8081 PRICES_SOURCE="$FOOTPRINT_ROOT/price-service/prices.txt"

show POST http://127.0.0.1:8080/convert '{"fahrenheit": 212}'
show POST http://127.0.0.1:8080/convert '{"fahrenheit": [98.6, -40, 32]}'
show GET 'http://127.0.0.1:8080/convert?fahrenheit=451'
show GET http://127.0.0.1:8080/
show POST http://127.0.0.1:8080/convert '{"fahrenheit": "hot"}'

show POST http://127.0.0.1:8501/v1/models/model:predict '{"inputs": 42}'
show POST http://127.0.0.1:8501/v1/models/model:predict '{"instances": [212.0, 98.6, -40.0]}'
show GET http://127.0.0.1:8501/v1/models/model

show GET http://127.0.0.1:8081/prices/P124
show GET 'http://127.0.0.1:8081/price?product_id=P124'
show POST http://127.0.0.1:8081/prices/lookup '{"productIds": ["P123", "P130", "P999"]}'
show GET http://127.0.0.1:8081/catalog
show GET http://127.0.0.1:8081/health/ready
echo

if [ "${KEEP_RUNNING:-0}" = 1 ]; then
  log "services keep running (pids ${SERVICE_PIDS[*]}); logs in $SERVICE_LOGS"
  exit 0
fi
stop_services

seconds="${DEMO_SECONDS:-3}"
log "a short head-to-head (each target warmed up from its first request until steady, its curve recorded, then 3 rounds of $seconds s; bench/run-head-to-head.sh for the full one)"
SKIP_BUILD=1 bench/run-head-to-head.sh --name demo --runs 3 --seconds "$seconds" --rate 1000 --rate-seconds "$seconds" \
  --targets converter-vertx,converter-vertx-cold,model-serving,price-service,go-peer,fasthttp-peer,gin-peer,nginx-ceiling,jdk-peer,fastapi-peer
