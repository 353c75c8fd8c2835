#include "lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>
#include <linux/magic.h>

int proc_attr_write(const char *name, const char *value, struct orch_error *err)
{
	char path[128];
	struct statfs fs;
	size_t len = strlen(value);
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/thread-self/attr/%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return orch_fail(err, errno, "open %s", path);
	/* A container that put something else over /proc must not get the label written there. */
	if (fstatfs(fd, &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC) {
		int saved = errno;

		close(fd);
		return orch_fail(err, saved, "%s is not on procfs", path);
	}
	do
		n = write(fd, value, len);
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != len) {
		int saved = n < 0 ? errno : EIO;

		close(fd);
		return orch_fail(err, saved, "write \"%s\" to %s", value, path);
	}
	if (close(fd) < 0)
		return orch_fail(err, errno, "close %s", path);
	return 0;
}
