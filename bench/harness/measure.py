"""Measuring one server process: start it pinned to a core, wait for ready, drive it with wrk
(saturation) or vegeta (a fixed arrival rate) from the other core, and read its resident memory and
CPU time from /proc. Standard library only, so it runs on a fresh machine."""
import json
import os
import re
import resource
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
    # Writes what the target needs before it starts (nginx's config): called with (port, directory);
    # "{dir}" in the command is that directory, as "{port}" is the port.
    prepare: Optional[Callable[[int, str], None]] = None


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
        # GRPC_PORT: model-serving's gRPC listener on a free port unless the target names one.
        env = {**os.environ, "GRPC_PORT": "0", **target.env, **(extra_env or {}), "HTTP_PORT": str(self.port)}
        if target.prepare:
            target.prepare(self.port, log_dir)
        command = [arg.replace("{port}", str(self.port)).replace("{dir}", log_dir)
                   for arg in [target.command[0], *extra_args, *target.command[1:]]]
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


def wrk(server: Server, cpu: str, seconds: int, connections: int, server_cpu: Optional[str] = None,
        cpu_limit: float = 1.0) -> dict:
    """Saturation: as many requests as `connections` keep-alive connections get answered in `seconds`.
    The server's CPU per request is split into user and kernel time: on loopback the kernel's share
    (each response's send also delivers it into the client's socket) bounds what the code can gain.
    Meanwhile the machine's CPU is read (/proc/stat), so that a run the server did not get its
    `cpu_limit` in, or that other processes shared, says so ("contention", see contention_verdict)."""
    with tempfile.TemporaryDirectory() as work:
        script = _lua(server.target.request, work)
        command = ["taskset", "-c", cpu, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency",
                   "-s", script, server.url(server.target.request.path)]
        out, run = observed(server, cpu, server_cpu, cpu_limit,
                            lambda: subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60).stdout)
    result = saturation_result(out, run["user_seconds"], run["kernel_seconds"], run["elapsed"])
    result["contention"] = run["contention"]
    return result


def observed(server: Server, load_cpu: str, server_cpu: Optional[str], cpu_limit: float, load: Callable,
             saturating: bool = True):
    """Runs `load()` against `server` and returns what it returned, with the server's CPU over it
    (user and kernel seconds), its length, and whether it was contended (contention_verdict). A load
    that is not `saturating` (a fixed rate) is contended only by what else ran, not by the target's share."""
    before, machine_before, ours_before = server.cpu_times(), proc_stat(), own_cpu_seconds()
    started = time.monotonic()
    value = load()
    elapsed = time.monotonic() - started
    after, machine_after, ours_after = server.cpu_times(), proc_stat(), own_cpu_seconds()
    user, kernel = after[0] - before[0], after[1] - before[1]
    figures = contention_figures(machine_before, machine_after, user + kernel, ours_after - ours_before,
                                 elapsed, server_cpu, load_cpu)
    verdict = contention_verdict(figures, round((user + kernel) / elapsed, 3), cpu_limit,
                                 min_share=MIN_TARGET_SHARE if saturating else 0.0)
    return value, {"user_seconds": user, "kernel_seconds": kernel, "elapsed": elapsed, "contention": verdict}


def proc_stat(path="/proc/stat"):
    """Jiffies of the whole machine ("cpu") and of each CPU ("0", "1", ...): user, nice, system, idle,
    iowait, irq, softirq, steal (guest time is inside user already)."""
    lines = {}
    with open(path) as stat:
        for line in stat:
            if line.startswith("cpu"):
                name, *values = line.split()
                lines[name[3:] or "cpu"] = [int(v) for v in values[:8]] + [0] * (8 - len(values[:8]))
    return lines


def own_cpu_seconds():
    """CPU seconds of the harness and of its children it has waited for (wrk, pgrep): the load's own side."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def contention_figures(before, after, target_seconds, ours_seconds, elapsed, server_cpu=None, load_cpu=None):
    """What else ran during a run, in cores (CPU seconds per second of the run):
    - others_cores: every process's time on the machine (user, nice, system) minus the target's and the
      load's own (wrk and the harness), plus steal (a hypervisor giving our vCPUs to another guest).
      Interrupt time (irq, softirq: on loopback the packets' delivery) is nobody else's and left out;
    - load_cpu_idle, server_cpu_idle: the share of the run each of those cores was idle (None when unknown);
    - server_cpu_interrupt_cores: the server's core's irq and softirq time, in cores. With the kernel's
      IRQ time accounting (this machine's) the packets' processing in the server's own context (a send
      on loopback delivers to the receiver) is billed to no task: 0.2 to 0.3 cores of a Go server's
      saturated core, which its own time does not show."""
    delta = lambda name: [a - b for a, b in zip(after[name], before[name])]
    hz = CLOCK_TICKS
    total = delta("cpu")
    processes = (total[0] + total[1] + total[2]) / hz
    steal = total[7] / hz
    others = max(processes - target_seconds - ours_seconds, 0.0) + steal

    known = lambda cpu: cpu is not None and str(cpu) in after and str(cpu) in before

    def idle(cpu):
        if not known(cpu):
            return None
        d = delta(str(cpu))
        return round((d[3] + d[4]) / sum(d), 3) if sum(d) else None
    server_interrupts = (delta(str(server_cpu))[5] + delta(str(server_cpu))[6]) / hz / elapsed if known(server_cpu) else 0.0
    return {"others_cores": round(others / elapsed, 3), "steal_cores": round(steal / elapsed, 3),
            "interrupt_cores": round((total[5] + total[6]) / hz / elapsed, 3),
            "server_cpu_interrupt_cores": round(server_interrupts, 3),
            "load_cpu_idle": idle(load_cpu), "server_cpu_idle": idle(server_cpu)}


# A run is contended when the target had under 90 % of its CPU limit while saturated (its own time and
# its core's interrupt time, which is the target's packets: see contention_figures), or when other
# processes took more than a tenth of a core. Why a tenth: on the quiet 2-core machine they take 0.01
# to 0.03 cores during a run (kernel threads, the idle targets settled under 0.05 each, the harness's
# own pgrep); a tenth of a core is what the loopback's own drift moves throughput by (about 10 %, root
# README), so more than that taken from the server's or the generator's core is a difference the
# ratios cannot tell from the code's.
MIN_TARGET_SHARE = 0.90
MAX_OTHERS_CORES = 0.10


def contention_verdict(figures, server_cpu_cores, cpu_limit, min_share=MIN_TARGET_SHARE, max_others=MAX_OTHERS_CORES):
    """figures (contention_figures) and the target's cores over the run against its limit (at most the
    one core it is pinned to): {"contended": bool, "reasons": [...], "target_share": ..., **figures}.
    target_share counts the server core's interrupt time with the target's own; own_share does not."""
    limit = min(cpu_limit or 1.0, 1.0)
    interrupts = figures.get("server_cpu_interrupt_cores") or 0.0
    share = round(min(server_cpu_cores + interrupts, limit) / limit, 3)
    own_share = round(server_cpu_cores / limit, 3)
    reasons = []
    if share is not None and share < min_share:
        why = f"the target had {share:.0%} of its {limit:g} CPU limit (under {min_share:.0%})"
        server_idle, load_idle = figures.get("server_cpu_idle"), figures.get("load_cpu_idle")
        if server_idle is not None and server_idle > 1 - min_share and figures["others_cores"] <= max_others:
            why += f"; its core idle {server_idle:.0%}: it was not saturated" + (
                f" (the load generator's core idle {load_idle:.0%})" if load_idle is not None else "")
        reasons.append(why)
    if figures["others_cores"] > max_others:
        reasons.append(f"other processes used {figures['others_cores']:.2f} cores (over {max_others:.2f})"
                       + (f", {figures['steal_cores']:.2f} of it stolen by the hypervisor" if figures.get("steal_cores") else ""))
    return {"contended": bool(reasons), "reasons": reasons, "target_share": share, "own_share": own_share, **figures}


def saturation_result(wrk_output: str, user_seconds: float, kernel_seconds: float, elapsed: float) -> dict:
    """wrk's figures, and the server's CPU over the run (user and kernel seconds) per request and per second."""
    out = wrk_output
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors += sum(int(x) for x in socket.groups()) if socket else 0
    percentiles = {f"p{p}_ms": float(v) * UNIT_MS[u] for p, v, u in WRK_PERCENTILE.findall(out)}
    return {"rps": rps, "requests": requests, "errors": errors, **percentiles,
            **server_cpu(user_seconds, kernel_seconds, elapsed, requests)}


def server_cpu(user_seconds: float, kernel_seconds: float, elapsed: float, requests: int) -> dict:
    """The server's CPU over a run: cores used, and user and kernel microseconds per request answered."""
    per_request_us = lambda cpu_seconds: round(cpu_seconds * 1e6 / requests, 2) if requests else None
    return {"server_cpu_cores": round((user_seconds + kernel_seconds) / elapsed, 3),
            "server_user_us_per_request": per_request_us(user_seconds),
            "server_kernel_us_per_request": per_request_us(kernel_seconds)}


def vegeta(vegeta_bin: str, server: Server, cpu: str, rate: int, seconds: int, server_cpu: Optional[str] = None,
           cpu_limit: float = 1.0) -> dict:
    """A fixed arrival rate, open model: latency as clients see it when the server keeps up (or not).
    The machine's CPU is read meanwhile: a run that other processes (or the hypervisor) shared is
    marked contended, as a saturation run is; a p99 is what a stolen millisecond moves first."""
    request = server.target.request
    target = {"method": request.method, "url": server.url(request.path),
              "header": {k: [v] for k, v in request.headers.items()}}
    if request.body is not None:
        import base64
        target["body"] = base64.b64encode(request.body.encode()).decode()

    def attack():
        run = subprocess.Popen(["taskset", "-c", cpu, vegeta_bin, "attack", "-format=json", f"-rate={rate}/s",
                                f"-duration={seconds}s", "-timeout=10s", "-max-workers=2000"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        # One target per line: without the newline vegeta reads no target at all.
        return run.communicate((json.dumps(target) + "\n").encode(), timeout=seconds + 60)[0]
    results, run = observed(server, cpu, server_cpu, cpu_limit, attack, saturating=False)
    report = json.loads(subprocess.run(["taskset", "-c", cpu, vegeta_bin, "report", "-type=json"], input=results,
                                       capture_output=True, check=True).stdout)
    latencies = report["latencies"]
    ms = lambda ns: round(ns / 1e6, 3)
    return {"rate": rate, "achieved_rps": round(report["throughput"], 1), "requests": report["requests"],
            "success": report["success"], "errors": report["requests"] - round(report["success"] * report["requests"]),
            "status_codes": report["status_codes"], "p50_ms": ms(latencies["50th"]), "p90_ms": ms(latencies["90th"]),
            "p95_ms": ms(latencies["95th"]), "p99_ms": ms(latencies["99th"]), "max_ms": ms(latencies["max"]),
            "server_cpu_cores": round((run["user_seconds"] + run["kernel_seconds"]) / run["elapsed"], 3),
            "contention": run["contention"]}


def fixed_rate_summary(runs):
    """The fixed-rate runs of one target: medians of the uncontended ones' latencies (none: no figure,
    "contended": true); errors over every run; every run kept under "runs"."""
    if not runs:
        return None
    good = [r for r in runs if not r["contention"]["contended"]]
    med = lambda key: median([r[key] for r in good]) if good else None
    return {"rate": runs[0]["rate"], "runs": runs, "clean_runs": len(good), "contended": not good,
            "p50_ms": med("p50_ms"), "p90_ms": med("p90_ms"), "p99_ms": med("p99_ms"),
            "p99_min_ms": min(r["p99_ms"] for r in good) if good else None,
            "p99_max_ms": max(r["p99_ms"] for r in good) if good else None,
            "achieved_rps": med("achieved_rps"), "server_cpu_cores": med("server_cpu_cores"),
            "errors": sum(r["errors"] for r in runs)}


def median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
