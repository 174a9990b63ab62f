#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, second guest: two CPUs, real time. Memory with 10 000 live
# processes; the rate of thread events reached without a drop; and whether
# a sched_setaffinity costs more when both CPUs do it at once (a global
# lock would show here). Output: "SCALE ..." lines.
cd "$(dirname "$0")"
. ./lib.sh
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

# The sum of the pinstat counters named (paths under /sys/kernel/pinstat)
counters() {
	sum=0
	for name; do
		sum=$((sum + $(cat "/sys/kernel/pinstat/$name")))
	done
	echo $sum
}

# "flood LABEL OP N COUNTER...": OP from both CPUs at once for 10 s; prints
# "SCALE LABEL events in START END dropped N", the events being what the
# counters named grew by.
flood() {
	label=$1 op=$2 n=$3
	shift 3
	events=$(counters "$@")
	dropped=$(counters dropped)
	start=$(cut -d' ' -f1 /proc/uptime)
	BENCH_CPU=0 ./micro "$op" "$n" > /dev/null &
	a=$!
	BENCH_CPU=1 ./micro "$op" "$n" > /dev/null &
	b=$!
	sleep 10
	kill $a $b
	end=$(cut -d' ' -f1 /proc/uptime)
	echo "SCALE $label $(($(counters "$@") - events)) in $start $end" \
		"dropped $(($(counters dropped) - dropped))"
}

flood events thread 1000000 events/created events/exited
# affinity requests: a rate that thread creation cannot reach here
flood affinity setaffinity 20000000 events/affinity

# Memory with 10 000 live processes
sleepers 10000
sleep 2
echo "SCALE tracked $(cat /sys/kernel/pinstat/tracked) capacity $(cat /sys/kernel/pinstat/capacity) dropped $(cat /sys/kernel/pinstat/dropped)"
echo "SCALE slab $(grep '^pinstat_record ' /proc/slabinfo)"
echo "SCALE module $(grep '^pinstat ' /proc/modules)"
