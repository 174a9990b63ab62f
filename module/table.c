// SPDX-License-Identifier: GPL-2.0
/*
 * The process table.
 *
 * Records live in a hash table of RCU lists keyed by TGID: event handlers
 * look records up without taking any lock, and adding or removing a record
 * locks only its bucket. At most pinstat_capacity records exist.
 * When a process's last thread exits, its record goes onto the exited list
 * of the CPU it exited on (so the lists are in exit order and no lock is
 * shared by all CPUs); linger.c frees the records that have expired, and
 * a full table makes room by freeing the oldest exited record first.
 * Records are freed after an RCU grace period.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rculist.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include "listener.h"
#include "stats.h"
#include "table.h"

/* Make room by evicting at most this many records per allocation. */
#define EVICT_TRIES 4

struct pinstat_bucket {
	struct hlist_head head;
	raw_spinlock_t lock; /* for writers; readers use RCU */
};

struct pinstat_exited_list {
	raw_spinlock_t lock;
	struct list_head head;
};

static unsigned int capacity;
static struct kmem_cache *record_cache;
static struct pinstat_bucket *buckets;
static unsigned int bucket_bits;
static atomic_t nr_records = ATOMIC_INIT(0);
static atomic_t nr_exited = ATOMIC_INIT(0); /* on the exited lists */
static DEFINE_PER_CPU(struct pinstat_exited_list, exited_lists);

static struct pinstat_bucket *bucket_of(pid_t tgid)
{
	return &buckets[hash_32(tgid, bucket_bits)];
}

/* @key by value: the hot paths call this with a key they have just made. */
struct pinstat_record *pinstat_table_find(struct pinstat_key key)
{
	struct pinstat_record *rec;

	hlist_for_each_entry_rcu(rec, &bucket_of(key.tgid)->head, hash_node)
		if (pinstat_key_equal(&rec->key, &key))
			return rec;
	return NULL;
}

/* The live process with this TGID, or else its most recent exited one. */
struct pinstat_record *pinstat_table_find_pid(pid_t tgid)
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
	struct pinstat_bucket *b = bucket_of(rec->key.tgid);

	raw_spin_lock(&b->lock);
	hlist_del_rcu(&rec->hash_node);
	raw_spin_unlock(&b->lock);
	call_rcu(&rec->rcu, record_free_rcu);
	atomic_dec(&nr_records);
	pinstat_notify_freed();
}

/* Take the oldest record off the exited lists of all CPUs. */
static struct pinstat_record *pop_oldest_exited(void)
{
	struct pinstat_record *rec, *oldest = NULL;
	struct pinstat_exited_list *list, *from = NULL;
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

static struct pinstat_record *record_alloc(gfp_t gfp)
{
	struct pinstat_record *rec, *victim;
	int tries;

	for (tries = 0; atomic_inc_return(&nr_records) > capacity; tries++) {
		atomic_dec(&nr_records);
		victim = tries < EVICT_TRIES ? pop_oldest_exited() : NULL;
		if (!victim)
			return NULL;
		table_free(victim);
		pinstat_stats_inc(PINSTAT_STAT_EVICTED);
	}
	/* no emergency reserves for a statistic: a failure counts as dropped */
	rec = kmem_cache_zalloc(record_cache, gfp | __GFP_NOWARN);
	if (!rec)
		atomic_dec(&nr_records);
	return rec;
}

/*
 * Put @rec, new, in the table as the record of @task's process, unless
 * another CPU added one first: then @rec is freed and that one returned.
 * The caller is an RCU reader.
 */
static struct pinstat_record *table_insert(struct pinstat_record *rec,
					   struct task_struct *task, u64 now)
{
	struct pinstat_record *found;
	struct pinstat_bucket *b;

	pinstat_record_init(rec, task, now);
	b = bucket_of(rec->key.tgid);
	raw_spin_lock(&b->lock);
	found = pinstat_table_find(rec->key);
	if (!found)
		hlist_add_head_rcu(&rec->hash_node, &b->head);
	raw_spin_unlock(&b->lock);
	if (!found)
		return rec;
	kmem_cache_free(record_cache, rec);
	atomic_dec(&nr_records);
	return found;
}

/* The record of @task's process, added on first sight. Any context. */
struct pinstat_record *pinstat_table_get(struct task_struct *task, u64 now)
{
	struct pinstat_record *rec;

	rec = pinstat_table_find(pinstat_task_key(task));
	if (rec)
		return rec;
	rec = record_alloc(GFP_NOWAIT);
	return rec ? table_insert(rec, task, now) : NULL;
}

/*
 * The same, from process context where allocating may wait: not under
 * RCU, with a reference to @task. Returns whether the process has a record.
 */
bool pinstat_table_add(struct task_struct *task, u64 now)
{
	struct pinstat_record *rec = record_alloc(GFP_KERNEL);

	if (!rec)
		return false;
	rcu_read_lock();
	table_insert(rec, task, now);
	rcu_read_unlock();
	return true;
}

/* Queue a record whose process has ended, to linger. */
void pinstat_table_retire(struct pinstat_record *rec, u64 now)
{
	/* any CPU's list will do if we migrate: it is locked, not per-CPU data */
	struct pinstat_exited_list *list = raw_cpu_ptr(&exited_lists);

	raw_spin_lock(&list->lock);
	rec->exit_ns = now;
	list_add_tail(&rec->exit_node, &list->head);
	atomic_inc(&nr_exited);
	raw_spin_unlock(&list->lock);
}

/*
 * Free the records that exited @linger_ns or longer before @now. Returns
 * when the next one expires, U64_MAX if none waits. Process context.
 */
u64 pinstat_table_expire(u64 now, u64 linger_ns)
{
	struct pinstat_record *rec, *tmp;
	struct pinstat_exited_list *list;
	u64 next = U64_MAX;
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
	return next;
}

unsigned int pinstat_table_tracked(void)
{
	return atomic_read(&nr_records);
}

unsigned int pinstat_table_buckets(void)
{
	return 1U << bucket_bits;
}

/* Call @fn on each record of @bucket; the caller holds rcu_read_lock(). */
void pinstat_table_walk_bucket(unsigned int bucket, pinstat_record_fn fn,
			       void *arg)
{
	struct pinstat_record *rec;

	hlist_for_each_entry_rcu(rec, &buckets[bucket].head, hash_node)
		fn(rec, arg);
}

/* Call @fn on every record, one bucket at a time under RCU. */
void pinstat_table_for_each(pinstat_record_fn fn, void *arg)
{
	unsigned int i;

	for (i = 0; i < pinstat_table_buckets(); i++) {
		rcu_read_lock();
		pinstat_table_walk_bucket(i, fn, arg);
		rcu_read_unlock();
		cond_resched();
	}
}

int pinstat_table_init(unsigned int max_records)
{
	unsigned int i;
	int cpu;

	capacity = max_records;
	/* about two records per bucket when full */
	bucket_bits = max_t(int, order_base_2(capacity) - 1, 4);
	buckets =
		kvcalloc(pinstat_table_buckets(), sizeof(*buckets), GFP_KERNEL);
	if (!buckets)
		return -ENOMEM;
	for (i = 0; i < pinstat_table_buckets(); i++)
		raw_spin_lock_init(&buckets[i].lock);
	record_cache = KMEM_CACHE(pinstat_record, 0);
	if (!record_cache) {
		kvfree(buckets);
		return -ENOMEM;
	}
	for_each_possible_cpu(cpu) {
		struct pinstat_exited_list *list =
			per_cpu_ptr(&exited_lists, cpu);

		raw_spin_lock_init(&list->lock);
		INIT_LIST_HEAD(&list->head);
	}
	return 0;
}

/* Called once no event handler, reader or worker can run any more. */
void pinstat_table_destroy(void)
{
	struct pinstat_record *rec;
	struct hlist_node *tmp;
	unsigned int i;

	rcu_barrier(); /* records freed through call_rcu() are gone */
	for (i = 0; i < pinstat_table_buckets(); i++)
		hlist_for_each_entry_safe(rec, tmp, &buckets[i].head, hash_node)
			kmem_cache_free(record_cache, rec);
	atomic_set(&nr_records, 0);
	atomic_set(&nr_exited, 0);
	kmem_cache_destroy(record_cache);
	kvfree(buckets);
}
