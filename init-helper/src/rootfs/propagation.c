#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "../mounts/mounts.h"
#include "rootfs_internal.h"

int root_propagation_parse(json_object *linux_obj, unsigned long *flags, struct orch_error *err)
{
	const char *name = cfg_string(linux_obj, "rootfsPropagation");

	*flags = 0;
	if (!name || !*name)
		return 0;
	*flags = mount_propagation_flag(name);
	if (!*flags)
		return orch_fail(err, 0, "linux.rootfsPropagation: unknown mode \"%s\"", name);
	return 0;
}

int root_propagation_prepare(const char *rootfs, unsigned long flags, struct orch_error *err)
{
	char names[64];
	char path[PATH_MAX];
	unsigned long root_flags = flags ? flags : MS_SLAVE | MS_REC;
	/* Private unless the user asked for slave: then host mounts must still propagate in. */
	unsigned long parent_flags = (flags & MS_SLAVE) ? MS_SLAVE : MS_PRIVATE;

	if (mount("", "/", NULL, root_flags, NULL) < 0)
		return orch_fail(err, errno, "set propagation %s on /",
				 mount_flags_string(root_flags, names, sizeof names));
	if (snprintf(path, sizeof path, "%s", rootfs) >= (int)sizeof path)
		return orch_fail(err, ENAMETOOLONG, "%s", rootfs);
	/* EINVAL: not a mount point; walk up to the mount that holds the rootfs. */
	for (;;) {
		if (mount("", path, NULL, parent_flags, NULL) == 0)
			return 0;
		if (errno != EINVAL || strcmp(path, "/") == 0)
			return orch_fail(err, errno, "set propagation %s on %s (the mount holding the rootfs)",
					 mount_flags_string(parent_flags, names, sizeof names), path);
		char *slash = strrchr(path, '/');
		if (slash == path)
			path[1] = '\0';
		else
			*slash = '\0';
	}
}

int root_propagation_finish(unsigned long flags, struct orch_error *err)
{
	char names[64];

	/* Applied only now: on the old "/" a shared mode would have reached the host's mounts. */
	if (!flags || (flags & (MS_PRIVATE | MS_SLAVE)))
		return 0;
	if (mount("", "/", NULL, flags, NULL) < 0)
		return orch_fail(err, errno, "set propagation %s on the new /",
				 mount_flags_string(flags, names, sizeof names));
	return 0;
}
