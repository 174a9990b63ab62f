// SPDX-License-Identifier: GPL-2.0
/*
 * Event accounting: count the event, find (or add) the record of the
 * task's process and apply the event to it. An event that finds no record
 * and cannot add one (the table is full of live processes) is counted as
 * dropped, never lost silently.
 *
 * A process gets its record with its second thread or its first affinity
 * change: until then it has nothing to report (no thread created, none
 * ended on its own, no change), so the birth and end of a single-threaded
 * process, most forks on most machines, cost a lookup and no record.
 */
#include <linux/ktime.h>
#include "alert.h"
#include "events.h"
#include "linger.h"
#include "locktrace.h"
#include "stats.h"
#include "table.h"

/*
 * @task is new and not yet running: the kernel already counts it live.
 * Its start time, read moments ago on the same clock, is the event's time:
 * no second clock read on the hot path.
 */
void pinstat_task_created(struct task_struct *task)
{
	u64 now = task->start_time;
	struct pinstat_record *rec;
	u32 live;

	pinstat_stats_inc(PINSTAT_STAT_CREATED);
	if (thread_group_leader(task))
		return; /* a new process: nothing to count yet */
	rcu_read_lock();
	rec = pinstat_table_get(task, now);
	if (rec) {
		live = pinstat_record_thread_created(rec, task, now);
		pinstat_alert_check(rec, PINSTAT_ALERT_THREADS, live);
	} else {
		pinstat_stats_inc(PINSTAT_STAT_DROPPED);
	}
	rcu_read_unlock();
}

/*
 * @task is current, in do_exit(), and the kernel no longer counts it
 * among its process's live threads. @group_dead: whether it was the last
 * one, as the kernel said it; -1 when the hook does not say, and then no
 * live thread left means it was.
 */
void pinstat_task_exited(struct task_struct *task, int group_dead)
{
	struct pinstat_exit exit = {
		.solo_candidate = !pinstat_group_exiting(task->signal) &&
				  !pinstat_kernel_worker(task),
		.last = group_dead >= 0 ? group_dead :
					  pinstat_live_threads(task) == 0,
	};
	struct pinstat_record *rec;
	u32 solo_last_second;
	u64 now;

	pinstat_stats_inc(PINSTAT_STAT_EXITED);
	pinstat_locktrace_exited(task, exit.solo_candidate && !exit.last,
				 exit.last);
	rcu_read_lock();
	rec = pinstat_table_find(pinstat_task_key(task));
	/*
	 * The leader ending as the last thread of a process without a record:
	 * a process of one thread, nothing to count. Any other thread ending
	 * means the process had two: it gets its record now if it can, and
	 * the event is dropped if not.
	 */
	if (!rec && thread_group_leader(task) && exit.last)
		goto out;
	now = ktime_get_ns();
	if (!rec)
		rec = pinstat_table_get(task, now);
	if (!rec) {
		pinstat_stats_inc(PINSTAT_STAT_DROPPED);
		goto out;
	}
	exit.lifetime_ns = now - task->start_time;
	if (pinstat_record_thread_exited(rec, task, &exit, now,
					 &solo_last_second))
		pinstat_linger_retire(rec, now);
	pinstat_alert_check(rec, PINSTAT_ALERT_SOLO_EXITS, solo_last_second);
out:
	rcu_read_unlock();
}

/*
 * @task is current and has just taken its new name. A process without a
 * record takes the name when it gets one.
 */
void pinstat_task_exec(struct task_struct *task)
{
	struct pinstat_record *rec;

	pinstat_stats_inc(PINSTAT_STAT_EXEC);
	pinstat_locktrace_exec(task);
	rcu_read_lock();
	rec = pinstat_table_find(pinstat_task_key(task));
	if (rec)
		pinstat_record_exec(rec, task, ktime_get_ns());
	rcu_read_unlock();
}

/*
 * The kernel has granted a change of @task's CPU affinity. A zombie's
 * process gets no record: nothing would ever retire it.
 */
void pinstat_affinity_changed(struct task_struct *task)
{
	u64 now = ktime_get_ns();
	struct pinstat_record *rec;
	u32 changes;

	pinstat_stats_inc(PINSTAT_STAT_AFFINITY);
	/* the kernel's answer reaches pinstat in the caller's own context */
	pinstat_locktrace_affinity();
	rcu_read_lock();
	rec = pinstat_table_find(pinstat_task_key(task));
	if (!rec && pinstat_live_threads(task))
		rec = pinstat_table_get(task, now);
	if (rec) {
		changes = pinstat_record_affinity_changed(rec, now);
		pinstat_alert_check(rec, PINSTAT_ALERT_AFFINITY, changes);
	} else {
		pinstat_stats_inc(PINSTAT_STAT_DROPPED);
	}
	rcu_read_unlock();
}
