"""Drill 1 (and 2): constant-rate load through the converter's Service, past the HPA's threshold; the
HPA must add pods on metrics-server's figures and remove them once the load stops. Every few seconds:
replicas, desired replicas, the HPA's CPU figure; every second: throughput, p99, and what each pod
answered, so that a new pod's first seconds show whether it came in cold.

The short form shortens the HPA's windows through an overlay of the minikube one; the full form runs
the shipped behaviour (a minute's stabilisation before adding, at most two pods a minute, five
minutes before removing).

A scale-up is only seen if the load starts at the HPA's minimum and puts each pod past the HPA's
target: the drill first waits for the minimum (the drills before it can leave an extra pod, and the
shipped scale-down takes five minutes), then measures what one pod's CPU costs per request
(metrics-server, a probe at a rate well under the target) and sizes the load to put that pod at
2.5 times the target by that figure. A fixed rate did not: 2,000/s was past 150m on one VM and a third
of it on the next. A pod's CPU grows slower than its rate (more requests per wake-up), so the figure
from the probe overstates what a request costs at the load: sized for 1.5 times, 2,000/s gave 75 to
154m and no scale-up; for twice, 4,000/s gave 146 to 181m, 1.2 times, and one pod added (2026-12-04)."""
import calendar
import json
import math
import os
import time

from kube import NAMESPACE, Sampler, millicores, poll
from load import Load
from rollout import answer_is, target

APP = "converter-vertx"
PROBE_RATE = 1000
# What vegeta sharing two cores with the cluster was measured to send through a ClusterIP without a
# failure (10,000/s: p99 4.9 ms); past it the load generator, not the pod, would be measured.
MAX_RATE = 10000
TARGET_FACTOR = 2.5
SETTLE_SECONDS = 45

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


def overlay(out_dir: str, minikube: str, components=(), short=True, variant="") -> str:
    """The minikube overlay with the HPA's windows shortened (`short`) and `components` added."""
    d = os.path.join(out_dir, f"overlay-autoscale{variant}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "kustomization.yaml"), "w") as f:
        f.write("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                f"resources:\n  - {os.path.relpath(minikube, d)}\n"
                + ("components:\n" + "".join(f"  - {os.path.relpath(c, d)}\n" for c in components) if components else "")
                + (f"patches:{SHORT_BEHAVIOR}" if short else ""))
    return d


def pod_cpu(kube, pod):
    """metrics-server's figure for a pod: (the end of its window, millicores)."""
    m = json.loads(kube.run("get", "--raw", f"/apis/metrics.k8s.io/v1beta1/namespaces/{NAMESPACE}/pods/{pod}", namespace=None))
    return m["timestamp"], sum(millicores(c["usage"]["cpu"]) or 0 for c in m["containers"])


def fresh_cpu(kube, pod, ends_after, bound=90):
    """(the end of its window, the pod's CPU) from a metrics-server window that ends after ENDS_AFTER
    (seconds since the epoch), or (None, None). The window is metrics-server's resolution (15 s here):
    one ending 20 s after a moment lies wholly after it."""
    deadline = time.time() + bound
    while time.time() < deadline:
        try:
            stamp, cpu = pod_cpu(kube, pod)
            end = calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))
            if end > ends_after:
                return end, cpu
        except (RuntimeError, KeyError, ValueError):
            pass  # no metric for a pod yet: ask again
        time.sleep(3)
    return None, None


def wait_for_minimum(kube, minimum, bound):
    """Until the Deployment has its minimum of replicas and no pod is leaving, or BOUND seconds."""
    def at_minimum():
        pods = kube.pods(APP)
        return len(pods) == minimum and all(p["ready"] and not p["deleting"] for p in pods)
    poll(at_minimum, bound, 3)


def size_rate(kube, vegeta, out, target_millicores):
    """A rate that puts one pod at TARGET_FACTOR times the HPA's target, from the pod's CPU idle and
    under a probe: (rate, what was measured)."""
    pod = kube.pods(APP)[0]["name"]
    _, floor = fresh_cpu(kube, pod, time.time())
    probe = Load(vegeta, out, "autoscale-probe", [target(kube, APP)], PROBE_RATE).start()
    # Two windows one after the other, the lower one taken: a pod that the drills before restarted can
    # still be compiling in the first (116m at 1,000/s in one, where a warm pod takes about 25m).
    end, first = fresh_cpu(kube, pod, probe.started + 20)
    _, second = fresh_cpu(kube, pod, end) if end else (None, None)
    probe.stop()
    readings = [c for c in (first, second) if c is not None]
    loaded = min(readings) if readings else None
    measured = {"pod": pod, "idle_millicores": floor, "probe_rate": PROBE_RATE, "probe_millicores": loaded,
                "probe_readings": [first, second]}
    if floor is None or loaded is None or loaded <= floor:
        measured["per_request_microseconds"] = None
        return MAX_RATE, measured
    per_request = (loaded - floor) / PROBE_RATE  # millicores per request/s, which is ms of CPU per second per request/s
    measured["per_request_microseconds"] = round(per_request * 1000, 1)
    wanted = math.ceil((TARGET_FACTOR * target_millicores - floor) / per_request / 500) * 500
    measured["wanted_rate"] = wanted
    return int(min(MAX_RATE, max(PROBE_RATE, wanted))), measured


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


def created_to_ready(stamps):
    """Seconds from each pod's creation to its Ready condition, from the API server's stamps (whole
    seconds): the image's start plus the service's warm-up, before the pod takes any traffic."""
    def epoch(stamp):
        return calendar.timegm(time.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ"))
    return {pod: epoch(ready) - epoch(created) for pod, (created, ready) in stamps.items() if created and ready}


def first_answers(seconds, ready_at):
    """Each added pod's first second with an answer, or None. kube-proxy balances connections, so a
    pod Ready is answered only once a client opens a connection after that (MAX_CONNECTION_AGE_SECONDS
    makes the converter's clients do so): the time from Ready to its first answer is the traffic's,
    the time from its first answer to 90 % the JIT's and the connections' spread together."""
    return {pod: next((s["t"] for s in seconds if s["t"] >= int(t_ready) and s["pods"].get(pod)), None)
            for pod, t_ready in ready_at.items()}


def first_seconds_p99(seconds, first, span=10):
    """Each added pod's p99 over its first SPAN seconds of answers beside the other pods' in the same
    seconds (medians of the per-second figures): a cold pod answers slower than the warm ones, a pod
    that is only short of connections does not."""
    found = {}
    for pod, t_first in first.items():
        own, others = [], []
        for s in seconds:
            if t_first is not None and t_first <= s["t"] < t_first + span and pod in s.get("pods_p99_ms", {}):
                own.append(s["pods_p99_ms"][pod])
                others.extend(v for p, v in s["pods_p99_ms"].items() if p != pod)
        median = lambda v: sorted(v)[len(v) // 2] if v else None  # noqa: E731
        found[pod] = {"pod_p99_ms": median(own), "other_pods_p99_ms": median(others)}
    return found


def run(kube, vegeta, out, minikube, form, components=(), variant=""):
    """`components` (Kustomize components, the JVM flags of drill 2's comparison, say) are applied to
    the minikube overlay for this run and taken off after it; `variant` names the run."""
    short = form == "short"
    if short or components:
        kube.run("apply", "-k", overlay(out, minikube, components, short, variant), namespace=None)
    if components:
        kube.wait_rollout(APP)
        # The rolled pod's first readings still hold its start (270m "idle" right after the rollout, and
        # no CPU per request to size the load by): metrics-server's window must be past it.
        time.sleep(SETTLE_SECONDS)
    load_seconds, quiet_seconds = (120, 90) if short else (300, 480)
    hpa = kube.json(f"hpa/{APP}")["spec"]
    minimum = hpa["minReplicas"]
    target_millicores = millicores(hpa["metrics"][0]["resource"]["target"]["averageValue"])
    waited = time.time()
    wait_for_minimum(kube, minimum, 150 if short else 420)
    waited = round(time.time() - waited, 1)
    rate, measured = size_rate(kube, vegeta, out, target_millicores)
    print(f"autoscale ({form}): {waited} s to {minimum} replicas; one pod {measured['idle_millicores']}m idle, "
          f"{measured['probe_millicores']}m at {PROBE_RATE}/s ({measured['per_request_microseconds']} us a request): "
          f"{rate}/s for {TARGET_FACTOR} x the HPA's {target_millicores}m", flush=True)
    sampler = Sampler(kube, APP, interval=2.0)
    sampler.start()
    time.sleep(6)
    before = {p["name"] for p in kube.pods(APP)}
    replicas_at_start = len(before)
    load = Load(vegeta, out, f"autoscale-{form}{variant}", [target(kube, APP)], rate).start()
    time.sleep(load_seconds)
    load.stop()
    load_stopped = time.time()
    # Watch the scale-down until the Deployment is back at the HPA's minimum, or the bound.
    deadline = time.time() + quiet_seconds
    while time.time() < deadline:
        if sampler.samples and sampler.samples[-1].get("replicas") == minimum and time.time() - load_stopped > 20:
            break
        time.sleep(2)
    samples = sampler.stop()
    if short or components:
        kube.run("apply", "-k", minikube, namespace=None)
    if components:
        kube.wait_rollout(APP)
    r = load.results(answer_is(APP))
    added = {p: t for p, t in sampler.ready_seen.items() if p not in before}
    first = first_answers(r["seconds"], added)
    r.update({"form": form, "variant": variant, "components": [os.path.basename(c) for c in components],
              "load_started": load.started, "load_stopped": load_stopped, "samples": samples,
              "replicas_at_start": replicas_at_start, "seconds_waited_for_minimum": waited,
              "target_millicores": target_millicores, "target_factor": TARGET_FACTOR, "sizing": measured,
              "max_replicas_seen": max((s.get("replicas") or 0) for s in samples),
              "replicas_at_end": samples[-1].get("replicas") if samples else None, "minimum": minimum,
              "pods_added": sorted(added), "cold_pods_seconds_to_90pct": cold_pods(r["seconds"], added),
              "added_pods_created_to_ready_seconds": created_to_ready({p: sampler.stamps[p] for p in added if p in sampler.stamps}),
              "added_pods_ready_to_first_answer_seconds": {p: (round(t - added[p], 1) if t is not None else None) for p, t in first.items()},
              "added_pods_first_10s_p99": first_seconds_p99(r["seconds"], first)})
    first_up = next((s["t"] - load.started for s in samples if s.get("t", 0) > load.started
                     and (s.get("desired") or 0) > replicas_at_start), None)
    r["first_scale_up_seconds"] = round(first_up, 1) if first_up is not None else None
    print(f"autoscale{variant} ({form}): {rate}/s for {load_seconds} s from {replicas_at_start} replicas: up to {r['max_replicas_seen']} "
          f"(first desired > {replicas_at_start} after {r['first_scale_up_seconds']} s), back to {r['replicas_at_end']}; "
          f"{r['failed']} of {r['requests']} failed {r['failures']}, p99 {r['p99_ms']} ms; "
          f"new pods to 90 %: {r['cold_pods_seconds_to_90pct']}, created to Ready: {r['added_pods_created_to_ready_seconds']}, "
          f"Ready to first answer: {r['added_pods_ready_to_first_answer_seconds']}, p99 over its first 10 s of answers: "
          f"{r['added_pods_first_10s_p99']}", flush=True)
    return r
