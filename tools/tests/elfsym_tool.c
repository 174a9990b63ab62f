// SPDX-License-Identifier: GPL-2.0
/*
 * elfsym.c and mapsym.c from the command line, for tests/elfsym.sh, which
 * checks them against binutils on C programs built at test time:
 *
 *   elfsym_tool find PID NAME      NAME's address in process PID, then the
 *                                  file that has it
 *   elfsym_tool offset FILE NAME   the file offset of function NAME
 *   elfsym_tool sym FILE OFFSET    the call returning to OFFSET: FUNC+0xOFF
 *   elfsym_tool mutate FILE RUNS   every call above on RUNS copies of FILE
 *                                  with bytes changed, or cut short
 *
 * Exits 0, 2 on a usage error, or 10 + the elfsym_error's number.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "elfsym.h"
#include "mapsym.h"
#include "mutate.h"

static int fail(int err)
{
	fprintf(stderr, "elfsym_tool: %s\n", elfsym_strerror(err));
	return 10 - err;
}

static int usage(void)
{
	fprintf(stderr, "usage: elfsym_tool find|offset|sym|mutate ARG...\n");
	return 2;
}

static int one(const char *cmd, const char *a, const char *b)
{
	char name[PATH_MAX];
	uint64_t v = 0;
	int err;

	if (!strcmp(cmd, "find")) {
		err = mapsym_find("/proc", atoi(a), b, &v, name, sizeof(name));
		if (!err)
			printf("0x%llx\n%s\n", (unsigned long long)v, name);
	} else if (!strcmp(cmd, "offset")) {
		err = elfsym_func_offset(a, b, &v);
		if (!err)
			printf("0x%llx\n", (unsigned long long)v);
	} else if (!strcmp(cmd, "sym")) {
		err = elfsym_symbolize(a, strtoull(b, NULL, 0), name,
				       sizeof(name));
		if (!err)
			printf("%s\n", name);
	} else {
		return usage();
	}
	return err ? fail(err) : 0;
}

/* Every call on the file at path, its results thrown away. */
static void exercise(const char *path, size_t size, unsigned int *seed)
{
	char name[64];
	uint64_t off = 0;
	int i;

	if (!elfsym_func_offset(path, "main", &off))
		elfsym_symbolize(path, off + 1, name, sizeof(name));
	elfsym_func_offset(path, "pthread_create", &off);
	for (i = 0; i < 16; i++) {
		off = (uint64_t)rand_r(seed) % (size + 1);
		elfsym_symbolize(path, off, name, sizeof(name));
		elfsym_symbolize(path, off, name, 1 + rand_r(seed) % 32);
	}
	elfsym_release();
}

/* Change a few bytes of data, or keep a prefix of it: its new size. */
static size_t change(unsigned char *data, size_t size, unsigned int *seed,
		     const void *arg)
{
	size_t at;
	int i, n = 1 + rand_r(seed) % 8;

	if (rand_r(seed) % 8 == 0)
		return (size_t)rand_r(seed) % size;
	for (i = 0; i < n; i++) {
		if (rand_r(seed) % 2)
			at = (size_t)rand_r(seed) % (size < 256 ? size : 256);
		else
			at = (size_t)rand_r(seed) % size;
		if (rand_r(seed) % 3)
			data[at] = (unsigned char)rand_r(seed);
		else
			data[at] ^= 0x80;
	}
	/* the symbol tables and section headers, at the end of the file */
	if (rand_r(seed) % 2) {
		at = size - 1 -
		     (size_t)rand_r(seed) % (size < 4096 ? size : 4096);
		data[at] = (unsigned char)rand_r(seed);
	}
	return size;
}

static int mutate(const char *file, int runs)
{
	struct mutate m = { change, exercise, NULL };
	size_t size = 0;
	unsigned char *data = mutate_load(file, &size);
	int err = data ? mutate_runs(data, size, runs, &m) : -1;

	free(data);
	return err ? fail(ELFSYM_EREAD) : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "mutate"))
		return mutate(argv[2], atoi(argv[3]));
	if (argc != 4)
		return usage();
	return one(argv[1], argv[2], argv[3]);
}
