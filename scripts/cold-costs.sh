#!/usr/bin/env bash
# What a fresh machine's empty caches add to ./footprint test, part by part, in the suite's order: every
# download and build of Maven, Go, pip and npm run once against empty caches of their own (in a temporary
# folder, removed at the end; the user's caches are left alone). Prints the seconds of each part. Debian's
# packages are not counted (apt installs them once per machine). Uses both cores for about 35 minutes.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$FOOTPRINT_ROOT"
select_jdk
cold="$(mktemp -d /tmp/footprint-cold.XXXXXX)"
trap 'rm -rf "$cold"' EXIT
export GOCACHE="$cold/gocache" GOMODCACHE="$cold/gomod" MAVEN_USER_HOME="$cold/m2home" GOFLAGS=-mod=mod
export PIP_NO_CACHE_DIR=1 npm_config_cache="$cold/npm"
mkdir -p "$cold/bin"
part() {
  local name="$1" start; shift
  start=$(date +%s%N)
  if "$@" > "$cold/$name.log" 2>&1; then
    local tenths=$(( ($(date +%s%N) - start) / 100000000 ))
    printf '%-30s %5d.%d s\n' "$name" $((tenths / 10)) $((tenths % 10))
  else
    tail -n 20 "$cold/$name.log" >&2; die "$name failed (above)"
  fi
}
part maven-package ./mvnw -B -Dmaven.repo.local="$cold/m2" -DskipTests package
part go-peer sh -c "cd bench/peers/go && go build -o '$cold/bin/go-peer' ."
part go-anchors sh -c "cd bench/peers/go-anchors && go build -o '$cold/bin/' ./fasthttp-peer ./gin-peer"
part vegeta env GOBIN="$cold/bin" go install github.com/tsenart/vegeta/v12@v12.13.0
part pip-fastapi-peer sh -c "python3 -m venv '$cold/venv-peers' && '$cold/venv-peers/bin/pip' install -q -r bench/peers/python/requirements.txt"
part npm-ci sh -c "cp -r bench/check '$cold/check' && cd '$cold/check' && rm -rf node_modules && npm ci --no-audit --no-fund --loglevel=error"
part promtool env GOBIN="$cold/bin" GOFLAGS="-mod=mod $PROMTOOL_BUILD_FLAGS" go install "$PROMTOOL_MODULE"
part kube-score env GOBIN="$cold/bin" go install github.com/zegl/kube-score/cmd/kube-score@v1.20.0
part pip-tritonclient sh -c "python3 -m venv '$cold/venv-triton' && '$cold/venv-triton/bin/pip' install -q -r model-serving/src/test/python/tritonclient-requirements.txt"
part cluster-modules sh -c "cd cluster && go mod download"
part kubernetes-and-metrics-server sh -c "cd cluster && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o '$cold/bin/' \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler \
  k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubectl sigs.k8s.io/metrics-server/cmd/metrics-server"
part controller-gen sh -c "cd cluster/crds && go build -o '$cold/bin/controller-gen' sigs.k8s.io/controller-tools/cmd/controller-gen"
