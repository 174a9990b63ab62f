/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An ELF file read by the CLI (gosym.c, elfsym.c): opened once and cached,
 * read through small windows, its headers checked, offsets and addresses
 * converted. 64-bit little-endian ELF for x86-64 or arm64 only.
 *
 * Files are untrusted: every read is checked against the file's size, and
 * a crafted file gets an error, never a crash. Each user keeps its own
 * cache of the last few files opened, told apart by device, inode, size
 * and mtime, so /proc/PID/exe of processes running the same binary share
 * one and a rebuilt binary is read again.
 */
#ifndef PINSTAT_ELFFILE_H
#define PINSTAT_ELFFILE_H

#include <elf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

/* The same numbers as GOSYM_* and ELFSYM_*, which pass them on. */
enum elffile_error {
	ELFFILE_EREAD = -1,   /* cannot open or read the file */
	ELFFILE_ENOTELF = -2, /* not a 64-bit little-endian x86-64/arm64 ELF */
};

/* Files kept open by one cache. */
#define ELFFILE_CACHED 4

struct elffile_window;

struct elffile {
	Elf64_Ehdr eh;
	Elf64_Phdr *ph; /* eh.e_phnum of them */
	Elf64_Shdr *sh; /* eh.e_shnum of them; e_shnum is 0 if unreadable */
	uint64_t size;	/* of the file */
	/* the rest is elffile.c's */
	int fd;
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	unsigned long used, clock;
	int windows;
	struct elffile_window *win;
};

/*
 * One user's files. A user that keeps more of a file (gosym.c: where Go's
 * tables are) embeds a struct elffile first in a struct of its own, size
 * bytes, which starts zeroed; elffile_get's file points to it.
 */
struct elffile_cache {
	size_t size; /* sizeof(struct elffile) or more */
	int windows; /* read windows of a file: the regions read in turn */
	struct elffile *slot[ELFFILE_CACHED];
	unsigned long clock;
};

/*
 * The file at path in cache c, opened and its headers read (a file without
 * sections is still one), or as cached: 0 or an elffile_error.
 */
int elffile_get(struct elffile_cache *c, const char *path,
		struct elffile **file);

/* Close the files of cache c and free what was read of them. */
void elffile_release(struct elffile_cache *c);

/* Copy len bytes from file offset off; false past the end of the file. */
bool elffile_read(struct elffile *f, uint64_t off, void *dst, size_t len);

/* Is the string at file offset off, in a region ending at end, name? */
bool elffile_string_is(struct elffile *f, uint64_t off, uint64_t end,
		       const char *name);

/*
 * The NUL-terminated string at file offset off into buf, cut to fit; false
 * if the region ending at end ends before its NUL.
 */
bool elffile_string(struct elffile *f, uint64_t off, uint64_t end, char *buf,
		    size_t size);

/* The PT_LOAD segment holding vaddr, or file offset addr; code if exec. */
const Elf64_Phdr *elffile_segment(const struct elffile *f, uint64_t addr,
				  bool is_vaddr, bool exec);

/* A file offset (of code only if exec) to its address, and back. */
bool elffile_off_to_vaddr(const struct elffile *f, uint64_t off, bool exec,
			  uint64_t *vaddr);
bool elffile_vaddr_to_off(const struct elffile *f, uint64_t vaddr, bool exec,
			  uint64_t *off);

/* The section named name, or NULL. */
const Elf64_Shdr *elffile_section(struct elffile *f, const char *name);

#endif /* PINSTAT_ELFFILE_H */
