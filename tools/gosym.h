/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Go executables read from their file: where a function starts, and which
 * function, source file and line a return address belongs to, as file
 * offsets (what an uprobe takes and what the module reports). 64-bit
 * little-endian ELF for x86-64 or arm64 only.
 *
 * Names come from .symtab when the file has one, else from Go's own pc-line
 * table (.gopclntab: formats of Go 1.16 to 1.27), which "go build -ldflags
 * '-s -w'" keeps; file and line always come from that table, as the Go
 * runtime and "go tool addr2line" read them.
 *
 * Files are untrusted: a crafted one gets an error, never a crash. The
 * last few executables opened stay open (a few pages each), told apart by
 * device, inode, size and mtime, so /proc/PID/exe of processes running the
 * same binary share them and a rebuilt binary is read again.
 */
#ifndef PINSTAT_GOSYM_H
#define PINSTAT_GOSYM_H

#include <stddef.h>
#include <stdint.h>

enum gosym_error {
	GOSYM_EREAD = -1,     /* cannot open or read the file */
	GOSYM_ENOTELF = -2,   /* not a 64-bit little-endian x86-64/arm64 ELF */
	GOSYM_ENOTGO = -3,    /* no Go pc-line table this reader knows */
	GOSYM_ENOFUNC = -4,   /* no such function, or no function there */
	GOSYM_ENOTENTRY = -5, /* inside a function, not at its entry */
	GOSYM_ENOID = -6,     /* no build id note */
};

/* What went wrong, for one of the errors above. */
const char *gosym_strerror(int error);

/*
 * The file offset of the entry of function name ("runtime.LockOSThread")
 * in the executable at path: 0, or a negative gosym_error.
 */
int gosym_func_offset(const char *path, const char *name, uint64_t *file_off);

/*
 * The file offsets where function name's code starts in the executable at
 * path, for uprobes that must see every run of it: the entry of the
 * function itself if the executable has it, then the first instruction of
 * each copy of it the compiler inlined into another function (a direct
 * call of runtime.UnlockOSThread is inlined, a deferred one calls it), in
 * the order of the functions' code. Read from Go's inline trees (Go 1.18
 * to 1.27; a stripped executable too), so the first instruction is the
 * lowest address of the copy, which DWARF gives its
 * DW_TAG_inlined_subroutine too. Returns the number found (may exceed
 * max: then only the first max are stored), GOSYM_ENOFUNC if none, or
 * another gosym_error (GOSYM_ENOTGO for a table of Go 1.16 or 1.17).
 */
int gosym_inlined_entries(const char *path, const char *name,
			  uint64_t *file_offs, size_t max);

/*
 * 0 if a function starts at file_off (an offset given by a user, before an
 * uprobe is put there), else GOSYM_ENOTENTRY, GOSYM_ENOFUNC (not in any
 * function's code) or another error.
 */
int gosym_check_entry(const char *path, uint64_t file_off);

struct gosym_site {
	char func[512];	 /* the function whose code it is */
	char outer[512]; /* the one it was inlined into; "" if none */
	char file[1024]; /* "?" when the table does not say */
	int line;	 /* 0 when the table does not say */
};

/*
 * Where the call returning to file offset ret_off was made: the function,
 * file and line of the instruction before it (pc - 1). Inside code inlined
 * into a function, all three are the inlined code's (the innermost, as Go's
 * inline tree tells), and outer names the function it was compiled into
 * (the one "go tool addr2line" names). Names too long for the fields are
 * cut. 0 or a gosym_error.
 */
int gosym_symbolize(const char *path, uint64_t ret_off,
		    struct gosym_site *site);

/*
 * The address of that call (pc - 1, as gosym_symbolize looks up), which
 * "go tool addr2line" reads, for code this reader cannot name: 0,
 * GOSYM_ENOFUNC when ret_off is in no executable segment, or another
 * error. Any ELF file this reader opens, Go or not.
 */
int gosym_call_address(const char *path, uint64_t ret_off, uint64_t *addr);

/*
 * The executable's build id as text: Go's (as "go tool buildid" prints it),
 * else the GNU build id in hex. 0, or a gosym_error.
 */
int gosym_build_id(const char *path, char *buf, size_t size);

/* Close the executables kept open and free what was read of them. */
void gosym_release(void);

#endif /* PINSTAT_GOSYM_H */
