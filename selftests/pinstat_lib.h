/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the pinstat selftests: loading the module, reading and
 * writing its files, and small deterministic workloads.
 */
#ifndef PINSTAT_LIB_H
#define PINSTAT_LIB_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>

#define PINSTAT_SYSFS	"/sys/kernel/pinstat"
#define PINSTAT_DEBUGFS	"/sys/kernel/debug/pinstat"
#define HIST_BUCKETS	12

/* Module: 0 or -errno. The .ko is $PINSTAT_KO, else ./pinstat.ko. */
int module_load(const char *params);
int module_unload(void);
int module_reload(const char *params);
bool module_loaded(void);

/* sysfs below /sys/kernel/pinstat: numbers, or -1 on error. */
long long sysfs_num(const char *name);
int sysfs_str(const char *name, char *buf, size_t size);
int sysfs_write(const char *name, const char *value);	/* 0 or -errno */
int write_path(const char *path, const char *value);	/* 0 or -errno */
bool path_exists(const char *path);
bool file_has_prefix(const char *path, const char *prefix);	/* a line */
/* The /proc/slabinfo line that starts with prefix, or "" (static). */
const char *slab_line(const char *prefix);

/* One line of the debugfs processes table, split into columns. */
struct ps_row {
	char line[1024];
	int ncols;
	char *col[48];
};

/* Rows for @pid (0: any) in @state ("live", "exited", NULL: any): count. */
int ps_rows(pid_t pid, const char *state, struct ps_row *rows, int max);
/* Exactly one row for @pid in @state: 0, else -1. */
int ps_row(pid_t pid, const char *state, struct ps_row *row);
long long row_num(const struct ps_row *row, const char *column);
const char *row_str(const struct ps_row *row, const char *column);
void row_hist(const struct ps_row *row, long long hist[HIST_BUCKETS]);

/* Threads that wait until released, then exit. */
struct crew {
	int n;
	pthread_t *threads;
	pid_t *tids;
	bool *release;
	int started;
};

void crew_start(struct crew *crew, int n);
void crew_release(struct crew *crew, int from, int to);	/* and join */
void wait_gone(pid_t tid);	/* a joined thread, until the kernel is done */

/* A child process that a test steps through with one-byte messages. */
struct child {
	pid_t pid;
	int to_child;
	int from_child;
};

void child_start(struct child *c, void (*fn)(void *arg), void *arg);
void child_send(struct child *c);	/* parent -> child */
void child_expect(struct child *c);	/* parent <- child */
int child_reap(struct child *c);	/* exit status, or -1 */
void child_tell_parent(void);		/* in the child */
void child_wait_parent(void);		/* in the child */
/*
 * A child of one thread: its affinity change gives it a record (or is
 * dropped); it tells the parent, then waits for it.
 */
void child_ask_then_wait(void *arg);
/* In the child: exec this program as @name in exec-helper mode. */
void child_exec_helper(const char *name);
/* In the exec helper: tell the parent, wait for it, exit. */
int exec_helper_main(void);

/* Set @tid's affinity to CPU @a, or to @a and @b; 0 or -errno. */
int set_affinity(pid_t tid, int a, int b);

/* The next process (in this PID namespace) gets @pid + 1; 0 or -1. */
int set_last_pid(pid_t pid);

unsigned long long now_ns(void);
void sleep_ms(unsigned int ms);

#endif /* PINSTAT_LIB_H */
