/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What /proc says about a process, beyond pinstat's counters: whether it
 * runs a Go binary, and the CPUs its threads may use.
 */
#ifndef PINSTAT_PROCINFO_H
#define PINSTAT_PROCINFO_H

#include <stdbool.h>

/* Does the ELF file at path have a .go.buildinfo section? 1, 0, -1: error */
int elf_is_go(const char *path);
/* The same for a process's executable, cached per file: -1 if unknown. */
int proc_is_go(int pid);
/* CPUs any thread of the process may use, or 0 if unknown. */
int proc_cpus_allowed(int pid);
/*
 * Threads of pid allowed on exactly one CPU, counted per CPU into
 * counts[0..max): returns the number of CPUs seen (highest + 1), or -1.
 */
int proc_pinned_cpus(int pid, int *counts, int max);
/* Parse a CPU list such as "0-3,8": how many CPUs, and the only one. */
int cpu_list_count(const char *list, int *only);

#endif /* PINSTAT_PROCINFO_H */
