/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Alerts: thresholds that, once a process crosses one, make the module
 * watch it (procs/<pid>/), log one line and wake up pollers of "alerts".
 */
#ifndef _PINSTAT_ALERT_H
#define _PINSTAT_ALERT_H

#include "record.h"

#define PINSTAT_ALERT_MAX 100000000U

/* 0 turns an alert off. Set from sysfs; read by event handlers. */
extern unsigned int pinstat_alert_limit[NR_ALERTS];
extern const char *const pinstat_alert_names[NR_ALERTS];

void alert_raise(struct pinstat_record *rec, enum pinstat_alert which);
void alert_stop(void);

/* Cheap enough for the hot path: one load and a compare when not crossed. */
static inline void alert_check(struct pinstat_record *rec,
			       enum pinstat_alert which, u32 value)
{
	unsigned int limit = READ_ONCE(pinstat_alert_limit[which]);

	if (unlikely(limit && value >= limit))
		alert_raise(rec, which);
}

#endif /* _PINSTAT_ALERT_H */
