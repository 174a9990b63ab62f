/* SPDX-License-Identifier: GPL-2.0 */
/*
 * JSON and Prometheus output of the model.
 */
#ifndef PINSTAT_EXPORT_H
#define PINSTAT_EXPORT_H

#include <stdio.h>
#include "json.h"
#include "model.h"

/* The version of the JSON documents' shape: README.md describes it. */
#define JSON_SCHEMA_VERSION 2

/*
 * The processes to include are procs[0..n), already chosen and sorted;
 * omitted more were left out (-n).
 */
void export_json(FILE *f, const struct state *st, struct proc *const *procs,
		 size_t n, size_t omitted);
/*
 * diagnose's document: procs[0..n) have findings, the first shown are
 * listed; then the findings grouped by code, the most severe first.
 */
void export_diagnosis(FILE *f, const struct state *st,
		      struct proc *const *procs, size_t n, size_t shown);
/* What every document starts with: its schema and when it was read. */
void json_stamp(struct json *j, const struct state *st);
/* A process's fields, the same in every document, in an open object. */
void json_proc_fields(struct json *j, const struct proc *p);

#endif /* PINSTAT_EXPORT_H */
