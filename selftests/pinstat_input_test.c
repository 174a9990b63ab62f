// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input: every writable file and module parameter gets malformed,
 * out-of-range and oversized values, also from two CPUs at once; each must
 * be refused and change nothing. And no output may show a kernel pointer.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "kselftest_harness.h"
#include "pinstat_lib.h"

FIXTURE(input) {
};

FIXTURE_SETUP(input)
{
	ASSERT_EQ(0, module_reload(NULL));
}

FIXTURE_TEARDOWN(input)
{
}

/* Wrong for every file: not plain digits, or not a number at all. */
static const char *const malformed[] = {
	"", "\n", " ", " 1", "1 ", "\t1", "+1", "-1", "-0", "1x", "x1", "abc",
	"0x10", "1e3", "1.5", "1,5", "\xef\xbc\x91", "1\n2", "1\n\n", "--",
	"99999999999999999999", "18446744073709551616", "4294967296",
};

struct writable {
	const char *file;
	bool readable;
	const char *const too_big[3];	/* digits, but out of range */
};

static const struct writable writables[] = {
	{ "enabled", true, { "2", "10", "4294967295" } },
	{ "short_lived_us", true, { "0", "3600000001", "4294967295" } },
	{ "linger_s", true, { "86401", "100000", "4294967295" } },
	{ "reset", false, { "0", "2", "4294967295" } },
	{ "watch", false, { "0", "4194305", "4194303" } },
	{ "unwatch", false, { "0", "4194305", "1" } },
	{ "alert/solo_exits_per_s", true, { "100000001", "4294967295", "999999999" } },
	{ "alert/threads", true, { "100000001", "4294967295", "999999999" } },
	{ "alert/affinity_per_s", true, { "100000001", "4294967295", "999999999" } },
};

/* Write exactly @len bytes (NULs included): 0 or -errno. */
static int write_bytes(const char *file, const char *buf, size_t len)
{
	char path[128];
	int fd, err = 0;

	snprintf(path, sizeof(path), PINSTAT_SYSFS "/%s", file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) < 0)
		err = -errno;
	close(fd);
	return err;
}

/* What reading every readable control and counter gives, in one string. */
static void snapshot(char *buf, size_t size)
{
	static const char *const files[] = {
		"enabled", "short_lived_us", "linger_s", "alert/threads",
		"alert/solo_exits_per_s", "alert/affinity_per_s", "tracked",
	};
	char value[64];
	size_t len = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		if (sysfs_str(files[i], value, sizeof(value)))
			strcpy(value, "?");
		len += snprintf(buf + len, size - len, "%s=%s ", files[i], value);
	}
}

TEST_F(input, every_writable_file_refuses_bad_values)
{
	char before[512], after[512], procs[64];
	static char huge[65536];
	unsigned int i, j, tried = 0;
	const char nul[] = { '1', '\0', '2' };

	memset(huge, '9', sizeof(huge) - 1);
	snprintf(procs, sizeof(procs), "%d", getpid());
	ASSERT_EQ(0, sysfs_write("watch", procs));	/* for unwatch */
	snapshot(before, sizeof(before));
	for (i = 0; i < ARRAY_SIZE(writables); i++) {
		const struct writable *w = &writables[i];

		for (j = 0; j < ARRAY_SIZE(malformed); j++, tried++) {
			int err = write_bytes(w->file, malformed[j],
					      strlen(malformed[j]));

			/* a write of nothing never reaches the module */
			if (!malformed[j][0]) {
				EXPECT_EQ(0, err);
			} else {
				EXPECT_EQ(-EINVAL, err)
					TH_LOG("%s took \"%s\"", w->file,
					       malformed[j]);
			}
		}
		for (j = 0; j < 3; j++, tried++) {
			EXPECT_EQ(-EINVAL, sysfs_write(w->file, w->too_big[j]))
				TH_LOG("%s took %s", w->file, w->too_big[j]);
		}
		EXPECT_EQ(-EINVAL, write_bytes(w->file, nul, sizeof(nul)))
			TH_LOG("%s took an embedded NUL", w->file);
		EXPECT_NE(0, write_bytes(w->file, huge, sizeof(huge) - 1))
			TH_LOG("%s took 64 KiB", w->file);
		tried += 2;
	}
	snapshot(after, sizeof(after));
	EXPECT_STREQ(before, after);
	EXPECT_TRUE(path_exists(PINSTAT_SYSFS "/procs"));
	snprintf(procs, sizeof(procs), PINSTAT_SYSFS "/procs/%d", getpid());
	EXPECT_TRUE(path_exists(procs));	/* unwatch took nothing */
	TH_LOG("%u bad writes refused", tried);
}

struct racer {
	const char *file;
	const char *good;
	volatile bool *stop;
	int refused;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	unsigned int n;

	for (n = 0; !*r->stop; n++) {
		if (sysfs_write(r->file, n & 1 ? r->good : "garbage") == -EINVAL)
			r->refused++;
	}
	return NULL;
}

/* Two writers on two CPUs: only ever one of the good values stands. */
TEST_F(input, racing_writers)
{
	volatile bool stop = false;
	struct racer a = { "linger_s", "7", &stop, 0 };
	struct racer b = { "linger_s", "9", &stop, 0 };
	pthread_t ta, tb;
	long long v;

	ASSERT_EQ(0, pthread_create(&ta, NULL, race, &a));
	ASSERT_EQ(0, pthread_create(&tb, NULL, race, &b));
	sleep_ms(1500);
	stop = true;
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	v = sysfs_num("linger_s");
	EXPECT_TRUE(v == 7 || v == 9) TH_LOG("linger_s is %lld", v);
	EXPECT_LT(0, a.refused);
	EXPECT_LT(0, b.refused);
}

TEST(module_parameters_refuse_bad_values)
{
	static const char *const params[] = {
		"capacity", "short_lived_us", "linger_s",
	};
	static const char *const bad[] = {
		"", "-1", "-0", "1x", "x", "abc", "0x", "1.5", "1e3", " 1",
		"99999999999999999999", "4294967296", "18446744073709551616",
		"\xef\xbc\x91", "--", "1,2", "nan", "+", "0b1", "1_0",
	};
	static const char *const out_of_range[] = {
		"capacity=0", "capacity=1048577", "capacity=4294967295",
		"short_lived_us=0", "short_lived_us=3600000001",
		"linger_s=86401", "linger_s=4294967295",
		"hooks=", "hooks=kprobe", "hooks=do_exit", "hooks=tracepoints,",
	};
	char arg[128];
	unsigned int i, j, tried = 0;

	if (module_loaded())
		ASSERT_EQ(0, module_unload());
	for (i = 0; i < ARRAY_SIZE(params); i++)
		for (j = 0; j < ARRAY_SIZE(bad); j++, tried++) {
			snprintf(arg, sizeof(arg), "%s=%s", params[i], bad[j]);
			EXPECT_NE(0, module_load(arg)) TH_LOG("loaded: %s", arg);
			EXPECT_FALSE(module_loaded());
		}
	for (i = 0; i < ARRAY_SIZE(out_of_range); i++, tried++) {
		EXPECT_NE(0, module_load(out_of_range[i]))
			TH_LOG("loaded: %s", out_of_range[i]);
		EXPECT_FALSE(module_loaded());
		EXPECT_FALSE(path_exists(PINSTAT_SYSFS));
	}
	TH_LOG("%u bad module parameters refused", tried);
}

/* How the kernel armed the affinity hook's kprobe: "ftrace" or "trap". */
static int affinity_arming(char *arming, size_t size)
{
	FILE *f = fopen(PINSTAT_DEBUGFS "/probes", "re");
	char line[256], how[16];
	int found = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "affinity ", 9) &&
		    sscanf(line, "%*s %*s %*s %*s %15s", how) == 1) {
			snprintf(arming, size, "%s", how);
			found = 0;
		}
	if (f)
		fclose(f);
	return found;
}

/*
 * On x86, a kprobe armed by a trap (int3, where the function has no
 * ftrace call site or the kernel no kprobes on ftrace) runs its handler
 * like an NMI, where pinstat's may neither lock nor allocate: creation and
 * exit kprobes are refused there (EOPNOTSUPP), and hooks=kprobes cannot
 * load. Elsewhere it loads. The affinity hook is a kprobe either way, and
 * shows how this kernel arms them.
 */
TEST(kprobes_run_as_nmis_are_refused)
{
	struct utsname uts;
	char arming[16];
	int err;

	if (module_loaded())
		ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, module_load(NULL));
	ASSERT_EQ(0, affinity_arming(arming, sizeof(arming)));
	ASSERT_EQ(0, module_unload());
	ASSERT_EQ(0, uname(&uts));
	err = module_load("hooks=kprobes");
	TH_LOG("%s, kprobes armed by %s: hooks=kprobes gives %d", uts.machine,
	       arming, err);
	if (!strcmp(uts.machine, "x86_64") && !strcmp(arming, "trap")) {
		EXPECT_EQ(-EOPNOTSUPP, err);
		EXPECT_FALSE(module_loaded());
	} else {
		EXPECT_EQ(0, err);
		EXPECT_TRUE(file_has_prefix(PINSTAT_DEBUGFS "/probes",
					    "created kprobe:wake_up_new_task "));
	}
}

/*
 * Anything shaped like a kernel address (ffff and 12 more hex digits) in
 * the lines of @path that contain @filter (NULL: all lines).
 */
static bool has_kernel_pointer(const char *path, const char *filter)
{
	static regex_t re;
	static bool compiled;
	char line[8192];
	bool found = false;
	FILE *f;

	if (!compiled) {
		regcomp(&re, "(0x)?ffff[0-9a-f]{12}", REG_EXTENDED | REG_ICASE);
		compiled = true;
	}
	f = fopen(path, "re");
	while (f && !found && fgets(line, sizeof(line), f))
		found = (!filter || strstr(line, filter)) &&
			!regexec(&re, line, 0, NULL, 0);
	if (f)
		fclose(f);
	return found;
}

static int scan_dir(const char *dir)
{
	char path[512];
	struct dirent *e;
	int bad = 0;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR)
			bad += scan_dir(path);
		else if (has_kernel_pointer(path, NULL))
			bad++;
	}
	if (d)
		closedir(d);
	return bad;
}

TEST_F(input, no_kernel_pointers_in_any_output)
{
	char pid[16];
	struct crew crew;

	crew_start(&crew, 3);
	crew_release(&crew, 0, 3);
	snprintf(pid, sizeof(pid), "%d", getpid());
	ASSERT_EQ(0, sysfs_write("watch", pid));
	EXPECT_EQ(0, scan_dir(PINSTAT_SYSFS));
	EXPECT_EQ(0, scan_dir(PINSTAT_DEBUGFS));
	ASSERT_EQ(0, system("dmesg > /tmp/pinstat-dmesg.txt"));
	EXPECT_FALSE(has_kernel_pointer("/tmp/pinstat-dmesg.txt", "pinstat"));
}

TEST_HARNESS_MAIN
