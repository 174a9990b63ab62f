// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers for the pinstat selftests.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "pinstat_lib.h"

static void die(const char *what)
{
	perror(what);
	exit(99);
}

/*
 * Load pinstat.ko ($PINSTAT_KO) with @params, plus $PINSTAT_PARAMS: a whole
 * run can then use other hooks (created_hook=..., exited_hook=...).
 */
int module_load(const char *params)
{
	const char *ko = getenv("PINSTAT_KO") ?: "./pinstat.ko";
	const char *extra = getenv("PINSTAT_PARAMS") ?: "";
	char all[512];
	int fd, err = 0;

	snprintf(all, sizeof(all), "%s %s", params ?: "", extra);
	fd = open(ko, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (syscall(SYS_finit_module, fd, all, 0))
		err = -errno;
	close(fd);
	return err;
}

/* Like rmmod; while a reader holds a file open, try again for a while. */
int module_unload(void)
{
	int tries;

	for (tries = 0; tries < 500; tries++) {
		if (!syscall(SYS_delete_module, "pinstat", O_NONBLOCK))
			return 0;
		if (errno != EAGAIN)
			return -errno;
		sleep_ms(10);
	}
	return -EAGAIN;
}

bool module_loaded(void)
{
	return path_exists("/sys/module/pinstat");
}

int module_reload(const char *params)
{
	if (module_loaded() && module_unload())
		return -errno;
	return module_load(params);
}

bool path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

bool file_has_prefix(const char *path, const char *prefix)
{
	FILE *f = fopen(path, "re");
	char line[512];
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, prefix, strlen(prefix));
	fclose(f);
	return found;
}

const char *slab_line(const char *prefix)
{
	static char line[512];
	FILE *f = fopen("/proc/slabinfo", "re");
	bool found = false;

	line[0] = '\0';
	while (f && !found && fgets(line, sizeof(line), f))
		found = !strncmp(line, prefix, strlen(prefix));
	if (f)
		fclose(f);
	if (!found)
		line[0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	return line;
}

int sysfs_str(const char *name, char *buf, size_t size)
{
	char path[256];
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), PINSTAT_SYSFS "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	if (len < 0)
		len = -errno;
	close(fd);
	if (len < 0)
		return len;
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

long long sysfs_num(const char *name)
{
	char buf[64], *end;
	long long v;

	if (sysfs_str(name, buf, sizeof(buf)))
		return -1;
	v = strtoll(buf, &end, 10);
	return *end || end == buf ? -1 : v;
}

int write_path(const char *path, const char *value)
{
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, strlen(value)) < 0)
		err = -errno;
	close(fd);
	return err;
}

int sysfs_write(const char *name, const char *value)
{
	char path[256];

	snprintf(path, sizeof(path), PINSTAT_SYSFS "/%s", name);
	return write_path(path, value);
}

/*
 * Columns of the table's header; in a row, lifetime_hist spans
 * HIST_BUCKETS columns, and those after it come after its span.
 */
static char header[1024];
static char *header_col[48];
static int header_ncols;

static int split(char *line, char **cols, int max)
{
	int n = 0;
	char *tok, *save;

	line[strcspn(line, "\n")] = '\0';
	for (tok = strtok_r(line, " ", &save); tok && n < max;
	     tok = strtok_r(NULL, " ", &save))
		cols[n++] = tok;
	return n;
}

static int column(const char *name)
{
	int i;

	for (i = 0; i < header_ncols; i++)
		if (!strcmp(header_col[i], name))
			return i;
	fprintf(stderr, "no column %s in the processes table\n", name);
	exit(99);
}

int ps_rows(pid_t pid, const char *state, struct ps_row *rows, int max)
{
	FILE *f = fopen(PINSTAT_DEBUGFS "/processes", "re");
	struct ps_row row;
	int n = 0;

	if (!f)
		die("open processes");
	if (!fgets(header, sizeof(header), f))
		die("read processes header");
	header_ncols = split(header, header_col, 48);
	while (fgets(row.line, sizeof(row.line), f)) {
		row.ncols = split(row.line, row.col, 48);
		if (row.ncols != header_ncols + HIST_BUCKETS - 1) {
			fprintf(stderr, "malformed row with %d columns\n",
				row.ncols);
			exit(99);
		}
		if (pid && atoi(row.col[column("pid")]) != pid)
			continue;
		if (state && strcmp(row.col[column("state")], state))
			continue;
		if (n < max) {
			/* columns point into the line: rebase them */
			rows[n] = row;
			for (int i = 0; i < row.ncols; i++)
				rows[n].col[i] = rows[n].line +
						 (row.col[i] - row.line);
		}
		n++;
	}
	fclose(f);
	return n;
}

int ps_row(pid_t pid, const char *state, struct ps_row *row)
{
	return ps_rows(pid, state, row, 1) == 1 ? 0 : -1;
}

const char *row_str(const struct ps_row *row, const char *name)
{
	int i = column(name);

	if (i > column("lifetime_hist"))
		i += HIST_BUCKETS - 1;
	return row->col[i];
}

long long row_num(const struct ps_row *row, const char *name)
{
	return strtoll(row_str(row, name), NULL, 10);
}

void row_hist(const struct ps_row *row, long long hist[HIST_BUCKETS])
{
	int first = column("lifetime_hist");

	for (int i = 0; i < HIST_BUCKETS; i++)
		hist[i] = strtoll(row->col[first + i], NULL, 10);
}

static pthread_mutex_t crew_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t crew_cond = PTHREAD_COND_INITIALIZER;

struct crew_member {
	struct crew *crew;
	int index;
};

static void *crew_main(void *arg)
{
	struct crew_member *m = arg;
	struct crew *crew = m->crew;
	int i = m->index;

	free(m);
	pthread_mutex_lock(&crew_lock);
	crew->tids[i] = gettid();
	crew->started++;
	pthread_cond_broadcast(&crew_cond);
	while (!crew->release[i])
		pthread_cond_wait(&crew_cond, &crew_lock);
	pthread_mutex_unlock(&crew_lock);
	return NULL;
}

/* Start @n threads and return once all of them run. */
void crew_start(struct crew *crew, int n)
{
	crew->n = n;
	crew->started = 0;
	crew->threads = calloc(n, sizeof(*crew->threads));
	crew->tids = calloc(n, sizeof(*crew->tids));
	crew->release = calloc(n, sizeof(*crew->release));
	if (!crew->threads || !crew->tids || !crew->release)
		die("calloc");
	for (int i = 0; i < n; i++) {
		struct crew_member *m = malloc(sizeof(*m));

		if (!m)
			die("malloc");
		m->crew = crew;
		m->index = i;
		errno = pthread_create(&crew->threads[i], NULL, crew_main, m);
		if (errno)
			die("pthread_create");
	}
	pthread_mutex_lock(&crew_lock);
	while (crew->started < n)
		pthread_cond_wait(&crew_cond, &crew_lock);
	pthread_mutex_unlock(&crew_lock);
}

void crew_release(struct crew *crew, int from, int to)
{
	pthread_mutex_lock(&crew_lock);
	for (int i = from; i < to; i++)
		crew->release[i] = true;
	pthread_cond_broadcast(&crew_cond);
	pthread_mutex_unlock(&crew_lock);
	for (int i = from; i < to; i++) {
		pthread_join(crew->threads[i], NULL);
		wait_gone(crew->tids[i]);
	}
}

/*
 * A joined thread can still be on its way out of the kernel: pthread_join()
 * returns when the thread's memory is released, and the kernel reports the
 * exit (sched_process_exit) a moment later. Its /proc entry goes after it.
 */
void wait_gone(pid_t tid)
{
	char path[64];
	int tries;

	snprintf(path, sizeof(path), "/proc/self/task/%d", tid);
	for (tries = 0; path_exists(path); tries++) {
		if (tries == 10000)
			die("a joined thread does not go away");
		sleep_ms(1);
	}
}

/* In a child: the pipe ends it talks to its parent with. */
static int parent_in = -1, parent_out = -1;

void child_start(struct child *c, void (*fn)(void *arg), void *arg)
{
	int down[2], up[2];

	if (pipe2(down, O_CLOEXEC) || pipe2(up, O_CLOEXEC))
		die("pipe");
	c->pid = fork();
	if (c->pid < 0)
		die("fork");
	if (c->pid == 0) {
		close(down[1]);
		close(up[0]);
		parent_in = down[0];
		parent_out = up[1];
		fn(arg);
		exit(0);
	}
	close(down[0]);
	close(up[1]);
	c->to_child = down[1];
	c->from_child = up[0];
}

void child_send(struct child *c)
{
	if (write(c->to_child, "g", 1) != 1)
		die("write to child");
}

void child_expect(struct child *c)
{
	char b;

	if (read(c->from_child, &b, 1) != 1) {
		fprintf(stderr, "child %d ended early\n", c->pid);
		exit(99);
	}
}

int child_reap(struct child *c)
{
	int status;

	close(c->to_child);
	close(c->from_child);
	if (waitpid(c->pid, &status, 0) != c->pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void child_tell_parent(void)
{
	if (write(parent_out, "r", 1) != 1)
		exit(98);
}

void child_wait_parent(void)
{
	char b;

	if (read(parent_in, &b, 1) != 1)
		exit(98);
}

void child_ask_then_wait(void *arg)
{
	if (set_affinity(0, 0, -1))
		exit(10);
	child_tell_parent();
	child_wait_parent();
}

/* The exec helper finds its pipe ends at fixed descriptors. */
#define HELPER_IN	3
#define HELPER_OUT	4

void child_exec_helper(const char *name)
{
	int in, out;
	char path[64];

	snprintf(path, sizeof(path), "/tmp/%s", name);
	if (symlink("/proc/self/exe", path) && errno != EEXIST)
		die("symlink");
	/* out of the way first: the pipe ends may be 3 or 4 themselves */
	in = fcntl(parent_in, F_DUPFD, 10);
	out = fcntl(parent_out, F_DUPFD, 10);
	if (in < 0 || out < 0 || dup2(in, HELPER_IN) < 0 ||
	    dup2(out, HELPER_OUT) < 0)
		die("dup2");
	execl(path, name, "--exec-helper", (char *)NULL);
	die("execl");
}

int exec_helper_main(void)
{
	parent_in = HELPER_IN;
	parent_out = HELPER_OUT;
	child_tell_parent();
	child_wait_parent();
	return 0;
}

int set_affinity(pid_t tid, int a, int b)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	if (a >= 0)
		CPU_SET(a, &set);
	if (b >= 0)
		CPU_SET(b, &set);
	return sched_setaffinity(tid, sizeof(set), &set) ? -errno : 0;
}

int set_last_pid(pid_t pid)
{
	FILE *f = fopen("/proc/sys/kernel/ns_last_pid", "we");
	int err;

	if (!f)
		return -1;
	err = fprintf(f, "%d", pid) < 0;
	return fclose(f) || err ? -1 : 0;
}

unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}
