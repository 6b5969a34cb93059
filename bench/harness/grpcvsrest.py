"""model-serving's gRPC API against its REST API, on the same server and model, in one run: the server
on one core (taskset, with its Deployment's limits in a cgroup where it can), the load on the other;
per case (one value per request, and a batch of 1,000 values) and protocol, saturation (wrk for REST
:predict, h2load for Predict: two clients in C, neither near its core's limit) in rounds taken
alternately, medians, and one fixed-rate run each (vegeta, grpc-load -rate) for p99. grpc-load
(grpc-go) also makes one checked call per case: the answer's values, which h2load does not read.
CPU per request is the server's own time over the requests answered;
a run the server did not get its core for, or that other processes shared, is contended: taken again,
and kept out of the medians if it stays so. Writes JSON and Markdown under bench/results/.

  python3 -m bench.harness.grpcvsrest --tools '{"vegeta": ..., "grpc_load": ...}' --rounds 5 --seconds 10
"""
import argparse
import base64
import datetime
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

from . import cgroups, measure
from .limits import deployment_limits
from .targets import JSON, ROOT, image_flags, java_path

VALUE = 98.6


def expected_celsius():
    return struct.unpack("<f", struct.pack("<f", (struct.unpack("<f", struct.pack("<f", VALUE))[0] - 32.0) * 5.0 / 9.0))[0]


# --- the gRPC request, encoded here (the wire format is simple enough; the harness needs only the standard library)
def _varint(n):
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        out.append(low | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number, wire, payload):
    key = _varint(number << 3 | wire)
    return key + (_varint(len(payload)) + payload if wire == 2 else payload)


def predict_request(values, model="model", alias="fahrenheit"):
    """A PredictRequest as tf.make_tensor_proto makes its tensor: DT_FLOAT, shape [n], values in tensor_content."""
    shape = _field(2, 2, _field(1, 0, _varint(len(values))))
    tensor = _field(1, 0, _varint(1)) + _field(2, 2, shape) + _field(4, 2, struct.pack(f"<{len(values)}f", *values))
    return _field(1, 2, _field(1, 2, model.encode())) + _field(2, 2, _field(1, 2, alias.encode()) + _field(2, 2, tensor))


def _fields(data):
    i = 0
    while i < len(data):
        key, i = _read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _read_varint(data, i)
        elif wire == 2:
            length, i = _read_varint(data, i)
            value, i = data[i:i + length], i + length
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        else:
            raise ValueError(f"wire type {wire}")
        yield number, wire, value


def _read_varint(data, i):
    shift = result = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, i


def predicted(response):
    """The values of output "celsius" in a PredictResponse (tensor_content or float_val)."""
    for number, _, entry in _fields(response):
        if number != 1:
            continue
        parts = {n: v for n, _, v in _fields(entry)}
        if parts.get(1) != b"celsius":
            continue
        tensor = {n: v for n, _, v in _fields(parts[2])}
        packed = tensor.get(4) or tensor.get(5) or b""
        return list(struct.unpack(f"<{len(packed) // 4}f", packed))
    return None


# --- the cases
def cases():
    single, batch = [VALUE], [VALUE] * 1000
    rest_body = lambda values: json.dumps({"instances": values})
    return [
        {"name": "one value", "values": single, "rest": measure.Request("POST", "/v1/models/model:predict", rest_body(single), JSON)},
        {"name": "1,000 values", "values": batch, "rest": measure.Request("POST", "/v1/models/model:predict", rest_body(batch), JSON)},
    ]


def model_target(request, grpc_port):
    def check(status, body):
        if status != 200:
            return f"status {status}"
        values = json.loads(body)["predictions"]
        return None if all(abs(v - expected_celsius()) < 1e-4 for v in values) else f"predictions {values[:3]}"
    jar = os.path.join(ROOT, "model-serving", "target", "model-serving.jar")
    return measure.Target(name="model-serving", command=[java_path(), *image_flags("model-serving"), "-jar", jar],
                          request=request, check=check, limits_from="model-serving", cwd=ROOT,
                          env={"EVENT_LOOPS": "1", "HTTP_HOST": "127.0.0.1", "GRPC_PORT": str(grpc_port),
                               "MODEL_POLL_SECONDS": "0"})


def grpc_load(tool, server, grpc_port, request_file, cpu, seconds, callers, connections, rate=0, cpu_limit=1.0):
    """Saturation (rate 0) or a fixed rate through grpc-load; the server's CPU and the machine's over the run."""
    before, machine_before, ours_before = server.cpu_times(), measure.proc_stat(), measure.own_cpu_seconds()
    started = time.monotonic()
    command = ["taskset", "-c", cpu, tool, "-target", f"127.0.0.1:{grpc_port}", "-request", request_file,
               "-c", str(callers), "-connections", str(connections), "-d", f"{seconds}s"] + (["-rate", str(rate)] if rate else [])
    out = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout)
    elapsed = time.monotonic() - started
    after, machine_after, ours_after = server.cpu_times(), measure.proc_stat(), measure.own_cpu_seconds()
    user, kernel = after[0] - before[0], after[1] - before[1]
    calls = out["calls"]
    errors = calls - out["codes"].get("OK", 0)
    result = {"rps": round(out["rps"], 1), "requests": calls, "errors": errors, "codes": out["codes"],
              "p50_ms": out["p50_ms"], "p90_ms": out["p90_ms"], "p99_ms": out["p99_ms"], "max_ms": out["max_ms"],
              **measure.server_cpu(user, kernel, elapsed, calls)}
    if rate:
        result["rate"], result["achieved_rps"] = rate, result["rps"]
    else:
        figures = measure.contention_figures(machine_before, machine_after, user + kernel, ours_after - ours_before, elapsed,
                                             server.args_server_cpu, cpu)
        result["contention"] = measure.contention_verdict(figures, result["server_cpu_cores"], cpu_limit)
    answer = predicted(base64.b64decode(out["first_response"])) if out.get("first_response") else None
    return result, answer


PREDICT = "/tensorflow.serving.PredictionService/Predict"


def framed(message):
    """A gRPC length-prefixed message (uncompressed), as it goes in a DATA frame: what h2load posts."""
    return b"\0" + struct.pack(">I", len(message)) + message


def predict_codes(metrics_text):
    """Predict's calls by gRPC status code so far, from the server's Prometheus text."""
    codes = {}
    for line in metrics_text.splitlines():
        if line.startswith("footprint_grpc_server_calls_seconds_count{") and 'grpc_method="Predict"' in line:
            code = re.search(r'grpc_code="([A-Z_]+)"', line).group(1)
            codes[code] = codes.get(code, 0) + int(float(line.rsplit(" ", 1)[1]))
    return codes


def server_predict_codes(server):
    with urllib.request.urlopen(server.url("/metrics"), timeout=10) as response:
        return predict_codes(response.read().decode())


H2LOAD_REQUESTS = re.compile(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                             r"(\d+) errored, (\d+) timeout")


def h2load_counts(out):
    """h2load's summary: its requests by outcome, and its rate."""
    names = ("total", "started", "done", "succeeded", "failed", "errored", "timeout")
    counts = dict(zip(names, (int(v) for v in H2LOAD_REQUESTS.search(out).groups())))
    counts["rps"] = float(re.search(r"finished in [\d.]+s, ([\d.]+) req/s", out).group(1))
    return counts


def h2load_errors(counts, grown):
    """Calls that went wrong: h2load's failures (no 2xx, reset, timed out), and the 2xx answers that were
    no OK call: the server's count of codes over the run (`grown`) other than OK, or as many as h2load
    counted beyond the server's OKs if that is more (an answer the metrics do not account for). The
    calls h2load had started and not finished when its time was up, it resets: as many CANCELLED as
    those are the run's end, not errors."""
    cut_off = counts["started"] - counts["done"]
    not_ok = sum(n for code, n in grown.items() if code not in ("OK", "CANCELLED")) + max(grown.get("CANCELLED", 0) - cut_off, 0)
    unexplained = max(counts["succeeded"] - grown.get("OK", 0), 0)
    return counts["failed"] + counts["errored"] + counts["timeout"] + (counts["done"] - counts["succeeded"]) + max(not_ok, unexplained)


def h2load_grpc(server, grpc_port, framed_file, cpu, seconds, connections, streams, cpu_limit=1.0, server_cpu=None):
    """Saturation through h2load (nghttp2's HTTP/2 load generator, in C: a client as lean as wrk, where
    grpc-go's own client took as much CPU per call as the server and had its core near full). It posts
    one framed PredictRequest on `streams` concurrent streams of each of `connections` connections and
    counts HTTP statuses only; gRPC's own status is in the trailers, so the server's metrics are read
    before and after: every call h2load saw answered must be an OK there, and no other code may grow."""
    codes_before = server_predict_codes(server)
    command = ["taskset", "-c", cpu, "h2load", "-D", str(seconds), "-c", str(connections), "-m", str(streams), "-t", "1",
               "-d", framed_file, "-H", "content-type: application/grpc", "-H", "te: trailers",
               f"http://127.0.0.1:{grpc_port}{PREDICT}"]
    out, run = measure.observed(server, cpu, server_cpu, cpu_limit,
                                lambda: subprocess.run(command, capture_output=True, text=True, check=True,
                                                       timeout=seconds + 60).stdout)
    codes_after = server_predict_codes(server)
    grown = {code: codes_after.get(code, 0) - codes_before.get(code, 0) for code in codes_after}
    counts = h2load_counts(out)
    return {"rps": counts["rps"], "requests": counts["succeeded"], "errors": h2load_errors(counts, grown), "codes": grown,
            "client": "h2load", "connections": connections, "streams_per_connection": streams,
            **measure.server_cpu(run["user_seconds"], run["kernel_seconds"], run["elapsed"], counts["succeeded"]),
            "contention": run["contention"]}


def measured(run, retries):
    """A saturation run, taken again (up to `retries` times) while contended; the last is kept whatever it is."""
    for attempt in range(retries + 1):
        result = run()
        if not result["contention"]["contended"]:
            return result
        print(f"    contended ({'; '.join(result['contention']['reasons'])})" + (": again" if attempt < retries else ""), flush=True)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tools", required=True, help="JSON: paths of vegeta and grpc-load")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=15, help="seconds of saturation per case and protocol before the rounds")
    parser.add_argument("--rate", type=int, default=2000, help="the fixed rate of the p99 runs (requests/s)")
    parser.add_argument("--connections", type=int, default=64,
                        help="requests in flight: wrk's connections, h2load's streams over all its connections")
    parser.add_argument("--grpc-connections", type=int, default=4, help="HTTP/2 connections the gRPC calls share")
    parser.add_argument("--retries", type=int, default=2)
    parser.add_argument("--server-cpu", default="0")
    parser.add_argument("--load-cpu", default="1")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "results"))
    args = parser.parse_args(argv)
    tools = json.loads(args.tools)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    log_dir = tempfile.mkdtemp(prefix="grpc-vs-rest-")
    grpc_port = measure.free_port()
    all_cases = cases()
    cpus, memory = deployment_limits("model-serving")
    group = cgroups.Cgroup(f"grpc-vs-rest-{os.getpid()}", memory, cpus) if cgroups.available() else None
    cpu_limit = cpus if group else 1.0
    server = measure.Server(model_target(all_cases[0]["rest"], grpc_port), args.server_cpu, log_dir, cgroup=group)
    server.args_server_cpu = args.server_cpu
    results = {"machine": {"cpus": os.cpu_count()}, "args": vars(args), "limits": {"cpus": cpus, "memory_mib": memory // 2**20} if group else None,
               "cases": []}
    try:
        server.wait_ready()
        server.verify()
        for case in all_cases:
            case["file"] = os.path.join(log_dir, f"predict-{len(case['values'])}.bin")
            case["framed"] = case["file"] + ".grpc"
            message = predict_request(case["values"])
            with open(case["file"], "wb") as out:
                out.write(message)
            with open(case["framed"], "wb") as out:
                out.write(framed(message))

        def rest(case, seconds):
            server.target.request = case["rest"]
            return measure.wrk(server, args.load_cpu, seconds, args.connections, server_cpu=args.server_cpu, cpu_limit=cpu_limit)

        def checked_grpc_load(case, seconds, callers, connections, rate=0):
            result, answer = grpc_load(tools["grpc_load"], server, grpc_port, case["file"], args.load_cpu, seconds,
                                       callers, connections, rate, cpu_limit)
            if answer is None or len(answer) != len(case["values"]) or any(abs(v - expected_celsius()) > 1e-4 for v in answer):
                raise RuntimeError(f"gRPC Predict answered wrongly ({case['name']}): {answer[:3] if answer else answer}")
            return result

        def grpc(case, seconds, rate=0):
            if rate:
                return checked_grpc_load(case, seconds, max(args.connections, 256), args.grpc_connections, rate)
            return h2load_grpc(server, grpc_port, case["framed"], args.load_cpu, seconds, args.grpc_connections,
                               max(args.connections // args.grpc_connections, 1), cpu_limit, args.server_cpu)

        for case in all_cases:
            server.target.request = case["rest"]
            server.verify()
            checked_grpc_load(case, 1, 1, 1)  # grpc-go reads the answer: the values are checked, not only the status
            print(f"--- warm-up, {case['name']}: {args.warmup} s of REST, {args.warmup} s of gRPC", flush=True)
            case["warmup"] = {"rest": rest(case, args.warmup), "grpc": grpc(case, args.warmup)}
        for case in all_cases:
            runs = {"rest": [], "grpc": []}
            for round_number in range(args.rounds):
                order = ("rest", "grpc") if round_number % 2 == 0 else ("grpc", "rest")
                for protocol in order:
                    run = measured(lambda: rest(case, args.seconds) if protocol == "rest" else grpc(case, args.seconds), args.retries)
                    runs[protocol].append(run)
                    print(f"  {case['name']:>12} round {round_number + 1} {protocol:>4}: {run['rps']:>9,.0f} req/s, "
                          + (f"p99 {run['p99_ms']:.2f} ms, " if run.get("p99_ms") is not None else "")
                          + f"{run['server_user_us_per_request']} µs user + "
                          f"{run['server_kernel_us_per_request']} µs kernel per request"
                          + (" (contended)" if run["contention"]["contended"] else ""), flush=True)
            fixed = {"rest": measure.vegeta(tools["vegeta"], server_with(server, case["rest"]), args.load_cpu, args.rate, args.seconds),
                     "grpc": grpc(case, args.seconds, args.rate)}
            results["cases"].append(summarise(case, runs, fixed))
    finally:
        code = server.stop()
        results["exit_code"] = code
        if group:
            group.remove()
    os.makedirs(args.out, exist_ok=True)
    base = os.path.join(args.out, f"{stamp}-grpc-vs-rest")
    with open(base + ".json", "w") as out:
        json.dump(results, out, indent=2)
    with open(base + ".md", "w") as out:
        out.write(markdown(results))
    print(markdown(results))
    print(base + ".json")
    return 0


def server_with(server, request):
    server.target.request = request
    return server


def summarise(case, runs, fixed):
    clean = {p: [r for r in rs if not r["contention"]["contended"]] for p, rs in runs.items()}
    med = lambda p, key: measure.median([r[key] for r in clean[p]]) if clean[p] else None
    summary = {"case": case["name"], "values": len(case["values"]), "runs": runs, "fixed_rate": fixed,
               "contended_runs": {p: len(rs) - len(clean[p]) for p, rs in runs.items()}}
    for p in ("rest", "grpc"):
        summary[p] = {"rps": med(p, "rps"), "user_us": med(p, "server_user_us_per_request"),
                      "kernel_us": med(p, "server_kernel_us_per_request"), "p99_fixed_ms": fixed[p]["p99_ms"],
                      "fixed_errors": fixed[p]["errors"]}
    pairs = [g["rps"] / r["rps"] for r, g in zip(runs["rest"], runs["grpc"])
             if not r["contention"]["contended"] and not g["contention"]["contended"]]
    summary["grpc_over_rest"] = round(measure.median(pairs), 3) if pairs else None
    return summary


def markdown(results):
    lines = ["| case | REST req/s | gRPC req/s | gRPC ÷ REST | REST µs/req (user+kernel) | gRPC µs/req | p99 at the fixed rate, REST | gRPC | contended runs (REST, gRPC) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for c in results["cases"]:
        r, g = c["rest"], c["grpc"]
        fmt = lambda v: "-" if v is None else f"{v:,.0f}"
        us = lambda s: "-" if s["user_us"] is None else f"{s['user_us'] + s['kernel_us']:.1f}"
        ratio = "-" if c["grpc_over_rest"] is None else f"{c['grpc_over_rest']:.2f}×"
        lines.append(f"| {c['case']} | {fmt(r['rps'])} | {fmt(g['rps'])} | {ratio} | {us(r)} | {us(g)} | "
                     f"{r['p99_fixed_ms']:.2f} ms | {g['p99_fixed_ms']:.2f} ms | {c['contended_runs']['rest']}, {c['contended_runs']['grpc']} |")
    rate = results["args"]["rate"]
    lines.append("")
    lines.append(f"Medians of {results['args']['rounds']} rounds of {results['args']['seconds']} s (ratio: the median of the rounds' own "
                 f"ratios); p99 at {rate:,} requests/s; server on CPU {results['args']['server_cpu']}"
                 + (f" under its Deployment's limits ({results['limits']['cpus']} CPU, {results['limits']['memory_mib']} MiB)" if results["limits"] else "")
                 + f", load on CPU {results['args']['load_cpu']}: wrk with {results['args']['connections']} connections, h2load with "
                 f"{results['args']['connections']} streams on {results['args']['grpc_connections']} connections.")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
