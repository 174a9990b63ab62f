/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Starting and stopping the counting, and the controls that span the
 * layers: enabled (the hooks, and the table brought up to date when they
 * come back) and reset (every counter).
 */
#ifndef _PINSTAT_CONTROL_H
#define _PINSTAT_CONTROL_H

#include <linux/types.h>

int pinstat_control_start(void);
void pinstat_control_stop(void);
int pinstat_set_enabled(bool on);
bool pinstat_enabled(void);
void pinstat_reset(void);

#endif /* _PINSTAT_CONTROL_H */
