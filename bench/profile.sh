#!/usr/bin/env bash
# Profiles a running JVM on this machine with async-profiler (its library from Maven Central, attached
# through jcmd): where the CPU goes, kernel frames included, or what allocates, for a few seconds.
#   bench/profile.sh <pid> [--seconds 10] [--event cpu|alloc|wall|lock] [--format html|collapsed] [--out FILE]
#   bench/profile.sh --fetch    (only fetches the library, so that a later profile starts at once)
# Put load on the service meanwhile (wrk, vegeta, k6). html is a flame graph, one tower per thread;
# collapsed is one line per stack with its sample count (bytes for alloc), for grep and scripts.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/common.sh"
cd "$FOOTPRINT_ROOT"

pid="" seconds=10 event=cpu format=html out="" fetch_only=0
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --event) event="$2"; shift 2 ;;
    --format) format="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --fetch) fetch_only=1; shift ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) pid="$1"; shift ;;
  esac
done
[ "$fetch_only" = 1 ] || { [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; } \
  || die "usage: bench/profile.sh <pid of a running JVM> [options]; no such process: '$pid'"
case "$event" in cpu|alloc|wall|lock) ;; *) die "--event is cpu, alloc, wall or lock, not '$event'" ;; esac
case "$format" in html|collapsed) ;; *) die "--format is html or collapsed, not '$format'" ;; esac
case "$(uname -m)" in
  x86_64) arch=linux-x64 ;;
  aarch64) arch=linux-arm64 ;;
  *) die "async-profiler has no library for $(uname -m)" ;;
esac
select_jdk

version=4.2
dir="$FOOTPRINT_ROOT/.tools/async-profiler-$version"
lib="$dir/$arch/libasyncProfiler.so"
if [ ! -f "$lib" ]; then
  log "async-profiler $version from Maven Central"
  mvnw -q dependency:copy -Dartifact="tools.profiler:async-profiler:$version" -DoutputDirectory="$dir"
  (cd "$dir" && "$JAVA_HOME/bin/jar" xf "async-profiler-$version.jar" "$arch/")  # the JDK's own unzip
fi

[ "$fetch_only" = 0 ] || { echo "$lib"; exit 0; }

mkdir -p bench/results
suffix=txt output=collapsed
[ "$format" = collapsed ] || { suffix=html; output=flamegraph; }
out="$(realpath -m "${out:-bench/results/$(date +%Y%m%d-%H%M%S)-profile-$pid-$event.$suffix}")"
rm -f "$out"

# One agent command through jcmd; it returns once the profiler has done it (a stop writes the file
# first). The options are quoted inside the argument: jcmd's parser would otherwise take
# "start,event" for a key and split at the '='.
profiler() {
  local reply
  reply="$("$JAVA_HOME/bin/jcmd" "$pid" JVMTI.agent_load "$lib" "\"$1,event=$event,$output,threads,file=$out\"")"
  [[ "$reply" == *"return code: 0"* ]]
}
# timeout= is a backstop: should this script die before its stop, the profiler still ends.
profiler "start,timeout=$((seconds + 60))" \
  || die "jcmd could not attach async-profiler to $pid (is it a JVM of this user?)"
trap 'profiler stop || true' EXIT
log "profiling $pid for $seconds s ($event)"
sleep "$seconds"
trap - EXIT
profiler stop || die "async-profiler did not stop in $pid; its messages are in that process's output"
# A collapsed profile of a JVM that never ran in those seconds is an empty file.
[ -s "$out" ] || die "no samples in $seconds s of $pid: was it under load? ($out is empty)"
echo "$out"
