// SPDX-License-Identifier: GPL-2.0
/*
 * Now, on both clocks, and how durations and times are written.
 */
#include <stdio.h>
#include <stdlib.h>
#include "clock.h"
#include "util.h"

#define NS_PER_S 1000000000ULL

/* The test hooks: when set, the clocks stand still at these values. */
static bool fixed_monotonic, fixed_utc;
static unsigned long long monotonic_ns, utc_s;

static bool hook(const char *name, unsigned long long *value, bool *set)
{
	const char *s = getenv(name);

	if (!s || !*s)
		return true;
	if (!parse_ull(s, value)) {
		warn("%s: not a whole number: %s", name, s);
		return false;
	}
	*set = true;
	return true;
}

bool clock_init(void)
{
	bool ok = hook("PINSTAT_NOW_NS", &monotonic_ns, &fixed_monotonic);

	return hook("PINSTAT_NOW_UTC_S", &utc_s, &fixed_utc) && ok;
}

unsigned long long clock_monotonic_ns(void)
{
	struct timespec ts;

	if (fixed_monotonic)
		return monotonic_ns;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

double clock_monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

time_t clock_utc_s(void)
{
	return fixed_utc ? (time_t)utc_s : time(NULL);
}

unsigned long long elapsed_ns(unsigned long long now_ns,
			      unsigned long long then_ns)
{
	return now_ns > then_ns ? now_ns - then_ns : 0;
}

/* Two units at most, the larger first, as the eye compares ages. */
void format_age(char buf[AGE_LEN], unsigned long long ns)
{
	unsigned long long s = ns / NS_PER_S;

	if (s < 60)
		snprintf(buf, AGE_LEN, "%llus", s);
	else if (s < 3600)
		snprintf(buf, AGE_LEN, "%llum%02llus", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, AGE_LEN, "%lluh%02llum", s / 3600, s / 60 % 60);
	else if (s < 100 * 86400)
		snprintf(buf, AGE_LEN, "%llud%02lluh", s / 86400,
			 s / 3600 % 24);
	else
		snprintf(buf, AGE_LEN, "%llud", s / 86400);
}

void format_rfc3339(char buf[RFC3339_LEN], time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(buf, RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, RFC3339_LEN, "1970-01-01T00:00:00Z");
}

void local_stamp(char buf[16], time_t t)
{
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(buf, 16, "%H:%M:%S", &tm))
		snprintf(buf, 16, "??:??:??");
}

void format_us(char *buf, size_t size, long long us)
{
	if (us < 1000)
		snprintf(buf, size, "%lld us", us);
	else if (us < 1000000)
		snprintf(buf, size, "%g ms", us / 1e3);
	else
		snprintf(buf, size, "%g s", us / 1e6);
}
