// SPDX-License-Identifier: GPL-2.0
/*
 * pinstat: which processes churn, leak or re-pin threads, and why.
 * Reads the pinstat kernel module's counters; see pinstat(8).
 */
#include <getopt.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "by.h"
#include "clock.h"
#include "control.h"
#include "locks.h"
#include "report.h"
#include "select.h"
#include "source.h"
#include "text.h"
#include "util.h"
#include "verdict.h"

#ifndef PINSTAT_VERSION
#define PINSTAT_VERSION "unknown"
#endif

/* SHORT's threshold, as the module has it now if it can be read. */
static void short_legend(FILE *f)
{
	long long us = source_tunable("short_lived_us");
	char buf[32];

	if (us < 0) {
		fprintf(f, "short_lived_us (default 100 ms)");
		return;
	}
	format_us(buf, sizeof(buf), us);
	fprintf(f, "short_lived_us (now %s)", buf);
}

static void legend(FILE *f)
{
	fprintf(f,
		"\n"
		"Columns:\n"
		"  PID      the process ID (as the initial PID namespace sees it)\n"
		"  COMM     its name: bytes other than printable ASCII, the space\n"
		"           and the backslash as \\ooo (octal), as the kernel writes them\n"
		"  STATE    live, or exited (the record lingers linger_s seconds)\n"
		"  AGE      since pinstat first saw it: 59s, 5m03s, 2h03m, 12d03h\n"
		"  LIVE     threads now            PEAK     the most at once\n"
		"  CREATED  threads created        SOLO     solo exits: threads that\n"
		"           exited alone while the process lived on (no teardown)\n"
		"  SHORT    solo exits of threads that lived less than\n"
		"           ");
	short_legend(f);
	fprintf(f,
		"\n"
		"  RATE/s   solo exits per second over the last minute (in\n"
		"           INTERVAL reports SOLO/s is over the interval)\n"
		"  AFFIN    CPU affinity changes   PIN      threads pinned to one CPU\n"
		"  VERDICT  findings (pinstat -p PID explains them; '+': more, -w)\n"
		"  INTERVAL reports: LIVE, +/- its change, and per second over the\n"
		"  interval CREAT/s created, SOLO/s solo exits, AFFIN/s affinity changes\n");
}

static void usage(FILE *f)
{
	int i;

	fprintf(f,
		"Usage: pinstat [OPTIONS]                   processes, worst first\n"
		"       pinstat [OPTIONS] INTERVAL [COUNT]  what changed, every INTERVAL s\n"
		"       pinstat [OPTIONS] -p PID[,PID...]   processes in detail\n"
		"       pinstat [OPTIONS] top [INTERVAL [COUNT]]  live view; h: keys\n"
		"       pinstat [OPTIONS] diagnose [-f]     findings only; exit 1 if any\n"
		"       pinstat watch PID | unwatch PID     add or remove procs/PID in sysfs\n"
		"       pinstat trace PID | untrace PID     trace a Go process's\n"
		"                                           LockOSThread call sites,\n"
		"                                           another's pthread_create\n"
		"                                           callers\n"
		"       pinstat reset | enable | disable    zero counters; start; stop\n"
		"       pinstat config [KEY=VALUE]...       show or set the tunables\n"
		"\n"
		"Options:\n"
		"  -a, --all                  every tracked process, not only active ones\n"
		"  -w, --wide                 full numbers, every verdict; on a\n"
		"                             terminal, every column however narrow\n"
		"  -n, --limit N              the first N processes, then a line that\n"
		"                             says how many more (default %d in text,\n"
		"                             all in JSON); 0: all\n"
		"      --sort KEY             in the order of KEY (below; default worst)\n"
		"      --by GROUP             summed per cgroup, unit (systemd),\n"
		"                             container or comm, worst first\n"
		"  -p, --pid PID[,PID...]     these processes only (repeatable); without\n"
		"                             INTERVAL or a command: each in detail\n"
		"  -C, --comm REGEX           processes whose name matches REGEX (POSIX\n"
		"                             extended, unanchored)\n"
		"  -j, --json                 JSON (with the summary, -p, diagnose;\n"
		"                             INTERVAL and top: one object per line)\n"
		"      --prometheus           Prometheus text format\n"
		"      --prometheus-out FILE  write it to FILE, atomically; with\n"
		"                             INTERVAL, again every INTERVAL s\n"
		"      --prometheus-processes findings|top:N|all|none\n"
		"                             which processes get series of their\n"
		"                             own (default findings); every cgroup\n"
		"                             gets its own\n"
		"  -f, --follow               diagnose: keep waiting for new findings\n"
		"  -T, --threshold NAME=VAL   set a diagnosis threshold (below)\n"
		"      --root DIR             read sys/ and proc/ below DIR, not /\n"
		"                             (also $PINSTAT_ROOT)\n"
		"  -h, --help                 this help\n"
		"  -V, --version              the CLI's version\n",
		DEFAULT_ROWS);
	legend(f);
	fprintf(f, "\nSort keys (--sort): the most first, unless said\n");
	for (i = 0; i < NR_SORT_KEYS; i++)
		fprintf(f, "  %-9s %s\n", sort_keys[i].name, sort_keys[i].help);
	fprintf(f, "\nThresholds (defaults):\n");
	for (i = 0; i < nr_thresholds; i++)
		fprintf(f, "  %-14s %-6g %s\n", thresholds[i].name,
			thresholds[i].value, thresholds[i].help);
	fprintf(f,
		"\n"
		"Exit status: 0 success (diagnose: nothing found), 1 diagnose found\n"
		"something, 2 error.\n");
}

static void usage_error(const char *fmt, ...)
	__attribute__((noreturn, format(printf, 1, 2)));

static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pinstat: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'pinstat --help'.\n", stderr);
	exit(EXIT_ERROR);
}

static void pid_list(struct options *o, const char *arg)
{
	if (!add_pids(o, arg))
		usage_error("-p: not a PID or a list of PIDs (12,34): %s", arg);
}

static void row_limit(struct options *o, const char *arg)
{
	if (!parse_ll(arg, &o->limit) || o->limit < 0)
		usage_error("-n: not a number of processes (0 for all): %s",
			    arg);
	o->limited = true;
}

static void sort_by(struct options *o, const char *arg)
{
	char keys[256] = "";
	int k;

	o->sort = sort_key_named(arg);
	o->sorted = true;
	if (o->sort >= 0)
		return;
	for (k = 0; k < NR_SORT_KEYS; k++) {
		strcat(keys, k ? ", " : "");
		strcat(keys, sort_keys[k].name);
	}
	usage_error("--sort: no key named %s (keys: %s)", arg, keys);
}

static void comm_regex(struct options *o, const char *arg)
{
	char why[256];
	int err;

	if (o->comm_pattern)
		usage_error("-C: given twice (one REGEX: a|b matches either)");
	err = regcomp(&o->comm_regex, arg, COMM_REGEX_FLAGS);
	if (err) {
		regerror(err, &o->comm_regex, why, sizeof(why));
		usage_error("-C: not a regular expression: %s: %s", arg, why);
	}
	o->comm_pattern = arg;
}

static double positive_seconds(const char *arg)
{
	double s;

	if (!parse_double(arg, &s) || s < 0.1 || s > 86400)
		usage_error("not an interval in seconds (0.1 to 86400): %s",
			    arg);
	return s;
}

static long report_count(const char *arg)
{
	long long n;

	if (!parse_ll(arg, &n) || n < 1)
		usage_error("not a count of reports: %s", arg);
	return n;
}

enum {
	OPT_PROMETHEUS = 256,
	OPT_PROMETHEUS_OUT,
	OPT_ROOT,
	OPT_SORT,
	OPT_BY,
	OPT_PROMETHEUS_PROCESSES
};

static const struct option long_options[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "wide", no_argument, NULL, 'w' },
	{ "json", no_argument, NULL, 'j' },
	{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
	{ "prometheus-out", required_argument, NULL, OPT_PROMETHEUS_OUT },
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, 'C' },
	{ "limit", required_argument, NULL, 'n' },
	{ "sort", required_argument, NULL, OPT_SORT },
	{ "by", required_argument, NULL, OPT_BY },
	{ "prometheus-processes", required_argument, NULL,
	  OPT_PROMETHEUS_PROCESSES },
	{ "follow", no_argument, NULL, 'f' },
	{ "threshold", required_argument, NULL, 'T' },
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void threshold(const char *assignment)
{
	switch (set_threshold(assignment)) {
	case THRESHOLD_SET:
		return;
	case THRESHOLD_NOT_ASSIGNMENT:
		usage_error("-T: not NAME=VALUE: %s", assignment);
	case THRESHOLD_UNKNOWN_NAME:
		usage_error("-T %s: no threshold named %.*s (pinstat --help "
			    "lists them)",
			    assignment, (int)strcspn(assignment, "="),
			    assignment);
	case THRESHOLD_BAD_VALUE:
		usage_error("-T %s: the value must be a plain decimal number, "
			    "0 or more",
			    assignment);
	}
}

/*
 * The option getopt stopped at, as given: a long one as typed, a short one
 * alone (argv holds it clustered, "-ax").
 */
static const char *bad_option(char **argv, char name[3])
{
	const char *arg = argv[optind - 1];

	if (!strncmp(arg, "--", 2) || optopt <= 0 || optopt > 127)
		return arg;
	name[0] = '-';
	name[1] = optopt;
	name[2] = '\0';
	return name;
}

/*
 * getopt's own messages would start with argv[0] ("./pinstat:"): they are
 * off (opterr, the leading ':'), and said here as every other message is.
 */
static void parse_options(int argc, char **argv, struct options *o)
{
	char name[3];
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":awjp:C:n:fT:hV", long_options,
				NULL)) != -1) {
		switch (c) {
		case 'a':
			o->all = true;
			break;
		case 'w':
			o->wide = true;
			break;
		case 'j':
			o->json = true;
			break;
		case OPT_PROMETHEUS:
			o->prometheus = true;
			break;
		case OPT_PROMETHEUS_OUT:
			o->prometheus = true;
			o->prometheus_out = optarg;
			break;
		case 'p':
			pid_list(o, optarg);
			break;
		case 'C':
			comm_regex(o, optarg);
			break;
		case 'n':
			row_limit(o, optarg);
			break;
		case OPT_SORT:
			sort_by(o, optarg);
			break;
		case OPT_PROMETHEUS_PROCESSES:
			if (!prom_processes_named(optarg, &o->prom))
				usage_error("--prometheus-processes: not "
					    "findings, top:N, all or none: %s",
					    optarg);
			o->prom_chosen = true;
			break;
		case OPT_BY:
			o->by = by_named(optarg);
			if (o->by == BY_NONE)
				usage_error("--by: not cgroup, unit, container "
					    "or comm: %s",
					    optarg);
			break;
		case 'f':
			o->follow = true;
			break;
		case 'T':
			threshold(optarg);
			o->thresholds = true;
			break;
		case OPT_ROOT:
			source_set_root(optarg);
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("pinstat %s\n", PINSTAT_VERSION);
			exit(0);
		case ':':
			usage_error("%s needs an argument",
				    bad_option(argv, name));
		default:
			/* optopt names a known long option given a value */
			if (optopt && !strncmp(argv[optind - 1], "--", 2))
				usage_error("%s: the option takes no value",
					    argv[optind - 1]);
			usage_error("unknown or ambiguous option: %s",
				    bad_option(argv, name));
		}
	}
}

/* Flags that make no sense where they are given are refused, not ignored. */
static void only_with(bool used, const char *flag, bool allowed)
{
	if (used && !allowed)
		usage_error("%s cannot be used here", flag);
}

static int run_command(const char *cmd, int argc, char **argv,
		       struct options *o)
{
	bool top = !strcmp(cmd, "top"), diag = !strcmp(cmd, "diagnose");

	/* the reports that list processes choose them as the summary does */
	only_with(o->npids, "-p", top || diag);
	only_with(o->comm_pattern, "-C", top || diag);
	only_with(o->limited, "-n", top || diag);
	only_with(o->sorted, "--sort", top || diag);
	only_with(o->by, "--by", false);
	only_with(o->prometheus, "--prometheus", false);
	only_with(o->follow, "--follow", diag);
	only_with(o->json, "--json", diag || top);
	only_with(o->all || o->wide, "-a/-w", top);
	only_with(o->thresholds, "-T", top || diag);
	if (!strcmp(cmd, "top")) {
		if (argc > 2)
			usage_error("top takes an interval and a count: %s",
				    argv[2]);
		o->interval = argc ? positive_seconds(argv[0]) : 1;
		o->count = argc > 1 ? report_count(argv[1]) : 0;
		return cmd_top(o);
	}
	if (!strcmp(cmd, "diagnose")) {
		if (argc)
			usage_error("diagnose takes no arguments: %s", argv[0]);
		return cmd_diagnose(o);
	}
	if (!strcmp(cmd, "watch") || !strcmp(cmd, "unwatch")) {
		if (argc != 1)
			usage_error("%s needs one PID", cmd);
		return control_pid(cmd, argv[0]);
	}
	if (!strcmp(cmd, "trace") || !strcmp(cmd, "untrace")) {
		if (argc != 1)
			usage_error("%s needs one PID", cmd);
		return cmd[0] == 't' ? cmd_trace(argv[0]) :
				       cmd_untrace(argv[0]);
	}
	if (!strcmp(cmd, "reset") || !strcmp(cmd, "enable") ||
	    !strcmp(cmd, "disable")) {
		if (argc)
			usage_error("%s takes no arguments", cmd);
		return control_write(cmd[0] == 'r' ? "reset" : "enabled",
				     cmd[0] == 'd' ? "0" : "1");
	}
	if (!strcmp(cmd, "config"))
		return control_config(argc, argv);
	usage_error("unknown command: %s", cmd);
	return EXIT_ERROR;
}

/* The report or command that the arguments left over ask for. */
static int run(int nargs, char **args, struct options *o)
{
	if (nargs && !(args[0][0] >= '0' && args[0][0] <= '9'))
		return run_command(args[0], nargs - 1, args + 1, o);
	only_with(o->follow, "--follow", false);
	if (o->by) {
		if (nargs)
			usage_error("--by makes one report: %s", args[0]);
		only_with(o->prometheus, "--prometheus with --by", false);
		only_with(o->sorted, "--sort with --by (worst first)", false);
		only_with(o->wide, "-w with --by", false);
		only_with(o->all, "-a with --by (every record counts)", false);
		return cmd_by(o);
	}
	/* every process in the table goes to Prometheus, in any order */
	only_with(o->prometheus && o->limited, "-n with --prometheus", false);
	only_with(o->prometheus && o->sorted, "--sort with --prometheus",
		  false);
	if (o->npids && !nargs && !o->prometheus) {
		only_with(o->all || o->wide, "-a/-w", false);
		only_with(o->limited, "-n", false);
		only_with(o->sorted, "--sort", false);
		return cmd_detail(o);
	}
	if (nargs) {
		if (nargs > 2)
			usage_error("too many arguments: %s", args[2]);
		if (o->prometheus && !o->prometheus_out)
			usage_error("--prometheus with an INTERVAL: use "
				    "--prometheus-out FILE");
		o->interval = positive_seconds(args[0]);
		o->count = nargs > 1 ? report_count(args[1]) : 0;
		return o->prometheus ? cmd_textfile(o) : cmd_interval(o);
	}
	return cmd_summary(o);
}

static char stdout_buffer[1 << 16];

int main(int argc, char **argv)
{
	struct options o = { 0 };
	const char *root = getenv("PINSTAT_ROOT");
	char **args;
	int nargs, status;

	check_outputs_at_exit();
	/* one thread: stdio need not lock the stream at every call */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	/*
	 * Big outputs (JSON, Prometheus) go out in fewer, larger writes. The
	 * buffer is given: glibc takes a size only with one (else st_blksize).
	 */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, stdout_buffer, _IOFBF, sizeof(stdout_buffer));
	if (root && *root)
		source_set_root(root);
	parse_options(argc, argv, &o);
	args = argv + optind;
	nargs = argc - optind;
	use_color = color_wanted(isatty(STDOUT_FILENO), getenv("NO_COLOR"),
				 getenv("TERM"));
	if (o.json && o.prometheus)
		usage_error("--json and --prometheus: choose one");
	if (o.prom_chosen && !o.prometheus)
		usage_error("--prometheus-processes goes with --prometheus");

	if (!clock_init())
		exit(EXIT_ERROR);
	/* text is for reading: the worst, not 10 000 lines; JSON all */
	if (!o.limited)
		o.limit = o.json ? 0 : DEFAULT_ROWS;
	status = run(nargs, args, &o);
	free(o.pids);
	if (o.comm_pattern)
		regfree(&o.comm_regex);
	return status;
}
