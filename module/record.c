// SPDX-License-Identifier: GPL-2.0
/*
 * Updates to one process record, each under the record's own lock, and the
 * consistent snapshot that readers take of it.
 */
#include <linux/cpumask.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/string.h>
#include "pinstat.h"
#include "record.h"

/*
 * Upper edges of the lifetime buckets: <1 us, <10 us, <100 us, <1 ms,
 * <10 ms, <100 ms, <1 s, <10 s, <1 min, <10 min, <1 h; the last bucket
 * holds everything from one hour on.
 */
const u64 pinstat_hist_edges_ns[PINSTAT_HIST_BUCKETS - 1] = {
	1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL, 100000000ULL,
	1000000000ULL, 10000000000ULL, 60000000000ULL, 600000000000ULL,
	3600000000000ULL,
};

static unsigned int lifetime_bucket(u64 lifetime_ns)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pinstat_hist_edges_ns); i++)
		if (lifetime_ns < pinstat_hist_edges_ns[i])
			break;
	return i;
}

static void count_rate(struct pinstat_record *rec, enum pinstat_rate rate,
		       u64 now)
{
	rate_window_add(&rec->c.rate_short[rate], now, RATE_SHIFT_SHORT);
	rate_window_add(&rec->c.rate_long[rate], now, RATE_SHIFT_LONG);
}

void record_init(struct pinstat_record *rec, struct task_struct *leader,
		 int threads_live, u64 now)
{
	raw_spin_lock_init(&rec->lock);
	INIT_LIST_HEAD(&rec->exit_node);
	rec->key = pinstat_task_key(leader);
	rec->owner = task_euid(leader);
	strscpy_pad(rec->comm, leader->comm, sizeof(rec->comm));
	rec->threads_live = threads_live;
	rec->threads_peak = threads_live;
	rec->first_seen_ns = now;
	rec->last_event_ns = now;
}

/* A process's first thread is live but was not "created" into it. */
void record_thread_created(struct pinstat_record *rec, bool is_thread,
			   u64 now)
{
	raw_spin_lock(&rec->lock);
	rec->threads_live++;
	if (rec->threads_live > rec->threads_peak)
		rec->threads_peak = rec->threads_live;
	if (is_thread) {
		rec->c.threads_created++;
		count_rate(rec, RATE_CREATED, now);
	}
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
}

/*
 * Returns true when this was the process's last live thread: the caller
 * then queues the record to linger. A solo exit is one the thread made on
 * its own while the rest of the process lives on.
 */
bool record_thread_exited(struct pinstat_record *rec, u64 lifetime_ns,
			  bool teardown, u64 now)
{
	bool last;

	raw_spin_lock(&rec->lock);
	/* a record seeded during a racing exit may start one thread short */
	if (rec->threads_live > 0)
		rec->threads_live--;
	rec->c.threads_exited++;
	if (!teardown && rec->threads_live > 0) {
		rec->c.solo_exits++;
		rec->c.lifetime_hist[lifetime_bucket(lifetime_ns)]++;
		if (lifetime_ns < READ_ONCE(pinstat_short_lived_ns))
			rec->c.short_lived++;
		count_rate(rec, RATE_SOLO_EXITS, now);
	}
	last = rec->threads_live == 0 && !rec->exited;
	if (last)
		rec->exited = true;
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
	return last;
}

void record_affinity_changed(struct pinstat_record *rec, u64 now)
{
	raw_spin_lock(&rec->lock);
	rec->c.affinity_changes++;
	count_rate(rec, RATE_AFFINITY, now);
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
}

/* After exec the process has a new name and possibly a new owner. */
void record_exec(struct pinstat_record *rec, struct task_struct *task,
		 u64 now)
{
	raw_spin_lock(&rec->lock);
	strscpy_pad(rec->comm, task->comm, sizeof(rec->comm));
	rec->owner = task_euid(task);
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
}

/* Resynchronise with the kernel's own count (after events were missed). */
void record_set_live(struct pinstat_record *rec, int threads_live)
{
	raw_spin_lock(&rec->lock);
	rec->threads_live = threads_live;
	if (threads_live > rec->threads_peak)
		rec->threads_peak = threads_live;
	raw_spin_unlock(&rec->lock);
}

/*
 * The process ended while events were not being counted. Returns true if
 * this call made the record exited, like record_thread_exited() does.
 */
bool record_mark_exited(struct pinstat_record *rec, u64 now)
{
	bool changed;

	raw_spin_lock(&rec->lock);
	changed = !rec->exited;
	rec->threads_live = 0;
	rec->exited = true;
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
	return changed;
}

/* Counters restart from zero; the live state and the peak baseline stay. */
void record_reset(struct pinstat_record *rec)
{
	raw_spin_lock(&rec->lock);
	memset(&rec->c, 0, sizeof(rec->c));
	rec->threads_peak = rec->threads_live;
	raw_spin_unlock(&rec->lock);
}

/* The group leader of the process with @key, if it still runs; under RCU. */
struct task_struct *pinstat_key_task(const struct pinstat_key *key)
{
	struct task_struct *leader;

	leader = pid_task(find_pid_ns(key->tgid, &init_pid_ns), PIDTYPE_TGID);
	if (!leader || leader->start_time != key->start_ns)
		return NULL;
	return leader;
}

/*
 * Pinning is read from the threads rather than tracked: the kernel's masks
 * are the truth, so the counts stay exact through inheritance, cpusets,
 * hotplug and exits, and the hot path pays nothing for them.
 */
static void count_pinned(struct task_struct *leader,
			 struct pinstat_snapshot *snap, unsigned int *per_cpu)
{
	struct task_struct *t;
	unsigned int cpu;

	memset(per_cpu, 0, nr_cpu_ids * sizeof(*per_cpu));
	for_each_thread(leader, t) {
		if ((t->flags & PF_EXITING) || cpumask_weight(&t->cpus_mask) != 1)
			continue;
		cpu = cpumask_first(&t->cpus_mask);
		snap->threads_pinned++;
		if (++per_cpu[cpu] > snap->pinned_cpu_max)
			snap->pinned_cpu_max = per_cpu[cpu];
	}
}

/* What the process's tasks say now: its owner, and how they are pinned. */
static void read_tasks(struct pinstat_snapshot *snap, unsigned int *per_cpu)
{
	struct task_struct *leader;

	snap->threads_pinned = 0;
	snap->pinned_cpu_max = 0;
	if (snap->exited)
		return;
	rcu_read_lock();
	leader = pinstat_key_task(&snap->key);
	if (leader) {
		snap->owner = task_euid(leader);
		/* with one CPU online, a one-CPU mask restricts nothing */
		if (num_online_cpus() > 1)
			count_pinned(leader, snap, per_cpu);
	}
	rcu_read_unlock();
}

/*
 * Copy @rec consistently and derive rates, owner and pinning as of @now.
 * @per_cpu is scratch space for nr_cpu_ids counts.
 */
void record_snapshot(struct pinstat_record *rec, struct pinstat_snapshot *snap,
		     u64 now, unsigned int *per_cpu)
{
	int i;

	raw_spin_lock(&rec->lock);
	snap->key = rec->key;
	snap->exited = rec->exited;
	snap->owner = rec->owner;
	memcpy(snap->comm, rec->comm, sizeof(snap->comm));
	snap->threads_live = rec->threads_live;
	snap->threads_peak = rec->threads_peak;
	snap->first_seen_ns = rec->first_seen_ns;
	snap->last_event_ns = rec->last_event_ns;
	snap->c = rec->c;
	raw_spin_unlock(&rec->lock);

	for (i = 0; i < NR_RATES; i++) {
		snap->rate_short_centi[i] =
			rate_window_centi(&snap->c.rate_short[i], now,
					  RATE_SHIFT_SHORT);
		snap->rate_long_centi[i] =
			rate_window_centi(&snap->c.rate_long[i], now,
					  RATE_SHIFT_LONG);
	}
	read_tasks(snap, per_cpu);
}
