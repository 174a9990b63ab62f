// SPDX-License-Identifier: GPL-2.0
/* Changed copies of a file for the test tools: see mutate.h. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "mutate.h"

unsigned char *mutate_load(const char *path, size_t *size)
{
	unsigned char *data = NULL;
	FILE *f = fopen(path, "rb");
	long n;

	if (f && !fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 &&
	    !fseek(f, 0, SEEK_SET)) {
		data = malloc((size_t)n);
		*size = (size_t)n;
		if (data && fread(data, 1, *size, f) != *size) {
			free(data);
			data = NULL;
		}
	}
	if (f)
		fclose(f);
	return data;
}

int mutate_runs(const unsigned char *data, size_t size, int runs,
		const struct mutate *m)
{
	unsigned char *copy = malloc(size);
	unsigned int seed = 1;
	int i, fd = memfd_create("mutate", 0), err = -1;
	char path[64];
	size_t n;

	if (!copy || fd < 0)
		goto out;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	for (i = 0; i < runs; i++) {
		memcpy(copy, data, size);
		n = m->change(copy, size, &seed, m->arg);
		if (ftruncate(fd, 0) || pwrite(fd, copy, n, 0) != (ssize_t)n)
			goto out;
		m->exercise(path, n, &seed);
	}
	printf("%d runs\n", runs);
	err = 0;
out:
	if (fd >= 0)
		close(fd);
	free(copy);
	return err;
}
