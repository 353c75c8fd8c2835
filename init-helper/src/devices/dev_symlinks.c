#include <errno.h>
#include <unistd.h>

#include "devices.h"

int dev_symlinks_create(struct mount_ctx *ctx, struct orch_error *err)
{
	/* /proc/self rather than /proc/thread-self: what distributions (and runc) use. */
	static const struct {
		const char *target, *name;
	} links[] = {
		{ "/proc/self/fd", "fd" },
		{ "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" },
		{ "/proc/self/fd/2", "stderr" },
		{ "/proc/kcore", "core" },
	};
	size_t n = sizeof links / sizeof links[0];

	/* The kernel may be built without /proc/kcore: then no dangling /dev/core. */
	if (access("/proc/kcore", F_OK) < 0)
		n--;
	int dev = mkdir_all_in_root(ctx->root_fd, "/dev", 0755, err);
	if (dev < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* An existing entry (from the image, or a mount) is kept, as runc does. */
		if (symlinkat(links[i].target, dev, links[i].name) < 0 && errno != EEXIST) {
			int e = errno;
			close(dev);
			return orch_fail(err, e, "symlink /dev/%s -> %s", links[i].name, links[i].target);
		}
	}
	close(dev);
	return 0;
}
