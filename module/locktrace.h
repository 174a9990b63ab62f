/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lock tracing: for the Go processes root asks for, a uprobe on the
 * runtime's LockOSThread counts each call by its call site, remembers the
 * site of each thread's last call, and blames that site when the thread
 * ends on its own. In a Go process a thread ends on its own only when a
 * goroutine ends while locked to it, and the runtime cannot unlock without
 * a lock first: the last lock of such a thread is the culprit's. Where
 * UnlockOSThread's code is probed too, each thread's locks are counted as
 * the runtime counts them: which threads hold a lock now is known.
 *
 * A process that does not run Go may be traced for where it creates its
 * threads instead: a uprobe on its pthread_create() counts each call by
 * the caller's stack.
 */
#ifndef _PINSTAT_LOCKTRACE_H
#define _PINSTAT_LOCKTRACE_H

#include <linux/jump_label.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/types.h>

/* Processes traced at once, ended ones included until their slot is needed. */
#define PINSTAT_TRACE_MAX 8

/* UnlockOSThread's places probed per trace, at most: its entry, inlined copies. */
#define PINSTAT_TRACE_UNLOCKS 64

/*
 * Trace process @pid (in the caller's PID namespace) with uprobes at
 * @offsets of its executable: LockOSThread's entry, then up to
 * PINSTAT_TRACE_UNLOCKS places where UnlockOSThread's code starts.
 */
int pinstat_locktrace_start(pid_t pid, const u64 *offsets, unsigned int n);

/*
 * Trace where process @pid creates its threads: a uprobe at @addr of its
 * address space, where pthread_create() starts (in a mapped file).
 */
int pinstat_locktrace_start_creates(pid_t pid, unsigned long addr);
int pinstat_locktrace_stop(pid_t pid);
void pinstat_locktrace_exit(void);

void pinstat_locktrace_show_traced(struct seq_file *m);
void pinstat_locktrace_show_sites(struct seq_file *m);
void pinstat_locktrace_show_affinity(struct seq_file *m);
void pinstat_locktrace_show_creators(struct seq_file *m);

/* On while any process is traced: the hooks below cost nothing otherwise. */
DECLARE_STATIC_KEY_FALSE(pinstat_locktrace_on);

void pinstat_locktrace_thread_exited(struct task_struct *task, bool solo,
				     bool last);
void pinstat_locktrace_exec_seen(struct task_struct *task);
void pinstat_locktrace_affinity_seen(void);

/* @task, current, has ended: on its own (@solo), or the process with it. */
static inline void pinstat_locktrace_exited(struct task_struct *task, bool solo,
					    bool last)
{
	if (static_branch_unlikely(&pinstat_locktrace_on))
		pinstat_locktrace_thread_exited(task, solo, last);
}

/* @task, current, has replaced its program: the probe is not in it. */
static inline void pinstat_locktrace_exec(struct task_struct *task)
{
	if (static_branch_unlikely(&pinstat_locktrace_on))
		pinstat_locktrace_exec_seen(task);
}

/*
 * Current, a user task, has had a sched_setaffinity() call granted: in a
 * traced process, where from is counted.
 */
static inline void pinstat_locktrace_affinity(void)
{
	if (static_branch_unlikely(&pinstat_locktrace_on))
		pinstat_locktrace_affinity_seen();
}

#endif /* _PINSTAT_LOCKTRACE_H */
