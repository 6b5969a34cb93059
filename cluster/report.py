"""The cluster run's report: target/cluster/report.json and a self-contained report.html (inline SVG,
no script, no network).

    python3 report.py OUT_DIR KUBERNETES_VERSION

Reads what scripts/cluster.sh left in OUT_DIR/raw: pods.json (kubectl get pods -o json), pod-metrics.json
(metrics.k8s.io), answers.tsv, cgroups.tsv, hpa.json, renderings.tsv, negative-*.txt, and timings.txt.
"""
import datetime
import html
import json
import os
import sys

out, k8s_version = sys.argv[1], sys.argv[2]
raw = os.path.join(out, "raw")


def read(name, default=""):
    path = os.path.join(raw, name)
    return open(path).read() if os.path.exists(path) else default


def ts(value):
    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def quantity(q):
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "k": 1e3, "M": 1e6, "G": 1e9}
    for unit, factor in units.items():
        if q.endswith(unit):
            return float(q[: -len(unit)]) * factor
    return float(q)


def cpu(q):
    if q.endswith("n"):
        return float(q[:-1]) / 1e9
    if q.endswith("u"):
        return float(q[:-1]) / 1e6
    if q.endswith("m"):
        return float(q[:-1]) / 1e3
    return float(q)


pods_json = json.loads(read("pods.json", '{"items": []}'))
usage = {m["metadata"]["name"]: m for m in json.loads(read("pod-metrics.json", '{"items": []}'))["items"]}
cgroups = {}
for line in read("cgroups.tsv").splitlines():
    pod, container, memory, quota, period, shares = line.split("\t")
    cgroups[pod] = {"memory_limit_in_bytes": int(memory), "cpu_cfs_quota_us": int(quota), "cpu_cfs_period_us": int(period), "cpu_shares": int(shares)}

pods = []
for pod in pods_json["items"]:
    name = pod["metadata"]["name"]
    conditions = {c["type"]: ts(c.get("lastTransitionTime")) for c in pod["status"].get("conditions", [])}
    created = ts(pod["metadata"]["creationTimestamp"])
    status = pod["status"]["containerStatuses"][0]
    started = ts(status.get("state", {}).get("running", {}).get("startedAt"))
    container = pod["spec"]["containers"][0]
    m = usage.get(name, {}).get("containers", [{}])[0].get("usage", {})
    limit = quantity(container["resources"]["limits"]["memory"])
    working_set = quantity(m["memory"]) if "memory" in m else None
    pods.append({
        "pod": name,
        "service": pod["metadata"]["labels"].get("app.kubernetes.io/name"),
        "node": pod["spec"].get("nodeName"),
        "pod_ip": pod["status"].get("podIP"),
        "qos_class": pod["status"].get("qosClass"),
        "image": status["image"],
        "created": pod["metadata"]["creationTimestamp"],
        "scheduled_s": (conditions["PodScheduled"] - created).total_seconds() if conditions.get("PodScheduled") else None,
        "container_started_s": (started - created).total_seconds() if started else None,
        "ready_s": (conditions["Ready"] - created).total_seconds() if conditions.get("Ready") else None,
        "restarts": status["restartCount"],
        "ready": status["ready"],
        "memory_limit_bytes": limit,
        "memory_request_bytes": quantity(container["resources"]["requests"]["memory"]),
        "cpu_limit": container["resources"]["limits"]["cpu"],
        "cpu_request": container["resources"]["requests"]["cpu"],
        "memory_working_set_bytes": working_set,
        "memory_working_set_of_limit": working_set / limit if working_set else None,
        "cpu_usage_cores": cpu(m["cpu"]) if "cpu" in m else None,
        "cgroup": cgroups.get(name),
    })

answers = []
for line in read("answers.tsv").splitlines():
    service, via, url, body = line.split("\t", 3)
    answers.append({"service": service, "via": via, "url": url, "answer": body})

timings = []
for line in read("../timings.txt").splitlines():
    name, seconds = line.rsplit(" ", 1)
    timings.append({"phase": name, "seconds": float(seconds)})

renderings = []
for line in read("renderings.tsv").splitlines():
    rendering, objects, skipped = (line.split("\t") + ["", ""])[:3]
    renderings.append({"rendering": rendering, "objects_accepted": int(objects), "not_checked": [s for s in skipped.split(",") if s]})

hpas = []
for h in json.loads(read("hpa.json", '{"items": []}'))["items"]:
    current = h["status"].get("currentMetrics") or [{}]
    hpas.append({
        "hpa": h["metadata"]["name"], "min": h["spec"].get("minReplicas"), "max": h["spec"]["maxReplicas"],
        "replicas": h["status"].get("currentReplicas"),
        "cpu_average": current[0].get("resource", {}).get("current", {}).get("averageValue"),
        "cpu_target": (h["spec"].get("metrics") or [{}])[0].get("resource", {}).get("target", {}).get("averageValue"),
    })

report = {
    "generated": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "kubernetes": json.loads(read("version.json", "{}")).get("gitVersion", k8s_version),
    "overlay": "kustomize/overlays/minikube",
    "pods": pods,
    "answers": answers,
    "hpas": hpas,
    "negative": {
        "root_pod": read("negative-root.txt").strip(),
        "wrong_readiness_port": read("negative-probe.txt").strip(),
        "memory_under_jvm": read("negative-oom.txt").strip(),
    },
    "renderings": renderings,
    "timings": timings,
}
json.dump(report, open(os.path.join(out, "report.json"), "w"), indent=2)

# ---- HTML --------------------------------------------------------------------------------------------
MIB = 2**20
e = html.escape


def bars(rows, width=640, bar=22, gap=8, label_w=190, unit="", scale=None):
    """rows: (label, [(value, colour, title)], annotation). Stacked horizontal bars."""
    scale = scale or max([sum(v for v, _, _ in parts) for _, parts, _ in rows] + [1])
    h = len(rows) * (bar + gap) + 24
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width + label_w + 280}" height="{h}" role="img">']
    for i, (label, parts, note) in enumerate(rows):
        y = i * (bar + gap) + 4
        svg.append(f'<text x="{label_w - 8}" y="{y + bar * 0.7}" text-anchor="end" font-size="13">{e(label)}</text>')
        x = label_w
        for value, colour, title in parts:
            w = max(value / scale * width, 0)
            svg.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" fill="{colour}"><title>{e(title)}</title></rect>')
            x += w
        svg.append(f'<text x="{x + 6:.1f}" y="{y + bar * 0.7}" font-size="12" fill="#333">{e(note)}</text>')
    svg.append("</svg>")
    return "".join(svg)


start_rows = []
for p in pods:
    parts, prev = [], 0.0
    for key, colour, what in (("scheduled_s", "#9ecae1", "created → scheduled"), ("container_started_s", "#4292c6", "scheduled → container started (pull, sandbox, start)"),
                              ("ready_s", "#08519c", "container started → Ready (JVM start, startup and readiness probes)")):
        if p[key] is not None:
            parts.append((p[key] - prev, colour, f"{what}: {p[key] - prev:.0f} s"))
            prev = p[key]
    start_rows.append((p["pod"].rsplit("-", 2)[0], parts, f"{p['ready_s']:.0f} s to Ready, {p['restarts']} restarts" if p["ready_s"] is not None else "not Ready"))

memory_rows = []
scale = max([p["memory_limit_bytes"] for p in pods] + [1])
for p in pods:
    ws = p["memory_working_set_bytes"] or 0
    memory_rows.append((p["pod"].rsplit("-", 2)[0], [(ws, "#31a354", f"working set {ws / MIB:.1f} MiB"), (p["memory_limit_bytes"] - ws, "#e5f5e0", f"limit {p['memory_limit_bytes'] / MIB:.0f} MiB")],
                        f"{ws / MIB:.1f} of {p['memory_limit_bytes'] / MIB:.0f} MiB ({(p['memory_working_set_of_limit'] or 0) * 100:.0f} %)"))

timing_rows = [(t["phase"], [(t["seconds"], "#756bb1", f"{t['seconds']:.1f} s")], f"{t['seconds']:.1f} s") for t in timings]


def table(rows, headers):
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>footprint: the minikube overlay on a real cluster</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 13px; }}
th, td {{ border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }} code, pre {{ font-size: 12px; }} pre {{ white-space: pre-wrap; background: #f7f7f7; padding: 6px; }}
</style></head><body>
<h1>kubectl apply -k kustomize/overlays/minikube, on a real cluster</h1>
<p>Kubernetes {e(report['kubernetes'])}, one node ({e(pods[0]['node'] if pods else '?')}), containerd with runc, cgroup v1 (cgroupfs), generated {e(report['generated'])}.
Every pod ran under the namespace's <code>restricted</code> Pod Security enforcement. Figures from one run on a shared 2-core machine: start times are not benchmarks.</p>
<h2>Each pod, from creation to Ready</h2>
{bars(start_rows, unit="s")}
<p>Light: created → scheduled; middle: → container started (image pull from the local registry, sandbox, start); dark: → Ready (the kubelet's startup and readiness probes). Kubernetes' timestamps are whole seconds.</p>
<h2>Memory working set (metrics-server) against the limit</h2>
{bars(memory_rows, scale=scale)}
{table([(p['pod'], p['qos_class'], f"{(p['memory_working_set_bytes'] or 0) / MIB:.1f}", f"{p['memory_limit_bytes'] / MIB:.0f}",
         p['cgroup']['memory_limit_in_bytes'] if p['cgroup'] else '?', f"{p['cpu_usage_cores'] or 0:.3f}", p['cpu_limit'],
         f"{p['cgroup']['cpu_cfs_quota_us']}/{p['cgroup']['cpu_cfs_period_us']}" if p['cgroup'] else '?', p['restarts']) for p in pods],
        ["pod", "QoS", "working set MiB", "limit MiB", "cgroup memory.limit_in_bytes", "CPU cores used", "CPU limit", "cgroup cfs quota/period", "restarts"])}
<h2>Answers through the Services</h2>
{table([(a['service'], a['via'], a['url'], a['answer']) for a in answers], ["service", "via", "URL", "answer"])}
<h2>HorizontalPodAutoscalers (metrics through the aggregator)</h2>
{table([(h['hpa'], h['min'], h['max'], h['replicas'], h['cpu_average'], h['cpu_target']) for h in hpas], ["HPA", "min", "max", "replicas", "CPU average per pod", "target"])}
<h2>Broken manifests, refused by the cluster</h2>
<p>A pod running as root (the API server, Pod Security admission):</p><pre>{e(report['negative']['root_pod'])}</pre>
<p>A readiness probe on a port nothing listens on (the kubelet):</p><pre>{e(report['negative']['wrong_readiness_port'])}</pre>
<p>A memory limit of 32Mi, under the JVM's footprint (the kubelet):</p><pre>{e(report['negative']['memory_under_jvm'])}</pre>
<h2>Every other rendering, accepted by the API server (server-side dry run)</h2>
{table([(r['rendering'], r['objects_accepted'], ', '.join(r['not_checked']) or '') for r in renderings], ["rendering", "objects accepted", "not checked (no CRD to be had)"])}
<h2>Time of each part of the run</h2>
{bars(timing_rows)}
</body></html>
"""
open(os.path.join(out, "report.html"), "w").write(page)
print(f"report: {os.path.join(out, 'report.json')}, {os.path.join(out, 'report.html')}")
for p in pods:
    ws = p["memory_working_set_bytes"]
    print(f"  {p['pod']:40} Ready after {p['ready_s']} s, {p['restarts']} restarts, working set "
          f"{(ws or 0) / MIB:.1f} MiB of {p['memory_limit_bytes'] / MIB:.0f} MiB")
