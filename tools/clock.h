/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The two clocks a report is stamped with, and how times are written:
 * CLOCK_MONOTONIC (the module's *_ns fields count on it) and wall-clock
 * time (UTC, RFC 3339). Tests make both stand still with PINSTAT_NOW_NS
 * and PINSTAT_NOW_UTC_S.
 */
#ifndef PINSTAT_CLOCK_H
#define PINSTAT_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define AGE_LEN	    16 /* room for any duration format_age() writes */
#define RFC3339_LEN 21 /* "2026-12-06T09:00:00Z" and its NUL */

/* Read the test hooks; false after a message if one is not a number. */
bool clock_init(void);
/* CLOCK_MONOTONIC now, in ns (or PINSTAT_NOW_NS). */
unsigned long long clock_monotonic_ns(void);
/* CLOCK_MONOTONIC now, in seconds, never fixed: for waits and intervals. */
double clock_monotonic_s(void);
/* Wall-clock now, in seconds since the epoch (or PINSTAT_NOW_UTC_S). */
time_t clock_utc_s(void);

/* A duration, short: "0s", "59s", "5m03s", "2h03m", "12d03h", "400d". */
void format_age(char buf[AGE_LEN], unsigned long long ns);
/* The time from then_ns to now_ns (0 if then is later). */
unsigned long long elapsed_ns(unsigned long long now_ns,
			      unsigned long long then_ns);
/* UTC as RFC 3339 says: "2026-12-06T09:00:00Z". */
void format_rfc3339(char buf[RFC3339_LEN], time_t t);
/* Local time of day, as pidstat stamps its reports: "09:00:00". */
void local_stamp(char buf[16], time_t t);
/* Microseconds, as a person reads them: "250 us", "100 ms", "1.5 s". */
void format_us(char *buf, size_t size, long long us);

#endif /* PINSTAT_CLOCK_H */
