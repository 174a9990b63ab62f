// SPDX-License-Identifier: GPL-2.0
/*
 * Counting starts when the hooks are registered, at load, after the
 * interfaces exist: a write to "enabled" before that is remembered and
 * applied on registration.
 */
#include <linux/mutex.h>
#include "control.h"
#include "probes.h"
#include "stats.h"
#include "sync.h"
#include "table.h"

static DEFINE_MUTEX(control_lock);
static bool registered;	    /* under control_lock */
static bool enabled = true; /* wanted; in force once registered */

static void reset_one(struct pinstat_record *rec, void *unused)
{
	pinstat_record_reset(rec);
}

/* Hooks first, then the table is seeded: no process slips between. */
int pinstat_control_start(void)
{
	int err;

	mutex_lock(&control_lock);
	err = pinstat_probes_register();
	if (!err) {
		registered = true;
		if (!enabled)
			pinstat_probes_switch(false);
	}
	mutex_unlock(&control_lock);
	if (!err)
		pinstat_sync();
	return err;
}

/* Once this returns, no hook handler runs any more. */
void pinstat_control_stop(void)
{
	mutex_lock(&control_lock);
	registered = false;
	pinstat_probes_unregister();
	mutex_unlock(&control_lock);
}

/*
 * Events missed while disabled leave live counts stale: enabling brings
 * the table up to date with the tasks.
 */
int pinstat_set_enabled(bool on)
{
	int err = 0;

	mutex_lock(&control_lock);
	if (on != enabled && registered)
		err = pinstat_probes_switch(on);
	if (on != enabled && !err) {
		WRITE_ONCE(enabled, on);
		if (on && registered)
			pinstat_sync();
	}
	mutex_unlock(&control_lock);
	return err;
}

bool pinstat_enabled(void)
{
	return READ_ONCE(enabled);
}

/* Counters restart from zero; live state stays. */
void pinstat_reset(void)
{
	pinstat_table_for_each(reset_one, NULL);
	pinstat_stats_reset();
}
