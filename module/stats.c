// SPDX-License-Identifier: GPL-2.0
/*
 * Global event totals: per-CPU counters summed when read.
 */
#include <linux/cpumask.h>
#include "stats.h"

DEFINE_PER_CPU(struct pinstat_stats, pinstat_stats);

u64 stats_read(enum pinstat_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(pinstat_stats.count[stat], cpu);
	return sum;
}

/* Racy against concurrent increments by design: a reset is a best effort. */
void stats_reset(void)
{
	int cpu, stat;

	for_each_possible_cpu(cpu)
		for (stat = 0; stat < NR_STATS; stat++)
			per_cpu(pinstat_stats.count[stat], cpu) = 0;
}
