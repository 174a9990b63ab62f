// SPDX-License-Identifier: GPL-2.0
/*
 * Event accounting: find (or add) the record of the task's process, apply
 * the event to it, and count it globally. An event that can have no record
 * because the table is full is counted as dropped, never lost silently.
 */
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include "compat.h"
#include "events.h"
#include "stats.h"
#include "table.h"

/* @task is new and not yet running: the kernel already counts it live. */
void pinstat_task_created(struct task_struct *task)
{
	u64 now = ktime_get_ns();
	struct pinstat_record *rec;

	rcu_read_lock();
	rec = table_get(task, -1, now);
	if (rec) {
		record_thread_created(rec, !thread_group_leader(task), now);
		stats_inc(STAT_CREATED);
	} else {
		stats_inc(STAT_DROPPED);
	}
	rcu_read_unlock();
}

/* @task is current, at the start of do_exit(). */
void pinstat_task_exiting(struct task_struct *task)
{
	bool teardown = pinstat_group_exiting(task->signal);
	u64 now = ktime_get_ns();
	struct pinstat_record *rec;

	rcu_read_lock();
	rec = table_get(task, 0, now);
	if (rec) {
		if (record_thread_exited(rec, now - task->start_time, teardown,
					 now))
			table_retire(rec, now);
		stats_inc(STAT_EXITED);
	} else {
		stats_inc(STAT_DROPPED);
	}
	rcu_read_unlock();
}

/* @task is current and has just taken its new name. */
void pinstat_task_exec(struct task_struct *task)
{
	u64 now = ktime_get_ns();
	struct pinstat_record *rec;

	rcu_read_lock();
	rec = table_get(task, 0, now);
	if (rec) {
		record_exec(rec, task, now);
		stats_inc(STAT_EXEC);
	} else {
		stats_inc(STAT_DROPPED);
	}
	rcu_read_unlock();
}

/*
 * On entry to sched_setaffinity(): the target's process gets its record
 * while its task is at hand; the request counts once it has succeeded.
 */
struct pinstat_key pinstat_affinity_target(struct task_struct *task)
{
	rcu_read_lock();
	table_get(task, 0, ktime_get_ns());
	rcu_read_unlock();
	return pinstat_task_key(task);
}

void pinstat_affinity_changed(const struct pinstat_key *key)
{
	struct pinstat_record *rec;

	rcu_read_lock();
	rec = table_find(key);
	if (rec) {
		record_affinity_changed(rec, ktime_get_ns());
		stats_inc(STAT_AFFINITY);
	} else {
		stats_inc(STAT_DROPPED);
	}
	rcu_read_unlock();
}
