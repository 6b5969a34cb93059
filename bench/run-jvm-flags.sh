#!/usr/bin/env bash
# Runs the JVM flag experiments of bench/jvm-flags.toml (python3 -m bench.harness.jvmflags --help).
#   bench/run-jvm-flags.sh --service converter-vertx     every entry and profile
#   bench/run-jvm-flags.sh --smoke                       two entries, short runs (CI)
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$FOOTPRINT_ROOT"
select_jdk
apt_install wrk curl
[ "$(nproc)" -ge 2 ] || die "the experiments pin the server and the load generator to different cores: they need 2 CPUs"
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install -q PyYAML==6.0.3
vegeta="$(go_tool vegeta github.com/tsenart/vegeta/v12@v12.13.0)"
mkdir -p "$FOOTPRINT_ROOT/.tools/bin"
(cd bench/load/http-curve && go build -o "$FOOTPRINT_ROOT/.tools/bin/http-curve" .) || die "could not build bench/load/http-curve"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the services' jars"
  mvnw -q package -DskipTests -pl converter-vertx,model-serving,price-service -am
fi
exec_benchmark python3 -m bench.harness.jvmflags --vegeta "$vegeta" --http-curve "$FOOTPRINT_ROOT/.tools/bin/http-curve" "$@"
