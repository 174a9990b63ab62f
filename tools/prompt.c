// SPDX-License-Identifier: GPL-2.0
/*
 * The line editor of top's prompt. Only printable ASCII is taken: a name
 * is matched as the kernel's bytes, and anything else would be written
 * back to the terminal as is.
 */
#include "prompt.h"
#include "term.h"

#define CTRL_U 0x15

void prompt_start(struct prompt *p)
{
	p->state = PROMPT_EDITING;
	p->len = 0;
	p->text[0] = '\0';
}

enum prompt_state prompt_key(struct prompt *p, int key)
{
	if (key == '\n' || key == '\r')
		p->state = PROMPT_DONE;
	else if (key == KEY_ESC)
		p->state = PROMPT_OFF;
	else if ((key == 0x7f || key == '\b') && p->len)
		p->len--;
	else if (key == CTRL_U)
		p->len = 0;
	else if (key >= ' ' && key < 0x7f && p->len < PROMPT_MAX - 1)
		p->text[p->len++] = key;
	p->text[p->len] = '\0';
	return p->state;
}
