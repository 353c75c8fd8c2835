#include "stages.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

/*
 * The fifo is opened O_PATH now, while its host path is reachable; the init reopens it for
 * writing through /proc/self/fd after pivot_root. O_CLOEXEC only matters at execve: the fd is
 * inherited through fork and clone all the same.
 */
int exec_fifo_create(const char *path, int *fd, struct orch_error *err)
{
	mode_t old = umask(0); /* 0622 exactly: root in a user ns is "other" to the host file */
	int rc = mkfifo(path, 0622);
	int saved = errno;

	umask(old);
	if (rc < 0)
		return orch_fail(err, saved, "mkfifo %s", path);
	*fd = open(path, O_PATH | O_CLOEXEC);
	if (*fd < 0)
		return orch_fail(err, errno, "open exec fifo %s", path);
	return 0;
}
