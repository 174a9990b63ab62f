// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection (needs CONFIG_FAULT_INJECTION and CONFIG_FAILSLAB, as in
 * make check-debug's kernel; SKIP elsewhere):
 *  - every allocation on the way to a loaded module fails once, in turn
 *    (/proc/self/task/TID/fail-nth): each failed load must unwind cleanly;
 *  - one allocation in ten of pinstat's records fails while processes come
 *    and go: the events are counted as dropped, and what is recorded stays
 *    consistent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "pinstat_lib.h"

#define FAILSLAB	"/sys/kernel/debug/failslab"
#define MAX_STEPS	2000

/*
 * Quiet, and counting every slab allocation (@only_pinstat: of pinstat's
 * records), sleeping ones too unless @only_atomic.
 */
static int failslab_setup(bool only_pinstat, bool only_atomic,
			  const char *probability)
{
	return write_path(FAILSLAB "/verbose", "0") ?:
	       write_path(FAILSLAB "/ignore-gfp-wait", only_atomic ? "Y" : "N") ?:
	       write_path(FAILSLAB "/cache-filter", only_pinstat ? "Y" : "N") ?:
	       write_path(FAILSLAB "/interval", "1") ?:
	       write_path(FAILSLAB "/times", "-1") ?:
	       write_path(FAILSLAB "/space", "0") ?:
	       write_path(FAILSLAB "/probability", probability);
}

static int fail_nth(int n)
{
	char path[64], value[16];

	snprintf(path, sizeof(path), "/proc/self/task/%d/fail-nth", gettid());
	snprintf(value, sizeof(value), "%d", n);
	return write_path(path, value);
}

/* The fault armed with fail-nth was consumed (0), or not yet (> 0). */
static int fail_nth_left(void)
{
	char path[64], value[16] = "";
	int fd, n;

	snprintf(path, sizeof(path), "/proc/self/task/%d/fail-nth", gettid());
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, value, sizeof(value) - 1);
	if (fd >= 0)
		close(fd);
	return n < 0 ? -1 : atoi(value);
}

FIXTURE(fault) {
};

FIXTURE_SETUP(fault)
{
}

FIXTURE_TEARDOWN(fault)
{
}

/* Each load takes a while under KASAN, one emulated CPU at a time. */
TEST_F_TIMEOUT(fault, every_failed_allocation_during_load_unwinds, 2400)
{
	int n, err, failed = 0;
	struct crew crew;

	if (!path_exists(FAILSLAB))
		SKIP(return, "no failslab in this kernel");
	if (module_loaded())
		ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, failslab_setup(false, false, "0"));
	crew_start(&crew, 1);	/* two threads: a record each load makes */
	for (n = 1; n <= MAX_STEPS; n++) {
		ASSERT_EQ(0, fail_nth(n));
		err = module_load(NULL);
		if (fail_nth_left() > 0) {
			/* fewer than n allocations: the load is whole */
			fail_nth(0);
			ASSERT_EQ(0, err) TH_LOG("step %d", n);
			break;
		}
		if (err) {
			failed++;
			EXPECT_FALSE(module_loaded()) TH_LOG("step %d", n);
			EXPECT_FALSE(path_exists(PINSTAT_SYSFS))
				TH_LOG("step %d", n);
		} else {
			/* the failure hit something that may fail quietly */
			ASSERT_EQ(0, module_unload());
		}
	}
	EXPECT_GE(MAX_STEPS, n);
	EXPECT_LT(10, failed);
	TH_LOG("%d allocations failed in turn, %d loads failed cleanly",
	       n - 1, failed);
	EXPECT_TRUE(module_loaded());
	EXPECT_LT(0, sysfs_num("tracked"));
	crew_release(&crew, 0, 1);
}

static void two_threads(void *arg)
{
	struct crew crew;

	crew_start(&crew, 2);
	crew_release(&crew, 0, 2);
}

/*
 * Every row must make sense, whatever was dropped. (Not solo <= created: a
 * record added in mid-life, after a drop, sees threads exit alone that it
 * did not see created.)
 */
static void check_invariants(struct __test_metadata *_metadata)
{
	int max = 4096, n, i, b;
	struct ps_row *rows = calloc(max, sizeof(*rows));

	ASSERT_NE(NULL, rows);
	n = ps_rows(0, NULL, rows, max);
	ASSERT_LT(0, n);
	for (i = 0; i < n && i < max; i++) {
		struct ps_row *r = &rows[i];
		long long hist[HIST_BUCKETS], sum = 0;

		row_hist(r, hist);
		for (b = 0; b < HIST_BUCKETS; b++)
			sum += hist[b];
		EXPECT_LE(0, row_num(r, "threads_live"));
		EXPECT_LE(row_num(r, "threads_live"), row_num(r, "threads_peak"));
		EXPECT_LE(row_num(r, "solo_exits"), row_num(r, "threads_exited"));
		EXPECT_LE(row_num(r, "short_lived"), row_num(r, "solo_exits"));
		EXPECT_EQ(sum, row_num(r, "solo_exits"));
	}
	TH_LOG("%d records consistent", n);
	free(rows);
}

TEST_F_TIMEOUT(fault, failing_record_allocations_are_dropped_not_lost, 900)
{
	long long created, dropped;
	struct child child;
	int i, procs = 200;

	if (!path_exists(FAILSLAB))
		SKIP(return, "no failslab in this kernel");
	ASSERT_EQ(0, module_reload("linger_s=600"));
	/* marked at boot: slub_debug=A,pinstat_record (the file is read-only) */
	if (!file_has_prefix("/sys/kernel/slab/pinstat_record/failslab", "1"))
		SKIP(return, "boot with slub_debug=A,pinstat_record");
	created = sysfs_num("events/created");
	dropped = sysfs_num("dropped");
	ASSERT_EQ(0, failslab_setup(true, false, "10"));
	for (i = 0; i < procs; i++) {
		child_start(&child, two_threads, NULL);
		EXPECT_EQ(0, child_reap(&child));
	}
	write_path(FAILSLAB "/probability", "0");

	/* every start was seen, recorded or not */
	EXPECT_EQ(created + procs * 3, sysfs_num("events/created"));
	EXPECT_LT(dropped, sysfs_num("dropped"));
	TH_LOG("%lld events dropped with one record allocation in ten failing",
	       sysfs_num("dropped") - dropped);
	check_invariants(_metadata);
}

static void two_threads_then_wait(void *arg)
{
	struct crew crew;

	crew_start(&crew, 1);
	child_tell_parent();
	child_wait_parent();
	crew_release(&crew, 0, 1);
}

/*
 * Seeding at load runs in process context and may wait for memory: with
 * every allocation of a record that may not wait failing, processes older
 * than the module still all get their records, and nothing is dropped.
 */
TEST_F_TIMEOUT(fault, seeding_at_load_waits_for_memory, 900)
{
	struct child children[20];
	struct ps_row row;
	unsigned int i;

	if (!path_exists(FAILSLAB))
		SKIP(return, "no failslab in this kernel");
	if (module_loaded())
		ASSERT_EQ(0, module_unload());
	for (i = 0; i < ARRAY_SIZE(children); i++) {
		child_start(&children[i], two_threads_then_wait, NULL);
		child_expect(&children[i]);
	}
	ASSERT_EQ(0, failslab_setup(true, true, "100"));
	ASSERT_EQ(0, module_load(NULL));
	write_path(FAILSLAB "/probability", "0");
	if (!file_has_prefix("/sys/kernel/slab/pinstat_record/failslab", "1"))
		SKIP(return, "boot with slub_debug=A,pinstat_record");

	EXPECT_EQ(0, sysfs_num("dropped"));
	for (i = 0; i < ARRAY_SIZE(children); i++) {
		EXPECT_EQ(0, ps_row(children[i].pid, "live", &row));
		EXPECT_EQ(2, row_num(&row, "threads_live"));
		child_send(&children[i]);
		EXPECT_EQ(0, child_reap(&children[i]));
	}
}

TEST_HARNESS_MAIN
