/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The enrichment pass, between reading the records and any verdict or
 * output: what /proc adds to a record (Go or not, the CPUs it may use),
 * found once per process, so that every output shows the same facts.
 * Across the frames of top and interval mode the facts are kept by the
 * record's identity, so a frame reads /proc only for what may have
 * changed.
 */
#ifndef PINSTAT_ENRICH_H
#define PINSTAT_ENRICH_H

#include "model.h"

enum fact {
	FACT_GO = 1 << 0,   /* p->go */
	FACT_CPUS = 1 << 1, /* p->cpus_allowed */
	FACT_ALL = FACT_GO | FACT_CPUS,
};

/* Find out the facts asked for that p does not have yet. */
void enrich(struct proc *p, unsigned int facts);
/* Give st's records the facts found in the frame before, where still true. */
void enrich_recall(struct state *st);
/* Keep the facts of st's records for the next frame (forget the rest). */
void enrich_remember(const struct state *st);
/*
 * Threads of live p allowed on one CPU only, per CPU, into counts[0..max):
 * returns the highest such CPU + 1, or -1 if /proc has no threads of p.
 */
int pinned_per_cpu(const struct proc *p, int *counts, int max);

#endif /* PINSTAT_ENRICH_H */
