/*
 * orch-init: the container init helper the orchestrator spawns (shared/init-config.md).
 *   orch-init init    create a container: stage-0 .. stage-2, then exec the process
 *   orch-init setns   join a running container (exec): stage-0 .. stage-2, then exec the process
 *   orch-init cgroup-devices|cgroup-oom …   cgroup work for the orchestrator (cgroups/cgroups.h)
 *   orch-init features   what this build supports, as JSON (features/features.h)
 *   orch-init criu-restore …   runs `criu restore` for `orch restore` (criu/criu_restore.h)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orch/protocol.h>

#include "cgroups/cgroups.h"
#include "criu/criu_restore.h"
#include "features/features.h"
#include "cloned_binary/cloned_binary.h"
#include "log/log.h"
#include "nsexec/stages.h"
#include "seccomp/seccomp_filter.h"
#include "sync/env_fd.h"
#include "sync/sync.h"

/* The sync socket's fd, from the environment; -1 with a message on stderr when unusable. */
static int take_sync_fd(void)
{
	int fd = env_fd_take(ORCH_ENV_SYNC_FD);

	if (fd == -2)
		fprintf(stderr, "orch-init: %s is not set\n", ORCH_ENV_SYNC_FD);
	return fd < 0 ? -1 : fd;
}

int main(int argc, char **argv)
{
	struct orch_error err;
	int sync_fd;

	/* no sync socket: run by the orchestrator on a cgroup, never inside a container */
	if (argc >= 2 && strcmp(argv[1], "cgroup-devices") == 0)
		return cgroup_devices_main(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "cgroup-oom") == 0)
		return cgroup_oom_main(argc, argv);
	if (argc == 2 && strcmp(argv[1], "features") == 0)
		return features_main();
	/* runs criu, which never execs this binary in a container: no sealed copy needed */
	if (argc >= 2 && strcmp(argv[1], "criu-restore") == 0) {
		log_init(); /* its channel close-on-exec: criu must not hold it */
		sync_fd = take_sync_fd();
		return sync_fd < 0 ? 1 : criu_restore_main(sync_fd, argc, argv);
	}
	if (argc != 2 || (strcmp(argv[1], "init") != 0 && strcmp(argv[1], "setns") != 0)) {
		fprintf(stderr, "usage: orch-init init|setns (spawned by orch, not run by hand)\n");
		return 1;
	}
	/* CVE-2019-5736: run from a sealed copy; before the sync fd becomes close-on-exec. */
	if (cloned_binary_ensure(argv, &err) < 0) {
		sync_fd = take_sync_fd();
		if (sync_fd >= 0)
			sync_send_error(sync_fd, err.msg);
		return 1;
	}
	log_init();
	sync_fd = take_sync_fd();
	if (sync_fd < 0 || seccomp_agent_fd_take() < 0)
		return 1;
	return stage0_run(sync_fd, argv[1]);
}
