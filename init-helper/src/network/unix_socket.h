#ifndef ORCH_NETWORK_UNIX_SOCKET_H
#define ORCH_NETWORK_UNIX_SOCKET_H

#include "../error/error.h"

/*
 * unix_dial.c: one SOCK_STREAM connection to a unix socket path, as Go's net.Dial("unix", path)
 * (what runc's clients listen for); errors in Go's words. Returns the fd (close-on-exec) or -1.
 */
int unix_dial(const char *path, struct orch_error *err);

/*
 * fd_send.c: one sendmsg with `name` as payload and fd in SCM_RIGHTS (runc's SendRawFd), as
 * console sockets and pidfd sockets take it. `what` names the fd in errors.
 */
int fd_send(int socket, const char *name, int fd, const char *what, struct orch_error *err);

#endif
