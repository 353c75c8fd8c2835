#include "env_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../log/log.h"

int env_fd_take(const char *name)
{
	const char *value = getenv(name);
	char *end;
	long fd;

	if (value == NULL)
		return -2;
	errno = 0;
	fd = strtol(value, &end, 10);
	if (errno != 0 || *end != '\0' || end == value || fd < 3 || fd > INT_MAX) {
		orch_log(ORCH_LOG_ERROR, "%s=%s is not a valid fd", name, value);
		return -1;
	}
	if (unsetenv(name) < 0) {
		orch_log(ORCH_LOG_ERROR, "unsetenv %s: %s", name, strerror(errno));
		return -1;
	}
	if (fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0) {
		orch_log(ORCH_LOG_ERROR, "%s fd %ld: %s", name, fd, strerror(errno));
		return -1;
	}
	return (int)fd;
}
