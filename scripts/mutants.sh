#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make mutants: would the tests notice a wrong count or a wrong verdict?
# Each mutant below is one small change to the counting or verdict code;
# for each, the tree is copied, the change made (it must apply), and
# make check run on the copy (on another kernel for a mutant that only
# that kernel can tell apart). A mutant that make check fails on is
# killed; one it passes survived, and the tests have a hole. Prints one
# line per mutant and "N killed, N survived"; fails if any survived, or
# if make check fails on the copy before any change. Slow (a full make
# check per mutant): not part of CI.
#
#   scripts/mutants.sh [NAME...]   only the mutants named
set -eu
cd "$(dirname "$0")/.."

# name|file|sed expression|what it breaks|kernel series (make check
# KVER=...) where the code it changes decides, when not make check's own.
# solo-last: since 6.0 the kernel itself marks the last thread's exit as
# the group's (synchronize_group_exit() sets SIGNAL_GROUP_EXIT), so only
# on 5.10 does "not the last thread" keep it from being a solo exit.
# A "|" inside an expression is written \x7c.
mutants='
hist-halved|module/record.c|s/lifetime_bucket(exit->lifetime_ns)/lifetime_bucket(exit->lifetime_ns \/ 2)/|lifetimes fed halved to the histogram
hist-doubled|module/record.c|s/lifetime_bucket(exit->lifetime_ns)/lifetime_bucket(exit->lifetime_ns * 2)/|lifetimes fed doubled to the histogram
solo-last|module/record.c|s/exit->solo_candidate \&\& !exit->last/exit->solo_candidate/|the last thread counted as a solo exit|5.10
solo-teardown|module/events.c|s/.solo_candidate = !pinstat_group_exiting(task->signal) \&\&/.solo_candidate =/|threads torn down by exit_group() counted as solo exits
live-off-by-one|module/record.c|/pinstat_record_thread_exited/,/^}/s/rec->threads_live = pinstat_live_threads(task);/rec->threads_live = pinstat_live_threads(task) + 1;/|live threads one too many after an exit
peak-stuck|module/record.c|s/rec->threads_peak = rec->threads_live;$/rec->threads_peak = rec->threads_peak;/|the peak never rises
short-lived-x10|module/record.c|s/\* NSEC_PER_USEC)/* NSEC_PER_USEC * 10)/|short_lived judged against ten times short_lived_us
workers-created|module/record.c|s/if (!pinstat_kernel_worker(task)) {/if (true) {/|kernel workers counted as created threads
rates-swapped|module/record.c|/pinstat_record_snapshot/,/^}/s/PINSTAT_RATE_SHIFT_SHORT)/PINSTAT_RATE_SHIFT_LONGX)/;/pinstat_record_snapshot/,/^}/s/PINSTAT_RATE_SHIFT_LONG)/PINSTAT_RATE_SHIFT_SHORT)/;s/PINSTAT_RATE_SHIFT_LONGX)/PINSTAT_RATE_SHIFT_LONG)/|the 1 s and 60 s rate windows swapped
affinity-refused|module/probes.c|s/if (regs_return_value(regs))$/if (0 \&\& regs_return_value(regs))/|refused affinity requests counted
growth-first-window|module/growth.h|s/if (index == (u32)(first_seen_ns >> shift))/if (false)/|the first-seen window counted as growth
growth-step-skipped|module/growth.h|s/g->mask = pinstat_growth_as_of(g, index) \x7c 1;/g->mask = pinstat_growth_as_of(g, index);/|a new high marks no window
single-thread-record|module/events.c|s/if (!rec \&\& thread_group_leader(task) \&\& exit.last)/if (false)/|processes of one thread get a record at their end
leak-threshold|tools/verdict.c|s/{ "leak_steps_1s", 8,/{ "leak_steps_1s", 4,/|thread-leak on half the fast growth
leak-while-churning|tools/verdict.c|s/p->threads_live >= t(T_LEAK_MIN) \&\&/p->threads_live >= t(T_LEAK_MIN);/;/p->rate_solo_exits\[W_60S\] == 0;/d|thread-leak while threads exit alone
go-exit-rate|tools/verdict.c|s/p->rate_solo_exits\[W_60S\] >= t(T_GO_RATE);/1;/|go-locked-exit from a few exits, at any rate
go-forgotten|tools/verdict.c|s/p->go = p->go_runtime;/p->go = -1;/|an ended process forgets it ran Go
churn-share|tools/verdict.c|s/short_share(p) >= t(T_CHURN_SHORT)/short_share(p) >= 0/|thread-churn whatever the lifetimes
'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# every mutant must change today's code, or none is run
echo "$mutants" | while IFS='|' read -r name file expr what series; do
	[ -n "$name" ] || continue
	sed "$expr" "$file" | cmp -s "$file" - || continue
	echo "mutants: $name does not apply to $file" >&2
	echo "$name" >> "$work/unapplied"
done
[ ! -s "$work/unapplied" ] || exit 2

copy_tree() {
	rm -rf "$work/tree"
	git ls-files -z | (mkdir -p "$work/tree" && xargs -0 cp --parents -t "$work/tree")
}

# the copy as it is must pass, or no mutant's failure would mean anything
copy_tree
if ! (cd "$work/tree" && make check > "$work/baseline.log" 2>&1); then
	tail -n 20 "$work/baseline.log" >&2
	echo "mutants: make check fails without any mutant" >&2
	exit 2
fi

echo "$mutants" | while IFS='|' read -r name file expr what series; do
	[ -n "$name" ] || continue
	if [ $# -gt 0 ]; then
		case " $* " in *" $name "*) ;; *) continue ;; esac
	fi
	copy_tree
	sed -i "$expr" "$work/tree/$file"
	where=${series:+ on $series}
	# make check runs the CLI's host tests first and fails if they do:
	# a CLI mutant they kill needs no guest
	if [ "${file#tools/}" != "$file" ] &&
		! make -s -C "$work/tree/tools" test > "$work/$name.log" 2>&1; then
		echo "killed   $name: $what (by the CLI's tests of make check)"
		echo killed >> "$work/tally"
		continue
	fi
	if (cd "$work/tree" && make check ${series:+KVER=$series} \
		> "$work/$name.log" 2>&1); then
		echo "SURVIVED $name: $what$where"
		echo survived >> "$work/tally"
	else
		result=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/$name.log" |
			tail -n 1)
		echo "killed   $name: $what$where (${result:-make check failed})"
		echo killed >> "$work/tally"
	fi
done
killed=$(grep -c '^killed' "$work/tally" 2> /dev/null || true)
survived=$(grep -c '^survived' "$work/tally" 2> /dev/null || true)
echo "${killed:-0} killed, ${survived:-0} survived"
[ "${survived:-0}" = 0 ] && [ "${killed:-0}" -gt 0 ]
