#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fixture tests of pinstat --by and of the group each process is shown
# in: a fake cgroup2 hierarchy under --root, one directory per layout of
# systemd and the container runtimes, its directories' inode numbers as
# the module's cgroup ids, and pids.max limits. Output is TAP.
set -u
cd "$(dirname "$0")/.."
pinstat=$PWD/pinstat
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/tap.sh

id=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
pod=6f3c2d1e-8a9b-4c7d-9e0f-112233445566
r=$work/root
cg=$r/sys/fs/cgroup
s=$r/sys/kernel/pinstat
mkdir -p "$s/events" "$r/sys/kernel/debug/pinstat" "$cg"
echo 0.1.0-test > "$s/version"
for f in enabled tracked capacity dropped evicted events/created \
	events/exited events/affinity events/exec; do
	echo 0 > "$s/$f"
done
: > "$cg/cgroup.controllers"

# group NAME PATH: the directory PATH of the hierarchy, named NAME
group() {
	mkdir -p "$cg$2"
	eval "$1=\$(stat -c %i \"\$cg\$2\")"
}
group web /system.slice/web.service
group docker "/system.slice/docker-$id.scope"
group cri "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$(echo $pod | tr - _).slice/cri-containerd-$id.scope"
group crio "/kubepods/besteffort/pod$pod/crio-$id"
group cgfs "/kubepods/burstable/pod$pod/$id"
group podman "/machine.slice/libpod-$id.scope"
group limited /limited.slice
group inner /limited.slice/inner.service
root_id=$(stat -c %i "$cg")
echo 100 > "$cg/limited.slice/pids.max"
echo 90 > "$cg/limited.slice/pids.current"
echo 95 > "$cg/limited.slice/pids.peak"
echo max > "$cg/limited.slice/inner.service/pids.max"
echo 40 > "$cg/limited.slice/inner.service/pids.current"

header="pid comm state threads_live threads_peak threads_created threads_exited solo_exits short_lived affinity_changes threads_pinned pinned_cpu_max growth_steps_1s growth_steps_34s go first_seen_ns last_event_ns rate_created_1s rate_created_60s rate_solo_exits_1s rate_solo_exits_60s rate_affinity_1s rate_affinity_60s lifetime_hist cgroup"
hist="0 0 0 0 0 0 0 0 0 0 0 0"
# row PID COMM LIVE PEAK CREATED SOLO RATE CGROUP [GROWTH]
row() {
	echo "$1 $2 live $3 $4 $5 $(($5 + 1 - $3)) $6 0 0 0 0 ${9:-0} 0 0 1000 90000 0.00 0.00 $7 $7 0.00 0.00 $hist $8"
}
{
	echo "$header"
	row 201 web1 4 6 10 3 1.00 "$web"
	row 202 web2 2 2 1 0 0.00 "$web"
	row 203 dockerd 5 5 4 0 0.00 "$docker"
	row 204 cri 3 3 2 0 0.00 "$cri"
	row 205 crio 3 3 2 0 0.00 "$crio"
	row 206 podman 3 3 2 0 0.00 "$podman"
	row 207 inner 30 30 29 0 0.00 "$inner" 10
	row 208 root 2 2 1 0 0.00 "$root_id"
	row 209 gone 2 2 1 0 0.00 999999999
	row 211 cgfs 3 3 2 0 0.00 "$cgfs"
	row 212 root1 2 2 1 0 0.00 1
	echo "210 web3 exited 0 4 3 3 3 0 0 0 0 0 0 0 1000 90000 0.00 0.00 0.00 0.00 0.00 0.00 $hist $web"
} > "$r/sys/kernel/debug/pinstat/processes"
export NO_COLOR=1 PINSTAT_NOW_NS=7380000001000 PINSTAT_NOW_UTC_S=1796547600

# by KEY: pinstat --by KEY into $work/out; ok if it exits 0
by() {
	"$pinstat" --root "$r" --by "$1" > "$work/out" 2> "$work/err"
	ok $? "--by $1 runs ($(cat "$work/err"))"
}

# line NAME: the row of group NAME (the last column)
line() {
	awk -v name="$1" '{ n = $0; sub(/.*  /, "", n) } n == name' "$work/out"
}

# has NAME "PROCS LIVE PEAK CREATED SOLO": that group's numbers
has() {
	got=$(line "$1" | awk '{ print $1, $2, $3, $4, $5 }')
	[ "$got" = "$2" ]
	ok $? "group $1: $2 (got: $got)"
}

by cgroup
has /system.slice/web.service "3 6 6 14 6"
has /limited.slice/inner.service "1 30 30 29 0"
has / "2 4 2 2 0"
has "cgroup 999999999 (not found)" "1 2 2 1 0"
line /limited.slice/inner.service | grep -q ' 10/100 '
ok $? "pids.max above the group: 10 of 100 left (the slice's, tighter than the service's none)"
line /system.slice/web.service | grep -q ' - '
ok $? "no pids.max: no limit shown"
"$pinstat" --root "$r" --prometheus > "$work/prom"
grep -q '^pinstat_group_pids_left{cgroup="/limited.slice/inner.service",unit="inner.service",container=""} 10$' "$work/prom" &&
	grep -q '^pinstat_group_pids_max{cgroup="/limited.slice/inner.service",unit="inner.service",container=""} 100$' "$work/prom" &&
	! grep -q '^pinstat_group_pids_max{cgroup="/system.slice/web.service"' "$work/prom"
ok $? "Prometheus: pids left and the limit, for the limited group only"
sed -n 2p "$work/out" | grep -q ' 1  thread-leak  */limited.slice/inner.service$' &&
	sed -n 3p "$work/out" | grep -q ' 0  -  */system.slice/web.service$'
ok $? "worst first: the group with a leak, then the one with solo exits"

by unit
has web.service "3 6 6 14 6"
has "docker-$id.scope" "1 5 5 4 0"
has inner.service "1 30 30 29 0"
has - "4 10 3 6 0"

by container
has "docker 0123456789ab" "1 5 5 4 0"
has "containerd 0123456789ab" "1 3 3 2 0"
has "cri 0123456789ab" "1 3 3 2 0"
has "cri-o 0123456789ab" "1 3 3 2 0"
has "podman 0123456789ab" "1 3 3 2 0"
has - "6 40 30 45 6"

by comm
has web1 "1 4 6 10 3"

"$pinstat" --root "$r" --by container --json > "$work/json"
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["by"] == "container", d["by"]
g = {x["name"]: x for x in d["groups"]}
assert g["docker 0123456789ab"]["processes"] == 1
assert g["-"]["processes_with_findings"] == 1, g["-"]
assert g["-"]["worst"] == "thread-leak", g["-"]
assert g["-"]["verdicts"] == {"thread-leak": 1}, g["-"]
assert g["-"]["threads_live"] == 40, g["-"]
lim = g["-"]["pids_limit"]
assert lim == {"cgroup": "/limited.slice", "max": 100, "current": 90, "peak": 95}, lim
' "$work/json"
ok $? "--by --json: the groups, their pids limit"

# each process's group: -p, JSON, diagnose
"$pinstat" --root "$r" -p 204 > "$work/out"
grep -q "^  cgroup    /kubepods.slice/.*/cri-containerd-$id.scope  unit cri-containerd-$id.scope  container containerd 0123456789ab  pod $pod$" "$work/out"
ok $? "-p: the cgroup, its unit, container and pod"
"$pinstat" --root "$r" -p 207 > "$work/out"
grep -q "^  pids.max  100 at /limited.slice: 90 tasks, 10 left, peak 95$" "$work/out"
ok $? "-p: the pids.max above it, the tasks and the room left"
"$pinstat" --root "$r" -p 209 | grep -q "^  cgroup    999999999 (not found"
ok $? "-p: a cgroup not found says so"
"$pinstat" --root "$r" -p 206 --json | python3 -c '
import json, sys
c = json.load(sys.stdin)["processes"][0]["cgroup"]
assert c["path"] == "/machine.slice/libpod-'$id'.scope", c
assert c["container"] == {"runtime": "podman", "id": "'$id'", "pod": None}, c
assert c["unit"] == "libpod-'$id'.scope", c
'
ok $? "JSON: the cgroup of a process, its unit and container"
"$pinstat" --root "$r" diagnose > "$work/out"
grep -q "^ *207 inner .*  inner.service$" "$work/out"
ok $? "diagnose: where each process is (its unit)"
grep -q "pids.max of cgroup /limited.slice is 100 tasks (threads and processes), 90 in use: 10 left." "$work/out"
ok $? "diagnose: a leak's headroom to its cgroup's pids.max"

"$pinstat" --root "$r" --by pod > "$work/out" 2>&1
[ $? = 2 ] && grep -q 'not cgroup, unit, container or comm: pod' "$work/out"
ok $? "--by with an unknown key is refused"
"$pinstat" --root "$r" --by cgroup 1 > "$work/out" 2>&1
[ $? = 2 ]
ok $? "--by with an interval is refused"
"$pinstat" --root "$r" --by cgroup --prometheus > "$work/out" 2>&1
[ $? = 2 ]
ok $? "--by with --prometheus is refused"

# without a v2 hierarchy, or a module without the column
rm "$cg/cgroup.controllers"
by cgroup
has "cgroup $web (not found)" "3 6 6 14 6"
has / "1 2 2 1 0"	# 1 is the root's, mounted or not
sed -i 's/ cgroup$//; s/ [0-9]*$//' "$r/sys/kernel/debug/pinstat/processes"
by cgroup
has "?" "12 59 30 58 6"
sanitized "any run"
finish
