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
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

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
export NO_COLOR=1

# The summary
expect 0 "summary" "$pinstat" --root "$root"
cp "$work/out" "$work/summary"
head -n 2 "$work/summary" | tail -n 1 | grep -q '^ *101 churn'
ok $? "worst first: the churner leads"
! grep -q ' sh ' "$work/summary"
ok $? "idle processes are hidden"
awk 'length > 80 { bad = 1 } END { exit bad }' "$work/summary"
ok $? "the summary fits 80 columns"
grep -q '^ *113 pinner   1000  1000     999     0     0   0.00  1000  1k ' "$work/summary"
ok $? "numbers too wide for a column are shortened sensibly (1000 -> 1k)"
"$pinstat" --root "$root" -w | grep -q ' 110 a\\040b\\134"c\\377 '
ok $? "odd command names are escaped in text"
# pid_max can be 4194304: a 7-digit PID must not shift the columns
bigpid=$work/bigpid
make_root "$bigpid"
grep -e '^pid ' -e '^101 ' -e '^104 ' "$root/sys/kernel/debug/pinstat/processes" > "$work/table"
echo "4194303 bigpid live 2 2 1 0 0 0 0 0 0 0 1 0 1000 90000 0.00 0.01 0.00 0.00 0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0" >> "$work/table"
cp "$work/table" "$bigpid/sys/kernel/debug/pinstat/processes"
# aligned: the COMM and VERDICT headers start where every row's do
aligned() {
	awk -v lead="$1" '
		NR == 1 { comm = index($0, "COMM"); verdict = index($0, "VERDICT"); next }
		!match($0, lead) || RLENGTH != comm - 1 ||
		length($0) - length($NF) + 1 != verdict { bad = 1 }
		END { exit bad || NR < 4 }' "$2"
}
for wide in "" -w; do
	expect 0 "summary${wide:+ $wide} with a 7-digit PID" "$pinstat" --root "$bigpid" $wide
	grep -q '^4194303 bigpid' "$work/out" && aligned '^ *[0-9]+ ' "$work/out"
	ok $? "summary${wide:+ $wide}: a 7-digit PID keeps the columns aligned"
done
expect 0 "interval with a 7-digit PID" "$pinstat" --root "$bigpid" -a 0.1 1
grep -q ' 4194303 bigpid' "$work/out" && aligned '^[0-9:]+ +[0-9]+ ' "$work/out"
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
for want in "101 churn:thread-churn" "102 gochurn:go-locked-exit" \
	    "103 leaker:thread-leak" "104 repin:affinity-churn" \
	    "106 overlap:pin-overlap" "107 surge:thread-surge" \
	    "108 oldchurn:thread-churn" "114 gone:go-locked-exit" \
	    "115 fastleak:thread-leak"; do
	pid=${want%%:*} code=${want#*:}
	awk -v p="$pid" -v c="$code" '
		/^[0-9]/ { cur = $1 " " $2 }
		cur == p && $1 == c { found = 1 } END { exit !found }' "$work/diag"
	ok $? "diagnose: $pid is $code"
done
# 116: a few locked threads ended on purpose (setns); 117 grows and churns
for clean in "105 pool" "109 teardown" "111 sh" "116 setns" "117 growchurn"; do
	! grep -q "^$clean" "$work/diag"
	ok $? "diagnose: $clean is clean"
done
contains "$work/diag" '9959 left' "thread-leak of a Go binary gives the headroom to 10000"
contains "$work/diag" 'runtime.UnlockOSThread()' "go-locked-exit says how to fix it"
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
assert odd["comm"] == 'a b\\"c\u00ff', odd["comm"]
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
	expect 0 "JSON detail" "$pinstat" --root "$root" --json -p 102
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert len(d["processes"])==1 and d["processes"][0]["pid"]==102' "$work/out"
	ok $? "-p --json: the same wrapper, one process"
	expect 1 "JSON diagnosis" "$pinstat" --root "$root" --json diagnose
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert all(p["verdicts"] for p in d["processes"]) and len(d["processes"])==10' "$work/out"
	ok $? "diagnose --json lists exactly the processes with findings"
else
	skip "JSON parses" "python3 missing"
fi

# Prometheus
expect 0 "Prometheus" "$pinstat" --root "$root" --prometheus --all
cp "$work/out" "$work/prom"
promtool=${PROMTOOL:-$(command -v promtool)}
if [ -n "$promtool" ] && [ -x "$promtool" ]; then
	"$promtool" check metrics < "$work/prom" > "$work/promcheck" 2>&1
	ok $? "promtool check metrics accepts the output"
	sed 's/^/# /' "$work/promcheck"
else
	skip "promtool check metrics" "promtool missing"
fi
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
(umask 077; "$pinstat" --root "$root" --all --prometheus-out "$work/pinstat.prom")
ok $? "--prometheus-out (exit)"
cmp -s "$work/pinstat.prom" "$work/prom" && ! ls "$work" | grep -q 'pinstat.prom.tmp'
ok $? "--prometheus-out writes the same, and leaves no temporary"
[ "$(stat -c %a "$work/pinstat.prom")" = 644 ]
ok $? "--prometheus-out is readable by node_exporter whatever the umask"

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
[ "$(wc -l < "$work/out")" = 2 ] && head -n 1 "$work/out" | grep -q '^{"version"'
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
	offers "" pinstat -p 101 ""
	offers "--follow --help --json --root --threshold " pinstat diagnose --
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

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" = 0 ]
