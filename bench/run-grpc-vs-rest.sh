#!/usr/bin/env bash
# model-serving's gRPC Predict against its REST :predict, on the same server, in one run
# (bench/harness/grpcvsrest.py): builds what it needs (the jar, wrk, vegeta, h2load from Debian's
# nghttp2-client, and grpc-load from bench/load/grpc-load, grpc-go pinned in its go.mod) and runs it.
# Arguments go to the harness (python3 -m bench.harness.grpcvsrest --help).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$FOOTPRINT_ROOT"
select_jdk
apt_install wrk nghttp2-client
[ "$(nproc)" -ge 2 ] || die "the run pins the server and the load generator to different cores: it needs 2 CPUs"
vegeta="$(go_tool vegeta github.com/tsenart/vegeta/v12@v12.13.0)"
mkdir -p "$FOOTPRINT_ROOT/.tools/bin"
log "grpc-load (bench/load/grpc-load)"
(cd bench/load/grpc-load && go build -o "$FOOTPRINT_ROOT/.tools/bin/grpc-load" .) || die "could not build grpc-load"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building model-serving's jar"
  mvnw -q package -DskipTests -pl model-serving -am
fi
exec_benchmark python3 -m bench.harness.grpcvsrest \
  --tools "{\"vegeta\": \"$vegeta\", \"grpc_load\": \"$FOOTPRINT_ROOT/.tools/bin/grpc-load\"}" "$@"
