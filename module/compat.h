/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few places where kernels differ for pinstat. Differences are probed
 * from the headers being built against (see Kbuild), not guessed from
 * version numbers, so that distribution backports are handled too.
 */
#ifndef _PINSTAT_COMPAT_H
#define _PINSTAT_COMPAT_H

#include <linux/sched/signal.h>

/*
 * True when the thread group is being torn down as a whole: exit_group(),
 * a fatal signal, or exec killing the other threads. A thread that exits
 * while this holds did not choose to exit on its own. Since 5.17 exec
 * marks itself in group_exec_task; before, signal_group_exit() said it all.
 */
static inline bool pinstat_group_exiting(const struct signal_struct *sig)
{
#ifdef PINSTAT_HAVE_GROUP_EXEC_TASK
	return (READ_ONCE(sig->flags) & SIGNAL_GROUP_EXIT) ||
	       READ_ONCE(sig->group_exec_task);
#else
	return signal_group_exit(sig);
#endif
}

#endif /* _PINSTAT_COMPAT_H */
