/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What pinstat knows, as the CLI reads it: one struct per process record
 * and the global counters. Text, JSON and Prometheus output are all made
 * from this model; none of them parses another's output.
 */
#ifndef PINSTAT_MODEL_H
#define PINSTAT_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#define HIST_BUCKETS  12
#define MAX_VERDICTS  6
#define COMM_MAX      16      /* the kernel's TASK_COMM_LEN */
#define PID_MAX_LIMIT 4194304 /* the kernel's: pid_max at most */

enum window {
	W_1S,
	W_60S,
	NR_WINDOWS
};

/* A place in a traced executable, named by locks.c where it can be. */
struct code_place {
	unsigned long long offset; /* in the file; 0: no one place */
	/* of the call, for "go tool addr2line": kept only if not named */
	unsigned long long address;
	bool outside;	 /* a frame outside the executable's code ("?") */
	char func[512];	 /* empty if it could not be named */
	char outer[512]; /* the function func's code is inlined into, or "" */
	char file[1024];
	int line;
};

/* Lock tracing (locks.h): the module's counts of one LockOSThread call site. */
struct lock_site {
	struct code_place at; /* the return address */
	long long calls, locked_exits, last_locked;
	long long locked; /* of last_locked, holding a lock (unlocks seen) */
};

#define CALLER_FRAMES 4 /* of a caller's stack */
/* A frame outside the executable's code (a library's): "?" in debugfs. */
#define FRAME_OUTSIDE (~0ULL)

/*
 * A traced process's calls from one stack: granted sched_setaffinity()
 * calls, or pthread_create() calls.
 */
struct stack_caller {
	long long calls;
	/* file offsets of return addresses, innermost first; 0: none */
	unsigned long long frames[CALLER_FRAMES];
	struct code_place at; /* the first frame in the program's own code */
};

/* A trace's sites and callers read at most: the module's 16, and "other". */
#define TRACE_SITES 17

/* What the CLI found at the path of a trace's executable (locks.c). */
enum exe_file {
	EXE_NOT_CHANGED, /* the same file, or not looked at */
	EXE_GONE,	 /* no file any more */
	EXE_REPLACED,	 /* another file */
};

/* What a trace probes. */
enum trace_kind {
	TRACE_LOCKS,   /* a Go process's LockOSThread, UnlockOSThread */
	TRACE_CREATES, /* any other process's pthread_create */
};

/* A process whose calls the module traces (or traced). */
struct trace {
	int pid;
	char state[16]; /* tracing, exited, execed; starting */
	enum trace_kind kind;
	unsigned long long probe_offset; /* in the probed file */
	int unlock_probes; /* places of UnlockOSThread probed; 0: not seen */
	long long calls, unlocks, threads_seen, exits_unseen, exits_unlocked;
	long long threads_dropped;
	unsigned long long exe_dev, exe_ino; /* the probed executable */
	char exe[4096];			     /* its path, decoded */
	enum exe_file exe_file;
	char build_id[256]; /* gosym's, when it was read; else empty */
	int nsites;
	struct lock_site sites[TRACE_SITES];
	int ncallers; /* of sched_setaffinity() */
	struct stack_caller callers[TRACE_SITES];
	int ncreators; /* of pthread_create(), in a creates trace */
	struct stack_caller creators[TRACE_SITES];
};

struct verdict {
	int kind;	  /* verdict.c's; describe() gives its words */
	const char *code; /* e.g. "thread-churn" */
};

struct proc {
	int pid;
	int nspid;	     /* in its own PID namespace; 0 if not told */
	char comm[COMM_MAX]; /* raw bytes, decoded from the kernel's \ooo */
	bool exited;
	long long threads_live, threads_peak;
	long long threads_created, threads_exited, solo_exits, short_lived;
	long long affinity_changes, threads_pinned, pinned_cpu_max;
	long long growth_steps_1s, growth_steps_34s; /* of 16 windows each */
	long long kernel_cpus_allowed; /* the module's count; 0: not told */
	int go_runtime; /* the kernel saw Go's signal handlers: 1, 0; -1: not told */
	unsigned long long cgroup; /* its cgroup v2 id (cgroup.h); 0: not told */
	unsigned long long first_seen_ns, last_event_ns;
	double rate_created[NR_WINDOWS];
	double rate_solo_exits[NR_WINDOWS];
	double rate_affinity[NR_WINDOWS];
	long long lifetime_hist[HIST_BUCKETS];

	/* found out by the CLI (enrich.h), from /proc or else the kernel */
	unsigned int found; /* enum fact: which of these are known */
	int go;		    /* 1: a Go binary, 0: not, -1: unknown */
	int cpus_allowed;   /* online CPUs its threads may use, 0: unknown */

	struct trace *trace; /* its lock tracing, if traced; in the state */

	struct verdict verdicts[MAX_VERDICTS];
	int nverdicts;
	bool shadowed; /* another record of the PID speaks for it */
};

struct state {
	char version[64];
	bool enabled;
	long long tracked, capacity, dropped, evicted, alerts;
	long long events_created, events_exited, events_affinity, events_exec;
	bool complete;		  /* false: debugfs unreadable, watched only */
	long long short_lived_us; /* the module's threshold; -1: not told */
	/* when it was read: CLOCK_MONOTONIC as first_seen_ns, and UTC */
	unsigned long long now_ns;
	long long utc_s;
	struct proc *procs;
	size_t nprocs;
	size_t allocated;
	struct trace *traces; /* locks.h: of processes traced, in any order */
	size_t ntraces;
};

extern const char *const hist_labels[HIST_BUCKETS];

#endif /* PINSTAT_MODEL_H */
