// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of make bench: empty handlers on the functions pinstat hooks,
 * registered the same way (ftrace-based where the kernel allows). What
 * pinstat costs above this is pinstat's own work.
 *
 * tp=1: task creation and exit are caught by empty probes on the
 * sched_process_fork and sched_process_exit tracepoints instead of kprobes,
 * to show what a tracepoint backend could save.
 */
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

static bool tp;
module_param(tp, bool, 0444);
MODULE_PARM_DESC(tp, "Catch creation and exit on sched tracepoints, not kprobes");

static int empty(struct kprobe *kp, struct pt_regs *regs)
{
	return 0;
}

enum { KP_CREATED, KP_EXITED, KP_EXEC, KP_AFFINITY, NR_KPS };

static struct kprobe kps[NR_KPS] = {
	[KP_CREATED] = { .symbol_name = "wake_up_new_task", .pre_handler = empty },
	[KP_EXITED] = { .symbol_name = "do_exit", .pre_handler = empty },
	[KP_EXEC] = { .symbol_name = "setup_new_exec", .pre_handler = empty },
	[KP_AFFINITY] = { .symbol_name = "sched_setaffinity", .pre_handler = empty },
};

/* The kprobes in use: all but those tp replaces. */
static struct kprobe *used[NR_KPS];
static unsigned int nr_used;

static void choose_kprobes(void)
{
	unsigned int i;

	for (i = 0; i < NR_KPS; i++) {
		if (tp && (i == KP_CREATED || i == KP_EXITED))
			continue;
		used[nr_used++] = &kps[i];
	}
}

static void empty_fork(void *data, struct task_struct *parent,
		       struct task_struct *child)
{
}

/* 6.1's prototype; later kernels add arguments an empty probe ignores */
static void empty_exit(void *data, struct task_struct *task)
{
}

static struct tracepoint *tp_fork, *tp_exit;

static void find_tracepoint(struct tracepoint *t, void *unused)
{
	if (!strcmp(t->name, "sched_process_fork"))
		tp_fork = t;
	else if (!strcmp(t->name, "sched_process_exit"))
		tp_exit = t;
}

static int tracepoints_register(void)
{
	int err;

	for_each_kernel_tracepoint(find_tracepoint, NULL);
	if (!tp_fork || !tp_exit)
		return -ENOENT;
	err = tracepoint_probe_register(tp_fork, empty_fork, NULL);
	if (err)
		return err;
	err = tracepoint_probe_register(tp_exit, empty_exit, NULL);
	if (err)
		tracepoint_probe_unregister(tp_fork, empty_fork, NULL);
	return err;
}

static void tracepoints_unregister(void)
{
	tracepoint_probe_unregister(tp_exit, empty_exit, NULL);
	tracepoint_probe_unregister(tp_fork, empty_fork, NULL);
	tracepoint_synchronize_unregister();
}

static int __init floor_init(void)
{
	int err;

	choose_kprobes();
	if (tp) {
		err = tracepoints_register();
		if (err)
			return err;
	}
	err = register_kprobes(used, nr_used);
	if (err && tp)
		tracepoints_unregister();
	return err;
}

static void __exit floor_exit(void)
{
	unregister_kprobes(used, nr_used);
	if (tp)
		tracepoints_unregister();
}

module_init(floor_init);
module_exit(floor_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Empty hooks on pinstat's events: the cost floor for make bench");
