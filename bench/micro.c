// SPDX-License-Identifier: GPL-2.0
/*
 * Microbenchmarks for make bench: time N repetitions of one operation with
 * CLOCK_MONOTONIC. Booted with -icount shift=0, the guest's clock counts
 * one nanosecond per instruction, so the figures are instruction counts.
 * Each repetition is timed too: the median one is the operation without
 * the timer ticks, RCU batches and workers that some repetitions carry,
 * and repeats to the instruction from run to run; the mean has them all.
 *
 *   micro OP N     OP: setaffinity | pair | thread | clone | fork
 *                     | fork-thread | getppid | read | stosb | empty
 *   micro sleepers N   start N processes of two threads that sleep for good
 *                      (a table of N processes); returns once all run
 *
 * setaffinity pins the caller to CPU $BENCH_CPU (default 0) every time;
 * pair does the same from two threads of one process, on CPUs 0 and 1 at
 * once, N times each. Prints "OP N total_ns mean_ns median_ns" (pair: no
 * median, 0). With $BENCH_START set to a path, waits for that file to
 * exist before it starts: time to trace the process first.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cpu;
static long n;

/* The same one-CPU mask every time: a successful request, no migration. */
static void pin(int to)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(to, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		exit(1);
}

static void setaffinity(void)
{
	pin(cpu);
}

static void *pin_loop(void *arg)
{
	long i;

	for (i = 0; i < n; i++)
		pin((long)arg);
	return NULL;
}

/* Two threads of one process, one per CPU, contending for its record. */
static void pair(void)
{
	pthread_t t[2];
	long i;

	for (i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, pin_loop, (void *)i))
			exit(1);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}

static void *nothing(void *arg)
{
	return arg;
}

static void thread(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, nothing, NULL) || pthread_join(t, NULL))
		exit(1);
}

/*
 * The cheapest thread the kernel makes: clone() on a stack used again each
 * time, with no TLS, guard page or stack of its own to set up or free, waited
 * for through the tid the kernel clears and wakes at its exit. The child
 * returns at once, and glibc's clone() ends that thread alone (exit, not
 * exit_group). What the kernel spends on a thread and little else: the rate
 * of thread events a CPU can reach.
 */
static int return_at_once(void *arg)
{
	return 0;
}

static void bare_thread(void)
{
	static char stack[16384] __attribute__((aligned(16)));
	static volatile pid_t tid;
	const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			  CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID |
			  CLONE_CHILD_CLEARTID;
	pid_t t;

	if (clone(return_at_once, stack + sizeof(stack), flags, NULL,
		  (pid_t *)&tid, NULL, (pid_t *)&tid) < 0)
		exit(1);
	while ((t = tid) != 0)
		syscall(SYS_futex, &tid, FUTEX_WAIT, t, NULL, NULL, 0);
}

static void process(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		exit(1);
}

/*
 * A process of two threads: the second makes its record, which ends with
 * the process (where its cgroup is read again). A fork with a thread.
 */
static void process_with_thread(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		thread();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		exit(1);
}

/* A syscall no tool hooks: what tracing every syscall costs the others. */
static void other_syscall(void)
{
	syscall(SYS_getppid);
}

/* Nothing: what timing one repetition costs by itself. */
static void empty(void)
{
}

/*
 * Calibration: QEMU counts each byte of a rep stosb as one instruction, as
 * it does when the kernel zeroes a new record (352 bytes) with memset().
 */
static void stosb(void)
{
	static char record[352];
	unsigned long count = sizeof(record);
	void *dest = record;

	asm volatile("rep stosb" : "+D"(dest), "+c"(count) : "a"(0) : "memory");
}

/* One full read of the debugfs table, as cat does it. */
static void read_table(void)
{
	static char buf[65536];
	int fd = open("/sys/kernel/debug/pinstat/processes", O_RDONLY);

	if (fd < 0)
		exit(1);
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

static int compare(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static void *sleep_for_good(void *arg)
{
	for (;;)
		pause();
	return arg;
}

/* Each child tells through @ready once its second thread runs. */
static void sleepers(void)
{
	int ready[2];
	pthread_t t;
	char c;
	long i;

	if (pipe(ready))
		exit(1);
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			exit(1);
		if (pid > 0)
			continue;
		close(ready[0]);
		if (pthread_create(&t, NULL, sleep_for_good, NULL) ||
		    write(ready[1], "", 1) != 1)
			_exit(1);
		close(ready[1]);
		sleep_for_good(NULL);
	}
	close(ready[1]);
	for (i = 0; i < n; i++)
		if (read(ready[0], &c, 1) != 1)
			exit(1);
}

/* Run @op n times; returns the total, and the median repetition in *median. */
static unsigned long long time_op(void (*op)(void), unsigned long long *median)
{
	unsigned long long *each = calloc(n, sizeof(*each));
	unsigned long long start, before;
	long i;

	if (!each)
		exit(1);
	op();	/* warm up: first touches are not the op's */
	start = now_ns();
	for (i = 0; i < n; i++) {
		before = now_ns();
		op();
		each[i] = now_ns() - before;
	}
	before = now_ns() - start;
	qsort(each, n, sizeof(*each), compare);
	*median = each[n / 2];
	free(each);
	return before;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*op)(void);
	} ops[] = {
		{ "setaffinity", setaffinity },
		{ "pair", pair },
		{ "thread", thread },
		{ "clone", bare_thread },
		{ "fork", process },
		{ "fork-thread", process_with_thread },
		{ "getppid", other_syscall },
		{ "read", read_table },
		{ "stosb", stosb },
		{ "empty", empty },
	};
	unsigned long long start, total, median = 0;
	unsigned int k;

	if (argc != 3 || (n = atol(argv[2])) < 1)
		goto usage;
	cpu = getenv("BENCH_CPU") ? atoi(getenv("BENCH_CPU")) : 0;
	while (getenv("BENCH_START") && access(getenv("BENCH_START"), F_OK))
		usleep(10000);
	if (!strcmp(argv[1], "sleepers")) {
		sleepers();
		return 0;
	}
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		if (strcmp(argv[1], ops[k].name))
			continue;
		if (ops[k].op == pair) {
			/* it repeats inside: its threads do n each */
			start = now_ns();
			pair();
			total = now_ns() - start;
		} else {
			total = time_op(ops[k].op, &median);
		}
		printf("%s %ld %llu %llu %llu\n", ops[k].name, n, total,
		       total / n, median);
		return 0;
	}
usage:
	fprintf(stderr,
		"usage: micro setaffinity|pair|thread|clone|fork|fork-thread|getppid|read|stosb|empty|sleepers N\n");
	return 2;
}
