"""The contention check's figures and verdict, and what a contended run does to medians and ratios:
python3 -m unittest discover -s bench/harness/tests -t ."""
import os
import tempfile
import unittest

from bench.harness import headtohead, measure, warmup

HZ = measure.CLOCK_TICKS


def stat(machine, cpu0, cpu1):
    """/proc/stat's lines from (user, nice, system, idle, iowait, irq, softirq, steal) in seconds."""
    line = lambda name, values: name + " " + " ".join(str(round(v * HZ)) for v in values) + " 0 0\n"
    return line("cpu ", machine) + line("cpu0", cpu0) + line("cpu1", cpu1) + "intr 1 2 3\nctxt 4\n"


def figures(machine, cpu0, cpu1, target_seconds, ours_seconds, elapsed=2.0):
    with tempfile.TemporaryDirectory() as d:
        before, after = os.path.join(d, "before"), os.path.join(d, "after")
        with open(before, "w") as f:
            f.write(stat([0] * 8, [0] * 8, [0] * 8))
        with open(after, "w") as f:
            f.write(stat(machine, cpu0, cpu1))
        return measure.contention_figures(measure.proc_stat(before), measure.proc_stat(after), target_seconds,
                                          ours_seconds, elapsed, server_cpu="1", load_cpu="0")


class ContentionFiguresTest(unittest.TestCase):
    def test_others_are_the_machines_process_time_less_the_targets_and_the_loads_plus_steal(self):
        # 2 s: the target 1.9 s on CPU 1, wrk and the harness 1.7 s on CPU 0, 0.3 s of softirq (loopback
        # delivery: nobody else's), 0.1 s of someone else's; 0.1 s stolen by the hypervisor.
        f = figures(machine=[2.6, 0, 1.1, 0.05, 0, 0, 0.3, 0.1], cpu0=[1.3, 0, 0.4, 0.05, 0, 0, 0.2, 0.05],
                    cpu1=[1.3, 0, 0.7, 0.0, 0, 0, 0.1, 0.05], target_seconds=1.9, ours_seconds=1.7)
        self.assertEqual(f["others_cores"], 0.1)  # (3.7 - 1.9 - 1.7 + 0.1) / 2
        self.assertEqual(f["steal_cores"], 0.05)
        self.assertEqual(f["interrupt_cores"], 0.15)
        self.assertEqual(f["load_cpu_idle"], 0.025)
        self.assertEqual(f["server_cpu_idle"], 0.0)
        self.assertEqual(f["server_cpu_interrupt_cores"], 0.05)  # CPU 1's 0.1 s of softirq over 2 s

    def test_the_targets_own_time_is_never_counted_as_others(self):
        f = figures(machine=[2.0, 0, 1.0, 1.0, 0, 0, 0, 0], cpu0=[1, 0, 0.5, 0.5, 0, 0, 0, 0],
                    cpu1=[1, 0, 0.5, 0.5, 0, 0, 0, 0], target_seconds=1.6, ours_seconds=1.6)
        self.assertEqual(f["others_cores"], 0.0)  # a tick's rounding the other way is no negative load


QUIET = {"others_cores": 0.02, "steal_cores": 0.0, "interrupt_cores": 0.1, "load_cpu_idle": 0.01, "server_cpu_idle": 0.0}


class ContentionVerdictTest(unittest.TestCase):
    def test_a_saturated_target_on_a_quiet_machine_is_a_result(self):
        verdict = measure.contention_verdict(QUIET, server_cpu_cores=0.97, cpu_limit=1.0)
        self.assertFalse(verdict["contended"])
        self.assertEqual(verdict["reasons"], [])
        self.assertEqual(verdict["target_share"], 0.97)

    def test_a_hog_on_the_servers_core_is_caught_twice(self):
        # What a `while :; do :; done` on CPU 1 does: the target gets half its core, the hog the rest.
        hog = {**QUIET, "others_cores": 0.49}
        verdict = measure.contention_verdict(hog, server_cpu_cores=0.5, cpu_limit=1.0)
        self.assertTrue(verdict["contended"])
        self.assertEqual(verdict["reasons"], ["the target had 50% of its 1 CPU limit (under 90%)",
                                              "other processes used 0.49 cores (over 0.10)"])

    def test_the_servers_core_interrupt_time_is_the_targets(self):
        # A Go server on loopback, quiet machine: 0.72 cores of its own time, 0.25 of softirq on its core
        # that the kernel bills to no task (IRQ time accounting); its core was not idle.
        verdict = measure.contention_verdict({**QUIET, "server_cpu_interrupt_cores": 0.25}, 0.72, 1.0)
        self.assertFalse(verdict["contended"])
        self.assertEqual((verdict["target_share"], verdict["own_share"]), (0.97, 0.72))
        hogged = measure.contention_verdict({**QUIET, "server_cpu_interrupt_cores": 0.15, "others_cores": 0.45}, 0.4, 1.0)
        self.assertEqual(hogged["target_share"], 0.55)
        self.assertTrue(hogged["contended"])

    def test_the_limits_are_exclusive_at_their_edges(self):
        self.assertFalse(measure.contention_verdict({**QUIET, "others_cores": 0.10}, 0.90, 1.0)["contended"])
        self.assertTrue(measure.contention_verdict({**QUIET, "others_cores": 0.11}, 0.95, 1.0)["contended"])
        self.assertTrue(measure.contention_verdict(QUIET, 0.89, 1.0)["contended"])

    def test_the_share_is_of_the_limit_and_never_of_more_than_the_one_pinned_core(self):
        self.assertEqual(measure.contention_verdict(QUIET, 0.45, 0.5)["target_share"], 0.9)
        self.assertFalse(measure.contention_verdict(QUIET, 0.45, 0.5)["contended"])
        self.assertEqual(measure.contention_verdict(QUIET, 0.95, 2.0)["target_share"], 0.95)

    def test_a_target_short_of_load_on_a_quiet_machine_says_its_core_was_idle(self):
        idle = {**QUIET, "server_cpu_idle": 0.3, "load_cpu_idle": 0.0}
        verdict = measure.contention_verdict(idle, 0.7, 1.0)
        self.assertTrue(verdict["contended"])
        self.assertIn("its core idle 30%: it was not saturated (the load generator's core idle 0%)", verdict["reasons"][0])

    def test_steal_is_named(self):
        verdict = measure.contention_verdict({**QUIET, "others_cores": 0.3, "steal_cores": 0.25}, 0.95, 1.0)
        self.assertEqual(verdict["reasons"], ["other processes used 0.30 cores (over 0.10), 0.25 of it stolen by the hypervisor"])


def run(rps, contended=False):
    return {"rps": rps, "errors": 0, "p50_ms": 0.1, "p99_ms": 1.0, "server_cpu_cores": 0.5 if contended else 0.97,
            "server_user_us_per_request": 4.0, "server_kernel_us_per_request": 6.0,
            "contention": {"contended": contended, "reasons": ["busy"] if contended else [],
                           "target_share": 0.5 if contended else 0.97}}


class ContendedRunsLeftOutTest(unittest.TestCase):
    def test_medians_and_ratios_take_only_uncontended_runs(self):
        converter = headtohead.summarise([run(90.0), run(20.0, contended=True), run(100.0)], {"target": "converter"}, None)
        go = headtohead.summarise([run(60.0), run(61.0), run(10.0, contended=True)], {"target": "go-peer"}, None)
        self.assertEqual((converter["rps_median"], converter["rps_min"], converter["clean_runs"]), (95.0, 90.0, 2))
        self.assertFalse(converter["contended"])
        headtohead.add_paired_ratios([converter, go], "go-peer")
        # Round 2 (converter contended) and round 3 (go contended) give no ratio: only 90/60.
        self.assertEqual(converter["vs_reference"], {"reference": "go-peer", "median": 1.5, "min": 1.5, "max": 1.5})

    def test_a_target_contended_in_every_run_has_no_figure_and_says_so(self):
        result = headtohead.summarise([run(20.0, contended=True)], {"target": "converter", "ready_ms": 900, "peak_rss_mib": 80,
                                                                     **warmup.fields(None)}, None)
        self.assertTrue(result["contended"])
        self.assertIsNone(result["rps_median"])
        go = headtohead.summarise([run(60.0)], {"target": "go-peer", "ready_ms": 20, **warmup.fields(None)}, None)
        headtohead.add_paired_ratios([result, go], "go-peer")
        self.assertIsNone(result["vs_reference"])
        self.assertIn("CONTENDED in every run, no figure (busy)", headtohead.summary_line(result))
        table = headtohead.terminal_table([result, {**go, "vs_reference": None}])
        self.assertIn("CONTENDED", table.splitlines()[1])
        self.assertIn("60 [60-60]", table.splitlines()[2])

    def test_the_report_of_a_run_contended_throughout_names_it_and_charts_nothing(self):
        result = headtohead.summarise([run(20.0, contended=True)], {"target": "go-peer", "kind": "peer", "ready_ms": 30,
                                                                    "peak_rss_mib": 12.0, "contended_runs": [],
                                                                    **warmup.fields(None)}, None)
        for key in ("vs_reference", *headtohead.ANCHOR_RATIOS):
            result[key] = None
        settings = {"rate": 500, "reference": "go-peer", "server_cpu": "1", "load_cpu": "0", "connections": 32,
                    "seconds": 2, "runs": 1, "warmup": 1, "rate_seconds": 2, "retries": 2}
        html = headtohead.html_report({"results": [result], "settings": settings, "created": "now",
                                       "machine": {"cpus": 2, "cpu_model": "x", "kernel": "6", "jdk": "25"}})
        self.assertIn("Contended, so without figures: go-peer", html)
        self.assertIn("<td>contended</td><td>busy</td>", html)
        self.assertIn("No uncontended result to chart.", html)

    def test_a_contended_warm_up_gives_no_figure_but_keeps_its_counts(self):
        curve = {"window_ms": 250, "counts": [5] * 12, "settled": True, "elapsed_s": 3.0, "steady_rps": 20.0,
                 "seconds_to_90": 0.25, "shortfall_requests": 0, "contention": {"contended": True, "reasons": ["busy"]}}
        fields = warmup.fields(curve)
        self.assertEqual((fields["seconds_to_90"], fields["warmup_steady_rps"], fields["warmup_contended"]), (None, None, True))
        self.assertEqual(fields["warmup"]["counts"], [5] * 12)
        self.assertEqual(warmup.text(fields), "contended")
        self.assertEqual(warmup.text(warmup.fields({**curve, "contention": {"contended": False}})), "0.25")
        self.assertEqual(warmup.text(warmup.fields({**curve, "settled": False, "seconds_to_90": None,
                                                                          "contention": {"contended": False}})), "never steady")

    def test_a_contended_run_is_taken_again_at_most_retries_times(self):
        contender = headtohead.Contender.__new__(headtohead.Contender)
        contender.target, contender.contended_runs = type("T", (), {"name": "x"}), []
        outcomes = iter([run(20.0, contended=True), run(21.0, contended=True), run(90.0)])
        contender.saturate = lambda seconds: next(outcomes)
        self.assertEqual(contender.measured_run(1, retries=2)["rps"], 90.0)
        self.assertEqual([r["rps"] for r in contender.contended_runs], [20.0, 21.0])
        always = iter([run(20.0, contended=True)] * 3)
        contender.saturate, contender.contended_runs = (lambda seconds: next(always)), []
        kept = contender.measured_run(1, retries=1)
        self.assertTrue(kept["contention"]["contended"])  # kept, marked: out of the medians
        self.assertEqual(len(contender.contended_runs), 1)


if __name__ == "__main__":
    unittest.main()


def at_rate(p99, contended=False, errors=0):
    return {"rate": 2000, "achieved_rps": 2000.0, "p50_ms": p99 / 4, "p90_ms": p99 / 2, "p99_ms": p99, "errors": errors,
            "server_cpu_cores": 0.2, "contention": {"contended": contended, "reasons": ["busy"] if contended else []}}


class FixedRateRoundsTest(unittest.TestCase):
    def test_the_p99_is_the_median_of_the_uncontended_rounds(self):
        fixed = measure.fixed_rate_summary([at_rate(0.9), at_rate(40.0, contended=True), at_rate(1.3), at_rate(1.1, errors=2)])
        self.assertEqual((fixed["p99_ms"], fixed["p99_min_ms"], fixed["p99_max_ms"]), (1.1, 0.9, 1.3))
        self.assertEqual((fixed["clean_runs"], len(fixed["runs"]), fixed["errors"]), (3, 4, 2))
        self.assertFalse(fixed["contended"])

    def test_contended_in_every_round_gives_no_latency_and_the_summary_says_so(self):
        fixed = measure.fixed_rate_summary([at_rate(30.0, contended=True)])
        self.assertTrue(fixed["contended"])
        self.assertIsNone(fixed["p99_ms"])
        result = headtohead.summarise([run(90.0)], {"target": "converter", "ready_ms": 900, "peak_rss_mib": 80,
                                                    **warmup.fields(None)}, fixed)
        self.assertIn("at 2000/s CONTENDED in every run", headtohead.summary_line(result))

    def test_a_fixed_rate_is_contended_by_others_never_by_the_targets_own_share(self):
        quiet = {"others_cores": 0.02, "steal_cores": 0.0, "server_cpu_idle": 0.8, "load_cpu_idle": 0.7}
        self.assertFalse(measure.contention_verdict(quiet, 0.2, 1.0, min_share=0.0)["contended"])
        stolen = {**quiet, "others_cores": 0.5, "steal_cores": 0.5}
        self.assertIn("stolen by the hypervisor", measure.contention_verdict(stolen, 0.2, 1.0, min_share=0.0)["reasons"][0])
