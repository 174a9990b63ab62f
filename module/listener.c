// SPDX-License-Identifier: GPL-2.0
/*
 * The core's one listener, read under RCU from event handlers and workers.
 */
#include <linux/rcupdate.h>
#include "listener.h"

static const struct pinstat_listener __rcu *pinstat_listener;

void pinstat_listen(const struct pinstat_listener *listener)
{
	rcu_assign_pointer(pinstat_listener, listener);
	if (!listener)
		synchronize_rcu();
}

void pinstat_notify_alert(void)
{
	const struct pinstat_listener *l;

	rcu_read_lock();
	l = rcu_dereference(pinstat_listener);
	if (l)
		l->alert_raised();
	rcu_read_unlock();
}

void pinstat_notify_freed(void)
{
	const struct pinstat_listener *l;

	rcu_read_lock();
	l = rcu_dereference(pinstat_listener);
	if (l)
		l->records_freed();
	rcu_read_unlock();
}
