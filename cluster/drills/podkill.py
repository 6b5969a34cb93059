"""Drill 6: a pod of the converter killed under load, twice: deleted (kubectl delete pod: preStop,
drain, exit) and OOM-killed (its container pushed past its memory limit). With two replicas the
Service must route around it; the failed requests and the time until two pods are Ready again are
recorded."""
import glob
import os
import subprocess
import sys
import time

from kube import poll
from load import Load
from rollout import answer_is, target

APP = "converter-vertx"

# Run inside the container's memory cgroup: allocates until the kernel's OOM killer, choosing within
# that cgroup, kills the JVM (its oom_score_adj, set by the kubelet for a Burstable pod, is near 1000;
# this helper's is 0), then exits so the cgroup can go.
HOG = r"""
import os, sys, time
procs, jvm = sys.argv[1], int(sys.argv[2])
with open(procs, "w") as f:
    f.write(str(os.getpid()))
chunks = []
deadline = time.time() + 30
while time.time() < deadline:
    try:
        os.kill(jvm, 0)
    except ProcessLookupError:
        sys.exit(0)
    chunks.append(bytearray(b"\x01" * (4 << 20)))
    time.sleep(0.01)
sys.exit(3)
"""


def ready_count(kube):
    return sum(1 for p in kube.pods(APP) if p["ready"] and not p["deleting"])


def wait_ready(kube, count, timeout=180):
    return bool(poll(lambda: ready_count(kube) >= count, timeout, 0.5))


def wait_restarted(kube, pod_name, restarts, timeout=60):
    def restarted():
        pod = next((p for p in kube.pods(APP) if p["name"] == pod_name), None)
        return pod is None or pod["restarts"] > restarts or bool(pod["last_state"])
    poll(restarted, timeout, 0.5)


def container_cgroup(kube, pod_name):
    pod = kube.json(f"pod/{pod_name}")
    uid = pod["metadata"]["uid"]
    cid = pod["status"]["containerStatuses"][0]["containerID"].split("//")[1]
    found = glob.glob(f"/sys/fs/cgroup/memory/kubepods/**/pod{uid}/{cid}", recursive=True)
    if not found:
        raise RuntimeError(f"no memory cgroup for {pod_name}'s container")
    return found[0]


def oom_kill(kube, pod_name):
    cgroup = container_cgroup(kube, pod_name)
    with open(os.path.join(cgroup, "cgroup.procs")) as f:
        jvm = int(f.read().split()[0])
    hog = subprocess.run([sys.executable, "-c", HOG, os.path.join(cgroup, "cgroup.procs"), str(jvm)], timeout=60)
    return hog.returncode


def run(kube, vegeta, out, rate=1000, replicas=2):
    shipped_min = kube.json(f"hpa/{APP}")["spec"]["minReplicas"]
    kube.run("patch", f"hpa/{APP}", "--type=merge", "-p", f'{{"spec": {{"minReplicas": {replicas}}}}}')
    results = []
    try:
        if not wait_ready(kube, replicas):
            raise RuntimeError(f"{APP} never had {replicas} Ready pods")
        for kind in ("delete", "oom"):
            victim = sorted(p["name"] for p in kube.pods(APP) if p["ready"])[0]
            load = Load(vegeta, out, f"podkill-{kind}", [target(kube, APP)], rate).start()
            time.sleep(5)
            t0 = time.time()
            if kind == "delete":
                kube.run("delete", "pod", victim, "--wait=false")
                detail = "kubectl delete pod"
            else:
                restarts = next(p["restarts"] for p in kube.pods(APP) if p["name"] == victim)
                code = oom_kill(kube, victim)
                detail = f"memory hog in the container's cgroup (exit {code})"
                # Until the kubelet has seen the container die: once, at 128Mi, the pod still showed
                # Ready when the hog returned and its last state was empty seven seconds later.
                wait_restarted(kube, victim, restarts)
            time.sleep(2)
            recovered = wait_ready(kube, replicas)
            recovery = round(time.time() - t0, 1)
            time.sleep(5)
            load.stop()
            r = load.results(answer_is(APP))
            pod = next((p for p in kube.pods(APP) if p["name"] == victim), None)
            r.update({"kind": kind, "victim": victim, "how": detail, "killed_at": t0, "recovered": recovered,
                      "recovery_seconds": recovery,
                      "last_state": pod["last_state"] if pod else None, "restarts": pod["restarts"] if pod else None})
            results.append(r)
            reason = (r["last_state"] or {}).get("terminated", {}).get("reason")
            print(f"podkill {kind}: {r['requests']} requests at {rate}/s, {r['failed']} failed {r['failures']}; "
                  f"{replicas} Ready again after {recovery} s; {detail}; last state {reason}", flush=True)
    finally:
        kube.run("patch", f"hpa/{APP}", "--type=merge", "-p", f'{{"spec": {{"minReplicas": {shipped_min}}}}}')
    return results
