"""Drill 1 (and 2): constant-rate load through the converter's Service, past the HPA's threshold; the
HPA must add pods on metrics-server's figures and remove them once the load stops. Every few seconds:
replicas, desired replicas, the HPA's CPU figure; every second: throughput, p99, and what each pod
answered, so that a new pod's first seconds show whether it came in cold.

The short form shortens the HPA's windows through an overlay of the minikube one; the full form runs
the shipped behaviour (a minute's stabilisation before adding, at most two pods a minute, five
minutes before removing)."""
import os
import time

from kube import Sampler
from load import Load
from rollout import answer_is, target

APP = "converter-vertx"

SHORT_BEHAVIOR = """
  - target:
      kind: HorizontalPodAutoscaler
      name: converter-vertx
    patch: |-
      - op: replace
        path: /spec/behavior
        value:
          scaleUp:
            stabilizationWindowSeconds: 0
            policies: [{type: Pods, value: 2, periodSeconds: 15}]
          scaleDown:
            stabilizationWindowSeconds: 30
            policies: [{type: Percent, value: 100, periodSeconds: 15}]
"""


def overlay(out_dir: str, minikube: str) -> str:
    d = os.path.join(out_dir, "overlay-hpa-short")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "kustomization.yaml"), "w") as f:
        f.write("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                f"resources:\n  - {os.path.relpath(minikube, d)}\npatches:{SHORT_BEHAVIOR}")
    return d


def cold_pods(seconds, ready_at):
    """Each pod that turned Ready during the load: seconds from Ready to its first second at 90 % of
    the warm pods' median answers in that second."""
    found = {}
    for pod, t_ready in ready_at.items():
        for s in seconds:
            if s["t"] < t_ready or pod not in s["pods"]:
                continue
            others = sorted(n for p, n in s["pods"].items() if p != pod)
            if others and s["pods"][pod] >= 0.9 * others[len(others) // 2]:
                found[pod] = round(s["t"] - t_ready, 1)
                break
        else:
            found[pod] = None
    return found


def run(kube, vegeta, out, minikube, form, rate):
    short = form == "short"
    if short:
        kube.run("apply", "-k", overlay(out, minikube), namespace=None)
    load_seconds, quiet_seconds = (120, 90) if short else (300, 480)
    sampler = Sampler(kube, APP, interval=2.0)
    sampler.start()
    time.sleep(6)
    before = {p["name"] for p in kube.pods(APP)}
    replicas_at_start = sampler.samples[-1].get("replicas") if sampler.samples else None
    load = Load(vegeta, out, f"autoscale-{form}", [target(kube, APP)], rate).start()
    time.sleep(load_seconds)
    load.stop()
    load_stopped = time.time()
    # Watch the scale-down until the Deployment is back at the HPA's minimum, or the bound.
    minimum = kube.json(f"hpa/{APP}")["spec"]["minReplicas"]
    deadline = time.time() + quiet_seconds
    while time.time() < deadline:
        if sampler.samples and sampler.samples[-1].get("replicas") == minimum and time.time() - load_stopped > 20:
            break
        time.sleep(2)
    samples = sampler.stop()
    if short:
        kube.run("apply", "-k", minikube, namespace=None)
    r = load.results(answer_is(APP))
    added = {p: t for p, t in sampler.ready_seen.items() if p not in before}
    r.update({"form": form, "load_started": load.started, "load_stopped": load_stopped, "samples": samples,
              "replicas_at_start": replicas_at_start,
              "max_replicas_seen": max((s.get("replicas") or 0) for s in samples),
              "replicas_at_end": samples[-1].get("replicas") if samples else None, "minimum": minimum,
              "pods_added": sorted(added), "cold_pods_seconds_to_90pct": cold_pods(r["seconds"], added)})
    first_up = next((s["t"] - load.started for s in samples if s.get("t", 0) > load.started
                     and (s.get("desired") or 0) > minimum), None)
    r["first_scale_up_seconds"] = round(first_up, 1) if first_up is not None else None
    print(f"autoscale ({form}): {rate}/s for {load_seconds} s from {replicas_at_start} replicas: up to {r['max_replicas_seen']} "
          f"(first desired > {minimum} after {r['first_scale_up_seconds']} s), back to {r['replicas_at_end']}; "
          f"{r['failed']} of {r['requests']} failed {r['failures']}, p99 {r['p99_ms']} ms; "
          f"new pods to 90 %: {r['cold_pods_seconds_to_90pct']}", flush=True)
    return r
