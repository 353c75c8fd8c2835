#ifndef ORCH_ENV_FD_H
#define ORCH_ENV_FD_H

/*
 * An fd the orchestrator passes by number in the environment variable `name` (shared/protocol.json
 * "env"): parsed (3 or above: 0-2 are the container's stdio), the variable removed so the container
 * never sees it, and made close-on-exec so nothing the helper runs inherits it.
 * Returns the fd, -2 when the variable is absent, -1 (with a message on the log) when unusable.
 */
int env_fd_take(const char *name);

#endif
