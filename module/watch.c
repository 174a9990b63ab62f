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
 */
#include <linux/kobject.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "fields.h"
#include "pinstat.h"
#include "table.h"

/* Each watch costs a few kilobytes of sysfs nodes: keep their number sane. */
#define WATCH_MAX 1024

struct watch {
	struct kobject kobj;
	struct list_head node;
	struct pinstat_key key;
};

struct field_attribute {
	struct attribute attr;
	unsigned int field;
};

static struct kobject *procs_kobj;
static LIST_HEAD(watches);
static DEFINE_MUTEX(watch_lock); /* guards the list and procs_kobj */
static atomic_t nr_watches = ATOMIC_INIT(0);

static struct field_attribute *field_attrs;
static struct attribute **default_attrs;
static struct attribute_group watch_group;
static const struct attribute_group *watch_groups[] = { &watch_group, NULL };

static ssize_t watch_show(struct kobject *kobj, struct attribute *attr,
			  char *buf)
{
	struct watch *w = container_of(kobj, struct watch, kobj);
	struct field_attribute *fa =
		container_of(attr, struct field_attribute, attr);
	struct pinstat_snapshot snap;
	struct pinstat_record *rec;
	unsigned int *per_cpu;
	ssize_t len;

	per_cpu = kcalloc(nr_cpu_ids, sizeof(*per_cpu), GFP_KERNEL);
	if (!per_cpu)
		return -ENOMEM;
	rcu_read_lock();
	rec = table_find(w->key);
	if (rec)
		record_snapshot(rec, &snap, per_cpu);
	rcu_read_unlock();
	kfree(per_cpu);

	if (!rec)
		return -ESRCH; /* freed; the directory is about to go */
	len = field_format(fa->field, &snap, buf, PAGE_SIZE - 1);
	buf[len++] = '\n';
	return len;
}

static void watch_release(struct kobject *kobj)
{
	kfree(container_of(kobj, struct watch, kobj));
}

static const struct sysfs_ops watch_sysfs_ops = {
	.show = watch_show,
};

static struct kobj_type watch_ktype = {
	.release = watch_release,
	.sysfs_ops = &watch_sysfs_ops,
	.default_groups = watch_groups,
};

static struct watch *watch_find(pid_t tgid)
{
	struct watch *w;

	list_for_each_entry(w, &watches, node)
		if (w->key.tgid == tgid)
			return w;
	return NULL;
}

static void watch_drop(struct watch *w)
{
	list_del(&w->node);
	atomic_dec(&nr_watches);
	kobject_del(&w->kobj); /* the name is free again at once */
	kobject_put(&w->kobj);
}

static int watch_create(const struct pinstat_key *key)
{
	struct watch *w;
	int err;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	w->key = *key;
	err = kobject_init_and_add(&w->kobj, &watch_ktype, procs_kobj, "%d",
				   key->tgid);
	if (err) {
		kobject_put(&w->kobj);
		return err;
	}
	list_add(&w->node, &watches);
	atomic_inc(&nr_watches);
	return 0;
}

/*
 * Watch the live process @pid (adding its record if it has none yet), or
 * its most recent exited record. Watching it again is a no-op; a directory
 * left from an older process with the same PID is replaced.
 */
int pinstat_watch_add(pid_t pid)
{
	struct pinstat_record *rec;
	struct pinstat_key key;
	struct watch *old;
	int err = 0;

	rcu_read_lock();
	rec = table_get_pid(pid);
	if (rec)
		key = rec->key;
	rcu_read_unlock();
	if (!rec)
		return -EINVAL;

	mutex_lock(&watch_lock);
	if (!procs_kobj) {
		err = -ENODEV; /* unloading */
		goto out;
	}
	old = watch_find(pid);
	if (old && pinstat_key_equal(&old->key, &key))
		goto out;
	if (!old && atomic_read(&nr_watches) >= WATCH_MAX) {
		err = -ENOSPC;
		goto out;
	}
	if (old)
		watch_drop(old);
	err = watch_create(&key);
out:
	mutex_unlock(&watch_lock);
	/* the record may have gone meanwhile, before anyone would prune */
	if (!err)
		pinstat_watch_prune();
	return err;
}

int pinstat_watch_remove(pid_t pid)
{
	struct watch *w;
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

bool pinstat_watching(void)
{
	return atomic_read(&nr_watches) > 0;
}

/* Remove the directories of records that have been freed. */
void pinstat_watch_prune(void)
{
	struct watch *w, *tmp;
	bool gone;

	mutex_lock(&watch_lock);
	list_for_each_entry_safe(w, tmp, &watches, node) {
		rcu_read_lock();
		gone = !table_find(w->key);
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
		sysfs_attr_init(&field_attrs[i].attr);
		field_attrs[i].attr.name = field_name(i);
		field_attrs[i].attr.mode = 0400;
		field_attrs[i].field = i;
		default_attrs[i] = &field_attrs[i].attr;
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

void pinstat_watch_exit(void)
{
	struct watch *w, *tmp;

	mutex_lock(&watch_lock);
	list_for_each_entry_safe(w, tmp, &watches, node)
		watch_drop(w);
	kobject_put(procs_kobj);
	procs_kobj = NULL;
	mutex_unlock(&watch_lock);
	kfree(default_attrs);
	kfree(field_attrs);
}
