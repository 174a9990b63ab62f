/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Module-wide tunables and the entry points of each interface.
 */
#ifndef _PINSTAT_H
#define _PINSTAT_H

#include <linux/sizes.h>
#include <linux/types.h>

struct kobject;

#define PINSTAT_CAPACITY_MAX	   SZ_1M
#define PINSTAT_SHORT_LIVED_US_MAX 3600000000U /* one hour */
#define PINSTAT_LINGER_S_MAX	   86400U      /* one day */

/* Tunables read by the event handlers with READ_ONCE(); set from sysfs. */
extern unsigned int pinstat_capacity;
extern unsigned int pinstat_short_lived_us;
extern unsigned int pinstat_linger_s;

int pinstat_sysfs_init(void);
void pinstat_sysfs_exit(void);
void pinstat_sysfs_notify_alerts(void);

int pinstat_watch_init(struct kobject *parent);
void pinstat_watch_exit(void);
int pinstat_watch_add(pid_t pid);
int pinstat_watch_remove(pid_t pid);
bool pinstat_watching(void);
void pinstat_watch_prune(void);

void pinstat_debugfs_init(void);
void pinstat_debugfs_exit(void);

#endif /* _PINSTAT_H */
