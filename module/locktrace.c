// SPDX-License-Identifier: GPL-2.0
/*
 * Lock tracing (see locktrace.h). Each traced process has its own uprobe,
 * on its own executable, with a filter that puts the breakpoint in its
 * address space only: other processes, even of the same program, run
 * untouched. Call sites are kept as offsets in the executable, as the
 * probe's own offset is: the CLI symbolizes both the same way.
 *
 * A trace ends when its process ends or execs, and its uprobe goes then
 * (from a work item: unregistering sleeps); its counts stay readable until
 * root untraces it or its slot is needed for a new trace.
 *
 * Locking: trace_mutex guards the slots' writers (starting and freeing
 * traces); hooks find traces in the slots under RCU.
 * Each trace's own spinlock guards its counts and its thread map. Probe
 * handlers and exit hooks never sleep: the map takes memory with
 * GFP_NOWAIT, and a thread it cannot take is counted, not lost silently.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include "gofunc.h"
#include "locktrace.h"
#include "task.h"

DEFINE_STATIC_KEY_FALSE(pinstat_locktrace_on);

/* One call site, and the threads whose last lock came from it. */
struct lock_site {
	u64 offset;	  /* of the return address in the executable */
	u64 calls;	  /* LockOSThread calls made from here */
	u64 locked_exits; /* threads that ended on their own, last locked here */
	u32 last_locked;  /* live threads whose last lock was made here */
};

enum trace_state {
	TRACE_STARTING,
	TRACE_TRACING,
	TRACE_EXITED,
	TRACE_EXECED
};

static const char *const state_names[] = {
	[TRACE_STARTING] = "starting",
	[TRACE_TRACING] = "tracing",
	[TRACE_EXITED] = "exited",
	[TRACE_EXECED] = "execed",
};

struct pinstat_trace {
	struct uprobe_consumer consumer;
	struct pinstat_uprobe probe;
	struct pinstat_key key;
	struct mm_struct *mm; /* held by mmgrab(): compared, never entered */
	struct file *exe;     /* holds the probed inode */
	unsigned long bias;   /* address - file offset of the executable code */
	unsigned long registered; /* bit 0: the uprobe is in place */
	struct work_struct end_work;
	struct rcu_head rcu;

	spinlock_t lock; /* guards what follows */
	enum trace_state state;
	u64 calls;
	u64 exits_unseen;    /* solo exits of threads with no lock seen */
	u64 threads_dropped; /* locks of threads the map could not take */
	unsigned int nr_threads;
	struct xarray threads; /* TID -> index in sites[] + 1 */
	unsigned int nr_sites;
	/* the last one, with offset 0, takes calls from every further site */
	struct lock_site sites[PINSTAT_TRACE_SITES + 1];
};

static DEFINE_MUTEX(trace_mutex);
static struct pinstat_trace __rcu *slots[PINSTAT_TRACE_MAX];

/* The trace of @task's process, if any; under RCU. */
static struct pinstat_trace *trace_of(struct task_struct *task)
{
	struct pinstat_key key = pinstat_task_key(task);
	struct pinstat_trace *t;
	unsigned int i;

	for (i = 0; i < PINSTAT_TRACE_MAX; i++) {
		t = rcu_dereference(slots[i]);
		if (t && pinstat_key_equal(&t->key, &key))
			return t;
	}
	return NULL;
}

/* The index of the site at @offset, added if there is room. */
static unsigned int site_index(struct pinstat_trace *t, u64 offset)
{
	unsigned int i;

	for (i = 0; i < t->nr_sites; i++)
		if (t->sites[i].offset == offset)
			return i;
	if (!offset || t->nr_sites == PINSTAT_TRACE_SITES)
		return PINSTAT_TRACE_SITES;
	t->sites[i].offset = offset;
	t->nr_sites++;
	return i;
}

/* Thread @tid has called LockOSThread from @offset (0: not known). */
static void lock_called(struct pinstat_trace *t, pid_t tid, u64 offset)
{
	unsigned int site;
	void *entry, *old;

	spin_lock(&t->lock);
	if (t->state != TRACE_TRACING)
		goto out;
	t->calls++;
	site = site_index(t, offset);
	t->sites[site].calls++;
	entry = xa_mk_value(site + 1);
	old = xa_load(&t->threads, tid);
	if (!old &&
	    (t->nr_threads == PINSTAT_TRACE_THREADS ||
	     xa_is_err(xa_store(&t->threads, tid, entry, GFP_NOWAIT)))) {
		t->threads_dropped++;
		goto out;
	}
	if (old) {
		t->sites[xa_to_value(old) - 1].last_locked--;
		/* over an entry: takes no memory */
		xa_store(&t->threads, tid, entry, GFP_NOWAIT);
	} else {
		t->nr_threads++;
	}
	t->sites[site].last_locked++;
out:
	spin_unlock(&t->lock);
}

static int lock_handler(PINSTAT_UPROBE_HANDLER_PROTO)
{
	struct pinstat_trace *t =
		container_of(uc, struct pinstat_trace, consumer);
	struct pinstat_key key = pinstat_task_key(current);
	unsigned long ret;

	/* a vfork child shares the address space, not the process */
	if (current->mm != t->mm || !pinstat_key_equal(&key, &t->key))
		return 0;
	ret = pinstat_user_return_address(regs);
	lock_called(t, current->pid, ret ? ret - t->bias : 0);
	return 0;
}

/* Which address spaces get the breakpoint: the traced process's only. */
static bool lock_filter(PINSTAT_UPROBE_FILTER_PROTO)
{
	return mm == container_of(uc, struct pinstat_trace, consumer)->mm;
}

/* The uprobe goes, if it is still in place; sleeps. */
static void trace_unregister(struct pinstat_trace *t)
{
	if (!test_and_clear_bit(0, &t->registered))
		return;
	pinstat_uprobe_unregister(&t->probe, &t->consumer);
	static_branch_dec(&pinstat_locktrace_on);
}

static void trace_end_work(struct work_struct *work)
{
	trace_unregister(container_of(work, struct pinstat_trace, end_work));
}

/* Under t->lock, from any context: the uprobe goes soon after. */
static void trace_end(struct pinstat_trace *t, enum trace_state why)
{
	if (t->state != TRACE_TRACING)
		return;
	t->state = why;
	schedule_work(&t->end_work);
}

void pinstat_locktrace_thread_exited(struct task_struct *task, bool solo,
				     bool last)
{
	struct pinstat_trace *t;
	struct lock_site *site;
	void *entry;

	rcu_read_lock();
	t = trace_of(task);
	if (!t)
		goto out;
	spin_lock(&t->lock);
	entry = xa_erase(&t->threads, task->pid);
	if (entry) {
		site = &t->sites[xa_to_value(entry) - 1];
		site->last_locked--;
		t->nr_threads--;
		if (solo)
			site->locked_exits++;
	} else if (solo && t->state == TRACE_TRACING) {
		t->exits_unseen++;
	}
	if (last)
		trace_end(t, TRACE_EXITED);
	spin_unlock(&t->lock);
out:
	rcu_read_unlock();
}

void pinstat_locktrace_exec_seen(struct task_struct *task)
{
	struct pinstat_trace *t;

	rcu_read_lock();
	t = trace_of(task);
	if (t) {
		spin_lock(&t->lock);
		trace_end(t, TRACE_EXECED);
		spin_unlock(&t->lock);
	}
	rcu_read_unlock();
}

static void trace_free_rcu(struct rcu_head *rcu)
{
	struct pinstat_trace *t = container_of(rcu, struct pinstat_trace, rcu);

	xa_destroy(&t->threads);
	kfree(t);
}

/* Under trace_mutex: slot @i's trace goes, uprobe, counts and all. */
static void slot_free(unsigned int i)
{
	struct pinstat_trace *t =
		rcu_dereference_protected(slots[i],
					  lockdep_is_held(&trace_mutex));

	RCU_INIT_POINTER(slots[i], NULL);
	/* no hook queues the work once none can find the trace */
	synchronize_rcu();
	cancel_work_sync(&t->end_work);
	trace_unregister(t);
	fput(t->exe);
	mmdrop(t->mm);
	call_rcu(&t->rcu, trace_free_rcu);
}

/*
 * The executable mapping of @mm's own executable that holds @offset:
 * takes a reference on its file, and sets the address bias of the code.
 */
static struct file *exe_code_at(struct mm_struct *mm, u64 offset,
				unsigned long *bias)
{
	struct vm_area_struct *vma;
	struct file *found = NULL;
	struct inode *exe_inode;
	unsigned long addr = 0;
	u64 start, end;

	struct file *exe;

	mmap_read_lock(mm);
	/* compared only: the inode is not entered */
	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	exe_inode = exe ? file_inode(exe) : NULL;
	rcu_read_unlock();
	while (exe_inode && !found && (vma = find_vma(mm, addr))) {
		addr = vma->vm_end;
		if (!vma->vm_file || file_inode(vma->vm_file) != exe_inode ||
		    !(vma->vm_flags & VM_EXEC))
			continue;
		start = (u64)vma->vm_pgoff << PAGE_SHIFT;
		end = start + vma->vm_end - vma->vm_start;
		if (offset < start || offset >= end)
			continue;
		found = get_file(vma->vm_file);
		*bias = vma->vm_start - start;
	}
	mmap_read_unlock(mm);
	return found;
}

/* The process @pid names in the caller's PID namespace, held. */
static struct task_struct *process_get(pid_t pid)
{
	struct task_struct *task;

	rcu_read_lock();
	task = pid_task(find_vpid(pid), PIDTYPE_TGID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	return task;
}

/*
 * A new trace of @task at @offset of its executable, not yet in a slot:
 * -ENOEXEC if it does not run Go, -EINVAL if @offset is not where a
 * function of its executable starts.
 */
static struct pinstat_trace *trace_new(struct task_struct *task, u64 offset)
{
	struct pinstat_trace *t;
	struct mm_struct *mm;
	bool go;
	int err;

	rcu_read_lock();
	go = pinstat_user_task(task) && pinstat_go_runtime(task);
	rcu_read_unlock();
	if (!go)
		return ERR_PTR(-ENOEXEC);
	mm = get_task_mm(task);
	if (!mm)
		return ERR_PTR(-ESRCH);
	err = -ENOMEM;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		goto put_mm;
	err = -EINVAL;
	t->exe = exe_code_at(mm, offset, &t->bias);
	if (!t->exe)
		goto free;
	err = pinstat_go_func_entry(t->exe, offset);
	if (err)
		goto put_exe;
	t->probe.inode = file_inode(t->exe);
	t->probe.offset = offset;
	t->consumer.handler = lock_handler;
	t->consumer.filter = lock_filter;
	t->key = pinstat_task_key(task);
	mmgrab(mm);
	t->mm = mm;
	mmput(mm);
	INIT_WORK(&t->end_work, trace_end_work);
	spin_lock_init(&t->lock);
	xa_init(&t->threads);
	return t;

put_exe:
	fput(t->exe);
free:
	kfree(t);
put_mm:
	mmput(mm);
	return ERR_PTR(err);
}

/* Under trace_mutex: a free slot, or the oldest ended trace's; -1: none. */
static int slot_for_new(void)
{
	struct pinstat_trace *t;
	int i, ended = -1;

	for (i = 0; i < PINSTAT_TRACE_MAX; i++) {
		t = rcu_dereference_protected(slots[i],
					      lockdep_is_held(&trace_mutex));
		if (!t)
			return i;
		if (READ_ONCE(t->state) != TRACE_TRACING && ended < 0)
			ended = i;
	}
	return ended;
}

/* Under trace_mutex: is a trace of @task's process going on? */
static bool traced_now(struct task_struct *task)
{
	struct pinstat_key key = pinstat_task_key(task);
	struct pinstat_trace *t;
	unsigned int i;

	for (i = 0; i < PINSTAT_TRACE_MAX; i++) {
		t = rcu_dereference_protected(slots[i],
					      lockdep_is_held(&trace_mutex));
		if (t && pinstat_key_equal(&t->key, &key) &&
		    READ_ONCE(t->state) == TRACE_TRACING)
			return true;
	}
	return false;
}

/*
 * Under trace_mutex: @t's probe in place, then @t in slot @i. Counting
 * starts once the exit hook finds the trace: every thread whose lock is
 * counted has its exit seen. Nothing changes if the probe is refused.
 */
static int trace_install(struct pinstat_trace *t, int i,
			 struct task_struct *task)
{
	int err = pinstat_uprobe_register(&t->probe, &t->consumer);

	if (err)
		return err;
	set_bit(0, &t->registered);
	static_branch_inc(&pinstat_locktrace_on);
	if (rcu_access_pointer(slots[i]))
		slot_free(i);
	rcu_assign_pointer(slots[i], t);
	spin_lock(&t->lock);
	t->state = TRACE_TRACING;
	spin_unlock(&t->lock);
	/*
	 * A last exit that took the lock before us saw a trace not yet
	 * started: its decrement of the live count is seen here.
	 */
	if (!pinstat_live_threads(task)) {
		spin_lock(&t->lock);
		trace_end(t, TRACE_EXITED);
		spin_unlock(&t->lock);
	}
	return 0;
}

int pinstat_locktrace_start(pid_t pid, u64 offset)
{
	struct task_struct *task = process_get(pid);
	struct pinstat_trace *t;
	int i, err;

	if (!task)
		return -ESRCH;
	mutex_lock(&trace_mutex);
	err = -EEXIST;
	if (traced_now(task))
		goto unlock;
	err = -ENOSPC;
	i = slot_for_new();
	if (i < 0)
		goto unlock;
	t = trace_new(task, offset);
	err = PTR_ERR_OR_ZERO(t);
	if (err)
		goto unlock;
	err = trace_install(t, i, task);
	if (err) {
		fput(t->exe);
		mmdrop(t->mm);
		kfree(t);
	}
unlock:
	mutex_unlock(&trace_mutex);
	put_task_struct(task);
	return err;
}

/* Ends the trace of process @pid (in the caller's namespace) and frees it. */
int pinstat_locktrace_stop(pid_t pid)
{
	struct pinstat_trace *t;
	int i, err = -ENOENT;
	pid_t tgid;

	rcu_read_lock();
	tgid = pid_nr(find_vpid(pid));
	rcu_read_unlock();
	mutex_lock(&trace_mutex);
	for (i = 0; i < PINSTAT_TRACE_MAX; i++) {
		t = rcu_dereference_protected(slots[i],
					      lockdep_is_held(&trace_mutex));
		if (t && t->key.tgid == (tgid ?: pid)) {
			slot_free(i);
			err = 0;
		}
	}
	mutex_unlock(&trace_mutex);
	return err;
}

/* At unload, once nothing can start a trace: every uprobe goes. */
void pinstat_locktrace_exit(void)
{
	unsigned int i;

	mutex_lock(&trace_mutex);
	for (i = 0; i < PINSTAT_TRACE_MAX; i++)
		if (rcu_access_pointer(slots[i]))
			slot_free(i);
	mutex_unlock(&trace_mutex);
	rcu_barrier(); /* trace_free_rcu() is module code */
}

/*
 * debugfs "traced": one line per trace. The executable comes last, with
 * its device and inode: the CLI names call sites from the file at that
 * path once the process is gone, if it is still the same file. Spaces,
 * tabs, newlines and backslashes in the path are written as \ooo.
 */
void pinstat_locktrace_show_traced(struct seq_file *m)
{
	struct pinstat_trace *t;
	struct inode *inode;
	unsigned int i;

	seq_puts(m,
		 "pid state probe_offset calls threads_locked exits_unseen threads_dropped exe_dev exe_ino exe\n");
	mutex_lock(&trace_mutex);
	for (i = 0; i < PINSTAT_TRACE_MAX; i++) {
		t = rcu_dereference_protected(slots[i],
					      lockdep_is_held(&trace_mutex));
		if (!t)
			continue;
		inode = file_inode(t->exe);
		spin_lock(&t->lock);
		seq_printf(m, "%d %s 0x%llx %llu %u %llu %llu %u %lu ",
			   t->key.tgid, state_names[t->state],
			   (u64)t->probe.offset, t->calls, t->nr_threads,
			   t->exits_unseen, t->threads_dropped,
			   new_encode_dev(inode->i_sb->s_dev), inode->i_ino);
		spin_unlock(&t->lock);
		seq_path(m, &t->exe->f_path, " \t\n\\");
		seq_putc(m, '\n');
	}
	mutex_unlock(&trace_mutex);
}

static void show_site(struct seq_file *m, pid_t tgid,
		      const struct lock_site *site)
{
	if (site->offset)
		seq_printf(m, "%d 0x%llx", tgid, site->offset);
	else
		seq_printf(m, "%d other", tgid);
	seq_printf(m, " %llu %llu %u\n", site->calls, site->locked_exits,
		   site->last_locked);
}

/* debugfs "lock_sites": one line per call site of each trace. */
void pinstat_locktrace_show_sites(struct seq_file *m)
{
	struct pinstat_trace *t;
	unsigned int i, s;

	seq_puts(m, "pid site calls locked_exits last_locked\n");
	mutex_lock(&trace_mutex);
	for (i = 0; i < PINSTAT_TRACE_MAX; i++) {
		t = rcu_dereference_protected(slots[i],
					      lockdep_is_held(&trace_mutex));
		if (!t)
			continue;
		spin_lock(&t->lock);
		for (s = 0; s < t->nr_sites; s++)
			show_site(m, t->key.tgid, &t->sites[s]);
		if (t->sites[PINSTAT_TRACE_SITES].calls)
			show_site(m, t->key.tgid,
				  &t->sites[PINSTAT_TRACE_SITES]);
		spin_unlock(&t->lock);
	}
	mutex_unlock(&trace_mutex);
}
