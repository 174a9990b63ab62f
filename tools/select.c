// SPDX-License-Identifier: GPL-2.0
/*
 * Which processes a report shows, and in which order.
 */
#include <stdlib.h>
#include <string.h>
#include "select.h"
#include "source.h"
#include "util.h"
#include "verdict.h"

const struct sort_key_name sort_keys[NR_SORT_KEYS] = {
	[SORT_WORST] = { "worst", "findings, then churn, growth, threads" },
	[SORT_CHURN] = { "churn",
			 "solo exits/s over the last minute (RATE/s)" },
	[SORT_LIVE] = { "live", "live threads" },
	[SORT_PEAK] = { "peak", "peak threads" },
	[SORT_CREATED] = { "created", "threads created" },
	[SORT_SOLO] = { "solo", "solo exits" },
	[SORT_SHORT] = { "short", "short-lived solo exits" },
	[SORT_AFFINITY] = { "affinity", "affinity changes" },
	[SORT_PINNED] = { "pinned", "pinned threads" },
	[SORT_AGE] = { "age", "the longest known first" },
	[SORT_PID] = { "pid", "by PID, the lowest first" },
};

int sort_key_named(const char *name)
{
	int k;

	for (k = 0; k < NR_SORT_KEYS; k++)
		if (!strcmp(sort_keys[k].name, name))
			return k;
	return -1;
}

bool add_pids(struct options *o, const char *list)
{
	const char *p = list;
	char digits[16];
	long long pid;
	size_t len;

	do {
		len = strcspn(p, ",");
		if (len >= sizeof(digits))
			return false;
		memcpy(digits, p, len);
		digits[len] = '\0';
		if (!parse_ll(digits, &pid) || pid < 1 || pid > PID_MAX_LIMIT)
			return false;
		o->pids = realloc(o->pids, (o->npids + 1) * sizeof(*o->pids));
		if (!o->pids)
			die(EXIT_ERROR, "out of memory");
		o->pids[o->npids++] = pid;
		p += len;
	} while (*p++ == ',');
	return true;
}

static bool listed(const struct options *o, int pid)
{
	int i;

	for (i = 0; i < o->npids; i++)
		if (o->pids[i] == pid)
			return true;
	return false;
}

bool wanted(const struct options *o, const struct proc *p)
{
	if (o->npids && !listed(o, p->pid))
		return false;
	return !o->comm_pattern ||
	       !regexec(&o->comm_regex, p->comm, 0, NULL, 0);
}

static bool active(const struct proc *p)
{
	return p->threads_created || p->solo_exits || p->affinity_changes ||
	       p->threads_live > 1 || p->nverdicts;
}

/* -1, 0, 1 as a is less, equal, more than b. */
static int order(long long a, long long b)
{
	return (a > b) - (a < b);
}

/* Worst first: findings, churn, growth, threads; then by PID. */
static int worse(const struct proc *p, const struct proc *q)
{
	if (!p->nverdicts != !q->nverdicts)
		return p->nverdicts ? -1 : 1; /* findings first */
	if (p->rate_solo_exits[W_60S] != q->rate_solo_exits[W_60S])
		return p->rate_solo_exits[W_60S] < q->rate_solo_exits[W_60S] ?
			       1 :
			       -1;
	if (p->solo_exits != q->solo_exits)
		return order(q->solo_exits, p->solo_exits);
	if (p->growth_steps_1s != q->growth_steps_1s)
		return order(q->growth_steps_1s, p->growth_steps_1s);
	if (p->growth_steps_34s != q->growth_steps_34s)
		return order(q->growth_steps_34s, p->growth_steps_34s);
	if (p->threads_live != q->threads_live)
		return order(q->threads_live, p->threads_live);
	return order(p->pid, q->pid);
}

/* A record's count that a key sorts by, the most first. */
static long long count_of(const struct proc *p, enum sort_key key)
{
	switch (key) {
	case SORT_LIVE:
		return p->threads_live;
	case SORT_PEAK:
		return p->threads_peak;
	case SORT_CREATED:
		return p->threads_created;
	case SORT_SOLO:
		return p->solo_exits;
	case SORT_SHORT:
		return p->short_lived;
	case SORT_AFFINITY:
		return p->affinity_changes;
	case SORT_PINNED:
		return p->threads_pinned;
	default:
		return 0;
	}
}

/* By key; ties, the worst first. A reused PID: its live record first. */
static int by_key(const struct proc *p, const struct proc *q, enum sort_key key)
{
	int c;

	switch (key) {
	case SORT_WORST:
		return worse(p, q);
	case SORT_CHURN:
		if (p->rate_solo_exits[W_60S] != q->rate_solo_exits[W_60S])
			return p->rate_solo_exits[W_60S] <
					       q->rate_solo_exits[W_60S] ?
				       1 :
				       -1;
		return worse(p, q);
	case SORT_AGE:
		/* the earlier first seen, the older */
		if (p->first_seen_ns != q->first_seen_ns)
			return p->first_seen_ns < q->first_seen_ns ? -1 : 1;
		return worse(p, q);
	case SORT_PID:
		c = order(p->pid, q->pid);
		if (!c)
			c = order(p->exited, q->exited);
		return c ? c : worse(p, q);
	default:
		c = order(count_of(q, key), count_of(p, key));
		return c ? c : worse(p, q);
	}
}

static enum sort_key sorting_by; /* qsort() passes no context */

static int compare(const void *a, const void *b)
{
	return by_key(*(struct proc *const *)a, *(struct proc *const *)b,
		      sorting_by);
}

void sort_procs(struct proc **list, size_t n, enum sort_key key)
{
	sorting_by = key;
	qsort(list, n, sizeof(*list), compare);
}

size_t select_procs(struct state *st, const struct options *o, bool all,
		    struct proc ***out)
{
	size_t n = pick_procs(st, o, all, out);

	sort_procs(*out, n, o->sort);
	return n;
}

size_t pick_procs(struct state *st, const struct options *o, bool all,
		  struct proc ***out)
{
	struct proc **list = calloc(st->nprocs + 1, sizeof(*list));
	size_t i, n = 0;

	if (!list)
		die(EXIT_ERROR, "out of memory");
	/* a process asked for by its PID is shown, active or not */
	all = all || o->npids;
	for (i = 0; i < st->nprocs; i++) {
		struct proc *p = &st->procs[i];

		if (!wanted(o, p))
			continue;
		diagnose(p);
		if (all || active(p))
			list[n++] = p;
	}
	*out = list;
	return n;
}

size_t rows_shown(const struct options *o, size_t n)
{
	return o->limit && (unsigned long long)o->limit < n ? (size_t)o->limit :
							      n;
}
