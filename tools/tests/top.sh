#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pinstat top on a terminal: tmux windows of 60x20, 80x24 and 200x50 run
# it on fixture trees (--root); the test types keys (send-keys) and reads
# the screen (capture-pane). Every line must fit the window's width and
# every frame its height, at every size and after a resize. Output is
# TAP; without tmux every check says SKIP.
set -u
cd "$(dirname "$0")/.."
pinstat=$PWD/pinstat
work=$(mktemp -d)
. tests/tap.sh

if ! command -v tmux > /dev/null; then
	rm -rf "$work"
	skip "top in tmux" "tmux missing"
	finish
fi

# A server of its own (not the user's, nor its configuration); a pane
# stays when pinstat ends, to read its last screen; the server stays when
# no session is left (else a new session could meet it on its way out)
tmux="tmux -S $work/tmux.sock -f $work/tmux.conf"
printf 'set -g remain-on-exit on\nset -s exit-empty off\n' > "$work/tmux.conf"
trap '$tmux kill-server 2> /dev/null; rm -rf "$work"' EXIT
# (ASan and UBSan's reports: tmux passes tap.sh's environment on)
# the window's size decides, colour on (its sequences take no column),
# and the clocks stand still (pinstat(8), ENVIRONMENT)
unset COLUMNS LINES NO_COLOR
export TZ=UTC PINSTAT_NOW_NS=7380000001000 PINSTAT_NOW_UTC_S=1796547600

header="pid comm state threads_live threads_peak threads_created threads_exited solo_exits short_lived affinity_changes threads_pinned pinned_cpu_max growth_steps_1s growth_steps_34s go first_seen_ns last_event_ns rate_created_1s rate_created_60s rate_solo_exits_1s rate_solo_exits_60s rate_affinity_1s rate_affinity_60s lifetime_hist"
hist="0 0 0 0 0 0 0 0 0 0 0 0"

# make_root DIR: the module's files, and a table of seven processes
# (as tools/tests/run.sh builds them, without /proc): worst first 201,
# by live 203, by PID 200
make_root() {
	s=$1/sys/kernel/pinstat
	mkdir -p "$s/events" "$1/sys/kernel/debug/pinstat"
	echo 0.1.0-test > "$s/version"
	echo 1 > "$s/enabled"
	echo 7 > "$s/tracked"
	echo 16384 > "$s/capacity"
	echo 0 > "$s/dropped"
	echo 0 > "$s/evicted"
	echo 0 > "$s/alerts"
	echo 60 > "$s/linger_s"
	echo 100000 > "$s/short_lived_us"
	for f in created exited affinity exec; do echo 7 > "$s/events/$f"; done
	cat > "$1/sys/kernel/debug/pinstat/processes" <<EOF
$header
200 pool live 5 5 4 0 0 0 4 4 1 0 1 0 1000 90000 0.00 0.06 0.00 0.00 0.00 0.06 $hist
201 churn live 2 3 900 898 898 890 0 0 0 0 1 0 1000 90000 15.00 14.00 15.00 14.00 0.00 0.00 $hist
202 leaker live 41 41 40 0 0 0 0 0 0 0 6 0 1000 90000 10.00 1.50 0.00 0.00 0.00 0.00 $hist
203 pinner live 1000 1000 999 0 0 0 1000 1000 500 0 1 0 1000 90000 0.00 0.10 0.00 0.00 0.00 0.10 $hist
204 repin live 5 5 4 0 0 0 600 0 0 0 1 0 1000 90000 0.00 0.06 0.00 0.00 100.00 8.70 $hist
205 surge live 200 230 400 200 200 5 0 0 0 0 2 0 1000 90000 3.00 5.80 3.00 2.90 0.00 0.00 $hist
206 worker live 8 8 7 0 0 0 0 0 0 0 1 0 1000 90000 0.00 0.10 0.00 0.00 0.00 0.00 $hist
EOF
}

root=$work/root
make_root "$root"
table=$root/sys/kernel/debug/pinstat/processes
# 10 000 churners: more than any window holds
big=$work/big
make_root "$big"
awk -v row="$(grep '^201 ' "$table")" -v header="$header" '
	BEGIN { print header
		for (i = 1000; i < 11000; i++) { r = row; sub(/^201 /, i " ", r); print r } }' \
	> "$big/sys/kernel/debug/pinstat/processes"

# session W H COMMAND: COMMAND in a new window of W x H, in a session of
# its own ($top); the one before is ended. Its exit status goes to a file:
# tmux 3.3 may mark a pane dead on its terminal's hangup and never learn
# the status.
runs=0
session() {
	runs=$((runs + 1))
	$tmux new-session -d -s "top$runs" -x "$1" -y "$2" \
		"$3; echo \$? > $work/status$runs"
	[ $runs = 1 ] || $tmux kill-session -t "$top"
	top=top$runs
}

# start W H ARGS...: pinstat ARGS in a new window of W x H; returns once
# the first frame is on the screen
start() {
	w=$1 h=$2
	shift 2
	session "$w" "$h" "$pinstat $*"
	# the status line, and the header after it: a frame may be caught
	# half drawn (seen under ASan on a busy machine)
	settle '^pinstat' && settle '^ +PID COMM'
}

# screen [-S -]: the window's text now (and what scrolled off), in
# $work/screen
screen() {
	$tmux capture-pane -p -t "$top" "$@" > "$work/screen"
}

# settle PATTERN [TENTHS]: until a line of the screen matches PATTERN
# (grep -E), for 3 s (TENTHS of a second) at most; the screen then in
# $work/screen
settle() {
	tries=0
	while screen && ! grep -Eq -- "$1" "$work/screen" && [ $tries -lt "${2:-30}" ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	grep -Eq -- "$1" "$work/screen"
}

# ended: until the last session's pinstat has ended, 3 s at most; then
# its exit status
ended() {
	tries=0
	while [ ! -s "$work/status$runs" ] && [ $tries -lt 30 ]; do
		sleep 0.1
		tries=$((tries + 1))
	done
	cat "$work/status$runs" 2> /dev/null
}

# keys KEY...: typed into the window (tmux's key names: Enter, Escape)
keys() {
	$tmux send-keys -t "$top" "$@"
}

# fits W H: every line at most W columns, at most H lines, the status
# line first (a frame taller than H would have scrolled it away)
fits() {
	awk -v w="$1" -v h="$2" 'length > w { bad = 1 } END { exit bad || NR > h }' "$work/screen" &&
		head -n 1 "$work/screen" | grep -q '^pinstat'
}

# line N: the screen's Nth line; row N: the PID of the table's Nth row
line() {
	sed -n "${1}p" "$work/screen"
}
row() {
	awk -v i="$(($1 + 2))" 'NR == i { print $1 }' "$work/screen"
}

# the rows' PIDs, in order, on one line
pids() {
	awk 'NR > 2 && $1 ~ /^[0-9]+$/ { printf "%s ", $1 }' "$work/screen"
}

# the screen up to its last line of text, as a TAP comment, after a
# failure
show() {
	[ "$1" = 0 ] || awk '{ line[NR] = $0 } /./ { last = NR }
		END { for (i = 1; i <= last; i++) print "# |" line[i] }' "$work/screen"
}

# Each size: every line fits, the header and the rows; the big table's
# "more" line at the bottom row, with the count of those not shown
for size in 60x20 80x24 200x50; do
	w=${size%x*} h=${size#*x}
	start "$w" "$h" --root "$root" top
	fits "$w" "$h" && line 2 | grep -q '^ *PID COMM ' &&
		[ "$(pids)" = "201 202 203 204 205 206 200 " ]
	s=$?
	ok $s "top at $size: every line fits, the header, all seven rows worst first"
	show $s
	start "$w" "$h" --root "$big" top
	more=$((10000 - (h - 3)))
	fits "$w" "$h" && [ "$(line "$h")" = "... $more more processes" ] &&
		[ "$(pids | wc -w)" = $((h - 3)) ]
	s=$?
	ok $s "top at $size of 10 000: $((h - 3)) rows, then '... $more more processes' on the last line"
	show $s
done

# Frames written elsewhere than a terminal, with $LINES and $COLUMNS set
# (top -b's habit): the screen's frame, as lines of text (the status line
# without "h: help", as no key is read, may hold more)
for size in 60x20 80x24 200x50; do
	w=${size%x*} h=${size#*x}
	start "$w" "$h" --root "$big" top
	COLUMNS=$w LINES=$h "$pinstat" --root "$big" top 1 1 > "$work/batch"
	sed -n "2,${h}p" "$work/screen" > "$work/screen.table"
	sed -n "2,${h}p" "$work/batch" > "$work/batch.table"
	[ "$(wc -l < "$work/batch")" = "$h" ] &&
		cmp -s "$work/screen.table" "$work/batch.table" &&
		head -n 1 "$work/batch" | awk -v w="$w" '/^pinstat / && length <= w { ok = 1 } END { exit !ok }'
	s=$?
	ok $s "top 1 1 | cat with LINES=$h COLUMNS=$w: the frame top shows at $size"
	[ $s = 0 ] || diff "$work/screen" "$work/batch" | sed 's/^/# /'
done

# The width: columns left out in their documented order
start 200 50 --root "$root" top
line 2 | grep -Eq '^ +PID COMM +STATE +AGE +LIVE +PEAK +CREATED +SOLO +SHORT +RATE/s +AFFIN +PIN +VERDICT$'
ok $? "top at 200 columns: every column"
line 1 | grep -q '^pinstat 0.1.0-test  09:00:00  sort: worst  tracked 7/16384  dropped 0  events: created 7 exited 7 affinity 7  h: help$'
ok $? "top at 200 columns: the whole status line"
start 80 24 --root "$root" top
line 2 | grep -Eq '^ +PID COMM +STATE +AGE +LIVE +CREATED +SOLO +RATE/s +VERDICT$'
ok $? "top at 80 columns: PEAK, SHORT, PIN and AFFIN left out"
line 1 | grep -q '^pinstat 0.1.0-test  09:00:00  sort: worst  tracked 7/16384  dropped 0  h: help$'
ok $? "top at 80 columns: the status line without the event counts"
start 60 20 --root "$root" top
line 2 | grep -Eq '^ +PID COMM +LIVE +SOLO +RATE/s +VERDICT$'
ok $? "top at 60 columns: CREATED, AGE and STATE left out too"
line 1 | grep -q '^pinstat  09:00:00  sort: worst  dropped 0  h: help$'
ok $? "top at 60 columns: the status line without version and totals"

# -n: at most that many rows, and the "more" line offers -n 0; more than
# the window holds: the window decides, and -n 0 would not help
start 80 24 --root "$big" -n 5 top
[ "$(pids | wc -w)" = 5 ] && line 8 | grep -qx '\.\.\. 9995 more processes; -n 0 for all'
s=$?
ok $s "top -n 5 at 80x24: five rows, '... 9995 more processes; -n 0 for all'"
show $s
start 80 24 --root "$big" -n 30 top
[ "$(pids | wc -w)" = 21 ] && line 24 | grep -qx '\.\.\. 9979 more processes'
s=$?
ok $s "top -n 30 at 80x24: the 21 rows that fit, '... 9979 more processes'"
show $s

# Sort keys: > and s the next key, < the one before (worst, churn, live,
# ..., pid); the status line says which
start 80 24 --root "$root" top
keys '>' '>'
settle 'sort: live' && [ "$(row 1)" = 203 ]
s=$?
ok $s "top: > > sorts by live threads: 203 first"
show $s
keys '<' '<' '<'
settle 'sort: pid' && [ "$(pids)" = "200 201 202 203 204 205 206 " ]
s=$?
ok $s "top: < < < wraps around to pid: 200 first, every row by PID"
show $s
keys s
settle 'sort: worst' && [ "$(row 1)" = 201 ]
ok $? "top: s from the last key back to worst: 201 first"

# The COMM filter: / REGEX Enter, a bad one changes nothing, an empty
# one shows all again; Esc cancels
keys / 'er$'
settle '^filter COMM \(regex\): er\$_'
ok $? "top: / opens the filter prompt on the status line"
keys Enter
settle 'filter: er\$' && [ "$(pids)" = "202 203 206 " ]
s=$?
ok $s "top: / er\$ Enter: leaker, pinner and worker only"
show $s
keys / 'a(' Enter
settle '^not a regular expression: a\(: ' && [ "$(pids)" = "202 203 206 " ]
s=$?
ok $s "top: a bad regex says so, and the filter stays"
show $s
keys / x Escape
settle 'filter: er\$' && [ "$(pids)" = "202 203 206 " ]
ok $? "top: Esc cancels, the filter stays"
keys / Enter
settle '^pinstat.*sort: worst  tracked' && [ "$(pids | wc -w)" = 7 ]
s=$?
ok $s "top: an empty filter shows all again"
show $s

# Help, and a key closes it
keys h
settle '^Narrow windows leave out, in this order:' && fits 80 24 &&
	grep -q '^  /  *filter COMM' "$work/screen"
ok $? "top: h shows the keys"
keys x
settle '^ *PID COMM'
ok $? "top: another key closes the help"

# Pause: the frame stands while the table changes; p again reads it
start 80 24 --root "$root" top 0.2
keys p
settle '  paused  '
ok $? "top: p pauses, the status line says so"
cp "$work/screen" "$work/paused"
sed 's/^206 worker live 8 8 /299 newcomer live 5000 5000 /' "$table" > "$work/table"
mv "$work/table" "$table"
sleep 1
screen
cmp -s "$work/screen" "$work/paused"
ok $? "top: paused, the frame stands though the table changed"
keys p
settle '^ *299 newcomer ' && ! grep -q paused "$work/screen"
s=$?
ok $s "top: p again reads the table at once"
show $s
make_root "$root"

# Resize: drawn again for the new size at once, not at the next interval
start 80 24 --root "$root" top 60
for size in 60x20 200x50 80x24; do
	w=${size%x*} h=${size#*x}
	$tmux resize-window -t "$top" -x "$w" -y "$h"
	case $w in
	60) want='^ +PID COMM +LIVE +SOLO +RATE/s +VERDICT$' ;;
	200) want='^ +PID COMM +STATE .* PEAK .* PIN +VERDICT$' ;;
	*) want='^ +PID COMM +STATE +AGE +LIVE +CREATED +SOLO +RATE/s +VERDICT$' ;;
	esac
	settle "$want" 10 && fits "$w" "$h"
	s=$?
	ok $s "top resized to $size: drawn again within a second, every line fits"
	show $s
done

# q quits, exit status 0
keys q
status=$(ended)
[ "$status" = 0 ]
ok $? "top: q quits, exit status 0 (got '$status')"

# TERM=dumb: frames follow each other, each fitting the width
session 60 20 "TERM=dumb $pinstat --root $root top 0.1 2"
status=$(ended)
screen -S -
[ "$status" = 0 ] &&
	[ "$(grep -c '^pinstat' "$work/screen")" = 2 ] && ! grep -q "$(printf '\033')" "$work/screen" &&
	awk 'length > 60 { bad = 1 } END { exit bad }' "$work/screen"
s=$?
ok $s "top on TERM=dumb at 60 columns: two frames, no escape sequences, each line fits"
show $s

if [ "${SANITIZE:-}" = 1 ]; then
	$tmux kill-server 2> /dev/null
	sleep 0.2
	sanitized "top"
fi
finish
