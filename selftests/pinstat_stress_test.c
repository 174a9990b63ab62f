// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: a table filled far past its capacity (events dropped, memory
 * bounded, a tracked process still counted exactly), a process with
 * thousands of threads, and a storm of short processes, each with a record
 * (an affinity change gives a one-thread process one). PINSTAT_STRESS=full
 * (make check-debug) makes the last two bigger.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "pinstat_lib.h"

static bool full(void)
{
	const char *mode = getenv("PINSTAT_STRESS");

	return mode && !strcmp(mode, "full");
}

/*
 * Objects of pinstat's slab cache, or -1 if it is not listed. SLUB counts
 * the per-CPU slabs as wholly in use: @per_slab says how many one holds.
 */
static long slab_objects(long *per_slab)
{
	const char *line = slab_line("pinstat_record ");
	long active, total, size;

	if (sscanf(line, "pinstat_record %ld %ld %ld %ld", &active, &total,
		   &size, per_slab) != 4)
		return -1;
	return active;
}

FIXTURE(stress) {
};

FIXTURE_SETUP(stress)
{
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, table_full_of_live_processes, 900)
{
	const int capacity = 64, storm = 150;
	struct child *children = calloc(storm, sizeof(*children));
	long long dropped, room;
	struct crew first, crew;
	struct ps_row row;
	long objects, per_slab;
	int i;

	ASSERT_NE(NULL, children);
	ASSERT_EQ(0, module_reload("capacity=64 linger_s=600"));
	crew_start(&first, 1);		/* our record, before the storm */
	room = capacity - sysfs_num("tracked");
	dropped = sysfs_num("dropped");
	for (i = 0; i < storm; i++) {
		child_start(&children[i], child_ask_then_wait, NULL);
		child_expect(&children[i]);
	}
	EXPECT_EQ(capacity, sysfs_num("tracked"));
	EXPECT_LE(dropped + storm - room, sysfs_num("dropped"));

	/* this process had its record before: it is still counted exactly */
	crew_start(&crew, 10);
	crew_release(&crew, 0, 10);
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(11, row_num(&row, "threads_created"));
	EXPECT_EQ(10, row_num(&row, "solo_exits"));
	EXPECT_EQ(2, row_num(&row, "threads_live"));
	EXPECT_EQ(12, row_num(&row, "threads_peak"));
	crew_release(&first, 0, 1);

	/* at most the capacity, give or take a slab per CPU */
	objects = slab_objects(&per_slab);
	if (objects >= 0)
		EXPECT_GE(capacity + per_slab * (sysconf(_SC_NPROCESSORS_ONLN) + 1),
			  objects) TH_LOG("%ld records in slabs of %ld",
					  objects, per_slab);
	for (i = 0; i < storm; i++) {
		child_send(&children[i]);
		EXPECT_EQ(0, child_reap(&children[i]));
	}
	EXPECT_EQ(capacity, sysfs_num("tracked"));
	TH_LOG("%lld events dropped", sysfs_num("dropped") - dropped);
	free(children);
}

TEST_F_TIMEOUT(stress, thousands_of_threads, 900)
{
	int n = full() ? 4000 : 2000;
	struct ps_row row;
	struct crew crew;

	ASSERT_EQ(0, module_reload(NULL));
	crew_start(&crew, n);
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(n + 1, row_num(&row, "threads_live"));
	EXPECT_EQ(n + 1, row_num(&row, "threads_peak"));
	EXPECT_EQ(n, row_num(&row, "threads_created"));
	crew_release(&crew, 0, n);
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(1, row_num(&row, "threads_live"));
	EXPECT_EQ(n, row_num(&row, "threads_exited"));
	EXPECT_EQ(n, row_num(&row, "solo_exits"));
}

/* Fork a child that asks for its affinity (a record), exits, is reaped. */
static void forker(void *arg)
{
	int n = *(int *)arg, i;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid == 0)
			_exit(set_affinity(0, 0, -1) ? 1 : 0);
		if (pid < 0 || waitpid(pid, NULL, 0) != pid)
			exit(1);
	}
}

TEST_F_TIMEOUT(stress, storm_of_short_processes, 900)
{
	int each = full() ? 1500 : 500, i;
	long long created, tracked;
	struct child forkers[2];

	ASSERT_EQ(0, module_reload("linger_s=1"));
	tracked = sysfs_num("tracked");
	created = sysfs_num("events/created");
	for (i = 0; i < 2; i++)
		child_start(&forkers[i], forker, &each);
	for (i = 0; i < 2; i++)
		EXPECT_EQ(0, child_reap(&forkers[i]));
	/* the forkers and their children */
	EXPECT_EQ(created + 2 + 2 * each, sysfs_num("events/created"));
	EXPECT_EQ(0, sysfs_num("dropped"));
	sleep_ms(3000);		/* linger_s=1: every record of them goes */
	EXPECT_EQ(tracked, sysfs_num("tracked"));
}

TEST_HARNESS_MAIN
