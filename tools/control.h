/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing pinstat's controls: watch, unwatch, reset, enable, disable and
 * the tunables. Each returns the CLI's exit status.
 */
#ifndef PINSTAT_CONTROL_H
#define PINSTAT_CONTROL_H

int control_write(const char *file, const char *value);
int control_pid(const char *file, const char *pid);
int control_config(int argc, char **argv);

#endif /* PINSTAT_CONTROL_H */
