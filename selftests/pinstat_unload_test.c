// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading pinstat while threads and processes are created, pinned and
 * ended on every CPU, and while its files are being read and written.
 *
 * This test runs in a guest of its own (scripts/check.sh): loading and
 * unloading any ftrace-based kprobe, even one with an empty handler, while
 * the probed functions run on other vCPUs crashes the guest kernel under
 * QEMU's multi-threaded TCG after some hundred cycles, and never under
 * single-threaded TCG; see the notes in README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "pinstat_lib.h"

/* $PINSTAT_CYCLES cycles, 20 unless told */
static int cycles(void)
{
	const char *n = getenv("PINSTAT_CYCLES");

	return n && atoi(n) > 0 ? atoi(n) : 20;
}

/* Create, pin and end threads and processes until killed. */
static void churn(void *arg)
{
	int cpu = *(int *)arg;
	unsigned long i;

	child_tell_parent();
	for (i = 0;; i++) {
		struct crew crew;

		crew_start(&crew, 2);
		set_affinity(crew.tids[0], cpu, -1);
		crew_release(&crew, 0, 2);
		set_affinity(0, i & 1 ? cpu : -1, cpu ^ 1);
		if (i % 8 == 0) {
			pid_t pid = fork();

			if (pid == 0)
				_exit(0);
			waitpid(pid, NULL, 0);
		}
	}
}

/* Watch, read and unwatch through the interfaces until killed. */
static void poke_interfaces(void *arg)
{
	char pid[16], buf[4096];
	FILE *f;

	snprintf(pid, sizeof(pid), "%d", getpid());
	child_tell_parent();
	for (;;) {
		sysfs_write("watch", pid);	/* fails while unloaded */
		f = fopen(PINSTAT_DEBUGFS "/processes", "re");
		while (f && fread(buf, 1, sizeof(buf), f) > 0)
			;
		if (f)
			fclose(f);
		sysfs_write("unwatch", pid);
		sleep_ms(1);	/* let rmmod find the module unused at times */
	}
}

FIXTURE(unload) {
};

FIXTURE_SETUP(unload)
{
}

FIXTURE_TEARDOWN(unload)
{
}

TEST_F_TIMEOUT(unload, under_churn, 1800)
{
	int cpus[2] = { 0, 1 };
	struct child children[3];
	int cycle, i, tries;

	ASSERT_EQ(0, module_reload(NULL));
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cpus[1] = 0;
	for (i = 0; i < 2; i++) {
		child_start(&children[i], churn, &cpus[i]);
		child_expect(&children[i]);
	}
	child_start(&children[2], poke_interfaces, NULL);
	child_expect(&children[2]);
	for (cycle = 0; cycle < cycles(); cycle++) {
		ASSERT_EQ(0, module_unload()) TH_LOG("cycle %d", cycle);
		sleep_ms(20);
		ASSERT_EQ(0, module_load(NULL)) TH_LOG("cycle %d", cycle);
		/* the churners have records again once they start threads */
		for (tries = 0; tries < 100 && sysfs_num("tracked") <= 2; tries++)
			sleep_ms(50);
		EXPECT_LT(2, sysfs_num("tracked")) TH_LOG("cycle %d", cycle);
	}
	EXPECT_LT(0, sysfs_num("events/created"));
	for (i = 0; i < 3; i++) {
		kill(children[i].pid, SIGKILL);
		child_reap(&children[i]);
	}
	/* a leaked record would make kmem_cache_destroy() warn, too */
	if (!file_has_prefix("/proc/slabinfo", "pinstat_record "))
		SKIP(return, "slab caches merged: boot with slab_nomerge");
	TH_LOG("slab: %s", slab_line("pinstat_record "));
	ASSERT_EQ(0, module_unload());
	EXPECT_FALSE(file_has_prefix("/proc/slabinfo", "pinstat_record "));
}

TEST_HARNESS_MAIN
