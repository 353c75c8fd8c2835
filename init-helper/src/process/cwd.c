#include "process.h"

#include <errno.h>
#include <limits.h>
#include <unistd.h>

int cwd_enter(const char *cwd, bool *denied, struct orch_error *err)
{
	char buf[PATH_MAX];

	*denied = false;
	if (cwd == NULL || cwd[0] != '/')
		return orch_fail(err, 0, "process.cwd \"%s\" must be an absolute path",
				 cwd ? cwd : "");
	if (chdir(cwd) < 0) {
		*denied = errno == EACCES;
		return orch_fail(err, errno, "chdir to process.cwd %s", cwd);
	}
	/*
	 * A path through a leaked host fd (/proc/self/fd/N, CVE-2024-21626) lands outside the
	 * root: getcwd then fails with ENOENT or returns "(unreachable)/...". A getcwd refused for
	 * another reason (a seccomp rule) proves nothing, so that fails too.
	 */
	if (getcwd(buf, sizeof(buf)) == NULL)
		return orch_fail(err, errno, "process.cwd %s: check that it is inside the container's "
					     "root: getcwd", cwd);
	if (buf[0] != '/')
		return orch_fail(err, 0, "process.cwd %s is outside the container's root", cwd);
	return 0;
}
