// SPDX-License-Identifier: GPL-2.0
/*
 * The terminal.
 */
#include <limits.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "term.h"
#include "util.h"

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
