"""Drill 2's AOT variants: the converter's new pods started from a JDK AOT cache (-XX:AOTCache), trained
in this cluster, then run through the autoscale drill like the other flag sets.

The cache must come from the image's own JVM, class path and flags, so it is trained in a pod of the
converter's image: the Deployment's pod template with its own jvm.options plus -XX:AOTCacheOutput, a
claim to write to (bound to a folder of this one-node cluster's machine: the namespace's "restricted"
Pod Security forbids a hostPath in a pod, not a claim), and the memory for the second JVM
that the first forks at exit to assemble the cache. The pod warms itself (WARMUP_SECONDS) and is then
loaded through its own address, so the training sees the main request over vegeta's connections,
/metrics and the probes; deleting it (SIGTERM) writes the cache. `profiles` keeps the training's method
profiles in the cache (JDK 25's default, JEP 515); without them it holds the classes only, as the
released images' caches do (scripts/lab.sh, train_aot). The variant's pods read the cache from the
same claim, read-only, with -XX:AOTMode=on: a cache the JVM refuses stops the pod instead of being measured as
"AOT" without it."""
import json
import os
import shutil
import tempfile
import time
import urllib.request

from kube import NAMESPACE, poll
from load import Load
from rollout import WORK

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
APP = "converter-vertx"
IMAGE_OPTIONS = os.path.join(ROOT, APP, "src", "main", "jib", "etc", "footprint", "jvm.options")
TRAINING_POD = "converter-aot-training"
CLAIM = "converter-aot"
PV_NAME = "footprint-drill-converter-aot"
TRAINING_RATE = 2000
TRAINING_SECONDS = 30
CACHE = "app.aot"


def _options(extra):
    with open(IMAGE_OPTIONS) as f:
        return f.read().rstrip("\n") + "\n# drill 2's AOT variant (cluster/drills/aot.py)\n" + "\n".join(extra) + "\n"


def _training_pod(template, profiles):
    spec = json.loads(json.dumps(template["spec"]))
    spec["restartPolicy"] = "Never"
    # preStop, the drain, then the JVM's exit, whose second JVM assembles the cache (6 to 20 s in the lab).
    spec["terminationGracePeriodSeconds"] = 180
    container = spec["containers"][0]
    container.pop("livenessProbe", None)
    # The forked JVM needs more than the Deployment's memory (the lab trains with 1g).
    container["resources"] = {"requests": {"cpu": container["resources"]["requests"]["cpu"], "memory": "1Gi"},
                              "limits": {"cpu": container["resources"]["limits"]["cpu"], "memory": "1Gi"}}
    container.setdefault("volumeMounts", []).extend([
        {"name": "aot-training-options", "mountPath": "/etc/footprint/jvm.options", "subPath": "jvm.options", "readOnly": True},
        {"name": "aot", "mountPath": "/aot"}])
    spec.setdefault("volumes", []).extend([
        {"name": "aot-training-options", "configMap": {"name": TRAINING_POD}},
        {"name": "aot", "persistentVolumeClaim": {"claimName": CLAIM}}])
    options = [f"-XX:AOTCacheOutput=/aot/{CACHE}"]
    if not profiles:
        options += ["-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTRecordTraining"]
    config_map = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": TRAINING_POD, "namespace": NAMESPACE},
                  "data": {"jvm.options": _options(options)}}
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": TRAINING_POD, "namespace": NAMESPACE,
                        # Not the converter's labels: no Service, HPA or PodDisruptionBudget counts it.
                        "labels": {"app.kubernetes.io/name": TRAINING_POD, "app.kubernetes.io/part-of": "footprint-drills"}},
           "spec": spec}
    return config_map, pod


def _wait_ready(kube, bound):
    pod = poll(lambda: next((p for p in kube.pods(TRAINING_POD) if p["ready"]), None), bound)
    if pod:
        return pod
    raise RuntimeError(f"the AOT training pod was not Ready within {bound} s: {kube.pods(TRAINING_POD)}")


def new_folder():
    """The folder the claim is bound to, written by the container's user (65532)."""
    path = tempfile.mkdtemp(prefix="footprint-aot-")
    os.chmod(path, 0o777)
    return path


def train(kube, vegeta, out, folder, profiles=True):
    """Trains a cache into FOLDER in a pod of the converter's image; returns what was seen."""
    template = kube.json(f"deployment/{APP}")["spec"]["template"]
    config_map, pod = _training_pod(template, profiles)
    kube.run("delete", "pod", TRAINING_POD, "--ignore-not-found", "--wait=true", "--timeout=200s")
    kube.run("apply", "-f", "-", namespace=None, input=json.dumps({
        "apiVersion": "v1", "kind": "PersistentVolume",
        "metadata": {"name": PV_NAME, "labels": {"app.kubernetes.io/part-of": "footprint-drills"}},
        "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteMany"],
                 "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "",
                 "claimRef": {"namespace": NAMESPACE, "name": CLAIM},
                 "hostPath": {"path": folder, "type": "Directory"}}}))
    claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": CLAIM, "namespace": NAMESPACE},
             "spec": {"accessModes": ["ReadWriteMany"], "storageClassName": "", "volumeName": PV_NAME,
                      "resources": {"requests": {"storage": "1Gi"}}}}
    kube.run("apply", "-f", "-", input=json.dumps({"apiVersion": "v1", "kind": "List", "items": [claim, config_map, pod]}))
    t0 = time.time()
    log = None
    try:
        ready = _wait_ready(kube, 150)
        seen = {"profiles": profiles, "folder": folder, "created_to_ready_seconds": round(time.time() - t0, 1)}
        log = kube.follow_logs(TRAINING_POD, os.path.join(out, f"{TRAINING_POD}{'' if profiles else '-classes'}.log"))
        request, _ = WORK[APP]
        target = dict(request, url=f"http://{ready['ip']}:8080{request['path']}")
        target.pop("path")
        load = Load(vegeta, out, f"aot-training{'' if profiles else '-classes'}", [target], TRAINING_RATE).start()
        for _ in range(TRAINING_SECONDS // 5):
            time.sleep(5)
            with urllib.request.urlopen(f"http://{ready['ip']}:8080/metrics", timeout=5) as r:
                r.read()
        load.stop()
        trained = load.results()
        seen.update({"rate": TRAINING_RATE, "seconds": TRAINING_SECONDS, "requests": trained["requests"],
                     "failed": trained["failed"]})
        stopping = time.time()
        kube.run("delete", "pod", TRAINING_POD, "--wait=true", "--timeout=200s")
        seen["delete_to_gone_seconds"] = round(time.time() - stopping, 1)
    finally:
        if log:
            log.terminate()
        kube.run("delete", "pod", TRAINING_POD, "--ignore-not-found", "--wait=false", check=False)
        kube.run("delete", "configmap", TRAINING_POD, "--ignore-not-found", check=False)
    cache = os.path.join(folder, CACHE)
    if not os.path.isfile(cache) or os.path.getsize(cache) == 0:
        raise RuntimeError(f"the AOT training pod wrote no cache into {folder}: {os.listdir(folder)} (its log: {out})")
    seen["cache_bytes"] = os.path.getsize(cache)
    print(f"aot: a cache of {seen['cache_bytes'] / 2**20:.1f} MiB ({'with' if profiles else 'without'} method profiles), "
          f"the pod Ready after {seen['created_to_ready_seconds']} s, {seen['requests']} requests ({seen['failed']} failed), "
          f"gone {seen['delete_to_gone_seconds']} s after its delete", flush=True)
    return seen


def component(out, variant):
    """A Kustomize component that starts the converter's pods from the cache in the claim (read-only)."""
    d = os.path.join(out, f"component{variant}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "jvm.options"), "w") as f:
        f.write(_options([f"-XX:AOTCache=/aot/{CACHE}", "-XX:AOTMode=on"]))
    with open(os.path.join(d, "kustomization.yaml"), "w") as f:
        f.write(f"""apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
configMapGenerator:
  - name: jvm-options{variant}
    namespace: {NAMESPACE}
    files:
      - jvm.options
patches:
  - target:
      kind: Deployment
      name: {APP}
    patch: |-
      - op: add
        path: /spec/template/spec/volumes/-
        value: {{name: jvm-options, configMap: {{name: jvm-options{variant}}}}}
      - op: add
        path: /spec/template/spec/volumes/-
        value: {{name: aot, persistentVolumeClaim: {{claimName: {CLAIM}, readOnly: true}}}}
      - op: add
        path: /spec/template/spec/containers/0/volumeMounts/-
        value: {{name: jvm-options, mountPath: /etc/footprint/jvm.options, subPath: jvm.options, readOnly: true}}
      - op: add
        path: /spec/template/spec/containers/0/volumeMounts/-
        value: {{name: aot, mountPath: /aot, readOnly: true}}
""")
    return d


def remove(kube, folder):
    """The claim, its volume and the folder, once no pod uses them (the variant's pods are rolled back)."""
    kube.run("delete", "pvc", CLAIM, "--ignore-not-found", "--wait=true", "--timeout=120s", check=False)
    kube.run("delete", "pv", PV_NAME, "--ignore-not-found", "--wait=true", "--timeout=60s", namespace=None, check=False)
    shutil.rmtree(folder, ignore_errors=True)
