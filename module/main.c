// SPDX-License-Identifier: GPL-2.0
/*
 * pinstat: always-on, per-process counters of how threads are created,
 * exit and get pinned to CPUs, read with cat from sysfs and debugfs.
 *
 * The layers start bottom-up and stop top-down: the core (the table, its
 * workers), the interfaces (sysfs, debugfs, the listener), then the hooks,
 * which start the counting. Each step of the exit only waits for what it
 * started. Module parameters set the table's capacity and the starting
 * values of the tunables, which live in /sys/kernel/pinstat/.
 */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include "control.h"
#include "linger.h"
#include "locktrace.h"
#include "debugfs.h"
#include "notify.h"
#include "sync.h"
#include "sysfs.h"
#include "table.h"
#include "tunables.h"

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

static int __init core_init(void)
{
	int err = pinstat_table_init(pinstat_capacity);

	if (!err)
		pinstat_audit_start();
	return err;
}

/* Once no hook handler, interface or writer runs any more. */
static void core_exit(void)
{
	pinstat_audit_stop();
	pinstat_linger_stop();
	pinstat_table_destroy();
}

static int __init interfaces_init(void)
{
	int err = pinstat_sysfs_init();

	if (err)
		return err;
	pinstat_debugfs_init();
	pinstat_notify_init();
	return 0;
}

static void interfaces_exit(void)
{
	pinstat_notify_exit();
	pinstat_debugfs_exit();
	pinstat_sysfs_exit();
}

static int __init pinstat_init(void)
{
	int err;

	err = check_params();
	if (err)
		return err;
	err = core_init();
	if (err)
		return err;
	err = interfaces_init();
	if (err)
		goto core_exit;
	err = pinstat_control_start();
	if (err)
		goto interfaces_exit;
	pr_info("version %s loaded, tracking %u processes\n", PINSTAT_VERSION,
		pinstat_table_tracked());
	return 0;

interfaces_exit:
	interfaces_exit();
	pinstat_locktrace_exit();
core_exit:
	core_exit();
	return err;
}

static void __exit pinstat_exit(void)
{
	interfaces_exit();
	pinstat_locktrace_exit();
	pinstat_control_stop();
	core_exit();
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
