#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int exec_fifo_signal(int fifo_fd, struct orch_error *err)
{
	char path[64];
	ssize_t n;
	int fd;

	/* Reopening the O_PATH fd reaches the host fifo though it is outside the new root. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fifo_fd);
	do
		fd = open(path, O_WRONLY | O_CLOEXEC); /* blocks until `orch start` opens it */
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return orch_fail(err, errno, "open exec fifo %s", path);
	do
		n = write(fd, "0", 1);
	while (n < 0 && errno == EINTR);
	if (n != 1) {
		orch_fail(err, n < 0 ? errno : EIO, "write to exec fifo");
		close(fd);
		return -1;
	}
	/* As runc: the O_PATH fd goes before execve, not left to close-on-exec. */
	if (close(fifo_fd) < 0)
		return orch_fail(err, errno, "close exec fifo O_PATH fd %d", fifo_fd);
	return 0;
}
