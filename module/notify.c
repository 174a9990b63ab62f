// SPDX-License-Identifier: GPL-2.0
/*
 * What the interfaces do with what the core reports. A process that
 * crossed an alert threshold is watched (procs/<pid>/), logged (rate
 * limited) and announced to pollers of /sys/kernel/pinstat/alerts; the
 * watches of freed records go. Both in process context, from workers.
 */
#include <linux/ratelimit.h>
#include <linux/workqueue.h>
#include "alert.h"
#include "listener.h"
#include "notify.h"
#include "sysfs.h"
#include "table.h"
#include "watch.h"

/* Processes whose alerts a worker run acts on, per bucket. */
struct alert_batch {
	struct pinstat_key keys[16];
	int n;
	bool full;
};

static DEFINE_RATELIMIT_STATE(alert_log, 60 * HZ, 10);

/* Under RCU: take the record's pending alerts, log them, keep its key. */
static void take_pending(struct pinstat_record *rec, void *arg)
{
	struct alert_batch *b = arg;
	unsigned long pending;
	int which;

	if (b->n == ARRAY_SIZE(b->keys)) {
		b->full = true; /* left pending for the next run */
		return;
	}
	pending = pinstat_alert_take(rec);
	if (!pending)
		return;
	for_each_set_bit(which, &pending, PINSTAT_NR_ALERTS)
		if (__ratelimit(&alert_log))
			pr_notice("process %d crossed alert/%s=%u\n",
				  rec->key.tgid, pinstat_alert_names[which],
				  READ_ONCE(pinstat_alert_limit[which]));
	b->keys[b->n++] = rec->key;
}

/* A process whose record has gone meanwhile is not watched. */
static void watch_process(const struct pinstat_key *key)
{
	int err = pinstat_watch_key(key);

	if (err && err != -ESRCH && __ratelimit(&alert_log))
		pr_notice("process %d: cannot watch it (%d)\n", key->tgid, err);
}

static void act_on_alerts(struct work_struct *work)
{
	struct alert_batch b = { .n = 0, .full = false };
	unsigned int i;
	int k;

	for (i = 0; i < pinstat_table_buckets(); i++) {
		rcu_read_lock();
		pinstat_table_walk_bucket(i, take_pending, &b);
		rcu_read_unlock();
		/* watching sleeps: outside RCU */
		for (k = 0; k < b.n; k++)
			watch_process(&b.keys[k]);
		b.n = 0;
		cond_resched();
	}
	pinstat_sysfs_notify_alerts();
	if (b.full)
		queue_work(system_unbound_wq, work);
}

static DECLARE_WORK(alert_work, act_on_alerts);

static void prune_watches(struct work_struct *work)
{
	pinstat_watch_prune();
}

static DECLARE_WORK(prune_work, prune_watches);

static void alert_raised(void)
{
	queue_work(system_unbound_wq, &alert_work);
}

static void records_freed(void)
{
	queue_work(system_unbound_wq, &prune_work);
}

static const struct pinstat_listener listener = {
	.alert_raised = alert_raised,
	.records_freed = records_freed,
};

void pinstat_notify_init(void)
{
	pinstat_listen(&listener);
}

/* Before sysfs goes: the workers use it. */
void pinstat_notify_exit(void)
{
	pinstat_listen(NULL);
	cancel_work_sync(&alert_work);
	cancel_work_sync(&prune_work);
}
