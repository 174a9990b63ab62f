/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The diagnosis: which thread pattern a process shows, and what to change.
 * Decided from one read of the counters; thresholds are configurable.
 */
#ifndef PINSTAT_VERDICT_H
#define PINSTAT_VERDICT_H

#include <stdbool.h>
#include "model.h"

struct threshold {
	const char *name;
	double value;
	const char *help;
};

/* What set_threshold() made of "name=value". */
enum threshold_result {
	THRESHOLD_SET,
	THRESHOLD_NOT_ASSIGNMENT, /* no '=' */
	THRESHOLD_UNKNOWN_NAME,
	THRESHOLD_BAD_VALUE, /* not a plain decimal of 0 or more */
};

/* The thresholds, by name; set_threshold() parses "name=value". */
extern struct threshold thresholds[];
extern const int nr_thresholds;
enum threshold_result set_threshold(const char *assignment);

/* The kinds of verdict (struct verdict's kind), most specific first. */
enum verdict_kind {
	GO_LOCKED_EXIT,
	THREAD_CHURN,
	THREAD_LEAK,
	AFFINITY_CHURN,
	PIN_OVERLAP,
	THREAD_SURGE,
	NR_VERDICT_KINDS
};

/*
 * The order in which diagnose lists its groups: the most severe first,
 * what ends in a crash before what only costs time.
 */
extern const enum verdict_kind kinds_by_severity[NR_VERDICT_KINDS];

/* Fill p->verdicts (enriches p with Go and CPUs when they matter). */
void diagnose(struct proc *p);
bool has_verdict(const struct proc *p, enum verdict_kind kind);

const char *verdict_code(enum verdict_kind kind);
/* What the code means, in one line, the same for every process. */
const char *verdict_meaning(enum verdict_kind kind);
/* What to change: in a Go program, or in any other. */
const char *verdict_fix(enum verdict_kind kind, bool go);

/* What a verdict says: written when printed, 10 000 records need none. */
struct words {
	char summary[1024]; /* what is seen, with the numbers */
	const char *fix;    /* what to change: Go's if p is a Go binary */
};

/* The words of v, one of p's verdicts (p enriched with FACT_GO). */
void describe(const struct proc *p, const struct verdict *v, struct words *w);

#endif /* PINSTAT_VERDICT_H */
