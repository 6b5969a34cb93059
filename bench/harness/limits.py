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


def deployment_limits(service):
    """(cpus, memory bytes) of the service's container limits."""
    with open(os.path.join(ROOT, "k8s", service, "deployment.yaml")) as f:
        deployment = yaml.safe_load(f)
    limits = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]
    return quantity_cpus(limits["cpu"]), quantity_bytes(limits["memory"])
