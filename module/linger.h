/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lingering: a process's record stays linger_s seconds after its end, so
 * that what it did can still be read, then a worker frees it.
 */
#ifndef _PINSTAT_LINGER_H
#define _PINSTAT_LINGER_H

#include "record.h"

void pinstat_linger_retire(struct pinstat_record *rec, u64 now);
void pinstat_linger_changed(void);
void pinstat_linger_stop(void);

#endif /* _PINSTAT_LINGER_H */
