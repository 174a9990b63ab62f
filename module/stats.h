/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Global event totals, kept per CPU so that counting never bounces a shared
 * cache line between CPUs.
 */
#ifndef _PINSTAT_STATS_H
#define _PINSTAT_STATS_H

#include <linux/percpu.h>

enum pinstat_stat {
	PINSTAT_STAT_CREATED,  /* user tasks (processes and threads) started */
	PINSTAT_STAT_EXITED,   /* user tasks that exited */
	PINSTAT_STAT_AFFINITY, /* sched_setaffinity() requests granted */
	PINSTAT_STAT_EXEC,     /* successful execs */
	PINSTAT_STAT_DROPPED, /* events, or processes being seeded, not recorded */
	PINSTAT_STAT_EVICTED, /* exited records freed early to make room */
	PINSTAT_STAT_ALERTS,  /* processes that crossed an alert threshold */
	PINSTAT_NR_STATS
};

struct pinstat_stats {
	u64 count[PINSTAT_NR_STATS];
};

DECLARE_PER_CPU(struct pinstat_stats, pinstat_stats);

static inline void pinstat_stats_inc(enum pinstat_stat stat)
{
	this_cpu_inc(pinstat_stats.count[stat]);
}

u64 pinstat_stats_read(enum pinstat_stat stat);
void pinstat_stats_reset(void);

#endif /* _PINSTAT_STATS_H */
