#include "seccomp_filter.h"
#include "../log/log.h"

#include <orch/protocol.h>

#include "../sync/env_fd.h"

/* The one inherited agent socket of this process; forks (the stages) inherit the number. */
static int agent_fd = -1;

int seccomp_agent_fd_take(void)
{
	int fd = env_fd_take(ORCH_ENV_SECCOMP_AGENT_FD);

	if (fd == -1)
		return -1;
	/* Only the init uses it; newuidmap and the container process must not inherit it. */
	agent_fd = fd < 0 ? -1 : fd;
	return 0;
}

int seccomp_agent_fd(void)
{
	return agent_fd;
}
