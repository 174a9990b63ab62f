#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A fake tree for timing the CLI with --root, /proc included:
#   fixture.py DIR N
# N records; one in 20 has 100 live threads, a fifth of those with four
# threads pinned to CPU 0; one in 20 has exited (no /proc entry). Each
# live process has /proc/PID/exe (a Go binary or a C one), status and
# task/TID/status for every thread, as real /proc has them, so that what
# the CLI reads of /proc is timed too; the table has the module's
# cpus_allowed column, as pinstat.ko writes it. The rows vary (churn,
# pinning, growth) so that verdicts are computed.
import os
import random
import sys

HEADER = ("pid nspid comm state threads_live threads_peak threads_created "
          "threads_exited solo_exits short_lived affinity_changes "
          "threads_pinned pinned_cpu_max cpus_allowed growth_steps_1s "
          "growth_steps_34s "
          "go first_seen_ns "
          "last_event_ns rate_created_1s rate_created_60s rate_solo_exits_1s "
          "rate_solo_exits_60s rate_affinity_1s rate_affinity_60s "
          "lifetime_hist")
CPUS = 2
# golang-go: any ELF with .go.buildinfo; links resolved, as /proc has them
GO_BINARY = os.path.realpath("/usr/lib/go/bin/go")
C_BINARY = os.path.realpath("/bin/sh")

# A real status file's lines, the CPU list near its end as in the kernel's
STATUS = """Name:\t{comm}
Umask:\t0022
State:\tS (sleeping)
Tgid:\t{pid}
Ngid:\t0
Pid:\t{tid}
PPid:\t1
TracerPid:\t0
Uid:\t0\t0\t0\t0
Gid:\t0\t0\t0\t0
FDSize:\t64
Groups:\t
NStgid:\t{pid}
NSpid:\t{tid}
NSpgid:\t{pid}
NSsid:\t{pid}
Kthread:\t0
VmPeak:\t    3060 kB
VmSize:\t    3060 kB
VmLck:\t       0 kB
VmPin:\t       0 kB
VmHWM:\t    1768 kB
VmRSS:\t    1768 kB
RssAnon:\t     112 kB
RssFile:\t    1656 kB
RssShmem:\t       0 kB
VmData:\t     360 kB
VmStk:\t     132 kB
VmExe:\t      20 kB
VmLib:\t    1528 kB
VmPTE:\t      40 kB
VmSwap:\t       0 kB
HugetlbPages:\t       0 kB
CoreDumping:\t0
THP_enabled:\t1
Threads:\t{threads}
SigQ:\t0/96367
SigPnd:\t0000000000000000
ShdPnd:\t0000000000000000
SigBlk:\t0000000000000000
SigIgn:\t0000000000000000
SigCgt:\t0000000000000000
CapInh:\t0000000000000000
CapPrm:\t000001ffffffffff
CapEff:\t000001ffffffffff
CapBnd:\t000001ffffffffff
CapAmb:\t0000000000000000
NoNewPrivs:\t0
Seccomp:\t0
Seccomp_filters:\t0
Speculation_Store_Bypass:\tvulnerable
SpeculationIndirectBranch:\talways enabled
Cpus_allowed:\t{mask:x}
Cpus_allowed_list:\t{cpus}
Mems_allowed:\t00000001
Mems_allowed_list:\t0
voluntary_ctxt_switches:\t10
nonvoluntary_ctxt_switches:\t1
"""


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def record(rng, pid):
    """The counters of one process: (fields, live threads, pinned)."""
    big = pid % 20 == 0
    exited = pid % 20 == 7
    live = 100 if big else rng.choice([1, 1, 1, 2, 4, 8])
    pinned = 4 if big and pid % 100 == 0 else 0
    solo = rng.choice([0, 0, 0, 5, 500])
    hist = [0] * 12
    hist[rng.randrange(12)] = solo
    fields = [pid, pid, "proc%d" % (pid % 97), "exited" if exited else "live",
              0 if exited else live, live, live - 1 + solo, solo, solo,
              solo // 2, rng.choice([0, 0, 30]), pinned, pinned,
              0 if exited else CPUS,
              rng.choice([0, 1, 9]), rng.choice([0, 1, 6]),
              rng.choice([0, 1]), 1000 + pid, 90000 + pid,
              "%.2f" % rng.random(), "%.2f" % (solo / 60.0), "0.00",
              "%.2f" % (solo / 60.0), "0.00", "0.50"] + hist
    return fields, (0 if exited else live), pinned


def proc_entry(root, pid, comm, threads, pinned, go):
    """/proc/PID as the CLI reads it: exe, status, task/TID/status."""
    base = os.path.join(root, "proc", str(pid))
    os.makedirs(os.path.join(base, "task"))
    os.symlink(GO_BINARY if go else C_BINARY, os.path.join(base, "exe"))
    every = {"comm": comm, "pid": pid, "threads": threads,
             "mask": (1 << CPUS) - 1, "cpus": "0-%d" % (CPUS - 1)}
    write(os.path.join(base, "status"), STATUS.format(tid=pid, **every))
    for k in range(threads):
        tid = pid if k == 0 else 1000000 + pid * 100 + k
        cpus = every
        if 0 < k <= pinned:
            cpus = dict(every, mask=1, cpus="0")
        task = os.path.join(base, "task", str(tid))
        os.mkdir(task)
        write(os.path.join(task, "status"), STATUS.format(tid=tid, **cpus))


def main():
    root, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(1)
    sysfs = os.path.join(root, "sys/kernel/pinstat")
    debugfs = os.path.join(root, "sys/kernel/debug/pinstat")
    os.makedirs(os.path.join(sysfs, "events"), exist_ok=True)
    os.makedirs(debugfs, exist_ok=True)
    os.makedirs(os.path.join(root, "sys/devices/system/cpu"))
    write(os.path.join(root, "sys/devices/system/cpu/online"),
          "0-%d\n" % (CPUS - 1))
    values = {"version": "bench", "enabled": 1, "tracked": n,
              "capacity": 65536, "dropped": 0, "evicted": 0, "alerts": 0,
              "short_lived_us": 100000,
              "events/created": 1, "events/exited": 1, "events/affinity": 1,
              "events/exec": 1}
    for name, value in values.items():
        write(os.path.join(sysfs, name), "%s\n" % value)
    with open(os.path.join(debugfs, "processes"), "w") as table:
        table.write(HEADER + "\n")
        for pid in range(100, 100 + n):
            fields, threads, pinned = record(rng, pid)
            table.write(" ".join(str(v) for v in fields) + "\n")
            if threads:
                proc_entry(root, pid, fields[2], threads, pinned,
                           go=fields[16] == 1)


main()
