# SPDX-License-Identifier: GPL-2.0
#
# TAP for the selftests' shell scripts: source it, set $suite (the prefix
# of every result's name), call ok STATUS NAME or skip NAME WHY, and end
# with tap_end, which prints the plan and fails if a result did.
n=0
failed=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $suite.$2"
	else
		echo "not ok $n $suite.$2"
		failed=$((failed + 1))
		return 1
	fi
}

skip() {
	n=$((n + 1))
	echo "ok $n $suite.$1 # SKIP $2"
}

tap_end() {
	echo "1..$n"
	[ "$failed" = 0 ]
}
