#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The pinstat CLI against the real module: each verdict fires on the Go
# program that reproduces its bug and stays silent on the fixed pool; the
# CLI's numbers are the kernel's; diagnose's exit status; the module going
# away under a running CLI. Run as root where pinstat.ko can be loaded,
# with pinstat, gopatterns and patterns next to this script. Output: TAP.
set -u
cd "$(dirname "$0")"
. ./tap.sh
. ./golib.sh
suite=cli
out=/tmp/cli_test.out

# has PID CODE: the JSON diagnosis of PID lists the verdict CODE
verdicts() {
	./pinstat --json -p "$1" | tr ',' '\n' | sed -n 's/.*"code":"\([a-z-]*\)".*/\1/p' | tr '\n' ' '
}

echo "TAP version 13"
grep -q '^pinstat ' /proc/modules && rmmod pinstat
insmod ./pinstat.ko || { echo "Bail out! cannot load pinstat.ko"; exit 1; }

# Every pattern, side by side, for long enough for thread-leak (new thread
# highs in eight ~1 s windows) and go-locked-exit (a rate over a minute's
# window); they run until checked, however slow the kernel (a debug one
# is), then are stopped.
seconds=${CLI_TEST_SECONDS:-28}
for mode in locked-exit leak repin overlap surge pool setns; do
	./gopatterns "$mode" 3600 &
	eval "pid_$(echo $mode | tr - _)=$!"
done
./patterns churn 3600 &
pid_cchurn=$!
# lock tracing names the line behind each finding (see locks_test.sh)
uprobes_here && for pid in "$pid_locked_exit" "$pid_leak" "$pid_repin" "$pid_pool"; do
	trace "$pid" 2>&1 | sed 's/^/# /'
done
sleep "$seconds"

expect_verdict() {
	got=$(verdicts "$1")
	case " $got " in
	*" $2 "*) ok 0 "$3: $2" ;;
	*) ok 1 "$3: $2 (got: $got)" ;;
	esac
}
expect_verdict "$pid_locked_exit" go-locked-exit "Go goroutine exiting while locked"
expect_verdict "$pid_leak" thread-leak "Go pinned workers started and never stopped"
expect_verdict "$pid_repin" affinity-churn "Go re-pinning per request"
expect_verdict "$pid_overlap" pin-overlap "Go pinned workers sharing a CPU"
expect_verdict "$pid_surge" thread-surge "Go requests blocked in system calls"
got=$(verdicts "$pid_surge")
case " $got " in *" thread-leak "*|*" go-locked-exit "*) ok 1 "a surge is neither a leak nor locked exits ($got)" ;;
*) ok 0 "a surge is neither a leak nor locked exits" ;; esac
expect_verdict "$pid_cchurn" thread-churn "C thread per request"
got=$(verdicts "$pid_cchurn")
case " $got " in *" go-locked-exit "*) ok 1 "a C program is not called Go ($got)" ;;
*) ok 0 "a C program is not called Go" ;; esac
got=$(verdicts "$pid_pool")
[ -z "$got" ]
ok $? "the fixed Go pool is clean (got: ${got:-nothing})"

if uprobes_here; then
	# blamed PID SITE: diagnose names the line of gopatterns.go marked SITE
	blamed() {
		at="at main.go:$(grep -n "site:$2\$" gopatterns.go | cut -d: -f1)"
		./pinstat diagnose -p "$1" > "$out"
		grep -q "$3 .*$at\." "$out"
		ok $? "diagnose names $2's LockOSThread line: $at" ||
			sed 's/^/# /' "$out"
	}
	blamed "$pid_locked_exit" locked-exit "threads ended while locked by"
	blamed "$pid_leak" leak "live threads hold a lock taken by"
	# the caller that re-pins: the request's line, or pin()'s own when the
	# syscall package's function keeps a frame of its own (newer Go)
	./pinstat diagnose -p "$pid_repin" > "$out"
	grep -Eq "of them were made from .* at main.go:($(grep -n 'site:repin$' gopatterns.go | cut -d: -f1)|$(grep -n 'site:repin-syscall$' gopatterns.go | cut -d: -f1))\." "$out"
	ok $? "diagnose names the caller that re-pins" || sed 's/^/# /' "$out"
	./pinstat -p "$pid_pool" > "$out"
	grep -q 'LockOSThread calls' "$out" &&
		! grep -q 'locked by\|taken by' "$out"
	ok $? "the traced fixed pool: sites shown, nothing blamed"
else
	for what in "diagnose names the LockOSThread lines" \
		"diagnose names the caller that re-pins" \
		"the traced fixed pool: sites shown, nothing blamed"; do
		skip "$what" "this kernel has no uprobes (CONFIG_UPROBES)"
	done
fi
got=$(verdicts "$pid_setns")
[ -z "$got" ]
ok $? "Go ending a few locked threads on purpose (setns) is clean (got: ${got:-nothing})"
./pinstat --json -p "$pid_leak" | grep -q '"go":true'
ok $? "Go binaries are recognised from their executable"
./pinstat --json -p "$pid_leak" | grep -q 'Go aborts at 10000 threads'
ok $? "thread-leak of a Go program gives the headroom to 10000"

./pinstat diagnose > "$out"
[ $? = 1 ]
ok $? "diagnose exits 1 when it finds something"
./pinstat > "$out"
ok $? "the summary runs"
head -n 2 "$out" | tail -n 1 | grep -Eq '^ *[0-9]+ (gopatterns|patterns) +live '
ok $? "a pattern process leads the summary" || sed 's/^/# /' "$out"
# Ages: the module's *_ns and the CLI's now_ns are one clock (MONOTONIC)
json=$(./pinstat --json -p "$pid_pool")
first=$(echo "$json" | sed -n 's/.*"first_seen_ns":\([0-9]*\).*/\1/p')
now=$(echo "$json" | sed -n 's/.*"now_ns":\([0-9]*\).*/\1/p')
age=$(( (now - first) / 1000000000 ))
[ "$age" -ge $((seconds - 2)) ] && [ "$age" -le $((seconds + 600)) ]
ok $? "now_ns - first_seen_ns: the pool is $age s old (ran $seconds s and more)"
./pinstat -p "$pid_pool" | grep -q '^  seen      first [0-9][0-9a-z]* ago, last event [0-9][0-9a-z]* ago$'
ok $? "-p says how long ago the pool was first seen and last heard of"
kill $pid_locked_exit $pid_leak $pid_repin $pid_overlap $pid_surge $pid_pool \
	$pid_setns $pid_cchurn
wait

# Post mortem: a Go program whose goroutines end locked, gone before
# anyone read its record, is still known as Go, with its finding
./gopatterns locked-exit 4 &
gone=$!
wait "$gone"
status=$?
[ "$status" = 0 ] &&
	awk -v p="$gone" '$1 == p && $4 == "exited" { found = 1 } END { exit !found }' \
		/sys/kernel/debug/pinstat/processes
ok $? "a Go program that has ended lingers (PID $gone)"
./pinstat --json -p "$gone" | grep -q '"go":true'
ok $? "an ended Go program is still known as Go"
expect_verdict "$gone" go-locked-exit "an ended Go program"

# Numbers: an exited process's record no longer changes: CLI == debugfs
row=$(awk -v p="$pid_repin" '$1 == p' /sys/kernel/debug/pinstat/processes)
json=$(./pinstat --json -p "$pid_repin")
for field in threads_live threads_peak threads_created threads_exited \
	     solo_exits short_lived affinity_changes first_seen_ns \
	     last_event_ns; do
	col=$(head -n 1 /sys/kernel/debug/pinstat/processes | tr ' ' '\n' | grep -n "^$field\$" | cut -d: -f1)
	want=$(echo "$row" | cut -d' ' -f"$col")
	echo "$json" | grep -q "\"$field\":$want[,}]"
	ok $? "pinstat --json $field equals debugfs ($want)"
done
affinity=$(cat /sys/kernel/pinstat/events/affinity)
./pinstat --json | grep -q "\"affinity\":$affinity[,}]"
ok $? "global totals equal sysfs"

# A quiet system: nothing to diagnose once the patterns are gone
./pinstat reset && echo 1 > /sys/kernel/pinstat/linger_s && sleep 3
./pinstat diagnose > "$out"
[ $? = 0 ]
ok $? "diagnose exits 0 when there is nothing"

# Alerts wake diagnose --follow
./pinstat config alert/solo_exits_per_s=20 > /dev/null
./pinstat diagnose --follow > "$out" 2>&1 &
follower=$!
sleep 1
./gopatterns locked-exit 12 &
churner=$!
sleep 10
grep -q "go-locked-exit" "$out"
ok $? "diagnose --follow reports a new finding"
[ -d "/sys/kernel/pinstat/procs/$churner" ]
ok $? "an alert watches the process (procs/$churner)"
[ "$(cat /sys/kernel/pinstat/alerts)" -ge 1 ]
ok $? "the alert is counted"
wait "$churner"

# The module goes away under a running CLI: a clear error, no crash.
# rmmod is refused (EAGAIN) while a reader has a debugfs file open, and
# the CLI opens the table every 0.2 s (for long on a slow guest): again.
unload() {
	tries=0
	until rmmod pinstat 2> /dev/null; do
		tries=$((tries + 1))
		[ $tries -lt 100 ] || return 1
		sleep 0.1
	done
}
./pinstat 0.2 50 > "$out" 2>&1 &
interval=$!
sleep 1
# if it cannot go, stop the CLIs waiting for it: the checks below fail
unload || kill "$interval" "$follower"
wait "$interval"
status=$?
[ "$status" = 2 ] && grep -q 'not loaded' "$out"
ok $? "INTERVAL mode stops with status 2 when the module goes (got $status)"
wait "$follower"
status=$?
[ "$status" = 2 ]
ok $? "diagnose --follow stops with status 2 when the module goes (got $status)"
./pinstat > "$out" 2>&1
[ $? = 2 ] && grep -q 'modprobe pinstat' "$out"
ok $? "without the module: status 2 and how to load it"

tap_end
