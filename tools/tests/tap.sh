# SPDX-License-Identifier: GPL-2.0
#
# What the CLI's test scripts share (sourced): TAP lines and their count,
# and ASan/UBSan's reports of a SANITIZE=1 build, which go to files under
# $work (pinstat closes its stderr before LeakSanitizer would write).
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

# the plan and the totals; the exit status says whether all passed
finish() {
	echo "1..$n"
	echo "# $((n - failed)) passed, $failed failed"
	[ "$failed" = 0 ]
	exit
}

if [ "${SANITIZE:-}" = 1 ]; then
	export ASAN_OPTIONS="log_path=$work/sanitizer:${ASAN_OPTIONS:-}"
	export UBSAN_OPTIONS="log_path=$work/sanitizer:print_stacktrace=1:${UBSAN_OPTIONS:-}"
fi

# promtool_check FILE WHAT: promtool check metrics accepts FILE ($PROMTOOL,
# else promtool on PATH; SKIP without it)
promtool_check() {
	promtool=${PROMTOOL:-$(command -v promtool)}
	if [ -n "$promtool" ] && [ -x "$promtool" ]; then
		"$promtool" check metrics < "$1" > "$work/promcheck" 2>&1
		ok $? "$2"
		sed 's/^/# /' "$work/promcheck"
	else
		skip "$2" "promtool missing"
	fi
}

# sanitized WHAT: with SANITIZE=1, a check that no run left a report
sanitized() {
	if [ "${SANITIZE:-}" = 1 ]; then
		! ls "$work"/sanitizer.* > /dev/null 2>&1
		ok $? "ASan and UBSan found nothing in $1"
		cat "$work"/sanitizer.* 2> /dev/null | sed 's/^/# /' | head -n 60
	else
		skip "ASan and UBSan found nothing" "not built with SANITIZE=1"
	fi
}
