// SPDX-License-Identifier: GPL-2.0
/*
 * Facts from /proc (below the source root): Go binaries and CPU masks.
 */
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "procinfo.h"
#include "source.h"

#define GO_SECTION ".go.buildinfo"
#define MAX_CPUS   8192
#define CACHE_SIZE 256

static bool read_at(int fd, void *buf, size_t len, off_t off)
{
	return pread(fd, buf, len, off) == (ssize_t)len;
}

/* Section headers, normalised to 64 bits, of a native-endian ELF file. */
struct elf_sections {
	unsigned long long shoff;
	unsigned int shentsize, shnum, shstrndx;
	bool is64;
};

static bool elf_sections(int fd, struct elf_sections *es)
{
	unsigned char ident[EI_NIDENT];
	Elf64_Ehdr e64;
	Elf32_Ehdr e32;

	if (!read_at(fd, ident, sizeof(ident), 0) ||
	    memcmp(ident, ELFMAG, SELFMAG))
		return false;
	es->is64 = ident[EI_CLASS] == ELFCLASS64;
	if (es->is64) {
		if (!read_at(fd, &e64, sizeof(e64), 0))
			return false;
		es->shoff = e64.e_shoff;
		es->shentsize = e64.e_shentsize;
		es->shnum = e64.e_shnum;
		es->shstrndx = e64.e_shstrndx;
		return es->shentsize == sizeof(Elf64_Shdr);
	}
	if (!read_at(fd, &e32, sizeof(e32), 0))
		return false;
	es->shoff = e32.e_shoff;
	es->shentsize = e32.e_shentsize;
	es->shnum = e32.e_shnum;
	es->shstrndx = e32.e_shstrndx;
	return es->shentsize == sizeof(Elf32_Shdr);
}

/* Name offset and file offset of section i. */
static bool section(int fd, const struct elf_sections *es, unsigned int i,
		    unsigned int *name, unsigned long long *offset)
{
	off_t at = es->shoff + (unsigned long long)i * es->shentsize;
	Elf64_Shdr s64;
	Elf32_Shdr s32;

	if (es->is64) {
		if (!read_at(fd, &s64, sizeof(s64), at))
			return false;
		*name = s64.sh_name;
		*offset = s64.sh_offset;
	} else {
		if (!read_at(fd, &s32, sizeof(s32), at))
			return false;
		*name = s32.sh_name;
		*offset = s32.sh_offset;
	}
	return true;
}

int elf_is_go(const char *path)
{
	unsigned long long strtab, unused;
	char name[sizeof(GO_SECTION)];
	struct elf_sections es;
	unsigned int i, off;
	int fd, found = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (!elf_sections(fd, &es) || es.shstrndx >= es.shnum ||
	    !section(fd, &es, es.shstrndx, &off, &strtab))
		goto out;
	found = 0;
	for (i = 0; i < es.shnum && !found; i++) {
		if (!section(fd, &es, i, &off, &unused) ||
		    !read_at(fd, name, sizeof(name), strtab + off))
			continue;
		found = !memcmp(name, GO_SECTION, sizeof(name));
	}
out:
	close(fd);
	return found;
}

/* Processes share executables: remember the answer per file. */
static struct {
	dev_t dev;
	ino_t ino;
	int go;
} cache[CACHE_SIZE];
static int cached;

int proc_is_go(int pid)
{
	char path[PATH_MAX];
	struct stat st;
	int i, go;

	if (stat(source_path(path, "proc/%d/exe", pid), &st))
		return -1;
	for (i = 0; i < cached; i++)
		if (cache[i].dev == st.st_dev && cache[i].ino == st.st_ino)
			return cache[i].go;
	go = elf_is_go(path);
	if (go >= 0 && cached < CACHE_SIZE) {
		cache[cached].dev = st.st_dev;
		cache[cached].ino = st.st_ino;
		cache[cached++].go = go;
	}
	return go;
}

int cpu_list_count(const char *list, int *only)
{
	int count = 0, a, b, n;
	const char *p = list;

	*only = -1;
	while (*p) {
		if (sscanf(p, "%d%n", &a, &n) != 1 || a < 0)
			return -1;
		p += n;
		b = a;
		if (*p == '-') {
			if (sscanf(p + 1, "%d%n", &b, &n) != 1 || b < a)
				return -1;
			p += 1 + n;
		}
		if (b >= MAX_CPUS)
			return -1;
		count += b - a + 1;
		*only = a;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -1;
		else
			break;
	}
	if (count != 1)
		*only = -1;
	return count;
}

/* The Cpus_allowed_list of a status file, into buf; false if none. */
static bool status_cpu_list(const char *path, char *buf, size_t size)
{
	static const char key[] = "Cpus_allowed_list:";
	FILE *f = fopen(path, "re");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(buf, size, f))
		found = !strncmp(buf, key, sizeof(key) - 1);
	fclose(f);
	if (found)
		memmove(buf,
			buf + sizeof(key) - 1 +
				strspn(buf + sizeof(key) - 1, " \t"),
			strlen(buf + sizeof(key) - 1) + 1);
	return found;
}

static int status_cpus(const char *path, int *only)
{
	char list[4096];

	return status_cpu_list(path, list, sizeof(list)) ?
		       cpu_list_count(list, only) :
		       -1;
}

/* Add the CPUs of a list such as "0-3,8" to a bitset; false if malformed. */
static bool cpu_list_add(const char *list, unsigned long long *set, int max)
{
	int a, b, n;

	while (*list && *list != '\n') {
		if (sscanf(list, "%d%n", &a, &n) != 1 || a < 0)
			return false;
		list += n;
		b = a;
		if (*list == '-' &&
		    (sscanf(list + 1, "%d%n", &b, &n) != 1 || b < a))
			return false;
		if (*list == '-')
			list += 1 + n;
		for (; a <= b && a < max; a++)
			set[a / 64] |= 1ULL << (a % 64);
		if (*list == ',')
			list++;
	}
	return true;
}

/*
 * The CPUs the process may use: those any of its threads is allowed on
 * (one pinned thread does not shrink what the others may use).
 */
int proc_cpus_allowed(int pid)
{
	unsigned long long set[MAX_CPUS / 64] = { 0 };
	char path[PATH_MAX], list[4096];
	struct dirent *e;
	int count = 0, i;
	DIR *d;

	d = opendir(source_path(path, "proc/%d/task", pid));
	if (!d) {
		/* no task list (a fixture, say): the main thread's */
		if (status_cpu_list(source_path(path, "proc/%d/status", pid),
				    list, sizeof(list)))
			cpu_list_add(list, set, MAX_CPUS);
	} else {
		while ((e = readdir(d)))
			if (e->d_name[0] != '.' &&
			    status_cpu_list(source_path(path,
							"proc/%d/task/%s/status",
							pid, e->d_name),
					    list, sizeof(list)))
				cpu_list_add(list, set, MAX_CPUS);
		closedir(d);
	}
	for (i = 0; i < MAX_CPUS / 64; i++)
		if (set[i])
			count += __builtin_popcountll(set[i]);
	return count;
}

int proc_pinned_cpus(int pid, int *counts, int max)
{
	char path[PATH_MAX];
	struct dirent *e;
	int seen = 0, only;
	DIR *d;

	d = opendir(source_path(path, "proc/%d/task", pid));
	if (!d)
		return -1;
	memset(counts, 0, max * sizeof(*counts));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (status_cpus(source_path(path, "proc/%d/task/%s/status", pid,
					    e->d_name),
				&only) != 1 ||
		    only >= max)
			continue;
		counts[only]++;
		if (only + 1 > seen)
			seen = only + 1;
	}
	closedir(d);
	return seen;
}
