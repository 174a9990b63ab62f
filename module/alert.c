// SPDX-License-Identifier: GPL-2.0
/*
 * Alerts. An event handler that sees a threshold crossed marks the record
 * (once per threshold, until reset) and counts the alert; a worker then,
 * in process context, creates the watch directory, logs one line (rate
 * limited) and notifies pollers of /sys/kernel/pinstat/alerts.
 */
#include <linux/ratelimit.h>
#include <linux/workqueue.h>
#include "alert.h"
#include "pinstat.h"
#include "stats.h"
#include "table.h"

unsigned int pinstat_alert_limit[NR_ALERTS] = {
	[ALERT_SOLO_EXITS] = 1000,
	[ALERT_THREADS] = 5000, /* half of Go's thread limit */
	[ALERT_AFFINITY] = 10000,
};

const char *const pinstat_alert_names[NR_ALERTS] = {
	[ALERT_SOLO_EXITS] = "solo_exits_per_s",
	[ALERT_THREADS] = "threads",
	[ALERT_AFFINITY] = "affinity_per_s",
};

static void alert_work_fn(struct work_struct *work);
static DECLARE_WORK(alert_work, alert_work_fn);
static DEFINE_RATELIMIT_STATE(alert_log, 60 * HZ, 10);

void alert_raise(struct pinstat_record *rec, enum pinstat_alert which)
{
	if (test_and_set_bit(which, &rec->alerts))
		return;
	set_bit(which, &rec->alerts_pending);
	stats_inc(STAT_ALERTS);
	queue_work(system_unbound_wq, &alert_work);
}

/* Processes whose alerts a worker run acts on, per bucket. */
struct batch {
	pid_t tgids[16];
	int n;
	bool full;
};

/* Under RCU: take the record's pending alerts, log them, keep its TGID. */
static void take_pending(struct pinstat_record *rec, void *arg)
{
	struct batch *b = arg;
	unsigned long pending;
	int which;

	if (b->n == ARRAY_SIZE(b->tgids)) {
		b->full = true; /* left pending for the next run */
		return;
	}
	pending = xchg(&rec->alerts_pending, 0);
	if (!pending)
		return;
	for_each_set_bit(which, &pending, NR_ALERTS)
		if (__ratelimit(&alert_log))
			pr_notice("process %d crossed alert/%s=%u\n",
				  rec->key.tgid, pinstat_alert_names[which],
				  READ_ONCE(pinstat_alert_limit[which]));
	b->tgids[b->n++] = rec->key.tgid;
}

static void watch_process(pid_t tgid)
{
	int err = pinstat_watch_add(tgid);

	if (err && __ratelimit(&alert_log))
		pr_notice("process %d: cannot watch it (%d)\n", tgid, err);
}

static void alert_work_fn(struct work_struct *work)
{
	struct batch b = { .n = 0, .full = false };
	unsigned int i;
	int k;

	for (i = 0; i < table_buckets(); i++) {
		rcu_read_lock();
		table_walk_bucket(i, take_pending, &b);
		rcu_read_unlock();
		/* watching sleeps: outside RCU */
		for (k = 0; k < b.n; k++)
			watch_process(b.tgids[k]);
		b.n = 0;
		cond_resched();
	}
	pinstat_sysfs_notify_alerts();
	if (b.full)
		queue_work(system_unbound_wq, &alert_work);
}

/* After the probes are gone, so that nothing queues the work again. */
void alert_stop(void)
{
	cancel_work_sync(&alert_work);
}
