// SPDX-License-Identifier: GPL-2.0
/*
 * ELF files read by the module (see elf.h). Reads are small and bounded:
 * headers one at a time, symbols a few at a time.
 */
#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include "elf.h"

/* More than any program has; bounds the reads of a crafted file. */
#define ELF_MAX_HEADERS 4096
#define ELF_MAX_SYMBOLS BIT(22)
/* Symbols read at once. */
#define SYMBOL_BATCH 16

#ifdef __LITTLE_ENDIAN
#define ELF_OWN_DATA ELFDATA2LSB
#else
#define ELF_OWN_DATA ELFDATA2MSB
#endif

int pinstat_elf_read(struct file *file, u64 pos, void *buf, size_t len)
{
	loff_t off = pos;

	return kernel_read(file, buf, len, &off) == len ? 0 : -ENOEXEC;
}

int pinstat_elf_header(struct file *file, struct elf64_hdr *eh)
{
	if (pinstat_elf_read(file, 0, eh, sizeof(*eh)) ||
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

int pinstat_elf_code_address(struct file *file, const struct elf64_hdr *eh,
			     u64 offset, u64 *addr)
{
	struct elf64_phdr ph;
	unsigned int i;

	for (i = 0; i < eh->e_phnum; i++) {
		if (pinstat_elf_read(file, eh->e_phoff + i * sizeof(ph), &ph,
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

/* Section @i's header. */
static int section_header(struct file *file, const struct elf64_hdr *eh,
			  unsigned int i, struct elf64_shdr *sh)
{
	return pinstat_elf_read(file, eh->e_shoff + i * sizeof(*sh), sh,
				sizeof(*sh));
}

int pinstat_elf_section(struct file *file, const struct elf64_hdr *eh,
			const char *name, struct elf64_shdr *found)
{
	size_t len = strlen(name) + 1;
	struct elf64_shdr names;
	char found_name[16];
	unsigned int i;

	if (len > sizeof(found_name) ||
	    section_header(file, eh, eh->e_shstrndx, &names))
		return -ENOEXEC;
	for (i = 0; i < eh->e_shnum; i++) {
		if (section_header(file, eh, i, found))
			return -ENOEXEC;
		if (found->sh_name < names.sh_size &&
		    !pinstat_elf_read(file, names.sh_offset + found->sh_name,
				      found_name, len) &&
		    !memcmp(found_name, name, len))
			return 0;
	}
	return -ENOEXEC;
}

/* Does a defined function of the symbol table @sh start at @addr? */
static int table_has_func(struct file *file, const struct elf64_shdr *sh,
			  u64 addr)
{
	struct elf64_sym syms[SYMBOL_BATCH];
	u64 n = sh->sh_size / sizeof(syms[0]), i, k, batch;

	if (sh->sh_entsize != sizeof(syms[0]) || n > ELF_MAX_SYMBOLS)
		return -ENOEXEC;
	for (i = 0; i < n; i += batch) {
		batch = min_t(u64, SYMBOL_BATCH, n - i);
		if (pinstat_elf_read(file, sh->sh_offset + i * sizeof(syms[0]),
				     syms, batch * sizeof(syms[0])))
			return -ENOEXEC;
		for (k = 0; k < batch; k++)
			if (ELF64_ST_TYPE(syms[k].st_info) == STT_FUNC &&
			    syms[k].st_shndx != SHN_UNDEF &&
			    syms[k].st_value == addr)
				return 0;
	}
	return -EINVAL;
}

int pinstat_elf_func_start(struct file *file, u64 offset)
{
	struct elf64_shdr sh;
	struct elf64_hdr eh;
	unsigned int i;
	u64 addr;
	int err;

	err = pinstat_elf_header(file, &eh) ?:
		      pinstat_elf_code_address(file, &eh, offset, &addr);
	if (err)
		return err;
	for (i = 0; i < eh.e_shnum; i++) {
		if (section_header(file, &eh, i, &sh))
			return -ENOEXEC;
		if ((sh.sh_type == SHT_SYMTAB || sh.sh_type == SHT_DYNSYM) &&
		    !table_has_func(file, &sh, addr))
			return 0;
	}
	return -EINVAL;
}
