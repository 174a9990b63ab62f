// SPDX-License-Identifier: GPL-2.0
/*
 * pinstat selftests. Each test loads the module afresh, runs a workload
 * whose thread events are known exactly, and checks the counters against
 * them. Runs as root in a guest (or host) where the module may be loaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "pinstat_lib.h"

#define NOBODY		65534
#define MS		1000000ULL

FIXTURE(pinstat) {
};

FIXTURE_SETUP(pinstat)
{
	ASSERT_EQ(0, module_reload(NULL));
}

FIXTURE_TEARDOWN(pinstat)
{
}

/* Every file of the sysfs and debugfs ABI. */
static const char *const sysfs_files[] = {
	"version", "enabled", "tracked", "capacity", "dropped", "evicted",
	"short_lived_us", "linger_s", "reset", "watch", "unwatch", "procs",
	"events/created", "events/exited", "events/affinity", "events/exec",
	"alerts", "alert/solo_exits_per_s", "alert/threads",
	"alert/affinity_per_s",
};

TEST(load_unload)
{
	static const char *const bad_params[] = {
		"capacity=0", "capacity=1048577", "capacity=abc",
		"capacity=-1", "short_lived_us=0",
		"short_lived_us=3600000001", "linger_s=86401", "linger_s=x",
	};
	struct ps_row row;
	struct crew crew;
	char path[128];
	unsigned int i;

	if (module_loaded())
		ASSERT_EQ(0, module_unload());
	ASSERT_FALSE(path_exists(PINSTAT_SYSFS));

	crew_start(&crew, 1);	/* two threads: the load adds our record */
	ASSERT_EQ(0, module_load(NULL));
	for (i = 0; i < ARRAY_SIZE(sysfs_files); i++) {
		snprintf(path, sizeof(path), PINSTAT_SYSFS "/%s",
			 sysfs_files[i]);
		EXPECT_TRUE(path_exists(path)) TH_LOG("missing %s", path);
	}
	EXPECT_TRUE(path_exists(PINSTAT_DEBUGFS "/processes"));
	EXPECT_TRUE(path_exists(PINSTAT_DEBUGFS "/probes"));
	EXPECT_EQ(16384, sysfs_num("capacity"));
	EXPECT_EQ(100000, sysfs_num("short_lived_us"));
	EXPECT_EQ(60, sysfs_num("linger_s"));
	EXPECT_EQ(1, sysfs_num("enabled"));
	EXPECT_LT(0, sysfs_num("tracked"));
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(2, row_num(&row, "threads_live"));
	EXPECT_EQ(0, row_num(&row, "threads_created"));
	crew_release(&crew, 0, 1);

	ASSERT_EQ(0, module_unload());
	EXPECT_FALSE(path_exists(PINSTAT_SYSFS));
	EXPECT_FALSE(path_exists(PINSTAT_DEBUGFS));

	for (i = 0; i < ARRAY_SIZE(bad_params); i++) {
		EXPECT_EQ(-EINVAL, module_load(bad_params[i]))
			TH_LOG("loaded with %s", bad_params[i]);
		EXPECT_FALSE(module_loaded());
		EXPECT_FALSE(path_exists(PINSTAT_SYSFS));
	}

	ASSERT_EQ(0, module_load("capacity=64 short_lived_us=2000 linger_s=5"));
	EXPECT_EQ(64, sysfs_num("capacity"));
	EXPECT_EQ(2000, sysfs_num("short_lived_us"));
	EXPECT_EQ(5, sysfs_num("linger_s"));
}

static bool have_tracepoint(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/tracing/events/%s", name);
	if (path_exists(path))
		return true;
	snprintf(path, sizeof(path), "/sys/kernel/debug/tracing/events/%s",
		 name);
	return path_exists(path);
}

/* Does $PINSTAT_PARAMS put creation and exit on kprobes? */
static bool kprobe_hooks(void)
{
	return strstr(getenv("PINSTAT_PARAMS") ?: "", "hooks=kprobes");
}

/* Does the kernel have a function of this name (as kprobes find them)? */
static bool have_function(const char *name)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char line[256], sym[128];
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%*s %*s %127s", sym) == 1 &&
			!strcmp(sym, name);
	if (f)
		fclose(f);
	return found;
}

/* How the probes line for @event should start. */
static void expected_hook(char *line, size_t size, const char *event,
			  const char *tracepoint, const char *kprobe)
{
	if (!kprobe_hooks() && have_tracepoint(tracepoint))
		snprintf(line, size, "%s tracepoint:%s ", event,
			 strchr(tracepoint, '/') + 1);
	else
		snprintf(line, size, "%s kprobe:%s ", event, kprobe);
}

/*
 * Creation and exit are caught on the kernel's tracepoints when it has
 * them, on kprobes with hooks=kprobes; exec on its tracepoint; affinity
 * changes on a return probe, which sees the kernel's answer.
 */
TEST_F(pinstat, hooks_in_use)
{
	const char *probes = PINSTAT_DEBUGFS "/probes";
	char line[128];

	expected_hook(line, sizeof(line), "created", "task/task_newtask",
		      "wake_up_new_task");
	EXPECT_TRUE(file_has_prefix(probes, line)) TH_LOG("%s", line);
	/* the first of pinstat's exit functions this kernel has */
	expected_hook(line, sizeof(line), "exited", "sched/sched_process_exit",
		      have_function("taskstats_exit") ? "taskstats_exit" :
							"acct_collect");
	EXPECT_TRUE(file_has_prefix(probes, line)) TH_LOG("%s", line);
	EXPECT_TRUE(file_has_prefix(probes,
				    "exec tracepoint:sched_process_exec "));
	EXPECT_TRUE(file_has_prefix(probes,
				    "affinity kretprobe:sched_setaffinity "));
}

/*
 * Hooks are chosen from a fixed list whose prototypes the build checked:
 * the free-form names of old (created_hook=do_exit would read an exit
 * code as a task) are no parameters any more, and are ignored.
 */
TEST(hooks_are_not_free_form)
{
	char line[128];

	if (module_loaded())
		ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, module_load("created_hook=do_exit exited_hook=do_exit"));
	expected_hook(line, sizeof(line), "created", "task/task_newtask",
		      "wake_up_new_task");
	EXPECT_TRUE(file_has_prefix(PINSTAT_DEBUGFS "/probes", line));
	EXPECT_EQ(0, system("true"));	/* a process starts and ends */
	ASSERT_EQ(0, module_unload());
}

/* 32 threads, 20 of which exit while the process lives on. */
TEST_F(pinstat, thread_counts)
{
	struct ps_row row;
	struct crew crew;

	crew_start(&crew, 32);
	crew_release(&crew, 0, 20);
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(32, row_num(&row, "threads_created"));
	EXPECT_EQ(20, row_num(&row, "threads_exited"));
	EXPECT_EQ(20, row_num(&row, "solo_exits"));
	EXPECT_EQ(13, row_num(&row, "threads_live"));
	EXPECT_EQ(33, row_num(&row, "threads_peak"));
	crew_release(&crew, 20, 32);
}

/* One thread, then two when the parent says so. */
static void second_thread_later(void *arg)
{
	struct crew crew;

	child_tell_parent();
	child_wait_parent();
	crew_start(&crew, 1);
	child_tell_parent();
	child_wait_parent();
	exit(0);
}

static void one_thread(void *arg)
{
	child_tell_parent();
	child_wait_parent();
}

/*
 * A process gets its record with its second thread: with one thread it
 * has nothing to report, and its birth and end add no record.
 */
TEST_F(pinstat, records_start_with_a_second_thread)
{
	long long tracked = sysfs_num("tracked");
	long long created = sysfs_num("events/created");
	long long exited = sysfs_num("events/exited");
	struct child child;
	struct ps_row row;

	child_start(&child, second_thread_later, NULL);
	child_expect(&child);
	EXPECT_EQ(0, ps_rows(child.pid, NULL, NULL, 0));
	EXPECT_EQ(tracked, sysfs_num("tracked"));
	child_send(&child);
	child_expect(&child);
	ASSERT_EQ(0, ps_row(child.pid, "live", &row));
	EXPECT_STREQ("pinstat_test", row_str(&row, "comm"));
	EXPECT_EQ(1, row_num(&row, "threads_created"));
	EXPECT_EQ(2, row_num(&row, "threads_live"));
	EXPECT_EQ(2, row_num(&row, "threads_peak"));
	child_send(&child);
	EXPECT_EQ(0, child_reap(&child));
	ASSERT_EQ(0, ps_row(child.pid, "exited", &row));
	EXPECT_EQ(2, row_num(&row, "threads_exited"));
	EXPECT_EQ(tracked + 1, sysfs_num("tracked"));

	child_start(&child, one_thread, NULL);
	child_expect(&child);
	EXPECT_EQ(0, ps_rows(child.pid, NULL, NULL, 0));
	child_send(&child);
	EXPECT_EQ(0, child_reap(&child));
	EXPECT_EQ(0, ps_rows(child.pid, NULL, NULL, 0));
	EXPECT_EQ(tracked + 1, sysfs_num("tracked"));
	EXPECT_EQ(created + 3, sysfs_num("events/created"));
	EXPECT_EQ(exited + 3, sysfs_num("events/exited"));
	EXPECT_EQ(0, sysfs_num("dropped"));
}

static void ten_threads_then_exit(void *arg)
{
	struct crew crew;

	crew_start(&crew, 10);
	child_tell_parent();
	child_wait_parent();
	exit(0);	/* exit_group() with ten threads blocked */
}

TEST_F(pinstat, exit_group_is_teardown)
{
	struct child child;
	struct ps_row row;

	child_start(&child, ten_threads_then_exit, NULL);
	child_expect(&child);
	child_send(&child);
	ASSERT_EQ(0, child_reap(&child));

	ASSERT_EQ(0, ps_row(child.pid, "exited", &row));
	EXPECT_EQ(10, row_num(&row, "threads_created"));
	EXPECT_EQ(11, row_num(&row, "threads_exited"));
	EXPECT_EQ(0, row_num(&row, "solo_exits"));
	EXPECT_EQ(0, row_num(&row, "short_lived"));
	EXPECT_EQ(0, row_num(&row, "threads_live"));
	EXPECT_EQ(11, row_num(&row, "threads_peak"));
}

/* The documented bucket edges, in nanoseconds. */
static int lifetime_bucket(unsigned long long ns)
{
	static const unsigned long long edges[HIST_BUCKETS - 1] = {
		1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
		100000000ULL, 1000000000ULL, 10000000000ULL, 60000000000ULL,
		600000000000ULL, 3600000000000ULL,
	};
	int i;

	for (i = 0; i < HIST_BUCKETS - 1 && ns >= edges[i]; i++)
		;
	return i;
}

struct timed_thread {
	unsigned int sleep_ms;
	unsigned long long ran_ns;	/* a lower bound of its lifetime */
	pid_t tid;
};

static void *timed_main(void *arg)
{
	struct timed_thread *t = arg;
	unsigned long long start = now_ns();

	t->tid = gettid();
	sleep_ms(t->sleep_ms);
	t->ran_ns = now_ns() - start;
	return NULL;
}

/*
 * Threads of ~55 ms, ~150 ms, ~550 ms and ~1.5 s: twice 55 and 550 ms, and
 * half of 150 ms and 1.5 s, lie in another bucket (and on the other side
 * of short_lived_us for 55 and 150 ms), so a lifetime off by a factor of
 * two cannot pass; each is far enough from its edges for a busy emulated
 * machine. The kernel's lifetime of each lies between
 * what the thread measured itself and what its creator measured from
 * pthread_create() until the thread was gone: when both bounds fall in the same
 * bucket (and on the same side of short_lived_us), the expected histogram
 * is exact. If scheduling noise makes a bound straddle an edge, try again.
 */
TEST_F(pinstat, lifetime_histogram)
{
	static const unsigned int sleeps[] = { 55, 55, 150, 150, 550, 1500 };
	const unsigned long long short_ns = 100 * MS;
	long long want[HIST_BUCKETS], got[HIST_BUCKETS];
	long long want_short;
	struct ps_row row;
	int attempt;

	for (attempt = 1; attempt <= 3; attempt++) {
		bool determinate = true;
		unsigned int i;

		memset(want, 0, sizeof(want));
		want_short = 0;
		ASSERT_EQ(0, sysfs_write("reset", "1"));
		for (i = 0; i < ARRAY_SIZE(sleeps); i++) {
			struct timed_thread t = { .sleep_ms = sleeps[i] };
			unsigned long long start = now_ns(), most;
			pthread_t thread;

			ASSERT_EQ(0, pthread_create(&thread, NULL, timed_main,
						    &t));
			ASSERT_EQ(0, pthread_join(thread, NULL));
			wait_gone(t.tid);
			most = now_ns() - start;
			if (lifetime_bucket(t.ran_ns) != lifetime_bucket(most) ||
			    (t.ran_ns < short_ns) != (most < short_ns))
				determinate = false;
			want[lifetime_bucket(most)]++;
			want_short += most < short_ns;
		}
		if (!determinate) {
			TH_LOG("attempt %d: a lifetime straddled an edge",
			       attempt);
			continue;
		}
		ASSERT_EQ(0, ps_row(getpid(), "live", &row));
		row_hist(&row, got);
		for (i = 0; i < HIST_BUCKETS; i++) {
			EXPECT_EQ(want[i], got[i]) TH_LOG("bucket %u", i);
		}
		EXPECT_EQ(2, want[5]);	/* [10 ms, 100 ms): 55 ms */
		EXPECT_EQ(3, want[6]);	/* [100 ms, 1 s): 150 and 550 ms */
		EXPECT_EQ(1, want[7]);	/* [1 s, 10 s): 1.5 s */
		EXPECT_EQ(2, want_short);
		EXPECT_EQ(want_short, row_num(&row, "short_lived"));
		EXPECT_EQ(6, row_num(&row, "solo_exits"));
		return;
	}
	SKIP(return, "lifetimes too noisy here to know their buckets");
}

static void three_threads(void *arg)
{
	struct crew crew;

	crew_start(&crew, 3);
	child_tell_parent();
	child_wait_parent();
	crew_release(&crew, 0, 3);
}

TEST_F(pinstat, four_children)
{
	struct child children[4];
	struct ps_row row;
	int i;

	for (i = 0; i < 4; i++)
		child_start(&children[i], three_threads, NULL);
	for (i = 0; i < 4; i++)
		child_expect(&children[i]);
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(0, ps_row(children[i].pid, NULL, &row));
		EXPECT_STREQ("live", row_str(&row, "state"));
		EXPECT_EQ(3, row_num(&row, "threads_created"));
		EXPECT_EQ(0, row_num(&row, "threads_exited"));
		EXPECT_EQ(4, row_num(&row, "threads_live"));
		EXPECT_EQ(4, row_num(&row, "threads_peak"));
	}
	for (i = 0; i < 4; i++) {
		child_send(&children[i]);
		EXPECT_EQ(0, child_reap(&children[i]));
	}
}

/* One thread: its affinity change gives it a record. */
static void exec_from_leader(void *arg)
{
	if (set_affinity(0, 0, -1))
		exit(10);
	child_tell_parent();
	child_wait_parent();
	child_exec_helper("pinstat-execd");
}

static void *exec_thread_main(void *arg)
{
	child_exec_helper("pinstat-exect");
	return NULL;
}

/* Main thread, two waiting threads and one that execs: 4 threads. */
static void exec_from_thread(void *arg)
{
	struct crew crew;
	pthread_t thread;

	crew_start(&crew, 2);
	child_tell_parent();
	child_wait_parent();
	pthread_create(&thread, NULL, exec_thread_main, NULL);
	pause();
}

TEST_F(pinstat, exec_renames)
{
	long long execs = sysfs_num("events/exec");
	struct child child;
	struct ps_row row;

	child_start(&child, exec_from_leader, NULL);
	child_expect(&child);
	ASSERT_EQ(0, ps_row(child.pid, "live", &row));
	EXPECT_STREQ("pinstat_test", row_str(&row, "comm"));
	child_send(&child);
	child_expect(&child);	/* from the new program */
	ASSERT_EQ(1, ps_rows(child.pid, NULL, &row, 1));
	EXPECT_STREQ("pinstat-execd", row_str(&row, "comm"));
	EXPECT_STREQ("live", row_str(&row, "state"));
	EXPECT_EQ(1, row_num(&row, "threads_live"));
	EXPECT_EQ(0, row_num(&row, "threads_exited"));
	EXPECT_EQ(execs + 1, sysfs_num("events/exec"));
	child_send(&child);
	EXPECT_EQ(0, child_reap(&child));

	/* exec from a non-leader: the other three threads are torn down */
	child_start(&child, exec_from_thread, NULL);
	child_expect(&child);
	child_send(&child);
	child_expect(&child);	/* from the new program */
	ASSERT_EQ(1, ps_rows(child.pid, NULL, &row, 1));
	EXPECT_STREQ("pinstat-exect", row_str(&row, "comm"));
	EXPECT_STREQ("live", row_str(&row, "state"));
	EXPECT_EQ(3, row_num(&row, "threads_created"));
	EXPECT_EQ(3, row_num(&row, "threads_exited"));
	EXPECT_EQ(0, row_num(&row, "solo_exits"));
	EXPECT_EQ(1, row_num(&row, "threads_live"));
	EXPECT_EQ(4, row_num(&row, "threads_peak"));
	EXPECT_EQ(execs + 2, sysfs_num("events/exec"));
	child_send(&child);
	EXPECT_EQ(0, child_reap(&child));
}

#define EXPECT_PINNING(_changes, _pinned, _max, _cpus) do {		\
	struct ps_row _row;						\
	ASSERT_EQ(0, ps_row(getpid(), "live", &_row));			\
	EXPECT_EQ(_changes, row_num(&_row, "affinity_changes"));	\
	EXPECT_EQ(_pinned, row_num(&_row, "threads_pinned"));		\
	EXPECT_EQ(_max, row_num(&_row, "pinned_cpu_max"));		\
	EXPECT_EQ(_cpus, row_num(&_row, "cpus_allowed"));		\
} while (0)

/*
 * Six granted changes and three refused ones (an empty mask, CPUs that do
 * not exist): affinity_changes is exactly six, and pinning and the CPUs
 * allowed (those of any live thread's mask) follow the masks the kernel
 * holds.
 */
TEST_F(pinstat, affinity_and_pinning)
{
	struct crew crew;
	pid_t thread;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	/* one thread, no change yet: nothing to count, no record */
	EXPECT_EQ(0, ps_rows(getpid(), NULL, NULL, 0));
	ASSERT_EQ(0, set_affinity(0, 0, -1));		/* main on CPU 0 */
	EXPECT_PINNING(1, 1, 1, 1);
	crew_start(&crew, 1);				/* inherits CPU 0 */
	thread = crew.tids[0];
	EXPECT_PINNING(1, 2, 2, 1);
	ASSERT_EQ(0, set_affinity(thread, 1, -1));	/* thread to CPU 1 */
	EXPECT_PINNING(2, 2, 1, 2);
	ASSERT_EQ(0, set_affinity(0, 0, 1));		/* main unpinned */
	EXPECT_PINNING(3, 1, 1, 2);
	/* refused: not counted, and the masks stay as they were */
	EXPECT_EQ(-EINVAL, set_affinity(0, -1, -1));	/* empty mask */
	EXPECT_EQ(-EINVAL, set_affinity(0, 1000, -1));	/* no such CPU */
	EXPECT_EQ(-EINVAL, set_affinity(thread, 1001, -1));
	EXPECT_PINNING(3, 1, 1, 2);
	ASSERT_EQ(0, set_affinity(0, 1, -1));		/* both on CPU 1 */
	EXPECT_PINNING(4, 2, 2, 1);
	ASSERT_EQ(0, set_affinity(0, 1, -1));		/* the same again */
	EXPECT_PINNING(5, 2, 2, 1);
	ASSERT_EQ(0, set_affinity(0, 0, 1));
	EXPECT_PINNING(6, 1, 1, 2);
	crew_release(&crew, 0, 1);			/* pinned thread exits */
	EXPECT_PINNING(6, 0, 0, 2);
	EXPECT_EQ(6, sysfs_num("events/affinity"));
}

/* As nobody: ask for root's process (refused), then for our own. */
static void nobody_requests(void *arg)
{
	pid_t root_pid = *(pid_t *)arg;

	if (setgid(NOBODY) || setuid(NOBODY))
		exit(10);
	if (set_affinity(root_pid, 0, -1) != -EPERM)
		exit(11);
	if (set_affinity(0, 0, -1))
		exit(12);
	child_tell_parent();
	child_wait_parent();
	exit(0);
}

/*
 * A change the kernel refuses is not counted, whatever the reason: nobody
 * may not change root's threads (EPERM), nor anyone a thread that does not
 * exist (ESRCH). Root may change nobody's.
 */
TEST_F(pinstat, refused_affinity_changes_do_not_count)
{
	pid_t me = getpid();
	struct child child;
	struct ps_row row;

	child_start(&child, nobody_requests, &me);
	child_expect(&child);
	EXPECT_EQ(0, ps_rows(me, NULL, NULL, 0));	/* still no record */
	ASSERT_EQ(0, ps_row(child.pid, "live", &row));
	EXPECT_EQ(1, row_num(&row, "affinity_changes"));
	ASSERT_EQ(0, set_affinity(child.pid, 0, -1));
	ASSERT_EQ(0, ps_row(child.pid, "live", &row));
	EXPECT_EQ(2, row_num(&row, "affinity_changes"));
	child_send(&child);
	EXPECT_EQ(0, child_reap(&child));
	EXPECT_EQ(-ESRCH, set_affinity(child.pid, 0, -1));
	EXPECT_EQ(2, sysfs_num("events/affinity"));
	EXPECT_EQ(0, sysfs_num("dropped"));
}

/* Sleeps until a window of 2^shift ns of CLOCK_MONOTONIC has just begun. */
static void wait_window_start(unsigned int shift)
{
	unsigned long long now = now_ns();
	unsigned long long next = ((now >> shift) + 1) << shift;

	sleep_ms((next - now) / 1000000 + 1);
}

/*
 * 32 events of each kind in one window of 2^30 ns (so in one of 2^36 ns
 * too), by a process with none before: each rate is 32 events over the
 * window's length, to the hundredth, and the affinity alert fires at the
 * 32nd change. The run starts as a window begins, so only a kernel slower
 * than a window for the whole run (a debug kernel under TCG) crosses a
 * boundary; such a run is run again.
 */
TEST_F(pinstat, rates_are_events_over_the_window)
{
	static const char *const kinds[] = { "created", "solo_exits",
					     "affinity" };
	unsigned long long start, end;
	char column[32];
	struct ps_row row;
	struct crew crew;
	int i, try;

	for (try = 0; try < 3; try++) {
		ASSERT_EQ(0, module_reload(NULL));
		ASSERT_EQ(0, sysfs_write("alert/affinity_per_s", "32"));
		wait_window_start(30);
		start = now_ns();
		crew_start(&crew, 32);
		crew_release(&crew, 0, 32);
		for (i = 0; i < 31; i++)
			ASSERT_EQ(0, set_affinity(0, 0, -1));
		ASSERT_EQ(0, sysfs_num("alerts"));
		ASSERT_EQ(0, set_affinity(0, 0, -1));
		ASSERT_EQ(0, ps_row(getpid(), "live", &row));
		end = now_ns();
		if (start >> 30 == end >> 30)
			break;
	}
	if (try == 3)
		SKIP(return, "every run took longer than a window (the last %llu ms)",
		     (end - start) / 1000000);
	EXPECT_EQ(1, sysfs_num("alerts"));
	for (i = 0; i < 3; i++) {
		/* 32 / 2^30 ns = 29.80/s; 32 / 2^36 ns = 0.46/s */
		snprintf(column, sizeof(column), "rate_%s_1s", kinds[i]);
		EXPECT_STREQ("29.80", row_str(&row, column));
		snprintf(column, sizeof(column), "rate_%s_60s", kinds[i]);
		EXPECT_STREQ("0.46", row_str(&row, column));
	}
}

static void five_threads_exit_three(void *arg)
{
	struct crew crew;

	crew_start(&crew, 5);
	child_tell_parent();
	child_wait_parent();
	crew_release(&crew, 0, 3);
	child_tell_parent();
	child_wait_parent();
	exit(0);
}

TEST_F(pinstat, process_older_than_module)
{
	struct child child;
	struct ps_row row;

	ASSERT_EQ(0, module_unload());
	child_start(&child, five_threads_exit_three, NULL);
	child_expect(&child);
	ASSERT_EQ(0, module_load(NULL));

	ASSERT_EQ(0, ps_row(child.pid, "live", &row));
	EXPECT_EQ(6, row_num(&row, "threads_live"));
	EXPECT_EQ(6, row_num(&row, "threads_peak"));
	EXPECT_EQ(0, row_num(&row, "threads_created"));

	child_send(&child);
	child_expect(&child);
	ASSERT_EQ(0, ps_row(child.pid, "live", &row));
	EXPECT_EQ(3, row_num(&row, "threads_live"));
	EXPECT_EQ(3, row_num(&row, "threads_exited"));
	EXPECT_EQ(3, row_num(&row, "solo_exits"));

	child_send(&child);
	ASSERT_EQ(0, child_reap(&child));
	ASSERT_EQ(0, ps_row(child.pid, "exited", &row));
	EXPECT_EQ(0, row_num(&row, "threads_live"));
	EXPECT_EQ(6, row_num(&row, "threads_exited"));
	EXPECT_EQ(3, row_num(&row, "solo_exits"));
}

static void threads_then_wait(void *arg)
{
	struct crew crew;

	crew_start(&crew, *(int *)arg);
	child_tell_parent();
	child_wait_parent();
	exit(0);
}

TEST_F(pinstat, pid_reuse_keeps_records_apart)
{
	struct ps_row rows[2], row;
	struct child first, second;
	int two = 2, one = 1;

	child_start(&first, threads_then_wait, &two);
	child_expect(&first);
	child_send(&first);
	ASSERT_EQ(0, child_reap(&first));

	if (set_last_pid(first.pid - 1))
		SKIP(return, "cannot choose the next PID");
	child_start(&second, threads_then_wait, &one);
	child_expect(&second);
	if (second.pid != first.pid) {
		child_send(&second);
		child_reap(&second);
		SKIP(return, "PID %d was not reused", first.pid);
	}
	ASSERT_EQ(2, ps_rows(first.pid, NULL, rows, 2));
	ASSERT_EQ(0, ps_row(first.pid, "exited", &row));
	EXPECT_EQ(2, row_num(&row, "threads_created"));
	ASSERT_EQ(0, ps_row(first.pid, "live", &row));
	EXPECT_EQ(1, row_num(&row, "threads_created"));
	EXPECT_EQ(2, row_num(&row, "threads_live"));

	child_send(&second);
	ASSERT_EQ(0, child_reap(&second));
	EXPECT_EQ(2, ps_rows(first.pid, "exited", rows, 2));
}

TEST_F(pinstat, exited_records_linger_then_go)
{
	struct child child;
	struct ps_row row;
	long long tracked;
	int one = 1;

	ASSERT_EQ(0, sysfs_write("linger_s", "2"));
	child_start(&child, threads_then_wait, &one);
	child_expect(&child);
	child_send(&child);
	ASSERT_EQ(0, child_reap(&child));
	tracked = sysfs_num("tracked");
	ASSERT_EQ(0, ps_row(child.pid, "exited", &row));
	EXPECT_EQ(2, row_num(&row, "threads_exited"));
	sleep_ms(1000);
	EXPECT_EQ(1, ps_rows(child.pid, "exited", NULL, 0));
	sleep_ms(3000);
	EXPECT_EQ(0, ps_rows(child.pid, NULL, NULL, 0));
	EXPECT_EQ(tracked - 1, sysfs_num("tracked"));
}

struct bad_write {
	const char *file;
	const char *value;
};

static const struct bad_write bad_writes[] = {
	{ "enabled", "2" }, { "enabled", "-1" }, { "enabled", "\n" },
	{ "enabled", " 1" }, { "enabled", "+1" }, { "enabled", "1x" },
	{ "enabled", "abc" }, { "enabled", "0x1" }, { "enabled", "1 1" },
	{ "enabled", "18446744073709551617" },
	{ "short_lived_us", "0" }, { "short_lived_us", "3600000001" },
	{ "short_lived_us", "-5" }, { "short_lived_us", "abc" },
	{ "short_lived_us", "\n" }, { "short_lived_us", " 5" },
	{ "short_lived_us", "+5" }, { "short_lived_us", "5.5" },
	{ "short_lived_us", "99999999999999999999" },
	{ "linger_s", "86401" }, { "linger_s", "-1" }, { "linger_s", "x" },
	{ "linger_s", "\n" }, { "linger_s", "1e3" }, { "linger_s", "+1" },
	{ "reset", "0" }, { "reset", "2" }, { "reset", "\n" },
	{ "reset", "yes" }, { "reset", "-1" },
	{ "watch", "0" }, { "watch", "-1" }, { "watch", "abc" },
	{ "watch", "\n" }, { "watch", "4194305" }, { "watch", "4194303" },
	{ "unwatch", "abc" }, { "unwatch", "0" }, { "unwatch", "1" },
	{ "alert/threads", "-1" }, { "alert/threads", "abc" },
	{ "alert/threads", "100000001" }, { "alert/threads", "\n" },
	{ "alert/solo_exits_per_s", "1.5" }, { "alert/affinity_per_s", "+3" },
};

static const char *const writable_files[] = {
	"enabled", "short_lived_us", "linger_s", "reset", "watch", "unwatch",
	"alert/solo_exits_per_s", "alert/threads", "alert/affinity_per_s",
};

static void unprivileged_checks(void *arg)
{
	char path[128];
	unsigned int i;
	int fd;

	if (setgid(NOBODY) || setuid(NOBODY))
		exit(10);
	for (i = 0; i < ARRAY_SIZE(writable_files); i++) {
		snprintf(path, sizeof(path), PINSTAT_SYSFS "/%s",
			 writable_files[i]);
		fd = open(path, O_WRONLY);
		if (fd >= 0 || errno != EACCES)
			exit(20 + i);
	}
	if (open(PINSTAT_DEBUGFS "/processes", O_RDONLY) >= 0 ||
	    open(PINSTAT_DEBUGFS "/probes", O_RDONLY) >= 0)
		exit(30);
	exit(0);
}

TEST_F(pinstat, controls)
{
	long long hist[HIST_BUCKETS];
	char before[64], after[64];
	struct child child;
	struct ps_row row;
	struct crew crew;
	unsigned int i;

	/*
	 * Nothing is counted while disabled; on resuming, live counts
	 * resynchronise and a process that now has threads gets a record.
	 */
	ASSERT_EQ(0, ps_rows(getpid(), NULL, NULL, 0));	/* one thread */
	ASSERT_EQ(0, sysfs_write("enabled", "0"));
	EXPECT_EQ(0, sysfs_num("enabled"));
	crew_start(&crew, 3);
	ASSERT_EQ(0, sysfs_write("enabled", "1"));
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(0, row_num(&row, "threads_created"));
	EXPECT_EQ(4, row_num(&row, "threads_live"));
	crew_release(&crew, 0, 3);

	/* reset zeroes counters, keeps live state */
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	ASSERT_EQ(3, row_num(&row, "solo_exits"));
	ASSERT_EQ(0, sysfs_write("reset", "1"));
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(0, row_num(&row, "threads_created"));
	EXPECT_EQ(0, row_num(&row, "threads_exited"));
	EXPECT_EQ(0, row_num(&row, "solo_exits"));
	EXPECT_EQ(1, row_num(&row, "threads_live"));
	EXPECT_EQ(1, row_num(&row, "threads_peak"));
	row_hist(&row, hist);
	for (i = 0; i < HIST_BUCKETS; i++)
		EXPECT_EQ(0, hist[i]);
	EXPECT_EQ(0, sysfs_num("events/created"));
	EXPECT_EQ(0, sysfs_num("events/exited"));

	/* bad input: -EINVAL, and nothing changes */
	crew_start(&crew, 1);
	crew_release(&crew, 0, 1);
	for (i = 0; i < ARRAY_SIZE(bad_writes); i++) {
		const struct bad_write *b = &bad_writes[i];
		bool readable = strcmp(b->file, "reset") &&
				strcmp(b->file, "watch") &&
				strcmp(b->file, "unwatch");

		if (readable)
			ASSERT_EQ(0, sysfs_str(b->file, before, sizeof(before)));
		EXPECT_EQ(-EINVAL, sysfs_write(b->file, b->value))
			TH_LOG("%s accepted \"%s\"", b->file, b->value);
		if (readable) {
			ASSERT_EQ(0, sysfs_str(b->file, after, sizeof(after)));
			EXPECT_STREQ(before, after);
		}
	}
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(1, row_num(&row, "threads_created"));	/* no reset */
	EXPECT_EQ(1, sysfs_num("enabled"));
	EXPECT_FALSE(path_exists(PINSTAT_SYSFS "/procs/4194303"));

	/* only root may write controls or read debugfs */
	child_start(&child, unprivileged_checks, NULL);
	EXPECT_EQ(0, child_reap(&child));
}

/* The procs/<pid>/ file for @field of @pid, or "" if unreadable. */
static void procs_file(pid_t pid, const char *field, char *buf, size_t size)
{
	char name[128];

	snprintf(name, sizeof(name), "procs/%d/%s", pid, field);
	if (sysfs_str(name, buf, size))
		buf[0] = '\0';
}

static bool is_rate(const char *column)
{
	return !strncmp(column, "rate_", 5);
}

/* procs/ files are root's: not even a process's owner may read them. */
static void unprivileged_reader(void *arg)
{
	pid_t root_pid = *(pid_t *)arg;
	char name[128], buf[64];

	if (setgid(NOBODY) || setuid(NOBODY))
		exit(10);
	child_tell_parent();
	child_wait_parent();	/* the parent watches us now */
	snprintf(name, sizeof(name), "procs/%d/threads_live", getpid());
	if (sysfs_str(name, buf, sizeof(buf)) != -EACCES)
		exit(11);
	snprintf(name, sizeof(name), "procs/%d/threads_live", root_pid);
	if (sysfs_str(name, buf, sizeof(buf)) != -EACCES)
		exit(12);
	exit(0);
}

TEST_F(pinstat, watch_matches_debugfs)
{
	static const char *const columns[] = {
		"pid", "comm", "state", "threads_live", "threads_peak",
		"threads_created", "threads_exited", "solo_exits",
		"short_lived", "affinity_changes", "threads_pinned",
		"pinned_cpu_max", "first_seen_ns", "last_event_ns",
		"rate_created_1s", "rate_created_60s", "rate_solo_exits_1s",
		"rate_solo_exits_60s", "rate_affinity_1s", "rate_affinity_60s",
		"cgroup",
	};
	char value[64], hist[256], pid[16], path[64], *p, *end;
	long long want[HIST_BUCKETS];
	struct ps_row before, after;
	pid_t me = getpid();
	struct child child;
	struct crew crew;
	unsigned int i;

	crew_start(&crew, 4);
	crew_release(&crew, 0, 4);
	snprintf(pid, sizeof(pid), "%d", me);
	ASSERT_EQ(0, sysfs_write("watch", pid));
	ASSERT_EQ(0, sysfs_write("watch", pid));	/* again: no-op */

	/* rates only decay while nothing happens: bracket them */
	ASSERT_EQ(0, ps_row(me, "live", &before));
	for (i = 0; i < ARRAY_SIZE(columns); i++) {
		procs_file(me, columns[i], value, sizeof(value));
		ASSERT_EQ(0, ps_row(me, "live", &after));
		if (is_rate(columns[i])) {
			EXPECT_GE(atof(row_str(&before, columns[i])),
				  atof(value)) TH_LOG("%s", columns[i]);
			EXPECT_LE(atof(row_str(&after, columns[i])),
				  atof(value)) TH_LOG("%s", columns[i]);
		} else {
			EXPECT_STREQ(row_str(&after, columns[i]), value)
				TH_LOG("%s", columns[i]);
		}
	}
	EXPECT_LT(0, atof(row_str(&after, "rate_created_60s")));
	procs_file(me, "lifetime_hist", hist, sizeof(hist));
	row_hist(&after, want);
	for (i = 0, p = hist; i < HIST_BUCKETS; i++, p = end) {
		EXPECT_EQ(want[i], strtoll(p, &end, 10));
		EXPECT_NE(p, end);
	}
	EXPECT_EQ('\0', *end);

	ASSERT_EQ(0, sysfs_write("unwatch", pid));
	snprintf(path, sizeof(path), PINSTAT_SYSFS "/procs/%d", me);
	EXPECT_FALSE(path_exists(path));
	EXPECT_EQ(-EINVAL, sysfs_write("unwatch", pid));

	/* only root may read procs/ */
	ASSERT_EQ(0, sysfs_write("watch", pid));
	child_start(&child, unprivileged_reader, &me);
	child_expect(&child);
	snprintf(pid, sizeof(pid), "%d", child.pid);
	ASSERT_EQ(0, sysfs_write("watch", pid));
	procs_file(child.pid, "threads_live", value, sizeof(value));
	EXPECT_STREQ("1", value);
	child_send(&child);
	EXPECT_EQ(0, child_reap(&child));

	/* the directory goes with the record */
	snprintf(path, sizeof(path), PINSTAT_SYSFS "/procs/%d", child.pid);
	EXPECT_TRUE(path_exists(path));
	ASSERT_EQ(0, sysfs_write("linger_s", "1"));
	sleep_ms(3000);
	EXPECT_FALSE(path_exists(path));
}

/* The non-leader thread: waits until the leader is a zombie, then reports. */
static void *survivor_main(void *arg)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", getpid());
	for (;;) {
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = '\0';
			p = strrchr(buf, ')');
			if (p && p[1] == ' ' && p[2] == 'Z')
				break;
		}
		sleep_ms(1);
	}
	child_tell_parent();
	child_wait_parent();
	/*
	 * The last thread ends alone, not by exit_group() (which glibc's
	 * pthread_exit() would call): its end is the process's, no solo exit.
	 */
	syscall(SYS_exit, 0);
	return NULL;
}

/* Start a thread, then end the leader alone: the thread ends the process. */
static void leader_exits_first(void *arg)
{
	pthread_t thread;

	if (pthread_create(&thread, NULL, survivor_main, NULL))
		exit(11);
	pthread_exit(NULL);
}

/* The same, pinned to CPU 0 first: the thread inherits the pin. */
static void pinned_leader_exits(void *arg)
{
	if (set_affinity(0, 0, -1))
		exit(10);
	leader_exits_first(arg);
}

/*
 * A table of 16 records: fill it with live processes, see one more process
 * dropped (its change; its end, with one thread and no record, is not an
 * event to count) and every event of a process of two threads dropped, up
 * to the end of its last thread; then see an exited record evicted to make
 * room for the next one.
 */
TEST_F(pinstat, capacity_bounds_the_table)
{
	struct child filler[16], extra;
	long long tracked, created;
	int i, room;

	ASSERT_EQ(0, module_reload("capacity=16"));
	tracked = sysfs_num("tracked");
	room = 16 - tracked;
	ASSERT_LT(1, room);
	for (i = 0; i < room; i++) {
		child_start(&filler[i], child_ask_then_wait, NULL);
		child_expect(&filler[i]);
	}
	EXPECT_EQ(16, sysfs_num("tracked"));
	EXPECT_EQ(0, sysfs_num("dropped"));

	created = sysfs_num("events/created");
	child_start(&extra, child_ask_then_wait, NULL);
	child_expect(&extra);
	EXPECT_EQ(1, sysfs_num("dropped"));
	EXPECT_EQ(created + 1, sysfs_num("events/created"));
	EXPECT_EQ(0, ps_rows(extra.pid, NULL, NULL, 0));
	child_send(&extra);
	EXPECT_EQ(0, child_reap(&extra));
	EXPECT_EQ(1, sysfs_num("dropped"));

	child_start(&extra, leader_exits_first, NULL);
	child_expect(&extra);	/* its leader has ended */
	EXPECT_EQ(3, sysfs_num("dropped"));	/* its thread's start, its leader's end */
	child_send(&extra);
	EXPECT_EQ(0, child_reap(&extra));
	EXPECT_EQ(4, sysfs_num("dropped"));	/* the last thread's end */
	EXPECT_EQ(created + 3, sysfs_num("events/created"));
	EXPECT_EQ(0, ps_rows(extra.pid, NULL, NULL, 0));

	child_send(&filler[0]);		/* its record now lingers */
	EXPECT_EQ(0, child_reap(&filler[0]));
	EXPECT_EQ(16, sysfs_num("tracked"));
	EXPECT_EQ(0, sysfs_num("evicted"));
	child_start(&extra, child_ask_then_wait, NULL);
	child_expect(&extra);
	EXPECT_EQ(1, sysfs_num("evicted"));
	EXPECT_EQ(16, sysfs_num("tracked"));
	EXPECT_EQ(4, sysfs_num("dropped"));
	EXPECT_EQ(0, ps_rows(filler[0].pid, NULL, NULL, 0));
	EXPECT_EQ(1, ps_rows(extra.pid, "live", NULL, 0));

	child_send(&extra);
	EXPECT_EQ(0, child_reap(&extra));
	for (i = 1; i < room; i++) {
		child_send(&filler[i]);
		EXPECT_EQ(0, child_reap(&filler[i]));
	}
}

/* A new thread high, known to be between two times. */
struct high {
	unsigned long long after, before;
};

/* Start one more thread, a new high: when it came. */
static void start_high(struct crew *crew, struct high *high)
{
	high->after = now_ns();
	crew_start(crew, 1);
	high->before = now_ns();
}

/*
 * The growth steps the row must show at @shift: windows with a high, not
 * the first-seen one. -1 if a high may fall on either side of an edge.
 */
static int expected_steps(const struct ps_row *row, unsigned int shift,
			  const struct high *highs, int n)
{
	unsigned long long first = row_num(row, "first_seen_ns") >> shift;
	unsigned long long last = ~0ULL;
	int i, steps = 0;

	for (i = 0; i < n; i++) {
		unsigned long long w = highs[i].after >> shift;

		if (w != highs[i].before >> shift)
			return -1;
		if (w != first && w != last)
			steps++;
		last = w;
	}
	return steps;
}

/*
 * growth_steps_1s and growth_steps_34s count the windows of 2^30 and 2^35
 * ns in which the process reached a new thread high, after the one it was
 * first seen in: several highs in one window are one step, coming back to
 * a level already reached is none.
 */
TEST_F(pinstat, growth_steps_count_windows_with_new_highs)
{
	struct crew crews[4], back;
	struct high highs[4];
	struct ps_row row;
	int try, i, want1, want34;

	for (try = 0; try < 3; try++) {
		ASSERT_EQ(0, module_reload(NULL));
		start_high(&crews[0], &highs[0]);	/* 2 threads */
		start_high(&crews[1], &highs[1]);	/* 3 */
		crew_release(&crews[1], 0, 1);		/* back to 2 */
		sleep_ms(1200);				/* a later window */
		crew_start(&back, 1);			/* 3 again: no high */
		start_high(&crews[2], &highs[2]);	/* 4 */
		start_high(&crews[3], &highs[3]);	/* 5 */
		ASSERT_EQ(0, ps_row(getpid(), "live", &row));
		want1 = expected_steps(&row, 30, highs, 4);
		want34 = expected_steps(&row, 35, highs, 4);
		crew_release(&back, 0, 1);
		crew_release(&crews[0], 0, 1);
		for (i = 2; i < 4; i++)
			crew_release(&crews[i], 0, 1);
		if (want1 >= 0 && want34 >= 0)
			break;
	}
	ASSERT_LT(try, 3) TH_LOG("every run had a high on a window edge");
	EXPECT_EQ(5, row_num(&row, "threads_peak"));
	EXPECT_LE(1, want1);			/* the later window, at least */
	EXPECT_EQ(want1, row_num(&row, "growth_steps_1s"));
	EXPECT_EQ(want34, row_num(&row, "growth_steps_34s"));
}

/* poll() on the alerts file, as pinstat diagnose --follow does. */
static void *alert_poller(void *arg)
{
	struct pollfd pfd = { .events = POLLPRI | POLLERR };
	char buf[32];
	int *woken = arg;

	pfd.fd = open(PINSTAT_SYSFS "/alerts", O_RDONLY);
	if (pfd.fd < 0 || read(pfd.fd, buf, sizeof(buf)) < 0)
		return NULL;
	*woken = poll(&pfd, 1, 5000) == 1;
	close(pfd.fd);
	return NULL;
}

static bool wait_for_path(const char *path, int ms)
{
	for (; ms > 0 && !path_exists(path); ms -= 10)
		sleep_ms(10);
	return path_exists(path);
}

TEST_F(pinstat, alerts_watch_log_and_wake)
{
	char path[64];
	struct crew crew;
	pthread_t poller;
	int woken = 0;

	ASSERT_EQ(0, sysfs_write("alert/threads", "5"));
	ASSERT_EQ(0, sysfs_write("alert/solo_exits_per_s", "3"));
	ASSERT_EQ(0, sysfs_num("alerts"));
	ASSERT_EQ(0, pthread_create(&poller, NULL, alert_poller, &woken));
	sleep_ms(100);	/* the poller is waiting */

	crew_start(&crew, 4);			/* 6 threads with the poller */
	EXPECT_EQ(1, sysfs_num("alerts"));
	snprintf(path, sizeof(path), PINSTAT_SYSFS "/procs/%d", getpid());
	EXPECT_TRUE(wait_for_path(path, 2000));
	ASSERT_EQ(0, pthread_join(poller, NULL));
	EXPECT_TRUE(woken);

	crew_release(&crew, 0, 4);		/* 4 fast solo exits, and */
	crew_start(&crew, 6);			/* 6 more: the second alert */
	crew_release(&crew, 0, 6);
	EXPECT_EQ(2, sysfs_num("alerts"));
	crew_start(&crew, 6);			/* each alert fires once */
	crew_release(&crew, 0, 6);
	EXPECT_EQ(2, sysfs_num("alerts"));

	ASSERT_EQ(0, sysfs_write("reset", "1"));	/* re-armed */
	EXPECT_EQ(0, sysfs_num("alerts"));
	crew_start(&crew, 5);
	EXPECT_EQ(1, sysfs_num("alerts"));
	crew_release(&crew, 0, 5);

	ASSERT_EQ(0, sysfs_write("alert/threads", "0"));	/* off */
	ASSERT_EQ(0, sysfs_write("reset", "1"));
	crew_start(&crew, 8);
	EXPECT_EQ(0, sysfs_num("alerts"));
	crew_release(&crew, 0, 8);
}

/*
 * A leader that ended with pthread_exit() stays on the thread list as a
 * zombie (PF_EXITING) with its one-CPU mask: it must not count as pinned.
 * Its end was a solo exit; the last thread's, alone too, ends the process
 * and is none.
 */
TEST_F(pinstat, zombie_leader_is_not_pinned)
{
	struct child child;
	struct ps_row row;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	child_start(&child, pinned_leader_exits, NULL);
	child_expect(&child);
	ASSERT_EQ(0, ps_row(child.pid, "live", &row));
	EXPECT_EQ(1, row_num(&row, "threads_live"));
	EXPECT_EQ(1, row_num(&row, "solo_exits"));
	EXPECT_EQ(1, row_num(&row, "threads_pinned"));
	EXPECT_EQ(1, row_num(&row, "pinned_cpu_max"));
	child_send(&child);
	EXPECT_EQ(0, child_reap(&child));
	ASSERT_EQ(0, ps_row(child.pid, "exited", &row));
	EXPECT_EQ(2, row_num(&row, "threads_exited"));
	EXPECT_EQ(1, row_num(&row, "solo_exits"));	/* the leader's */
}

/*
 * Setting the affinity of a zombie whose record is gone must not add a
 * record that nothing would ever retire; neither must a process that ended
 * while counting was off stay "live" once it resumes.
 */
TEST_F(pinstat, dead_processes_leave_no_live_records)
{
	struct child zombie, unseen;
	struct ps_row row;
	long long tracked;

	ASSERT_EQ(0, sysfs_write("linger_s", "1"));
	child_start(&zombie, child_ask_then_wait, NULL);
	child_expect(&zombie);
	child_send(&zombie);
	while (ps_rows(zombie.pid, "exited", NULL, 0) == 0)
		sleep_ms(10);
	while (ps_rows(zombie.pid, NULL, NULL, 0) != 0)	/* lingered */
		sleep_ms(100);
	tracked = sysfs_num("tracked");
	set_affinity(zombie.pid, 0, -1);	/* refused or not: no record */
	EXPECT_EQ(0, ps_rows(zombie.pid, NULL, NULL, 0));
	EXPECT_EQ(tracked, sysfs_num("tracked"));
	EXPECT_EQ(0, child_reap(&zombie));

	ASSERT_EQ(0, sysfs_write("linger_s", "60"));
	child_start(&unseen, child_ask_then_wait, NULL);
	child_expect(&unseen);
	ASSERT_EQ(0, sysfs_write("enabled", "0"));
	child_send(&unseen);		/* exits now, unseen; not reaped */
	sleep_ms(200);
	ASSERT_EQ(0, sysfs_write("enabled", "1"));
	ASSERT_EQ(0, ps_row(unseen.pid, NULL, &row));
	EXPECT_STREQ("exited", row_str(&row, "state"));
	EXPECT_EQ(0, row_num(&row, "threads_live"));
	EXPECT_EQ(0, child_reap(&unseen));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--exec-helper"))
		return exec_helper_main();
	return test_harness_run(argc, argv);
}
