#!/usr/bin/env bash
# The container lab: proof that the images start and serve, with no Docker engine and no internet.
#  1. a local OCI registry on 127.0.0.1:$LAB_REGISTRY_PORT (Debian's docker-registry);
#  2. an offline JRE 25 base image (jlink + host libraries) pushed there;
#  3. every service's image built and pushed with `mvn package jib:build`, the base overridden;
#  4. each container run with podman under the limits, environment, user, volumes and read-only root
#     filesystem its Deployment declares (rendered from kustomize/base), its probes called, its main
#     endpoint and /metrics checked, a short load applied, its peak memory measured, a SIGTERM stop
#     checked to exit 0;
#  5. then the same for an image with a JDK AOT cache: trained in a container of the image (the cache
#     must come from the image's own JVM and class path), built in with a second jib:build, run and
#     checked again (LAB_AOT=0 skips this);
#  6. the AOT images, checked, pushed as the release: to $LAB_PUSH/<service>:<version>, the tag the
#     Deployments name (by default to the lab's own registry, then pulled back and checked);
#  7. everything torn down: no container, registry or image of the lab is left.
# Results: target/lab/results.json and a table on stdout.
#   LAB_SERVICES="converter-vertx price-service"   only these services
#   LAB_KEEP=1                                      leave the containers and registry running
#   LAB_RECORD=1                                    write the measured peaks to k8s/measured-peaks.json
#   LAB_BASE_IMAGE=eclipse-temurin:25-jre           a real base instead of the offline one (needs its registry)
#   LAB_PUSH=ghcr.io/you/footprint                  where the release goes (`podman login` first)
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/images.sh"
cd "$FOOTPRINT_ROOT"
select_jdk
apt_install podman runc docker-registry curl wrk
python3 -c 'import yaml' 2>/dev/null || python3 -m pip install -q PyYAML==6.0.3
command -v kubectl >/dev/null || die "kubectl (with its built-in kustomize) is needed to render the Deployments"

lab="$FOOTPRINT_ROOT/target/lab"
registry_port="${LAB_REGISTRY_PORT:-5000}"
registry="localhost:$registry_port"
base_image="$registry/footprint/jre-lab:25"
version="$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -n 1)"
# Every service that k8s/ deploys: a folder each.
services="${LAB_SERVICES:-$(find k8s -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort | xargs)}"
rm -rf "$lab" && mkdir -p "$lab/registry" "$lab/volumes"

# Podman here: runc (crun fails on these hybrid cgroups) and limits it is allowed to set.
cat > "$lab/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]
[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$lab/containers.conf"

registry_pid=""
teardown() {
  # AOT caches trained for the -aot images: a later jib:build would otherwise put them in the default image.
  for service in ${services:-}; do rm -rf "$FOOTPRINT_ROOT/$service/target/opt"; done
  [ "${LAB_KEEP:-0}" = 1 ] && { log "LAB_KEEP=1: containers and registry ($registry) left running"; return; }
  podman ps -a --format '{{.Names}}' | grep '^lab-' | xargs -r podman rm -f -t 0 >/dev/null 2>&1 || true
  podman images --format '{{.Repository}}:{{.Tag}}' | grep -E "^($registry/|${LAB_PUSH:-$registry}/)" | xargs -r podman rmi -f >/dev/null 2>&1 || true
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
}
trap teardown EXIT

log "registry on 127.0.0.1:$registry_port"
registry_start "$lab/registry" "$registry_port" "$lab/registry.log"

if [ -n "${LAB_BASE_IMAGE:-}" ]; then
  base_image="$LAB_BASE_IMAGE"
  log "base image $base_image"
else
  log "offline base image $base_image"
  base_image_push "$base_image" "$lab"
fi

modules="$(echo "$services" | xargs | tr ' ' ',')"
log "images of $modules with jib:build into $registry"
service_images_push "$registry" "$base_image" "$modules"

kubectl kustomize kustomize/base > "$lab/rendered.yaml"

# The main endpoint of each service and what its answer must contain.
main_check() {
  local service="$1" port="$2"
  case "$service" in
    converter-vertx) curl -fsS "http://127.0.0.1:$port/convert" -H 'Content-Type: application/json' -d '{"fahrenheit": 212}' \
        | grep -q '"celsius":100.0' ;;
    price-service) curl -fsS "http://127.0.0.1:$port/prices/P123" | grep -q '"price":19.99' \
        && [ "$(curl -fsS "http://127.0.0.1:$port/price?product_id=P124")" = "49.5" ] ;;
    model-serving) curl -fsS "http://127.0.0.1:$port/v1/models/model:predict" -H 'Content-Type: application/json' \
        -d '{"instances": [212.0]}' | grep -Eq '"predictions": ?\[ ?\[?100(\.0)?' ;;
    *) die "no main check for $service" ;;
  esac
}

# A short load on the main endpoint, so the memory peak is the peak while serving. Prints requests/s;
# fails if any answer was not 2xx.
load() {
  local service="$1" port="$2" script="$lab/$1.lua" path body=""
  case "$service" in
    converter-vertx) path=/convert; body='{"fahrenheit": 98.6}' ;;
    price-service)   path=/prices/P123 ;;
    model-serving)   path=/v1/models/model:predict; body='{"instances": [98.6]}' ;;
  esac
  if [ -n "$body" ]; then
    printf 'wrk.method = "POST"\nwrk.body = [[%s]]\nwrk.headers["Content-Type"] = "application/json"\n' "$body" > "$script"
  else
    printf 'wrk.method = "GET"\n' > "$script"
  fi
  local out
  out="$(wrk -t1 -c16 -d5s -s "$script" "http://127.0.0.1:$port$path")"
  grep -q 'Non-2xx' <<<"$out" && die "$service: errors under load: $out"
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}

cgroup_file() { # the memory cgroup file of a container: cgroup v1 name, then the v2 name
  local id="$1" v1="$2" v2="$3" path
  path="$(podman inspect "$id" --format '{{.State.CgroupPath}}')"
  for f in "/sys/fs/cgroup/memory$path/$v1" "/sys/fs/cgroup$path/$v2"; do
    [ -r "$f" ] && { cat "$f"; return; }
  done
  echo 0
}

# has_aot_cache IMAGE: whether the image's java starts from an AOT cache.
has_aot_cache() { podman image inspect "$1" --format '{{join .Config.Entrypoint " "}}' | grep -q -- '-XX:AOTCache='; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# run_and_check SERVICE IMAGE LABEL: runs the image as the Deployment declares, checks it, measures it,
# stops it, and appends a row to results.json.
first=1
run_and_check() {
  local service="$1" image="$2" label="$3" host_port plan id started ready_ms startup_ms idle_bytes metrics rps
  local peak_bytes pid rss_peak_bytes oom grace exit_code size_bytes limit_bytes
  host_port="$(free_port)"
  podman pull -q --tls-verify=false "$image" >/dev/null
  plan="$(python3 scripts/lab/deployment_to_podman.py "$lab/rendered.yaml" "$service" "$host_port" "$lab/volumes" "$image")"
  mapfile -t run_args < <(echo "$plan" | python3 -c 'import json,sys; print("\n".join(json.load(sys.stdin)["args"]))')
  log "$label: podman run ${run_args[*]}"
  started=$(date +%s%N)
  id="$(podman run -d "${run_args[@]}")"
  for probe in $(echo "$plan" | python3 -c 'import json,sys; [print(p["path"]) for p in json.load(sys.stdin)["probes"]]'); do
    wait_http_ok "http://127.0.0.1:$host_port$probe" 120 || { podman logs "$id" >&2; die "$label: probe $probe never answered 200"; }
  done
  ready_ms=$(( ($(date +%s%N) - started) / 1000000 ))
  startup_ms="$(podman logs "$id" 2>&1 | grep -o 'startup_ms=[0-9]*' | head -n 1 | cut -d= -f2)"
  idle_bytes="$(cgroup_file "$id" memory.usage_in_bytes memory.current)"
  main_check "$service" "$host_port" || { podman logs "$id" >&2; die "$label: wrong answer from its main endpoint"; }
  metrics="$(curl -fsS "http://127.0.0.1:$host_port/metrics")"
  for series in "process_resident_memory_bytes{service=\"$service\"" "vertx_http_server_requests_total{" "jvm_memory_used_bytes{"; do
    grep -qF "$series" <<<"$metrics" || die "$label: /metrics lacks $series"
  done
  rps="$(load "$service" "$host_port")"
  peak_bytes="$(cgroup_file "$id" memory.max_usage_in_bytes memory.peak)"
  # The JVM's own peak resident set (VmHWM), file-backed pages of its libraries included: on a fresh
  # node their page cache is charged to the pod, so limits are held to this, the larger figure.
  pid="$(podman inspect "$id" --format '{{.State.Pid}}')"
  rss_peak_bytes=$(( $(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status") * 1024 ))
  # Netty's epoll library from the image's library path, not copied out of its jar into /tmp.
  grep -q ' /usr/java/packages/lib/libnetty_transport_native_epoll_x86_64.so$' "/proc/$pid/maps" \
    || die "$label: Netty's epoll library was not loaded from /usr/java/packages/lib"
  # A cache that does not fit (another JVM, class path or flags) is refused with a warning, and the JVM
  # starts without it: so the cache must be mapped, and the JVM must not have complained of it (below).
  if has_aot_cache "$image"; then
    grep -q ' /opt/footprint/aot/app.aot$' "/proc/$pid/maps" || { podman logs "$id" >&2; die "$label: the JVM did not map its AOT cache"; }
  fi
  oom="$(podman inspect "$id" --format '{{.State.OOMKilled}}')"
  grace="$(echo "$plan" | python3 -c 'import json,sys; print(json.load(sys.stdin)["terminationGracePeriodSeconds"])')"
  podman stop -t "$grace" "$id" >/dev/null
  exit_code="$(podman inspect "$id" --format '{{.State.ExitCode}}')"
  [ "$exit_code" = 0 ] || { podman logs "$id" >&2; die "$label: exited $exit_code on SIGTERM, not 0"; }
  [ "$oom" = false ] || die "$label: OOM-killed under its memory limit"
  podman logs "$id" 2>&1 | grep -qE '\]\[(warning|error) *\]\[(aot|cds)' && { podman logs "$id" >&2; die "$label: the JVM complained of its AOT cache"; }
  size_bytes="$(podman image inspect "$image" --format '{{.Size}}')"
  limit_bytes="$(echo "$plan" | python3 -c 'import json,sys; print(json.load(sys.stdin)["memory_limit"])')"
  podman rm -f "$id" >/dev/null
  [ $first = 1 ] || echo "," >> "$lab/results.json"
  first=0
  printf '{"service":"%s","label":"%s","image":"%s","image_bytes":%s,"ready_ms":%s,"startup_ms":%s,"idle_bytes":%s,"peak_bytes":%s,"rss_peak_bytes":%s,"memory_limit_bytes":%s,"load_rps":%s,"oom_killed":%s,"sigterm_exit":%s}' \
    "$service" "$label" "$image" "$size_bytes" "$ready_ms" "${startup_ms:-null}" "$idle_bytes" "$peak_bytes" "$rss_peak_bytes" "$limit_bytes" "${rps:-0}" "$oom" "$exit_code" >> "$lab/results.json"
}

# train_aot SERVICE IMAGE: runs the image once with -XX:AOTCacheOutput, under load, and leaves the AOT
# cache in SERVICE/target/opt/footprint/aot/app.aot, where the next jib:build picks it up. The
# cache must come from the image's own JVM and class path: that is why it is trained in a container.
train_aot() {
  local service="$1" image="$2" out="$FOOTPRINT_ROOT/$1/target/opt/footprint/aot" host_port plan id main
  rm -rf "$FOOTPRINT_ROOT/$service/target/opt" && mkdir -p "$out" && chmod 777 "$out"
  host_port="$(free_port)"
  plan="$(python3 scripts/lab/deployment_to_podman.py "$lab/rendered.yaml" "$service" "$host_port" "$lab/volumes" "$image")"
  mapfile -t run_args < <(echo "$plan" | python3 -c 'import json,sys; a = json.load(sys.stdin)["args"]; print("\n".join(a[:-1]))')
  main="$(podman image inspect "$image" --format '{{join .Config.Entrypoint " "}}' | awk '{print $NF}')"
  # More memory than the Deployment gives: at exit the JVM forks a second JVM that assembles the cache.
  # Classes only, no method profiles (-AOTRecordTraining): replayed at start, the profiles have C2
  # compile the training's hot methods on the one CPU the service starts on (converter: 278 → 211 ms
  # to ready; bench/jvm-flags.toml, lean-c2-aot-classes).
  id="$(podman run -d "${run_args[@]}" --memory 1g --memory-swap 1g --volume "$out:/opt/footprint/aot:rw,z" --entrypoint java "$image" \
    @/etc/footprint/jvm.options -XX:AOTCacheOutput=/opt/footprint/aot/app.aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTRecordTraining \
    -cp @/app/jib-classpath-file "$main")"
  wait_http_ok "http://127.0.0.1:$host_port/health/ready" 120 || { podman logs "$id" >&2; die "$service: AOT training run never became ready"; }
  load "$service" "$host_port" >/dev/null
  curl -fsS -o /dev/null "http://127.0.0.1:$host_port/metrics"
  podman stop -t 60 "$id" >/dev/null
  [ -s "$out/app.aot" ] || { podman logs "$id" 2>&1 | tail -n 20 >&2; die "$service: the training run wrote no AOT cache"; }
  podman rm -f "$id" >/dev/null
  log "$service: AOT cache of $(du -m "$out/app.aot" | cut -f1) MB"
}

# release TAG: pushes each checked image (tag TAG in the lab's registry) to $LAB_PUSH/<service>:<version>,
# the image the Deployments name, then pulls it back: the same digest, and the AOT cache in its command.
release() {
  local tag="$1" target="${LAB_PUSH:-$registry/release}" tls=true service source pushed digest pushed_digest
  [ -z "${LAB_PUSH:-}" ] && tls=false
  for service in $services; do
    source="$registry/footprint/$service:$tag"
    pushed="$target/$service:$version"
    podman pull -q --tls-verify=false "$source" >/dev/null
    podman push -q --tls-verify="$tls" --digestfile "$lab/$service.digest" "$source" "docker://$pushed"
    podman rmi -f "$pushed" >/dev/null 2>&1 || true
    podman pull -q --tls-verify="$tls" "$pushed" >/dev/null
    digest="$(podman image inspect "$pushed" --format '{{.Digest}}')"
    pushed_digest="$(cat "$lab/$service.digest")"
    [ "$digest" = "$pushed_digest" ] || die "$pushed: pulled back as $digest, pushed as $pushed_digest"
    [ "$tag" = "$version" ] || has_aot_cache "$pushed" || die "$pushed: the released image does not start from its AOT cache"
    log "released $pushed ($digest)"
  done
}

echo "[" > "$lab/results.json"
for service in $services; do
  run_and_check "$service" "$registry/footprint/$service:$version" "$service"
done
if [ "${LAB_AOT:-1}" = 1 ]; then
  for service in $services; do
    train_aot "$service" "$registry/footprint/$service:$version"
  done
  log "images of $modules with their AOT caches, tagged $version-aot"
  mvnw -q package jib:build -pl "$modules" -am -DskipTests -Djib.from.image="$base_image" -Dimage.registry="$registry" \
    -Djib.allowInsecureRegistries=true -Dimage.tag="$version-aot" \
    -Djib.container.jvmFlags=@/etc/footprint/jvm.options,-XX:AOTCache=/opt/footprint/aot/app.aot
  for service in $services; do
    run_and_check "$service" "$registry/footprint/$service:$version-aot" "$service (AOT)"
  done
  release "$version-aot"
else
  release "$version"
fi
echo "]" >> "$lab/results.json"

python3 - "$lab/results.json" "${LAB_RECORD:-0}" k8s/measured-peaks.json <<'PY'
import datetime, json, sys
rows = json.load(open(sys.argv[1]))
if sys.argv[2] == "1":
    recorded = json.load(open(sys.argv[3]))
    recorded["measured"] = (f"{datetime.date.today()}: ./footprint lab (podman, each container under the limits of kustomize/base, "
                            "5 s of wrk -c16 on its main endpoint); peak = the JVM's VmHWM, at least the cgroup's peak")
    for service in {r["service"] for r in rows}:  # the released image and the one a bare jib:build gives
        recorded["peakBytes"][service] = max(max(r["rss_peak_bytes"], r["peak_bytes"]) for r in rows if r["service"] == service)
    json.dump(recorded, open(sys.argv[3], "w"), indent=2)
    open(sys.argv[3], "a").write("\n")
    print(f"recorded peaks in {sys.argv[3]}")
mib = lambda b: f"{b / 2**20:.1f}"
print(f"\n{'image':22} {'image MB':>8} {'ready ms':>9} {'JVM ms':>7} {'idle MiB':>9} {'cgroup peak':>12} {'RSS peak':>9} {'limit MiB':>10} {'req/s 5s':>9}")
for r in rows:
    print(f"{r['label']:22} {r['image_bytes'] / 1e6:8.1f} {r['ready_ms']:9d} {r['startup_ms'] or 0:7d} {mib(r['idle_bytes']):>9} "
          f"{mib(r['peak_bytes']):>12} {mib(r['rss_peak_bytes']):>9} {mib(r['memory_limit_bytes']):>10} {float(r['load_rps']):9.0f}")
    if max(r["peak_bytes"], r["rss_peak_bytes"]) * 1.25 > r["memory_limit_bytes"]:
        print(f"  note: {r['label']}: the limit is under 1.25 times its peak")
PY
log "lab passed: every image started under its Deployment's limits, served, and stopped cleanly"
