// SPDX-License-Identifier: GPL-2.0
/*
 * Verdicts, most specific first. Process teardown (exit_group, a fatal
 * signal, exec) is never a solo exit in the kernel's counts, so it never
 * looks like churn here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "by.h"
#include "enrich.h"
#include "locks.h"
#include "util.h"
#include "verdict.h"

#define GO_MAX_THREADS 10000 /* runtime/debug.SetMaxThreads default */

enum {
	T_CHURN_RATE,
	T_CHURN_MIN,
	T_CHURN_SHORT,
	T_GO_EXITS,
	T_GO_RATE,
	T_LEAK_STEPS_1S,
	T_LEAK_STEPS_34S,
	T_LEAK_MIN,
	T_SURGE_FACTOR,
	T_SURGE_MIN,
	T_AFFINITY_RATE,
	T_AFFINITY_MIN,
};

struct threshold thresholds[] = {
	[T_CHURN_RATE] = { "churn_rate", 1,
			   "thread-churn: solo exits/s over the last minute" },
	[T_CHURN_MIN] = { "churn_min", 10,
			  "thread-churn: solo exits in all, at least" },
	[T_CHURN_SHORT] = { "churn_short", 0.5,
			    "thread-churn: share of solo exits short-lived" },
	[T_GO_EXITS] = { "go_exits", 10,
			 "go-locked-exit: solo exits of a Go binary, at least" },
	[T_GO_RATE] = { "go_exit_rate", 0.5,
			"go-locked-exit: solo exits/s over the last minute" },
	[T_LEAK_STEPS_1S] = { "leak_steps_1s", 8,
			      "thread-leak: ~1 s windows with a new thread high, of 16" },
	[T_LEAK_STEPS_34S] = { "leak_steps_34s", 5,
			       "thread-leak: ~34 s windows with a new thread high, of 16" },
	[T_LEAK_MIN] = { "leak_min", 8, "thread-leak: live threads, at least" },
	[T_SURGE_FACTOR] = { "surge_factor", 4,
			     "thread-surge: live threads per CPU it may use" },
	[T_SURGE_MIN] = { "surge_min", 32,
			  "thread-surge: live threads, at least" },
	[T_AFFINITY_RATE] = { "affinity_rate", 1,
			      "affinity-churn: affinity changes/s over the last minute" },
	[T_AFFINITY_MIN] = { "affinity_min", 20,
			     "affinity-churn: affinity changes in all, at least" },
};

const int nr_thresholds = sizeof(thresholds) / sizeof(thresholds[0]);

/* The name is looked at first: a bad value of an unknown name is unknown. */
enum threshold_result set_threshold(const char *assignment)
{
	const char *eq = strchr(assignment, '=');
	double value;
	int i;

	if (!eq)
		return THRESHOLD_NOT_ASSIGNMENT;
	for (i = 0; i < nr_thresholds; i++)
		if (strlen(thresholds[i].name) == (size_t)(eq - assignment) &&
		    !strncmp(thresholds[i].name, assignment, eq - assignment))
			break;
	if (i == nr_thresholds)
		return THRESHOLD_UNKNOWN_NAME;
	if (!parse_double(eq + 1, &value))
		return THRESHOLD_BAD_VALUE;
	thresholds[i].value = value;
	return THRESHOLD_SET;
}

static double t(int which)
{
	return thresholds[which].value;
}

static void say(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

static double short_share(const struct proc *p)
{
	return p->solo_exits ? (double)p->short_lived / p->solo_exits : 0;
}

/* Add to what a verdict says (cut at its end if it does not fit). */
static void say_more(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void say_more(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* Lock tracing names the call site behind the threads that ended. */
static void blame_exits(const struct proc *p, struct words *w)
{
	const struct lock_site *s = lock_site_most_exits(p->trace);
	char where[1600];

	if (s)
		say_more(w->summary, sizeof(w->summary),
			 " %lld threads ended while locked by %s.",
			 s->locked_exits,
			 code_place_where_full(p->trace, &s->at, where,
					       sizeof(where)));
}

/*
 * ... and the site of the last lock of the threads that live on: where
 * the runtime's unlocks are seen, of the threads that hold a lock now;
 * else they may have unlocked since, and the words say "last locked".
 */
static void blame_live(const struct proc *p, struct words *w)
{
	const struct lock_site *s = lock_site_most_locked(p->trace);
	char where[1600];

	if (!s)
		return;
	code_place_where_full(p->trace, &s->at, where, sizeof(where));
	if (p->trace->unlock_probes)
		say_more(w->summary, sizeof(w->summary),
			 " %lld live threads hold a lock taken by %s.",
			 s->locked, where);
	else
		say_more(w->summary, sizeof(w->summary),
			 " %lld live threads were last locked by %s.",
			 s->last_locked, where);
}

/* Tracing a C or C++ process's thread creations names the main creator. */
static void blame_creator(const struct proc *p, struct words *w)
{
	const struct stack_caller *c = creator_most(p->trace);
	char where[1600];

	if (c)
		say_more(w->summary, sizeof(w->summary),
			 " %lld of them were created from %s.", c->calls,
			 code_place_where_full(p->trace, &c->at, where,
					       sizeof(where)));
}

static void go_locked_exit(const struct proc *p, struct words *w)
{
	/* an exited process's rates are those of its last minute */
	if (p->exited)
		say(w->summary, sizeof(w->summary),
		    "Go binary whose threads exited alone: %lld solo exits, "
		    "%.2f/s over the last minute of its life, until the "
		    "process exited.",
		    p->solo_exits, p->rate_solo_exits[W_60S]);
	else
		say(w->summary, sizeof(w->summary),
		    "Go binary whose threads exit alone: %lld solo exits, "
		    "%.2f/s over the last minute.",
		    p->solo_exits, p->rate_solo_exits[W_60S]);
	blame_exits(p, w);
}

static void thread_churn(const struct proc *p, struct words *w)
{
	if (p->exited)
		say(w->summary, sizeof(w->summary),
		    "Threads were created and exited alone at %.2f/s over "
		    "the last minute of its life (%lld solo exits, %.0f%% "
		    "short-lived) until the process exited.",
		    p->rate_solo_exits[W_60S], p->solo_exits,
		    100 * short_share(p));
	else
		say(w->summary, sizeof(w->summary),
		    "Threads are created and exit alone at %.2f/s over the "
		    "last minute (%lld solo exits, %.0f%% short-lived) while "
		    "the process lives on.",
		    p->rate_solo_exits[W_60S], p->solo_exits,
		    100 * short_share(p));
	blame_creator(p, w);
}

/* Which scale shows the growth: the seconds of a fast leak, or minutes. */
static bool fast_leak(const struct proc *p)
{
	return p->growth_steps_1s >= t(T_LEAK_STEPS_1S);
}

/*
 * The headroom to Go's thread limit. A process past it runs because
 * debug.SetMaxThreads raised it (or some threads are not the runtime's,
 * like cgo's own): no negative headroom.
 */
static void go_headroom(const struct proc *p, char *buf, size_t size)
{
	long long left = GO_MAX_THREADS - p->threads_live;

	if (left > 0)
		say(buf, size, " Go aborts at %d threads: %lld left.",
		    GO_MAX_THREADS, left);
	else if (left == 0)
		say(buf, size, " Go aborts at %d threads: it is at that limit.",
		    GO_MAX_THREADS);
	else
		say(buf, size,
		    " Go aborts at %d threads unless debug.SetMaxThreads "
		    "raised the limit: it is %lld over it.",
		    GO_MAX_THREADS, -left);
}

/* The room a pids.max above the process's cgroup leaves, if one does. */
static void pids_headroom(const struct proc *p, char *buf, size_t size)
{
	struct pids_limit l;

	if (p->exited || !pids_room(p, &l))
		return;
	say(buf, size,
	    " pids.max of cgroup %s is %lld tasks (threads and processes), "
	    "%lld in use: %lld left.",
	    l.at, l.max, l.current, l.max > l.current ? l.max - l.current : 0);
}

static void thread_leak(const struct proc *p, struct words *w)
{
	char go[128] = "", pids[4096 + 128] = "";

	if (p->go == 1)
		go_headroom(p, go, sizeof(go));
	pids_headroom(p, pids, sizeof(pids));
	say(w->summary, sizeof(w->summary),
	    "Live threads keep growing and never come down: %lld now, a new "
	    "high in %lld of the last 16 ~%s windows, no exits in the last "
	    "minute.%s%s",
	    p->threads_live,
	    fast_leak(p) ? p->growth_steps_1s : p->growth_steps_34s,
	    fast_leak(p) ? "1 s" : "34 s", go, pids);
	blame_live(p, w);
	blame_creator(p, w);
}

static void thread_surge(const struct proc *p, struct words *w)
{
	say(w->summary, sizeof(w->summary),
	    "%lld live threads (peak %lld) for %d CPU%s it may use.",
	    p->threads_live, p->threads_peak, p->cpus_allowed,
	    p->cpus_allowed == 1 ? "" : "s");
	blame_creator(p, w);
}

/* Lock tracing names the caller that re-pins. */
static void blame_affinity(const struct proc *p, struct words *w)
{
	const struct stack_caller *c = affinity_caller_most(p->trace);
	char where[1600];

	if (c)
		say_more(w->summary, sizeof(w->summary),
			 " %lld of them were made from %s.", c->calls,
			 code_place_where_full(p->trace, &c->at, where,
					       sizeof(where)));
}

static void affinity_churn(const struct proc *p, struct words *w)
{
	say(w->summary, sizeof(w->summary),
	    "CPU affinity changed at %.2f/s over the last minute%s (%lld "
	    "changes in all): threads are re-pinned per call.",
	    p->rate_affinity[W_60S], p->exited ? " of its life" : "",
	    p->affinity_changes);
	blame_affinity(p, w);
}

static void pin_overlap(const struct proc *p, struct words *w)
{
	char cpus[64] = "";

	if (p->cpus_allowed && p->threads_pinned > p->cpus_allowed)
		say(cpus, sizeof(cpus), ", more than the %d CPU%s it may use",
		    p->cpus_allowed, p->cpus_allowed == 1 ? "" : "s");
	else if (p->cpus_allowed && p->threads_pinned == p->cpus_allowed)
		say(cpus, sizeof(cpus), ", as many as the CPUs it may use");
	say(w->summary, sizeof(w->summary),
	    "%lld threads pinned, up to %lld on the same CPU%s.",
	    p->threads_pinned, p->pinned_cpu_max, cpus);
}

/*
 * What each code means and what to change, in a Go program and in any
 * other: the words diagnose prints once per code, however many processes
 * show it. A Go fix names the runtime's calls; the other, plain threads.
 */
static const struct {
	const char *code;
	const char *meaning;
	void (*describe)(const struct proc *p, struct words *w);
	const char *fix;
	const char *go_fix;
} kinds[] = {
	[GO_LOCKED_EXIT] = {
		"go-locked-exit",
		"goroutines exit while locked (runtime.LockOSThread), taking "
		"their OS thread with them",
		go_locked_exit,
		NULL, /* Go binaries only */
		"Find the goroutine that returns while locked: put "
		"'defer runtime.UnlockOSThread()' right after each "
		"runtime.LockOSThread(), look for early returns and mismatched "
		"lock counts, and run work that must be locked on a long-lived "
		"pool of pinned worker goroutines instead of locking per job or "
		"request.",
	},
	[THREAD_CHURN] = {
		"thread-churn",
		"threads start and end one by one, short-lived, while the "
		"process lives on",
		thread_churn,
		"Keep threads alive: hand tasks to a pool of long-lived worker "
		"threads instead of starting a thread per task.",
		"The Go runtime ends an OS thread only when a goroutine exits "
		"while locked to it: put 'defer runtime.UnlockOSThread()' right "
		"after each runtime.LockOSThread(), and run locked work on a "
		"long-lived pool of locked worker goroutines (see "
		"go-locked-exit).",
	},
	[THREAD_LEAK] = {
		"thread-leak",
		"live threads keep growing and never come down",
		thread_leak,
		"Workers are started repeatedly and never stopped: give each a "
		"way to stop (a flag or condition it waits on, then join it) "
		"and start them once (guard the start, or fail a second one).",
		"Workers are started repeatedly and never stopped: give each a "
		"stop channel or context and start them once (sync.Once, or an "
		"error on a second start). Each goroutine that locks its thread "
		"(runtime.LockOSThread) and then blocks forever holds one OS "
		"thread.",
	},
	[AFFINITY_CHURN] = {
		"affinity-churn",
		"threads are re-pinned (sched_setaffinity) on every call",
		affinity_churn,
		"Pin once: set each worker thread's affinity when the worker "
		"starts, not on every request.",
		"Pin once: set the affinity in each locked worker goroutine's "
		"setup (after runtime.LockOSThread), not on every request; a "
		"goroutine that is not locked may run on another thread the "
		"next moment.",
	},
	[PIN_OVERLAP] = {
		"pin-overlap",
		"pinned threads share a CPU, or take all the CPUs the process "
		"may use",
		pin_overlap,
		"Pin at most one busy thread per CPU, and leave CPUs unpinned "
		"for the rest.",
		"Pin at most one busy thread per CPU, and keep GOMAXPROCS above "
		"the number of pinned workers, with CPUs left unpinned, or "
		"unpinned goroutines starve.",
	},
	[THREAD_SURGE] = {
		"thread-surge",
		"many more live threads than CPUs the process may use",
		thread_surge,
		"Threads track concurrency: each blocking call (a syscall, "
		"blocking I/O) holds a thread. Bound the concurrency with a "
		"fixed worker pool or a semaphore.",
		"Threads track concurrency: each goroutine in a blocking "
		"syscall or cgo call, or locked per request with "
		"runtime.LockOSThread, holds an OS thread. Bound the "
		"concurrency with a fixed pool of worker goroutines or a "
		"semaphore (a buffered channel).",
	},
};

/*
 * A leak ends in an abort (Go's 10 000 threads) or an exhausted pid_max;
 * locked exits and churn cost a clone and an exit per task, the Go cause
 * named first; a surge holds threads under load; overlapping pins starve
 * threads; re-pinning costs a syscall and a migration per call.
 */
const enum verdict_kind kinds_by_severity[NR_VERDICT_KINDS] = {
	THREAD_LEAK,  GO_LOCKED_EXIT, THREAD_CHURN,
	THREAD_SURGE, PIN_OVERLAP,    AFFINITY_CHURN,
};

const char *verdict_code(enum verdict_kind kind)
{
	return kinds[kind].code;
}

const char *verdict_meaning(enum verdict_kind kind)
{
	return kinds[kind].meaning;
}

const char *verdict_fix(enum verdict_kind kind, bool go)
{
	return go || !kinds[kind].fix ? kinds[kind].go_fix : kinds[kind].fix;
}

bool has_verdict(const struct proc *p, enum verdict_kind kind)
{
	int i;

	for (i = 0; i < p->nverdicts; i++)
		if (p->verdicts[i].kind == (int)kind)
			return true;
	return false;
}

/* A verdict's code now; its words when someone will read them. */
static void add(struct proc *p, enum verdict_kind kind)
{
	struct verdict *v = &p->verdicts[p->nverdicts++];

	v->kind = kind;
	v->code = kinds[kind].code;
}

void describe(const struct proc *p, const struct verdict *v, struct words *w)
{
	kinds[v->kind].describe(p, w);
	w->fix = verdict_fix(v->kind, p->go == 1);
}

void diagnose(struct proc *p)
{
	bool churn, locked, leak, surge, affinity, overlap;

	p->nverdicts = 0;
	churn = p->solo_exits >= t(T_CHURN_MIN) &&
		p->rate_solo_exits[W_60S] >= t(T_CHURN_RATE) &&
		short_share(p) >= t(T_CHURN_SHORT);
	leak = !p->exited &&
	       (fast_leak(p) || p->growth_steps_34s >= t(T_LEAK_STEPS_34S)) &&
	       p->threads_live == p->threads_peak &&
	       p->threads_live >= t(T_LEAK_MIN) &&
	       p->rate_solo_exits[W_60S] == 0;
	/* /proc is read only for the processes whose verdict depends on it */
	if (p->solo_exits >= t(T_GO_EXITS) || leak || p->threads_pinned)
		enrich(p, FACT_GO);
	if (p->threads_live >= t(T_SURGE_MIN) || p->threads_pinned)
		enrich(p, FACT_CPUS);
	/* in proportion: a few locked threads ended on purpose are no bug */
	locked = p->go == 1 && p->solo_exits >= t(T_GO_EXITS) &&
		 p->rate_solo_exits[W_60S] >= t(T_GO_RATE);
	surge = p->cpus_allowed && p->threads_live >= t(T_SURGE_MIN) &&
		p->threads_live > t(T_SURGE_FACTOR) * p->cpus_allowed;
	affinity = p->affinity_changes >= t(T_AFFINITY_MIN) &&
		   p->rate_affinity[W_60S] >= t(T_AFFINITY_RATE);
	overlap =
		p->pinned_cpu_max > 1 || (p->go == 1 && p->cpus_allowed &&
					  p->threads_pinned >= p->cpus_allowed);

	if (locked)
		add(p, GO_LOCKED_EXIT);
	if (churn)
		add(p, THREAD_CHURN);
	if (leak)
		add(p, THREAD_LEAK);
	if (affinity)
		add(p, AFFINITY_CHURN);
	if (overlap)
		add(p, PIN_OVERLAP);
	if (surge)
		add(p, THREAD_SURGE);
}
