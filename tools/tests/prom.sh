#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The size and shape of pinstat --prometheus on fixtures of many
# processes in cgroups (bench/prom_fixture.py): per-group series for all,
# per-process series for those with findings, the bound of make bench
# (10 000 processes, 20 with findings, 50 groups: at most 2 000 series),
# promtool's check. Output is TAP.
set -u
cd "$(dirname "$0")/.."
pinstat=$PWD/pinstat
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/tap.sh
export PINSTAT_NOW_NS=7380000001000 PINSTAT_NOW_UTC_S=1796547600

# 100 processes, 3 with findings, in 5 groups of 20
python3 ../bench/prom_fixture.py "$work/small" 100 3 5
"$pinstat" --root "$work/small" --prometheus > "$work/out"
ok $? "--prometheus on 100 processes in 5 cgroups"
series() {
	grep -c "^$1{" "$work/out"
}
[ "$(series pinstat_group_processes)" = 5 ] &&
	grep -q '^pinstat_group_processes{cgroup="/system.slice/svc-0.service",unit="svc-0.service",container=""} 20$' "$work/out"
ok $? "a series per group, of its 20 processes"
# svc-0 holds processes 0, 5, ...: one churner of 2 threads, 19 of 4
grep -q '^pinstat_group_threads_live{cgroup="/system.slice/svc-0.service",unit="svc-0.service",container=""} 78$' "$work/out" &&
	grep -q '^pinstat_group_solo_exits_per_second{cgroup="/system.slice/svc-0.service",unit="svc-0.service",container=""} 14.00$' "$work/out" &&
	grep -q '^pinstat_group_findings{cgroup="/system.slice/svc-0.service",unit="svc-0.service",container="",code="thread-churn"} 1$' "$work/out"
ok $? "a group's threads, solo exits per second and findings, summed"
[ "$(series pinstat_threads_live)" = 3 ] && [ "$(series pinstat_process_info)" = 3 ]
ok $? "series of their own for the 3 processes with findings only"

# make bench's bound
python3 ../bench/prom_fixture.py "$work/big" 10000 20 50
"$pinstat" --root "$work/big" --prometheus > "$work/out"
count=$(grep -vc '^#' "$work/out")
[ "$count" -le 2000 ]
ok $? "10 000 processes, 20 with findings, 50 groups: $count series (at most 2 000)"
promtool_check "$work/out" "promtool check metrics accepts it"
"$pinstat" --root "$work/big" --prometheus --prometheus-processes=all > "$work/out"
[ "$(series pinstat_threads_live)" = 10000 ]
ok $? "--prometheus-processes=all: every process has its series"

sanitized "any run"
finish
