/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal: how wide a report may be, and for top its size, the keys
 * typed, and the signals that change it (a resize; a stop, then going on).
 */
#ifndef PINSTAT_TERM_H
#define PINSTAT_TERM_H

#include <stdbool.h>
#include <stddef.h>

/* term_key()'s keys besides plain bytes. */
enum {
	KEY_ESC = 27,	 /* Esc alone */
	KEY_OTHER = 256, /* an escape sequence: an arrow, a function key */
};

/*
 * Columns a report on standard output may take: $COLUMNS when it is a
 * number (ps(1) takes it so), else the terminal's width; 0 (any) when
 * standard output is not a terminal or does not say its width.
 */
int term_report_width(void);
/*
 * The size of the terminal on standard output now: its window's, else
 * $LINES and $COLUMNS, else 24 by 80.
 */
void term_size(int *rows, int *cols);
/*
 * The size $LINES and $COLUMNS give, both set (as top -b takes them), for
 * frames written elsewhere than a terminal: false if either is not.
 */
bool term_env_size(int *rows, int *cols);
/*
 * Keys as typed, without Enter or echo, until exit; the terminal as it
 * was while stopped (Ctrl-Z). False if standard input is no terminal.
 */
bool term_raw_keys(void);
/* The cursor hidden until exit or a stop. */
void term_hide_cursor(void);
/* term_wait() wakes when the window is resized or the process goes on. */
void term_watch_resize(void);
/*
 * Wait up to ms milliseconds for keys or a resize. Returns how many bytes
 * of keys were read into buf; *resized says the window changed (or the
 * screen needs drawing again after a stop).
 */
size_t term_wait(int ms, char *buf, size_t size, bool *resized);
/* The key the bytes at *p start with, *p moved past it. */
int term_key(const char **p, const char *end);

#endif /* PINSTAT_TERM_H */
