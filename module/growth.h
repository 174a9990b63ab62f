/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Thread growth at two time scales: which of the last 16 windows saw the
 * process reach a new high of live threads. Windows of 2^30 ns (1.07 s,
 * 17 s in all) see a fast leak within seconds; windows of 2^35 ns (34 s,
 * 9.2 min in all) see a slow one, a thread every half minute. A burst that
 * then stays flat marks a window or two at either scale; a leak marks
 * window after window. The window a process was first seen in never
 * counts: a process starting its threads is not growing.
 */
#ifndef _PINSTAT_GROWTH_H
#define _PINSTAT_GROWTH_H

#include <linux/bitops.h>
#include <linux/types.h>

#define PINSTAT_GROWTH_WINDOWS 16

enum pinstat_growth_scale {
	PINSTAT_GROWTH_1S,  /* 2^30 ns windows */
	PINSTAT_GROWTH_34S, /* 2^35 ns windows */
	PINSTAT_NR_GROWTH
};

static inline unsigned int pinstat_growth_shift(enum pinstat_growth_scale s)
{
	return s == PINSTAT_GROWTH_1S ? 30 : 35;
}

/* Bit 0 of mask is window number index, bit 1 the one before, ... */
struct pinstat_growth {
	u32 index;
	u16 mask;
};

/* The mask as of window @index: older windows shifted out. */
static inline u16 pinstat_growth_as_of(const struct pinstat_growth *g,
				       u32 index)
{
	u32 age = index - g->index;

	return age >= PINSTAT_GROWTH_WINDOWS ? 0 : g->mask << age;
}

/* A new thread high at @now, for a process first seen at @first_seen_ns. */
static inline void pinstat_growth_mark(struct pinstat_growth *g,
				       enum pinstat_growth_scale s, u64 now,
				       u64 first_seen_ns)
{
	unsigned int shift = pinstat_growth_shift(s);
	u32 index = now >> shift;

	/* a caller that read the clock before another CPU: same window */
	if ((s32)(index - g->index) < 0)
		index = g->index;
	if (index == (u32)(first_seen_ns >> shift))
		return;
	g->mask = pinstat_growth_as_of(g, index) | 1;
	g->index = index;
}

/* Windows with a new high among the last 16 as of @now. */
static inline int pinstat_growth_steps(const struct pinstat_growth *g,
				       enum pinstat_growth_scale s, u64 now)
{
	u32 index = now >> pinstat_growth_shift(s);

	return hweight16(pinstat_growth_as_of(g, index));
}

#endif /* _PINSTAT_GROWTH_H */
