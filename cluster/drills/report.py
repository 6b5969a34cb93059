"""drills.html: what each drill saw, second by second, as inline SVG charts (no network needed)."""
import html
import json
import time

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"]


def chart(title, series, t0, markers=(), unit="", width=760, height=200):
    """series: [(name, [(t, y), ...])]; t in epoch seconds, drawn from t0; markers: [(t, label)]."""
    points = [(t, y) for _, pts in series for t, y in pts if y is not None]
    if not points:
        return f"<h4>{html.escape(title)}</h4><p>no data</p>"
    x_max = max(max(t for t, _ in points) - t0, 1)
    y_max = max(max(y for _, y in points), 1e-9) * 1.1
    left, bottom = 60, 30
    w, h = width - left - 10, height - bottom - 10

    def x(t):
        return left + (t - t0) / x_max * w

    def y(v):
        return 10 + h - v / y_max * h
    out = [f'<h4>{html.escape(title)}</h4><svg width="{width}" height="{height}" style="font:11px sans-serif">',
           f'<line x1="{left}" y1="{10 + h}" x2="{left + w}" y2="{10 + h}" stroke="#999"/>',
           f'<line x1="{left}" y1="10" x2="{left}" y2="{10 + h}" stroke="#999"/>',
           f'<text x="{left - 4}" y="14" text-anchor="end">{y_max / 1.1:.4g}{unit}</text>',
           f'<text x="{left - 4}" y="{10 + h}" text-anchor="end">0</text>',
           f'<text x="{left + w}" y="{height - 4}" text-anchor="end">{x_max:.0f} s</text>']
    for t, label in markers:
        out.append(f'<line x1="{x(t):.1f}" y1="10" x2="{x(t):.1f}" y2="{10 + h}" stroke="#aaa" stroke-dasharray="4 3"/>'
                   f'<text x="{x(t) + 3:.1f}" y="22" fill="#666">{html.escape(label)}</text>')
    for i, (name, pts) in enumerate(series):
        path = " ".join(f"{x(t):.1f},{y(v):.1f}" for t, v in pts if v is not None)
        color = COLORS[i % len(COLORS)]
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{path}"/>')
        out.append(f'<text x="{left + 8 + i * 150}" y="{height - 4}" fill="{color}">{html.escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def per_second(r, key):
    return [(s["t"], s[key]) for s in r["seconds"]]


def load_charts(r, title, markers):
    t0 = r["seconds"][0]["t"] if r["seconds"] else 0
    return (chart(f"{title}: answered and failed each second", [("answered/s", per_second(r, "ok")),
                                                                ("failed/s", per_second(r, "failed"))], t0, markers)
            + chart(f"{title}: p99 latency each second", [("p99 ms", per_second(r, "p99_ms"))], t0, markers, " ms"))


def summary(r):
    return (f"<p>{r['requests']:,} requests at {r['rate']:,}/s: <b>{r['failed']:,} failed</b> "
            f"{html.escape(json.dumps(r['failures']))}, p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms"
            + (f"; examples: {html.escape(json.dumps(r['failure_examples']))}" if r["failure_examples"] else "")
            + (f"; wrong answers: {html.escape(json.dumps(r['wrong_answers'][:3]))}" if r["wrong_answers"] else "") + "</p>")


def write(drills, path):
    parts = [f"<!doctype html><meta charset=utf-8><title>footprint: cluster drills</title>"
             f"<body style='font:14px sans-serif;max-width:900px;margin:auto'><h1>Cluster drills ({drills['form']} form)</h1>"
             f"<p>Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(drills['started']))}. Load with vegeta through each "
             f"Service's ClusterIP; a request fails on an error, a non-2xx status or a wrong answer.</p>"]
    for f in drills["failures"]:
        parts.append(f"<p style='color:#b00'><b>Failed:</b> {html.escape(f)}</p>")
    for f in drills["findings"]:
        parts.append(f"<p style='color:#a60'><b>Finding:</b> {html.escape(f)}</p>")
    d = drills["drills"]
    if "rollout" in d:
        parts.append("<h2>Rolling update under load (kubectl rollout restart)</h2>")
        for r in d["rollout"]["results"]:
            parts.append(f"<h3>{r['service']}</h3>" + summary(r)
                         + f"<p>rollout {r['rollout_seconds']} s; old pods gone after {r['old_pods_gone_seconds']} s</p>"
                         + load_charts(r, r["service"], [(r["restart_at"], "restart")]))
    if "prices" in d:
        r = d["prices"]["results"]
        parts.append("<h2>Price list update through its ConfigMap</h2>" + summary(r)
                     + f"<p>{r['product']}: {r['old_price']} → {r['new_price']} and back; seconds from the apply to each pod "
                       f"serving it: {html.escape(json.dumps(r['pods']))}; restarts {r['restarts_before']} → {r['restarts_after']}</p>"
                     + load_charts(r, "GET /prices/" + r["product"], []))
    if "models" in d:
        r = d["models"]["results"]
        parts.append("<h2>A model version published to the models volume</h2>" + summary(r)
                     + f"<p>{r['pods']} pods rolled onto the volume in {r['rolled_onto_volume_seconds']} s, each serving "
                       f"{html.escape(json.dumps(r['before']))}; version 2 renamed into the repository, then seconds to each pod "
                       f"serving it (AVAILABLE, version 1 retired): {html.escape(json.dumps(r['serving_version_2_after_seconds']))} "
                       f"(bound {r['bound_seconds']} s); states at the end {html.escape(json.dumps(r['states_at_end']))}; "
                       f"restarts {r['restarts_before']} → {r['restarts_after']}</p>"
                     + load_charts(r, "POST :predict", [(r["published_at"], "version 2")]))
    if "podkill" in d:
        parts.append("<h2>A pod killed under load</h2>")
        for r in d["podkill"]["results"]:
            parts.append(f"<h3>{r['kind']}: {html.escape(r['how'])}</h3>" + summary(r)
                         + f"<p>back to its Ready pods after {r['recovery_seconds']} s; the victim's last state: "
                           f"{html.escape(json.dumps(r['last_state']))}</p>"
                         + load_charts(r, r["kind"], [(r["killed_at"], "kill")]))
    for name in ("autoscale", "autoscale-c1", "autoscale-aot", "autoscale-aot-classes"):
        if name in d:
            parts.extend(autoscale_section(d[name]["results"]))
    if "monitoring" in d:
        parts.append(monitoring_section(d["monitoring"]["results"]))
    with open(path, "w") as f:
        f.write("".join(parts) + "</body>")


def autoscale_section(r):
    """Drill 1's charts (and drill 2's comparison runs: the same with other JVM flags)."""
    parts = []
    s = [x for x in r["samples"] if "t" in x and "error" not in x]
    t0 = r["load_started"] - 6
    marks = [(r["load_started"], "load on"), (r["load_stopped"], "load off")]
    flags = f" with {', '.join(r['components'])}" if r.get("components") else ""
    parts.append(f"<h2>Autoscaling ({r['form']} form){html.escape(flags)}</h2>" + summary(r)
                 + f"<p>the load sized from one pod's CPU: {html.escape(json.dumps(r.get('sizing')))}, for {r.get('target_factor')} x the HPA's "
                   f"{r.get('target_millicores')}m; it began at {r['replicas_at_start']} replicas (minimum {r['minimum']}), "
                   f"{r.get('seconds_waited_for_minimum')} s after the drill started waiting for the minimum</p>"
                 + f"<p>first desired replicas above {r['replicas_at_start']} after {r['first_scale_up_seconds']} s of load; "
                   f"up to {r['max_replicas_seen']}; back to {r['replicas_at_end']}. New pods, seconds from Ready to "
                   f"their first second at 90 % of the warm pods' answers: {html.escape(json.dumps(r['cold_pods_seconds_to_90pct']))}; "
                   f"from created to Ready: {html.escape(json.dumps(r.get('added_pods_created_to_ready_seconds')))}; "
                   f"from Ready to their first answer: {html.escape(json.dumps(r.get('added_pods_ready_to_first_answer_seconds')))}; "
                   f"p99 over their first 10 s of answers, theirs and the other pods': {html.escape(json.dumps(r.get('added_pods_first_10s_p99')))}"
                   + (f"; the AOT cache's training: {html.escape(json.dumps(r['aot_training']))}" if r.get("aot_training") else "") + "</p>"
                 + chart("replicas", [("replicas", [(x["t"], x["replicas"]) for x in s]),
                                      ("desired", [(x["t"], x["desired"]) for x in s]),
                                      ("ready", [(x["t"], x["ready"]) for x in s])], t0, marks)
                 + chart("the HPA's CPU average per pod (metrics-server)", [("millicores", [(x["t"], x["cpu_average"]) for x in s])], t0, marks, "m")
                 + chart("answered each second", [("answered/s", per_second(r, "ok")), ("failed/s", per_second(r, "failed"))], t0, marks)
                 + chart("p99 latency each second", [("p99 ms", per_second(r, "p99_ms"))], t0, marks, " ms"))
    pods = sorted({p for sec in r["seconds"] for p in sec["pods"]})
    parts.append(chart("answers each second, per pod", [(p[-5:], [(sec["t"], sec["pods"].get(p, 0)) for sec in r["seconds"]]) for p in pods], t0, marks))
    return parts


def monitoring_section(r):
    """Each panel of the shipped dashboard as Prometheus answered its queries over the autoscale drill."""
    up = sum(t["health"] == "up" for t in r["targets"])
    parts = [f"<h2>The shipped monitoring, working (Prometheus over the autoscale drill)</h2>"
             f"<p>{up} of {len(r['targets'])} scrape targets up: "
             f"{html.escape(', '.join(sorted({str(t['job']) for t in r['targets']})))}. Empty panels: "
             f"{html.escape(json.dumps(r['empty_panels']))}; queries without data: {html.escape(json.dumps(r['silent_queries']))}; query errors: {html.escape(json.dumps(r['query_errors']))}. "
             f"Fed by the kube-state-metrics stand-in (kube-state-metrics is not served here): "
             f"{html.escape(json.dumps(r['panels_fed_by_the_kube_state_stand_in']))}</p>"]
    t0 = r["window"][0]
    for title, entries in r["panels"].items():
        series = [(s["name"][-40:], s["points"]) for e in entries for s in e["series"]][:6]
        parts.append(chart(f"{title}", series, t0))
        silent = [e["expr"] for e in entries if not e["series"]]
        if silent:
            parts.append(f"<p style='color:#666'>no series (nothing of that kind happened): {html.escape('; '.join(silent))}</p>")
    return "".join(parts)
