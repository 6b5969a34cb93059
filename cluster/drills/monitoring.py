"""Drill 7: the monitoring the project ships, working. A real Prometheus (Debian's) scrapes the pods
as the monitoring component's ServiceMonitor selects them (a scrape configuration generated from it
as the Prometheus Operator would: its jobs, and the targets its relabelling keeps), the kubelet's
cAdvisor as kube-prometheus does, and the kube-state-metrics series the dashboard reads; every panel
query of the shipped Grafana dashboard is then evaluated against it over the autoscale drill's window.

Debian's Prometheus 2.42 is built without Kubernetes service discovery: the ServiceMonitor's targets
reach it by HTTP discovery from servicemonitor_targets. kube-state-metrics cannot be had here (the Go
module proxy answers 403 for every version of k8s.io/kube-state-metrics/v2): KubeState serves the
three series the dashboard reads, with its names and labels, from the API server; the report says
which panels it feeds."""
import http.server
import json
import os
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request

import yaml

from kube import NAMESPACE

# Grafana's $__rate_interval with a 15 s scrape interval: four intervals.
RATE_INTERVAL = "1m"
STEP_SECONDS = 15


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client_certificate(kubeconfig: str) -> dict:
    """The kubeconfig user's certificate and key, which the kubelet's webhook authorisation admits."""
    user = yaml.safe_load(open(kubeconfig))["users"][0]["user"]
    return {"cert_file": user["client-certificate"], "key_file": user["client-key"]}


def servicemonitor_jobs(servicemonitor: dict, discovery_url: str) -> list:
    """The scrape jobs the Prometheus Operator generates for a ServiceMonitor, one per endpoint, with
    its interval, timeout, path, scheme and honorLabels; the targets come from discovery_url
    (KubeState's servicemonitor_targets: Debian's Prometheus is built without Kubernetes discovery)."""
    name = servicemonitor["metadata"]["name"]
    jobs = []
    for i, endpoint in enumerate(servicemonitor["spec"]["endpoints"]):
        jobs.append({
            "job_name": f"serviceMonitor/{NAMESPACE}/{name}/{i}",
            "honor_labels": bool(endpoint.get("honorLabels", False)),
            "scrape_interval": endpoint.get("interval", "30s"),
            "scrape_timeout": endpoint.get("scrapeTimeout", "10s"),
            "metrics_path": endpoint.get("path", "/metrics"),
            "scheme": endpoint.get("scheme", "http"),
            "http_sd_configs": [{"url": f"{discovery_url}/{i}", "refresh_interval": "5s"}],
        })
    return jobs


def servicemonitor_targets(kube, servicemonitor: dict, index: int) -> list:
    """What the operator's relabelling keeps of the namespace's Endpoints for endpoint INDEX: the
    addresses of Services whose labels match the selector, on the port of that name; labelled
    namespace, service, pod, endpoint and job as the operator labels them."""
    spec = servicemonitor["spec"]
    port_name = spec["endpoints"][index]["port"]
    selector = ",".join(f"{k}={v}" for k, v in spec["selector"]["matchLabels"].items())
    services = {s["metadata"]["name"] for s in json.loads(kube.run("get", "services", "-l", selector, "-o", "json"))["items"]}
    groups = []
    for endpoints in json.loads(kube.run("get", "endpoints", "-o", "json"))["items"]:
        service = endpoints["metadata"]["name"]
        if service not in services:
            continue
        for subset in endpoints.get("subsets", []):
            for port in subset.get("ports", []):
                if port.get("name") != port_name:
                    continue
                for address in subset.get("addresses", []):
                    ref = address.get("targetRef", {})
                    groups.append({"targets": [f"{address['ip']}:{port['port']}"],
                                   "labels": {"namespace": NAMESPACE, "service": service, "job": service,
                                              "endpoint": port_name,
                                              "pod": ref.get("name", "") if ref.get("kind") == "Pod" else ""}})
    return groups


def prometheus_config(servicemonitor: dict, certificate: dict, kubelet: str, kube_state: str) -> dict:
    """kube_state: KubeState's address, which serves the kube-state series and the ServiceMonitor's targets."""
    tls = {**certificate,
           # kube-prometheus scrapes the kubelet with insecureSkipVerify too: its serving certificate
           # names the node, not the address.
           "insecure_skip_verify": True}
    return {"global": {"scrape_interval": "15s", "evaluation_interval": "15s"},
            "scrape_configs": servicemonitor_jobs(servicemonitor, f"http://{kube_state}/targets") + [
                {"job_name": "kubelet", "scheme": "https", "metrics_path": "/metrics/cadvisor", "honor_labels": True,
                 "tls_config": tls, "static_configs": [{"targets": [kubelet]}]},
                {"job_name": "kube-state-metrics", "honor_labels": True, "static_configs": [{"targets": [kube_state]}]},
            ]}


class KubeState(threading.Thread):
    """kube-state-metrics' kube_deployment_status_replicas_available,
    kube_horizontalpodautoscaler_status_desired_replicas and kube_pod_container_resource_limits, read
    from the API server at each scrape."""

    def __init__(self, kube, port: int, servicemonitor: dict):
        super().__init__(daemon=True)
        kube_ = kube

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.startswith("/targets/"):
                    body = json.dumps(servicemonitor_targets(kube_, servicemonitor, int(self.path.rsplit("/", 1)[1]))).encode()
                    kind = "application/json"
                else:
                    body = render(kube_).encode()
                    kind = "text/plain; version=0.0.4"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)

    def run(self):
        self.server.serve_forever()

    def stop(self):
        self.server.shutdown()


def render(kube) -> str:
    items = json.loads(kube.run("get", "deployments,hpa,pods", "-o", "json"))["items"]
    lines = []
    for item in items:
        meta, kind = item["metadata"], item["kind"]
        if kind == "Deployment":
            lines.append(f'kube_deployment_status_replicas_available{{namespace="{meta["namespace"]}",deployment="{meta["name"]}"}} '
                         f'{item["status"].get("availableReplicas", 0)}')
        elif kind == "HorizontalPodAutoscaler":
            lines.append(f'kube_horizontalpodautoscaler_status_desired_replicas{{namespace="{meta["namespace"]}",'
                         f'horizontalpodautoscaler="{meta["name"]}"}} {item["status"].get("desiredReplicas", 0)}')
        elif kind == "Pod" and item["status"].get("phase") in ("Pending", "Running"):
            for c in item["spec"]["containers"]:
                cpu = c.get("resources", {}).get("limits", {}).get("cpu")
                if cpu is not None:
                    lines.append(f'kube_pod_container_resource_limits{{namespace="{meta["namespace"]}",pod="{meta["name"]}",'
                                 f'uid="{meta["uid"]}",container="{c["name"]}",node="{item["spec"].get("nodeName", "")}",'
                                 f'resource="cpu",unit="core"}} {cores(cpu)}')
    return "\n".join(lines) + "\n"


def cores(quantity: str) -> float:
    return float(quantity[:-1]) / 1000 if quantity.endswith("m") else float(quantity)


def panel_queries(dashboard: dict) -> list:
    """(panel title, legend, PromQL) of every target, with the dashboard's variables as Grafana sets them."""
    queries = []
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            expr = target["expr"].replace("$namespace", NAMESPACE).replace("$__rate_interval", RATE_INTERVAL)
            queries.append((panel.get("title", ""), target.get("legendFormat", ""), expr))
    return queries


class Monitoring:
    def __init__(self, kube, prometheus: str, kubeconfig: str, servicemonitor: str, dashboard: str, out: str):
        self.kube, self.prometheus, self.out = kube, prometheus, out
        self.servicemonitor = yaml.safe_load(open(servicemonitor))
        self.dashboard = json.load(open(dashboard))
        self.certificate = client_certificate(kubeconfig)
        self.process = None
        self.kube_state = None
        self.url = None

    def start(self) -> "Monitoring":
        state_port, web_port = free_port(), free_port()
        self.kube_state = KubeState(self.kube, state_port, self.servicemonitor)
        self.kube_state.start()
        work = os.path.join(self.out, "prometheus")
        os.makedirs(work, exist_ok=True)
        config = os.path.join(work, "prometheus.yml")
        with open(config, "w") as f:
            yaml.safe_dump(prometheus_config(self.servicemonitor, self.certificate, "127.0.0.1:10250",
                                             f"127.0.0.1:{state_port}"), f, sort_keys=False)
        self.url = f"http://127.0.0.1:{web_port}"
        self.log = open(os.path.join(work, "prometheus.log"), "w")
        self.process = subprocess.Popen([self.prometheus, f"--config.file={config}", f"--storage.tsdb.path={work}/data",
                                         f"--web.listen-address=127.0.0.1:{web_port}"], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/-/ready", timeout=2)
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
        raise RuntimeError(f"Prometheus did not become ready (its log: {work}/prometheus.log)")

    def api(self, path: str, **params) -> dict:
        with urllib.request.urlopen(f"{self.url}/api/v1/{path}?{urllib.parse.urlencode(params)}", timeout=30) as r:
            return json.load(r)

    def targets(self) -> list:
        return [{"job": t["labels"].get("job"), "pod": t["labels"].get("pod"), "health": t["health"],
                 "error": t.get("lastError", "")} for t in self.api("targets")["data"]["activeTargets"]]

    def evaluate(self, start: float, end: float) -> dict:
        """Every panel query over [start, end]: its series (name and points) or its error."""
        panels = {}
        for title, legend, expr in panel_queries(self.dashboard):
            entry = {"legend": legend, "expr": expr, "series": [], "error": None}
            try:
                answer = self.api("query_range", query=expr, start=start, end=end, step=STEP_SECONDS)
                for s in answer["data"]["result"]:
                    points = [(float(t), float(v)) for t, v in s["values"] if v not in ("NaN", "+Inf", "-Inf")]
                    if points:
                        entry["series"].append({"name": ",".join(f"{k}={v}" for k, v in s["metric"].items()), "points": points})
            except urllib.error.HTTPError as e:
                entry["error"] = json.load(e).get("error", str(e))
            except OSError as e:
                entry["error"] = str(e)
            panels.setdefault(title, []).append(entry)
        return panels

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.log.close()
        if self.kube_state:
            self.kube_state.stop()


def run(monitoring: Monitoring, window: tuple) -> dict:
    """The dashboard over the window; a panel is empty when none of its queries returned a point."""
    targets = monitoring.targets()
    panels = monitoring.evaluate(*window)
    empty = [title for title, entries in panels.items() if not any(e["series"] for e in entries)]
    # A query may find nothing only where it selects what did not happen: answers with an error code.
    silent = [e["expr"] for entries in panels.values() for e in entries if not e["series"] and 'code=~' not in e["expr"]]
    errors = [f"{title}: {e['expr']}: {e['error']}" for title, entries in panels.items() for e in entries if e["error"]]
    fed_by_stand_in = [title for title, entries in panels.items() if any("kube_" in e["expr"] for e in entries)]
    result = {"window": list(window), "targets": targets, "panels": panels, "empty_panels": empty, "silent_queries": silent, "query_errors": errors,
              "panels_fed_by_the_kube_state_stand_in": fed_by_stand_in}
    print(f"monitoring: {len(targets)} targets ({sum(t['health'] == 'up' for t in targets)} up), {len(panels)} panels, "
          f"empty {empty}, queries without data {silent}, errors {errors}", flush=True)
    return result
