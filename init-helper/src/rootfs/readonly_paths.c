#include <errno.h>
#include <sys/mount.h>
#include <sys/statfs.h>

#include "../mounts/mounts.h"
#include "rootfs_internal.h"

static int readonly_path(const char *path, struct orch_error *err)
{
	struct statfs st;

	/* Runs inside the new root: plain paths cannot lead out of it. */
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return 0;	/* nothing to protect */
		return orch_fail(err, errno, "bind %s onto itself", path);
	}
	if (statfs(path, &st) < 0)
		return orch_fail(err, errno, "statfs %s", path);
	/* Keep nosuid/nodev/noexec: dropping one is refused when it is locked. */
	unsigned long keep = mount_flags_from_statfs((unsigned long)st.f_flags) & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
	if (mount(path, path, NULL, keep | MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) < 0)
		return orch_fail(err, errno, "remount %s read-only", path);
	return 0;
}

int readonly_paths_apply(json_object *linux_obj, struct orch_error *err)
{
	json_object *paths = cfg_get(linux_obj, "readonlyPaths");

	if (!paths)
		return 0;
	if (!json_object_is_type(paths, json_type_array))
		return orch_fail(err, 0, "linux.readonlyPaths: not an array");
	size_t n = json_object_array_length(paths);
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(paths, i);
		if (!json_object_is_type(p, json_type_string))
			return orch_fail(err, 0, "linux.readonlyPaths[%zu]: not a string", i);
		if (readonly_path(json_object_get_string(p), err) < 0)
			return orch_wrap(err, "linux.readonlyPaths[%zu]: ", i);
	}
	return 0;
}
