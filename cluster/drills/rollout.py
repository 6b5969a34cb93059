"""Drill 3: `kubectl rollout restart` of each Deployment under constant load through its Service.
Every request must be answered, and answered right: no failure, no reset."""
import os
import time

from load import Load

# The main endpoint of each service and what a right answer holds.
WORK = {
    "converter-vertx": ({"method": "POST", "path": "/convert", "body": '{"fahrenheit": 212}'}, '"celsius":100.0'),
    "price-service": ({"method": "GET", "path": "/prices/P124"}, '"price":49.5'),
    "model-serving": ({"method": "POST", "path": "/v1/models/model:predict", "body": '{"instances": [212.0]}'}, "100.0"),
}


def target(kube, service):
    request, _ = WORK[service]
    t = dict(request)
    t["url"] = kube.service_url(service) + t.pop("path")
    return t


def answer_is(service):
    expected = WORK[service][1]
    return lambda url, body: None if expected in body else f"expected {expected}"


def shutdown_lines(path):
    """What an old pod logged from its shutdown on: how long it drained, what it closed."""
    with open(path, errors="replace") as log:
        lines = log.read().splitlines()
    start = next((i for i, line in enumerate(lines) if "shutting down" in line), len(lines))
    return lines[start:][:20]


def run(kube, vegeta, out, rates, settle_seconds=5):
    results = []
    for service, rate in rates.items():
        before = {p["name"] for p in kube.pods(service)}
        log_paths = {pod: os.path.join(out, f"rollout-{pod}.log") for pod in before}
        followers = [kube.follow_logs(pod, path) for pod, path in log_paths.items()]
        load = Load(vegeta, out, f"rollout-{service}", [target(kube, service)], rate).start()
        time.sleep(settle_seconds)
        t0 = time.time()
        kube.run("rollout", "restart", f"deployment/{service}")
        kube.wait_rollout(service, timeout=300)
        rolled = time.time() - t0
        # Until the old pods are gone (preStop, drain, exit): their last requests count too.
        deadline = time.time() + 60
        while time.time() < deadline and any(p["name"] in before for p in kube.pods(service)):
            time.sleep(0.5)
        gone = time.time() - t0
        for follower in followers:
            follower.terminate()
            follower.wait()
        time.sleep(settle_seconds)
        load.stop()
        r = load.results(answer_is(service))
        r.update({"service": service, "rollout_seconds": round(rolled, 1), "old_pods_gone_seconds": round(gone, 1),
                  "restart_at": t0, "pods_before": sorted(before),
                  "shutdown_logs": {pod: shutdown_lines(path) for pod, path in log_paths.items()},
                  "pods_after": sorted(p["name"] for p in kube.pods(service))})
        results.append(r)
        print(f"rollout {service}: {r['requests']} requests at {rate}/s, {r['failed']} failed {r['failures']}, "
              f"p99 {r['p99_ms']} ms; rollout {rolled:.1f} s, old pods gone after {gone:.1f} s", flush=True)
    return results
