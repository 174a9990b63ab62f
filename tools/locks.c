// SPDX-License-Identifier: GPL-2.0
/*
 * Lock tracing, read from the module's debugfs tables "traced" (one line
 * per trace) and "lock_sites" (one per call site), named from the traced
 * executable by gosym.h, and started and ended through sysfs.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "gosym.h"
#include "locks.h"
#include "source.h"
#include "util.h"

#define DEBUGFS	     "sys/kernel/debug/pinstat"
#define LINE_MAX_LEN 8192
/* UnlockOSThread places the module probes per trace, at most. */
#define TRACE_UNLOCKS 64
/* "PID LOCK UNLOCK...", offsets in hex: 19 characters each at most. */
#define TRACE_REQUEST_MAX (16 + (1 + TRACE_UNLOCKS) * 20)

static struct trace *trace_of_pid(struct state *st, int pid)
{
	size_t i;

	for (i = 0; i < st->ntraces; i++)
		if (st->traces[i].pid == pid)
			return &st->traces[i];
	return NULL;
}

/*
 * "pid state probe_offset unlock_probes calls unlocks threads_seen
 * exits_unseen exits_unlocked threads_dropped exe_dev exe_ino exe"
 */
static bool parse_trace(const char *line, struct trace *t)
{
	char path[LINE_MAX_LEN];
	int n = 0;

	memset(t, 0, sizeof(*t));
	if (sscanf(line,
		   "%d %15s 0x%llx %d %lld %lld %lld %lld %lld %lld %llu %llu "
		   "%n",
		   &t->pid, t->state, &t->probe_offset, &t->unlock_probes,
		   &t->calls, &t->unlocks, &t->threads_seen, &t->exits_unseen,
		   &t->exits_unlocked, &t->threads_dropped, &t->exe_dev,
		   &t->exe_ino, &n) != 12 ||
	    !n || sscanf(line + n, "%8191s", path) != 1)
		return false;
	/* the kernel wrote spaces and backslashes in the path as \ooo */
	return decode_comm(path, t->exe, sizeof(t->exe));
}

/*
 * "pid site calls locked_exits last_locked locked"; site "other" is
 * offset 0.
 */
static bool parse_site(const char *line, struct state *st)
{
	struct lock_site s = { 0 };
	char site[32];
	struct trace *t;
	int pid, n = 0;

	if (sscanf(line, "%d %31s %lld %lld %lld %lld", &pid, site, &s.calls,
		   &s.locked_exits, &s.last_locked, &s.locked) != 6 ||
	    (strcmp(site, "other") &&
	     sscanf(site, "0x%llx%n", &s.at.offset, &n) != 1) ||
	    (n && site[n]))
		return false;
	/* a trace that began after "traced" was read is left for next time */
	t = trace_of_pid(st, pid);
	if (t && t->nsites < TRACE_SITES)
		t->sites[t->nsites++] = s;
	return true;
}

/* "pid calls frame0 ... frame3": offsets, "-" for none. */
static bool parse_caller(const char *line, struct state *st)
{
	struct affinity_caller c = { 0 };
	char frames[AFFINITY_FRAMES][32];
	struct trace *t;
	int pid, i, n;

	if (sscanf(line, "%d %lld %31s %31s %31s %31s", &pid, &c.calls,
		   frames[0], frames[1], frames[2], frames[3]) != 6)
		return false;
	for (i = 0; i < AFFINITY_FRAMES; i++) {
		n = 0;
		if (strcmp(frames[i], "-") &&
		    (sscanf(frames[i], "0x%llx%n", &c.frames[i], &n) != 1 ||
		     frames[i][n]))
			return false;
	}
	t = trace_of_pid(st, pid);
	if (t && t->ncallers < TRACE_SITES)
		t->callers[t->ncallers++] = c;
	return true;
}

/* Each line after the header, to parse; -1 at the first bad one. */
static int read_table(const char *name, struct state *st,
		      bool (*parse)(const char *line, struct state *st))
{
	char path[PATH_MAX], line[LINE_MAX_LEN];
	int err = 0, n = 0;
	FILE *f;

	f = fopen(source_path(path, DEBUGFS "/%s", name), "re");
	if (!f)
		return 0; /* a module without lock tracing, or not root */
	while (!err && fgets(line, sizeof(line), f))
		if (n++ && !parse(line, st)) {
			warn("%s: line %d is not understood", path, n);
			err = -1;
		}
	fclose(f);
	return err;
}

static bool add_trace(const char *line, struct state *st)
{
	struct trace t, *grown;

	if (!parse_trace(line, &t))
		return false;
	grown = realloc(st->traces, (st->ntraces + 1) * sizeof(*grown));
	if (!grown)
		die(EXIT_ERROR, "out of memory");
	st->traces = grown;
	st->traces[st->ntraces++] = t;
	return true;
}

/*
 * The traced executable: the process's own while it runs, else the file at
 * the path the module names (below the root), if it is still the one
 * traced; NULL if there is none, t->exe_file saying why.
 */
static const char *executable(struct trace *t, char *path)
{
	struct stat sb;

	if (!strcmp(t->state, "tracing"))
		return source_path(path, "proc/%d/exe", t->pid);
	if (stat(source_path(path, "%s", t->exe + (t->exe[0] == '/')), &sb)) {
		if (errno == ENOENT)
			t->exe_file = EXE_GONE;
		return NULL;
	}
	if ((unsigned long long)sb.st_ino != t->exe_ino ||
	    (unsigned long long)sb.st_dev != t->exe_dev) {
		t->exe_file = EXE_REPLACED;
		return NULL;
	}
	return path;
}

_Static_assert(sizeof(((struct code_place *)0)->func) ==
			       sizeof(((struct gosym_site *)0)->func) &&
		       sizeof(((struct code_place *)0)->outer) ==
			       sizeof(((struct gosym_site *)0)->outer) &&
		       sizeof(((struct code_place *)0)->file) ==
			       sizeof(((struct gosym_site *)0)->file),
	       "a place's names are gosym's");

/*
 * Name @at; false if it cannot be, keeping the address of the call when
 * the file has it, for "go tool addr2line" (cgo's C code, a Go too new).
 */
static bool name_place(const char *exe, struct code_place *at)
{
	struct gosym_site gs;
	uint64_t addr;

	if (!at->offset)
		return false;
	if (gosym_symbolize(exe, at->offset, &gs)) {
		if (!gosym_call_address(exe, at->offset, &addr))
			at->address = addr;
		return false;
	}
	/* the same sizes: gosym cuts names to fit */
	memcpy(at->func, gs.func, sizeof(at->func));
	memcpy(at->outer, gs.outer, sizeof(at->outer));
	memcpy(at->file, gs.file, sizeof(at->file));
	at->line = gs.line;
	return true;
}

/* Go's own packages, which a program's calls pass through. */
static bool in_go_itself(const char *func)
{
	static const char *const prefixes[] = {
		"runtime.",  "runtime/",	  "syscall.",
		"internal/", "golang.org/x/sys/",
	};
	size_t i;

	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(func, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

/*
 * The place a caller of sched_setaffinity() stands for: its innermost
 * frame in the program's own code (past the syscall package and the
 * runtime), else its innermost frame.
 */
static void name_caller(const char *exe, struct affinity_caller *c)
{
	int i;

	for (i = 0; i < AFFINITY_FRAMES && c->frames[i]; i++) {
		c->at = (struct code_place){ .offset = c->frames[i] };
		if (name_place(exe, &c->at) && !in_go_itself(c->at.func))
			return;
	}
	c->at = (struct code_place){ .offset = c->frames[0] };
	name_place(exe, &c->at);
}

static void symbolize(struct state *st)
{
	char path[PATH_MAX];
	const char *exe;
	struct trace *t;
	int i;

	for (t = st->traces; t < st->traces + st->ntraces; t++) {
		exe = executable(t, path);
		if (exe)
			gosym_build_id(exe, t->build_id, sizeof(t->build_id));
		for (i = 0; exe && i < t->nsites; i++)
			name_place(exe, &t->sites[i].at);
		for (i = 0; exe && i < t->ncallers; i++)
			name_caller(exe, &t->callers[i]);
	}
}

int locks_read(struct state *st)
{
	struct proc *p;
	size_t i;

	if (read_table("traced", st, add_trace) ||
	    read_table("lock_sites", st, parse_site) ||
	    read_table("affinity_sites", st, parse_caller))
		return -1;
	for (i = 0; i < st->ntraces; i++) {
		p = state_find(st, st->traces[i].pid,
			       !strcmp(st->traces[i].state, "tracing"));
		if (p)
			p->trace = &st->traces[i];
	}
	symbolize(st);
	return 0;
}

void locks_free(struct state *st)
{
	free(st->traces);
	st->traces = NULL;
	st->ntraces = 0;
}

const char *code_place_where(const struct code_place *at, char *buf,
			     size_t size)
{
	const char *base = strrchr(at->file, '/');

	if (!at->offset)
		snprintf(buf, size, "places past the module's bound");
	else if (!at->func[0])
		snprintf(buf, size, "offset 0x%llx of the executable",
			 at->offset);
	else if (at->line)
		snprintf(buf, size, "%s at %s:%d", at->func,
			 base ? base + 1 : at->file, at->line);
	else
		snprintf(buf, size, "%s", at->func);
	return buf;
}

/*
 * s as one shell word, to paste: quoted unless every byte is plain; a
 * control byte as '?', never written to a terminal.
 */
static const char *shell_word(const char *s, char *buf, size_t size)
{
	bool quote = s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "abcdefghijklmnopqrstuvwxyz0123456789/._+-")];
	size_t n = 0;

	if (quote)
		buf[n++] = '\'';
	for (; *s && n + 6 < size; s++) {
		if (*s == '\'') {
			memcpy(buf + n, "'\\''", 4);
			n += 4;
		} else {
			buf[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ?
					   '?' :
					   *s;
		}
	}
	if (quote)
		buf[n++] = '\'';
	buf[n] = '\0';
	return buf;
}

const char *code_place_where_full(const struct trace *t,
				  const struct code_place *at, char *buf,
				  size_t size)
{
	char exe[1024];
	int n;

	if (!at->offset || at->func[0])
		return code_place_where(at, buf, size);
	shell_word(t->exe, exe, sizeof(exe));
	if (t->exe_file != EXE_NOT_CHANGED) {
		snprintf(buf, size, "offset 0x%llx of %s (the file %s)",
			 at->offset, exe,
			 t->exe_file == EXE_GONE ? "is gone" :
						   "has changed since");
		return buf;
	}
	n = snprintf(buf, size, "offset 0x%llx of %s%s%s", at->offset, exe,
		     t->build_id[0] ? ", build id " : "", t->build_id);
	if (at->address && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - n,
			 " (echo 0x%llx | go tool addr2line %s)", at->address,
			 exe);
	return buf;
}

static const struct lock_site *
most(const struct trace *t, long long (*count)(const struct lock_site *))
{
	const struct lock_site *best = NULL;
	int i;

	for (i = 0; t && i < t->nsites; i++)
		if (count(&t->sites[i]) > 0 &&
		    (!best || count(&t->sites[i]) > count(best)))
			best = &t->sites[i];
	return best;
}

static long long exits(const struct lock_site *s)
{
	return s->locked_exits;
}

/* Threads holding a lock from @s, as far as the trace can tell. */
static long long locked(const struct lock_site *s)
{
	return s->locked;
}

const struct lock_site *lock_site_most_exits(const struct trace *t)
{
	return most(t, exits);
}

const struct lock_site *lock_site_most_locked(const struct trace *t)
{
	return most(t, locked);
}

const struct affinity_caller *affinity_caller_most(const struct trace *t)
{
	const struct affinity_caller *best = NULL;
	int i;

	for (i = 0; t && i < t->ncallers; i++)
		if (t->callers[i].calls > 0 &&
		    (!best || t->callers[i].calls > best->calls))
			best = &t->callers[i];
	return best;
}

static int write_control(const char *file, const char *value, int pid)
{
	char path[PATH_MAX];
	int err;

	if (!module_loaded())
		return EXIT_ERROR;
	err = write_file(source_path(path, PINSTAT_SYSFS "/%s", file), value);
	if (!err)
		return 0;
	if (err == -EACCES || err == -EPERM)
		warn("cannot write %s: permission denied (run as root)", path);
	else if (err == -ENOENT && !strcmp(file, "untrace"))
		warn("untrace: process %d is not traced", pid);
	else if (err == -ENOENT)
		warn("%s is missing: this module cannot trace locks", path);
	else if (err == -ESRCH)
		warn("%s: no process %d", file, pid);
	else if (err == -ENOEXEC)
		warn("trace: process %d does not run Go (the kernel sees no "
		     "Go runtime in it)",
		     pid);
	else if (err == -EEXIST)
		warn("trace: process %d is traced already", pid);
	else if (err == -ENOSPC)
		warn("trace: as many processes are traced as the module "
		     "allows; untrace one first (pinstat untrace PID)");
	else if (err == -ENOSYS)
		warn("trace: this kernel has no uprobes (CONFIG_UPROBES)");
	else if (err == -EINVAL)
		warn("trace: the kernel refused an offset of process %d's "
		     "executable (%s): no Go function, nor code inlined into "
		     "one, starts there",
		     pid, value);
	else if (err == -E2BIG)
		warn("trace: more UnlockOSThread places than this module "
		     "probes");
	else
		warn("cannot write %s: %s", path, strerror(-err));
	return EXIT_ERROR;
}

static int parse_pid(const char *cmd, const char *arg)
{
	long long v;

	if (!parse_ll(arg, &v) || v < 1 || v > PID_MAX_LIMIT) {
		warn("%s: not a PID: %s", cmd, arg);
		return -1;
	}
	return v;
}

/*
 * The places where UnlockOSThread's code starts in @exe, appended to the
 * trace request @value: all of them, or none (and a word why), as the
 * module counts a thread's locks right only if it sees every unlock.
 */
static void add_unlocks(const char *exe, char *value, size_t size)
{
	uint64_t offs[TRACE_UNLOCKS];
	size_t len = strlen(value);
	int n, i;

	n = gosym_inlined_entries(exe, "runtime.UnlockOSThread", offs,
				  TRACE_UNLOCKS);
	if (n > TRACE_UNLOCKS)
		warn("trace: UnlockOSThread's code starts at %d places in %s, "
		     "more than the module probes (%d): unlocks not seen",
		     n, exe, TRACE_UNLOCKS);
	else if (n < 0)
		warn("trace: unlocks not seen: %s: %s", exe, gosym_strerror(n));
	for (i = 0; n <= TRACE_UNLOCKS && i < n; i++)
		len += snprintf(value + len, size - len, " 0x%llx",
				(unsigned long long)offs[i]);
}

int cmd_trace(const char *arg)
{
	char path[PATH_MAX], value[TRACE_REQUEST_MAX];
	int pid = parse_pid("trace", arg), err;
	uint64_t off;

	if (pid < 0)
		return EXIT_ERROR;
	err = gosym_func_offset(source_path(path, "proc/%d/exe", pid),
				"runtime.LockOSThread", &off);
	if (err) {
		warn("trace: %s: %s", path, gosym_strerror(err));
		return EXIT_ERROR;
	}
	snprintf(value, sizeof(value), "%d 0x%llx", pid,
		 (unsigned long long)off);
	add_unlocks(path, value, sizeof(value));
	return write_control("trace", value, pid);
}

int cmd_untrace(const char *arg)
{
	int pid = parse_pid("untrace", arg);

	return pid < 0 ? EXIT_ERROR : write_control("untrace", arg, pid);
}
