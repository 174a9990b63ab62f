// SPDX-License-Identifier: GPL-2.0
/*
 * Is an offset in a Go executable the entry of one of its functions? A
 * uprobe in the middle of an instruction would corrupt the program, and
 * the kernel cannot always tell (x86 instructions decode from any byte):
 * the answer comes from the function table of the executable's pclntab,
 * which Go keeps even in stripped binaries and uses for its own stack
 * traces. Formats of Go 1.18 on; 64-bit executables of the kernel's own
 * byte order. The file is the user's: every value read from it is
 * checked before it is used.
 */
#include <linux/bits.h>
#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/string.h>
#include "gofunc.h"

/* Magic numbers of the pclntab header: Go 1.18-1.19, Go 1.20 on. */
#define PCLNTAB_MAGIC_118 0xfffffff0
#define PCLNTAB_MAGIC_120 0xfffffff1
/* Header fields, as offsets from its start (pointer-sized after magic). */
#define PCLNTAB_PTRSIZE	   7
#define PCLNTAB_NFUNC	   8
#define PCLNTAB_TEXT_START 24
#define PCLNTAB_FUNCTAB	   64
#define PCLNTAB_HEADER	   72
/* More than any program has; bounds the reads of a crafted file. */
#define ELF_MAX_HEADERS 4096
#define GO_MAX_FUNCS	BIT(24)

#ifdef __LITTLE_ENDIAN
#define ELF_OWN_DATA ELFDATA2LSB
#else
#define ELF_OWN_DATA ELFDATA2MSB
#endif

static int read_at(struct file *file, u64 pos, void *buf, size_t len)
{
	loff_t off = pos;

	return kernel_read(file, buf, len, &off) == len ? 0 : -ENOEXEC;
}

static int read_header(struct file *file, struct elf64_hdr *eh)
{
	if (read_at(file, 0, eh, sizeof(*eh)) ||
	    memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELF_OWN_DATA ||
	    eh->e_phentsize != sizeof(struct elf64_phdr) ||
	    eh->e_shentsize != sizeof(struct elf64_shdr) ||
	    eh->e_phnum > ELF_MAX_HEADERS || eh->e_shnum > ELF_MAX_HEADERS ||
	    eh->e_shstrndx >= eh->e_shnum)
		return -ENOEXEC;
	return 0;
}

/* The link-time address of file @offset, in an executable segment. */
static int code_address(struct file *file, const struct elf64_hdr *eh,
			u64 offset, u64 *addr)
{
	struct elf64_phdr ph;
	unsigned int i;

	for (i = 0; i < eh->e_phnum; i++) {
		if (read_at(file, eh->e_phoff + i * sizeof(ph), &ph,
			    sizeof(ph)))
			return -ENOEXEC;
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) &&
		    offset >= ph.p_offset &&
		    offset - ph.p_offset < ph.p_filesz) {
			*addr = offset - ph.p_offset + ph.p_vaddr;
			return 0;
		}
	}
	return -EINVAL;
}

/* The section named @name: where it is in the file and the program. */
static int find_section(struct file *file, const struct elf64_hdr *eh,
			const char *name, struct elf64_shdr *found_sh)
{
	size_t len = strlen(name) + 1;
	struct elf64_shdr names;
	char found[16];
	unsigned int i;

	if (read_at(file, eh->e_shoff + eh->e_shstrndx * sizeof(names), &names,
		    sizeof(names)))
		return -ENOEXEC;
	for (i = 0; i < eh->e_shnum; i++) {
		if (read_at(file, eh->e_shoff + i * sizeof(*found_sh), found_sh,
			    sizeof(*found_sh)))
			return -ENOEXEC;
		if (found_sh->sh_name < names.sh_size && len <= sizeof(found) &&
		    !read_at(file, names.sh_offset + found_sh->sh_name, found,
			     len) &&
		    !memcmp(found, name, len))
			return 0;
	}
	return -ENOEXEC;
}

/* Does the function table at @tab (@nfunc entries) have one at @entry? */
static int search_functab(struct file *file, u64 tab, u64 nfunc, u64 entry)
{
	u64 lo = 0, hi = nfunc;
	u32 pair[2]; /* entry offset from the text start, function offset */

	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (read_at(file, tab + mid * sizeof(pair), pair, sizeof(pair)))
			return -ENOEXEC;
		if (pair[0] == entry)
			return 0;
		if (pair[0] < entry)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -EINVAL;
}

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
	if (find_section(exe, eh, ".text", &sh))
		return -ENOEXEC;
	*text = sh.sh_addr;
	return 0;
}

int pinstat_go_func_entry(struct file *exe, u64 offset)
{
	u64 addr, nfunc, text, functab;
	u8 header[PCLNTAB_HEADER];
	struct elf64_shdr pcln;
	struct elf64_hdr eh;
	u32 magic;
	int err;

	err = read_header(exe, &eh)				  ?:
		      find_section(exe, &eh, ".gopclntab", &pcln) ?:
		      code_address(exe, &eh, offset, &addr);
	if (err)
		return err;
	if (pcln.sh_size < sizeof(header) ||
	    read_at(exe, pcln.sh_offset, header, sizeof(header)))
		return -ENOEXEC;
	memcpy(&magic, header, sizeof(magic));
	memcpy(&nfunc, header + PCLNTAB_NFUNC, sizeof(nfunc));
	memcpy(&functab, header + PCLNTAB_FUNCTAB, sizeof(functab));
	if ((magic != PCLNTAB_MAGIC_118 && magic != PCLNTAB_MAGIC_120) ||
	    header[PCLNTAB_PTRSIZE] != 8 || nfunc > GO_MAX_FUNCS ||
	    functab > pcln.sh_size ||
	    (nfunc + 1) * 8 > pcln.sh_size - functab ||
	    text_start(exe, &eh, header, &text))
		return -ENOEXEC;
	if (addr < text || addr - text > U32_MAX)
		return -EINVAL;
	return search_functab(exe, pcln.sh_offset + functab, nfunc,
			      addr - text);
}
