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

/* The thresholds, by name; set_threshold() parses "name=value". */
extern struct threshold thresholds[];
extern const int nr_thresholds;
bool set_threshold(const char *assignment);

/* Fill p->verdicts (looks at /proc for Go and CPUs when it matters). */
void diagnose(struct proc *p);
/* Find out from /proc whatever is not known yet: Go, CPUs (live only). */
void examine(struct proc *p);

#endif /* PINSTAT_VERDICT_H */
