/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's tunables: set at load (module parameters, see main.c) and
 * from sysfs, read by the core with READ_ONCE().
 */
#ifndef _PINSTAT_TUNABLES_H
#define _PINSTAT_TUNABLES_H

#include <linux/sizes.h>

#define PINSTAT_CAPACITY_MAX	   SZ_1M
#define PINSTAT_SHORT_LIVED_US_MAX 3600000000U /* one hour */
#define PINSTAT_LINGER_S_MAX	   86400U      /* one day */

extern unsigned int pinstat_capacity;	    /* fixed at load */
extern unsigned int pinstat_short_lived_us; /* threshold of short_lived */
extern unsigned int pinstat_linger_s;	    /* how long exited records stay */

#endif /* _PINSTAT_TUNABLES_H */
