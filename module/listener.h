/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How the core tells the layer above it what happened: the interfaces
 * register one listener at init and clear it at exit. The core never
 * names them.
 */
#ifndef _PINSTAT_LISTENER_H
#define _PINSTAT_LISTENER_H

struct pinstat_listener {
	/* a process crossed an alert threshold; atomic context */
	void (*alert_raised)(void);
	/* records were freed; any context */
	void (*records_freed)(void);
};

/* NULL clears it; once that returns, no callback runs any more. */
void pinstat_listen(const struct pinstat_listener *listener);

void pinstat_notify_alert(void);
void pinstat_notify_freed(void);

#endif /* _PINSTAT_LISTENER_H */
