/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The uprobe API as each kernel has it, and what a handler reads of the
 * user thread it runs for: where it was called from, and its stack. The
 * kernels' differences are probed from their headers (see Kbuild).
 */
#ifndef _PINSTAT_UPROBE_H
#define _PINSTAT_UPROBE_H

#include <linux/kernel.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>
#include <linux/uprobes.h>

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

/* @uc's handlers are no longer called; some may still run. */
static inline void pinstat_uprobe_unregister_nosync(struct pinstat_uprobe *up,
						    struct uprobe_consumer *uc)
{
#ifdef PINSTAT_HAVE_UPROBE_HANDLE
	uprobe_unregister_nosync(up->uprobe, uc);
#else
	uprobe_unregister(up->inode, up->offset, uc);
#endif
}

/*
 * Once this returns, no handler of a consumer unregistered before runs
 * (kernels before 6.12 wait in each unregistering instead).
 */
static inline void pinstat_uprobe_unregister_sync(void)
{
#ifdef PINSTAT_HAVE_UPROBE_HANDLE
	uprobe_unregister_sync();
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

/* The user frame pointer in @regs: Go and C built with frame pointers keep it. */
static inline unsigned long pinstat_user_frame_pointer(struct pt_regs *regs)
{
#if defined(CONFIG_X86_64)
	return regs->bp;
#elif defined(CONFIG_ARM64)
	return regs->regs[29];
#else
	return 0;
#endif
}

/*
 * After the @n frames in @frames, the return addresses of the frames the
 * frame pointers chain from @fp, up to @max in all; the new count. On
 * x86-64 and arm64 a frame record is the caller's frame pointer, then the
 * return address. Read without faulting; the walk stops at the first
 * frame it cannot read, or one that is not above the last (stacks grow
 * down).
 */
static inline unsigned int pinstat_user_frames(unsigned long *frames,
					       unsigned int n, unsigned int max,
					       unsigned long fp)
{
	unsigned long record[2]; /* the caller's frame pointer, return address */

	while (n < max && fp && IS_ALIGNED(fp, sizeof(long)) &&
	       !copy_from_user_nofault(record, (const void __user *)fp,
				       sizeof(record))) {
		frames[n++] = record[1];
		if (record[0] <= fp)
			break;
		fp = record[0];
	}
	return n;
}

/*
 * Where current's system call was made from: its instruction pointer, then
 * the return addresses of the frames above it, up to @max in all.
 */
static inline unsigned int pinstat_user_stack(unsigned long *frames,
					      unsigned int max)
{
	struct pt_regs *regs = task_pt_regs(current);

	frames[0] = instruction_pointer(regs);
	return pinstat_user_frames(frames, 1, max,
				   pinstat_user_frame_pointer(regs));
}

/*
 * At the entry of a function a user thread has just called: where the
 * call returns to, then the return addresses of the frames above the
 * caller's, up to @max in all (the caller's frame pointer is still in its
 * register: the function has not run). 0 frames if the first cannot be
 * read.
 */
static inline unsigned int pinstat_user_call_stack(struct pt_regs *regs,
						   unsigned long *frames,
						   unsigned int max)
{
	frames[0] = pinstat_user_return_address(regs);
	if (!frames[0])
		return 0;
	return pinstat_user_frames(frames, 1, max,
				   pinstat_user_frame_pointer(regs));
}

#endif /* _PINSTAT_UPROBE_H */
