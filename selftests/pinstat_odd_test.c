// SPDX-License-Identifier: GPL-2.0
/*
 * Counting under odd conditions: a process in its own PID namespace, vfork,
 * io_uring's worker threads, a ptraced process, a CPU going offline under a
 * pinned thread, and a one-CPU cpuset.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "pinstat_lib.h"

FIXTURE(odd) {
};

FIXTURE_SETUP(odd)
{
	ASSERT_EQ(0, module_reload(NULL));
}

FIXTURE_TEARDOWN(odd)
{
}

/* In a new PID namespace: fork its init, which starts two threads. */
static void namespace_init(void *arg)
{
	int *report = arg;
	pid_t init;

	if (unshare(CLONE_NEWPID))
		exit(10);
	init = fork();
	if (init == 0) {
		struct crew crew;

		crew_start(&crew, 2);
		child_tell_parent();
		child_wait_parent();
		exit(0);
	}
	if (write(report[1], &init, sizeof(init)) != sizeof(init))
		exit(11);
	waitpid(init, NULL, 0);
	exit(0);
}

TEST_F(odd, a_process_in_its_own_pid_namespace)
{
	struct child helper;
	struct ps_row row;
	int report[2];
	pid_t init;

	ASSERT_EQ(0, pipe(report));
	child_start(&helper, namespace_init, report);
	ASSERT_EQ((ssize_t)sizeof(init), read(report[0], &init, sizeof(init)));
	child_expect(&helper);		/* from the namespace's init */
	ASSERT_EQ(1, ps_rows(init, NULL, &row, 1));
	EXPECT_EQ(1, row_num(&row, "nspid"));
	EXPECT_EQ(2, row_num(&row, "threads_created"));
	EXPECT_EQ(3, row_num(&row, "threads_live"));
	child_send(&helper);
	EXPECT_EQ(0, child_reap(&helper));
}

/*
 * The vfork child shares our memory but is a process of its own: not a
 * thread of ours, and with one thread it has no record.
 */
TEST_F(odd, vfork_makes_a_process_not_a_thread)
{
	long long created = sysfs_num("events/created");
	struct ps_row row;
	struct crew crew;
	pid_t child;

	crew_start(&crew, 1);
	child = vfork();
	if (child == 0)
		_exit(0);
	ASSERT_LT(0, child);
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	EXPECT_EQ(created + 2, sysfs_num("events/created"));
	EXPECT_EQ(0, ps_rows(child, NULL, NULL, 0));
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(1, row_num(&row, "threads_created"));
	EXPECT_EQ(2, row_num(&row, "threads_live"));
	crew_release(&crew, 0, 1);
}

/* A minimal io_uring: one read from a pipe, forced to an io-wq worker. */
static int uring_read_async(int fd, char *buf, int *ring_fd)
{
	struct io_uring_params p = { 0 };
	struct io_uring_sqe *sqes;
	unsigned int *sq_tail, *sq_array;
	void *sq;
	int ring;

	ring = syscall(__NR_io_uring_setup, 4, &p);
	if (ring < 0)
		return -errno;
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		  IORING_OFF_SQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		    IORING_OFF_SQES);
	if (sq == MAP_FAILED || sqes == MAP_FAILED)
		return -errno;
	sq_tail = (unsigned int *)((char *)sq + p.sq_off.tail);
	sq_array = (unsigned int *)((char *)sq + p.sq_off.array);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_READ;
	sqes[0].flags = IOSQE_ASYNC;	/* always through a worker thread */
	sqes[0].fd = fd;
	sqes[0].addr = (unsigned long)buf;
	sqes[0].len = 1;
	sq_array[0] = 0;
	__atomic_store_n(sq_tail, *sq_tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring, 1, 0, 0, NULL, 0) != 1)
		return -errno;
	*ring_fd = ring;
	return 0;
}

/* Live threads now, from /proc: the kernel's own count. */
static int proc_threads(pid_t pid)
{
	char path[64], line[256];
	int threads = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		sscanf(line, "Threads: %d", &threads);
	if (f)
		fclose(f);
	return threads;
}

/*
 * io_uring's io-wq worker is a thread of this process that the kernel
 * starts; the last one stays until the process ends. In a child: the
 * worker is live, not created by the program, and ends with the process.
 */
static void uring_user(void *arg)
{
	int *result = arg, pipefd[2], ring = -1, err, tries;
	char buf[1];

	if (pipe(pipefd))
		exit(10);
	err = uring_read_async(pipefd[0], buf, &ring);
	if (err) {
		*result = err;
		exit(err == -ENOSYS || err == -EPERM ? 20 : 11);
	}
	for (tries = 0; tries < 200 && proc_threads(getpid()) < 2; tries++)
		sleep_ms(10);
	child_tell_parent();
	child_wait_parent();
	if (write(pipefd[1], "x", 1) != 1)
		exit(12);
	exit(0);
}

/* A thread of @pid other than its leader, or 0. */
static pid_t other_thread(pid_t pid)
{
	struct dirent *d;
	char path[64];
	pid_t tid = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	while (dir && (d = readdir(dir)))
		if (atoi(d->d_name) > 0 && atoi(d->d_name) != pid)
			tid = atoi(d->d_name);
	if (dir)
		closedir(dir);
	return tid;
}

/*
 * Moving an io-wq worker was refused before any permission check while
 * the kernel marked them PF_NO_SETAFFINITY (6.1.0 and older); later
 * kernels, Debian's 6.1 among them, allow it. Either way pinstat counts
 * what the kernel answered.
 */
TEST_F(odd, io_uring_workers_live_but_not_churn)
{
	long long affinity = sysfs_num("events/affinity");
	int result = 0, status, granted;
	struct child child;
	struct ps_row row;

	child_start(&child, uring_user, &result);
	if (read(child.from_child, &status, 1) != 1) {
		status = child_reap(&child);
		if (status == 20)
			SKIP(return, "no io_uring here");
		ASSERT_EQ(0, status) TH_LOG("io_uring setup failed");
	}
	ASSERT_EQ(2, proc_threads(child.pid)) TH_LOG("no io-wq worker came");
	ASSERT_EQ(0, ps_row(child.pid, "live", &row));
	EXPECT_EQ(2, row_num(&row, "threads_live"));
	EXPECT_EQ(0, row_num(&row, "threads_created"));
	granted = !set_affinity(other_thread(child.pid), 0, -1);
	TH_LOG("this kernel %s moving an io-wq worker",
	       granted ? "allows" : "refuses");
	ASSERT_EQ(0, ps_row(child.pid, "live", &row));
	EXPECT_EQ(granted, row_num(&row, "affinity_changes"));
	EXPECT_EQ(affinity + granted, sysfs_num("events/affinity"));
	child_send(&child);
	EXPECT_EQ(0, child_reap(&child));
	ASSERT_EQ(0, ps_row(child.pid, "exited", &row));
	EXPECT_EQ(0, row_num(&row, "threads_created"));
	EXPECT_EQ(2, row_num(&row, "threads_exited"));
	EXPECT_EQ(0, row_num(&row, "solo_exits"));
	EXPECT_EQ(2, row_num(&row, "threads_peak"));
}

static void traced_work(void *arg)
{
	struct crew crew;

	raise(SIGSTOP);		/* until the tracer has seized us */
	crew_start(&crew, 3);
	crew_release(&crew, 0, 3);
	exit(0);
}

TEST_F(odd, a_ptraced_process_counts_the_same)
{
	struct child child;
	struct ps_row row;
	int status;
	pid_t tid;

	child_start(&child, traced_work, NULL);
	ASSERT_EQ(child.pid, waitpid(child.pid, &status, WUNTRACED));
	ASSERT_EQ(0, ptrace(PTRACE_SEIZE, child.pid, 0,
			    PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXIT));
	kill(child.pid, SIGCONT);
	/* let every thread go on from every stop, until the process ends */
	while ((tid = waitpid(-1, &status, __WALL)) > 0) {
		if (tid == child.pid && (WIFEXITED(status) || WIFSIGNALED(status)))
			break;
		if (WIFSTOPPED(status))
			ptrace(PTRACE_CONT, tid, 0,
			       status >> 16 || WSTOPSIG(status) == SIGTRAP ||
			       WSTOPSIG(status) == SIGSTOP ? 0 : WSTOPSIG(status));
	}
	ASSERT_EQ(child.pid, tid);
	close(child.to_child);
	close(child.from_child);
	ASSERT_EQ(0, ps_row(child.pid, "exited", &row));
	EXPECT_EQ(3, row_num(&row, "threads_created"));
	EXPECT_EQ(3, row_num(&row, "solo_exits"));
	EXPECT_EQ(4, row_num(&row, "threads_exited"));
}

static int cpu_online(int cpu, int on)
{
	char path[64];
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	f = fopen(path, "we");
	if (!f)
		return -errno;
	err = fprintf(f, "%d", on) < 0;
	return fclose(f) || err ? -1 : 0;
}

struct spinner {
	pid_t tid;
	volatile bool stop;
};

/* Runs on CPU 1 until told: a sleeping thread keeps its mask until woken. */
static void *spin(void *arg)
{
	struct spinner *s = arg;

	set_affinity(0, 1, -1);
	s->tid = gettid();
	while (!s->stop)
		;
	return NULL;
}

TEST_F(odd, a_cpu_going_offline_unpins_its_threads)
{
	struct spinner spinner = { 0 };
	struct ps_row row;
	pthread_t thread;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	ASSERT_EQ(0, pthread_create(&thread, NULL, spin, &spinner));
	while (!spinner.tid)
		sleep_ms(1);
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	EXPECT_EQ(1, row_num(&row, "threads_pinned"));
	/* the main thread may use them all */
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN),
		  row_num(&row, "cpus_allowed"));
	if (cpu_online(1, 0)) {
		spinner.stop = true;
		pthread_join(thread, NULL);
		SKIP(return, "cannot take CPU 1 offline");
	}
	ASSERT_EQ(0, ps_row(getpid(), "live", &row));
	/* the kernel moved the running thread: its mask is no longer one CPU */
	EXPECT_EQ(0, row_num(&row, "threads_pinned"));
	EXPECT_EQ(1, row_num(&row, "affinity_changes"));  /* asked for only */
	/* the masks may still name CPU 1: it is not one the process may use */
	EXPECT_EQ(sysconf(_SC_NPROCESSORS_ONLN),
		  row_num(&row, "cpus_allowed"));
	EXPECT_EQ(0, cpu_online(1, 1));
	spinner.stop = true;
	pthread_join(thread, NULL);
}

static void cpuset_member(void *arg)
{
	struct crew crew;

	crew_start(&crew, 2);
	child_tell_parent();
	child_wait_parent();	/* moved into the cpuset meanwhile */
	child_tell_parent();
	child_wait_parent();
	crew_release(&crew, 0, 2);
}

/* A cpuset of one CPU: every thread is then allowed on one CPU only. */
TEST_F(odd, a_one_cpu_cpuset_pins_every_thread)
{
	const char *cg = "/tmp/pinstat-cgroup", *set = "/tmp/pinstat-cgroup/one";
	struct child child;
	struct ps_row row;
	char pid[16];

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		SKIP(return, "needs two CPUs");
	mkdir(cg, 0755);
	if (mount("cgroup2", cg, "cgroup2", 0, NULL) && errno != EBUSY)
		SKIP(return, "no cgroup2 (%d)", errno);
	if (write_path("/tmp/pinstat-cgroup/cgroup.subtree_control",
		       "+cpuset") ||
	    (mkdir(set, 0755) && errno != EEXIST) ||
	    write_path("/tmp/pinstat-cgroup/one/cpuset.cpus", "0")) {
		umount(cg);
		SKIP(return, "no cpuset controller");
	}
	child_start(&child, cpuset_member, NULL);
	child_expect(&child);
	snprintf(pid, sizeof(pid), "%d", child.pid);
	ASSERT_EQ(0, write_path("/tmp/pinstat-cgroup/one/cgroup.procs", pid));
	child_send(&child);
	child_expect(&child);
	ASSERT_EQ(0, ps_row(child.pid, "live", &row));
	EXPECT_EQ(3, row_num(&row, "threads_pinned"));
	EXPECT_EQ(3, row_num(&row, "pinned_cpu_max"));
	EXPECT_EQ(1, row_num(&row, "cpus_allowed"));
	EXPECT_EQ(0, row_num(&row, "affinity_changes"));  /* none asked for */
	child_send(&child);
	EXPECT_EQ(0, child_reap(&child));
	rmdir(set);
	umount(cg);
}

TEST_HARNESS_MAIN
