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
#include <linux/slab.h>
#include <linux/string.h>
#include "record.h"
#include "tunables.h"

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

/*
 * Before the counter of @rate counts an event at @now. A long window can
 * only end where a short one does: most events stop at the first compare.
 */
static void rate_roll(struct pinstat_counters *c, enum pinstat_rate rate,
		      u64 now)
{
	u64 count = pinstat_rate_count(c, rate);

	if (pinstat_rate_roll(&c->rate_short[rate], count, now,
			      PINSTAT_RATE_SHIFT_SHORT))
		pinstat_rate_roll(&c->rate_long[rate], count, now,
				  PINSTAT_RATE_SHIFT_LONG);
}

/* Events of @rate in the current ~1 s window: what alerts compare. */
static u32 last_second(const struct pinstat_counters *c, enum pinstat_rate rate,
		       u64 now)
{
	return pinstat_rate_current(&c->rate_short[rate],
				    pinstat_rate_count(c, rate), now,
				    PINSTAT_RATE_SHIFT_SHORT);
}

/* The caller is an RCU reader; @task is any thread of the process. */
void pinstat_record_init(struct pinstat_record *rec, struct task_struct *task,
			 u64 now)
{
	struct task_struct *leader = task->group_leader;

	raw_spin_lock_init(&rec->lock);
	INIT_LIST_HEAD(&rec->exit_node);
	rec->key = pinstat_task_key(task);
	/* a containerised process is known inside by another PID */
	rec->nspid = task_tgid_nr_ns(leader, task_active_pid_ns(leader));
	strscpy_pad(rec->comm, leader->comm, sizeof(rec->comm));
	rec->cgroup = pinstat_task_cgroup(task);
	rec->go = pinstat_go_runtime(task);
	rec->threads_live = pinstat_live_threads(task);
	rec->threads_peak = rec->threads_live;
	rec->first_seen_ns = now;
	rec->last_event_ns = now;
}

/* Under the record's lock: the kernel's live count, and a new high. */
static void take_live_count(struct pinstat_record *rec,
			    struct task_struct *task, u64 now)
{
	int scale;

	rec->threads_live = pinstat_live_threads(task);
	if (rec->threads_live <= rec->threads_peak)
		return;
	rec->threads_peak = rec->threads_live;
	for (scale = 0; scale < PINSTAT_NR_GROWTH; scale++)
		pinstat_growth_mark(&rec->c.growth[scale], scale, now,
				    rec->first_seen_ns);
}

/*
 * @task, a new thread of the process, is live. The kernel's own workers
 * (io_uring, vhost) count as live but not as created. Returns the live
 * threads, for the alert. The caller is an RCU reader.
 */
u32 pinstat_record_thread_created(struct pinstat_record *rec,
				  struct task_struct *task, u64 now)
{
	u32 live;

	raw_spin_lock(&rec->lock);
	take_live_count(rec, task, now);
	if (!pinstat_kernel_worker(task)) {
		rate_roll(&rec->c, PINSTAT_RATE_CREATED, now);
		rec->c.threads_created++;
	}
	if (!rec->go)
		rec->go = pinstat_go_runtime(task);
	rec->last_event_ns = now;
	live = rec->threads_live;
	raw_spin_unlock(&rec->lock);
	return live;
}

/*
 * @task has exited. A solo exit is one the thread made on its own while
 * the rest of the process lives on. Sets @solo_last_second to the solo
 * exits in the current ~1 s window, for the alert. Returns true when this
 * ended the process: the caller then queues the record to linger.
 */
bool pinstat_record_thread_exited(struct pinstat_record *rec,
				  struct task_struct *task,
				  const struct pinstat_exit *exit, u64 now,
				  u32 *solo_last_second)
{
	bool ended;

	raw_spin_lock(&rec->lock);
	rec->threads_live = pinstat_live_threads(task);
	rec->c.threads_exited++;
	if (exit->solo_candidate && !exit->last) {
		rate_roll(&rec->c, PINSTAT_RATE_SOLO_EXITS, now);
		rec->c.solo_exits++;
		rec->c.lifetime_hist[lifetime_bucket(exit->lifetime_ns)]++;
		if (exit->lifetime_ns <
		    (u64)READ_ONCE(pinstat_short_lived_us) * NSEC_PER_USEC)
			rec->c.short_lived++;
	}
	*solo_last_second = last_second(&rec->c, PINSTAT_RATE_SOLO_EXITS, now);
	ended = exit->last && !rec->exited;
	if (ended) {
		WRITE_ONCE(rec->exited, true); /* read locklessly by lookups */
		/* where it ended: it may have moved since it got its record */
		rec->cgroup = pinstat_task_cgroup(task);
	}
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
	return ended;
}

/* Returns the changes in the current ~1 s window, for the alert. */
u32 pinstat_record_affinity_changed(struct pinstat_record *rec, u64 now)
{
	u32 changes;

	raw_spin_lock(&rec->lock);
	rate_roll(&rec->c, PINSTAT_RATE_AFFINITY, now);
	rec->c.affinity_changes++;
	changes = last_second(&rec->c, PINSTAT_RATE_AFFINITY, now);
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
	return changes;
}

/*
 * After exec the process has a new name, and a new program whose runtime
 * is known again once it starts a thread (exec resets signal handlers).
 */
void pinstat_record_exec(struct pinstat_record *rec, struct task_struct *task,
			 u64 now)
{
	raw_spin_lock(&rec->lock);
	strscpy_pad(rec->comm, task->comm, sizeof(rec->comm));
	rec->go = false;
	rec->last_event_ns = now;
	raw_spin_unlock(&rec->lock);
}

/*
 * Take the kernel's count again, after events were not being counted. The
 * count is read under the lock, like every event reads it: no event can
 * fall between the read and the write. The caller is an RCU reader.
 */
void pinstat_record_sync(struct pinstat_record *rec, struct task_struct *task)
{
	raw_spin_lock(&rec->lock);
	if (!rec->exited) {
		take_live_count(rec, task, ktime_get_ns());
		if (!rec->go)
			rec->go = pinstat_go_runtime(task);
	}
	raw_spin_unlock(&rec->lock);
}

/*
 * The process ended while events were not being counted. Returns true if
 * this call made the record exited, like pinstat_record_thread_exited().
 */
bool pinstat_record_mark_exited(struct pinstat_record *rec, u64 now)
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
void pinstat_record_reset(struct pinstat_record *rec)
{
	raw_spin_lock(&rec->lock);
	memset(&rec->c, 0, sizeof(rec->c));
	rec->threads_peak = rec->threads_live;
	raw_spin_unlock(&rec->lock);
	WRITE_ONCE(rec->alerts, 0);
}

struct pinstat_scratch *pinstat_scratch_alloc(void)
{
	struct pinstat_scratch *scratch;
	size_t size = struct_size(scratch, per_cpu, nr_cpu_ids);

	scratch = kzalloc(size, GFP_KERNEL);
	if (scratch && !zalloc_cpumask_var(&scratch->cpus, GFP_KERNEL)) {
		kfree(scratch);
		scratch = NULL;
	}
	return scratch;
}

void pinstat_scratch_free(struct pinstat_scratch *scratch)
{
	if (scratch)
		free_cpumask_var(scratch->cpus);
	kfree(scratch);
}

/*
 * Pinning and the CPUs allowed are read from the threads rather than
 * tracked: the kernel's masks are the truth, so the counts stay exact
 * through inheritance, cpusets, hotplug and exits, and the hot path pays
 * nothing for them. A mask may name CPUs that are not online: those are
 * not CPUs the process may use.
 */
static void read_masks(struct task_struct *leader,
		       struct pinstat_snapshot *snap,
		       struct pinstat_scratch *scratch)
{
	/* with one CPU online, a one-CPU mask restricts nothing */
	bool pinning = num_online_cpus() > 1;
	struct task_struct *t;
	unsigned int cpu;

	cpumask_clear(scratch->cpus);
	memset(scratch->per_cpu, 0, nr_cpu_ids * sizeof(*scratch->per_cpu));
	for_each_thread(leader, t) {
		if (t->flags & PF_EXITING)
			continue;
		cpumask_or(scratch->cpus, scratch->cpus, &t->cpus_mask);
		if (!pinning || cpumask_weight(&t->cpus_mask) != 1)
			continue;
		cpu = cpumask_first(&t->cpus_mask);
		snap->threads_pinned++;
		if (++scratch->per_cpu[cpu] > snap->pinned_cpu_max)
			snap->pinned_cpu_max = scratch->per_cpu[cpu];
	}
	cpumask_and(scratch->cpus, scratch->cpus, cpu_online_mask);
	snap->cpus_allowed = cpumask_weight(scratch->cpus);
}

/*
 * The cgroup of the process's first live thread: not the leader's, which
 * may have ended before the process moved, and stayed where it was.
 */
static void read_cgroup(struct task_struct *leader,
			struct pinstat_snapshot *snap)
{
	struct task_struct *t;

	for_each_thread(leader, t) {
		if (!(t->flags & PF_EXITING)) {
			snap->cgroup = pinstat_task_cgroup(t);
			return;
		}
	}
}

/*
 * What the live threads say now: how they are pinned, where they may run,
 * which cgroup the process is in.
 */
static void read_live(struct pinstat_snapshot *snap,
		      struct pinstat_scratch *scratch)
{
	struct task_struct *leader;

	snap->threads_pinned = 0;
	snap->pinned_cpu_max = 0;
	snap->cpus_allowed = 0;
	if (snap->exited)
		return;
	rcu_read_lock();
	leader = pinstat_key_task(&snap->key);
	if (leader) {
		read_masks(leader, snap, scratch);
		read_cgroup(leader, snap);
	}
	rcu_read_unlock();
}

/*
 * Copy @rec consistently and derive rates, growth, pinning and cgroup as
 * of now, or for an exited process as of its exit: what its last minute
 * was.
 */
void pinstat_record_snapshot(struct pinstat_record *rec,
			     struct pinstat_snapshot *snap,
			     struct pinstat_scratch *scratch)
{
	u64 now;
	int i;

	raw_spin_lock(&rec->lock);
	snap->key = rec->key;
	snap->nspid = rec->nspid;
	snap->exited = rec->exited;
	snap->go = rec->go;
	memcpy(snap->comm, rec->comm, sizeof(snap->comm));
	snap->cgroup = rec->cgroup;
	snap->threads_live = rec->threads_live;
	snap->threads_peak = rec->threads_peak;
	snap->first_seen_ns = rec->first_seen_ns;
	snap->last_event_ns = rec->last_event_ns;
	snap->c = rec->c;
	raw_spin_unlock(&rec->lock);

	/* after the copy: no event in it can be later than now */
	now = snap->exited ? snap->last_event_ns : ktime_get_ns();
	for (i = 0; i < PINSTAT_NR_GROWTH; i++)
		snap->growth_steps[i] =
			pinstat_growth_steps(&snap->c.growth[i], i, now);
	for (i = 0; i < PINSTAT_NR_RATES; i++) {
		u64 count = pinstat_rate_count(&snap->c, i);

		snap->rate_short_centi[i] =
			pinstat_rate_centi(&snap->c.rate_short[i], count, now,
					   PINSTAT_RATE_SHIFT_SHORT);
		snap->rate_long_centi[i] =
			pinstat_rate_centi(&snap->c.rate_long[i], count, now,
					   PINSTAT_RATE_SHIFT_LONG);
	}
	read_live(snap, scratch);
}
