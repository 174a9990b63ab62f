// SPDX-License-Identifier: GPL-2.0
/*
 * ELF symbol tables (.symtab, .dynsym) of any program, read with pread()
 * through a few small windows, as gosym.c reads Go's tables: a lookup
 * walks the symbols once, and a cached file costs a few pages whatever its
 * size. Every offset read from the file is checked against the file, or
 * the table it points into, before it is followed.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "elfsym.h"

/* Windows of the file: the symbols, and their names. */
#define WINDOWS	    2
#define WINDOW_SIZE 4096
/* Files kept open: a process's executable and a few of its libraries. */
#define CACHED 4

struct window {
	uint64_t off;
	size_t len;
	unsigned long used;
	unsigned char buf[WINDOW_SIZE];
};

struct efile {
	int fd;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	unsigned long used;
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	Elf64_Shdr *sh;
	unsigned long clock;
	struct window win[WINDOWS];
};

/* A symbol table and its string table, both inside the file. */
struct symtab {
	uint64_t off, n;	 /* of the symbols, entry 0 included */
	uint64_t strs, strs_end; /* file offsets */
};

static struct efile *cache[CACHED];
static unsigned long cache_clock;

const char *elfsym_strerror(int error)
{
	switch (error) {
	case ELFSYM_EREAD:
		return "cannot read the file";
	case ELFSYM_ENOTELF:
		return "not a 64-bit x86-64 or arm64 ELF file";
	case ELFSYM_ENOSYMS:
		return "no symbol table";
	case ELFSYM_ENOFUNC:
		return "no such function";
	}
	return "unknown error";
}

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

/* Copy len bytes from file offset off; false past the end of the file. */
static bool file_read(struct efile *e, uint64_t off, void *dst, size_t len)
{
	struct window *w, *lru = &e->win[0];
	int i;

	if (off > (uint64_t)e->size || len > (uint64_t)e->size - off)
		return false;
	if (len > WINDOW_SIZE)
		return pread_all(e->fd, dst, len, off);
	for (i = 0; i < WINDOWS; i++) {
		w = &e->win[i];
		if (w->len && off >= w->off && off + len <= w->off + w->len)
			goto hit;
		if (w->used < lru->used)
			lru = w;
	}
	w = lru;
	w->off = off;
	w->len = WINDOW_SIZE;
	if ((uint64_t)e->size - off < WINDOW_SIZE)
		w->len = (size_t)((uint64_t)e->size - off);
	if (!pread_all(e->fd, w->buf, w->len, off)) {
		w->len = 0;
		return false;
	}
hit:
	memcpy(dst, w->buf + (off - w->off), len);
	w->used = ++e->clock;
	return true;
}

/* Is the string at file offset off, in a table ending at end, name? */
static bool string_is(struct efile *e, uint64_t off, uint64_t end,
		      const char *name)
{
	size_t len = strlen(name) + 1;
	char buf[256];

	if (len > sizeof(buf) || off >= end || len > end - off)
		return false;
	return file_read(e, off, buf, len) && !memcmp(buf, name, len);
}

/* The string at off, cut to fit buf; false if the table ends before NUL. */
static bool string_read(struct efile *e, uint64_t off, uint64_t end, char *buf,
			size_t size)
{
	size_t len = 0, n;
	char chunk[64], *nul = NULL;

	while (!nul) {
		if (off >= end)
			return false;
		n = end - off < sizeof(chunk) ? (size_t)(end - off) :
						sizeof(chunk);
		if (!file_read(e, off, chunk, n))
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

/* The first table of type SHT_SYMTAB or SHT_DYNSYM, checked; false if none. */
static bool symtab_of(const struct efile *e, uint32_t type, struct symtab *t)
{
	const Elf64_Shdr *s, *strs;
	uint64_t size = (uint64_t)e->size;
	int i;

	for (i = 0; i < e->eh.e_shnum; i++) {
		s = &e->sh[i];
		if (s->sh_type != type || s->sh_link >= e->eh.e_shnum)
			continue;
		strs = &e->sh[s->sh_link];
		if (s->sh_offset > size || s->sh_size > size - s->sh_offset ||
		    strs->sh_offset > size ||
		    strs->sh_size > size - strs->sh_offset)
			return false;
		t->off = s->sh_offset;
		t->n = s->sh_size / sizeof(Elf64_Sym);
		t->strs = strs->sh_offset;
		t->strs_end = strs->sh_offset + strs->sh_size;
		return true;
	}
	return false;
}

/* The tables looked at in turn: .symtab first, as fuller. */
static const uint32_t table_types[] = { SHT_SYMTAB, SHT_DYNSYM };

/* The executable PT_LOAD segment holding vaddr, or file offset off. */
static const Elf64_Phdr *code_segment(const struct efile *e, uint64_t addr,
				      bool is_vaddr)
{
	const Elf64_Phdr *p;
	uint64_t start;
	int i;

	for (i = 0; i < e->eh.e_phnum; i++) {
		p = &e->ph[i];
		start = is_vaddr ? p->p_vaddr : p->p_offset;
		if (p->p_type == PT_LOAD && (p->p_flags & PF_X) &&
		    addr >= start && addr - start < p->p_filesz)
			return p;
	}
	return NULL;
}

/* A defined function's symbol: false for the rest. */
static bool is_func(const Elf64_Sym *s)
{
	return ELF64_ST_TYPE(s->st_info) == STT_FUNC &&
	       s->st_shndx != SHN_UNDEF;
}

/* Function name's address in table t. */
static bool func_lookup(struct efile *e, const struct symtab *t,
			const char *name, uint64_t *vaddr)
{
	Elf64_Sym s;
	uint64_t i;

	for (i = 1; i < t->n; i++) {
		if (!file_read(e, t->off + i * sizeof(s), &s, sizeof(s)))
			return false;
		if (is_func(&s) &&
		    string_is(e, t->strs + s.st_name, t->strs_end, name)) {
			*vaddr = s.st_value;
			return true;
		}
	}
	return false;
}

/*
 * The function of table t whose code holds pc: a global one before a local
 * or weak alias of the same code.
 */
static bool func_holding(struct efile *e, const struct symtab *t, uint64_t pc,
			 Elf64_Sym *best)
{
	bool found = false;
	Elf64_Sym s;
	uint64_t i;

	for (i = 1; i < t->n; i++) {
		if (!file_read(e, t->off + i * sizeof(s), &s, sizeof(s)))
			return false;
		if (!is_func(&s) || pc < s.st_value ||
		    pc - s.st_value >= s.st_size)
			continue;
		if (!found || (ELF64_ST_BIND(s.st_info) == STB_GLOBAL &&
			       ELF64_ST_BIND(best->st_info) != STB_GLOBAL))
			*best = s;
		found = true;
	}
	return found;
}

static bool elf_header_ok(const Elf64_Ehdr *h)
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
static void *read_table(struct efile *e, uint64_t off, size_t n, size_t size)
{
	void *t = calloc(n ? n : 1, size);

	if (t && !file_read(e, off, t, n * size)) {
		free(t);
		t = NULL;
	}
	return t;
}

/* Read the headers of e's open file; symbols need its sections. */
static int elf_open(struct efile *e)
{
	if (!file_read(e, 0, &e->eh, sizeof(e->eh)) || !elf_header_ok(&e->eh))
		return ELFSYM_ENOTELF;
	e->ph = read_table(e, e->eh.e_phoff, e->eh.e_phnum, sizeof(*e->ph));
	if (!e->ph)
		return ELFSYM_ENOTELF;
	if (e->eh.e_shnum)
		e->sh = read_table(e, e->eh.e_shoff, e->eh.e_shnum,
				   sizeof(*e->sh));
	if (!e->sh)
		e->eh.e_shnum = 0;
	return 0;
}

static void efile_free(struct efile *e)
{
	if (!e)
		return;
	close(e->fd);
	free(e->ph);
	free(e->sh);
	free(e);
}

static bool same_file(const struct efile *e, const struct stat *st)
{
	return e->dev == st->st_dev && e->ino == st->st_ino &&
	       e->size == st->st_size &&
	       e->mtime.tv_sec == st->st_mtim.tv_sec &&
	       e->mtime.tv_nsec == st->st_mtim.tv_nsec;
}

/* The slot of the file st, if cached, else the least recently used. */
static struct efile **cache_slot(const struct stat *st)
{
	struct efile **lru = &cache[0];
	int i;

	for (i = 0; i < CACHED; i++) {
		if (cache[i] && same_file(cache[i], st))
			return &cache[i];
		if (!cache[i] || (*lru && cache[i]->used < (*lru)->used))
			lru = &cache[i];
	}
	return lru;
}

/* The file at path, opened and its headers read, or from the cache. */
static int efile_get(const char *path, struct efile **out)
{
	struct efile **slot, *e;
	struct stat st;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ELFSYM_EREAD;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return ELFSYM_EREAD;
	}
	slot = cache_slot(&st);
	if (*slot && same_file(*slot, &st)) {
		close(fd);
		goto found;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		close(fd);
		return ELFSYM_EREAD;
	}
	e->fd = fd;
	e->dev = st.st_dev;
	e->ino = st.st_ino;
	e->size = st.st_size;
	e->mtime = st.st_mtim;
	err = elf_open(e);
	if (err) {
		efile_free(e);
		return err;
	}
	efile_free(*slot);
	*slot = e;
found:
	(*slot)->used = ++cache_clock;
	*out = *slot;
	return 0;
}

int elfsym_func_offset(const char *path, const char *name, uint64_t *file_off)
{
	const Elf64_Phdr *p;
	struct efile *e;
	struct symtab t;
	uint64_t vaddr;
	bool tables = false;
	int err = efile_get(path, &e), i;

	if (err)
		return err;
	for (i = 0; i < 2; i++) {
		if (!symtab_of(e, table_types[i], &t))
			continue;
		tables = true;
		if (!func_lookup(e, &t, name, &vaddr))
			continue;
		p = code_segment(e, vaddr, true);
		if (!p)
			return ELFSYM_ENOFUNC;
		*file_off = vaddr - p->p_vaddr + p->p_offset;
		return 0;
	}
	return tables ? ELFSYM_ENOFUNC : ELFSYM_ENOSYMS;
}

int elfsym_symbolize(const char *path, uint64_t ret_off, char *buf, size_t size)
{
	const Elf64_Phdr *p;
	struct efile *e;
	struct symtab t;
	Elf64_Sym s = { 0 };
	uint64_t pc;
	bool tables = false;
	char off[24];
	int err = efile_get(path, &e), i, n;

	if (err)
		return err;
	/* the call is the instruction before the return address */
	p = ret_off ? code_segment(e, ret_off - 1, false) : NULL;
	if (!p || size < sizeof(off))
		return ELFSYM_ENOFUNC;
	pc = ret_off - 1 - p->p_offset + p->p_vaddr;
	for (i = 0; i < 2; i++) {
		if (!symtab_of(e, table_types[i], &t))
			continue;
		tables = true;
		if (!func_holding(e, &t, pc, &s))
			continue;
		/* the offset is kept whole: the name is cut if need be */
		n = snprintf(off, sizeof(off), "+0x%llx",
			     (unsigned long long)(pc + 1 - s.st_value));
		if (!string_read(e, t.strs + s.st_name, t.strs_end, buf,
				 size - (size_t)n) ||
		    !buf[0])
			continue;
		strcat(buf, off);
		return 0;
	}
	return tables ? ELFSYM_ENOFUNC : ELFSYM_ENOSYMS;
}

void elfsym_release(void)
{
	int i;

	for (i = 0; i < CACHED; i++) {
		efile_free(cache[i]);
		cache[i] = NULL;
	}
}
