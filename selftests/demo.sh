#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The demo, run where pinstat.ko can be loaded (the QEMU guest, or a host):
# load pinstat, run the thread patterns side by side, show what it saw.
set -u
cd "$(dirname "$0")"

grep -q '^pinstat ' /proc/modules || insmod ./pinstat.ko || exit 1
echo "== pinstat $(cat /sys/kernel/pinstat/version) loaded"
seconds=${DEMO_SECONDS:-4}
for mode in churn leak repin pool; do
	./patterns "$mode" "$seconds" &
done
echo "== running churn, leak, repin and pool for $seconds s"
sleep $((seconds - 1))

echo "== /sys/kernel/debug/pinstat/processes (the pattern processes)"
awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i }
     NR == 1 || $2 == "patterns" {
	printf "%-6s %-9s %5s %5s %8s %5s %6s %9s %7s %8s\n",
		$col["pid"], $col["comm"], $col["threads_live"],
		$col["threads_peak"], $col["threads_created"],
		$col["solo_exits"], $col["short_lived"],
		$col["affinity_changes"], $col["threads_pinned"],
		$col["rate_solo_exits_1s"] }' /sys/kernel/debug/pinstat/processes
wait
echo "== global totals"
for f in tracked dropped evicted events/created events/exited \
	 events/affinity events/exec; do
	printf "%-16s %s\n" "$f" "$(cat /sys/kernel/pinstat/$f)"
done
echo "== /sys/kernel/debug/pinstat/probes"
cat /sys/kernel/debug/pinstat/probes
