#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "devices.h"

static bool is_dev_null(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

int dev_null_reopen(struct orch_error *err)
{
	struct stat st;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null < 0)
		return orch_fail(err, errno, "open /dev/null in the container");
	if (fstat(null, &st) < 0) {
		int e = errno;
		close(null);
		return orch_fail(err, e, "stat /dev/null in the container");
	}
	if (!is_dev_null(&st)) {
		close(null);
		return orch_fail(err, 0, "the container's /dev/null is not the 1:3 character device");
	}
	/* A stdio fd on the host's /dev/null would keep a reference to the host's /dev. */
	for (int fd = 0; fd < 3; fd++) {
		if (fstat(fd, &st) < 0) {
			if (errno == EBADF)
				continue;	/* a closed stdio fd stays closed */
			int e = errno;
			close(null);
			return orch_fail(err, e, "fstat fd %d", fd);
		}
		if (is_dev_null(&st) && dup3(null, fd, 0) < 0) {
			int e = errno;
			close(null);
			return orch_fail(err, e, "dup3 /dev/null onto fd %d", fd);
		}
	}
	close(null);
	return 0;
}
