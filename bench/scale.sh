#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, second guest: two CPUs, real time. Memory with 10 000 live
# processes; the rate of thread events reached without a drop; and whether
# a sched_setaffinity costs more when both CPUs do it at once (a global
# lock would show here). Output: "SCALE ..." lines.
cd "$(dirname "$0")"
reps=${BENCH_REPS:-5}

# sched_setaffinity, one CPU alone, both at once in two processes, and
# both at once in one process (its record's lock is shared)
contention() {
	r=1
	while [ $r -le "$reps" ]; do
		echo "SCALE $1 $r alone $(./micro setaffinity 20000)"
		BENCH_CPU=0 ./micro setaffinity 20000 > /tmp/c0 &
		BENCH_CPU=1 ./micro setaffinity 20000 > /tmp/c1
		wait
		echo "SCALE $1 $r two-processes $(cat /tmp/c0)"
		echo "SCALE $1 $r one-process $(./micro pair 20000)"
		r=$((r + 1))
	done
}

contention none
# Memory the module takes at load, before any record: code, hash table.
# MemFree also moves with whatever else the guest does: the least of three
# loads is the module's.
free_kb() {
	sync
	echo 3 > /proc/sys/vm/drop_caches
	awk '/^MemFree:/ { print $2 }' /proc/meminfo
}
for try in 1 2 3; do
	[ "$try" = 1 ] || rmmod pinstat
	before=$(free_kb)
	insmod ./pinstat.ko
	echo "SCALE load_kb $((before - $(free_kb)))"
done
contention pinstat

# Thread events as fast as two CPUs make them, for 10 s
created=$(cat /sys/kernel/pinstat/events/created)
exited=$(cat /sys/kernel/pinstat/events/exited)
dropped=$(cat /sys/kernel/pinstat/dropped)
start=$(cut -d' ' -f1 /proc/uptime)
BENCH_CPU=0 ./micro thread 1000000 > /dev/null &
a=$!
BENCH_CPU=1 ./micro thread 1000000 > /dev/null &
b=$!
sleep 10
kill $a $b
end=$(cut -d' ' -f1 /proc/uptime)
echo "SCALE events $(( $(cat /sys/kernel/pinstat/events/created) - created + $(cat /sys/kernel/pinstat/events/exited) - exited )) in $start $end dropped $(( $(cat /sys/kernel/pinstat/dropped) - dropped ))"

# Affinity requests as fast as two CPUs make them, for 10 s: a rate of
# events thread creation cannot reach in the emulator
affinity=$(cat /sys/kernel/pinstat/events/affinity)
dropped=$(cat /sys/kernel/pinstat/dropped)
start=$(cut -d' ' -f1 /proc/uptime)
BENCH_CPU=0 ./micro setaffinity 20000000 > /dev/null &
a=$!
BENCH_CPU=1 ./micro setaffinity 20000000 > /dev/null &
b=$!
sleep 10
kill $a $b
end=$(cut -d' ' -f1 /proc/uptime)
echo "SCALE affinity $(( $(cat /sys/kernel/pinstat/events/affinity) - affinity )) in $start $end dropped $(( $(cat /sys/kernel/pinstat/dropped) - dropped ))"

# Memory with 10 000 live processes
i=0
while [ $i -lt 10000 ]; do
	sleep 100000 &
	i=$((i + 1))
done
sleep 2
echo "SCALE tracked $(cat /sys/kernel/pinstat/tracked) capacity $(cat /sys/kernel/pinstat/capacity) dropped $(cat /sys/kernel/pinstat/dropped)"
echo "SCALE slab $(grep '^pinstat_record ' /proc/slabinfo)"
echo "SCALE module $(grep '^pinstat ' /proc/modules)"
