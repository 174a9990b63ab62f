/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process table: records found without locks under RCU, bounded in
 * number, exited records kept for linger_s seconds.
 */
#ifndef _PINSTAT_TABLE_H
#define _PINSTAT_TABLE_H

#include "record.h"

int table_init(unsigned int capacity);
void table_destroy(void);

/* These need rcu_read_lock() held for as long as the record is used. */
struct pinstat_record *table_find(struct pinstat_key key);
struct pinstat_record *table_find_pid(pid_t tgid);
struct pinstat_record *table_get(struct task_struct *task, int live_adjust,
				 u64 now);
struct pinstat_record *table_get_pid(pid_t tgid);

void table_retire(struct pinstat_record *rec, u64 now);
void table_sync(void);
void table_reset(void);
void table_linger_changed(void);
unsigned int table_tracked(void);

unsigned int table_buckets(void);
void table_walk_bucket(unsigned int bucket,
		       void (*fn)(struct pinstat_record *rec, void *arg),
		       void *arg);

#endif /* _PINSTAT_TABLE_H */
