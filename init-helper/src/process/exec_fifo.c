#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../sync/fd_io.h"

int exec_fifo_open(int fifo_fd, struct orch_error *err)
{
	char path[64];
	int fd;

	/* Reopening the O_PATH fd reaches the host fifo though it is outside the new root. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fifo_fd);
	do
		fd = open(path, O_WRONLY | O_CLOEXEC); /* blocks until `orch start` opens it */
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return orch_fail(err, errno, "open exec fifo %s", path);
	return fd;
}

int exec_fifo_release(int fd, int fifo_fd, struct orch_error *err)
{
	ssize_t n;

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

void exec_fifo_refuse(int fd, const char *message)
{
	/* Whatever is not "0" is the reason `start` prints; an empty one would read as no word. */
	if (message[0] == '\0' || message[0] == '0' ||
	    fd_write_all(fd, message, strlen(message)) < 0)
		fd_write_all(fd, "start failed", strlen("start failed"));
	close(fd);
}
