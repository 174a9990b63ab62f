/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One record per process (thread group): what pinstat knows about it.
 */
#ifndef _PINSTAT_RECORD_H
#define _PINSTAT_RECORD_H

#include <linux/cpumask.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "growth.h"
#include "rate.h"
#include "task.h"

/* Lifetime histogram of solo exits: bucket i holds lifetimes below edge i. */
#define PINSTAT_HIST_BUCKETS 12

enum pinstat_rate {
	PINSTAT_RATE_CREATED,
	PINSTAT_RATE_SOLO_EXITS,
	PINSTAT_RATE_AFFINITY,
	PINSTAT_NR_RATES
};

/* Everything "reset" zeroes. */
struct pinstat_counters {
	u64 threads_created;
	u64 threads_exited;
	u64 solo_exits;
	u64 short_lived;
	u64 affinity_changes;
	u64 lifetime_hist[PINSTAT_HIST_BUCKETS];
	struct pinstat_rate_window rate_short[PINSTAT_NR_RATES];
	struct pinstat_rate_window rate_long[PINSTAT_NR_RATES];
	struct pinstat_growth growth[PINSTAT_NR_GROWTH];
};

/* The counter each rate is derived from (see rate.h). */
static inline u64 pinstat_rate_count(const struct pinstat_counters *c,
				     enum pinstat_rate rate)
{
	switch (rate) {
	case PINSTAT_RATE_CREATED:
		return c->threads_created;
	case PINSTAT_RATE_SOLO_EXITS:
		return c->solo_exits;
	default:
		return c->affinity_changes;
	}
}

struct pinstat_record {
	struct hlist_node hash_node; /* in the table, found under RCU */
	struct list_head exit_node;  /* on an exited list, oldest first */
	u64 exit_ns;		     /* when it was put on that list */
	struct rcu_head rcu;
	struct pinstat_key key;	      /* never changes */
	unsigned long alerts;	      /* thresholds crossed: atomic bitops */
	unsigned long alerts_pending; /* ... and not yet acted upon */

	pid_t nspid; /* the TGID in its own PID namespace */

	/* guards what follows; events never come from IRQ context */
	raw_spinlock_t lock;
	bool exited;
	bool go; /* its signal handlers are the Go runtime's (task.h) */
	char comm[TASK_COMM_LEN];
	u64 cgroup; /* its cgroup v2 id when it got its record, or ended */
	int threads_live;
	int threads_peak;
	u64 first_seen_ns;
	u64 last_event_ns; /* the exit time once exited */
	struct pinstat_counters c;
};

/* A thread's exit, as the event handler saw it. */
struct pinstat_exit {
	u64 lifetime_ns;
	bool solo_candidate; /* not torn down with its process, not a worker */
	bool last;	     /* the process's last live thread */
};

/* A consistent copy of a record, plus what is derived when read. */
struct pinstat_snapshot {
	struct pinstat_key key;
	pid_t nspid;
	bool exited;
	bool go;
	char comm[TASK_COMM_LEN];
	u64 cgroup; /* now, or where it ended */
	int threads_live;
	int threads_peak;
	int threads_pinned; /* live threads allowed on exactly one CPU */
	int pinned_cpu_max; /* most live threads pinned to one CPU */
	int cpus_allowed;   /* online CPUs its live threads may use */
	int growth_steps[PINSTAT_NR_GROWTH]; /* recent windows with a new high */
	u64 first_seen_ns;
	u64 last_event_ns;
	struct pinstat_counters c;
	u64 rate_short_centi[PINSTAT_NR_RATES]; /* events/s x 100, last ~1 s */
	u64 rate_long_centi[PINSTAT_NR_RATES]; /* events/s x 100, last ~1 min */
};

/*
 * What pinstat_record_snapshot() reads the threads' masks into: the
 * reader's own, allocated once (GFP_KERNEL) for many records.
 */
struct pinstat_scratch {
	cpumask_var_t cpus;	/* CPUs the threads may use */
	unsigned int per_cpu[]; /* threads pinned to each CPU */
};

struct pinstat_scratch *pinstat_scratch_alloc(void);
void pinstat_scratch_free(struct pinstat_scratch *scratch);

void pinstat_record_init(struct pinstat_record *rec, struct task_struct *task,
			 u64 now);
u32 pinstat_record_thread_created(struct pinstat_record *rec,
				  struct task_struct *task, u64 now);
bool pinstat_record_thread_exited(struct pinstat_record *rec,
				  struct task_struct *task,
				  const struct pinstat_exit *exit, u64 now,
				  u32 *solo_last_second);
u32 pinstat_record_affinity_changed(struct pinstat_record *rec, u64 now);
void pinstat_record_exec(struct pinstat_record *rec, struct task_struct *task,
			 u64 now);
void pinstat_record_sync(struct pinstat_record *rec, struct task_struct *task);
bool pinstat_record_mark_exited(struct pinstat_record *rec, u64 now);
void pinstat_record_reset(struct pinstat_record *rec);
void pinstat_record_snapshot(struct pinstat_record *rec,
			     struct pinstat_snapshot *snap,
			     struct pinstat_scratch *scratch);

extern const u64 pinstat_hist_edges_ns[PINSTAT_HIST_BUCKETS - 1];

#endif /* _PINSTAT_RECORD_H */
