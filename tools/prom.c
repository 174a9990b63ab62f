// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text format. A scrape holds:
 *
 *   - pinstat_module_loaded, and while it is 1 the module's state and
 *     global counters; pinstat_build_info;
 *   - per cgroup, with its unit and container as labels, gauges over the
 *     records held: how many, with which findings, their live threads,
 *     their rates of creation, solo exits and affinity changes, and the
 *     room a pids.max leaves. Gauges, not counters: a record that goes
 *     (its process ended, its linger over) takes its counts with it, so
 *     a sum may fall, as a counter must not;
 *   - per process, only for those --prometheus-processes chooses (by
 *     default those with a finding): pinstat_process_info joining its PID
 *     to its name and group, its counters, the histogram of its solo
 *     exits' lifetimes, its findings and lock tracing's sites.
 *
 * So its size follows the groups and the findings, not the processes.
 */
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "by.h"
#include "locks.h"
#include "prom.h"
#include "select.h"
#include "source.h"
#include "util.h"
#include "verdict.h"

#ifndef PINSTAT_VERSION
#define PINSTAT_VERSION "unknown"
#endif

/* Upper bounds of the lifetime histogram's buckets, in seconds. */
static const char *const hist_le[HIST_BUCKETS] = {
	"1e-06", "1e-05", "0.0001", "0.001", "0.01", "0.1",
	"1",	 "10",	  "60",	    "600",   "3600", "+Inf",
};

bool prom_processes_named(const char *arg, struct prom_choice *c)
{
	static const char *const names[] = {
		[PROM_FINDINGS] = "findings",
		[PROM_ALL] = "all",
		[PROM_NONE] = "none",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i] && !strcmp(arg, names[i])) {
			c->which = i;
			return true;
		}
	}
	c->which = PROM_TOP;
	return !strncmp(arg, "top:", 4) && parse_ll(arg + 4, &c->top) &&
	       c->top > 0;
}

struct family {
	const char *name;
	const char *type;
	const char *help;
	size_t offset; /* of a long long in struct proc */
};

#define FAMILY(_name, _type, _help, _field)                        \
	{                                                          \
		_name, _type, _help, offsetof(struct proc, _field) \
	}

static const struct family families[] = {
	FAMILY("pinstat_threads_live", "gauge", "Threads of the process now.",
	       threads_live),
	FAMILY("pinstat_threads_peak", "gauge",
	       "Most threads the process had at once.", threads_peak),
	FAMILY("pinstat_threads_created_total", "counter",
	       "Threads created into the process.", threads_created),
	FAMILY("pinstat_threads_exited_total", "counter",
	       "Thread exits of the process, teardown included.",
	       threads_exited),
	FAMILY("pinstat_solo_exits_total", "counter",
	       "Threads that exited alone while the process lived on.",
	       solo_exits),
	FAMILY("pinstat_short_lived_exits_total", "counter",
	       "Solo exits of threads that lived less than short_lived_us.",
	       short_lived),
	FAMILY("pinstat_affinity_changes_total", "counter",
	       "CPU affinity changes the kernel granted (sched_setaffinity) "
	       "on the process's threads.",
	       affinity_changes),
	FAMILY("pinstat_threads_pinned", "gauge",
	       "Live threads allowed on exactly one CPU.", threads_pinned),
	FAMILY("pinstat_pinned_cpu_max", "gauge",
	       "Most live threads pinned to one and the same CPU.",
	       pinned_cpu_max),
	FAMILY("pinstat_growth_steps_1s", "gauge",
	       "Windows of ~1 s, of the last 16, in which the process "
	       "reached a new thread high.",
	       growth_steps_1s),
	FAMILY("pinstat_growth_steps_34s", "gauge",
	       "Windows of ~34 s, of the last 16, in which the process "
	       "reached a new thread high.",
	       growth_steps_34s),
};

/* A count as Prometheus wants it; the common case without printf. */
static void value(FILE *f, long long v)
{
	char buf[24], *digits;

	if (v < 0) {
		fprintf(f, "%lld", v);
		return;
	}
	digits = format_ull(buf + sizeof(buf), v);
	fwrite(digits, 1, buf + sizeof(buf) - digits, f);
}

static void labels(FILE *f, const struct proc *p)
{
	fputs("{pid=\"", f);
	value(f, p->pid);
	fputs("\",comm=", f);
	prom_label(f, p->comm);
}

static void header(FILE *f, const char *name, const char *type,
		   const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The global series: one value each, from struct state. */
static const struct {
	const char *name;
	const char *type;
	const char *help;
	size_t offset; /* of a long long in struct state */
} globals[] = {
	{ "pinstat_tracked_processes", "gauge",
	  "Process records held, live or lingering.",
	  offsetof(struct state, tracked) },
	{ "pinstat_capacity_processes", "gauge",
	  "Most process records held at once.",
	  offsetof(struct state, capacity) },
	{ "pinstat_dropped_events_total", "counter",
	  "Events that could not be recorded.",
	  offsetof(struct state, dropped) },
	{ "pinstat_evicted_records_total", "counter",
	  "Exited records freed early to make room.",
	  offsetof(struct state, evicted) },
	{ "pinstat_alerts_total", "counter",
	  "Processes that crossed an alert threshold.",
	  offsetof(struct state, alerts) },
};

static void module_loaded_gauge(FILE *f, int loaded)
{
	header(f, "pinstat_module_loaded", "gauge",
	       "1 if the pinstat module is loaded; 0: no other series.");
	fprintf(f, "pinstat_module_loaded %d\n", loaded);
}

static void prom_globals(FILE *f, const struct state *st)
{
	static const char *const events[] = {
		"created",
		"exited",
		"affinity",
		"exec",
	};
	const long long counts[] = {
		st->events_created,
		st->events_exited,
		st->events_affinity,
		st->events_exec,
	};
	size_t i;

	header(f, "pinstat_enabled", "gauge", "1 while pinstat counts.");
	fprintf(f, "pinstat_enabled %d\n", st->enabled);
	header(f, "pinstat_complete", "gauge",
	       "1 if every process is listed, 0 if only watched ones are.");
	fprintf(f, "pinstat_complete %d\n", st->complete);
	for (i = 0; i < sizeof(globals) / sizeof(globals[0]); i++) {
		header(f, globals[i].name, globals[i].type, globals[i].help);
		fprintf(f, "%s %lld\n", globals[i].name,
			*(const long long *)((const char *)st +
					     globals[i].offset));
	}
	header(f, "pinstat_events_total", "counter", "Events seen, by type.");
	for (i = 0; i < 4; i++)
		fprintf(f, "pinstat_events_total{event=\"%s\"} %lld\n",
			events[i], counts[i]);
}

/* One series of a lock tracing site or caller, named by its place. */
static void prom_site(FILE *f, const char *name, const struct proc *p,
		      const struct code_place *at, long long v)
{
	char where[1600];

	fputs(name, f);
	labels(f, p);
	fputs(",site=", f);
	prom_label(f, code_place_where(at, where, sizeof(where)));
	fputs("} ", f);
	value(f, v);
	fputc('\n', f);
}

/* The series of a lock site: a long long in struct lock_site each. */
static const struct {
	const char *name;
	const char *type;
	const char *help;
	size_t offset;
	bool needs_unlocks; /* only for traces that see unlocks */
} site_series[] = {
	{ "pinstat_lock_site_calls_total", "counter",
	  "LockOSThread calls from the call site.",
	  offsetof(struct lock_site, calls), false },
	{ "pinstat_lock_site_locked_exits_total", "counter",
	  "Threads that ended on their own, last locked at the call site.",
	  offsetof(struct lock_site, locked_exits), false },
	{ "pinstat_lock_site_last_locked", "gauge",
	  "Live threads whose last lock was made at the call site.",
	  offsetof(struct lock_site, last_locked), false },
	{ "pinstat_lock_site_locked", "gauge",
	  "Live threads holding a lock, their last made at the call site "
	  "(traces that see unlocks).",
	  offsetof(struct lock_site, locked), true },
};

/* One family of callers: of pthread_create if creators, else affinity. */
static void prom_callers(FILE *f, struct proc *const *procs, size_t n,
			 const char *name, const char *help, bool creators)
{
	const struct trace *t;
	size_t i;
	int s;

	header(f, name, "counter", help);
	for (i = 0; i < n; i++) {
		t = procs[i]->trace;
		for (s = 0; t && procs[i]->nverdicts &&
			    s < (creators ? t->ncreators : t->ncallers);
		     s++)
			prom_site(f, name, procs[i],
				  creators ? &t->creators[s].at :
					     &t->callers[s].at,
				  creators ? t->creators[s].calls :
					     t->callers[s].calls);
	}
}

/*
 * Lock tracing's sites and callers, by name, for traced processes with a
 * finding only: at most the module's 17 of each per process, and nothing
 * for the many processes that are fine.
 */
static void prom_lock_sites(FILE *f, struct proc *const *procs, size_t n)
{
	const struct trace *t;
	size_t i, k;
	int s;

	for (k = 0; k < sizeof(site_series) / sizeof(site_series[0]); k++) {
		header(f, site_series[k].name, site_series[k].type,
		       site_series[k].help);
		for (i = 0; i < n; i++) {
			t = procs[i]->trace;
			if (t && site_series[k].needs_unlocks &&
			    !t->unlock_probes)
				continue;
			for (s = 0; t && procs[i]->nverdicts && s < t->nsites;
			     s++)
				prom_site(f, site_series[k].name, procs[i],
					  &t->sites[s].at,
					  *(const long long
						    *)((const char *)&t
							       ->sites[s] +
						       site_series[k].offset));
		}
	}
	prom_callers(f, procs, n, "pinstat_affinity_caller_calls_total",
		     "Granted sched_setaffinity() calls made from the caller.",
		     false);
	prom_callers(f, procs, n, "pinstat_thread_creator_calls_total",
		     "pthread_create() calls made from the caller (C and C++ "
		     "processes).",
		     true);
}

static void build_info(FILE *f, const char *module_version)
{
	header(f, "pinstat_build_info", "gauge",
	       "1, labelled with the versions of the CLI and the module.");
	fputs("pinstat_build_info{version=", f);
	prom_label(f, PINSTAT_VERSION);
	fputs(",module_version=", f);
	prom_label(f, module_version);
	fputs("} 1\n", f);
}

/* A group's labels: its cgroup, and the unit and container in its path. */
static void group_labels(FILE *f, const struct group_sum *g)
{
	struct container k = { 0 };
	char unit[256] = "", container[96] = "";

	if (g->name[0] == '/') {
		cgroup_unit(g->name, unit, sizeof(unit));
		cgroup_container(g->name, &k);
		container_name(&k, container, sizeof(container));
	}
	fputs("{cgroup=", f);
	prom_label(f, g->name);
	fputs(",unit=", f);
	prom_label(f, unit);
	fputs(",container=", f);
	prom_label(f, container);
}

/* A series' name and its HELP text. */
struct series_doc {
	const char *name;
	const char *help;
};

/* The rates of each group, per second over the last minute, summed. */
static const struct series_doc group_rates[] = {
	{ "pinstat_group_solo_exits_per_second",
	  "Solo exits per second over the last minute, summed over the "
	  "group's records." },
	{ "pinstat_group_threads_created_per_second",
	  "Threads created per second over the last minute, summed over the "
	  "group's records." },
	{ "pinstat_group_affinity_changes_per_second",
	  "Granted affinity changes per second over the last minute, summed "
	  "over the group's records." },
};

/* Rate @k of group_rates[] of @g. */
static double group_rate(const struct group_sum *g, size_t k)
{
	return k == 0 ? g->solo_rate :
	       k == 1 ? g->created_rate :
			g->affinity_rate;
}

static void group_count(FILE *f, const char *name, const struct group_sum *g,
			long long v)
{
	fputs(name, f);
	group_labels(f, g);
	fputs("} ", f);
	value(f, v);
	fputc('\n', f);
}

/* Where a pids.max applies: the room the tightest one leaves, and it. */
static void prom_group_pids(FILE *f, const struct group_sum *g, size_t ng)
{
	static const struct series_doc pids[] = {
		{ "pinstat_group_pids_left",
		  "Tasks the tightest pids.max on the cgroup or above it still "
		  "allows (cgroups with such a limit)." },
		{ "pinstat_group_pids_max",
		  "The tightest pids.max on the cgroup or above it (cgroups "
		  "with such a limit)." },
	};
	long long left;
	size_t i, k;

	for (k = 0; k < sizeof(pids) / sizeof(pids[0]); k++) {
		header(f, pids[k].name, "gauge", pids[k].help);
		for (i = 0; i < ng; i++) {
			if (g[i].pids.max < 0)
				continue;
			left = g[i].pids.max > g[i].pids.current ?
				       g[i].pids.max - g[i].pids.current :
				       0;
			group_count(f, pids[k].name, &g[i],
				    k ? g[i].pids.max : left);
		}
	}
}

static void prom_groups(FILE *f, const struct group_sum *g, size_t ng)
{
	size_t i, k;
	int v;

	header(f, "pinstat_group_processes", "gauge",
	       "Process records held of the cgroup, live or lingering.");
	for (i = 0; i < ng; i++)
		group_count(f, "pinstat_group_processes", &g[i], g[i].members);
	header(f, "pinstat_group_threads_live", "gauge",
	       "Threads of the cgroup's processes now.");
	for (i = 0; i < ng; i++)
		group_count(f, "pinstat_group_threads_live", &g[i], g[i].live);
	for (k = 0; k < sizeof(group_rates) / sizeof(group_rates[0]); k++) {
		header(f, group_rates[k].name, "gauge", group_rates[k].help);
		for (i = 0; i < ng; i++) {
			fputs(group_rates[k].name, f);
			group_labels(f, &g[i]);
			fprintf(f, "} %.2f\n", group_rate(&g[i], k));
		}
	}
	header(f, "pinstat_group_findings", "gauge",
	       "Processes of the cgroup with each finding.");
	for (i = 0; i < ng; i++)
		for (v = 0; v < NR_VERDICT_KINDS; v++) {
			if (!g[i].with[v])
				continue;
			fputs("pinstat_group_findings", f);
			group_labels(f, &g[i]);
			fprintf(f, ",code=\"%s\"} %d\n", verdict_code(v),
				g[i].with[v]);
		}
	prom_group_pids(f, g, ng);
}

/* The processes with series of their own, into a new list: how many. */
static size_t chosen(struct proc *const *procs, size_t n,
		     const struct prom_choice *c, struct proc ***out)
{
	struct proc **list = calloc(n + 1, sizeof(*list));
	size_t i, k = 0;

	if (!list)
		die(EXIT_ERROR, "out of memory");
	for (i = 0; i < n; i++)
		if (c->which == PROM_ALL || c->which == PROM_TOP ||
		    (c->which == PROM_FINDINGS && procs[i]->nverdicts))
			list[k++] = procs[i];
	if (c->which == PROM_TOP) {
		sort_procs(list, k, SORT_CHURN);
		if ((long long)k > c->top)
			k = c->top;
	}
	*out = list;
	return k;
}

static void process_info(FILE *f, struct proc *const *procs, size_t n)
{
	struct whereabouts w;
	char container[96];
	size_t i;

	header(f, "pinstat_process_info", "gauge",
	       "1 for each process with series of its own: its name, runtime "
	       "(go, or empty) and group, to join on pid.");
	for (i = 0; i < n; i++) {
		whereabouts(procs[i], &w);
		container_name(&w.container, container, sizeof(container));
		fputs("pinstat_process_info", f);
		labels(f, procs[i]);
		fputs(procs[i]->go == 1 ? ",runtime=\"go\"" : ",runtime=\"\"",
		      f);
		fputs(",cgroup=", f);
		prom_label(f, w.found ? w.path : "");
		fputs(",unit=", f);
		prom_label(f, w.unit);
		fputs(",container=", f);
		prom_label(f, container);
		fputs("} 1\n", f);
	}
}

/* Solo exits by lifetime, as Prometheus histograms are: cumulative. */
static void lifetime_histograms(FILE *f, struct proc *const *procs, size_t n)
{
	unsigned long long sum, v;
	char buf[24] = ""; /* its last byte ends the digits */
	size_t i;
	int b;

	header(f, "pinstat_solo_exit_lifetime_seconds", "histogram",
	       "Lifetimes of the threads that exited alone (no _sum: the "
	       "module keeps the buckets only).");
	for (i = 0; i < n; i++) {
		for (b = 0, sum = 0; b < HIST_BUCKETS; b++) {
			/* counts are never negative; a fuzzed table's may be */
			v = procs[i]->lifetime_hist[b] > 0 ?
				    procs[i]->lifetime_hist[b] :
				    0;
			sum = v > ULLONG_MAX - sum ? ULLONG_MAX : sum + v;
			fputs("pinstat_solo_exit_lifetime_seconds_bucket", f);
			labels(f, procs[i]);
			fprintf(f, ",le=\"%s\"} %s\n", hist_le[b],
				format_ull(buf + sizeof(buf) - 1, sum));
		}
		fputs("pinstat_solo_exit_lifetime_seconds_count", f);
		labels(f, procs[i]);
		fprintf(f, "} %s\n", format_ull(buf + sizeof(buf) - 1, sum));
	}
}

static void prom_processes(FILE *f, struct proc *const *procs, size_t n)
{
	size_t i, k;
	int b;

	process_info(f, procs, n);
	for (k = 0; k < sizeof(families) / sizeof(families[0]); k++) {
		header(f, families[k].name, families[k].type, families[k].help);
		for (i = 0; i < n; i++) {
			fputs(families[k].name, f);
			labels(f, procs[i]);
			fputs("} ", f);
			value(f, *(const long long *)((const char *)procs[i] +
						      families[k].offset));
			fputc('\n', f);
		}
	}
	lifetime_histograms(f, procs, n);
	header(f, "pinstat_verdict", "gauge",
	       "1 for each thread pattern found in the process.");
	for (i = 0; i < n; i++)
		for (b = 0; b < procs[i]->nverdicts; b++) {
			fputs("pinstat_verdict", f);
			labels(f, procs[i]);
			fprintf(f, ",code=\"%s\"} 1\n",
				procs[i]->verdicts[b].code);
		}
	prom_lock_sites(f, procs, n);
}

void export_prometheus(FILE *f, const struct state *st,
		       struct proc *const *procs, size_t n,
		       const struct prom_choice *c)
{
	struct group_sum *groups;
	struct proc **own;
	size_t ng, nown;

	module_loaded_gauge(f, 1);
	prom_globals(f, st);
	build_info(f, st->version);
	ng = group_sums(procs, n, BY_CGROUP, &groups);
	prom_groups(f, groups, ng);
	group_sums_free(groups, ng);
	nown = chosen(procs, n, c, &own);
	prom_processes(f, own, nown);
	free(own);
}

void export_prometheus_unloaded(FILE *f)
{
	module_loaded_gauge(f, 0);
	build_info(f, "");
}
