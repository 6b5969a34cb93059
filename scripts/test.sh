#!/usr/bin/env bash
# Every test of the project, as CI runs it: unit and HTTP tests, the runnable jars started as processes,
# the Kubernetes manifests checked without a cluster, the images run in the podman lab, and the
# minikube overlay applied to a real one-node cluster built here.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
cd "$FOOTPRINT_ROOT"
select_jdk
apt_install curl

log "Maven: build every module and run its tests (mvn verify), manifests checks included"
mvnw verify "$@"

log "conformance: other people's clients and specifications against the jars (tritonclient.http and .grpc against model-serving's V2, tensorflow-serving-api against its gRPC API, schemathesis with each service's /openapi.json and with KServe's V2 document)"
scripts/conformance.sh

log "benchmark tooling: k6 scripts against the running services, measured smokes"
scripts/check-bench.sh

log "kube-score on every kustomize rendering"
scripts/check-manifests.sh

log "container lab: images built with Jib, run under their Deployments' limits"
scripts/lab.sh

log "Kubernetes, for real: a one-node cluster here, the minikube overlay applied and checked, torn down"
scripts/cluster.sh

log "all tests passed"
