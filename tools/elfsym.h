/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ELF files of any program (C, C++), read through their symbol tables:
 * where a function starts, and which function a return address is in, as
 * file offsets (what an uprobe takes and what the module reports). Symbols
 * come from .symtab when the file has one, else from .dynsym; there is no
 * DWARF reader, so no file or line. 64-bit little-endian ELF for x86-64 or
 * arm64 only. Go executables are gosym.h's.
 *
 * Files are untrusted: a crafted one gets an error, never a crash. The
 * last few files opened stay open, told apart by device, inode, size and
 * mtime, as gosym.h keeps them.
 */
#ifndef PINSTAT_ELFSYM_H
#define PINSTAT_ELFSYM_H

#include <stddef.h>
#include <stdint.h>

enum elfsym_error {
	ELFSYM_EREAD = -1,   /* cannot open or read the file */
	ELFSYM_ENOTELF = -2, /* not a 64-bit little-endian x86-64/arm64 ELF */
	ELFSYM_ENOSYMS = -3, /* neither .symtab nor .dynsym */
	ELFSYM_ENOFUNC = -4, /* no such function, or no function there */
};

/* What went wrong, for one of the errors above. */
const char *elfsym_strerror(int error);

/*
 * The file offset where function name starts in the file at path: a
 * defined STT_FUNC symbol of .symtab, else of .dynsym, in code the file
 * loads. 0, or a negative elfsym_error.
 */
int elfsym_func_offset(const char *path, const char *name, uint64_t *file_off);

/*
 * The function whose code holds the call returning to file offset ret_off
 * (the instruction before it, ret_off - 1): "name+0xOFF" into buf, OFF
 * being the return address's offset in the function, as backtraces show
 * it. Names too long for buf are cut. 0 or an elfsym_error.
 */
int elfsym_symbolize(const char *path, uint64_t ret_off, char *buf,
		     size_t size);

/* Close the files kept open. */
void elfsym_release(void);

#endif /* PINSTAT_ELFSYM_H */
