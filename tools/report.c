// SPDX-License-Identifier: GPL-2.0
/*
 * The reporting commands: summary, detail, diagnose, interval reports.
 * Each reads the kernel's state once per report and diagnoses from it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "clock.h"
#include "enrich.h"
#include "export.h"
#include "json.h"
#include "prom.h"
#include "report.h"
#include "select.h"
#include "source.h"
#include "term.h"
#include "text.h"
#include "util.h"
#include "verdict.h"

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	stopping = 1;
}

void catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

bool stop_requested(void)
{
	return stopping;
}

/* Does some PID have more than one record? One bit per possible PID. */
static bool reused_pids(struct proc **list, size_t n)
{
	static unsigned char pid_bits[(PID_MAX_LIMIT + 7) / 8];
	bool reused = false;
	size_t i;

	memset(pid_bits, 0, sizeof(pid_bits));
	for (i = 0; i < n && !reused; i++) {
		unsigned int pid = list[i]->pid;

		if (pid >= 8 * sizeof(pid_bits))
			return true; /* beyond PID_MAX_LIMIT: play safe */
		reused = pid_bits[pid / 8] & (1 << pid % 8);
		pid_bits[pid / 8] |= 1 << pid % 8;
	}
	return reused;
}

/* By PID; for one PID, the live record first, then the latest. */
static int by_pid(const void *a, const void *b)
{
	const struct proc *p = *(struct proc *const *)a;
	const struct proc *q = *(struct proc *const *)b;

	if (p->pid != q->pid)
		return p->pid < q->pid ? -1 : 1;
	if (p->exited != q->exited)
		return p->exited ? 1 : -1;
	return p->first_seen_ns > q->first_seen_ns ?
		       -1 :
		       p->first_seen_ns < q->first_seen_ns;
}

/*
 * One series per PID: a live record wins over a lingering one, a later
 * one over an earlier. The order of the list is kept.
 */
static size_t distinct_pids(struct proc **list, size_t n)
{
	struct proc **sorted;
	size_t i, kept = 0;

	if (!reused_pids(list, n))
		return n; /* the usual case: nothing to choose */
	sorted = malloc((n + 1) * sizeof(*sorted));
	if (!sorted)
		die(EXIT_ERROR, "out of memory");
	memcpy(sorted, list, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), by_pid);
	for (i = 0; i < n; i++)
		sorted[i]->shadowed = i && sorted[i]->pid == sorted[i - 1]->pid;
	for (i = 0; i < n; i++)
		if (!list[i]->shadowed)
			list[kept++] = list[i];
	free(sorted);
	return kept;
}

/* The scrape of @list, or with no @st what says the module is away. */
static void prometheus(FILE *f, const struct options *o, const struct state *st,
		       struct proc **list, size_t n)
{
	if (st)
		export_prometheus(f, st, list, distinct_pids(list, n),
				  &o->prom);
	else
		export_prometheus_unloaded(f);
}

static int write_prometheus(const struct options *o, const struct state *st,
			    struct proc **list, size_t n)
{
	char tmp[PATH_MAX];
	bool ok;
	FILE *f;
	int fd;

	if (!o->prometheus_out) {
		prometheus(stdout, o, st, list, n);
		return 0;
	}
	/*
	 * node_exporter must never read a half-written file: write a new
	 * file next to it (never through a link planted there), then rename.
	 */
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", o->prometheus_out,
		     getpid()) >= (int)sizeof(tmp)) {
		warn("--prometheus-out: path too long");
		return EXIT_ERROR;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0644);
	/* whatever the umask: node_exporter runs as another user */
	f = fd < 0 || fchmod(fd, 0644) ? NULL : fdopen(fd, "w");
	if (!f) {
		warn("cannot write %s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return EXIT_ERROR;
	}
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	prometheus(f, o, st, list, n);
	ok = !fflush(f) && !fsync(fd);
	ok = !fclose(f) && ok;
	if (!ok || rename(tmp, o->prometheus_out)) {
		warn("cannot write %s: %s", o->prometheus_out, strerror(errno));
		unlink(tmp);
		return EXIT_ERROR;
	}
	return 0;
}

/* One scrape of @st (NULL: the module is away) for --prometheus. */
static int prometheus_snapshot(const struct options *o, struct state *st)
{
	struct proc **list = NULL;
	size_t n = st ? pick_procs(st, o, o->all, &list) : 0;
	int status = write_prometheus(o, st, list, n);

	free(list);
	return status;
}

int cmd_summary(const struct options *o)
{
	/* on a terminal, as wide as it is; with -w, every column as piped */
	struct layout l = { .wide = o->wide,
			    .width = o->wide ? 0 : term_report_width() };
	struct proc **list;
	struct state st;
	int status = 0;
	size_t n, shown;

	if (state_read(&st)) {
		/* a textfile must not keep numbers that are no longer true */
		if (o->prometheus_out && !module_present())
			prometheus_snapshot(o, NULL);
		return EXIT_ERROR;
	}
	if (o->prometheus) {
		status = prometheus_snapshot(o, &st);
		state_free(&st);
		return status;
	}
	n = select_procs(&st, o, o->all, &list);
	shown = rows_shown(o, n);
	if (o->json)
		export_json(stdout, &st, list, shown, n - shown);
	else
		text_summary(stdout, &st, list, shown, n - shown, &l);
	free(list);
	state_free(&st);
	return status;
}

static void no_record(const struct state *st, int pid)
{
	warn("no record of PID %d%s", pid,
	     st->complete ? " (not a user process, one thread that never "
			    "asked for an affinity, or gone for longer than "
			    "linger_s)" :
			    " among the watched processes (pinstat watch "
			    "PID, or run as root)");
}

/* The record of each PID asked for: NULL after a message if one has none. */
static struct proc **find_pids(const struct options *o, struct state *st)
{
	struct proc **list = calloc(o->npids, sizeof(*list));
	int i;

	if (!list)
		die(EXIT_ERROR, "out of memory");
	for (i = 0; i < o->npids; i++) {
		list[i] = state_find(st, o->pids[i], true);
		if (!list[i]) {
			no_record(st, o->pids[i]);
			break;
		}
		if (!wanted(o, list[i])) {
			warn("PID %d is not a process named like -C %s",
			     o->pids[i], o->comm_pattern);
			break;
		}
		diagnose(list[i]);
	}
	if (i < o->npids) {
		free(list);
		return NULL;
	}
	return list;
}

int cmd_detail(const struct options *o)
{
	struct proc **list;
	struct state st;
	int i;

	if (state_read(&st))
		return EXIT_ERROR;
	list = find_pids(o, &st);
	if (list && o->json) {
		export_json(stdout, &st, list, o->npids, 0);
	} else if (list) {
		for (i = 0; i < o->npids; i++) {
			if (i)
				putchar('\n');
			text_detail(stdout, &st, list[i]);
		}
	}
	free(list);
	state_free(&st);
	return list ? 0 : EXIT_ERROR;
}

/* Findings already reported by diagnose --follow. */
struct seen {
	int pid;
	unsigned long long first_seen_ns;
	const char *code;
};

static struct seen *seen;
static size_t nseen;
/* The fixes diagnose --follow printed: each is said once in a run. */
static unsigned char fixes_said[NR_VERDICT_KINDS];

static bool first_time(const struct proc *p, const struct verdict *v)
{
	size_t i;

	for (i = 0; i < nseen; i++)
		if (seen[i].pid == p->pid &&
		    seen[i].first_seen_ns == p->first_seen_ns &&
		    !strcmp(seen[i].code, v->code))
			return false;
	seen = realloc(seen, (nseen + 1) * sizeof(*seen));
	if (!seen)
		die(EXIT_ERROR, "out of memory");
	seen[nseen++] = (struct seen){ p->pid, p->first_seen_ns, v->code };
	return true;
}

/* Findings of records no longer in the table are forgotten. */
static void forget_gone(struct state *st)
{
	size_t i, kept = 0;

	for (i = 0; i < nseen; i++)
		if (state_lookup(st, seen[i].pid, seen[i].first_seen_ns))
			seen[kept++] = seen[i];
	nseen = kept;
}

/* Keep only verdicts not reported before; true if any is left. */
static bool keep_new(struct proc *p)
{
	int i, kept = 0;

	for (i = 0; i < p->nverdicts; i++)
		if (first_time(p, &p->verdicts[i]))
			p->verdicts[kept++] = p->verdicts[i];
	p->nverdicts = kept;
	return kept;
}

static int diagnose_once(const struct options *o, bool only_new, bool *found)
{
	struct proc **list;
	struct state st;
	size_t i, n, kept = 0;
	int status;

	if (state_read(&st))
		return EXIT_ERROR;
	n = select_procs(&st, o, true, &list);
	forget_gone(&st);
	for (i = 0; i < n; i++)
		if (list[i]->nverdicts && (!only_new || keep_new(list[i])))
			list[kept++] = list[i];
	*found |= kept > 0;
	if (o->json && (kept || !only_new))
		export_diagnosis(stdout, &st, list, kept, rows_shown(o, kept));
	else if (!o->json)
		text_diagnosis(stdout, &st, list, kept, o->limit,
			       only_new ? fixes_said : NULL);
	free(list);
	/* a health check must not read "nothing found" into a partial view */
	status = st.complete ? 0 : EXIT_ERROR;
	if (!flush_stdout())
		status = EXIT_ERROR;
	state_free(&st);
	return status;
}

/*
 * The module raises alerts (sysfs_notify on "alerts") when a process
 * crosses a kernel-side threshold; between alerts, look every few seconds
 * anyway, since the CLI's own thresholds may be lower.
 */
static int diagnose_follow(const struct options *o, bool *found)
{
	struct pollfd pfd = { .events = POLLPRI | POLLERR };
	char path[PATH_MAX], buf[32];
	int status;

	pfd.fd = open(source_path(path, PINSTAT_SYSFS "/alerts"),
		      O_RDONLY | O_CLOEXEC);
	catch_stop_signals();
	status = 0;
	while (!stop_requested() && !status) {
		/* reading re-arms poll(); it fails once the module is gone */
		if (pfd.fd >= 0 && pread(pfd.fd, buf, sizeof(buf), 0) < 0) {
			warn("the pinstat module was unloaded");
			status = EXIT_ERROR;
			break;
		}
		status = diagnose_once(o, true, found);
		if (status)
			break;
		if (pfd.fd >= 0)
			poll(&pfd, 1, 5000);
		else
			sleep(5);
	}
	if (pfd.fd >= 0)
		close(pfd.fd);
	return status;
}

int cmd_diagnose(const struct options *o)
{
	bool found = false;
	int status;

	status = o->follow ? diagnose_follow(o, &found) :
			     diagnose_once(o, false, &found);
	if (status)
		return status;
	return found ? 1 : 0;
}

/*
 * What changed per second; then is NULL for a process new since. Counters
 * that went down were reset meanwhile: they count from zero.
 */
struct delta compute_delta(const struct proc *then, struct proc *now,
			   double seconds)
{
	static const struct proc zero;

	if (!then || now->threads_created < then->threads_created ||
	    now->solo_exits < then->solo_exits ||
	    now->affinity_changes < then->affinity_changes)
		then = &zero;
	return (struct delta){
		.p = now,
		.live_change = now->threads_live - then->threads_live,
		.created = (now->threads_created - then->threads_created) /
			   seconds,
		.solo_exits = (now->solo_exits - then->solo_exits) / seconds,
		.affinity = (now->affinity_changes - then->affinity_changes) /
			    seconds,
	};
}

/*
 * What changed for the processes the filters let through: those that
 * changed, or all of them (-a), or those named (-p).
 */
static size_t deltas(struct state *then, struct state *now, double seconds,
		     const struct options *o, struct delta **out)
{
	struct delta *d = calloc(now->nprocs + 1, sizeof(*d));
	struct proc **list;
	size_t i, n, kept = 0;

	if (!d)
		die(EXIT_ERROR, "out of memory");
	n = select_procs(now, o, true, &list);
	for (i = 0; i < n; i++) {
		d[kept] = compute_delta(state_lookup(then, list[i]->pid,
						     list[i]->first_seen_ns),
					list[i], seconds);
		if (o->all || o->npids || d[kept].live_change ||
		    d[kept].created || d[kept].solo_exits || d[kept].affinity)
			kept++;
	}
	free(list);
	*out = d;
	return kept;
}

/* Each process as in every other document, and what changed. */
static void json_interval(const struct state *st, const char *stamp,
			  double seconds, const struct delta *d, size_t n,
			  size_t omitted)
{
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_object(&j);
	json_stamp(&j, st);
	json_key(&j, "time");
	json_str(&j, stamp);
	json_key(&j, "interval_s");
	json_num(&j, seconds);
	json_key(&j, "processes_omitted");
	json_uint(&j, omitted);
	json_key(&j, "processes");
	json_array(&j);
	for (i = 0; i < n; i++) {
		enrich(d[i].p, FACT_ALL);
		json_object(&j);
		json_proc_fields(&j, d[i].p);
		json_key(&j, "live_change");
		json_int(&j, d[i].live_change);
		json_key(&j, "created_per_s");
		json_num(&j, d[i].created);
		json_key(&j, "solo_exits_per_s");
		json_num(&j, d[i].solo_exits);
		json_key(&j, "affinity_per_s");
		json_num(&j, d[i].affinity);
		json_end(&j, '}');
	}
	json_end(&j, ']');
	json_end(&j, '}');
}

static void sleep_seconds(double s)
{
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	nanosleep(&ts, NULL); /* a signal ends it early: fine */
}

int cmd_interval(const struct options *o)
{
	struct state then, now;
	struct delta *d;
	double t0, t1;
	char stamp[16];
	long done;
	size_t n, shown;

	if (state_read(&then))
		return EXIT_ERROR;
	t0 = clock_monotonic_s();
	catch_stop_signals();
	for (done = 0; !o->count || done < o->count; done++) {
		sleep_seconds(o->interval);
		if (stop_requested())
			break;
		if (state_read(&now)) {
			state_free(&then);
			return EXIT_ERROR;
		}
		t1 = clock_monotonic_s();
		enrich_recall(&now);
		local_stamp(stamp, now.utc_s);
		n = deltas(&then, &now, t1 - t0, o, &d);
		shown = rows_shown(o, n);
		if (done && !o->json)
			putchar('\n');
		if (o->json)
			json_interval(&now, stamp, t1 - t0, d, shown,
				      n - shown);
		else
			text_interval(stdout, stamp, d, shown, n - shown,
				      o->wide);
		free(d);
		enrich_remember(&now);
		state_free(&then);
		then = now;
		t0 = t1;
		if (!flush_stdout())
			break; /* nobody reads it: stop */
	}
	state_free(&then);
	return flush_stdout() ? 0 : EXIT_ERROR;
}

/*
 * --prometheus-out FILE INTERVAL [COUNT]: the file rewritten every
 * INTERVAL seconds, what pinstat-exporter.service runs for node_exporter.
 * The module may come and go meanwhile: while it is away the file says so
 * (said once in the log, not every INTERVAL). A file that cannot be
 * written ends the run: the service manager restarts and logs it.
 */
int cmd_textfile(const struct options *o)
{
	bool present, was_present = true;
	struct state st;
	long done;
	int status = 0;

	catch_stop_signals();
	for (done = 0; !o->count || done < o->count; done++) {
		if (done)
			sleep_seconds(o->interval);
		if (stop_requested())
			break;
		present = module_present();
		if (!present && was_present)
			module_loaded(); /* says how to load it */
		was_present = present;
		if (!present || state_read(&st)) {
			status = prometheus_snapshot(o, NULL);
		} else {
			enrich_recall(&st);
			status = prometheus_snapshot(o, &st);
			enrich_remember(&st);
			state_free(&st);
		}
		if (status)
			break;
	}
	return status;
}
