#include "standard_init.h"
#include "finalize_namespace.h"

#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <orch/protocol.h>

#include "../console/console.h"
#include "../hooks/hooks.h"
#include "../lsm/lsm.h"
#include "../network/loopback.h"
#include "../process/process.h"
#include "../rootfs/rootfs.h"
#include "../seccomp/seccomp_filter.h"
#include "../sync/sync.h"
#include "hostname.h"
#include "../log/log.h"

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
	struct create_hooks_arg hooks = { .cfg = cfg, .sync_fd = ic->sync_fd };

	if (setsid() < 0)
		return orch_fail(err, errno, "setsid");
	if (become_root(ic, err) < 0)
		return -1;
	if ((cfg->clone_flags & CLONE_NEWNET) && loopback_up(err) < 0)
		return -1;
	if (hostname_apply(cfg, err) < 0)
		return -1;
	if (rootfs_setup(cfg, hooks_before_root_change, &hooks, err) < 0)
		return orch_wrap(err, "rootfs: ");
	if (sync_send_type(ic->sync_fd, ORCH_SYNC_PROC_READY, err) < 0)
		return -1;
	return sync_wait_for(ic->sync_fd, ORCH_SYNC_PROC_RUN, NULL, err);
}

/*
 * Credentials, limits and confinement of spec.process, in runc's order (standard_init_linux.go):
 * keyring, rlimits, no_new_privs, scheduling, personality, then seccomp (before the capability
 * drop when it needs CAP_SYS_ADMIN, i.e. without no_new_privs), the user switch and the
 * capabilities last.
 */
static int setup_process(const struct init_config *cfg, const struct init_context *ic,
			 json_object *process, struct orch_error *err)
{
	struct caps_sets caps;
	struct user_ids ids;

	if (caps_parse(process, &caps, err) < 0 || user_parse(process, &ids, err) < 0 ||
	    cpu_affinity_check(process, err) < 0)
		return -1;
	if (selinux_apply_keyring(process, err) < 0 || keyring_join(cfg, err) < 0 ||
	    rlimits_apply(process, err) < 0 || apparmor_apply(process, err) < 0)
		return -1;
	if (no_new_privs_apply(process, err) < 0 || scheduler_apply(process, err) < 0 ||
	    io_priority_apply(process, err) < 0 || personality_apply(cfg->spec, err) < 0)
		return -1;
	/* In the container's cgroup now: its cpuset, not the caller's affinity, applies. */
	cpu_affinity_reset();
	return finalize_namespace(cfg, ic->sync_fd, process, &caps, &ids, ic->setgroups_allowed, err);
}

/* After the socket is closed nobody reads procError: report on stderr and exit. */
__attribute__((noreturn)) static void finish(const struct init_config *cfg,
					     const struct init_context *ic, const char *path,
					     char **argv, char **envp)
{
	struct orch_error err;
	int saved;

	int fifo = exec_fifo_open(ic->fifo_fd, &err);

	if (fifo < 0) {
		orch_log(ORCH_LOG_ERROR, "%s", err.msg);
		_exit(1);
	}
	/* Part of `start`, which waits for them: a failure is its error, and the init goes. */
	if (hooks_start_container(cfg, envp, &err) < 0) {
		exec_fifo_refuse(fifo, err.msg);
		_exit(1);
	}
	if (exec_fifo_release(fifo, ic->fifo_fd, &err) < 0) {
		orch_log(ORCH_LOG_ERROR, "%s", err.msg);
		_exit(1);
	}
	execve(path, argv, envp);
	saved = errno;
	orch_log(ORCH_LOG_ERROR, "exec %s: %s", path, strerror(saved));
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
	/* Before seccomp, which may refuse set_mempolicy to the process. */
	if (memory_policy_apply(cfg_get(cfg->spec, "linux"), err) < 0)
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
	/* With no_new_privs the filter needs no privilege: as late as possible, as runc. */
	if (cfg_bool(process, "noNewPrivileges", false) &&
	    seccomp_setup(cfg->spec, ic->sync_fd, err) < 0)
		return orch_wrap(err, "seccomp: ");
	/* Our end was the last copy: the orchestrator sees end-of-file, `create` is done; the log
	 * channel goes with it (later errors, of `start`, can only reach stderr). */
	orch_log(ORCH_LOG_DEBUG, "init: closing the pipe to signal completion");
	log_close();
	if (close(ic->sync_fd) < 0)
		return orch_fail(err, errno, "close the sync socket");
	console_created(cfg);
	finish(cfg, ic, path, argv, envp);
}
