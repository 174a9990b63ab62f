#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make mutants: would the tests notice a wrong count or a wrong verdict?
# Each mutant below is one small change to the counting or verdict code;
# for each, the tree is copied, the change made (it must apply), and
# make check run on the copy. A mutant that make check fails on is
# killed; one it passes survived, and the tests have a hole. Prints one
# line per mutant and "N killed, N survived"; fails if any survived.
# Slow (a full make check per mutant): not part of CI.
#
#   scripts/mutants.sh [NAME...]   only the mutants named
set -eu
cd "$(dirname "$0")/.."

# name|file|sed expression|what it breaks
mutants='
hist-halved|module/record.c|s/lifetime_bucket(exit->lifetime_ns)/lifetime_bucket(exit->lifetime_ns \/ 2)/|lifetimes fed halved to the histogram
hist-doubled|module/record.c|s/lifetime_bucket(exit->lifetime_ns)/lifetime_bucket(exit->lifetime_ns * 2)/|lifetimes fed doubled to the histogram
solo-last|module/record.c|s/exit->solo_candidate \&\& !exit->last/exit->solo_candidate/|the last thread counted as a solo exit
live-off-by-one|module/record.c|/pinstat_record_thread_exited/,/^}/s/rec->threads_live = pinstat_live_threads(task);/rec->threads_live = pinstat_live_threads(task) + 1;/|live threads one too many after an exit
peak-stuck|module/record.c|s/rec->threads_peak = rec->threads_live;$/rec->threads_peak = rec->threads_peak;/|the peak never rises
short-lived-x10|module/record.c|s/\* NSEC_PER_USEC)/* NSEC_PER_USEC * 10)/|short_lived judged against ten times short_lived_us
workers-created|module/record.c|s/if (!pinstat_kernel_worker(task)) {/if (true) {/|kernel workers counted as created threads
rates-swapped|module/record.c|/pinstat_record_snapshot/,/^}/s/PINSTAT_RATE_SHIFT_SHORT)/PINSTAT_RATE_SHIFT_LONGX)/;/pinstat_record_snapshot/,/^}/s/PINSTAT_RATE_SHIFT_LONG)/PINSTAT_RATE_SHIFT_SHORT)/;s/PINSTAT_RATE_SHIFT_LONGX)/PINSTAT_RATE_SHIFT_LONG)/|the 1 s and 60 s rate windows swapped
affinity-refused|module/probes.c|s/if (regs_return_value(regs))$/if (0 \&\& regs_return_value(regs))/|refused affinity requests counted
growth-first-window|module/growth.h|s/if (index == (u32)(first_seen_ns >> shift))/if (false)/|the first-seen window counted as growth
growth-step-skipped|module/growth.h|s/g->mask = pinstat_growth_as_of(g, index) | 1;/g->mask = pinstat_growth_as_of(g, index);/|a new high marks no window
single-thread-record|module/events.c|s/if (!rec \&\& thread_group_leader(task) \&\& exit.last)/if (false)/|processes of one thread get a record at their end
leak-threshold|tools/verdict.c|s/{ "leak_steps_1s", 8,/{ "leak_steps_1s", 4,/|thread-leak on half the fast growth
leak-while-churning|tools/verdict.c|s/p->threads_live >= t(T_LEAK_MIN) \&\&/p->threads_live >= t(T_LEAK_MIN);/;/p->rate_solo_exits\[W_60S\] == 0;/d|thread-leak while threads exit alone
go-exit-rate|tools/verdict.c|s/\&\& p->rate_solo_exits\[W_60S\] >= t(T_GO_RATE)//|go-locked-exit from a few exits, at any rate
go-forgotten|tools/verdict.c|s/p->go = p->go_runtime;/p->go = -1;/|an ended process forgets it ran Go
churn-share|tools/verdict.c|s/short_share(p) >= t(T_CHURN_SHORT)/short_share(p) >= 0/|thread-churn whatever the lifetimes
'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
killed=0 survived=0
echo "$mutants" | while IFS='|' read -r name file expr what; do
	[ -n "$name" ] || continue
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	rm -rf "$work/tree"
	git ls-files -z | (mkdir -p "$work/tree" && xargs -0 cp --parents -t "$work/tree")
	sed -i "$expr" "$work/tree/$file"
	if cmp -s "$file" "$work/tree/$file"; then
		echo "mutants: $name does not apply to $file" >&2
		exit 2
	fi
	if (cd "$work/tree" && make check > "$work/$name.log" 2>&1); then
		echo "SURVIVED $name: $what"
		echo survived >> "$work/tally"
	else
		echo "killed   $name: $what ($(tail -n 1 "$work/$name.log"))"
		echo killed >> "$work/tally"
	fi
done
killed=$(grep -c '^killed' "$work/tally" 2> /dev/null || true)
survived=$(grep -c '^survived' "$work/tally" 2> /dev/null || true)
echo "${killed:-0} killed, ${survived:-0} survived"
[ "${survived:-0}" = 0 ] && [ "${killed:-0}" -gt 0 ]
