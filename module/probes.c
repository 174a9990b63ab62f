// SPDX-License-Identifier: GPL-2.0
/*
 * The hooks: task creation and exit, exec, and requests to change a
 * thread's CPU affinity (sched_setaffinity()).
 *
 * Creation and exit use the kernel's own tracepoints where it has them
 * (task_newtask, sched_process_exit): an empty tracepoint probe costs a
 * tenth of an empty kprobe (make bench). Otherwise, and for exec and
 * affinity, each hook names the functions it can kprobe, best first; the
 * first that registers is used and reported. A module parameter
 * (created_hook=, exited_hook=, affinity_hook=, exec_hook=) replaces all
 * that with a kprobe on one function of the same signature, for kernels
 * where those differ. Handlers run in atomic context and only pick the
 * task out of the arguments; events.c does the accounting.
 */
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include "events.h"
#include "probes.h"
#include "table.h"

enum pinstat_probe_id {
	PROBE_CREATED,
	PROBE_EXITED,
	PROBE_AFFINITY,
	PROBE_EXEC,
	NR_PROBES
};

struct pinstat_probe {
	const char *event;
	const char *tp_name; /* a tracepoint to use first, if any */
	void *tp_handler;
	struct tracepoint *tp;		  /* ... the one in use */
	bool tp_attached;		  /* our handler is on it */
	const char *const *symbols;	  /* kprobe candidates, best first */
	char **override;		  /* the module parameter, if set */
	kprobe_pre_handler_t pre_handler; /* the kprobe's handler */
	struct kprobe kp;		  /* ... registered on a symbol */
	const char *symbol; /* the one registered, or the tracepoint */
};

struct probe_hits {
	u64 hits[NR_PROBES];
};

static DEFINE_PER_CPU(struct probe_hits, probe_hits);
static DEFINE_MUTEX(enable_lock);
static bool registered;	    /* under enable_lock */
static bool enabled = true; /* wanted; in force once registered */

static void count_hit(enum pinstat_probe_id id)
{
	this_cpu_inc(probe_hits.hits[id]);
}

static struct task_struct *task_arg(struct pt_regs *regs)
{
	return (struct task_struct *)regs_get_kernel_argument(regs, 0);
}

static bool pinstat_user_task(struct task_struct *task)
{
	return !(task->flags & PF_KTHREAD);
}

/* wake_up_new_task(p): p is fully built and about to run for the first time */
static int on_created(struct kprobe *kp, struct pt_regs *regs)
{
	struct task_struct *task = task_arg(regs);

	count_hit(PROBE_CREATED);
	if (pinstat_user_task(task))
		pinstat_task_created(task);
	return 0;
}

/* do_exit(code): every task passes here exactly once, as current */
static int on_exited(struct kprobe *kp, struct pt_regs *regs)
{
	count_hit(PROBE_EXITED);
	if (pinstat_user_task(current))
		pinstat_task_exiting(current, true);
	return 0;
}

/*
 * task_newtask(task, clone_flags): at the end of copy_process(), where the
 * kernel's sched_post_fork() is: every new task, io_uring's workers too.
 */
static void on_created_tp(void *data, struct task_struct *task,
			  unsigned long clone_flags)
{
	count_hit(PROBE_CREATED);
	if (pinstat_user_task(task))
		pinstat_task_created(task);
}

/*
 * sched_process_exit(task): in do_exit() for every task, as current, once
 * the kernel no longer counts it among its process's live threads. 6.16
 * added an argument (PINSTAT_HAVE_EXIT_TP_GROUP_DEAD, probed in Kbuild).
 */
#ifdef PINSTAT_HAVE_EXIT_TP_GROUP_DEAD
static void on_exited_tp(void *data, struct task_struct *task, bool group_dead)
#else
static void on_exited_tp(void *data, struct task_struct *task)
#endif
{
	count_hit(PROBE_EXITED);
	if (pinstat_user_task(task))
		pinstat_task_exiting(task, false);
}

/* setup_new_exec(bprm): the new program's name is already set */
static int on_exec(struct kprobe *kp, struct pt_regs *regs)
{
	count_hit(PROBE_EXEC);
	if (pinstat_user_task(current))
		pinstat_task_exec(current);
	return 0;
}

/*
 * The kernel's own permission check of sched_setaffinity(): the caller owns
 * the target, or has CAP_SYS_NICE over the target's user namespace. Asked
 * without auditing; like the kernel's check right after, a capability that
 * was needed marks the caller PF_SUPERPRIV. Under RCU.
 */
static bool may_set_affinity(struct task_struct *task)
{
	const struct cred *cred = current_cred();
	const struct cred *tcred = __task_cred(task);

	return uid_eq(cred->euid, tcred->euid) ||
	       uid_eq(cred->euid, tcred->uid) ||
	       ns_capable_noaudit(tcred->user_ns, CAP_SYS_NICE);
}

/*
 * sched_setaffinity(pid, mask), at entry: pid is in the caller's namespace,
 * 0 is self. The request is counted before the kernel judges the mask:
 * waiting for the outcome takes a return probe, which costs more than all
 * the rest (make bench), and a process that keeps asking is churning
 * whether or not it is granted. Requests the caller may not make are not
 * counted: no one can make another user's process look like it churns.
 *
 * A thread may always ask for itself, the common case: it needs neither
 * the check nor a lookup, and no rcu_read_lock() either, as a kprobe
 * handler runs with preemption off, which RCU waits for like a reader.
 */
static int on_affinity(struct kprobe *kp, struct pt_regs *regs)
{
	pid_t pid = (pid_t)regs_get_kernel_argument(regs, 0);
	struct task_struct *task;

	count_hit(PROBE_AFFINITY);
	if (!pid) {
		if (pinstat_user_task(current))
			pinstat_affinity_requested(current);
		return 0;
	}
	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_PID);
	if (task && pinstat_user_task(task) && may_set_affinity(task))
		pinstat_affinity_requested(task);
	rcu_read_unlock();
	return 0;
}

static const char *const created_symbols[] = { "wake_up_new_task",
					       "sched_post_fork", NULL };

static const char *const exited_symbols[] = { "do_exit", NULL };

static const char *const affinity_symbols[] = { "sched_setaffinity", NULL };

static const char *const exec_symbols[] = { "setup_new_exec", "finalize_exec",
					    NULL };

/* Each description stays whole on one line, where grep finds it. */
/* clang-format off */
static char *created_hook;
module_param(created_hook, charp, 0444);
MODULE_PARM_DESC(created_hook, "Function to kprobe for task creation (default: tracepoint task_newtask, else wake_up_new_task, else sched_post_fork)");

static char *exited_hook;
module_param(exited_hook, charp, 0444);
MODULE_PARM_DESC(exited_hook, "Function to kprobe for task exit (default: tracepoint sched_process_exit, else do_exit)");

static char *affinity_hook;
module_param(affinity_hook, charp, 0444);
MODULE_PARM_DESC(affinity_hook, "Function to hook for affinity requests (default: sched_setaffinity)");

static char *exec_hook;
module_param(exec_hook, charp, 0444);
MODULE_PARM_DESC(exec_hook, "Function to hook for exec (default: setup_new_exec, else finalize_exec)");
/* clang-format on */

static struct pinstat_probe probes[NR_PROBES] = {
	[PROBE_CREATED] = {
		.event = "created",
		.tp_name = "task_newtask",
		.tp_handler = on_created_tp,
		.symbols = created_symbols,
		.override = &created_hook,
		.pre_handler = on_created,
	},
	[PROBE_EXITED] = {
		.event = "exited",
		.tp_name = "sched_process_exit",
		.tp_handler = on_exited_tp,
		.symbols = exited_symbols,
		.override = &exited_hook,
		.pre_handler = on_exited,
	},
	[PROBE_AFFINITY] = {
		.event = "affinity",
		.symbols = affinity_symbols,
		.override = &affinity_hook,
		.pre_handler = on_affinity,
	},
	[PROBE_EXEC] = {
		.event = "exec",
		.symbols = exec_symbols,
		.override = &exec_hook,
		.pre_handler = on_exec,
	},
};

static int register_symbol(struct pinstat_probe *p, const char *symbol)
{
	memset(&p->kp, 0, sizeof(p->kp));
	p->kp.symbol_name = symbol;
	p->kp.pre_handler = p->pre_handler;
	return register_kprobe(&p->kp);
}

static void find_tracepoint(struct tracepoint *tp, void *data)
{
	struct pinstat_probe *p = data;

	if (!strcmp(tp->name, p->tp_name))
		p->tp = tp;
}

/*
 * Take the handler on or off the tracepoint: a tracepoint without probes
 * costs nothing, so this is how a tracepoint hook is switched off too.
 */
static int tp_attach(struct pinstat_probe *p, bool on)
{
	int err;

	if (on == p->tp_attached)
		return 0;
	err = on ? tracepoint_probe_register(p->tp, p->tp_handler, NULL) :
		   tracepoint_probe_unregister(p->tp, p->tp_handler, NULL);
	if (!err)
		p->tp_attached = on;
	return err;
}

/* Use the probe's tracepoint if the kernel has it and no hook was named. */
static int register_tracepoint(struct pinstat_probe *p)
{
	int err;

	if (!p->tp_name || *p->override)
		return -ENOENT;
	for_each_kernel_tracepoint(find_tracepoint, p);
	if (!p->tp)
		return -ENOENT;
	err = tp_attach(p, true);
	if (err) {
		p->tp = NULL;
		return err;
	}
	p->symbol = p->tp_name;
	pr_info("%s events: tracepoint %s\n", p->event, p->tp_name);
	return 0;
}

static int probe_register(struct pinstat_probe *p)
{
	const char *const override[] = { *p->override, NULL };
	const char *const *symbol = *p->override ? override : p->symbols;
	int err = register_tracepoint(p);

	if (!err)
		return 0;
	for (; *symbol; symbol++) {
		err = register_symbol(p, *symbol);
		if (!err) {
			p->symbol = *symbol;
			pr_info("%s events: hooked %s\n", p->event, *symbol);
			return 0;
		}
		pr_info("%s events: cannot hook %s (%d)\n", p->event, *symbol,
			err);
	}
	pr_err("%s events: no usable hook, cannot load\n", p->event);
	return err;
}

/* Called under enable_lock. */
static int probe_switch(struct pinstat_probe *p, bool on)
{
	if (p->tp)
		return tp_attach(p, on);
	return on ? enable_kprobe(&p->kp) : disable_kprobe(&p->kp);
}

/* Its handler may still be running on a tracepoint: see probes_remove(). */
static void probe_unregister(struct pinstat_probe *p)
{
	if (p->tp)
		tp_attach(p, false);
	else
		unregister_kprobe(&p->kp);
	p->tp = NULL;
	p->symbol = NULL;
}

/*
 * Unregister the first @n probes, last first. Once this returns, none of
 * their handlers runs any more: unregister_kprobe() waits for its own, and
 * one grace period covers the handlers of every tracepoint.
 */
static void probes_remove(int n)
{
	while (n--)
		probe_unregister(&probes[n]);
	tracepoint_synchronize_unregister();
}

/* sysfs exists already: a write to "enabled" meanwhile is honoured. */
int probes_register(void)
{
	int i, err = 0;

	mutex_lock(&enable_lock);
	for (i = 0; i < NR_PROBES; i++) {
		err = probe_register(&probes[i]);
		if (err)
			goto unwind;
	}
	registered = true;
	for (i = 0; i < NR_PROBES && !enabled; i++)
		probe_switch(&probes[i], false);
	goto out;

unwind:
	probes_remove(i);
out:
	mutex_unlock(&enable_lock);
	return err;
}

void probes_unregister(void)
{
	mutex_lock(&enable_lock);
	registered = false;
	probes_remove(NR_PROBES);
	mutex_unlock(&enable_lock);
}

/*
 * Disabled probes cost nothing. Events missed meanwhile leave live thread
 * counts stale, so enabling resynchronises the table with the tasks.
 */
int probes_set_enabled(bool on)
{
	int i, err = 0;

	mutex_lock(&enable_lock);
	if (on == enabled)
		goto out;
	if (!registered) {
		WRITE_ONCE(enabled, on); /* for probes_register() */
		goto out;
	}
	for (i = 0; i < NR_PROBES; i++) {
		err = probe_switch(&probes[i], on);
		if (err)
			goto unwind;
	}
	WRITE_ONCE(enabled, on);
	if (on)
		table_sync();
	goto out;

unwind:
	while (i--)
		probe_switch(&probes[i], !on);
out:
	mutex_unlock(&enable_lock);
	return err;
}

bool probes_enabled(void)
{
	return READ_ONCE(enabled);
}

static u64 probe_hits_sum(enum pinstat_probe_id id)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(probe_hits.hits[id], cpu);
	return sum;
}

/* A tracepoint never misses: only kprobes are skipped when they recurse. */
static unsigned long probe_nmissed(const struct pinstat_probe *p)
{
	if (p->tp)
		return 0;
	return p->kp.nmissed;
}

void probes_show(struct seq_file *m)
{
	int i;

	seq_puts(m, "event symbol hits nmissed\n");
	for (i = 0; i < NR_PROBES; i++)
		seq_printf(m, "%s %s%s %llu %lu\n", probes[i].event,
			   probes[i].tp ? "tracepoint:" : "",
			   probes[i].symbol ?: "-", probe_hits_sum(i),
			   probe_nmissed(&probes[i]));
}
