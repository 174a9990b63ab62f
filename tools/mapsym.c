// SPDX-License-Identifier: GPL-2.0
/*
 * A process's executable mappings, from /proc/PID/maps: "START-END PERMS
 * OFFSET MAJOR:MINOR INODE PATH", addresses and offset in hex, the path
 * last (it may hold spaces; " (deleted)" ends a removed file's).
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "elfsym.h"
#include "mapsym.h"

struct mapping {
	unsigned long long start, end, offset, inode;
	char perms[8];
	char path[PATH_MAX];
};

/* A line of maps; false for one that is not an executable file's. */
static bool parse_mapping(char *line, struct mapping *m)
{
	char *nl = strchr(line, '\n');
	int n = 0;

	if (nl)
		*nl = '\0';
	if (sscanf(line, "%llx-%llx %7s %llx %*x:%*x %llu %n", &m->start,
		   &m->end, m->perms, &m->offset, &m->inode, &n) != 5 ||
	    !n || line[n] != '/' || m->perms[2] != 'x' || m->end <= m->start)
		return false;
	snprintf(m->path, sizeof(m->path), "%s", line + n);
	return true;
}

/*
 * The file mapped by m, to read: its map_files link, else (not root) its
 * path seen from the process's root if that is still the file mapped.
 */
static const char *mapped_file(const char *proc, int pid,
			       const struct mapping *m, char *buf, size_t size)
{
	struct stat st;
	int n;

	snprintf(buf, size, "%s/%d/map_files/%llx-%llx", proc, pid, m->start,
		 m->end);
	if (!stat(buf, &st))
		return buf;
	n = snprintf(buf, size, "%s/%d/root%s", proc, pid, m->path);
	if (n < 0 || (size_t)n >= size || stat(buf, &st) ||
	    (unsigned long long)st.st_ino != m->inode)
		return NULL;
	return buf;
}

/* name's address in m's file, if the file maps it there. */
static bool mapped_func(const char *proc, int pid, const struct mapping *m,
			const char *name, uint64_t *addr)
{
	char buf[PATH_MAX + 64];
	const char *file = mapped_file(proc, pid, m, buf, sizeof(buf));
	uint64_t off;

	if (!file || elfsym_func_offset(file, name, &off) || off < m->offset ||
	    off - m->offset >= m->end - m->start)
		return false;
	*addr = m->start + (off - m->offset);
	return true;
}

int mapsym_find(const char *proc, int pid, const char *name, uint64_t *addr,
		char *file, size_t size)
{
	char path[PATH_MAX], line[PATH_MAX + 256];
	struct mapping m;
	bool found = false, whole = true;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d/maps", proc, pid);
	f = fopen(path, "re");
	if (!f)
		return ELFSYM_EREAD;
	while (!found && fgets(line, sizeof(line), f)) {
		/* the rest of a line too long is no line of its own */
		bool part = whole;

		whole = strchr(line, '\n') != NULL;
		if (part && parse_mapping(line, &m))
			found = mapped_func(proc, pid, &m, name, addr);
	}
	fclose(f);
	if (found && size)
		snprintf(file, size, "%s", m.path);
	return found ? 0 : ELFSYM_ENOFUNC;
}
