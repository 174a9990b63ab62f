/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reporting commands and the options they share.
 */
#ifndef PINSTAT_REPORT_H
#define PINSTAT_REPORT_H

#include <stdbool.h>
#include "model.h"
#include "text.h"

struct options {
	bool all; /* every process, not only active ones */
	bool wide;
	bool json;
	bool prometheus;
	const char *prometheus_out;
	bool follow;
	bool thresholds; /* -T given */
	int *pids;
	int npids;
	double interval; /* seconds between reports */
	long count;	 /* reports, 0: until interrupted */
};

int cmd_summary(const struct options *o);
int cmd_detail(const struct options *o);
int cmd_diagnose(const struct options *o);
int cmd_interval(const struct options *o);
int cmd_top(const struct options *o);

/* Diagnose every process; keep the active ones (or all), worst first. */
size_t select_procs(struct state *st, bool all, struct proc ***out);
/* The same, in the table's order. */
size_t pick_procs(struct state *st, bool all, struct proc ***out);

/* What changed per second; then is NULL for a process new since. */
struct delta compute_delta(const struct proc *then, struct proc *now,
			   double seconds);

/* SIGINT and SIGTERM end loops cleanly. */
void catch_stop_signals(void);
bool stop_requested(void);

#endif /* PINSTAT_REPORT_H */
