// SPDX-License-Identifier: GPL-2.0
/*
 * Findings grouped by pattern, for diagnose's text and JSON.
 */
#include <stdlib.h>
#include <string.h>
#include "enrich.h"
#include "group.h"
#include "source.h"
#include "util.h"

/* The processes of procs[0..n) with a finding of kind, into g. */
static void gather(struct proc *const *procs, size_t n, struct group *g)
{
	size_t i;

	g->n = 0;
	g->go = g->other = false;
	g->procs = malloc((n + 1) * sizeof(*g->procs));
	if (!g->procs)
		die(EXIT_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		if (!has_verdict(procs[i], g->kind))
			continue;
		/* the fix is Go's or not: Go or not must be known */
		enrich(procs[i], FACT_GO);
		if (procs[i]->go == 1)
			g->go = true;
		else
			g->other = true;
		g->procs[g->n++] = procs[i];
	}
}

size_t group_findings(struct proc *const *procs, size_t n, struct group *groups)
{
	size_t k, found = 0;

	for (k = 0; k < NR_VERDICT_KINDS; k++) {
		groups[found].kind = kinds_by_severity[k];
		gather(procs, n, &groups[found]);
		if (groups[found].n)
			found++;
		else
			free(groups[found].procs);
	}
	return found;
}

void free_groups(struct group *groups, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(groups[i].procs);
}

bool needs_both_fixes(const struct group *g)
{
	return g->go && g->other &&
	       strcmp(verdict_fix(g->kind, false), verdict_fix(g->kind, true));
}
