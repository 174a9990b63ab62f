/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-process fields, in one list shared by the debugfs table (one
 * column each) and the sysfs procs/<pid>/ directories (one file each), so
 * that both always say the same thing in the same words.
 */
#ifndef _PINSTAT_FIELDS_H
#define _PINSTAT_FIELDS_H

#include "record.h"

/* Longest formatted field: the histogram, twelve 20-digit counts. */
#define PINSTAT_FIELD_MAX 256

extern const unsigned int pinstat_nr_fields;

const char *pinstat_field_name(unsigned int field);
int pinstat_field_format(unsigned int field,
			 const struct pinstat_snapshot *snap, char *buf,
			 size_t size);

#endif /* _PINSTAT_FIELDS_H */
