/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A line typed on top's status line (the COMM filter): printable ASCII,
 * Backspace, Ctrl-U to clear, Enter to apply, Esc to cancel.
 */
#ifndef PINSTAT_PROMPT_H
#define PINSTAT_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#define PROMPT_MAX 128

enum prompt_state {
	PROMPT_OFF,
	PROMPT_EDITING,
	PROMPT_DONE, /* Enter: text holds the line */
};

struct prompt {
	enum prompt_state state;
	char text[PROMPT_MAX];
	size_t len;
};

/* Start editing an empty line. */
void prompt_start(struct prompt *p);
/* One key of term_key()'s: editing, done or off (Esc) after it. */
enum prompt_state prompt_key(struct prompt *p, int key);

#endif /* PINSTAT_PROMPT_H */
