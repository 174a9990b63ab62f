// SPDX-License-Identifier: GPL-2.0
/*
 * Output for people: the summary table, the per-process detail, the
 * diagnosis list and the interval reports. 80 columns unless wide.
 */
#include <stdio.h>
#include <string.h>
#include "by.h"
#include "clock.h"
#include "cpuset.h"
#include "enrich.h"
#include "fit.h"
#include "group.h"
#include "locks.h"
#include "text.h"
#include "util.h"
#include "verdict.h"

#define WRAP	76
#define BAR	40
#define PID_W	7 /* pid_max may be 4194304 (PID_MAX_LIMIT): 7 digits */
#define COMM_W	(COMM_MAX - 1) /* the longest name the kernel keeps */
#define STATE_W 6	       /* "exited" */
#define AGE_W	6	       /* "59m59s", "23h59m" */

bool use_color;

/* As ls --color=auto decides: an unset TERM or "dumb" has none. */
bool term_has_escapes(const char *term)
{
	return term && *term && strcmp(term, "dumb");
}

/* no-color.org: NO_COLOR turns colour off when set and not empty. */
bool color_wanted(bool tty, const char *no_color, const char *term)
{
	return tty && !(no_color && *no_color) && term_has_escapes(term);
}

static const char *color(const char *code)
{
	return use_color ? code : "";
}

#define RED    color("\033[31m")
#define YELLOW color("\033[33m")
#define BOLD   color("\033[1m")
#define RESET  color("\033[0m")

static void pad(FILE *f, int n)
{
	static const char spaces[] = "                                ";

	const int most = sizeof(spaces) - 1;

	for (; n > 0; n -= most)
		fwrite(spaces, 1, n < most ? n : most, f);
}

/* Right-aligned in width: the digits from start to end. */
static void right(FILE *f, const char *start, const char *end, int width)
{
	pad(f, width - (int)(end - start));
	fwrite(start, 1, end - start, f);
}

/* A number right-aligned in width, never shortened (a PID, say). */
static void number(FILE *f, long long v, int width)
{
	char buf[24], *digits;

	if (v < 0) {
		fprintf(f, "%*lld", width, v);
		return;
	}
	digits = format_ull(buf + sizeof(buf), v);
	right(f, digits, buf + sizeof(buf), width);
}

/* A count in at most width characters: 1234567 -> "1.2M" when narrow. */
static void count(FILE *f, long long v, int width)
{
	static const char suffix[] = "kMGTP";
	char buf[32], *digits;
	double d = v;
	int i = -1;

	if (v >= 0) { /* the common case, without printf */
		digits = format_ull(buf + sizeof(buf), v);
		if (buf + sizeof(buf) - digits <= width) {
			right(f, digits, buf + sizeof(buf), width);
			return;
		}
	}
	snprintf(buf, sizeof(buf), "%lld", v);
	while ((int)strlen(buf) > width && i < 4) {
		d /= 1000;
		i++;
		snprintf(buf, sizeof(buf), "%.1f%c", d, suffix[i]);
		if ((int)strlen(buf) > width) /* 1000 in 3 columns: 1k */
			snprintf(buf, sizeof(buf), "%.0f%c", d, suffix[i]);
	}
	fprintf(f, "%*s", width, buf);
}

static void rate(FILE *f, double v, int width)
{
	char buf[32], *p;

	if (v >= 0 && v < 100) { /* the common case: d.dd, without printf */
		unsigned int centi = (unsigned int)(v * 100 + 0.5);

		p = buf + sizeof(buf);
		*--p = '0' + centi % 10;
		*--p = '0' + centi / 10 % 10;
		*--p = '.';
		p = format_ull(p, centi / 100);
		right(f, p, buf + sizeof(buf), width);
		return;
	}
	snprintf(buf, sizeof(buf), v < 100 ? "%.2f" : "%.0f", v);
	if ((int)strlen(buf) <= width)
		fprintf(f, "%*s", width, buf);
	else if (v < 1e15)
		count(f, (long long)v, width);
	else
		fprintf(f, "%*s", width, "huge");
}

static void verdict_codes(FILE *f, const struct proc *p, bool wide)
{
	int i;

	if (!p->nverdicts) {
		fputs("-", f);
		return;
	}
	fputs(RED, f);
	for (i = 0; i < p->nverdicts && (wide || i == 0); i++) {
		if (i)
			fputc(',', f);
		fputs(p->verdicts[i].code, f);
	}
	if (!wide && p->nverdicts > 1)
		fputc('+', f);
	fputs(RESET, f);
}

/*
 * Names are never cut: the column is as wide as the longest the kernel
 * keeps, or wider for one whose escaped bytes take more room.
 */
static int wider(int w, const struct proc *p)
{
	int len = text_width(p->comm);

	return len > w ? len : w;
}

static int procs_comm_width(struct proc *const *procs, size_t n)
{
	int w = COMM_W;
	size_t i;

	for (i = 0; i < n; i++)
		w = wider(w, procs[i]);
	return w;
}

/*
 * The last line of a list cut at -n rows: how many more there are, and
 * how to see them (not when a screen's height cut it).
 */
static void more(FILE *f, int indent, size_t omitted, bool hint)
{
	if (omitted)
		fprintf(f, "%*s... %zu more %s%s\n", indent, "", omitted,
			omitted == 1 ? "process" : "processes",
			hint ? "; -n 0 for all" : "");
}

static void age(FILE *f, const struct state *st, const struct proc *p)
{
	char buf[AGE_LEN];

	format_age(buf, elapsed_ns(st->now_ns, p->first_seen_ns));
	fprintf(f, "%*s", AGE_W, buf);
}

/* The summary's columns between COMM and VERDICT, in their order. */
enum summary_column {
	COL_STATE,
	COL_AGE,
	COL_LIVE,
	COL_PEAK,
	COL_CREATED,
	COL_SOLO,
	COL_SHORT,
	COL_RATE,
	COL_AFFIN,
	COL_PIN,
	NR_SUMMARY_COLUMNS
};

static const struct {
	const char *header, *wide_header;
	int width, wide_width; /* the wide ones hold any count in full */
	bool left;
} summary_columns[NR_SUMMARY_COLUMNS] = {
	[COL_STATE] = { "STATE", "STATE", STATE_W, STATE_W, true },
	[COL_AGE] = { "AGE", "AGE", AGE_W, AGE_W },
	[COL_LIVE] = { "LIVE", "LIVE", 5, 10 },
	[COL_PEAK] = { "PEAK", "PEAK", 5, 10 },
	[COL_CREATED] = { "CREATED", "CREATED", 7, 11 },
	[COL_SOLO] = { "SOLO", "SOLO-EXITS", 5, 10 },
	[COL_SHORT] = { "SHORT", "SHORT", 5, 10 },
	[COL_RATE] = { "RATE/s", "RATE/s", 6, 6 },
	[COL_AFFIN] = { "AFFIN", "AFFINITY", 5, 8 },
	[COL_PIN] = { "PIN", "PINNED", 3, 6 },
};

/*
 * On a terminal too narrow for a row, columns go in this order, the least
 * telling first, until it fits: what the verdict rests on (rates, solo
 * exits, live threads) stays longest; PID, COMM and VERDICT always stay.
 */
static const enum summary_column drop_order[NR_SUMMARY_COLUMNS] = {
	COL_PEAK, COL_SHORT, COL_PIN,  COL_AFFIN, COL_CREATED,
	COL_AGE,  COL_STATE, COL_SOLO, COL_LIVE,  COL_RATE,
};

const char *text_dropped_column(int i)
{
	if (i < 0 || i >= NR_SUMMARY_COLUMNS)
		return NULL;
	return summary_columns[drop_order[i]].header;
}

static int column_w(enum summary_column c, bool wide)
{
	return wide ? summary_columns[c].wide_width : summary_columns[c].width;
}

static void summary_cell(FILE *f, const struct state *st, const struct proc *p,
			 enum summary_column c, int width)
{
	switch (c) {
	case COL_STATE:
		fprintf(f, "%-*s", width, p->exited ? "exited" : "live");
		break;
	case COL_AGE:
		age(f, st, p);
		break;
	case COL_LIVE:
		count(f, p->threads_live, width);
		break;
	case COL_PEAK:
		count(f, p->threads_peak, width);
		break;
	case COL_CREATED:
		count(f, p->threads_created, width);
		break;
	case COL_SOLO:
		count(f, p->solo_exits, width);
		break;
	case COL_SHORT:
		count(f, p->short_lived, width);
		break;
	case COL_RATE:
		rate(f, p->rate_solo_exits[W_60S], width);
		break;
	case COL_AFFIN:
		count(f, p->affinity_changes, width);
		break;
	default:
		count(f, p->threads_pinned, width);
		break;
	}
}

/* What verdict_codes() writes for p: its length, colour aside. */
static int codes_width(const struct proc *p, bool wide)
{
	int i, len = 0;

	for (i = 0; i < p->nverdicts && (wide || i == 0); i++)
		len += (i ? 1 : 0) + strlen(p->verdicts[i].code);
	if (!wide && p->nverdicts > 1)
		len++;
	return len ? len : 1; /* "-" */
}

/*
 * VERDICT's room: without -w, the longest a code and its '+' can be, for
 * the same columns from one frame of top to the next; with -w, the longest
 * list of codes shown.
 */
static int verdict_width(struct proc *const *procs, size_t n, bool wide)
{
	int w = strlen("VERDICT"), k, len;
	size_t i;

	for (k = 0; !wide && k < NR_VERDICT_KINDS; k++) {
		len = strlen(verdict_code(k)) + 1;
		w = len > w ? len : w;
	}
	for (i = 0; wide && i < n; i++) {
		len = codes_width(procs[i], true);
		w = len > w ? len : w;
	}
	return w;
}

/*
 * Which of the columns fit in width (0: any), one bit each; *used: the
 * width of the row with them. fixed: PID, COMM and VERDICT's.
 */
static unsigned int fitting(int width, int fixed, bool wide, int *used)
{
	unsigned int shown = (1u << NR_SUMMARY_COLUMNS) - 1;
	int c, i;

	*used = fixed;
	for (c = 0; c < NR_SUMMARY_COLUMNS; c++)
		*used += 1 + column_w(c, wide);
	for (i = 0; width && *used > width && i < NR_SUMMARY_COLUMNS; i++) {
		shown &= ~(1u << drop_order[i]);
		*used -= 1 + column_w(drop_order[i], wide);
	}
	return shown;
}

static void summary_header(FILE *f, int comm_w, unsigned int shown, bool wide)
{
	int c;

	fprintf(f, "%s%*s %-*s", BOLD, PID_W, "PID", comm_w, "COMM");
	for (c = 0; c < NR_SUMMARY_COLUMNS; c++) {
		if (!(shown & (1u << c)))
			continue;
		fprintf(f, summary_columns[c].left ? " %-*s" : " %*s",
			column_w(c, wide),
			wide ? summary_columns[c].wide_header :
			       summary_columns[c].header);
	}
	fprintf(f, " VERDICT%s\n", RESET);
}

static void summary_row(FILE *f, const struct state *st, const struct proc *p,
			int comm_w, unsigned int shown, bool wide)
{
	int c;

	number(f, p->pid, PID_W);
	fputc(' ', f);
	text_string(f, p->comm, comm_w);
	for (c = 0; c < NR_SUMMARY_COLUMNS; c++) {
		if (!(shown & (1u << c)))
			continue;
		fputc(' ', f);
		summary_cell(f, st, p, c, column_w(c, wide));
	}
	fputc(' ', f);
	verdict_codes(f, p, wide);
	fputc('\n', f);
}

/*
 * Narrower than PID, COMM and VERDICT alone (under 40 columns), lines are
 * cut at the width, as ps(1) cuts them: a row never wraps.
 */
void text_summary(FILE *f, const struct state *st, struct proc *const *procs,
		  size_t n, size_t omitted, const struct layout *l)
{
	int comm_w = procs_comm_width(procs, n), used;
	int fixed = PID_W + 1 + comm_w + 1 + verdict_width(procs, n, l->wide);
	unsigned int shown = fitting(l->width, fixed, l->wide, &used);
	FILE *out = used > l->width && l->width ? fit_open(f, l->width) : NULL;
	size_t i;

	if (!out)
		out = f;
	summary_header(out, comm_w, shown, l->wide);
	for (i = 0; i < n; i++)
		summary_row(out, st, procs[i], comm_w, shown, l->wide);
	more(out, 0, omitted, !l->screen_cut);
	if (!st->complete)
		fprintf(out, "(watched processes only: debugfs unreadable)\n");
	if (out != f)
		fclose(out);
}

/* Words of text wrapped at WRAP columns, each line after indent spaces. */
static void wrapped(FILE *f, int indent, const char *text)
{
	const char *p = text;
	int col = indent;

	fprintf(f, "%*s", indent, "");
	while (*p) {
		int len = strcspn(p, " ");

		if (col > indent && col + 1 + len > WRAP) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, len, f);
		col += len;
		p += len;
		p += strspn(p, " ");
	}
	fputc('\n', f);
}

static void verdicts(FILE *f, const struct proc *p, int indent)
{
	struct words w;
	int i;

	for (i = 0; i < p->nverdicts; i++) {
		describe(p, &p->verdicts[i], &w);
		fprintf(f, "%*s%s%s%s: %s\n", indent, "", RED,
			p->verdicts[i].code, RESET,
			verdict_meaning(p->verdicts[i].kind));
		wrapped(f, indent + 2, w.summary);
		fprintf(f, "%*s%sfix:%s\n", indent + 2, "", YELLOW, RESET);
		wrapped(f, indent + 4, w.fix);
	}
}

/* Bars, the longest for the fullest bucket; one line when all are empty. */
static void histogram(FILE *f, const struct proc *p)
{
	long long most = 0;
	int b, len;

	for (b = 0; b < HIST_BUCKETS; b++)
		if (p->lifetime_hist[b] > most)
			most = p->lifetime_hist[b];
	if (!most) {
		fprintf(f, "  lifetimes no solo exits\n");
		return;
	}
	fprintf(f, "  solo-exit lifetimes (from creation to exit)\n");
	for (b = 0; b < HIST_BUCKETS; b++) {
		char label[16];

		len = (int)((double)p->lifetime_hist[b] * BAR / most + 0.999);
		snprintf(label, sizeof(label), "%s%s", b ? ">=" : "",
			 hist_labels[b]);
		fprintf(f, "    %8s |", label);
		for (int i = 0; i < len; i++)
			fputc('#', f);
		fprintf(f, "%*s %lld\n", BAR - len, "", p->lifetime_hist[b]);
	}
}

static void pinned_cpus(FILE *f, const struct proc *p)
{
	static int counts[MAX_CPUS];
	int n, cpu, shown = 0;

	n = pinned_per_cpu(p, counts, MAX_CPUS);
	if (n < 0)
		return;
	fprintf(f, "  pinned threads per CPU:");
	for (cpu = 0; cpu < n; cpu++)
		if (counts[cpu]) {
			fprintf(f, " cpu%d=%d", cpu, counts[cpu]);
			shown++;
		}
	fprintf(f, "%s\n", shown ? "" : " none");
}

/* "short-lived (< 100 ms)": the module's threshold, if it can be read. */
static void short_lived(FILE *f, const struct state *st)
{
	char us[32];

	if (st->short_lived_us < 0) {
		fputs("short-lived", f);
		return;
	}
	format_us(us, sizeof(us), st->short_lived_us);
	fprintf(f, "short-lived (< %s)", us);
}

/* When it was first seen and last heard of, as ages: clocks differ. */
static void seen(FILE *f, const struct state *st, const struct proc *p)
{
	char first[AGE_LEN], last[AGE_LEN];

	format_age(first, elapsed_ns(st->now_ns, p->first_seen_ns));
	format_age(last, elapsed_ns(st->now_ns, p->last_event_ns));
	fprintf(f, "  seen      first %s ago, %s %s ago\n", first,
		p->exited ? "exited" : "last event", last);
}

/* The first line of a trace: its calls, and what it could not see. */
static void trace_summary(FILE *f, const struct trace *t)
{
	fprintf(f, "  LockOSThread calls %lld", t->calls);
	if (t->unlock_probes)
		fprintf(f, ", UnlockOSThread calls %lld", t->unlocks);
	else
		fputs(", unlocks not seen", f);
	fprintf(f, " (trace %s)", t->state);
	if (t->exits_unseen)
		fprintf(f, ", %lld solo exits of threads locked before",
			t->exits_unseen);
	if (t->exits_unlocked)
		fprintf(f, ", %lld solo exits of unlocked threads",
			t->exits_unlocked);
	if (t->threads_dropped)
		fprintf(f, ", %lld locks of threads not remembered",
			t->threads_dropped);
	fputc('\n', f);
}

/*
 * The LockOSThread call sites of a traced process. Where unlocks are seen,
 * LOCKED counts live threads holding a lock whose last lock came from the
 * site; else LAST-LOCKED counts those whose last lock came from it, held
 * or not.
 */
static void lock_sites(FILE *f, const struct trace *t)
{
	bool held = t->unlock_probes > 0;
	char where[1600];
	int i;

	trace_summary(f, t);
	fprintf(f, "    %8s %12s %11s  %s\n", "CALLS", "LOCKED-EXITS",
		held ? "LOCKED" : "LAST-LOCKED", "CALL SITE");
	for (i = 0; i < t->nsites; i++)
		fprintf(f, "    %8lld %12lld %11lld  %s\n", t->sites[i].calls,
			t->sites[i].locked_exits,
			held ? t->sites[i].locked : t->sites[i].last_locked,
			code_place_where_full(t, &t->sites[i].at, where,
					      sizeof(where)));
}

/* Callers by stack, one row each: their calls, and the place named. */
static void callers(FILE *f, const struct trace *t,
		    const struct stack_caller *c, int n)
{
	char where[1600];
	int i;

	for (i = 0; i < n; i++)
		fprintf(f, "    %8lld  %s\n", c[i].calls,
			code_place_where_full(t, &c[i].at, where,
					      sizeof(where)));
}

/* A creates trace: the callers of pthread_create, by their stacks. */
static void creators(FILE *f, const struct trace *t)
{
	fprintf(f, "  pthread_create calls %lld (trace %s)\n", t->calls,
		t->state);
	fprintf(f, "    %8s  %s\n", "CALLS", "CALLER");
	callers(f, t, t->creators, t->ncreators);
}

static void trace_detail(FILE *f, const struct trace *t)
{
	if (t->kind == TRACE_CREATES)
		creators(f, t);
	else
		lock_sites(f, t);
	if (!t->ncallers)
		return;
	fprintf(f, "  sched_setaffinity callers (granted calls)\n");
	callers(f, t, t->callers, t->ncallers);
}

void text_detail(FILE *f, const struct state *st, struct proc *p)
{
	enrich(p, FACT_ALL);
	fprintf(f, "%sprocess %d (", BOLD, p->pid);
	if (p->nspid && p->nspid != p->pid)
		fprintf(f, "%d in its PID namespace, ", p->nspid);
	text_string(f, p->comm, 0);
	fprintf(f, ")%s %s%s\n", RESET, p->exited ? "exited" : "live",
		p->go == 1 ? ", Go binary" :
		p->go == 0 ? "" :
			     ", runtime unknown");
	fprintf(f,
		"  threads   live %lld  peak %lld  created %lld  "
		"exited %lld\n",
		p->threads_live, p->threads_peak, p->threads_created,
		p->threads_exited);
	fprintf(f, "  exits     solo %lld  ", p->solo_exits);
	short_lived(f, st);
	fprintf(f, " %lld  teardown %lld\n", p->short_lived,
		p->threads_exited - p->solo_exits);
	fprintf(f,
		"  pinning   affinity changes %lld  pinned %lld  "
		"most on one CPU %lld",
		p->affinity_changes, p->threads_pinned, p->pinned_cpu_max);
	if (p->cpus_allowed)
		fprintf(f, "  CPUs allowed %d", p->cpus_allowed);
	fputc('\n', f);
	text_whereabouts(f, p);
	fprintf(f,
		"  rates/s   created %.2f (1 s) %.2f (1 min)  "
		"solo exits %.2f %.2f  affinity %.2f %.2f\n",
		p->rate_created[W_1S], p->rate_created[W_60S],
		p->rate_solo_exits[W_1S], p->rate_solo_exits[W_60S],
		p->rate_affinity[W_1S], p->rate_affinity[W_60S]);
	fprintf(f,
		"  growth    new thread highs in %lld of the last 16 "
		"windows of ~1 s, %lld of ~34 s\n",
		p->growth_steps_1s, p->growth_steps_34s);
	seen(f, st, p);
	histogram(f, p);
	pinned_cpus(f, p);
	if (p->trace)
		trace_detail(f, p->trace);
	if (p->nverdicts) {
		fprintf(f, "  verdicts\n");
		verdicts(f, p, 4);
	} else {
		fprintf(f, "  verdicts  none\n");
	}
}

/* A column of a finding's table: its header, and what it shows. */
struct column {
	const char *header;
	void (*show)(FILE *f, const struct proc *p, int width);
};

#define MAX_COLUMNS 3

static void solo_column(FILE *f, const struct proc *p, int width)
{
	count(f, p->solo_exits, width);
}

static void rate_column(FILE *f, const struct proc *p, int width)
{
	rate(f, p->rate_solo_exits[W_60S], width);
}

static void short_column(FILE *f, const struct proc *p, int width)
{
	double share =
		p->solo_exits ? (double)p->short_lived / p->solo_exits : 0;

	fprintf(f, "%*.0f%%", width - 1, 100 * share);
}

static void live_column(FILE *f, const struct proc *p, int width)
{
	count(f, p->threads_live, width);
}

static void peak_column(FILE *f, const struct proc *p, int width)
{
	count(f, p->threads_peak, width);
}

static void highs_1s_column(FILE *f, const struct proc *p, int width)
{
	fprintf(f, "%*lld/16", width - 3, p->growth_steps_1s);
}

static void highs_34s_column(FILE *f, const struct proc *p, int width)
{
	fprintf(f, "%*lld/16", width - 3, p->growth_steps_34s);
}

static void cpus_column(FILE *f, const struct proc *p, int width)
{
	if (p->cpus_allowed)
		number(f, p->cpus_allowed, width);
	else
		fprintf(f, "%*s", width, "?");
}

static void affinity_column(FILE *f, const struct proc *p, int width)
{
	count(f, p->affinity_changes, width);
}

static void affinity_rate_column(FILE *f, const struct proc *p, int width)
{
	rate(f, p->rate_affinity[W_60S], width);
}

static void pinned_column(FILE *f, const struct proc *p, int width)
{
	count(f, p->threads_pinned, width);
}

static void one_cpu_column(FILE *f, const struct proc *p, int width)
{
	count(f, p->pinned_cpu_max, width);
}

/* The counts that matter for each finding; pinstat(8) explains them. */
static const struct column finding_columns[NR_VERDICT_KINDS][MAX_COLUMNS] = {
	[GO_LOCKED_EXIT] = { { "SOLO", solo_column },
			     { "RATE/s", rate_column } },
	[THREAD_CHURN] = { { "SOLO", solo_column },
			   { "SHORT", short_column },
			   { "RATE/s", rate_column } },
	[THREAD_LEAK] = { { "LIVE", live_column },
			  { "HIGHS/1s", highs_1s_column },
			  { "HIGHS/34s", highs_34s_column } },
	[AFFINITY_CHURN] = { { "AFFIN", affinity_column },
			     { "AFFIN/s", affinity_rate_column } },
	[PIN_OVERLAP] = { { "PINNED", pinned_column },
			  { "ONE-CPU", one_cpu_column },
			  { "CPUS", cpus_column } },
	[THREAD_SURGE] = { { "LIVE", live_column },
			   { "PEAK", peak_column },
			   { "CPUS", cpus_column } },
};

/* Counts take 6 columns at least, as many as their header else. */
static int column_width(const struct column *c)
{
	int len = strlen(c->header);

	return len > 6 ? len : 6;
}

static const char *go_word(const struct proc *p)
{
	return p->go == 1 ? "yes" : p->go == 0 ? "no" : "?";
}

static void finding_header(FILE *f, const struct group *g)
{
	fprintf(f, "%s%s%s%s%s (%zu %s):%s %s\n", BOLD, RED,
		verdict_code(g->kind), RESET, BOLD, g->n,
		g->n == 1 ? "process" : "processes", RESET,
		verdict_meaning(g->kind));
}

/* Does the module say where one of the first @shown processes is? */
static bool told_where(const struct group *g, size_t shown)
{
	size_t r;

	for (r = 0; r < shown; r++)
		if (g->procs[r]->cgroup)
			return true;
	return false;
}

/* The first shown of the group's processes, one row each; where they are. */
static void finding_table(FILE *f, const struct state *st,
			  const struct group *g, size_t shown)
{
	const struct column *c = finding_columns[g->kind];
	int comm_w = procs_comm_width(g->procs, shown), i;
	size_t r;

	fprintf(f, "  %*s %-*s %-*s %*s GO ", PID_W, "PID", comm_w, "COMM",
		STATE_W, "STATE", AGE_W, "AGE");
	for (i = 0; i < MAX_COLUMNS && c[i].header; i++)
		fprintf(f, " %*s", column_width(&c[i]), c[i].header);
	fprintf(f, "%s\n", told_where(g, shown) ? "  WHERE" : "");
	for (r = 0; r < shown; r++) {
		const struct proc *p = g->procs[r];
		char where[4096 + 32];

		fputs("  ", f);
		number(f, p->pid, PID_W);
		fputc(' ', f);
		text_string(f, p->comm, comm_w);
		fprintf(f, " %-*s ", STATE_W, p->exited ? "exited" : "live");
		age(f, st, p);
		fprintf(f, " %-3s", go_word(p));
		for (i = 0; i < MAX_COLUMNS && c[i].header; i++) {
			fputc(' ', f);
			c[i].show(f, p, column_width(&c[i]));
		}
		where_short(p, where, sizeof(where));
		if (*where) {
			fputs("  ", f);
			text_last(f, where);
		}
		fputc('\n', f);
	}
}

static void evidence_of(const struct proc *p, enum verdict_kind kind,
			struct words *w)
{
	struct verdict v = { kind, verdict_code(kind) };

	describe(p, &v, w);
}

/*
 * Each shown process's evidence, one line each; once when it is the same
 * for all of them (records with the same counts).
 */
static void finding_evidence(FILE *f, const struct group *g, size_t shown)
{
	struct words first, w;
	size_t r;

	evidence_of(g->procs[0], g->kind, &first);
	for (r = 1; r < shown; r++) {
		evidence_of(g->procs[r], g->kind, &w);
		if (strcmp(w.summary, first.summary))
			break;
	}
	if (shown > 1 && r == shown) {
		fprintf(f, "  evidence, the same for each:\n    %s\n",
			first.summary);
		return;
	}
	fprintf(f, "  evidence:\n");
	for (r = 0; r < shown; r++) {
		evidence_of(g->procs[r], g->kind, &w);
		fprintf(f, "    %d: %s\n", g->procs[r]->pid, w.summary);
	}
}

/* Which fixes diagnose --follow printed already: bits per kind. */
#define SAID_FIX    1
#define SAID_GO_FIX 2

/*
 * The fix once: Go's for Go binaries, the other for the rest, both when
 * the group mixes them; none already printed in this run (said).
 */
static void finding_fix(FILE *f, const struct group *g, unsigned char *said)
{
	bool go = g->go, other = g->other && (needs_both_fixes(g) || !g->go);
	unsigned char want = (other ? SAID_FIX : 0) | (go ? SAID_GO_FIX : 0);

	if (said && !(want & ~*said)) {
		fprintf(f, "  %sfix:%s as printed above for %s\n", YELLOW,
			RESET, verdict_code(g->kind));
		return;
	}
	if (go && (!said || !(*said & SAID_GO_FIX))) {
		fprintf(f, "  %sfix (Go):%s\n", YELLOW, RESET);
		wrapped(f, 4, verdict_fix(g->kind, true));
	}
	if (other && (!said || !(*said & SAID_FIX))) {
		fprintf(f, "  %sfix%s:%s\n", YELLOW, go ? " (not Go)" : "",
			RESET);
		wrapped(f, 4, verdict_fix(g->kind, false));
	}
	if (said)
		*said |= want;
}

/* The worst of the group's live Go processes: its goroutines can be seen. */
static const struct proc *live_go(const struct group *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		if (g->procs[i]->go == 1 && !g->procs[i]->exited)
			return g->procs[i];
	return NULL;
}

static void next_step(FILE *f, const char *command, const char *why)
{
	fprintf(f, "    %s\n", command);
	wrapped(f, 8, why);
}

/* What to run next: the worst in detail; for Go, its goroutines' stacks. */
static void finding_next(FILE *f, const struct group *g)
{
	const struct proc *go = live_go(g);
	char command[64], why[256];

	fprintf(f, "  next:\n");
	snprintf(command, sizeof(command), "pinstat -p %d", g->procs[0]->pid);
	next_step(f, command,
		  g->n > 1 ?
			  "the worst of them in detail: counts, rates, "
			  "lifetimes, pinned CPUs" :
			  "in detail: counts, rates, lifetimes, pinned CPUs");
	if (!go)
		return;
	snprintf(why, sizeof(why),
		 "if %d serves net/http/pprof: every goroutine's stack; those "
		 "runtime.LockOSThread locked say \"locked to thread\"",
		 go->pid);
	next_step(f, "curl -s 'http://HOST:PORT/debug/pprof/goroutine?debug=2'",
		  why);
	snprintf(command, sizeof(command), "kill -QUIT %d", go->pid);
	snprintf(why, sizeof(why),
		 "else: this KILLS %d, after the Go runtime writes every "
		 "goroutine's stack to its standard error (none if it catches "
		 "SIGQUIT or runs with GOTRACEBACK=none)",
		 go->pid);
	next_step(f, command, why);
}

void text_diagnosis(FILE *f, const struct state *st, struct proc *const *procs,
		    size_t n, size_t limit, unsigned char *said)
{
	struct group groups[NR_VERDICT_KINDS];
	size_t i, ngroups, shown;

	ngroups = group_findings(procs, n, groups);
	for (i = 0; i < ngroups; i++) {
		const struct group *g = &groups[i];

		shown = limit && limit < g->n ? limit : g->n;
		if (i)
			fputc('\n', f);
		finding_header(f, g);
		finding_table(f, st, g, shown);
		more(f, 2, g->n - shown, true);
		finding_evidence(f, g, shown);
		finding_fix(f, g, said ? &said[g->kind] : NULL);
		finding_next(f, g);
	}
	free_groups(groups, ngroups);
}

void text_interval(FILE *f, const char *stamp, const struct delta *d, size_t n,
		   size_t omitted, bool wide)
{
	int comm_w = COMM_W;
	size_t i;

	for (i = 0; i < n; i++)
		comm_w = wider(comm_w, d[i].p);
	fprintf(f, "%s%-8s %*s %-*s %5s %5s %8s %8s %8s VERDICT%s\n", BOLD,
		stamp, PID_W, "PID", comm_w, "COMM", "LIVE", "+/-", "CREAT/s",
		"SOLO/s", "AFFIN/s", RESET);
	for (i = 0; i < n; i++) {
		fprintf(f, "%-8s %*d ", stamp, PID_W, d[i].p->pid);
		text_string(f, d[i].p->comm, comm_w);
		fputc(' ', f);
		count(f, d[i].p->threads_live, 5);
		fprintf(f, " %+5lld ", d[i].live_change);
		rate(f, d[i].created, 8);
		fputc(' ', f);
		rate(f, d[i].solo_exits, 8);
		fputc(' ', f);
		rate(f, d[i].affinity, 8);
		fputc(' ', f);
		verdict_codes(f, d[i].p, wide);
		fputc('\n', f);
	}
	more(f, 0, omitted, true);
}
