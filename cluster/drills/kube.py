"""kubectl, as the drills call it, and a sampler of the footprint namespace's state."""
import json
import subprocess
import threading
import time

NAMESPACE = "footprint"


class Kube:
    def __init__(self, kubectl: str, kubeconfig: str):
        self.base = [kubectl, "--kubeconfig", kubeconfig]

    def run(self, *args, input: str = None, check: bool = True, namespace: str = NAMESPACE) -> str:
        command = self.base + (["-n", namespace] if namespace else []) + list(args)
        done = subprocess.run(command, input=input, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)}: {done.stderr.strip() or done.stdout.strip()}")
        return done.stdout

    def json(self, *args, namespace: str = NAMESPACE):
        return json.loads(self.run("get", *args, "-o", "json", namespace=namespace))

    def pods(self, app: str) -> list:
        """The app's pods: name, IP, phase, ready, when Ready, restarts, deleting."""
        pods = []
        for p in self.json("pods", "-l", f"app.kubernetes.io/name={app}")["items"]:
            conditions = {c["type"]: c for c in p["status"].get("conditions", [])}
            statuses = p["status"].get("containerStatuses") or [{}]
            pods.append({"name": p["metadata"]["name"], "ip": p["status"].get("podIP"),
                         "ready": conditions.get("Ready", {}).get("status") == "True",
                         "ready_at": conditions.get("Ready", {}).get("lastTransitionTime"),
                         "created": p["metadata"]["creationTimestamp"],
                         "restarts": statuses[0].get("restartCount", 0),
                         "last_state": statuses[0].get("lastState", {}),
                         "deleting": "deletionTimestamp" in p["metadata"]})
        return pods

    def service_url(self, service: str) -> str:
        s = self.json(f"service/{service}")["spec"]
        return f"http://{s['clusterIP']}:{s['ports'][0]['port']}"

    def follow_logs(self, pod: str, path: str) -> subprocess.Popen:
        """`kubectl logs -f` of a pod into a file, until the pod is gone (or the caller stops it): the
        log of a pod that stops is the only record of its shutdown once it is deleted."""
        with open(path, "w") as sink:
            return subprocess.Popen(self.base + ["-n", NAMESPACE, "logs", "-f", pod], stdout=sink,
                                    stderr=subprocess.STDOUT)

    def wait_rollout(self, deployment: str, timeout: int = 300) -> None:
        self.run("rollout", "status", f"deployment/{deployment}", f"--timeout={timeout}s")


def poll(condition, bound, interval=1.0):
    """CONDITION's first truthy answer, asked every INTERVAL seconds for at most BOUND seconds, or None."""
    deadline = time.time() + bound
    while True:
        answer = condition()
        if answer or time.time() >= deadline:
            return answer or None
        time.sleep(interval)


def millicores(quantity):
    """A CPU quantity ("153m", "1", "1500u") in millicores, or None."""
    if quantity is None:
        return None
    q = str(quantity)
    for suffix, factor in (("n", 1e-6), ("u", 1e-3), ("m", 1.0)):
        if q.endswith(suffix):
            return round(float(q[:-1]) * factor, 1)
    return round(float(q) * 1000, 1)


class Sampler(threading.Thread):
    """Every INTERVAL seconds: the HPA's replicas, desired replicas and CPU average, the Deployment's
    ready replicas, and its pods (when each turned Ready)."""

    def __init__(self, kube: Kube, app: str, interval: float = 2.0):
        super().__init__(daemon=True)
        self.kube, self.app, self.interval = kube, app, interval
        self.samples, self.ready_seen = [], {}
        # Each pod's creation and its Ready condition's transition, as the API server stamped them.
        self.stamps = {}
        self._stopping = threading.Event()

    def run(self) -> None:
        while not self._stopping.is_set():
            t = time.time()
            try:
                self.samples.append(self.sample(t))
            except Exception as e:  # a slow API server must not end the drill; the gap shows in the chart
                self.samples.append({"t": t, "error": str(e)[:200]})
            self._stopping.wait(max(0.0, self.interval - (time.time() - t)))

    def sample(self, t: float) -> dict:
        hpa = self.kube.json(f"hpa/{self.app}")
        status = hpa.get("status", {})
        cpu = None
        for m in status.get("currentMetrics") or []:
            current = m.get("resource", {}).get("current", {})
            cpu = current.get("averageValue", cpu)
        pods = self.kube.pods(self.app)
        for p in pods:
            if p["ready"] and p["name"] not in self.ready_seen:
                self.ready_seen[p["name"]] = t
                self.stamps[p["name"]] = (p["created"], p["ready_at"])
        return {"t": t, "replicas": status.get("currentReplicas"), "desired": status.get("desiredReplicas"),
                "cpu_average": millicores(cpu), "ready": sum(1 for p in pods if p["ready"] and not p["deleting"]),
                "pods": len(pods)}

    def stop(self) -> list:
        self._stopping.set()
        self.join(timeout=10)
        return self.samples
