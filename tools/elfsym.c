// SPDX-License-Identifier: GPL-2.0
/*
 * ELF symbol tables (.symtab, .dynsym) of any program, read through
 * elffile.h as gosym.c reads Go's tables: a lookup walks the symbols once.
 * Every offset read from a table is checked against the file, or the
 * table it points into, before it is followed.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "elffile.h"
#include "elfsym.h"

/* Windows of the file: the symbols, and their names. */
#define WINDOWS 2

/* The numbers are elffile.h's, passed on as they are. */
_Static_assert((int)ELFSYM_EREAD == ELFFILE_EREAD &&
		       (int)ELFSYM_ENOTELF == ELFFILE_ENOTELF,
	       "elfsym's errors are elffile's");

/* A symbol table and its string table, both inside the file. */
struct symtab {
	uint64_t off, n;	 /* of the symbols, entry 0 included */
	uint64_t strs, strs_end; /* file offsets */
};

/* Files kept open: a process's executable and a few of its libraries. */
static struct elffile_cache cache = { .size = sizeof(struct elffile),
				      .windows = WINDOWS };

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

/* The first table of type SHT_SYMTAB or SHT_DYNSYM, checked; false if none. */
static bool symtab_of(const struct elffile *e, uint32_t type, struct symtab *t)
{
	const Elf64_Shdr *s, *strs;
	uint64_t size = e->size;
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

/* A defined function's symbol: false for the rest. */
static bool is_func(const Elf64_Sym *s)
{
	return ELF64_ST_TYPE(s->st_info) == STT_FUNC &&
	       s->st_shndx != SHN_UNDEF;
}

/* Function name's address in table t. */
static bool func_lookup(struct elffile *e, const struct symtab *t,
			const char *name, uint64_t *vaddr)
{
	Elf64_Sym s;
	uint64_t i;

	for (i = 1; i < t->n; i++) {
		if (!elffile_read(e, t->off + i * sizeof(s), &s, sizeof(s)))
			return false;
		if (is_func(&s) && elffile_string_is(e, t->strs + s.st_name,
						     t->strs_end, name)) {
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
static bool func_holding(struct elffile *e, const struct symtab *t, uint64_t pc,
			 Elf64_Sym *best)
{
	bool found = false;
	Elf64_Sym s;
	uint64_t i;

	for (i = 1; i < t->n; i++) {
		if (!elffile_read(e, t->off + i * sizeof(s), &s, sizeof(s)))
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

int elfsym_func_offset(const char *path, const char *name, uint64_t *file_off)
{
	const Elf64_Phdr *p;
	struct elffile *e;
	struct symtab t;
	uint64_t vaddr;
	bool tables = false;
	int err = elffile_get(&cache, path, &e), i;

	if (err)
		return err;
	for (i = 0; i < 2; i++) {
		if (!symtab_of(e, table_types[i], &t))
			continue;
		tables = true;
		if (!func_lookup(e, &t, name, &vaddr))
			continue;
		p = elffile_segment(e, vaddr, true, true);
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
	struct elffile *e;
	struct symtab t;
	Elf64_Sym s = { 0 };
	uint64_t pc;
	bool tables = false;
	char off[24];
	int err = elffile_get(&cache, path, &e), i, n;

	if (err)
		return err;
	/* the call is the instruction before the return address */
	p = ret_off ? elffile_segment(e, ret_off - 1, false, true) : NULL;
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
		if (!elffile_string(e, t.strs + s.st_name, t.strs_end, buf,
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
	elffile_release(&cache);
}
