"""Broken copies of the converter's Deployment, for the cluster's negative checks.

    python3 negative.py RENDERED.yaml OUT_DIR

RENDERED.yaml is the minikube overlay as kubectl kustomize renders it. Writes (as JSON):
  root-pod.json     a Pod of the converter's template running as root, in namespace footprint (restricted);
  namespace.json    footprint-negative, with the same Pod Security labels as footprint;
  wrong-probe.json  the Deployment with its readiness probe on port 8089, where nothing listens;
  oom.json          the Deployment with a memory limit of 32Mi, under the JVM's footprint.
"""
import copy
import json
import os
import sys

import yaml

items = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
out = sys.argv[2]
os.makedirs(out, exist_ok=True)
deployment = next(i for i in items if i["kind"] == "Deployment" and i["metadata"]["name"] == "converter-vertx")
namespace = next(i for i in items if i["kind"] == "Namespace")


def write(name, obj):
    with open(os.path.join(out, name), "w") as f:
        json.dump(obj, f, indent=1)


template = deployment["spec"]["template"]
root = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "runs-as-root", "namespace": "footprint", "labels": {"app.kubernetes.io/name": "runs-as-root"}},
    "spec": copy.deepcopy(template["spec"]),
}
root["spec"]["securityContext"].update({"runAsUser": 0, "runAsGroup": 0, "runAsNonRoot": False})
root["spec"]["containers"][0]["securityContext"]["runAsNonRoot"] = False
write("root-pod.json", root)

ns = copy.deepcopy(namespace)
ns["metadata"] = {"name": "footprint-negative", "labels": dict(namespace["metadata"]["labels"])}
write("namespace.json", ns)


def broken(name, change):
    d = copy.deepcopy(deployment)
    d["metadata"] = {"name": name, "namespace": "footprint-negative", "labels": {"app.kubernetes.io/name": name}}
    d["spec"]["selector"] = {"matchLabels": {"app.kubernetes.io/name": name}}
    d["spec"]["template"]["metadata"]["labels"] = {"app.kubernetes.io/name": name}
    d["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] = 1
    d["spec"]["template"]["spec"]["containers"][0].pop("lifecycle", None)
    change(d["spec"]["template"]["spec"]["containers"][0])
    return d


def wrong_probe(c):
    c["readinessProbe"]["httpGet"]["port"] = 8089


def small_memory(c):
    c["resources"]["limits"]["memory"] = "32Mi"
    c["resources"]["requests"]["memory"] = "32Mi"


write("wrong-probe.json", broken("broken-probe", wrong_probe))
write("oom.json", broken("broken-memory", small_memory))
