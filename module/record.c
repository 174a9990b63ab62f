// SPDX-License-Identifier: GPL-2.0
/*
 * Updates to one process record, each under the record's own lock, and the
 * consistent snapshot that readers take of it.
 */
#include <linux/bitops.h>
#include <linux/cpumask.h>
#include <linux/ktime.h>
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
	1000ULL,	10000ULL,	 100000ULL,	   1000000ULL,
	10000000ULL,	100000000ULL,	 1000000000ULL,	   10000000000ULL,
	60000000000ULL, 600000000000ULL, 3600000000000ULL,
};

static unsigned int lifetime_bucket(u64 lifetime_ns)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(pinstat_hist_edges_ns); i++)
		if (lifetime_ns < pinstat_hist_edges_ns[i])
			break;
	return i;
}

/* The growth mask as of window @index: older windows shifted out. */
static u16 growth_as_of(const struct pinstat_counters *c, u32 index)
{
	u32 age = index - c->growth_index;

	return age >= GROWTH_WINDOWS ? 0 : c->growth_mask << age;
}

static void count_new_high(struct pinstat_record *rec, u64 now)
{
	u32 index = now >> GROWTH_SHIFT;

	/* a caller that read the clock before another CPU: same window */
	if ((s32)(index - rec->c.growth_index) < 0)
		index = rec->c.growth_index;
	/*
	 * A process starting its threads is not growing: the window it was
	 * first seen in does not count, so that a start-up burst and a
	 * runtime's rare extra thread later do not add up to a leak.
	 */
	if (index == (u32)(rec->first_seen_ns >> GROWTH_SHIFT))
		return;
	rec->c.growth_mask = growth_as_of(&rec->c, index) | 1;
	rec->c.growth_index = index;
}

/*
 * Before the counter of @rate counts an event at @now. A long window can
 * only end where a short one does: most events stop at the first compare.
 */
static void rate_roll(struct pinstat_counters *c, enum pinstat_rate rate,
		      u64 now)
{
	u64 count = rate_count(c, rate);

	if (rate_window_roll(&c->rate_short[rate], count, now,
			     RATE_SHIFT_SHORT))
		rate_window_roll(&c->rate_long[rate], count, now,
				 RATE_SHIFT_LONG);
}

void record_init(struct pinstat_record *rec, struct task_struct *leader,
		 int threads_live, u64 now)
{
	raw_spin_lock_init(&rec->lock);
	INIT_LIST_HEAD(&rec->exit_node);
	rec->key = pinstat_task_key(leader);
	/* a containerised process is known inside by another PID */
	rec->nspid = task_tgid_nr_ns(leader, task_active_pid_ns(leader));
	strscpy_pad(rec->comm, leader->comm, sizeof(rec->comm));
	rec->threads_live = threads_live;
	rec->threads_peak = threads_live;
	rec->first_seen_ns = now;
	rec->last_event_ns = now;
}

/*
 * A new thread of the process is live; @counted says whether it also counts
 * as created: the kernel's own workers (io_uring, vhost) do not.
 */
void record_thread_created(struct pinstat_record *rec, bool counted, u64 now)
{
	raw_spin_lock(&rec->lock);
	rec->threads_live++;
	if (rec->threads_live > rec->threads_peak) {
		rec->threads_peak = rec->threads_live;
		count_new_high(rec, now);
	}
	if (counted) {
		rate_roll(&rec->c, RATE_CREATED, now);
		rec->c.threads_created++;
	}
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
}

/*
 * Returns true when this was the process's last live thread: the caller
 * then queues the record to linger. A solo exit is one the thread made on
 * its own (@solo_candidate: not torn down with its process, not a kernel
 * worker) while the rest of the process lives on.
 */
bool record_thread_exited(struct pinstat_record *rec, u64 lifetime_ns,
			  bool solo_candidate, u64 now)
{
	bool last;

	raw_spin_lock(&rec->lock);
	/* a seeded count may be one short: see table_get() */
	if (rec->threads_live > 0)
		rec->threads_live--;
	rec->c.threads_exited++;
	if (solo_candidate && rec->threads_live > 0) {
		rate_roll(&rec->c, RATE_SOLO_EXITS, now);
		rec->c.solo_exits++;
		rec->c.lifetime_hist[lifetime_bucket(lifetime_ns)]++;
		if (lifetime_ns <
		    (u64)READ_ONCE(pinstat_short_lived_us) * NSEC_PER_USEC)
			rec->c.short_lived++;
	}
	last = rec->threads_live == 0 && !rec->exited;
	if (last)
		WRITE_ONCE(rec->exited, true); /* read locklessly by lookups */
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
	return last;
}

/* Returns the requests in the current ~1 s window, for the alert. */
u32 record_affinity_requested(struct pinstat_record *rec, u64 now)
{
	u32 last_second;

	raw_spin_lock(&rec->lock);
	rate_roll(&rec->c, RATE_AFFINITY, now);
	rec->c.affinity_changes++;
	last_second = (u32)rec->c.affinity_changes -
		      rec->c.rate_short[RATE_AFFINITY].base;
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
	return last_second;
}

/* After exec the process has a new name. */
void record_exec(struct pinstat_record *rec, struct task_struct *task, u64 now)
{
	raw_spin_lock(&rec->lock);
	strscpy_pad(rec->comm, task->comm, sizeof(rec->comm));
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
}

/* Resynchronise with the kernel's own count, after events were missed. */
void record_set_live(struct pinstat_record *rec, int threads_live)
{
	raw_spin_lock(&rec->lock);
	if (!rec->exited) {
		rec->threads_live = threads_live;
		if (threads_live > rec->threads_peak)
			rec->threads_peak = threads_live;
	}
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
	WRITE_ONCE(rec->exited, true);
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
	return changed;
}

/*
 * Counters restart from zero and alerts are re-armed; the live state stays,
 * and the peak starts again from it.
 */
void record_reset(struct pinstat_record *rec)
{
	raw_spin_lock(&rec->lock);
	memset(&rec->c, 0, sizeof(rec->c));
	rec->threads_peak = rec->threads_live;
	raw_spin_unlock(&rec->lock);
	WRITE_ONCE(rec->alerts, 0);
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
		if ((t->flags & PF_EXITING) ||
		    cpumask_weight(&t->cpus_mask) != 1)
			continue;
		cpu = cpumask_first(&t->cpus_mask);
		snap->threads_pinned++;
		if (++per_cpu[cpu] > snap->pinned_cpu_max)
			snap->pinned_cpu_max = per_cpu[cpu];
	}
}

/* How the process's live threads are pinned now. */
static void read_pinning(struct pinstat_snapshot *snap, unsigned int *per_cpu)
{
	struct task_struct *leader;

	snap->threads_pinned = 0;
	snap->pinned_cpu_max = 0;
	if (snap->exited)
		return;
	rcu_read_lock();
	leader = pinstat_key_task(&snap->key);
	/* with one CPU online, a one-CPU mask restricts nothing */
	if (leader && num_online_cpus() > 1)
		count_pinned(leader, snap, per_cpu);
	rcu_read_unlock();
}

/*
 * Copy @rec consistently and derive rates and pinning as of now.
 * @per_cpu is scratch space for nr_cpu_ids counts.
 */
void record_snapshot(struct pinstat_record *rec, struct pinstat_snapshot *snap,
		     unsigned int *per_cpu)
{
	u64 now;
	int i;

	raw_spin_lock(&rec->lock);
	snap->key = rec->key;
	snap->nspid = rec->nspid;
	snap->exited = rec->exited;
	memcpy(snap->comm, rec->comm, sizeof(snap->comm));
	snap->threads_live = rec->threads_live;
	snap->threads_peak = rec->threads_peak;
	snap->first_seen_ns = rec->first_seen_ns;
	snap->last_event_ns = rec->last_event_ns;
	snap->c = rec->c;
	raw_spin_unlock(&rec->lock);

	/* after the copy: no event in it can be later than now */
	now = ktime_get_ns();
	snap->growth_steps =
		hweight16(growth_as_of(&snap->c, now >> GROWTH_SHIFT));
	for (i = 0; i < NR_RATES; i++) {
		u64 count = rate_count(&snap->c, i);

		snap->rate_short_centi[i] =
			rate_window_centi(&snap->c.rate_short[i], count, now,
					  RATE_SHIFT_SHORT);
		snap->rate_long_centi[i] =
			rate_window_centi(&snap->c.rate_long[i], count, now,
					  RATE_SHIFT_LONG);
	}
	read_pinning(snap, per_cpu);
}
