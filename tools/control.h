/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing pinstat's controls: watch, unwatch, reset, enable, disable and
 * the tunables. Each returns the CLI's exit status.
 */
#ifndef PINSTAT_CONTROL_H
#define PINSTAT_CONTROL_H

int control_write(const char *file, const char *value);
int control_pid(const char *file, const char *pid);
/* @arg as a PID for @cmd: -1 after a message if it is not one. */
int control_pid_arg(const char *cmd, const char *arg);
int control_config(int argc, char **argv);

#endif /* PINSTAT_CONTROL_H */
