#!/usr/bin/env bash
# Other people's clients and specifications against the services, as processes (their runnable jars):
# - Triton's tritonclient.http and tritonclient.grpc (PyPI, pinned in
#   model-serving/src/test/python/tritonclient-requirements.txt) against model-serving's Open Inference
#   Protocol, over REST (JSON and binary tensor data both ways) and gRPC (raw contents), every answer checked;
# - TensorFlow Serving's tensorflow-serving-api (PyPI, pinned with TensorFlow in
#   model-serving/src/test/python/tfserving-requirements.txt) against model-serving's gRPC API: its
#   PredictionService and ModelService stubs, tensors made and read by TensorFlow;
# - schemathesis (PyPI, pinned in scripts/schemathesis-requirements.txt) against each service, driven by the
#   service's own /openapi.json: no 5xx, no undocumented status, content type or header, every answer valid
#   against its schema, 405 with Allow for every method a path does not serve;
# - schemathesis against model-serving's /v2, driven by KServe's published V2 document
#   (docs/predict-api/v2/rest_predict_v2.yaml of the Go module github.com/kserve/kserve, from the Go module
#   proxy at the version pinned below, read from the module's zip: never copied into this repository).
# Expects the jars built (mvn verify or package); fails loudly, bounded in time.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/services.sh"
cd "$FOOTPRINT_ROOT"
select_jdk

KSERVE_MODULE=github.com/kserve/kserve
KSERVE_VERSION=v0.15.2
KSERVE_V2_DOCUMENT=docs/predict-api/v2/rest_predict_v2.yaml

# python_venv NAME REQUIREMENTS [PIP OPTIONS]: .tools/venv-NAME with exactly REQUIREMENTS installed (again when
# they change).
python_venv() {
  local name="$1" venv="$FOOTPRINT_ROOT/.tools/venv-$1" requirements="$2"
  shift 2
  if [ ! -x "$venv/bin/python" ] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
    log "$name: virtualenv with $requirements"
    rm -rf "$venv" && python3 -m venv "$venv"
    timeout 600 "$venv/bin/pip" install -q "$@" -r "$requirements" || die "pip could not install $requirements"
    cp "$requirements" "$venv/requirements.txt"
  fi
  echo "$venv"
}

tritonclient="$(python_venv tritonclient model-serving/src/test/python/tritonclient-requirements.txt)"
# Every package pinned, TensorFlow as tensorflow-cpu: --no-deps, or pip would add the full tensorflow.
tfserving="$(python_venv tfserving model-serving/src/test/python/tfserving-requirements.txt --no-deps)"
schemathesis="$(python_venv schemathesis scripts/schemathesis-requirements.txt)"
for jar in converter-vertx price-service model-serving; do
  [ -f "$jar/target/$jar.jar" ] || die "$jar/target/$jar.jar is missing: build it first (./mvnw package -DskipTests)"
done

# KServe's V2 document, from the kserve module's zip in the Go module cache (downloaded once).
kserve_document="$FOOTPRINT_ROOT/.tools/kserve-$KSERVE_VERSION-rest_predict_v2.yaml"
if [ ! -s "$kserve_document" ]; then
  command -v go >/dev/null || die "Go is needed to fetch $KSERVE_MODULE@$KSERVE_VERSION from the Go module proxy"
  log "KServe's V2 document: $KSERVE_MODULE@$KSERVE_VERSION from the Go module proxy"
  zip="$(cd "$(mktemp -d)" && timeout 300 go mod download -json "$KSERVE_MODULE@$KSERVE_VERSION" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["Zip"])')" || die "go mod download $KSERVE_MODULE@$KSERVE_VERSION failed"
  python3 - "$zip" "$KSERVE_MODULE@$KSERVE_VERSION/$KSERVE_V2_DOCUMENT" "$kserve_document" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as module, open(sys.argv[3], "wb") as out:
    out.write(module.read(sys.argv[2]))
PY
fi

trap stop_services EXIT
model_port="${CONFORMANCE_MODEL_PORT:-28511}"
converter_port="${CONFORMANCE_CONVERTER_PORT:-28081}"
price_port="${CONFORMANCE_PRICE_PORT:-28082}"
model_grpc_port="${CONFORMANCE_MODEL_GRPC_PORT:-28500}"
start_service model-serving "$model_port" MODEL_POLL_SECONDS=0 GRPC_PORT="$model_grpc_port"
start_service converter-vertx "$converter_port"
start_service price-service "$price_port" PRICES_SOURCE="$FOOTPRINT_ROOT/price-service/prices.txt" PRICES_POLL_SECONDS=0

log "tritonclient.http against model-serving (Open Inference Protocol, binary tensor data extension)"
timeout 120 "$tritonclient/bin/python" model-serving/src/test/python/tritonclient_conformance.py --url "127.0.0.1:$model_port" \
  || { tail -n 20 "$SERVICE_LOGS/model-serving.log" >&2; die "tritonclient.http conformance failed against model-serving (above)"; }

log "tritonclient.grpc against model-serving's gRPC listener (inference.GRPCInferenceService)"
timeout 120 "$tritonclient/bin/python" model-serving/src/test/python/tritonclient_grpc_conformance.py --url "127.0.0.1:$model_grpc_port" \
  || { tail -n 20 "$SERVICE_LOGS/model-serving.log" >&2; die "tritonclient.grpc conformance failed against model-serving (above)"; }

log "tensorflow-serving-api against model-serving's gRPC listener (tensorflow.serving.PredictionService, ModelService)"
timeout 180 "$tfserving/bin/python" model-serving/src/test/python/tfserving_grpc_conformance.py --target "127.0.0.1:$model_grpc_port" \
  || { tail -n 20 "$SERVICE_LOGS/model-serving.log" >&2; die "tensorflow-serving-api conformance failed against model-serving (above)"; }

# run_schemathesis NAME SERVICE SCHEMA MAX_EXAMPLES [schemathesis options]: one bounded run, seeded (the same
# cases every run); its counts are logged, its whole output kept in $SERVICE_LOGS.
run_schemathesis() {
  local name="$1" service="$2" schema="$3" examples="$4"; shift 4
  local out="$SERVICE_LOGS/schemathesis-$name.txt"
  if ! timeout 150 "$schemathesis/bin/schemathesis" --config-file scripts/schemathesis.toml run "$schema" \
      --max-examples "$examples" --seed 19 --no-color "$@" >"$out" 2>&1; then
    cat "$out" >&2
    tail -n 20 "$SERVICE_LOGS/$service.log" >&2
    die "schemathesis found failures in $name (above)"
  fi
  local operations cases seconds
  operations="$(sed -n 's/^ *Tested: \([0-9]*\)$/\1/p' "$out")"
  cases="$(sed -n 's/^ *\([0-9]*\) generated, \([0-9]*\) passed.*/\1 cases, \2 passed, 0 failed/p' "$out")"
  seconds="$(sed -n 's/.* in \([0-9.]*s\) =*$/\1/p' "$out" | tail -n 1)"
  [ -n "$operations" ] && [ -n "$cases" ] || { cat "$out" >&2; die "schemathesis against $name: no counts in its output"; }
  log "schemathesis $schemathesis_version, $name: $operations operations, $cases ($seconds)"
}
schemathesis_version="$("$schemathesis/bin/python" -c 'from importlib.metadata import version; print(version("schemathesis"))')"
run_schemathesis converter-vertx converter-vertx "http://127.0.0.1:$converter_port/openapi.json" 30
run_schemathesis price-service price-service "http://127.0.0.1:$price_port/openapi.json" 30
run_schemathesis model-serving model-serving "http://127.0.0.1:$model_port/openapi.json" 15
# KServe writes its path templates ${MODEL_NAME}; OpenAPI's are {MODEL_NAME}, which is what schemathesis fills in
# (with the served model, scripts/schemathesis.toml's [parameters]): read as OpenAPI spells them, nothing else changed.
kserve_templated="$SERVICE_LOGS/kserve-rest_predict_v2.yaml"
sed 's/\${\([A-Z_]*\)}/{\1}/g' "$kserve_document" > "$kserve_templated"
run_schemathesis "kserve-v2-$KSERVE_VERSION" model-serving "$kserve_templated" 15 --url "http://127.0.0.1:$model_port"
stop_services
