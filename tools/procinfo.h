/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What /proc says about a process, beyond pinstat's counters: whether it
 * runs a Go binary, and the CPUs its threads may use.
 */
#ifndef PINSTAT_PROCINFO_H
#define PINSTAT_PROCINFO_H

#include <stdbool.h>
#include "cpuset.h"

/* Does the ELF file at path have a .go.buildinfo section? 1, 0, -1: error */
int elf_is_go(const char *path);
/* The same for a process's executable, cached per file: -1 if unknown. */
int proc_is_go(int pid);
/* The CPUs online: the most a thread may be allowed. False if unknown. */
bool online_cpus(struct cpuset *s);
/*
 * Call fn with the CPUs each thread of pid may use, the main thread
 * first, until it returns false: how many threads were asked, or -1 if
 * the process is gone.
 */
int for_each_thread_cpus(int pid, bool (*fn)(const struct cpuset *, void *),
			 void *arg);

#endif /* PINSTAT_PROCINFO_H */
