#include "console.h"

#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int stdio_owner_fix(const struct init_config *cfg, struct orch_error *err)
{
	json_object *user = cfg_get(cfg_get(cfg->spec, "process"), "user");
	uid_t uid = (uid_t)cfg_int(user, "uid", 0);

	/* A foreground run without a terminal hands the caller's own stdio over: not ours to chown. */
	if (cfg->foreground && !console_wanted(cfg))
		return 0;
	for (int fd = 0; fd < 3; fd++) {
		struct stat st;

		if (fstat(fd, &st) < 0) {
			if (errno == EBADF)
				continue; /* a closed stdio fd stays closed */
			return orch_fail(err, errno, "fstat fd %d", fd);
		}
		if (st.st_uid == uid || (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)))
			continue;
		/* Only the uid: the gid is the devpts mount's choice (gid=5) or the caller's. */
		if (fchown(fd, uid, (gid_t)-1) < 0) {
			/*
			 * EPERM: the owner is not mapped in our user namespace; EROFS: read-only;
			 * EINVAL: uid not mapped. runc leaves the fd alone then, and so do we.
			 */
			if (errno == EPERM || errno == EROFS || errno == EINVAL)
				continue;
			return orch_fail(err, errno, "chown fd %d to uid %u", fd, (unsigned int)uid);
		}
	}
	return 0;
}
