/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON and Prometheus output of the model.
 */
#ifndef PINSTAT_EXPORT_H
#define PINSTAT_EXPORT_H

#include <stdio.h>
#include "model.h"

/* The processes to include are procs[0..n), already chosen and sorted. */
void export_json(FILE *f, const struct state *st, struct proc *const *procs,
		 size_t n);
/* Processes must have distinct PIDs (one series per label set). */
void export_prometheus(FILE *f, const struct state *st,
		       struct proc *const *procs, size_t n);

#endif /* PINSTAT_EXPORT_H */
