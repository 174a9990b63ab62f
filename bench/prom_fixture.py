#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A fake tree for the size of a Prometheus scrape with --root:
#   prom_fixture.py DIR PROCESSES FINDINGS GROUPS
# PROCESSES live records of 4 threads each, spread evenly over GROUPS
# cgroups (/system.slice/svc-N.service, their ids the directories' inode
# numbers, as the module gives them); the first FINDINGS churn threads
# (thread-churn), the others are quiet. No /proc: the scrape is what is
# measured.
import os
import sys

HEADER = ("pid nspid comm state threads_live threads_peak threads_created "
          "threads_exited solo_exits short_lived affinity_changes "
          "threads_pinned pinned_cpu_max growth_steps_1s growth_steps_34s "
          "go first_seen_ns last_event_ns rate_created_1s rate_created_60s "
          "rate_solo_exits_1s rate_solo_exits_60s rate_affinity_1s "
          "rate_affinity_60s lifetime_hist cgroup")
QUIET = "4 4 3 0 0 0 0 0 0 0 0 0 1000 90000 0.00 0.05 0.00 0.00 0.00 0.00"
CHURN = ("2 3 900 899 898 890 0 0 0 0 0 0 1000 90000 15.00 14.00 15.00 "
         "14.00 0.00 0.00")
HIST_QUIET = " ".join(["0"] * 12)
HIST_CHURN = "0 0 0 10 880 8 0 0 0 0 0 0"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def main():
    root, processes, findings, groups = sys.argv[1], *map(int, sys.argv[2:])
    sysfs = os.path.join(root, "sys/kernel/pinstat")
    for name, value in (("version", "0.1.0-bench"), ("enabled", "1"),
                        ("tracked", str(processes)), ("capacity", "16384"),
                        ("dropped", "0"), ("evicted", "0"), ("alerts", "0"),
                        ("events/created", "0"), ("events/exited", "0"),
                        ("events/affinity", "0"), ("events/exec", "0")):
        write(os.path.join(sysfs, name), value + "\n")
    cgroups = os.path.join(root, "sys/fs/cgroup")
    write(os.path.join(cgroups, "cgroup.controllers"), "")
    ids = []
    for g in range(groups):
        path = os.path.join(cgroups, "system.slice/svc-%d.service" % g)
        os.makedirs(path, exist_ok=True)
        ids.append(os.stat(path).st_ino)
    rows = [HEADER]
    for i in range(processes):
        churn = i < findings
        rows.append("%d %d svc%d live %s %s %d" % (
            10000 + i, 10000 + i, i % groups, CHURN if churn else QUIET,
            HIST_CHURN if churn else HIST_QUIET, ids[i % groups]))
    write(os.path.join(root, "sys/kernel/debug/pinstat/processes"),
          "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
