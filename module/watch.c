// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/pinstat/procs/<pid>/: one directory per watched process, one
 * file per field of its record (the same fields, in the same format, as the
 * debugfs table). A directory stays bound to the process it was made for:
 * when that record is freed the directory goes, even if the PID is reused.
 *
 * The files are root's (0400), like the debugfs table: per-process details
 * are not for other users, and the mode is checked when a file is opened,
 * so no reader's credentials are judged at read time.
 *
 * Each directory is a kobject the kernel releases with its own code
 * (kobject_create_and_add()), however late: nothing of this module is
 * left to run after it unloads. Its show() finds the watch by that
 * kobject in an RCU list, so that removing a directory, which waits for
 * the show() calls in progress, never waits for a lock they hold.
 */
#include <linux/kobject.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rculist.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include "fields.h"
#include "table.h"
#include "watch.h"

/* Each watch costs a few kilobytes of sysfs nodes: keep their number sane. */
#define WATCH_MAX 1024

struct pinstat_watch {
	struct list_head node; /* RCU */
	struct kobject *kobj;
	struct pinstat_key key;
	struct rcu_head rcu;
};

struct field_attribute {
	struct kobj_attribute attr;
	unsigned int field;
};

static struct kobject *procs_kobj;
static LIST_HEAD(watches);
static DEFINE_MUTEX(watch_lock); /* guards the list's writers, procs_kobj */
static unsigned int nr_watches;	 /* under watch_lock */

static struct field_attribute *field_attrs;
static struct attribute **default_attrs;
static struct attribute_group watch_group;

/* The watch of a directory, if it is still there. Under RCU. */
static struct pinstat_watch *watch_of(struct kobject *kobj)
{
	struct pinstat_watch *w;

	list_for_each_entry_rcu(w, &watches, node)
		if (w->kobj == kobj)
			return w;
	return NULL;
}

static ssize_t watch_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct field_attribute *fa =
		container_of(attr, struct field_attribute, attr);
	struct pinstat_snapshot snap;
	struct pinstat_record *rec = NULL;
	struct pinstat_watch *w;
	struct pinstat_scratch *scratch;
	struct pinstat_key key;
	ssize_t len;

	rcu_read_lock();
	w = watch_of(kobj);
	if (w)
		key = w->key;
	rcu_read_unlock();
	if (!w)
		return -ESRCH;
	scratch = pinstat_scratch_alloc();
	if (!scratch)
		return -ENOMEM;
	rcu_read_lock();
	rec = pinstat_table_find(key);
	if (rec)
		pinstat_record_snapshot(rec, &snap, scratch);
	rcu_read_unlock();
	pinstat_scratch_free(scratch);

	if (!rec)
		return -ESRCH; /* freed; the directory is about to go */
	len = pinstat_field_format(fa->field, &snap, buf, PAGE_SIZE - 1);
	buf[len++] = '\n';
	return len;
}

static struct pinstat_watch *watch_find(pid_t tgid)
{
	struct pinstat_watch *w;

	list_for_each_entry(w, &watches, node)
		if (w->key.tgid == tgid)
			return w;
	return NULL;
}

/* Under watch_lock; the directory goes at once, the memory after RCU. */
static void watch_drop(struct pinstat_watch *w)
{
	list_del_rcu(&w->node);
	nr_watches--;
	kobject_del(w->kobj); /* the name is free again at once */
	kobject_put(w->kobj);
	kfree_rcu(w, rcu);
}

static int watch_create(const struct pinstat_key *key)
{
	struct pinstat_watch *w;
	char name[16];
	int err;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->key = *key;
	snprintf(name, sizeof(name), "%d", key->tgid);
	w->kobj = kobject_create_and_add(name, procs_kobj);
	if (!w->kobj) {
		kfree(w);
		return -ENOMEM;
	}
	list_add_rcu(&w->node, &watches);
	nr_watches++;
	/* shown only once the list holds it */
	err = sysfs_create_group(w->kobj, &watch_group);
	if (err)
		watch_drop(w);
	return err;
}

/*
 * Watch the process with @key, if it still has a record. Watching it again
 * is a no-op; a directory left from an older process with the same PID is
 * replaced.
 */
int pinstat_watch_key(const struct pinstat_key *key)
{
	struct pinstat_watch *old;
	bool known;
	int err = 0;

	rcu_read_lock();
	known = pinstat_table_find(*key);
	rcu_read_unlock();
	if (!known)
		return -ESRCH;

	mutex_lock(&watch_lock);
	if (!procs_kobj) {
		err = -ENODEV; /* unloading */
		goto out;
	}
	old = watch_find(key->tgid);
	if (old && pinstat_key_equal(&old->key, key))
		goto out;
	if (!old && nr_watches >= WATCH_MAX) {
		err = -ENOSPC;
		goto out;
	}
	if (old)
		watch_drop(old);
	err = watch_create(key);
out:
	mutex_unlock(&watch_lock);
	/* the record may have gone meanwhile, before anyone would prune */
	if (!err)
		pinstat_watch_prune();
	return err;
}

/*
 * The key of the live user process @pid, which gets a record if it has
 * none yet (someone asked to watch it), or else of its most recent exited
 * record.
 */
static int key_of_pid(pid_t pid, struct pinstat_key *key)
{
	struct pinstat_record *rec;
	struct task_struct *leader;
	int err;

	rcu_read_lock();
	leader = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_TGID);
	if (leader &&
	    (!pinstat_user_task(leader) || !pinstat_live_threads(leader)))
		leader = NULL;
	if (leader) {
		*key = pinstat_task_key(leader);
		get_task_struct(leader);
	}
	rec = leader ? pinstat_table_find(*key) : pinstat_table_find_pid(pid);
	if (rec)
		*key = rec->key;
	rcu_read_unlock();

	if (rec)
		err = 0;
	else if (!leader)
		err = -EINVAL;
	else if (!pinstat_table_add(leader, ktime_get_ns()))
		err = -ENOSPC; /* the table is full of live processes */
	else
		err = 0;
	if (leader)
		put_task_struct(leader);
	return err;
}

/* Watch the process @pid: see key_of_pid(). */
int pinstat_watch_pid(pid_t pid)
{
	struct pinstat_key key;
	int err;

	err = key_of_pid(pid, &key);
	return err ?: pinstat_watch_key(&key);
}

int pinstat_unwatch(pid_t pid)
{
	struct pinstat_watch *w;
	int err = 0;

	mutex_lock(&watch_lock);
	w = watch_find(pid);
	if (w)
		watch_drop(w);
	else
		err = -EINVAL;
	mutex_unlock(&watch_lock);
	return err;
}

/* Remove the directories of records that have been freed. */
void pinstat_watch_prune(void)
{
	struct pinstat_watch *w, *tmp;
	bool gone;

	mutex_lock(&watch_lock);
	list_for_each_entry_safe(w, tmp, &watches, node) {
		rcu_read_lock();
		gone = !pinstat_table_find(w->key);
		rcu_read_unlock();
		if (gone)
			watch_drop(w);
	}
	mutex_unlock(&watch_lock);
}

/* One read-only file per field, named after it. */
static int build_attrs(void)
{
	unsigned int i;

	field_attrs =
		kcalloc(pinstat_nr_fields, sizeof(*field_attrs), GFP_KERNEL);
	default_attrs = kcalloc(pinstat_nr_fields + 1, sizeof(*default_attrs),
				GFP_KERNEL);
	if (!field_attrs || !default_attrs) {
		kfree(field_attrs);
		kfree(default_attrs);
		return -ENOMEM;
	}
	for (i = 0; i < pinstat_nr_fields; i++) {
		struct kobj_attribute *ka = &field_attrs[i].attr;

		sysfs_attr_init(&ka->attr);
		ka->attr.name = pinstat_field_name(i);
		ka->attr.mode = 0400;
		ka->show = watch_show;
		field_attrs[i].field = i;
		default_attrs[i] = &ka->attr;
	}
	watch_group.attrs = default_attrs;
	return 0;
}

int pinstat_watch_init(struct kobject *parent)
{
	int err;

	err = build_attrs();
	if (err)
		return err;
	procs_kobj = kobject_create_and_add("procs", parent);
	if (!procs_kobj) {
		kfree(field_attrs);
		kfree(default_attrs);
		return -ENOMEM;
	}
	return 0;
}

/* Every directory is gone once this returns. */
void pinstat_watch_exit(void)
{
	struct pinstat_watch *w, *tmp;

	mutex_lock(&watch_lock);
	list_for_each_entry_safe(w, tmp, &watches, node)
		watch_drop(w);
	kobject_del(procs_kobj);
	kobject_put(procs_kobj);
	procs_kobj = NULL;
	mutex_unlock(&watch_lock);
	kfree(default_attrs);
	kfree(field_attrs);
}
