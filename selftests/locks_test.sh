#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Lock tracing against the real module: every LockOSThread call counted
# at its call site, every locked exit blamed on the site of the thread's
# last lock, named by function and line, every UnlockOSThread call seen
# (inlined or deferred) and each thread's locks counted as the runtime
# counts them, in default and stripped Go binaries (and in binaries of a
# newer Go when the payload has them); a C program's pthread_create()
# calls counted by caller, static and linked to the C library; the
# refusals; the probes pulled out (untrace, unload, the process ending
# or exec'ing) under a running program, which runs on as if untraced.
# Run as root with pinstat.ko, pinstat, golocks*, golocks.go, creators*
# and libc/ next to this script. Output: TAP.
set -u
cd "$(dirname "$0")"
. ./tap.sh
. ./golib.sh
suite=locks
sites=/sys/kernel/debug/pinstat/lock_sites
traced=/sys/kernel/debug/pinstat/traced
out=/tmp/locks_test.out

echo "TAP version 13"
grep -q '^pinstat ' /proc/modules && rmmod pinstat
insmod ./pinstat.ko || { echo "Bail out! cannot load pinstat.ko"; exit 1; }
if ! uprobes_here; then
	skip "lock tracing" "this kernel has no uprobes (CONFIG_UPROBES)"
	rmmod pinstat
	tap_end
	exit
fi

# line NAME: the line of golocks.go marked "site:NAME"
line() {
	grep -n "site:$1\$" golocks.go | cut -d: -f1
}

# site_row PID NAME: "calls locked_exits last_locked locked function file
# line" of PID's call site on the line marked NAME, from the CLI's JSON
# (locked is "-" where unlocks are not seen), or seven dashes. The
# function is the one whose code it is, inlined or not (a newer Go inlines
# a goroutine's function into the wrapper of its go statement).
site_row() {
	row=$(./pinstat --json -p "$1" | tr '{' '\n' |
		sed -e 's/"last_locked":\([0-9]*\),"offset"/"last_locked":\1,"locked":-,"offset"/' \
			-n -e "s/.*\"calls\":\([0-9]*\),\"locked_exits\":\([0-9]*\),\"last_locked\":\([0-9]*\),\"locked\":\([-0-9]*\),\"offset\":[0-9]*,\"function\":\"\([^\"]*\)\",\"file\":\"[^\"]*\/\([^\/\"]*\)\",\"line\":\($(line "$2")\)[,}].*/\1 \2 \3 \4 \5 \6 \7/p")
	echo "${row:-- - - - - - -}"
}

# traced_row PID: PID's line of the module's "traced", without the
# executable: "pid state kind probe_offset unlock_probes calls unlocks
# threads_seen exits_unseen exits_unlocked threads_dropped dev ino"
traced_row() {
	grep "^$1 " "$traced" | cut -d' ' -f1-13
}

# wait_for COMMAND...: until it succeeds, for up to 20 s
wait_for() {
	tries=0
	until "$@"; do
		tries=$((tries + 1))
		[ $tries -lt 200 ] || return 1
		sleep 0.1
	done
}

# start PROGRAM MODE [ARGS...]: run it traced from its first lock on
start() {
	program=$1
	shift
	rm -f /tmp/locks.go
	"./$program" /tmp/locks.go "$@" > "$out" 2>&1 &
	pid=$!
	trace "$pid"
	traced_ok=$?
	touch /tmp/locks.go
}

done_printed() {
	grep -q '^done$' "$out"
}

solo_exits() {
	./pinstat --json -p "$1" | grep -o '"solo_exits":[0-9]*' | cut -d: -f2
}

solo_at_least() {
	[ "$(solo_exits "$1")" -ge "$2" ]
}

# The workload with its three sites; the thread of a goroutine that ends
# locked on the main thread lives on (Go parks it for good), so a locked
# exit may stay a live locked thread: one at most.
sites_of() {
	program=$1
	start "$program" sites
	ok $traced_ok "$program: pinstat trace starts"
	wait_for done_printed
	# the last locked exits may still be on their way out
	wait_for solo_at_least "$pid" 29
	sleep 0.5
	row=$(site_row "$pid" end-locked)
	set -- $row
	solo=$(solo_exits "$pid")
	[ "$1" = 30 ] && [ $(($2 + $3)) = 30 ] && [ "$3" -le 1 ] &&
		[ "$4" = "$3" ] && [ "$2" = "$solo" ] && [ "$5" = main.endLocked ] &&
		[ "$6" = main.go ] && [ "$7" = "$(line end-locked)" ]
	ok $? "$program: 30 locks at main.go:$(line end-locked), each locked exit blamed there ($row; solo exits $solo)"
	row=$(site_row "$pid" unlocked)
	set -- $row
	[ "$1" = 20 ] && [ "$2" = 0 ] && [ "$4" = 0 ] &&
		[ "$7" = "$(line unlocked)" ]
	ok $? "$program: 20 locks that unlock, nothing blamed, none held ($row)"
	row=$(site_row "$pid" leak)
	set -- $row
	[ "$1" = 4 ] && [ "$2" = 0 ] && [ "$3" = 4 ] && [ "$4" = 4 ] &&
		[ "$5" = main.pinnedWorker ] && [ "$7" = "$(line leak)" ]
	ok $? "$program: 4 pinned workers live, holding locks taken at main.go:$(line leak) ($row)"
	set -- $(traced_row "$pid")
	[ "$3" = locks ] && [ "$5" -ge 2 ] &&
		[ "$6 $7 $8 $9 ${10} ${11}" = "54 20 5 0 0 0" ]
	ok $? "$program: 54 locks, 20 unlocks at $5 probed places, 5 threads, none unseen or dropped ($*)"
	kill "$pid"
	wait "$pid" 2> /dev/null
	wait_for grep -q "^$pid exited " "$traced"
	ok $? "$program: the trace ends with the process"
	row=$(site_row "$pid" leak)
	set -- $row
	[ "$3 $4" = "0 0" ] && [ "$7" = "$(line leak)" ]
	ok $? "$program: ended, its sites are still named; no live locked thread ($row)"
	./pinstat untrace "$pid"
	ok $? "$program: untrace after the end"
}

# Nested locks and deferred unlocks: the runtime's count of each thread's
# locks, followed.
nested_of() {
	program=$1
	start "$program" nested
	wait_for done_printed
	sleep 0.2
	row=$(site_row "$pid" nested-inner)
	set -- $row
	[ "$1 $2 $3 $4" = "5 0 5 5" ] && [ "$7" = "$(line nested-inner)" ]
	ok $? "$program: 5 threads locked twice, unlocked once: each holds a lock, last taken at main.go:$(line nested-inner) ($row)"
	row=$(site_row "$pid" nested-outer)
	set -- $row
	[ "$1 $2 $3 $4" = "5 0 0 0" ]
	ok $? "$program: their first locks are not their last ($row)"
	row=$(site_row "$pid" deferred)
	set -- $row
	[ "$1 $2 $4" = "5 0 0" ] && [ "$7" = "$(line deferred)" ]
	ok $? "$program: 5 locks undone by a deferred unlock: none held ($row)"
	set -- $(traced_row "$pid")
	[ "$6 $7" = "15 10" ]
	ok $? "$program: 15 locks, 10 unlocks ($*)"
	./pinstat -p "$pid" | grep -q "UnlockOSThread calls 10"
	ok $? "$program: pinstat -p says unlocks are seen"
	kill "$pid"
	wait "$pid" 2> /dev/null
	./pinstat untrace "$pid"
}

for program in golocks golocks-stripped golocks-go*; do
	[ -x "$program" ] || continue
	sites_of "$program"
	nested_of "$program"
done
ls golocks-go* > /dev/null 2>&1 ||
	skip "sites of a newer Go" "the payload has no golocks built by another Go"

start golocks pool
wait_for done_printed
row=$(site_row "$pid" pool)
set -- $row
[ "$1" = 4 ] && [ "$2" = 0 ] && [ "$4" = 4 ] && [ "$7" = "$(line pool)" ] &&
	! ./pinstat -p "$pid" | grep -q 'locked by\|taken by'
ok $? "a fixed pool: 4 locks held, nothing blamed ($row)"
kill "$pid"
wait "$pid" 2> /dev/null
./pinstat untrace "$pid"

# sched_setaffinity's callers: 10 re-pins from one stack, named by the
# request's line (or pin()'s, where the syscall package keeps a frame).
start golocks repin
wait_for done_printed
sleep 0.2
json=$(./pinstat --json -p "$pid")
calls=$(echo "$json" | sed -n 's/.*"affinity_callers":\[{"calls":\([0-9]*\).*/\1/p')
at=$(echo "$json" | sed -n 's/.*"affinity_callers":\[{[^}]*"file":"[^"]*\/\([^/"]*\)","line":\([0-9]*\)}.*/\1:\2/p')
[ "$calls" = 10 ] && { [ "$at" = "main.go:$(line repin-call)" ] ||
	[ "$at" = "main.go:$(line repin-syscall)" ]; }
ok $? "10 granted re-pins, counted at their caller ($calls at $at)"
kill "$pid"
wait "$pid" 2> /dev/null
./pinstat untrace "$pid"

# Thread creation in C programs: each pthread_create() call counted by
# its caller, named by function; static, and linked to the C library.
case $(uname -m) in
x86_64) mkdir -p /lib64 /lib/x86_64-linux-gnu
	cp libc/ld-linux-x86-64.so.2 /lib64/
	cp libc/libc.so.6 /lib/x86_64-linux-gnu/ ;;
aarch64) mkdir -p /lib/aarch64-linux-gnu
	cp libc/ld-linux-aarch64.so.1 /lib/
	cp libc/libc.so.6 /lib/aarch64-linux-gnu/ ;;
esac
for program in creators creators-dynamic; do
	rm -f /tmp/creators.go
	"./$program" /tmp/creators.go > "$out" 2>&1 &
	pid=$!
	sleep 0.2
	./pinstat trace "$pid"
	ok $? "$program: pinstat trace starts"
	touch /tmp/creators.go
	wait_for done_printed
	set -- $(traced_row "$pid")
	[ "$2 $3 $6" = "tracing creates 10" ]
	ok $? "$program: 10 pthread_create calls ($*)"
	./pinstat -p "$pid" > /tmp/creators.p
	grep -Eq '^ +7 +spawn_seven\+0x[0-9a-f]+' /tmp/creators.p &&
		grep -Eq '^ +3 +spawn_three\+0x[0-9a-f]+' /tmp/creators.p
	ok $? "$program: 7 made in spawn_seven, 3 in spawn_three: $(grep spawn_ /tmp/creators.p | tr -s ' ')"
	start=$(sed -n 's/^\([0-9a-f]*\)-.* r-xp .*/\1/p' "/proc/$pid/maps" | head -n 1)
	./pinstat untrace "$pid"
	for bad in "create 0x1" "create 0x$(printf %x $((0x$start + 1)))" "create" "create  0x$start"; do
		echo "$pid $bad" > /sys/kernel/pinstat/trace 2> /dev/null
		[ $? != 0 ] && ! grep -q "^$pid " "$traced"
		ok $? "$program: no function starts there, refused: $bad"
	done
	kill "$pid"
	wait "$pid" 2> /dev/null
done

# Refusals change nothing.
./patterns churn 5 &
cpid=$!
sleep 0.2
echo "$cpid 0x1000" > /sys/kernel/pinstat/trace 2> /dev/null
[ $? != 0 ] && ! grep -q "^$cpid " "$traced"
ok $? "the module refuses a lock trace of a C program"
./pinstat trace "$cpid" > "$out" 2>&1 &&
	grep -q "^$cpid tracing creates " "$traced"
ok $? "pinstat trace of a C program traces its thread creation"
./pinstat untrace "$cpid"
kill "$cpid"

./golocks /tmp/never.go sites > /dev/null 2>&1 &
gpid=$!
trace "$gpid"
offset=$(sed -n "s/^$gpid [a-z]* locks \(0x[0-9a-f]*\) .*/\1/p" "$traced")
./pinstat untrace "$gpid"
for bad in $((offset + 1)) $((offset + 4)) 1 $((1 << 40)); do
	echo "$gpid $bad" > /sys/kernel/pinstat/trace 2> /dev/null
	[ $? != 0 ] && ! grep -q "^$gpid " "$traced"
	ok $? "an offset that is no function's entry is refused: $bad"
done
# unlock places: not where code starts, a place twice, more than 64
many=$(seq 66 | sed "s/.*/ $offset/" | tr -d '\n')
for bad in "$offset $((offset + 1))" "$offset $((offset + 3))" "$offset $offset"; do
	echo "$gpid $bad" > /sys/kernel/pinstat/trace 2> /dev/null
	[ $? != 0 ] && ! grep -q "^$gpid " "$traced"
	ok $? "an unlock place where no code starts is refused: $bad"
done
echo "$gpid$many" > /sys/kernel/pinstat/trace 2> "$out"
[ $? != 0 ] && grep -q 'too long' "$out" && ! grep -q "^$gpid " "$traced"
ok $? "more than 64 unlock places are refused: $(cat "$out")"
for bad in "$gpid" "$gpid 0x" "$gpid -1" "$gpid 0x1g" "x $offset" "$gpid  $offset" "$gpid $offset "; do
	printf '%s' "$bad" > /sys/kernel/pinstat/trace 2> /dev/null
	[ $? != 0 ] && ! grep -q "^$gpid " "$traced"
	ok $? "malformed input is refused: '$bad'"
done
# LockOSThread alone: unlocks not seen, and said so
echo "$gpid $offset" > /sys/kernel/pinstat/trace
set -- $(traced_row "$gpid")
[ "$5" = 0 ] && ./pinstat -p "$gpid" > "$out" &&
	grep -q 'unlocks not seen' "$out" && grep -q 'LAST-LOCKED' "$out"
ok $? "a trace of LockOSThread alone says unlocks are not seen ($*)"
./pinstat untrace "$gpid"
trace "$gpid" && ./pinstat trace "$gpid" > "$out" 2>&1
[ $? = 2 ] && grep -q 'traced already' "$out"
ok $? "a second trace of the same process is refused"
kill "$gpid"
wait "$gpid" 2> /dev/null
./pinstat trace "$gpid" > "$out" 2>&1
[ $? = 2 ]
ok $? "a process that is gone is refused: $(cat "$out")"
./pinstat untrace "$gpid"

# More traces than the module keeps: the ninth is refused while all run.
pids=
for i in 1 2 3 4 5 6 7 8 9; do
	./golocks /tmp/never.go sites > /dev/null 2>&1 &
	pids="$pids $!"
done
for p in $pids; do
	go_ready "$p"
done
started=0
for p in $pids; do
	./pinstat trace "$p" > "$out" 2>&1 && started=$((started + 1))
done
[ $started = 8 ] && grep -q 'as many processes are traced' "$out"
ok $? "8 traces at most: $started started, then: $(cat "$out")"
kill $pids
wait $pids 2> /dev/null
for p in $pids; do ./pinstat untrace "$p" 2> /dev/null; done

# exec: the trace ends, the new program runs untouched; traced again, the
# ended trace gives way to the new one, which counts from zero.
rm -f /tmp/locks2.go
start golocks exec ./golocks /tmp/locks2.go sites
wait_for grep -q "^$pid execed " "$traced"
ok $? "a traced process that execs ends its trace"
trace "$pid"
touch /tmp/locks2.go
wait_for done_printed
wait_for solo_at_least "$pid" 29
row=$(site_row "$pid" end-locked)
set -- $row
[ "$(grep -c "^$pid " "$traced")" = 1 ] && [ "$1" = 30 ] &&
	[ $(($2 + $3)) = 30 ]
ok $? "traced again after exec: one trace, counting the new program ($row)"
kill "$pid"
wait "$pid" 2> /dev/null
./pinstat untrace "$pid"

# The probe goes under a running program: it runs on as if untraced.
rm -f /tmp/locks.go
touch /tmp/locks.go
./golocks /tmp/locks.go busy > /tmp/locks.untraced 2>&1
want="status $? $(cat /tmp/locks.untraced)"
for how in untrace unload; do
	start golocks busy
	sleep 0.2
	if [ "$how" = untrace ]; then
		./pinstat untrace "$pid"
	else
		rmmod pinstat
	fi
	wait "$pid"
	got="status $? $(cat "$out")"
	[ "$got" = "$want" ]
	ok $? "$how under a running program: it runs on the same ($got)"
	grep -q '^pinstat ' /proc/modules || insmod ./pinstat.ko
done

rmmod pinstat
tap_end
