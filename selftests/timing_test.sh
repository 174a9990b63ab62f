#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Leak verdicts in time. make check boots this guest with a clock that
# counts instructions (QEMU -icount, one CPU): idle time costs nothing, so
# five minutes of the guest's time pass in a few of the host's, the same
# every run. The workloads (selftests/workloads/) and their goals:
#
#   gopatterns idle-leak      5 new pinned workers a second, none ending:
#                             thread-leak within 12 s of its start
#   gopatterns slow-leak      a new pinned worker every 30 s:
#                             thread-leak within 5 minutes
#   gopatterns burst          40 threads in 2 s, then flat
#   gopatterns runtime-extra  the Go runtime's occasional extra thread
#   gopatterns idle-pool      a fixed pool of pinned workers
#   patterns grow-churn       grows, while threads also exit alone
#                             ...none of these a leak, ever, in 5 minutes
#
# Run as root where pinstat.ko can be loaded, with pinstat, gopatterns and
# patterns next to this script. Output: TAP.
set -u
cd "$(dirname "$0")"
. ./tap.sh
suite=timing
run_s=${TIMING_TEST_SECONDS:-300}

# Seconds since boot, to the hundredth, as a whole number of hundredths.
now_cs() {
	read -r up _ < /proc/uptime
	echo "${up%.*}${up#*.}" | sed 's/^0*//;s/^$/0/'
}

echo "TAP version 13"
grep -q '^pinstat ' /proc/modules && rmmod pinstat
insmod ./pinstat.ko || { echo "Bail out! cannot load pinstat.ko"; exit 1; }

# idle-leak stops after 30 s: its goal is 12 s, and 1500 threads later
# every read of its record would take more of the emulated CPU
start=$(now_cs)
./gopatterns idle-leak 30 & idle_leak=$!
./gopatterns slow-leak "$run_s" & slow_leak=$!
./gopatterns burst "$run_s" & burst=$!
./gopatterns runtime-extra "$run_s" & runtime_extra=$!
./gopatterns idle-pool "$run_s" & idle_pool=$!
./patterns grow-churn "$run_s" & grow_churn=$!

# first[pid]: when thread-leak was first named, in hundredths after start
leak_at() {
	eval "echo \${first_$1:-}"
}

while [ $(( $(now_cs) - start )) -lt $((run_s * 100)) ]; do
	t=$(( $(now_cs) - start ))
	for pid in $(./pinstat -n 0 diagnose 2> /dev/null | awk '
		/^[a-z]/ { code = $1 }
		code == "thread-leak" && $1 ~ /^[0-9]+$/ { print $1 }'); do
		[ -z "$(leak_at "$pid")" ] && eval "first_$pid=$t"
	done
	sleep 1
done

# expect_leak PID NAME LIMIT_S
expect_leak() {
	at=$(leak_at "$1")
	if [ -n "$at" ] && [ "$at" -le $(($3 * 100)) ]; then
		ok 0 "$2: thread-leak after $((at / 100)).$((at % 100 / 10)) s (within $3 s)"
	else
		ok 1 "$2: thread-leak within $3 s (${at:-never})"
	fi
}

# expect_no_leak PID NAME
expect_no_leak() {
	at=$(leak_at "$1")
	[ -z "$at" ]
	ok $? "$2: never a leak in $run_s s${at:+ (named at $at/100 s)}"
}

expect_leak "$idle_leak" "gopatterns idle-leak (5 new threads/s)" 12
expect_leak "$slow_leak" "gopatterns slow-leak (one thread every 30 s)" 300
expect_no_leak "$burst" "gopatterns burst (40 threads in 2 s, then flat)"
expect_no_leak "$runtime_extra" "gopatterns runtime-extra (the runtime's occasional thread)"
expect_no_leak "$idle_pool" "gopatterns idle-pool (a fixed pinned pool)"
expect_no_leak "$grow_churn" "patterns grow-churn (grows while threads exit alone)"

wait
rmmod pinstat
tap_end
