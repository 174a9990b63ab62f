/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The "mutate" command of the test tools (gosym_tool, elfsym_tool): copies
 * of a file with a few bytes changed, or cut short, each read by every call
 * of the reader under test, which must give errors, never crash (the tools
 * are built with ASan and UBSan under SANITIZE=1).
 */
#ifndef PINSTAT_TESTS_MUTATE_H
#define PINSTAT_TESTS_MUTATE_H

#include <stddef.h>

struct mutate {
	/* Change a few bytes of data, or keep a prefix of it: its new size. */
	size_t (*change)(unsigned char *data, size_t size, unsigned int *seed,
			 const void *arg);
	/* Every call on the copy at path, its results thrown away. */
	void (*exercise)(const char *path, size_t size, unsigned int *seed);
	const void *arg; /* change's */
};

/* The bytes of the file at path (*size of them), or NULL. */
unsigned char *mutate_load(const char *path, size_t *size);

/*
 * runs changed copies of data, each written to a memfd and exercised
 * through /proc/self/fd, the same ones every time (a fixed seed); then
 * "RUNS runs" on stdout. 0, or -1 if a copy cannot be made.
 */
int mutate_runs(const unsigned char *data, size_t size, int runs,
		const struct mutate *m);

#endif /* PINSTAT_TESTS_MUTATE_H */
