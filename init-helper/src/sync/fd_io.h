#ifndef ORCH_FD_IO_H
#define ORCH_FD_IO_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Exact-length I/O that retries on EINTR and short transfers.
 * fd_read_full returns the bytes read (less than len only at end-of-file) or -1 with errno set.
 * fd_write_all returns 0 or -1 with errno set; on sockets it uses MSG_NOSIGNAL so a peer that
 * went away is an EPIPE error, not a SIGPIPE that kills the helper before it can report.
 */
ssize_t fd_read_full(int fd, void *buf, size_t len);
int fd_write_all(int fd, const void *buf, size_t len);

#endif
