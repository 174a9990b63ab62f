// SPDX-License-Identifier: GPL-2.0
/*
 * Processes summed per group. Every record counts, live or lingering
 * after its exit, as restarted processes' churn belongs to their service;
 * -p and -C choose the records first. A group's LIVE is its processes'
 * threads now, PEAK the most any one of them had at once (their peaks
 * came at different times: a sum would be no count). FOUND counts the
 * processes with a finding, WORST names the worst. PIDS-LEFT is the
 * tightest room a pids.max leaves any of its processes: how many more
 * tasks the group, or a group above it, may start.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "by.h"
#include "json.h"
#include "select.h"
#include "source.h"
#include "util.h"
#include "verdict.h"

static const char *const by_names[] = {
	[BY_CGROUP] = "cgroup",
	[BY_UNIT] = "unit",
	[BY_CONTAINER] = "container",
	[BY_COMM] = "comm",
};

enum by by_named(const char *name)
{
	int i;

	for (i = BY_CGROUP; i <= BY_COMM; i++)
		if (!strcmp(name, by_names[i]))
			return i;
	return BY_NONE;
}

void whereabouts(const struct proc *p, struct whereabouts *w)
{
	memset(w, 0, sizeof(*w));
	w->told = p->cgroup != 0;
	if (!w->told || !cgroup_path(p->cgroup, w->path, sizeof(w->path)))
		return;
	w->found = true;
	cgroup_unit(w->path, w->unit, sizeof(w->unit));
	cgroup_container(w->path, &w->container);
}

bool pids_room(const struct proc *p, struct pids_limit *limit)
{
	struct whereabouts w;

	whereabouts(p, &w);
	if (!w.found)
		return false;
	cgroup_pids_limit(w.path, limit);
	return limit->max >= 0;
}

/*
 * Where @p is when it cannot be named: @untold if the module does not
 * say, the id if its directory is not found. False if it can be named.
 */
static bool unnamed(const struct proc *p, const struct whereabouts *w,
		    const char *untold, char *buf, size_t size)
{
	if (!w->told)
		snprintf(buf, size, "%s", untold);
	else if (!w->found)
		snprintf(buf, size, "cgroup %llu (not found)", p->cgroup);
	return !w->found;
}

void where_short(const struct proc *p, char *buf, size_t size)
{
	struct whereabouts w;

	whereabouts(p, &w);
	if (unnamed(p, &w, "", buf, size))
		return;
	if (w.container.runtime[0])
		container_name(&w.container, buf, size);
	else
		snprintf(buf, size, "%s", w.unit[0] ? w.unit : w.path);
}

void text_whereabouts(FILE *f, const struct proc *p)
{
	struct pids_limit l;
	struct whereabouts w;
	char name[96];

	whereabouts(p, &w);
	if (!w.told)
		return;
	fprintf(f, "  cgroup    ");
	if (!w.found) {
		fprintf(f, "%llu (not found: removed, or not mounted here)\n",
			p->cgroup);
		return;
	}
	text_last(f, w.path);
	if (w.unit[0]) {
		fprintf(f, "  unit ");
		text_last(f, w.unit);
	}
	container_name(&w.container, name, sizeof(name));
	if (*name)
		fprintf(f, "  container %s", name);
	if (w.container.pod[0])
		fprintf(f, "  pod %s", w.container.pod);
	fputc('\n', f);
	if (!pids_room(p, &l))
		return;
	fprintf(f, "  pids.max  %lld at ", l.max);
	text_last(f, l.at);
	fprintf(f, ": %lld tasks, %lld left", l.current, l.max - l.current);
	if (l.peak >= 0)
		fprintf(f, ", peak %lld", l.peak);
	fputc('\n', f);
}

void json_whereabouts(struct json *j, const struct proc *p)
{
	struct whereabouts w;

	whereabouts(p, &w);
	json_key(j, "cgroup");
	if (!w.told) {
		json_null(j);
		return;
	}
	json_object(j);
	json_key(j, "id");
	json_uint(j, p->cgroup);
	json_key(j, "path");
	if (w.found)
		json_str(j, w.path);
	else
		json_null(j);
	json_key(j, "unit");
	if (w.unit[0])
		json_str(j, w.unit);
	else
		json_null(j);
	json_key(j, "container");
	if (w.container.runtime[0]) {
		json_object(j);
		json_key(j, "runtime");
		json_str(j, w.container.runtime);
		json_key(j, "id");
		json_str(j, w.container.id);
		json_key(j, "pod");
		if (w.container.pod[0])
			json_str(j, w.container.pod);
		else
			json_null(j);
		json_end(j, '}');
	} else {
		json_null(j);
	}
	json_end(j, '}');
}

void group_name(const struct proc *p, enum by by, char *name, size_t size)
{
	struct whereabouts w;

	if (by == BY_COMM) {
		snprintf(name, size, "%s", p->comm);
		return;
	}
	whereabouts(p, &w);
	if (unnamed(p, &w, "?", name, size))
		return;
	if (by == BY_CGROUP)
		snprintf(name, size, "%s", w.path);
	else if (by == BY_UNIT)
		snprintf(name, size, "%s", w.unit[0] ? w.unit : "-");
	else if (w.container.runtime[0])
		container_name(&w.container, name, size);
	else
		snprintf(name, size, "-");
}

/* A member's name, for sorting the members into their groups. */
struct member {
	char *name;
	struct proc *p;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct member *)a)->name,
		      ((const struct member *)b)->name);
}

/*
 * The pids limit of the cgroup last looked up: the members of a group
 * mostly share their cgroup (all of them, by cgroup), and its limit is
 * read from a few files on each level up to the root.
 */
struct pids_memo {
	char path[sizeof(((struct whereabouts *)0)->path)];
	struct pids_limit limit;
};

static void add_pids_limit(struct group_sum *g, const struct proc *p,
			   struct pids_memo *memo)
{
	const struct pids_limit *l = &memo->limit;
	struct whereabouts w;

	whereabouts(p, &w);
	if (!w.found)
		return;
	if (strcmp(memo->path, w.path)) {
		snprintf(memo->path, sizeof(memo->path), "%s", w.path);
		cgroup_pids_limit(w.path, &memo->limit);
	}
	if (l->max >= 0 &&
	    (g->pids.max < 0 ||
	     l->max - l->current < g->pids.max - g->pids.current))
		g->pids = *l;
}

static void add_member(struct group_sum *g, struct proc *p,
		       struct pids_memo *memo)
{
	int i;

	g->members++;
	g->live += p->threads_live;
	if (p->threads_peak > g->peak)
		g->peak = p->threads_peak;
	g->created += p->threads_created;
	g->solo_exits += p->solo_exits;
	g->affinity += p->affinity_changes;
	g->solo_rate += p->rate_solo_exits[W_60S];
	g->created_rate += p->rate_created[W_60S];
	g->affinity_rate += p->rate_affinity[W_60S];
	if (p->nverdicts)
		g->found++;
	for (i = 0; i < NR_VERDICT_KINDS; i++) {
		if (!has_verdict(p, kinds_by_severity[i]))
			continue;
		g->with[kinds_by_severity[i]]++;
		if (g->worst < 0 || i < g->worst)
			g->worst = i;
	}
	add_pids_limit(g, p, memo);
}

/* Worst verdict first, then the most solo exits per second, then live. */
static int worst_first(const void *a, const void *b)
{
	const struct group_sum *x = a, *y = b;
	int wx = x->worst < 0 ? NR_VERDICT_KINDS : x->worst;
	int wy = y->worst < 0 ? NR_VERDICT_KINDS : y->worst;

	if (wx != wy)
		return wx - wy;
	if (x->solo_rate != y->solo_rate)
		return x->solo_rate < y->solo_rate ? 1 : -1;
	if (x->live != y->live)
		return x->live < y->live ? 1 : -1;
	return strcmp(x->name, y->name);
}

size_t group_sums(struct proc *const *list, size_t n, enum by by,
		  struct group_sum **out)
{
	struct member *m = calloc(n + 1, sizeof(*m));
	struct group_sum *g = calloc(n + 1, sizeof(*g));
	struct pids_memo *memo = calloc(1, sizeof(*memo));
	char name[8192];
	size_t i, ng = 0;

	if (!m || !g || !memo)
		die(EXIT_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		group_name(list[i], by, name, sizeof(name));
		m[i].name = strdup(name);
		m[i].p = list[i];
		if (!m[i].name)
			die(EXIT_ERROR, "out of memory");
	}
	qsort(m, n, sizeof(*m), by_name);
	for (i = 0; i < n; i++) {
		if (!ng || strcmp(g[ng - 1].name, m[i].name)) {
			g[ng].name = m[i].name;
			g[ng].worst = -1;
			g[ng].pids.max = -1;
			ng++;
		} else {
			free(m[i].name);
		}
		add_member(&g[ng - 1], m[i].p, memo);
	}
	free(memo);
	free(m);
	qsort(g, ng, sizeof(*g), worst_first);
	*out = g;
	return ng;
}

static void text_groups(FILE *f, enum by by, const struct group_sum *g,
			size_t shown, size_t more)
{
	char left[64];
	size_t i;

	fprintf(f, "%6s %7s %7s %9s %9s %8s %9s %11s %5s  %-14s  %s\n", "PROCS",
		"LIVE", "PEAK", "CREATED", "SOLO", "RATE/s", "AFFIN",
		"PIDS-LEFT", "FOUND", "WORST",
		by == BY_CGROUP	   ? "CGROUP" :
		by == BY_UNIT	   ? "UNIT" :
		by == BY_CONTAINER ? "CONTAINER" :
				     "COMM");
	for (i = 0; i < shown; i++) {
		if (g[i].pids.max >= 0)
			snprintf(left, sizeof(left), "%lld/%lld",
				 g[i].pids.max - g[i].pids.current,
				 g[i].pids.max);
		else
			snprintf(left, sizeof(left), "-");
		fprintf(f,
			"%6zu %7lld %7lld %9lld %9lld %8.2f %9lld %11s %5d  ",
			g[i].members, g[i].live, g[i].peak, g[i].created,
			g[i].solo_exits, g[i].solo_rate, g[i].affinity, left,
			g[i].found);
		fprintf(f, "%-14s  ",
			g[i].worst < 0 ?
				"-" :
				verdict_code(kinds_by_severity[g[i].worst]));
		text_last(f, g[i].name);
		fputc('\n', f);
	}
	if (more)
		fprintf(f, "... and %zu more groups (-n 0 shows all)\n", more);
}

static void json_pids_limit(struct json *j, const struct pids_limit *l)
{
	json_key(j, "pids_limit");
	if (l->max < 0) {
		json_null(j);
		return;
	}
	json_object(j);
	json_key(j, "cgroup");
	json_str(j, l->at);
	json_key(j, "max");
	json_int(j, l->max);
	json_key(j, "current");
	json_int(j, l->current);
	json_key(j, "peak");
	if (l->peak < 0)
		json_null(j);
	else
		json_int(j, l->peak);
	json_end(j, '}');
}

static void json_group(struct json *j, const struct group_sum *g)
{
	int i;

	json_object(j);
	json_key(j, "name");
	json_str(j, g->name);
	json_key(j, "processes");
	json_uint(j, g->members);
	json_key(j, "threads_live");
	json_int(j, g->live);
	json_key(j, "threads_peak_max");
	json_int(j, g->peak);
	json_key(j, "threads_created");
	json_int(j, g->created);
	json_key(j, "solo_exits");
	json_int(j, g->solo_exits);
	json_key(j, "rate_solo_exits_60s");
	json_num(j, g->solo_rate);
	json_key(j, "affinity_changes");
	json_int(j, g->affinity);
	json_key(j, "processes_with_findings");
	json_int(j, g->found);
	json_key(j, "worst");
	if (g->worst < 0)
		json_null(j);
	else
		json_str(j, verdict_code(kinds_by_severity[g->worst]));
	json_key(j, "verdicts");
	json_object(j);
	for (i = 0; i < NR_VERDICT_KINDS; i++) {
		if (!g->with[kinds_by_severity[i]])
			continue;
		json_key(j, verdict_code(kinds_by_severity[i]));
		json_int(j, g->with[kinds_by_severity[i]]);
	}
	json_end(j, '}');
	json_pids_limit(j, &g->pids);
	json_end(j, '}');
}

static void json_groups(FILE *f, enum by by, const struct group_sum *g,
			size_t shown, size_t more)
{
	struct json j;
	size_t i;

	json_init(&j, f);
	json_object(&j);
	json_key(&j, "by");
	json_str(&j, by_names[by]);
	json_key(&j, "groups");
	json_array(&j);
	for (i = 0; i < shown; i++)
		json_group(&j, &g[i]);
	json_end(&j, ']');
	json_key(&j, "more");
	json_uint(&j, more);
	json_end(&j, '}');
	fputc('\n', f);
}

void group_sums_free(struct group_sum *groups, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(groups[i].name);
	free(groups);
}

int cmd_by(const struct options *o)
{
	struct group_sum *groups;
	struct proc **list;
	struct state st;
	size_t n, ng, shown;

	if (state_read(&st))
		return EXIT_ERROR;
	n = pick_procs(&st, o, true, &list);
	ng = group_sums(list, n, o->by, &groups);
	shown = rows_shown(o, ng);
	if (o->json)
		json_groups(stdout, o->by, groups, shown, ng - shown);
	else
		text_groups(stdout, o->by, groups, shown, ng - shown);
	group_sums_free(groups, ng);
	free(list);
	state_free(&st);
	return 0;
}
