#!/usr/bin/env bash
# Builds what the head-to-head needs (the services' jars, the Go and JDK peers, the fasthttp and Gin anchors,
# nginx for the ceiling, http-curve for the warm-up curves, the FastAPI peer's virtualenv, wrk and vegeta) and runs it. Arguments go to the harness (python3 -m bench.harness.headtohead --help).
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$FOOTPRINT_ROOT"
select_jdk
# nginx: the ceiling's, Debian 12's 1.22 (the config is the harness's own). Pinned to its upstream release
# rather than to one Debian build: the archive keeps only the newest security build, so an exact pin
# would stop installing at the next update.
apt_install wrk curl nginx
nginx -v 2>&1 | grep -q "nginx/1\.22\." || die "nginx 1.22 (Debian 12's) is needed for the ceiling; found: $(nginx -v 2>&1)"
[ "$(nproc)" -ge 2 ] || die "the head-to-head pins the server and the load generator to different cores: it needs 2 CPUs"
tools_dir="$FOOTPRINT_ROOT/.tools"
vegeta="$(go_tool vegeta github.com/tsenart/vegeta/v12@v12.13.0)"

mkdir -p "$tools_dir/bin"
log "Go peer"
(cd bench/peers/go && go build -o "$tools_dir/bin/go-peer" .)
log "fasthttp and Gin anchors (bench/peers/go-anchors: fasthttp and Gin pinned in its go.mod)"
(cd bench/peers/go-anchors && go build -o "$tools_dir/bin/" ./fasthttp-peer ./gin-peer)
log "http-curve (bench/load/http-curve: the warm-up curves' load, standard library only)"
(cd bench/load/http-curve && go build -o "$tools_dir/bin/http-curve" .)
log "JDK peer"
rm -rf "$tools_dir/jdk-peer" && "$JAVA_HOME/bin/javac" --release 21 -d "$tools_dir/jdk-peer" bench/peers/java/JdkPeer.java

venv="$tools_dir/venv-peers"
if [ ! -x "$venv/bin/python" ] || ! cmp -s bench/peers/python/requirements.txt "$venv/requirements.txt"; then
  log "FastAPI peer: virtualenv with bench/peers/python/requirements.txt"
  rm -rf "$venv" && python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r bench/peers/python/requirements.txt
  cp bench/peers/python/requirements.txt "$venv/requirements.txt"
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the services' jars"
  mvnw -q package -DskipTests -pl converter-vertx,model-serving,price-service -am
fi

tools="{\"go_peer\": \"$tools_dir/bin/go-peer\", \"fasthttp_peer\": \"$tools_dir/bin/fasthttp-peer\", \"gin_peer\": \"$tools_dir/bin/gin-peer\", \"nginx\": \"$(command -v nginx || echo /usr/sbin/nginx)\", \"jdk_peer\": \"$tools_dir/jdk-peer\", \"python\": \"$venv/bin/python\", \"vegeta\": \"$vegeta\", \"http_curve\": \"$tools_dir/bin/http-curve\"}"
exec_benchmark python3 -m bench.harness.headtohead --tools "$tools" "$@"
