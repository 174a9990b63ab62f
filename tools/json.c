// SPDX-License-Identifier: GPL-2.0
/*
 * A tiny streaming JSON writer.
 */
#include <math.h>
#include "json.h"
#include "util.h"

void json_init(struct json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

/* Before any value: a comma if a sibling came first. */
static void value_start(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = false;
}

static void open(struct json *j, char c)
{
	value_start(j);
	fputc(c, j->f);
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
	fputc(close, j->f);
	j->depth--;
	if (j->depth == 0)
		fputc('\n', j->f);
}

void json_key(struct json *j, const char *key)
{
	value_start(j);
	json_string(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

void json_str(struct json *j, const char *s)
{
	value_start(j);
	json_string(j->f, s);
}

void json_int(struct json *j, long long v)
{
	value_start(j);
	fprintf(j->f, "%lld", v);
}

void json_uint(struct json *j, unsigned long long v)
{
	value_start(j);
	fprintf(j->f, "%llu", v);
}

void json_num(struct json *j, double v)
{
	value_start(j);
	if (isfinite(v))
		fprintf(j->f, "%.6g", v);
	else
		fputs("null", j->f);
}

void json_bool(struct json *j, bool v)
{
	value_start(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(struct json *j)
{
	value_start(j);
	fputs("null", j->f);
}
