// SPDX-License-Identifier: GPL-2.0
/*
 * Lock tracing (see locktrace.h). Each traced process has its own uprobes,
 * on its own executable, with a filter that puts the breakpoints in its
 * address space only: other processes, even of the same program, run
 * untouched. One is on LockOSThread; the others, if the CLI found them,
 * are where UnlockOSThread's code starts: its own entry, and each copy
 * the compiler inlined. Call sites are kept as offsets in the executable,
 * as the probes' own offsets are: the CLI symbolizes both the same way.
 *
 * The same process's granted sched_setaffinity() calls are counted by
 * where they were made from: the caller's stack, by frame pointers.
 *
 * A process that does not run Go may be traced for where it creates its
 * threads instead: one uprobe, at the entry of its pthread_create() (in
 * its C library, or its executable if static), counts each call by the
 * caller's stack. Frames outside the executable's code are counted as
 * such, not placed.
 *
 * A trace ends when its process ends or execs, and its uprobes go then
 * (from a work item: unregistering sleeps); its counts stay readable until
 * root untraces it or its slot is needed for a new trace.
 *
 * Locking: trace_mutex guards the slots' writers (starting and freeing
 * traces); hooks find traces in the slots under RCU. Each trace's counts
 * (lockcount.h) have a spinlock, which guards the trace's state too.
 */
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "elf.h"
#include "gofunc.h"
#include "lockcount.h"
#include "locktrace.h"
#include "task.h"
#include "uprobe.h"

DEFINE_STATIC_KEY_FALSE(pinstat_locktrace_on);

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

/* What a trace counts: a Go process's locks, or where threads are made. */
enum trace_kind {
	TRACE_LOCKS,
	TRACE_CREATES
};

static const char *const kind_names[] = {
	[TRACE_LOCKS] = "locks",
	[TRACE_CREATES] = "creates",
};

/* An executable mapping of a file: where it is, and what of the file. */
struct code_range {
	unsigned long start, end;
	u64 offset; /* in the file, of start */
};

/* One uprobe of a trace. */
struct trace_probe {
	struct uprobe_consumer consumer;
	struct pinstat_uprobe where;
	struct pinstat_trace *trace;
};

struct pinstat_trace {
	struct pinstat_key key;
	enum trace_kind kind;
	struct mm_struct *mm; /* held by mmgrab(): compared, never entered */
	struct file *exe;     /* the executable, which frames are offsets in */
	struct code_range code;	  /* of the executable */
	struct file *probed;	  /* holds the probed inode */
	unsigned long registered; /* bit 0: the uprobes are in place */
	unsigned int nr_probes;
	struct trace_probe *probes; /* LockOSThread's, then the unlocks' */
	struct work_struct end_work;
	enum trace_state state; /* under counts.lock */
	u64 ended_ns;
	struct pinstat_lock_counts counts;
};

static DEFINE_MUTEX(trace_mutex);
static struct pinstat_trace __rcu *slots[PINSTAT_TRACE_MAX];

/* Slot @i's trace, under trace_mutex. */
static struct pinstat_trace *slot(unsigned int i)
{
	return rcu_dereference_protected(slots[i],
					 lockdep_is_held(&trace_mutex));
}

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

static struct pinstat_trace *trace_of_probe(struct uprobe_consumer *uc)
{
	return container_of(uc, struct trace_probe, consumer)->trace;
}

/* Is current a thread of @t's process? */
static bool traced_thread(const struct pinstat_trace *t)
{
	struct pinstat_key key = pinstat_task_key(current);

	/* a vfork child shares the address space, not the process */
	return current->mm == t->mm && pinstat_key_equal(&key, &t->key);
}

/* @addr as an offset in @t's executable; 0 stays 0 (no frame). */
static u64 frame_offset(const struct pinstat_trace *t, unsigned long addr)
{
	if (!addr)
		return 0;
	if (addr < t->code.start || addr >= t->code.end)
		return PINSTAT_FRAME_OUTSIDE;
	return addr - t->code.start + t->code.offset;
}

/* @n frames of a stack as offsets in @t's executable, in @frames. */
static void frame_offsets(const struct pinstat_trace *t,
			  const unsigned long *stack, unsigned int n,
			  u64 *frames)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		frames[i] = frame_offset(t, stack[i]);
}

static int lock_handler(PINSTAT_UPROBE_HANDLER_PROTO)
{
	struct pinstat_trace *t = trace_of_probe(uc);
	u64 site;

	if (!traced_thread(t))
		return 0;
	site = frame_offset(t, pinstat_user_return_address(regs));
	spin_lock(&t->counts.lock);
	/* a call from outside the executable has no site of its own */
	if (t->state == TRACE_TRACING)
		pinstat_lock_called(&t->counts, current->pid,
				    site == PINSTAT_FRAME_OUTSIDE ? 0 : site);
	spin_unlock(&t->counts.lock);
	return 0;
}

static int unlock_handler(PINSTAT_UPROBE_HANDLER_PROTO)
{
	struct pinstat_trace *t = trace_of_probe(uc);

	if (!traced_thread(t))
		return 0;
	spin_lock(&t->counts.lock);
	if (t->state == TRACE_TRACING)
		pinstat_lock_released(&t->counts, current->pid);
	spin_unlock(&t->counts.lock);
	return 0;
}

static int create_handler(PINSTAT_UPROBE_HANDLER_PROTO)
{
	struct pinstat_trace *t = trace_of_probe(uc);
	unsigned long stack[PINSTAT_AFFINITY_FRAMES];
	u64 frames[PINSTAT_AFFINITY_FRAMES] = { 0 };

	if (!traced_thread(t))
		return 0;
	frame_offsets(t, stack,
		      pinstat_user_call_stack(regs, stack, ARRAY_SIZE(stack)),
		      frames);
	spin_lock(&t->counts.lock);
	if (t->state == TRACE_TRACING) {
		t->counts.calls++;
		pinstat_callers_add(&t->counts.creators, frames);
	}
	spin_unlock(&t->counts.lock);
	return 0;
}

/* Which address spaces get the breakpoints: the traced process's only. */
static bool probe_filter(PINSTAT_UPROBE_FILTER_PROTO)
{
	return mm == trace_of_probe(uc)->mm;
}

/* The first @n probes of @t go; sleeps. */
static void probes_unregister(struct pinstat_trace *t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		pinstat_uprobe_unregister_nosync(&t->probes[i].where,
						 &t->probes[i].consumer);
	pinstat_uprobe_unregister_sync();
}

/* Every probe of @t in place, or none; sleeps. */
static int probes_register(struct pinstat_trace *t)
{
	unsigned int i;
	int err;

	for (i = 0; i < t->nr_probes; i++) {
		err = pinstat_uprobe_register(&t->probes[i].where,
					      &t->probes[i].consumer);
		if (err) {
			probes_unregister(t, i);
			return err;
		}
	}
	set_bit(0, &t->registered);
	static_branch_inc(&pinstat_locktrace_on);
	return 0;
}

/* The uprobes go, if they are still in place; sleeps. */
static void trace_unregister(struct pinstat_trace *t)
{
	if (!test_and_clear_bit(0, &t->registered))
		return;
	probes_unregister(t, t->nr_probes);
	static_branch_dec(&pinstat_locktrace_on);
}

static void trace_end_work(struct work_struct *work)
{
	trace_unregister(container_of(work, struct pinstat_trace, end_work));
}

/* Under t->counts.lock, from any context: the uprobe goes soon after. */
static void trace_end(struct pinstat_trace *t, enum trace_state why)
{
	if (t->state != TRACE_TRACING)
		return;
	WRITE_ONCE(t->state, why);
	WRITE_ONCE(t->ended_ns, ktime_get_ns());
	schedule_work(&t->end_work);
}

void pinstat_locktrace_thread_exited(struct task_struct *task, bool solo,
				     bool last)
{
	struct pinstat_trace *t;

	rcu_read_lock();
	t = trace_of(task);
	if (t) {
		spin_lock(&t->counts.lock);
		if (t->kind == TRACE_LOCKS)
			pinstat_lock_thread_ended(&t->counts, task->pid, solo,
						  t->state == TRACE_TRACING);
		if (last)
			trace_end(t, TRACE_EXITED);
		spin_unlock(&t->counts.lock);
	}
	rcu_read_unlock();
}

void pinstat_locktrace_affinity_seen(void)
{
	unsigned long stack[PINSTAT_AFFINITY_FRAMES];
	u64 frames[PINSTAT_AFFINITY_FRAMES] = { 0 };
	struct pinstat_trace *t;

	rcu_read_lock();
	t = trace_of(current);
	if (!t || current->mm != t->mm)
		goto out;
	frame_offsets(t, stack, pinstat_user_stack(stack, ARRAY_SIZE(stack)),
		      frames);
	spin_lock(&t->counts.lock);
	if (t->state == TRACE_TRACING)
		pinstat_callers_add(&t->counts.affinity, frames);
	spin_unlock(&t->counts.lock);
out:
	rcu_read_unlock();
}

void pinstat_locktrace_exec_seen(struct task_struct *task)
{
	struct pinstat_trace *t;

	rcu_read_lock();
	t = trace_of(task);
	if (t) {
		spin_lock(&t->counts.lock);
		trace_end(t, TRACE_EXECED);
		spin_unlock(&t->counts.lock);
	}
	rcu_read_unlock();
}

/*
 * The memory of @t, whose probes are gone and references dropped, and
 * which no hook can find: in process context, as the xarray's lock is
 * taken with softirqs on.
 */
static void trace_free(struct pinstat_trace *t)
{
	pinstat_lock_counts_destroy(&t->counts);
	kfree(t->probes);
	kfree(t);
}

/* @t's references to its process's memory and files go. */
static void trace_put(struct pinstat_trace *t)
{
	fput(t->probed);
	fput(t->exe);
	mmdrop(t->mm);
}

/* Under trace_mutex: slot @i's trace goes, uprobe, counts and all. */
static void slot_free(unsigned int i)
{
	struct pinstat_trace *t = slot(i);

	RCU_INIT_POINTER(slots[i], NULL);
	/* no hook finds the trace, nor queues the work, after this */
	synchronize_rcu();
	cancel_work_sync(&t->end_work);
	/* no handler runs after this */
	trace_unregister(t);
	trace_put(t);
	trace_free(t);
}

/*
 * An executable mapping of @mm: of @inode's file if @inode is given (the
 * lowest), else the one that holds @addr. Takes a reference on its file,
 * and says where it is in @range.
 */
static struct file *code_mapping(struct mm_struct *mm, struct inode *inode,
				 unsigned long addr, struct code_range *range)
{
	struct vm_area_struct *vma;
	struct file *found = NULL;
	unsigned long at = 0;

	mmap_read_lock(mm);
	while (!found && (vma = find_vma(mm, at))) {
		at = vma->vm_end;
		if (!vma->vm_file || !(vma->vm_flags & VM_EXEC) ||
		    (inode ? file_inode(vma->vm_file) != inode :
			     addr < vma->vm_start || addr >= vma->vm_end))
			continue;
		found = get_file(vma->vm_file);
		range->start = vma->vm_start;
		range->end = vma->vm_end;
		range->offset = (u64)vma->vm_pgoff << PAGE_SHIFT;
	}
	mmap_read_unlock(mm);
	return found;
}

/* The code of @mm's own executable: its file, held, and where it is. */
static struct file *exe_code(struct mm_struct *mm, struct code_range *range)
{
	struct inode *exe_inode;
	struct file *exe;

	/* compared only: the inode is not entered */
	rcu_read_lock();
	exe = rcu_dereference(mm->exe_file);
	exe_inode = exe ? file_inode(exe) : NULL;
	rcu_read_unlock();
	return exe_inode ? code_mapping(mm, exe_inode, 0, range) : NULL;
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
 * Can uprobes go at @offsets of @exe: LockOSThread's entry first, then
 * where UnlockOSThread's code starts, no place twice? -EINVAL if not.
 */
static int offsets_check(struct file *exe, const u64 *offsets, unsigned int n)
{
	unsigned int i, j;
	int err;

	for (i = 0; i < n; i++) {
		err = i ? pinstat_go_code_start(exe, offsets[i]) :
			  pinstat_go_func_entry(exe, offsets[i]);
		for (j = 0; !err && j < i; j++)
			if (offsets[j] == offsets[i])
				err = -EINVAL;
		if (err)
			return err;
	}
	return 0;
}

/*
 * @t's probes at @offsets of its probed file: of a lock trace, the
 * lock's, then the unlocks'; of a creates trace, pthread_create()'s.
 */
static int probes_new(struct pinstat_trace *t, const u64 *offsets,
		      unsigned int n)
{
	struct trace_probe *p;
	unsigned int i;

	t->probes = kcalloc(n, sizeof(*t->probes), GFP_KERNEL);
	if (!t->probes)
		return -ENOMEM;
	t->nr_probes = n;
	for (i = 0; i < n; i++) {
		p = &t->probes[i];
		p->trace = t;
		p->where.inode = file_inode(t->probed);
		p->where.offset = offsets[i];
		if (t->kind == TRACE_CREATES)
			p->consumer.handler = create_handler;
		else
			p->consumer.handler = i ? unlock_handler : lock_handler;
		p->consumer.filter = probe_filter;
	}
	return 0;
}

/* A lock trace probes @task's executable, which must run Go. */
static int locks_target(struct pinstat_trace *t, struct task_struct *task,
			const u64 *offsets, unsigned int n)
{
	bool go;

	rcu_read_lock();
	go = pinstat_user_task(task) && pinstat_go_runtime(task);
	rcu_read_unlock();
	if (!go)
		return -ENOEXEC;
	t->probed = get_file(t->exe);
	return offsets_check(t->exe, offsets, n);
}

/*
 * A creates trace probes the file mapped at @addr of @mm, where one of its
 * functions starts: @offset in it.
 */
static int creates_target(struct pinstat_trace *t, struct mm_struct *mm,
			  unsigned long addr, u64 *offset)
{
	struct code_range range;

	t->probed = code_mapping(mm, NULL, addr, &range);
	if (!t->probed)
		return -EINVAL;
	*offset = addr - range.start + range.offset;
	return pinstat_elf_func_start(t->probed, *offset);
}

/*
 * A new trace of @task, not yet in a slot. Of its locks (@kind
 * TRACE_LOCKS): probes at @where (@n offsets of its executable); -ENOEXEC
 * if it does not run Go, -EINVAL if an offset is not where a function, or
 * code inlined into one, starts. Of its thread creation: a probe at the
 * address @where[0]; -EINVAL if no function of a mapped file starts there.
 */
static struct pinstat_trace *trace_new(struct task_struct *task,
				       enum trace_kind kind, const u64 *where,
				       unsigned int n)
{
	struct pinstat_trace *t;
	struct mm_struct *mm;
	u64 offset;
	int err;

	mm = get_task_mm(task);
	if (!mm)
		return ERR_PTR(-ESRCH);
	err = -ENOMEM;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		goto put_mm;
	t->kind = kind;
	err = -EINVAL;
	t->exe = exe_code(mm, &t->code);
	if (!t->exe)
		goto free;
	if (kind == TRACE_LOCKS)
		err = locks_target(t, task, where, n) ?:
							probes_new(t, where, n);
	else
		err = creates_target(t, mm, where[0], &offset) ?:
			      probes_new(t, &offset, 1);
	if (err)
		goto put_files;
	t->key = pinstat_task_key(task);
	mmgrab(mm);
	t->mm = mm;
	mmput(mm);
	INIT_WORK(&t->end_work, trace_end_work);
	pinstat_lock_counts_init(&t->counts);
	return t;

put_files:
	if (t->probed)
		fput(t->probed);
	fput(t->exe);
free:
	kfree(t->probes);
	kfree(t);
put_mm:
	mmput(mm);
	return ERR_PTR(err);
}

/*
 * Under trace_mutex: the slot for a new trace of the process with @key.
 * An ended trace of the same process gives way first (a trace of it goes
 * on: -EEXIST), then a free slot is taken, then the slot of the trace
 * that ended first; -ENOSPC if every trace goes on.
 */
static int slot_for_new(const struct pinstat_key *key)
{
	int i, same = -1, free = -1, ended = -1;
	struct pinstat_trace *t;

	for (i = 0; i < PINSTAT_TRACE_MAX; i++) {
		t = slot(i);
		if (!t) {
			free = free < 0 ? i : free;
			continue;
		}
		if (READ_ONCE(t->state) == TRACE_TRACING) {
			if (pinstat_key_equal(&t->key, key))
				return -EEXIST;
			continue;
		}
		if (pinstat_key_equal(&t->key, key))
			same = i;
		else if (ended < 0 || READ_ONCE(t->ended_ns) <
					      READ_ONCE(slot(ended)->ended_ns))
			ended = i;
	}
	if (same >= 0)
		return same;
	if (free >= 0)
		return free;
	return ended >= 0 ? ended : -ENOSPC;
}

/*
 * Under trace_mutex: @t's probe in place, then @t in slot @i. Counting
 * starts once the exit hook finds the trace: every thread whose lock is
 * counted has its exit seen. Nothing changes if the probe is refused.
 */
static int trace_install(struct pinstat_trace *t, int i,
			 struct task_struct *task)
{
	int err = probes_register(t);

	if (err)
		return err;
	if (rcu_access_pointer(slots[i]))
		slot_free(i);
	rcu_assign_pointer(slots[i], t);
	spin_lock(&t->counts.lock);
	t->state = TRACE_TRACING;
	spin_unlock(&t->counts.lock);
	/*
	 * A last exit that took the lock before us saw a trace not yet
	 * started: its decrement of the live count is seen here.
	 */
	if (!pinstat_live_threads(task)) {
		spin_lock(&t->counts.lock);
		trace_end(t, TRACE_EXITED);
		spin_unlock(&t->counts.lock);
	}
	return 0;
}

static int trace_start(pid_t pid, enum trace_kind kind, const u64 *where,
		       unsigned int n)
{
	struct task_struct *task = process_get(pid);
	struct pinstat_trace *t;
	struct pinstat_key key;
	int i, err;

	if (!task)
		return -ESRCH;
	mutex_lock(&trace_mutex);
	key = pinstat_task_key(task);
	i = slot_for_new(&key);
	err = min(i, 0);
	if (err)
		goto unlock;
	t = trace_new(task, kind, where, n);
	err = PTR_ERR_OR_ZERO(t);
	if (err)
		goto unlock;
	err = trace_install(t, i, task);
	if (err) {
		trace_put(t);
		trace_free(t);
	}
unlock:
	mutex_unlock(&trace_mutex);
	put_task_struct(task);
	return err;
}

int pinstat_locktrace_start(pid_t pid, const u64 *offsets, unsigned int n)
{
	return trace_start(pid, TRACE_LOCKS, offsets, n);
}

int pinstat_locktrace_start_creates(pid_t pid, unsigned long addr)
{
	u64 where = addr;

	return trace_start(pid, TRACE_CREATES, &where, 1);
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
		t = slot(i);
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
}

/* For debugfs: @header, then what @show writes of each trace, under its lock. */
static void show_each(struct seq_file *m, const char *header,
		      void (*show)(struct seq_file *m,
				   const struct pinstat_trace *t))
{
	struct pinstat_trace *t;
	unsigned int i;

	seq_puts(m, header);
	mutex_lock(&trace_mutex);
	for (i = 0; i < PINSTAT_TRACE_MAX; i++) {
		t = slot(i);
		if (!t)
			continue;
		spin_lock(&t->counts.lock);
		show(m, t);
		spin_unlock(&t->counts.lock);
	}
	mutex_unlock(&trace_mutex);
}

/*
 * debugfs "traced": one line per trace. The executable comes last, with
 * its device and inode: the CLI names call sites from the file at that
 * path once the process is gone, if it is still the same file. Spaces,
 * tabs, newlines and backslashes in the path are written as \ooo. The
 * probe's offset is in the probed file: the executable, or for a creates
 * trace the library with pthread_create().
 */
static void show_trace(struct seq_file *m, const struct pinstat_trace *t)
{
	struct inode *inode = file_inode(t->exe);

	seq_printf(m, "%d %s %s 0x%llx %u %llu %llu %u %llu %llu %llu %u %llu ",
		   t->key.tgid, state_names[t->state], kind_names[t->kind],
		   (u64)t->probes[0].where.offset,
		   t->kind == TRACE_LOCKS ? t->nr_probes - 1 : 0,
		   t->counts.calls, t->counts.unlocks, t->counts.nr_threads,
		   t->counts.exits_unseen, t->counts.exits_unlocked,
		   t->counts.threads_dropped,
		   new_encode_dev(inode->i_sb->s_dev), (u64)inode->i_ino);
	seq_path(m, &t->exe->f_path, " \t\n\\");
	seq_putc(m, '\n');
}

void pinstat_locktrace_show_traced(struct seq_file *m)
{
	show_each(m,
		  "pid state kind probe_offset unlock_probes calls unlocks threads_seen exits_unseen exits_unlocked threads_dropped exe_dev exe_ino exe\n",
		  show_trace);
}

static void show_trace_sites(struct seq_file *m, const struct pinstat_trace *t)
{
	pinstat_lock_sites_show(m, t->key.tgid, &t->counts);
}

/* debugfs "lock_sites": one line per call site of each trace. */
void pinstat_locktrace_show_sites(struct seq_file *m)
{
	show_each(m, "pid site calls locked_exits last_locked locked\n",
		  show_trace_sites);
}

static void show_affinity_callers(struct seq_file *m,
				  const struct pinstat_trace *t)
{
	pinstat_callers_show(m, t->key.tgid, &t->counts.affinity);
}

/* debugfs "affinity_sites": one line per caller stack of each trace. */
void pinstat_locktrace_show_affinity(struct seq_file *m)
{
	show_each(m, "pid calls frame0 frame1 frame2 frame3\n",
		  show_affinity_callers);
}

static void show_creators(struct seq_file *m, const struct pinstat_trace *t)
{
	pinstat_callers_show(m, t->key.tgid, &t->counts.creators);
}

/* debugfs "create_sites": one line per pthread_create() caller stack. */
void pinstat_locktrace_show_creators(struct seq_file *m)
{
	show_each(m, "pid calls frame0 frame1 frame2 frame3\n", show_creators);
}
