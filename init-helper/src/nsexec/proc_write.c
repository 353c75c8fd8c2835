#include "proc_write.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int proc_write(const char *path, const char *content, struct orch_error *err)
{
	size_t len = strlen(content);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return orch_fail(err, errno, "open %s", path);
	do
		n = write(fd, content, len);
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != len) {
		int saved = n < 0 ? errno : EIO;

		close(fd);
		return orch_fail(err, saved, "write \"%s\" to %s", content, path);
	}
	if (close(fd) < 0)
		return orch_fail(err, errno, "close %s", path);
	return 0;
}
