/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pinstat top: what a frame shows, as the command line and the keys set
 * it. top.c runs the loop and takes the keys; topview.c draws a frame.
 */
#ifndef PINSTAT_TOP_H
#define PINSTAT_TOP_H

#include <stdio.h>
#include "model.h"
#include "prompt.h"
#include "report.h"

struct top {
	struct options view; /* the command line's, with the keys' sort and
			      * COMM filter */
	bool own_regex;	     /* view's regex is top's to free, not -C's */
	char pattern[PROMPT_MAX];
	struct state st; /* the last read: a paused frame's too */
	bool screen;	 /* a full screen, else frames follow each other */
	bool sized;	 /* frames that follow each other, as a screen of
			  * $LINES x $COLUMNS would show them */
	bool keys;	 /* keys are read as typed */
	bool paused, help;
	struct prompt prompt;
	char message[192]; /* instead of the status line, for a while */
	double message_until;
	int rows, cols;
	bool bottom; /* the last frame drawn reached the last row */
};

/* The frame on a full screen: the status line, then the table or help. */
void top_screen(FILE *f, struct top *t);
/* A frame of those that follow each other, as text or JSON. */
void top_batch(FILE *f, struct top *t);

#endif /* PINSTAT_TOP_H */
