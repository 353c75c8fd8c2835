#include "stages.h"
#include "../log/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

int reap_until_init_exits(pid_t init)
{
	int status;

	for (;;) {
		pid_t w = waitpid(-1, &status, 0);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			/* The socket is closed by now: stderr is the only place left to say it. */
			orch_log(ORCH_LOG_ERROR, "wait for the init (pid %d): %s", (int)init, strerror(errno));
			return 1;
		}
		/* Orphans re-parented to us (subreaper) are reaped and forgotten. */
		if (w != init)
			continue;
		if (WIFSIGNALED(status))
			return 128 + WTERMSIG(status);
		return WEXITSTATUS(status);
	}
}
