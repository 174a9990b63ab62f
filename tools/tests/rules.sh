#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Prometheus rules of deploy/prometheus: promtool check rules accepts
# pinstat.rules.yml, and promtool test rules passes its unit tests
# (pinstat.rules.test.yml: each alert fires, and keeps quiet, when it
# should; the recording rules' times to a limit). promtool is $PROMTOOL,
# else on PATH; without it both SKIP. Output is TAP.
set -u
cd "$(dirname "$0")/.."
rules=$(cd ../deploy/prometheus && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. tests/tap.sh

promtool=${PROMTOOL:-$(command -v promtool)}
if [ -n "$promtool" ] && [ -x "$promtool" ]; then
	"$promtool" check rules "$rules/pinstat.rules.yml" > "$work/out" 2>&1
	ok $? "promtool check rules accepts pinstat.rules.yml"
	sed '/^$/d; s/^/# /' "$work/out"
	# from the rules' directory: the tests name their rule file relative
	(cd "$rules" && "$promtool" test rules pinstat.rules.test.yml) \
		> "$work/out" 2>&1
	ok $? "promtool test rules: pinstat.rules.test.yml passes"
	sed '/^$/d; s/^/# /' "$work/out" | head -n 100
else
	skip "promtool check rules accepts pinstat.rules.yml" "promtool missing"
	skip "promtool test rules: pinstat.rules.test.yml passes" "promtool missing"
fi
finish
