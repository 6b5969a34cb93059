#!/usr/bin/env bash
# Prometheus' own linter on what each running service exposes: `promtool check metrics` (metric
# names, units, suffixes, help text; client_golang's promlint) against BASE_URL/metrics, for each
# BASE_URL given (e.g. http://127.0.0.1:28080). A few requests first (a 404, a 405, HEAD) so that the
# HTTP series exist beside whatever the caller sent. promtool is built from the Go module proxy at
# the version pinned here (PROMTOOL_MODULE), once, into .tools/bin.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
[ $# -gt 0 ] || die "usage: $0 BASE_URL..."
apt_install curl

promtool="$(go_tool promtool "$PROMTOOL_MODULE" "$PROMTOOL_BUILD_FLAGS")"
scrape="$(mktemp)"
trap 'rm -f "$scrape"' EXIT
for base in "$@"; do
  curl -sS -o /dev/null "$base/promtool-check-no-such-route"
  curl -sS -o /dev/null -X DELETE "$base/health/live"
  curl -sS -o /dev/null --head "$base/health/ready"
  curl -fsS "$base/metrics" > "$scrape" || die "no /metrics at $base"
  families="$(grep -c '^# TYPE ' "$scrape" || true)"
  [ "$families" -gt 0 ] || die "$base/metrics has no metric family"
  if ! report="$("$promtool" check metrics < "$scrape" 2>&1)"; then
    printf '%s\n' "$report" >&2
    die "promtool check metrics: $base/metrics breaks Prometheus' conventions (above)"
  fi
  log "promtool check metrics: $base/metrics clean ($families families, $(grep -vc '^#' "$scrape") series)"
done
