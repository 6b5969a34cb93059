#!/usr/bin/env bash
# Other people's clients against the services, as processes: Triton's tritonclient.http (PyPI, pinned in
# model-serving/src/test/python/tritonclient-requirements.txt) against model-serving's Open Inference
# Protocol, JSON and binary tensor data both ways, every answer checked. Expects model-serving's jar built
# (mvn verify or package); fails loudly, bounded in time.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/services.sh"
cd "$FOOTPRINT_ROOT"
select_jdk

requirements=model-serving/src/test/python/tritonclient-requirements.txt
venv="$FOOTPRINT_ROOT/.tools/venv-tritonclient"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
  log "tritonclient: virtualenv with $requirements"
  rm -rf "$venv" && python3 -m venv "$venv"
  timeout 600 "$venv/bin/pip" install -q -r "$requirements" || die "pip could not install $requirements"
  cp "$requirements" "$venv/requirements.txt"
fi
[ -f model-serving/target/model-serving.jar ] || die "model-serving/target/model-serving.jar is missing: build it first (./mvnw package -pl model-serving -am)"

trap stop_services EXIT
port="${CONFORMANCE_MODEL_PORT:-28511}"
start_service model-serving "$port" MODEL_POLL_SECONDS=0
log "tritonclient.http against model-serving (Open Inference Protocol, binary tensor data extension)"
timeout 120 "$venv/bin/python" model-serving/src/test/python/tritonclient_conformance.py --url "127.0.0.1:$port" \
  || { tail -n 20 "$SERVICE_LOGS/model-serving.log" >&2; die "tritonclient.http conformance failed against model-serving (above)"; }
stop_services
