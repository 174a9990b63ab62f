/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which processes a report shows, in which order, and how many: the
 * filters (-p, -C), the sort keys (--sort) and the row limit (-n).
 */
#ifndef PINSTAT_SELECT_H
#define PINSTAT_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include "model.h"
#include "report.h"

#define DEFAULT_ROWS 20 /* text reports: the worst, then a "more" line */

enum sort_key {
	SORT_WORST, /* the default */
	SORT_CHURN,
	SORT_LIVE,
	SORT_PEAK,
	SORT_CREATED,
	SORT_SOLO,
	SORT_SHORT,
	SORT_AFFINITY,
	SORT_PINNED,
	SORT_AGE,
	SORT_PID,
	NR_SORT_KEYS
};

struct sort_key_name {
	const char *name;
	const char *help;
};

extern const struct sort_key_name sort_keys[NR_SORT_KEYS];

/* The key of that name, or -1. */
int sort_key_named(const char *name);

/* How -C's REGEX (and top's COMM filter) is compiled. */
#define COMM_REGEX_FLAGS (REG_EXTENDED | REG_NOSUB)

/* Does p pass the -p and -C filters? */
bool wanted(const struct options *o, const struct proc *p);
/* A -p list ("12,34"): false if an entry is not a PID. */
bool add_pids(struct options *o, const char *list);

/*
 * Diagnose every process; keep those that pass the filters and are
 * active (or all of them, or named with -p), in the order of o->sort.
 */
size_t select_procs(struct state *st, const struct options *o, bool all,
		    struct proc ***out);
/* The same, in the table's order. */
size_t pick_procs(struct state *st, const struct options *o, bool all,
		  struct proc ***out);
void sort_procs(struct proc **list, size_t n, enum sort_key key);

/* How many of n rows to show: all, or the -n limit. */
size_t rows_shown(const struct options *o, size_t n);

#endif /* PINSTAT_SELECT_H */
