// SPDX-License-Identifier: GPL-2.0
/*
 * Text fitted to a terminal. pinstat writes ASCII (names are escaped) and
 * colour sequences (ESC [ ... m); a UTF-8 sequence counts as one column
 * all the same, so that a message from the C library cannot push a line
 * past the width.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "fit.h"

enum escape {
	TEXT,
	AFTER_ESC, /* ESC seen: a CSI sequence if '[' follows */
	IN_CSI,	   /* parameters until a final byte, 0x40 to 0x7e */
};

struct cut {
	FILE *to; /* NULL: count only */
	int width, col;
	enum escape esc;
};

/* One byte through the cut: written if it is not past the width. */
static void cut_byte(struct cut *c, unsigned char ch)
{
	bool shown = true;

	if (ch == '\n') {
		c->col = 0;
		c->esc = TEXT;
	} else if (c->esc == AFTER_ESC) {
		c->esc = ch == '[' ? IN_CSI : TEXT;
	} else if (c->esc == IN_CSI) {
		if (ch >= 0x40 && ch <= 0x7e)
			c->esc = TEXT;
	} else if (ch == '\033') {
		c->esc = AFTER_ESC;
	} else {
		/* a continuation byte is part of the column before */
		if ((ch & 0xc0) != 0x80)
			c->col++;
		shown = !c->to || c->col <= c->width;
	}
	if (shown && c->to)
		putc(ch, c->to);
}

int fit_width(const char *s, size_t len)
{
	struct cut c = { .to = NULL };

	while (len--)
		cut_byte(&c, *s++);
	return c.col;
}

void fit_line(FILE *f, const char *s, size_t len, int width)
{
	struct cut c = { .to = f, .width = width };

	while (len--)
		cut_byte(&c, *s++);
}

static ssize_t cut_write(void *cookie, const char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		cut_byte(cookie, buf[i]);
	return size;
}

static int cut_close(void *cookie)
{
	free(cookie);
	return 0;
}

FILE *fit_open(FILE *f, int width)
{
	static const cookie_io_functions_t io = { .write = cut_write,
						  .close = cut_close };
	struct cut *c = calloc(1, sizeof(*c));
	FILE *out;

	if (!c)
		return NULL;
	c->to = f;
	c->width = width;
	out = fopencookie(c, "w", io);
	if (!out)
		free(c);
	return out;
}

/* The line at *p, up to its newline or end: its length; *p past it. */
static size_t take_line(const char **p, const char *end)
{
	const char *line = *p, *nl = memchr(line, '\n', end - line);

	*p = nl ? nl + 1 : end;
	return (nl ? nl : end) - line;
}

void fit_print(FILE *f, const char *frame, size_t len, int rows, int cols)
{
	const char *p = frame, *end = frame + len, *line;
	int n;

	for (n = 0; p < end && n < rows; n++) {
		line = p;
		fit_line(f, line, take_line(&p, end), cols);
		fputc('\n', f);
	}
}

/*
 * Each line is cleared before it is written: clearing after it (ESC [K)
 * would erase the last column of a full line, where the cursor waits to
 * wrap. The last row gets no newline, which would scroll the screen.
 */
int fit_paint(FILE *f, const char *frame, size_t len, int rows, int cols)
{
	const char *p = frame, *end = frame + len, *line;
	int n;

	fputs("\033[H", f);
	for (n = 0; p < end && n < rows; n++) {
		fputs(n ? "\r\n\033[2K" : "\033[2K", f);
		line = p;
		fit_line(f, line, take_line(&p, end), cols);
	}
	if (n < rows)
		fputs(n ? "\r\n\033[J" : "\033[J", f);
	return n;
}
