#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench-locks, in a guest booted with -icount (time counts
# instructions) and one CPU: what lock tracing costs. Rounds in which each
# configuration takes its turn, each running the same timed Go loop
# (golocks loop/request N):
#   untraced  pinstat loaded, nothing traced
#   traced    the process traced by pinstat
#   floor     empty uprobes at the same places, in that process only
#   twin      another process of the same executable is traced, not this
# then thread creation and exit (micro thread, a static C program) with
# nothing traced, a trace going on elsewhere, the process traced for its
# thread creation (pinstat trace of a C program), and an empty uprobe at
# its pthread_create (the floor); and the memory a trace takes. Output: lines
# "LOOP config mode round n ns", "THREAD config round n total mean median",
# "COUNTED round calls" (the pthread_create calls the trace counted) and
# "MEMORY threads round bytes".
cd "$(dirname "$0")" || exit 1
rounds=${BENCH_ROUNDS:-5}
n_loop=${BENCH_LOOP_N:-20000}
n_request=${BENCH_REQUEST_N:-5000}
echo 0 > /proc/sys/kernel/randomize_va_space
insmod ./pinstat.ko || exit 1

# A golocks waiting for /tmp/never.go: a process to trace that does
# nothing. Prints its PID.
idle_process() {
	./golocks /tmp/never.go sites > /dev/null 2>&1 &
	sleep 0.3
	echo $!
}

# Where pinstat trace puts its uprobes (found on the host): the floor's
# empty ones go there too.
offsets=$(cat probe-offsets)

# timed CONFIG MODE N: one run of golocks MODE N as CONFIG says
timed() {
	rm -f /tmp/bench.go
	./golocks /tmp/bench.go "$2" "$3" > /tmp/bench.out &
	p=$!
	sleep 0.3
	case $1 in
	traced) ./pinstat trace "$p" ;;
	floor) insmod ./pinstat_ufloor.ko pid="$p" offsets="$offsets" ;;
	twin) twin=$(idle_process)
		./pinstat trace "$twin" ;;
	esac
	touch /tmp/bench.go
	wait "$p"
	echo "LOOP $1 $2 $round $3 $(cat /tmp/bench.out)"
	case $1 in
	traced) ./pinstat untrace "$p" ;;
	floor) rmmod pinstat_ufloor ;;
	twin) ./pinstat untrace "$twin"
		kill "$twin" ;;
	esac
}

# threads CONFIG: one run of micro thread as CONFIG says
threads() {
	rm -f /tmp/bench.start
	BENCH_START=/tmp/bench.start ./micro thread 5000 > /tmp/bench.out &
	p=$!
	sleep 0.3
	case $1 in
	elsewhere) other=$(idle_process)
		./pinstat trace "$other" ;;
	creates) ./pinstat trace "$p" ;;
	floor) insmod ./pinstat_ufloor.ko pid="$p" \
		offsets="$(cat create-offset)" ;;
	esac
	touch /tmp/bench.start
	wait "$p"
	echo "THREAD $1 $round $(cut -d' ' -f2- /tmp/bench.out)"
	case $1 in
	elsewhere) ./pinstat untrace "$other"
		kill "$other" ;;
	creates) echo "COUNTED $round $(awk -v p="$p" '$1 == p { print $6 }' \
			/sys/kernel/debug/pinstat/traced)"
		./pinstat untrace "$p" ;;
	floor) rmmod pinstat_ufloor ;;
	esac
}

round=1
while [ "$round" -le "$rounds" ]; do
	for config in untraced traced floor twin; do
		timed $config loop "$n_loop"
		timed $config request "$n_request"
	done
	for config in untraced elsewhere creates floor; do
		threads $config
	done
	round=$((round + 1))
done

# Slab memory in use, in bytes: every cache's objects times their size.
slab_bytes() {
	awk 'NR > 2 { sum += $2 * $4 } END { print sum }' /proc/slabinfo
}

# The memory a trace takes with N locked threads: slab growth of a
# traced run of golocks hold N less that of an untraced one, each round.
round=1
while [ "$round" -le "$rounds" ]; do
for threads in 0 1000; do
	for config in untraced traced; do
		rm -f /tmp/bench.go
		./golocks /tmp/bench.go hold "$threads" > /tmp/bench.out &
		p=$!
		sleep 0.3
		sync
		before=$(slab_bytes)
		[ $config = traced ] && ./pinstat trace "$p"
		touch /tmp/bench.go
		while ! grep -q "^done$" /tmp/bench.out; do sleep 0.1; done
		sleep 0.5
		after=$(slab_bytes)
		eval "grew_$config=$((after - before))"
		[ $config = traced ] && ./pinstat untrace "$p"
		kill "$p"
		wait "$p" 2> /dev/null
		sleep 0.5
	done
	echo "MEMORY $threads $round $((grew_traced - grew_untraced))"
done
round=$((round + 1))
done
