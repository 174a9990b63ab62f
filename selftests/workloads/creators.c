// SPDX-License-Identifier: GPL-2.0
/*
 * creators: creates threads from two known functions, a known number of
 * times each, for the thread-creation tracing tests. Built with frame
 * pointers. It waits until the file named by its first argument exists
 * (the test starts tracing, then creates it), then:
 *
 *   spawn_seven() creates 7 threads, one after another;
 *   spawn_three() creates 3;
 *
 * each thread ending at once (joined). Then it prints "done" and waits to
 * be killed.
 *
 * Usage: creators STARTFILE
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *nothing(void *arg)
{
	return arg;
}

/*
 * The thread at @t, created with result @err, joined; exits the program
 * if none could be. By pointer: the call that creates it is an argument
 * too, and arguments are evaluated in no set order.
 */
static void joined(int err, const pthread_t *t)
{
	if (err) {
		fprintf(stderr, "pthread_create: error %d\n", err);
		exit(1);
	}
	pthread_join(*t, NULL);
}

static __attribute__((noinline)) void spawn_seven(void)
{
	pthread_t t;
	int i;

	for (i = 0; i < 7; i++)
		joined(pthread_create(&t, NULL, nothing, NULL), &t);
}

static __attribute__((noinline)) void spawn_three(void)
{
	pthread_t t;
	int i;

	for (i = 0; i < 3; i++)
		joined(pthread_create(&t, NULL, nothing, NULL), &t);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s STARTFILE\n", argv[0]);
		return 2;
	}
	while (access(argv[1], F_OK))
		usleep(10000);
	spawn_seven();
	spawn_three();
	printf("done\n");
	fflush(stdout);
	for (;;)
		pause();
}
