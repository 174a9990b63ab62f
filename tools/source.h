/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading pinstat's state from sysfs and debugfs, below a root directory
 * ("/" normally; a fixture tree in tests).
 */
#ifndef PINSTAT_SOURCE_H
#define PINSTAT_SOURCE_H

#include <stdbool.h>
#include <stdio.h>
#include "model.h"

#define EXIT_ERROR    2			   /* the exit status of every error */
#define PINSTAT_SYSFS "sys/kernel/pinstat" /* below the root */

/* Set the root directory (default "/"); paths below are relative to it. */
void source_set_root(const char *root);
/* Is the root this host's "/" (not a fixture)? */
bool source_is_host(void);
/* The path below the root that fmt names, built in buf (PATH_MAX bytes). */
const char *source_path(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Read everything into st, its records in order of PID and first seen.
 * On an error that makes reading impossible
 * (module not loaded, malformed table) prints why and returns -1. When
 * debugfs cannot be read, warns, reads the watched processes from sysfs
 * and clears st->complete.
 */
int state_read(struct state *st);
void state_free(struct state *st);

/* Parse the debugfs processes table from f: 0, or -1 after a message. */
int parse_processes(FILE *f, const char *name, struct state *st);

/* Is the module loaded? If not, say so and how to load it. */
bool module_loaded(void);
/* The same, silently. */
bool module_present(void);
/* A tunable of sys/kernel/pinstat/, to be shown: -1 if unreadable. */
long long source_tunable(const char *name);

struct proc *state_find(struct state *st, int pid, bool live_first);
/*
 * The record of this identity, as in an earlier read: a PID and when it
 * was first seen (a reused PID is another record). NULL if gone.
 */
struct proc *state_lookup(const struct state *st, int pid,
			  unsigned long long first_seen_ns);

#endif /* PINSTAT_SOURCE_H */
