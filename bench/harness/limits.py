"""The CPU and memory limits a service's Kubernetes Deployment declares, read from k8s/<service>/,
so the harnesses run each process under the limits its pod would have."""
import os

import yaml

from .targets import ROOT

UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def quantity_bytes(text):
    text = str(text)
    for suffix, factor in UNITS.items():
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)]) * factor)
    return int(text)


def quantity_cpus(text):
    text = str(text)
    return float(text[:-1]) / 1000 if text.endswith("m") else float(text)


def _container(service):
    with open(os.path.join(ROOT, "k8s", service, "deployment.yaml")) as f:
        return yaml.safe_load(f)["spec"]["template"]["spec"]["containers"][0]


def deployment_limits(service):
    """(cpus, memory bytes) of the service's container limits."""
    limits = _container(service)["resources"]["limits"]
    return quantity_cpus(limits["cpu"]), quantity_bytes(limits["memory"])


def deployment_env(service, name):
    """The value the service's Deployment gives the environment variable `name`, or None."""
    return next((str(e["value"]) for e in _container(service).get("env", []) if e["name"] == name and "value" in e), None)
