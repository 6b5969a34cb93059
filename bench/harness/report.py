"""Self-contained HTML reports: inline CSS and SVG charts, no script, no network; one file to open or
attach. Charts are horizontal bars (with min-max whiskers where runs were repeated) and scatters
(with the Pareto front marked)."""
import html
import math

PALETTE = {"service": "#2563eb", "peer": "#9ca3af", "anchor": "#4b5563", "variant": "#0d9488", "best": "#dc2626", "user": "#2563eb", "kernel": "#f59e0b"}
STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;color:#111827;padding:0 1rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #e5e7eb;padding-bottom:.3rem}
table{border-collapse:collapse;margin:1rem 0;font-variant-numeric:tabular-nums}
th,td{padding:.3rem .6rem;border-bottom:1px solid #e5e7eb;text-align:right}th:first-child,td:first-child{text-align:left}
th{background:#f9fafb}.note{color:#4b5563;font-size:.9rem}code{background:#f3f4f6;padding:0 .2rem}
svg text{font:12px system-ui,sans-serif;fill:#111827}svg text.note{font-size:11px;fill:#4b5563}.grid{stroke:#e5e7eb}.axis{stroke:#9ca3af}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:1rem}
"""


def esc(text):
    return html.escape(str(text))


def fmt(value, digits=1):
    if value is None:
        return "–"
    if isinstance(value, (int, float)) and abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def table(headers, rows):
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _nice_max(value):
    if value <= 0:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _tick(value, top):
    """A tick label with as many decimals as the step needs: 0, 2.5, 5 rather than 0, 2, 5."""
    step = top / 4
    digits = 0 if float(step).is_integer() else (1 if float(step * 10).is_integer() else 2)
    return f"{value:,.{digits}f}"


def _value_grid(x0, x1, y_top, height, top):
    """The vertical grid lines of a horizontal bar chart, at 0, 1/4 ... of `top`, labelled below."""
    parts = []
    for i in range(5):
        x = x0 + (x1 - x0) * i / 4
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="{y_top}" x2="{x:.1f}" y2="{height - 22}"/>')
        parts.append(f'<text x="{x:.1f}" y="{height - 6}" text-anchor="middle">{_tick(top * i / 4, top)}</text>')
    return parts


def bar_chart(title, bars, unit, width=520):
    """bars: dicts with label, value, and optional lo, hi (whiskers) and color."""
    row, left, right = 26, 170, 70
    height = 40 + row * len(bars) + 24
    top = _nice_max(max([b.get("hi") or b["value"] for b in bars] + [0]))
    scale = (width - left - right) / top
    parts = [f'<svg width="{width}" height="{height}" role="img" aria-label="{esc(title)}">',
             f'<text x="0" y="16" font-weight="600">{esc(title)}</text>',
             f'<text x="{width - 4}" y="16" text-anchor="end" class="note">{esc(unit)}</text>']
    parts += _value_grid(left, width - right, 28, height, top)
    for i, bar in enumerate(bars):
        y = 34 + i * row
        w = max(bar["value"] * scale, 1)
        parts.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{esc(bar["label"])}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{row - 8}" fill="{bar.get("color", PALETTE["service"])}">'
                     f'<title>{esc(bar["label"])}: {fmt(bar["value"])} {esc(unit)}</title></rect>')
        if bar.get("lo") is not None and bar.get("hi") is not None:
            x1, x2, cy = left + bar["lo"] * scale, left + bar["hi"] * scale, y + (row - 8) / 2
            parts.append(f'<line x1="{x1:.1f}" y1="{cy}" x2="{x2:.1f}" y2="{cy}" stroke="#111827"/>'
                         f'<line x1="{x1:.1f}" y1="{cy - 5}" x2="{x1:.1f}" y2="{cy + 5}" stroke="#111827"/>'
                         f'<line x1="{x2:.1f}" y1="{cy - 5}" x2="{x2:.1f}" y2="{cy + 5}" stroke="#111827"/>')
        parts.append(f'<text x="{left + max(w, (bar.get("hi") or 0) * scale) + 6:.1f}" y="{y + 13}">{fmt(bar["value"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bar_chart(title, bars, parts, unit, width=520):
    """bars: dicts with label and one value per part; parts: (key, legend, color) in drawing order."""
    row, left, right = 26, 170, 70
    height = 58 + row * len(bars) + 24
    totals = [sum(b.get(key) or 0 for key, _, _ in parts) for b in bars]
    top = _nice_max(max(totals + [0]))
    scale = (width - left - right) / top
    svg = [f'<svg width="{width}" height="{height}" role="img" aria-label="{esc(title)}">',
           f'<text x="0" y="16" font-weight="600">{esc(title)}</text>',
           f'<text x="{width - 4}" y="16" text-anchor="end" class="note">{esc(unit)}</text>']
    svg += _legend(left, 24, [(legend, color) for _, legend, color in parts])
    svg += _value_grid(left, width - right, 46, height, top)
    for i, (bar, total) in enumerate(zip(bars, totals)):
        y, x = 52 + i * row, left
        svg.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{esc(bar["label"])}</text>')
        for key, legend, color in parts:
            w = (bar.get(key) or 0) * scale
            svg.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 8}" fill="{color}">'
                       f'<title>{esc(bar["label"])}, {esc(legend)}: {fmt(bar.get(key), 2)} {esc(unit)}</title></rect>')
            x += w
        svg.append(f'<text x="{x + 6:.1f}" y="{y + 13}">{fmt(float(total), 2)}</text>')
    svg.append("</svg>")
    return "".join(svg)


def _legend(x, y, entries):
    """A row of (label, color) swatches from (x, y)."""
    parts = []
    for label, color in entries:
        parts.append(f'<rect x="{x}" y="{y}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{x + 14}" y="{y + 9}" class="note">{esc(label)}</text>')
        x += 24 + 7 * len(label)
    return parts


def _xy_axes(sx, sy, xmax, ymax, margins, width, height, x_label, y_label):
    """The grid, ticks and axis labels of a chart with two value axes; margins: (left, right, top, bottom)."""
    left, right, top_pad, bottom = margins
    parts = []
    for i in range(5):
        x, y = sx(xmax * i / 4), sy(ymax * i / 4)
        parts.append(f'<line class="grid" x1="{x:.1f}" y1="{top_pad}" x2="{x:.1f}" y2="{height - bottom}"/>'
                     f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle">{_tick(xmax * i / 4, xmax)}</text>')
        parts.append(f'<line class="grid" x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}"/>'
                     f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{_tick(ymax * i / 4, ymax)}</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - 6}" text-anchor="middle">{esc(x_label)}</text>')
    parts.append(f'<text x="12" y="{(height - bottom + top_pad) / 2}" transform="rotate(-90 12 {(height - bottom + top_pad) / 2})" '
                 f'text-anchor="middle">{esc(y_label)}</text>')
    return parts


def pareto_front(points, x_lower_better=True, y_higher_better=True):
    """Labels of the points no other point beats on both axes."""
    front = set()
    for p in points:
        dominated = any(
            (q["x"] <= p["x"] if x_lower_better else q["x"] >= p["x"]) and (q["y"] >= p["y"] if y_higher_better else q["y"] <= p["y"])
            and (q["x"] != p["x"] or q["y"] != p["y"]) for q in points)
        if not dominated:
            front.add(p["label"])
    return front


def scatter(title, points, x_label, y_label, width=520, height=360, mark_pareto=True, y_higher_better=True):
    """points: dicts with label, x, y and optional color. The Pareto front (low x, and high y or, with
    y_higher_better=False, low y) is joined by a line."""
    left, bottom, top_pad, right = 60, 44, 30, 110
    xmax, ymax = _nice_max(max(p["x"] for p in points)), _nice_max(max(p["y"] for p in points))
    sx = lambda x: left + (width - left - right) * x / xmax
    sy = lambda y: height - bottom - (height - bottom - top_pad) * y / ymax
    parts = [f'<svg width="{width}" height="{height}" role="img" aria-label="{esc(title)}">',
             f'<text x="0" y="16" font-weight="600">{esc(title)}</text>']
    parts += _xy_axes(sx, sy, xmax, ymax, (left, right, top_pad, bottom), width, height, x_label, y_label)
    front = pareto_front(points, y_higher_better=y_higher_better) if mark_pareto else set()
    if len(front) > 1:
        ordered = sorted((p for p in points if p["label"] in front), key=lambda p: p["x"])
        path = " ".join(f"{sx(p['x']):.1f},{sy(p['y']):.1f}" for p in ordered)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{PALETTE["best"]}" stroke-dasharray="4 3"/>')
    for p in points:
        color = PALETTE["best"] if p["label"] in front else p.get("color", PALETTE["service"])
        parts.append(f'<circle cx="{sx(p["x"]):.1f}" cy="{sy(p["y"]):.1f}" r="5" fill="{color}">'
                     f'<title>{esc(p["label"])}: {fmt(p["x"])} / {fmt(p["y"])}</title></circle>')
        parts.append(f'<text x="{sx(p["x"]) + 7:.1f}" y="{sy(p["y"]) - 6:.1f}" font-size="11">{esc(p["label"])}</text>')
    if mark_pareto:
        parts.append(f'<text x="{width - right}" y="{top_pad - 8}" text-anchor="end" fill="{PALETTE["best"]}">red: Pareto front</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(title, series, x_label, y_label, width=1040, height=340):
    """series: dicts with label, points [(x, y), ...] and color; one polyline each, a legend above."""
    left, bottom, top_pad, right = 70, 44, 46, 20
    xs = [x for s in series for x, _ in s["points"]] or [1]
    ys = [y for s in series for _, y in s["points"]] or [1]
    xmax, ymax = _nice_max(max(xs)), _nice_max(max(ys))
    sx = lambda x: left + (width - left - right) * x / xmax
    sy = lambda y: height - bottom - (height - bottom - top_pad) * y / ymax
    parts = [f'<svg width="{width}" height="{height}" role="img" aria-label="{esc(title)}">',
             f'<text x="0" y="16" font-weight="600">{esc(title)}</text>']
    parts += _legend(left, 26, [(s["label"], s["color"]) for s in series])
    parts += _xy_axes(sx, sy, xmax, ymax, (left, right, top_pad, bottom), width, height, x_label, y_label)
    for s in series:
        path = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in s["points"])
        parts.append(f'<polyline points="{path}" fill="none" stroke="{s["color"]}" stroke-width="1.5"><title>{esc(s["label"])}</title></polyline>')
    parts.append("</svg>")
    return "".join(parts)


# Colours told apart when several lines share a chart (the kinds' palette has one colour per kind).
SERIES_COLORS = ["#2563eb", "#dc2626", "#059669", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563", "#65a30d", "#9ca3af"]


def page(title, intro, sections):
    """sections: (heading, html) pairs."""
    body = "".join(f"<h2>{esc(h)}</h2>{content}" for h, content in sections)
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{esc(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1>{esc(title)}</h1><p class=note>{intro}</p>{body}</body></html>")
