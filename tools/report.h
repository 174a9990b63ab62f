/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reporting commands and the options they share.
 */
#ifndef PINSTAT_REPORT_H
#define PINSTAT_REPORT_H

#include <regex.h>
#include <stdbool.h>
#include "model.h"
#include "prom.h"
#include "text.h"

struct options {
	bool all; /* every process, not only active ones */
	bool wide;
	bool json;
	bool prometheus;
	const char *prometheus_out;
	struct prom_choice prom; /* --prometheus-processes */
	bool prom_chosen;	 /* ... given */
	bool follow;
	bool thresholds; /* -T given */
	int *pids;	 /* -p: these processes only */
	int npids;
	const char *comm_pattern; /* -C: names that match it only */
	regex_t comm_regex;
	int sort;	 /* enum sort_key */
	bool sorted;	 /* --sort given */
	int by;		 /* enum by (by.h): --by, summed per group */
	long long limit; /* rows shown, 0: all */
	bool limited;	 /* -n given */
	double interval; /* seconds between reports */
	long count;	 /* reports, 0: until interrupted */
};

int cmd_summary(const struct options *o);
int cmd_detail(const struct options *o);
int cmd_diagnose(const struct options *o);
int cmd_interval(const struct options *o);
int cmd_textfile(const struct options *o);
int cmd_top(const struct options *o);

/* What changed per second; then is NULL for a process new since. */
struct delta compute_delta(const struct proc *then, struct proc *now,
			   double seconds);

/* SIGINT and SIGTERM end loops cleanly. */
void catch_stop_signals(void);
bool stop_requested(void);

#endif /* PINSTAT_REPORT_H */
