// SPDX-License-Identifier: GPL-2.0
/*
 * Events are the table's only source while counting runs. Before it runs
 * (at load) and after a pause (re-enabled), the table is made to agree
 * with the tasks: every user process with more than one thread gets a
 * record, and each record takes the kernel's live count, read under the
 * record's lock as events read it. The audit retires, every 10 s, records
 * whose process has ended unseen (counting was off, or a probe missed the
 * last exit), so that none stays "live" for ever.
 *
 * The walk goes process by process in PID order, one RCU section each,
 * and may sleep between them: a host with many processes sees no latency
 * spike, and records are allocated with GFP_KERNEL, so a seed never fails
 * for want of atomic memory.
 */
#include <linux/idr.h>
#include <linux/ktime.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/task.h>
#include <linux/workqueue.h>
#include "linger.h"
#include "stats.h"
#include "sync.h"
#include "table.h"

#define AUDIT_PERIOD (10 * HZ)

/*
 * The user process with the lowest TGID >= *@tgid, referenced; moves on.
 * The walk is find_ge_pid()'s, which 5.10 does not export.
 */
static struct task_struct *next_process(pid_t *tgid)
{
	struct task_struct *task = NULL;
	struct pid *pid;
	int nr = *tgid;

	rcu_read_lock();
	while (!task && (pid = idr_get_next(&init_pid_ns.idr, &nr))) {
		*tgid = ++nr;
		task = pid_task(pid, PIDTYPE_TGID);
		if (task && pinstat_user_task(task) &&
		    pinstat_live_threads(task) > 0)
			get_task_struct(task);
		else
			task = NULL;
	}
	rcu_read_unlock();
	return task;
}

/* Bring @task's process into the table, or its record up to date. */
static void sync_process(struct task_struct *task, u64 now)
{
	struct pinstat_record *rec;
	bool add;

	rcu_read_lock();
	rec = pinstat_table_find(pinstat_task_key(task));
	if (rec)
		pinstat_record_sync(rec, task);
	add = !rec && pinstat_live_threads(task) > 1;
	rcu_read_unlock();
	if (add && !pinstat_table_add(task, now))
		pinstat_stats_inc(PINSTAT_STAT_DROPPED);
}

/* Retire a record whose process has ended unseen. */
static void audit_one(struct pinstat_record *rec, void *unused)
{
	struct task_struct *leader;
	u64 now;

	if (READ_ONCE(rec->exited))
		return;
	leader = pinstat_key_task(&rec->key);
	if (leader && pinstat_live_threads(leader) > 0)
		return;
	now = ktime_get_ns();
	if (pinstat_record_mark_exited(rec, now))
		pinstat_linger_retire(rec, now);
}

/* Process context: at load, and when counting resumes. */
void pinstat_sync(void)
{
	u64 now = ktime_get_ns();
	struct task_struct *task;
	pid_t tgid = 1;

	while ((task = next_process(&tgid))) {
		sync_process(task, now);
		put_task_struct(task);
		cond_resched();
	}
	pinstat_table_for_each(audit_one, NULL);
}

static void audit(struct work_struct *work);
static DECLARE_DELAYED_WORK(audit_work, audit);

static void audit(struct work_struct *work)
{
	pinstat_table_for_each(audit_one, NULL);
	queue_delayed_work(system_unbound_wq, &audit_work, AUDIT_PERIOD);
}

void pinstat_audit_start(void)
{
	queue_delayed_work(system_unbound_wq, &audit_work, AUDIT_PERIOD);
}

void pinstat_audit_stop(void)
{
	cancel_delayed_work_sync(&audit_work);
}
