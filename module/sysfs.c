// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/pinstat/: global counters and controls, one value per file.
 * Documented in Documentation/ABI/testing/sysfs-kernel-pinstat.
 *
 * Writable files belong to root. Every value written must be plain decimal
 * digits (a trailing newline is allowed) within the file's range; anything
 * else is refused with -EINVAL and changes nothing.
 */
#include <linux/ctype.h>
#include <linux/kobject.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/threads.h>
#include "alert.h"
#include "control.h"
#include "linger.h"
#include "locktrace.h"
#include "sysfs.h"
#include "probes.h"
#include "stats.h"
#include "table.h"
#include "tunables.h"
#include "watch.h"

static struct kobject *pinstat_kobj;

static int parse_uint(const char *buf, size_t count, unsigned int min,
		      unsigned int max, unsigned int *value)
{
	unsigned int v;

	/*
	 * kstrtouint() would also take a leading '+', and would not see what
	 * follows a NUL written inside the value
	 */
	if (!isdigit(buf[0]) || strnlen(buf, count) != count ||
	    kstrtouint(buf, 10, &v) || v < min || v > max)
		return -EINVAL;
	*value = v;
	return 0;
}

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", PINSTAT_VERSION);
}

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", pinstat_enabled());
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	unsigned int on;
	int err;

	err = parse_uint(buf, count, 0, 1, &on);
	if (!err)
		err = pinstat_set_enabled(on);
	return err ?: count;
}

static ssize_t tracked_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", pinstat_table_tracked());
}

static ssize_t capacity_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%u\n", pinstat_capacity);
}

static ssize_t short_lived_us_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(pinstat_short_lived_us));
}

static ssize_t short_lived_us_store(struct kobject *kobj,
				    struct kobj_attribute *attr,
				    const char *buf, size_t count)
{
	unsigned int us;

	if (parse_uint(buf, count, 1, PINSTAT_SHORT_LIVED_US_MAX, &us))
		return -EINVAL;
	WRITE_ONCE(pinstat_short_lived_us, us);
	return count;
}

static ssize_t linger_s_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(pinstat_linger_s));
}

static ssize_t linger_s_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	unsigned int seconds;

	if (parse_uint(buf, count, 0, PINSTAT_LINGER_S_MAX, &seconds))
		return -EINVAL;
	WRITE_ONCE(pinstat_linger_s, seconds);
	pinstat_linger_changed();
	return count;
}

/*
 * Events that could not be recorded: no room in the table, or missed by
 * the kprobe machinery (a return probe out of instances).
 */
static ssize_t dropped_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  pinstat_stats_read(PINSTAT_STAT_DROPPED) +
				  pinstat_probes_missed());
}

static ssize_t reset_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	unsigned int one;

	if (parse_uint(buf, count, 1, 1, &one))
		return -EINVAL;
	pinstat_reset();
	return count;
}

static ssize_t watch_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	unsigned int pid;
	int err;

	err = parse_uint(buf, count, 1, PID_MAX_LIMIT, &pid);
	if (!err)
		err = pinstat_watch_pid(pid);
	return err ?: count;
}

static ssize_t unwatch_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	unsigned int pid;
	int err;

	err = parse_uint(buf, count, 1, PID_MAX_LIMIT, &pid);
	if (!err)
		err = pinstat_unwatch(pid);
	return err ?: count;
}

/* A file offset: decimal, or hex after 0x; no octal (a leading 0 is 0 or 0x). */
static int parse_offset(const char *text, u64 *offset)
{
	if (!strncmp(text, "0x", 2))
		return isxdigit(text[2]) ? kstrtou64(text + 2, 16, offset) :
					   -EINVAL;
	return isdigit(text[0]) ? kstrtou64(text, 10, offset) : -EINVAL;
}

/*
 * "PID LOCK [UNLOCK...]", words apart by single spaces: trace process
 * PID's LockOSThread calls with a uprobe at file offset LOCK of its
 * executable, and its UnlockOSThread calls with uprobes at the UNLOCK
 * offsets (at most PINSTAT_TRACE_UNLOCKS; -E2BIG past that). "PID create
 * ADDR": trace where process PID creates threads, with a uprobe at
 * address ADDR of its own, where its pthread_create() starts. The CLI
 * finds the offsets; see locktrace.c for the refusals.
 */
/* "ADDR" for process @pid's pthread_create(). */
static int trace_creates(unsigned int pid, const char *text)
{
	u64 addr;

	return parse_offset(text, &addr) ?:
		       pinstat_locktrace_start_creates(pid, addr);
}

/* "LOCK [UNLOCK...]" for process @pid. */
static int trace_locks(unsigned int pid, char *rest)
{
	unsigned int n = 0;
	u64 *offsets;
	int err = 0;

	offsets = kcalloc(1 + PINSTAT_TRACE_UNLOCKS, sizeof(*offsets),
			  GFP_KERNEL);
	if (!offsets)
		return -ENOMEM;
	while (!err && rest)
		err = n <= PINSTAT_TRACE_UNLOCKS ?
			      parse_offset(strsep(&rest, " "), &offsets[n++]) :
			      -E2BIG;
	if (!err)
		err = n ? pinstat_locktrace_start(pid, offsets, n) : -EINVAL;
	kfree(offsets);
	return err;
}

static ssize_t trace_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	char *text, *rest, *word;
	unsigned int pid;
	int err;

	if (strnlen(buf, count) != count)
		return -EINVAL;
	text = kmemdup_nul(buf, count, GFP_KERNEL);
	if (!text)
		return -ENOMEM;
	rest = text;
	word = strsep(&rest, " ");
	err = parse_uint(word, strlen(word), 1, PID_MAX_LIMIT, &pid);
	if (!err && rest && !strncmp(rest, "create ", 7))
		err = trace_creates(pid, rest + 7);
	else if (!err)
		err = trace_locks(pid, rest);
	kfree(text);
	return err ?: count;
}

/* "PID": the trace of PID ends, and its counts go. */
static ssize_t untrace_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	unsigned int pid;
	int err;

	err = parse_uint(buf, count, 1, PID_MAX_LIMIT, &pid);
	if (!err)
		err = pinstat_locktrace_stop(pid);
	return err ?: count;
}

static struct kobj_attribute version_attr = __ATTR_RO(version);
static struct kobj_attribute enabled_attr = __ATTR_RW(enabled);
static struct kobj_attribute tracked_attr = __ATTR_RO(tracked);
static struct kobj_attribute dropped_attr = __ATTR_RO(dropped);
static struct kobj_attribute capacity_attr = __ATTR_RO(capacity);
static struct kobj_attribute short_lived_us_attr = __ATTR_RW(short_lived_us);
static struct kobj_attribute linger_s_attr = __ATTR_RW(linger_s);
static struct kobj_attribute reset_attr = __ATTR_WO(reset);
static struct kobj_attribute watch_attr = __ATTR_WO(watch);
static struct kobj_attribute unwatch_attr = __ATTR_WO(unwatch);
static struct kobj_attribute trace_attr = __ATTR_WO(trace);
static struct kobj_attribute untrace_attr = __ATTR_WO(untrace);

/* Read-only global totals, one per statistic. */
struct stat_attribute {
	struct kobj_attribute attr;
	enum pinstat_stat stat;
};

static ssize_t stat_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	struct stat_attribute *sa =
		container_of(attr, struct stat_attribute, attr);

	return sysfs_emit(buf, "%llu\n", pinstat_stats_read(sa->stat));
}

#define STAT_ATTR(_name, _stat)                               \
	static struct stat_attribute _name##_attr = {         \
		.attr = __ATTR(_name, 0444, stat_show, NULL), \
		.stat = _stat,                                \
	}

STAT_ATTR(evicted, PINSTAT_STAT_EVICTED);
STAT_ATTR(created, PINSTAT_STAT_CREATED);
STAT_ATTR(exited, PINSTAT_STAT_EXITED);
STAT_ATTR(affinity, PINSTAT_STAT_AFFINITY);
STAT_ATTR(exec, PINSTAT_STAT_EXEC);
STAT_ATTR(alerts, PINSTAT_STAT_ALERTS);

/* alert/<name>: one threshold each, 0 for off. */
struct alert_attribute {
	struct kobj_attribute attr;
	enum pinstat_alert which;
};

static ssize_t alert_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct alert_attribute *aa =
		container_of(attr, struct alert_attribute, attr);

	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(pinstat_alert_limit[aa->which]));
}

static ssize_t alert_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct alert_attribute *aa =
		container_of(attr, struct alert_attribute, attr);
	unsigned int limit;

	if (parse_uint(buf, count, 0, PINSTAT_ALERT_MAX, &limit))
		return -EINVAL;
	WRITE_ONCE(pinstat_alert_limit[aa->which], limit);
	return count;
}

#define ALERT_ATTR(_name, _which)                                     \
	static struct alert_attribute _name##_attr = {                \
		.attr = __ATTR(_name, 0644, alert_show, alert_store), \
		.which = _which,                                      \
	}

ALERT_ATTR(solo_exits_per_s, PINSTAT_ALERT_SOLO_EXITS);
ALERT_ATTR(threads, PINSTAT_ALERT_THREADS);
ALERT_ATTR(affinity_per_s, PINSTAT_ALERT_AFFINITY);

static struct attribute *main_attrs[] = {
	&version_attr.attr,
	&enabled_attr.attr,
	&tracked_attr.attr,
	&capacity_attr.attr,
	&dropped_attr.attr,
	&evicted_attr.attr.attr,
	&alerts_attr.attr.attr,
	&short_lived_us_attr.attr,
	&linger_s_attr.attr,
	&reset_attr.attr,
	&watch_attr.attr,
	&unwatch_attr.attr,
	&trace_attr.attr,
	&untrace_attr.attr,
	NULL,
};

static struct attribute *events_attrs[] = {
	&created_attr.attr.attr,
	&exited_attr.attr.attr,
	&affinity_attr.attr.attr,
	&exec_attr.attr.attr,
	NULL,
};

static struct attribute *alert_attrs[] = {
	&solo_exits_per_s_attr.attr.attr,
	&threads_attr.attr.attr,
	&affinity_per_s_attr.attr.attr,
	NULL,
};

static const struct attribute_group main_group = {
	.attrs = main_attrs,
};

static const struct attribute_group events_group = {
	.name = "events",
	.attrs = events_attrs,
};

static const struct attribute_group alert_group = {
	.name = "alert",
	.attrs = alert_attrs,
};

static const struct attribute_group *groups[] = {
	&main_group,
	&events_group,
	&alert_group,
	NULL,
};

/* procs/ exists before "watch" does, and outlives it: see the exit. */
int pinstat_sysfs_init(void)
{
	int err;

	pinstat_kobj = kobject_create_and_add(KBUILD_MODNAME, kernel_kobj);
	if (!pinstat_kobj)
		return -ENOMEM;
	err = pinstat_watch_init(pinstat_kobj);
	if (err)
		goto put_kobj;
	err = sysfs_create_groups(pinstat_kobj, groups);
	if (err)
		goto watch_exit;
	return 0;

watch_exit:
	pinstat_watch_exit();
put_kobj:
	kobject_put(pinstat_kobj);
	return err;
}

/* poll() on "alerts" wakes up: a process crossed a threshold. */
void pinstat_sysfs_notify_alerts(void)
{
	sysfs_notify(pinstat_kobj, NULL, "alerts");
}

void pinstat_sysfs_exit(void)
{
	/* waits for writers of watch and enabled still in a store() */
	sysfs_remove_groups(pinstat_kobj, groups);
	pinstat_watch_exit();
	/* the directory goes now, whenever the kernel frees the kobject */
	kobject_del(pinstat_kobj);
	kobject_put(pinstat_kobj);
}
