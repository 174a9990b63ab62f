// SPDX-License-Identifier: GPL-2.0
/*
 * Lock tracing, read from the module's debugfs tables "traced" (one line
 * per trace), "lock_sites" (one per call site), "affinity_sites" and
 * "create_sites" (one per caller stack), named from the traced executable
 * by gosym.h (Go) or elfsym.h (the rest), and started and ended through
 * sysfs.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "control.h"
#include "elfsym.h"
#include "gosym.h"
#include "locks.h"
#include "mapsym.h"
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
 * "pid state kind probe_offset unlock_probes calls unlocks threads_seen
 * exits_unseen exits_unlocked threads_dropped exe_dev exe_ino exe"
 */
static bool parse_trace(const char *line, struct trace *t)
{
	char path[LINE_MAX_LEN], kind[16];
	int n = 0;

	memset(t, 0, sizeof(*t));
	if (sscanf(line,
		   "%d %15s %15s 0x%llx %d %lld %lld %lld %lld %lld %lld %llu "
		   "%llu %n",
		   &t->pid, t->state, kind, &t->probe_offset, &t->unlock_probes,
		   &t->calls, &t->unlocks, &t->threads_seen, &t->exits_unseen,
		   &t->exits_unlocked, &t->threads_dropped, &t->exe_dev,
		   &t->exe_ino, &n) != 13 ||
	    !n || sscanf(line + n, "%8191s", path) != 1)
		return false;
	if (!strcmp(kind, "creates"))
		t->kind = TRACE_CREATES;
	else if (strcmp(kind, "locks"))
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

/* A frame: an offset, "-" for none, "?" outside the executable's code. */
static bool parse_frame(const char *s, unsigned long long *frame)
{
	int n = 0;

	if (!strcmp(s, "-")) {
		*frame = 0;
		return true;
	}
	if (!strcmp(s, "?")) {
		*frame = FRAME_OUTSIDE;
		return true;
	}
	/* an offset of 0 or ~0 would read as another word */
	return sscanf(s, "0x%llx%n", frame, &n) == 1 && !s[n] && *frame &&
	       *frame != FRAME_OUTSIDE;
}

/* "pid calls frame0 ... frame3": the trace of pid, and the caller. */
static struct trace *parse_stack(const char *line, struct state *st,
				 struct stack_caller *c, bool *ok)
{
	char frames[CALLER_FRAMES][32];
	int pid, i;

	memset(c, 0, sizeof(*c));
	*ok = sscanf(line, "%d %lld %31s %31s %31s %31s", &pid, &c->calls,
		     frames[0], frames[1], frames[2], frames[3]) == 6;
	for (i = 0; *ok && i < CALLER_FRAMES; i++)
		*ok = parse_frame(frames[i], &c->frames[i]);
	return *ok ? trace_of_pid(st, pid) : NULL;
}

static bool parse_caller(const char *line, struct state *st)
{
	struct stack_caller c;
	bool ok;
	struct trace *t = parse_stack(line, st, &c, &ok);

	if (t && t->ncallers < TRACE_SITES)
		t->callers[t->ncallers++] = c;
	return ok;
}

static bool parse_creator(const char *line, struct state *st)
{
	struct stack_caller c;
	bool ok;
	struct trace *t = parse_stack(line, st, &c, &ok);

	if (t && t->ncreators < TRACE_SITES)
		t->creators[t->ncreators++] = c;
	return ok;
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
 * Name @at in a Go executable; false if it cannot be, keeping the address
 * of the call when the file has it, for "go tool addr2line" (cgo's C code,
 * a Go too new).
 */
static bool name_go_place(const char *exe, struct code_place *at)
{
	struct gosym_site gs;
	uint64_t addr;

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

/* Name @at by @t's executable, as its kind of program is named. */
static bool name_place(const struct trace *t, const char *exe,
		       struct code_place *at)
{
	if (!at->offset || at->outside)
		return false;
	if (t->kind == TRACE_LOCKS)
		return name_go_place(exe, at);
	return !elfsym_symbolize(exe, at->offset, at->func, sizeof(at->func));
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
 * C++'s standard library (std::thread, mangled: no demangler here), which
 * a program's calls pass through, in an executable linked with it.
 */
static bool in_cxx_library(const char *func)
{
	return !strncmp(func, "_ZNSt", 5) || !strncmp(func, "_ZNKSt", 6) ||
	       !strncmp(func, "_ZSt", 4);
}

/* A frame as a place: "?" is outside the executable's code. */
static struct code_place frame_place(unsigned long long frame)
{
	if (frame == FRAME_OUTSIDE)
		return (struct code_place){ .outside = true };
	return (struct code_place){ .offset = frame };
}

/*
 * The place a caller stands for: its innermost frame in the program's own
 * code (named, past the syscall package and the runtime, C++'s library,
 * and libraries, "?"), else its innermost frame; that frame unnamed when
 * the executable cannot be read (exe NULL).
 */
static void name_caller(const struct trace *t, const char *exe,
			struct stack_caller *c)
{
	bool (*library)(const char *) =
		t->kind == TRACE_LOCKS ? in_go_itself : in_cxx_library;
	int i;

	for (i = 0; exe && i < CALLER_FRAMES && c->frames[i]; i++) {
		c->at = frame_place(c->frames[i]);
		if (name_place(t, exe, &c->at) && !library(c->at.func))
			return;
	}
	c->at = frame_place(c->frames[0]);
	if (exe)
		name_place(t, exe, &c->at);
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
			name_place(t, exe, &t->sites[i].at);
		for (i = 0; i < t->ncallers; i++)
			name_caller(t, exe, &t->callers[i]);
		for (i = 0; i < t->ncreators; i++)
			name_caller(t, exe, &t->creators[i]);
	}
}

int locks_read(struct state *st)
{
	struct proc *p;
	size_t i;

	if (read_table("traced", st, add_trace) ||
	    read_table("lock_sites", st, parse_site) ||
	    read_table("affinity_sites", st, parse_caller) ||
	    read_table("create_sites", st, parse_creator))
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

	if (at->outside)
		snprintf(buf, size, "code outside the executable (a library)");
	else if (!at->offset)
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

	if (!at->offset || at->outside || at->func[0])
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

static const struct stack_caller *caller_most(const struct stack_caller *c,
					      int n)
{
	const struct stack_caller *best = NULL;
	int i;

	for (i = 0; i < n; i++)
		if (c[i].calls > 0 && (!best || c[i].calls > best->calls))
			best = &c[i];
	return best;
}

const struct stack_caller *affinity_caller_most(const struct trace *t)
{
	return t ? caller_most(t->callers, t->ncallers) : NULL;
}

const struct stack_caller *creator_most(const struct trace *t)
{
	return t ? caller_most(t->creators, t->ncreators) : NULL;
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
		warn("trace: the kernel refused a place in process %d (%s): "
		     "no function of the file mapped there starts at it (in "
		     "Go, nor code inlined into one)",
		     pid, value);
	else if (err == -E2BIG)
		warn("trace: more UnlockOSThread places than this module "
		     "probes");
	else
		warn("cannot write %s: %s", path, strerror(-err));
	return EXIT_ERROR;
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

/*
 * A process that does not run Go: its thread creations, by the address of
 * pthread_create in its memory (in libc, or in a static executable).
 */
static int trace_creates(int pid)
{
	char proc[PATH_MAX], value[64];
	uint64_t addr;
	int err;

	err = mapsym_find(source_path(proc, "proc"), pid, "pthread_create",
			  &addr, NULL, 0);
	if (err == ELFSYM_ENOFUNC) {
		warn("trace: process %d calls no pthread_create: none in its "
		     "executable or libraries",
		     pid);
		return EXIT_ERROR;
	}
	if (err) {
		warn("trace: cannot read %s/%d/maps (no process %d?)", proc,
		     pid, pid);
		return EXIT_ERROR;
	}
	snprintf(value, sizeof(value), "%d create 0x%llx", pid,
		 (unsigned long long)addr);
	return write_control("trace", value, pid);
}

int cmd_trace(const char *arg)
{
	char path[PATH_MAX], value[TRACE_REQUEST_MAX];
	int pid = control_pid_arg("trace", arg), err;
	uint64_t off;

	if (pid < 0)
		return EXIT_ERROR;
	err = gosym_func_offset(source_path(path, "proc/%d/exe", pid),
				"runtime.LockOSThread", &off);
	if (err == GOSYM_ENOTGO)
		return trace_creates(pid);
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
	int pid = control_pid_arg("untrace", arg);

	return pid < 0 ? EXIT_ERROR : write_control("untrace", arg, pid);
}
