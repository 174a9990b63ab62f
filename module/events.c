// SPDX-License-Identifier: GPL-2.0
/*
 * Event accounting: count the event, find (or add) the record of the
 * task's process and apply the event to it. An event that finds no record
 * and cannot add one (the table is full of live processes) is counted as
 * dropped, never lost silently.
 *
 * A process gets its record with its second thread or its first affinity
 * request: until then it has nothing to report (no thread created, none
 * ended on its own, no request), so the birth and end of a single-threaded
 * process, most forks on most machines, cost a lookup and no record.
 */
#include <linux/ktime.h>
#include <linux/sched/signal.h>
#include "alert.h"
#include "compat.h"
#include "events.h"
#include "stats.h"
#include "table.h"

/* Events of this kind in the current ~1 s window: what alerts compare. */
static u32 last_second(struct pinstat_record *rec, enum pinstat_rate rate,
		       u64 now)
{
	return rate_window_current(&rec->c.rate_short[rate],
				   rate_count(&rec->c, rate), now,
				   RATE_SHIFT_SHORT);
}

/*
 * @task is new and not yet running: the kernel already counts it live.
 * Its start time, read moments ago on the same clock, is the event's time:
 * no second clock read on the hot path.
 */
void pinstat_task_created(struct task_struct *task)
{
	u64 now = task->start_time;
	struct pinstat_record *rec;

	stats_inc(STAT_CREATED);
	if (thread_group_leader(task))
		return; /* a new process: nothing to count yet */
	rcu_read_lock();
	rec = table_get(task, -1, now);
	if (rec) {
		record_thread_created(rec, !pinstat_kernel_worker(task), now);
		alert_check(rec, ALERT_THREADS, READ_ONCE(rec->threads_live));
	} else {
		stats_inc(STAT_DROPPED);
	}
	rcu_read_unlock();
}

/*
 * @task is current, in do_exit(); @still_live: the kernel still counts it
 * among its process's live threads (at the start of do_exit(), not at the
 * sched_process_exit tracepoint).
 */
void pinstat_task_exiting(struct task_struct *task, bool still_live)
{
	bool solo_candidate = !pinstat_group_exiting(task->signal) &&
			      !pinstat_kernel_worker(task);
	struct pinstat_record *rec;
	u64 now;

	stats_inc(STAT_EXITED);
	rcu_read_lock();
	rec = table_find(pinstat_task_key(task));
	/*
	 * The leader ending as the last thread of a process without a record:
	 * a process of one thread, nothing to count. Any other thread ending
	 * means the process had two: it gets its record now if it can, and
	 * the event is dropped if not.
	 */
	if (!rec && thread_group_leader(task) &&
	    atomic_read(&task->signal->live) - (still_live ? 1 : 0) <= 0)
		goto out;
	now = ktime_get_ns();
	if (!rec)
		rec = table_get(task, still_live ? 0 : 1, now);
	if (!rec) {
		stats_inc(STAT_DROPPED);
	} else {
		if (record_thread_exited(rec, now - task->start_time,
					 solo_candidate, now))
			table_retire(rec, now);
		alert_check(rec, ALERT_SOLO_EXITS,
			    last_second(rec, RATE_SOLO_EXITS, now));
	}
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

	stats_inc(STAT_EXEC);
	rcu_read_lock();
	rec = table_find(pinstat_task_key(task));
	if (rec)
		record_exec(rec, task, ktime_get_ns());
	rcu_read_unlock();
}

/*
 * A request to change the affinity of @task, a thread of the process; the
 * caller is an RCU reader (rcu_read_lock() or preemption off). A zombie's
 * process gets no record: nothing would ever retire it.
 */
void pinstat_affinity_requested(struct task_struct *task)
{
	struct pinstat_record *rec;

	stats_inc(STAT_AFFINITY);
	rec = table_find(pinstat_task_key(task));
	if (!rec && atomic_read(&task->signal->live))
		rec = table_get(task, 0, ktime_get_ns());
	if (rec)
		alert_check(rec, ALERT_AFFINITY,
			    record_affinity_requested(rec, ktime_get_ns()));
	else
		stats_inc(STAT_DROPPED);
}
