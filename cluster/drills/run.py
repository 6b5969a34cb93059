#!/usr/bin/env python3
"""The drills of ./footprint cluster, in the running cluster, each bounded in time, load only on the
cluster's own addresses (README, "Kubernetes, for real"). A broken promise fails the run; what is
measured but not promised (requests lost by a pod that is OOM-killed, say) is a finding in the report.
  run.py --kubectl K --kubeconfig C --vegeta V --out DIR [--form short|full] [--only a,b]"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kube import Kube  # noqa: E402
import aot  # noqa: E402
import autoscale  # noqa: E402
import models  # noqa: E402
import monitoring  # noqa: E402
import podkill  # noqa: E402
import prices  # noqa: E402
import report  # noqa: E402
import rollout  # noqa: E402

DRILLS = ["rollout", "prices", "models", "podkill", "autoscale"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MINIKUBE = os.path.join(ROOT, "kustomize", "overlays", "minikube")
MONITORING = os.path.join(ROOT, "kustomize", "components", "monitoring")
# Drill 2's comparison: the autoscale drill again with the converter on the C1-only flags of this
# component (run by name: CLUSTER_DRILLS=autoscale,autoscale-c1), new pods' seconds to 90 % side by side;
# autoscale-aot and autoscale-aot-classes: from an AOT cache trained in the cluster first (aot.py), with
# the training's method profiles and without them (as the released images' caches).
C1_SMALL_CPU = os.path.join(ROOT, "kustomize", "components", "jvm-c1-small-cpu")
# Constant rates: well within a warm pod's capacity (converter and price-service answer over 10,000/s
# on one CPU), so that a lost request is the cluster's doing, not an overload's.
ROLLOUT_RATES = {"converter-vertx": 1000, "price-service": 1000, "model-serving": 200}


# What gates: a rolling update and a pod deleted lose no request (the drain answers each connection's
# next request with Connection: close and gives an idle one two seconds from SIGTERM before closing it:
# closed at once, the idle ones raced the client's POSTs and 20 to 161 were reset in some runs); the
# Deployment recovers; the kubelet reports the OOM kill; the price list reaches every pod with no
# restart, no failed request and no answer from a list that never was; a model version published to
# the models volume is served by every pod with no restart and no failed prediction; the HPA scales up and back
# down; the dashboard's panels have data. Findings only: requests in flight on a JVM the kernel kills,
# which nothing can answer, and the autoscale drill's losses (its rate overloads the pods while the
# added ones warm up).
def judge(name, results, failures, findings):
    if name == "rollout":
        for r in results:
            if r["failed"]:
                failures.append(f"rollout of {r['service']}: {r['failed']} of {r['requests']} requests failed {r['failures']}")
    elif name == "prices":
        if results["wrong_answers"] or not results["all_pods_updated"] or results["restarts_before"] != {
                k: v for k, v in results["restarts_after"].items() if k in results["restarts_before"]}:
            failures.append(f"price list update: {len(results['wrong_answers'])} wrong answers, "
                            f"updated pods {results['pods']}, restarts {results['restarts_before']} -> {results['restarts_after']}")
        if results["failed"]:
            failures.append(f"price list update: {results['failed']} of {results['requests']} requests failed {results['failures']}")
    elif name == "models":
        if results["failed"] or results["wrong_answers"]:
            failures.append(f"model version through the volume: {results['failed']} of {results['requests']} predictions failed "
                            f"{results['failures']}, {len(results['wrong_answers'])} wrong")
        if not results["all_pods_serving"] or results["restarts_before"] != {
                k: v for k, v in results["restarts_after"].items() if k in results["restarts_before"]}:
            failures.append(f"model version through the volume: version 2 served by {results['serving_version_2_after_seconds']} "
                            f"of {results['pods']} pods within {results['bound_seconds']} s (states {results['states_at_end']}), "
                            f"restarts {results['restarts_before']} -> {results['restarts_after']}")
    elif name == "podkill":
        for r in results:
            if not r["recovered"]:
                failures.append(f"pod {r['kind']}: the Deployment did not have its pods Ready again within the bound")
            if r["failed"]:
                (failures if r["kind"] == "delete" else findings).append(
                    f"pod {r['kind']}: {r['failed']} of {r['requests']} requests failed {r['failures']}")
            if r["kind"] == "oom" and "OOMKilled" not in json.dumps(r["last_state"]):
                failures.append(f"pod oom: the container's last state is not OOMKilled: {r['last_state']}")
    elif name.startswith("autoscale"):
        if not results["pods_added"]:
            failures.append(f"{name}: no pod was added at {results['rate']}/s (the load began at "
                            f"{results['replicas_at_start']} replicas, minimum {results['minimum']})")
        if results["form"] == "short" and results["replicas_at_end"] != results["minimum"]:
            failures.append(f"{name}: still {results['replicas_at_end']} replicas after the load stopped")
        if results["failed"]:
            findings.append(f"{name}: {results['failed']} of {results['requests']} requests failed {results['failures']}")
        if results["replicas_at_start"] > results["minimum"]:
            findings.append(f"{name}: the Deployment was not back at its minimum ({results['minimum']}) "
                            f"{results['seconds_waited_for_minimum']} s after the drills before: the load began at {results['replicas_at_start']}")
        wanted = results["sizing"].get("wanted_rate")
        if wanted is None:
            findings.append(f"{name}: the pod's CPU per request could not be measured; loaded at {results['rate']}/s "
                            f"(sizing {results['sizing']})")
        elif wanted > autoscale.MAX_RATE:
            findings.append(f"{name}: the rate that puts a pod at {autoscale.TARGET_FACTOR} x the target is past the {autoscale.MAX_RATE}/s the load "
                            f"generator sends here; loaded at {results['rate']}/s (sizing {results['sizing']})")
    elif name == "monitoring":
        down = [t for t in results["targets"] if t["health"] != "up"]
        if results["empty_panels"] or results["silent_queries"] or results["query_errors"] or down:
            failures.append(f"monitoring: empty panels {results['empty_panels']}, queries without data {results['silent_queries']}, "
                            f"query errors {results['query_errors']}, targets down {down}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubectl", required=True)
    parser.add_argument("--kubeconfig", required=True)
    parser.add_argument("--vegeta", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--form", choices=["short", "full"], default="short")
    parser.add_argument("--only", default=",".join(DRILLS))
    parser.add_argument("--prometheus", help="Prometheus to run during the autoscale drill (drill 7)")
    args = parser.parse_args()
    kube = Kube(args.kubectl, args.kubeconfig)
    raw = os.path.join(args.out, "raw")
    os.makedirs(raw, exist_ok=True)
    drills = {"form": args.form, "started": time.time(), "drills": {}, "failures": [], "findings": []}
    for name in args.only.split(","):
        t0 = time.time()
        print(f"drill {name} ({args.form})", flush=True)
        if name == "rollout":
            results = rollout.run(kube, args.vegeta, raw, ROLLOUT_RATES)
        elif name == "prices":
            original = open(os.path.join(ROOT, "k8s", "price-service", "prices.txt")).read()
            results = prices.run(kube, args.vegeta, raw, MINIKUBE, original)
        elif name == "models":
            results = models.run(kube, args.vegeta, raw, MINIKUBE)
        elif name == "podkill":
            results = podkill.run(kube, args.vegeta, raw)
        elif name == "autoscale-c1":
            results = autoscale.run(kube, args.vegeta, raw, MINIKUBE, args.form, components=[C1_SMALL_CPU], variant="-c1")
        elif name in ("autoscale-aot", "autoscale-aot-classes"):
            variant = name[len("autoscale"):]
            folder = aot.new_folder()
            try:
                trained = aot.train(kube, args.vegeta, raw, folder, profiles=name == "autoscale-aot")
                results = autoscale.run(kube, args.vegeta, raw, MINIKUBE, args.form,
                                        components=[aot.component(raw, variant)], variant=variant)
            finally:
                aot.remove(kube, folder)
            results["aot_training"] = trained
        elif name == "autoscale":
            watch = None
            if args.prometheus:
                watch = monitoring.Monitoring(kube, args.prometheus, args.kubeconfig, os.path.join(MONITORING, "servicemonitor.yaml"),
                                              os.path.join(MONITORING, "dashboards", "footprint.json"), raw).start()
            try:
                results = autoscale.run(kube, args.vegeta, raw, MINIKUBE, args.form)
                if watch:
                    # The dashboard over the load and the scale-down that followed it.
                    evaluated = time.time()
                    seen = monitoring.run(watch, (results["load_started"], results["samples"][-1]["t"]))
                    judge("monitoring", seen, drills["failures"], drills["findings"])
                    drills["drills"]["monitoring"] = {"seconds": round(time.time() - evaluated, 1), "results": seen}
            finally:
                if watch:
                    watch.stop()
        else:
            sys.exit(f"unknown drill {name} (drills: {', '.join(DRILLS)})")
        judge(name, results, drills["failures"], drills["findings"])
        drills["drills"][name] = {"seconds": round(time.time() - t0, 1), "results": results}
        with open(os.path.join(args.out, "drills.json"), "w") as f:
            json.dump(drills, f)
    report.write(drills, os.path.join(args.out, "drills.html"))
    for f in drills["findings"]:
        print(f"finding: {f}", file=sys.stderr)
    for f in drills["failures"]:
        print(f"FAILED: {f}", file=sys.stderr)
    sys.exit(1 if drills["failures"] else 0)


if __name__ == "__main__":
    main()
