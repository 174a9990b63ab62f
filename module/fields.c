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

#define FIELD(_name, _type, _member) {					\
	.name = _name,							\
	.type = _type,							\
	.offset = offsetof(struct pinstat_snapshot, _member),		\
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
	FIELD("growth_steps", FIELD_INT, growth_steps),
	FIELD("first_seen_ns", FIELD_U64, first_seen_ns),
	FIELD("last_event_ns", FIELD_U64, last_event_ns),
	FIELD("rate_created_1s", FIELD_RATE, rate_short_centi[RATE_CREATED]),
	FIELD("rate_created_60s", FIELD_RATE, rate_long_centi[RATE_CREATED]),
	FIELD("rate_solo_exits_1s", FIELD_RATE,
	      rate_short_centi[RATE_SOLO_EXITS]),
	FIELD("rate_solo_exits_60s", FIELD_RATE,
	      rate_long_centi[RATE_SOLO_EXITS]),
	FIELD("rate_affinity_1s", FIELD_RATE, rate_short_centi[RATE_AFFINITY]),
	FIELD("rate_affinity_60s", FIELD_RATE, rate_long_centi[RATE_AFFINITY]),
	FIELD("lifetime_hist", FIELD_HIST, c.lifetime_hist),
};

const unsigned int pinstat_nr_fields = ARRAY_SIZE(pinstat_fields);

const char *field_name(unsigned int field)
{
	return pinstat_fields[field].name;
}

static int format_comm(const char *comm, char *buf, size_t size)
{
	int len = 0, i;

	if (!comm[0])
		return scnprintf(buf, size, "\\000");
	for (i = 0; i < TASK_COMM_LEN && comm[i]; i++) {
		unsigned char c = comm[i];

		if (c > ' ' && c < 0x7f && c != '\\')
			len += scnprintf(buf + len, size - len, "%c", c);
		else
			len += scnprintf(buf + len, size - len, "\\%03o", c);
	}
	return len;
}

static int format_hist(const u64 *hist, char *buf, size_t size)
{
	int len = 0, i;

	for (i = 0; i < PINSTAT_HIST_BUCKETS; i++)
		len += scnprintf(buf + len, size - len, "%s%llu", i ? " " : "",
				 hist[i]);
	return len;
}

/* Write field number @field of @snap into @buf, without a newline. */
int field_format(unsigned int field, const struct pinstat_snapshot *snap,
		 char *buf, size_t size)
{
	const struct pinstat_field *f = &pinstat_fields[field];
	const void *value = (const char *)snap + f->offset;
	u32 centi;
	u64 units;

	switch (f->type) {
	case FIELD_PID:
		return scnprintf(buf, size, "%d", *(const pid_t *)value);
	case FIELD_COMM:
		return format_comm(value, buf, size);
	case FIELD_STATE:
		return scnprintf(buf, size, "%s",
				 *(const bool *)value ? "exited" : "live");
	case FIELD_INT:
		return scnprintf(buf, size, "%d", *(const int *)value);
	case FIELD_U64:
		return scnprintf(buf, size, "%llu", *(const u64 *)value);
	case FIELD_RATE:
		units = div_u64_rem(*(const u64 *)value, 100, &centi);
		return scnprintf(buf, size, "%llu.%02u", units, centi);
	case FIELD_HIST:
		return format_hist(value, buf, size);
	}
	return 0;
}
