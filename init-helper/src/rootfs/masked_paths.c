#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../mounts/mounts.h"
#include "rootfs_internal.h"

struct masker {
	int dev_null;		/* O_PATH fd of the container's /dev/null */
	bool procfd;		/* /proc/self/fd works in the new root (it has a procfs) */
};

/* Mount onto what fd refers to; without a procfs in the container, by path (we are inside the
 * new root, so the path cannot lead out of it). */
static const char *target_of(const struct masker *mk, int fd, const char *path, char buf[PROCFD_PATH_SIZE])
{
	return mk->procfd ? procfd_path(fd, buf) : path;
}

static int mask_dir(const char *target, const char *path, struct orch_error *err)
{
	/* Some kernels (Ubuntu focal's 5.4) reject nr_inodes=1: retry with 2, as runc does. */
	if (mount("tmpfs", target, "tmpfs", MS_RDONLY, "nr_blocks=1,nr_inodes=1") == 0 ||
	    mount("tmpfs", target, "tmpfs", MS_RDONLY, "nr_blocks=1,nr_inodes=2") == 0)
		return 0;
	return orch_fail(err, errno, "mask directory %s with a read-only tmpfs", path);
}

static int mask_path(const struct masker *mk, const char *path, struct orch_error *err)
{
	char target[PROCFD_PATH_SIZE], source[PROCFD_PATH_SIZE];
	struct stat st;
	int fd = open(path, O_PATH | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;	/* nothing to hide */
		return orch_fail(err, errno, "open %s", path);
	}
	if (fstat(fd, &st) < 0) {
		int e = errno;
		close(fd);
		return orch_fail(err, e, "stat %s", path);
	}
	int ret = 0;
	if (S_ISDIR(st.st_mode)) {
		ret = mask_dir(target_of(mk, fd, path, target), path, err);
	} else if (mount(target_of(mk, mk->dev_null, "/dev/null", source), target_of(mk, fd, path, target),
			 NULL, MS_BIND, NULL) < 0) {
		ret = orch_fail(err, errno, "mask %s with /dev/null", path);
	}
	close(fd);
	return ret;
}

static bool seen_before(json_object *paths, size_t i, const char *clean)
{
	char other[PATH_MAX];

	for (size_t j = 0; j < i; j++) {
		json_object *p = json_object_array_get_idx(paths, j);
		if (path_clean_abs(json_object_get_string(p), other, sizeof other) == 0 && strcmp(other, clean) == 0)
			return true;
	}
	return false;
}

int masked_paths_apply(json_object *linux_obj, struct orch_error *err)
{
	json_object *paths = cfg_get(linux_obj, "maskedPaths");
	struct masker mk;
	struct stat st;
	int ret = 0;

	if (!paths)
		return 0;
	if (!json_object_is_type(paths, json_type_array))
		return orch_fail(err, 0, "linux.maskedPaths: not an array");
	size_t n = json_object_array_length(paths);
	if (n == 0)
		return 0;
	/* Masking files with something else than the real /dev/null would expose that thing. */
	mk.dev_null = open("/dev/null", O_PATH | O_CLOEXEC);
	if (mk.dev_null < 0)
		return orch_fail(err, errno, "linux.maskedPaths: open /dev/null");
	if (fstat(mk.dev_null, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
		close(mk.dev_null);
		return orch_fail(err, 0, "linux.maskedPaths: /dev/null is not the 1:3 character device");
	}
	mk.procfd = access("/proc/self/fd", F_OK) == 0;
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(paths, i);
		char clean[PATH_MAX];
		if (!json_object_is_type(p, json_type_string)) {
			ret = orch_fail(err, 0, "linux.maskedPaths[%zu]: not a string", i);
			break;
		}
		if (path_clean_abs(json_object_get_string(p), clean, sizeof clean) < 0) {
			ret = orch_fail(err, errno, "linux.maskedPaths[%zu]", i);
			break;
		}
		if (seen_before(paths, i, clean))
			continue;
		if (mask_path(&mk, clean, err) < 0) {
			ret = orch_wrap(err, "linux.maskedPaths[%zu]: ", i);
			break;
		}
	}
	close(mk.dev_null);
	return ret;
}
