// SPDX-License-Identifier: GPL-2.0
/*
 * What /proc adds to a record, found when a verdict or an output needs it
 * and then kept: per process in struct proc, per record identity across
 * frames.
 */
#include <stdlib.h>
#include <string.h>
#include "enrich.h"
#include "procinfo.h"
#include "source.h"
#include "util.h"

/*
 * Go or not: the executable says so exactly while the process lives; when
 * it is gone or unreadable, the kernel's fingerprint (the Go runtime's
 * signal handlers, seen while it ran) does.
 */
static void find_go(struct proc *p)
{
	p->go = p->exited ? -1 : proc_is_go(p->pid);
	if (p->go < 0)
		p->go = p->go_runtime;
}

/* The CPUs online, read once a frame: -1 not yet, 0 unknown, 1 known. */
static struct cpuset online;
static int online_known = -1;

static const struct cpuset *online_now(void)
{
	if (online_known < 0)
		online_known = online_cpus(&online);
	return online_known ? &online : NULL;
}

/* The CPUs the threads seen so far may use, and where to stop looking. */
struct cpus_walk {
	struct cpuset allowed;
	const struct cpuset *online; /* NULL if unknown */
};

static bool add_thread(const struct cpuset *cpus, void *arg)
{
	struct cpus_walk *w = arg;

	cpuset_union(&w->allowed, cpus);
	/* the usual case: the main thread may use every CPU; no need to go on */
	return !w->online || !cpuset_covers(&w->allowed, w->online);
}

/*
 * What the process may use: the online CPUs any of its threads is allowed
 * on (one pinned thread does not shrink what the others may use; a mask
 * naming CPUs that are not online does not add them). 0 if unknown.
 */
static int find_cpus_allowed(const struct proc *p)
{
	struct cpus_walk w;

	if (p->exited)
		return 0;
	/* the module counts them the same way, as the table was read */
	if (p->kernel_cpus_allowed > 0 && p->kernel_cpus_allowed <= MAX_CPUS)
		return p->kernel_cpus_allowed;
	cpuset_clear(&w.allowed);
	w.online = online_now();
	if (for_each_thread_cpus(p->pid, add_thread, &w) <= 0)
		return 0;
	if (w.online)
		cpuset_intersect(&w.allowed, w.online);
	return cpuset_count(&w.allowed);
}

void enrich(struct proc *p, unsigned int facts)
{
	facts &= ~p->found;
	if (facts & FACT_GO)
		find_go(p);
	if (facts & FACT_CPUS)
		p->cpus_allowed = find_cpus_allowed(p);
	p->found |= facts;
}

struct pinned_walk {
	int *counts, max, seen;
};

static bool count_pinned(const struct cpuset *cpus, void *arg)
{
	struct pinned_walk *w = arg;
	int cpu = cpuset_only(cpus);

	if (cpu >= 0 && cpu < w->max) {
		w->counts[cpu]++;
		if (cpu + 1 > w->seen)
			w->seen = cpu + 1;
	}
	return true;
}

int pinned_per_cpu(const struct proc *p, int *counts, int max)
{
	struct pinned_walk w = { counts, max, 0 };

	if (p->exited)
		return -1;
	memset(counts, 0, max * sizeof(*counts));
	if (for_each_thread_cpus(p->pid, count_pinned, &w) < 0)
		return -1;
	return w.seen;
}

/*
 * The facts of the last frame, in the order of identity the records come
 * in (PID, first seen). Go or not stays true for a record until an exec
 * gives it another name; the CPUs are found again each frame, as a
 * cpuset or hotplug change moves them without any counter noticing.
 */
struct known {
	int pid;
	unsigned long long first_seen_ns;
	char comm[COMM_MAX];
	int go;
};

static struct known *known;
static size_t nknown;

static int by_identity(const void *a, const void *b)
{
	const struct known *k = a, *l = b;

	if (k->pid != l->pid)
		return k->pid < l->pid ? -1 : 1;
	if (k->first_seen_ns != l->first_seen_ns)
		return k->first_seen_ns < l->first_seen_ns ? -1 : 1;
	return 0;
}

void enrich_recall(struct state *st)
{
	struct known key = { 0 }, *k;
	size_t i;

	online_known = -1; /* a CPU may have come or gone since */
	for (i = 0; i < st->nprocs && nknown; i++) {
		struct proc *p = &st->procs[i];

		key.pid = p->pid;
		key.first_seen_ns = p->first_seen_ns;
		k = bsearch(&key, known, nknown, sizeof(*known), by_identity);
		if (!k || strcmp(k->comm, p->comm))
			continue;
		p->go = k->go;
		p->found |= FACT_GO;
	}
}

void enrich_remember(const struct state *st)
{
	size_t i;

	nknown = 0;
	free(known);
	known = malloc((st->nprocs + 1) * sizeof(*known));
	if (!known)
		die(EXIT_ERROR, "out of memory");
	/* st's records are in order of identity: so are these */
	for (i = 0; i < st->nprocs; i++) {
		const struct proc *p = &st->procs[i];

		if (!(p->found & FACT_GO))
			continue;
		known[nknown].pid = p->pid;
		known[nknown].first_seen_ns = p->first_seen_ns;
		memcpy(known[nknown].comm, p->comm, COMM_MAX);
		known[nknown++].go = p->go;
	}
}
