/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lock tracing as the CLI sees it: which LockOSThread call sites of a
 * traced Go process made its threads end locked or stay locked, which
 * callers of pthread_create start a traced C or C++ process's threads,
 * and which callers re-pin threads, named by function (and line, in Go);
 * and the commands that start and end a trace.
 */
#ifndef PINSTAT_LOCKS_H
#define PINSTAT_LOCKS_H

#include <stdio.h>
#include "model.h"

/*
 * Read the module's traces into st, point each traced process's record at
 * its own, and name their call sites where the executable can be read. A
 * module without lock tracing has none: 0 all the same.
 */
int locks_read(struct state *st);
void locks_free(struct state *st);

/*
 * "main.handle at server.go:42", "worker_grow+0x2a" (C), or the offset when
 * it has no name.
 */
const char *code_place_where(const struct code_place *at, char *buf,
			     size_t size);
/*
 * The same with what names a place without a name later, for people:
 * "offset 0x8d8de of /usr/bin/app, build id ID (echo 0x48d8dd | go tool
 * addr2line /usr/bin/app)", or that the file is gone or changed since.
 */
const char *code_place_where_full(const struct trace *t,
				  const struct code_place *at, char *buf,
				  size_t size);

/* The site most to blame: for ended threads, or for live locked ones. */
const struct lock_site *lock_site_most_exits(const struct trace *t);
const struct lock_site *lock_site_most_locked(const struct trace *t);
/* The caller that made the most sched_setaffinity() calls. */
const struct stack_caller *affinity_caller_most(const struct trace *t);
/* The caller that made the most pthread_create() calls. */
const struct stack_caller *creator_most(const struct trace *t);

/*
 * pinstat trace PID / untrace PID: the CLI's exit status. A Go process's
 * locks are traced; any other's thread creations.
 */
int cmd_trace(const char *pid);
int cmd_untrace(const char *pid);

#endif /* PINSTAT_LOCKS_H */
