// SPDX-License-Identifier: GPL-2.0
/*
 * Writing pinstat's controls, with errors that say what to do.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "control.h"
#include "source.h"
#include "util.h"

#define SYSFS PINSTAT_SYSFS "/"

/* Tunables that config shows; those with a range it may set. */
static const struct {
	const char *key;
	bool writable;
	long long min, max; /* as the module checks them */
} config_keys[] = {
	{ "enabled", true, 0, 1 },
	{ "short_lived_us", true, 1, 3600000000LL },
	{ "linger_s", true, 0, 86400 },
	{ "capacity", false, 0, 0 },
	{ "alert/solo_exits_per_s", true, 0, 100000000 },
	{ "alert/threads", true, 0, 100000000 },
	{ "alert/affinity_per_s", true, 0, 100000000 },
};

#define NR_KEYS (sizeof(config_keys) / sizeof(config_keys[0]))

int control_write(const char *file, const char *value)
{
	char path[PATH_MAX];
	int err;

	if (!module_loaded())
		return EXIT_ERROR;
	err = write_file(source_path(path, SYSFS "%s", file), value);
	if (err == -EACCES || err == -EPERM)
		warn("cannot write %s: permission denied (run as root)", path);
	else if (err == -EINVAL)
		warn("%s: the kernel refused \"%s\" (invalid value)", file,
		     value);
	else if (err)
		warn("cannot write %s: %s", path, strerror(-err));
	return err ? EXIT_ERROR : 0;
}

int control_pid_arg(const char *cmd, const char *arg)
{
	long long v;

	if (!parse_ll(arg, &v) || v < 1 || v > PID_MAX_LIMIT) {
		warn("%s: not a PID: %s", cmd, arg);
		return -1;
	}
	return v;
}

int control_pid(const char *file, const char *pid)
{
	return control_pid_arg(file, pid) < 0 ? EXIT_ERROR :
						control_write(file, pid);
}

static int config_show(void)
{
	char path[PATH_MAX], value[64];
	size_t i;
	int err;

	if (!module_loaded())
		return EXIT_ERROR;
	for (i = 0; i < NR_KEYS; i++) {
		err = read_small_file(source_path(path, SYSFS "%s",
						  config_keys[i].key),
				      value, sizeof(value));
		if (err == -ENOENT)
			continue; /* an older module */
		printf("%s=%s\n", config_keys[i].key,
		       err ? strerror(-err) : value);
	}
	return 0;
}

int control_config(int argc, char **argv)
{
	int i, status = 0;
	size_t k;

	if (argc == 0)
		return config_show();
	/* check every assignment, key and value, before changing anything */
	for (i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		long long v;

		for (k = 0; eq && k < NR_KEYS; k++)
			if (strlen(config_keys[k].key) ==
				    (size_t)(eq - argv[i]) &&
			    !strncmp(config_keys[k].key, argv[i], eq - argv[i]))
				break;
		if (!eq || k == NR_KEYS || !config_keys[k].writable) {
			warn("config: not a settable KEY=VALUE: %s (keys: "
			     "enabled, short_lived_us, linger_s, alert/...)",
			     argv[i]);
			return EXIT_ERROR;
		}
		if (!parse_ll(eq + 1, &v) || eq[1] == '-' ||
		    v < config_keys[k].min || v > config_keys[k].max) {
			warn("config: %s must be a number from %lld to %lld",
			     config_keys[k].key, config_keys[k].min,
			     config_keys[k].max);
			return EXIT_ERROR;
		}
	}
	for (i = 0; i < argc && !status; i++) {
		char key[64];
		const char *eq = strchr(argv[i], '=');

		snprintf(key, sizeof(key), "%.*s", (int)(eq - argv[i]),
			 argv[i]);
		status = control_write(key, eq + 1);
	}
	return status;
}
