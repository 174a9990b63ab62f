/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output for people.
 */
#ifndef PINSTAT_TEXT_H
#define PINSTAT_TEXT_H

#include <stdio.h>
#include "model.h"

/* Colour on: a terminal, and NO_COLOR unset. */
extern bool use_color;

/* What changed for one process between two samples, per second. */
struct delta {
	struct proc *p;
	long long live_change;
	double created, solo_exits, affinity;
};

void text_summary(FILE *f, const struct state *st, struct proc *const *procs,
		  size_t n, bool wide);
void text_detail(FILE *f, struct proc *p);
void text_diagnosis(FILE *f, struct proc *const *procs, size_t n);
void text_interval(FILE *f, const char *stamp, const struct delta *d, size_t n,
		   bool wide);

#endif /* PINSTAT_TEXT_H */
