// SPDX-License-Identifier: GPL-2.0
/*
 * pinstat top: the summary table, worst first, refreshed every interval
 * on a full screen (plain ANSI), until q is pressed. When the output is
 * not a terminal, or one without escape sequences (TERM=dumb), frames
 * follow each other, like top -b.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "clock.h"
#include "export.h"
#include "report.h"
#include "select.h"
#include "source.h"
#include "text.h"
#include "util.h"

static struct termios saved, keys;
static bool raw, cursor_hidden;

static const char cursor_on[] = "\033[?25h", cursor_off[] = "\033[?25l";

/* Async-signal-safe: also called from the SIGTSTP handler. */
static void restore_terminal(void)
{
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	if (cursor_hidden &&
	    write(STDOUT_FILENO, cursor_on, sizeof(cursor_on) - 1) < 0)
		return;
}

/* Ctrl-Z: give the shell its terminal back; take it again on SIGCONT. */
static void on_stop(int sig)
{
	restore_terminal();
	signal(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
}

static void on_continue(int sig)
{
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &keys);
	signal(SIGTSTP, on_stop);
	if (cursor_hidden &&
	    write(STDOUT_FILENO, cursor_off, sizeof(cursor_off) - 1) < 0)
		return;
}

/* Keys without Enter, no echo. */
static void raw_keys(void)
{
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved))
		return;
	keys = saved;
	keys.c_lflag &= ~(ICANON | ECHO);
	keys.c_cc[VMIN] = 0;
	keys.c_cc[VTIME] = 0;
	raw = !tcsetattr(STDIN_FILENO, TCSANOW, &keys);
	signal(SIGTSTP, on_stop);
	signal(SIGCONT, on_continue);
}

static int screen_rows(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || ws.ws_row < 5)
		return 24;
	return ws.ws_row;
}

/* As many rows as -n asks, and on a screen as fit, with the "more" line. */
static size_t frame_rows(const struct options *o, bool screen, size_t n)
{
	size_t rows = rows_shown(o, n);
	int room = screen_rows() - 4; /* title, header, "more", cursor */

	if (screen && rows > (size_t)room)
		rows = room;
	return rows;
}

static bool frame(const struct options *o, bool screen)
{
	struct proc **list;
	struct state st;
	char stamp[16];
	size_t n, shown;

	if (state_read(&st))
		return false;
	n = select_procs(&st, o, o->all, &list);
	shown = frame_rows(o, screen && !o->json, n);
	if (o->json) {
		export_json(stdout, &st, list, shown, n - shown);
		goto out;
	}
	local_stamp(stamp, st.utc_s);
	if (screen)
		fputs("\033[H\033[2J", stdout);
	printf("pinstat %s  %s  tracked %lld/%lld  dropped %lld  "
	       "events: created %lld exited %lld affinity %lld%s\n",
	       st.version, stamp, st.tracked, st.capacity, st.dropped,
	       st.events_created, st.events_exited, st.events_affinity,
	       raw ? "  (q quits)" : "");
	text_summary(stdout, &st, list, shown, n - shown,
		     &(struct layout){ .wide = o->wide });
out:
	free(list);
	state_free(&st);
	return flush_stdout(); /* nobody reads it: stop */
}

static double monotonic(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait out the interval, whatever keys come; true if q was pressed. */
static bool quit_pressed(double interval)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	double deadline = monotonic() + interval, left;
	char c;

	while ((left = deadline - monotonic()) > 0 && !stop_requested()) {
		if (!raw) {
			struct timespec ts = { (time_t)left,
					       (long)((left - (time_t)left) *
						      1e9) };

			nanosleep(&ts, NULL);
			continue;
		}
		if (poll(&pfd, 1, (int)(left * 1000) + 1) > 0 &&
		    read(STDIN_FILENO, &c, 1) == 1 && (c == 'q' || c == 'Q'))
			return true;
	}
	return false;
}

int cmd_top(const struct options *o)
{
	bool tty = isatty(STDOUT_FILENO) && !o->json;
	/* a full screen takes escape sequences; without, frames follow */
	bool screen = tty && term_has_escapes(getenv("TERM"));
	long frames;

	catch_stop_signals();
	if (tty) {
		raw_keys();
		atexit(restore_terminal);
	}
	if (screen) {
		fputs(cursor_off, stdout);
		cursor_hidden = true;
	}
	for (frames = 0; !o->count || frames < o->count; frames++) {
		if (frames && !screen && !o->json)
			putchar('\n');
		if (!frame(o, screen))
			return EXIT_ERROR;
		if (stop_requested() || (o->count && frames + 1 == o->count))
			break;
		if (quit_pressed(o->interval) || stop_requested())
			break;
	}
	return 0;
}
