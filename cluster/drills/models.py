"""Drill 5: a model version published to the models volume (kustomize/components/models-from-volume).

model-serving's pods mount a claim "models" read-only at /models; here the claim is bound to a
hostPath volume of this one-node cluster (a folder on the machine), which a user's ReadOnlyMany
storage (NFS, CephFS, EFS) stands in for. The drill rolls model-serving onto the volume (two pods,
version 1), then, under constant load through the Service, publishes version 2 as a user should: copied
beside the repository, then renamed into it in one step. Every pod must serve version 2 (AVAILABLE in
its own status, version 1 retired) within the bound, with no restart and no failed prediction.
Afterwards the Deployment is put back as the overlay renders it, and the claim, the volume and the
folder are removed."""
import json
import os
import shutil
import tempfile
import time
import urllib.request

import yaml  # PyYAML, as the prices drill uses it

from kube import poll
from load import Load

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OVERLAY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models-volume")
MODEL = "model"
PV_NAME = "footprint-drill-models"
PODS = 2
# 212 °F is 100 °C in every version: an answer is right whichever version gave it.
BODY = json.dumps({"instances": [212.0]})


def _yaml_documents(text):
    return [d for d in yaml.safe_load_all(text) if d]


def pick(docs, kind, name):
    for d in docs:
        if d.get("kind") == kind and d.get("metadata", {}).get("name") == name:
            return d
    raise RuntimeError(f"no {kind} {name} in the rendering")


def version_states(ip):
    """The pod's own view of the model's versions: {version: state}, or {"error": ...}."""
    try:
        with urllib.request.urlopen(f"http://{ip}:8501/v1/models/{MODEL}", timeout=2) as r:
            return {s["version"]: s["state"] for s in json.loads(r.read())["model_version_status"]}
    except Exception as e:  # not answering is shown as such
        return {"error": str(e)[:120]}


def publish(repository, source, version):
    """A version as a user publishes it: the whole folder copied beside the model's folder (a name the
    server ignores), then renamed into it, so that no poll sees it half-written."""
    staging = os.path.join(repository, f".staging-{version}")
    shutil.copytree(source, staging)
    readable(staging)
    os.rename(staging, os.path.join(repository, MODEL, str(version)))


def readable(path):
    """The container runs as user 65532: folders it must traverse 0755, files 0644."""
    os.chmod(path, 0o755)
    for parent, dirs, files in os.walk(path):
        for d in dirs:
            os.chmod(os.path.join(parent, d), 0o755)
        for f in files:
            os.chmod(os.path.join(parent, f), 0o644)


def wait_pods(kube, count, timeout, exclude=()):
    """Until `count` pods of model-serving are Ready, none deleting, none of `exclude`; returns them."""
    def settled():
        pods = kube.pods("model-serving")
        return pods if len(pods) == count and all(p["ready"] and not p["deleting"] and p["name"] not in exclude for p in pods) else None
    pods = poll(settled, timeout)
    if pods:
        return pods
    raise RuntimeError(f"model-serving: not {count} Ready pods within {timeout} s: {kube.pods('model-serving')}")


def run(kube, vegeta, out, minikube, rate=100, timeout_seconds=150):
    source = os.path.join(ROOT, "model-serving", "target", "models", MODEL, "1")
    if not os.path.isfile(os.path.join(source, "saved_model.pb")):
        raise RuntimeError(f"no exported model at {source} (the build exports it: ./mvnw package -pl model-serving)")
    hpa_min = kube.json("hpa/model-serving")["spec"]["minReplicas"]
    replicas = kube.json("deployment/model-serving")["spec"]["replicas"]
    volume = tempfile.mkdtemp(prefix="footprint-models-")
    results = {"pods": PODS, "rate": rate, "volume": volume, "bound_seconds": timeout_seconds}
    mounted = False
    try:
        os.makedirs(os.path.join(volume, MODEL))
        publish(volume, source, 1)
        readable(volume)
        kube.run("apply", "-f", "-", namespace=None, input=json.dumps({
            "apiVersion": "v1", "kind": "PersistentVolume",
            "metadata": {"name": PV_NAME, "labels": {"app.kubernetes.io/part-of": "footprint-drills"}},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadOnlyMany"],
                     "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "",
                     "claimRef": {"namespace": "footprint", "name": "models"},
                     "hostPath": {"path": volume, "type": "Directory"}}}))
        # Two pods, so that "every pod" is more than one; the HPA's minimum is put back afterwards.
        kube.run("patch", "hpa/model-serving", "--type=merge", "-p", json.dumps({"spec": {"minReplicas": PODS}}))
        docs = _yaml_documents(kube.run("kustomize", OVERLAY, namespace=None))
        kube.run("apply", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": [
            pick(docs, "PersistentVolumeClaim", "models"), pick(docs, "Deployment", "model-serving")]}))
        mounted = True
        t0 = time.time()
        kube.wait_rollout("model-serving", timeout=300)
        pods = wait_pods(kube, PODS, 300)
        results["rolled_onto_volume_seconds"] = round(time.time() - t0, 1)
        results["before"] = {p["name"]: version_states(p["ip"]) for p in pods}
        restarts = {p["name"]: p["restarts"] for p in pods}
        print(f"models: {PODS} pods on the volume after {results['rolled_onto_volume_seconds']} s: {results['before']}", flush=True)

        url = kube.service_url("model-serving") + f"/v1/models/{MODEL}:predict"
        load = Load(vegeta, out, "models-volume", [{"method": "POST", "url": url, "body": BODY}], rate).start()

        def answer_check(_, body):
            try:
                value = json.loads(body)["predictions"][0]
                value = value[0] if isinstance(value, list) else value
            except Exception:
                return "not a predict answer"
            return None if abs(value - 100.0) < 1e-3 else f"prediction {value}, not 100"

        time.sleep(3)
        published = time.time()
        publish(volume, source, 2)
        serving, states = {}, {}
        while len(serving) < len(pods) and time.time() - published < timeout_seconds:
            for p in pods:
                states[p["name"]] = version_states(p["ip"])
                if p["name"] not in serving and states[p["name"]].get("2") == "AVAILABLE" \
                        and states[p["name"]].get("1", "END") != "AVAILABLE":
                    serving[p["name"]] = round(time.time() - published, 1)
            time.sleep(0.5)
        time.sleep(3)
        load.stop()
        r = load.results(answer_check)
        after = {p["name"]: p["restarts"] for p in kube.pods("model-serving")}
        r.update(results)
        r["published_at"] = published
        r["serving_version_2_after_seconds"] = serving
        r["states_at_end"] = states
        r["all_pods_serving"] = len(serving) == len(pods)
        r["restarts_before"], r["restarts_after"] = restarts, after
        print(f"models: version 2 served by {len(serving)} of {len(pods)} pods after {sorted(serving.values())} s; "
              f"{r['requests']} predictions at {rate}/s, {r['failed']} failed {r['failures']}, "
              f"{len(r['wrong_answers'])} wrong; restarts {restarts} -> {after}", flush=True)
        return r
    finally:
        restore(kube, minikube, hpa_min, replicas, mounted)
        shutil.rmtree(volume, ignore_errors=True)


def restore(kube, minikube, hpa_min, replicas, mounted):
    """The Deployment as the overlay renders it (the volume gone), its pods off the folder, then the
    claim and the volume deleted, the HPA's minimum and the replicas put back (the drills after this
    one share the two cores with every pod)."""
    if mounted:
        deployment = pick(_yaml_documents(kube.run("kustomize", minikube, namespace=None)), "Deployment", "model-serving")
        before = {p["name"] for p in kube.pods("model-serving")}
        kube.run("apply", "-f", "-", input=json.dumps(deployment))
        kube.wait_rollout("model-serving", timeout=300)
        wait_pods(kube, PODS, 300, exclude=before)
    kube.run("delete", "pvc/models", "--ignore-not-found", "--wait=true", "--timeout=60s", check=False)
    kube.run("delete", f"pv/{PV_NAME}", "--ignore-not-found", "--wait=true", "--timeout=60s", namespace=None, check=False)
    kube.run("patch", "hpa/model-serving", "--type=merge", "-p", json.dumps({"spec": {"minReplicas": hpa_min}}), check=False)
    kube.run("scale", "deployment/model-serving", f"--replicas={replicas}", check=False)
    wait_pods(kube, replicas, 120)
