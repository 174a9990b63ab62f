#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run where pinstat.ko can be loaded (the QEMU guest, or a host):
# Go programs with the runtime.LockOSThread bugs of the seed, the fixed
# worker pool, and a C program starting a thread per request; then what
# pinstat makes of them.
set -u
cd "$(dirname "$0")"
PATH=$PWD:$PATH
seconds=${DEMO_SECONDS:-34}

step() {
	printf '\n\033[1m$ %s\033[0m\n' "$*"
	"$@"
}

grep -q '^pinstat ' /proc/modules || insmod ./pinstat.ko || exit 1
echo "pinstat $(cat /sys/kernel/pinstat/version) loaded; $(nproc) CPUs"
# alert on churn above 20 solo exits/s: diagnose --follow wakes up for it
pinstat config alert/solo_exits_per_s=20 >/dev/null
pinstat diagnose --follow > /tmp/follow.log 2>&1 &
follower=$!

echo "Starting, for $seconds s each:"
echo "  gopatterns locked-exit  goroutines that lock their thread and return (seed bugs 2, 6, 11)"
echo "  gopatterns leak         pinned workers started again and again (bug 12)"
echo "  gopatterns repin        sched_setaffinity on every request"
echo "  gopatterns overlap      two pinned workers sharing CPU 0 (bug 9)"
echo "  gopatterns surge        40 busy connections, each request pinned in a system call (bug 1)"
echo "  gopatterns pool         the fix: locked workers pinned once, one CPU left free"
echo "  patterns churn          C: a new thread per request"
# Each in its own cgroup, laid out as systemd and the container runtimes
# lay them out, so that pinstat --by has units and containers to name:
# below pinstat-demo, out of the way of a host's own.
root=/sys/fs/cgroup
if grep -q "^[^ ]* $root/unified cgroup2 " /proc/mounts; then
	root=$root/unified	# a hybrid host's
elif ! grep -q "^[^ ]* $root " /proc/mounts; then
	mount -t cgroup2 none "$root"
fi
grep -q "^[^ ]* $root cgroup2 " /proc/mounts ||
	echo "(no cgroup2 hierarchy: the workloads stay where they are)"
cg=$root/pinstat-demo
id=$(printf '%064d' 0 | tr 0 a)
group_locked_exit=/system.slice/api.service
group_leak=/system.slice/docker-c0ffee${id#??????}.scope
group_repin=/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod6f3c2d1e_8a9b_4c7d_9e0f_112233445566.slice/cri-containerd-${id%?????}5eed5.scope
group_overlap=/system.slice/media.service
group_surge=/system.slice/gateway.service
group_pool=/system.slice/render.service
group_churn=/user.slice/user-1000.slice/session-2.scope
# in_group GROUP COMMAND...: COMMAND in the background, in cgroup GROUP
in_group() {
	dir=$cg$1
	shift
	mkdir -p "$dir" 2> /dev/null
	sh -c '{ echo $$ > "$1/cgroup.procs"; } 2> /dev/null; shift; exec "$@"' \
		- "$dir" "$@" &
}
for mode in locked-exit leak repin overlap surge pool; do
	var=$(echo $mode | tr - _)
	eval "in_group \"\$group_$var\" gopatterns $mode $seconds"
	eval "pid_$var=$!"
done
in_group "$group_churn" patterns churn "$seconds"
# which LockOSThread call is behind the locked exits and the leak (once
# the Go runtime is up: the module refuses a process before)
. ./golib.sh
go_ready "$pid_locked_exit" && step pinstat trace "$pid_locked_exit"
go_ready "$pid_leak" && step pinstat trace "$pid_leak"
sleep $((seconds - 6))

step pinstat
# the worst PID of a verdict code's block in diagnose
pid_with() {
	NO_COLOR=1 pinstat -n 0 diagnose |
		awk -v code="$1" '/^[a-z]/ { c = $1 } c == code && $1 ~ /^[0-9]+$/ { print $1; exit }'
}
locked=$(pid_with go-locked-exit)
leak=$(pid_with thread-leak)
[ -n "$locked" ] && step pinstat -p "$locked"
[ -n "$leak" ] && step pinstat -p "$leak"
step pinstat diagnose
echo "(exit status $?: 1 means findings)"
step pinstat --by cgroup
step pinstat --by container
step pinstat --by unit
# a frame of top as an 80x24 terminal shows it (the console has no size)
printf '\n\033[1m$ LINES=24 COLUMNS=80 pinstat top 1 1 | cat\033[0m\n'
LINES=24 COLUMNS=80 pinstat top 1 1 | cat
step pinstat 1 2
printf '\n\033[1m$ pinstat --prometheus | grep -E "^pinstat_verdict|^pinstat_group_solo"\033[0m\n'
pinstat --prometheus | grep -E '^pinstat_verdict|^pinstat_group_solo'
sleep 8
echo
echo "What diagnose --follow printed as the alerts came:"
grep -E '^[a-z]+-[a-z-]+ \(|^ +[0-9]+ ' /tmp/follow.log | head -n 12
kill "$follower" 2>/dev/null
wait 2>/dev/null
# the groups, deepest first, now that their processes are gone
find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null
step cat /sys/kernel/pinstat/tracked /sys/kernel/pinstat/dropped /sys/kernel/pinstat/alerts
printf '\n\033[1m$ grep -E "^pid|gopatterns" /sys/kernel/debug/pinstat/processes | head -n 3\033[0m\n'
grep -E '^pid|gopatterns' /sys/kernel/debug/pinstat/processes | head -n 3
step cat /sys/kernel/debug/pinstat/probes
step cat /sys/kernel/debug/pinstat/traced /sys/kernel/debug/pinstat/lock_sites

