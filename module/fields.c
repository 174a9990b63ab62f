// SPDX-License-Identifier: GPL-2.0
/*
 * Formatting of the per-process fields. Values are plain decimal numbers;
 * rates are events per second with two decimals; the command name has every
 * byte outside printable ASCII, and the backslash, written as \ooo octal so
 * that a line always splits on spaces.
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/stddef.h>
#include "fields.h"

enum field_type {
	FIELD_PID,
	FIELD_COMM,
	FIELD_STATE,
	FIELD_BOOL,
	FIELD_INT,
	FIELD_U64,
	FIELD_RATE,
	FIELD_HIST,
};

struct pinstat_field {
	const char *name;
	enum field_type type;
	size_t offset;
};

#define FIELD(_name, _type, _member)                                  \
	{                                                             \
		.name = _name, .type = _type,                         \
		.offset = offsetof(struct pinstat_snapshot, _member), \
	}

static const struct pinstat_field pinstat_fields[] = {
	FIELD("pid", FIELD_PID, key.tgid),
	FIELD("nspid", FIELD_PID, nspid),
	FIELD("comm", FIELD_COMM, comm),
	FIELD("state", FIELD_STATE, exited),
	FIELD("threads_live", FIELD_INT, threads_live),
	FIELD("threads_peak", FIELD_INT, threads_peak),
	FIELD("threads_created", FIELD_U64, c.threads_created),
	FIELD("threads_exited", FIELD_U64, c.threads_exited),
	FIELD("solo_exits", FIELD_U64, c.solo_exits),
	FIELD("short_lived", FIELD_U64, c.short_lived),
	FIELD("affinity_changes", FIELD_U64, c.affinity_changes),
	FIELD("threads_pinned", FIELD_INT, threads_pinned),
	FIELD("pinned_cpu_max", FIELD_INT, pinned_cpu_max),
	FIELD("cpus_allowed", FIELD_INT, cpus_allowed),
	FIELD("growth_steps_1s", FIELD_INT, growth_steps[PINSTAT_GROWTH_1S]),
	FIELD("growth_steps_34s", FIELD_INT, growth_steps[PINSTAT_GROWTH_34S]),
	FIELD("go", FIELD_BOOL, go),
	FIELD("first_seen_ns", FIELD_U64, first_seen_ns),
	FIELD("last_event_ns", FIELD_U64, last_event_ns),
	FIELD("rate_created_1s", FIELD_RATE,
	      rate_short_centi[PINSTAT_RATE_CREATED]),
	FIELD("rate_created_60s", FIELD_RATE,
	      rate_long_centi[PINSTAT_RATE_CREATED]),
	FIELD("rate_solo_exits_1s", FIELD_RATE,
	      rate_short_centi[PINSTAT_RATE_SOLO_EXITS]),
	FIELD("rate_solo_exits_60s", FIELD_RATE,
	      rate_long_centi[PINSTAT_RATE_SOLO_EXITS]),
	FIELD("rate_affinity_1s", FIELD_RATE,
	      rate_short_centi[PINSTAT_RATE_AFFINITY]),
	FIELD("rate_affinity_60s", FIELD_RATE,
	      rate_long_centi[PINSTAT_RATE_AFFINITY]),
	FIELD("lifetime_hist", FIELD_HIST, c.lifetime_hist),
	FIELD("cgroup", FIELD_U64, cgroup),
};

const unsigned int pinstat_nr_fields = ARRAY_SIZE(pinstat_fields);

const char *pinstat_field_name(unsigned int field)
{
	return pinstat_fields[field].name;
}

/* A cursor in the caller's buffer: printf costs more than the table's walk. */
struct out {
	char *buf;
	size_t size, len;
};

static void put_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len++] = c;
}

static void put_str(struct out *o, const char *s)
{
	while (*s)
		put_char(o, *s++);
}

static void put_u64(struct out *o, u64 v)
{
	char digits[20];
	int n = 0;

	do {
		digits[n++] = '0' + do_div(v, 10);
	} while (v);
	while (n)
		put_char(o, digits[--n]);
}

static void put_int(struct out *o, int v)
{
	if (v < 0)
		put_char(o, '-');
	put_u64(o, v < 0 ? -(s64)v : v);
}

static void put_comm(struct out *o, const char *comm)
{
	int i;

	if (!comm[0])
		put_str(o, "\\000");
	for (i = 0; i < TASK_COMM_LEN && comm[i]; i++) {
		unsigned char c = comm[i];

		if (c > ' ' && c < 0x7f && c != '\\') {
			put_char(o, c);
			continue;
		}
		put_char(o, '\\');
		put_char(o, '0' + (c >> 6));
		put_char(o, '0' + (c >> 3 & 7));
		put_char(o, '0' + (c & 7));
	}
}

static void put_rate(struct out *o, u64 centi)
{
	u32 fraction = do_div(centi, 100);

	put_u64(o, centi);
	put_char(o, '.');
	put_char(o, '0' + fraction / 10);
	put_char(o, '0' + fraction % 10);
}

static void put_hist(struct out *o, const u64 *hist)
{
	int i;

	for (i = 0; i < PINSTAT_HIST_BUCKETS; i++) {
		if (i)
			put_char(o, ' ');
		put_u64(o, hist[i]);
	}
}

/* Write field number @field of @snap into @buf, without a newline. */
int pinstat_field_format(unsigned int field,
			 const struct pinstat_snapshot *snap, char *buf,
			 size_t size)
{
	const struct pinstat_field *f = &pinstat_fields[field];
	const void *value = (const char *)snap + f->offset;
	struct out o = { .buf = buf, .size = size };

	switch (f->type) {
	case FIELD_PID:
		put_int(&o, *(const pid_t *)value);
		break;
	case FIELD_COMM:
		put_comm(&o, value);
		break;
	case FIELD_STATE:
		put_str(&o, *(const bool *)value ? "exited" : "live");
		break;
	case FIELD_BOOL:
		put_char(&o, *(const bool *)value ? '1' : '0');
		break;
	case FIELD_INT:
		put_int(&o, *(const int *)value);
		break;
	case FIELD_U64:
		put_u64(&o, *(const u64 *)value);
		break;
	case FIELD_RATE:
		put_rate(&o, *(const u64 *)value);
		break;
	case FIELD_HIST:
		put_hist(&o, value);
		break;
	}
	if (size)
		buf[o.len] = '\0';
	return o.len;
}
