/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process table: records found without locks under RCU, bounded in
 * number; exited records wait on exit-ordered lists until they expire or
 * are evicted to make room.
 */
#ifndef _PINSTAT_TABLE_H
#define _PINSTAT_TABLE_H

#include "record.h"

int pinstat_table_init(unsigned int capacity);
void pinstat_table_destroy(void);

/* These need rcu_read_lock() held for as long as the record is used. */
struct pinstat_record *pinstat_table_find(struct pinstat_key key);
struct pinstat_record *pinstat_table_find_pid(pid_t tgid);
struct pinstat_record *pinstat_table_get(struct task_struct *task, u64 now);
/* Process context, not under RCU: may wait for memory. */
bool pinstat_table_add(struct task_struct *task, u64 now);

void pinstat_table_retire(struct pinstat_record *rec, u64 now);
u64 pinstat_table_expire(u64 now, u64 linger_ns);
unsigned int pinstat_table_tracked(void);

typedef void (*pinstat_record_fn)(struct pinstat_record *rec, void *arg);
unsigned int pinstat_table_buckets(void);
void pinstat_table_walk_bucket(unsigned int bucket, pinstat_record_fn fn,
			       void *arg);
void pinstat_table_for_each(pinstat_record_fn fn, void *arg);

#endif /* _PINSTAT_TABLE_H */
