/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output for people.
 */
#ifndef PINSTAT_TEXT_H
#define PINSTAT_TEXT_H

#include <stdio.h>
#include "model.h"

/* Colour on: see color_wanted(). */
extern bool use_color;

/* Does the terminal that TERM names understand ANSI escape sequences? */
bool term_has_escapes(const char *term);
/* Colour: on a terminal with escape sequences, unless NO_COLOR is set. */
bool color_wanted(bool tty, const char *no_color, const char *term);

/* What changed for one process between two samples, per second. */
struct delta {
	struct proc *p;
	long long live_change;
	double created, solo_exits, affinity;
};

/* How the summary table is laid out. */
struct layout {
	bool wide;	 /* -w: full numbers and headers, every verdict */
	int width;	 /* a line's most columns: some are dropped; 0: any */
	bool screen_cut; /* top's screen, not -n, left rows out */
};

/* n rows of procs; omitted more left out (-n), said in a last line. */
void text_summary(FILE *f, const struct state *st, struct proc *const *procs,
		  size_t n, size_t omitted, const struct layout *l);
/* The summary's columns in the order narrow terminals drop them; NULL. */
const char *text_dropped_column(int i);
void text_detail(FILE *f, const struct state *st, struct proc *p);
/*
 * The findings of procs[0..n), grouped by code, the most severe first:
 * at most limit processes each (0: all). said, for --follow: one byte per
 * verdict kind, zero at first, in which it notes the fixes it printed, so
 * as not to print them again; NULL: every fix.
 */
void text_diagnosis(FILE *f, const struct state *st, struct proc *const *procs,
		    size_t n, size_t limit, unsigned char *said);
void text_interval(FILE *f, const char *stamp, const struct delta *d, size_t n,
		   size_t omitted, bool wide);

#endif /* PINSTAT_TEXT_H */
