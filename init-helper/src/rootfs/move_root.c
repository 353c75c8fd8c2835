#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "../mounts/mounts.h"
#include "rootfs_internal.h"

struct pseudo_fs_list {
	const char *rootfs;
	char **paths;
	size_t n;
};

static int collect_pseudo_fs(const struct mountinfo_entry *e, void *arg, struct orch_error *err)
{
	struct pseudo_fs_list *list = arg;

	/* Only full mounts count: the kernel refuses a new procfs/sysfs unless one is visible. */
	if (strcmp(e->root, "/") != 0 || (strcmp(e->fstype, "proc") != 0 && strcmp(e->fstype, "sysfs") != 0) ||
	    path_in_root(list->rootfs, e->mountpoint))
		return 0;
	char **grown = realloc(list->paths, (list->n + 1) * sizeof *grown);
	if (!grown)
		return orch_fail(err, ENOMEM, "mountinfo");
	list->paths = grown;
	list->paths[list->n] = strdup(e->mountpoint);
	if (!list->paths[list->n])
		return orch_fail(err, ENOMEM, "mountinfo");
	list->n++;
	return 0;
}

/* With chroot the old root stays reachable in the mount namespace, and the kernel would let the
 * container mount procfs/sysfs because full instances are visible there: remove the host's
 * proc and sysfs mounts (or cover them when they are locked), as runc's msMoveRoot does. */
static int hide_host_pseudo_fs(const char *rootfs, struct orch_error *err)
{
	struct pseudo_fs_list list = { .rootfs = rootfs };
	int ret = mountinfo_foreach(collect_pseudo_fs, &list, err);

	for (size_t i = 0; ret == 0 && i < list.n; i++) {
		const char *p = list.paths[i];
		if (mount("", p, NULL, MS_SLAVE | MS_REC, NULL) < 0) {
			if (errno == ENOENT)
				continue;	/* under a mount already detached */
			ret = orch_fail(err, errno, "make %s rslave", p);
			break;
		}
		if (umount2(p, MNT_DETACH) == 0)
			continue;
		if (errno != EINVAL && errno != EPERM) {
			ret = orch_fail(err, errno, "unmount %s", p);
			break;
		}
		if (mount("tmpfs", p, "tmpfs", 0, NULL) < 0)
			ret = orch_fail(err, errno, "cover %s with a tmpfs", p);
	}
	for (size_t i = 0; i < list.n; i++)
		free(list.paths[i]);
	free(list.paths);
	return ret;
}

int rootfs_move_root(const char *rootfs, struct orch_error *err)
{
	if (hide_host_pseudo_fs(rootfs, err) < 0)
		return orch_wrap(err, "no-pivot: ");
	if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
		return orch_fail(err, errno, "no-pivot: move %s onto /", rootfs);
	/* The cwd is the rootfs (the caller's fchdir), now the mount on "/". */
	if (chroot(".") < 0)
		return orch_fail(err, errno, "chroot to %s", rootfs);
	if (chdir("/") < 0)
		return orch_fail(err, errno, "chdir to the new root");
	return 0;
}

int rootfs_chroot(int root_fd, struct orch_error *err)
{
	if (fchdir(root_fd) < 0)
		return orch_fail(err, errno, "chdir to the rootfs");
	if (chroot(".") < 0)
		return orch_fail(err, errno, "chroot to the rootfs");
	if (chdir("/") < 0)
		return orch_fail(err, errno, "chdir to the new root");
	return 0;
}
