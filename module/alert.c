// SPDX-License-Identifier: GPL-2.0
/*
 * Alerts. An event handler that sees a threshold crossed marks the record
 * (once per threshold, until reset), counts the alert and tells the
 * listener, which takes the pending alerts later, in process context.
 */
#include <linux/bitops.h>
#include "alert.h"
#include "listener.h"
#include "stats.h"

unsigned int pinstat_alert_limit[PINSTAT_NR_ALERTS] = {
	[PINSTAT_ALERT_SOLO_EXITS] = 1000,
	[PINSTAT_ALERT_THREADS] = 5000, /* half of Go's thread limit */
	[PINSTAT_ALERT_AFFINITY] = 10000,
};

const char *const pinstat_alert_names[PINSTAT_NR_ALERTS] = {
	[PINSTAT_ALERT_SOLO_EXITS] = "solo_exits_per_s",
	[PINSTAT_ALERT_THREADS] = "threads",
	[PINSTAT_ALERT_AFFINITY] = "affinity_per_s",
};

void pinstat_alert_raise(struct pinstat_record *rec, enum pinstat_alert which)
{
	if (test_and_set_bit(which, &rec->alerts))
		return;
	set_bit(which, &rec->alerts_pending);
	pinstat_stats_inc(PINSTAT_STAT_ALERTS);
	pinstat_notify_alert();
}

/* The record's alerts not yet acted upon, now taken: a bit per alert. */
unsigned long pinstat_alert_take(struct pinstat_record *rec)
{
	return xchg(&rec->alerts_pending, 0);
}
