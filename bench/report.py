#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# The table of make bench, from what the guests and the host printed:
#   report.py OUTDIR KERNEL QEMU
# reads OUTDIR/icount.log (RESULT, RATE, FULL, READ), OUTDIR/scale.log
# (SCALE) and OUTDIR/cli.log (CLI) and prints Markdown. Every goal is
# checked against the figures of this run; the exit status says whether all
# were met.
import os
import re
import statistics
import sys

import cli_report

out, kernel, qemu = sys.argv[1], sys.argv[2], sys.argv[3]

# What one operation of each microbenchmark makes pinstat see.
EVENTS = {"setaffinity": "1 affinity change",
          "thread": "1 creation + 1 solo exit",
          "clone": "1 creation + 1 solo exit",
          "fork": "1 creation + 1 process exit",
          "fork-thread": "2 creations + 1 solo exit + 1 process exit: a "
                         "record made and ended",
          "getppid": "none (a syscall nobody hooks)"}
HITS = {"setaffinity": 1, "thread": 2, "clone": 2, "fork": 2,
        "fork-thread": 4}
GRADED = {"setaffinity", "thread", "fork"}  # the microbenchmarks
OVERHEAD_GOAL = {"thread": 1.0, "fork": 0.5}    # % of the operation

goals = []


def goal(what, ok):
    goals.append((what, ok))
    return "met" if ok else "**missed**"


def lines(name, tag):
    """The fields of each line that starts with tag, wherever it begins."""
    path = os.path.join(out, name)
    found = []
    with open(path, errors="replace") as f:
        for line in f:
            m = re.search(r"\b%s (.*)" % tag, line.replace("\r", ""))
            if m:
                found.append(m.group(1).split())
    return found


def spread(values):
    return "%s (%s–%s)" % (fmt(statistics.median(values)), fmt(min(values)),
                           fmt(max(values)))


def fmt(v):
    return "%.0f" % v if abs(v) >= 100 else "%.1f" % v


# -icount guest, per config and round: the median repetition of each
# operation (exact from run to run) and the mean one (with the ticks, RCU
# batches and workers that some repetitions carry)
per_op, per_op_mean = {}, {}
for config, _round, op, _n, _total, mean, median in lines("icount.log",
                                                           "RESULT"):
    per_op.setdefault(op, {}).setdefault(config, []).append(int(median))
    per_op_mean.setdefault(op, {}).setdefault(config, []).append(int(mean))
skipped = [" ".join(f) for f in lines("icount.log", "SKIPPED")]
med = {op: {c: statistics.median(v) for c, v in configs.items()}
       for op, configs in per_op.items()}
med_mean = {op: {c: statistics.median(v) for c, v in configs.items()}
            for op, configs in per_op_mean.items()}
rounds = max(len(v) for configs in per_op.values() for v in configs.values())


def added(op, config, table=None):
    table = table or med
    return table[op][config] - table[op]["none"]


print("<!-- SPDX-License-Identifier: GPL-2.0 -->")
print("# pinstat benchmark\n")
print("Kernel %s (Debian), %s, run by `make bench`.\n" % (kernel, qemu))
print("## 1. Cost per operation, in guest instructions\n")
print("One CPU, `-icount shift=0`: a guest nanosecond is one instruction; "
      "address-space randomization off. Each operation is repeated "
      "thousands of times and each repetition timed: the figure is the "
      "median repetition, median of %d rounds (min–max of the rounds); "
      "configurations take turns in each round. *floor*: empty handlers "
      "on pinstat's hooks (creation, exit and exec on tracepoints, a "
      "return probe on sched_setaffinity); *floor-kprobes*: creation and "
      "exit on kprobes instead, as `hooks=kprobes`; *floor-entry* and "
      "*floor-inner*: the affinity hook as a kprobe at "
      "sched_setaffinity()'s entry, or as a return probe on "
      "__sched_setaffinity() (section 3).\n"
      % rounds)
configs = [c for c in ["none", "pinstat", "pinstat-kprobes", "floor",
                       "floor-kprobes", "floor-entry", "floor-inner",
                       "bpftrace"]
           if c in per_op["setaffinity"]]
print("| operation | events it makes | " + " | ".join(configs) + " |")
print("|---|---|" + "---|" * len(configs))
for op in EVENTS:
    print("| %s | %s | %s |" % (op, EVENTS[op], " | ".join(
        spread(per_op[op][c]) for c in configs)))
if skipped:
    print("\nNot measured: %s." % "; ".join(skipped))
print("\nMean repetitions (they include the work some repetitions carry, "
      "and wander by a few hundred instructions from round to round):\n")
print("| operation | " + " | ".join(configs) + " |")
print("|---|" + "---|" * len(configs))
for op in EVENTS:
    print("| %s | %s |" % (op, " | ".join(
        spread(per_op_mean[op][c]) for c in configs)))

calibration = lines("icount.log", "CALIBRATION")
if calibration:
    # stosb N total mean median, empty N total mean median, erms
    stosb = int(calibration[0][4]) - int(calibration[0][9])
    erms = calibration[0][10] == "erms"
    print("\nEach figure includes what timing one repetition costs (an "
          "empty operation: %s instructions)." % calibration[0][9])
    print("\nQEMU counts every byte of a `rep stosb` or `rep movsb` as one "
          "instruction: zeroing 352 bytes (one record) counts %s here, "
          "where a CPU with fast string operations spends a few dozen "
          "cycles. %s Copies and clears weigh more in these figures than "
          "in time." % (stosb, "The emulated CPU has ERMS, so "
                        "the kernel's memset() and memcpy() are such "
                        "instructions (a new slab object is zeroed so)."
                        if erms else ""))

print("\n## 2. What pinstat adds\n")
print("From the median repetitions; the last column from the means. "
      "*pinstat*: as loaded by default (creation and exit on tracepoints); "
      "*pinstat-kprobes*: `hooks=kprobes` (creation and exit on kprobes). "
      "The goals are checked on the default. *its hooks' floor*: what "
      "empty handlers on the same hooks cost; the yardstick of the ≤ 2× "
      "goal is the kprobe floor: the kprobes of `hooks=kprobes` for "
      "threads and processes, the return probe for affinity changes.\n")
print("| operation | module | adds | per event | its hooks' floor | above it "
      "| / kprobe floor | overhead | overhead (means) |")
print("|---|---|---|---|---|---|---|---|---|")
for op in HITS:
    kprobe_floor = "floor" if op == "setaffinity" else "floor-kprobes"
    own_floor = {"pinstat": "floor", "pinstat-kprobes": "floor-kprobes"}
    for module in ["pinstat", "pinstat-kprobes"]:
        if module not in med[op]:
            continue
        graded = module == "pinstat" and op in GRADED
        cost, base = added(op, module), added(op, kprobe_floor)
        own = added(op, own_floor[module])
        pct = 100 * cost / med[op]["none"]
        pct_mean = 100 * added(op, module, med_mean) / med_mean[op]["none"]
        # a floor at or below zero is noise: no ratio, no goal met with it
        ratio = "%.2f×" % (cost / base) if base > 0 else "—"
        if cost <= 0:
            ratio = "none measurable"  # the module's median below none's
        limit = OVERHEAD_GOAL.get(op)
        if graded:
            ratio += " — goal ≤ 2×: " + goal(
                "%s cost ≤ 2× the kprobe floor" % op,
                base > 0 and cost <= 2 * base)
        overhead = "%.2f %%" % pct
        if graded and limit:
            overhead += " — goal ≤ %.1f %%: %s" % (limit, goal(
                "%s overhead ≤ %.1f %%" % (op, limit), pct <= limit))
        print("| %s | %s | %s | %s | %s | %s | %s | %s | %.2f %% |" % (
            op, module, fmt(cost), fmt(cost / HITS[op]), fmt(own),
            fmt(cost - own), ratio, overhead, pct_mean))
print("\n*none measurable*: the module's median repetition is at or below "
      "the kernel's alone, within the spread of the rounds.")


def floor(op, config):
    cost = added(op, config)
    return fmt(cost) if cost > 0 else "≤ 0 (none measurable)"


print("\nEmpty tracepoint probes on creation and exit cost %s per thread "
      "and %s per fork, empty kprobes %s and %s."
      % (floor("thread", "floor"), floor("fork", "floor"),
         floor("thread", "floor-kprobes"), floor("fork", "floor-kprobes")))

print("\n## 3. Affinity changes: the mechanisms\n")
print("`affinity_changes` counts the changes the kernel granted, exactly: "
      "a refused call (a bad mask, no permission, an LSM, a thread that "
      "may not be moved, no such thread) never counts, and pinstat judges "
      "nothing itself. Only the kernel's answer says which calls were "
      "granted, and a function's answer is its return value: what each way "
      "to hook sched_setaffinity() costs per call, every call of the "
      "benchmark granted:\n")
print("| mechanism | exact | adds per call |")
print("|---|---|---|")
mechanisms = [
    ("floor-entry", "empty kprobe at sched_setaffinity()'s entry",
     "no: it runs before the kernel decides"),
    ("floor", "empty return probe on sched_setaffinity(), entry handler "
     "keeping a word (pinstat's hook)", "yes"),
    ("floor-inner", "empty return probe on __sched_setaffinity(), past the "
     "permission checks", "yes (but a static function, its prototype "
     "unchecked, absent before 5.15)"),
    ("pinstat", "pinstat: the return probe and the counting", "yes"),
    ("bpftrace", "bpftrace: the sys_exit_sched_setaffinity tracepoint, "
     "`ret == 0`", "yes")]
for config, what, exact in mechanisms:
    if config in med["setaffinity"]:
        print("| %s | %s | %s |" % (what, exact,
                                    floor("setaffinity", config)))
mech = {}
for kver, config, _round, _op, _n, _total, _mean, median in lines(
        "mechanisms.log", "MECH"):
    mech.setdefault(config, []).append(int(median))
if mech:
    base = statistics.median(mech["none"])
    print("\nThe same on %s, which has fprobes (CONFIG_FPROBE), one more "
          "way to see a function's return (`-icount`, median of %d rounds; "
          "sched_setaffinity() alone takes %s there):\n" % (
              kver, len(mech["none"]), fmt(base)))
    print("| mechanism | exact | adds per call |")
    print("|---|---|---|")
    for config, what, exact in [
            ("floor-entry", "empty kprobe at the entry", "no"),
            ("floor", "empty return probe (pinstat's hook)", "yes"),
            ("floor-fprobe", "empty fprobe with an exit handler", "yes"),
            ("pinstat", "pinstat", "yes")]:
        if config in mech:
            print("| %s | %s | %s |" % (
                what, exact, fmt(statistics.median(mech[config]) - base)))
print("\nEvery exact way costs what seeing a return costs, on every call "
      "(a trampoline the function returns through): pinstat's choice is "
      "the cheapest exact one whose function is declared in every "
      "kernel's headers, so that its prototype is checked at build time.")
if "bpftrace" in med["setaffinity"]:
    print("\nThe goal of ≥ 3× cheaper than bpftrace (section 4) leaves "
          "pinstat %s instructions a call, where the empty return probe "
          "alone costs %s." % (fmt(added("setaffinity", "bpftrace") / 3),
                               fmt(added("setaffinity", "floor"))))

if "bpftrace" in med["setaffinity"]:
    print("\n## 4. Next to bpftrace\n")
    print("bpftrace keeping per-PID counts of thread creations and exits "
          "(sched tracepoints) and of successful sched_setaffinity calls "
          "(syscall exit tracepoint), in the same rounds: the same events "
          "as pinstat's.\n")
    print("| operation | bpftrace adds | pinstat adds | bpftrace / pinstat "
          "| bpftrace overhead | pinstat overhead |")
    print("|---|---|---|---|---|---|")
    for op in EVENTS:
        theirs, ours = added(op, "bpftrace"), added(op, "pinstat")
        ratio = "%.1f×" % (theirs / ours) if op in HITS and ours > 0 \
            else "—"
        print("| %s | %s | %s | %s | %.2f %% | %.2f %% |" % (
            op, fmt(theirs), fmt(ours), ratio,
            100 * theirs / med[op]["none"], 100 * ours / med[op]["none"]))
    per_event = added("setaffinity", "bpftrace") / added("setaffinity",
                                                          "pinstat")
    share = added("thread", "pinstat") / added("thread", "bpftrace")
    print("\nPer affinity event pinstat is %.1f× cheaper (goal ≥ 3×: %s); "
          "its thread overhead is %.2f of bpftrace's (goal ≤ 0.2: %s)." % (
              per_event, goal("≥ 3× cheaper per event than bpftrace",
                              per_event >= 3),
              share, goal("≤ 1/5 of bpftrace's thread overhead",
                          share <= 0.2)))
else:
    goal("bpftrace measured", False)

print("\n## 5. Scale: event rates, two CPUs, 10 000 processes\n")
# micro clone N: N+1 threads (a warm-up), each a creation and a solo exit,
# and micro's own start and end
_op, n, total, _mean, _median, _e, events, _d, dropped = \
    lines("icount.log", "RATE")[0]
rate = 2 * int(n) / int(total) * 1e9
expected = 2 * (int(n) + 1) + 2
ceiling = 2e9 / med["clone"]["none"]
print("Thread events on one CPU, in guest time (`-icount`): `micro clone "
      "%s`, the cheapest threads (a bare `clone()` and an exit) made as "
      "fast as this CPU can, pinstat loaded: %.0f events per guest second "
      "(goal 100 000: %s). pinstat counted %s thread events where %d were "
      "made (%s), %s dropped (%s)." % (
          n, rate, goal("100 000 thread events per second", rate >= 100000),
          events, expected, "every one" if int(events) == expected
          else "**not** every one",
          dropped, goal("every thread event counted, none dropped",
                        int(events) == expected and dropped == "0")))
print("\nThe emulated CPU is what limits the rate: without pinstat a bare "
      "thread's creation and exit take %s instructions, so at one "
      "instruction per guest nanosecond it makes at most %.0f events per "
      "second; 100 000 would take threads of at most 20 000 instructions. "
      "At 100 000 thread events per second pinstat would take its cost "
      "per event (%s instructions, from the clone row) 100 000 times a "
      "second: %.1f %% of this CPU." % (
          fmt(med["clone"]["none"]), ceiling,
          fmt(added("clone", "pinstat") / 2),
          100 * added("clone", "pinstat") / 2 * 1e5 / 1e9))
print()
scale = {}
for f in lines("scale.log", "SCALE"):
    scale.setdefault(f[0], []).append(f[1:])
print("sched_setaffinity per call (guest nanoseconds, real time, MTTCG; "
      "median of rounds, min–max): on one CPU alone, on both CPUs at once "
      "from two processes, and from two threads of one process (one "
      "record, one lock).\n")
print("| | alone | two processes | one process |")
print("|---|---|---|---|")
cont = {}
for config in ["none", "pinstat"]:
    for _r, kind, _op, _n, _total, each, _median in scale.get(config, []):
        cont.setdefault(config, {}).setdefault(kind, []).append(int(each))
    print("| %s | %s |" % (config, " | ".join(
        spread(cont[config][k]) for k in ["alone", "two-processes",
                                          "one-process"])))
grow = {k: statistics.median(cont["pinstat"][k]) -
        statistics.median(cont["none"][k]) for k in cont["pinstat"]}
print("\npinstat adds %s ns per call alone, %s ns with both CPUs in two "
      "processes, %s ns in one process." % (
          fmt(grow["alone"]), fmt(grow["two-processes"]),
          fmt(grow["one-process"])))

events, _in, start, end, _d, dropped = scale["events"][0]
rate = int(events) / (float(end) - float(start))
print("\nThread creations and exits from both CPUs (real time) for 10 s: "
      "%s events, %.0f per second, %s dropped (goal 0: %s)." % (
          events, rate, dropped, goal("no drop under load",
                                      dropped == "0")))

if "affinity" in scale:
    events, _in, start, end, _d, dropped = scale["affinity"][0]
    rate = int(events) / (float(end) - float(start))
    print("\nAffinity changes from both CPUs for 10 s: %s events, %.0f per "
          "second, %s dropped (none dropped: %s). A change takes the same "
          "path in pinstat as a thread event (the record's lookup, lock, "
          "counters and rate windows): this is that path above the 100 000 "
          "events per second that threads cannot reach here." % (
              events, rate, dropped,
              goal("no drop at the affinity flood's rate", dropped == "0")))

tracked = scale["tracked"][0]
slab = scale["slab"][0]
# pinstat_record active num objsize perslab pagesperslab : tunables ... :
# slabdata active_slabs num_slabs sharedavail
active, objsize, slabs, pages = int(slab[1]), int(slab[3]), int(slab[-2]), \
    int(slab[5])
slab_bytes = slabs * pages * 4096
per_record = slab_bytes / active
load_kb = min(int(f[0]) for f in scale["load_kb"])
module = scale["module"][0]
print("\nWith 10 000 more processes: %s records tracked (capacity %s), "
      "%s dropped (goal 0: %s)." % (
          tracked[0], tracked[2], tracked[4],
          goal("no drop within capacity", tracked[4] == "0")))
print("\n| memory | bytes |")
print("|---|---|")
print("| one record (slab object size) | %d — goal ≤ 512: %s |" % (
    objsize, goal("≤ 512 B per record", objsize <= 512)))
print("| per record, with the slab's own overhead | %.0f |" % per_record)
print("| the record slab, %d records | %d |" % (active, slab_bytes))
print("| taken at load, before any record (MemFree before and after "
      "insmod, least of 3: the hash table) | %d |" % (load_kb * 1024))
print("| module core (/proc/modules) | %s |" % module[1])
print("| total at %d records | %d |" % (
    active, slab_bytes + load_kb * 1024 + int(module[1])))

full = {(config, op): int(median) for config, op, _n, _total, _mean, median
        in lines("icount.log", "FULL")}


def added_full(op):
    return full["pinstat", op] - full["none", op]


if full:
    print("\nThe hot path with 10 000 more processes in the table (those "
          "of this section; one CPU, `-icount`, one run each): pinstat adds "
          "%s instructions per affinity change and %s per thread (%s and "
          "%s with the table holding the guest's few processes, section "
          "2)." % (fmt(added_full("setaffinity")), fmt(added_full("thread")),
                   fmt(added("setaffinity", "pinstat")),
                   fmt(added("thread", "pinstat"))))

print("\n## 6. Reading\n")
reads = {f[0]: f[1:] for f in lines("icount.log", "READ")}
print("Kernel side of one full read of the debugfs table (`cat`), %s "
      "records: %s guest instructions (median of %s reads)." % (
          reads["tracked"][0], reads["read"][3], reads["read"][0]))
print()
cli_report.section(lines("cli.log", "CLI"), goal)
cli_report.prom_section(lines("cli.log", "PROM"), goal)
missed = [what for what, ok in goals if not ok]
print("\n## Goals\n")
print("%d of %d met." % (len(goals) - len(missed), len(goals)) +
      ("" if not missed else " Missed: " + "; ".join(missed) + "."))
sys.exit(1 if missed else 0)
