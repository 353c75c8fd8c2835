#include <errno.h>
#include <unistd.h>

#include "devices.h"

int devpts_setup_ptmx(struct mount_ctx *ctx, struct orch_error *err)
{
	int dev = mkdir_all_in_root(ctx->root_fd, "/dev", 0755, err);

	if (dev < 0)
		return -1;
	/* A ptmx node would reach the host's devpts instance: the container's is pts/ptmx. */
	if (unlinkat(dev, "ptmx", 0) < 0 && errno != ENOENT) {
		int e = errno;
		close(dev);
		return orch_fail(err, e, "remove /dev/ptmx");
	}
	if (symlinkat("pts/ptmx", dev, "ptmx") < 0) {
		int e = errno;
		close(dev);
		return orch_fail(err, e, "symlink /dev/ptmx -> pts/ptmx");
	}
	close(dev);
	return 0;
}
