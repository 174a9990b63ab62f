/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What pinstat reads from a task: which process it belongs to, and the
 * few facts the accounting needs. Cheap enough for any probe handler.
 */
#ifndef _PINSTAT_TASK_H
#define _PINSTAT_TASK_H

#include <linux/cgroup.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/signal.h>
#include "compat.h"

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

/* The group leader of the process with @key, if it still runs; under RCU. */
static inline struct task_struct *
pinstat_key_task(const struct pinstat_key *key)
{
	struct task_struct *leader;

	leader = pid_task(find_pid_ns(key->tgid, &init_pid_ns), PIDTYPE_TGID);
	if (!leader || leader->start_time != key->start_ns)
		return NULL;
	return leader;
}

/* Kernel threads have no process of their own to count. */
static inline bool pinstat_user_task(const struct task_struct *task)
{
	return !(task->flags & PF_KTHREAD);
}

/*
 * The kernel's own count of the process's live threads: raised before a
 * new thread is announced (task_newtask, wake_up_new_task), lowered before
 * an exit is (sched_process_exit, taskstats_exit). Read under the record's
 * lock, it makes the record's count the kernel's as of its latest event.
 */
static inline int pinstat_live_threads(const struct task_struct *task)
{
	return atomic_read(&task->signal->live);
}

/*
 * Does the process run Go? The Go runtime installs its one signal handler,
 * with SA_ONSTACK and SA_SIGINFO, for every signal it handles before it
 * starts a second thread, SIGURG among them (it preempts goroutines with
 * it, since Go 1.14); other programs rarely handle SIGURG at all. Exec
 * resets the handlers. SA_RESTORER is not asked for: Go sets it on x86
 * only. The caller is an RCU reader.
 */
static inline bool pinstat_go_runtime(struct task_struct *task)
{
	const unsigned long flags = SA_ONSTACK | SA_SIGINFO;
	struct sighand_struct *sighand = rcu_dereference(task->sighand);
	const struct sigaction *sa;
	bool go;

	if (!sighand)
		return false; /* released: the task is being reaped */
	sa = &sighand->action[SIGURG - 1].sa;
	go = (READ_ONCE(sa->sa_flags) & flags) == flags &&
	     READ_ONCE(sa->sa_handler) != SIG_DFL &&
	     READ_ONCE(sa->sa_handler) != SIG_IGN;
	/* freed and reused meanwhile (SLAB_TYPESAFE_BY_RCU): not known */
	return go && rcu_dereference(task->sighand) == sighand;
}

/*
 * The cgroup v2 id of @task's cgroup: its directory's inode number. 1, the
 * root's, for every task where no v2 hierarchy is in use (v1 only). The
 * caller is an RCU reader.
 */
static inline u64 pinstat_task_cgroup(struct task_struct *task)
{
#ifdef CONFIG_CGROUPS
	return cgroup_id(task_dfl_cgroup(task));
#else
	return 1;
#endif
}

#endif /* _PINSTAT_TASK_H */
