"""Markdown tables from the JVM flag experiments' JSON files, for a README or an issue note.

  python3 -m bench.harness.markdown bench/results/<time>-jvm-flags-converter-vertx.json [more.json ...]

Rows keep the order of the files; an entry measured in several files keeps its last measurement.
"""
import json
import sys


def _num(value, digits=0):
    if value is None:
        return "–"
    return f"{float(value):,.{digits}f}"


def _spread(row, key, digits=0):
    median, low, high = row.get(key), row.get(f"{key}_min"), row.get(f"{key}_max")
    if median is None:
        return "–"
    if low is None or low == high:
        return _num(median, digits)
    return f"{_num(median, digits)} ({_num(low, digits)}–{_num(high, digits)})"


def _cpu(row):
    """Runs before the split was measured have neither figure."""
    user, kernel = row.get("user_us_per_request"), row.get("kernel_us_per_request")
    return "–" if user is None or kernel is None else f"{_num(user, 2)} + {_num(kernel, 2)}"


def rows_of(paths):
    rows = {}
    for path in paths:
        with open(path) as f:
            results = json.load(f).get("results")
        if not isinstance(results, list) or any("entry" not in row for row in results):
            raise SystemExit(f"{path}: not a JVM flag experiment's results (bench/run-jvm-flags.sh writes those); "
                             "a head-to-head's table is in its HTML report")
        for row in results:
            rows[(row["service"], row["profile"], row["entry"])] = row
    return list(rows.values())


def table(rows):
    lines = ["| service | limits | entry | ok/reps | spawn to ready ms | JVM start to ready ms | first request to 90 % s "
             "| idle RSS MiB | peak RSS MiB | req/s | p99 ms at rate | CPU µs/request, user + kernel | GC pause ms |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        failed = row["ok_reps"] < row["reps"]
        ok = f"{row['ok_reps']}/{row['reps']}" + (" OOM" if row["oom_killed"] else "")
        if row.get("clean_reps") is not None and row["clean_reps"] < row["ok_reps"]:
            ok += f" ({row['ok_reps'] - row['clean_reps']} contended)"
        lines.append(f"| {row['service']} | {row['profile']} | {row['entry']}{' ⚠' if failed else ''} | {ok} | "
                     f"{_spread(row, 'ready_ms')} | {_spread(row, 'jvm_startup_ms')} | {_spread(row, 'seconds_to_90', 2)} | {_num(row.get('idle_rss_mib'), 1)} | {_spread(row, 'peak_rss_mib', 1)} | "
                     f"{_spread(row, 'rps')} | {_num(row.get('p99_ms'), 2)} @{row['rate']}/s | {_cpu(row)} | "
                     f"{_num(row.get('gc_pause_ms'))} |")
    return "\n".join(lines)


def main(argv):
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    print(table(rows_of(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
