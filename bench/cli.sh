#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make bench, the CLI's part (also alone: make bench-cli): the CLI on the
# host against fixtures with /proc (bench/fixture.py) of 10 000 and 40 000
# records, and the size of a Prometheus scrape (bench/prom_fixture.py).
# Writes OUTDIR/cli.log ("CLI ..." lines of bench/time_cli.py, a "PROM"
# line).
set -eu
cd "$(dirname "$0")/.."
out=${1:-build/bench}
runs=${BENCH_CLI_RUNS:-11}
mkdir -p "$out"
make -s -C tools pinstat
: > "$out/cli.log"
for records in 10000 40000; do
	echo "bench: the CLI on a fixture of $records records, /proc included" >&2
	# the size of a Prometheus scrape: 10 000 processes, 20 with findings, in
# 50 cgroups ("PROM processes findings groups series bytes")
rm -rf "$out/fixture"
python3 bench/prom_fixture.py "$out/fixture" 10000 20 50
tools/pinstat --root "$out/fixture" --prometheus > "$out/scrape.prom"
echo "PROM 10000 20 50 $(grep -vc '^#' "$out/scrape.prom")" \
	"$(wc -c < "$out/scrape.prom")" >> "$out/cli.log"
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
