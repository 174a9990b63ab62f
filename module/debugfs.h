/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/kernel/debug/pinstat/: the process table and the hooks.
 */
#ifndef _PINSTAT_DEBUGFS_H
#define _PINSTAT_DEBUGFS_H

void pinstat_debugfs_init(void);
void pinstat_debugfs_exit(void);

#endif /* _PINSTAT_DEBUGFS_H */
