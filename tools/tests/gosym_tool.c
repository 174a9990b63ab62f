// SPDX-License-Identifier: GPL-2.0
/*
 * gosym.c from the command line, for tests/gosym.sh, which checks it
 * against Go's own tools on executables built at test time:
 *
 *   gosym_tool offset FILE NAME    the file offset of function NAME
 *   gosym_tool entry FILE OFFSET   does a function start there
 *   gosym_tool sym FILE OFFSET     the call returning to OFFSET: its
 *                                  function, then FILE:LINE
 *   gosym_tool inlined FILE NAME   the offsets where NAME's code starts:
 *                                  its entry, then its inlined copies
 *   gosym_tool addr FILE OFFSET    that call's address
 *   gosym_tool buildid FILE
 *   gosym_tool mutate FILE RUNS START LENGTH
 *                                  every call above on RUNS copies of FILE
 *                                  with bytes changed in its first page and
 *                                  in START..START+LENGTH, or cut short
 *
 * Exits 0, 2 on a usage error, or 10 + the gosym_error's number.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "gosym.h"
#include "mutate.h"

static int fail(int err)
{
	fprintf(stderr, "gosym_tool: %s\n", gosym_strerror(err));
	return 10 - err;
}

static int usage(void)
{
	fprintf(stderr, "usage: gosym_tool offset|entry|sym|addr|inlined|"
			"buildid|mutate FILE [ARG...]\n");
	return 2;
}

/* Every offset where name's code starts, one a line. */
static int inlined(const char *path, const char *name)
{
	uint64_t offs[4096];
	int i, n = gosym_inlined_entries(path, name, offs, 4096);

	if (n < 0)
		return fail(n);
	for (i = 0; i < n && i < 4096; i++)
		printf("0x%llx\n", (unsigned long long)offs[i]);
	return n > 4096 ? fail(GOSYM_EREAD) : 0;
}

static int one(const char *cmd, const char *path, const char *arg)
{
	uint64_t off = arg ? strtoull(arg, NULL, 0) : 0;
	struct gosym_site site;
	char id[256];
	int err;

	if (!strcmp(cmd, "offset") && arg) {
		err = gosym_func_offset(path, arg, &off);
		if (!err)
			printf("0x%llx\n", (unsigned long long)off);
	} else if (!strcmp(cmd, "entry") && arg) {
		err = gosym_check_entry(path, off);
	} else if (!strcmp(cmd, "sym") && arg) {
		err = gosym_symbolize(path, off, &site);
		if (!err && site.outer[0])
			printf("%s\n%s:%d\ninlined %s\n", site.outer, site.file,
			       site.line, site.func);
		else if (!err)
			printf("%s\n%s:%d\n", site.func, site.file, site.line);
	} else if (!strcmp(cmd, "inlined") && arg) {
		return inlined(path, arg);
	} else if (!strcmp(cmd, "addr") && arg) {
		err = gosym_call_address(path, off, &off);
		if (!err)
			printf("0x%llx\n", (unsigned long long)off);
	} else if (!strcmp(cmd, "buildid")) {
		err = gosym_build_id(path, id, sizeof(id));
		if (!err)
			printf("%s\n", id);
	} else {
		return usage();
	}
	return err ? fail(err) : 0;
}

/* Every call on the file at path, its results thrown away. */
static void exercise(const char *path, size_t size, unsigned int *seed)
{
	struct gosym_site site;
	uint64_t off = 0, offs[4];
	char id[64];
	int i;

	gosym_inlined_entries(path, "runtime.UnlockOSThread", offs, 4);
	gosym_inlined_entries(path, "runtime.UnlockOSThread", NULL, 0);
	if (!gosym_func_offset(path, "runtime.LockOSThread", &off)) {
		gosym_check_entry(path, off);
		gosym_symbolize(path, off + 1, &site);
	}
	gosym_func_offset(path, "main.main", &off);
	for (i = 0; i < 16; i++) {
		off = (uint64_t)rand_r(seed) % (size + 1);
		gosym_check_entry(path, off);
		gosym_symbolize(path, off, &site);
		gosym_call_address(path, off, &off);
	}
	gosym_build_id(path, id, sizeof(id));
	gosym_build_id(path, id, 1);
	gosym_release();
}

/* Where bytes are changed besides the first page. */
struct region {
	size_t start, len;
};

/* Change a few bytes of data, or keep a prefix of it: its new size. */
static size_t change(unsigned char *data, size_t size, unsigned int *seed,
		     const void *arg)
{
	const struct region *r = arg;
	size_t at, start = r->start, len = r->len;
	int i, n = 1 + rand_r(seed) % 8;

	if (rand_r(seed) % 8 == 0)
		return (size_t)rand_r(seed) % size;
	for (i = 0; i < n; i++) {
		if (rand_r(seed) % 2 || !len)
			at = (size_t)rand_r(seed) % (size < 4096 ? size : 4096);
		else
			at = start + (size_t)rand_r(seed) % len;
		if (at >= size)
			continue;
		if (rand_r(seed) % 3)
			data[at] = (unsigned char)rand_r(seed);
		else
			data[at] ^= 0x80; /* a sign flipped */
	}
	return size;
}

static int mutate(const char *file, int runs, size_t start, size_t len)
{
	struct region r = { start, len };
	struct mutate m = { change, exercise, &r };
	size_t size = 0;
	unsigned char *data = mutate_load(file, &size);
	int err;

	if (!data || start > size) {
		free(data);
		return fail(GOSYM_EREAD);
	}
	if (r.len > size - start)
		r.len = size - start;
	err = mutate_runs(data, size, runs, &m);
	free(data);
	return err ? fail(GOSYM_EREAD) : 0;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "mutate"))
		return mutate(argv[2], atoi(argv[3]), strtoul(argv[4], NULL, 0),
			      strtoul(argv[5], NULL, 0));
	if (argc < 3 || argc > 4)
		return usage();
	return one(argv[1], argv[2], argc == 4 ? argv[3] : NULL);
}
