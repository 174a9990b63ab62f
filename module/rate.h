/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event rates over a sliding window, kept with two counters.
 *
 * Time is cut into windows of 2^shift nanoseconds. A window counts its own
 * events and remembers the count of the window before it; the rate over the
 * last full window length is estimated by weighting the previous count by
 * the part of it that still lies inside that length. Recording an event
 * costs a shift, a compare and an increment: no division, no timer.
 */
#ifndef _PINSTAT_RATE_H
#define _PINSTAT_RATE_H

#include <linux/math64.h>
#include <linux/time64.h>
#include <linux/types.h>

#define RATE_SHIFT_SHORT 30 /* 1.07 s windows: "the last second" */
#define RATE_SHIFT_LONG	 36 /* 68.7 s windows: "the last minute" */
#define RATE_FRAC_BITS	 16 /* precision of the previous-window weight */

struct rate_window {
	u32 index; /* window number: time >> shift */
	u32 cur;   /* events in that window */
	u32 prev;  /* events in the window before it */
};

static inline void rate_window_add(struct rate_window *w, u64 now,
				   unsigned int shift)
{
	u32 index = now >> shift;

	/* a caller that read the clock before another CPU: same window */
	if ((s32)(index - w->index) < 0)
		index = w->index;
	if (index != w->index) {
		w->prev = index == w->index + 1 ? w->cur : 0;
		w->cur = 0;
		w->index = index;
	}
	w->cur++;
}

/* Events in the window that holds @now (0 if the window is an old one). */
static inline u32 rate_window_current(const struct rate_window *w, u64 now,
				      unsigned int shift)
{
	return (u32)(now >> shift) == w->index ? w->cur : 0;
}

/* Events per second over the last 2^shift ns, in hundredths. */
static inline u64 rate_window_centi(const struct rate_window *w, u64 now,
				    unsigned int shift)
{
	u32 index = now >> shift;
	u64 window = 1ULL << shift;
	u64 cur, prev, remaining;

	if (index == w->index) {
		cur = w->cur;
		prev = w->prev;
	} else if (index == w->index + 1) {
		cur = 0;
		prev = w->cur;
	} else {
		return 0;
	}
	/* share of the previous window still inside the last window length */
	remaining = (window - (now & (window - 1))) >> (shift - RATE_FRAC_BITS);
	return mul_u64_u64_div_u64((cur << RATE_FRAC_BITS) + prev * remaining,
				   100 * NSEC_PER_SEC,
				   1ULL << (shift + RATE_FRAC_BITS));
}

#endif /* _PINSTAT_RATE_H */
