/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pinstat --by cgroup|unit|container|comm: the processes summed per
 * group, worst first; and the group each process is in, for -p, diagnose
 * and JSON.
 */
#ifndef PINSTAT_BY_H
#define PINSTAT_BY_H

#include <stdbool.h>
#include <stddef.h>
#include "cgroup.h"
#include "model.h"
#include "report.h"
#include "verdict.h"

enum by {
	BY_NONE,
	BY_CGROUP,
	BY_UNIT,
	BY_CONTAINER,
	BY_COMM,
};

/* The --by value of that name, or BY_NONE. */
enum by by_named(const char *name);

/* Where a process is, as far as it can be named. */
struct whereabouts {
	bool told;		    /* the module gives the cgroup id */
	bool found;		    /* ... and its directory is there */
	char path[4096];	    /* below the v2 root */
	char unit[256];		    /* "" if none */
	struct container container; /* runtime "" if none */
};

void whereabouts(const struct proc *p, struct whereabouts *w);

/* The tightest pids.max above @p's cgroup: false if none or unknown. */
bool pids_room(const struct proc *p, struct pids_limit *limit);

/* Where @p is, shortly: its container, else unit, else cgroup; or "". */
void where_short(const struct proc *p, char *buf, size_t size);

/* -p's "cgroup" line; nothing from a module that does not say. */
void text_whereabouts(FILE *f, const struct proc *p);

/* JSON's "cgroup" of a process: null from a module that does not say. */
struct json;
void json_whereabouts(struct json *j, const struct proc *p);

/* A group's processes, summed (see by.c). */
struct group_sum {
	char *name;
	size_t members;
	long long live, peak, created, solo_exits, affinity;
	/* per second over the last minute, summed */
	double solo_rate, created_rate, affinity_rate;
	int with[NR_VERDICT_KINDS]; /* members with each verdict */
	int found;		    /* members with any */
	int worst;		    /* kinds_by_severity's index; -1: none */
	struct pids_limit pids;	    /* the tightest of its members' */
};

/*
 * The groups by @by of @list[0..n), worst first, into *@out: how many.
 * group_sums_free() frees them.
 */
size_t group_sums(struct proc *const *list, size_t n, enum by by,
		  struct group_sum **out);
void group_sums_free(struct group_sum *groups, size_t n);

/* The name of @p's group by @by, into @name. */
void group_name(const struct proc *p, enum by by, char *name, size_t size);

int cmd_by(const struct options *o);

#endif /* PINSTAT_BY_H */
