// SPDX-License-Identifier: GPL-2.0
/*
 * Machine-readable output: JSON (the shape is documented in the README)
 * and the Prometheus text exposition format (node_exporter textfile).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "by.h"
#include "clock.h"
#include "enrich.h"
#include "export.h"
#include "group.h"
#include "json.h"
#include "locks.h"
#include "util.h"
#include "verdict.h"

const char *const hist_labels[HIST_BUCKETS] = {
	"<1us",	 "1us", "10us", "100us", "1ms",	  "10ms",
	"100ms", "1s",	"10s",	"1min",	 "10min", "1h",
};

static void json_rates(struct json *j, const struct proc *p)
{
	json_key(j, "rates");
	json_object(j);
	json_key(j, "created_1s");
	json_num(j, p->rate_created[W_1S]);
	json_key(j, "created_60s");
	json_num(j, p->rate_created[W_60S]);
	json_key(j, "solo_exits_1s");
	json_num(j, p->rate_solo_exits[W_1S]);
	json_key(j, "solo_exits_60s");
	json_num(j, p->rate_solo_exits[W_60S]);
	json_key(j, "affinity_1s");
	json_num(j, p->rate_affinity[W_1S]);
	json_key(j, "affinity_60s");
	json_num(j, p->rate_affinity[W_60S]);
	json_end(j, '}');
}

static void json_verdicts(struct json *j, const struct proc *p)
{
	struct words w;
	int i;

	json_key(j, "verdicts");
	json_array(j);
	for (i = 0; i < p->nverdicts; i++) {
		json_object(j);
		json_key(j, "code");
		json_str(j, p->verdicts[i].code);
		describe(p, &p->verdicts[i], &w);
		json_key(j, "summary");
		json_str(j, w.summary);
		json_key(j, "fix");
		json_str(j, w.fix);
		json_end(j, '}');
	}
	json_end(j, ']');
}

#define JSON_INT(_j, _p, _field)            \
	do {                                \
		json_key(_j, #_field);      \
		json_int(_j, (_p)->_field); \
	} while (0)

void json_stamp(struct json *j, const struct state *st)
{
	char utc[RFC3339_LEN];

	format_rfc3339(utc, st->utc_s);
	json_key(j, "schema_version");
	json_int(j, JSON_SCHEMA_VERSION);
	json_key(j, "timestamp");
	json_str(j, utc);
	/* the *_ns fields' clock, read with them: ages are now_ns - them */
	json_key(j, "now_ns");
	json_uint(j, st->now_ns);
}

/*
 * A place's offset (null: the places past the module's bound), its name,
 * else the address "go tool addr2line" takes when the file has it.
 */
static void json_code_place(struct json *j, const struct code_place *at)
{
	json_key(j, "offset");
	if (at->offset)
		json_uint(j, at->offset);
	else
		json_null(j);
	if (at->outside) {
		json_key(j, "outside_executable");
		json_bool(j, true);
	}
	if (at->address) {
		json_key(j, "address");
		json_uint(j, at->address);
	}
	if (at->func[0]) {
		json_key(j, "function");
		json_str(j, at->func);
	}
	/* C and C++ code is named without a line */
	if (at->func[0] && at->file[0]) {
		json_key(j, "file");
		json_str(j, at->file);
		JSON_INT(j, at, line);
	}
	if (at->outer[0]) {
		json_key(j, "inlined_into");
		json_str(j, at->outer);
	}
}

/* "locked" only where unlocks are seen: else it is last_locked. */
static void json_lock_site(struct json *j, const struct lock_site *s,
			   bool unlocks_seen)
{
	json_object(j);
	JSON_INT(j, s, calls);
	JSON_INT(j, s, locked_exits);
	JSON_INT(j, s, last_locked);
	if (unlocks_seen)
		JSON_INT(j, s, locked);
	json_code_place(j, &s->at);
	json_end(j, '}');
}

/* A frame outside the executable's code is null. */
static void json_caller(struct json *j, const struct stack_caller *c)
{
	int i;

	json_object(j);
	JSON_INT(j, c, calls);
	json_key(j, "frames");
	json_array(j);
	for (i = 0; i < CALLER_FRAMES && c->frames[i]; i++)
		if (c->frames[i] == FRAME_OUTSIDE)
			json_null(j);
		else
			json_uint(j, c->frames[i]);
	json_end(j, ']');
	json_code_place(j, &c->at);
	json_end(j, '}');
}

static void json_callers(struct json *j, const char *key,
			 const struct stack_caller *c, int n)
{
	int i;

	json_key(j, key);
	json_array(j);
	for (i = 0; i < n; i++)
		json_caller(j, &c[i]);
	json_end(j, ']');
}

/* Lock tracing, for a traced process only (see locks.h). */
static void json_lock_trace(struct json *j, const struct trace *t)
{
	int i;

	json_key(j, "lock_trace");
	json_object(j);
	json_key(j, "state");
	json_str(j, t->state);
	json_key(j, "kind");
	json_str(j, t->kind == TRACE_CREATES ? "creates" : "locks");
	JSON_INT(j, t, calls);
	JSON_INT(j, t, unlock_probes);
	JSON_INT(j, t, unlocks);
	JSON_INT(j, t, threads_seen);
	JSON_INT(j, t, exits_unseen);
	JSON_INT(j, t, exits_unlocked);
	JSON_INT(j, t, threads_dropped);
	json_key(j, "exe");
	json_str(j, t->exe);
	json_key(j, "build_id");
	if (t->build_id[0])
		json_str(j, t->build_id);
	else
		json_null(j);
	json_key(j, "sites");
	json_array(j);
	for (i = 0; i < t->nsites; i++)
		json_lock_site(j, &t->sites[i], t->unlock_probes > 0);
	json_end(j, ']');
	json_callers(j, "affinity_callers", t->callers, t->ncallers);
	json_callers(j, "creators", t->creators, t->ncreators);
	json_end(j, '}');
}

void json_proc_fields(struct json *j, const struct proc *p)
{
	int i;

	JSON_INT(j, p, pid);
	if (p->nspid) {
		JSON_INT(j, p, nspid);
	}
	json_key(j, "comm");
	json_str(j, p->comm);
	json_key(j, "state");
	json_str(j, p->exited ? "exited" : "live");
	JSON_INT(j, p, threads_live);
	JSON_INT(j, p, threads_peak);
	JSON_INT(j, p, threads_created);
	JSON_INT(j, p, threads_exited);
	JSON_INT(j, p, solo_exits);
	JSON_INT(j, p, short_lived);
	JSON_INT(j, p, affinity_changes);
	JSON_INT(j, p, threads_pinned);
	JSON_INT(j, p, pinned_cpu_max);
	JSON_INT(j, p, growth_steps_1s);
	JSON_INT(j, p, growth_steps_34s);
	json_key(j, "first_seen_ns");
	json_uint(j, p->first_seen_ns);
	json_key(j, "last_event_ns");
	json_uint(j, p->last_event_ns);
	json_key(j, "lifetime_hist");
	json_array(j);
	for (i = 0; i < HIST_BUCKETS; i++)
		json_int(j, p->lifetime_hist[i]);
	json_end(j, ']');
	json_rates(j, p);
	json_key(j, "go");
	if (p->go < 0)
		json_null(j);
	else
		json_bool(j, p->go);
	json_key(j, "cpus_allowed");
	if (p->cpus_allowed)
		json_int(j, p->cpus_allowed);
	else
		json_null(j);
	json_whereabouts(j, p);
	json_verdicts(j, p);
	if (p->trace)
		json_lock_trace(j, p->trace);
}

/* The document's fields up to its processes, in an open object. */
static void json_document(struct json *j, const struct state *st,
			  struct proc *const *procs, size_t n, size_t omitted)
{
	size_t i;

	/* the same facts as in every other output: null only if unknowable */
	for (i = 0; i < n; i++)
		enrich(procs[i], FACT_ALL);

	json_stamp(j, st);
	json_key(j, "version");
	json_str(j, st->version);
	json_key(j, "enabled");
	json_bool(j, st->enabled);
	JSON_INT(j, st, tracked);
	JSON_INT(j, st, capacity);
	JSON_INT(j, st, dropped);
	JSON_INT(j, st, evicted);
	JSON_INT(j, st, alerts);
	json_key(j, "events");
	json_object(j);
	json_key(j, "created");
	json_int(j, st->events_created);
	json_key(j, "exited");
	json_int(j, st->events_exited);
	json_key(j, "affinity");
	json_int(j, st->events_affinity);
	json_key(j, "exec");
	json_int(j, st->events_exec);
	json_end(j, '}');
	json_key(j, "complete");
	json_bool(j, st->complete);
	json_key(j, "short_lived_us");
	if (st->short_lived_us < 0)
		json_null(j);
	else
		json_int(j, st->short_lived_us);
	json_key(j, "processes_omitted");
	json_uint(j, omitted);
	json_key(j, "processes");
	json_array(j);
	for (i = 0; i < n; i++) {
		json_object(j);
		json_proc_fields(j, procs[i]);
		json_end(j, '}');
	}
	json_end(j, ']');
}

void export_json(FILE *f, const struct state *st, struct proc *const *procs,
		 size_t n, size_t omitted)
{
	struct json j;

	json_init(&j, f);
	json_object(&j);
	json_document(&j, st, procs, n, omitted);
	json_end(&j, '}');
}

/*
 * A group's PIDs among the shown procs[0..shown), in their order; it
 * holds a subsequence of procs. Returns how many of it are not shown.
 */
static size_t json_group_pids(struct json *j, const struct group *g,
			      struct proc *const *procs, size_t shown)
{
	size_t i, m = 0;

	json_key(j, "processes");
	json_array(j);
	for (i = 0; i < shown && m < g->n; i++)
		if (procs[i] == g->procs[m]) {
			json_int(j, g->procs[m]->pid);
			m++;
		}
	json_end(j, ']');
	return g->n - m;
}

static void json_group(struct json *j, const struct group *g,
		       struct proc *const *procs, size_t shown)
{
	bool mixed = needs_both_fixes(g);
	size_t omitted;

	json_object(j);
	json_key(j, "code");
	json_str(j, verdict_code(g->kind));
	json_key(j, "meaning");
	json_str(j, verdict_meaning(g->kind));
	omitted = json_group_pids(j, g, procs, shown);
	json_key(j, "processes_omitted");
	json_uint(j, omitted);
	/* for all of them; when mixed, for those not Go, fix_go for Go's */
	json_key(j, "fix");
	json_str(j, verdict_fix(g->kind, g->go && !mixed));
	json_key(j, "fix_go");
	if (mixed)
		json_str(j, verdict_fix(g->kind, true));
	else
		json_null(j);
	json_end(j, '}');
}

void export_diagnosis(FILE *f, const struct state *st,
		      struct proc *const *procs, size_t n, size_t shown)
{
	struct group groups[NR_VERDICT_KINDS];
	size_t i, ngroups;
	struct json j;

	json_init(&j, f);
	json_object(&j);
	json_document(&j, st, procs, shown, n - shown);
	ngroups = group_findings(procs, n, groups);
	json_key(&j, "groups");
	json_array(&j);
	for (i = 0; i < ngroups; i++)
		json_group(&j, &groups[i], procs, shown);
	json_end(&j, ']');
	json_end(&j, '}');
	free_groups(groups, ngroups);
}
