#include "stages.h"
#include "../network/unix_socket.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * --pidfd-socket (runc 1.2): the caller listens on a unix socket and receives a pidfd of the
 * container's process, named after the init type ("standard" or "setns") as runc names it.
 * runc's init opens its own pidfd from inside; stage-0 can do the same from the host once it
 * knows the process's pid, before the process is released, so the receiver has it first.
 */
int pidfd_socket_open(struct stage_context *ctx, struct orch_error *err)
{
	const char *path = cfg_string(ctx->cfg.root, "pidfdSocket");

	ctx->pidfd_socket = -1;
	if (path == NULL || path[0] == '\0')
		return 0;
	ctx->pidfd_socket = unix_dial(path, err);
	return ctx->pidfd_socket < 0 ? orch_wrap(err, "pidfd socket: ") : 0;
}

int pidfd_socket_send(struct stage_context *ctx, pid_t pid, struct orch_error *err)
{
	int pidfd, rc;

	if (ctx->pidfd_socket < 0)
		return 0;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return orch_fail(err, errno, "pidfd_open(%d) for the pidfd socket (needs Linux 5.3)",
				 (int)pid);
	rc = fd_send(ctx->pidfd_socket, ctx->cfg.type, pidfd, "the pidfd to the pidfd socket", err);
	close(pidfd);
	close(ctx->pidfd_socket);
	ctx->pidfd_socket = -1;
	return rc;
}
