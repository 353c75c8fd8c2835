#ifndef ORCH_STANDARD_INIT_H
#define ORCH_STANDARD_INIT_H

#include <stdbool.h>

#include "../config/init_config.h"

/* What the init needs besides the config: fds inherited from stage-0 and user-ns facts. */
struct init_context {
	int sync_fd;		/* orchestrator socket, owned by the init once released */
	int fifo_fd;		/* O_PATH fd of the exec fifo */
	bool setgroups_allowed;	/* false when stage-0 wrote "deny" to /proc/PID/setgroups */
	bool rootless_euid;	/* the orchestrator has no root on the host */
};

/*
 * Stage-2, the container init (shared/init-config.md): session, root in the user ns, loopback,
 * hostname, rootfs, procReady/procRun, then the process setup, the exec fifo and execve.
 * Returns -1 with err set on failures while the sync socket is still open (the caller reports
 * them as procError). Once the socket is closed it never returns: failures go to stderr and the
 * process exits 127 (command not found) or 126 (could not execute) or 1.
 */
int standard_init(const struct init_config *cfg, const struct init_context *ic,
		  struct orch_error *err);

#endif
