#include "host_namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <orch/protocol.h>

struct ns_identity {
	bool known;
	dev_t dev;
	ino_t ino;
};

static struct ns_identity host[ORCH_NAMESPACE_KINDS];
/* The host's procfs, opened by stage-0: through it "self" is found in the host's pid namespace,
 * whatever namespaces and mounts stage-2 has by then. */
static int host_proc = -1;
/* Unknown until compared: everything counts as shared. */
static bool separate[ORCH_NAMESPACE_KINDS];

static bool identity(int proc, const char *name, struct ns_identity *id)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "self/ns/%s", name);
	if (fstatat(proc, path, &st, 0) < 0)
		return false;
	id->known = true;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return true;
}

int host_namespaces_record(struct orch_error *err)
{
	host_proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (host_proc < 0)
		return orch_fail(err, errno, "open /proc");
	/* A kind this kernel lacks stays unknown, so it is never taken for a separate one. */
	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++)
		identity(host_proc, orch_namespace_kinds[i].proc, &host[i]);
	return 0;
}

void host_namespaces_compare(void)
{
	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++) {
		struct ns_identity own = { 0 };

		separate[i] = host_proc >= 0 && host[i].known &&
			      identity(host_proc, orch_namespace_kinds[i].proc, &own) &&
			      (own.dev != host[i].dev || own.ino != host[i].ino);
	}
	if (host_proc >= 0)
		close(host_proc);
	host_proc = -1;
}

bool host_namespace_shared(const char *type)
{
	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++)
		if (strcmp(orch_namespace_kinds[i].type, type) == 0)
			return !separate[i];
	return true;
}
