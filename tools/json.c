// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny streaming JSON writer.
 */
#include <math.h>
#include <string.h>
#include "json.h"
#include "util.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->len = 0;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

void json_flush(struct json *j)
{
	fwrite(j->buf, 1, j->len, j->f);
	j->len = 0;
}

/*
 * Output gathers in j->buf: a table of 10 000 processes is some 400 000
 * small pieces, and a call into stdio for each costs more than the rest.
 */
static void put(struct json *j, const void *s, size_t n)
{
	if (j->len + n > sizeof(j->buf)) {
		json_flush(j);
		if (n > sizeof(j->buf)) {
			fwrite(s, 1, n, j->f);
			return;
		}
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void put_char(struct json *j, char c)
{
	put(j, &c, 1);
}

static void put_str(struct json *j, const char *s)
{
	put(j, s, strlen(s));
}

/* Before any value: a comma if a sibling came first. */
static void value_start(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		put_char(j, ',');
	j->first[j->depth] = false;
}

static void open(struct json *j, char c)
{
	value_start(j);
	put_char(j, c);
	if (j->depth + 1 >= JSON_DEPTH)
		die(2, "JSON nested too deep");
	j->first[++j->depth] = true;
}

void json_object(struct json *j)
{
	open(j, '{');
}

void json_array(struct json *j)
{
	open(j, '[');
}

void json_end(struct json *j, char close)
{
	put_char(j, close);
	j->depth--;
	if (j->depth == 0) {
		put_char(j, '\n');
		json_flush(j);
	}
}

/* Keys are the program's own identifiers: nothing in them to escape. */
void json_key(struct json *j, const char *key)
{
	char buf[64];
	size_t len = strlen(key);

	value_start(j);
	if (len + 3 > sizeof(buf))
		die(2, "JSON key too long: %s", key);
	buf[0] = '"';
	memcpy(buf + 1, key, len);
	memcpy(buf + 1 + len, "\":", 2);
	put(j, buf, len + 3);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];
	size_t len;

	value_start(j);
	put_char(j, '"');
	while (*p) {
		len = plain_len(p);
		if (len) {
			put(j, p, len); /* the common case, in one go */
			p += len;
			continue;
		}
		len = utf8_len(p);
		if (len == 0) {
			/* not UTF-8: U+FFFD, as in Prometheus's labels */
			put_str(j, "\xef\xbf\xbd");
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p++);
			put_str(j, esc);
		} else if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = *p++;
			put(j, esc, 2);
		} else {
			put(j, p, len);
			p += len;
		}
	}
	put_char(j, '"');
}

static void put_uint(struct json *j, unsigned long long v)
{
	char buf[24], *digits = format_ull(buf + sizeof(buf), v);

	put(j, digits, buf + sizeof(buf) - digits);
}

void json_uint(struct json *j, unsigned long long v)
{
	value_start(j);
	put_uint(j, v);
}

void json_int(struct json *j, long long v)
{
	value_start(j);
	if (v < 0)
		put_char(j, '-');
	put_uint(j, v < 0 ? -(unsigned long long)v : (unsigned long long)v);
}

void json_num(struct json *j, double v)
{
	double centi = v * 100;
	char buf[32], *p = buf + sizeof(buf);
	unsigned long long c;

	value_start(j);
	if (!isfinite(v)) {
		put_str(j, "null");
		return;
	}
	/* rates come with two decimals: those, without printf */
	if (v < 0 || v > 1e15 ||
	    fabs(centi - (c = (unsigned long long)(centi + 0.5))) > 1e-6) {
		snprintf(buf, sizeof(buf), "%.6g", v);
		put_str(j, buf);
		return;
	}
	if (c % 100) {
		if (c % 10)
			*--p = '0' + c % 10;
		*--p = '0' + c / 10 % 10;
		*--p = '.';
	}
	p = format_ull(p, c / 100);
	put(j, p, buf + sizeof(buf) - p);
}

void json_bool(struct json *j, bool v)
{
	value_start(j);
	put_str(j, v ? "true" : "false");
}

void json_null(struct json *j)
{
	value_start(j);
	put_str(j, "null");
}
