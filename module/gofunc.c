// SPDX-License-Identifier: GPL-2.0
/*
 * Does an instruction start at an offset in a Go executable? A uprobe in
 * the middle of one would corrupt the program, and the kernel cannot
 * always tell (x86 instructions decode from any byte): the answer comes
 * from the executable's pclntab, which Go keeps even in stripped binaries
 * and uses for its own stack traces. Its function table says where each
 * function starts; each function's inline table says which inlined call,
 * if any, each instruction belongs to, in ranges that start at
 * instructions. Formats of Go 1.18 on; 64-bit executables of the kernel's
 * own byte order. The file is the user's: every value read from it is
 * checked before it is used, and every walk is bounded.
 */
#include <linux/bits.h>
#include <linux/string.h>
#include "elf.h"
#include "gofunc.h"

/* Magic numbers of the pclntab header: Go 1.18-1.19, Go 1.20 on. */
#define PCLNTAB_MAGIC_118 0xfffffff0
#define PCLNTAB_MAGIC_120 0xfffffff1
/* Header fields, as offsets from its start (pointer-sized after magic). */
#define PCLNTAB_QUANTUM	   6
#define PCLNTAB_PTRSIZE	   7
#define PCLNTAB_NFUNC	   8
#define PCLNTAB_TEXT_START 24
#define PCLNTAB_PCTAB	   56
#define PCLNTAB_FUNCTAB	   64
#define PCLNTAB_HEADER	   72
/* A function's record: its count of pc tables, where their offsets start. */
#define FUNC_NPCDATA	28
#define FUNC_PCDATA_118 40
#define FUNC_PCDATA_120 44
/* The pc table that maps each instruction to its inlined call (-1: none). */
#define PCDATA_INLINE 2
/* More ranges than the inline table of any function has. */
#define PCVALUE_MAX_STEPS BIT(20)
/* More than any program has; bounds the reads of a crafted file. */
#define GO_MAX_FUNCS BIT(24)

/* What is read of an executable's pclntab to check one offset in it. */
struct go_table {
	struct file *exe;
	u64 pcln;    /* where .gopclntab is in the file */
	u64 size;    /* its size */
	u64 functab; /* offsets from pcln */
	u64 pctab;
	u64 nfunc;
	u64 text; /* the address function entries count from */
	u32 magic;
	u8 quantum; /* instruction size unit */
};

/*
 * Where the code that function entries count from starts. Go 1.27 no
 * longer writes it in the header: it is the start of .text, as the
 * runtime's text symbol is in the binaries Go links itself.
 */
static int text_start(struct file *exe, const struct elf64_hdr *eh,
		      const u8 *header, u64 *text)
{
	struct elf64_shdr sh;

	memcpy(text, header + PCLNTAB_TEXT_START, sizeof(*text));
	if (*text)
		return 0;
	if (pinstat_elf_section(exe, eh, ".text", &sh))
		return -ENOEXEC;
	*text = sh.sh_addr;
	return 0;
}

/* @tab of @exe, and where file @offset is in the text, if it is code. */
static int table_open(struct file *exe, u64 offset, struct go_table *tab,
		      u64 *pc)
{
	u8 header[PCLNTAB_HEADER];
	struct elf64_shdr pcln;
	struct elf64_hdr eh;
	u64 addr;
	int err;

	err = pinstat_elf_header(exe, &eh)				 ?:
		      pinstat_elf_section(exe, &eh, ".gopclntab", &pcln) ?:
		      pinstat_elf_code_address(exe, &eh, offset, &addr);
	if (err)
		return err;
	if (pcln.sh_size < sizeof(header) ||
	    pinstat_elf_read(exe, pcln.sh_offset, header, sizeof(header)))
		return -ENOEXEC;
	tab->exe = exe;
	tab->pcln = pcln.sh_offset;
	tab->size = pcln.sh_size;
	memcpy(&tab->magic, header, sizeof(tab->magic));
	memcpy(&tab->nfunc, header + PCLNTAB_NFUNC, sizeof(tab->nfunc));
	memcpy(&tab->functab, header + PCLNTAB_FUNCTAB, sizeof(tab->functab));
	memcpy(&tab->pctab, header + PCLNTAB_PCTAB, sizeof(tab->pctab));
	tab->quantum = header[PCLNTAB_QUANTUM];
	if ((tab->magic != PCLNTAB_MAGIC_118 &&
	     tab->magic != PCLNTAB_MAGIC_120) ||
	    header[PCLNTAB_PTRSIZE] != 8 || !tab->quantum ||
	    tab->nfunc > GO_MAX_FUNCS || tab->functab > tab->size ||
	    (tab->nfunc + 1) * 8 > tab->size - tab->functab ||
	    tab->pctab > tab->size || text_start(exe, &eh, header, &tab->text))
		return -ENOEXEC;
	if (addr < tab->text || addr - tab->text > U32_MAX)
		return -EINVAL;
	*pc = addr - tab->text;
	return 0;
}

/* Entry @i of the function table: a function's entry, its record's offset. */
static int functab_entry(struct go_table *tab, u64 i, u32 *pair)
{
	return pinstat_elf_read(tab->exe, tab->pcln + tab->functab + i * 8,
				pair, 2 * sizeof(u32));
}

/*
 * The function whose code holds @pc (an offset from the text start): its
 * entry, and where its record is (an offset from the function table).
 */
static int func_at(struct go_table *tab, u64 pc, u32 *entry, u32 *record)
{
	u64 lo = 0, hi = tab->nfunc;
	u32 pair[2], end[2];

	if (!tab->nfunc)
		return -ENOEXEC;
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (functab_entry(tab, mid, pair))
			return -ENOEXEC;
		if (pair[0] <= pc)
			lo = mid;
		else
			hi = mid;
	}
	/* entry lo + 1 is where function lo ends (the last: the text) */
	if (functab_entry(tab, lo, pair) || functab_entry(tab, lo + 1, end))
		return -ENOEXEC;
	if (pc < pair[0] || pc >= end[0])
		return -EINVAL;
	*entry = pair[0];
	*record = pair[1];
	return 0;
}

/* A forward reader of a pc table, a few bytes of the file at a time. */
struct table_reader {
	struct go_table *tab;
	u64 pos; /* in the file, of buf[0] */
	unsigned int at, len;
	u8 buf[64];
};

static int next_byte(struct table_reader *r, u8 *b)
{
	u64 end = r->tab->pcln + r->tab->size;

	if (r->at == r->len) {
		r->pos += r->len;
		if (r->pos >= end)
			return -ENOEXEC;
		r->len = min_t(u64, sizeof(r->buf), end - r->pos);
		r->at = 0;
		if (pinstat_elf_read(r->tab->exe, r->pos, r->buf, r->len))
			return -ENOEXEC;
	}
	*b = r->buf[r->at++];
	return 0;
}

/* An unsigned LEB128 number of at most 32 bits, as Go writes them. */
static int next_uvarint(struct table_reader *r, u32 *v)
{
	unsigned int shift;
	u8 b;

	*v = 0;
	for (shift = 0; shift < 35; shift += 7) {
		if (next_byte(r, &b))
			return -ENOEXEC;
		*v |= (u32)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return -ENOEXEC;
}

/*
 * Does a range of the pc table at @table (an offset from the pc tables)
 * start at @pc (an offset from the function's entry) with a new value?
 * The table is Go's: pairs of a value change (zigzag) and a length (in
 * instruction units), from the value -1 at the entry; a 0 change ends it.
 */
static int range_starts_at(struct go_table *tab, u32 table, u64 pc)
{
	struct table_reader r = { .tab = tab };
	u32 change, len, steps;
	s32 value = -1, prev;
	u64 start = 0;

	r.pos = tab->pcln + tab->pctab + table;
	for (steps = 0; steps < PCVALUE_MAX_STEPS; steps++) {
		if (next_uvarint(&r, &change))
			return -ENOEXEC;
		if (!change && steps)
			return -EINVAL;
		prev = value;
		value += (s32)(change >> 1) ^ -(s32)(change & 1);
		if (start == pc)
			return steps && value != prev ? 0 : -EINVAL;
		if (start > pc || next_uvarint(&r, &len))
			return -EINVAL;
		start += (u64)len * tab->quantum;
	}
	return -EINVAL;
}

/* Does code inlined from another function start at @pc of @record's? */
static int inline_starts_at(struct go_table *tab, u32 record, u64 pc)
{
	u64 pos = tab->pcln + tab->functab + record;
	u32 npcdata, table;
	u64 first = tab->magic == PCLNTAB_MAGIC_118 ? FUNC_PCDATA_118 :
						      FUNC_PCDATA_120;

	if (pinstat_elf_read(tab->exe, pos + FUNC_NPCDATA, &npcdata,
			     sizeof(npcdata)))
		return -ENOEXEC;
	if (npcdata <= PCDATA_INLINE)
		return -EINVAL;
	if (pinstat_elf_read(tab->exe,
			     pos + first + PCDATA_INLINE * sizeof(table),
			     &table, sizeof(table)))
		return -ENOEXEC;
	return table ? range_starts_at(tab, table, pc) : -EINVAL;
}

/*
 * Does code start at file @offset of @exe: a function's entry, or with
 * @inlined, code inlined into a function?
 */
static int code_starts_at(struct file *exe, u64 offset, bool inlined)
{
	struct go_table tab;
	u32 entry, record;
	u64 pc;
	int err;

	err = table_open(exe, offset, &tab, &pc) ?:
		      func_at(&tab, pc, &entry, &record);
	if (err || pc == entry)
		return err;
	return inlined ? inline_starts_at(&tab, record, pc - entry) : -EINVAL;
}

int pinstat_go_func_entry(struct file *exe, u64 offset)
{
	return code_starts_at(exe, offset, false);
}

int pinstat_go_code_start(struct file *exe, u64 offset)
{
	return code_starts_at(exe, offset, true);
}
