"""The warm-up as a result: from the first request after ready, saturating load (bench/load/http-curve,
wrk's closed loop with answers counted per 250 ms) until throughput is steady, and what the curve
says: the steady throughput, the time to 90 % of it, and how many requests the server fell short by
on the way compared with a warm one (what a pod added in a spike costs its clients)."""
import json
import subprocess

from . import measure, report

STEADY_SECONDS = 3   # the curve ends once this many consecutive 1 s windows agree ...
TOLERANCE = 0.05     # ... within 5 % of the largest of them
SHARE_OF_STEADY = 0.90


def analyse(counts, window_ms, settled, steady_seconds=STEADY_SECONDS, share=SHARE_OF_STEADY):
    """counts: answers per window from the first request. Steady: the mean rate of the last
    `steady_seconds` (the windows that agreed). Time to 90 %: the end of the first window at or above
    `share` of it. Shortfall: what the windows before the steady ones lacked against it, in requests.
    A curve that never settled has no steady rate, so none of these."""
    per_second = 1000 // window_ms
    tail = steady_seconds * per_second
    if not settled or len(counts) < tail:
        return {"steady_rps": None, "seconds_to_90": None, "shortfall_requests": None}
    steady_per_window = sum(counts[-tail:]) / tail
    first = next(i for i, count in enumerate(counts) if count >= share * steady_per_window)
    shortfall = sum(max(steady_per_window - count, 0) for count in counts[:-tail])
    return {"steady_rps": round(steady_per_window * per_second, 1),
            "seconds_to_90": round((first + 1) * window_ms / 1000, 3),
            "shortfall_requests": round(shortfall)}


def rates(curve):
    """(seconds since the first request, requests/s) per window: the points of a chart."""
    window = curve["window_ms"] / 1000
    return [(round((i + 1) * window, 3), count / window) for i, count in enumerate(curve["counts"])]


def curve(tool, server, cpu, connections, longest, server_cpu=None, cpu_limit=1.0):
    """Saturates `server` from `cpu` until steady (at most `longest` s) and returns the counts, the
    analysis and the run's contention (as measure.wrk judges it: a busy machine makes a slow curve)."""
    request = server.target.request
    command = ["taskset", "-c", cpu, tool, "-url", server.url(request.path), "-method", request.method,
               "-c", str(connections), "-max", f"{longest}s", "-min", f"{min(longest, STEADY_SECONDS)}s",
               "-steady", str(STEADY_SECONDS), "-tolerance", str(TOLERANCE)]
    if request.body is not None:
        command += ["-body", request.body]
    for name, value in request.headers.items():
        command += ["-header", f"{name}: {value}"]
    out, run = measure.observed(server, cpu, server_cpu, cpu_limit,
                                lambda: subprocess.run(command, capture_output=True, text=True, timeout=longest + 60))
    if out.returncode != 0:
        raise RuntimeError(f"http-curve failed ({out.returncode}): {out.stderr.strip()[:300]}")
    result = json.loads(out.stdout)
    result.update(analyse(result["counts"], result["window_ms"], result["settled"]))
    result["contention"] = run["contention"]
    return result


def fields(curve):
    """The warm-up's figures as the results carry them; a contended curve gives none (its counts stay)."""
    usable = curve is not None and not curve["contention"]["contended"]
    return {"warmup": curve, "warmup_contended": curve is not None and not usable,
            "warmup_settled": bool(curve and curve["settled"]),
            "seconds_to_90": curve["seconds_to_90"] if usable else None,
            "warmup_steady_rps": curve["steady_rps"] if usable else None,
            "warmup_shortfall_requests": curve["shortfall_requests"] if usable else None}


def text(result):
    """A result's time to 90 % for a table, or why it has none."""
    if result.get("warmup_contended"):
        return "contended"
    if not result.get("warmup_settled"):
        return "never steady"
    return f"{result['seconds_to_90']:.2f}"


def chart(title, curves, width=1040):
    """curves: (label, curve) pairs, one line each from (0, 0)."""
    return report.line_chart(title, [{"label": label, "points": [(0, 0), *rates(curve)],
                                      "color": report.SERIES_COLORS[i % len(report.SERIES_COLORS)]}
                                     for i, (label, curve) in enumerate(curves)],
                             "seconds since the first request", "requests/s", width=width)


def describe(curve_result):
    """One line for the terminal."""
    if curve_result is None:
        return "no warm-up curve"
    if curve_result.get("contention", {}).get("contended"):
        return f"warm-up CONTENDED ({'; '.join(curve_result['contention']['reasons'])})"
    if not curve_result["settled"]:
        return f"warm-up never steady in {curve_result['elapsed_s']:.0f} s"
    return (f"steady at {curve_result['steady_rps']:,.0f} req/s after {curve_result['elapsed_s']:.1f} s, "
            f"90 % of it {curve_result['seconds_to_90']:.2f} s after the first request, "
            f"{curve_result['shortfall_requests']:,} requests short of a warm server on the way")
