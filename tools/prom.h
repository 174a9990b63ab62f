/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus text format, for node_exporter's textfile collector:
 * per-group series for every process, per-process series for those
 * chosen (--prometheus-processes), so that a scrape stays small however
 * many processes have threads.
 */
#ifndef PINSTAT_PROM_H
#define PINSTAT_PROM_H

#include <stdbool.h>
#include <stdio.h>
#include "model.h"

/* Which processes get series of their own. */
enum prom_processes {
	PROM_FINDINGS, /* those with a finding: the default */
	PROM_TOP,      /* the first N by solo exits per second */
	PROM_ALL,
	PROM_NONE,
};

struct prom_choice {
	enum prom_processes which;
	long long top; /* N of PROM_TOP */
};

/* "findings", "top:N", "all" or "none" into @c: false if none of them. */
bool prom_processes_named(const char *arg, struct prom_choice *c);

/* @procs[0..n) must have distinct PIDs (one series per label set). */
void export_prometheus(FILE *f, const struct state *st,
		       struct proc *const *procs, size_t n,
		       const struct prom_choice *c);

/* What a scrape says while the module is not loaded. */
void export_prometheus_unloaded(FILE *f);

#endif /* PINSTAT_PROM_H */
