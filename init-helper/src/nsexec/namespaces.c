#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <orch/protocol.h>

#include "proc_write.h"

static int kind_index(const char *kind, size_t len)
{
	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++) {
		const struct orch_namespace_kind *k = &orch_namespace_kinds[i];

		if ((strlen(k->proc) == len && strncmp(k->proc, kind, len) == 0) ||
		    (strlen(k->type) == len && strncmp(k->type, kind, len) == 0))
			return i;
	}
	return -1;
}

static void close_all(int fds[ORCH_NAMESPACE_KINDS])
{
	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* Parses one "kind:path" entry and opens the path into fds[kind]. */
static int open_entry(const char *entry, size_t len, int fds[ORCH_NAMESPACE_KINDS],
		      char *paths[ORCH_NAMESPACE_KINDS], struct orch_error *err)
{
	const char *colon = memchr(entry, ':', len);
	int idx;
	char *path;

	if (colon == NULL || colon == entry || colon + 1 == entry + len)
		return orch_fail(err, 0, "nsPaths: entry \"%.*s\" is not kind:path", (int)len, entry);
	idx = kind_index(entry, (size_t)(colon - entry));
	if (idx < 0)
		return orch_fail(err, 0, "nsPaths: unknown namespace kind \"%.*s\"",
				 (int)(colon - entry), entry);
	if (fds[idx] >= 0)
		return orch_fail(err, 0, "nsPaths: %s namespace given twice",
				 orch_namespace_kinds[idx].proc);
	path = strndup(colon + 1, len - (size_t)(colon + 1 - entry));
	if (path == NULL)
		return orch_fail(err, ENOMEM, "nsPaths");
	paths[idx] = path;
	fds[idx] = open(path, O_RDONLY | O_CLOEXEC);
	if (fds[idx] < 0)
		return orch_fail(err, errno, "open %s namespace %s", orch_namespace_kinds[idx].proc,
				 path);
	return 0;
}

int namespaces_join(const char *ns_paths, struct orch_error *err)
{
	int fds[ORCH_NAMESPACE_KINDS];
	char *paths[ORCH_NAMESPACE_KINDS] = { 0 };
	const char *p = ns_paths;
	int rc = 0;

	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++)
		fds[i] = -1;
	if (ns_paths == NULL)
		return 0;
	while (*p != '\0' && rc == 0) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len > 0)
			rc = open_entry(p, len, fds, paths, err);
		p += len + (end != NULL);
	}
	for (int i = 0; i < ORCH_NAMESPACE_KINDS && rc == 0; i++) {
		if (fds[i] < 0)
			continue;
		/* nstype makes the kernel check the file really is a namespace of that kind. */
		if (setns(fds[i], orch_namespace_kinds[i].flag) < 0)
			rc = orch_fail(err, errno, "setns %s namespace %s",
				       orch_namespace_kinds[i].proc, paths[i]);
	}
	close_all(fds);
	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++)
		free(paths[i]);
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
