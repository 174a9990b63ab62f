/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few places where kernels differ for pinstat. Differences are probed
 * from the headers being built against (see Kbuild), not guessed from
 * version numbers, so that distribution backports are handled too.
 * PREEMPT_RT kernels, where probe handlers may not allocate, are left out
 * by dkms.conf's BUILD_EXCLUSIVE_CONFIG and refused here.
 */
#ifndef _PINSTAT_COMPAT_H
#define _PINSTAT_COMPAT_H

#include <linux/sched/signal.h>

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
 * Since 6.0 it also holds for the last thread's own exit
 * (synchronize_group_exit()); before, only the live count tells that one.
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

/*
 * sched_process_exit has said whether the thread group died with this
 * thread since 6.16; before, the handler reads the kernel's live count.
 */
#ifdef PINSTAT_HAVE_EXIT_TP_GROUP_DEAD
#define PINSTAT_EXIT_TP_PROTO	   struct task_struct *task, bool group_dead
#define PINSTAT_EXIT_TP_GROUP_DEAD group_dead
#else
#define PINSTAT_EXIT_TP_PROTO	   struct task_struct *task
#define PINSTAT_EXIT_TP_GROUP_DEAD -1
#endif

/* task_newtask's clone flags became a u64 in 6.18. */
#ifdef PINSTAT_HAVE_NEWTASK_U64_FLAGS
#define PINSTAT_NEWTASK_TP_PROTO struct task_struct *task, u64 clone_flags
#else
#define PINSTAT_NEWTASK_TP_PROTO \
	struct task_struct *task, unsigned long clone_flags
#endif

#endif /* _PINSTAT_COMPAT_H */
