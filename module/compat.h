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
#include <linux/uaccess.h>
#include <linux/uprobes.h>

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

/*
 * The uprobe API. 6.12 made registration return a handle and split
 * unregistering into a part per probe and a wait for running handlers;
 * the filter lost its reason argument then too. Later kernels pass the
 * handlers a data word too (for session probes).
 */
#ifdef PINSTAT_HAVE_UPROBE_HANDLER_DATA
#define PINSTAT_UPROBE_HANDLER_PROTO \
	struct uprobe_consumer *uc, struct pt_regs *regs, __u64 *data
#else
#define PINSTAT_UPROBE_HANDLER_PROTO \
	struct uprobe_consumer *uc, struct pt_regs *regs
#endif

#ifdef PINSTAT_HAVE_UPROBE_FILTER_CTX
#define PINSTAT_UPROBE_FILTER_PROTO                             \
	struct uprobe_consumer *uc, enum uprobe_filter_ctx ctx, \
		struct mm_struct *mm
#else
#define PINSTAT_UPROBE_FILTER_PROTO \
	struct uprobe_consumer *uc, struct mm_struct *mm
#endif

/* Where a uprobe is: an offset in a file, and the kernel's handle. */
struct pinstat_uprobe {
	struct inode *inode;
	loff_t offset;
	struct uprobe *uprobe; /* 6.12 on */
};

static inline int pinstat_uprobe_register(struct pinstat_uprobe *up,
					  struct uprobe_consumer *uc)
{
#ifdef PINSTAT_HAVE_UPROBE_HANDLE
	up->uprobe = uprobe_register(up->inode, up->offset, 0, uc);
	return PTR_ERR_OR_ZERO(up->uprobe);
#else
	return uprobe_register(up->inode, up->offset, uc);
#endif
}

/* Once this returns, no handler of @uc runs. */
static inline void pinstat_uprobe_unregister(struct pinstat_uprobe *up,
					     struct uprobe_consumer *uc)
{
#ifdef PINSTAT_HAVE_UPROBE_HANDLE
	uprobe_unregister_nosync(up->uprobe, uc);
	uprobe_unregister_sync();
#else
	uprobe_unregister(up->inode, up->offset, uc);
#endif
}

/*
 * At the entry of a function a user thread has just called: where the
 * call returns to, the instruction after it. The call pushed it on x86-64
 * and left it in the link register on arm64. 0 if it cannot be read
 * without faulting (a probe handler may not sleep).
 */
static inline unsigned long pinstat_user_return_address(struct pt_regs *regs)
{
#if defined(CONFIG_X86_64)
	unsigned long ret;

	if (copy_from_user_nofault(&ret,
				   (const void __user *)user_stack_pointer(regs),
				   sizeof(ret)))
		return 0;
	return ret;
#elif defined(CONFIG_ARM64)
	return regs->regs[30];
#else
	return 0;
#endif
}

#endif /* _PINSTAT_COMPAT_H */
