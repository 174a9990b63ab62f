// SPDX-License-Identifier: GPL-2.0
/*
 * Reading pinstat's state. The debugfs table is parsed by its header, so
 * columns may be added (before or after lifetime_hist) or reordered by
 * newer modules, and histogram buckets added; every value must be well
 * formed, or reading stops with a message naming the line.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "locks.h"
#include "source.h"
#include "util.h"

#define SYSFS	     PINSTAT_SYSFS
#define DEBUGFS	     "sys/kernel/debug/pinstat"
#define MAX_COLUMNS  64
#define MAX_BUCKETS  64 /* in a row: HIST_BUCKETS, or a newer module's */
#define LINE_MAX_LEN 4096

static const char *root = "/";

void source_set_root(const char *dir)
{
	root = dir;
}

bool source_is_host(void)
{
	return !strcmp(root, "/");
}

const char *source_path(char *buf, const char *fmt, ...)
{
	size_t prefix = strlen(root);
	va_list ap;
	int len;

	if (prefix + 2 >= PATH_MAX)
		die(EXIT_ERROR, "path too long: %s", root);
	memcpy(buf, root, prefix);
	if (!prefix || buf[prefix - 1] != '/')
		buf[prefix++] = '/';
	va_start(ap, fmt);
	len = vsnprintf(buf + prefix, PATH_MAX - prefix, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= PATH_MAX - prefix)
		die(EXIT_ERROR, "path too long below %s", root);
	return buf;
}

enum column_type {
	COL_LL,
	COL_ULL,
	COL_RATE,
	COL_COMM,
	COL_STATE,
	COL_BOOL,
	COL_HIST
};

struct column {
	const char *name;
	enum column_type type;
	size_t offset;
	bool required;
};

#define COL(_name, _type, _member, _required)                           \
	{                                                               \
		_name, _type, offsetof(struct proc, _member), _required \
	}

static const struct column columns[] = {
	COL("pid", COL_LL, pid, true),
	COL("nspid", COL_LL, nspid, false),
	COL("comm", COL_COMM, comm, true),
	COL("state", COL_STATE, exited, true),
	COL("threads_live", COL_LL, threads_live, true),
	COL("threads_peak", COL_LL, threads_peak, true),
	COL("threads_created", COL_LL, threads_created, true),
	COL("threads_exited", COL_LL, threads_exited, true),
	COL("solo_exits", COL_LL, solo_exits, true),
	COL("short_lived", COL_LL, short_lived, true),
	COL("affinity_changes", COL_LL, affinity_changes, true),
	COL("threads_pinned", COL_LL, threads_pinned, true),
	COL("pinned_cpu_max", COL_LL, pinned_cpu_max, true),
	COL("cpus_allowed", COL_LL, kernel_cpus_allowed, false),
	COL("growth_steps_1s", COL_LL, growth_steps_1s, false),
	COL("growth_steps_34s", COL_LL, growth_steps_34s, false),
	COL("go", COL_BOOL, go_runtime, false),
	COL("first_seen_ns", COL_ULL, first_seen_ns, true),
	COL("last_event_ns", COL_ULL, last_event_ns, true),
	COL("rate_created_1s", COL_RATE, rate_created[W_1S], true),
	COL("rate_created_60s", COL_RATE, rate_created[W_60S], true),
	COL("rate_solo_exits_1s", COL_RATE, rate_solo_exits[W_1S], true),
	COL("rate_solo_exits_60s", COL_RATE, rate_solo_exits[W_60S], true),
	COL("rate_affinity_1s", COL_RATE, rate_affinity[W_1S], true),
	COL("rate_affinity_60s", COL_RATE, rate_affinity[W_60S], true),
	COL("lifetime_hist", COL_HIST, lifetime_hist, true),
	COL("cgroup", COL_ULL, cgroup, false),
};

#define NR_COLUMNS (sizeof(columns) / sizeof(columns[0]))

/* Store one value; false if it is malformed. */
static bool store(struct proc *p, const struct column *c, const char *value)
{
	void *field = (char *)p + c->offset;
	long long ll;

	switch (c->type) {
	case COL_LL:
		if (!parse_ll(value, &ll) || ll < 0)
			return false;
		if (c->offset == offsetof(struct proc, pid) ||
		    c->offset == offsetof(struct proc, nspid)) {
			if (ll < 1 || ll > INT_MAX)
				return false;
			*(int *)field = ll;
		} else {
			*(long long *)field = ll;
		}
		return true;
	case COL_ULL:
		return parse_ull(value, field);
	case COL_RATE:
		return parse_double(value, field);
	case COL_COMM:
		return decode_comm(value, field, COMM_MAX);
	case COL_STATE:
		if (strcmp(value, "live") && strcmp(value, "exited"))
			return false;
		*(bool *)field = !strcmp(value, "exited");
		return true;
	case COL_BOOL:
		if (strcmp(value, "0") && strcmp(value, "1"))
			return false;
		*(int *)field = value[0] == '1';
		return true;
	case COL_HIST:
		break; /* spans several values: store_hist() */
	}
	return false;
}

/*
 * n counts, at least HIST_BUCKETS. A newer module can only add buckets by
 * splitting the last, open one (>= 1 h): counts beyond it are added to
 * it, which keeps its meaning.
 */
static bool store_hist(struct proc *p, char **values, int n)
{
	long long *last = &p->lifetime_hist[HIST_BUCKETS - 1];
	long long v;
	int b;

	if (n < HIST_BUCKETS)
		return false;
	for (b = 0; b < n; b++) {
		if (!parse_ll(values[b], &v) || v < 0)
			return false;
		if (b < HIST_BUCKETS)
			p->lifetime_hist[b] = v;
		else if (v > LLONG_MAX - *last)
			return false;
		else
			*last += v;
	}
	return true;
}

/* Cut line at spaces (and its newline) into at most max words. */
static int split(char *line, char **tok, int max)
{
	char *p = line;
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\n')
			p++;
		if (!*p)
			return n;
		if (n == max)
			return -1;
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\n')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/*
 * The records' memory of a freed state, kept for the next read: the
 * frames of top and interval mode then reuse pages already mapped (with
 * 40 000 records, faulting in fresh ones took a quarter of a frame).
 */
static struct proc *spare;
static size_t spare_allocated;

static struct proc *add_proc(struct state *st)
{
	struct proc *p;

	if (!st->procs && spare) {
		st->procs = spare;
		st->allocated = spare_allocated;
		spare = NULL;
	}
	if (st->nprocs == st->allocated) {
		st->allocated = st->allocated ? st->allocated * 2 : 256;
		p = realloc(st->procs, st->allocated * sizeof(*p));
		if (!p)
			die(EXIT_ERROR, "out of memory");
		st->procs = p;
	}
	p = &st->procs[st->nprocs++];
	memset(p, 0, sizeof(*p));
	p->go = -1;
	p->go_runtime = -1;
	return p;
}

/* map[i]: the column of header token i, or NULL if unknown. */
static int parse_header(char *line, const char *name, const struct column **map,
			int *hist_at)
{
	char *tok[MAX_COLUMNS];
	bool seen[NR_COLUMNS] = { false };
	int n, i;
	size_t c;

	if (!strchr(line, '\n')) {
		warn("%s: header line too long", name);
		return -1;
	}
	n = split(line, tok, MAX_COLUMNS);
	if (n < 0) {
		warn("%s: more than %d columns", name, MAX_COLUMNS);
		return -1;
	}
	if (n == 0) {
		warn("%s: no header line", name);
		return -1;
	}
	*hist_at = -1;
	for (i = 0; i < n; i++) {
		map[i] = NULL;
		for (c = 0; c < NR_COLUMNS; c++)
			if (!strcmp(tok[i], columns[c].name)) {
				map[i] = &columns[c];
				seen[c] = true;
			}
		if (map[i] && map[i]->type == COL_HIST)
			*hist_at = i;
	}
	for (c = 0; c < NR_COLUMNS; c++)
		if (columns[c].required && !seen[c]) {
			warn("%s: unexpected format: no column %s", name,
			     columns[c].name);
			return -1;
		}
	return n;
}

/*
 * How many buckets lifetime_hist spans in a row of n values, all other
 * columns holding one value each, known or not: as many as in the rows
 * before, and at least HIST_BUCKETS (a row a value short or long is
 * malformed, not a new format). -1 after a message.
 */
static int row_buckets(int n, int ncols, int *buckets, const char *name,
		       int lineno)
{
	int spanned = n - (ncols - 1);

	if (n >= 0 && spanned >= HIST_BUCKETS && spanned <= MAX_BUCKETS &&
	    (!*buckets || spanned == *buckets)) {
		*buckets = spanned;
		return spanned;
	}
	if (*buckets)
		warn("%s:%d: %s values, expected %d as in the rows before",
		     name, lineno, n < 0 ? "too many" : "a wrong number of",
		     ncols - 1 + *buckets);
	else
		warn("%s:%d: %s values, expected %d", name, lineno,
		     n < 0 ? "too many" : "a wrong number of",
		     ncols - 1 + HIST_BUCKETS);
	return -1;
}

int parse_processes(FILE *f, const char *name, struct state *st)
{
	const struct column *map[MAX_COLUMNS];
	char line[LINE_MAX_LEN], *tok[MAX_COLUMNS + MAX_BUCKETS];
	int ncols, hist_at, n, i, lineno = 1, buckets = 0, spanned;
	struct proc *p;

	if (!fgets(line, sizeof(line), f)) {
		warn("%s: empty", name);
		return -1;
	}
	ncols = parse_header(line, name, map, &hist_at);
	if (ncols < 0)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			warn("%s:%d: line too long", name, lineno);
			return -1;
		}
		n = split(line, tok, MAX_COLUMNS + MAX_BUCKETS);
		spanned = row_buckets(n, ncols, &buckets, name, lineno);
		if (spanned < 0)
			return -1;
		p = add_proc(st);
		for (i = 0; i < ncols; i++) {
			/* the columns after lifetime_hist come after its span */
			char **value = &tok[i > hist_at ? i - 1 + spanned : i];
			bool ok;

			if (!map[i])
				continue;
			ok = map[i]->type == COL_HIST ?
				     store_hist(p, value, spanned) :
				     store(p, map[i], *value);
			if (!ok) {
				warn("%s:%d: bad %s: %s", name, lineno,
				     map[i]->name, *value);
				return -1;
			}
		}
	}
	if (ferror(f)) {
		warn("%s: %s", name, strerror(errno));
		return -1;
	}
	return 0;
}

/* A process's fields from its sysfs procs/<pid>/ files, one per column. */
static int read_watched(const char *dir, struct proc *p)
{
	char path[PATH_MAX], value[1024], *tok[MAX_BUCKETS];
	size_t c;
	int err, n;

	for (c = 0; c < NR_COLUMNS; c++) {
		err = read_small_file(source_path(path, SYSFS "/procs/%s/%s",
						  dir, columns[c].name),
				      value, sizeof(value));
		if (err == -ENOENT && !columns[c].required)
			continue;
		if (err)
			return err;
		if (columns[c].type == COL_HIST) {
			n = split(value, tok, MAX_BUCKETS);
			if (!store_hist(p, tok, n))
				return -EINVAL;
		} else if (!store(p, &columns[c], value)) {
			return -EINVAL;
		}
	}
	return 0;
}

static void read_all_watched(struct state *st)
{
	char path[PATH_MAX];
	DIR *d = opendir(source_path(path, SYSFS "/procs"));
	struct dirent *e;
	int err;

	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		err = read_watched(e->d_name, add_proc(st));
		if (err) {
			/* unreadable (another user's) or just freed: skip */
			st->nprocs--;
			if (err != -EACCES && err != -ESRCH && err != -ENOENT)
				warn("procs/%s: %s", e->d_name, strerror(-err));
		}
	}
	closedir(d);
}

static long long global(const char *name, bool required, int *err)
{
	char path[PATH_MAX], buf[64];
	long long v;
	int e;

	e = read_small_file(source_path(path, SYSFS "/%s", name), buf,
			    sizeof(buf));
	if (e == -ENOENT && !required)
		return 0;
	if (e || !parse_ll(buf, &v) || v < 0) {
		warn("%s: %s", path, e ? strerror(-e) : "not a number");
		*err = -1;
		return 0;
	}
	return v;
}

/* A tunable, only to be shown: -1 when it cannot be read, no message. */
long long source_tunable(const char *name)
{
	char path[PATH_MAX], buf[64];
	long long v;

	if (read_small_file(source_path(path, SYSFS "/%s", name), buf,
			    sizeof(buf)) ||
	    !parse_ll(buf, &v) || v < 0)
		return -1;
	return v;
}

static int read_globals(struct state *st)
{
	char path[PATH_MAX];
	int err = 0;

	if (read_small_file(source_path(path, SYSFS "/version"), st->version,
			    sizeof(st->version)))
		return -1;
	st->enabled = global("enabled", true, &err);
	st->tracked = global("tracked", true, &err);
	st->capacity = global("capacity", true, &err);
	st->dropped = global("dropped", true, &err);
	st->evicted = global("evicted", true, &err);
	st->alerts = global("alerts", false, &err);
	st->events_created = global("events/created", true, &err);
	st->events_exited = global("events/exited", true, &err);
	st->events_affinity = global("events/affinity", true, &err);
	st->events_exec = global("events/exec", true, &err);
	st->short_lived_us = source_tunable("short_lived_us");
	return err;
}

static void explain_debugfs(int err)
{
	char path[PATH_MAX];

	source_path(path, DEBUGFS "/processes");
	if (err == -EACCES || err == -EPERM)
		warn("cannot read %s: permission denied (it is root's); "
		     "showing watched processes only",
		     path);
	else if (err == -ENOENT)
		warn("%s is missing: is debugfs mounted? (mount -t debugfs "
		     "none /sys/kernel/debug); showing watched processes only",
		     path);
	else
		warn("cannot read %s: %s; showing watched processes only", path,
		     strerror(-err));
}

bool module_present(void)
{
	char path[PATH_MAX], version[64];

	return !read_small_file(source_path(path, SYSFS "/version"), version,
				sizeof(version));
}

bool module_loaded(void)
{
	if (module_present())
		return true;
	warn("the pinstat module is not loaded (load it with: "
	     "sudo modprobe pinstat)");
	return false;
}

static int by_identity(const void *a, const void *b)
{
	const struct proc *p = a, *q = b;

	if (p->pid != q->pid)
		return p->pid < q->pid ? -1 : 1;
	if (p->first_seen_ns != q->first_seen_ns)
		return p->first_seen_ns < q->first_seen_ns ? -1 : 1;
	return 0;
}

int state_read(struct state *st)
{
	char path[PATH_MAX];
	FILE *f;
	int err;

	memset(st, 0, sizeof(*st));
	/* now, before the table: no record can look younger than it is */
	st->now_ns = clock_monotonic_ns();
	st->utc_s = clock_utc_s();
	if (read_globals(st)) {
		module_loaded(); /* the likely reason, said if so */
		return -1;
	}
	f = fopen(source_path(path, DEBUGFS "/processes"), "re");
	if (!f) {
		err = -errno;
		explain_debugfs(err);
		read_all_watched(st);
	} else {
		st->complete = true;
		err = parse_processes(f, path, st);
		fclose(f);
		/* the module may have gone while the table was being read */
		if (err) {
			module_loaded();
			return err;
		}
	}
	/* in order of identity: state_lookup() finds a record in log n */
	if (st->nprocs)
		qsort(st->procs, st->nprocs, sizeof(*st->procs), by_identity);
	if (locks_read(st)) {
		state_free(st);
		return -1;
	}
	return 0;
}

void state_free(struct state *st)
{
	locks_free(st);
	if (st->allocated > spare_allocated) {
		free(spare);
		spare = st->procs;
		spare_allocated = st->allocated;
	} else {
		free(st->procs);
	}
	st->procs = NULL;
	st->nprocs = st->allocated = 0;
}

/* The process with this PID: its live record first if asked, else latest. */
struct proc *state_find(struct state *st, int pid, bool live_first)
{
	struct proc *best = NULL;
	size_t i;

	for (i = 0; i < st->nprocs; i++) {
		struct proc *p = &st->procs[i];

		if (p->pid != pid)
			continue;
		if (live_first && !p->exited)
			return p;
		if (!best || p->first_seen_ns > best->first_seen_ns)
			best = p;
	}
	return best;
}

struct proc *state_lookup(const struct state *st, int pid,
			  unsigned long long first_seen_ns)
{
	struct proc key = { .pid = pid, .first_seen_ns = first_seen_ns };

	if (!st->nprocs)
		return NULL;
	return bsearch(&key, st->procs, st->nprocs, sizeof(*st->procs),
		       by_identity);
}
