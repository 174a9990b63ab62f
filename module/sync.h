/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keeping the table true to the tasks that exist: seeding it when counting
 * starts or resumes, and a periodic audit of records whose process ended
 * unseen.
 */
#ifndef _PINSTAT_SYNC_H
#define _PINSTAT_SYNC_H

void pinstat_sync(void);
void pinstat_audit_start(void);
void pinstat_audit_stop(void);

#endif /* _PINSTAT_SYNC_H */
