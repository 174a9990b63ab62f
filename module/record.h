/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One record per process (thread group): what pinstat knows about it.
 */
#ifndef _PINSTAT_RECORD_H
#define _PINSTAT_RECORD_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include "rate.h"

/* Lifetime histogram of solo exits: bucket i holds lifetimes below edge i. */
#define PINSTAT_HIST_BUCKETS 12

/*
 * Growth: which of the last 16 windows of 2^33 ns (8.6 s, so ~2.3 min in
 * all) saw the process reach a new thread high, not counting the window it
 * was first seen in. Bit 0 is the newest window.
 */
#define GROWTH_SHIFT   33
#define GROWTH_WINDOWS 16

enum pinstat_alert {
	ALERT_SOLO_EXITS, /* solo exits in the current ~1 s window */
	ALERT_THREADS,	  /* live threads */
	ALERT_AFFINITY,	  /* affinity changes in the current ~1 s window */
	NR_ALERTS
};

enum pinstat_rate {
	RATE_CREATED,
	RATE_SOLO_EXITS,
	RATE_AFFINITY,
	NR_RATES
};

/*
 * A process is known by its global TGID and its group leader's start time:
 * a recycled PID comes with a later start time, so two processes never
 * share a key. The leader's start time survives exec from a non-leader
 * thread, which copies it to the thread that takes over.
 */
struct pinstat_key {
	pid_t tgid;
	u64 start_ns;
};

static inline struct pinstat_key pinstat_task_key(struct task_struct *task)
{
	return (struct pinstat_key){
		.tgid = task->tgid,
		.start_ns = task->group_leader->start_time,
	};
}

static inline bool pinstat_key_equal(const struct pinstat_key *a,
				     const struct pinstat_key *b)
{
	return a->tgid == b->tgid && a->start_ns == b->start_ns;
}

struct task_struct *pinstat_key_task(const struct pinstat_key *key);

/* Everything "reset" zeroes. */
struct pinstat_counters {
	u64 threads_created;
	u64 threads_exited;
	u64 solo_exits;
	u64 short_lived;
	u64 affinity_changes;
	u64 lifetime_hist[PINSTAT_HIST_BUCKETS];
	struct rate_window rate_short[NR_RATES];
	struct rate_window rate_long[NR_RATES];
	u32 growth_index; /* window of bit 0 of growth_mask */
	u16 growth_mask;
};

/* The counter each rate is derived from (see rate.h). */
static inline u64 rate_count(const struct pinstat_counters *c,
			     enum pinstat_rate rate)
{
	switch (rate) {
	case RATE_CREATED:
		return c->threads_created;
	case RATE_SOLO_EXITS:
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
	char comm[TASK_COMM_LEN];
	int threads_live;
	int threads_peak;
	u64 first_seen_ns;
	u64 last_event_ns; /* the exit time once exited */
	struct pinstat_counters c;
};

/* A consistent copy of a record, plus what is derived when read. */
struct pinstat_snapshot {
	struct pinstat_key key;
	pid_t nspid;
	bool exited;
	char comm[TASK_COMM_LEN];
	int threads_live;
	int threads_peak;
	int threads_pinned; /* live threads allowed on exactly one CPU */
	int pinned_cpu_max; /* most live threads pinned to one CPU */
	int growth_steps;   /* recent windows with a new thread high */
	u64 first_seen_ns;
	u64 last_event_ns;
	struct pinstat_counters c;
	u64 rate_short_centi[NR_RATES]; /* events/s x 100, last ~1 s */
	u64 rate_long_centi[NR_RATES];	/* events/s x 100, last ~1 min */
};

void record_init(struct pinstat_record *rec, struct task_struct *leader,
		 int threads_live, u64 now);
void record_thread_created(struct pinstat_record *rec, bool counted, u64 now);
bool record_thread_exited(struct pinstat_record *rec, u64 lifetime_ns,
			  bool solo_candidate, u64 now);
u32 record_affinity_requested(struct pinstat_record *rec, u64 now);
void record_exec(struct pinstat_record *rec, struct task_struct *task, u64 now);
void record_set_live(struct pinstat_record *rec, int threads_live);
bool record_mark_exited(struct pinstat_record *rec, u64 now);
void record_reset(struct pinstat_record *rec);
void record_snapshot(struct pinstat_record *rec, struct pinstat_snapshot *snap,
		     unsigned int *per_cpu);

extern const u64 pinstat_hist_edges_ns[PINSTAT_HIST_BUCKETS - 1];

#endif /* _PINSTAT_RECORD_H */
