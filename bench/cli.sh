#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, the CLI's part (also alone: make bench-cli): the CLI on the
# host against fixtures with /proc (bench/fixture.py) of 10 000 and 40 000
# records. Writes OUTDIR/cli.log ("CLI ..." lines of bench/time_cli.py).
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/bench}
runs=${BENCH_CLI_RUNS:-11}
mkdir -p "$out"
make -s -C tools pinstat
: > "$out/cli.log"
for records in 10000 40000; do
	echo "bench: the CLI on a fixture of $records records, /proc included" >&2
	rm -rf "$out/fixture"
	python3 bench/fixture.py "$out/fixture" "$records"
	sync	# the fixture's writeback would compete with the timed runs
	sleep 2
	# every output at 10 000; what should grow linearly, at 40 000 too
	modes=
	[ "$records" = 10000 ] || modes="summary top-frame interval"
	python3 bench/time_cli.py tools/pinstat "$out/fixture" "$runs" \
		$modes >> "$out/cli.log"
done
rm -rf "$out/fixture"
