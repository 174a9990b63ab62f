/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal: how wide a report may be.
 */
#ifndef PINSTAT_TERM_H
#define PINSTAT_TERM_H

/*
 * Columns a report on standard output may take: $COLUMNS when it is a
 * number (ps(1) takes it so), else the terminal's width; 0 (any) when
 * standard output is not a terminal or does not say its width.
 */
int term_report_width(void);

#endif /* PINSTAT_TERM_H */
