// SPDX-License-Identifier: GPL-2.0
/*
 * pinstat: always-on, per-process counters of how threads are created,
 * exit and get pinned to CPUs, read with cat from sysfs and debugfs.
 *
 * Module parameters set the table's capacity and the starting values of
 * the tunables; the tunables themselves live in /sys/kernel/pinstat/.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include "alert.h"
#include "pinstat.h"
#include "probes.h"
#include "table.h"

/* Each description stays whole on one line, where grep finds it. */
/* clang-format off */
unsigned int pinstat_capacity = 16384;
module_param_named(capacity, pinstat_capacity, uint, 0444);
MODULE_PARM_DESC(capacity, "Most processes tracked at once, live or lingering (1-1048576, default 16384)");

unsigned int pinstat_short_lived_us = 100000;
module_param_named(short_lived_us, pinstat_short_lived_us, uint, 0);
MODULE_PARM_DESC(short_lived_us, "Starting value of short_lived_us (1-3600000000, default 100000)");

unsigned int pinstat_linger_s = 60;
module_param_named(linger_s, pinstat_linger_s, uint, 0);
MODULE_PARM_DESC(linger_s, "Starting value of linger_s (0-86400, default 60)");
/* clang-format on */

static int __init check_params(void)
{
	if (pinstat_capacity < 1 || pinstat_capacity > PINSTAT_CAPACITY_MAX) {
		pr_err("capacity=%u is out of range 1-%u\n", pinstat_capacity,
		       PINSTAT_CAPACITY_MAX);
		return -EINVAL;
	}
	if (pinstat_short_lived_us < 1 ||
	    pinstat_short_lived_us > PINSTAT_SHORT_LIVED_US_MAX) {
		pr_err("short_lived_us=%u is out of range 1-%u\n",
		       pinstat_short_lived_us, PINSTAT_SHORT_LIVED_US_MAX);
		return -EINVAL;
	}
	if (pinstat_linger_s > PINSTAT_LINGER_S_MAX) {
		pr_err("linger_s=%u is out of range 0-%u\n", pinstat_linger_s,
		       PINSTAT_LINGER_S_MAX);
		return -EINVAL;
	}
	return 0;
}

static int __init pinstat_init(void)
{
	int err;

	err = check_params();
	if (err)
		return err;
	err = table_init(pinstat_capacity);
	if (err)
		return err;
	err = pinstat_sysfs_init();
	if (err)
		goto destroy_table;
	/*
	 * Hooks first, then seeding: no process can slip between the two,
	 * though one in the middle of starting or ending a thread can be
	 * counted twice (see table.c).
	 */
	err = probes_register();
	if (err)
		goto sysfs_exit;
	table_sync();
	pinstat_debugfs_init();
	pr_info("version %s loaded, tracking %u processes\n", PINSTAT_VERSION,
		table_tracked());
	return 0;

sysfs_exit:
	alert_stop(); /* handlers ran until the probes were unwound */
	pinstat_sysfs_exit();
destroy_table:
	table_destroy();
	return err;
}

/*
 * Readers go first; then the probes, whose unregistration waits for
 * running handlers, so that no alert work is queued after alert_stop().
 * sysfs writes meanwhile are harmless: enabling an unregistered probe
 * fails. sysfs goes before the table, which its files read.
 */
static void __exit pinstat_exit(void)
{
	pinstat_debugfs_exit();
	probes_unregister();
	alert_stop();
	pinstat_sysfs_exit();
	table_destroy();
}

module_init(pinstat_init);
module_exit(pinstat_exit);

/* The description stays whole on one line. */
/* clang-format off */
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The pinstat developers");
MODULE_DESCRIPTION("Per-process counters of thread creation, exit and CPU pinning");
MODULE_VERSION(PINSTAT_VERSION);
/* clang-format on */
