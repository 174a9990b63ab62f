// SPDX-License-Identifier: GPL-2.0
/*
 * A lock trace's counts (see lockcount.h). A thread's last lock site and
 * its lock depth are kept in an xarray by TID, in a value entry: no
 * allocation of pinstat's own, and an existing entry is overwritten
 * without any.
 */
#include <linux/minmax.h>
#include <linux/string.h>
#include "lockcount.h"

/* A thread's entry: its last lock's site index + 1, then its depth. */
#define ENTRY_SITE_BITS 8
/* Go's own count of a thread's locks is 32 bits wide. */
#define LOCK_DEPTH_MAX U32_MAX

static_assert(PINSTAT_TRACE_SITES + 1 < BIT(ENTRY_SITE_BITS));

static void *thread_entry(unsigned int site, unsigned long depth)
{
	return xa_mk_value((site + 1) | depth << ENTRY_SITE_BITS);
}

static unsigned int entry_site(void *entry)
{
	return (xa_to_value(entry) & (BIT(ENTRY_SITE_BITS) - 1)) - 1;
}

static unsigned long entry_depth(void *entry)
{
	return xa_to_value(entry) >> ENTRY_SITE_BITS;
}

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

/* A thread's entry @old is replaced or gone: its site no longer counts it. */
static void thread_forget(struct pinstat_lock_counts *c, void *old)
{
	struct pinstat_lock_site *site = &c->sites[entry_site(old)];

	site->last_locked--;
	if (entry_depth(old))
		site->locked--;
}

/* Thread @tid has called LockOSThread from @offset (0: not known). */
void pinstat_lock_called(struct pinstat_lock_counts *c, pid_t tid, u64 offset)
{
	unsigned int site = site_index(c, offset);
	void *old = xa_load(&c->threads, tid);
	unsigned long depth = old ? entry_depth(old) : 0;
	void *entry = thread_entry(site, min(depth + 1, LOCK_DEPTH_MAX));

	c->calls++;
	c->sites[site].calls++;
	if (!old &&
	    (c->nr_threads == PINSTAT_TRACE_THREADS ||
	     xa_is_err(xa_store(&c->threads, tid, entry, GFP_NOWAIT)))) {
		c->threads_dropped++;
		return;
	}
	if (old) {
		thread_forget(c, old);
		/* over an entry: takes no memory */
		xa_store(&c->threads, tid, entry, GFP_NOWAIT);
	} else {
		c->nr_threads++;
	}
	c->sites[site].last_locked++;
	c->sites[site].locked++;
}

/*
 * Thread @tid has called UnlockOSThread: one lock fewer, as the runtime
 * counts them. An unlock of a thread with no lock seen is counted only:
 * its lock came before the trace, or the map could not take the thread.
 */
void pinstat_lock_released(struct pinstat_lock_counts *c, pid_t tid)
{
	void *old = xa_load(&c->threads, tid);
	unsigned long depth = old ? entry_depth(old) : 0;
	unsigned int site;

	c->unlocks++;
	if (!depth)
		return;
	site = entry_site(old);
	/* over an entry: takes no memory */
	xa_store(&c->threads, tid, thread_entry(site, depth - 1), GFP_NOWAIT);
	if (depth == 1)
		c->sites[site].locked--;
}

/*
 * Thread @tid has ended, on its own (@solo) or with its process. A solo
 * exit of a thread holding a lock is blamed on the site of its last lock;
 * one with its locks all undone is counted as such (only unlock probes
 * undo them); one with no lock seen is counted unseen while @counting.
 */
void pinstat_lock_thread_ended(struct pinstat_lock_counts *c, pid_t tid,
			       bool solo, bool counting)
{
	void *old = xa_erase(&c->threads, tid);

	if (old) {
		thread_forget(c, old);
		c->nr_threads--;
		if (solo && entry_depth(old))
			c->sites[entry_site(old)].locked_exits++;
		else if (solo)
			c->exits_unlocked++;
	} else if (solo && counting) {
		c->exits_unseen++;
	}
}

/* A call from the stack @frames. */
void pinstat_callers_add(struct pinstat_callers *cs, const u64 *frames)
{
	size_t size = sizeof(cs->rows[0].frames);
	unsigned int i;

	for (i = 0; i < cs->nr; i++)
		if (!memcmp(cs->rows[i].frames, frames, size))
			break;
	if (i == cs->nr && i < PINSTAT_TRACE_SITES) {
		memcpy(cs->rows[i].frames, frames, size);
		cs->nr++;
	}
	cs->rows[i].calls++;
}

static void show_site(struct seq_file *m, pid_t tgid,
		      const struct pinstat_lock_site *site)
{
	if (site->offset)
		seq_printf(m, "%d 0x%llx", tgid, site->offset);
	else
		seq_printf(m, "%d other", tgid);
	seq_printf(m, " %llu %llu %u %u\n", site->calls, site->locked_exits,
		   site->last_locked, site->locked);
}

/* debugfs "lock_sites": "pid site calls locked_exits last_locked locked". */
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
		if (caller->frames[f] == PINSTAT_FRAME_OUTSIDE)
			seq_puts(m, " ?");
		else if (caller->frames[f])
			seq_printf(m, " 0x%llx", caller->frames[f]);
		else
			seq_puts(m, " -");
	seq_putc(m, '\n');
}

/*
 * debugfs "affinity_sites", "create_sites": "pid calls frame0 ... frame3",
 * the frames innermost first, as offsets in the executable ("-": none;
 * "?": outside the executable's code; a row of "-" takes the stacks past
 * the bound).
 */
void pinstat_callers_show(struct seq_file *m, pid_t tgid,
			  const struct pinstat_callers *cs)
{
	unsigned int s;

	for (s = 0; s < cs->nr; s++)
		show_caller(m, tgid, &cs->rows[s]);
	if (cs->rows[PINSTAT_TRACE_SITES].calls)
		show_caller(m, tgid, &cs->rows[PINSTAT_TRACE_SITES]);
}
