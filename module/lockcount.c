// SPDX-License-Identifier: GPL-2.0
/*
 * A lock trace's counts (see lockcount.h). A thread's last lock site is
 * kept in an xarray by TID, as the site's index + 1 in a value entry: no
 * allocation of pinstat's own, and an existing entry is overwritten
 * without any.
 */
#include <linux/string.h>
#include "lockcount.h"

void pinstat_lock_counts_init(struct pinstat_lock_counts *c)
{
	spin_lock_init(&c->lock);
	xa_init(&c->threads);
}

void pinstat_lock_counts_destroy(struct pinstat_lock_counts *c)
{
	xa_destroy(&c->threads);
}

/* The index of the site at @offset, added if there is room. */
static unsigned int site_index(struct pinstat_lock_counts *c, u64 offset)
{
	unsigned int i;

	for (i = 0; i < c->nr_sites; i++)
		if (c->sites[i].offset == offset)
			return i;
	if (!offset || c->nr_sites == PINSTAT_TRACE_SITES)
		return PINSTAT_TRACE_SITES;
	c->sites[i].offset = offset;
	c->nr_sites++;
	return i;
}

/* Thread @tid has called LockOSThread from @offset (0: not known). */
void pinstat_lock_called(struct pinstat_lock_counts *c, pid_t tid, u64 offset)
{
	unsigned int site = site_index(c, offset);
	void *entry = xa_mk_value(site + 1);
	void *old = xa_load(&c->threads, tid);

	c->calls++;
	c->sites[site].calls++;
	if (!old &&
	    (c->nr_threads == PINSTAT_TRACE_THREADS ||
	     xa_is_err(xa_store(&c->threads, tid, entry, GFP_NOWAIT)))) {
		c->threads_dropped++;
		return;
	}
	if (old) {
		c->sites[xa_to_value(old) - 1].last_locked--;
		/* over an entry: takes no memory */
		xa_store(&c->threads, tid, entry, GFP_NOWAIT);
	} else {
		c->nr_threads++;
	}
	c->sites[site].last_locked++;
}

/*
 * Thread @tid has ended, on its own (@solo) or with its process: a solo
 * exit is blamed on the site of its last lock, or counted unseen while
 * @counting if no lock of it was seen.
 */
void pinstat_lock_thread_ended(struct pinstat_lock_counts *c, pid_t tid,
			       bool solo, bool counting)
{
	struct pinstat_lock_site *site;
	void *entry = xa_erase(&c->threads, tid);

	if (entry) {
		site = &c->sites[xa_to_value(entry) - 1];
		site->last_locked--;
		c->nr_threads--;
		if (solo)
			site->locked_exits++;
	} else if (solo && counting) {
		c->exits_unseen++;
	}
}

/* A granted sched_setaffinity() call from the stack @frames. */
void pinstat_lock_affinity_called(struct pinstat_lock_counts *c,
				  const u64 *frames)
{
	size_t size = sizeof(c->callers[0].frames);
	unsigned int i;

	for (i = 0; i < c->nr_callers; i++)
		if (!memcmp(c->callers[i].frames, frames, size))
			break;
	if (i == c->nr_callers && i < PINSTAT_TRACE_SITES) {
		memcpy(c->callers[i].frames, frames, size);
		c->nr_callers++;
	}
	c->callers[i].calls++;
}

static void show_site(struct seq_file *m, pid_t tgid,
		      const struct pinstat_lock_site *site)
{
	if (site->offset)
		seq_printf(m, "%d 0x%llx", tgid, site->offset);
	else
		seq_printf(m, "%d other", tgid);
	seq_printf(m, " %llu %llu %u\n", site->calls, site->locked_exits,
		   site->last_locked);
}

/* debugfs "lock_sites": "pid site calls locked_exits last_locked". */
void pinstat_lock_sites_show(struct seq_file *m, pid_t tgid,
			     const struct pinstat_lock_counts *c)
{
	unsigned int s;

	for (s = 0; s < c->nr_sites; s++)
		show_site(m, tgid, &c->sites[s]);
	if (c->sites[PINSTAT_TRACE_SITES].calls)
		show_site(m, tgid, &c->sites[PINSTAT_TRACE_SITES]);
}

static void show_caller(struct seq_file *m, pid_t tgid,
			const struct pinstat_caller *caller)
{
	unsigned int f;

	seq_printf(m, "%d %llu", tgid, caller->calls);
	for (f = 0; f < PINSTAT_AFFINITY_FRAMES; f++)
		if (caller->frames[f])
			seq_printf(m, " 0x%llx", caller->frames[f]);
		else
			seq_puts(m, " -");
	seq_putc(m, '\n');
}

/*
 * debugfs "affinity_sites": "pid calls frame0 ... frame3", the frames
 * innermost first, as offsets in the executable ("-": none; a row of "-"
 * takes the stacks past the bound).
 */
void pinstat_callers_show(struct seq_file *m, pid_t tgid,
			  const struct pinstat_lock_counts *c)
{
	unsigned int s;

	for (s = 0; s < c->nr_callers; s++)
		show_caller(m, tgid, &c->callers[s]);
	if (c->callers[PINSTAT_TRACE_SITES].calls)
		show_caller(m, tgid, &c->callers[PINSTAT_TRACE_SITES]);
}
