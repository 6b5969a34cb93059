"""The head-to-head: the targets on one core (`taskset`), one under load at a time, the load generator
on the other; per target its start-to-ready time, its warm-up curve from the first request after ready
until its throughput is steady (bench/harness/warmup.py), several saturation runs with wrk taken in
rounds with its peers' (median, min, max; and req/s over the reference's round by round), fixed-rate
runs with vegeta in rounds as well (after one unmeasured run at the rate: its new connections meet a
JVM's accept path cold; median p99), peak resident memory and CPU per request. Writes JSON, CSV and an HTML
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

from . import cgroups, measure, report, warmup
from .limits import deployment_env, deployment_limits
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
        self.cpu_limit = cpus if self.group else 1.0  # without a cgroup: the one core it is pinned to
        print(f"--- {target.name} starts" + (f" (limits {cpus} CPU, {memory // 2**20} MiB)" if self.group else " (no limits)"), flush=True)
        self.server = measure.Server(target, args.server_cpu, log_dir, cgroup=self.group, extra_env=self.deployment_env())
        self.runs, self.fixed_runs, self.exit_code, self.oom, self.cgroup_peak, self.curve = [], [], None, 0, None, None
        self.contended_runs = []  # the runs repeated because they were contended, kept for the JSON

    def deployment_env(self):
        """A service runs with its Deployment's WARMUP_SECONDS (the released image warms itself before it
        is ready), unless the target sets its own or --service-warmup says otherwise."""
        if self.target.kind != "service" or "WARMUP_SECONDS" in self.target.env:
            return {}
        seconds = deployment_env(self.target.limits_from, "WARMUP_SECONDS") if self.args.service_warmup == "deployment" else self.args.service_warmup
        return {"WARMUP_SECONDS": seconds} if seconds is not None else {}

    def wait_ready(self):
        self.ready_ms = self.server.wait_ready()
        self.server.verify()

    def warm_up(self, tool):
        """From the first request after ready until steady: the warm-up, and its curve as a result."""
        self.curve = warmup.curve(tool, self.server, self.args.load_cpu, self.args.connections, self.args.warmup,
                                  server_cpu=self.args.server_cpu, cpu_limit=self.cpu_limit)
        self.server.verify()
        print(f"    {self.target.name}: ready in {self.ready_ms} ms, {warmup.describe(self.curve)}", flush=True)
        self.server.settle()
        self.idle_kib = self.server.rss_kib()

    def saturate(self, seconds):
        return measure.wrk(self.server, self.args.load_cpu, seconds, self.args.connections,
                           server_cpu=self.args.server_cpu, cpu_limit=self.cpu_limit)

    def measured_run(self, seconds, retries):
        """One run of a round; a contended one is said, and taken again up to `retries` times. The last
        one is kept whatever it is: contended, it stays out of the medians and the ratios."""
        for attempt in range(retries + 1):
            run = self.saturate(seconds)
            if not run["contention"]["contended"]:
                return run
            print(f"    {self.target.name}: CONTENDED ({'; '.join(run['contention']['reasons'])})"
                  + (", again" if attempt < retries else f", left out after {retries + 1} tries"), flush=True)
            if attempt < retries:
                self.contended_runs.append(run)
        return run

    def at_rate(self, vegeta, seconds):
        return measure.vegeta(vegeta, self.server, self.args.load_cpu, self.args.rate, seconds,
                              server_cpu=self.args.server_cpu, cpu_limit=self.cpu_limit)

    def fixed_run(self, vegeta, retries):
        """One fixed-rate run of a round, taken again while contended, as a saturation run is."""
        for attempt in range(retries + 1):
            run = self.at_rate(vegeta, self.args.rate_seconds)
            if not run["contention"]["contended"]:
                return run
            print(f"    {self.target.name} at {self.args.rate}/s: CONTENDED ({'; '.join(run['contention']['reasons'])})"
                  + (", again" if attempt < retries else f", left out after {retries + 1} tries"), flush=True)
        return run

    def finish(self):
        """A last check that it still answers right, and its memory high-water mark."""
        self.server.verify()
        self.peak_kib, self.rss_after_kib = self.server.rss_kib("VmHWM"), self.server.rss_kib()

    def stop(self):
        self.exit_code = self.server.stop()
        if self.group:
            self.oom, self.cgroup_peak = self.group.oom_kills(), self.group.peak_bytes()
            self.group.remove()

    def result(self):
        return summarise(self.runs, {
            "target": self.target.name, "kind": self.target.kind, "ready_ms": self.ready_ms,
            "contended_runs": self.contended_runs, **self.memory(), **warmup.fields(self.curve)},
            measure.fixed_rate_summary(self.fixed_runs))

    def memory(self):
        return {
            "idle_rss_mib": round(self.idle_kib / 1024, 1), "rss_after_mib": round(self.rss_after_kib / 1024, 1),
            "peak_rss_mib": round(self.peak_kib / 1024, 1), "exit_code": self.exit_code, "oom_kills": self.oom,
            "limits": self.limits,
            "cgroup_peak_mib": round(self.cgroup_peak / 2**20, 1) if self.cgroup_peak else None,
        }


def clean(run):
    return not (run.get("contention") or {}).get("contended")


def summarise(runs, fields, fixed):
    """Medians of the uncontended runs only; with none, no figure at all ("contended": true). Every run,
    contended or not, is kept under "runs"."""
    good = [r for r in runs if clean(r)]
    med = lambda key: measure.median([r.get(key) or 0 for r in good]) if good else None
    rps = [r["rps"] for r in good]
    return {
        **fields, "contended": not good, "clean_runs": len(good),
        "rps_median": med("rps"), "rps_min": min(rps) if rps else None, "rps_max": max(rps) if rps else None, "runs": runs,
        "saturation_p50_ms": med("p50_ms"), "saturation_p99_ms": med("p99_ms"),
        "saturation_cpu_cores": med("server_cpu_cores"),
        "user_us_per_request": med("server_user_us_per_request"),
        "kernel_us_per_request": med("server_kernel_us_per_request"),
        "target_cpu_share": measure.median([r["contention"]["target_share"] for r in good if r.get("contention")]) if good else None,
        "errors": sum(r["errors"] for r in runs) + (fixed["errors"] if fixed else 0), "fixed_rate": fixed,
    }


def rotated(items, start):
    """The round's order: each round begins one further along, so no target always runs first."""
    start %= len(items)
    return items[start:] + items[:start]


def head_to_head(targets, args, tools, log_dir):
    """Every target up at once (idle ones cost nothing on the shared core), each warmed up from its
    first request until steady as it comes up, then measured in rounds, one run of each per round. The
    loopback's speed drifts from minute to minute; a target's runs interleaved with its peers' meet the
    same drift, and a round's runs pair up for ratios."""
    contenders = []
    try:
        for target in targets:
            contenders.append(Contender(target, args, log_dir))  # started: stopped below whatever happens
            contenders[-1].wait_ready()
            contenders[-1].warm_up(tools["http_curve"])
        for round_number in range(args.runs):
            for contender in rotated(contenders, round_number):
                contender.runs.append(contender.measured_run(args.seconds, args.retries))
            print(f"    round {round_number + 1}/{args.runs}: "
                  + ", ".join(f"{c.target.name} " + (f"{c.runs[-1]['rps']:,.0f}" if clean(c.runs[-1]) else "CONTENDED")
                              for c in contenders) + " req/s", flush=True)
        if args.rate:
            fixed_rate_rounds(contenders, args, tools["vegeta"])
        for contender in contenders:
            contender.finish()
    finally:
        for contender in contenders:
            contender.stop()
    results = [contender.result() for contender in contenders]
    add_paired_ratios(results, args.reference)
    for key, anchor in ANCHOR_RATIOS.items():
        add_paired_ratios(results, anchor, key)
    for result in results:
        print(summary_line(result), flush=True)
    print(terminal_table(results, reference=args.reference), flush=True)
    return results


def fixed_rate_rounds(contenders, args, vegeta):
    """Each target once at the rate unmeasured (the connections vegeta opens are new: a JVM's accept
    path may still be interpreted after keep-alive saturation), then the measured runs in rounds."""
    if args.rate_warmup:
        for contender in contenders:
            contender.at_rate(vegeta, args.rate_warmup)
    for round_number in range(args.rate_runs):
        for contender in rotated(contenders, round_number):
            contender.fixed_runs.append(contender.fixed_run(vegeta, args.retries))
        print(f"    at {args.rate}/s, round {round_number + 1}/{args.rate_runs}: "
              + ", ".join(f"{c.target.name} p99 " + (f"{c.fixed_runs[-1]['p99_ms']:.2f} ms" if clean(c.fixed_runs[-1]) else "CONTENDED")
                          for c in contenders), flush=True)


def terminal_table(results, reference="go-peer"):
    """The results as the terminal shows them last: req/s and the three ratios, or "CONTENDED"."""
    headers = ["target", "req/s median [min-max]", f"× {reference}", *RATIO_COLUMNS.values(), "CPU of limit",
               "uncontended runs", "ready ms", "to 90 % s"]
    rows = []
    for r in results:
        runs = f"{r['clean_runs']}/{len(r['runs'])}"
        if r.get("contended"):
            rows.append([r["target"], "CONTENDED", "-", "-", "-", "-", runs, r["ready_ms"], warmup.text(r)])
            continue
        rows.append([r["target"], f"{r['rps_median']:,.0f} [{r['rps_min']:,.0f}-{r['rps_max']:,.0f}]",
                     *(ratio_text(r.get(k)).replace("–", "-") for k in ("vs_reference", *RATIO_COLUMNS)),
                     f"{r['target_cpu_share']:.0%}", runs, r["ready_ms"], warmup.text(r)])
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]
    line = lambda row: "  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
    return "\n".join([line(headers), *map(line, rows)])


# Besides "× <reference>" (go-peer): each target against the anchors, when they ran: key, target.
ANCHOR_RATIOS = {"vs_fasthttp": "fasthttp-peer", "vs_ceiling": "nginx-ceiling"}
RATIO_COLUMNS = {"vs_fasthttp": "× fasthttp", "vs_ceiling": "× ceiling"}


def add_paired_ratios(results, reference, key="vs_reference"):
    """Each target's req/s over the reference's, round by round (the runs of one round are minutes
    apart at most): the median of those ratios, with min and max, under `key`. A round in which
    either run was contended gives no ratio."""
    base = next((r for r in results if r["target"] == reference), None)
    for result in results:
        if base is None or result is base:
            result[key] = None
            continue
        ratios = [mine["rps"] / theirs["rps"] for mine, theirs in zip(result["runs"], base["runs"])
                  if theirs["rps"] and clean(mine) and clean(theirs)]
        result[key] = {"reference": reference, "median": round(measure.median(ratios), 3),
                                  "min": round(min(ratios), 3), "max": round(max(ratios), 3)} if ratios else None


def summary_line(result):
    fixed = result["fixed_rate"]
    if result.get("contended"):
        reasons = "; ".join(dict.fromkeys(reason for r in result["runs"] for reason in r["contention"]["reasons"]))
        return (f"--- {result['target']}: CONTENDED in every run, no figure ({reasons}); "
                f"peak RSS {result['peak_rss_mib']} MiB, ready {result['ready_ms']} ms")
    ratios = "".join(f", {ratio['median']:.2f}x {ratio['reference']} [{ratio['min']:.2f}-{ratio['max']:.2f}]"
                     for ratio in (result.get(k) for k in ("vs_reference", *ANCHOR_RATIOS)) if ratio)
    left_out = len(result["runs"]) - result["clean_runs"]
    line = (f"--- {result['target']}: {result['rps_median']:,.0f} req/s [{result['rps_min']:,.0f}-{result['rps_max']:,.0f}]"
            + ratios + (f", {left_out} contended run(s) left out" if left_out else "")
            + f", CPU {result['target_cpu_share']:.0%} of its limit"
            + f", peak RSS {result['peak_rss_mib']} MiB, ready {result['ready_ms']} ms, "
            + (f"90 % of steady {result['seconds_to_90']:.2f} s after its first request "
               f"({result['warmup_shortfall_requests']:,} requests short), " if result.get("seconds_to_90") is not None
               else f"warm-up {warmup.text(result)}, ")
            + f"CPU per request {result['user_us_per_request']:.2f} µs user + {result['kernel_us_per_request']:.2f} µs kernel")
    if fixed and fixed["contended"]:
        line += f", at {fixed['rate']}/s CONTENDED in every run"
    elif fixed:
        line += (f", at {fixed['rate']}/s p50 {fixed['p50_ms']} ms p99 {fixed['p99_ms']} ms "
                 f"[{fixed['p99_min_ms']}-{fixed['p99_max_ms']}] ({fixed['clean_runs']} of {len(fixed['runs'])} runs)")
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
                         "vs_reference_min", "vs_reference_max", "vs_fasthttp_median", "vs_ceiling_median",
                         "contended", "clean_runs", "runs", "target_cpu_share", "seconds_to_90", "warmup_steady_rps",
                         "warmup_shortfall_requests", "warmup_settled", "warmup_contended"])
        for r in results:
            f, v = r["fixed_rate"] or {}, r.get("vs_reference") or {}
            writer.writerow([r["target"], r["kind"], r["rps_median"], r["rps_min"], r["rps_max"], r["saturation_p99_ms"],
                             f.get("rate"), f.get("p50_ms"), f.get("p90_ms"), f.get("p99_ms"), r["errors"], r["peak_rss_mib"],
                             r["ready_ms"], r["saturation_cpu_cores"], r["user_us_per_request"], r["kernel_us_per_request"],
                             v.get("reference"), v.get("median"), v.get("min"), v.get("max"),
                             (r.get("vs_fasthttp") or {}).get("median"), (r.get("vs_ceiling") or {}).get("median"),
                             r["contended"], r["clean_runs"], len(r["runs"]), r["target_cpu_share"], r["seconds_to_90"],
                             r["warmup_steady_rps"], r["warmup_shortfall_requests"], r["warmup_settled"], r["warmup_contended"]])
    with open(base + ".html", "w") as out:
        out.write(html_report(document))
    return base + ".html"


def ratio_text(ratio):
    return "–" if not ratio else f"{ratio['median']:.2f} ({ratio['min']:.2f}–{ratio['max']:.2f})"


def html_report(document):
    everything, s, m = document["results"], document["settings"], document["machine"]
    results = [r for r in everything if not r.get("contended")]  # the charts: results only
    color = lambda r: report.PALETTE[r["kind"]]
    rows = []
    for r in everything:
        f = r["fixed_rate"] or {}
        runs = f"{r['clean_runs']} of {len(r['runs'])}" + (f" (+{len(r['contended_runs'])} repeated)" if r.get("contended_runs") else "")
        if r.get("contended"):
            reasons = "; ".join(dict.fromkeys(x for run in r["runs"] for x in run["contention"]["reasons"]))
            rows.append([r["target"], "contended", reasons, runs, *["–"] * 14, warmup.text(r), "–"])
            continue
        rows.append([r["target"], report.fmt(r["rps_median"]), f"{report.fmt(r['rps_min'])}–{report.fmt(r['rps_max'])}", runs,
                     ratio_text(r.get("vs_reference")), ratio_text(r.get("vs_fasthttp")), ratio_text(r.get("vs_ceiling")),
                     report.fmt(r["target_cpu_share"] * 100) + " %",
                     report.fmt(r["saturation_p99_ms"], 2), report.fmt(f.get("p50_ms"), 2), report.fmt(f.get("p99_ms"), 2),
                     report.fmt(f.get("achieved_rps")), r["errors"], report.fmt(r["peak_rss_mib"]), r["ready_ms"],
                     report.fmt(r["saturation_cpu_cores"], 2), report.fmt(r["user_us_per_request"], 2),
                     report.fmt(r["kernel_us_per_request"], 2), warmup.text(r),
                     report.fmt(r["warmup_shortfall_requests"])])
    summary = report.table(["target", "req/s (median)", "min–max", "uncontended runs", f"× {s.get('reference')} (paired rounds)",
                            *RATIO_COLUMNS.values(), "CPU of its limit", "p99 at saturation ms", f"p50 at {s['rate']}/s ms",
                            f"p99 at {s['rate']}/s ms", "achieved/s", "errors", "peak RSS MiB", "start to ready ms",
                            "CPU cores at saturation", "user CPU µs/request", "kernel CPU µs/request",
                            "first request to 90 % of steady s", "requests short of steady in the warm-up"], rows)
    charts = [] if not results else [
        report.bar_chart("Throughput on one core (median, whiskers min–max)",
                         [{"label": r["target"], "value": r["rps_median"], "lo": r["rps_min"], "hi": r["rps_max"], "color": color(r)}
                          for r in results], "requests/s"),
        report.bar_chart(f"p99 latency at {s['rate']} requests/s (vegeta)",
                         [{"label": r["target"], "value": r["fixed_rate"]["p99_ms"], "lo": r["fixed_rate"]["p99_min_ms"],
                           "hi": r["fixed_rate"]["p99_max_ms"], "color": color(r)}
                          for r in results if r["fixed_rate"] and not r["fixed_rate"]["contended"]], "ms"),
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
             f"<code>wrk -t1 -c{s['connections']} -d{s['seconds']}s</code> × {s['runs']} rounds after each target's warm-up "
             f"(from its first request after ready until {warmup.STEADY_SECONDS} consecutive 1 s windows agree within "
             f"{warmup.TOLERANCE:.0%}, at most {s['warmup']} s; the services with their Deployments' WARMUP_SECONDS unless "
             f"named -cold: {report.esc(str(s.get('service_warmup')))}) "
             f"(all targets up, one loaded at a time, each round's order one further along; "
             f"× {report.esc(str(s.get('reference')))}: median of the rounds' ratios, min–max), then "
             f"<code>vegeta attack -rate={s['rate']}/s -duration={s['rate_seconds']}s</code> in {s.get('rate_runs')} rounds "
             f"after {s.get('rate_warmup')} s at that rate unmeasured (p99: median of the rounds, whiskers min–max). Blue: this project's services; grey: peers; "
             f"dark grey: the anchors (fasthttp, Gin, nginx's ceiling). A run is contended when the target had under "
             f"{measure.MIN_TARGET_SHARE:.0%} of its CPU limit or other processes took over {measure.MAX_OTHERS_CORES} cores; "
             f"it is taken again (at most {s.get('retries')} times), and a contended run is in no median and no ratio.")
    contended = [r["target"] for r in everything if r.get("contended")]
    if contended:
        summary = (f'<p><strong>Contended, so without figures: {report.esc(", ".join(contended))}</strong> '
                   f'(every run of theirs was; the reasons are in the table).</p>' + summary)
    chart_html = f'<div class="charts">{"".join(charts)}</div>' if results else "<p>No uncontended result to chart.</p>"
    return report.page("footprint head-to-head", intro, [("Results", summary), ("Charts", chart_html),
                                                         ("Warm-up", warmup_section(everything))])


def warmup_section(results):
    """Each target's curve from its first request after ready, and what it cost."""
    curves = [r for r in results if r.get("warmup") and not r["warmup_contended"]]
    rows = [[r["target"], r["ready_ms"], warmup.text(r), report.fmt(r["warmup_steady_rps"]),
             report.fmt(r["warmup_shortfall_requests"]), report.fmt((r.get("warmup") or {}).get("elapsed_s"))] for r in results]
    table = report.table(["target", "start to ready ms", "first request to 90 % of steady s", "steady req/s (the curve's)",
                          "requests short of steady on the way", "curve length s"], rows)
    chart = (warmup.chart("Requests/s per 250 ms from the first request after ready", [(r["target"], r["warmup"]) for r in curves])
             if curves else "<p>No uncontended curve.</p>")
    note = ("<p class=note>Saturating load from the first request on (bench/load/http-curve: the wrk run's connections, "
            "answers counted by when they completed). A JVM with its image's flags starts with C2 alone: it interprets "
            "until the request path is compiled. The services warm themselves before they report ready "
            "(WARMUP_SECONDS in their Deployments), so their cost is in the start-to-ready time; a -cold target is "
            "ready as soon as it listens and pays it under load. Requests short: what the windows before the steady "
            "ones lacked against the steady rate.</p>")
    return note + table + chart


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--targets", help="comma-separated target names (default: every target)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=60,
                        help="the longest warm-up, s: each target is loaded from its first request until its throughput is steady")
    parser.add_argument("--service-warmup", default="deployment",
                        help="WARMUP_SECONDS for the services: 'deployment' (their Deployments' value) or a number of seconds")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rate", type=int, default=2000, help="fixed arrival rate for vegeta; 0 skips it")
    parser.add_argument("--rate-seconds", type=int, default=10)
    parser.add_argument("--rate-runs", type=int, default=3, help="fixed-rate runs per target, in rounds (median p99)")
    parser.add_argument("--rate-warmup", type=int, default=2,
                        help="seconds at the rate, unmeasured, before the fixed-rate rounds; 0: none"),
    parser.add_argument("--server-cpu", default="1")
    parser.add_argument("--load-cpu", default="0")
    parser.add_argument("--reference", default="go-peer", help="the target every other's req/s is divided by, round by round")
    parser.add_argument("--retries", type=int, default=2, help="how often a contended run is taken again before it is left out")
    parser.add_argument("--name", default="head-to-head")
    parser.add_argument("--tools", required=True, help="JSON of tool paths: go_peer, jdk_peer, python, vegeta, http_curve")
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
        results = head_to_head([targets[name] for name in args.targets.split(",")], args, tools, log_dir)
    path = write(results, args, info, args.out)
    failed = [r["target"] for r in results if r["errors"]]
    contended = [r["target"] for r in results if r["contended"]]
    print(f"report: {path}")
    if contended:
        print(f"CONTENDED, no figures: {', '.join(contended)} (a busy machine: see the reasons above)")
    if failed:
        sys.exit(f"errors under load: {', '.join(failed)}")


if __name__ == "__main__":
    main()
