#include <errno.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statfs.h>

#include "mounts.h"

/* A bind keeps the flags of its source until a MS_BIND|MS_REMOUNT sets them: do that, and when
 * the kernel refuses because the source has flags locked by a more privileged mount namespace
 * (nosuid, nodev, noexec, ro, atime), add those and try once more, as runc does. */
static int remount_bind(const struct mount_req *req, int fd, struct orch_error *err)
{
	char target[PROCFD_PATH_SIZE];
	char names[128], locked_names[128];
	unsigned long flags = req->opts.flags | MS_BIND | MS_REMOUNT;
	struct statfs st;

	if (mount("", procfd_path(fd, target), NULL, flags, NULL) == 0)
		return 0;
	int mount_errno = errno;
	/* The new mount has the flags (locked ones included) of the mount it copies. */
	if (fstatfs(fd, &st) < 0)
		return orch_fail(err, errno, "remount bind (%s): statfs",
				 mount_flags_string(flags, names, sizeof names));
	unsigned long src = mount_flags_from_statfs((unsigned long)st.f_flags);
	unsigned long cannot_clear = src & req->opts.cleared & MOUNT_LOCK_FLAGS;
	if (cannot_clear)
		return orch_fail(err, mount_errno, "remount bind: cannot clear locked flags %s",
				 mount_flags_string(cannot_clear, names, sizeof names));
	/* An atime mode that differs from the locked one would be silently ignored by the
	 * kernel (or refused): say so instead. */
	unsigned long want_atime = req->opts.flags & MOUNT_ATIME_FLAGS;
	if (want_atime && want_atime != (src & MOUNT_ATIME_FLAGS))
		return orch_fail(err, mount_errno, "remount bind: cannot change locked atime flags %s",
				 mount_flags_string(src & MOUNT_ATIME_FLAGS, names, sizeof names));
	flags |= src & MOUNT_LOCK_FLAGS;
	if (mount("", target, NULL, flags, NULL) < 0)
		return orch_fail(err, errno, "remount bind (%s) with locked flags %s re-applied",
				 mount_flags_string(flags, names, sizeof names),
				 mount_flags_string(src & MOUNT_LOCK_FLAGS, locked_names, sizeof locked_names));
	return 0;
}

int mount_bind(struct mount_ctx *ctx, const struct mount_req *req, int *dst_fd, struct orch_error *err)
{
	int mount_errno;

	if (mount_propagate(ctx, req, dst_fd, &mount_errno, err) < 0)
		return -1;
	/* With no flag asked for (set or cleared), the bind keeps the source's flags. */
	if ((req->opts.flags & ~(unsigned long)(MS_BIND | MS_REC | MS_REMOUNT)) || req->opts.cleared) {
		if (remount_bind(req, *dst_fd, err) < 0)
			return -1;
	}
	return mount_apply_rec_attr(req, *dst_fd, err);
}

int mount_apply_rec_attr(const struct mount_req *req, int fd, struct orch_error *err)
{
	struct mount_attr attr = {
		.attr_set = req->opts.rec_set,
		.attr_clr = req->opts.rec_clr,
	};

	if (!attr.attr_set && !attr.attr_clr)
		return 0;
	if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
		return orch_fail(err, errno, "mount_setattr (recursive options)");
	return 0;
}
