/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the module reads of an ELF file before it puts a uprobe in it: its
 * headers, where a file offset is in its code, its sections and symbols.
 * 64-bit files of the kernel's own byte order only. The file is the
 * user's: every value read from it is checked before it is used. Each of
 * these sleeps (it reads the file).
 */
#ifndef _PINSTAT_ELF_H
#define _PINSTAT_ELF_H

#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/types.h>

/* @len bytes at @pos of @file: 0, or -ENOEXEC if the file is shorter. */
int pinstat_elf_read(struct file *file, u64 pos, void *buf, size_t len);

/* @file's header, checked: 0, or -ENOEXEC if it is no ELF file we read. */
int pinstat_elf_header(struct file *file, struct elf64_hdr *eh);

/*
 * The link-time address of file @offset, in an executable segment: 0, or
 * -EINVAL if no executable segment holds it.
 */
int pinstat_elf_code_address(struct file *file, const struct elf64_hdr *eh,
			     u64 offset, u64 *addr);

/* The section named @name (at most 15 characters): 0, or -ENOEXEC. */
int pinstat_elf_section(struct file *file, const struct elf64_hdr *eh,
			const char *name, struct elf64_shdr *found);

/*
 * 0 if a function of @file's symbol tables (.symtab, .dynsym) starts at
 * file @offset of its code; -EINVAL if none does, -ENOEXEC if @file is no
 * ELF file we read.
 */
int pinstat_elf_func_start(struct file *file, u64 offset);

#endif /* _PINSTAT_ELF_H */
