// SPDX-License-Identifier: GPL-2.0
/*
 * Thread patterns that pinstat is meant to expose, in plain C so that they
 * run anywhere (the Go reproductions live next to this file):
 *
 *   churn  every request runs on a new thread that exits when done
 *   leak   a new worker thread is started now and then and never stops
 *   repin  a fixed pool whose workers re-pin themselves on every request
 *   pool   a fixed pool of workers, each pinned once: the healthy design
 *   grow-churn  every second a thread that exits at once, then two that
 *               stay blocked: growth with threads exiting alone all the
 *               while, which is no leak (and idle)
 *   idle   a fixed pool of workers that wait, doing nothing
 *   orphan  the main thread starts a worker and ends on its own; the
 *           worker ends the process
 *
 * Usage: patterns MODE [SECONDS]   (default 5 seconds, then exit)
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define POOL_SIZE	4
#define REQUEST_MS	10	/* one request every 10 ms */

static volatile unsigned long sink;
static int ncpus;

static void pause_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void work(void)
{
	for (int i = 0; i < 100000; i++)
		sink += i;
}

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % ncpus, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *request_thread(void *arg)
{
	work();
	return NULL;
}

/* Exits at once: the churn without the work, to keep grow-churn idle. */
static void *exit_thread(void *arg)
{
	return arg;
}

static void *forever_thread(void *arg)
{
	for (;;)
		pause();
	return NULL;
}

/* Ends the process after @arg seconds. */
static void *exit_later(void *arg)
{
	pause_ms((long)arg * 1000);
	exit(0);
}

static void *repin_worker(void *arg)
{
	for (unsigned long n = (unsigned long)arg;; n++) {
		pin_to(n);
		work();
		pause_ms(REQUEST_MS);
	}
	return NULL;
}

static void *pool_worker(void *arg)
{
	pin_to((long)arg);
	for (;;) {
		work();
		pause_ms(REQUEST_MS);
	}
	return NULL;
}

static void start(void *(*fn)(void *), long arg, bool join)
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, (void *)arg)) {
		perror("pthread_create");
		exit(1);
	}
	if (join)
		pthread_join(t, NULL);
	else
		pthread_detach(t);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int seconds = argc > 2 ? atoi(argv[2]) : 5;
	time_t end = time(NULL) + seconds;
	long i;

	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (!strcmp(mode, "churn")) {
		for (i = 0; time(NULL) < end; i++) {
			start(request_thread, 0, true);
			pause_ms(REQUEST_MS);
		}
	} else if (!strcmp(mode, "leak")) {
		for (i = 0; time(NULL) < end; i++) {
			start(forever_thread, 0, false);
			pause_ms(10 * REQUEST_MS);
		}
	} else if (!strcmp(mode, "grow-churn")) {
		/* Each step a new high of live threads, yet also an exit. */
		for (i = 0; time(NULL) < end; i++) {
			start(exit_thread, 0, true);
			start(forever_thread, 0, false);
			start(forever_thread, 0, false);
			pause_ms(1000);
		}
	} else if (!strcmp(mode, "repin") || !strcmp(mode, "pool")) {
		for (i = 0; i < POOL_SIZE; i++)
			start(mode[0] == 'r' ? repin_worker : pool_worker, i,
			      false);
		pause_ms(seconds * 1000);
	} else if (!strcmp(mode, "idle")) {
		for (i = 0; i < POOL_SIZE; i++)
			start(forever_thread, 0, false);
		pause_ms(seconds * 1000);
	} else if (!strcmp(mode, "orphan")) {
		start(exit_later, seconds, false);
		pthread_exit(NULL);
	} else {
		fprintf(stderr,
			"usage: %s churn|leak|repin|pool|grow-churn|idle|orphan [SECONDS]\n",
			argv[0]);
		return 2;
	}
	return 0;
}
