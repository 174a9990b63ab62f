#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, in a guest of a kernel with fprobes (Debian's 6.12) booted
# with -icount, one CPU: what each way to see sched_setaffinity()'s
# answer costs there, next to pinstat built for that kernel. Rounds in
# which the configurations take turns. Output: lines "MECH kernel config
# round op n total mean median".
cd "$(dirname "$0")"
rounds=${BENCH_ROUNDS:-3}
echo 0 > /proc/sys/kernel/randomize_va_space
kver=$(uname -r)

start() {
	case $1 in
	none) ;;
	pinstat) insmod ./pinstat.ko ;;
	floor-entry) insmod ./pinstat_floor.ko affinity=entry ;;
	floor) insmod ./pinstat_floor.ko ;;
	floor-fprobe) insmod ./pinstat_floor.ko affinity=fprobe ;;
	esac
}

stop() {
	case $1 in
	pinstat) rmmod pinstat ;;
	floor*) rmmod pinstat_floor ;;
	esac
}

round=1
while [ $round -le "$rounds" ]; do
	for config in none pinstat floor-entry floor floor-fprobe; do
		if start "$config"; then
			echo "MECH $kver $config $round $(./micro setaffinity 20000)"
			stop "$config"
		else
			echo "SKIPPED $config on $kver: cannot load"
		fi
	done
	round=$((round + 1))
done
