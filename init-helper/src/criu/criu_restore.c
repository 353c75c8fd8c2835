#include "criu_restore.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <orch/protocol.h>

#include "../nsexec/stages.h"
#include "../sync/fd_io.h"
#include "../sync/sync.h"

struct restore_args {
	bool foreground;
	char *root_src, *root_dst;
	const char *pid_file;
	char **criu; /* argv of criu, NULL-terminated */
};

static int parse(int argc, char **argv, struct restore_args *a, struct orch_error *err)
{
	memset(a, 0, sizeof(*a));
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--foreground") == 0) {
			a->foreground = true;
		} else if (strcmp(argv[i], "--root-bind") == 0 && i + 1 < argc) {
			char *colon = strchr(argv[++i], ':');

			if (colon == NULL)
				return orch_fail(err, 0, "--root-bind %s: expected SRC:DST", argv[i]);
			*colon = '\0';
			a->root_src = argv[i];
			a->root_dst = colon + 1;
		} else if (strcmp(argv[i], "--pid-file") == 0 && i + 1 < argc) {
			a->pid_file = argv[++i];
		} else if (strcmp(argv[i], "--") == 0 && i + 1 < argc) {
			a->criu = &argv[i + 1];
			break;
		} else {
			return orch_fail(err, 0, "criu-restore: unexpected argument %s", argv[i]);
		}
	}
	if (a->root_src == NULL || a->pid_file == NULL || a->criu == NULL)
		return orch_fail(err, 0, "criu-restore: --root-bind, --pid-file and -- criu … are required");
	return 0;
}

/* The bind lives in our own mount namespace: nothing to undo on the host, whatever happens. */
static int bind_root(const struct restore_args *a, struct orch_error *err)
{
	if (unshare(CLONE_NEWNS) < 0)
		return orch_fail(err, errno, "unshare the mount namespace");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return orch_fail(err, errno, "make / private");
	if (mount(a->root_src, a->root_dst, NULL, MS_BIND | MS_REC, NULL) < 0)
		return orch_fail(err, errno, "bind-mount the rootfs %s onto %s", a->root_src,
				 a->root_dst);
	return 0;
}

static int run_criu(const struct restore_args *a, struct orch_error *err)
{
	int status;
	pid_t pid = fork(), w;

	if (pid < 0)
		return orch_fail(err, errno, "fork criu");
	if (pid == 0) {
		execvp(a->criu[0], a->criu);
		fprintf(stderr, "orch-init: exec %s: %s\n", a->criu[0], strerror(errno));
		_exit(127);
	}
	do
		w = waitpid(pid, &status, 0);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return orch_fail(err, errno, "wait for criu");
	if (WIFSIGNALED(status))
		return orch_fail(err, 0, "criu restore killed by signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		return orch_fail(err, 0, "criu restore failed: exit status %d", WEXITSTATUS(status));
	return 0;
}

static pid_t read_pid(const char *path, struct orch_error *err)
{
	char buf[32] = { 0 };
	ssize_t n;
	long pid;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return orch_fail(err, errno, "open criu's pid file %s", path);
	n = fd_read_full(fd, buf, sizeof(buf) - 1);
	close(fd);
	pid = n > 0 ? strtol(buf, NULL, 10) : 0;
	if (pid <= 0)
		return orch_fail(err, 0, "criu's pid file %s holds no pid", path);
	return (pid_t)pid;
}

static int send_pid(int sync_fd, pid_t pid, struct orch_error *err)
{
	json_object *msg = json_object_new_object();
	int rc;

	if (msg == NULL)
		return orch_fail(err, ENOMEM, "encode procPids");
	json_object_object_add(msg, "type", json_object_new_string(ORCH_SYNC_PROC_PIDS));
	json_object_object_add(msg, "pid", json_object_new_int(pid));
	rc = sync_write(sync_fd, msg, err);
	json_object_put(msg);
	return rc;
}

int criu_restore_main(int sync_fd, int argc, char **argv)
{
	struct restore_args a;
	struct orch_error err;
	pid_t pid;

	/* An inherited SIG_IGN would make the kernel reap the restored init before we see it. */
	if (signal(SIGCHLD, SIG_DFL) == SIG_ERR) {
		orch_fail(&err, errno, "reset SIGCHLD");
		goto fail;
	}
	if (parse(argc, argv, &a, &err) < 0 ||
	    sync_wait_for(sync_fd, ORCH_SYNC_PROC_RUN, NULL, &err) < 0)
		goto fail;
	if (a.foreground) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
			orch_fail(&err, errno, "prctl(PR_SET_CHILD_SUBREAPER)");
			goto fail;
		}
		/* As stage-0 of `run`: a terminal's ^C reaches only the orchestrator, which forwards. */
		if (setpgid(0, 0) < 0) {
			orch_fail(&err, errno, "setpgid");
			goto fail;
		}
	}
	if (bind_root(&a, &err) < 0 || run_criu(&a, &err) < 0)
		goto fail;
	pid = read_pid(a.pid_file, &err);
	if (pid < 0 || send_pid(sync_fd, pid, &err) < 0)
		goto fail;
	close(sync_fd);
	if (!a.foreground)
		return 0;
	/* The restored process's fds are its own: holding ours would delay their readers' EOF. */
	if (close_range(3, ~0U, 0) < 0)
		fprintf(stderr, "orch-init: close_range: %s\n", strerror(errno));
	return end_as(reap_until_init_exits(pid));
fail:
	sync_send_error(sync_fd, err.msg);
	return 1;
}
