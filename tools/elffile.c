// SPDX-License-Identifier: GPL-2.0
/*
 * ELF files read with pread() through a few small windows rather than
 * loaded: a lookup touches a few dozen places of tables that can be tens
 * of megabytes, so a cached file costs a few pages whatever its size.
 * Every offset read from the file is checked against the file, or the
 * region it points into, before it is followed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "elffile.h"

#define WINDOW_SIZE 4096

struct elffile_window {
	uint64_t off;
	size_t len;
	unsigned long used;
	unsigned char buf[WINDOW_SIZE];
};

static bool pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	ssize_t n;

	while (len) {
		n = pread(fd, buf, len, (off_t)off);
		if (n <= 0)
			return false;
		buf = (char *)buf + n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return true;
}

/* A window over off, started a little before it for backward steps. */
static struct elffile_window *window_fill(struct elffile *f,
					  struct elffile_window *w,
					  uint64_t off, size_t len)
{
	uint64_t start = off - (off % 512);

	if (off + len > start + WINDOW_SIZE)
		start = off;
	w->off = start;
	w->len = WINDOW_SIZE;
	if (f->size - start < WINDOW_SIZE)
		w->len = (size_t)(f->size - start);
	if (!pread_all(f->fd, w->buf, w->len, start)) {
		w->len = 0;
		return NULL;
	}
	return w;
}

bool elffile_read(struct elffile *f, uint64_t off, void *dst, size_t len)
{
	struct elffile_window *w, *lru = &f->win[0];
	int i;

	if (off > f->size || len > f->size - off)
		return false;
	if (len > WINDOW_SIZE)
		return pread_all(f->fd, dst, len, off);
	for (i = 0; i < f->windows; i++) {
		w = &f->win[i];
		if (w->len && off >= w->off && off + len <= w->off + w->len)
			goto hit;
		if (w->used < lru->used)
			lru = w;
	}
	w = window_fill(f, lru, off, len);
	if (!w)
		return false;
hit:
	memcpy(dst, w->buf + (off - w->off), len);
	w->used = ++f->clock;
	return true;
}

bool elffile_string_is(struct elffile *f, uint64_t off, uint64_t end,
		       const char *name)
{
	size_t len = strlen(name) + 1;
	char buf[256];

	if (len > sizeof(buf) || off >= end || len > end - off)
		return false;
	return elffile_read(f, off, buf, len) && !memcmp(buf, name, len);
}

bool elffile_string(struct elffile *f, uint64_t off, uint64_t end, char *buf,
		    size_t size)
{
	size_t len = 0, n;
	char chunk[64], *nul = NULL;

	while (!nul) {
		if (off >= end)
			return false;
		n = end - off < sizeof(chunk) ? (size_t)(end - off) :
						sizeof(chunk);
		if (!elffile_read(f, off, chunk, n))
			return false;
		nul = memchr(chunk, '\0', n);
		if (nul)
			n = (size_t)(nul - chunk);
		if (len + 1 < size)
			memcpy(buf + len, chunk,
			       n < size - 1 - len ? n : size - 1 - len);
		len += n;
		off += n;
	}
	buf[len < size ? len : size - 1] = '\0';
	return true;
}

const Elf64_Phdr *elffile_segment(const struct elffile *f, uint64_t addr,
				  bool is_vaddr, bool exec)
{
	const Elf64_Phdr *p;
	uint64_t start;
	int i;

	for (i = 0; i < f->eh.e_phnum; i++) {
		p = &f->ph[i];
		start = is_vaddr ? p->p_vaddr : p->p_offset;
		if (p->p_type != PT_LOAD || (exec && !(p->p_flags & PF_X)))
			continue;
		if (addr >= start && addr - start < p->p_filesz)
			return p;
	}
	return NULL;
}

bool elffile_off_to_vaddr(const struct elffile *f, uint64_t off, bool exec,
			  uint64_t *vaddr)
{
	const Elf64_Phdr *p = elffile_segment(f, off, false, exec);

	if (!p)
		return false;
	*vaddr = off - p->p_offset + p->p_vaddr;
	return true;
}

bool elffile_vaddr_to_off(const struct elffile *f, uint64_t vaddr, bool exec,
			  uint64_t *off)
{
	const Elf64_Phdr *p = elffile_segment(f, vaddr, true, exec);

	if (!p)
		return false;
	*off = vaddr - p->p_vaddr + p->p_offset;
	return true;
}

const Elf64_Shdr *elffile_section(struct elffile *f, const char *name)
{
	const Elf64_Shdr *names;
	int i;

	if (!f->sh || f->eh.e_shstrndx >= f->eh.e_shnum)
		return NULL;
	names = &f->sh[f->eh.e_shstrndx];
	for (i = 0; i < f->eh.e_shnum; i++)
		if (elffile_string_is(f, names->sh_offset + f->sh[i].sh_name,
				      names->sh_offset + names->sh_size, name))
			return &f->sh[i];
	return NULL;
}

static bool header_ok(const Elf64_Ehdr *h)
{
	return !memcmp(h->e_ident, ELFMAG, SELFMAG) &&
	       h->e_ident[EI_CLASS] == ELFCLASS64 &&
	       h->e_ident[EI_DATA] == ELFDATA2LSB &&
	       __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ &&
	       (h->e_machine == EM_X86_64 || h->e_machine == EM_AARCH64) &&
	       h->e_phentsize == sizeof(Elf64_Phdr) &&
	       (!h->e_shnum || h->e_shentsize == sizeof(Elf64_Shdr));
}

/* A table of n entries of size each at file offset off, or NULL. */
static void *read_table(struct elffile *f, uint64_t off, size_t n, size_t size)
{
	void *t = calloc(n ? n : 1, size);

	if (t && !elffile_read(f, off, t, n * size)) {
		free(t);
		t = NULL;
	}
	return t;
}

/* Read the headers of f's open file. */
static int headers_read(struct elffile *f)
{
	if (!elffile_read(f, 0, &f->eh, sizeof(f->eh)) || !header_ok(&f->eh))
		return ELFFILE_ENOTELF;
	f->ph = read_table(f, f->eh.e_phoff, f->eh.e_phnum, sizeof(*f->ph));
	if (!f->ph)
		return ELFFILE_ENOTELF;
	/* a file without sections is still an executable */
	if (f->eh.e_shnum)
		f->sh = read_table(f, f->eh.e_shoff, f->eh.e_shnum,
				   sizeof(*f->sh));
	if (!f->sh)
		f->eh.e_shnum = 0;
	return 0;
}

static void file_free(struct elffile *f)
{
	if (!f)
		return;
	close(f->fd);
	free(f->ph);
	free(f->sh);
	free(f->win);
	free(f);
}

static bool same_file(const struct elffile *f, const struct stat *st)
{
	return f->dev == st->st_dev && f->ino == st->st_ino &&
	       f->size == (uint64_t)st->st_size &&
	       f->mtime.tv_sec == st->st_mtim.tv_sec &&
	       f->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* The slot of the file st, if cached, else the least recently used. */
static struct elffile **cache_slot(struct elffile_cache *c,
				   const struct stat *st)
{
	struct elffile **lru = &c->slot[0];
	int i;

	for (i = 0; i < ELFFILE_CACHED; i++) {
		if (c->slot[i] && same_file(c->slot[i], st))
			return &c->slot[i];
		if (!c->slot[i] || (*lru && c->slot[i]->used < (*lru)->used))
			lru = &c->slot[i];
	}
	return lru;
}

/* A new file of cache c for the open fd, its headers read. */
static int file_new(const struct elffile_cache *c, int fd,
		    const struct stat *st, struct elffile **out)
{
	int windows = c->windows > 0 ? c->windows : 1, err;
	struct elffile *f;

	/* the user's struct, which starts with the file */
	f = calloc(1, c->size > sizeof(*f) ? c->size : sizeof(*f));
	if (f)
		f->win = calloc((size_t)windows, sizeof(*f->win));
	if (!f || !f->win) {
		free(f);
		close(fd);
		return ELFFILE_EREAD;
	}
	f->fd = fd;
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->size = (uint64_t)st->st_size;
	f->mtime = st->st_mtim;
	f->windows = windows;
	err = headers_read(f);
	if (err) {
		file_free(f);
		return err;
	}
	*out = f;
	return 0;
}

int elffile_get(struct elffile_cache *c, const char *path,
		struct elffile **file)
{
	struct elffile **slot, *f;
	struct stat st;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ELFFILE_EREAD;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return ELFFILE_EREAD;
	}
	slot = cache_slot(c, &st);
	if (*slot && same_file(*slot, &st)) {
		close(fd);
	} else {
		err = file_new(c, fd, &st, &f);
		if (err)
			return err;
		file_free(*slot);
		*slot = f;
	}
	(*slot)->used = ++c->clock;
	*file = *slot;
	return 0;
}

void elffile_release(struct elffile_cache *c)
{
	int i;

	for (i = 0; i < ELFFILE_CACHED; i++) {
		file_free(c->slot[i]);
		c->slot[i] = NULL;
	}
}
