/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel hooks pinstat counts with, and their own health.
 */
#ifndef _PINSTAT_PROBES_H
#define _PINSTAT_PROBES_H

#include <linux/types.h>

/* What one hook is attached to, and how it fares. */
struct pinstat_probe_info {
	const char *event;     /* created, exited, exec, affinity */
	const char *mechanism; /* tracepoint, kprobe, kretprobe; NULL: none */
	const char *target;    /* the tracepoint or the function */
	const char *arming;    /* a kprobe's: ftrace, or trap (int3, brk) */
	u64 hits;
	unsigned long missed; /* kprobe hits the kernel could not handle */
};

extern const unsigned int pinstat_nr_probes;

int pinstat_probes_register(void);
void pinstat_probes_unregister(void);
int pinstat_probes_switch(bool on);
void pinstat_probe_info(unsigned int i, struct pinstat_probe_info *info);
unsigned long pinstat_probes_missed(void);

#endif /* _PINSTAT_PROBES_H */
