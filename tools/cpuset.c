// SPDX-License-Identifier: GPL-2.0
/*
 * Sets of CPUs: a bitmap as wide as the kernel's largest NR_CPUS.
 */
#include <stdio.h>
#include <string.h>
#include "cpuset.h"

#define WORDS (MAX_CPUS / CPUSET_WORD_BITS)

void cpuset_clear(struct cpuset *s)
{
	memset(s, 0, sizeof(*s));
}

static void cpuset_add(struct cpuset *s, int cpu)
{
	s->bits[cpu / CPUSET_WORD_BITS] |= 1UL << (cpu % CPUSET_WORD_BITS);
}

/* "a" or "a-b", at *list; moved past it. */
static bool range(const char **list, int *a, int *b)
{
	int n;

	if (sscanf(*list, "%d%n", a, &n) != 1 || *a < 0)
		return false;
	*list += n;
	*b = *a;
	if (**list == '-') {
		if (sscanf(*list + 1, "%d%n", b, &n) != 1 || *b < *a)
			return false;
		*list += 1 + n;
	}
	return *b < MAX_CPUS;
}

/* The kernel's own format (bitmap_print_to_pagebuf), nothing else. */
bool cpuset_add_list(struct cpuset *s, const char *list)
{
	int a, b;

	while (*list && *list != '\n') {
		if (!range(&list, &a, &b))
			return false;
		for (; a <= b; a++)
			cpuset_add(s, a);
		if (*list == ',')
			list++;
		else if (*list && *list != '\n')
			return false;
	}
	return true;
}

void cpuset_union(struct cpuset *s, const struct cpuset *other)
{
	int i;

	for (i = 0; i < WORDS; i++)
		s->bits[i] |= other->bits[i];
}

void cpuset_intersect(struct cpuset *s, const struct cpuset *other)
{
	int i;

	for (i = 0; i < WORDS; i++)
		s->bits[i] &= other->bits[i];
}

bool cpuset_covers(const struct cpuset *s, const struct cpuset *other)
{
	int i;

	for (i = 0; i < WORDS; i++)
		if (other->bits[i] & ~s->bits[i])
			return false;
	return true;
}

int cpuset_count(const struct cpuset *s)
{
	int i, count = 0;

	for (i = 0; i < WORDS; i++)
		count += __builtin_popcountl(s->bits[i]);
	return count;
}

int cpuset_only(const struct cpuset *s)
{
	int i;

	if (cpuset_count(s) != 1)
		return -1;
	for (i = 0; !s->bits[i]; i++)
		;
	return i * CPUSET_WORD_BITS + __builtin_ctzl(s->bits[i]);
}
