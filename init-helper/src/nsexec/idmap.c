#include "idmap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc_write.h"
#include "../log/log.h"

static int write_proc_file(pid_t pid, const char *name, const char *content,
			   struct orch_error *err)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	return proc_write(path, content, err);
}

#define MAP_TOOL_MAX_ARGS 1024

/* newuidmap PID inside outside count [...]: the map's lines, split on whitespace. */
static int run_map_tool(const char *tool, pid_t pid, const char *map, struct orch_error *err)
{
	char *argv[MAP_TOOL_MAX_ARGS + 3];
	char pidstr[16];
	char *copy, *save = NULL, *tok;
	int argc = 0, status;
	pid_t child, w;

	copy = strdup(map);
	if (copy == NULL)
		return orch_fail(err, ENOMEM, "run %s", tool);
	snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
	argv[argc++] = (char *)tool;
	argv[argc++] = pidstr;
	for (tok = strtok_r(copy, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (argc >= MAP_TOOL_MAX_ARGS + 2) {
			free(copy);
			return orch_fail(err, 0, "run %s: map has too many fields", tool);
		}
		argv[argc++] = tok;
	}
	argv[argc] = NULL;

	child = fork();
	if (child < 0) {
		int saved = errno;

		free(copy);
		return orch_fail(err, saved, "fork for %s", tool);
	}
	if (child == 0) {
		/* stdout belongs to the container; the tool's chatter goes to stderr. */
		if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
			orch_log(ORCH_LOG_ERROR, "%s: dup2 stderr: %s", tool, strerror(errno));
			_exit(127);
		}
		execv(tool, argv);
		orch_log(ORCH_LOG_ERROR, "exec %s: %s", tool, strerror(errno));
		_exit(127);
	}
	free(copy);
	do
		w = waitpid(child, &status, 0);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return orch_fail(err, errno, "wait for %s", tool);
	if (WIFSIGNALED(status))
		return orch_fail(err, 0, "%s %d: killed by signal %d", tool, (int)pid,
				 WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		return orch_fail(err, 0, "%s %d: exit status %d", tool, (int)pid,
				 WEXITSTATUS(status));
	return 0;
}

/* One try at writing the map ourselves: 0, or the errno that refused it. */
static int direct_write(pid_t pid, const char *file, const char *map)
{
	char path[64];
	size_t len = strlen(map);
	ssize_t n;
	int fd, e = 0;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	do
		n = write(fd, map, len);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		e = errno;
	else if ((size_t)n != len)
		e = EIO;
	close(fd);
	return e;
}

static int write_map(pid_t pid, const char *file, const char *map, const char *tool,
		     struct orch_error *err)
{
	if (map == NULL || map[0] == '\0')
		return 0;
	/* As runc: the setuid tool only when the kernel refuses an unprivileged writer. */
	if (tool != NULL && tool[0] != '\0') {
		int e = direct_write(pid, file, map);

		if (e == 0)
			return 0;
		if (e == EPERM)
			return run_map_tool(tool, pid, map, err);
	}
	return write_proc_file(pid, file, map, err);
}

int idmap_write(pid_t pid, const struct bootstrap *b, struct orch_error *err)
{
	/* setgroups must be denied before gid_map is written, or the kernel refuses the change. */
	if (!bootstrap_setgroups_allowed(b) && write_proc_file(pid, "setgroups", "deny", err) < 0)
		return -1;
	if (write_map(pid, "uid_map", b->uid_map, b->uid_map_path, err) < 0)
		return -1;
	return write_map(pid, "gid_map", b->gid_map, b->gid_map_path, err);
}
