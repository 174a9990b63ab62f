#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The CLI's section of make bench's report, from OUTDIR/cli.log:
#   cli_report.py OUTDIR    (make bench-cli; exit status: goals met)
# report.py prints it too, its goals with the others.

GOALS_MS = {"summary": 100, "json": 100, "diagnose": 100, "top-frame": 20}
WHAT = {"summary": "`pinstat`", "json": "`pinstat --json`",
        "diagnose": "`pinstat diagnose`",
        "prometheus": "`pinstat --prometheus`",
        "top-frame": "a frame of `pinstat top` after the first",
        "interval": "a report of `pinstat 0.1` after the first"}
LINEAR = 1.5  # per-record cost at 40 000 over that at 10 000, at most
SERIES_GOAL = 2000  # in a scrape of 10 000 processes, 20 with findings


def section(lines, goal):
    """Print the section; goal(what, ok) records a goal and says if met."""
    runs = {(mode, int(records)): (float(median), low, high)
            for mode, records, median, low, high in lines}
    print("The CLI on the host against fixtures with /proc "
          "(`bench/fixture.py`: one record in 20 with 100 threads, a fifth "
          "of those with 4 pinned, one in 20 exited), wall time in ms, "
          "median of runs (min–max). A frame or report after the first is "
          "what 21 cost more than 1, less the interval slept.\n")
    print("| what | records | ms | goal |")
    print("|---|---|---|---|")
    for (mode, records), (median, low, high) in runs.items():
        if mode in GOALS_MS and records == 10000:
            verdict = goal("CLI %s ≤ %d ms" % (mode, GOALS_MS[mode]),
                           median <= GOALS_MS[mode])
            verdict = "≤ %d ms: %s" % (GOALS_MS[mode], verdict)
        elif mode == "interval" and records == 40000:
            per = {n: runs[(mode, n)][0] / n for n in (10000, 40000)}
            ratio = per[40000] / per[10000]
            verdict = "linear: %.2f× the cost per record of 10 000: %s" % (
                ratio, goal("CLI interval linear in records",
                            ratio <= LINEAR))
        else:
            verdict = ""
        print("| %s | %d | %.1f (%s–%s) | %s |" % (
            WHAT[mode], records, median, low, high, verdict))


def prom_section(lines, goal):
    """The scrape's size, from the PROM lines."""
    for processes, findings, groups, series, size in lines:
        ok = goal("Prometheus ≤ %d series" % SERIES_GOAL,
                  int(series) <= SERIES_GOAL)
        print("\nA Prometheus scrape (`pinstat --prometheus`, "
              "`bench/prom_fixture.py`) of %s processes, %s of them with a "
              "finding, in %s cgroups: %s series, %s bytes (goal ≤ %d "
              "series: %s)." % (processes, findings, groups, series, size,
                                SERIES_GOAL, ok))


if __name__ == "__main__":
    import os
    import sys
    goals = []

    def goal(what, ok):
        goals.append((what, ok))
        return "met" if ok else "**missed**"

    with open(os.path.join(sys.argv[1], "cli.log")) as f:
        log = [line.split() for line in f]
    section([f[1:] for f in log if f[:1] == ["CLI"]], goal)
    prom_section([f[1:] for f in log if f[:1] == ["PROM"]], goal)
    missed = [what for what, ok in goals if not ok]
    print("\n%d of %d met.%s" % (len(goals) - len(missed), len(goals),
                                 " Missed: " + "; ".join(missed) + "."
                                 if missed else ""))
    sys.exit(1 if missed else 0)
