/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small helpers: strict number parsing, file reading, string escaping.
 */
#ifndef PINSTAT_UTIL_H
#define PINSTAT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Whole string a decimal number (a trailing newline allowed)? */
bool parse_ll(const char *s, long long *value);
bool parse_ull(const char *s, unsigned long long *value);
bool parse_double(const char *s, double *value);
/* Decimal digits of v, written backwards from end: returns the start. */
char *format_ull(char *end, unsigned long long v);

/* Read a small file into buf, NUL-terminated, newline stripped; -errno. */
int read_small_file(const char *path, char *buf, size_t size);
/* Write value to path; -errno. */
int write_file(const char *path, const char *value);

/* The kernel's \ooo escaping of comm, undone: bytes into out (size >= 16). */
bool decode_comm(const char *in, char *out, size_t size);

/* Length of the valid UTF-8 sequence at s, or 0. */
size_t utf8_len(const unsigned char *s);
/* How many bytes from p on are plain ASCII: nothing to escape in JSON. */
size_t plain_len(const unsigned char *p);
/* Write s as a Prometheus label value (quoted), made valid UTF-8. */
void prom_label(FILE *f, const char *s);
/* Write s for a terminal: printable ASCII as is, other bytes as \ooo. */
void text_string(FILE *f, const char *s, int width);
/* How many columns text_string() would use for s. */
int text_width(const char *s);
/* @s as text_string() writes it, but with its spaces: for a line's end. */
void text_last(FILE *f, const char *s);

/*
 * Flush stdout: false, after a message (said once), if anything written
 * to it so far was lost (a full disk, a reader gone: ENOSPC, EPIPE).
 */
bool flush_stdout(void);
/* At exit, flush and close stdout and stderr; exit 2 if either failed. */
void check_outputs_at_exit(void);

void die(int status, const char *fmt, ...)
	__attribute__((noreturn, format(printf, 2, 3)));
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* PINSTAT_UTIL_H */
