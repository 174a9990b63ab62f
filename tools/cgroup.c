// SPDX-License-Identifier: GPL-2.0
/*
 * Naming a process's cgroup. A cgroup v2 id is its directory's inode
 * number, so the hierarchy is read once, directory by directory, into a
 * table sorted by inode; a lookup is then a binary search. /proc/PID/cgroup
 * would name only live processes' groups: exited ones need the ids.
 *
 * Units and containers are read from the path, as systemd and the
 * container runtimes lay it out:
 *
 *   systemd          .../foo.service, .../session-3.scope (innermost wins)
 *   docker           /system.slice/docker-ID.scope, or /docker/ID
 *   containerd (CRI) .../cri-containerd-ID.scope, or (its cgroupfs driver
 *                    under kubelet's systemd one) .../POD.slice:cri-containerd:ID
 *   cri-o            .../crio-ID.scope, or .../crio-ID
 *   podman           .../libpod-ID.scope, or /libpod_parent/libpod-ID
 *   Kubernetes with the cgroupfs driver  /kubepods/QOS/podUID/ID: "cri",
 *                    as the path does not say which runtime it is
 *
 * ID is 64 hex digits; the runtimes' monitors (crio-conmon-ID,
 * libpod-conmon-ID) are not containers.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cgroup.h"
#include "source.h"
#include "util.h"

#define MAX_DIRS 1000000 /* read at most: far more than hosts have */

struct dir {
	unsigned long long ino;
	char *path; /* below the root, from "/" */
};

static struct {
	bool read;
	char root[PATH_MAX]; /* the v2 hierarchy's mount, below --root */
	struct dir *dirs;
	size_t n, allocated;
} hier;

/* Where the v2 hierarchy is: unified, or hybrid's "unified" below v1's. */
static bool find_root(void)
{
	static const char *const places[] = { "sys/fs/cgroup",
					      "sys/fs/cgroup/unified" };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(places) / sizeof(places[0]); i++) {
		source_path(path, "%s/cgroup.controllers", places[i]);
		if (access(path, F_OK))
			continue;
		source_path(hier.root, "%s", places[i]);
		return true;
	}
	return false;
}

static void add_dir(unsigned long long ino, const char *path)
{
	if (hier.n == hier.allocated) {
		hier.allocated = hier.allocated ? 2 * hier.allocated : 256;
		hier.dirs =
			realloc(hier.dirs, hier.allocated * sizeof(*hier.dirs));
		if (!hier.dirs)
			die(EXIT_ERROR, "out of memory");
	}
	hier.dirs[hier.n].ino = ino;
	hier.dirs[hier.n].path = strdup(path);
	if (!hier.dirs[hier.n].path)
		die(EXIT_ERROR, "out of memory");
	hier.n++;
}

/* The directories below @fd, whose path is @path (of length @len). */
static void read_below(int fd, char *path, size_t len)
{
	DIR *d = fdopendir(fd);
	struct dirent *e;
	struct stat st;
	int sub;

	if (!d) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) && hier.n < MAX_DIRS) {
		if (e->d_name[0] == '.' ||
		    (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN))
			continue;
		/* groups come and go while they are read: skip the gone */
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISDIR(st.st_mode) ||
		    len + 1 + strlen(e->d_name) >= PATH_MAX)
			continue;
		snprintf(path + len, PATH_MAX - len, "%s%s", len > 1 ? "/" : "",
			 e->d_name);
		add_dir(st.st_ino, path);
		sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY);
		if (sub >= 0)
			read_below(sub, path, strlen(path));
		path[len] = '\0';
	}
	closedir(d);
}

static int by_ino(const void *a, const void *b)
{
	const struct dir *x = a, *y = b;

	return (x->ino > y->ino) - (x->ino < y->ino);
}

static void read_hierarchy(void)
{
	char path[PATH_MAX] = "/";
	struct stat st;
	int fd;

	hier.read = true;
	if (!find_root())
		return;
	fd = open(hier.root, O_RDONLY | O_DIRECTORY);
	if (fd < 0 || fstat(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return;
	}
	add_dir(st.st_ino, path);
	read_below(fd, path, 1);
	if (hier.n == MAX_DIRS)
		warn("%s: more than %d cgroups; only the first were read",
		     hier.root, MAX_DIRS);
	qsort(hier.dirs, hier.n, sizeof(*hier.dirs), by_ino);
}

bool cgroup_path(unsigned long long id, char *path, size_t size)
{
	struct dir key = { .ino = id }, *found;

	/* the root is 1 with no v2 hierarchy mounted too */
	if (id == CGROUP_ROOT_ID) {
		snprintf(path, size, "/");
		return true;
	}
	if (!hier.read)
		read_hierarchy();
	if (!hier.n)
		return false;
	found = bsearch(&key, hier.dirs, hier.n, sizeof(*hier.dirs), by_ino);
	if (!found)
		return false;
	snprintf(path, size, "%s", found->path);
	return true;
}

void cgroup_forget(void)
{
	size_t i;

	for (i = 0; i < hier.n; i++)
		free(hier.dirs[i].path);
	free(hier.dirs);
	memset(&hier, 0, sizeof(hier));
}

/* Component @i (from 0, the outermost) of @path, into @c; its length. */
static size_t component(const char *path, size_t i, char *c, size_t size)
{
	const char *p = path;
	size_t len;

	for (;;) {
		p += strspn(p, "/");
		len = strcspn(p, "/");
		if (!i--)
			break;
		p += len;
	}
	snprintf(c, size, "%.*s", (int)len, p);
	return len;
}

static size_t components(const char *path)
{
	size_t n = 0;
	const char *p = path;

	for (;;) {
		p += strspn(p, "/");
		if (!*p)
			return n;
		n++;
		p += strcspn(p, "/");
	}
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

bool cgroup_unit(const char *path, char *unit, size_t size)
{
	char c[NAME_MAX + 1];
	size_t i = components(path);

	while (i--) {
		component(path, i, c, sizeof(c));
		if (ends_with(c, ".service") || ends_with(c, ".scope")) {
			snprintf(unit, size, "%s", c);
			return true;
		}
	}
	return false;
}

/* @s starts with a container ID, and @suffix follows it (or nothing). */
static bool id_then(const char *s, const char *suffix, char id[65])
{
	if (strspn(s, "0123456789abcdef") != 64 ||
	    (strcmp(s + 64, suffix) && s[64]))
		return false;
	snprintf(id, 65, "%.64s", s);
	return true;
}

/* A runtime's name for the container in component @c. */
static bool runtime_scope(const char *c, struct container *k)
{
	static const struct {
		const char *prefix, *runtime;
	} scopes[] = {
		{ "docker-", "docker" },
		{ "cri-containerd-", "containerd" },
		{ "crio-", "cri-o" },
		{ "libpod-", "podman" },
	};
	const char *colon = strstr(c, ":cri-containerd:");
	size_t i, len;

	/* containerd's cgroupfs driver under kubelet's systemd one */
	if (colon && id_then(colon + 16, "", k->id)) {
		snprintf(k->runtime, sizeof(k->runtime), "containerd");
		return true;
	}
	for (i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		len = strlen(scopes[i].prefix);
		if (!strncmp(c, scopes[i].prefix, len) &&
		    id_then(c + len, ".scope", k->id)) {
			snprintf(k->runtime, sizeof(k->runtime), "%s",
				 scopes[i].runtime);
			return true;
		}
	}
	return false;
}

/*
 * A container in component @c, under @parent, as the cgroupfs drivers
 * name them: docker's /docker/ID, podman's /libpod_parent/libpod-ID,
 * Kubernetes' .../podUID/ID (@kubepods: below kubepods).
 */
static bool cgroupfs_container(const char *c, const char *parent, bool kubepods,
			       struct container *k)
{
	const char *runtime = NULL;

	if (id_then(c, "", k->id) && kubepods)
		runtime = "cri";
	else if (id_then(c, "", k->id) && !strcmp(parent, "docker"))
		runtime = "docker";
	else if (!strcmp(parent, "libpod_parent") &&
		 !strncmp(c, "libpod-", 7) && id_then(c + 7, "", k->id))
		runtime = "podman";
	if (runtime)
		snprintf(k->runtime, sizeof(k->runtime), "%s", runtime);
	return runtime;
}

/* A Kubernetes pod's UID in component @c: podUID, or the systemd slice's. */
static void pod_uid(const char *c, struct container *k)
{
	const char *p = NULL;
	size_t len, i;

	if (!strncmp(c, "pod", 3))
		p = c + 3;
	else if (!strncmp(c, "kubepods-", 9) && strstr(c, "-pod"))
		p = strstr(c, "-pod") + 4;
	if (!p)
		return;
	len = strcspn(p, ".");
	if (len != 36 || (p[len] && strncmp(p + len, ".slice", 6)))
		return;
	for (i = 0; i < len; i++)
		k->pod[i] = p[i] == '_' ? '-' : p[i];
	k->pod[len] = '\0';
}

bool cgroup_container(const char *path, struct container *k)
{
	char c[NAME_MAX + 1], parent[NAME_MAX + 1];
	size_t n = components(path), i;
	bool found = false, kubepods = false;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < n; i++) {
		component(path, i, c, sizeof(c));
		if (!strncmp(c, "kubepods", 8))
			kubepods = true;
		pod_uid(c, k);
	}
	for (i = n; i-- && !found;) {
		component(path, i, c, sizeof(c));
		parent[0] = '\0';
		if (i)
			component(path, i - 1, parent, sizeof(parent));
		found = runtime_scope(c, k) ||
			cgroupfs_container(c, parent, kubepods, k);
	}
	if (!found)
		memset(k, 0, sizeof(*k));
	return found;
}

void container_name(const struct container *c, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%.12s", c->runtime, c->runtime[0] ? " " : "",
		 c->id);
}

/* A pids file of the group at @dir (below the root): -1 if none. */
static long long pids_file(const char *dir, const char *name)
{
	char path[PATH_MAX * 2], buf[32];
	long long v;

	snprintf(path, sizeof(path), "%s%s/%s", hier.root, dir, name);
	if (read_small_file(path, buf, sizeof(buf)))
		return -1;
	buf[strcspn(buf, "\n")] = '\0';
	return parse_ll(buf, &v) && v >= 0 ? v : -1;
}

void cgroup_pids_limit(const char *path, struct pids_limit *limit)
{
	char dir[sizeof(limit->at)];
	long long max, current;
	char *slash;

	limit->max = limit->current = limit->peak = -1;
	limit->at[0] = '\0';
	if (!hier.read)
		read_hierarchy();
	if (!*hier.root)
		return;
	snprintf(dir, sizeof(dir), "%s", path);
	/* the root has no pids.max: it ends the walk */
	while (strcmp(dir, "/") && *dir) {
		max = pids_file(dir, "pids.max");
		current = pids_file(dir, "pids.current");
		if (max >= 0 && current >= 0 &&
		    (limit->max < 0 ||
		     max - current < limit->max - limit->current)) {
			limit->max = max;
			limit->current = current;
			limit->peak = pids_file(dir, "pids.peak");
			snprintf(limit->at, sizeof(limit->at), "%s", dir);
		}
		slash = strrchr(dir, '/');
		*(slash && slash != dir ? slash : dir + 1) = '\0';
	}
}
