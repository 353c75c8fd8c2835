#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../mounts/mounts.h"
#include "../nsexec/host_namespaces.h"
#include "sysctl_key.h"
#include "rootfs_internal.h"

/* The mount a file is on (statx STATX_MNT_ID, 5.8+), or its device on older kernels. */
static bool same_mount(int a, int b)
{
	struct statx sa, sb;

	if (statx(a, "", AT_EMPTY_PATH, STATX_MNT_ID, &sa) < 0 || statx(b, "", AT_EMPTY_PATH, STATX_MNT_ID, &sb) < 0)
		return false;
	if ((sa.stx_mask & STATX_MNT_ID) && (sb.stx_mask & STATX_MNT_ID))
		return sa.stx_mnt_id == sb.stx_mnt_id;
	return sa.stx_dev_major == sb.stx_dev_major && sa.stx_dev_minor == sb.stx_dev_minor;
}

/* openat2's RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS|RESOLVE_NO_XDEV by hand, for kernels without
 * openat2: no "..", no symlink, no other mount anywhere on the way. */
static int open_beneath_by_walk(int proc_sys, char *path)
{
	int cur = openat(proc_sys, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (cur < 0)
		return -1;
	for (char *name = path, *slash; name; name = slash) {
		slash = strchr(name, '/');
		if (slash)
			*slash++ = '\0';
		if (strcmp(name, "..") == 0 || strcmp(name, ".") == 0 || !*name) {
			close(cur);
			errno = EXDEV;
			return -1;
		}
		int flags = slash ? O_PATH | O_DIRECTORY : O_WRONLY | O_TRUNC;
		int fd = openat(cur, name, flags | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		if (fd >= 0 && !same_mount(fd, proc_sys)) {
			close(fd);
			fd = -1;
			e = EXDEV;
		}
		close(cur);
		if (fd < 0) {
			errno = e;
			return -1;
		}
		cur = fd;
	}
	return cur;
}

static int write_sysctl(int proc_sys, const char *key, const char *value, struct orch_error *err)
{
	char path[PATH_MAX];
	/* The key is canonical (sysctl_key_check); stay below /proc/sys anyway, follow no symlink,
	 * and refuse anything mounted over a sysctl file: a bind there would redirect the write
	 * (CVE-2025-52881). */
	struct open_how how = {
		.flags = O_WRONLY | O_TRUNC | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};

	if (snprintf(path, sizeof path, "%s", key) >= (int)sizeof path)
		return orch_fail(err, ENAMETOOLONG, "sysctl %s", key);
	int fd = (int)syscall(SYS_openat2, proc_sys, path, &how, sizeof how);
	if (fd < 0 && errno == ENOSYS) {
		char walk[PATH_MAX];
		memcpy(walk, path, sizeof walk);
		fd = open_beneath_by_walk(proc_sys, walk);
	}
	if (fd < 0)
		return orch_fail(err, errno, "sysctl %s: open /proc/sys/%s", key, path);
	size_t len = strlen(value), done = 0;
	while (done < len) {
		ssize_t w = write(fd, value + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			int e = errno;
			close(fd);
			return orch_fail(err, e, "sysctl %s: write \"%s\"", key, value);
		}
		done += (size_t)w;
	}
	close(fd);
	return 0;
}

int sysctl_write_all(json_object *linux_obj, struct orch_error *err)
{
	json_object *sysctl = cfg_get(linux_obj, "sysctl");
	struct statfs st;
	int ret = 0;

	if (!sysctl)
		return 0;
	if (!json_object_is_type(sysctl, json_type_object))
		return orch_fail(err, 0, "linux.sysctl: not an object");
	if (json_object_object_length(sysctl) == 0)
		return 0;
	/* The container's procfs (it is inside the new root now). */
	int proc_sys = open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (proc_sys < 0)
		return orch_fail(err, errno, "linux.sysctl: open /proc/sys");
	if (fstatfs(proc_sys, &st) < 0 || st.f_type != PROC_SUPER_MAGIC) {
		close(proc_sys);
		return orch_fail(err, 0, "linux.sysctl: /proc/sys is not on a procfs");
	}
	json_object_object_foreach(sysctl, key, val) {
		const char *ns;

		if (!json_object_is_type(val, json_type_string)) {
			ret = orch_fail(err, 0, "sysctl %s: value is not a string", key);
			break;
		}
		if ((size_t)json_object_get_string_len(val) != strlen(json_object_get_string(val))) {
			ret = orch_fail(err, 0, "sysctl %s: the value contains a NUL byte", key);
			break;
		}
		/* The last line: only a canonical key of a namespace the container has of its own. */
		if ((ret = sysctl_key_check(key, &ns, err)) < 0)
			break;
		if (host_namespace_shared(ns)) {
			ret = orch_fail(err, 0, "sysctl %s: the container shares the host's %s namespace", key, ns);
			break;
		}
		ret = write_sysctl(proc_sys, key, json_object_get_string(val), err);
		if (ret < 0)
			break;
	}
	close(proc_sys);
	return ret;
}
