# The service images without a public registry, shared by the container lab (scripts/lab.sh) and the
# cluster (scripts/cluster.sh): a local OCI registry, the offline JRE base image, and every service's
# image built into it with jib:build. Source it after common.sh; do not run it.

# registry_start DIR PORT LOG: Debian's docker-registry on 127.0.0.1:PORT with its storage in DIR.
# Sets registry_pid; fails if something already listens there.
registry_start() {
  local dir="$1" port="$2" logfile="$3"
  mkdir -p "$dir"
  cat > "$dir.yml" <<YML
version: 0.1
log: {level: error}
storage:
  filesystem: {rootdirectory: $dir}
  delete: {enabled: true}
http:
  addr: 127.0.0.1:$port
YML
  curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && die "something already listens on 127.0.0.1:$port: stop it or choose another port"
  docker-registry serve "$dir.yml" > "$logfile" 2>&1 &
  registry_pid=$!
  wait_http_ok "http://127.0.0.1:$port/v2/" 30 || die "the registry did not start: $(cat "$logfile")"
}

# base_image_push IMAGE WORKDIR: the offline JRE base image (scripts/lab/base-image.sh), pushed to the
# registry its name points at, then dropped from podman's store.
base_image_push() {
  local image="$1" work="$2"
  "$FOOTPRINT_ROOT/scripts/lab/base-image.sh" "$work/base.tar" "$image"
  podman push -q --tls-verify=false "$image"
  podman rmi -f "$image" >/dev/null 2>&1 || true
  rm -f "$work/base.tar"
}

# service_images_push REGISTRY BASE_IMAGE MODULES [MAVEN_ARGS...]: each service's image, built by
# jib:build on BASE_IMAGE and pushed as REGISTRY/footprint/<service>:<version> (plain HTTP allowed).
service_images_push() {
  local registry="$1" base="$2" modules="$3"
  shift 3
  mvnw -q package jib:build -pl "$modules" -am -DskipTests \
    -Djib.from.image="$base" -Dimage.registry="$registry" -Djib.allowInsecureRegistries=true "$@"
}
