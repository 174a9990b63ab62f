/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What each hooked event does to the process table. Called from the probe
 * handlers, in atomic context, for user tasks only.
 */
#ifndef _PINSTAT_EVENTS_H
#define _PINSTAT_EVENTS_H

#include <linux/sched.h>

void pinstat_task_created(struct task_struct *task);
void pinstat_task_exited(struct task_struct *task, int group_dead);
void pinstat_task_exec(struct task_struct *task);
void pinstat_affinity_changed(struct task_struct *task);

#endif /* _PINSTAT_EVENTS_H */
