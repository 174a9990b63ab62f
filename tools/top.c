// SPDX-License-Identifier: GPL-2.0
/*
 * pinstat top: the summary table, refreshed every interval on a full
 * screen (plain ANSI) that follows the window's size, until q is pressed.
 * Keys pause it, change the sort key and filter by COMM. When the output
 * is not a terminal, or one without escape sequences (TERM=dumb), frames
 * follow each other, like top -b, and only q is heard.
 */
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "clock.h"
#include "enrich.h"
#include "fit.h"
#include "report.h"
#include "select.h"
#include "source.h"
#include "term.h"
#include "text.h"
#include "top.h"
#include "util.h"

#define MESSAGE_S 3.0 /* a message stands instead of the status line */
#define CTRL_L	  0x0c

/* A new frame's state; a paused one keeps the last. */
static bool refresh(struct top *t)
{
	struct state st;

	if (state_read(&st))
		return false;
	/* what /proc told of the last frame's processes holds for this one */
	enrich_remember(&t->st);
	enrich_recall(&st);
	state_free(&t->st);
	t->st = st;
	return true;
}

static void say(struct top *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void say(struct top *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->message, sizeof(t->message), fmt, ap);
	va_end(ap);
	t->message_until = clock_monotonic_s() + MESSAGE_S;
}

static void drop_filter(struct top *t)
{
	if (t->own_regex)
		regfree(&t->view.comm_regex);
	t->own_regex = false;
	t->view.comm_pattern = NULL;
}

/*
 * The COMM filter typed, compiled as -C's: it takes -C's place. One that
 * does not compile changes nothing; an empty one shows all.
 */
static void set_filter(struct top *t, const char *pattern)
{
	char why[128];
	regex_t re;
	int err;

	if (!*pattern) {
		drop_filter(t);
		return;
	}
	err = regcomp(&re, pattern, COMM_REGEX_FLAGS);
	if (err) {
		regerror(err, &re, why, sizeof(why));
		say(t, "not a regular expression: %s: %s", pattern, why);
		return;
	}
	drop_filter(t);
	t->view.comm_regex = re;
	t->own_regex = true;
	snprintf(t->pattern, sizeof(t->pattern), "%s", pattern);
	t->view.comm_pattern = t->pattern;
}

static void typed(struct top *t, int key)
{
	if (prompt_key(&t->prompt, key) != PROMPT_DONE)
		return;
	t->prompt.state = PROMPT_OFF;
	set_filter(t, t->prompt.text);
}

/* What a key does; *refresh_now: read the state again at once. */
static void key(struct top *t, int key, bool *quit, bool *refresh_now)
{
	t->message[0] = '\0';
	if (t->prompt.state == PROMPT_EDITING) {
		typed(t, key);
		return;
	}
	if (key == 'q' || key == 'Q') {
		*quit = true;
	} else if (t->help) {
		t->help = false; /* any other key closes it */
	} else if (key == ' ' || key == 'p') {
		t->paused = !t->paused;
		*refresh_now = !t->paused;
	} else if (key == '>' || key == 's') {
		t->view.sort = (t->view.sort + 1) % NR_SORT_KEYS;
	} else if (key == '<') {
		t->view.sort = (t->view.sort + NR_SORT_KEYS - 1) % NR_SORT_KEYS;
	} else if (key == '/') {
		prompt_start(&t->prompt);
	} else if (key == 'h' || key == '?') {
		t->help = true;
	} else if (key != CTRL_L && key != KEY_ESC) {
		/* Ctrl-L: drawn again, as after every key; Esc: nothing */
		say(t, "unknown key: h for help");
	}
}

/* The keys read; batch mode hears q alone. */
static void keys(struct top *t, const char *buf, size_t n, bool *quit,
		 bool *refresh_now)
{
	const char *p = buf, *end = buf + n;
	int k;

	while (p < end && !*quit) {
		k = term_key(&p, end);
		if (t->screen)
			key(t, k, quit, refresh_now);
		else if (k == 'q' || k == 'Q')
			*quit = true;
	}
}

/* The frame drawn in one write: nothing flickers. */
static bool draw(struct top *t)
{
	char *frame = NULL;
	size_t len = 0;
	FILE *f;

	if (!t->screen && !t->sized) {
		top_batch(stdout, t);
		return flush_stdout(); /* nobody reads it: stop */
	}
	f = open_memstream(&frame, &len);
	if (!f)
		die(EXIT_ERROR, "out of memory");
	top_screen(f, t);
	if (fclose(f))
		die(EXIT_ERROR, "out of memory");
	if (t->screen)
		t->bottom = fit_paint(stdout, frame, len, t->rows, t->cols) ==
			    t->rows;
	else
		fit_print(stdout, frame, len, t->rows, t->cols);
	free(frame);
	return flush_stdout();
}

static int wait_ms(const struct top *t, double deadline)
{
	double now = clock_monotonic_s();

	if (t->message[0] && t->message_until < deadline)
		deadline = t->message_until;
	return deadline > now ? (int)((deadline - now) * 1000) + 1 : 0;
}

/* A message's time is up: the status line again. */
static bool message_over(struct top *t)
{
	if (!t->message[0] || clock_monotonic_s() < t->message_until)
		return false;
	t->message[0] = '\0';
	return true;
}

/* The interval is up, or p resumed: a new frame, unless paused. */
static bool next_frame(struct top *t, long *frames)
{
	if (t->paused)
		return true;
	if (!refresh(t))
		return false;
	(*frames)++;
	if (!t->screen && !t->view.json)
		putchar('\n'); /* between frames that follow each other */
	return true;
}

/*
 * Until q, a stop signal or count frames: wait for the interval, keys or
 * a resize, and draw again for each. A paused frame is drawn again (for
 * keys, a resize), but not read again: only refreshes count.
 */
static int run(struct top *t, double interval, long count)
{
	double deadline = clock_monotonic_s() + interval;
	bool quit = false, resized, refresh_now, redraw;
	long frames = 1;
	char buf[64];
	size_t n;

	while (!quit && !stop_requested() && (!count || frames < count)) {
		n = term_wait(wait_ms(t, deadline), buf, sizeof(buf), &resized);
		refresh_now = false;
		keys(t, buf, n, &quit, &refresh_now);
		if (quit || stop_requested())
			break;
		redraw = t->screen && (resized || n);
		if (resized && t->screen)
			term_size(&t->rows, &t->cols);
		redraw = message_over(t) || redraw;
		if (refresh_now || clock_monotonic_s() >= deadline) {
			if (!next_frame(t, &frames))
				return EXIT_ERROR;
			deadline = clock_monotonic_s() + interval;
			redraw = true;
		}
		if (redraw && !draw(t))
			return EXIT_ERROR;
	}
	return 0;
}

int cmd_top(const struct options *o)
{
	bool tty = isatty(STDOUT_FILENO) && !o->json;
	struct top t = { .view = *o };
	int status = EXIT_ERROR;

	/* a full screen takes escape sequences; without, frames follow */
	t.screen = tty && term_has_escapes(getenv("TERM"));
	catch_stop_signals();
	if (tty)
		t.keys = term_raw_keys();
	if (t.screen) {
		fputs("\033[H\033[2J", stdout); /* the shell's text gone */
		term_hide_cursor();
		term_watch_resize();
		term_size(&t.rows, &t.cols);
	} else if (!o->json) {
		t.sized = term_env_size(&t.rows, &t.cols);
	}
	/* the screen's height decides, unless -n asks for fewer */
	if ((t.screen || t.sized) && !o->limited)
		t.view.limit = 0;
	if (refresh(&t) && draw(&t))
		status = run(&t, o->interval, o->count);
	/* the shell's prompt under the last frame, not on its last row */
	if (t.bottom)
		fputs("\r\n", stdout);
	drop_filter(&t);
	state_free(&t.st);
	return status;
}
