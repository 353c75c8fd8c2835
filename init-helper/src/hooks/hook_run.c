/*
 * One hook as runc's Command.Run runs it: path, args (argv, [path] when absent), env, the state on
 * stdin, stdout and stderr kept for the error message, killed after `timeout` seconds.
 */
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../sync/fd_io.h"

extern char **environ;

/* How much of a failed hook's stdout and stderr goes into the one-line error. */
#define OUTPUT_SHOWN 200
/* The largest timeout, in seconds (the orchestrator's schema has the same bound): its
 * milliseconds fit an int64 with room to add the start time. */
#define TIMEOUT_MAX INT32_MAX

struct hook {
	const char *path;
	char **argv;
	char **envp; /* NULL: the default */
	long long timeout; /* seconds, 0: none */
};

static void hook_free(struct hook *h)
{
	free(h->argv);
	free(h->envp);
}

/* A NULL-terminated copy of a JSON string array (the strings stay the config's). */
static int string_array(json_object *list, const char *what, char ***out, struct orch_error *err)
{
	size_t n;
	char **v;

	*out = NULL;
	if (list == NULL)
		return 0;
	if (!json_object_is_type(list, json_type_array))
		return orch_fail(err, 0, "%s must be an array", what);
	n = json_object_array_length(list);
	v = calloc(n + 1, sizeof(*v));
	if (v == NULL)
		return orch_fail(err, ENOMEM, "%s", what);
	for (size_t i = 0; i < n; i++) {
		json_object *item = json_object_array_get_idx(list, i);

		if (!json_object_is_type(item, json_type_string)) {
			free(v);
			return orch_fail(err, 0, "%s[%zu] must be a string", what, i);
		}
		v[i] = (char *)json_object_get_string(item);
	}
	*out = v;
	return 0;
}

static int hook_parse(json_object *entry, struct hook *h, struct orch_error *err)
{
	memset(h, 0, sizeof(*h));
	h->path = cfg_string(entry, "path");
	if (h->path == NULL || h->path[0] != '/')
		return orch_fail(err, 0, "path must be an absolute path");
	if (string_array(cfg_get(entry, "args"), "args", &h->argv, err) < 0 ||
	    string_array(cfg_get(entry, "env"), "env", &h->envp, err) < 0) {
		hook_free(h);
		return -1;
	}
	/* Go's exec.Cmd runs {path} when args is empty. */
	if (h->argv == NULL || h->argv[0] == NULL) {
		free(h->argv);
		h->argv = calloc(2, sizeof(*h->argv));
		if (h->argv == NULL) {
			hook_free(h);
			return orch_fail(err, ENOMEM, "args");
		}
		h->argv[0] = (char *)h->path;
	}
	h->timeout = cfg_int(entry, "timeout", 0);
	if (cfg_get(entry, "timeout") != NULL && (h->timeout <= 0 || h->timeout > TIMEOUT_MAX)) {
		hook_free(h);
		return orch_fail(err, 0, "timeout must be between 1 and %d seconds", TIMEOUT_MAX);
	}
	return 0;
}

/* An anonymous file: the state to read on stdin, or what the hook writes. */
static int memfile(const char *name, const char *content, struct orch_error *err)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		return orch_fail(err, errno, "memfd_create %s", name);
	if (content != NULL &&
	    (fd_write_all(fd, content, strlen(content)) < 0 || lseek(fd, 0, SEEK_SET) < 0)) {
		orch_fail(err, errno, "write the hook state");
		close(fd);
		return -1;
	}
	return fd;
}

/* The child: stdio in place, nothing else open, exec; errno goes back through `report`. */
__attribute__((noreturn)) static void child(const struct hook *h, char *const default_env[],
					    const int stdio[3], int report)
{
	int moved[3], saved;

	/* With a closed stdio fd a memfd may have got its number: move them all out of the way. */
	for (int i = 0; i < 3; i++)
		if ((moved[i] = fcntl(stdio[i], F_DUPFD_CLOEXEC, 3)) < 0)
			goto fail;
	for (int fd = 0; fd < 3; fd++)
		if (dup2(moved[fd], fd) < 0)
			goto fail;
	/* The init's other fds (preserved ones included) are not the hook's business. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		goto fail;
	execve(h->path, h->argv, h->envp ? h->envp : default_env ? default_env : environ);
fail:
	saved = errno;
	fd_write_all(report, &saved, sizeof(saved));
	_exit(127);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for pid until deadline_ms on CLOCK_MONOTONIC (-1: forever); 1 if it exited, 0 at the
 * deadline. */
static int wait_exit(pid_t pid, int64_t deadline_ms, int *status, struct orch_error *err)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	pid_t w;

	if (deadline_ms >= 0 && pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		int r = 0;

		/* poll takes an int of milliseconds: a long timeout is waited for in steps. */
		for (int64_t left; r == 0 && (left = deadline_ms - now_ms()) > 0;) {
			r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
			if (r < 0 && errno == EINTR)
				r = 0;
			else if (r < 0)
				break;
		}
		int e = errno;
		close(pidfd);
		if (r < 0)
			return orch_fail(err, e, "poll the hook's pidfd");
		if (r == 0)
			return 0;
	} else if (deadline_ms >= 0) {
		/* No pidfd (kernel < 5.3): look every 10 ms. */
		struct timespec tick = { 0, 10 * 1000 * 1000 };

		while (now_ms() < deadline_ms) {
			w = waitpid(pid, status, WNOHANG);
			if (w == pid)
				return 1;
			if (w < 0 && errno != EINTR)
				return orch_fail(err, errno, "wait for the hook");
			nanosleep(&tick, NULL);
		}
		return 0;
	} else if (pidfd >= 0) {
		close(pidfd);
	}
	do
		w = waitpid(pid, status, 0);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return orch_fail(err, errno, "wait for the hook");
	return 1;
}

/* Up to OUTPUT_SHOWN bytes of a captured stream, on one line, without trailing blanks. */
static void captured(int fd, char *buf, size_t size)
{
	ssize_t n = pread(fd, buf, size - 1, 0);

	if (n < 0)
		n = 0;
	while (n > 0 && (unsigned char)buf[n - 1] <= ' ')
		n--;
	buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < ' ')
			buf[i] = ' ';
}

static int failed(struct orch_error *err, const char *why, int out, int errfd)
{
	char o[OUTPUT_SHOWN + 1], e[OUTPUT_SHOWN + 1];

	captured(out, o, sizeof(o));
	captured(errfd, e, sizeof(e));
	return orch_fail(err, 0, "%s, stdout: %s, stderr: %s", why, o, e);
}

static int run_one(const struct hook *h, const char *state, char *const default_env[],
		   struct orch_error *err)
{
	int stdio[3] = { -1, -1, -1 }, report[2] = { -1, -1 };
	int status = 0, exec_errno = 0, rc = -1, r;
	char why[128];
	pid_t pid;

	if ((stdio[0] = memfile("hook-state", state, err)) < 0 ||
	    (stdio[1] = memfile("hook-stdout", NULL, err)) < 0 ||
	    (stdio[2] = memfile("hook-stderr", NULL, err)) < 0)
		goto out;
	if (pipe2(report, O_CLOEXEC) < 0) {
		orch_fail(err, errno, "pipe");
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		orch_fail(err, errno, "fork");
		goto out;
	}
	if (pid == 0)
		child(h, default_env, stdio, report[1]);
	close(report[1]);
	report[1] = -1;
	/* Closed by a successful execve: nothing to read. */
	if (fd_read_full(report[0], &exec_errno, sizeof(exec_errno)) == (ssize_t)sizeof(exec_errno)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		orch_fail(err, exec_errno, "fork/exec %s", h->path);
		goto out;
	}
	r = wait_exit(pid, h->timeout > 0 ? now_ms() + h->timeout * 1000 : -1, &status, err);
	if (r < 0) {
		kill(pid, SIGKILL);
		goto out;
	}
	if (r == 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		orch_fail(err, 0, "hook ran past specified timeout of %.1fs", (double)h->timeout);
		goto out;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		rc = 0;
		goto out;
	}
	/* Go's ExitError words. */
	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "signal: %s", strsignal(WTERMSIG(status)));
	else
		snprintf(why, sizeof(why), "exit status %d", WEXITSTATUS(status));
	failed(err, why, stdio[1], stdio[2]);
out:
	for (int i = 0; i < 3; i++)
		if (stdio[i] >= 0)
			close(stdio[i]);
	for (int i = 0; i < 2; i++)
		if (report[i] >= 0)
			close(report[i]);
	return rc;
}

int hooks_run(json_object *spec, const char *name, const char *state, char *const default_env[],
	      struct orch_error *err)
{
	json_object *list = cfg_get(cfg_get(spec, "hooks"), name);
	size_t n;

	if (list == NULL || !json_object_is_type(list, json_type_array))
		return 0;
	n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		struct hook h;
		int rc;

		if (hook_parse(json_object_array_get_idx(list, i), &h, err) < 0)
			return orch_wrap(err, "hooks.%s[%zu]: ", name, i);
		rc = run_one(&h, state, default_env, err);
		hook_free(&h);
		if (rc < 0)
			return orch_wrap(err, "%s: error running hook #%zu: ", name, i);
	}
	return 0;
}
