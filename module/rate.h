/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event rates over a sliding window, derived from the counter of the events.
 *
 * Time is cut into windows of 2^shift nanoseconds. A window remembers the
 * counter's value when it began and how many events the window before it
 * had: its own events are the counter minus that base. The rate over the
 * last full window length is estimated by weighting the previous count by
 * the part of it that still lies inside that length. The counter, which
 * the event bumps anyway, does the counting: an event that finds its
 * window current costs a shift and a compare. No division, no timer.
 * Bases and counts are kept modulo 2^32: a window never holds more events.
 */
#ifndef _PINSTAT_RATE_H
#define _PINSTAT_RATE_H

#include <linux/math64.h>
#include <linux/time64.h>
#include <linux/types.h>

#define PINSTAT_RATE_SHIFT_SHORT 30 /* 1.07 s windows: "the last second" */
#define PINSTAT_RATE_SHIFT_LONG	 36 /* 68.7 s windows: "the last minute" */
#define PINSTAT_RATE_FRAC_BITS	 16 /* precision of the previous-window weight */

struct pinstat_rate_window {
	u32 index; /* window number: time >> shift */
	u32 base;  /* the counter when that window began */
	u32 prev;  /* events in the window before it */
};

/*
 * Before the counter (now @count) counts an event at @now: start a new
 * window if this one is over. Returns true if it did.
 */
static inline bool pinstat_rate_roll(struct pinstat_rate_window *w, u64 count,
				     u64 now, unsigned int shift)
{
	u32 index = now >> shift;

	/* same window, or a caller that read the clock before another CPU */
	if (likely((s32)(index - w->index) <= 0))
		return false;
	w->prev = index == w->index + 1 ? (u32)count - w->base : 0;
	w->base = (u32)count;
	w->index = index;
	return true;
}

/* Events in the window that holds @now (0 if the window is an old one). */
static inline u32 pinstat_rate_current(const struct pinstat_rate_window *w,
				       u64 count, u64 now, unsigned int shift)
{
	return (u32)(now >> shift) == w->index ? (u32)count - w->base : 0;
}

/* Events per second over the last 2^shift ns, in hundredths. */
static inline u64 pinstat_rate_centi(const struct pinstat_rate_window *w,
				     u64 count, u64 now, unsigned int shift)
{
	u32 index = now >> shift;
	u64 window = 1ULL << shift;
	u64 cur, prev, remaining;

	if (index == w->index) {
		cur = (u32)count - w->base;
		prev = w->prev;
	} else if (index == w->index + 1) {
		cur = 0;
		prev = (u32)count - w->base;
	} else {
		return 0;
	}
	/* share of the previous window still inside the last window length */
	remaining = (window - (now & (window - 1))) >>
		    (shift - PINSTAT_RATE_FRAC_BITS);
	return mul_u64_u64_div_u64((cur << PINSTAT_RATE_FRAC_BITS) +
					   prev * remaining,
				   100 * NSEC_PER_SEC,
				   1ULL << (shift + PINSTAT_RATE_FRAC_BITS));
}

#endif /* _PINSTAT_RATE_H */
