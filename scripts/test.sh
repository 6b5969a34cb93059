#!/usr/bin/env bash
# Every test of the project, as CI runs it: unit and HTTP tests, and the runnable jars started as processes.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$FOOTPRINT_ROOT"
select_jdk
apt_install curl

log "Maven: build every module and run its tests (mvn verify)"
mvnw verify "$@"
log "all tests passed"
