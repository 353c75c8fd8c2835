#include "standard_init.h"

#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <orch/protocol.h>

#include "../network/loopback.h"
#include "../process/process.h"
#include "../rootfs/rootfs.h"
#include "../sync/sync.h"
#include "hostname.h"

/* Root of the user namespace (or still host root), with no supplementary groups left over. */
static int become_root(const struct init_context *ic, struct orch_error *err)
{
	if (setresgid(0, 0, 0) < 0)
		return orch_fail(err, errno, "setresgid(0)");
	/* Denied, or rootless on the host: the kernel would refuse, and there is nothing to drop. */
	if (ic->setgroups_allowed && !ic->rootless_euid && setgroups(0, NULL) < 0)
		return orch_fail(err, errno, "setgroups(0)");
	if (setresuid(0, 0, 0) < 0)
		return orch_fail(err, errno, "setresuid(0)");
	return 0;
}

/* Everything up to the orchestrator's go-ahead: the container exists once this returns. */
static int prepare_container(const struct init_config *cfg, const struct init_context *ic,
			     struct orch_error *err)
{
	if (setsid() < 0)
		return orch_fail(err, errno, "setsid");
	if (become_root(ic, err) < 0)
		return -1;
	if ((cfg->clone_flags & CLONE_NEWNET) && loopback_up(err) < 0)
		return -1;
	if (hostname_apply(cfg, err) < 0)
		return -1;
	if (rootfs_setup(cfg, err) < 0)
		return orch_wrap(err, "rootfs: ");
	if (sync_send_type(ic->sync_fd, ORCH_SYNC_PROC_READY, err) < 0)
		return -1;
	return sync_wait_for(ic->sync_fd, ORCH_SYNC_PROC_RUN, NULL, err);
}

/* Credentials and limits of spec.process, in the order runc applies them. */
static int setup_process(const struct init_config *cfg, const struct init_context *ic,
			 json_object *process, struct orch_error *err)
{
	const char *cwd = cfg_string(process, "cwd");
	struct caps_sets caps;
	bool cwd_done;

	if (keyring_join(cfg, err) < 0 || rlimits_apply(process, err) < 0)
		return -1;
	if (caps_parse(process, &caps, err) < 0 || caps_apply_bounding(&caps, err) < 0)
		return -1;
	/* Still root: a cwd only root can reach works; a cwd only the user can reach waits. */
	cwd_done = cwd_enter(cwd, err) == 0;
	if (user_apply(process, ic->setgroups_allowed, caps.given, err) < 0)
		return -1;
	if (caps_apply(&caps, err) < 0)
		return -1;
	if (!cwd_done && cwd_enter(cwd, err) < 0)
		return -1;
	return no_new_privs_apply(process, err);
}

/* After the socket is closed nobody reads procError: report on stderr and exit. */
__attribute__((noreturn)) static void finish(const struct init_context *ic, const char *path,
					     char **argv, char **envp)
{
	struct orch_error err;
	int saved;

	if (exec_fifo_signal(ic->fifo_fd, &err) < 0) {
		fprintf(stderr, "orch-init: %s\n", err.msg);
		_exit(1);
	}
	execve(path, argv, envp);
	saved = errno;
	fprintf(stderr, "orch-init: exec %s: %s\n", path, strerror(saved));
	_exit(saved == ENOENT ? 127 : 126);
}

int standard_init(const struct init_config *cfg, const struct init_context *ic,
		  struct orch_error *err)
{
	json_object *process = cfg_get(cfg->spec, "process");
	char **argv, **envp;
	char *path;

	if (process == NULL || !json_object_is_type(process, json_type_object))
		return orch_fail(err, 0, "spec has no process");
	if (prepare_container(cfg, ic, err) < 0)
		return -1;
	if (setup_process(cfg, ic, process, err) < 0)
		return -1;
	if (args_build(process, &argv, err) < 0 || env_build(process, &envp, err) < 0)
		return -1;
	/* Before the socket closes, so "not found" still fails `create`, as with runc. */
	if (exec_path_resolve(argv[0], envp, &path, err) < 0)
		return -1;
	if (fds_cloexec_from(3 + cfg->preserve_fds, err) < 0)
		return -1;
	/* Our end was the last copy: the orchestrator sees end-of-file, `create` is done. */
	if (close(ic->sync_fd) < 0)
		return orch_fail(err, errno, "close the sync socket");
	finish(ic, path, argv, envp);
}
