/*
 * The exec'd process's setup, in the order of runc's setns init (setns_init_linux.go): session,
 * root of the joined user namespace, keyring, limits, no_new_privs and scheduling, then seccomp
 * (before the capability drop unless no_new_privs lets it come last), the user switch and the
 * capabilities, AppArmor, and execve.
 */
#include "setns_init.h"
#include "finalize_namespace.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <unistd.h>

#include "../console/console.h"
#include "../lsm/lsm.h"
#include "../process/process.h"
#include "../seccomp/seccomp_filter.h"
#include "../log/log.h"

/*
 * Whether the joined user namespace allows setgroups(2): "deny" in /proc/self/setgroups (a
 * rootless container's map) forbids it. No readable file (no /proc in the container) reads as
 * allowed: the kernel has the last word anyway.
 */
static bool setgroups_allowed(void)
{
	char buf[16] = { 0 };
	ssize_t n;
	int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n <= 0 || strncmp(buf, "deny", 4) != 0;
}

/* As stage-2 of runc's nsexec does for both init types: root, no supplementary groups. */
static int become_root(const struct init_context *ic, bool groups_allowed, struct orch_error *err)
{
	if (setresgid(0, 0, 0) < 0)
		return orch_fail(err, errno, "setresgid(0) in the container's user namespace");
	if (groups_allowed && !ic->rootless_euid && setgroups(0, NULL) < 0)
		return orch_fail(err, errno, "setgroups(0)");
	if (setresuid(0, 0, 0) < 0)
		return orch_fail(err, errno, "setresuid(0) in the container's user namespace");
	return 0;
}

/* Everything runc's setns init does before finalizeNamespace. */
static int prepare(const struct init_config *cfg, json_object *process, struct orch_error *err)
{
	if (selinux_apply_keyring(process, err) < 0 || keyring_join(cfg, err) < 0 ||
	    rlimits_apply(process, err) < 0)
		return -1;
	/* process.terminal: a new pty of the container's devpts becomes our stdio and terminal. */
	if (console_setup(cfg, err) < 0)
		return -1;
	if (no_new_privs_apply(process, err) < 0 || scheduler_apply(process, err) < 0 ||
	    io_priority_apply(process, err) < 0 || personality_apply(cfg->spec, err) < 0)
		return -1;
	/* In the container's cgroup: execCPUAffinity.final, else every CPU of its cpuset (not the
	 * caller's affinity, nor "initial"). */
	const char *final = cfg_string(cfg_get(process, "execCPUAffinity"), "final");
	if (final != NULL && final[0] != '\0')
		return cpu_affinity_set(final, "process.execCPUAffinity.final", err);
	cpu_affinity_reset();
	return 0;
}

/* Parses the process's capabilities and user, then runc's finalizeNamespace. */
static int finalize(const struct init_config *cfg, const struct init_context *ic,
		    json_object *process, bool groups_allowed, struct orch_error *err)
{
	struct caps_sets caps;
	struct user_ids ids;

	if (caps_parse(process, &caps, err) < 0 || user_parse(process, &ids, err) < 0)
		return -1;
	return finalize_namespace(cfg, ic->sync_fd, process, &caps, &ids, groups_allowed, err);
}

int setns_init(const struct init_config *cfg, const struct init_context *ic,
	       struct orch_error *err)
{
	json_object *process = cfg_get(cfg->spec, "process");
	bool groups_allowed = setgroups_allowed();
	char **argv, **envp;
	char *path;

	if (process == NULL || !json_object_is_type(process, json_type_object))
		return orch_fail(err, 0, "spec has no process");
	/* As runc: the exec'd process leads a session of its own, whatever the caller's. */
	if (setsid() < 0)
		return orch_fail(err, errno, "setsid");
	if (become_root(ic, groups_allowed, err) < 0)
		return -1;
	if (cpu_affinity_check(process, err) < 0 || prepare(cfg, process, err) < 0)
		return -1;
	/* The container's policy for exec'd processes too; before seccomp may refuse it. */
	if (memory_policy_apply(cfg_get(cfg->spec, "linux"), err) < 0)
		return -1;
	if (finalize(cfg, ic, process, groups_allowed, err) < 0)
		return -1;
	if (apparmor_apply(process, err) < 0)
		return -1;
	if (args_build(process, &argv, err) < 0 || env_build(process, &envp, err) < 0)
		return -1;
	if (exec_path_resolve(argv[0], envp, &path, err) < 0)
		return -1;
	/* With no_new_privs the filter needs no privilege: as close to execve as possible. */
	if (cfg_bool(process, "noNewPrivileges", false) &&
	    seccomp_setup(cfg->spec, ic->sync_fd, err) < 0)
		return orch_wrap(err, "seccomp: ");
	if (fds_cloexec_from(3 + cfg->preserve_fds, err) < 0)
		return -1;
	/* A foreground relay puts the caller's terminal in raw mode now, not on a failed exec. */
	console_created(cfg);
	/* The sync socket is close-on-exec: its end-of-file tells the orchestrator we made it. */
	orch_log(ORCH_LOG_DEBUG, "setns_init: about to exec");
	execve(path, argv, envp);
	return orch_fail(err, errno, "exec %s", path);
}
