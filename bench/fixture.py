#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A fake /sys tree with N processes for timing the CLI with --root:
#   fixture.py DIR N
# The rows vary (threads, churn, pinning) so that verdicts are computed.
import os
import random
import sys

HEADER = ("pid nspid comm state threads_live threads_peak threads_created "
          "threads_exited solo_exits short_lived affinity_changes "
          "threads_pinned pinned_cpu_max growth_steps_1s growth_steps_34s "
          "go first_seen_ns "
          "last_event_ns rate_created_1s rate_created_60s rate_solo_exits_1s "
          "rate_solo_exits_60s rate_affinity_1s rate_affinity_60s "
          "lifetime_hist")


def row(rng, pid):
    live = rng.choice([1, 1, 1, 2, 4, 8, 40, 200])
    solo = rng.choice([0, 0, 0, 5, 500])
    created = live - 1 + solo
    hist = [0] * 12
    hist[rng.randrange(12)] = solo
    return " ".join(str(v) for v in [
        pid, pid, "proc%d" % (pid % 97), "live", live, live, created, solo,
        solo, solo // 2, rng.choice([0, 0, 30]), rng.choice([0, 0, 2]),
        rng.choice([0, 0, 1, 2]), rng.choice([0, 1, 9]),
        rng.choice([0, 1, 6]), rng.choice([0, 1]), 1000 + pid,
        90000 + pid, "%.2f" % rng.random(), "%.2f" % (solo / 60.0),
        "0.00", "%.2f" % (solo / 60.0), "0.00", "0.50"] + hist)


def main():
    root, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(1)
    sysfs = os.path.join(root, "sys/kernel/pinstat")
    debugfs = os.path.join(root, "sys/kernel/debug/pinstat")
    os.makedirs(os.path.join(sysfs, "events"), exist_ok=True)
    os.makedirs(debugfs, exist_ok=True)
    values = {"version": "bench", "enabled": 1, "tracked": n,
              "capacity": 16384, "dropped": 0, "evicted": 0, "alerts": 0,
              "events/created": 1, "events/exited": 1, "events/affinity": 1,
              "events/exec": 1}
    for name, value in values.items():
        with open(os.path.join(sysfs, name), "w") as f:
            f.write("%s\n" % value)
    with open(os.path.join(debugfs, "processes"), "w") as f:
        f.write(HEADER + "\n")
        for pid in range(100, 100 + n):
            f.write(row(rng, pid) + "\n")


main()
