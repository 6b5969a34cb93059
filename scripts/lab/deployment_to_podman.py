#!/usr/bin/env python3
"""Turns a rendered Kubernetes Deployment into the `podman run` that reproduces its container:
the same image, CPU and memory limits, environment, user, read-only root filesystem, emptyDir and
ConfigMap volumes, and its probes (printed for the lab to call). Usage:

  deployment_to_podman.py RENDERED.yaml DEPLOYMENT HOST_PORT WORK_DIR [IMAGE_OVERRIDE]

Prints a JSON object: {"args": [...podman run arguments...], "probes": [...], "port": N}.
"""
import json
import os
import sys

import yaml

UNITS = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9}


def quantity_bytes(value):
    for suffix, factor in UNITS.items():
        if str(value).endswith(suffix):
            return int(float(str(value)[: -len(suffix)]) * factor)
    return int(value)


def quantity_cpus(value):
    value = str(value)
    return float(value[:-1]) / 1000 if value.endswith("m") else float(value)


def find(objects, kind, name):
    for obj in objects:
        if obj and obj.get("kind") == kind and obj["metadata"]["name"] == name:
            return obj
    sys.exit(f"no {kind} named {name} in the rendered manifests")


def env_value(entry, objects, pod_name):
    if "value" in entry:
        return entry["value"]
    source = entry.get("valueFrom", {})
    if "fieldRef" in source:
        field = source["fieldRef"]["fieldPath"]
        return {"metadata.name": pod_name, "metadata.namespace": "footprint"}.get(field, "")
    if "configMapKeyRef" in source:
        ref = source["configMapKeyRef"]
        return find(objects, "ConfigMap", ref["name"])["data"][ref["key"]]
    sys.exit(f"env {entry['name']}: unsupported source {source}")


def main():
    rendered, name, host_port, work_dir = sys.argv[1:5]
    image_override = sys.argv[5] if len(sys.argv) > 5 else None
    objects = list(yaml.safe_load_all(open(rendered)))
    deployment = find(objects, "Deployment", name)
    pod = deployment["spec"]["template"]["spec"]
    container = pod["containers"][0]
    pod_name = f"{name}-lab"
    args = ["--name", f"lab-{name}", "--hostname", pod_name]

    limits = container.get("resources", {}).get("limits", {})
    if "memory" in limits:
        # No swap: exceeding the limit is an OOM kill, as in Kubernetes.
        args += ["--memory", str(quantity_bytes(limits["memory"])), "--memory-swap", str(quantity_bytes(limits["memory"]))]
    if "cpu" in limits:
        args += ["--cpus", str(quantity_cpus(limits["cpu"]))]

    security = {**pod.get("securityContext", {}), **container.get("securityContext", {})}
    if "runAsUser" in security:
        args += ["--user", f"{security['runAsUser']}:{security.get('runAsGroup', security['runAsUser'])}"]
    if security.get("readOnlyRootFilesystem"):
        args.append("--read-only")
    if security.get("allowPrivilegeEscalation") is False:
        args += ["--security-opt", "no-new-privileges"]
    for cap in security.get("capabilities", {}).get("drop", []):
        args += ["--cap-drop", cap]

    for entry in container.get("env", []):
        args += ["--env", f"{entry['name']}={env_value(entry, objects, pod_name)}"]

    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    for mount in container.get("volumeMounts", []):
        volume = volumes[mount["name"]]
        if "emptyDir" in volume:
            size = volume["emptyDir"].get("sizeLimit", "64Mi")
            # Like an emptyDir: writable, executable (Netty loads its native library from /tmp).
            args += ["--tmpfs", f"{mount['mountPath']}:rw,exec,nosuid,nodev,size={quantity_bytes(size)}"]
        elif "configMap" in volume:
            data = find(objects, "ConfigMap", volume["configMap"]["name"])["data"]
            folder = os.path.join(work_dir, f"{name}-{mount['name']}")
            os.makedirs(folder, exist_ok=True)
            for key, content in data.items():
                with open(os.path.join(folder, key), "w") as out:
                    out.write(content)
            args += ["--volume", f"{folder}:{mount['mountPath']}:ro,z"]
        else:
            sys.exit(f"volume {mount['name']}: only emptyDir and configMap are reproduced")

    port = container["ports"][0]["containerPort"]
    args += ["--publish", f"127.0.0.1:{host_port}:{port}"]
    args.append(image_override or container["image"])

    probes = []
    for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
        probe = container.get(kind, {}).get("httpGet")
        if probe:
            named = {p.get("name"): p["containerPort"] for p in container["ports"]}
            probe_port = named.get(probe["port"], probe["port"])
            probes.append({"kind": kind, "path": probe["path"], "port": probe_port})
    print(json.dumps({"args": args, "probes": probes, "port": port, "memory_limit": quantity_bytes(limits.get("memory", 0)),
                      "preStopSleep": container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0),
                      "terminationGracePeriodSeconds": pod.get("terminationGracePeriodSeconds", 30)}))


if __name__ == "__main__":
    main()
