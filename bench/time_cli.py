#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Wall time of the CLI against a fixture (bench/fixture.py):
#   time_cli.py PINSTAT ROOT RUNS
# prints "CLI <mode> <records> <median ms> <min ms> <max ms>" per mode. A
# one-shot mode is timed whole. A frame of top, or a report of interval
# mode, is what a run of 21 costs more than a run of 1, per frame, less
# the interval slept (0.1 s): the cost of a frame after the first.
import statistics
import subprocess
import sys
import time

INTERVAL = 0.1
FRAMES = 21

pinstat, root, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(root + "/sys/kernel/pinstat/tracked") as f:
    records = int(f.read())


def wall_ms(args):
    start = time.perf_counter()
    # diagnose exits 1 when it finds something: only 2 is an error
    if subprocess.run([pinstat, "--root", root] + args,
                      stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode > 1:
        sys.exit("time_cli.py: pinstat %s failed" % " ".join(args))
    return (time.perf_counter() - start) * 1000


def once(args):
    return wall_ms(args)


def per_frame(args):
    def run(frames):
        return wall_ms(args + [str(INTERVAL), str(frames)])
    return (run(FRAMES) - run(1)) / (FRAMES - 1) - INTERVAL * 1000


MODES = [
    ("summary", once, []),
    ("json", once, ["--json"]),
    ("diagnose", once, ["diagnose"]),
    ("prometheus", once, ["--prometheus"]),
    ("top-frame", per_frame, ["top"]),
    ("interval", per_frame, []),
]
only = sys.argv[4:]
for mode, timer, args in MODES:
    if only and mode not in only:
        continue
    times = [timer(args) for _ in range(runs)]
    print("CLI %s %d %.1f %.1f %.1f" % (mode, records,
                                        statistics.median(times),
                                        min(times), max(times)))
