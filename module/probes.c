// SPDX-License-Identifier: GPL-2.0
/*
 * The hooks: task creation and exit, exec, and granted changes of a
 * thread's CPU affinity. Handlers run in atomic context, pick the task out
 * of the arguments and hand it to events.c.
 *
 * Creation, exit and exec use the kernel's tracepoints (task_newtask,
 * sched_process_exit, sched_process_exec): an empty tracepoint probe costs
 * a tenth of an empty kprobe (make bench). hooks=kprobes puts creation and
 * exit on kprobes instead: wake_up_new_task(), and taskstats_exit() or
 * acct_collect(), which do_exit() calls once the thread no longer counts
 * as live. Affinity has no tracepoint: a return probe on
 * sched_setaffinity() sees the kernel's answer, so that granted changes
 * count and refused ones (a bad mask, no permission, an LSM, a thread that
 * may not be moved) do not, with no judgement of pinstat's own.
 *
 * Handler prototypes are checked at build time, each tracepoint's against
 * its register_trace_*() and each probed function's against its
 * declaration: a kernel that changed one does not build.
 *
 * On x86, a kprobe off an ftrace site takes the int3 path, whose handlers
 * run like NMIs and may neither lock nor allocate. Creation and exit
 * kprobes are refused there. The affinity probe's entry handler only
 * reads under RCU; its accounting runs in the return handler, no NMI.
 */
#include <linux/acct.h>
#include <linux/cpumask.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/taskstats_kern.h>
#include <linux/tracepoint.h>
#include <trace/events/sched.h>
#include <trace/events/task.h>
#include "events.h"
#include "probes.h"
#include "task.h"

enum pinstat_hook_id {
	HOOK_CREATED,
	HOOK_EXITED,
	HOOK_EXEC,
	HOOK_AFFINITY,
	NR_HOOKS
};

enum pinstat_mechanism {
	MECH_TRACEPOINT,
	MECH_KPROBE,
	MECH_KRETPROBE
};

static const char *const mechanism_names[] = {
	[MECH_TRACEPOINT] = "tracepoint",
	[MECH_KPROBE] = "kprobe",
	[MECH_KRETPROBE] = "kretprobe",
};

/* One place a hook can attach to. */
struct pinstat_site {
	enum pinstat_mechanism mechanism;
	const char *name; /* tracepoint or function; NULL ends a list */
	void *tp_handler;
	kprobe_pre_handler_t pre_handler;
	kretprobe_handler_t entry_handler;
	kretprobe_handler_t return_handler;
	size_t data_size;
};

struct pinstat_hook {
	const char *event;
	const struct pinstat_site *sites; /* best first */
	const struct pinstat_site *site;  /* the one registered */
	struct tracepoint *tp;
	bool tp_attached;
	struct kretprobe rp; /* its kp for a plain kprobe */
};

struct pinstat_hook_hits {
	u64 hits[NR_HOOKS];
};

static DEFINE_PER_CPU(struct pinstat_hook_hits, hook_hits);

static char *hooks = "tracepoints";
module_param(hooks, charp, 0444);
MODULE_PARM_DESC(hooks,
		 "Creation and exit on tracepoints (default) or kprobes");

static void count_hit(enum pinstat_hook_id id)
{
	this_cpu_inc(hook_hits.hits[id]);
}

/* task_newtask(task, clone_flags): the end of copy_process() */
static void on_task_newtask(void *data, PINSTAT_NEWTASK_TP_PROTO)
{
	count_hit(HOOK_CREATED);
	if (pinstat_user_task(task))
		pinstat_task_created(task);
}

/* sched_process_exit(task[, group_dead]): in do_exit(), as current */
static void on_sched_process_exit(void *data, PINSTAT_EXIT_TP_PROTO)
{
	count_hit(HOOK_EXITED);
	if (pinstat_user_task(task))
		pinstat_task_exited(task, PINSTAT_EXIT_TP_GROUP_DEAD);
}

/* sched_process_exec(task, old_pid, bprm): task is current, renamed */
static void on_sched_process_exec(void *data, struct task_struct *task,
				  pid_t old_pid, struct linux_binprm *bprm)
{
	count_hit(HOOK_EXEC);
	if (pinstat_user_task(task))
		pinstat_task_exec(task);
}

/* wake_up_new_task(task): task is fully built, about to run */
static int on_wake_up_new_task(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *task =
		(struct task_struct *)regs_get_kernel_argument(regs, 0);

	count_hit(HOOK_CREATED);
	if (pinstat_user_task(task))
		pinstat_task_created(task);
	return 0;
}

#ifdef CONFIG_TASKSTATS
/* taskstats_exit(task, group_dead): in do_exit(), as current */
static int on_taskstats_exit(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *task =
		(struct task_struct *)regs_get_kernel_argument(regs, 0);

	count_hit(HOOK_EXITED);
	if (pinstat_user_task(task))
		pinstat_task_exited(task, !!regs_get_kernel_argument(regs, 1));
	return 0;
}
#endif

#ifdef CONFIG_BSD_PROCESS_ACCT
/* acct_collect(exit_code, group_dead): in do_exit(), for current */
static int on_acct_collect(struct kprobe *kp, struct pt_regs *regs)
{
	count_hit(HOOK_EXITED);
	if (pinstat_user_task(current))
		pinstat_task_exited(current,
				    !!regs_get_kernel_argument(regs, 1));
	return 0;
}
#endif

/*
 * The thread a sched_setaffinity() call is for, as its entry saw it. No
 * reference is taken (unregistering may skip a return handler, which would
 * leak it): the return handler looks the PID up again and counts the
 * change only if it finds the same thread.
 */
struct affinity_call {
	pid_t pid; /* 0: the caller itself */
	struct task_struct *task;
	u64 start_ns;
};

/* sched_setaffinity(pid, mask), at entry; may run like an NMI (x86 int3) */
static int on_affinity_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct affinity_call *call = (struct affinity_call *)ri->data;

	count_hit(HOOK_AFFINITY);
	call->pid = (pid_t)regs_get_kernel_argument(regs, 0);
	if (!call->pid)
		return 0;
	rcu_read_lock();
	call->task = pid_task(find_vpid(call->pid), PIDTYPE_PID);
	if (call->task)
		call->start_ns = call->task->start_time;
	rcu_read_unlock();
	return call->task ? 0 : 1; /* no such thread: no return handler */
}

/* ... and at its return: 0 is the kernel's yes */
static int on_affinity_return(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct affinity_call *call = (struct affinity_call *)ri->data;
	struct task_struct *task = current;

	if (regs_return_value(regs))
		return 0;
	rcu_read_lock();
	if (call->pid) {
		task = pid_task(find_vpid(call->pid), PIDTYPE_PID);
		if (task != call->task || task->start_time != call->start_ns)
			task = NULL; /* it ended meanwhile */
	}
	if (task && pinstat_user_task(task))
		pinstat_affinity_changed(task);
	rcu_read_unlock();
	return 0;
}

/*
 * Every probed function as its declaration says: the handlers above read
 * their arguments that way. Each tracepoint's handler is checked in
 * pinstat_probes_register() against what register_trace_<name>() takes,
 * in sizeof(), which compiles the call but does not make it.
 */
#define PINSTAT_CHECK_TP(name, handler) \
	((void)sizeof(register_trace_##name(handler, NULL)))
static_assert(__same_type(wake_up_new_task, void(struct task_struct *)));
static_assert(__same_type(sched_setaffinity,
			  long(pid_t, const struct cpumask *)));
#ifdef CONFIG_TASKSTATS
static_assert(__same_type(taskstats_exit, void(struct task_struct *, int)));
#endif
#ifdef CONFIG_BSD_PROCESS_ACCT
static_assert(__same_type(acct_collect, void(long, int)));
#endif

#define TRACEPOINT(_name, _handler)                          \
	{                                                    \
		.mechanism = MECH_TRACEPOINT, .name = _name, \
		.tp_handler = _handler,                      \
	}
#define KPROBE(_name, _handler)                          \
	{                                                \
		.mechanism = MECH_KPROBE, .name = _name, \
		.pre_handler = _handler,                 \
	}

static const struct pinstat_site created_sites[] = {
	TRACEPOINT("task_newtask", on_task_newtask),
	KPROBE("wake_up_new_task", on_wake_up_new_task),
	{}
};

static const struct pinstat_site exited_sites[] = {
	TRACEPOINT("sched_process_exit", on_sched_process_exit),
#ifdef CONFIG_TASKSTATS
	KPROBE("taskstats_exit", on_taskstats_exit),
#endif
#ifdef CONFIG_BSD_PROCESS_ACCT
	KPROBE("acct_collect", on_acct_collect),
#endif
	{}
};

static const struct pinstat_site exec_sites[] = {
	TRACEPOINT("sched_process_exec", on_sched_process_exec), {}
};

static const struct pinstat_site affinity_sites[] = {
	{
		.mechanism = MECH_KRETPROBE,
		.name = "sched_setaffinity",
		.entry_handler = on_affinity_entry,
		.return_handler = on_affinity_return,
		.data_size = sizeof(struct affinity_call),
	},
	{}
};

static struct pinstat_hook probe_hooks[NR_HOOKS] = {
	[HOOK_CREATED] = { .event = "created", .sites = created_sites },
	[HOOK_EXITED] = { .event = "exited", .sites = exited_sites },
	[HOOK_EXEC] = { .event = "exec", .sites = exec_sites },
	[HOOK_AFFINITY] = { .event = "affinity", .sites = affinity_sites },
};

const unsigned int pinstat_nr_probes = NR_HOOKS;

static void find_tracepoint(struct tracepoint *tp, void *data)
{
	struct pinstat_hook *h = data;

	if (!strcmp(tp->name, h->site->name))
		h->tp = tp;
}

/*
 * Take the handler on or off the tracepoint: a tracepoint without probes
 * costs nothing, so this is how a tracepoint hook is switched off too.
 */
static int tp_attach(struct pinstat_hook *h, bool on)
{
	int err;

	if (on == h->tp_attached)
		return 0;
	err = on ? tracepoint_probe_register(h->tp, h->site->tp_handler, NULL) :
		   tracepoint_probe_unregister(h->tp, h->site->tp_handler,
					       NULL);
	if (!err)
		h->tp_attached = on;
	return err;
}

static int register_tracepoint(struct pinstat_hook *h)
{
	h->tp = NULL;
	for_each_kernel_tracepoint(find_tracepoint, h);
	return h->tp ? tp_attach(h, true) : -ENOENT;
}

/* The int3 path runs handlers like NMIs: see the top of this file. */
static int register_plain_kprobe(struct pinstat_hook *h)
{
	struct kprobe *kp = &h->rp.kp;
	int err;

	kp->symbol_name = h->site->name;
	kp->pre_handler = h->site->pre_handler;
	err = register_kprobe(kp);
	if (!err && IS_ENABLED(CONFIG_X86) && !kprobe_ftrace(kp)) {
		unregister_kprobe(kp);
		pr_info("%s events: %s is no ftrace site; an int3 kprobe's handler would run like an NMI\n",
			h->event, h->site->name);
		err = -EOPNOTSUPP;
	}
	return err;
}

/*
 * Enough instances for every thread that can be inside sched_setaffinity()
 * at once, which waits while its thread migrates; a call beyond that is
 * missed, and counted as such.
 */
static int register_kretprobe_site(struct pinstat_hook *h)
{
	struct kretprobe *rp = &h->rp;

	rp->kp.symbol_name = h->site->name;
	rp->entry_handler = h->site->entry_handler;
	rp->handler = h->site->return_handler;
	rp->data_size = h->site->data_size;
	rp->maxactive = max_t(int, 64, 16 * num_possible_cpus());
	return register_kretprobe(rp);
}

static int register_site(struct pinstat_hook *h)
{
	memset(&h->rp, 0, sizeof(h->rp));
	switch (h->site->mechanism) {
	case MECH_TRACEPOINT:
		return register_tracepoint(h);
	case MECH_KPROBE:
		return register_plain_kprobe(h);
	default:
		return register_kretprobe_site(h);
	}
}

/* hooks=kprobes leaves the tracepoints of creation and exit out. */
static bool site_wanted(const struct pinstat_hook *h,
			const struct pinstat_site *site)
{
	return site->mechanism != MECH_TRACEPOINT || strcmp(hooks, "kprobes") ||
	       (h != &probe_hooks[HOOK_CREATED] &&
		h != &probe_hooks[HOOK_EXITED]);
}

static int hook_register(struct pinstat_hook *h)
{
	int err = -ENOENT;

	for (h->site = h->sites; h->site->name; h->site++) {
		if (!site_wanted(h, h->site))
			continue;
		err = register_site(h);
		if (!err) {
			pr_info("%s events: %s %s\n", h->event,
				mechanism_names[h->site->mechanism],
				h->site->name);
			return 0;
		}
		pr_info("%s events: cannot use %s %s (%d)\n", h->event,
			mechanism_names[h->site->mechanism], h->site->name,
			err);
	}
	h->site = NULL;
	pr_err("%s events: no usable hook, cannot load\n", h->event);
	return err;
}

/* Its handler may still run on a tracepoint: see hooks_remove(). */
static void hook_unregister(struct pinstat_hook *h)
{
	switch (h->site->mechanism) {
	case MECH_TRACEPOINT:
		tp_attach(h, false);
		break;
	case MECH_KPROBE:
		unregister_kprobe(&h->rp.kp);
		break;
	default:
		unregister_kretprobe(&h->rp);
	}
	h->site = NULL;
}

/*
 * Unregister the first @n hooks, last first. Once this returns, none of
 * their handlers runs any more: unregistering a kprobe waits for its own,
 * and one grace period covers the handlers of every tracepoint.
 */
static void hooks_remove(int n)
{
	while (n--)
		hook_unregister(&probe_hooks[n]);
	tracepoint_synchronize_unregister();
}

int pinstat_probes_register(void)
{
	int i, err;

	/* each tracepoint handler as its tracepoint calls it */
	PINSTAT_CHECK_TP(task_newtask, on_task_newtask);
	PINSTAT_CHECK_TP(sched_process_exit, on_sched_process_exit);
	PINSTAT_CHECK_TP(sched_process_exec, on_sched_process_exec);

	if (strcmp(hooks, "tracepoints") && strcmp(hooks, "kprobes")) {
		pr_err("hooks=%s: tracepoints or kprobes\n", hooks);
		return -EINVAL;
	}
	for (i = 0; i < NR_HOOKS; i++) {
		err = hook_register(&probe_hooks[i]);
		if (err) {
			hooks_remove(i);
			return err;
		}
	}
	return 0;
}

void pinstat_probes_unregister(void)
{
	hooks_remove(NR_HOOKS);
}

static int hook_switch(struct pinstat_hook *h, bool on)
{
	switch (h->site->mechanism) {
	case MECH_TRACEPOINT:
		return tp_attach(h, on);
	case MECH_KPROBE:
		return on ? enable_kprobe(&h->rp.kp) :
			    disable_kprobe(&h->rp.kp);
	default:
		return on ? enable_kretprobe(&h->rp) :
			    disable_kretprobe(&h->rp);
	}
}

/*
 * Switch every hook on or off: all or, on failure, none. Disabled hooks
 * cost nothing. The caller serialises calls, and registered the hooks.
 */
int pinstat_probes_switch(bool on)
{
	int i, err;

	for (i = 0; i < NR_HOOKS; i++) {
		err = hook_switch(&probe_hooks[i], on);
		if (err) {
			while (i--)
				hook_switch(&probe_hooks[i], !on);
			return err;
		}
	}
	return 0;
}

static unsigned long hook_missed(const struct pinstat_hook *h)
{
	if (!h->site)
		return 0;
	switch (h->site->mechanism) {
	case MECH_TRACEPOINT:
		return 0; /* a tracepoint never misses */
	case MECH_KPROBE:
		return READ_ONCE(h->rp.kp.nmissed);
	default:
		return READ_ONCE(h->rp.nmissed) + READ_ONCE(h->rp.kp.nmissed);
	}
}

void pinstat_probe_info(unsigned int i, struct pinstat_probe_info *info)
{
	struct pinstat_hook *h = &probe_hooks[i];
	int cpu;

	info->event = h->event;
	info->mechanism = h->site ? mechanism_names[h->site->mechanism] : NULL;
	info->target = h->site ? h->site->name : NULL;
	info->arming = NULL;
	if (h->site && h->site->mechanism != MECH_TRACEPOINT)
		info->arming = kprobe_ftrace(&h->rp.kp) ? "ftrace" : "trap";
	info->hits = 0;
	for_each_possible_cpu(cpu)
		info->hits += READ_ONCE(per_cpu(hook_hits.hits[i], cpu));
	info->missed = hook_missed(h);
}

/* Events lost inside the kprobe machinery: they count as dropped. */
unsigned long pinstat_probes_missed(void)
{
	unsigned long missed = 0;
	int i;

	for (i = 0; i < NR_HOOKS; i++)
		missed += hook_missed(&probe_hooks[i]);
	return missed;
}
