#include "cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../error/error.h"

/* 0, or the errno of the failed write(2) */
static int write_line(const char *line)
{
	size_t len = strlen(line), done = 0;

	while (done < len) {
		ssize_t n = write(STDOUT_FILENO, line + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		done += (size_t)n;
	}
	return 0;
}

/*
 * v1 OOM notifications (runc's notifyOnOOM): an eventfd registered on memory.oom_control through
 * cgroup.event_control; the kernel signals it on every OOM in the cgroup, and once more when the
 * cgroup is removed, which is when this exits.
 */
static int run(const char *dir, struct orch_error *err)
{
	char oom_path[PATH_MAX], control_path[PATH_MAX], registration[64];
	int efd, ofd, cfd, werr;
	ssize_t n;

	if (snprintf(oom_path, sizeof(oom_path), "%s/memory.oom_control", dir) >= (int)sizeof(oom_path) ||
	    snprintf(control_path, sizeof(control_path), "%s/cgroup.event_control", dir) >= (int)sizeof(control_path))
		return orch_fail(err, ENAMETOOLONG, "%s", dir);
	/* the orchestrator reads our lines: without it there is no one to tell */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		return orch_fail(err, errno, "prctl(PR_SET_PDEATHSIG)");
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR)
		return orch_fail(err, errno, "signal(SIGPIPE)");
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		return orch_fail(err, errno, "eventfd");
	ofd = open(oom_path, O_RDONLY | O_CLOEXEC);
	if (ofd < 0)
		return orch_fail(err, errno, "open %s", oom_path);
	cfd = open(control_path, O_WRONLY | O_CLOEXEC);
	if (cfd < 0)
		return orch_fail(err, errno, "open %s", control_path);
	snprintf(registration, sizeof(registration), "%d %d", efd, ofd);
	n = write(cfd, registration, strlen(registration));
	if (n < 0)
		return orch_fail(err, errno, "write %s", control_path);
	if (close(cfd) < 0)
		return orch_fail(err, errno, "close %s", control_path);
	werr = write_line("ready\n");
	if (werr != 0)
		return orch_fail(err, werr, "write stdout");
	for (;;) {
		uint64_t events;

		n = read(efd, &events, sizeof(events));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return orch_fail(err, errno, "read eventfd");
		if (n != (ssize_t)sizeof(events))
			return orch_fail(err, 0, "read eventfd: short read");
		/* the last signal comes from the cgroup's removal */
		if (access(control_path, F_OK) < 0) {
			if (errno == ENOENT)
				return 0;
			return orch_fail(err, errno, "access %s", control_path);
		}
		/* EPIPE: the reader is gone, and so is the need to watch */
		werr = write_line("oom\n");
		if (werr == EPIPE)
			return 0;
		if (werr != 0)
			return orch_fail(err, werr, "write stdout");
	}
}

int cgroup_oom_main(int argc, char **argv)
{
	struct orch_error err = { .msg = "" };

	if (argc != 3 || argv[2][0] != '/') {
		fprintf(stderr, "usage: orch-init cgroup-oom <absolute cgroup v1 memory dir>\n");
		return 2;
	}
	if (run(argv[2], &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	return 0;
}
