# Starting the services from their runnable jars on chosen ports, and stopping them all; for the demo
# and for the checks that need running services. Source after common.sh.

SERVICE_PIDS=()
SERVICE_LOGS="${SERVICE_LOGS:-$(mktemp -d)}"

# start_service NAME PORT [VAR=value ...]: java -jar NAME/target/NAME.jar, waits until ready.
start_service() {
  local name="$1" port="$2"; shift 2
  # GRPC_PORT=0: model-serving's gRPC listener on a free port unless the caller names one.
  env HTTP_PORT="$port" HTTP_HOST=127.0.0.1 GRPC_PORT=0 "$@" "$JAVA_HOME/bin/java" \
    --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
    -jar "$FOOTPRINT_ROOT/$name/target/$name.jar" > "$SERVICE_LOGS/$name.log" 2>&1 &
  SERVICE_PIDS+=("$!")
  wait_http_ok "http://127.0.0.1:$port/health/ready" 180 \
    || { cat "$SERVICE_LOGS/$name.log" >&2; die "$name did not become ready on :$port"; }
  log "$name ready on :$port ($(grep -o 'startup_ms=[0-9]*' "$SERVICE_LOGS/$name.log" | head -n 1))"
}

# start_process NAME PORT READY_PATH COMMAND...: any other server (the peers).
start_process() {
  local name="$1" port="$2" ready="$3"; shift 3
  env HTTP_PORT="$port" "$@" > "$SERVICE_LOGS/$name.log" 2>&1 &
  SERVICE_PIDS+=("$!")
  wait_http_ok "http://127.0.0.1:$port$ready" 60 \
    || { cat "$SERVICE_LOGS/$name.log" >&2; die "$name did not become ready on :$port"; }
  log "$name ready on :$port"
}

# Stops every started process with SIGTERM, as Kubernetes would, and waits for it.
stop_services() {
  local pid
  for pid in "${SERVICE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${SERVICE_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SERVICE_PIDS=()
}
