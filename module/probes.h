/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel hooks pinstat counts with, and their own health.
 */
#ifndef _PINSTAT_PROBES_H
#define _PINSTAT_PROBES_H

#include <linux/seq_file.h>

int probes_register(void);
void probes_unregister(void);
int probes_set_enabled(bool enabled);
bool probes_enabled(void);
void probes_show(struct seq_file *m);

#endif /* _PINSTAT_PROBES_H */
