/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Findings grouped by pattern: one group per verdict code, so that what a
 * code means and how to fix it is said once, however many processes show
 * it.
 */
#ifndef PINSTAT_GROUP_H
#define PINSTAT_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"
#include "verdict.h"

struct group {
	enum verdict_kind kind;
	struct proc **procs; /* those with the finding, in the list's order */
	size_t n;
	bool go;    /* some of them are Go binaries */
	bool other; /* some are not, or not known to be */
};

/*
 * Group the findings of procs[0..n) into groups[] (NR_VERDICT_KINDS of
 * them at most), the most severe first; returns how many there are.
 * Looks at /proc for whether each process with a finding runs Go.
 */
size_t group_findings(struct proc *const *procs, size_t n,
		      struct group *groups);
void free_groups(struct group *groups, size_t n);
/* Do its Go binaries and its other processes need fixes of their own? */
bool needs_both_fixes(const struct group *g);

#endif /* PINSTAT_GROUP_H */
