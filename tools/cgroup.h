/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The cgroup of a process, named: the module gives its cgroup v2 id (the
 * directory's inode number); the CLI finds the directory, and from its
 * path the systemd unit and the container (docker, containerd and CRI,
 * cri-o, podman), and the pids controller's limit on the way up.
 */
#ifndef PINSTAT_CGROUP_H
#define PINSTAT_CGROUP_H

#include <stdbool.h>
#include <stddef.h>

#define CGROUP_ROOT_ID 1ULL /* the v2 root's id; every process's without v2 */

/* A container, from its cgroup's path. */
struct container {
	char runtime[16]; /* "docker", "containerd", "cri-o", "podman" */
	char id[65];	  /* hex */
	char pod[40];	  /* a Kubernetes pod's UID, if under kubepods */
};

/*
 * The path of cgroup @id below the v2 root ("/" for the root), into
 * @path: false if no directory has that id (removed since, or the
 * hierarchy is not mounted here). The first call reads its directories.
 */
bool cgroup_path(unsigned long long id, char *path, size_t size);

/* Forget the directories read: the next cgroup_path() reads them again. */
void cgroup_forget(void);

/* The systemd unit of @path (a .service or .scope), or false. */
bool cgroup_unit(const char *path, char *unit, size_t size);

/* The container of @path, or false. */
bool cgroup_container(const char *path, struct container *c);

/* @c as outputs name it, "RUNTIME ID" (12 digits of it); "" for none. */
void container_name(const struct container *c, char *buf, size_t size);

/* The pids controller's tightest limit on @path and its ancestors. */
struct pids_limit {
	long long max;	   /* pids.max; -1: no limit anywhere */
	long long current; /* pids.current where max is */
	long long peak;	   /* pids.peak there; -1: the kernel has none */
	char at[4096];	   /* the path of the group that has the limit */
};

void cgroup_pids_limit(const char *path, struct pids_limit *limit);

#endif /* PINSTAT_CGROUP_H */
