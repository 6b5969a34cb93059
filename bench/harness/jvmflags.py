"""The JVM flag experiments of bench/jvm-flags.toml: every entry, under every limit profile, several
fresh processes each, taken in rounds (one of each per round): start to ready, the warm-up from the
first request until steady (time to 90 % of steady throughput: a pod the HPA adds in a spike serves at
its warm-up speed), idle and peak memory, throughput at saturation, latency at a fixed rate, GC count
and pause time, OOM kills. A repetition the machine's other work contended (measure.contention_verdict)
is kept but left out of the medians. Writes JSON,
CSV and an HTML report (RSS against throughput with the Pareto front, start-up bars, p99 bars) under
bench/results/.

  python3 -m bench.harness.jvmflags --service converter-vertx [--entries a,b] [--profiles deployment] [--smoke]
"""
import argparse
import csv
import datetime
import json
import os
import re
import shutil
import sys
import tempfile
import time
import tomllib
import urllib.request

from . import cgroups, measure, report, warmup
from .limits import deployment_limits, quantity_bytes
from .headtohead import machine, rotated
from .targets import ROOT, image_flags, services

def profile_limits(profile, service):
    if profile.get("source") == "deployment":
        return deployment_limits(service)
    return profile["cpus"], quantity_bytes(profile["memory"])


def gc_stats(port):
    """GC collections and total pause time, from the service's own /metrics."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
    except OSError:
        return None, None
    count = sum(float(v) for v in re.findall(r"^jvm_gc_pause_seconds_count\{[^}]*} ([\d.eE+-]+)$", text, re.M))
    seconds = sum(float(v) for v in re.findall(r"^jvm_gc_pause_seconds_sum\{[^}]*} ([\d.eE+-]+)$", text, re.M))
    return int(count), round(seconds * 1000, 1)


def expand(flags, service, work):
    out = []
    for flag in flags:
        if flag == "@image":
            out += image_flags(service)
        else:
            out.append(flag.replace("{work}", work))
    return out


def resolve(entries):
    """Entries with `extends` made whole: the named entry's flags, then the entry's own; its env merged
    under the entry's; its other fields (services, aot, training_flags) unless the entry gives them."""
    by_name = {entry["name"]: entry for entry in entries}

    def whole(entry, chain):
        base_name = entry.get("extends")
        if base_name is None:
            return entry
        if base_name not in by_name or base_name in chain:
            sys.exit(f"entry {entry['name']}: extends {base_name}, which is unknown or extends it in turn")
        base = whole(by_name[base_name], chain + [entry["name"]])
        merged = {**{k: v for k, v in base.items() if k not in ("name", "description")}, **entry}
        merged["flags"] = base.get("flags", []) + entry.get("flags", [])
        merged["env"] = {**base.get("env", {}), **entry.get("env", {})}
        del merged["extends"]
        return merged

    return [whole(entry, []) for entry in entries]


def train(entry, service, flags, env, settings, args, log_dir, work):
    """A training run for AOT and CDS entries: start, serve a little load, stop; the JVM writes the cache at exit."""
    training = [f.replace("-XX:AOTCache=", "-XX:AOTCacheOutput=") for f in flags] + entry.get("training_flags", [])
    target = services(flags=training)[service]
    server = measure.Server(target, args.server_cpu, log_dir, extra_env=env)
    try:
        server.wait_ready()
        server.verify()
        measure.wrk(server, args.load_cpu, settings["training_seconds"], settings["connections"])
        gc_stats(server.port)
    finally:
        server.stop(timeout=120)
    produced = [name for name in os.listdir(work) if name.startswith("app.")]
    if not produced:
        raise RuntimeError(f"{entry['name']}: the training run wrote no cache; see {server.log_path}:\n{server.log_text()[-2000:]}")


def run_once(service, flags, env, limits, rate, settings, args, log_dir, label):
    cpus, memory = limits
    group = cgroups.Cgroup(f"{service}-{os.getpid()}", memory, cpus) if cgroups.available() else None
    target = services(flags=flags)[service]
    # Cold: ready as soon as it listens (the Deployments' WARMUP_SECONDS would hide what the flags cost).
    server = measure.Server(target, args.server_cpu, log_dir, cgroup=group, extra_env={"WARMUP_SECONDS": "0", **env})
    cpu_limit = cpus if group else 1.0
    result = {"ok": False, "contended": False}
    try:
        result["ready_ms"] = server.wait_ready()
        match = re.search(r"startup_ms=(\d+)", server.log_text())
        result["jvm_startup_ms"] = int(match.group(1)) if match else None
        time.sleep(0.5)
        result["idle_rss_mib"] = round(server.rss_kib() / 1024, 1)
        server.verify()
        curve = warmup.curve(args.http_curve, server, args.load_cpu, settings["connections"], settings["warmup_seconds"],
                             server_cpu=args.server_cpu, cpu_limit=cpu_limit)
        result.update(warmup.fields(curve))
        saturation = measure.wrk(server, args.load_cpu, settings["saturation_seconds"], settings["connections"],
                                 server_cpu=args.server_cpu, cpu_limit=cpu_limit)
        fixed = measure.vegeta(args.vegeta, server, args.load_cpu, rate, settings["rate_seconds"],
                               server_cpu=args.server_cpu, cpu_limit=cpu_limit)
        server.verify()
        # The fixed-rate run is checked as the head-to-head's are: a p99 is what a stolen millisecond moves first.
        reasons = (curve["contention"]["reasons"] + saturation["contention"]["reasons"]
                   + [f"at {rate}/s: {reason}" for reason in fixed["contention"]["reasons"]])
        result.update({"contended": bool(reasons), "contention_reasons": list(dict.fromkeys(reasons)),
                       "target_cpu_share": saturation["contention"]["target_share"]})
        result.update({
            "rps": saturation["rps"], "saturation_p99_ms": saturation.get("p99_ms"), "rate": rate,
            "user_us_per_request": saturation["server_user_us_per_request"],
            "kernel_us_per_request": saturation["server_kernel_us_per_request"],
            "p50_ms": fixed["p50_ms"], "p99_ms": fixed["p99_ms"], "achieved_rps": fixed["achieved_rps"],
            "errors": saturation["errors"] + fixed["errors"], "peak_rss_mib": round(server.rss_kib("VmHWM") / 1024, 1),
        })
        result["gc_count"], result["gc_pause_ms"] = gc_stats(server.port)
        result["ok"] = True
    except Exception as error:  # an OOM kill or a crash is a result too
        result["failure"] = str(error)[:300]
    finally:
        exit_code = server.stop()
        if group:
            result["cgroup_peak_mib"] = round((group.peak_bytes() or 0) / 2**20, 1)
            result["oom_killed"] = group.oom_kills() > 0
            group.remove()
        result["exit_code"] = exit_code
    status = "ok" if result["ok"] else ("OOM-KILLED" if result.get("oom_killed") else f"FAILED ({result.get('failure', '')[:80]})")
    if result["ok"] and result["contended"]:
        status = f"CONTENDED, left out of the medians ({'; '.join(result['contention_reasons'])})"
    to_90 = result.get("seconds_to_90")
    print(f"    {label}: {status} ready {result.get('ready_ms')} ms, "
          + (f"90 % of steady {to_90} s after the first request, " if to_90 is not None else
             ("warm-up never steady, " if result.get("warmup") else ""))
          + f"{result.get('rps', 0):,.0f} req/s, "
          f"p99@{rate} {result.get('p99_ms')} ms, peak {result.get('peak_rss_mib')} MiB, GC {result.get('gc_count')}", flush=True)
    return result


def summarize(runs):
    """Median, min and max of every numeric measure over the repetitions that succeeded uncontended."""
    good = [r for r in runs if r["ok"] and not r.get("contended")]
    summary = {"reps": len(runs), "ok_reps": len([r for r in runs if r["ok"]]), "clean_reps": len(good),
               "oom_killed": any(r.get("oom_killed") for r in runs),
               "failures": [r.get("failure") for r in runs if not r["ok"]],
               "contention_reasons": list(dict.fromkeys(x for r in runs for x in r.get("contention_reasons", [])))}
    keys = ["ready_ms", "jvm_startup_ms", "seconds_to_90", "warmup_shortfall_requests", "warmup_steady_rps",
            "idle_rss_mib", "peak_rss_mib", "cgroup_peak_mib", "rps", "saturation_p99_ms",
            "p50_ms", "p99_ms", "achieved_rps", "gc_count", "gc_pause_ms", "errors", "user_us_per_request", "kernel_us_per_request"]
    for key in keys:
        values = [r[key] for r in good if r.get(key) is not None]
        if values:
            summary[key] = measure.median(values)
            summary[key + "_min"], summary[key + "_max"] = min(values), max(values)
    return summary


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--matrix", default=os.path.join(ROOT, "bench/jvm-flags.toml"))
    parser.add_argument("--service", default="converter-vertx")
    parser.add_argument("--entries", help="comma-separated entry names (default: all)")
    parser.add_argument("--profiles", help="comma-separated profile names (default: all that apply)")
    parser.add_argument("--reps", type=int)
    parser.add_argument("--smoke", action="store_true", help="the reduced matrix of [smoke]")
    parser.add_argument("--server-cpu", default="1")
    parser.add_argument("--load-cpu", default="0")
    parser.add_argument("--vegeta", required=True)
    parser.add_argument("--http-curve", required=True, help="bench/load/http-curve's binary (the warm-up curves)")
    parser.add_argument("--out", default=os.path.join(ROOT, "bench/results"))
    args = parser.parse_args(argv)

    with open(args.matrix, "rb") as f:
        matrix = tomllib.load(f)
    settings = dict(matrix["settings"])
    entries, profiles = resolve(matrix["entries"]), matrix["profiles"]
    wanted_entries = args.entries.split(",") if args.entries else None
    wanted_profiles = args.profiles.split(",") if args.profiles else None
    if args.smoke:
        smoke = matrix["smoke"]
        settings.update({k: v for k, v in smoke.items() if k in settings})
        wanted_entries, wanted_profiles = smoke["entries"], smoke["profiles"]
    if args.reps:
        settings["reps"] = args.reps
    entries = [e for e in entries if (wanted_entries is None or e["name"] in wanted_entries)
               and args.service in e.get("services", [args.service])]
    profiles = {n: p for n, p in profiles.items() if (wanted_profiles is None or n in wanted_profiles)
                and args.service in p.get("services", [args.service])}
    if not entries or not profiles:
        sys.exit("no entry or profile left to run")
    if not cgroups.available():
        print("warning: cannot create cgroups here (not root?): runs are NOT under the limits", file=sys.stderr)

    os.makedirs(args.out, exist_ok=True)
    works = []
    with tempfile.TemporaryDirectory() as log_dir:
        try:
            # Every entry's flags (and AOT cache) first; then the reps in rounds, each round running
            # every entry under every profile once, one further along than the last: the loopback's
            # speed drifts over minutes, and an entry's reps taken in a row would all meet one drift.
            cells = []
            for entry in entries:
                work = tempfile.mkdtemp(prefix=f"jvmflags-{entry['name']}-")
                works.append(work)
                flags = expand(entry.get("flags", []), args.service, work)
                env = entry.get("env", {})
                print(f"--- {args.service} / {entry['name']}: {' '.join(flags) or '(no flags)'} {env or ''}", flush=True)
                if entry.get("aot"):
                    train(entry, args.service, flags, env, settings, args, log_dir, work)
                for profile_name, profile in profiles.items():
                    cells.append({"entry": entry, "flags": flags, "env": env, "profile": profile_name,
                                  "limits": profile_limits(profile, args.service),
                                  "rate": profile["rates"][args.service], "runs": []})
            for rep in range(settings["reps"]):
                for cell in rotated(cells, rep):
                    cell["runs"].append(run_once(args.service, cell["flags"], cell["env"], cell["limits"], cell["rate"],
                                                 settings, args, log_dir, f"{cell['entry']['name']} / {cell['profile']} #{rep + 1}"))
        finally:
            for work in works:
                shutil.rmtree(work, ignore_errors=True)
    results = [{"service": args.service, "entry": cell["entry"]["name"], "flags": cell["flags"], "env": cell["env"],
                "description": cell["entry"].get("description", ""), "profile": cell["profile"],
                "cpus": cell["limits"][0], "memory_mib": round(cell["limits"][1] / 2**20), "rate": cell["rate"],
                "runs": cell["runs"], **summarize(cell["runs"])} for cell in cells]
    path = write(results, settings, args, machine())
    print(f"report: {path}")
    # The smoke checks the harness, and that the shipped flags run under their own limits; another
    # entry failing there (the JVM's defaults OOM-killed under a small limit) is a result, not a fault.
    shipped_failed = [f"{r['entry']}/{r['profile']}" for r in results if r["entry"] == "shipped" and r["ok_reps"] < r["reps"]]
    if args.smoke and shipped_failed:
        sys.exit(f"the shipped flags failed under the limits: {shipped_failed}")


def write(results, settings, args, info):
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = os.path.join(args.out, f"{stamp}-jvm-flags-{args.service}")
    document = {"created": datetime.datetime.now().isoformat(timespec="seconds"), "machine": info, "settings": settings,
                "cgroup_limits": cgroups.available(), "results": results}
    with open(base + ".json", "w") as out:
        json.dump(document, out, indent=2)
    columns = ["service", "profile", "entry", "ok_reps", "clean_reps", "reps", "oom_killed", "ready_ms", "ready_ms_min", "ready_ms_max",
               "seconds_to_90", "seconds_to_90_min", "seconds_to_90_max", "warmup_shortfall_requests",
               "idle_rss_mib", "peak_rss_mib", "peak_rss_mib_min", "peak_rss_mib_max", "cgroup_peak_mib", "rps", "rps_min",
               "rps_max", "rate", "p50_ms", "p99_ms", "p99_ms_min", "p99_ms_max", "gc_count", "gc_pause_ms", "errors",
               "user_us_per_request", "kernel_us_per_request"]
    with open(base + ".csv", "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns + ["flags", "env"])
        for r in results:
            writer.writerow([r.get(c) for c in columns] + [" ".join(r["flags"]), json.dumps(r["env"])])
    with open(base + ".html", "w") as out:
        out.write(html_report(document))
    return base + ".html"


def html_report(document):
    sections = []
    results = document["results"]
    for profile in dict.fromkeys(r["profile"] for r in results):
        rows = [r for r in results if r["profile"] == profile]
        good = [r for r in rows if r["clean_reps"]]
        first = rows[0]
        table = report.table(
            ["entry", "ok", "uncontended", "start to ready ms", "first request to 90 % of steady s",
             "requests short of steady", "idle RSS MiB", "peak RSS MiB", "req/s", f"p99 at {first['rate']}/s ms",
             "CPU µs/request user + kernel", "GC count", "GC pause ms", "OOM"],
            [[r["entry"], f"{r['ok_reps']}/{r['reps']}", f"{r['clean_reps']}/{r['reps']}",
              f"{report.fmt(r.get('ready_ms'), 0)} ({report.fmt(r.get('ready_ms_min'), 0)}–{report.fmt(r.get('ready_ms_max'), 0)})",
              f"{report.fmt(r.get('seconds_to_90'), 2)} ({report.fmt(r.get('seconds_to_90_min'), 2)}–{report.fmt(r.get('seconds_to_90_max'), 2)})",
              report.fmt(r.get("warmup_shortfall_requests")),
              report.fmt(r.get("idle_rss_mib")),
              f"{report.fmt(r.get('peak_rss_mib'))} ({report.fmt(r.get('peak_rss_mib_min'))}–{report.fmt(r.get('peak_rss_mib_max'))})",
              f"{report.fmt(r.get('rps'))} ({report.fmt(r.get('rps_min'))}–{report.fmt(r.get('rps_max'))})",
              f"{report.fmt(r.get('p99_ms'), 2)} ({report.fmt(r.get('p99_ms_min'), 2)}–{report.fmt(r.get('p99_ms_max'), 2)})",
              f"{report.fmt(r.get('user_us_per_request'), 2)} + {report.fmt(r.get('kernel_us_per_request'), 2)}",
              report.fmt(r.get("gc_count"), 0), report.fmt(r.get("gc_pause_ms")), "yes" if r["oom_killed"] else ""] for r in rows])
        charts = []
        if good:
            charts.append(report.scatter(f"Peak RSS against throughput ({profile})",
                                         [{"label": r["entry"], "x": r["peak_rss_mib"], "y": r["rps"], "color": report.PALETTE["variant"]}
                                          for r in good], "peak RSS (MiB)", "requests/s"))
            with_cpu = [r for r in good if r.get("user_us_per_request") is not None]
            if with_cpu:
                # The loopback's footing moves req/s by ±10 % from run to run; the server's own CPU per
                # request moves much less, so this front is the steadier guide to a flag's cost.
                charts.append(report.scatter(f"Peak RSS against user CPU per request ({profile})",
                                             [{"label": r["entry"], "x": r["peak_rss_mib"], "y": r["user_us_per_request"],
                                               "color": report.PALETTE["variant"]} for r in with_cpu],
                                             "peak RSS (MiB)", "user CPU µs per request (lower is better)", y_higher_better=False))
            charts.append(report.bar_chart(f"Start to ready ({profile})",
                                           [{"label": r["entry"], "value": r["ready_ms"], "lo": r["ready_ms_min"], "hi": r["ready_ms_max"],
                                             "color": report.PALETTE["variant"]} for r in good], "ms"))
            with_curve = [r for r in good if r.get("seconds_to_90") is not None]
            if with_curve:
                charts.append(report.bar_chart(f"First request to 90 % of steady throughput ({profile})",
                                               [{"label": r["entry"], "value": r["seconds_to_90"], "lo": r["seconds_to_90_min"],
                                                 "hi": r["seconds_to_90_max"], "color": report.PALETTE["variant"]} for r in with_curve], "s"))
            curves = [(r["entry"], run["warmup"]) for r in good for run in r["runs"][:1] if run.get("warmup")]
            if curves:
                charts.append(warmup.chart(f"Warm-up from the first request, first repetition ({profile})", curves, width=520))
            charts.append(report.bar_chart(f"p99 latency at {first['rate']}/s ({profile})",
                                           [{"label": r["entry"], "value": r["p99_ms"], "lo": r["p99_ms_min"], "hi": r["p99_ms_max"],
                                             "color": report.PALETTE["variant"]} for r in good], "ms"))
        heading = f"{first['service']}, profile {profile}: {first['cpus']} CPU, {first['memory_mib']} MiB"
        sections.append((heading, table + f'<div class="charts">{"".join(charts)}</div>'))
    flags = report.table(["entry", "flags", "env", "what it is"],
                         [[r["entry"], " ".join(r["flags"]) or "(none)", json.dumps(r["env"]) if r["env"] else "", r["description"]]
                          for r in {r["entry"]: r for r in results}.values()])
    sections.append(("Entries", flags))
    s, m = document["settings"], document["machine"]
    intro = (f"{document['created']} on {m['cpus']} CPUs ({report.esc(m['cpu_model'])}), {report.esc(m['jdk'])}, in {report.esc(m.get('network', '?'))}. "
             f"Each run a fresh process {'in a cgroup with the profile limits' if document['cgroup_limits'] else 'WITHOUT limits'}, "
             f"pinned to one core, ready as soon as it listens (WARMUP_SECONDS=0); load on the other: from the first request "
             f"the warm-up curve (bench/load/http-curve, {s['connections']} connections, until {warmup.STEADY_SECONDS} consecutive "
             f"1 s windows agree within {warmup.TOLERANCE:.0%}, at most {s['warmup_seconds']} s), then "
             f"<code>wrk -t1 -c{s['connections']} -d{s['saturation_seconds']}s</code>, then vegeta at the profile's rate for "
             f"{s['rate_seconds']} s. Medians of the uncontended ones of {s['reps']} repetitions, (min–max); a repetition in "
             f"which the server had under {measure.MIN_TARGET_SHARE:.0%} of its CPU limit at saturation, or other processes "
             f"took over {measure.MAX_OTHERS_CORES} cores, is contended and left out.")
    return report.page("footprint JVM flag experiments", intro, sections)


if __name__ == "__main__":
    main()
