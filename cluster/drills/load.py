"""Constant-rate load through a Service with vegeta, and what it saw, second by second.

vegeta is a Go client: it honours `Connection: close` and never retries a POST on its own, so a
request the cluster loses shows up here as an error (a reset, a refused connection, a timeout) or a
status that is not 2xx."""
import base64
import csv
import io
import json
import os
import signal
import subprocess
import time


def classify(code: int, error: str) -> str:
    """A failed request's kind, from its status and vegeta's error text."""
    if not error:
        return f"http {code}"
    e = error.lower()
    for needle, kind in (("reset by peer", "reset"), ("connection refused", "refused"), ("timeout", "timeout"),
                         ("deadline exceeded", "timeout"), ("eof", "eof"), ("broken pipe", "broken pipe"),
                         ("no route to host", "no route")):
        if needle in e:
            return kind
    return error.split(":")[-1].strip() or "error"


class Load:
    """vegeta attack at RATE requests/s on TARGETS until stop() (or SECONDS), written to OUT/NAME.bin.
    At most MAX_WORKERS requests in flight, so at most that many connections: under the services'
    MAX_CONNECTIONS (744 for the converter's 24 MiB heap), past which the guard closes idle ones."""

    def __init__(self, vegeta: str, out: str, name: str, targets: list, rate: int, seconds: int = 900,
                 timeout_seconds: int = 5, workers: int = 10, max_workers: int = 600):
        self.vegeta, self.name, self.rate = vegeta, name, rate
        self.bin = os.path.join(out, f"{name}.bin")
        self.targets_file = os.path.join(out, f"{name}.targets")
        with open(self.targets_file, "w") as f:
            for t in targets:
                line = {"method": t.get("method", "GET"), "url": t["url"]}
                if "body" in t:
                    line["body"] = base64.b64encode(t["body"].encode()).decode()
                    line["header"] = {"Content-Type": ["application/json"]}
                f.write(json.dumps(line) + "\n")
        self.args = [vegeta, "attack", "-format=json", f"-targets={self.targets_file}", f"-rate={rate}/s",
                     f"-duration={seconds}s", f"-timeout={timeout_seconds}s", f"-workers={workers}",
                     f"-max-workers={max_workers}", f"-output={self.bin}"]
        self.process = None
        self.started = self.stopped = None

    def start(self) -> "Load":
        self.process = subprocess.Popen(self.args, stderr=subprocess.PIPE)
        self.started = time.time()
        return self

    def stop(self) -> None:
        """Ends the attack: vegeta finishes the requests in flight and closes its output."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.stopped = time.time()

    def results(self, answer_check=None) -> dict:
        """Per-second buckets (sent, ok, failed, p50/p99 ms, answers per pod), failures by kind, and the
        answers answer_check(url, body) refused (a wrong body with a 2xx is a failure too)."""
        encoded = subprocess.run([self.vegeta, "encode", "-to=csv", self.bin], capture_output=True, check=True).stdout
        seconds, kinds, wrong, total, ok = {}, {}, [], 0, 0
        latencies_all = []
        for row in csv.reader(io.StringIO(encoded.decode("utf-8", "replace"))):
            ts_ns, code, latency_ns, error, body_b64, url, headers_b64 = int(row[0]), int(row[1]), int(row[2]), row[5], row[6], row[10], row[11]
            second = int(ts_ns // 1_000_000_000)
            s = seconds.setdefault(second, {"sent": 0, "ok": 0, "failed": 0, "latencies": [], "pods": {}, "pod_latencies": {}})
            s["sent"] += 1
            total += 1
            latency_ms = latency_ns / 1e6
            s["latencies"].append(latency_ms)
            latencies_all.append(latency_ms)
            failure = None
            if error or not 200 <= code < 300:
                failure = classify(code, error)
            elif answer_check is not None:
                body = base64.b64decode(body_b64).decode("utf-8", "replace")
                problem = answer_check(url, body)
                if problem:
                    failure = "wrong answer"
                    if len(wrong) < 20:
                        wrong.append({"url": url, "body": body[:200], "problem": problem})
            if failure:
                s["failed"] += 1
                kinds[failure] = kinds.get(failure, 0) + 1
                if len(kinds.setdefault("_examples", {})) < 10 and error:
                    kinds["_examples"].setdefault(failure, error[:200])
            else:
                s["ok"] += 1
                ok += 1
                pod = pod_of(headers_b64)
                if pod:
                    s["pods"][pod] = s["pods"].get(pod, 0) + 1
                    s["pod_latencies"].setdefault(pod, []).append(latency_ms)
        examples = kinds.pop("_examples", {})
        series = []
        for second in sorted(seconds):
            s = seconds.pop(second)
            lat = sorted(s.pop("latencies"))
            s["t"] = second
            s["p50_ms"] = round(lat[len(lat) // 2], 2)
            s["p99_ms"] = percentile(lat, 0.99)
            s["pods_p99_ms"] = {pod: percentile(sorted(ms), 0.99) for pod, ms in s.pop("pod_latencies").items()}
            series.append(s)
        latencies_all.sort()
        return {"name": self.name, "rate": self.rate, "requests": total, "ok": ok, "failed": total - ok,
                "failures": kinds, "failure_examples": examples, "wrong_answers": wrong,
                "p99_ms": round(latencies_all[int(len(latencies_all) * 0.99)], 2) if latencies_all else None,
                "p50_ms": round(latencies_all[len(latencies_all) // 2], 2) if latencies_all else None,
                "seconds": series}


def percentile(ordered: list, q: float) -> float:
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * q))], 2)


def pod_of(headers_b64: str) -> str:
    """The X-Pod-Name header the services add to every answer (POD_NAME from the downward API)."""
    if not headers_b64:
        return ""
    for line in base64.b64decode(headers_b64).decode("latin-1").split("\r\n"):
        if line.lower().startswith("x-pod-name:"):
            return line.split(":", 1)[1].strip()
    return ""
