/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few places where kernels differ for pinstat. Differences are probed
 * from the headers being built against (see Kbuild), not guessed from
 * version numbers, so that distribution backports are handled too.
 */
#ifndef _PINSTAT_COMPAT_H
#define _PINSTAT_COMPAT_H

#include <linux/sched/signal.h>

/*
 * Event handlers allocate records with GFP_NOWAIT from atomic context,
 * which PREEMPT_RT does not allow.
 */
#ifdef CONFIG_PREEMPT_RT
#error "pinstat does not support PREEMPT_RT kernels"
#endif

/*
 * io_uring and vhost workers are threads of a user process that the kernel
 * starts and stops on its own; 6.4 folded them into PF_USER_WORKER.
 */
#ifdef PF_USER_WORKER
#define PINSTAT_WORKER_FLAGS (PF_IO_WORKER | PF_USER_WORKER)
#else
#define PINSTAT_WORKER_FLAGS PF_IO_WORKER
#endif

static inline bool pinstat_kernel_worker(const struct task_struct *task)
{
	return task->flags & PINSTAT_WORKER_FLAGS;
}

/*
 * True when the thread group is being torn down as a whole: exit_group(),
 * a fatal signal, or exec killing the other threads. A thread that exits
 * while this holds did not choose to exit on its own. Since 5.17 exec
 * marks itself in group_exec_task; before, signal_group_exit() said it all.
 */
static inline bool pinstat_group_exiting(const struct signal_struct *sig)
{
#ifdef PINSTAT_HAVE_GROUP_EXEC_TASK
	return (READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT) ||
	       READ_ONCE(sig->group_exec_task);
#else
	return signal_group_exit(sig);
#endif
}

#endif /* _PINSTAT_COMPAT_H */
