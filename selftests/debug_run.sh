#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What make check-debug runs in a debug-kernel guest: every suite, the
# stress and fault-injection tests with their larger settings, then a
# kmemleak scan once pinstat is unloaded. $PINSTAT_FLAVOUR names the
# kernel (kasan, kcsan): on the KCSAN one, kprobes are armed by int3 and
# hooks=kprobes cannot load (pinstat_input_test checks that it says so),
# there is neither fault injection nor kmemleak, and stress and unloading
# run at their shorter sizes. $PINSTAT_PART splits the run in two for
# two guests at once: "suites" (the counting, input, odd cases, races, the
# CLI, lock tracing, cgroups) or "stress" (stress, fault injection,
# unloading); without it, both. Each ends with its kmemleak scan.
# Output: KTAP/TAP.
cd "$(dirname "$0")"
status=0
kmemleak=/sys/kernel/debug/kmemleak
part=${PINSTAT_PART:-all}

# what leaked before pinstat was ever loaded is not pinstat's
[ -w "$kmemleak" ] && echo clear > "$kmemleak"

if [ "$part" != stress ]; then
	./pinstat_test || status=1
	if [ "${PINSTAT_FLAVOUR:-}" != kcsan ]; then
		PINSTAT_PARAMS="hooks=kprobes" ./pinstat_test || status=1
	fi
	./pinstat_input_test || status=1
	./pinstat_odd_test || status=1
	./pinstat_race_test || status=1
fi
if [ "$part" = suites ]; then
	: # the other guest stresses
elif [ "${PINSTAT_FLAVOUR:-}" != kcsan ]; then
	PINSTAT_STRESS=full ./pinstat_stress_test || status=1
	./pinstat_fault_test || status=1
	PINSTAT_CYCLES=200 ./pinstat_unload_test || status=1
else
	# races show in a shorter run; the KASAN kernel runs the long ones
	./pinstat_stress_test || status=1
	PINSTAT_CYCLES=50 ./pinstat_unload_test || status=1
fi
if [ "$part" != stress ]; then
	sh cli_test.sh || status=1
	sh locks_test.sh || status=1
	sh cgroup_test.sh || status=1
fi

grep -q '^pinstat ' /proc/modules && rmmod pinstat
if [ -w "$kmemleak" ]; then
	# two scans: kmemleak reports an object only once it has seen it twice
	echo scan > "$kmemleak"
	sleep 6
	echo scan > "$kmemleak"
	if [ -s "$kmemleak" ]; then
		echo "not ok 1 kmemleak: memory leaked"
		sed 's/^/# /' "$kmemleak"
		status=1
	else
		echo "ok 1 kmemleak: no leaks after all tests"
	fi
elif [ "${PINSTAT_FLAVOUR:-}" != kcsan ]; then
	echo "ok 1 kmemleak # SKIP no kmemleak in this kernel"
fi
exit $status
