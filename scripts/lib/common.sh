# Shared by footprint's scripts: JDK selection, Maven, logging. Source it; do not run it.

FOOTPRINT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# The major version of the JDK at $1, or nothing if it is not a JDK.
jdk_major() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

# Points JAVA_HOME at a JDK 21+: JAVA_HOME if it is one, else Temurin 25, else the newest in /usr/lib/jvm.
select_jdk() {
  local candidate major best="" best_major=0
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    major="$(jdk_major "$candidate")"
    [ -n "$major" ] || continue
    if [ "$candidate" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ]; then best="$candidate"; best_major="$major"; break; fi
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  [ -n "$best" ] || die "footprint needs a JDK 21 or newer (it is built and tested with Temurin 25), and none was found in JAVA_HOME or /usr/lib/jvm. Install one (e.g. Temurin 25) and set JAVA_HOME to it."
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  log "JDK $best_major at $JAVA_HOME"
}

mvnw() {
  "$FOOTPRINT_ROOT/mvnw" -B --no-transfer-progress "$@"
}

# Installs Debian packages that are missing (as root, or through sudo); a leading --no-install-recommends
# is passed to apt-get.
apt_install() {
  local missing=() pkg options=()
  [ "${1:-}" = --no-install-recommends ] && { options+=("$1"); shift; }
  for pkg in "$@"; do
    if [[ "$pkg" == *=* ]]; then  # name=version: that exact version (apt-get installs it, up or down)
      [ "$(dpkg-query -W -f='${Status} ${Version}' "${pkg%%=*}" 2>/dev/null)" = "install ok installed ${pkg#*=}" ] || missing+=("$pkg")
    else
      dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing ${missing[*]} (apt-get)"
  $sudo apt-get install -y -q "${options[@]}" "${missing[@]}" >/dev/null 2>&1 \
    || { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q "${options[@]}" "${missing[@]}" >/dev/null; } \
    || die "could not install ${missing[*]} with apt-get"
}

# Waits until $1 answers 200, for at most $2 seconds.
wait_http_ok() {
  local url="$1" deadline=$((SECONDS + ${2:-60}))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# Installs a Go tool at a pinned version into .tools/bin (git-ignored) unless it is there already.
#   go_tool kube-score github.com/zegl/kube-score/cmd/kube-score@v1.20.0
# A third argument is more go flags for the build (build tags, say), part of what the stamp pins.
go_tool() {
  local name="$1" module="$2" flags="${3:-}" bin="$FOOTPRINT_ROOT/.tools/bin"
  local stamp="$bin/.$name.version" pinned="$2${3:+ $3}"
  if [ ! -x "$bin/$name" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$pinned" ]; then
    command -v go >/dev/null || die "Go is needed to install $name ($module)"
    log "installing $pinned"
    mkdir -p "$bin"
    GOBIN="$bin" GOFLAGS="-mod=mod${flags:+ $flags}" go install "$module" || die "could not install $module"
    echo "$pinned" > "$stamp"
  fi
  echo "$bin/$name"
}

# Prometheus' promtool (scripts/check-metrics.sh), built from the Go module proxy: Prometheus v3.16.0,
# without the service discoveries promtool's checks of metrics never use (Prometheus' own build tag:
# no AWS, Azure, GCE, ... SDKs to build).
PROMTOOL_MODULE=github.com/prometheus/prometheus/cmd/promtool@v0.316.0
PROMTOOL_BUILD_FLAGS=-tags=remove_all_sd

# Execs a benchmark ("$@") in a network namespace of its own, with only a loopback, where the user may
# make one (root): the host's firewall then stays out of the numbers. Podman's port forwarding, for one,
# leaves NAT rules on the host that send every loopback packet through conntrack (measured: 0.7 µs more
# kernel time per request, for every target alike). BENCH_NETNS=0 measures in the host's namespace.
exec_benchmark() {
  if [ "${BENCH_NETNS:-1}" != 0 ] && [ "$(id -u)" -eq 0 ] && unshare --net true 2>/dev/null; then
    apt_install iproute2
    export BENCH_NETWORK="a network namespace of its own (loopback only)"
    exec unshare --net -- sh -c 'ip link set lo up && exec "$@"' benchmark "$@"
  fi
  [ "${BENCH_NETNS:-1}" = 0 ] || log "no network namespace of its own (needs root and unshare): measuring in the host's, whose firewall rules count"
  export BENCH_NETWORK="the host's network namespace"
  exec "$@"
}
