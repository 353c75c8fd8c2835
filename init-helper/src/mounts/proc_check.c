#include <errno.h>
#include <string.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "mounts.h"

/* Files under /proc that lxcfs-style binds may cover (runc's list). */
static const char *const proc_mount_allowed[] = {
	"/proc/cpuinfo",
	"/proc/diskstats",
	"/proc/meminfo",
	"/proc/stat",
	"/proc/swaps",
	"/proc/uptime",
	"/proc/loadavg",
	"/proc/slabinfo",
	"/proc/sys/kernel/ns_last_pid",
	"/proc/sys/crypto/fips_enabled",
};

int check_proc_mount(const char *rel, const struct mount_req *req, struct orch_error *err)
{
	if (!path_in_root("/proc", rel))
		return 0;
	if (strcmp(rel, "/proc") == 0) {
		/* A fresh procfs, or a bind of one, is the only thing allowed over /proc. */
		if (strcmp(req->type, "proc") == 0)
			return 0;
		if (strcmp(req->type, "bind") == 0) {
			struct statfs st;
			if (statfs(req->source, &st) < 0)
				return orch_fail(err, errno, "statfs %s", req->source);
			if (st.f_type == PROC_SUPER_MAGIC)
				return 0;
		}
		return orch_fail(err, 0, "%s cannot be mounted because it is not of type proc", rel);
	}
	for (size_t i = 0; i < sizeof proc_mount_allowed / sizeof proc_mount_allowed[0]; i++)
		if (strcmp(rel, proc_mount_allowed[i]) == 0)
			return 0;
	return orch_fail(err, 0, "%s cannot be mounted because it is inside /proc", rel);
}
