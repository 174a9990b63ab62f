/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What pinstat checks in a Go executable before it puts a uprobe in it.
 */
#ifndef _PINSTAT_GOFUNC_H
#define _PINSTAT_GOFUNC_H

#include <linux/fs.h>
#include <linux/types.h>

/*
 * 0 if file @offset of @exe is where one of its Go functions starts;
 * -EINVAL if it is not, -ENOEXEC if @exe has no function table pinstat
 * reads. Sleeps (reads the file).
 */
int pinstat_go_func_entry(struct file *exe, u64 offset);

/*
 * 0 if file @offset of @exe is where a Go function starts, or where code
 * the compiler inlined into one starts (a call of a small function, whose
 * code has no entry of its own); errors as above.
 */
int pinstat_go_code_start(struct file *exe, u64 offset);

#endif /* _PINSTAT_GOFUNC_H */
