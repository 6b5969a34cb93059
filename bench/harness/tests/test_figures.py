"""The harness's arithmetic and charts, without a server: python3 -m unittest discover -s bench/harness/tests -t ."""
import unittest

from bench.harness import headtohead, markdown, measure, report, warmup

# What wrk 4.2 printed against the Go peer (wrk -t1 -c4 -d1s --latency), kept as it came.
WRK_OUTPUT = """Running 1s test @ http://127.0.0.1:18095/convert
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   203.61us  523.71us   5.90ms   94.46%
    Req/Sec    42.33k     3.68k   48.82k    72.73%
  Latency Distribution
     50%   74.00us
     75%  113.00us
     90%  232.00us
     99%    3.10ms
  46182 requests in 1.10s, 6.30MB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:  41998.76
Transfer/sec:      5.73MB
"""


class SaturationResultTest(unittest.TestCase):
    def test_reads_wrk_and_divides_the_cpu_by_the_requests(self):
        result = measure.saturation_result(WRK_OUTPUT, user_seconds=0.36, kernel_seconds=0.33, elapsed=1.15)
        self.assertEqual(result["rps"], 41998.76)
        self.assertEqual(result["requests"], 46182)
        self.assertEqual(result["errors"], 6)  # 3 non-2xx + 1 read + 2 timeouts
        self.assertAlmostEqual(result["p50_ms"], 0.074)
        self.assertAlmostEqual(result["p99_ms"], 3.10)
        self.assertEqual(result["server_user_us_per_request"], 7.8)    # 0.36 s / 46,182
        self.assertEqual(result["server_kernel_us_per_request"], 7.15)  # 0.33 s / 46,182
        self.assertEqual(result["server_cpu_cores"], 0.6)


class ParetoFrontTest(unittest.TestCase):
    POINTS = [{"label": "small-slow", "x": 70, "y": 5.0}, {"label": "big-fast", "x": 100, "y": 4.0},
              {"label": "big-slow", "x": 100, "y": 6.0}, {"label": "bigger-fast", "x": 110, "y": 4.0}]

    def test_higher_y_is_better_by_default(self):
        self.assertEqual(report.pareto_front(self.POINTS), {"small-slow", "big-slow"})

    def test_lower_y_is_better_for_costs(self):
        self.assertEqual(report.pareto_front(self.POINTS, y_higher_better=False), {"small-slow", "big-fast"})


class StackedBarChartTest(unittest.TestCase):
    def test_each_part_is_a_bar_of_its_share_and_the_total_is_written(self):
        svg = report.stacked_bar_chart("CPU", [{"label": "a", "user": 4.0, "kernel": 6.0}, {"label": "b", "user": None, "kernel": 2.5}],
                                       [("user", "user", "#111"), ("kernel", "kernel", "#222")], "µs")
        # Scale: the longest total (10) rounds to 10 over 280 px; a's user part is 4/10 of it.
        self.assertIn('width="112.0" height="18" fill="#111"><title>a, user: 4.00 µs</title>', svg)
        self.assertIn('x="282.0" y="52" width="168.0" height="18" fill="#222"><title>a, kernel: 6.00 µs</title>', svg)
        self.assertIn(">10.00</text>", svg)
        self.assertIn(">2.50</text>", svg)  # a missing part counts as 0


class MarkdownTableTest(unittest.TestCase):
    def test_cpu_column_and_a_dash_for_runs_without_it(self):
        row = {"service": "converter-vertx", "profile": "deployment", "entry": "shipped", "ok_reps": 3, "reps": 3,
               "oom_killed": False, "rate": 2000, "rps": 90319.28, "rps_min": 75923.64, "rps_max": 93836.23,
               "user_us_per_request": 4.48, "kernel_us_per_request": 6.54}
        old = {**row, "entry": "older"}
        del old["user_us_per_request"], old["kernel_us_per_request"]
        lines = markdown.table([row, old]).splitlines()
        self.assertIn("| 90,319 (75,924–93,836) | – @2000/s | 4.48 + 6.54 |", lines[2])
        self.assertIn("| – @2000/s | – |", lines[3])

    def test_time_to_ninety_percent_and_contended_repetitions(self):
        row = {"service": "converter-vertx", "profile": "deployment", "entry": "shipped", "ok_reps": 3, "clean_reps": 2,
               "reps": 3, "oom_killed": False, "rate": 2000, "seconds_to_90": 4.5, "seconds_to_90_min": 4.25,
               "seconds_to_90_max": 4.5}
        self.assertIn("| shipped | 3/3 (1 contended) | – | – | 4.50 (4.25–4.50) |", markdown.table([row]).splitlines()[2])


class PairedRoundsTest(unittest.TestCase):
    @staticmethod
    def result(target, *rps):
        return {"target": target, "runs": [{"rps": value} for value in rps]}

    def test_each_round_is_divided_by_the_same_rounds_reference(self):
        # Three rounds, the loopback slow in the first: the ratio of the medians would be 90/65 = 1.38;
        # the rounds say 1.6, 1.43 and 1.38.
        converter, go = self.result("converter", 80.0, 100.0, 90.0), self.result("go-peer", 50.0, 70.0, 65.0)
        price = self.result("price", 100.0, 120.0, 75.0)
        headtohead.add_paired_ratios([converter, go, price], "go-peer")
        self.assertEqual(converter["vs_reference"], {"reference": "go-peer", "median": 1.429, "min": 1.385, "max": 1.6})
        self.assertEqual(price["vs_reference"]["median"], 1.714)
        self.assertIsNone(go["vs_reference"])

    def test_no_reference_among_the_targets_means_no_ratios(self):
        converter = self.result("converter", 80.0)
        headtohead.add_paired_ratios([converter], "go-peer")
        self.assertIsNone(converter["vs_reference"])
        self.assertEqual(headtohead.ratio_text(converter["vs_reference"]), "–")

    def test_every_round_starts_one_target_further_along(self):
        order = [headtohead.rotated(["a", "b", "c"], n) for n in range(4)]
        self.assertEqual(order, [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"], ["a", "b", "c"]])


class WarmupCurveTest(unittest.TestCase):
    def test_steady_is_the_agreeing_tail_and_ninety_percent_its_first_window(self):
        # 250 ms windows: 1 s cold (100 each), then 1,000 each for the last 3 s.
        counts = [100, 100, 100, 100, 500, 950, 1000, 1000] + [1000] * 12
        result = warmup.analyse(counts, 250, settled=True)
        self.assertEqual(result["steady_rps"], 4000.0)
        self.assertEqual(result["seconds_to_90"], 1.5)  # the end of the sixth window, 950 >= 900
        # Short of 1,000 per window: 4 x 900 + 500 + 50 + 0 + 0 before the tail.
        self.assertEqual(result["shortfall_requests"], 4150)

    def test_a_curve_that_never_settled_has_no_figures(self):
        self.assertEqual(warmup.analyse([10, 20, 30] * 8, 250, settled=False),
                         {"steady_rps": None, "seconds_to_90": None, "shortfall_requests": None})

    def test_rates_are_per_second_at_each_windows_end(self):
        self.assertEqual(warmup.rates({"window_ms": 250, "counts": [10, 25]}), [(0.25, 40.0), (0.5, 100.0)])


class LineChartTest(unittest.TestCase):
    def test_each_series_is_a_polyline_scaled_to_the_axes(self):
        svg = report.line_chart("curve", [{"label": "a", "points": [(0, 0), (10, 100)], "color": "#111"}], "s", "req/s")
        # x: 0..10 over 70..1020, y: 0..100 over 296..46
        self.assertIn('<polyline points="70.0,296.0 1020.0,46.0" fill="none" stroke="#111"', svg)
        self.assertIn('>a</text>', svg)


if __name__ == "__main__":
    unittest.main()
