#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Each process's cgroup against the real module: the cgroup v2 id (the
# directory's inode number) of the group a process runs in, nested or
# not, as it moves, and where it ended; 1 (the root) before any v2
# hierarchy is mounted. The test mounts cgroup2 itself if it is not. Run
# as root where pinstat.ko can be loaded, with patterns next to this
# script. Output: TAP.
set -u
cd "$(dirname "$0")"
. ./tap.sh
suite=cgroup
table=/sys/kernel/debug/pinstat/processes
root=/sys/fs/cgroup

echo "TAP version 13"
grep -q '^pinstat ' /proc/modules && rmmod pinstat
insmod ./pinstat.ko || { echo "Bail out! cannot load pinstat.ko"; exit 1; }

# cgroup_of PID: the last column of PID's row, which the header says is
# the cgroup (lifetime_hist before it spans several)
cgroup_of() {
	[ "$(head -n 1 "$table" | awk '{ print $NF }')" = cgroup ] &&
		awk -v pid="$1" '$1 == pid { print $NF }' "$table"
}

# wait_for COMMAND...: until it succeeds, for up to 20 s
wait_for() {
	i=0
	while ! "$@"; do
		i=$((i + 1))
		[ $i -ge 200 ] && return 1
		sleep 0.1
	done
}

# has_row PID: the table has PID's row
has_row() {
	grep -q "^$1 " "$table"
}

# started MODE CGROUP [PROGRAM]: PROGRAM (patterns) MODE for an hour,
# started in directory CGROUP (none: where this shell is), its standard
# error in /tmp/cgroup_test.err; prints its PID once it has a record
started() {
	sh -c '[ -z "$1" ] || echo $$ > "$1/cgroup.procs" || exit 1
		exec "./$3" "$2" 3600' started "$2" "$1" "${3:-patterns}" \
		> /dev/null 2> /tmp/cgroup_test.err &
	wait_for has_row $!
	echo $!
}

# left GROUP: PIDS-LEFT of GROUP in pinstat --by cgroup ("left/max")
left() {
	./pinstat --by cgroup | awk -v g="$1" '$NF == g { print $8 }'
}

# stopped PID: killed, reaped, and its row exited
stopped() {
	kill "$1"
	wait "$1" 2> /dev/null
	wait_for grep -q "^$1 [0-9]* [^ ]* exited " "$table"
}

ino() {
	stat -c %i "$1"
}

if grep -q "^[^ ]* $root cgroup2 " /proc/mounts; then
	skip "no_v2_hierarchy_is_the_root" "cgroup2 was mounted before the test"
else
	pid=$(started idle "")
	got=$(cgroup_of "$pid")
	[ "$got" = 1 ]
	ok $? "no_v2_hierarchy_is_the_root (got $got)"
	stopped "$pid"
	mkdir -p "$root"
	mount -t cgroup2 none "$root" ||
		{ echo "Bail out! cannot mount cgroup2"; exit 1; }
fi
[ "$(ino "$root")" = 1 ]
ok $? "the v2 root's id is 1, its inode number ($(ino "$root"))"

a=$root/pinstat_a
b=$root/pinstat_b
nested=$a/nested
mkdir -p "$nested" "$b"

# two processes at once, each in its own group: each row its own
pa=$(started idle "$a")
pb=$(started idle "$b")
got="$(cgroup_of "$pa") $(cgroup_of "$pb")"
[ "$got" = "$(ino "$a") $(ino "$b")" ]
ok $? "each process has its own group's id ($got, a=$(ino "$a") b=$(ino "$b"))"

echo "$pa" > "$nested/cgroup.procs"
got=$(cgroup_of "$pa")
[ "$got" = "$(ino "$nested")" ]
ok $? "a process moved into a nested group has the nested group's id ($got)"

echo "$pa" > "$b/cgroup.procs"
stopped "$pa"
got=$(cgroup_of "$pa")
[ "$got" = "$(ino "$b")" ]
ok $? "a process that moved and then ended has the id of where it ended ($got)"
stopped "$pb"

# the main thread gone first: the group is the live threads', not the
# leader's, which stays where it ended
po=$(started orphan "$a")
wait_for sh -c "grep -q '^State:.*Z' /proc/$po/status"
ok $? "orphan: the main thread has ended"
echo "$po" > "$b/cgroup.procs"
got=$(cgroup_of "$po")
[ "$got" = "$(ino "$b")" ]
ok $? "a process whose main thread ended has its live threads' group ($got)"
stopped "$po"

# procs/<pid>/cgroup says the same as the table
pw=$(started idle "$nested")
echo "$pw" > /sys/kernel/pinstat/watch
got=$(cat "/sys/kernel/pinstat/procs/$pw/cgroup")
[ "$got" = "$(ino "$nested")" ] && [ "$got" = "$(cgroup_of "$pw")" ]
ok $? "procs/<pid>/cgroup is the table's ($got)"
stopped "$pw"

# pinstat --by cgroup: each group's processes, and nothing else in them
# (new groups: the records of the processes that ended above linger)
c=$root/pinstat_c
d=$root/pinstat_d
mkdir -p "$c/nested" "$d"
pc=$(started idle "$c")
pd=$(started idle "$d")
pn=$(started idle "$c/nested")
./pinstat --by cgroup > /tmp/cgroup_test.by
got=$(awk '$NF ~ /^\/pinstat_[cd]/ { print $1, $2, $NF }' /tmp/cgroup_test.by | sort | tr '\n' ' ')
[ "$got" = "1 5 /pinstat_c 1 5 /pinstat_c/nested 1 5 /pinstat_d " ]
ok $? "--by cgroup: one process of 5 threads in each group ($got)"
./pinstat -p "$pn" | grep -q "^  cgroup    /pinstat_c/nested\$"
ok $? "-p names the cgroup"
for p in "$pc" "$pd" "$pn"; do stopped "$p"; done
rmdir "$c/nested" "$c" "$d"

# A Go leak against its group's pids.max: the room left shrinks as it
# grows; frozen, the limit is lowered to what it uses (0 left); thawed, it
# cannot make its next thread, and Go aborts.
leaky=$root/pinstat_leak
if echo +pids > "$root/cgroup.subtree_control" 2> /dev/null; then
	mkdir -p "$leaky"
	echo 60 > "$leaky/pids.max"
	pl=$(started idle-leak "$leaky" gopatterns)
	wait_for sh -c "[ \$(cat $leaky/pids.current) -ge 12 ]"
	first=$(left /pinstat_leak)
	wait_for sh -c "[ \$(cat $leaky/pids.current) -ge 20 ]"
	then=$(left /pinstat_leak)
	[ "${first%/60}" -gt "${then%/60}" ] && [ "${then%/60}" -gt 0 ]
	ok $? "a Go leak: the room under pids.max shrinks ($first, then $then)"
	echo 1 > "$leaky/cgroup.freeze"
	wait_for grep -q "^frozen 1" "$leaky/cgroup.events"
	cat "$leaky/pids.current" > "$leaky/pids.max"
	got=$(left /pinstat_leak)
	[ "$got" = "0/$(cat "$leaky/pids.max")" ]
	ok $? "pids.max reached: 0 left ($got)"
	./pinstat -p "$pl" | grep -q "^  pids.max  [0-9]* at /pinstat_leak: [0-9]* tasks, 0 left"
	ok $? "-p: 0 left under pids.max"
	echo 0 > "$leaky/cgroup.freeze"
	wait_for sh -c "! kill -0 $pl 2> /dev/null"
	wait "$pl" 2> /dev/null
	grep -q "failed to create new OS thread" /tmp/cgroup_test.err
	ok $? "then Go cannot make a thread, and aborts: $(head -n 1 /tmp/cgroup_test.err)"
	rmdir "$leaky"
else
	skip "a_go_leak_against_pids_max" "no pids controller"
fi

rmdir "$nested" "$a" "$b"
rmmod pinstat
tap_end
