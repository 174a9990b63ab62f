// SPDX-License-Identifier: GPL-2.0
/*
 * Facts from /proc (below the source root): Go binaries and CPU masks.
 */
#define _GNU_SOURCE /* sched_getaffinity() */
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "procinfo.h"
#include "source.h"
#include "util.h"

#define GO_SECTION ".go.buildinfo"
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
/*
 * /proc below the root, opened once: each path is walked from there, not
 * from "/" (10 000 processes make it count). -1 if there is none.
 */
static int proc_dir(void)
{
	static int fd = -2;
	char path[PATH_MAX];

	if (fd == -2)
		fd = open(source_path(path, "proc"),
			  O_PATH | O_DIRECTORY | O_CLOEXEC);
	return fd;
}

/* A path below /proc, as fmt says, in buf (PATH_MAX bytes). */
static const char *in_proc(char *buf, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static const char *in_proc(char *buf, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	return buf;
}

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

	if (fstatat(proc_dir(), in_proc(path, "%d/exe", pid), &st, 0))
		return -1;
	for (i = 0; i < cached; i++)
		if (cache[i].dev == st.st_dev && cache[i].ino == st.st_ino)
			return cache[i].go;
	go = elf_is_go(source_path(path, "proc/%d/exe", pid));
	if (go >= 0 && cached < CACHE_SIZE) {
		cache[cached].dev = st.st_dev;
		cache[cached].ino = st.st_ino;
		cache[cached++].go = go;
	}
	return go;
}

bool online_cpus(struct cpuset *s)
{
	char path[PATH_MAX], list[4096];

	cpuset_clear(s);
	return !read_small_file(source_path(path,
					    "sys/devices/system/cpu/online"),
				list, sizeof(list)) &&
	       cpuset_add_list(s, list);
}

/*
 * The Cpus_allowed_list of a status file, into s; false if none. Read
 * only as far as that line: the lines after it are not needed.
 */
static bool status_cpus(const char *path, struct cpuset *s)
{
	static const char key[] = "\nCpus_allowed_list:";
	/* a newline before the first line: each line follows one */
	char buf[8192] = "\n", *line = NULL;
	size_t len = 1;
	ssize_t got;
	int fd;

	fd = openat(proc_dir(), path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	while (len < sizeof(buf) - 1 &&
	       (got = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += got;
		buf[len] = '\0';
		line = strstr(buf, key);
		if (line && strchr(line + 1, '\n'))
			break;
	}
	close(fd);
	cpuset_clear(s);
	if (!line || !strchr(line + 1, '\n'))
		return false;
	line += sizeof(key) - 1;
	return cpuset_add_list(s, line + strspn(line, " \t"));
}

/*
 * On this host's /proc, sched_getaffinity() answers without the kernel
 * writing out a whole status file; below a fixture root, the file. The
 * main thread's is the process's status.
 */
static bool thread_cpus(int pid, int tid, struct cpuset *s)
{
	char path[PATH_MAX];

	if (source_is_host()) {
		cpuset_clear(s);
		return !sched_getaffinity(tid, sizeof(s->bits),
					  (cpu_set_t *)s->bits);
	}
	if (tid == pid)
		return status_cpus(in_proc(path, "%d/status", pid), s);
	return status_cpus(in_proc(path, "%d/task/%d/status", pid, tid), s);
}

/* The main thread first: most often no other needs to be asked. */
int for_each_thread_cpus(int pid, bool (*fn)(const struct cpuset *, void *),
			 void *arg)
{
	char path[PATH_MAX];
	struct cpuset cpus;
	struct dirent *e;
	int seen = 1, tid, fd;
	DIR *d;

	if (!thread_cpus(pid, pid, &cpus))
		return -1;
	if (!fn(&cpus, arg))
		return seen;
	fd = openat(proc_dir(), in_proc(path, "%d/task", pid),
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd < 0 ? NULL : fdopendir(fd);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return seen; /* gone since, or a fixture without threads */
	}
	while ((e = readdir(d))) {
		tid = atoi(e->d_name);
		/* a thread that ended since the directory was read is skipped */
		if (tid <= 0 || tid == pid || !thread_cpus(pid, tid, &cpus))
			continue;
		seen++;
		if (!fn(&cpus, arg))
			break;
	}
	closedir(d);
	return seen;
}
