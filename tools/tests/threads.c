// SPDX-License-Identifier: GPL-2.0
/*
 * A C program that creates a thread from worker_pool_grow(), built with
 * frame pointers by tests/elfsym.sh and tests/run.sh to name its calls;
 * "threads sleep FILE" then creates FILE and sleeps, for a live process.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void *work(void *arg)
{
	return arg;
}

__attribute__((noinline)) void worker_pool_grow(void)
{
	pthread_t t;

	if (!pthread_create(&t, NULL, work, NULL))
		pthread_join(t, NULL);
}

int main(int argc, char **argv)
{
	worker_pool_grow();
	if (argc > 2 && !strcmp(argv[1], "sleep")) {
		fclose(fopen(argv[2], "w"));
		pause();
	}
	return 0;
}
