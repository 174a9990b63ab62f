/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a lock trace counts (see locktrace.h): LockOSThread calls per call
 * site, the site of each live thread's last lock and how many locks it
 * holds (as the runtime counts them, if its unlocks are seen too), the
 * solo exits each site is blamed for, and the stacks sched_setaffinity()
 * and, in a process traced for its thread creation, pthread_create() are
 * called from.
 * Called from probe handlers and hooks, under the counts' own spinlock:
 * nothing sleeps, and a thread the map cannot take memory for is counted.
 */
#ifndef _PINSTAT_LOCKCOUNT_H
#define _PINSTAT_LOCKCOUNT_H

#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/xarray.h>

/* Call sites told apart per process; calls from further sites are "other". */
#define PINSTAT_TRACE_SITES 16
/* Threads whose last lock is remembered per process (Go stops at 10000). */
#define PINSTAT_TRACE_THREADS 16384
/* Frames of a caller's stack kept: where the call is, 3 callers. */
#define PINSTAT_AFFINITY_FRAMES 4
/* A frame outside the executable's code (in a library): not placed. */
#define PINSTAT_FRAME_OUTSIDE U64_MAX

/* One call site, and the threads whose last lock came from it. */
struct pinstat_lock_site {
	u64 offset;	  /* of the return address in the executable */
	u64 calls;	  /* LockOSThread calls made from here */
	u64 locked_exits; /* threads that ended on their own, last locked here */
	u32 last_locked;  /* live threads whose last lock was made here */
	u32 locked;	  /* of these, the ones holding a lock now */
};

/* A caller of sched_setaffinity() or pthread_create(), by its stack. */
struct pinstat_caller {
	u64 frames[PINSTAT_AFFINITY_FRAMES]; /* file offsets; 0: none */
	u64 calls;
};

/* Callers told apart; the last row, all 0, takes further stacks. */
struct pinstat_callers {
	unsigned int nr;
	struct pinstat_caller rows[PINSTAT_TRACE_SITES + 1];
};

struct pinstat_lock_counts {
	spinlock_t lock; /* guards what follows, and the trace's state */
	u64 calls;
	u64 unlocks;	     /* UnlockOSThread calls, if probed */
	u64 exits_unseen;    /* solo exits of threads with no lock seen */
	u64 exits_unlocked;  /* solo exits of threads seen to unlock all */
	u64 threads_dropped; /* locks of threads the map could not take */
	unsigned int nr_threads;
	struct xarray threads; /* TID -> site index + 1, lock depth */
	unsigned int nr_sites;
	/* the last one, with offset 0, takes calls from every further site */
	struct pinstat_lock_site sites[PINSTAT_TRACE_SITES + 1];
	struct pinstat_callers affinity; /* of sched_setaffinity() */
	struct pinstat_callers creators; /* of pthread_create() */
};

void pinstat_lock_counts_init(struct pinstat_lock_counts *c);
void pinstat_lock_counts_destroy(struct pinstat_lock_counts *c);

/* These with c->lock held. */
void pinstat_lock_called(struct pinstat_lock_counts *c, pid_t tid, u64 offset);
void pinstat_lock_released(struct pinstat_lock_counts *c, pid_t tid);
void pinstat_lock_thread_ended(struct pinstat_lock_counts *c, pid_t tid,
			       bool solo, bool counting);
void pinstat_callers_add(struct pinstat_callers *cs, const u64 *frames);
void pinstat_lock_sites_show(struct seq_file *m, pid_t tgid,
			     const struct pinstat_lock_counts *c);
void pinstat_callers_show(struct seq_file *m, pid_t tgid,
			  const struct pinstat_callers *cs);

#endif /* _PINSTAT_LOCKCOUNT_H */
