#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <time.h>

#include "../mounts/mounts.h"
#include "rootfs_internal.h"

/* MS_BIND|MS_REMOUNT changes only the per-mount flags, which a user namespace may do as long as
 * no locked flag is dropped: the flags the mount was made with are passed again. */
static int remount_readonly(const char *dest, unsigned long flags, struct orch_error *err)
{
	flags |= MS_REMOUNT | MS_BIND | MS_RDONLY;
	for (int attempt = 0; attempt < 5; attempt++) {
		if (mount("", dest, NULL, flags, NULL) == 0)
			return 0;
		if (errno != EBUSY)
			return orch_fail(err, errno, "remount %s read-only", dest);
		/* A transient reference (as runc retries): wait a little. */
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return orch_fail(err, EBUSY, "remount %s read-only (5 attempts)", dest);
}

int rootfs_remount_readonly_mounts(json_object *spec, struct orch_error *err)
{
	json_object *mounts = cfg_get(spec, "mounts");
	size_t n = mounts && json_object_is_type(mounts, json_type_array) ? json_object_array_length(mounts) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *m = json_object_array_get_idx(mounts, i);
		const char *destination = cfg_string(m, "destination");
		const char *type = cfg_string(m, "type");
		char dest[PATH_MAX];
		struct mount_opts opts;

		if (!destination || path_clean_abs(destination, dest, sizeof dest) < 0)
			continue;	/* mounted already, so it cannot happen */
		if (mount_options_parse(cfg_get(m, "options"), &opts, err) < 0)
			return orch_wrap(err, "mount %zu (%s): ", i, destination);
		unsigned long flags = opts.flags;
		mount_options_free(&opts);
		if (!(flags & MS_RDONLY))
			continue;
		if ((type && strcmp(type, "tmpfs") == 0) || strcmp(dest, "/dev") == 0) {
			if (remount_readonly(dest, flags, err) < 0)
				return orch_wrap(err, "mount %zu (%s): ", i, destination);
		}
	}
	return 0;
}

int rootfs_set_readonly(struct orch_error *err)
{
	char names[128];
	struct statfs st;
	unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;

	if (mount("", "/", NULL, flags, NULL) == 0)
		return 0;
	/* Refused: "/" has locked flags (user namespace); keep them and try again. */
	if (statfs("/", &st) < 0)
		return orch_fail(err, errno, "root.readonly: statfs /");
	flags |= mount_flags_from_statfs((unsigned long)st.f_flags) & MOUNT_LOCK_FLAGS;
	if (mount("", "/", NULL, flags, NULL) < 0)
		return orch_fail(err, errno, "root.readonly: remount / (%s)",
				 mount_flags_string(flags, names, sizeof names));
	return 0;
}
