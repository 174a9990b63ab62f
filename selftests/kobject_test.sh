#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# In a kernel that releases kobjects late (CONFIG_DEBUG_KOBJECT_RELEASE,
# make check-debug's kobject kernel): unloading pinstat while processes
# are watched, directly or by an alert, leaves nothing of the module to
# be called when their kobjects are released, seconds later, and a reload
# finds every name free. Each kobject is released 1 to 4 s late, at
# random: with twenty watched, one of them comes after the module's own
# kobject, which the unload waits for, on three rounds in four. The
# kernel's log is the judge: an oops or a warning fails the run (vm.sh).
# Output: TAP.
set -u
cd "$(dirname "$0")"
. ./tap.sh
suite=kobject

echo "TAP version 13"
grep -q '^pinstat ' /proc/modules && rmmod pinstat
for round in 1 2 3; do
	insmod ./pinstat.ko
	ok $? "round $round: loads (every name free)"
	echo 2 > /sys/kernel/pinstat/alert/threads
	./patterns churn 2 &
	churner=$!
	sleepers=
	for i in $(seq 20); do
		sleep 60 &
		sleepers="$sleepers $!"
		echo $! > /sys/kernel/pinstat/watch
	done
	sleep 1
	[ "$(ls /sys/kernel/pinstat/procs | wc -l)" = 21 ] &&
		[ -d "/sys/kernel/pinstat/procs/$churner" ]
	ok $? "round $round: 21 processes watched, by hand and by an alert"
	wait "$churner"
	echo $$ > /sys/kernel/pinstat/watch
	echo $$ > /sys/kernel/pinstat/unwatch
	rmmod pinstat
	ok $? "round $round: unloads with watched processes"
	kill $sleepers
	sleep 5		# the releases come 1 to 4 s late
done
tap_end
