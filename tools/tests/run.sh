#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Fixture tests of the pinstat binary: fake sysfs, debugfs and /proc trees
# under --root, one per situation, and what the CLI must make of them.
# Output is TAP. Needs python3 (JSON check), promtool (Prometheus check;
# $PROMTOOL, else on PATH), script(1) (colour on a terminal), timeout(1)
# (long-running modes on write errors) and bash (completion): without
# them those checks print SKIP.
set -u
cd "$(dirname "$0")/.."
pinstat=$PWD/pinstat
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/tap.sh
. tests/elf.sh

# expect STATUS DESCRIPTION COMMAND...: the command exits with STATUS
expect() {
	want=$1 what=$2
	shift 2
	"$@" > "$work/out" 2> "$work/err"
	got=$?
	[ "$got" = "$want" ]
	ok $? "$what (exit $got, want $want)"
	[ "$got" = "$want" ] || sed 's/^/# /' "$work/err"
}

# contains FILE PATTERN DESCRIPTION
contains() {
	grep -q -- "$2" "$1"
	ok $? "$3"
}

header="pid comm state threads_live threads_peak threads_created threads_exited solo_exits short_lived affinity_changes threads_pinned pinned_cpu_max growth_steps_1s growth_steps_34s go first_seen_ns last_event_ns rate_created_1s rate_created_60s rate_solo_exits_1s rate_solo_exits_60s rate_affinity_1s rate_affinity_60s lifetime_hist"

# make_root DIR: a tree where pinstat sees one process per pattern
make_root() {
	r=$1
	s=$r/sys/kernel/pinstat
	mkdir -p "$s/events" "$s/procs" "$s/alert" "$r/sys/kernel/debug/pinstat"
	echo 0.1.0-test > "$s/version"
	for f in enabled; do echo 1 > "$s/$f"; done
	echo 12 > "$s/tracked"
	echo 16384 > "$s/capacity"
	echo 0 > "$s/dropped"
	echo 0 > "$s/evicted"
	echo 2 > "$s/alerts"
	echo 100000 > "$s/short_lived_us"
	echo 60 > "$s/linger_s"
	for f in created exited affinity exec; do echo 7 > "$s/events/$f"; done
	: > "$s/watch"
	: > "$s/unwatch"
	: > "$s/reset"
	cat > "$r/sys/kernel/debug/pinstat/processes" <<EOF
$header
101 churn live 2 3 900 898 898 890 0 0 0 0 1 0 1000 90000 15.00 14.00 15.00 14.00 0.00 0.00 0 0 0 10 880 8 0 0 0 0 0 0
102 gochurn live 6 7 300 294 294 294 0 0 0 0 1 0 1000 90000 4.00 4.20 4.00 4.20 0.00 0.00 0 0 0 0 294 0 0 0 0 0 0 0
103 leaker live 41 41 40 0 0 0 0 0 0 0 6 0 1000 90000 10.00 1.50 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0
104 repin live 5 5 4 0 0 0 600 0 0 0 1 0 1000 90000 0.00 0.06 0.00 0.00 100.00 8.70 0 0 0 0 0 0 0 0 0 0 0 0
105 pool live 5 5 4 0 0 0 4 4 1 0 1 0 1000 90000 0.00 0.06 0.00 0.00 0.00 0.06 0 0 0 0 0 0 0 0 0 0 0 0
106 overlap live 4 4 3 0 0 0 3 3 2 0 1 0 1000 90000 0.00 0.04 0.00 0.00 0.00 0.04 0 0 0 0 0 0 0 0 0 0 0 0
107 surge live 200 230 400 200 200 5 0 0 0 0 2 0 1000 90000 3.00 5.80 3.00 2.90 0.00 0.00 0 0 0 0 0 20 180 0 0 0 0 0
108 oldchurn exited 0 3 500 502 499 499 0 0 0 0 1 0 1000 90000 0.00 7.20 0.00 7.20 0.00 0.00 0 0 0 0 499 0 0 0 0 0 0 0
109 teardown exited 0 51 50 51 0 0 0 0 0 0 1 0 1000 90000 0.00 0.70 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0
110 a\\040b\\134\\042c\\377 live 2 2 1 0 0 0 0 0 0 0 1 0 1000 90000 0.00 0.01 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0
111 sh live 1 1 0 0 0 0 0 0 0 0 0 0 1000 90000 0.00 0.00 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0
113 pinner live 1000 1000 999 0 0 0 1000 1000 500 0 1 0 1000 90000 0.00 0.10 0.00 0.00 0.00 0.10 0 0 0 0 0 0 0 0 0 0 0 0
114 gone exited 0 8 500 508 400 400 0 0 0 0 0 1 1000 90000 0.00 6.70 0.00 6.50 0.00 0.00 0 0 0 0 400 0 0 0 0 0 0 0
115 fastleak live 60 60 59 0 0 0 0 0 0 10 1 0 1000 90000 5.00 0.90 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0
116 setns live 6 7 20 14 14 14 0 0 0 0 0 0 1000 90000 0.00 0.30 0.00 0.20 0.00 0.00 0 0 0 0 14 0 0 0 0 0 0 0
117 growchurn live 30 30 44 14 14 14 0 0 0 10 1 0 1000 90000 3.00 0.70 1.00 0.23 0.00 0.00 0 0 0 0 14 0 0 0 0 0 0 0
112 reused exited 0 1 0 1 0 0 0 0 0 0 0 0 500 800 0.00 0.00 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0
112 reused live 3 3 2 0 0 0 0 0 0 0 1 0 1000 90000 0.00 0.03 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0
EOF
	for pid in 101 102 103 104 105 106 107 110 111 112 115 116 117; do
		mkdir -p "$r/proc/$pid"
		printf 'Name:\tx\nCpus_allowed_list:\t0-1\n' > "$r/proc/$pid/status"
		cp /bin/true "$r/proc/$pid/exe"
	done
	printf 'Cpus_allowed_list:\t0-15\n' > "$r/proc/103/status"
	# Go binaries: an ELF file with a .go.buildinfo section
	cp /bin/true "$work/go-elf"
	objcopy --add-section .go.buildinfo=/dev/null "$work/go-elf"
	cp "$work/go-elf" "$r/proc/102/exe"
	cp "$work/go-elf" "$r/proc/103/exe"
	cp "$work/go-elf" "$r/proc/106/exe"
	cp "$work/go-elf" "$r/proc/116/exe"
	# pinned threads of the pool: one per CPU
	for t in 1 2; do
		mkdir -p "$r/proc/105/task/$t"
		printf 'Cpus_allowed_list:\t%d\n' $((t - 1)) > "$r/proc/105/task/$t/status"
	done
}

root=$work/root
make_root "$root"
export NO_COLOR=1 TZ=UTC
# The clocks stand still (pinstat(8), ENVIRONMENT): 2h03m after the
# fixture's records were first seen (1000 ns), 2026-12-06T09:00:00Z
export PINSTAT_NOW_NS=7380000001000 PINSTAT_NOW_UTC_S=1796547600

# The summary
expect 0 "summary" "$pinstat" --root "$root"
cp "$work/out" "$work/summary"
head -n 2 "$work/summary" | tail -n 1 | grep -q '^ *101 churn'
ok $? "worst first: the churner leads"
! grep -q ' sh ' "$work/summary"
ok $? "idle processes are hidden"
grep -q '^ *113 pinner  *live  *2h03m  1000  1000     999     0     0   0.00  1000  1k ' "$work/summary"
ok $? "numbers too wide for a column are shortened sensibly (1000 -> 1k)"
"$pinstat" --root "$root" -w | grep -q ' 110 a\\040b\\134"c\\377 '
ok $? "odd command names are escaped in text"
# pid_max can be 4194304: a 7-digit PID must not shift the columns
bigpid=$work/bigpid
make_root "$bigpid"
grep -e '^pid ' -e '^101 ' -e '^104 ' "$root/sys/kernel/debug/pinstat/processes" > "$work/table"
echo "4194303 bigpidbigpid123 live 2 2 1 0 0 0 0 0 0 0 1 0 1000 90000 0.00 0.01 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0" >> "$work/table"
cp "$work/table" "$bigpid/sys/kernel/debug/pinstat/processes"
# aligned: the COMM and VERDICT headers start where every row's do
aligned() {
	awk -v lead="$1" '
		NR == 1 { comm = index($0, "COMM"); verdict = index($0, "VERDICT"); next }
		!match($0, lead) || RLENGTH != comm - 1 ||
		length($0) - length($NF) + 1 != verdict { bad = 1 }
		END { exit bad || NR < 4 }' "$2"
}
expect 0 "summary with a 7-digit PID and a 15-byte name" \
	"$pinstat" --root "$bigpid" -C '^(bigpidbigpid123|churn|repin)$'
# a 7-digit PID, a 15-byte name, a state, an age, two verdicts: 102
awk 'length > 102 { bad = 1 } END { exit bad || NR != 4 }' "$work/out"
ok $? "the summary fits 102 columns"
for wide in "" -w; do
	expect 0 "summary${wide:+ $wide} with a 7-digit PID" "$pinstat" --root "$bigpid" $wide
	grep -q '^4194303 bigpidbigpid123 ' "$work/out" && aligned '^ *[0-9]+ ' "$work/out"
	ok $? "summary${wide:+ $wide}: a 7-digit PID keeps the columns aligned"
done
expect 0 "interval with a 7-digit PID" "$pinstat" --root "$bigpid" -a 0.1 1
grep -q ' 4194303 bigpidbigpid123 ' "$work/out" && aligned '^[0-9:]+ +[0-9]+ ' "$work/out"
ok $? "interval: a 7-digit PID keeps the columns aligned"
expect 0 "summary --all" "$pinstat" --root "$root" --all
contains "$work/out" ' sh ' "--all shows idle processes"
expect 0 "summary --wide" "$pinstat" --root "$root" -w
contains "$work/out" 'SOLO-EXITS' "--wide has the full column names"
PINSTAT_ROOT=$root "$pinstat" > "$work/env" 2>&1
cmp -s "$work/env" "$work/summary"
ok $? "PINSTAT_ROOT works like --root"

# The diagnosis: each pattern named, healthy ones left alone
expect 1 "diagnose finds something" "$pinstat" --root "$root" diagnose
cp "$work/out" "$work/diag"
# findings FILE: "PID COMM CODE" for each process row of each code's block
findings() {
	awk '/^[a-z]/ { code = $1 }
	     /^ +[0-9]+ / && $1 ~ /^[0-9]+$/ { print $1, $2, code }' "$1"
}
findings "$work/diag" > "$work/found"
for want in "101 churn:thread-churn" "102 gochurn:go-locked-exit" \
	    "103 leaker:thread-leak" "104 repin:affinity-churn" \
	    "106 overlap:pin-overlap" "107 surge:thread-surge" \
	    "108 oldchurn:thread-churn" "114 gone:go-locked-exit" \
	    "115 fastleak:thread-leak"; do
	pid=${want%%:*} code=${want#*:}
	grep -qx "$pid $code" "$work/found"
	ok $? "diagnose: $pid is $code"
done
# 116: a few locked threads ended on purpose (setns); 117 grows and churns
for clean in "105 pool" "109 teardown" "111 sh" "116 setns" "117 growchurn"; do
	! grep -q "^$clean " "$work/found"
	ok $? "diagnose: $clean is clean"
done
contains "$work/diag" '9959 left' "thread-leak of a Go binary gives the headroom to 10000"
contains "$work/diag" 'runtime.UnlockOSThread()' "go-locked-exit says how to fix it"
# block FILE CODE: the lines of CODE's block, its header first
block() {
	awk -v code="$2" '/^[a-z]/ { b = $1 == code } b' "$1"
}
grep '^[a-z]' "$work/diag" | awk '{ print $1 }' | tr '\n' ' ' > "$work/codes"
[ "$(cat "$work/codes")" = "thread-leak go-locked-exit thread-churn thread-surge pin-overlap affinity-churn " ]
ok $? "diagnose: one block per code, the most severe first"
grep -q '^thread-churn (4 processes): threads start and end one by one' "$work/diag"
ok $? "diagnose: a block names its code, how many processes, what it means"
block "$work/diag" thread-leak > "$work/block"
grep -q '^ *PID COMM  *STATE  *AGE GO  *LIVE HIGHS/1s HIGHS/34s$' "$work/block" &&
	grep -q '^ *103 leaker  *live  *2h03m yes  *41  *0/16  *6/16$' "$work/block"
ok $? "thread-leak rows: state, age, Go, live threads and growth"
block "$work/diag" thread-churn | grep -q '^ *108 oldchurn  *exited  *2h03m no  *499  *100%  *7.20$'
ok $? "thread-churn rows: solo exits, share short-lived, rate"
block "$work/diag" affinity-churn | grep -q '^ *104 repin  *live  *2h03m no  *600  *8.70$'
ok $? "affinity-churn rows: affinity changes and their rate"
block "$work/diag" go-locked-exit > "$work/block"
grep -q '^    114: .*over the last minute of its life' "$work/block" &&
	grep -q '^    102: .*over the last minute\.$' "$work/block"
ok $? "go-locked-exit evidence: an exited process's last minute of its life"
[ "$(grep -c 'fix' "$work/block")" = 1 ] && grep -q '^  fix (Go):$' "$work/block"
ok $? "go-locked-exit of Go binaries: the Go fix alone"
block "$work/diag" affinity-churn > "$work/block"
grep -q '^  fix:$' "$work/block" && ! grep -q 'Go' "$work/block"
ok $? "affinity-churn of a C program: the other fix, no word of Go"
block "$work/diag" thread-churn > "$work/block"
grep -q '^  fix (Go):$' "$work/block" && grep -q '^  fix (not Go):$' "$work/block" &&
	[ "$(grep -c 'Keep threads alive' "$work/block")" = 1 ]
ok $? "thread-churn of Go and C programs: both fixes, once each"
grep -q '^    pinstat -p 101$' "$work/block" &&
	grep -q '^    kill -QUIT 102$' "$work/block" &&
	grep -q 'this KILLS 102' "$work/block" &&
	grep -q "^    curl -s 'http://HOST:PORT/debug/pprof/goroutine?debug=2'$" "$work/block"
ok $? "next: the worst in detail; the live Go one's goroutines, and that QUIT kills"
block "$work/diag" affinity-churn > "$work/block"
grep -q '^    pinstat -p 104$' "$work/block" && ! grep -q 'kill' "$work/block"
ok $? "next of a C program: no goroutine dump"
expect 0 "a raised threshold silences a finding" \
	"$pinstat" --root "$root" -T churn_rate=100 -T go_exits=1000 \
	-T leak_steps_1s=99 -T leak_steps_34s=99 -T affinity_rate=1000 -T surge_factor=1000 --json -p 101
grep -q '"verdicts":\[\]' "$work/out"
ok $? "churn_rate=100: no verdict for 101"

# Detail
expect 0 "detail of a Go leaker" "$pinstat" --root "$root" -p 103
contains "$work/out" 'Go binary' "detail says Go binary"
contains "$work/out" 'thread-leak' "detail shows the verdict"
expect 0 "detail of the pool" "$pinstat" --root "$root" -p 105
contains "$work/out" 'cpu0=1 cpu1=1' "detail shows pinned threads per CPU"
expect 0 "detail with a histogram" "$pinstat" --root "$root" -p 101
grep -q '>=1ms |#\{40\} 880' "$work/out"
ok $? "the fullest bucket gets the longest bar"
expect 0 "detail of a reused PID shows the live one" "$pinstat" --root "$root" -p 112
contains "$work/out" '(reused) live' "-p prefers the live record"
expect 2 "detail of an unknown PID" "$pinstat" --root "$root" -p 4242
contains "$work/err" 'no record of PID 4242' "says which PID is unknown"

# JSON
expect 0 "JSON summary" "$pinstat" --root "$root" --json --all
if command -v python3 > /dev/null; then
	python3 - "$work/out" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
procs = {(p["pid"], p["state"]): p for p in doc["processes"]}
odd = procs[(110, "live")]
assert odd["comm"] == 'a b\\"c\ufffd', odd["comm"]
assert procs[(102, "live")]["go"] is True
assert procs[(101, "live")]["go"] in (False, None)
assert procs[(108, "exited")]["go"] is False
assert procs[(114, "exited")]["go"] is True
assert procs[(103, "live")]["growth_steps_34s"] == 6
assert procs[(101, "live")]["lifetime_hist"][4] == 880
assert procs[(104, "live")]["rates"]["affinity_60s"] == 8.7
assert [v["code"] for v in procs[(103, "live")]["verdicts"]] == ["thread-leak"]
assert doc["version"] == "0.1.0-test" and doc["complete"] is True
assert doc["events"]["created"] == 7 and doc["alerts"] == 2
EOF
	ok $? "JSON parses, with the documented shape and exact values"
	# one enrichment pass: the same facts in every output that shows them
	"$pinstat" --root "$root" --json -a > "$work/summary.json"
	"$pinstat" --root "$root" --json -p 101,102,103,105 > "$work/detail.json"
	"$pinstat" --root "$root" --json diagnose > "$work/diagnose.json"
	"$pinstat" --root "$root" --json -a 0.1 1 > "$work/interval.json"
	python3 - "$work" <<'EOF'
import json, sys
def facts(name):
    doc = json.load(open(sys.argv[1] + "/" + name))
    return {(p["pid"], p["state"]): (p["go"], p["cpus_allowed"])
            for p in doc["processes"]}
summary = facts("summary.json")
assert summary[(101, "live")] == (False, 2), summary[(101, "live")]
assert summary[(103, "live")] == (True, 16), summary[(103, "live")]
assert summary[(105, "live")] == (False, 2), summary[(105, "live")]
assert summary[(108, "exited")] == (False, None), summary[(108, "exited")]
for other in ("detail.json", "diagnose.json", "interval.json"):
    for key, value in facts(other).items():
        assert summary[key] == value, (other, key, value, summary[key])
EOF
	ok $? "go and cpus_allowed: the same in the summary, -p, diagnose and interval JSON"
	# CPUs that are not online are not CPUs a process may use
	cp -r "$root" "$work/online"
	mkdir -p "$work/online/sys/devices/system/cpu"
	echo 0-3 > "$work/online/sys/devices/system/cpu/online"
	"$pinstat" --root "$work/online" --json -p 103,105 > "$work/out"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [p["cpus_allowed"] for p in d["processes"]]==[4,2], d' "$work/out"
	ok $? "cpus_allowed counts the online CPUs of the threads' masks"
	# a module that counts the CPUs allowed itself: no /proc needed
	cp -r "$root" "$work/kcpus"
	rm -r "$work/kcpus/proc/103"
	awk '{ $12 = $12 " " (NR == 1 ? "cpus_allowed" : $1 == 103 ? 3 : 0); print }' \
		"$root/sys/kernel/debug/pinstat/processes" > "$work/kcpus/sys/kernel/debug/pinstat/processes"
	"$pinstat" --root "$work/kcpus" --json -p 101,103 > "$work/out"
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [p["cpus_allowed"] for p in d["processes"]]==[2,3], d' "$work/out"
	ok $? "cpus_allowed: the module's column when it has one, else /proc"
	expect 0 "JSON detail" "$pinstat" --root "$root" --json -p 102
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["processes"])==1 and d["processes"][0]["pid"]==102' "$work/out"
	ok $? "-p --json: the same wrapper, one process"
	expect 1 "JSON diagnosis" "$pinstat" --root "$root" --json diagnose
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert all(p["verdicts"] for p in d["processes"]) and len(d["processes"])==10' "$work/out"
	ok $? "diagnose --json lists exactly the processes with findings"
	python3 - "$work/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
groups = {g["code"]: g for g in d["groups"]}
assert [g["code"] for g in d["groups"]] == ["thread-leak", "go-locked-exit",
    "thread-churn", "thread-surge", "pin-overlap", "affinity-churn"], d["groups"]
assert groups["thread-churn"]["processes"] == [101, 108, 114, 102]
assert groups["thread-churn"]["fix"].startswith("Keep threads alive")
assert "UnlockOSThread" in groups["thread-churn"]["fix_go"]
assert "UnlockOSThread" in groups["go-locked-exit"]["fix"]
assert groups["go-locked-exit"]["fix_go"] is None
assert groups["affinity-churn"]["processes"] == [104]
assert groups["affinity-churn"]["meaning"].startswith("threads are re-pinned")
assert all(g["processes_omitted"] == 0 for g in d["groups"])
codes = {(p["pid"], v["code"]) for p in d["processes"] for v in p["verdicts"]}
assert codes == {(pid, g["code"]) for g in d["groups"] for pid in g["processes"]}
EOF
	ok $? "diagnose --json: groups by code, each process in its groups, fixes"
	expect 1 "JSON diagnosis -n 2" "$pinstat" --root "$root" --json -n 2 diagnose
	python3 - "$work/out" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["processes"]) == 2 and d["processes_omitted"] == 8
listed = {p["pid"] for p in d["processes"]}
for g in d["groups"]:
    assert set(g["processes"]) <= listed, g
    assert g["processes_omitted"] > 0 or g["processes"], g
assert len(d["groups"]) == 6
EOF
	ok $? "diagnose --json -n 2: every group, with the PIDs listed and how many more"
	expect 0 "JSON diagnosis, nothing found" "$pinstat" --root "$root" --json -p 105 diagnose
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["groups"]==[] and d["processes"]==[]' "$work/out"
	ok $? "diagnose --json with nothing found: no groups, exit 0"
else
	skip "JSON parses" "python3 missing"
fi

# Prometheus
expect 0 "Prometheus" "$pinstat" --root "$root" --prometheus --all \
	--prometheus-processes=all
cp "$work/out" "$work/prom"
promtool_check "$work/prom" "promtool check metrics accepts the output"
[ "$(grep -c '^pinstat_threads_live{pid="112"' "$work/prom")" = 1 ]
ok $? "one series per PID when a PID was reused"
grep -q '^pinstat_threads_live{pid="112",comm="reused"} 3$' "$work/prom"
ok $? "the live process wins the series"
grep -q '^pinstat_threads_created_total{pid="101",comm="churn"} 900$' "$work/prom"
ok $? "counters carry the kernel's values"
grep -q '^pinstat_verdict{pid="102",comm="gochurn",code="go-locked-exit"} 1$' "$work/prom"
ok $? "verdicts are series"
grep -qF "$(printf 'comm="a b\\\\\\"c\357\277\275"')" "$work/prom"
ok $? "label values escaped, invalid UTF-8 replaced"
(umask 077; "$pinstat" --root "$root" --all --prometheus-processes=all \
	--prometheus-out "$work/pinstat.prom")
ok $? "--prometheus-out (exit)"
cmp -s "$work/pinstat.prom" "$work/prom" && ! ls "$work" | grep -q 'pinstat.prom.tmp'
ok $? "--prometheus-out writes the same, and leaves no temporary"
[ "$(stat -c %a "$work/pinstat.prom")" = 644 ]
ok $? "--prometheus-out is readable by node_exporter whatever the umask"
grep -q '^pinstat_build_info{version="[^"]*",module_version="0.1.0-test"} 1$' "$work/prom"
ok $? "pinstat_build_info: the CLI's and the module's versions"
# the churner's solo exits by lifetime (0 0 0 10 880 8 0 ...), cumulative
for le_count in 0.0001:0 0.001:10 0.01:890 0.1:898 +Inf:898; do
	grep -q "^pinstat_solo_exit_lifetime_seconds_bucket{pid=\"101\",comm=\"churn\",le=\"${le_count%:*}\"} ${le_count#*:}\$" "$work/prom" ||
		break
done &&
	grep -q '^pinstat_solo_exit_lifetime_seconds_count{pid="101",comm="churn"} 898$' "$work/prom"
ok $? "solo exits' lifetimes: a histogram, cumulative, its count the solo exits"
grep -q '^pinstat_process_info{pid="101",comm="churn",runtime="",cgroup="",unit="",container=""} 1$' "$work/prom" &&
	grep -q '^pinstat_process_info{pid="102",comm="gochurn",runtime="go",' "$work/prom"
ok $? "pinstat_process_info joins a PID to its name, runtime and group"
grep -q '^pinstat_module_loaded 1$' "$work/prom"
ok $? "pinstat_module_loaded 1 while the module is there"

# --prometheus-out FILE INTERVAL COUNT: what pinstat-exporter.service runs
expect 0 "--prometheus-out with an interval and a count" "$pinstat" \
	--root "$root" --all --prometheus-processes=all \
	--prometheus-out "$work/loop.prom" 0.1 3
cmp -s "$work/loop.prom" "$work/prom" && ! ls "$work" | grep -q 'loop.prom.tmp'
ok $? "the interval's file is the one-shot's, no temporary left"
expect 2 "--prometheus with an interval but no file is refused" \
	"$pinstat" --root "$root" --prometheus 1
mkdir -p "$work/unloaded"
expect 2 "--prometheus-out without the module: exit 2" \
	"$pinstat" --root "$work/unloaded" --prometheus-out "$work/gone.prom"
contains "$work/err" "not loaded" "without the module: says so"
[ "$(grep -v '^#' "$work/gone.prom" | cut -d'{' -f1 | cut -d' ' -f1 | tr '\n' ' ')" = "pinstat_module_loaded pinstat_build_info " ] &&
	grep -q '^pinstat_module_loaded 0$' "$work/gone.prom"
ok $? "without the module the file says so, and holds no other number"
cp "$work/prom" "$work/gone.prom"
expect 0 "--prometheus-out with an interval goes on without the module" \
	"$pinstat" --root "$work/unloaded" --prometheus-out "$work/gone.prom" 0.1 3
grep -q '^pinstat_module_loaded 0$' "$work/gone.prom" &&
	[ "$(grep -c 'not loaded' "$work/err")" = 1 ]
ok $? "it rewrites the file, and says once that the module is away"
expect 2 "--prometheus-out into a missing directory ends the interval run" \
	"$pinstat" --root "$root" --prometheus-out "$work/nodir/x.prom" 0.1 3

# Which processes get series of their own: by default those with findings
"$pinstat" --root "$root" --prometheus --all > "$work/out"
own=$(sed -n 's/^pinstat_threads_live{pid="\([0-9]*\)".*/\1/p' "$work/out" | sort -n | tr '\n' ' ')
with=$("$pinstat" --root "$root" --all --json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(str(p) for p in sorted({p["pid"] for p in d["processes"] if p["verdicts"]})))')
[ -n "$own" ] && [ "$own" = "$with " ]
ok $? "--prometheus: series of their own for the processes with findings only ($own)"
grep -q '^pinstat_group_processes{cgroup="?",unit="",container=""} 17$' "$work/out"
ok $? "every process counted in its group (here all in \"?\": the table has no cgroup column)"
"$pinstat" --root "$root" --prometheus --prometheus-processes top:2 > "$work/out"
own=$(sed -n 's/^pinstat_threads_live{pid="\([0-9]*\)".*/\1/p' "$work/out" | tr '\n' ' ')
[ "$own" = "101 108 " ]
ok $? "top:2: the two with the most solo exits per second ($own)"
"$pinstat" --root "$root" --prometheus --prometheus-processes none > "$work/out"
! grep -q '^pinstat_threads_live{' "$work/out" && grep -q '^pinstat_group_threads_live{' "$work/out"
ok $? "none: group series only"
for bad in top:0 top: top:x some; do
	expect 2 "--prometheus-processes $bad is refused" "$pinstat" --root "$root" \
		--prometheus --prometheus-processes "$bad"
done
expect 2 "--prometheus-processes without --prometheus is refused" \
	"$pinstat" --root "$root" --prometheus-processes all

# Controls write the sysfs files
expect 0 "watch" "$pinstat" --root "$root" watch 101
[ "$(cat "$root/sys/kernel/pinstat/watch")" = 101 ]
ok $? "watch writes the PID"
expect 0 "disable" "$pinstat" --root "$root" disable
[ "$(cat "$root/sys/kernel/pinstat/enabled")" = 0 ]
ok $? "disable writes 0 to enabled"
expect 0 "config set" "$pinstat" --root "$root" config linger_s=5 short_lived_us=2000
[ "$(cat "$root/sys/kernel/pinstat/linger_s")" = 5 ] &&
	[ "$(cat "$root/sys/kernel/pinstat/short_lived_us")" = 2000 ]
ok $? "config writes each value"
expect 0 "config show" "$pinstat" --root "$root" config
contains "$work/out" '^linger_s=5$' "config shows the values"
expect 2 "config with an unknown key changes nothing" \
	"$pinstat" --root "$root" config linger_s=9 capacity=5
[ "$(cat "$root/sys/kernel/pinstat/linger_s")" = 5 ]
ok $? "nothing written when one assignment is bad"
expect 2 "watch a non-PID" "$pinstat" --root "$root" watch 12x
expect 2 "config with a bad value changes nothing" \
	"$pinstat" --root "$root" config linger_s=7 alert/threads=abc
[ "$(cat "$root/sys/kernel/pinstat/linger_s")" = 5 ]
ok $? "nothing written when one value is bad"
expect 2 "config with an out-of-range value" "$pinstat" --root "$root" config linger_s=86401
expect 2 "config with an empty value" "$pinstat" --root "$root" config linger_s=

# Bad flags and arguments
expect 2 "-p with a non-number" "$pinstat" --root "$root" -p abc
expect 2 "--json with --prometheus" "$pinstat" --root "$root" --json --prometheus
expect 2 "an unknown command" "$pinstat" --root "$root" frobnicate
expect 2 "an unknown option" "$pinstat" --root "$root" --frobnicate
expect 2 "a zero count" "$pinstat" --root "$root" 1 0
expect 2 "a tiny interval" "$pinstat" --root "$root" 0.01
expect 2 "an unknown threshold" "$pinstat" --root "$root" -T nosuch=1
contains "$work/err" 'no threshold named nosuch' "-T: an unknown name is called unknown"
expect 2 "a threshold with a bad value" "$pinstat" --root "$root" -T churn_rate=-1
contains "$work/err" 'churn_rate=-1: the value must be' "-T: a bad value is called a bad value"
! grep -q 'name' "$work/err"
ok $? "-T: a bad value is not blamed on the name"
expect 2 "a threshold without a value" "$pinstat" --root "$root" -T churn_rate
contains "$work/err" 'not NAME=VALUE' "-T without '=' says what is expected"
# every message starts with the program's name, not the path it ran by
for args in --frobnicate -x "-p" "--root" "--all=1" "--pro"; do
	expect 2 "a bad option ($args)" "$pinstat" $args
	grep -v -e '^pinstat: ' -e "^Try 'pinstat --help'" "$work/err" > "$work/other"
	[ -s "$work/err" ] && [ ! -s "$work/other" ]
	ok $? "a bad option ($args): every line starts with 'pinstat:'"
done
expect 2 "--follow without diagnose" "$pinstat" --root "$root" --follow
expect 0 "top --json" "$pinstat" --root "$root" --json top 0.1 2
[ "$(wc -l < "$work/out")" = 2 ] && head -n 1 "$work/out" | grep -q '^{"schema_version"'
ok $? "top --json: one document per frame and line"
bash -n pinstat.bash-completion
ok $? "the bash completion parses"
expect 2 "diagnose -a (meaningless)" "$pinstat" --root "$root" -a diagnose
expect 2 "watch -T (meaningless)" "$pinstat" --root "$root" -T churn_rate=1 watch 101
expect 2 "a hex interval" "$pinstat" --root "$root" 0x1p0 1
expect 0 "--help" "$pinstat" --help
contains "$work/out" 'churn_rate' "--help lists the thresholds"

# Colour: on a terminal only, off with a non-empty NO_COLOR (no-color.org)
# and on a terminal that has no escape sequences (TERM=dumb, or unset)
esc=$(printf '\033')
# on_tty VAR=VALUE... -- ARGS: pinstat's output on a pseudo-terminal
on_tty() {
	assignments=
	while [ "$1" != -- ]; do
		assignments="$assignments $1"
		shift
	done
	shift
	env -u NO_COLOR -u TERM $assignments \
		script -qec "$pinstat --root $root $*" /dev/null < /dev/null > "$work/tty" 2>&1
}
if command -v script > /dev/null && { on_tty TERM=xterm -- diagnose; grep -q "$esc" "$work/tty"; }; then
	ok 0 "colour on a terminal"
	on_tty TERM=xterm NO_COLOR= -- diagnose
	grep -q "$esc\[31m" "$work/tty"
	ok $? "NO_COLOR set but empty keeps the colour"
	on_tty TERM=xterm NO_COLOR=1 -- diagnose
	! grep -q "$esc" "$work/tty" && grep -q thread-churn "$work/tty"
	ok $? "NO_COLOR=1: no colour"
	on_tty TERM=dumb -- diagnose
	! grep -q "$esc" "$work/tty" && grep -q thread-churn "$work/tty"
	ok $? "TERM=dumb: no escape sequences"
	on_tty -- diagnose
	! grep -q "$esc" "$work/tty" && grep -q thread-churn "$work/tty"
	ok $? "TERM unset: no escape sequences"
	on_tty TERM=dumb -- top 0.1 2
	! grep -q "$esc" "$work/tty" && [ "$(grep -c '^pinstat 0.1.0-test' "$work/tty")" = 2 ]
	ok $? "top on TERM=dumb: frames one after another, no escape sequences"
	on_tty TERM=xterm -- top 0.1 1
	grep -q "$esc\[2J" "$work/tty"
	ok $? "top on a terminal clears the screen"
else
	skip "colour on a terminal" "script (util-linux) missing or not working"
fi

# The summary on a terminal fits its width ($COLUMNS first, as ps(1)
# takes it): columns left out in a fixed order (pinstat(8)); piped or
# with -w, the columns never change
# tty_cols COLS ARGS: pinstat's output on a pseudo-terminal COLS wide,
# $tty_env in its environment (set after stty: a shell that runs it may
# set COLUMNS to the terminal's width)
tty_cols() {
	cols=$1
	shift
	env -u COLUMNS script -qec "stty cols $cols rows 50; ${tty_env:-} $pinstat --root $root $*" \
		/dev/null < /dev/null | tr -d '\r' > "$work/tty"
}
if command -v script > /dev/null && tty_cols 80 && grep -q '^ *101 churn' "$work/tty"; then
	for cols in 60 80; do
		tty_cols $cols
		awk -v w=$cols 'length > w { bad = 1 } END { exit bad || NR != 17 }' "$work/tty"
		ok $? "summary on a terminal of $cols columns: every line fits, every row"
	done
	tty_cols 80
	head -n 1 "$work/tty" | grep -Eq '^ +PID COMM +STATE +AGE +LIVE +SOLO +RATE/s +VERDICT$' &&
		grep -q '^ *114 gone  *exited  2h03m     0   400   6.50 go-locked-exit+$' "$work/tty"
	ok $? "summary at 80 columns (a 16-column name): PEAK, SHORT, PIN, AFFIN, CREATED left out"
	tty_cols 60
	head -n 1 "$work/tty" | grep -Eq '^ +PID COMM +LIVE +SOLO +RATE/s +VERDICT$' &&
		grep -q '^ *101 churn  *2   898  14.00 thread-churn$' "$work/tty"
	ok $? "summary at 60 columns: AGE and STATE left out too, VERDICT whole"
	tty_cols 30 -n 2
	awk 'length > 30 { bad = 1 } END { exit bad || NR != 4 }' "$work/tty" &&
		grep -qx '    101 churn           thread' "$work/tty"
	ok $? "summary at 30 columns: PID, COMM and VERDICT cut at the width"
	tty_env=COLUMNS=70 tty_cols 200
	head -n 1 "$work/tty" | grep -Eq '^ +PID COMM +STATE +LIVE +SOLO +RATE/s +VERDICT$' &&
		awk 'length > 70 { bad = 1 } END { exit bad }' "$work/tty"
	ok $? "summary on a terminal: COLUMNS=70 wins over its 200 columns"
	tty_env=COLUMNS=x tty_cols 60
	head -n 1 "$work/tty" | grep -Eq '^ +PID COMM +LIVE +SOLO +RATE/s +VERDICT$'
	ok $? "summary on a terminal: a COLUMNS that is no number is ignored"
	tty_cols 200
	cmp -s "$work/tty" "$work/summary"
	ok $? "summary on a terminal wide enough: as piped"
	tty_cols 60 -w
	"$pinstat" --root "$root" -w | cmp -s - "$work/tty"
	ok $? "summary -w on a terminal of 60 columns: as piped, every column"
	COLUMNS=60 "$pinstat" --root "$root" | cmp -s - "$work/summary"
	ok $? "summary piped with COLUMNS=60: unchanged"
else
	skip "the summary fits the terminal" "script (util-linux) missing or not working"
fi

# Interval mode: two samples of an unchanged tree: no activity
expect 0 "two interval reports" "$pinstat" --root "$root" 0.1 2
[ "$(grep -c 'CREAT/s' "$work/out")" = 2 ] && [ "$(grep -c '^[0-9:]* *10[0-9] ' "$work/out")" = 0 ]
ok $? "nothing changed: headers only"
expect 0 "interval --all" "$pinstat" --root "$root" -a 0.1 1
contains "$work/out" ' 101 churn' "--all lists unchanged processes"
expect 0 "interval --json" "$pinstat" --root "$root" --json -a 0.1 1
if command -v python3 > /dev/null; then
	python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).readline()); assert d["processes"][0]["created_per_s"]==0' "$work/out"
	ok $? "interval JSON: one object per line"
fi
expect 0 "top, not on a terminal" "$pinstat" --root "$root" top 0.1 2
[ "$(grep -c '^pinstat 0.1.0-test' "$work/out")" = 2 ]
ok $? "top prints frames one after another when not on a terminal"

# Output that cannot be written is an error, never a silent success:
# /dev/full fails every write with ENOSPC
if [ -w /dev/full ]; then
	for args in "" "-w" "-p 101" "--json" "--json -p 101" "--prometheus" \
		    "diagnose" "--json diagnose" "--help" "--version" "config"; do
		expect 2 "pinstat${args:+ $args} > /dev/full" sh -c "\"\$@\" > /dev/full" - \
			"$pinstat" --root "$root" $args
		contains "$work/err" '^pinstat: write error on standard output: No space left on device$' \
			"pinstat${args:+ $args} > /dev/full says why"
	done
	# long-running modes stop at the first frame that cannot be written
	if command -v timeout > /dev/null; then
		for args in "0.1" "--json 0.1" "top 0.1" "--json top 0.1" "diagnose -f" \
			    "--json diagnose -f"; do
			expect 2 "pinstat $args > /dev/full stops" sh -c "\"\$@\" > /dev/full" - \
				timeout 20 "$pinstat" --root "$root" $args
			[ "$(grep -c 'write error' "$work/err")" = 1 ]
			ok $? "pinstat $args > /dev/full says so once"
		done
	else
		skip "long-running modes stop on write errors" "timeout missing"
	fi
else
	skip "write errors" "/dev/full missing"
fi
if command -v timeout > /dev/null; then
	# a reader that went away: EPIPE when SIGPIPE is ignored (else it kills)
	for args in "0.1" "top 0.1" "diagnose -f"; do
		(
			trap '' PIPE
			timeout 20 "$pinstat" --root "$root" $args 2> "$work/err"
			echo $? > "$work/status"
		) | true
		[ "$(cat "$work/status")" = 2 ] && grep -q 'Broken pipe' "$work/err"
		ok $? "pinstat $args stops when its reader has gone (EPIPE)"
	done
else
	skip "EPIPE stops long-running modes" "timeout missing"
fi

# diagnose --follow: new findings as they come, a fix once in a run
if command -v timeout > /dev/null; then
	follow=$work/follow
	make_root "$follow"
	table=$follow/sys/kernel/debug/pinstat/processes
	grep -e '^pid ' -e '^101 ' "$root/sys/kernel/debug/pinstat/processes" > "$table"
	timeout --preserve-status 9 "$pinstat" --root "$follow" diagnose --follow > "$work/out" 2> "$work/err" &
	follower=$!
	sleep 2
	# a new churner: a new finding of a code already printed
	sed -n 2p "$table" | sed 's/^101 churn /130 newchurn /' > "$work/row"
	cat "$table" "$work/row" > "$table.new" && mv "$table.new" "$table"
	wait "$follower"
	status=$?
	[ "$status" = 1 ]
	ok $? "diagnose --follow that found something exits 1 when stopped (got $status)"
	[ "$(grep -c '^thread-churn (1 process)' "$work/out")" = 2 ] &&
		[ "$(grep -c '^ *101 churn ' "$work/out")" = 1 ] &&
		grep -q '^ *130 newchurn ' "$work/out"
	ok $? "diagnose --follow: each new finding once"
	[ "$(grep -c 'Keep threads alive' "$work/out")" = 1 ] &&
		grep -qx '  fix: as printed above for thread-churn' "$work/out"
	ok $? "diagnose --follow: a fix printed before is not printed again"
else
	skip "diagnose --follow" "timeout missing"
fi

# Broken trees: clear errors, never a crash
expect 2 "no module" "$pinstat" --root "$work/nothing"
contains "$work/err" 'modprobe pinstat' "says how to load the module"
for case in truncated:'101 churn live 2' bignum:'101 x live 99999999999999999999 1 0 0 0 0 0 0 0 0 1 2 0.00 0.00 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0' \
	    badcomm:'101 x\9 live 1 1 0 0 0 0 0 0 0 0 1 2 0.00 0.00 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0' \
	    badrate:'101 x live 1 1 0 0 0 0 0 0 0 0 1 2 fast 0.00 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0'; do
	name=${case%%:*} row=${case#*:}
	bad=$work/$name
	make_root "$bad"
	printf '%s\n%s\n' "$header" "$row" > "$bad/sys/kernel/debug/pinstat/processes"
	expect 2 "malformed table ($name)" "$pinstat" --root "$bad"
	contains "$work/err" 'processes:2' "names the bad line ($name)"
done
# A newer module's table: a column after lifetime_hist, a 13th bucket
newer=$work/newer
make_root "$newer"
awk 'NR == 1 { print $0 " new_column"; next }
     { print $0 " 5 42" }' "$root/sys/kernel/debug/pinstat/processes" \
	> "$newer/sys/kernel/debug/pinstat/processes"
expect 0 "a newer module's table: summary" "$pinstat" --root "$newer"
cmp -s "$work/out" "$work/summary"
ok $? "a newer module's table: the same summary"
expect 1 "a newer module's table: diagnose" "$pinstat" --root "$newer" diagnose
cmp -s "$work/out" "$work/diag"
ok $? "a newer module's table: the same findings"
expect 0 "a newer module's table: detail" "$pinstat" --root "$newer" -p 101
grep -q '>=1h |#* * 5$' "$work/out"
ok $? "a newer module's table: the 13th bucket is counted in the last"
w=$newer/sys/kernel/pinstat/procs/101
mkdir -p "$w"
rm -r "$newer/sys/kernel/debug/pinstat"
i=1
for col in $header new_column; do
	if [ "$col" = lifetime_hist ]; then
		sed -n 2p "$root/sys/kernel/debug/pinstat/processes" |
			cut -d' ' -f"$i"-$((i + 11)) | sed 's/$/ 5/' > "$w/$col"
		i=$((i + 12))
	else
		sed -n 2p "$root/sys/kernel/debug/pinstat/processes" |
			cut -d' ' -f"$i" > "$w/$col"
		i=$((i + 1))
	fi
done
expect 0 "a newer module's watched process" "$pinstat" --root "$newer" -p 101
grep -q '>=1h |#* * 5$' "$work/out" && grep -q '>=1ms |#\{40\} 880' "$work/out"
ok $? "a newer module's watched process: 13 buckets in sysfs read too"

bad=$work/nocolumn
make_root "$bad"
echo "pid comm state" > "$bad/sys/kernel/debug/pinstat/processes"
expect 2 "a table without its columns" "$pinstat" --root "$bad"

# No debugfs: watched processes from sysfs, and a warning
nodebug=$work/nodebug
make_root "$nodebug"
rm -r "$nodebug/sys/kernel/debug/pinstat"
w=$nodebug/sys/kernel/pinstat/procs/104
mkdir -p "$w"
sed -n 5p "$root/sys/kernel/debug/pinstat/processes" > "$work/row104"
i=1
for col in $header; do
	if [ "$col" = lifetime_hist ]; then
		cut -d' ' -f"$i"- "$work/row104" > "$w/$col"
	else
		cut -d' ' -f"$i" "$work/row104" > "$w/$col"
	fi
	i=$((i + 1))
done
expect 0 "no debugfs: still a summary" "$pinstat" --root "$nodebug"
contains "$work/err" 'debugfs mounted' "says debugfs is missing"
contains "$work/out" ' 104 repin' "shows the watched process"
contains "$work/out" 'watched processes only' "says the list is partial"
expect 2 "no debugfs: diagnose cannot say 'nothing found'" "$pinstat" --root "$nodebug" diagnose
contains "$work/out" 'affinity-churn' "...but shows the findings it has"
"$pinstat" --root "$nodebug" --prometheus | grep -q '^pinstat_complete 0$'
ok $? "Prometheus says the list is partial"
if [ -w /dev/full ]; then
	expect 2 "a warning that cannot be written is an error" \
		sh -c '"$@" > /dev/null 2> /dev/full' - "$pinstat" --root "$nodebug"
else
	skip "a warning that cannot be written" "/dev/full missing"
fi

# Time: ages from first_seen_ns to the monotonic now (PINSTAT_NOW_NS
# here), a state per row: a reused PID's two records told apart
ages=$work/ages
make_root "$ages"
awk -v now="$PINSTAT_NOW_NS" '
	$1 == 112 && $3 == "exited" { $16 = now - 3600e9; $17 = now - 3000e9 }
	$1 == 112 && $3 == "live" { $16 = now - 300e9; $17 = now - 3e9 }
	NR > 1 && $1 != 112 { $16 = now - 60e9; $17 = now - 1e9 }
	{ print }' OFMT=%.0f CONVFMT=%.0f "$root/sys/kernel/debug/pinstat/processes" \
	> "$ages/sys/kernel/debug/pinstat/processes"
expect 0 "summary -a of a reused PID" "$pinstat" --root "$ages" -a -n 0
grep -q '^ *112 reused  *exited  1h00m ' "$work/out" &&
	grep -q '^ *112 reused  *live    5m00s ' "$work/out"
ok $? "a reused PID: STATE and AGE tell its two records apart"
head -n 1 "$work/out" | grep -q ' COMM  *STATE  *AGE '
ok $? "the summary's header names STATE and AGE"
expect 0 "detail of a reused PID: relative times" "$pinstat" --root "$ages" -p 112
grep -q '^  seen      first 5m00s ago, last event 3s ago$' "$work/out" &&
	! grep -q 'CLOCK_MONOTONIC' "$work/out"
ok $? "-p says how long ago, not the clock's raw seconds"
expect 0 "detail of an exited process" "$pinstat" --root "$root" -p 109
contains "$work/out" '^  seen      first 2h03m ago, exited 2h02m ago$' \
	"-p of an exited process: when it exited"
expect 1 "diagnose: relative times" "$pinstat" --root "$root" diagnose
grep -q '^ *101 churn  *live  *2h03m ' "$work/out" &&
	grep -q '^ *108 oldchurn  *exited  *2h03m ' "$work/out"
ok $? "diagnose says each process's state and how long ago it was first seen"
for hook in PINSTAT_NOW_NS PINSTAT_NOW_UTC_S; do
	expect 2 "$hook=soon is refused" env "$hook=soon" "$pinstat" --root "$root"
	contains "$work/err" "^pinstat: $hook: not a whole number: soon$" \
		"$hook=soon: says so"
done
# without the hook: CLOCK_MONOTONIC now (Python's monotonic_ns() on Linux)
if command -v python3 > /dev/null; then
	real=$work/real
	make_root "$real"
	ago=$(python3 -c 'import time; print(time.monotonic_ns() - 42 * 10**9)')
	awk -v t="$ago" 'NR > 1 { $16 = t } { print }' \
		"$root/sys/kernel/debug/pinstat/processes" > "$real/sys/kernel/debug/pinstat/processes"
	env -u PINSTAT_NOW_NS "$pinstat" --root "$real" -p 101 > "$work/out"
	grep -Eq '^  seen      first 4[23]s ago' "$work/out"
	ok $? "without PINSTAT_NOW_NS, ages count to CLOCK_MONOTONIC now"
else
	skip "ages count to CLOCK_MONOTONIC now" "python3 missing"
fi

# Names: the kernel keeps 15 bytes; all of them are shown, escaped bytes
# widen the column rather than being cut
names=$work/names
make_root "$names"
{
	head -n 2 "$root/sys/kernel/debug/pinstat/processes"
	sed -n 2p "$root/sys/kernel/debug/pinstat/processes" |
		sed 's/^101 churn /120 abcdefghijklmno /'
	sed -n 2p "$root/sys/kernel/debug/pinstat/processes" |
		sed 's/^101 churn /121 \\001\\002\\003\\004\\040x /'
} > "$names/sys/kernel/debug/pinstat/processes"
expect 0 "summary of long names" "$pinstat" --root "$names"
grep -q '^ *120 abcdefghijklmno  *live ' "$work/out" &&
	grep -q '^ *121 \\001\\002\\003\\004\\040x live ' "$work/out"
ok $? "15-byte names whole; escapes as \\ooo, the space too"
aligned '^ *[0-9]+ ' "$work/out"
ok $? "a name wider than 15 columns keeps the columns aligned"
expect 0 "interval of long names" "$pinstat" --root "$names" -a 0.1 1
grep -q ' 120 abcdefghijklmno ' "$work/out" && aligned '^[0-9:]+ +[0-9]+ ' "$work/out"
ok $? "interval: 15-byte names whole, columns aligned"
expect 0 "JSON of long names" "$pinstat" --root "$names" --json
grep -q '"comm":"abcdefghijklmno"' "$work/out" &&
	grep -q '"comm":"\\u0001\\u0002\\u0003\\u0004 x"' "$work/out"
ok $? "JSON: names are JSON strings, not \\ooo"

# -n: a table of 10 000 processes prints the worst 20 and how many more
big=$work/big
make_root "$big"
awk -v row="$(sed -n 2p "$root/sys/kernel/debug/pinstat/processes")" '
	BEGIN { print "'"$header"'"
		for (i = 1000; i < 11000; i++) { r = row; sub(/^101 /, i " ", r); print r } }' \
	> "$big/sys/kernel/debug/pinstat/processes"
expect 0 "summary of 10 000 processes" "$pinstat" --root "$big"
[ "$(wc -l < "$work/out")" = 22 ] &&
	tail -n 1 "$work/out" | grep -qx '\.\.\. 9980 more processes; -n 0 for all'
ok $? "10 000 processes: 20 rows by default, then how many more"
expect 0 "-n 0: all" "$pinstat" --root "$big" -n 0
[ "$(wc -l < "$work/out")" = 10001 ] && ! grep -q 'more processes' "$work/out"
ok $? "-n 0 lists every process, and no 'more' line"
expect 0 "-n 3" "$pinstat" --root "$big" -n 3
[ "$(wc -l < "$work/out")" = 5 ] && tail -n 1 "$work/out" | grep -q '^\.\.\. 9997 more'
ok $? "-n 3: three rows and the 'more' line"
expect 0 "--json -n 2" "$pinstat" --root "$big" --json -n 2
grep -q '"processes_omitted":9998,' "$work/out" &&
	[ "$(grep -o '"pid":' "$work/out" | wc -l)" = 2 ]
ok $? "--json -n 2: two processes, processes_omitted says how many more"
expect 0 "--json, no -n: all" "$pinstat" --root "$big" --json
[ "$(grep -o '"pid":' "$work/out" | wc -l)" = 10000 ] && grep -q '"processes_omitted":0,' "$work/out"
ok $? "JSON has every process unless -n is given"
expect 1 "diagnose of 10 000 churners" "$pinstat" --root "$big" diagnose
[ "$(grep -c '^[a-z]' "$work/out")" = 1 ] &&
	grep -q '^thread-churn (10000 processes): ' "$work/out"
ok $? "10 000 churners: one block"
[ "$(grep -c 'Keep threads alive' "$work/out")" = 1 ] && [ "$(grep -c 'fix' "$work/out")" = 1 ]
ok $? "10 000 churners: the fix paragraph exactly once"
[ "$(grep -c '^ *[0-9][0-9]* churn ' "$work/out")" = 20 ] &&
	grep -qx '  \.\.\. 9980 more processes; -n 0 for all' "$work/out" &&
	grep -qx '  evidence, the same for each:' "$work/out" &&
	[ "$(grep -c 'Threads are created' "$work/out")" = 1 ]
ok $? "10 000 churners: 20 rows, 9980 more, the evidence once"
[ "$(wc -l < "$work/out")" -lt 40 ]
ok $? "10 000 churners: under 40 lines"
expect 1 "diagnose -n 1" "$pinstat" --root "$root" -n 1 diagnose
findings "$work/out" | awk '{ print $3 }' | sort | uniq -c |
	awk '$1 != 1 { bad = 1 } END { exit bad || NR != 6 }'
ok $? "diagnose -n 1: one process in each of the six blocks"
awk '/^thread-churn / { b = 1; next } /^[a-z]/ { b = 0 } b && /^  \.\.\./' "$work/out" > "$work/more"
grep -qx '  \.\.\. 3 more processes; -n 0 for all' "$work/more"
ok $? "diagnose -n 1: the block of four churners says 3 more, inside it"
[ "$(grep -c 'more process' "$work/out")" = 5 ]
ok $? "diagnose -n 1: a 'more' line only in the blocks cut short"
awk '/^thread-churn / { b = 1; next } /^[a-z]/ { b = 0 } b && /^  [a-z]/' "$work/out" | head -n 1 > "$work/more"
grep -qx '  evidence:' "$work/more"
ok $? "diagnose -n 1: the 'more' line closes the rows, before the evidence"
expect 0 "interval -n 1" "$pinstat" --root "$root" -a -n 1 0.1 1
[ "$(grep -c '^[0-9:]* *1[0-9][0-9] ' "$work/out")" = 1 ] && grep -q '^\.\.\. 17 more processes' "$work/out"
ok $? "interval -n 1: one row, then how many more"
expect 0 "top -n 2" "$pinstat" --root "$root" -n 2 top 0.1 2
[ "$(grep -c '^ *1[0-9][0-9] ' "$work/out")" = 4 ] && [ "$(grep -c '^\.\.\. 14 more' "$work/out")" = 2 ]
ok $? "top -n 2: two rows a frame, then how many more"
for rows in x -1 1.5 ""; do
	expect 2 "-n '$rows' is refused" "$pinstat" --root "$root" -n "$rows"
	contains "$work/err" "^pinstat: -n: not a number of processes" "-n '$rows': says so"
done
expect 2 "-n with --prometheus" "$pinstat" --root "$root" -n 3 --prometheus
expect 2 "-n with -p (one process each)" "$pinstat" --root "$root" -n 3 -p 101

# --sort: the first row for each key, of the same table
for want in worst:101 churn:101 live:113 peak:113 created:113 solo:101 \
	    short:101 affinity:113 pinned:113 age:112 pid:101; do
	key=${want%:*} pid=${want#*:}
	"$pinstat" --root "$ages" -a --sort "$key" > "$work/out" 2> "$work/err"
	sed -n 2p "$work/out" | grep -q "^ *$pid "
	ok $? "--sort $key: $pid first"
done
"$pinstat" --root "$root" -a --sort pid | awk 'NR > 1 { print $1 }' > "$work/pids"
sort -n -c "$work/pids" && [ "$(wc -l < "$work/pids")" = 18 ]
ok $? "--sort pid: every row by PID"
"$pinstat" --root "$ages" -a --sort age -n 0 | awk '$1 == 112 { print $3 }' | tr '\n' ' ' > "$work/out"
[ "$(cat "$work/out")" = "exited live " ]
ok $? "--sort age: the older record of a reused PID first"
expect 2 "--sort with an unknown key" "$pinstat" --root "$root" --sort speed
contains "$work/err" '^pinstat: --sort: no key named speed (keys: worst, churn, live' \
	"--sort speed: says which keys there are"
expect 2 "--sort with --prometheus" "$pinstat" --root "$root" --sort pid --prometheus

# -p PID,PID and -C REGEX filter every view
expect 0 "-p a list" "$pinstat" --root "$root" -p 101,104 -p 105
[ "$(grep -c '^process ' "$work/out")" = 3 ]
ok $? "-p 101,104 -p 105: three processes in detail"
expect 2 "-p a bad list" "$pinstat" --root "$root" -p 101,x
contains "$work/err" '^pinstat: -p: not a PID or a list of PIDs (12,34): 101,x$' "-p 101,x: says so"
expect 2 "-p an empty entry" "$pinstat" --root "$root" -p 101,
expect 0 "-p with an interval" "$pinstat" --root "$root" -p 101 0.1 1
[ "$(grep -c '^[0-9:]* *1[0-9][0-9] ' "$work/out")" = 1 ] && grep -q ' 101 churn ' "$work/out"
ok $? "pinstat -p 101 0.1 1: reports on 101 alone, changed or not"
expect 0 "-p with an interval, JSON" "$pinstat" --root "$root" --json -p 101,104 0.1 1
[ "$(grep -o '"pid":' "$work/out" | wc -l)" = 2 ]
ok $? "pinstat --json -p 101,104 0.1 1: the two processes"
expect 0 "-C on the summary" "$pinstat" --root "$root" -C '^goc'
[ "$(awk 'NR > 1' "$work/out" | wc -l)" = 1 ] && grep -q ' 102 gochurn ' "$work/out"
ok $? "-C ^goc: only gochurn"
expect 0 "-C on JSON" "$pinstat" --root "$root" --json -a -C 'churn$'
[ "$(grep -o '"pid":' "$work/out" | wc -l)" = 4 ]
ok $? "-C 'churn\$' --json: the four churners"
expect 0 "-C on Prometheus" "$pinstat" --root "$root" --prometheus -C '^repin$'
[ "$(grep -c '^pinstat_threads_live{' "$work/out")" = 1 ] && grep -q '^pinstat_events_total' "$work/out"
ok $? "-C on Prometheus: its series, and the global ones"
expect 0 "-p on Prometheus" "$pinstat" --root "$root" --prometheus -p 104
[ "$(grep -c '^pinstat_threads_live{' "$work/out")" = 1 ] && grep -q '^pinstat_threads_live{pid="104"' "$work/out"
ok $? "-p on Prometheus: that process's series"
expect 1 "-C on diagnose" "$pinstat" --root "$root" -C leak diagnose
[ "$(findings "$work/out" | awk '{ print $1 }' | sort -u | tr '\n' ' ')" = "103 115 " ]
ok $? "-C leak diagnose: the two leakers only"
expect 0 "-p on diagnose: nothing found" "$pinstat" --root "$root" -p 105 diagnose
expect 0 "-C on top" "$pinstat" --root "$root" -C '^surge$' top 0.1 1
[ "$(grep -c '^ *1[0-9][0-9] ' "$work/out")" = 1 ]
ok $? "-C on top: one row"
expect 0 "-C on an interval" "$pinstat" --root "$root" -a -C '^pool$' 0.1 1
[ "$(grep -c '^[0-9:]* *1[0-9][0-9] ' "$work/out")" = 1 ]
ok $? "-C on an interval: one row"
expect 0 "-C and -p detail that match" "$pinstat" --root "$root" -C churn -p 101
expect 2 "-C and -p detail that do not" "$pinstat" --root "$root" -C '^go' -p 101
contains "$work/err" '^pinstat: PID 101 is not a process named like -C ^go$' "says why"
expect 2 "-C with a bad regex" "$pinstat" --root "$root" -C 'a(' 
contains "$work/err" "^pinstat: -C: not a regular expression: a(: " "-C 'a(': says so"
expect 2 "-C twice" "$pinstat" --root "$root" -C a -C b
: > "$root/sys/kernel/pinstat/watch"
expect 2 "-C on watch" "$pinstat" --root "$root" -C a watch 101
[ ! -s "$root/sys/kernel/pinstat/watch" ]
ok $? "-C on watch: nothing written"

# Columns explained
expect 0 "--help with the module's short_lived_us" "$pinstat" --root "$ages" --help
grep -q '^Columns:' "$work/out" && grep -q 'RATE/s   solo exits per second over the last minute' "$work/out" &&
	grep -q 'SOLO/s is over the interval' "$work/out" &&
	grep -q 'short_lived_us (now 100 ms)' "$work/out" &&
	grep -q '^  age  ' "$work/out"
ok $? "--help explains the columns, SHORT with the module's threshold, the sort keys"
echo 2500 > "$ages/sys/kernel/pinstat/short_lived_us"
"$pinstat" --root "$ages" --help | grep -q 'short_lived_us (now 2.5 ms)'
ok $? "--help: SHORT's threshold as the module has it now"
"$pinstat" --root "$ages" -p 101 | grep -q '^  exits     solo 898  short-lived (< 2.5 ms) 890  teardown 0$'
ok $? "-p: short-lived says below what"
"$pinstat" --root "$work/nothing" --help | grep -q 'short_lived_us (default 100 ms)'
ok $? "--help without the module: SHORT's default"
expect 0 "detail without solo exits" "$pinstat" --root "$root" -p 110
grep -q '^  lifetimes no solo exits$' "$work/out" && ! grep -q '|' "$work/out"
ok $? "-p: no all-zero histogram, one line instead"

# Machine output: a schema version, when (RFC 3339 UTC, CLOCK_MONOTONIC),
# and each process with the same fields in every document
if command -v python3 > /dev/null; then
	"$pinstat" --root "$root" --json -a > "$work/summary.json" &&
		"$pinstat" --root "$root" --json -p 101 > "$work/detail.json" &&
		"$pinstat" --root "$root" --json -a 0.1 1 > "$work/interval.json" &&
		"$pinstat" --root "$root" --json diagnose > "$work/diag.json"
	python3 - "$work" "$PINSTAT_NOW_NS" "$root" <<'EOF'
import json, sys
work, now, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
docs = {name: json.load(open(f"{work}/{name}.json"))
        for name in ("summary", "detail", "interval", "diag")}
for name, d in docs.items():
    assert d["schema_version"] == 2, name
    assert d["timestamp"] == "2026-12-06T09:00:00Z", (name, d["timestamp"])
    assert d["now_ns"] == now, name
assert docs["interval"]["time"] == "09:00:00"
assert docs["summary"]["short_lived_us"] == \
    int(open(f"{root}/sys/kernel/pinstat/short_lived_us").read())
fields = set(docs["summary"]["processes"][0])
assert "first_seen_ns" in fields and "state" in fields
assert set(docs["detail"]["processes"][0]) == fields
assert set(docs["diag"]["processes"][0]) == fields
deltas = {"live_change", "created_per_s", "solo_exits_per_s", "affinity_per_s"}
for p in docs["interval"]["processes"]:
    assert set(p) == fields | deltas, set(p) ^ (fields | deltas)
s = {(p["pid"], p["state"]): p for p in docs["summary"]["processes"]}
i = {(p["pid"], p["state"]): p for p in docs["interval"]["processes"]}
for k in s:
    assert {f: i[k][f] for f in fields if f != "cpus_allowed"} == \
        {f: s[k][f] for f in fields if f != "cpus_allowed"}, k
EOF
	ok $? "JSON: schema_version, timestamp, now_ns, the same process fields everywhere"
	env -u PINSTAT_NOW_UTC_S -u PINSTAT_NOW_NS "$pinstat" --root "$root" --json > "$work/out"
	python3 - "$work/out" <<'EOF'
import datetime, json, re, sys, time
d = json.load(open(sys.argv[1]))
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", d["timestamp"]), d["timestamp"]
t = datetime.datetime.strptime(d["timestamp"], "%Y-%m-%dT%H:%M:%SZ")
t = t.replace(tzinfo=datetime.timezone.utc).timestamp()
assert abs(t - time.time()) < 60, d["timestamp"]
assert abs(d["now_ns"] - time.monotonic_ns()) < 60e9, d["now_ns"]
EOF
	ok $? "JSON without the hooks: UTC now and CLOCK_MONOTONIC now"
else
	skip "JSON stamps and fields" "python3 missing"
fi

# Bash completion: what it offers, the words typed so far given as
# COMP_WORDS (bash-completion's own helpers if installed, else the two it
# uses, as they set the words), with $comp_env in its environment
completion() {
	env ${comp_env:-} bash -c '
		if [ -r /usr/share/bash-completion/bash_completion ]; then
			. /usr/share/bash-completion/bash_completion
		else
			_init_completion() {
				words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
				cur=${words[cword]} prev=${words[cword - 1]}
			}
			_filedir() { :; }
		fi
		. ./pinstat.bash-completion
		COMP_WORDS=("$@") COMP_CWORD=$(($# - 1))
		_pinstat pinstat "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD - 1]}" 2> /dev/null
		[ ${#COMPREPLY[@]} = 0 ] ||
			printf "%s\n" "${COMPREPLY[@]}" | sort -n | tr "\n" " "
	' - "$@"
}
# offers WANT WORDS...: the completion offers exactly WANT
offers() {
	want=$1
	shift
	got=$(completion "$@")
	[ "$got" = "$want" ]
	ok $? "completion of '$*': '$want'"
	[ "$got" = "$want" ] || echo "# got '$got'"
}
if command -v bash > /dev/null; then
	offers "config diagnose disable enable reset top unwatch watch " pinstat ""
	offers "" pinstat watch 101 ""
	offers "" pinstat top 1 ""
	offers "" pinstat 1 ""
	offers "diagnose top " pinstat -p 101 ""
	offers "--comm --follow --help --json --limit --pid --root --sort --threshold " pinstat diagnose --
	offers "affinity age churn created live peak pid pinned short solo worst " pinstat --sort ""
	offers "peak pid pinned " pinstat top --sort p
	offers "cgroup comm container unit " pinstat --by ""
	offers "--by " pinstat --b
	offers "all findings none top: " pinstat --prometheus-processes ""
	offers "" pinstat -n ""
	offers "" pinstat -C ""
	offers "diagnose top " pinstat -C x -n 5 --sort pid -p 101 ""
	offers "--all " pinstat top --a
	offers "" pinstat diagnose --a
	offers "--help --root " pinstat watch --
	pids=$(awk 'NR > 1 && !seen[$1]++ { print $1 }' "$root/sys/kernel/debug/pinstat/processes" |
		sort -n | tr '\n' ' ')
	offers "$pids" pinstat --root "$root" -p ""
	offers "101 " pinstat --root "$root" -p 101
	comp_env=PINSTAT_ROOT=$root
	offers "$pids" pinstat -p ""
	comp_env=
	offers "" pinstat --root "$nodebug" -p ""
	offers "104 " pinstat --root "$nodebug" unwatch ""
	offers "short_lived_us= " pinstat config linger_s=5 sh
else
	skip "bash completion" "bash missing"
fi

# le N BYTES: N as BYTES bytes, little-endian
le() {
	i=0
	while [ $i -lt "$2" ]; do
		printf "\\$(printf %03o $(($1 >> 8 * i & 255)))"
		i=$((i + 1))
	done
}

# section NAME TYPE FLAGS ADDRESS OFFSET SIZE: an ELF64 section header
section() {
	le "$1" 4; le "$2" 4; le "$3" 8; le "$4" 8; le "$5" 8; le "$6" 8
	le 0 8; le 1 8; le 0 8
}

# fixture_exe FILE: an x86-64 executable of 1 MiB whose one segment maps
# file offset N to address 0x400000 + N, with a Go build id note
# "pinstat/fixture" and a .go.buildinfo section but no pc-line table: a
# Go binary of which nothing can be named.
fixture_exe() {
	{
		printf '\177ELF\2\1\1\0\0\0\0\0\0\0\0\0'
		le 2 2; le 62 2; le 1 4; le 0x400000 8; le 64 8; le 0xc8 8
		le 0 4; le 64 2; le 56 2; le 1 2; le 64 2; le 4 2; le 1 2
		# 0x40: the segment, read and run
		le 1 4; le 5 4; le 0 8; le 0x400000 8; le 0x400000 8
		le 0x100000 8; le 0x100000 8; le 0x1000 8
		# 0x78: the section names, at 1, 11 and 28
		printf '\0.shstrtab\0.note.go.buildid\0.go.buildinfo\0\0\0'
		# 0xa4: the note: name "Go", type 4, 15 bytes of id; padding
		le 4 4; le 15 4; le 4 4
		printf 'Go\0\0pinstat/fixture\0\0\0\0\0'
		# 0xc8: the section headers
		section 0 0 0 0 0 0
		section 1 3 0 0 0x78 42
		section 11 7 2 0x4000a4 0xa4 32
		section 28 1 2 0x4000c8 0xc8 0
	} > "$1"
	truncate -s 1M "$1"
}

# Lock tracing: the module's three tables, read with the processes; a
# site that cannot be named is given by offset, with what names it later
# while its executable can be read.
locks=$work/locks
cp -r "$root" "$locks"
fixture_exe "$work/fixture-exe"
for pid in 102 103 104; do
	cp "$work/fixture-exe" "$locks/proc/$pid/exe"
done
# after the exit, the file at the module's path below the root: the one
# traced (its device and inode), another one, or none
mkdir "$locks/pinstat"
cp "$work/fixture-exe" "$locks/pinstat/teardown"
cp "$work/fixture-exe" "$locks/pinstat/oldchurn"
d=$locks/sys/kernel/debug/pinstat
cat > "$d/traced" <<EOF
pid state kind probe_offset unlock_probes calls unlocks threads_seen exits_unseen exits_unlocked threads_dropped exe_dev exe_ino exe
102 tracing locks 0x3d820 0 320 0 6 3 0 0 2 26 /pinstat/gochurn
103 tracing locks 0x3d820 3 41 5 41 0 2 0 2 27 /pinstat/a\\040b
104 tracing locks 0x3d820 0 0 0 0 0 0 0 2 29 /pinstat/repin
105 tracing locks 0x3d820 0 4 0 4 0 0 0 2 28 /pinstat/pool
109 exited locks 0x3d820 0 50 0 0 0 0 0 $(stat -c '%d %i' "$locks/pinstat/teardown") /pinstat/teardown
108 exited locks 0x3d820 0 499 0 0 0 0 0 2 31 /pinstat/oldchurn
114 exited locks 0x3d820 0 400 0 0 0 0 0 2 30 /pinstat/gone
EOF
cat > "$d/lock_sites" <<EOF
pid site calls locked_exits last_locked locked
102 0x8d8de 300 291 1 1
102 0x8d93e 20 0 0 0
103 0x8d9de 41 0 41 36
105 0x8dd18 4 0 4 4
109 0x4f00 50 0 0 0
108 0x4f00 499 499 0 0
114 0x4f00 400 400 0 0
109 0x100001 1 0 0 0
EOF
cat > "$d/affinity_sites" <<EOF
pid calls frame0 frame1 frame2 frame3
104 600 0x4f00 0x8e100 - -
106 5 0x4f00 - - -
EOF
expect 0 "-p of a traced process" "$pinstat" --root "$locks" -p 102
contains "$work/out" '^  LockOSThread calls 320, unlocks not seen (trace tracing), 3 solo exits of threads locked before$' "-p: the trace's totals"
contains "$work/out" '^ *CALLS LOCKED-EXITS LAST-LOCKED  CALL SITE$' "-p: unlocks not seen, the threads last locked at each site"
# has_row CALLS LOCKED_EXITS LAST_LOCKED SITE DESCRIPTION: a row of -p's sites
has_row() {
	grep -qxF "$(printf '    %8d %12d %11d  %s' "$1" "$2" "$3" "$4")" "$work/out"
	ok $? "$5"
}
to_name=', build id pinstat/fixture (echo 0x48d8dd | go tool addr2line /pinstat/gochurn)'
has_row 300 291 1 "offset 0x8d8de of /pinstat/gochurn$to_name" \
	"-p: a site's counts; without a name, the build id and address of the call"
expect 0 "-p of a traced process that sees unlocks, with a space in its path" "$pinstat" --root "$locks" -p 103
contains "$work/out" '^  LockOSThread calls 41, UnlockOSThread calls 5 (trace tracing), 2 solo exits of unlocked threads$' "-p: a trace that sees unlocks, with its totals"
contains "$work/out" '^ *CALLS LOCKED-EXITS      LOCKED  CALL SITE$' "-p: unlocks seen, the threads holding a lock from each site"
has_row 41 0 36 "offset 0x8d9de of '/pinstat/a b', build id pinstat/fixture (echo 0x48d9dd | go tool addr2line '/pinstat/a b')" \
	"-p: a site's threads holding a lock; a path with a space quoted for the shell"
expect 0 "-p of an exited traced process" "$pinstat" --root "$locks" -p 109
has_row 50 0 0 'offset 0x4f00 of /pinstat/teardown, build id pinstat/fixture (echo 0x404eff | go tool addr2line /pinstat/teardown)' \
	"-p: after the exit, read from the file at the module's path while it is the same"
has_row 1 0 0 'offset 0x100001 of /pinstat/teardown, build id pinstat/fixture' \
	"-p: no command for an offset in none of the file's code"
expect 0 "-p of an exited traced process whose file was replaced" "$pinstat" --root "$locks" -p 108
has_row 499 499 0 'offset 0x4f00 of /pinstat/oldchurn (the file has changed since)' \
	"-p: another file at the module's path is said to be"
expect 0 "-p of an exited traced process whose file is gone" "$pinstat" --root "$locks" -p 114
has_row 400 400 0 'offset 0x4f00 of /pinstat/gone (the file is gone)' \
	"-p: no file at the module's path is said to be"
expect 1 "diagnose of traced processes" "$pinstat" --root "$locks" diagnose
grep -qF "291 threads ended while locked by offset 0x8d8de of /pinstat/gochurn$to_name." "$work/out"
ok $? "go-locked-exit names the site most locked exits came from"
grep -qF "36 live threads hold a lock taken by offset 0x8d9de of '/pinstat/a b', build id pinstat/fixture (echo 0x48d9dd | go tool addr2line '/pinstat/a b')." "$work/out"
ok $? "thread-leak names the site of the locks the live threads hold"
grep -qF '600 of them were made from offset 0x4f00 of /pinstat/repin, build id pinstat/fixture (echo 0x404eff | go tool addr2line /pinstat/repin).' "$work/out"
ok $? "affinity-churn names the caller that made the most calls"
expect 0 "JSON of a traced process" "$pinstat" --root "$locks" --json -p 102
contains "$work/out" '"lock_trace":{"state":"tracing","kind":"locks","calls":320,"unlock_probes":0,"unlocks":0,"threads_seen":6,"exits_unseen":3,"exits_unlocked":0,"threads_dropped":0,"exe":"/pinstat/gochurn","build_id":"pinstat/fixture","sites":\[{"calls":300,"locked_exits":291,"last_locked":1,"offset":579806,"address":4774109},' "JSON: lock_trace with its sites, the address of each without a name"
expect 0 "JSON of a traced process whose unlocks are seen" "$pinstat" --root "$locks" --json -p 103
contains "$work/out" '"unlock_probes":3,"unlocks":5,.*"sites":\[{"calls":41,"locked_exits":0,"last_locked":41,"locked":36,"offset":580062' "JSON: the threads holding a lock, where unlocks are seen"
expect 0 "Prometheus of traced processes" "$pinstat" --root "$locks" --prometheus
contains "$work/out" '^pinstat_lock_site_locked_exits_total{pid="102",comm="gochurn",site="offset 0x8d8de of the executable"} 291$' "Prometheus: the sites of a traced process with a finding"
! grep -q 'pid="105".*site=' "$work/out"
ok $? "Prometheus: no site series for a traced process without findings"
contains "$work/out" '^pinstat_lock_site_locked{pid="103",.*} 36$' "Prometheus: the threads holding a lock, where unlocks are seen"
! grep -q '^pinstat_lock_site_locked{pid="102"' "$work/out"
ok $? "Prometheus: no such series where unlocks are not seen"
echo "102 0xzz 1 1 1 1" >> "$d/lock_sites"
expect 2 "a malformed lock_sites line is an error" "$pinstat" --root "$locks"
contains "$work/err" 'lock_sites: line 10 is not understood' "... that names the line"

# A C program's thread creations: the module's frames are return
# addresses in its executable, built here with frame pointers, the names
# computed with objdump and nm; "?" is a frame in a library.
if command -v cc > /dev/null && command -v objdump > /dev/null; then
	cc -O1 -g0 -fno-omit-frame-pointer -fno-inline -o "$work/cthreads" \
		tests/threads.c -lpthread
	cp "$work/cthreads" "$locks/proc/101/exe"
	exe=$work/cthreads
	grow=$(return_after "$exe" worker_pool_grow pthread_create)
	in_main=$(return_after "$exe" main worker_pool_grow)
	grow_name="worker_pool_grow+$(hex $((grow - $(symbol "$exe" worker_pool_grow))))"
	main_name="main+$(hex $((in_main - $(symbol "$exe" main))))"
	grow=$(file_offset "$exe" "$grow")
	in_main=$(file_offset "$exe" "$in_main")
	sed -i '/^102 0xzz/d' "$d/lock_sites"
	echo "101 tracing creates 0x99380 0 130 0 0 0 0 0 2 40 /pinstat/churn" >> "$d/traced"
	cat > "$d/create_sites" <<EOF
pid calls frame0 frame1 frame2 frame3
101 120 ? $grow $in_main -
101 7 ? ? - -
101 3 - - - -
EOF
	cat >> "$d/affinity_sites" <<EOF
101 30 ? $in_main - -
104 3 ? ? - -
EOF
	expect 0 "-p of a traced C program" "$pinstat" --root "$locks" -p 101
	contains "$work/out" '^  pthread_create calls 130 (trace tracing)$' "-p: a creates trace's calls"
	contains "$work/out" '^       CALLS  CALLER$' "-p: the callers of pthread_create"
	! grep -q 'LOCKED-EXITS' "$work/out"
	ok $? "-p: no lock sites for a creates trace"
	# has_caller CALLS CALLER DESCRIPTION: a row of -p's callers
	has_caller() {
		grep -qxF "$(printf '    %8d  %s' "$1" "$2")" "$work/out"
		ok $? "$3"
	}
	has_caller 120 "$grow_name" "-p: a caller named by its first frame in the executable ($grow_name), past a library's"
	has_caller 7 "code outside the executable (a library)" "-p: a caller with no frame in the executable"
	has_caller 3 "places past the module's bound" "-p: the callers past the bound"
	has_caller 30 "$main_name" "-p: a C program's sched_setaffinity caller ($main_name)"
	expect 0 "-p of a Go process with an affinity caller in a library" "$pinstat" --root "$locks" -p 104
	has_caller 3 "code outside the executable (a library)" "-p: a frame \"?\" is not named"
	expect 1 "diagnose of a traced C program" "$pinstat" --root "$locks" diagnose
	grep -qF "120 of them were created from $grow_name." "$work/out"
	ok $? "thread-churn names the creator of the most threads"
	expect 0 "JSON of a traced C program" "$pinstat" --root "$locks" --json -p 101
	contains "$work/out" '"lock_trace":{"state":"tracing","kind":"creates","calls":130,' "JSON: the trace's kind"
	contains "$work/out" "\"creators\":\\[{\"calls\":120,\"frames\":\\[null,$((grow)),$((in_main))\\],\"offset\":$((grow)),\"function\":\"$grow_name\"}," "JSON: creators, a library's frame null, the caller named without a line"
	contains "$work/out" '{"calls":7,"frames":\[null,null\],"offset":null,"outside_executable":true}' "JSON: a caller outside the executable"
	expect 0 "Prometheus of a traced C program" "$pinstat" --root "$locks" --prometheus
	contains "$work/out" "^pinstat_thread_creator_calls_total{pid=\"101\",comm=\"churn\",site=\"$grow_name\"} 120\$" "Prometheus: the creators of a traced process with a finding"
	echo "101 1 0x0 - - -" >> "$d/create_sites"
	expect 2 "a malformed create_sites line is an error" "$pinstat" --root "$locks"
	contains "$work/err" 'create_sites: line 5 is not understood' "... that names the line"
	sed -i '$d' "$d/create_sites"
	sed -i 's/^101 tracing creates/101 tracing forks/' "$d/traced"
	expect 2 "a trace of an unknown kind is an error" "$pinstat" --root "$locks"
else
	skip "a traced C program" "cc or objdump missing"
fi

sanitized "any run"
finish
