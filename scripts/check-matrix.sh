#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make check-matrix: the module built W=1 clean and the selftests run on
# each Debian kernel series pinstat supports (PINSTAT_KERNELS to choose
# others). Writes the results table to build/matrix/kernels.md and into
# README.md's "Supported kernels" section; exits non-zero if any kernel
# failed.
set -eu
cd "$(dirname "$0")/.."
kernels=${PINSTAT_KERNELS:-5.10 6.1 6.12 7.2 arm64:6.1}
out=build/matrix
mkdir -p "$out"
table=$out/kernels.md
{
	echo "| series | Debian kernel | W=1 build and selftests (\`make check KVER=series\`) |"
	echo "|---|---|---|"
} > "$table"

# the lines of a log that say what failed, collected for the end
what_failed='^not ok|^Bail out|^vm\.sh:|Kernel panic|BUG:|WARNING:|Oops'
failures=$out/failures
: > "$failures"
status=0
# Did make check just run the guests on this very kernel image, for this
# very commit (a tree without changes)? Then its results are this
# series': the same tests would run again on the same kernel.
cache=$(scripts/deps.sh)
stamp=build/check-guests.stamp
checked() {
	case $1 in arm64:*) return 1 ;; esac
	case $(scripts/version.sh) in *dirty*) return 1 ;; esac
	[ -f "$stamp" ] || return 1
	kver=$(scripts/kernel.sh "$1" "$cache")
	[ "$(head -n 1 "$stamp")" = "$(scripts/version.sh) $(sha256sum < "$cache/kernels/$kver/vmlinuz" | cut -d' ' -f1)" ] || return 1
	{
		echo "check: building pinstat.ko for $kver"
		echo "check-matrix: the results of make check, same commit, same kernel image"
		cat build/check-guests.log
		tail -n 1 "$stamp"
	} > "$2"
}

for series in $kernels; do
	echo "check-matrix: $series" >&2
	log=$out/$series.log
	if checked "$series" "$log"; then
		echo "check-matrix: $series: make check ran it on this commit, same kernel image" >&2
	elif ! scripts/check.sh "$series" > "$log" 2>&1; then
		status=1
		tr -d '\r' < "$log" | grep -E -B2 -A3 "$what_failed" |
			head -n 40 | sed "s/^/$series: /" >> "$failures"
	fi
	kver=$(sed -n 's/^check: building pinstat.ko for //p' "$log")
	result=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' \
		"$log" | tail -n 1)
	echo "check-matrix: $series: ${kver:-not fetched}: ${result:-failed, see $log}" >&2
	echo "| $series | ${kver:-not fetched} | ${result:-failed (see $log)} |" >> "$table"
done
{
	echo
	echo "Measured $(date -u +%Y-%m-%d) with \`make check-matrix\`. Skipped, and why:"
	echo
	for series in $kernels; do cat "$out/$series.log"; done | tr -d '\r' |
		sed -n 's/^ok [0-9]* # SKIP /- /p' | sort -u
} >> "$table"

# README.md's table is the one between these two markers
awk -v table="$table" '
	/^<!-- kernels:end -->$/ { while ((getline line < table) > 0) print line; skip = 0 }
	!skip { print }
	/^<!-- kernels:begin -->$/ { skip = 1 }' README.md > "$out/README.md"
cp "$out/README.md" README.md
cat "$table"
# last: CI shows the end of its output
if [ -s "$failures" ]; then
	echo "check-matrix: what failed:" >&2
	cat "$failures" >&2
fi
exit "$status"
