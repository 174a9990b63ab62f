/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a function starts in a running process: the files it maps to run
 * (its executable, its libraries), read through /proc/PID/map_files, whose
 * links reach the very file mapped whatever the process's mount namespace
 * (root only; others read the mapped path below /proc/PID/root), and
 * looked up by elfsym.h.
 */
#ifndef PINSTAT_MAPSYM_H
#define PINSTAT_MAPSYM_H

#include <stddef.h>
#include <stdint.h>

/*
 * The address of function name in process pid, from the first executable
 * file mapping of /proc/PID/maps (the executable's come first) whose file
 * defines it inside that mapping; its path as mapped into file (cut to
 * fit). proc is the /proc directory ("/proc", or a fixture's). 0,
 * ELFSYM_ENOFUNC when no mapped file has it, ELFSYM_EREAD when the maps
 * cannot be read.
 */
int mapsym_find(const char *proc, int pid, const char *name, uint64_t *addr,
		char *file, size_t size);

#endif /* PINSTAT_MAPSYM_H */
