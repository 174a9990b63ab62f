// SPDX-License-Identifier: GPL-2.0
/*
 * Races a kernel review found, each made to happen on purpose:
 *  - an alert is acted upon by a worker, later: by then the PID may
 *    belong to another process, which must not be watched (or counted);
 *  - the solo-exit alert compares a count taken under the record's lock,
 *    so that a concurrent reset cannot make it wrap into a false alert;
 *  - live counts taken again when counting resumes are read under the
 *    record's lock, so that no thread starting or ending meanwhile is
 *    lost, and no live process is ever retired.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "pinstat_lib.h"

FIXTURE(race) {
};

FIXTURE_SETUP(race)
{
	ASSERT_EQ(0, module_reload(NULL));
}

FIXTURE_TEARDOWN(race)
{
}

static atomic_bool spinning, spinner_ready;

/*
 * Keeps CPU 1 from anything but real-time tasks while spinning is set.
 * It starts as its creator is, real-time on CPU 0, and moves.
 */
static void *spin_cpu1(void *arg)
{
	if (set_affinity(0, 1, -1))
		return NULL;
	atomic_store(&spinner_ready, true);
	while (atomic_load(&spinning))
		;
	return NULL;
}

static int set_fifo(pid_t pid)
{
	struct sched_param sp = { .sched_priority = 50 };

	return sched_setscheduler(pid, SCHED_FIFO, &sp);
}

/* A child that starts a second thread (crossing alert/threads=2), ends. */
static void *forever(void *arg)
{
	pause();
	return NULL;
}

static void cross_and_end(void *arg)
{
	pthread_t thread;

	pthread_create(&thread, NULL, forever, NULL);
	exit(0);
}

static void wait_for_parent(void *arg)
{
	child_tell_parent();
	child_wait_parent();
}

/* Reap @pid without sleeping: a sleep would let the alert worker run. */
static void reap_spinning(pid_t pid)
{
	while (waitpid(pid, NULL, WNOHANG) == 0)
		sched_yield();
}

/*
 * A crosses alert/threads and ends; its PID goes to B, a process of one
 * thread, before the alert worker runs: every CPU is busy with real-time
 * tasks (the worker is not one) until B runs. The worker must watch A's
 * lingering record, and leave B alone: no record, no directory of B's.
 */
TEST_F(race, an_alert_follows_its_process_not_its_pid)
{
	char name[64], state[16] = "";
	pthread_t spinner;
	struct child a, b;
	cpu_set_t cpu0;

	if (sysconf(_SC_NPROCESSORS_ONLN) != 2)
		SKIP(return, "needs exactly two CPUs");
	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(cpu0), &cpu0));
	ASSERT_EQ(0, set_fifo(0));
	atomic_store(&spinning, true);
	ASSERT_EQ(0, pthread_create(&spinner, NULL, spin_cpu1, NULL));
	while (!atomic_load(&spinner_ready))
		sched_yield();			/* let it move to CPU 1 */
	/* we have two threads now, and start no more */
	ASSERT_EQ(0, sysfs_write("alert/threads", "2"));

	child_start(&a, cross_and_end, NULL);	/* FIFO on CPU 0, like us */
	reap_spinning(a.pid);
	ASSERT_EQ(0, set_last_pid(a.pid - 1));
	child_start(&b, wait_for_parent, NULL);
	child_expect(&b);			/* B runs, and sleeps */
	atomic_store(&spinning, false);
	pthread_join(spinner, NULL);
	sleep_ms(500);				/* the worker's turn */

	EXPECT_EQ(1, sysfs_num("alerts"));
	if (b.pid != a.pid) {
		child_send(&b);
		child_reap(&b);
		SKIP(return, "PID %d was not reused", a.pid);
	}
	EXPECT_EQ(0, ps_rows(b.pid, "live", NULL, 0));
	snprintf(name, sizeof(name), "procs/%d/state", a.pid);
	EXPECT_EQ(0, sysfs_str(name, state, sizeof(state)));
	EXPECT_STREQ("exited", state);
	child_send(&b);
	EXPECT_EQ(0, child_reap(&b));
}

static atomic_bool racing;

/* A racing thread tells its TID (if asked) to be waited for once joined. */
static void tell_tid(void *tid)
{
	if (tid)
		*(pid_t *)tid = syscall(SYS_gettid);
}

static void *end_threads(void *tid)
{
	tell_tid(tid);
	while (atomic_load(&racing)) {
		struct crew crew;

		crew_start(&crew, 4);
		crew_release(&crew, 0, 4);
	}
	return NULL;
}

static void *reset_counters(void *arg)
{
	while (atomic_load(&racing))
		sysfs_write("reset", "1");
	return NULL;
}

/*
 * Solo exits race resets for seconds; no process may reach an alert at
 * the highest threshold, so any alert is a false one.
 */
TEST_F_TIMEOUT(race, resets_make_no_false_solo_exit_alert, 120)
{
	pthread_t ender, resetter;
	char max[16];

	snprintf(max, sizeof(max), "%u", 100000000U);
	ASSERT_EQ(0, sysfs_write("alert/solo_exits_per_s", max));
	atomic_store(&racing, true);
	ASSERT_EQ(0, pthread_create(&ender, NULL, end_threads, NULL));
	ASSERT_EQ(0, pthread_create(&resetter, NULL, reset_counters, NULL));
	sleep_ms(10000);
	atomic_store(&racing, false);
	pthread_join(ender, NULL);
	pthread_join(resetter, NULL);
	EXPECT_EQ(0, sysfs_num("alerts"));
}

static void *toggle_enabled(void *tid)
{
	tell_tid(tid);
	while (atomic_load(&racing)) {
		sysfs_write("enabled", "0");
		sysfs_write("enabled", "1");
	}
	return NULL;
}

/*
 * Threads start and end while counting is switched off and on (each time
 * on, the table takes the kernel's counts again). Once everything is
 * still (the racing threads joined and gone from the kernel too), the
 * record says what the kernel says, and it never said the process had
 * ended.
 */
TEST_F_TIMEOUT(race, live_counts_survive_resuming_under_churn, 120)
{
	pthread_t enders[3], toggler;
	pid_t tids[4]; /* the enders', then the toggler's */
	struct crew stay;
	struct ps_row row;
	int i;

	crew_start(&stay, 5);
	atomic_store(&racing, true);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_create(&enders[i], NULL, end_threads,
					    &tids[i]));
	ASSERT_EQ(0, pthread_create(&toggler, NULL, toggle_enabled, &tids[3]));
	sleep_ms(10000);
	atomic_store(&racing, false);
	for (i = 0; i < 3; i++)
		pthread_join(enders[i], NULL);
	pthread_join(toggler, NULL);
	for (i = 0; i < 4; i++)
		wait_gone(tids[i]);
	ASSERT_EQ(1, sysfs_num("enabled"));

	EXPECT_EQ(0, ps_rows(getpid(), "exited", NULL, 0));
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(6, row_num(&row, "threads_live"));
	crew_release(&stay, 0, 5);
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(1, row_num(&row, "threads_live"));
}

TEST_HARNESS_MAIN
