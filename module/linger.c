// SPDX-License-Identifier: GPL-2.0
/*
 * The worker that frees lingering records once linger_s has passed. It
 * sleeps until the oldest one expires; no timer runs while none waits.
 */
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/workqueue.h>
#include "linger.h"
#include "table.h"
#include "tunables.h"

static void linger_expire(struct work_struct *work);
static DECLARE_DELAYED_WORK(linger_work, linger_expire);

static u64 linger_ns(void)
{
	return (u64)READ_ONCE(pinstat_linger_s) * NSEC_PER_SEC;
}

static unsigned long delay_until(u64 expiry_ns, u64 now)
{
	return expiry_ns > now ? nsecs_to_jiffies(expiry_ns - now) + 1 : 0;
}

/* @rec's process has ended at @now: it lingers, then goes. */
void pinstat_linger_retire(struct pinstat_record *rec, u64 now)
{
	pinstat_table_retire(rec, now);
	/*
	 * No-op when the worker is pending: it is then due no later than this
	 * record, or it will find this record and requeue for it.
	 */
	queue_delayed_work(system_unbound_wq, &linger_work,
			   delay_until(now + linger_ns(), now));
}

static void linger_expire(struct work_struct *work)
{
	u64 now = ktime_get_ns();
	u64 next = pinstat_table_expire(now, linger_ns());

	/* mod, not queue: a retire meanwhile may have queued us later */
	if (next != U64_MAX)
		mod_delayed_work(system_unbound_wq, &linger_work,
				 delay_until(next, now));
}

/* A shorter linger_s applies at once to the records already lingering. */
void pinstat_linger_changed(void)
{
	mod_delayed_work(system_unbound_wq, &linger_work, 0);
}

/* Once no event can retire a record any more. */
void pinstat_linger_stop(void)
{
	cancel_delayed_work_sync(&linger_work);
}
