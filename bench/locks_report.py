#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The table of make bench-locks, from the guest's log (bench/locks.sh).

Each figure is the median over the rounds. Guest time counts
instructions (-icount shift=0): a nanosecond is an instruction.
"""
import statistics
import sys
from collections import defaultdict


def parse(path):
    loops = defaultdict(list)    # (config, mode) -> [ns per op]
    threads = defaultdict(list)  # config -> [median ns per thread]
    memory = defaultdict(list)   # threads -> [bytes]
    counted = []                 # pthread_create calls a trace counted
    with open(path, errors="replace") as log:
        for line in log:
            f = line.split()
            if len(f) == 6 and f[0] == "LOOP":
                loops[(f[1], f[2])].append(int(f[5]) / int(f[4]))
            elif len(f) == 7 and f[0] == "THREAD":
                threads[f[1]].append(float(f[6]))
            elif len(f) == 3 and f[0] == "COUNTED":
                counted.append(int(f[2]))
            elif len(f) == 4 and f[0] == "MEMORY":
                memory[int(f[1])].append(int(f[3]))
    return loops, threads, counted, memory


def threads_per_round(path):
    """The n of micro thread n, from a THREAD line."""
    with open(path, errors="replace") as log:
        for line in log:
            f = line.split()
            if len(f) == 7 and f[0] == "THREAD":
                return int(f[3])
    return 0


def main():
    log, kver, qemu = sys.argv[1:4]
    loops, threads, counted, memory = parse(log)
    med = {k: statistics.median(v) for k, v in loops.items()}
    if not med or not threads or not memory:
        sys.exit("locks_report: no results in " + log)
    rounds = len(next(iter(loops.values())))

    def per_op(config, mode):
        return med[(config, mode)]

    print("<!-- SPDX-License-Identifier: GPL-2.0 -->")
    print("# make bench-locks: what lock tracing costs\n")
    print(f"Kernel {kver}, {qemu}, -icount shift=0 (one instruction per")
    print(f"guest nanosecond), one CPU; medians of {rounds} rounds.\n")
    base = per_op("untraced", "loop")
    traced = per_op("traced", "loop") - base
    floor = per_op("floor", "loop") - base
    print("| LockOSThread + UnlockOSThread loop | ns per pair | added |")
    print("|---|---:|---:|")
    for config, what in (("untraced", "not traced"),
                         ("floor", "empty uprobes where pinstat puts "
                                   "its own (LockOSThread, UnlockOSThread)"),
                         ("traced", "traced by pinstat"),
                         ("twin", "not traced; another process of the "
                                  "same executable is")):
        added = per_op(config, "loop") - base
        print(f"| {what} | {per_op(config, 'loop'):.0f} | {added:+.0f} |")
    verdict = "met" if traced <= 2 * floor else "MISSED"
    print(f"\nA traced pair (a lock and an unlock, each probed) costs "
          f"{traced:.0f} ns, {traced / floor:.2f}x the {floor:.0f} ns of "
          f"empty uprobes at the same places (goal <= 2x: {verdict}).\n")

    base = per_op("untraced", "request")
    print("| a request that locks, works ~10 000 instructions, unlocks "
          "| ns per request | added |")
    print("|---|---:|---:|")
    for config in ("untraced", "traced", "twin"):
        ns = per_op(config, "request")
        print(f"| {config} | {ns:.0f} | {100 * (ns - base) / base:+.1f} % |")

    thread = {k: statistics.median(v) for k, v in threads.items()}
    base = thread["untraced"]
    print("\n| thread creation and exit (micro thread, static C) "
          "| median ns | added |")
    print("|---|---:|---:|")
    for config, what in (("untraced", "pinstat loaded, nothing traced"),
                         ("elsewhere", "another process traced"),
                         ("floor", "an empty uprobe at its pthread_create"),
                         ("creates", "traced by pinstat (where threads "
                                     "are created)")):
        print(f"| {what} | {thread[config]:.0f} "
              f"| {thread[config] - base:+.0f} |")
    traced = thread["creates"] - base
    floor = thread["floor"] - base
    print(f"\nA traced pthread_create (its caller's stack, by frame "
          f"pointers, counted) costs {traced:.0f} ns, "
          f"{traced / floor:.2f}x the {floor:.0f} ns of an empty uprobe "
          f"there. Calls the trace counted, per round: "
          f"{', '.join(map(str, counted))} (micro makes "
          f"{threads_per_round(log) + 1}: one to warm up, then the timed "
          f"ones).")

    # slab bytes of the whole kernel: other allocations in the window
    # blur them, hence the range
    print("\n| memory of a trace (slab growth, traced less untraced) "
          "| median bytes | range |")
    print("|---|---:|---:|")
    for n in sorted(memory):
        print(f"| {n} locked threads | {statistics.median(memory[n]):.0f} "
              f"| {min(memory[n])} .. {max(memory[n])} |")


if __name__ == "__main__":
    main()
