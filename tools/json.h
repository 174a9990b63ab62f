/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny streaming JSON writer: it places the commas and colons, so that
 * callers only say what comes next.
 */
#ifndef PINSTAT_JSON_H
#define PINSTAT_JSON_H

#include <stdbool.h>
#include <stdio.h>

#define JSON_DEPTH 16

struct json {
	FILE *f;
	size_t len;
	char buf[16384]; /* written out when the outermost value ends */
	int depth;
	bool first[JSON_DEPTH]; /* nothing written yet at this level */
	bool after_key;
};

void json_init(struct json *j, FILE *f);
void json_flush(struct json *j); /* for a value left unfinished */
void json_object(struct json *j);
void json_array(struct json *j);
void json_end(struct json *j, char close);	/* '}' or ']' */
void json_key(struct json *j, const char *key); /* a plain identifier */
void json_str(struct json *j, const char *s);
void json_int(struct json *j, long long v);
void json_uint(struct json *j, unsigned long long v);
void json_num(struct json *j, double v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

#endif /* PINSTAT_JSON_H */
