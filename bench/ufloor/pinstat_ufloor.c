// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of make bench-locks: empty uprobes, registered the way
 * pinstat's lock tracing registers its own: on a process's executable, at
 * file offsets (LockOSThread's, then the places UnlockOSThread's code
 * starts), with a filter that arms them in that process only. What a
 * traced call costs above this is pinstat's own work.
 *
 *   insmod pinstat_ufloor.ko pid=PID offsets=LOCK,UNLOCK,...
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

#define MAX_PROBES 65
static ulong offsets[MAX_PROBES];
static int nr_offsets;
module_param_array(offsets, ulong, &nr_offsets, 0444);
MODULE_PARM_DESC(offsets, "Where in its executable");

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

static struct uprobe_consumer consumers[MAX_PROBES];

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

static void unregister_first(int n)
{
	while (n--)
		uprobe_unregister(inode, offsets[n], &consumers[n]);
}

static int __init ufloor_init(void)
{
	int err = find_process(), i;

	if (err)
		return err;
	for (i = 0; i < nr_offsets; i++) {
		consumers[i].handler = empty;
		consumers[i].filter = only_probed;
		err = uprobe_register(inode, offsets[i], &consumers[i]);
		if (err)
			break;
	}
	if (err) {
		unregister_first(i);
		iput(inode);
		mmdrop(probed_mm);
	}
	return err;
}

static void __exit ufloor_exit(void)
{
	unregister_first(nr_offsets);
	iput(inode);
	mmdrop(probed_mm);
}

module_init(ufloor_init);
module_exit(ufloor_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Empty uprobes in one process: the cost floor for make bench-locks");
