// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of make bench-locks: an empty uprobe, registered the way
 * pinstat's lock tracing registers its own: on a process's executable, at
 * a file offset, with a filter that arms it in that process only. What a
 * traced call costs above this is pinstat's own work.
 *
 *   insmod pinstat_ufloor.ko pid=PID offset=OFFSET
 *
 * For the kernel make bench boots (the uprobe API before 6.12).
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/uprobes.h>

static int pid;
module_param(pid, int, 0444);
MODULE_PARM_DESC(pid, "The process to probe");

static ulong offset;
module_param(offset, ulong, 0444);
MODULE_PARM_DESC(offset, "Where in its executable");

static struct mm_struct *probed_mm;
static struct inode *inode;

static int empty(struct uprobe_consumer *uc, struct pt_regs *regs)
{
	return 0;
}

static bool only_probed(struct uprobe_consumer *uc,
			enum uprobe_filter_ctx ctx, struct mm_struct *mm)
{
	return mm == probed_mm;
}

static struct uprobe_consumer consumer = {
	.handler = empty,
	.filter = only_probed,
};

/* The executable's inode, held, and the address space, grabbed. */
static int find_process(void)
{
	struct task_struct *task = get_pid_task(find_vpid(pid), PIDTYPE_PID);
	struct file *exe;

	if (!task)
		return -ESRCH;
	probed_mm = get_task_mm(task);
	put_task_struct(task);
	if (!probed_mm)
		return -ESRCH;
	rcu_read_lock();
	exe = rcu_dereference(probed_mm->exe_file);
	inode = exe ? igrab(file_inode(exe)) : NULL;
	rcu_read_unlock();
	mmgrab(probed_mm);
	mmput(probed_mm);
	if (inode)
		return 0;
	mmdrop(probed_mm);
	return -ENOENT;
}

static int __init ufloor_init(void)
{
	int err = find_process();

	if (err)
		return err;
	err = uprobe_register(inode, offset, &consumer);
	if (err) {
		iput(inode);
		mmdrop(probed_mm);
	}
	return err;
}

static void __exit ufloor_exit(void)
{
	uprobe_unregister(inode, offset, &consumer);
	iput(inode);
	mmdrop(probed_mm);
}

module_init(ufloor_init);
module_exit(ufloor_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("An empty uprobe in one process: the cost floor for make bench-locks");
