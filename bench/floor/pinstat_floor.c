// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of make bench: empty handlers on the hooks pinstat uses,
 * registered the same way. What pinstat costs above this is its own work.
 *
 * By default the hooks are pinstat's own: the task_newtask,
 * sched_process_exit and sched_process_exec tracepoints, and a return
 * probe (kretprobe) on sched_setaffinity(), whose entry handler keeps a
 * word as pinstat's does. Parameters change one hook at a time, to price
 * the alternatives:
 *   kprobes=1            creation and exit on kprobes (wake_up_new_task,
 *                        taskstats_exit), as pinstat's hooks=kprobes
 *   affinity=entry       a kprobe at sched_setaffinity()'s entry: cheaper,
 *                        but it cannot know whether a request is granted
 *   affinity=inner       a return probe on __sched_setaffinity(), past the
 *                        kernel's permission checks
 *   affinity=fprobe      an fprobe with an exit handler on
 *                        sched_setaffinity() (kernels with CONFIG_FPROBE,
 *                        6.1 to 6.13: the handlers' prototypes changed in
 *                        6.14)
 */
#include <linux/fprobe.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/version.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

static bool kprobes;
module_param(kprobes, bool, 0444);
MODULE_PARM_DESC(kprobes, "Creation and exit on kprobes, not tracepoints");

static char *affinity = "return";
module_param(affinity, charp, 0444);
MODULE_PARM_DESC(affinity, "return (default), entry, inner or fprobe");

static int empty(struct kprobe *kp, struct pt_regs *regs)
{
	return 0;
}

/* As pinstat's: keep the first argument for the return handler. */
static int keep_argument(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	*(unsigned long *)ri->data = regs_get_kernel_argument(regs, 0);
	return 0;
}

static int empty_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	return 0;
}

static struct kprobe created_kp = {
	.symbol_name = "wake_up_new_task",
	.pre_handler = empty,
};

static struct kprobe exited_kp = {
	.symbol_name = "taskstats_exit",
	.pre_handler = empty,
};

static struct kprobe affinity_kp = {
	.symbol_name = "sched_setaffinity",
	.pre_handler = empty,
};

static struct kretprobe affinity_rp = {
	.entry_handler = keep_argument,
	.handler = empty_return,
	.data_size = sizeof(unsigned long),
	.maxactive = 64,
};

#if IS_ENABLED(CONFIG_FPROBE) && LINUX_VERSION_CODE < KERNEL_VERSION(6, 14, 0)
#define FLOOR_FPROBE
static int fprobe_keep_argument(struct fprobe *fp, unsigned long ip,
				unsigned long ret_ip, struct pt_regs *regs,
				void *data)
{
	*(unsigned long *)data = regs_get_kernel_argument(regs, 0);
	return 0;
}

static void fprobe_empty_exit(struct fprobe *fp, unsigned long ip,
			      unsigned long ret_ip, struct pt_regs *regs,
			      void *data)
{
}

static struct fprobe affinity_fp = {
	.entry_handler = fprobe_keep_argument,
	.exit_handler = fprobe_empty_exit,
	.entry_data_size = sizeof(unsigned long),
	.nr_maxactive = 64,
};
#endif

/* 6.1's prototypes: an empty probe ignores what later kernels add */
static void empty_newtask(void *data, struct task_struct *task,
			  unsigned long clone_flags)
{
}

static void empty_exit(void *data, struct task_struct *task)
{
}

static void empty_exec(void *data, struct task_struct *task, pid_t old_pid,
		       void *bprm)
{
}

struct floor_tracepoint {
	const char *name;
	void *probe;
	struct tracepoint *tp;
};

static struct floor_tracepoint tps[] = {
	{ "task_newtask", empty_newtask },
	{ "sched_process_exit", empty_exit },
	{ "sched_process_exec", empty_exec },
};

/* creation and exit, or exec alone with kprobes=1 */
static unsigned int first_tp, nr_tps = ARRAY_SIZE(tps);

static void find_tracepoint(struct tracepoint *tp, void *unused)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tps); i++)
		if (!strcmp(tp->name, tps[i].name))
			tps[i].tp = tp;
}

static void tracepoints_unregister(unsigned int upto)
{
	while (upto-- > first_tp)
		tracepoint_probe_unregister(tps[upto].tp, tps[upto].probe, NULL);
	tracepoint_synchronize_unregister();
}

static int tracepoints_register(void)
{
	unsigned int i;
	int err;

	for_each_kernel_tracepoint(find_tracepoint, NULL);
	for (i = first_tp; i < nr_tps; i++) {
		err = tps[i].tp ? tracepoint_probe_register(tps[i].tp,
							    tps[i].probe, NULL) :
				  -ENOENT;
		if (err) {
			tracepoints_unregister(i);
			return err;
		}
	}
	return 0;
}

static int affinity_register(void)
{
	if (!strcmp(affinity, "entry"))
		return register_kprobe(&affinity_kp);
#ifdef FLOOR_FPROBE
	if (!strcmp(affinity, "fprobe"))
		return register_fprobe(&affinity_fp, "sched_setaffinity", NULL);
#endif
	if (!strcmp(affinity, "inner"))
		affinity_rp.kp.symbol_name = "__sched_setaffinity";
	else if (!strcmp(affinity, "return"))
		affinity_rp.kp.symbol_name = "sched_setaffinity";
	else
		return -EINVAL;
	return register_kretprobe(&affinity_rp);
}

static void affinity_unregister(void)
{
	if (!strcmp(affinity, "entry"))
		unregister_kprobe(&affinity_kp);
#ifdef FLOOR_FPROBE
	else if (!strcmp(affinity, "fprobe"))
		unregister_fprobe(&affinity_fp);
#endif
	else
		unregister_kretprobe(&affinity_rp);
}

static int __init floor_init(void)
{
	struct kprobe *kps[] = { &created_kp, &exited_kp };
	int err;

	if (kprobes)
		first_tp = 2; /* exec's tracepoint only */
	err = tracepoints_register();
	if (err)
		return err;
	err = kprobes ? register_kprobes(kps, ARRAY_SIZE(kps)) : 0;
	if (err)
		goto tracepoints;
	err = affinity_register();
	if (err)
		goto kprobes;
	return 0;

kprobes:
	if (kprobes)
		unregister_kprobes(kps, ARRAY_SIZE(kps));
tracepoints:
	tracepoints_unregister(nr_tps);
	return err;
}

static void __exit floor_exit(void)
{
	struct kprobe *kps[] = { &created_kp, &exited_kp };

	affinity_unregister();
	if (kprobes)
		unregister_kprobes(kps, ARRAY_SIZE(kps));
	tracepoints_unregister(nr_tps);
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Empty hooks on pinstat's events: the cost floor for make bench");
