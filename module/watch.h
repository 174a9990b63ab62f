/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/kernel/pinstat/procs/<pid>/: the watched processes.
 */
#ifndef _PINSTAT_WATCH_H
#define _PINSTAT_WATCH_H

#include "task.h"

struct kobject;

int pinstat_watch_init(struct kobject *parent);
void pinstat_watch_exit(void);
int pinstat_watch_pid(pid_t pid);
int pinstat_watch_key(const struct pinstat_key *key);
int pinstat_unwatch(pid_t pid);
void pinstat_watch_prune(void);

#endif /* _PINSTAT_WATCH_H */
