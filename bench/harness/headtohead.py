"""The head-to-head: the targets on one core (`taskset`), one under load at a time, the load generator
on the other; per target its start-to-ready time, a warm-up, several saturation runs with wrk taken in
rounds with its peers' (median, min, max; and req/s over the reference's round by round), one
fixed-rate run with vegeta, peak resident memory and CPU per request. Writes JSON, CSV and an HTML
report under bench/results/ and prints the report's path.

  python3 -m bench.harness.headtohead --targets converter-vertx,go-peer --runs 3 --seconds 10 --rate 2000
"""
import argparse
import csv
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile

from . import cgroups, measure, report
from .limits import deployment_limits
from .targets import ROOT, all_targets, java_path


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    java = java_path()
    jdk = subprocess.run([java, "-version"], capture_output=True, text=True).stderr.splitlines()[1] if os.path.exists(java) else "?"
    network = os.environ.get("BENCH_NETWORK", "the host's network namespace")
    return {"cpus": os.cpu_count(), "cpu_model": model, "kernel": platform.release(), "jdk": jdk, "network": network}


class Contender:
    """One target in the head-to-head: its server (pinned, in a cgroup of its own when it has limits)
    and what was measured of it."""

    def __init__(self, target, args, log_dir):
        self.target, self.args = target, args
        cpus, memory = deployment_limits(target.limits_from) if target.limits_from else (None, None)
        self.group = cgroups.Cgroup(f"{target.name}-{os.getpid()}", memory, cpus) if cgroups.available() and target.limits_from else None
        self.limits = {"cpus": cpus, "memory_mib": memory // 2**20} if self.group else None
        print(f"--- {target.name} starts" + (f" (limits {cpus} CPU, {memory // 2**20} MiB)" if self.group else " (no limits)"), flush=True)
        self.server = measure.Server(target, args.server_cpu, log_dir, cgroup=self.group)
        self.runs, self.fixed, self.exit_code, self.oom, self.cgroup_peak = [], None, None, 0, None

    def wait_ready(self):
        self.ready_ms = self.server.wait_ready()
        self.server.verify()
        self.server.settle()
        self.idle_kib = self.server.rss_kib()

    def saturate(self, seconds):
        return measure.wrk(self.server, self.args.load_cpu, seconds, self.args.connections)

    def finish(self, vegeta):
        """The fixed-rate run, a last check that it still answers right, and its memory high-water mark."""
        if self.args.rate:
            self.fixed = measure.vegeta(vegeta, self.server, self.args.load_cpu, self.args.rate, self.args.rate_seconds)
        self.server.verify()
        self.peak_kib, self.rss_after_kib = self.server.rss_kib("VmHWM"), self.server.rss_kib()

    def stop(self):
        self.exit_code = self.server.stop()
        if self.group:
            self.oom, self.cgroup_peak = self.group.oom_kills(), self.group.peak_bytes()
            self.group.remove()

    def result(self):
        runs, fixed = self.runs, self.fixed
        rps = [r["rps"] for r in runs]
        return {
            "target": self.target.name, "kind": self.target.kind, "ready_ms": self.ready_ms,
            "rps_median": measure.median(rps), "rps_min": min(rps), "rps_max": max(rps), "runs": runs,
            "saturation_p50_ms": measure.median([r.get("p50_ms", 0) for r in runs]),
            "saturation_p99_ms": measure.median([r.get("p99_ms", 0) for r in runs]),
            "saturation_cpu_cores": measure.median([r["server_cpu_cores"] for r in runs]),
            "user_us_per_request": measure.median([r["server_user_us_per_request"] for r in runs]),
            "kernel_us_per_request": measure.median([r["server_kernel_us_per_request"] for r in runs]),
            "errors": sum(r["errors"] for r in runs) + (fixed["errors"] if fixed else 0),
            "fixed_rate": fixed, "idle_rss_mib": round(self.idle_kib / 1024, 1), "rss_after_mib": round(self.rss_after_kib / 1024, 1),
            "peak_rss_mib": round(self.peak_kib / 1024, 1), "exit_code": self.exit_code, "oom_kills": self.oom,
            "limits": self.limits,
            "cgroup_peak_mib": round(self.cgroup_peak / 2**20, 1) if self.cgroup_peak else None,
        }


def rotated(items, start):
    """The round's order: each round begins one further along, so no target always runs first."""
    start %= len(items)
    return items[start:] + items[:start]


def head_to_head(targets, args, vegeta, log_dir):
    """Every target up at once (idle ones cost nothing on the shared core), warmed up, then measured in
    rounds, one run of each per round. The loopback's speed drifts from minute to minute; a target's
    runs interleaved with its peers' meet the same drift, and a round's runs pair up for ratios."""
    contenders = []
    try:
        for target in targets:
            contenders.append(Contender(target, args, log_dir))  # started: stopped below whatever happens
            contenders[-1].wait_ready()
        if args.warmup:
            for contender in contenders:
                contender.saturate(args.warmup)
                contender.server.settle()
        for round_number in range(args.runs):
            for contender in rotated(contenders, round_number):
                contender.runs.append(contender.saturate(args.seconds))
            print(f"    round {round_number + 1}/{args.runs}: "
                  + ", ".join(f"{c.target.name} {c.runs[-1]['rps']:,.0f}" for c in contenders) + " req/s", flush=True)
        for contender in contenders:
            contender.finish(vegeta)
    finally:
        for contender in contenders:
            contender.stop()
    results = [contender.result() for contender in contenders]
    add_paired_ratios(results, args.reference)
    for result in results:
        print(summary_line(result), flush=True)
    return results


def add_paired_ratios(results, reference):
    """Each target's req/s over the reference's, round by round (the runs of one round are minutes
    apart at most): the median of those ratios, with min and max, under "vs_reference"."""
    base = next((r for r in results if r["target"] == reference), None)
    for result in results:
        if base is None or result is base:
            result["vs_reference"] = None
            continue
        ratios = [mine["rps"] / theirs["rps"] for mine, theirs in zip(result["runs"], base["runs"]) if theirs["rps"]]
        result["vs_reference"] = {"reference": reference, "median": round(measure.median(ratios), 3),
                                  "min": round(min(ratios), 3), "max": round(max(ratios), 3)} if ratios else None


def summary_line(result):
    fixed, ratio = result["fixed_rate"], result.get("vs_reference")
    line = (f"--- {result['target']}: {result['rps_median']:,.0f} req/s [{result['rps_min']:,.0f}-{result['rps_max']:,.0f}]"
            + (f", {ratio['median']:.2f}x {ratio['reference']} [{ratio['min']:.2f}-{ratio['max']:.2f}]" if ratio else "")
            + f", peak RSS {result['peak_rss_mib']} MiB, ready {result['ready_ms']} ms, "
            f"CPU per request {result['user_us_per_request']:.2f} µs user + {result['kernel_us_per_request']:.2f} µs kernel")
    if fixed:
        line += f", at {fixed['rate']}/s p50 {fixed['p50_ms']} ms p99 {fixed['p99_ms']} ms"
    return line


def write(results, args, info, out_dir):
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = os.path.join(out_dir, f"{stamp}-{args.name}")
    document = {"created": datetime.datetime.now().isoformat(timespec="seconds"), "machine": info,
                "settings": vars(args), "results": results}
    with open(base + ".json", "w") as out:
        json.dump(document, out, indent=2)
    with open(base + ".csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["target", "kind", "rps_median", "rps_min", "rps_max", "saturation_p99_ms", "rate", "rate_p50_ms",
                         "rate_p90_ms", "rate_p99_ms", "errors", "peak_rss_mib", "ready_ms", "saturation_cpu_cores",
                         "user_us_per_request", "kernel_us_per_request", "reference", "vs_reference_median",
                         "vs_reference_min", "vs_reference_max"])
        for r in results:
            f, v = r["fixed_rate"] or {}, r.get("vs_reference") or {}
            writer.writerow([r["target"], r["kind"], r["rps_median"], r["rps_min"], r["rps_max"], r["saturation_p99_ms"],
                             f.get("rate"), f.get("p50_ms"), f.get("p90_ms"), f.get("p99_ms"), r["errors"], r["peak_rss_mib"],
                             r["ready_ms"], r["saturation_cpu_cores"], r["user_us_per_request"], r["kernel_us_per_request"],
                             v.get("reference"), v.get("median"), v.get("min"), v.get("max")])
    with open(base + ".html", "w") as out:
        out.write(html_report(document))
    return base + ".html"


def ratio_text(ratio):
    return "–" if not ratio else f"{ratio['median']:.2f} ({ratio['min']:.2f}–{ratio['max']:.2f})"


def html_report(document):
    results, s, m = document["results"], document["settings"], document["machine"]
    color = lambda r: report.PALETTE[r["kind"]]
    rows = []
    for r in results:
        f = r["fixed_rate"] or {}
        rows.append([r["target"], report.fmt(r["rps_median"]), f"{report.fmt(r['rps_min'])}–{report.fmt(r['rps_max'])}",
                     ratio_text(r.get("vs_reference")),
                     report.fmt(r["saturation_p99_ms"], 2), report.fmt(f.get("p50_ms"), 2), report.fmt(f.get("p99_ms"), 2),
                     report.fmt(f.get("achieved_rps")), r["errors"], report.fmt(r["peak_rss_mib"]), r["ready_ms"],
                     report.fmt(r["saturation_cpu_cores"], 2), report.fmt(r["user_us_per_request"], 2),
                     report.fmt(r["kernel_us_per_request"], 2)])
    summary = report.table(["target", "req/s (median)", "min–max", f"× {s.get('reference')} (paired rounds)", "p99 at saturation ms", f"p50 at {s['rate']}/s ms",
                            f"p99 at {s['rate']}/s ms", "achieved/s", "errors", "peak RSS MiB", "start to ready ms",
                            "CPU cores at saturation", "user CPU µs/request", "kernel CPU µs/request"], rows)
    charts = [
        report.bar_chart("Throughput on one core (median, whiskers min–max)",
                         [{"label": r["target"], "value": r["rps_median"], "lo": r["rps_min"], "hi": r["rps_max"], "color": color(r)}
                          for r in results], "requests/s"),
        report.bar_chart(f"p99 latency at {s['rate']} requests/s (vegeta)",
                         [{"label": r["target"], "value": (r["fixed_rate"] or {}).get("p99_ms", 0), "color": color(r)} for r in results], "ms"),
        report.stacked_bar_chart("Server CPU per request at saturation (medians)",
                                 [{"label": r["target"], "user": r["user_us_per_request"], "kernel": r["kernel_us_per_request"]}
                                  for r in results],
                                 [("user", "user (the server's code)", report.PALETTE["user"]),
                                  ("kernel", "kernel (sockets, loopback)", report.PALETTE["kernel"])],
                                 "µs"),
        report.bar_chart("Peak resident memory", [{"label": r["target"], "value": r["peak_rss_mib"], "color": color(r)} for r in results], "MiB"),
        report.bar_chart("Start to ready", [{"label": r["target"], "value": r["ready_ms"], "color": color(r)} for r in results], "ms"),
        report.scatter("Memory against throughput", [{"label": r["target"], "x": r["peak_rss_mib"], "y": r["rps_median"], "color": color(r)}
                                                     for r in results], "peak RSS (MiB)", "requests/s"),
    ]
    intro = (f"{document['created']} on {m['cpus']} CPUs ({report.esc(m['cpu_model'])}), Linux {report.esc(m['kernel'])}, "
             f"{report.esc(m['jdk'])}, in {report.esc(m.get('network', '?'))}. Every target pinned to CPU {s['server_cpu']}, under its Deployment's CPU and memory limits "
             f"(a cgroup of its own; the peers under the converter's); load from CPU {s['load_cpu']}: "
             f"<code>wrk -t1 -c{s['connections']} -d{s['seconds']}s</code> × {s['runs']} rounds after a {s['warmup']} s warm-up "
             f"(all targets up, one loaded at a time, each round's order one further along; "
             f"× {report.esc(str(s.get('reference')))}: median of the rounds' ratios, min–max), then "
             f"<code>vegeta attack -rate={s['rate']}/s -duration={s['rate_seconds']}s</code>. Blue: this project's services; grey: peers.")
    return report.page("footprint head-to-head", intro, [("Results", summary), ("Charts", f'<div class="charts">{"".join(charts)}</div>')])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", help="comma-separated target names (default: every target)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rate", type=int, default=2000, help="fixed arrival rate for vegeta; 0 skips it")
    parser.add_argument("--rate-seconds", type=int, default=10)
    parser.add_argument("--server-cpu", default="1")
    parser.add_argument("--load-cpu", default="0")
    parser.add_argument("--reference", default="go-peer", help="the target every other's req/s is divided by, round by round")
    parser.add_argument("--name", default="head-to-head")
    parser.add_argument("--tools", required=True, help="JSON of tool paths: go_peer, jdk_peer, python, vegeta")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench/results"))
    args = parser.parse_args(argv)
    tools = json.loads(args.tools)
    targets = all_targets(tools)
    args.targets = args.targets or ",".join(targets)  # the settings in the results name what ran
    unknown = [n for n in args.targets.split(",") if n not in targets]
    if unknown:
        sys.exit(f"unknown targets {unknown}; known: {', '.join(targets)}")
    os.makedirs(args.out, exist_ok=True)
    info = machine()
    with tempfile.TemporaryDirectory() as log_dir:
        results = head_to_head([targets[name] for name in args.targets.split(",")], args, tools["vegeta"], log_dir)
    path = write(results, args, info, args.out)
    failed = [r["target"] for r in results if r["errors"]]
    print(f"report: {path}")
    if failed:
        sys.exit(f"errors under load: {', '.join(failed)}")


if __name__ == "__main__":
    main()
