// SPDX-License-Identifier: GPL-2.0
/*
 * The process table.
 *
 * Records live in a hash table of RCU lists keyed by TGID: event handlers
 * look records up without taking any lock, and adding or removing a record
 * locks only its bucket. At most pinstat_capacity records exist.
 * When a process's last thread exits, its record goes onto the exited list
 * of the CPU it exited on (so the lists are in exit order and no lock is
 * shared by all CPUs); a worker frees records once they have lingered for
 * linger_s seconds, and a full table makes room by freeing the oldest
 * exited record first. Records are freed after an RCU grace period.
 *
 * A record seeded from the kernel's thread count rather than seen from the
 * process's birth (at load, on re-enable, after a drop) can be off by a
 * thread that was being created or ending at that very moment, and any
 * record misses events when a probe misses a hit (nmissed); so the audit
 * worker retires every record whose process is gone, and none can stay
 * "live" for ever.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rculist.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "pinstat.h"
#include "stats.h"
#include "table.h"

/* Make room by evicting at most this many records per allocation. */
#define EVICT_TRIES  4
#define AUDIT_PERIOD (10 * HZ)

struct bucket {
	struct hlist_head head;
	raw_spinlock_t lock; /* for writers; readers use RCU */
};

struct exited_list {
	raw_spinlock_t lock;
	struct list_head head;
};

static struct kmem_cache *record_cache;
static struct bucket *buckets;
static unsigned int bucket_bits;
static atomic_t nr_records = ATOMIC_INIT(0);
static atomic_t nr_exited = ATOMIC_INIT(0); /* on the exited lists */
static DEFINE_PER_CPU(struct exited_list, exited_lists);

static void table_gc(struct work_struct *work);
static DECLARE_DELAYED_WORK(gc_work, table_gc);
static void table_audit(struct work_struct *work);
static DECLARE_DELAYED_WORK(audit_work, table_audit);

/* Watch directories of freed records are removed in process context. */
static void prune_watches(struct work_struct *work)
{
	pinstat_watch_prune();
}

static DECLARE_WORK(prune_work, prune_watches);

static struct bucket *bucket_of(pid_t tgid)
{
	return &buckets[hash_32(tgid, bucket_bits)];
}

/* @key by value: the hot paths call this with a key they have just made. */
struct pinstat_record *table_find(struct pinstat_key key)
{
	struct pinstat_record *rec;

	hlist_for_each_entry_rcu(rec, &bucket_of(key.tgid)->head, hash_node)
		if (pinstat_key_equal(&rec->key, &key))
			return rec;
	return NULL;
}

/* The live process with this TGID, or else its most recent exited one. */
struct pinstat_record *table_find_pid(pid_t tgid)
{
	struct pinstat_record *rec, *best = NULL;

	hlist_for_each_entry_rcu(rec, &bucket_of(tgid)->head, hash_node) {
		if (rec->key.tgid != tgid)
			continue;
		if (!READ_ONCE(rec->exited))
			return rec;
		if (!best || rec->key.start_ns > best->key.start_ns)
			best = rec;
	}
	return best;
}

static void record_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(record_cache,
			container_of(head, struct pinstat_record, rcu));
}

/* Unhash and free a record that is on no exited list. */
static void table_free(struct pinstat_record *rec)
{
	struct bucket *b = bucket_of(rec->key.tgid);

	raw_spin_lock(&b->lock);
	hlist_del_rcu(&rec->hash_node);
	raw_spin_unlock(&b->lock);
	call_rcu(&rec->rcu, record_free_rcu);
	atomic_dec(&nr_records);
	if (pinstat_watching())
		queue_work(system_unbound_wq, &prune_work);
}

/* Take the oldest record off the exited lists of all CPUs. */
static struct pinstat_record *pop_oldest_exited(void)
{
	struct pinstat_record *rec, *oldest = NULL;
	struct exited_list *list, *from = NULL;
	int cpu;

	if (!atomic_read(&nr_exited))
		return NULL; /* the common case when full: nothing to scan */
	for_each_possible_cpu(cpu) {
		list = per_cpu_ptr(&exited_lists, cpu);
		raw_spin_lock(&list->lock);
		rec = list_first_entry_or_null(&list->head,
					       struct pinstat_record,
					       exit_node);
		if (rec && (!oldest || rec->exit_ns < oldest->exit_ns)) {
			oldest = rec;
			from = list;
		}
		raw_spin_unlock(&list->lock);
	}
	if (!from)
		return NULL;

	/* The head may have been taken meanwhile: take whatever is first. */
	raw_spin_lock(&from->lock);
	rec = list_first_entry_or_null(&from->head, struct pinstat_record,
				       exit_node);
	if (rec) {
		list_del_init(&rec->exit_node);
		atomic_dec(&nr_exited);
	}
	raw_spin_unlock(&from->lock);
	return rec;
}

static struct pinstat_record *record_alloc(void)
{
	unsigned int capacity = READ_ONCE(pinstat_capacity);
	struct pinstat_record *rec, *victim;
	int tries;

	for (tries = 0; atomic_inc_return(&nr_records) > capacity; tries++) {
		atomic_dec(&nr_records);
		victim = tries < EVICT_TRIES ? pop_oldest_exited() : NULL;
		if (!victim)
			return NULL;
		table_free(victim);
		stats_inc(STAT_EVICTED);
	}
	/* no emergency reserves for a statistic: a failure counts as dropped */
	rec = kmem_cache_zalloc(record_cache, GFP_NOWAIT | __GFP_NOWARN);
	if (!rec)
		atomic_dec(&nr_records);
	return rec;
}

/*
 * Add a record for @leader's process, seeded with @threads_live, unless
 * another CPU added one first: then that one is returned.
 */
static struct pinstat_record *table_insert(struct task_struct *leader,
					   int threads_live, u64 now)
{
	struct pinstat_record *rec, *found;
	struct bucket *b;

	rec = record_alloc();
	if (!rec)
		return NULL;
	record_init(rec, leader, threads_live, now);

	b = bucket_of(rec->key.tgid);
	raw_spin_lock(&b->lock);
	found = table_find(rec->key);
	if (!found)
		hlist_add_head_rcu(&rec->hash_node, &b->head);
	raw_spin_unlock(&b->lock);

	if (found) {
		kmem_cache_free(record_cache, rec);
		atomic_dec(&nr_records);
		return found;
	}
	return rec;
}

/*
 * The record of @task's process, added on first sight. A new record starts
 * from the kernel's count of live threads as it was before the event being
 * handled (@live_adjust corrects it), so that the event can then be applied
 * to it like to any other record.
 */
struct pinstat_record *table_get(struct task_struct *task, int live_adjust,
				 u64 now)
{
	struct pinstat_key key = pinstat_task_key(task);
	struct pinstat_record *rec;
	int live;

	rec = table_find(key);
	if (rec)
		return rec;
	live = atomic_read(&task->signal->live) + live_adjust;
	return table_insert(task->group_leader, max(live, 0), now);
}

/*
 * Like table_find_pid(), but a live user process with that TGID that has
 * no record yet gets one: someone asked to watch it. Under RCU.
 */
struct pinstat_record *table_get_pid(pid_t tgid)
{
	struct pinstat_record *rec = table_find_pid(tgid);
	struct task_struct *leader;

	if (rec && !READ_ONCE(rec->exited))
		return rec;
	leader = pid_task(find_pid_ns(tgid, &init_pid_ns), PIDTYPE_TGID);
	if (!leader || (leader->flags & PF_KTHREAD) ||
	    !atomic_read(&leader->signal->live))
		return rec;
	return table_get(leader, 0, ktime_get_ns()) ?: rec;
}

static unsigned long gc_delay(u64 expiry_ns, u64 now)
{
	return expiry_ns > now ? nsecs_to_jiffies(expiry_ns - now) + 1 : 0;
}

/* Queue a record whose process has ended; it lingers, then goes. */
void table_retire(struct pinstat_record *rec, u64 now)
{
	/* any CPU's list will do if we migrate: it is locked, not per-CPU data */
	struct exited_list *list = raw_cpu_ptr(&exited_lists);
	u64 linger_ns = (u64)READ_ONCE(pinstat_linger_s) * NSEC_PER_SEC;

	raw_spin_lock(&list->lock);
	rec->exit_ns = now;
	list_add_tail(&rec->exit_node, &list->head);
	atomic_inc(&nr_exited);
	raw_spin_unlock(&list->lock);
	/*
	 * No-op when the worker is pending: it is then due no later than this
	 * record, or it will find this record and requeue for it.
	 */
	queue_delayed_work(system_unbound_wq, &gc_work,
			   gc_delay(now + linger_ns, now));
}

static void table_gc(struct work_struct *work)
{
	u64 linger_ns = (u64)READ_ONCE(pinstat_linger_s) * NSEC_PER_SEC;
	u64 now = ktime_get_ns(), next = U64_MAX;
	struct pinstat_record *rec, *tmp;
	struct exited_list *list;
	LIST_HEAD(expired);
	int cpu;

	for_each_possible_cpu(cpu) {
		list = per_cpu_ptr(&exited_lists, cpu);
		raw_spin_lock(&list->lock);
		list_for_each_entry_safe(rec, tmp, &list->head, exit_node) {
			if (rec->exit_ns + linger_ns > now) {
				next = min(next, rec->exit_ns + linger_ns);
				break;
			}
			list_move_tail(&rec->exit_node, &expired);
			atomic_dec(&nr_exited);
		}
		raw_spin_unlock(&list->lock);
		cond_resched();
	}
	list_for_each_entry_safe(rec, tmp, &expired, exit_node) {
		table_free(rec);
		cond_resched();
	}
	/* mod, not queue: a retire meanwhile may have queued us later */
	if (next != U64_MAX)
		mod_delayed_work(system_unbound_wq, &gc_work,
				 gc_delay(next, now));
}

/* A shorter linger_s applies at once to the records already lingering. */
void table_linger_changed(void)
{
	mod_delayed_work(system_unbound_wq, &gc_work, 0);
}

/* Call @fn on every record, one bucket at a time under RCU. */
static void table_for_each(void (*fn)(struct pinstat_record *rec, void *arg),
			   void *arg)
{
	unsigned int i;

	for (i = 0; i < table_buckets(); i++) {
		rcu_read_lock();
		table_walk_bucket(i, fn, arg);
		rcu_read_unlock();
		cond_resched();
	}
}

/* Retire a record whose process has ended unseen. */
static void audit_one(struct pinstat_record *rec, void *unused)
{
	struct task_struct *leader;
	u64 now;

	if (READ_ONCE(rec->exited))
		return;
	leader = pinstat_key_task(&rec->key);
	if (leader && atomic_read(&leader->signal->live) > 0)
		return;
	now = ktime_get_ns();
	if (record_mark_exited(rec, now))
		table_retire(rec, now);
}

static void table_audit(struct work_struct *work)
{
	table_for_each(audit_one, NULL);
	queue_delayed_work(system_unbound_wq, &audit_work, AUDIT_PERIOD);
}

/*
 * Make the table agree with the tasks that exist now: add every user
 * process with more than one thread (see events.c), take live thread
 * counts from the kernel, and retire records of processes that ended
 * unseen. Runs at load and when counting resumes.
 */
void table_sync(void)
{
	u64 now = ktime_get_ns();
	struct pinstat_record *rec;
	struct pinstat_key key;
	struct task_struct *p;
	int live;

	rcu_read_lock();
	for_each_process(p) {
		live = atomic_read(&p->signal->live);
		if ((p->flags & PF_KTHREAD) || !live)
			continue;
		key = pinstat_task_key(p);
		rec = table_find(key);
		if (rec)
			record_set_live(rec, live);
		else if (live > 1 && !table_insert(p, live, now))
			stats_inc(STAT_DROPPED);
	}
	rcu_read_unlock();
	table_for_each(audit_one, NULL);
}

static void reset_one(struct pinstat_record *rec, void *unused)
{
	record_reset(rec);
}

void table_reset(void)
{
	table_for_each(reset_one, NULL);
}

unsigned int table_tracked(void)
{
	return atomic_read(&nr_records);
}

unsigned int table_buckets(void)
{
	return 1U << bucket_bits;
}

/* Call @fn on each record of @bucket; the caller holds rcu_read_lock(). */
void table_walk_bucket(unsigned int bucket,
		       void (*fn)(struct pinstat_record *rec, void *arg),
		       void *arg)
{
	struct pinstat_record *rec;

	hlist_for_each_entry_rcu(rec, &buckets[bucket].head, hash_node)
		fn(rec, arg);
}

int table_init(unsigned int capacity)
{
	unsigned int i;
	int cpu;

	/* about two records per bucket when full */
	bucket_bits = max_t(int, order_base_2(capacity) - 1, 4);
	buckets = kvcalloc(table_buckets(), sizeof(*buckets), GFP_KERNEL);
	if (!buckets)
		return -ENOMEM;
	for (i = 0; i < table_buckets(); i++)
		raw_spin_lock_init(&buckets[i].lock);
	record_cache = KMEM_CACHE(pinstat_record, 0);
	if (!record_cache) {
		kvfree(buckets);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		struct exited_list *list = per_cpu_ptr(&exited_lists, cpu);

		raw_spin_lock_init(&list->lock);
		INIT_LIST_HEAD(&list->head);
	}
	queue_delayed_work(system_unbound_wq, &audit_work, AUDIT_PERIOD);
	return 0;
}

/* Called once no event handler, reader or worker can run any more. */
void table_destroy(void)
{
	struct pinstat_record *rec;
	struct hlist_node *tmp;
	unsigned int i;

	cancel_delayed_work_sync(&audit_work);
	cancel_delayed_work_sync(&gc_work);
	cancel_work_sync(&prune_work);
	rcu_barrier(); /* records freed through call_rcu() are gone */
	for (i = 0; i < table_buckets(); i++)
		hlist_for_each_entry_safe(rec, tmp, &buckets[i].head, hash_node)
			kmem_cache_free(record_cache, rec);
	atomic_set(&nr_records, 0);
	atomic_set(&nr_exited, 0);
	kmem_cache_destroy(record_cache);
	kvfree(buckets);
}
