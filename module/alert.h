/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Alerts: thresholds that a process crosses once (until reset). The core
 * marks the record and tells its listener; what an alert then does (watch
 * the process, log, wake pollers) is up to the interfaces (notify.c).
 */
#ifndef _PINSTAT_ALERT_H
#define _PINSTAT_ALERT_H

#include "record.h"

#define PINSTAT_ALERT_MAX 100000000U

enum pinstat_alert {
	PINSTAT_ALERT_SOLO_EXITS, /* solo exits in the current ~1 s window */
	PINSTAT_ALERT_THREADS,	  /* live threads */
	PINSTAT_ALERT_AFFINITY, /* affinity changes in the current ~1 s window */
	PINSTAT_NR_ALERTS
};

/* 0 turns an alert off. Set from sysfs; read by event handlers. */
extern unsigned int pinstat_alert_limit[PINSTAT_NR_ALERTS];
extern const char *const pinstat_alert_names[PINSTAT_NR_ALERTS];

void pinstat_alert_raise(struct pinstat_record *rec, enum pinstat_alert which);
unsigned long pinstat_alert_take(struct pinstat_record *rec);

/* Cheap enough for the hot path: one load and a compare when not crossed. */
static inline void pinstat_alert_check(struct pinstat_record *rec,
				       enum pinstat_alert which, u32 value)
{
	unsigned int limit = READ_ONCE(pinstat_alert_limit[which]);

	if (unlikely(limit && value >= limit))
		pinstat_alert_raise(rec, which);
}

#endif /* _PINSTAT_ALERT_H */
