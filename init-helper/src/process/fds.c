#include "process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* Without close_range(2): walk /proc/self/fd (mounted in the container by now). */
static int cloexec_by_walk(int from, struct orch_error *err)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *ent;

	if (dir == NULL)
		return orch_fail(err, errno, "opendir /proc/self/fd");
	while ((errno = 0, ent = readdir(dir)) != NULL) {
		char *end;
		long fd = strtol(ent->d_name, &end, 10);
		int flags;

		if (*end != '\0' || end == ent->d_name || fd < from || fd == dirfd(dir))
			continue;
		flags = fcntl((int)fd, F_GETFD);
		if (flags < 0 || fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC) < 0) {
			int saved = errno;

			closedir(dir);
			return orch_fail(err, saved, "mark fd %ld close-on-exec", fd);
		}
	}
	if (errno != 0) {
		int saved = errno;

		closedir(dir);
		return orch_fail(err, saved, "readdir /proc/self/fd");
	}
	closedir(dir);
	return 0;
}

int fds_cloexec_from(int from, struct orch_error *err)
{
	/*
	 * Marked, not closed: the init still needs the exec fifo fd and the sync socket until just
	 * before execve, and the marking makes sure nothing else reaches the process (a leaked
	 * host directory fd is how CVE-2024-21626 escaped).
	 */
	if (close_range((unsigned int)from, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	/*
	 * ENOSYS/EINVAL: a kernel before 5.11; EPERM: a seccomp profile older than close_range,
	 * already loaded when there are no no_new_privs. The walk needs only long-standing calls.
	 */
	return cloexec_by_walk(from, err);
}
