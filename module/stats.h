/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Global event totals, kept per CPU so that counting never bounces a shared
 * cache line between CPUs.
 */
#ifndef _PINSTAT_STATS_H
#define _PINSTAT_STATS_H

#include <linux/percpu.h>

enum pinstat_stat {
	STAT_CREATED,  /* user tasks (processes and threads) started */
	STAT_EXITED,   /* user tasks that entered do_exit() */
	STAT_AFFINITY, /* sched_setaffinity() requests their callers may make */
	STAT_EXEC,     /* successful execs */
	STAT_DROPPED,  /* events, or processes being seeded, not recorded */
	STAT_EVICTED,  /* exited records freed early to make room */
	STAT_ALERTS,   /* processes that crossed an alert threshold */
	NR_STATS
};

struct pinstat_stats {
	u64 count[NR_STATS];
};

DECLARE_PER_CPU(struct pinstat_stats, pinstat_stats);

static inline void stats_inc(enum pinstat_stat stat)
{
	this_cpu_inc(pinstat_stats.count[stat]);
}

u64 stats_read(enum pinstat_stat stat);
void stats_reset(void);

#endif /* _PINSTAT_STATS_H */
