#!/usr/bin/env bash
# The benchmark tooling, checked for real: the k6 scripts type-checked and run once per profile
# against the services started here (bench/check/run.sh), then a short measured head-to-head and a
# reduced JVM flag matrix. Expects the services' jars built (mvn verify or package).
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$(dirname "$0")/lib/services.sh"
cd "$FOOTPRINT_ROOT"
select_jdk
command -v node >/dev/null || die "Node.js 20.6+ is needed for the k6 script checks"

log "bench harness: its arithmetic and charts (unit tests, no server)"
python3 -m unittest discover -s bench/harness/tests -t . -q

trap stop_services EXIT
go_peer="$FOOTPRINT_ROOT/.tools/bin/go-peer"
mkdir -p "$(dirname "$go_peer")"
(cd bench/peers/go && go build -o "$go_peer" .)
log "the fasthttp and Gin anchors answer as the Go peer does"
(cd bench/peers/go-anchors && go build -o "$(dirname "$go_peer")/" ./fasthttp-peer ./gin-peer)
python3 bench/peers/go-anchors/same_contract.py "$go_peer" "$(dirname "$go_peer")/fasthttp-peer" "$(dirname "$go_peer")/gin-peer"
start_service converter-vertx 28080
start_service model-serving 28501
start_service price-service 28081 PRICES_SOURCE="$FOOTPRINT_ROOT/price-service/prices.txt"
start_process go-peer 28090 /health/ready "$go_peer"

log "k6 scripts: type-check and one run per profile through the stand-in"
BASE_URL_CONVERTER=http://127.0.0.1:28080 BASE_URL_MODEL=http://127.0.0.1:28501 BASE_URL_PRICE=http://127.0.0.1:28081 \
  BASE_URL_GO_PEER=http://127.0.0.1:28090 bench/check/run.sh

log "promtool check metrics on each service's /metrics, after the k6 runs' traffic"
scripts/check-metrics.sh http://127.0.0.1:28080 http://127.0.0.1:28501 http://127.0.0.1:28081
stop_services

log "head-to-head smoke (short runs: a check that the harness measures, not a result)"
SKIP_BUILD=1 bench/run-head-to-head.sh --name ci-smoke --runs 1 --seconds 2 --warmup 4 --service-warmup 5 --rate 500 --rate-seconds 2 \
  --rate-runs 1 --rate-warmup 1 --targets converter-vertx,converter-vertx-cold,model-serving,price-service,go-peer,fasthttp-peer,gin-peer,nginx-ceiling,jdk-peer,fastapi-peer
python3 - "$(ls -t bench/results/*-ci-smoke.json | head -n 1)" <<'PY'
import json, sys
document = json.load(open(sys.argv[1]))
# On a busy machine a run may be contended: then it must say why and give no figure (the check is
# that the harness measures, not that this machine was quiet).
go = next(r for r in document["results"] if r["target"] == "go-peer")
for r in document["results"]:
    assert all("target_share" in run["contention"] for run in r["runs"]), r
    assert "vs_fasthttp" in r and "vs_ceiling" in r, r
    curve = r["warmup"]  # from the first request after ready: counts per window, contended or not
    assert curve["window_ms"] == 250 and sum(curve["counts"]) > 0 and "contended" in curve["contention"], r["target"]
    assert r["seconds_to_90"] is None or 0 < r["seconds_to_90"] <= curve["elapsed_s"], r["target"]
    fixed = r["fixed_rate"]  # its rounds contention-checked too: a contended one gives no p99
    assert len(fixed["runs"]) == 1 and all("contended" in run["contention"] for run in fixed["runs"]), r["target"]
    assert (fixed["p99_ms"] is None) == fixed["contended"], r["target"]
    if r["contended"]:
        assert r["rps_median"] is None and r["vs_reference"] is None and all(run["contention"]["reasons"] for run in r["runs"]), r
        continue
    assert r["rps_median"] > 0 and r["user_us_per_request"] > 0 and r["kernel_us_per_request"] > 0, r
    ratio = r["vs_reference"]
    if r["target"] == "go-peer" or go["contended"]:
        assert ratio is None, r
    else:
        assert ratio["reference"] == "go-peer" and abs(ratio["median"] - r["rps_median"] / go["rps_median"]) < 0.01, r
contended = [r["target"] for r in document["results"] if r["contended"]]
print(f"head-to-head smoke: {len(document['results'])} targets measured, CPU per request split, each against go-peer, "
      f"fasthttp-peer and nginx-ceiling, in {document['machine']['network']}"
      + (f"; contended, so without figures: {', '.join(contended)}" if contended else ""))
PY

log "gRPC vs REST smoke (model-serving's Predict both ways, short runs: a check that the harness measures)"
SKIP_BUILD=1 bench/run-grpc-vs-rest.sh --rounds 1 --seconds 2 --warmup 2 --rate 500
python3 - "$(ls -t bench/results/*-grpc-vs-rest.json | head -n 1)" <<'PY'
import json, sys
document = json.load(open(sys.argv[1]))
assert document["exit_code"] == 0, document["exit_code"]
assert [c["values"] for c in document["cases"]] == [1, 1000], document["cases"]
for case in document["cases"]:
    for protocol in ("rest", "grpc"):
        run = case["runs"][protocol][0]
        assert "target_share" in run["contention"], run
        assert run["contention"]["contended"] or (run["rps"] > 0 and run["errors"] == 0), run
        assert case["fixed_rate"][protocol]["errors"] == 0, case["fixed_rate"][protocol]
print("gRPC vs REST smoke: " + "; ".join(
    f"{c['case']}: REST {c['rest']['rps']} req/s, gRPC {c['grpc']['rps']} req/s" for c in document["cases"]))
PY

log "JVM flag smoke (the [smoke] matrix of bench/jvm-flags.toml)"
SKIP_BUILD=1 bench/run-jvm-flags.sh --smoke

log "profiler: the converter under load, through bench/profile.sh"
bench/profile.sh --fetch >/dev/null  # before the load: a first download outlasts it on a fresh machine
start_service converter-vertx 28080
converter_pid="${SERVICE_PIDS[-1]}"
taskset -c 0 wrk -t1 -c8 -d10s 'http://127.0.0.1:28080/convert?fahrenheit=98.6' >/dev/null &
load=$!
sleep 2
profile="$(bench/profile.sh "$converter_pid" --seconds 3 --format collapsed --out "$SERVICE_LOGS/profile.txt")" \
  || { tail -n 20 "$SERVICE_LOGS/converter-vertx.log" >&2; die "bench/profile.sh failed on the converter under load"; }
wait "$load"
stop_services
# The handler and the kernel's side of its sockets are both in the samples, on the event loop.
grep -q '^\[vert.x-eventloop.*dev/footprint/converter/ConvertHandlers.get' "$profile" \
  || die "the profile has no sample of the converter's handler on its event loop: $profile"
grep -q '^\[vert.x-eventloop.*_\[k\]' "$profile" || log "no kernel frames in the profile (perf_events not allowed here?)"
log "profile: $(wc -l < "$profile") stacks, the handler and its event loop among them"
