#include "seccomp_filter.h"
#include "../log/log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orch/protocol.h>

/* The one inherited agent socket of this process; forks (the stages) inherit the number. */
static int agent_fd = -1;

int seccomp_agent_fd_take(void)
{
	const char *value = getenv(ORCH_ENV_SECCOMP_AGENT_FD);
	char *end;
	long fd;

	if (value == NULL)
		return 0;
	errno = 0;
	fd = strtol(value, &end, 10);
	if (errno != 0 || *end != '\0' || end == value || fd < 3 || fd > INT_MAX) {
		orch_log(ORCH_LOG_ERROR, "%s=%s is not a valid fd", ORCH_ENV_SECCOMP_AGENT_FD, value);
		return -1;
	}
	if (unsetenv(ORCH_ENV_SECCOMP_AGENT_FD) < 0) {
		orch_log(ORCH_LOG_ERROR, "unsetenv %s: %s", ORCH_ENV_SECCOMP_AGENT_FD, strerror(errno));
		return -1;
	}
	/* Only the init uses it; newuidmap and the container process must not inherit it. */
	if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0) {
		orch_log(ORCH_LOG_ERROR, "seccomp agent fd %ld: %s", fd, strerror(errno));
		return -1;
	}
	agent_fd = (int)fd;
	return 0;
}

int seccomp_agent_fd(void)
{
	return agent_fd;
}
