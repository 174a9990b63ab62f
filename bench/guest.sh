#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, in a guest booted with -icount (time counts instructions) and
# one CPU: rounds in which every configuration takes its turn (none,
# pinstat, the empty-hook floors of its hooks and of the affinity hooks it
# could have used, bpftrace), each timing the same
# operations; then the rate of thread events this CPU reaches with pinstat
# counting them; with 10 000 processes, the same operations again and the
# cost of reading pinstat's table. Output: lines "RESULT config round op n
# total mean median", "RATE ...", "FULL config op n total mean median" and
# "READ ...".
cd "$(dirname "$0")"
. ./lib.sh
rounds=${BENCH_ROUNDS:-7}
ops="setaffinity 20000
getppid 20000
thread 10000
clone 5000
fork 2000
fork-thread 1000"

# With address-space randomization each run of thread or fork costs a
# different number of instructions, 2-4 % apart (the layout changes how
# much work something does). Without it the runs repeat to 0.1 %, and a
# hundred instructions of pinstat show.
echo 0 > /proc/sys/kernel/randomize_va_space

mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null

# bpftrace as its users would run it: per-PID counts of thread starts and
# exits, and of successful sched_setaffinity calls: granted changes, what
# pinstat counts too
bpftrace_script='
tracepoint:sched:sched_process_fork { @created[args->parent_pid] = count(); }
tracepoint:sched:sched_process_exit { @exited[pid] = count(); }
tracepoint:syscalls:sys_exit_sched_setaffinity /args->ret == 0/ { @affinity[pid] = count(); }'

bpftrace_start() {
	./bpftrace/lib/ld-linux-x86-64.so.2 --library-path ./bpftrace/lib \
		./bpftrace/bin/bpftrace -e "$bpftrace_script" > /tmp/bpftrace.out 2>&1 &
	bpftrace_pid=$!
	# it prints "Attaching 3 probes..." once they are in place
	while ! grep -q Attaching /tmp/bpftrace.out; do
		kill -0 $bpftrace_pid 2>/dev/null || return 1
		sleep 1
	done
	sleep 1
}

start() {
	case $1 in
	none) ;;
	pinstat) insmod ./pinstat.ko ;;
	pinstat-kprobes) insmod ./pinstat.ko hooks=kprobes ;;
	floor) insmod ./pinstat_floor.ko ;;
	floor-kprobes) insmod ./pinstat_floor.ko kprobes=1 ;;
	floor-entry) insmod ./pinstat_floor.ko affinity=entry ;;
	floor-inner) insmod ./pinstat_floor.ko affinity=inner ;;
	bpftrace) bpftrace_start ;;
	esac
}

stop() {
	case $1 in
	pinstat*) rmmod pinstat ;;
	floor*) rmmod pinstat_floor ;;
	bpftrace) kill -INT $bpftrace_pid; wait $bpftrace_pid ;;
	esac
}

configs="none pinstat pinstat-kprobes floor floor-kprobes floor-entry floor-inner"
[ -x ./bpftrace/bin/bpftrace ] && configs="$configs bpftrace"
round=1
while [ $round -le "$rounds" ]; do
	for config in $configs; do
		if ! start "$config"; then
			echo "SKIPPED $config: cannot start"
			cat /tmp/bpftrace.out 2>/dev/null | head -5
			configs=$(echo "$configs" | sed "s/ $config//")
			continue
		fi
		echo "$ops" | while read -r op n; do
			echo "RESULT $config $round $(./micro "$op" "$n")"
		done
		stop "$config"
	done
	round=$((round + 1))
done

echo "CALIBRATION $(./micro stosb 1000) $(./micro empty 1000) $(grep -m 1 -o -w erms /proc/cpuinfo || echo no-erms)"

# Thread events per guest second: the cheapest threads as fast as this CPU
# makes them, pinstat counting. The counters are read with the shell's own
# read, which starts no process: they must grow by exactly 2 per thread
# (with micro's warm-up one) plus micro's own start and end.
insmod ./pinstat.ko
read -r created < /sys/kernel/pinstat/events/created
read -r exited < /sys/kernel/pinstat/events/exited
read -r dropped < /sys/kernel/pinstat/dropped
./micro clone 20000 > /tmp/rate
read -r created_now < /sys/kernel/pinstat/events/created
read -r exited_now < /sys/kernel/pinstat/events/exited
read -r dropped_now < /sys/kernel/pinstat/dropped
echo "RATE $(cat /tmp/rate) events $((created_now + exited_now - created - exited)) dropped $((dropped_now - dropped))"
rmmod pinstat

# With 10 000 processes (plus the few of the guest): the hot path with a
# full table, without pinstat and then with it, and reading the table
full_table_ops="setaffinity 20000
thread 10000"
sleepers 10000
echo "$full_table_ops" | while read -r op n; do
	echo "FULL none $(./micro "$op" "$n")"
done
insmod ./pinstat.ko
echo "$full_table_ops" | while read -r op n; do
	echo "FULL pinstat $(./micro "$op" "$n")"
done
echo "READ tracked $(cat /sys/kernel/pinstat/tracked)"
echo "READ $(./micro read 5)"
echo "READ module $(grep '^pinstat ' /proc/modules)"
