// SPDX-License-Identifier: GPL-2.0
/*
 * What a frame of top shows. On a full screen every line fits its width
 * and the frame its height: the status line leaves out its least
 * important parts, the table its least important columns (text.c), and
 * the rows that do not fit are counted on the "more" line.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "export.h"
#include "select.h"
#include "term.h"
#include "text.h"
#include "top.h"

#define MAX_PARTS 12
#define ALWAYS	  100 /* a part no width leaves out */

/* A line of parts, each left out at narrow widths by its rank. */
struct line {
	struct {
		char text[PROMPT_MAX + 64];
		const char *sep; /* before it, unless it comes first */
		int keep;	 /* the lower, the sooner it goes */
		bool out;
	} parts[MAX_PARTS];
	int n;
};

static void add(struct line *l, int keep, const char *sep, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add(struct line *l, int keep, const char *sep, const char *fmt, ...)
{
	va_list ap;

	if (l->n == MAX_PARTS)
		return;
	va_start(ap, fmt);
	vsnprintf(l->parts[l->n].text, sizeof(l->parts[l->n].text), fmt, ap);
	va_end(ap);
	l->parts[l->n].sep = sep;
	l->parts[l->n].keep = keep;
	l->parts[l->n].out = false;
	l->n++;
}

static int line_width(const struct line *l)
{
	int i, w = 0;
	bool first = true;

	for (i = 0; i < l->n; i++) {
		if (l->parts[i].out)
			continue;
		w += (first ? 0 : strlen(l->parts[i].sep)) +
		     strlen(l->parts[i].text);
		first = false;
	}
	return w;
}

/* Leave the least important part out; false if none can go. */
static bool shorten(struct line *l)
{
	int i, least = -1;

	for (i = 0; i < l->n; i++)
		if (!l->parts[i].out && l->parts[i].keep < ALWAYS &&
		    (least < 0 || l->parts[i].keep < l->parts[least].keep))
			least = i;
	if (least < 0)
		return false;
	l->parts[least].out = true;
	return true;
}

/* The parts that fit in width (0: all); the screen cuts what must stay. */
static void put_line(FILE *f, struct line *l, int width)
{
	bool first = true;
	int i;

	while (width && line_width(l) > width && shorten(l))
		;
	for (i = 0; i < l->n; i++) {
		if (l->parts[i].out)
			continue;
		fprintf(f, "%s%s", first ? "" : l->parts[i].sep,
			l->parts[i].text);
		first = false;
	}
	fputc('\n', f);
}

/* A -C pattern may hold any byte: the terminal gets printable ones. */
static void printable(char *out, size_t size, const char *s)
{
	size_t i;

	for (i = 0; s[i] && i + 1 < size; i++)
		out[i] = s[i] >= ' ' && s[i] < 0x7f ? s[i] : '?';
	out[i] = '\0';
}

/* What every status line starts with: the module and its counts. */
static void counts(struct line *l, const struct state *st)
{
	char stamp[16];

	local_stamp(stamp, st->utc_s);
	add(l, ALWAYS, "", "pinstat");
	add(l, 1, " ", "%s", st->version);
	add(l, 5, "  ", "%s", stamp);
}

/* Dropped events are a warning: that part stays longer when there are. */
static void totals(struct line *l, const struct state *st)
{
	add(l, 2, "  ", "tracked %lld/%lld", st->tracked, st->capacity);
	add(l, st->dropped ? 7 : 3, "  ", "dropped %lld", st->dropped);
	add(l, 0, "  ", "events: created %lld exited %lld affinity %lld",
	    st->events_created, st->events_exited, st->events_affinity);
}

static void status(FILE *f, struct top *t)
{
	char pattern[PROMPT_MAX];
	struct line l = { .n = 0 };

	counts(&l, &t->st);
	if (t->paused)
		add(&l, ALWAYS, "  ", "paused");
	add(&l, ALWAYS, "  ", "sort: %s", sort_keys[t->view.sort].name);
	if (t->view.comm_pattern) {
		printable(pattern, sizeof(pattern), t->view.comm_pattern);
		add(&l, ALWAYS, "  ", "filter: %s", pattern);
	}
	totals(&l, &t->st);
	if (t->screen)
		add(&l, 6, "  ", "h: help");
	put_line(f, &l, t->cols);
}

#define PROMPT_LABEL "filter COMM (regex): "

/* The line typed so far: its end, where the typing is, if it is long. */
static void prompt_line(FILE *f, struct top *t)
{
	const char *text = t->prompt.text;
	int room = t->cols - (int)strlen(PROMPT_LABEL) - 1; /* '_' */
	struct line l = { .n = 0 };

	if (room < 0)
		room = 0;
	if ((int)t->prompt.len > room)
		text += t->prompt.len - room;
	add(&l, ALWAYS, "", PROMPT_LABEL "%s_", text);
	add(&l, 1, "  ", "Enter applies, Esc cancels, empty shows all");
	put_line(f, &l, t->cols);
}

/* Words after a title, wrapped at width, indented by two. */
static void word_list(FILE *f, const char *title, const char *(*word)(int),
		      int width)
{
	const char *w;
	int i, col;

	fputs(title, f);
	col = strlen(title);
	for (i = 0; (w = word(i)); i++) {
		if (col + 1 + (int)strlen(w) > width && col > 2) {
			fputs("\n ", f);
			col = 1;
		}
		col += fprintf(f, " %s", w);
	}
	fputc('\n', f);
}

static const char *sort_key_name(int i)
{
	return i < NR_SORT_KEYS ? sort_keys[i].name : NULL;
}

static void help(FILE *f, struct top *t)
{
	fputs("Keys\n"
	      "  q         quit\n"
	      "  space, p  pause, or go on refreshing\n"
	      "  >, s      sort by the next key   <  by the one before\n"
	      "  /         filter COMM by a regular expression (POSIX\n"
	      "            extended, as -C): Enter applies it, Esc cancels,\n"
	      "            an empty one shows all\n"
	      "  h, ?      this help; any other key closes it\n",
	      f);
	word_list(f, "Sort keys:", sort_key_name, t->cols);
	word_list(f, "Narrow windows leave out, in this order:",
		  text_dropped_column, t->cols);
}

/*
 * As many rows as -n asks (all without it) and the screen holds, under
 * the status line and the header; the "more" line counts the others.
 */
static void table(FILE *f, struct top *t)
{
	struct layout l = { .wide = t->view.wide, .width = t->cols };
	int room = t->rows - 2 - !t->st.complete;
	struct proc **list;
	size_t n, shown;

	n = select_procs(&t->st, &t->view, t->view.all, &list);
	shown = rows_shown(&t->view, n);
	if (room < 0 || shown + (shown < n) > (size_t)room) {
		shown = room > 1 ? room - 1 : 0;
		l.screen_cut = true;
	}
	text_summary(f, &t->st, list, shown, n - shown, &l);
	free(list);
}

void top_screen(FILE *f, struct top *t)
{
	if (t->prompt.state == PROMPT_EDITING)
		prompt_line(f, t);
	else if (t->message[0])
		fprintf(f, "%s\n", t->message);
	else
		status(f, t);
	if (t->help)
		help(f, t);
	else
		table(f, t);
}

/* As before top had a screen: a status line, the table, the "more" line. */
void top_batch(FILE *f, struct top *t)
{
	struct layout l = { .wide = t->view.wide };
	struct line head = { .n = 0 };
	struct proc **list;
	size_t n, shown;

	n = select_procs(&t->st, &t->view, t->view.all, &list);
	shown = rows_shown(&t->view, n);
	if (t->view.json) {
		export_json(f, &t->st, list, shown, n - shown);
	} else {
		if (!l.wide)
			l.width = term_report_width();
		counts(&head, &t->st);
		totals(&head, &t->st);
		if (t->keys)
			add(&head, 6, "  ", "(q quits)");
		put_line(f, &head, l.width);
		text_summary(f, &t->st, list, shown, n - shown, &l);
	}
	free(list);
}
