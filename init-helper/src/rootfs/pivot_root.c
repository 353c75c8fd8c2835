#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rootfs_internal.h"

int rootfs_pivot(int root_fd, struct orch_error *err)
{
	/* pivot_root(".", ".") stacks the old root on top of the new one, which needs no directory
	 * for it inside the rootfs (the trick runc took from LXC). */
	int old_root = open("/", O_DIRECTORY | O_RDONLY | O_PATH | O_CLOEXEC);
	if (old_root < 0)
		return orch_fail(err, errno, "open the old root");
	if (fchdir(root_fd) < 0) {
		int e = errno;
		close(old_root);
		return orch_fail(err, e, "chdir to the rootfs");
	}
	if (syscall(SYS_pivot_root, ".", ".") < 0) {
		int e = errno;
		close(old_root);
		return orch_fail(err, e, "pivot_root");
	}
	/* The cwd is the old root now, but the kernel does not promise it: go there explicitly. */
	if (fchdir(old_root) < 0) {
		int e = errno;
		close(old_root);
		return orch_fail(err, e, "chdir to the old root");
	}
	close(old_root);
	/* rslave, not rprivate: the unmount must not reach the host, yet host processes may still
	 * hold these mounts busy (runc's reasoning). */
	if (mount("", ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		return orch_fail(err, errno, "make the old root rslave");
	if (umount2(".", MNT_DETACH) < 0)
		return orch_fail(err, errno, "detach the old root");
	if (chdir("/") < 0)
		return orch_fail(err, errno, "chdir to the new root");
	return 0;
}
