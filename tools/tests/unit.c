// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the pinstat CLI: parsing, escaping, sorting, verdict rules,
 * interval rates. No kernel module needed. Output is TAP.
 */
#define _GNU_SOURCE
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cgroup.h"
#include "clock.h"
#include "cpuset.h"
#include "enrich.h"
#include "export.h"
#include "fit.h"
#include "group.h"
#include "json.h"
#include "procinfo.h"
#include "prompt.h"
#include "report.h"
#include "select.h"
#include "source.h"
#include "term.h"
#include "text.h"
#include "util.h"
#include "verdict.h"

static int tests, failures;

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	tests++;
	if (!ok)
		failures++;
	printf("%sok %d - ", ok ? "" : "not ", tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* What fn writes to a FILE, as a string (static, overwritten). */
static const char *capture(void (*fn)(FILE *f, const char *s), const char *s)
{
	static char buf[1024];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	fn(f, s);
	fclose(f);
	return buf;
}

static void test_numbers(void)
{
	long long v;
	double d;

	check(parse_ll("42", &v) && v == 42, "parse_ll 42");
	check(parse_ll("42\n", &v) && v == 42, "parse_ll takes a newline");
	check(!parse_ll("", &v), "parse_ll refuses empty");
	check(!parse_ll(" 4", &v), "parse_ll refuses a space");
	check(!parse_ll("4x", &v), "parse_ll refuses trailing junk");
	check(!parse_ll("+4", &v), "parse_ll refuses a plus");
	check(!parse_ll("99999999999999999999", &v), "parse_ll overflow");
	check(parse_double("0.25", &d) && d == 0.25, "parse_double 0.25");
	check(!parse_double("nan", &d) && !parse_double("-1", &d),
	      "parse_double refuses nan and negatives");
	check(!parse_double("0x1p0", &d) && !parse_double("1e3", &d),
	      "parse_double refuses hex and exponents");
}

static void test_comm(void)
{
	char out[COMM_MAX];

	check(decode_comm("bash", out, sizeof(out)) && !strcmp(out, "bash"),
	      "decode plain comm");
	check(decode_comm("a\\040b\\134c\\377", out, sizeof(out)) &&
		      !strcmp(out, "a b\\c\377"),
	      "decode escaped comm");
	check(decode_comm("\\000", out, sizeof(out)) && !out[0],
	      "decode the empty name");
	check(!decode_comm("a\\0", out, sizeof(out)), "refuse short escape");
	check(!decode_comm("a\\999", out, sizeof(out)), "refuse non-octal");
	check(!decode_comm("a\\000b", out, sizeof(out)), "refuse inner NUL");
	check(!decode_comm("0123456789abcdefg", out, sizeof(out)),
	      "refuse a name longer than the kernel's");
}

static void json_string(FILE *f, const char *s)
{
	struct json j;

	json_init(&j, f);
	json_str(&j, s);
	json_flush(&j);
}

static void test_escaping(void)
{
	check(!strcmp(capture(json_string, "a\"b\\c\n\x01"),
		      "\"a\\\"b\\\\c\\u000a\\u0001\""),
	      "JSON escapes");
	check(!strcmp(capture(json_string, "caf\xc3\xa9"), "\"caf\xc3\xa9\""),
	      "JSON keeps UTF-8");
	check(!strcmp(capture(json_string, "x\xff\xc3"),
		      "\"x\xef\xbf\xbd\xef\xbf\xbd\""),
	      "JSON: bytes that are not UTF-8 are U+FFFD, as in Prometheus");
	check(!strcmp(capture(json_string, "\xed\xa0\x80"),
		      "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""),
	      "JSON: no surrogates");
	check(!strcmp(capture(prom_label, "a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\""),
	      "Prometheus label escapes");
	check(!strcmp(capture(prom_label, "x\xff"), "\"x\xef\xbf\xbd\""),
	      "Prometheus: invalid UTF-8 replaced");
}

static void text_w5(FILE *f, const char *s)
{
	text_string(f, s, 5);
}

static void test_text(void)
{
	check(!strcmp(capture(text_w5, "ab"), "ab   "), "text pads");
	check(!strcmp(capture(text_w5, "abcdefgh"), "abcd+"), "text cuts");
	check(!strcmp(capture(text_w5, "a\tb"), "a+   "),
	      "text never cuts an escape in half");
	check(!strcmp(capture(text_w5, "\tb"), "\\011b"),
	      "text escapes control bytes");
}

static void test_color(void)
{
	check(color_wanted(true, NULL, "xterm"), "colour on a terminal");
	check(!color_wanted(false, NULL, "xterm"), "no colour into a pipe");
	check(color_wanted(true, "", "xterm"),
	      "NO_COLOR set but empty keeps the colour");
	check(!color_wanted(true, "1", "xterm") &&
		      !color_wanted(true, "0", "xterm"),
	      "NO_COLOR with any value turns it off");
	check(!color_wanted(true, NULL, "dumb") && !term_has_escapes("dumb"),
	      "TERM=dumb: no escape sequences");
	check(!color_wanted(true, NULL, NULL) && !color_wanted(true, NULL, ""),
	      "TERM unset or empty: no escape sequences");
	check(term_has_escapes("xterm-256color") && term_has_escapes("dumber"),
	      "other terminals have them");
}

/* The CPUs of a list, or -1 if it is refused; *only as cpuset_only(). */
static int cpus_of(const char *list, int *only)
{
	struct cpuset s;

	cpuset_clear(&s);
	if (!cpuset_add_list(&s, list))
		return -1;
	*only = cpuset_only(&s);
	return cpuset_count(&s);
}

static void test_cpu_list(void)
{
	struct cpuset a, b;
	int only;

	check(cpus_of("0-3", &only) == 4 && only == -1, "0-3");
	check(cpus_of("5", &only) == 1 && only == 5, "one CPU");
	check(cpus_of("8191", &only) == 1 && only == 8191, "the last CPU");
	check(cpus_of("0-1,4,6-7\n", &only) == 5, "ranges");
	check(cpus_of("", &only) == 0 && only == -1, "none");
	check(cpus_of("3-1", &only) < 0, "refuse a bad range");
	check(cpus_of("x", &only) < 0 && cpus_of("1;2", &only) < 0,
	      "refuse junk");
	check(cpus_of("8192", &only) < 0, "refuse a CPU past MAX_CPUS");
	cpuset_clear(&a);
	cpuset_clear(&b);
	cpuset_add_list(&a, "0-1,70");
	cpuset_add_list(&b, "0-3");
	check(!cpuset_covers(&a, &b) && !cpuset_covers(&b, &a), "covers");
	cpuset_union(&a, &b);
	check(cpuset_count(&a) == 5 && cpuset_covers(&a, &b), "union");
	cpuset_intersect(&a, &b);
	check(cpuset_count(&a) == 4 && cpuset_covers(&b, &a), "intersect");
}

static const char header[] =
	"pid comm state threads_live threads_peak threads_created "
	"threads_exited solo_exits short_lived affinity_changes "
	"threads_pinned pinned_cpu_max growth_steps_1s growth_steps_34s go "
	"first_seen_ns "
	"last_event_ns rate_created_1s rate_created_60s rate_solo_exits_1s "
	"rate_solo_exits_60s rate_affinity_1s rate_affinity_60s "
	"lifetime_hist\n";

static int parse(const char *table, struct state *st)
{
	FILE *f = fmemopen((void *)table, strlen(table), "r");
	int err;

	memset(st, 0, sizeof(*st));
	err = parse_processes(f, "test", st);
	fclose(f);
	return err;
}

static void test_table(void)
{
	char table[4096];
	struct state st;

	snprintf(table, sizeof(table), "%s%s", header,
		 "7 a\\040b live 3 5 10 8 8 6 2 1 1 4 3 1 100 200 1.50 0.25 "
		 "0.00 2.00 0.00 0.10 0 0 0 0 6 2 0 0 0 0 0 0\n");
	check(!parse(table, &st) && st.nprocs == 1, "parse a row");
	check(st.procs[0].pid == 7 && !strcmp(st.procs[0].comm, "a b") &&
		      st.procs[0].threads_live == 3 &&
		      st.procs[0].solo_exits == 8 &&
		      st.procs[0].rate_solo_exits[W_60S] == 2.0 &&
		      st.procs[0].lifetime_hist[4] == 6 &&
		      st.procs[0].growth_steps_1s == 4 &&
		      st.procs[0].growth_steps_34s == 3 &&
		      st.procs[0].go_runtime == 1 && !st.procs[0].exited,
	      "row values land in their fields");
	state_free(&st);

	/* columns may be added by newer modules, and reordered */
	snprintf(table, sizeof(table),
		 "comm pid new_column state "
		 "threads_live threads_peak threads_created threads_exited "
		 "solo_exits short_lived affinity_changes threads_pinned "
		 "pinned_cpu_max first_seen_ns last_event_ns rate_created_1s "
		 "rate_created_60s rate_solo_exits_1s rate_solo_exits_60s "
		 "rate_affinity_1s rate_affinity_60s lifetime_hist\n"
		 "x 9 77 exited 0 1 0 1 0 0 0 0 0 1 2 0.00 0.00 0.00 0.00 "
		 "0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0\n");
	check(!parse(table, &st) && st.nprocs == 1 && st.procs[0].pid == 9 &&
		      st.procs[0].exited,
	      "unknown columns ignored, order free");
	state_free(&st);

	/*
	 * A newer module: columns after lifetime_hist, known or not, and a
	 * thirteenth bucket, added to the twelfth (>= 1 h) it splits.
	 */
	snprintf(table, sizeof(table),
		 "pid comm state threads_live threads_peak threads_created "
		 "threads_exited solo_exits short_lived affinity_changes "
		 "threads_pinned pinned_cpu_max first_seen_ns last_event_ns "
		 "rate_created_1s rate_created_60s rate_solo_exits_1s "
		 "rate_solo_exits_60s rate_affinity_1s rate_affinity_60s "
		 "lifetime_hist go new_column\n"
		 "9 x live 2 2 1 1 1 1 0 0 0 1 2 0.00 0.00 0.00 0.00 0.00 0.00 "
		 "1 2 3 4 5 6 7 8 9 10 11 12 13 1 77\n"
		 "10 y live 2 2 1 1 1 1 0 0 0 1 2 0.00 0.00 0.00 0.00 0.00 0.00 "
		 "0 0 0 0 0 0 0 0 0 0 0 0 0 0 77\n");
	check(!parse(table, &st) && st.nprocs == 2 &&
		      st.procs[0].lifetime_hist[0] == 1 &&
		      st.procs[0].lifetime_hist[10] == 11 &&
		      st.procs[0].lifetime_hist[11] == 12 + 13 &&
		      st.procs[0].go_runtime == 1 && st.procs[1].pid == 10 &&
		      st.procs[1].go_runtime == 0,
	      "columns after lifetime_hist are read, extra buckets folded");
	state_free(&st);
	snprintf(table, sizeof(table), "%s%s%s", header,
		 "7 x live 1 1 0 0 0 0 0 0 0 0 0 0 0 1 2 0.00 0.00 0.00 0.00 "
		 "0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
		 "8 x live 1 1 0 0 0 0 0 0 0 0 0 0 0 1 2 0.00 0.00 0.00 0.00 "
		 "0.00 0.00 0 0 0 0 0 0 0 0 0 0 0 0\n");
	check(parse(table, &st) < 0,
	      "refuse a row with fewer buckets than the one before");
	state_free(&st);
	snprintf(table, sizeof(table), "%s%s", header,
		 "7 x live 1 1 0 0 0 0 0 0 0 0 0 0 0 1 2 0.00 0.00 0.00 0.00 "
		 "0.00 0.00 0 0 0 0 0 0 0 0 0 0 0\n");
	check(parse(table, &st) < 0, "refuse eleven buckets");
	state_free(&st);

	snprintf(table, sizeof(table), "%s7 x live 1 1\n", header);
	check(parse(table, &st) < 0, "refuse a truncated row");
	state_free(&st);
	snprintf(table, sizeof(table), "%s%s", header,
		 "7 x live 1 1 0 0 0 0 0 0 0 0 0 0 0 1 2 0.00 0.00 0.00 0.00 0.00 "
		 "0.00 0 0 0 0 0 0 0 0 0 0 0 99999999999999999999\n");
	check(parse(table, &st) < 0, "refuse an overflowing count");
	state_free(&st);
	snprintf(table, sizeof(table), "%s%s", header,
		 "7 x zombie 1 1 0 0 0 0 0 0 0 0 0 0 0 1 2 0.00 0.00 0.00 0.00 0.00 "
		 "0.00 0 0 0 0 0 0 0 0 0 0 0 0\n");
	check(parse(table, &st) < 0, "refuse an unknown state");
	state_free(&st);
	snprintf(table, sizeof(table), "%s%s", header,
		 "-7 x live 1 1 0 0 0 0 0 0 0 0 0 0 0 1 2 0.00 0.00 0.00 0.00 0.00 "
		 "0.00 0 0 0 0 0 0 0 0 0 0 0 0\n");
	check(parse(table, &st) < 0, "refuse a negative PID");
	state_free(&st);
	check(parse("pid comm state\n", &st) < 0, "refuse missing columns");
	state_free(&st);
	check(parse("", &st) < 0, "refuse an empty table");
	state_free(&st);
}

static struct proc proc(int pid)
{
	/* what /proc would tell, as if enrich() had asked it */
	struct proc p = { .pid = pid, .found = FACT_ALL, .cpus_allowed = 4 };

	p.threads_live = p.threads_peak = 1;
	return p;
}

static bool has(const struct proc *p, const char *code)
{
	for (int i = 0; i < p->nverdicts; i++)
		if (!strcmp(p->verdicts[i].code, code))
			return true;
	return false;
}

static void test_verdicts(void)
{
	struct words w;
	struct proc p;

	p = proc(1);
	p.solo_exits = p.short_lived = p.threads_created = 100;
	p.rate_solo_exits[W_60S] = 5;
	diagnose(&p);
	check(has(&p, "thread-churn") && !has(&p, "go-locked-exit"),
	      "churn: fast short solo exits");
	p.short_lived = 10;
	diagnose(&p);
	check(!has(&p, "thread-churn"), "churn: not with long lifetimes");
	p.short_lived = 100;
	diagnose(&p);
	describe(&p, &p.verdicts[0], &w);
	check(has(&p, "thread-churn") && strstr(w.summary, "lives on"),
	      "churn of a live process: it lives on");
	p.exited = true;
	p.threads_live = 0;
	diagnose(&p);
	describe(&p, &p.verdicts[0], &w);
	check(has(&p, "thread-churn") && !strstr(w.summary, "lives on") &&
		      strstr(w.summary, "until the process exited"),
	      "churn of an exited process: it does not live on");

	p = proc(2);
	p.threads_exited = 1000; /* teardown only */
	p.threads_live = 0;
	p.exited = true;
	diagnose(&p);
	check(p.nverdicts == 0, "teardown is never churn");

	p = proc(3);
	p.go = 1;
	p.solo_exits = 10;
	p.rate_solo_exits[W_60S] = 0.5;
	diagnose(&p);
	check(has(&p, "go-locked-exit") && !has(&p, "thread-churn"),
	      "go-locked-exit: ten solo exits of a Go binary at 0.5/s");
	p.solo_exits = 9;
	p.rate_solo_exits[W_60S] = 5;
	diagnose(&p);
	check(!has(&p, "go-locked-exit"), "go-locked-exit: not with nine");
	p.solo_exits = 40;
	p.rate_solo_exits[W_60S] = 0.2;
	diagnose(&p);
	check(!has(&p, "go-locked-exit"),
	      "go-locked-exit: not for a few locked threads ended on purpose");
	p = proc(3);
	p.found = 0; /* gone from /proc: the kernel's fingerprint tells */
	p.go_runtime = 1;
	p.exited = true;
	p.solo_exits = 400;
	p.rate_solo_exits[W_60S] = 6.5;
	diagnose(&p);
	describe(&p, &p.verdicts[0], &w);
	check(has(&p, "go-locked-exit") && strstr(w.fix, "UnlockOSThread"),
	      "go-locked-exit: an exited Go process, known from the kernel");
	check(strstr(w.summary, "over the last minute of its life") &&
		      strstr(w.summary, "exited alone") &&
		      !strstr(w.summary, "exit alone"),
	      "go-locked-exit of an exited process: the last minute of its "
	      "life");

	p = proc(4);
	p.go = 1;
	p.threads_live = p.threads_peak = p.threads_created = 40;
	p.growth_steps_1s = 8;
	diagnose(&p);
	describe(&p, &p.verdicts[0], &w);
	check(has(&p, "thread-leak") && strstr(w.summary, "9960 left") &&
		      strstr(w.summary, "8 of the last 16 ~1 s"),
	      "leak: growing fast, never down; Go headroom given");
	p.threads_peak = 41;
	diagnose(&p);
	p.threads_live = p.threads_peak = 10000;
	diagnose(&p);
	describe(&p, &p.verdicts[0], &w);
	check(has(&p, "thread-leak") && strstr(w.summary, "at that limit") &&
		      !strstr(w.summary, "left"),
	      "leak: a Go binary at the limit has nothing left");
	p.threads_live = p.threads_peak = 12000;
	diagnose(&p);
	describe(&p, &p.verdicts[0], &w);
	check(has(&p, "thread-leak") && strstr(w.summary, "2000 over it") &&
		      !strstr(w.summary, "-2000") &&
		      !strstr(w.summary, "left") &&
		      w.summary[strlen(w.summary) - 1] == '.',
	      "leak: a Go binary over the limit is said to be over it");
	p.threads_live = 40;
	p.threads_peak = 41;
	diagnose(&p);
	check(!has(&p, "thread-leak"), "leak: not once threads came down");
	p.threads_peak = 40;
	p.rate_solo_exits[W_60S] = 0.05;
	diagnose(&p);
	check(!has(&p, "thread-leak"), "leak: not while threads exit alone");
	p.rate_solo_exits[W_60S] = 0;
	p.growth_steps_1s = 7;
	p.growth_steps_34s = 4;
	diagnose(&p);
	check(!has(&p, "thread-leak"), "leak: not for a burst of growth");
	p.growth_steps_34s = 5;
	diagnose(&p);
	describe(&p, &p.verdicts[0], &w);
	check(has(&p, "thread-leak") &&
		      strstr(w.summary, "5 of the last 16 ~34 s"),
	      "leak: growing slowly, minute after minute");

	p = proc(5);
	p.threads_live = p.threads_peak = 64;
	diagnose(&p);
	check(has(&p, "thread-surge"), "surge: 64 threads on 4 CPUs");
	p.cpus_allowed = 16;
	diagnose(&p);
	check(!has(&p, "thread-surge"), "surge: not on 16 CPUs");

	p = proc(6);
	p.affinity_changes = 500;
	p.rate_affinity[W_60S] = 8;
	diagnose(&p);
	check(has(&p, "affinity-churn"), "affinity-churn: 8/s");
	p.rate_affinity[W_60S] = 0.5;
	diagnose(&p);
	check(!has(&p, "affinity-churn"), "affinity-churn: not at 0.5/s");

	p = proc(7);
	p.threads_live = p.threads_peak = 4;
	p.threads_pinned = 4;
	p.pinned_cpu_max = 1;
	diagnose(&p);
	check(p.nverdicts == 0, "a pool pinned one per CPU is clean");
	p.pinned_cpu_max = 2;
	diagnose(&p);
	check(has(&p, "pin-overlap"), "pin-overlap: two on one CPU");
	describe(&p, &p.verdicts[0], &w);
	check(strstr(w.summary, "as many as the CPUs it may use") != NULL,
	      "pin-overlap: as many pinned threads as CPUs, said so");
	p.threads_live = p.threads_peak = p.threads_pinned = 6;
	diagnose(&p);
	describe(&p, &p.verdicts[0], &w);
	check(has(&p, "pin-overlap") && !strstr(w.summary, "as many as") &&
		      strstr(w.summary, "more than the 4 CPUs it may use"),
	      "pin-overlap: more pinned threads than CPUs, said so");
	p.threads_pinned = 3;
	diagnose(&p);
	describe(&p, &p.verdicts[0], &w);
	check(!strstr(w.summary, "as many as") &&
		      !strstr(w.summary, "more than"),
	      "pin-overlap: fewer pinned threads than CPUs, no comparison");

	check(set_threshold("churn_rate=0.5") == THRESHOLD_SET &&
		      set_threshold("nope=1") == THRESHOLD_UNKNOWN_NAME &&
		      set_threshold("nope=x") == THRESHOLD_UNKNOWN_NAME &&
		      set_threshold("churn_rate=x") == THRESHOLD_BAD_VALUE &&
		      set_threshold("churn_rate=-1") == THRESHOLD_BAD_VALUE &&
		      set_threshold("churn_rate=") == THRESHOLD_BAD_VALUE &&
		      set_threshold("churn_rate") == THRESHOLD_NOT_ASSIGNMENT,
	      "thresholds parse strictly, and say what is wrong");
	check(thresholds[0].value == 0.5 &&
		      !strcmp(thresholds[0].name, "churn_rate"),
	      "a refused threshold changes nothing");
	p = proc(8);
	p.solo_exits = p.short_lived = 100;
	p.rate_solo_exits[W_60S] = 0.6;
	diagnose(&p);
	check(has(&p, "thread-churn"), "a lowered threshold applies");
}

/* Occurrences of needle in haystack. */
static int occurrences(const char *haystack, const char *needle)
{
	int n = 0;

	while ((haystack = strstr(haystack, needle))) {
		n++;
		haystack += strlen(needle);
	}
	return n;
}

/* n churning processes, every third a Go binary if go; p[i]'s PID 100+i. */
static void churners(struct proc *procs, struct proc **list, int n, bool go)
{
	int i;

	for (i = 0; i < n; i++) {
		procs[i] = proc(100 + i);
		procs[i].go = go && i % 3 == 2;
		procs[i].solo_exits = procs[i].short_lived = 100;
		procs[i].rate_solo_exits[W_60S] = 5;
		diagnose(&procs[i]);
		list[i] = &procs[i];
	}
}

/* text_diagnosis() of list[0..n), as a string the caller frees. */
static char *diagnosis(struct proc **list, int n, size_t limit,
		       unsigned char *said)
{
	struct state st = { .now_ns = 1000000000000ULL };
	char *out = NULL;
	size_t size;
	FILE *f = open_memstream(&out, &size);

	text_diagnosis(f, &st, list, n, limit, said);
	fclose(f);
	return out;
}

static void test_groups(void)
{
	const char *generic = verdict_fix(THREAD_CHURN, false);
	const char *go = verdict_fix(THREAD_CHURN, true);
	unsigned char said[NR_VERDICT_KINDS] = { 0 };
	struct proc procs[30], *list[30];
	struct group groups[NR_VERDICT_KINDS];
	size_t ngroups;
	char *out;

	/* churn alone, without go-locked-exit for the Go binaries */
	set_threshold("go_exits=1000000");
	check(strcmp(generic, go) && strstr(go, "LockOSThread") &&
		      !strstr(generic, "Go"),
	      "a fix for Go binaries, another for the rest");
	check(kinds_by_severity[0] == THREAD_LEAK &&
		      kinds_by_severity[NR_VERDICT_KINDS - 1] == AFFINITY_CHURN,
	      "the most severe first: a leak, and re-pinning last");

	churners(procs, list, 30, false);
	out = diagnosis(list, 30, 0, NULL);
	check(occurrences(out, "thread-churn (30 processes)") == 1 &&
		      occurrences(out, "Keep threads alive") == 1,
	      "30 churners: one block, the fix once");
	check(!strstr(out, "(Go)") && !strstr(out, "kill -QUIT"),
	      "no Go binary: no Go fix, no goroutine dump");
	check(strstr(out, "pinstat -p 100\n") != NULL,
	      "next: the worst in detail");
	free(out);
	out = diagnosis(list, 30, 4, NULL);
	check(occurrences(out, "\n      1") == 4 &&
		      strstr(out, "  ... 26 more processes; -n 0 for all\n"),
	      "-n 4: four rows, then 26 more, in the block");
	check(strstr(out, "evidence, the same for each:\n    Threads are") &&
		      occurrences(out, "Threads are created") == 1,
	      "the same evidence for each: said once");
	free(out);

	churners(procs, list, 30, true);
	list[0]->solo_exits = 200;
	out = diagnosis(list, 30, 0, NULL);
	check(occurrences(out, "fix (Go):") == 1 &&
		      occurrences(out, "fix (not Go):") == 1 &&
		      occurrences(out, "Keep threads alive") == 1 &&
		      occurrences(out, "defer runtime.UnlockOSThread") == 1,
	      "Go and other processes mixed: both fixes, once each");
	check(strstr(out, "kill -QUIT 102\n") &&
		      strstr(out, "this KILLS 102") &&
		      strstr(out, "/debug/pprof/goroutine?debug=2"),
	      "a live Go binary: how to see its goroutines, and what it costs");
	check(strstr(out, "    100: Threads are") &&
		      strstr(out, "    101: Threads are"),
	      "evidence that differs: one line per process");
	free(out);

	out = diagnosis(list, 3, 0, said);
	free(out);
	out = diagnosis(list + 3, 3, 0, said);
	check(!strstr(out, "Keep threads alive") &&
		      !strstr(out, "UnlockOSThread()") &&
		      strstr(out, "fix: as printed above for thread-churn"),
	      "--follow: a fix printed before is not printed again");
	free(out);

	list[0]->exited = true;
	list[2]->exited = true;
	ngroups = group_findings(list, 3, groups);
	check(ngroups == 1 && groups[0].n == 3 && groups[0].go &&
		      groups[0].other && needs_both_fixes(&groups[0]),
	      "a group knows it mixes Go and other processes");
	free_groups(groups, ngroups);
	out = diagnosis(list, 3, 0, NULL);
	check(!strstr(out, "kill -QUIT"),
	      "an exited Go binary: no goroutines to dump");
	free(out);
	set_threshold("go_exits=10");
}

static void test_json_groups(void)
{
	struct state st = { .now_ns = 1 };
	struct proc procs[5], *list[5];
	char *out = NULL;
	size_t size;
	FILE *f;

	set_threshold("go_exits=1000000");
	churners(procs, list, 5, true);
	set_threshold("go_exits=10");
	procs[4].affinity_changes = 500;
	procs[4].rate_affinity[W_60S] = 8;
	diagnose(&procs[4]);
	f = open_memstream(&out, &size);
	export_diagnosis(f, &st, list, 5, 3);
	fclose(f);
	check(strstr(out, "\"processes_omitted\":2,") &&
		      occurrences(out, "\"pid\":") == 3,
	      "diagnose --json -n 3: three processes as before");
	check(strstr(out, "\"groups\":[{\"code\":\"thread-churn\"") &&
		      strstr(out, "\"processes\":[100,101,102],"
				  "\"processes_omitted\":2,") &&
		      strstr(out, "\"code\":\"affinity-churn\"") &&
		      strstr(out, "\"processes\":[],\"processes_omitted\":1,"),
	      "JSON groups: by code, the listed PIDs, how many more");
	check(strstr(out, "\"fix_go\":\"The Go runtime") &&
		      strstr(out, "\"fix\":\"Keep threads alive") &&
		      strstr(out, "\"fix_go\":null"),
	      "JSON groups: fix, and fix_go when Go and others are mixed");
	free(out);
}

static void test_sorting(void)
{
	struct state st = { 0 };
	struct proc procs[4], **list;
	size_t n;

	procs[0] = proc(10); /* idle: hidden */
	procs[1] = proc(11);
	procs[1].threads_live = procs[1].threads_peak = 3;
	procs[2] = proc(12);
	procs[2].solo_exits = procs[2].short_lived = 50;
	procs[2].rate_solo_exits[W_60S] = 2; /* churn: first */
	procs[3] = proc(13);
	procs[3].threads_live = procs[3].threads_peak = 9;
	st.procs = procs;
	st.nprocs = 4;
	n = select_procs(&st, &(struct options){ 0 }, false, &list);
	check(n == 3 && list[0]->pid == 12 && list[1]->pid == 13 &&
		      list[2]->pid == 11,
	      "worst first, idle hidden");
	free(list);
	n = select_procs(&st, &(struct options){ 0 }, true, &list);
	check(n == 4 && list[3]->pid == 10, "--all shows the idle one last");
	free(list);
}

static void test_deltas(void)
{
	struct proc then = proc(1), now = proc(1);
	struct delta d;

	then.threads_created = 10;
	then.solo_exits = 4;
	now.threads_created = 30;
	now.solo_exits = 14;
	now.threads_live = 6;
	now.affinity_changes = 5;
	d = compute_delta(&then, &now, 2.0);
	check(d.created == 10 && d.solo_exits == 5 && d.affinity == 2.5 &&
		      d.live_change == 5,
	      "interval rates per second");
	d = compute_delta(NULL, &now, 2.0);
	check(d.created == 15 && d.live_change == 6,
	      "a process new since the last sample counts from zero");
	then.threads_created = 40; /* a reset in between */
	d = compute_delta(&then, &now, 2.0);
	check(d.created == 15 && d.solo_exits == 7,
	      "counters reset in between count from zero, never negative");
}

static bool age_is(unsigned long long s, const char *want)
{
	char buf[AGE_LEN];

	format_age(buf, s * 1000000000ULL + 999999999);
	return !strcmp(buf, want);
}

static void test_time(void)
{
	char buf[RFC3339_LEN], us[32];

	check(age_is(0, "0s") && age_is(59, "59s"), "ages in seconds");
	check(age_is(60, "1m00s") && age_is(3599, "59m59s"),
	      "ages in minutes and seconds");
	check(age_is(3600, "1h00m") && age_is(7380, "2h03m") &&
		      age_is(86399, "23h59m"),
	      "ages in hours and minutes");
	check(age_is(86400, "1d00h") && age_is(99 * 86400 + 82800, "99d23h") &&
		      age_is(100 * 86400, "100d"),
	      "ages in days");
	check(elapsed_ns(5, 7) == 0 && elapsed_ns(7, 5) == 2,
	      "a record newer than now is 0 s old, never 584 years");
	format_rfc3339(buf, 0);
	check(!strcmp(buf, "1970-01-01T00:00:00Z"), "RFC 3339 of the epoch");
	format_rfc3339(buf, 1796547600);
	check(!strcmp(buf, "2026-12-06T09:00:00Z"), "RFC 3339, UTC");
	format_us(us, sizeof(us), 100000);
	check(!strcmp(us, "100 ms"), "short_lived_us 100000: 100 ms");
	format_us(us, sizeof(us), 250);
	check(!strcmp(us, "250 us"), "short_lived_us 250: 250 us");
	format_us(us, sizeof(us), 1500000);
	check(!strcmp(us, "1.5 s"), "short_lived_us 1500000: 1.5 s");
}

static void test_filters(void)
{
	struct options o = { 0 };
	struct proc p = proc(7);

	check(add_pids(&o, "7,9") && add_pids(&o, "11") && o.npids == 3 &&
		      o.pids[1] == 9 && o.pids[2] == 11,
	      "-p lists and repeats");
	check(!add_pids(&o, "7,") && !add_pids(&o, ",7") &&
		      !add_pids(&o, "7,,9") && !add_pids(&o, "0") &&
		      !add_pids(&o, "4194305") && !add_pids(&o, "7;9"),
	      "-p refuses empty entries, 0, beyond PID_MAX_LIMIT, junk");
	strcpy(p.comm, "gopatterns");
	check(wanted(&o, &p), "a listed PID is wanted");
	p.pid = 8;
	check(!wanted(&o, &p), "an unlisted PID is not");
	free(o.pids);
	o.pids = NULL;
	o.npids = 0;
	o.comm_pattern = "^go";
	regcomp(&o.comm_regex, o.comm_pattern, REG_EXTENDED | REG_NOSUB);
	check(wanted(&o, &p), "-C ^go: gopatterns");
	strcpy(p.comm, "ago");
	check(!wanted(&o, &p), "-C ^go: not ago");
	regfree(&o.comm_regex);
	check(sort_key_named("churn") == SORT_CHURN &&
		      sort_key_named("pid") == SORT_PID &&
		      sort_key_named("Churn") < 0 && sort_key_named("") < 0,
	      "sort keys by name, exactly");
	o.limit = 0;
	check(rows_shown(&o, 5) == 5, "-n 0: every row");
	o.limit = 3;
	check(rows_shown(&o, 5) == 3 && rows_shown(&o, 2) == 2,
	      "-n 3: three rows at most");
}

static void test_sort_keys(void)
{
	struct proc procs[3], *list[3];
	int i;

	for (i = 0; i < 3; i++) {
		procs[i] = proc(30 - i);
		list[i] = &procs[i];
	}
	list[0]->threads_live = 5;
	list[1]->threads_live = 50;
	list[2]->threads_live = 9;
	list[0]->first_seen_ns = 300;
	list[1]->first_seen_ns = 200;
	list[2]->first_seen_ns = 100;
	list[0]->affinity_changes = 7;
	sort_procs(list, 3, SORT_LIVE);
	check(list[0]->pid == 29 && list[1]->pid == 28 && list[2]->pid == 30,
	      "--sort live: the most threads first");
	sort_procs(list, 3, SORT_AGE);
	check(list[0]->pid == 28 && list[2]->pid == 30,
	      "--sort age: the earliest first seen first");
	sort_procs(list, 3, SORT_PID);
	check(list[0]->pid == 28 && list[1]->pid == 29 && list[2]->pid == 30,
	      "--sort pid: the lowest first");
	sort_procs(list, 3, SORT_AFFINITY);
	check(list[0]->pid == 30, "--sort affinity: the most changes first");
}

/* Records in order of identity, as state_read() leaves them. */
static void identities(struct state *st, struct proc *procs)
{
	static const struct {
		int pid;
		unsigned long long first_seen_ns;
	} ids[] = { { 5, 100 }, { 5, 900 }, { 7, 50 } };
	size_t i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < 3; i++) {
		procs[i] = proc(ids[i].pid);
		procs[i].first_seen_ns = ids[i].first_seen_ns;
		procs[i].found = 0;
		strcpy(procs[i].comm, "worker");
	}
	st->procs = procs;
	st->nprocs = 3;
}

static void test_identity(void)
{
	struct proc procs[3];
	struct state st;

	identities(&st, procs);
	check(state_lookup(&st, 5, 900) == &procs[1] &&
		      state_lookup(&st, 7, 50) == &procs[2],
	      "a record is found by its PID and first seen");
	check(!state_lookup(&st, 5, 500) && !state_lookup(&st, 6, 100),
	      "a reused PID is another record");

	/* a frame: Go found for two records; the next frame recalls it */
	procs[0].go = 1;
	procs[0].found = FACT_GO | FACT_CPUS;
	procs[0].cpus_allowed = 2;
	procs[2].go = 0;
	procs[2].found = FACT_GO;
	enrich_remember(&st);
	identities(&st, procs);
	strcpy(procs[2].comm, "execd");
	enrich_recall(&st);
	check(procs[0].found == FACT_GO && procs[0].go == 1,
	      "the next frame knows Go, and finds the CPUs again");
	check(!procs[1].found, "nothing is known of another record");
	check(!procs[2].found, "an exec under another name: found again");
	enrich_remember(&st); /* nothing known: frees the last frame's */
}

static void test_fit(void)
{
	static const char bold[] = "\033[1mPID COMM\033[0m";
	char buf[256], *frame = "one\ntwo\nthree\n";
	FILE *f, *cut;

	check(fit_width(bold, strlen(bold)) == 8 &&
		      fit_width("a\303\251", 3) == 2,
	      "fit: escape sequences take no column, UTF-8 one");
	f = fmemopen(buf, sizeof(buf), "w");
	fit_line(f, bold, strlen(bold), 3);
	fclose(f);
	check(!strcmp(buf, "\033[1mPID\033[0m"),
	      "fit: a line cut at 3 columns keeps the colour's reset");
	f = fmemopen(buf, sizeof(buf), "w");
	fit_line(f, "ab\303\251cd", 6, 3);
	fclose(f);
	check(!strcmp(buf, "ab\303\251"), "fit: a UTF-8 character stays whole");
	f = fmemopen(buf, sizeof(buf), "w");
	cut = fit_open(f, 4);
	fputs("123456\n12\n", cut);
	fclose(cut);
	fclose(f);
	check(!strcmp(buf, "1234\n12\n"), "fit: a stream cuts each line");
	f = fmemopen(buf, sizeof(buf), "w");
	check(fit_paint(f, frame, strlen(frame), 2, 2) == 2,
	      "fit: a frame taller than the screen: its first rows");
	fclose(f);
	check(!strcmp(buf, "\033[H\033[2Kon\r\n\033[2Ktw"),
	      "fit: each row cleared, cut, no newline after the last");
	f = fmemopen(buf, sizeof(buf), "w");
	check(fit_paint(f, frame, strlen(frame), 5, 80) == 3,
	      "fit: a shorter frame: all of it");
	fclose(f);
	check(!strcmp(buf, "\033[H\033[2Kone\r\n\033[2Ktwo\r\n\033[2Kthree"
			   "\r\n\033[J"),
	      "fit: below a shorter frame, the screen cleared");
}

static void type(struct prompt *p, const char *keys)
{
	while (*keys)
		prompt_key(p, *keys++);
}

static void test_prompt(void)
{
	struct prompt p;

	prompt_start(&p);
	type(&p, "chx\177urn$");
	check(p.state == PROMPT_EDITING && !strcmp(p.text, "churn$"),
	      "prompt: typing, Backspace");
	check(prompt_key(&p, '\n') == PROMPT_DONE && !strcmp(p.text, "churn$"),
	      "prompt: Enter ends it");
	prompt_start(&p);
	type(&p, "ab\025c\001\t");
	check(!strcmp(p.text, "c"),
	      "prompt: Ctrl-U clears, control bytes ignored");
	check(prompt_key(&p, KEY_ESC) == PROMPT_OFF, "prompt: Esc cancels");
	prompt_start(&p);
	for (int i = 0; i < 2 * PROMPT_MAX; i++)
		prompt_key(&p, 'x');
	check(p.len == PROMPT_MAX - 1 && strlen(p.text) == PROMPT_MAX - 1,
	      "prompt: a long line stops at its room");
}

static void test_keys(void)
{
	static const char typed[] = "q\033[A>\033OP\033\033x\033";
	const char *p = typed, *end = typed + sizeof(typed) - 1;
	int keys[8], n = 0;

	while (p < end && n < 8)
		keys[n++] = term_key(&p, end);
	check(n == 7 && keys[0] == 'q' && keys[1] == KEY_OTHER &&
		      keys[2] == '>' && keys[3] == KEY_OTHER &&
		      keys[4] == KEY_ESC && keys[5] == KEY_OTHER &&
		      keys[6] == KEY_ESC,
	      "keys: an arrow and F1 are one key each, Esc alone is Esc");
}

/* The summary's first line at a terminal's width. */
static void summary_header(char *buf, size_t size, int width, bool wide)
{
	struct layout l = { .wide = wide, .width = width };
	struct state st = { .complete = true };
	struct proc p = proc(101), *procs[] = { &p };
	FILE *f = fmemopen(buf, size, "w");

	strcpy(p.comm, "churn");
	text_summary(f, &st, procs, 1, 0, &l);
	fclose(f);
	*strchr(buf, '\n') = '\0';
}

static void test_summary_width(void)
{
	char buf[1024];

	summary_header(buf, sizeof(buf), 0, false);
	check(!strcmp(buf, "    PID COMM            STATE     AGE  LIVE  PEAK "
			   "CREATED  SOLO SHORT RATE/s AFFIN PIN VERDICT"),
	      "summary: every column when piped");
	summary_header(buf, sizeof(buf), 80, false);
	check(!strcmp(buf, "    PID COMM            STATE     AGE  LIVE "
			   "CREATED  SOLO RATE/s VERDICT"),
	      "summary at 80 columns: PEAK, SHORT, PIN, AFFIN left out");
	summary_header(buf, sizeof(buf), 60, false);
	check(!strcmp(buf,
		      "    PID COMM             LIVE  SOLO RATE/s VERDICT"),
	      "summary at 60 columns: CREATED, AGE, STATE too");
	summary_header(buf, sizeof(buf), 20, false);
	check(!strcmp(buf, "    PID COMM        "),
	      "summary at 20 columns: PID, COMM, VERDICT cut at the width");
	summary_header(buf, sizeof(buf), 80, true);
	check(!strcmp(buf, "    PID COMM            STATE     AGE       LIVE "
			   "SOLO-EXITS RATE/s VERDICT"),
	      "summary -w at 80 columns: the wide columns, fewer");
	check(!strcmp(text_dropped_column(0), "PEAK") &&
		      !strcmp(text_dropped_column(9), "RATE/s") &&
		      !text_dropped_column(10),
	      "summary: ten columns go, PEAK first, RATE/s last");
}

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define POD  "6f3c2d1e-8a9b-4c7d-9e0f-112233445566"
#define POD_ "6f3c2d1e_8a9b_4c7d_9e0f_112233445566"

/* Each runtime's layout of a container's cgroup, and what is not one. */
static void test_cgroup_paths(void)
{
	static const struct {
		const char *path, *runtime, *pod, *unit;
	} cases[] = {
		{ "/system.slice/docker-" ID64 ".scope", "docker", "",
		  "docker-" ID64 ".scope" },
		{ "/docker/" ID64, "docker", "", NULL },
		{ "/system.slice/containerd.service/kubepods-burstable-pod" POD_
		  ".slice:cri-containerd:" ID64,
		  "containerd", POD, "containerd.service" },
		{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" POD_
		  ".slice/cri-containerd-" ID64 ".scope",
		  "containerd", POD, "cri-containerd-" ID64 ".scope" },
		{ "/kubepods.slice/kubepods-pod" POD_ ".slice/crio-" ID64
		  ".scope",
		  "cri-o", POD, "crio-" ID64 ".scope" },
		{ "/kubepods.slice/kubepods-pod" POD_ ".slice/crio-conmon-" ID64
		  ".scope",
		  NULL, POD, "crio-conmon-" ID64 ".scope" },
		{ "/kubepods/besteffort/pod" POD "/crio-" ID64, "cri-o", POD,
		  NULL },
		{ "/kubepods/burstable/pod" POD "/" ID64, "cri", POD, NULL },
		{ "/machine.slice/libpod-" ID64 ".scope", "podman", "",
		  "libpod-" ID64 ".scope" },
		{ "/machine.slice/libpod-" ID64 ".scope/container", "podman",
		  "", "libpod-" ID64 ".scope" },
		{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID64
		  ".scope",
		  "podman", "", "libpod-" ID64 ".scope" },
		{ "/machine.slice/libpod-conmon-" ID64 ".scope", NULL, "",
		  "libpod-conmon-" ID64 ".scope" },
		{ "/libpod_parent/libpod-" ID64, "podman", "", NULL },
		{ "/system.slice/docker-" ID64 ".scope/init.scope", "docker",
		  "", "init.scope" },
		{ "/user.slice/user-1000.slice/user@1000.service/app.slice/"
		  "foo.service",
		  NULL, "", "foo.service" },
		{ "/system.slice/nginx.service", NULL, "", "nginx.service" },
		{ "/user.slice/user-1000.slice/session-3.scope", NULL, "",
		  "session-3.scope" },
		{ "/docker/" ID64 "0", NULL, "", NULL }, /* 65 digits */
		{ "/docker/0123", NULL, "", NULL },
		{ "/system.slice/docker-" ID64 ".service", NULL, "",
		  "docker-" ID64 ".service" },
		{ "/" ID64, NULL, "", NULL },
		{ "/", NULL, "", NULL },
		{ "/user.slice", NULL, "", NULL },
	};
	struct container k;
	char unit[256];
	size_t i;
	bool got;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = cgroup_container(cases[i].path, &k);
		if (cases[i].runtime)
			check(got && !strcmp(k.runtime, cases[i].runtime) &&
				      !strcmp(k.id, ID64) &&
				      !strcmp(k.pod, cases[i].pod),
			      "container of %s: %s %s pod '%s'", cases[i].path,
			      k.runtime, k.id, k.pod);
		else
			check(!got && !k.runtime[0] && !k.id[0],
			      "no container in %s", cases[i].path);
		got = cgroup_unit(cases[i].path, unit, sizeof(unit));
		check(cases[i].unit ? got && !strcmp(unit, cases[i].unit) :
				      !got,
		      "unit of %s: %s", cases[i].path, got ? unit : "none");
	}
}

int main(void)
{
	test_numbers();
	test_comm();
	test_escaping();
	test_text();
	test_color();
	test_cpu_list();
	test_table();
	test_verdicts();
	test_groups();
	test_json_groups();
	test_sorting();
	test_deltas();
	test_time();
	test_filters();
	test_sort_keys();
	test_identity();
	test_fit();
	test_prompt();
	test_keys();
	test_summary_width();
	test_cgroup_paths();
	printf("1..%d\n# %d passed, %d failed\n", tests, tests - failures,
	       failures);
	return failures ? 1 : 0;
}
