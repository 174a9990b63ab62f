// SPDX-License-Identifier: GPL-2.0
/*
 * pinstat top: the summary table, worst first, refreshed every interval
 * on a full screen (plain ANSI), until q is pressed. When the output is
 * not a terminal, frames follow each other, like top -b.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "report.h"
#include "source.h"
#include "text.h"

static struct termios saved;
static bool raw;

static void restore_terminal(void)
{
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	fputs("\033[?25h", stdout);	/* cursor back */
	fflush(stdout);
}

/* Keys without Enter, no echo. */
static void raw_keys(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved))
		return;
	t = saved;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	raw = !tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

static int screen_rows(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || ws.ws_row < 5)
		return 24;
	return ws.ws_row;
}

static bool frame(const struct options *o, bool screen)
{
	struct proc **list;
	struct state st;
	char stamp[16];
	size_t n;

	if (state_read(&st))
		return false;
	n = select_procs(&st, o->all, &list);
	strftime(stamp, sizeof(stamp), "%H:%M:%S",
		 localtime(&(time_t){ time(NULL) }));
	if (screen) {
		fputs("\033[H\033[2J", stdout);
		if ((int)n > screen_rows() - 3)
			n = screen_rows() - 3;
	}
	printf("pinstat %s  %s  tracked %lld/%lld  dropped %lld  "
	       "events: created %lld exited %lld affinity %lld%s\n",
	       st.version, stamp, st.tracked, st.capacity, st.dropped,
	       st.events_created, st.events_exited, st.events_affinity,
	       screen ? "  (q quits)" : "");
	text_summary(stdout, &st, list, n, o->wide);
	fflush(stdout);
	free(list);
	state_free(&st);
	return true;
}

/* Wait up to the interval; true if q was pressed. */
static bool quit_pressed(double interval)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	char c;

	if (!raw) {
		struct timespec ts = { (time_t)interval,
			(long)((interval - (time_t)interval) * 1e9) };

		nanosleep(&ts, NULL);
		return false;
	}
	while (poll(&pfd, 1, (int)(interval * 1000)) > 0) {
		if (read(STDIN_FILENO, &c, 1) == 1 && (c == 'q' || c == 'Q'))
			return true;
	}
	return false;
}

int cmd_top(const struct options *o)
{
	bool screen = isatty(STDOUT_FILENO);
	long frames;

	catch_stop_signals();
	if (screen) {
		raw_keys();
		atexit(restore_terminal);
		fputs("\033[?25l", stdout);	/* hide the cursor */
	}
	for (frames = 0; !o->count || frames < o->count; frames++) {
		if (frames && !screen)
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
