#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <orch/protocol.h>

#include "proc_write.h"

int namespace_kind_find(const char *kind, size_t len)
{
	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++) {
		const struct orch_namespace_kind *k = &orch_namespace_kinds[i];

		if ((strlen(k->proc) == len && strncmp(k->proc, kind, len) == 0) ||
		    (strlen(k->type) == len && strncmp(k->type, kind, len) == 0))
			return i;
	}
	return -1;
}

/* The clone flag of the namespace behind fd (NS_GET_NSTYPE, 4.11+), 0 when the kernel cannot say. */
static int namespace_type_of(int fd)
{
	int type = ioctl(fd, NS_GET_NSTYPE);

	return type < 0 ? 0 : type;
}

int namespaces_join(char *const ns_paths[ORCH_NAMESPACE_KINDS], struct orch_error *err)
{
	int fds[ORCH_NAMESPACE_KINDS];
	int rc = 0;

	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++)
		fds[i] = -1;
	/* Every path is opened before the first join: joining the mount or user namespace can make
	 * the others unreachable. */
	for (int i = 0; i < ORCH_NAMESPACE_KINDS && rc == 0; i++) {
		const struct orch_namespace_kind *k = &orch_namespace_kinds[i];
		int type;

		if (ns_paths[i] == NULL)
			continue;
		fds[i] = open(ns_paths[i], O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0) {
			rc = orch_fail(err, errno, "open %s namespace %s", k->proc, ns_paths[i]);
			break;
		}
		type = namespace_type_of(fds[i]);
		if (type != 0 && type != k->flag)
			rc = orch_fail(err, EINVAL, "%s is not a %s namespace", ns_paths[i], k->proc);
	}
	for (int i = 0; i < ORCH_NAMESPACE_KINDS && rc == 0; i++) {
		if (fds[i] < 0)
			continue;
		/* nstype makes the kernel check the file really is a namespace of that kind. */
		if (setns(fds[i], orch_namespace_kinds[i].flag) < 0)
			rc = orch_fail(err, errno, "setns %s namespace %s",
				       orch_namespace_kinds[i].proc, ns_paths[i]);
	}
	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

/*
 * After setresuid() into a new user namespace the process is not dumpable, so its /proc/self
 * files belong to the host's root and timens_offsets cannot be opened. Dumpable only for this
 * write: no other process of the container exists yet, and execve resets it anyway.
 */
static int write_time_offsets(const char *offsets, struct orch_error *err)
{
	int was = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);

	if (was < 0)
		return orch_fail(err, errno, "prctl(PR_GET_DUMPABLE)");
	if (was == 0 && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		return orch_fail(err, errno, "prctl(PR_SET_DUMPABLE)");
	int rc = proc_write("/proc/self/timens_offsets", offsets, err);
	if (was == 0 && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 && rc == 0)
		return orch_fail(err, errno, "prctl(PR_SET_DUMPABLE)");
	return rc;
}

int namespaces_unshare(uint32_t flags, const char *time_offsets, struct orch_error *err)
{
	if (time_offsets != NULL && time_offsets[0] != '\0' && !(flags & CLONE_NEWTIME))
		return orch_fail(err, 0, "timeOffsets given without a new time namespace");
	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++) {
		const struct orch_namespace_kind *k = &orch_namespace_kinds[i];

		if (k->flag == CLONE_NEWUSER || !(flags & (uint32_t)k->flag))
			continue;
		if (unshare(k->flag) < 0)
			return orch_fail(err, errno, "unshare %s namespace", k->proc);
		/* Offsets are accepted only until a process enters the namespace. */
		if (k->flag == CLONE_NEWTIME && time_offsets != NULL && time_offsets[0] != '\0' &&
		    write_time_offsets(time_offsets, err) < 0)
			return -1;
	}
	return 0;
}
