/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the interfaces do with what the core reports (listener.h).
 */
#ifndef _PINSTAT_NOTIFY_H
#define _PINSTAT_NOTIFY_H

void pinstat_notify_init(void);
void pinstat_notify_exit(void);

#endif /* _PINSTAT_NOTIFY_H */
