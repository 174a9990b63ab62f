/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Text fitted to a terminal: lines cut at its width, frames at its height.
 * Escape sequences (colour) take no column and always pass, so that a
 * colour turned on before a cut is still turned off after it.
 */
#ifndef PINSTAT_FIT_H
#define PINSTAT_FIT_H

#include <stddef.h>
#include <stdio.h>

/* Columns s[0..len) takes on a terminal. */
int fit_width(const char *s, size_t len);
/* Write s[0..len), one line without its newline, cut at width columns. */
void fit_line(FILE *f, const char *s, size_t len, int width);
/* A stream that writes to f, each line cut at width columns; NULL: none. */
FILE *fit_open(FILE *f, int width);
/*
 * Draw frame (lines ended by '\n') over the whole screen from its top left
 * corner: at most rows lines, each cut at cols, the rest of the screen
 * cleared. Returns the lines drawn; the cursor ends after the last one.
 */
int fit_paint(FILE *f, const char *frame, size_t len, int rows, int cols);
/* The same as plain lines: what a screen of rows x cols would show. */
void fit_print(FILE *f, const char *frame, size_t len, int rows, int cols);

#endif /* PINSTAT_FIT_H */
