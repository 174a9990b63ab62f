#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Wall time of the CLI against a fixture: time_cli.py PINSTAT ROOT RUNS
# prints "CLI <mode> <median ms> <min ms> <max ms>" per output mode.
import statistics
import subprocess
import sys
import time

pinstat, root, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
for mode in ["text", "json", "prometheus"]:
    args = [pinstat, "--root", root, "-a"]
    if mode != "text":
        args.append("--" + mode)
    else:
        args += ["-n", "0"]  # every row, not the first 20
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - start) * 1000)
    print("CLI %s %.1f %.1f %.1f" % (mode, statistics.median(times),
                                     min(times), max(times)))
