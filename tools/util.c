// SPDX-License-Identifier: GPL-2.0
/*
 * Small helpers: strict number parsing, file reading, string escaping.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "source.h"
#include "util.h"

/*
 * Numbers are parsed by hand: strictly (digits only, a trailing newline
 * allowed), and fast, since a table of 10 000 processes has 330 000.
 */
static bool number_end(const char *p)
{
	return *p == '\0' || (*p == '\n' && p[1] == '\0');
}

bool parse_ull(const char *s, unsigned long long *value)
{
	unsigned long long v = 0;
	const char *p = s;

	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (ULLONG_MAX - (*p - '0')) / 10)
			return false; /* overflow */
		v = v * 10 + (*p - '0');
	}
	if (p == s || !number_end(p))
		return false;
	*value = v;
	return true;
}

bool parse_ll(const char *s, long long *value)
{
	bool negative = *s == '-';
	unsigned long long v;

	if (!parse_ull(s + negative, &v) ||
	    v > (unsigned long long)LLONG_MAX + negative)
		return false;
	*value = negative ? (long long)(0 - v) : (long long)v;
	return true;
}

/* Plain decimals only ("12.34"): no sign, hex, exponent, inf or nan. */
bool parse_double(const char *s, double *value)
{
	double v = 0, scale = 1;
	const char *p = s;
	bool dot = false;

	for (; (*p >= '0' && *p <= '9') || (*p == '.' && !dot); p++) {
		if (*p == '.') {
			dot = true;
			continue;
		}
		if (dot)
			scale /= 10;
		v = v * 10 + (*p - '0');
	}
	if (p == s || *s == '.' || !number_end(p))
		return false;
	*value = v * scale;
	return true;
}

/* Decimal digits of v, ending at end (not NUL-terminated): the start. */
char *format_ull(char *end, unsigned long long v)
{
	do
		*--end = '0' + v % 10;
	while (v /= 10);
	return end;
}

int read_small_file(const char *path, char *buf, size_t size)
{
	ssize_t len;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	if (len < 0)
		err = -errno;
	close(fd);
	if (err)
		return err;
	buf[len] = '\0';
	if (len > 0 && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return 0;
}

int write_file(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd, err = 0;

	/* O_TRUNC as the shell's ">" does: for fixture files */
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != (ssize_t)len)
		err = errno ? -errno : -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

static bool is_octal(char c)
{
	return c >= '0' && c <= '7';
}

bool decode_comm(const char *in, char *out, size_t size)
{
	size_t n = 0;

	while (*in) {
		unsigned char c = *in++;

		if (c == '\\') {
			if (!is_octal(in[0]) || !is_octal(in[1]) ||
			    !is_octal(in[2]))
				return false;
			c = (in[0] - '0') * 64 + (in[1] - '0') * 8 +
			    (in[2] - '0');
			in += 3;
			if (c == 0 && n == 0 && !*in)
				break; /* "\000": the empty name */
		}
		if (c == 0 || n + 1 >= size)
			return false;
		out[n++] = c;
	}
	out[n] = '\0';
	return true;
}

size_t utf8_len(const unsigned char *s)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* no overlong forms, no surrogates, nothing past U+10FFFF */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

size_t plain_len(const unsigned char *p)
{
	size_t n = 0;

	while (p[n] >= 0x20 && p[n] < 0x7f && p[n] != '"' && p[n] != '\\')
		n++;
	return n;
}

void prom_label(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len;

	fputc('"', f);
	while (*p) {
		len = plain_len(p);
		if (len) {
			fwrite(p, 1, len, f);
			p += len;
			continue;
		}
		len = utf8_len(p);
		if (len == 0) {
			fputs("\xef\xbf\xbd", f); /* U+FFFD */
			p++;
		} else if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p++);
		} else if (*p == '\n') {
			fputs("\\n", f);
			p++;
		} else {
			fwrite(p, 1, len, f);
			p += len;
		}
	}
	fputc('"', f);
}

static bool printable(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != '\\';
}

int text_width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		w += printable(*s) ? 1 : 4;
	return w;
}

/* Left-aligned in width columns (0: as is), cut with '+' when too long. */
void text_string(FILE *f, const char *s, int width)
{
	bool cut = width && text_width(s) > width;
	int used = 0;

	for (; *s; s++) {
		int w = printable(*s) ? 1 : 4;

		if (cut && used + w > width - 1)
			break;
		if (w == 1)
			fputc(*s, f);
		else
			fprintf(f, "\\%03o", (unsigned char)*s);
		used += w;
	}
	if (cut) {
		fputc('+', f);
		used++;
	}
	for (; used < width; used++)
		fputc(' ', f);
}

/* Last on its line, so spaces stay: a path, a group's name. */
void text_last(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || printable(*s))
			fputc(*s, f);
		else
			fprintf(f, "\\%03o", (unsigned char)*s);
	}
}

static bool stdout_failed; /* and said so */

static void stdout_error(int err)
{
	stdout_failed = true;
	if (err)
		warn("write error on standard output: %s", strerror(err));
	else
		warn("write error on standard output");
}

bool flush_stdout(void)
{
	bool failed_before = ferror(stdout);

	if (stdout_failed)
		return false;
	errno = 0;
	if (!fflush(stdout) && !failed_before)
		return true;
	/* an earlier write failed: its errno may have been overwritten */
	stdout_error(failed_before ? 0 : errno);
	return false;
}

/*
 * A report that did not reach its reader must not exit 0. close() may
 * report a deferred error (NFS); a stream closed from the start (">&-")
 * that nothing was written to lost nothing, though close() fails (EBADF).
 */
static void close_outputs(void)
{
	bool ok = flush_stdout(), stderr_ok;

	errno = 0;
	if (fclose(stdout) && ok && errno != EBADF) {
		stdout_error(errno);
		ok = false;
	}
	/* a message that could not be written cannot be told either */
	stderr_ok = !ferror(stderr);
	errno = 0;
	if (fclose(stderr) && errno != EBADF)
		stderr_ok = false;
	if (!ok || !stderr_ok)
		_exit(EXIT_ERROR);
}

void check_outputs_at_exit(void)
{
	atexit(close_outputs);
}

static void vwarn(const char *fmt, va_list ap)
{
	fputs("pinstat: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(status);
}
