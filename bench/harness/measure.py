"""Measuring one server process: start it pinned to a core, wait for ready, drive it with wrk
(saturation) or vegeta (a fixed arrival rate) from the other core, and read its resident memory and
CPU time from /proc. Standard library only, so it runs on a fresh machine."""
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Request:
    method: str
    path: str
    body: Optional[str] = None
    headers: Dict[str, str] = field(default_factory=dict)


@dataclass
class Target:
    name: str
    command: List[str]
    request: Request
    check: Callable[[int, str], Optional[str]]  # (status, body) -> None if right, else what is wrong
    env: Dict[str, str] = field(default_factory=dict)
    ready_path: str = "/health/ready"
    cwd: Optional[str] = None
    kind: str = "service"  # service or peer
    limits_from: Optional[str] = None  # the service whose Deployment limits this target runs under


def free_port():
    """A port nobody listens on now: every run gets its own, so nothing else can answer for it."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A target's process, pinned to `cpu`, on a free port, with its output in a log file."""

    def __init__(self, target: Target, cpu: str, log_dir: str, cgroup=None, extra_env=None, extra_args=()):
        """`cgroup` (a cgroups.Cgroup) applies real limits; `extra_args` go right after the command's
        first word (the JVM flags of an experiment)."""
        self.target = target
        self.cgroup = cgroup
        self.port = free_port()
        self.log_path = os.path.join(log_dir, f"{target.name}.log")
        env = {**os.environ, **target.env, **(extra_env or {}), "HTTP_PORT": str(self.port)}
        command = [arg.replace("{port}", str(self.port)) for arg in [target.command[0], *extra_args, *target.command[1:]]]
        self.log = open(self.log_path, "w")
        self.started = time.monotonic()
        self.process = subprocess.Popen(["taskset", "-c", cpu, *command], env=env, cwd=target.cwd,
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
                                        preexec_fn=cgroup.join if cgroup else None)
        self.ready_ms = None

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_ready(self, timeout=180.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.target.name} exited with {self.process.returncode}: see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url(self.target.ready_path), timeout=1) as response:
                    if response.status == 200:
                        self.ready_ms = round((time.monotonic() - self.started) * 1000)
                        return self.ready_ms
            except OSError:
                pass
            time.sleep(0.005)
        raise RuntimeError(f"{self.target.name} not ready after {timeout} s: see {self.log_path}")

    def call(self):
        """One request as the load sends it; returns (status, body)."""
        request = self.target.request
        data = request.body.encode() if request.body is not None else None
        req = urllib.request.Request(self.url(request.path), data=data, method=request.method, headers=request.headers)
        try:
            with urllib.request.urlopen(req, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def verify(self):
        status, body = self.call()
        problem = self.target.check(status, body)
        if problem:
            raise RuntimeError(f"{self.target.name} answered wrongly ({status} {body[:200]}): {problem}")

    def rss_kib(self, field_name="VmRSS"):
        """Resident memory of the server (the process itself, or the largest of its children for launchers)."""
        values = []
        for pid in self._pids():
            try:
                with open(f"/proc/{pid}/status") as status:
                    for line in status:
                        if line.startswith(field_name + ":"):
                            values.append(int(line.split()[1]))
            except OSError:
                continue
        return sum(values)

    def cpu_seconds(self):
        return sum(self.cpu_times())

    def cpu_times(self):
        """(user, kernel) CPU seconds of the server so far, every thread included."""
        user = kernel = 0
        for pid in self._pids():
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                user, kernel = user + int(fields[11]), kernel + int(fields[12])  # utime, stime
            except OSError:
                continue
        return user / CLOCK_TICKS, kernel / CLOCK_TICKS

    def settle(self, quiet_share=0.05, window=0.5, limit=10.0):
        """Waits (at most `limit` s) until the server uses under `quiet_share` of a core over `window`
        s: a JVM goes on compiling for a while after it is ready or warmed up, on the core the next
        target starts or runs on."""
        deadline = time.monotonic() + limit
        before = self.cpu_seconds()
        while time.monotonic() < deadline:
            time.sleep(window)
            now = self.cpu_seconds()
            if now - before < quiet_share * window:
                return True
            before = now
        return False

    def _pids(self):
        """The process and its descendants (taskset execs in place; uvicorn may fork)."""
        pids = [self.process.pid]
        try:
            children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout.split()
            pids += [int(p) for p in children]
        except OSError:
            pass
        return pids

    def log_text(self):
        with open(self.log_path) as log:
            return log.read()

    def stop(self, timeout=30):
        """SIGTERM, as Kubernetes stops a pod; returns the exit code (negative: killed by that signal)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()
        return self.process.returncode


def _lua(request: Request, directory: str) -> str:
    path = os.path.join(directory, "request.lua")
    with open(path, "w") as script:
        script.write(f'wrk.method = "{request.method}"\n')
        if request.body is not None:
            script.write(f"wrk.body = [[{request.body}]]\n")
        for key, value in request.headers.items():
            script.write(f'wrk.headers["{key}"] = "{value}"\n')
    return path


WRK_PERCENTILE = re.compile(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(server: Server, cpu: str, seconds: int, connections: int) -> dict:
    """Saturation: as many requests as `connections` keep-alive connections get answered in `seconds`.
    The server's CPU per request is split into user and kernel time: on loopback the kernel's share
    (each response's send also delivers it into the client's socket) bounds what the code can gain."""
    with tempfile.TemporaryDirectory() as work:
        script = _lua(server.target.request, work)
        before = server.cpu_times()
        started = time.monotonic()
        out = subprocess.run(["taskset", "-c", cpu, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
                              "-s", script, server.url(server.target.request.path)],
                             capture_output=True, text=True, timeout=seconds + 60).stdout
        elapsed = time.monotonic() - started
        after = server.cpu_times()
    return saturation_result(out, after[0] - before[0], after[1] - before[1], elapsed)


def saturation_result(wrk_output: str, user_seconds: float, kernel_seconds: float, elapsed: float) -> dict:
    """wrk's figures, and the server's CPU over the run (user and kernel seconds) per request and per second."""
    out = wrk_output
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors += sum(int(x) for x in socket.groups()) if socket else 0
    percentiles = {f"p{p}_ms": float(v) * UNIT_MS[u] for p, v, u in WRK_PERCENTILE.findall(out)}
    per_request_us = lambda cpu_seconds: round(cpu_seconds * 1e6 / requests, 2) if requests else None
    return {"rps": rps, "requests": requests, "errors": errors, **percentiles,
            "server_cpu_cores": round((user_seconds + kernel_seconds) / elapsed, 3),
            "server_user_us_per_request": per_request_us(user_seconds),
            "server_kernel_us_per_request": per_request_us(kernel_seconds)}


def vegeta(vegeta_bin: str, server: Server, cpu: str, rate: int, seconds: int) -> dict:
    """A fixed arrival rate, open model: latency as clients see it when the server keeps up (or not)."""
    request = server.target.request
    target = {"method": request.method, "url": server.url(request.path),
              "header": {k: [v] for k, v in request.headers.items()}}
    if request.body is not None:
        import base64
        target["body"] = base64.b64encode(request.body.encode()).decode()
    attack = subprocess.Popen(["taskset", "-c", cpu, vegeta_bin, "attack", "-format=json", f"-rate={rate}/s",
                               f"-duration={seconds}s", "-timeout=10s", "-max-workers=2000"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    cpu_before = server.cpu_seconds()
    # One target per line: without the newline vegeta reads no target at all.
    results, _ = attack.communicate((json.dumps(target) + "\n").encode(), timeout=seconds + 60)
    cpu_after = server.cpu_seconds()
    report = json.loads(subprocess.run(["taskset", "-c", cpu, vegeta_bin, "report", "-type=json"], input=results,
                                       capture_output=True, check=True).stdout)
    latencies = report["latencies"]
    ms = lambda ns: round(ns / 1e6, 3)
    return {"rate": rate, "achieved_rps": round(report["throughput"], 1), "requests": report["requests"],
            "success": report["success"], "errors": report["requests"] - round(report["success"] * report["requests"]),
            "status_codes": report["status_codes"], "p50_ms": ms(latencies["50th"]), "p90_ms": ms(latencies["90th"]),
            "p95_ms": ms(latencies["95th"]), "p99_ms": ms(latencies["99th"]), "max_ms": ms(latencies["max"]),
            "server_cpu_cores": round((cpu_after - cpu_before) / seconds, 3)}


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
