/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/kernel/pinstat/: global counters and controls.
 */
#ifndef _PINSTAT_SYSFS_H
#define _PINSTAT_SYSFS_H

int pinstat_sysfs_init(void);
void pinstat_sysfs_exit(void);
void pinstat_sysfs_notify_alerts(void);

#endif /* _PINSTAT_SYSFS_H */
