// SPDX-License-Identifier: GPL-2.0
/*
 * The terminal. Signal handlers only set flags and write to a pipe that
 * term_wait() polls (the self-pipe trick): a resize wakes it at once,
 * even one that comes just before it starts to wait.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "term.h"
#include "util.h"

static struct termios saved, keys;
static bool raw, keys_gone, cursor_hidden, restoring;
static int wake[2] = { -1, -1 };
static volatile sig_atomic_t resized;

static const char cursor_on[] = "\033[?25h", cursor_off[] = "\033[?25l";

static int positive_env(const char *name)
{
	const char *value = getenv(name);
	long long n;

	if (!value || !parse_ll(value, &n) || n < 1 || n > INT_MAX)
		return 0;
	return n;
}

int term_report_width(void)
{
	struct winsize ws;
	int cols;

	if (!isatty(STDOUT_FILENO))
		return 0;
	cols = positive_env("COLUMNS");
	if (cols)
		return cols;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) || !ws.ws_col)
		return 0;
	return ws.ws_col;
}

/* The window first: it follows resizes, an exported $COLUMNS does not. */
void term_size(int *rows, int *cols)
{
	struct winsize ws = { 0 };

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws))
		ws.ws_row = ws.ws_col = 0;
	*rows = ws.ws_row ? ws.ws_row : positive_env("LINES");
	*cols = ws.ws_col ? ws.ws_col : positive_env("COLUMNS");
	if (!*rows)
		*rows = 24;
	if (!*cols)
		*cols = 80;
}

bool term_env_size(int *rows, int *cols)
{
	*rows = positive_env("LINES");
	*cols = positive_env("COLUMNS");
	return *rows && *cols;
}

/* Async-signal-safe: also called from the SIGTSTP handler. */
static void restore_terminal(void)
{
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	if (cursor_hidden &&
	    write(STDOUT_FILENO, cursor_on, sizeof(cursor_on) - 1) < 0)
		return;
}

/* At exit, once, whatever was changed. */
static void restore_at_exit(void)
{
	if (!restoring)
		atexit(restore_terminal);
	restoring = true;
}

/* A byte in the pipe: term_wait() wakes. Full: a wake-up is pending. */
static void poke(void)
{
	int err = errno;
	ssize_t ignored;

	resized = 1;
	if (wake[1] >= 0)
		ignored = write(wake[1], "", 1);
	(void)ignored;
	errno = err;
}

static void on_resize(int sig)
{
	poke();
}

/* Ctrl-Z: give the shell its terminal back; take it again on SIGCONT. */
static void on_stop(int sig)
{
	restore_terminal();
	signal(SIGTSTP, SIG_DFL);
	raise(SIGTSTP);
}

/* The shell drew on the screen meanwhile: top draws it all again. */
static void on_continue(int sig)
{
	if (raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &keys);
	signal(SIGTSTP, on_stop);
	if (cursor_hidden &&
	    write(STDOUT_FILENO, cursor_off, sizeof(cursor_off) - 1) < 0)
		return;
	poke();
}

bool term_raw_keys(void)
{
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved))
		return false;
	keys = saved;
	keys.c_lflag &= ~(ICANON | ECHO);
	keys.c_cc[VMIN] = 0;
	keys.c_cc[VTIME] = 0;
	raw = !tcsetattr(STDIN_FILENO, TCSANOW, &keys);
	signal(SIGTSTP, on_stop);
	signal(SIGCONT, on_continue);
	restore_at_exit();
	return raw;
}

void term_hide_cursor(void)
{
	fputs(cursor_off, stdout);
	cursor_hidden = true;
	restore_at_exit();
}

/* No SA_RESTART: poll() stops with EINTR too. */
void term_watch_resize(void)
{
	struct sigaction sa = { .sa_handler = on_resize };

	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK))
		wake[0] = wake[1] = -1; /* the next interval redraws, then */
	sigaction(SIGWINCH, &sa, NULL);
}

size_t term_wait(int ms, char *buf, size_t size, bool *changed)
{
	struct pollfd pfd[2] = {
		{ .fd = raw && !keys_gone ? STDIN_FILENO : -1,
		  .events = POLLIN },
		{ .fd = wake[0], .events = POLLIN },
	};
	char drain[64];
	ssize_t n = 0;

	if (!resized && poll(pfd, 2, ms > 0 ? ms : 0) > 0) {
		while (pfd[1].revents &&
		       read(wake[0], drain, sizeof(drain)) > 0)
			;
		if (pfd[0].revents)
			n = read(STDIN_FILENO, buf, size);
		/* hung up: no more keys, and no busy loop on them */
		if (pfd[0].revents &&
		    (!n || (n < 0 && errno != EINTR && errno != EAGAIN)))
			keys_gone = true;
	}
	*changed = resized;
	resized = 0;
	return n > 0 ? n : 0;
}

/*
 * Esc alone is a key when nothing follows it in the same read: a sequence
 * comes in one piece. ESC [ or ESC O and what follows up to a final byte
 * (0x40 to 0x7e) is an arrow or a function key.
 */
static bool final_byte(char c)
{
	return (unsigned char)c >= 0x40 && (unsigned char)c <= 0x7e;
}

int term_key(const char **p, const char *end)
{
	unsigned char c = *(*p)++;

	if (c != '\033')
		return c;
	if (*p == end || **p == '\033')
		return KEY_ESC;
	if (**p != '[' && **p != 'O') {
		(*p)++; /* Alt and a key */
		return KEY_OTHER;
	}
	for ((*p)++; *p < end && !final_byte(**p); (*p)++)
		;
	if (*p < end)
		(*p)++;
	return KEY_OTHER;
}
