// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/pinstat/, readable by root only:
 *   processes	a header line naming the columns, then one line per record
 *   probes	one line per hook: event, what it is attached to, hits, the
 *		hits the kprobe machinery missed, and how a kprobe is armed
 *   traced	one line per traced process: its LockOSThread calls, or
 *		where it creates threads
 *   lock_sites	one line per call site of LockOSThread in those
 *   affinity_sites one line per caller of sched_setaffinity() in those
 *   create_sites one line per caller of pthread_create() in those
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include "fields.h"
#include "debugfs.h"
#include "locktrace.h"
#include "probes.h"
#include "table.h"

static struct dentry *debugfs_dir;

struct table_iter {
	unsigned int bucket;
	struct pinstat_scratch *scratch; /* for record_snapshot() */
};

/* Position 0 is the header, position n the table's bucket n - 1. */
static void *processes_seek(struct seq_file *m, loff_t pos)
{
	struct table_iter *it = m->private;

	if (pos == 0)
		return SEQ_START_TOKEN;
	if (pos > pinstat_table_buckets())
		return NULL;
	it->bucket = pos - 1;
	return it;
}

static void *processes_start(struct seq_file *m, loff_t *pos) __acquires(RCU)
{
	rcu_read_lock();
	return processes_seek(m, *pos);
}

static void *processes_next(struct seq_file *m, void *v, loff_t *pos)
{
	return processes_seek(m, ++*pos);
}

static void processes_stop(struct seq_file *m, void *v) __releases(RCU)
{
	rcu_read_unlock();
}

static void show_header(struct seq_file *m)
{
	unsigned int i;

	for (i = 0; i < pinstat_nr_fields; i++)
		seq_printf(m, "%s%s", i ? " " : "", pinstat_field_name(i));
	seq_putc(m, '\n');
}

static void show_record(struct pinstat_record *rec, void *arg)
{
	struct seq_file *m = arg;
	struct table_iter *it = m->private;
	struct pinstat_snapshot snap;
	char buf[PINSTAT_FIELD_MAX];
	unsigned int i;
	int len;

	pinstat_record_snapshot(rec, &snap, it->scratch);
	for (i = 0; i < pinstat_nr_fields; i++) {
		len = pinstat_field_format(i, &snap, buf, sizeof(buf));
		if (i)
			seq_putc(m, ' ');
		seq_write(m, buf, len);
	}
	seq_putc(m, '\n');
}

static int processes_show(struct seq_file *m, void *v)
{
	struct table_iter *it = v;

	if (v == SEQ_START_TOKEN)
		show_header(m);
	else
		pinstat_table_walk_bucket(it->bucket, show_record, m);
	return 0;
}

static const struct seq_operations processes_seq_ops = {
	.start = processes_start,
	.next = processes_next,
	.stop = processes_stop,
	.show = processes_show,
};

static int processes_open(struct inode *inode, struct file *file)
{
	struct table_iter *it;

	it = __seq_open_private(file, &processes_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->scratch = pinstat_scratch_alloc();
	if (!it->scratch) {
		seq_release_private(inode, file);
		return -ENOMEM;
	}
	return 0;
}

static int processes_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct table_iter *it = m->private;

	pinstat_scratch_free(it->scratch);
	return seq_release_private(inode, file);
}

static const struct file_operations processes_fops = {
	.owner = THIS_MODULE,
	.open = processes_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = processes_release,
};

/*
 * A hook on a tracepoint reads "tracepoint:NAME", on a function
 * "kprobe:NAME" or "kretprobe:NAME", with how the kprobe is armed: an
 * ftrace call site, or a trap (int3 on x86, brk on arm64).
 */
static int probes_seq_show(struct seq_file *m, void *v)
{
	struct pinstat_probe_info info;
	unsigned int i;

	seq_puts(m, "event hook hits missed arming\n");
	for (i = 0; i < pinstat_nr_probes; i++) {
		pinstat_probe_info(i, &info);
		seq_printf(m, "%s %s%s%s %llu %lu %s\n", info.event,
			   info.mechanism ?: "-", info.mechanism ? ":" : "",
			   info.target ?: "", info.hits, info.missed,
			   info.arming ?: "-");
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(probes_seq);

static int traced_seq_show(struct seq_file *m, void *v)
{
	pinstat_locktrace_show_traced(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(traced_seq);

static int lock_sites_seq_show(struct seq_file *m, void *v)
{
	pinstat_locktrace_show_sites(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(lock_sites_seq);

static int affinity_sites_seq_show(struct seq_file *m, void *v)
{
	pinstat_locktrace_show_affinity(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(affinity_sites_seq);

static int create_sites_seq_show(struct seq_file *m, void *v)
{
	pinstat_locktrace_show_creators(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(create_sites_seq);

/* debugfs is optional: without it, pinstat still counts and sysfs works. */
void pinstat_debugfs_init(void)
{
	debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("processes", 0400, debugfs_dir, NULL,
			    &processes_fops);
	debugfs_create_file("probes", 0400, debugfs_dir, NULL,
			    &probes_seq_fops);
	debugfs_create_file("traced", 0400, debugfs_dir, NULL,
			    &traced_seq_fops);
	debugfs_create_file("lock_sites", 0400, debugfs_dir, NULL,
			    &lock_sites_seq_fops);
	debugfs_create_file("affinity_sites", 0400, debugfs_dir, NULL,
			    &affinity_sites_seq_fops);
	debugfs_create_file("create_sites", 0400, debugfs_dir, NULL,
			    &create_sites_seq_fops);
}

void pinstat_debugfs_exit(void)
{
	debugfs_remove(debugfs_dir);
}
