/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sets of CPUs, as the kernel writes them in lists ("0-3,8") and as
 * sched_getaffinity() fills them: the one parser of CPU lists.
 */
#ifndef PINSTAT_CPUSET_H
#define PINSTAT_CPUSET_H

#include <stdbool.h>

#define MAX_CPUS 8192 /* the kernel's NR_CPUS at most */

#define CPUSET_WORD_BITS (8 * (int)sizeof(unsigned long))

/* The kernel's layout (a cpumask): sched_getaffinity() fills it as is. */
struct cpuset {
	unsigned long bits[MAX_CPUS / CPUSET_WORD_BITS];
};

void cpuset_clear(struct cpuset *s);
/* Add the CPUs of a list such as "0-3,8\n"; false if it is malformed. */
bool cpuset_add_list(struct cpuset *s, const char *list);
/* Add every CPU of other to s. */
void cpuset_union(struct cpuset *s, const struct cpuset *other);
/* Keep only the CPUs of s that other has too. */
void cpuset_intersect(struct cpuset *s, const struct cpuset *other);
/* Does s hold every CPU of other? */
bool cpuset_covers(const struct cpuset *s, const struct cpuset *other);
int cpuset_count(const struct cpuset *s);
/* The only CPU of s, or -1 if it has none or more. */
int cpuset_only(const struct cpuset *s);

#endif /* PINSTAT_CPUSET_H */
