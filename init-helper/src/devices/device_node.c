#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "devices.h"

/* The host's node at the same path, bound onto an empty file: what a user namespace can do. */
static int bind_host_node(int dir, const char *name, const struct device_node *dev, struct orch_error *err)
{
	char target[PROCFD_PATH_SIZE];
	/* Reuse whatever the image has there; opening it O_PATH never opens a device. */
	int fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		fd = openat(dir, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_RDONLY | O_CLOEXEC, 0000);
	if (fd < 0)
		return orch_fail(err, errno, "create %s", dev->path);
	/* Through a symlink the bind would land on whatever it names (runc's O_NOFOLLOW refuses it
	 * too); over a directory it cannot work. */
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return orch_fail(err, e, "stat %s", dev->path);
	}
	if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode)) {
		close(fd);
		return orch_fail(err, 0, "%s exists and is a %s", dev->path,
				 S_ISLNK(st.st_mode) ? "symlink" : "directory");
	}
	int r = mount(dev->path, procfd_path(fd, target), NULL, MS_BIND, NULL);
	int e = errno;
	close(fd);
	if (r < 0)
		return orch_fail(err, e, "bind-mount the host's %s", dev->path);
	return 0;
}

static int make_node(int dir, const char *name, const struct device_node *dev, struct orch_error *err)
{
	char target[PROCFD_PATH_SIZE];
	mode_t type = dev->type == 'b' ? S_IFBLK : dev->type == 'p' ? S_IFIFO : S_IFCHR;
	dev_t rdev = dev->type == 'p' ? 0 : makedev((unsigned int)dev->major, (unsigned int)dev->minor);
	struct stat st;

	/* Check what was made before touching it: the type and the numbers must be the asked ones. */
	int fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return orch_fail(err, errno, "open new device node %s", dev->path);
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return orch_fail(err, e, "stat new device node %s", dev->path);
	}
	if ((st.st_mode & S_IFMT) != type || (dev->type != 'p' && st.st_rdev != rdev)) {
		close(fd);
		return orch_fail(err, 0, "new device node %s is not %c %u:%u", dev->path, dev->type,
				 major(rdev), minor(rdev));
	}
	/* mknod applied the umask: set the exact mode, then the owner. */
	if (chmod(procfd_path(fd, target), dev->mode) < 0) {
		int e = errno;
		close(fd);
		return orch_fail(err, e, "chmod %s", dev->path);
	}
	if (fchownat(fd, "", dev->uid, dev->gid, AT_EMPTY_PATH) < 0) {
		int e = errno;
		close(fd);
		return orch_fail(err, e, "chown %s to %u:%u", dev->path, (unsigned)dev->uid, (unsigned)dev->gid);
	}
	close(fd);
	return 0;
}

int device_node_create(struct mount_ctx *ctx, const struct device_node *dev, bool bind,
		       struct orch_error *err)
{
	char name[NAME_MAX + 1];
	mode_t type = dev->type == 'b' ? S_IFBLK : dev->type == 'p' ? S_IFIFO : S_IFCHR;
	dev_t rdev = dev->type == 'p' ? 0 : makedev((unsigned int)dev->major, (unsigned int)dev->minor);
	int ret;

	int dir = open_parent_in_root(ctx->root_fd, dev->path, 0755, name, sizeof name, err);
	if (dir < 0)
		return -1;
	/* A fifo needs no privilege, and the host has none to bind: always mknod it. */
	if (bind && dev->type != 'p') {
		ret = bind_host_node(dir, name, dev, err);
	} else if (mknodat(dir, name, type | dev->mode, rdev) == 0) {
		ret = make_node(dir, name, dev, err);
	} else if (errno == EEXIST) {
		ret = 0;	/* runc keeps a node the image (or an earlier entry) already has */
	} else if (errno == EPERM && dev->type != 'p') {
		ret = bind_host_node(dir, name, dev, err);
	} else {
		ret = orch_fail(err, errno, "mknod %c %lld:%lld", dev->type, (long long)dev->major,
				(long long)dev->minor);
	}
	close(dir);
	return ret;
}
