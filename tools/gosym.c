// SPDX-License-Identifier: GPL-2.0
/*
 * Go executables, read through elffile.h: .symtab, Go's pc-line table
 * (pclntab) and its inline trees, the build id note. A symbolization
 * touches a few dozen places of a table that can be tens of megabytes:
 * each offset read from it is checked against the table it points into
 * before it is followed.
 *
 * The pclntab's layout (Go's runtime/symtab.go, runtime2.go): a header,
 * then at offsets it gives a table of function names, the compilation
 * units' file indexes (cutab), file names, the pc-value tables, and the
 * function table: nfunc + 1 pairs (entry, offset of the function's _func
 * record) sorted by entry, the last entry being the end of the code. From
 * Go 1.18 on, entries are 32-bit offsets from the start of the code
 * (runtime.text); before, full addresses.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "elffile.h"
#include "gosym.h"

/*
 * Windows of the file: one per region read in turn (symbols, names; the
 * function table, records, pc-value tables, inline trees and names when
 * every function's inline tree is read).
 */
#define WINDOWS 6
/* Longer names are taken for garbage. */
#define MAX_STRING 65536
/* Pairs of one pc-value table read at most. */
#define MAX_STEPS (1 << 20)
/* Inline tree entries of a function at most (the Go runtime's bound). */
#define MAX_INLINED (1 << 20)
/* Inlined calls nested in one another at most, a loop in a crafted tree. */
#define MAX_INLINE_DEPTH 256

/* The magic numbers that open a pclntab (Go's internal/abi). */
#define GO116_MAGIC 0xfffffffau /* Go 1.16, 1.17 */
#define GO118_MAGIC 0xfffffff0u /* Go 1.18, 1.19 */
#define GO120_MAGIC 0xfffffff1u /* Go 1.20 and later */

/* Where the pclntab's parts are, as offsets from its start. */
struct pclntab {
	uint64_t off, size;  /* of the table in the file */
	unsigned quantum;    /* instruction size unit: 1 x86-64, 4 arm64 */
	unsigned entry_size; /* of the function table's fields: 4 or 8 */
	unsigned func_size; /* of a _func's fixed part: 40, 44; 0 before 1.18 */
	uint32_t nfunc;
	uint64_t text; /* the address 32-bit entries count from */
	uint64_t names, cutab, files, pctab, funcs;
};

/* An executable, and where its pclntab is. */
struct exe {
	struct elffile f; /* first: elffile_get gives it */
	bool read;	  /* the pclntab looked for */
	bool go;	  /* has a pclntab this reader knows */
	struct pclntab t;
	int gofunc_known; /* 1: gofunc found, -1: looked for, not found */
	uint64_t gofunc;
};

/* One function's record (_func), the fields read of it. */
struct func {
	uint64_t rec; /* where the record is, from the function table */
	uint64_t entry;
	uint32_t name, pcfile, pcln, cu;
};

/* The numbers are elffile.h's, passed on as they are. */
_Static_assert((int)GOSYM_EREAD == ELFFILE_EREAD &&
		       (int)GOSYM_ENOTELF == ELFFILE_ENOTELF,
	       "gosym's errors are elffile's");

/* Executables kept open. */
static struct elffile_cache cache = { .size = sizeof(struct exe),
				      .windows = WINDOWS };

const char *gosym_strerror(int error)
{
	switch (error) {
	case GOSYM_EREAD:
		return "cannot read the executable";
	case GOSYM_ENOTELF:
		return "not a 64-bit x86-64 or arm64 ELF executable";
	case GOSYM_ENOTGO:
		return "not a Go executable (no pc-line table of Go 1.16 or later)";
	case GOSYM_ENOFUNC:
		return "no such function";
	case GOSYM_ENOTENTRY:
		return "not the entry of a function";
	case GOSYM_ENOID:
		return "no build id";
	}
	return "unknown error";
}

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const unsigned char *p)
{
	return le32(p) | (uint64_t)le32(p + 4) << 32;
}

/* Reads of the pclntab, at offsets from its start. */
static bool tab_read(struct exe *e, uint64_t off, void *dst, size_t len)
{
	if (off > e->t.size || len > e->t.size - off)
		return false;
	return elffile_read(&e->f, e->t.off + off, dst, len);
}

static bool tab_u32(struct exe *e, uint64_t off, uint32_t *v)
{
	unsigned char b[4];

	if (!tab_read(e, off, b, 4))
		return false;
	*v = le32(b);
	return true;
}

/* The NUL-terminated string at off, cut to fit buf. */
static bool tab_string(struct exe *e, uint64_t off, char *buf, size_t size)
{
	uint64_t end = e->t.size;

	if (off < end && end - off > MAX_STRING)
		end = off + MAX_STRING;
	return off < end &&
	       elffile_string(&e->f, e->t.off + off, e->t.off + end, buf, size);
}

/* Go's varint: 7 bits a byte, low bits first, at most 32 bits. */
static bool tab_uvarint(struct exe *e, uint64_t *off, uint32_t *v)
{
	unsigned char c;
	uint32_t r = 0;
	int shift;

	for (shift = 0; shift < 35; shift += 7) {
		if (!tab_read(e, (*off)++, &c, 1))
			return false;
		r |= (uint32_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return true;
		}
	}
	return false;
}

/*
 * The value a pc-value table (pcfile, pcln) gives pc in the function at
 * entry: pairs of a value delta (zigzag varint) and a pc delta (varint, in
 * instruction units), from the value -1 at entry; each value holds up to
 * the pc reached after its pair. A zero value delta, other than the first,
 * ends the table.
 */
static bool pcvalue(struct exe *e, uint32_t table, uint64_t entry, uint64_t pc,
		    int32_t *value)
{
	uint64_t off = e->t.pctab + table, at = entry;
	uint32_t v = (uint32_t)-1, delta, step;
	int i;

	if (!table)
		return false;
	for (i = 0; i < MAX_STEPS; i++) {
		if (!tab_uvarint(e, &off, &delta) || (!delta && i))
			return false;
		/* unsigned: a crafted table may overflow the value */
		v += delta & 1 ? ~(delta >> 1) : delta >> 1;
		if (!tab_uvarint(e, &off, &step))
			return false;
		at += (uint64_t)step * e->t.quantum;
		if (pc < at) {
			*value = (int32_t)v;
			return true;
		}
	}
	return false;
}

/* Entry i of the function table: a function's entry, or the code's end. */
static bool ftab_pc(struct exe *e, uint32_t i, uint64_t *pc)
{
	unsigned char b[8];
	uint64_t off = e->t.funcs + (uint64_t)i * 2 * e->t.entry_size;

	if (!tab_read(e, off, b, e->t.entry_size))
		return false;
	*pc = e->t.entry_size == 4 ? e->t.text + le32(b) : le64(b);
	return true;
}

/* Function i's record. */
static bool func_read(struct exe *e, uint32_t i, struct func *f)
{
	unsigned int sz = e->t.entry_size;
	uint64_t off = e->t.funcs + ((uint64_t)i * 2 + 1) * sz, at;
	unsigned char b[8 + 32];

	if (!tab_read(e, off, b, sz))
		return false;
	at = sz == 4 ? le32(b) : le64(b);
	/* the record starts with its entry, sized as the table's */
	if (at > e->t.size - e->t.funcs ||
	    !tab_read(e, e->t.funcs + at, b, sz + 32))
		return false;
	f->rec = e->t.funcs + at;
	f->entry = sz == 4 ? e->t.text + le32(b) : le64(b);
	f->name = le32(b + sz);
	f->pcfile = le32(b + sz + 16);
	f->pcln = le32(b + sz + 20);
	f->cu = le32(b + sz + 28);
	return true;
}

/* The function whose code holds pc: its index in the function table. */
static bool func_find(struct exe *e, uint64_t pc, uint32_t *index)
{
	uint32_t lo = 0, hi = e->t.nfunc, mid;
	uint64_t at;

	if (!e->t.nfunc || !ftab_pc(e, 0, &at) || pc < at ||
	    !ftab_pc(e, hi, &at) || pc >= at)
		return false;
	/* entry(lo) <= pc < entry(hi); a crafted table just ends it early */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (!ftab_pc(e, mid, &at))
			return false;
		if (at <= pc)
			lo = mid;
		else
			hi = mid;
	}
	*index = lo;
	return true;
}

/* The address of symbol name in .symtab (a function's if func). */
static bool symbol(struct exe *e, const char *name, bool func, uint64_t *value)
{
	const Elf64_Shdr *syms = NULL, *strs;
	uint64_t i, n;
	Elf64_Sym s;
	int j;

	for (j = 0; e->f.sh && j < e->f.eh.e_shnum; j++)
		if (e->f.sh[j].sh_type == SHT_SYMTAB)
			syms = &e->f.sh[j];
	if (!syms || syms->sh_link >= e->f.eh.e_shnum)
		return false;
	strs = &e->f.sh[syms->sh_link];
	n = syms->sh_size / sizeof(s);
	for (i = 1; i < n; i++) {
		if (!elffile_read(&e->f, syms->sh_offset + i * sizeof(s), &s,
				  sizeof(s)))
			return false;
		if ((func && ELF64_ST_TYPE(s.st_info) != STT_FUNC) ||
		    s.st_shndx == SHN_UNDEF)
			continue;
		if (elffile_string_is(&e->f, strs->sh_offset + s.st_name,
				      strs->sh_offset + strs->sh_size, name)) {
			*value = s.st_value;
			return true;
		}
	}
	return false;
}

/* Where the pclntab is in the file: its section, else its symbols. */
static bool pclntab_find(struct exe *e)
{
	const Elf64_Shdr *s = elffile_section(&e->f, ".gopclntab");
	uint64_t start, end;

	if (!s) /* PIE executables */
		s = elffile_section(&e->f, ".data.rel.ro.gopclntab");
	if (s && s->sh_type == SHT_PROGBITS) {
		e->t.off = s->sh_offset;
		e->t.size = s->sh_size;
	} else if (symbol(e, "runtime.pclntab", false, &start) &&
		   symbol(e, "runtime.epclntab", false, &end) && end > start &&
		   elffile_vaddr_to_off(&e->f, start, false, &e->t.off)) {
		e->t.size = end - start;
	} else {
		return false;
	}
	return e->t.off <= e->f.size && e->t.size <= e->f.size - e->t.off;
}

/*
 * Where 32-bit function entries count from: runtime.text, as the linker
 * computed them, found as "go tool addr2line" finds it (the symbol, else
 * the .text section); Go 1.18 to 1.2x also kept it in the header, which
 * is taken before the section when it was resolved at link time.
 */
static bool text_start(struct exe *e, uint64_t in_header)
{
	const Elf64_Shdr *s;
	uint64_t off;

	if (symbol(e, "runtime.text", false, &e->t.text))
		return true;
	if (in_header && elffile_vaddr_to_off(&e->f, in_header, true, &off)) {
		e->t.text = in_header;
		return true;
	}
	s = elffile_section(&e->f, ".text");
	if (!s)
		return false;
	e->t.text = s->sh_addr;
	return true;
}

/* Read the pclntab's header: false if it is not one this reader knows. */
static bool pclntab_open(struct exe *e)
{
	unsigned char h[8 + 8 * 8];
	uint64_t w[8], nfunc;
	uint32_t magic;
	int i, first;

	if (!pclntab_find(e) || !tab_read(e, 0, h, sizeof(h)))
		return false;
	magic = le32(h);
	/* two zero bytes, the instruction unit, the pointer size */
	if (h[4] || h[5] || (h[6] != 1 && h[6] != 2 && h[6] != 4) || h[7] != 8)
		return false;
	for (i = 0; i < 8; i++)
		w[i] = le64(h + 8 + 8 * i);
	if (magic == GO116_MAGIC)
		first = 2; /* no text start */
	else if (magic == GO118_MAGIC || magic == GO120_MAGIC)
		first = 3;
	else
		return false;
	for (i = first; i < first + 5; i++)
		if (w[i] > e->t.size)
			return false;
	e->t.quantum = h[6];
	e->t.entry_size = magic == GO116_MAGIC ? 8 : 4;
	/* Go 1.20 added the function's first line (startLine) */
	if (magic == GO118_MAGIC)
		e->t.func_size = 40;
	else if (magic == GO120_MAGIC)
		e->t.func_size = 44;
	nfunc = w[0];
	e->t.names = w[first];
	e->t.cutab = w[first + 1];
	e->t.files = w[first + 2];
	e->t.pctab = w[first + 3];
	e->t.funcs = w[first + 4];
	/* the function table, its end entry included, is in the table */
	if (nfunc >= UINT32_MAX / 2 ||
	    (2 * nfunc + 1) * e->t.entry_size > e->t.size - e->t.funcs)
		return false;
	e->t.nfunc = (uint32_t)nfunc;
	return e->t.entry_size == 8 || text_start(e, first == 3 ? w[2] : 0);
}

/* The executable at path, its pclntab looked for once, or from the cache. */
static int exe_get(const char *path, struct exe **out)
{
	struct elffile *f;
	struct exe *e;
	int err = elffile_get(&cache, path, &f);

	if (err)
		return err;
	e = (struct exe *)f; /* the cache's files are struct exe */
	if (!e->read) {
		e->go = pclntab_open(e);
		e->read = true;
	}
	*out = e;
	return 0;
}

/* The function named name in the pclntab: its entry address. */
static bool pclntab_func(struct exe *e, const char *name, uint64_t *entry)
{
	uint64_t end = e->t.off + e->t.size;
	struct func f;
	uint32_t i;

	for (i = 0; i < e->t.nfunc; i++) {
		if (!func_read(e, i, &f))
			return false;
		if (elffile_string_is(&e->f, e->t.off + e->t.names + f.name,
				      end, name)) {
			*entry = f.entry;
			return true;
		}
	}
	return false;
}

int gosym_func_offset(const char *path, const char *name, uint64_t *file_off)
{
	struct exe *e;
	uint64_t entry;
	int err = exe_get(path, &e);

	if (err)
		return err;
	if (!symbol(e, name, true, &entry) &&
	    !(e->go && pclntab_func(e, name, &entry)))
		return e->go ? GOSYM_ENOFUNC : GOSYM_ENOTGO;
	if (!elffile_vaddr_to_off(&e->f, entry, true, file_off))
		return GOSYM_ENOFUNC;
	return 0;
}

/* Without a pclntab, does a function of .symtab start at vaddr? */
static int symtab_entry(struct exe *e, uint64_t vaddr)
{
	const Elf64_Shdr *syms = NULL;
	uint64_t i, n;
	Elf64_Sym s;
	int j;

	for (j = 0; j < e->f.eh.e_shnum; j++)
		if (e->f.sh[j].sh_type == SHT_SYMTAB)
			syms = &e->f.sh[j];
	if (!syms)
		return GOSYM_ENOTGO;
	n = syms->sh_size / sizeof(s);
	for (i = 1; i < n; i++) {
		if (!elffile_read(&e->f, syms->sh_offset + i * sizeof(s), &s,
				  sizeof(s)))
			return GOSYM_EREAD;
		if (ELF64_ST_TYPE(s.st_info) == STT_FUNC &&
		    s.st_shndx != SHN_UNDEF && s.st_value == vaddr)
			return 0;
	}
	return GOSYM_ENOTENTRY;
}

int gosym_check_entry(const char *path, uint64_t file_off)
{
	struct exe *e;
	uint64_t pc;
	struct func f;
	uint32_t i;
	int err = exe_get(path, &e);

	if (err)
		return err;
	if (!elffile_off_to_vaddr(&e->f, file_off, true, &pc))
		return GOSYM_ENOFUNC;
	if (!e->go)
		return symtab_entry(e, pc);
	if (!func_find(e, pc, &i) || !func_read(e, i, &f))
		return GOSYM_ENOFUNC;
	return f.entry == pc ? 0 : GOSYM_ENOTENTRY;
}

/* The file and line of pc in function f, when its tables say. */
static void file_line(struct exe *e, const struct func *f, uint64_t pc,
		      struct gosym_site *site)
{
	uint32_t name;
	int32_t file, line;

	strcpy(site->file, "?");
	site->line = 0;
	if (pcvalue(e, f->pcfile, f->entry, pc, &file) && file >= 0 &&
	    tab_u32(e, e->t.cutab + ((uint64_t)f->cu + (uint32_t)file) * 4,
		    &name) &&
	    name != UINT32_MAX && /* no file */
	    !tab_string(e, e->t.files + name, site->file, sizeof(site->file)))
		strcpy(site->file, "?");
	if (pcvalue(e, f->pcln, f->entry, pc, &line) && line > 0)
		site->line = line;
}

/*
 * Inlined copies of a function, from the inline trees of Go 1.18 and later
 * (runtime/symtab.go, symtabinl.go). A function into which others were
 * inlined has a pc-value table (_PCDATA_InlTreeIndex) giving each pc the
 * index of the innermost inlined call it belongs to in the function's
 * inline tree (_FUNCDATA_InlTree), -1 outside them. An entry of the tree
 * names the inlined function and gives the pc, from the function's entry,
 * of an instruction of the caller at the call (parentPc): that pc's index
 * is the caller's, as the runtime's inlineUnwinder finds it. The tree is
 * an offset from the runtime's moduledata.gofunc, which is not in the
 * pclntab: it is read from the moduledata.
 */
#define PCDATA_INLTREEINDEX 2
#define FUNCDATA_INLTREE    3
/* Words of the moduledata read: past rodata and gofunc in every layout. */
#define MODULEDATA_WORDS 64
/* Its fixed start: pcHeader, six slices, findfunctab, minpc, maxpc. */
#define MODULEDATA_FIXED 22

/* A pc-value table's values: each holds from start up to the next. */
struct pcrange {
	uint32_t start; /* from the function's entry */
	int32_t value;
};

/* A function with an inline tree, read for its inlined copies. */
struct inlfunc {
	uint64_t entry, size;
	uint64_t tree; /* the tree's address */
	struct pcrange *r;
	size_t n;
	uint64_t covered; /* the end of what the table gives */
};

/* An inlined copy of the function looked for: where it starts. */
struct copy {
	int32_t index; /* its inline tree entry */
	uint32_t start;
};

/* The segment of vaddr is read-only data (neither code nor written)? */
static bool readonly_data(const struct exe *e, uint64_t vaddr)
{
	const Elf64_Phdr *p = elffile_segment(&e->f, vaddr, true, false);

	return p && !(p->p_flags & (PF_W | PF_X));
}

/*
 * The runtime's moduledata (runtime.firstmoduledata), found by what it
 * starts with wherever the linker put it (.noptrdata in Go 1.19, .go.module
 * in 1.27): the pclntab's address, then the function name
 * table's slice, into the pclntab. Written data is searched, a word at a
 * time.
 */
static bool moduledata_find(struct exe *e, uint64_t md[MODULEDATA_WORDS])
{
	unsigned char b[MODULEDATA_WORDS * 8];
	const Elf64_Phdr *p;
	uint64_t tab, off;
	int i, w;

	if (!elffile_off_to_vaddr(&e->f, e->t.off, false, &tab))
		return false;
	for (i = 0; i < e->f.eh.e_phnum; i++) {
		p = &e->f.ph[i];
		if (p->p_type != PT_LOAD || !(p->p_flags & PF_W))
			continue;
		for (off = p->p_offset;
		     off + sizeof(b) <= p->p_offset + p->p_filesz; off += 8) {
			if (!elffile_read(&e->f, off, b, 8))
				break;
			if (le64(b) != tab ||
			    !elffile_read(&e->f, off, b, sizeof(b)) ||
			    le64(b + 8) != tab + e->t.names)
				continue;
			for (w = 0; w < MODULEDATA_WORDS; w++)
				md[w] = le64(b + 8 * w);
			return true;
		}
	}
	return false;
}

/* The address .rodata starts at: the section's, else the first read-only
 * data segment's. */
static bool rodata_start(struct exe *e, uint64_t *addr)
{
	const Elf64_Shdr *s = elffile_section(&e->f, ".rodata");
	int i;

	if (s) {
		*addr = s->sh_addr;
		return true;
	}
	for (i = 0; i < e->f.eh.e_phnum; i++)
		if (e->f.ph[i].p_type == PT_LOAD &&
		    !(e->f.ph[i].p_flags & (PF_W | PF_X))) {
			*addr = e->f.ph[i].p_vaddr;
			return true;
		}
	return false;
}

/*
 * moduledata.gofunc, without a table of the moduledata's layouts: in all
 * of them from Go 1.18 to 1.27 it follows the rodata field, which holds
 * .rodata's address (as types may too, in Go 1.19: the last such field
 * is taken) and it points to read-only data. The inline trees read through
 * it are checked entry by entry (inl_call_read).
 */
static bool gofunc_find(struct exe *e, uint64_t *gofunc)
{
	uint64_t md[MODULEDATA_WORDS], rodata;
	int i;

	if (!rodata_start(e, &rodata) || !moduledata_find(e, md))
		return false;
	for (i = MODULEDATA_WORDS - 2; i >= MODULEDATA_FIXED; i--)
		if (md[i] == rodata && readonly_data(e, md[i + 1])) {
			*gofunc = md[i + 1];
			return true;
		}
	return false;
}

/* Add a value to a table's values; false when too many. */
static bool pcrange_add(struct inlfunc *f, size_t *cap, uint32_t start,
			int32_t value)
{
	struct pcrange *r;

	if (f->n == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		r = realloc(f->r, *cap * sizeof(*r));
		if (!r)
			return false;
		f->r = r;
	}
	f->r[f->n].start = start;
	f->r[f->n++].value = value;
	return true;
}

/*
 * Every value of the pc-value table at offset table of the function f (as
 * pcvalue() reads them), kept in f->r.
 */
static bool pc_ranges(struct exe *e, uint32_t table, struct inlfunc *f)
{
	uint64_t off = e->t.pctab + table, at = 0;
	uint32_t v = (uint32_t)-1, delta, step;
	size_t cap = 0;
	int i;

	for (i = 0; i < MAX_STEPS && at < f->size; i++) {
		if (!tab_uvarint(e, &off, &delta))
			return false;
		if (!delta && i) /* the end */
			break;
		v += delta & 1 ? ~(delta >> 1) : delta >> 1;
		if (!tab_uvarint(e, &off, &step) ||
		    !pcrange_add(f, &cap, (uint32_t)at, (int32_t)v))
			return false;
		at += (uint64_t)step * e->t.quantum;
	}
	f->covered = at < f->size ? at : f->size;
	return f->n > 0;
}

/* The table's value at pc (from the entry): -1 where it gives none, as
 * the runtime takes it. */
static int32_t pc_range_value(const struct inlfunc *f, uint64_t pc)
{
	size_t lo = 0, hi = f->n, mid;

	if (pc >= f->covered)
		return -1;
	/* start(lo) <= pc < start(hi), the first start being 0 */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (f->r[mid].start <= pc)
			lo = mid;
		else
			hi = mid;
	}
	return f->r[lo].value;
}

/*
 * Function i's inline tree and index table: 1 if it has both, 0 if not,
 * -1 if its record or table cannot be read. The record's fixed part ends
 * with its funcdata count; then come npcdata offsets of pc-value tables
 * (0 for none), then the funcdata offsets (from gofunc; ~0 for none).
 */
static int inlfunc_read(struct exe *e, uint32_t i, uint64_t gofunc,
			struct inlfunc *f)
{
	uint64_t end, rec;
	uint32_t npcdata, table, tree;
	unsigned char nfuncdata;
	struct func fn;

	if (!func_read(e, i, &fn) || !ftab_pc(e, i + 1, &end) ||
	    end <= fn.entry || end - fn.entry > UINT32_MAX)
		return -1;
	rec = fn.rec + e->t.func_size;
	/* npcdata follows entry, name, args, deferreturn, pcsp, pcfile, pcln */
	if (!tab_u32(e, fn.rec + 28, &npcdata) ||
	    !tab_read(e, rec - 1, &nfuncdata, 1))
		return -1;
	if (npcdata <= PCDATA_INLTREEINDEX || nfuncdata <= FUNCDATA_INLTREE)
		return 0;
	if (!tab_u32(e, rec + 4 * PCDATA_INLTREEINDEX, &table) ||
	    !tab_u32(e, rec + 4 * ((uint64_t)npcdata + FUNCDATA_INLTREE),
		     &tree))
		return -1;
	if (!table || tree == UINT32_MAX)
		return 0;
	f->entry = fn.entry;
	f->size = end - fn.entry;
	f->tree = gofunc + tree;
	return pc_ranges(e, table, f) ? 1 : -1;
}

/* What an inline tree entry gives: its function's name, its parentPc. */
struct inlcall {
	uint32_t name;
	uint32_t parent_pc;
};

/*
 * Entry index of f's inline tree: Go 1.18, 1.19 {parent int16, funcID
 * uint8, _ byte, file, line, name, parentPc int32}, Go 1.20 on {funcID
 * uint8, _ [3]byte, name, parentPc, startLine int32}. The name must be one
 * of the table's (after a NUL) and parentPc in the function: else the
 * tree is not one, gofunc being wrong or the file crafted.
 */
static bool inl_call_read(struct exe *e, const struct inlfunc *f, int32_t index,
			  struct inlcall *c)
{
	bool go120 = e->t.func_size == 44;
	uint64_t size = go120 ? 16 : 20, off;
	unsigned char b[20], before;

	if (index < 0 || index >= MAX_INLINED ||
	    !elffile_vaddr_to_off(&e->f, f->tree + (uint64_t)index * size,
				  false, &off) ||
	    !elffile_read(&e->f, off, b, size))
		return false;
	c->name = le32(b + (go120 ? 4 : 12));
	c->parent_pc = le32(b + (go120 ? 8 : 16));
	if (c->name >= e->t.size - e->t.names || c->parent_pc >= f->size)
		return false;
	return !c->name ||
	       (tab_read(e, e->t.names + c->name - 1, &before, 1) && !before);
}

/* Take start as where the copy of tree entry index starts, if lower. */
static bool copy_add(struct copy **copies, size_t *n, int32_t index,
		     uint32_t start)
{
	struct copy *c;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*copies)[i].index == index) {
			if (start < (*copies)[i].start)
				(*copies)[i].start = start;
			return true;
		}
	/* at most one per value of the table: bounded by MAX_STEPS */
	c = realloc(*copies, (*n + 1) * sizeof(*c));
	if (!c)
		return false;
	c[*n].index = index;
	c[(*n)++].start = start;
	*copies = c;
	return true;
}

/*
 * The pcs from start with the table's value index belong to the inlined
 * call index and to those it is inlined in, up to the function itself:
 * each of them that calls name gets start.
 */
static bool inl_chain(struct exe *e, const struct inlfunc *f, int32_t index,
		      uint32_t start, const char *name, struct copy **copies,
		      size_t *n)
{
	uint64_t end = e->t.off + e->t.size;
	struct inlcall c;
	int depth;

	for (depth = 0; index >= 0; depth++) {
		if (depth == MAX_INLINE_DEPTH ||
		    !inl_call_read(e, f, index, &c))
			return false;
		if (elffile_string_is(&e->f, e->t.off + e->t.names + c.name,
				      end, name) &&
		    !copy_add(copies, n, index, start))
			return false;
		index = pc_range_value(f, c.parent_pc);
	}
	return true;
}

static int copy_cmp(const void *a, const void *b)
{
	const struct copy *x = a, *y = b;

	return (x->start > y->start) - (x->start < y->start);
}

/* The copies of name inlined into f, as file offsets added to offs[*n]
 * (when under max), in the order of their code. */
static bool inl_copies(struct exe *e, const struct inlfunc *f, const char *name,
		       uint64_t *offs, size_t max, size_t *found)
{
	struct copy *copies = NULL;
	size_t i, n = 0;
	uint64_t off;
	bool ok = true;

	for (i = 0; ok && i < f->n; i++)
		ok = inl_chain(e, f, f->r[i].value, f->r[i].start, name,
			       &copies, &n);
	if (ok && n)
		qsort(copies, n, sizeof(*copies), copy_cmp);
	for (i = 0; ok && i < n; i++) {
		ok = elffile_vaddr_to_off(&e->f, f->entry + copies[i].start,
					  true, &off);
		if (ok && *found < max)
			offs[*found] = off;
		++*found;
	}
	free(copies);
	return ok;
}

/* Every function's copies of name: false on a tree that is not one. */
static bool inl_all(struct exe *e, uint64_t gofunc, const char *name,
		    uint64_t *offs, size_t max, size_t *found)
{
	struct inlfunc f;
	uint32_t i;
	bool ok = true;
	int has;

	for (i = 0; ok && i < e->t.nfunc; i++) {
		memset(&f, 0, sizeof(f));
		has = inlfunc_read(e, i, gofunc, &f);
		ok = has >= 0;
		if (has > 0)
			ok = inl_copies(e, &f, name, offs, max, found);
		free(f.r);
	}
	return ok;
}

/* gofunc_find() once per executable. */
static bool exe_gofunc(struct exe *e, uint64_t *gofunc)
{
	if (!e->gofunc_known)
		e->gofunc_known = gofunc_find(e, &e->gofunc) ? 1 : -1;
	*gofunc = e->gofunc;
	return e->gofunc_known > 0;
}

/*
 * The innermost function inlined where pc is in function i's code, its
 * name into buf; false if the code there is i's own, or the inline tree
 * cannot be read.
 */
static bool inlined_at(struct exe *e, uint32_t i, uint64_t pc, char *buf,
		       size_t size)
{
	struct inlfunc f = { 0 };
	struct inlcall c;
	uint64_t gofunc;
	int32_t index;
	bool found = false;

	if (e->t.func_size && exe_gofunc(e, &gofunc) &&
	    inlfunc_read(e, i, gofunc, &f) > 0 && pc >= f.entry) {
		index = pc_range_value(&f, pc - f.entry);
		found = index >= 0 && inl_call_read(e, &f, index, &c) &&
			tab_string(e, e->t.names + c.name, buf, size);
	}
	free(f.r);
	return found;
}

int gosym_symbolize(const char *path, uint64_t ret_off, struct gosym_site *site)
{
	char name[sizeof(site->func)];
	struct exe *e;
	uint64_t pc;
	struct func f;
	uint32_t i;
	int err = exe_get(path, &e);

	if (err)
		return err;
	if (!e->go)
		return GOSYM_ENOTGO;
	/* the call is the instruction before the return address */
	if (!ret_off || !elffile_off_to_vaddr(&e->f, ret_off - 1, true, &pc) ||
	    !func_find(e, pc, &i) || !func_read(e, i, &f) || pc < f.entry ||
	    !tab_string(e, e->t.names + f.name, site->func, sizeof(site->func)))
		return GOSYM_ENOFUNC;
	file_line(e, &f, pc, site);
	site->outer[0] = '\0';
	if (inlined_at(e, i, pc, name, sizeof(name))) {
		memcpy(site->outer, site->func, sizeof(site->outer));
		memcpy(site->func, name, sizeof(site->func));
	}
	return 0;
}

int gosym_inlined_entries(const char *path, const char *name,
			  uint64_t *file_offs, size_t max)
{
	struct exe *e;
	uint64_t entry, gofunc;
	size_t found = 0;
	int err = exe_get(path, &e);

	if (err)
		return err;
	if (!e->go || !e->t.func_size || !exe_gofunc(e, &gofunc))
		return GOSYM_ENOTGO;
	if ((symbol(e, name, true, &entry) || pclntab_func(e, name, &entry)) &&
	    elffile_vaddr_to_off(&e->f, entry, true, &entry)) {
		if (max)
			file_offs[0] = entry;
		found = 1;
	}
	if (!inl_all(e, gofunc, name, file_offs, max, &found))
		return GOSYM_ENOTGO;
	if (found > INT32_MAX)
		found = INT32_MAX;
	return found ? (int)found : GOSYM_ENOFUNC;
}

int gosym_call_address(const char *path, uint64_t ret_off, uint64_t *addr)
{
	struct exe *e;
	int err = exe_get(path, &e);

	if (err)
		return err;
	if (!ret_off || !elffile_off_to_vaddr(&e->f, ret_off - 1, true, addr))
		return GOSYM_ENOFUNC;
	return 0;
}

/* A note's text: Go's build id as is, the GNU one in hex. */
static void note_text(const unsigned char *desc, uint32_t len, bool hex,
		      char *buf, size_t size)
{
	size_t n = 0;
	uint32_t i;

	for (i = 0; i < len && n + (hex ? 3 : 2) <= size; i++) {
		if (hex) {
			n += (size_t)snprintf(buf + n, 3, "%02x", desc[i]);
			continue;
		}
		buf[n++] = desc[i] >= 0x20 && desc[i] < 0x7f ? desc[i] : '?';
	}
	buf[n] = '\0';
}

/*
 * Scan the notes at file offset off, size bytes: a Go build id note (name
 * "Go", type 4) wins over a GNU one (name "GNU", NT_GNU_BUILD_ID).
 */
static int notes_scan(struct exe *e, uint64_t off, uint64_t size, char *buf,
		      size_t bufsize, int found)
{
	unsigned char n[4096];
	uint32_t namesz, descsz, type;
	uint64_t at = 0;
	const unsigned char *name, *desc;

	if (size > sizeof(n))
		size = sizeof(n);
	if (!elffile_read(&e->f, off, n, size))
		return found;
	while (size - at >= 12) {
		namesz = le32(n + at);
		descsz = le32(n + at + 4);
		type = le32(n + at + 8);
		name = n + at + 12;
		if (namesz > size - at - 12 ||
		    descsz > size - at - 12 - ((namesz + 3) & ~3u))
			break;
		desc = name + ((namesz + 3) & ~3u);
		/* Go's linker pads the name "Go" with two NULs, not one */
		if (namesz >= 3 && namesz <= 4 && !memcmp(name, "Go\0", 3) &&
		    (namesz == 3 || !name[3]) && type == 4) {
			note_text(desc, descsz, false, buf, bufsize);
			return 2;
		}
		if (namesz == 4 && !memcmp(name, "GNU", 4) &&
		    type == NT_GNU_BUILD_ID && !found) {
			note_text(desc, descsz, true, buf, bufsize);
			found = 1;
		}
		at += 12 + ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
	}
	return found;
}

int gosym_build_id(const char *path, char *buf, size_t size)
{
	struct exe *e;
	int i, found = 0, err = exe_get(path, &e);

	if (err)
		return err;
	if (!size)
		return GOSYM_ENOID;
	/* sections when the file has them, else the note segments */
	for (i = 0; i < e->f.eh.e_shnum && found < 2; i++)
		if (e->f.sh[i].sh_type == SHT_NOTE)
			found = notes_scan(e, e->f.sh[i].sh_offset,
					   e->f.sh[i].sh_size, buf, size,
					   found);
	for (i = 0; !e->f.eh.e_shnum && i < e->f.eh.e_phnum && found < 2; i++)
		if (e->f.ph[i].p_type == PT_NOTE)
			found = notes_scan(e, e->f.ph[i].p_offset,
					   e->f.ph[i].p_filesz, buf, size,
					   found);
	return found ? 0 : GOSYM_ENOID;
}

void gosym_release(void)
{
	elffile_release(&cache);
}
