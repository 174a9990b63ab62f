// SPDX-License-Identifier: GPL-2.0
/*
 * Global event totals: per-CPU counters summed when read.
 */
#include <linux/cpumask.h>
#include "stats.h"

DEFINE_PER_CPU(struct pinstat_stats, pinstat_stats);

u64 pinstat_stats_read(enum pinstat_stat stat)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(pinstat_stats.count[stat], cpu));
	return sum;
}

/* Racy against concurrent increments by design: a reset is a best effort. */
void pinstat_stats_reset(void)
{
	int cpu, stat;

	for_each_possible_cpu(cpu)
		for (stat = 0; stat < PINSTAT_NR_STATS; stat++)
			WRITE_ONCE(per_cpu(pinstat_stats.count[stat], cpu), 0);
}
