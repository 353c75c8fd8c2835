#ifndef ORCH_HOOKS_H
#define ORCH_HOOKS_H

#include <stdbool.h>
#include <json-c/json.h>

#include "../config/init_config.h"

/*
 * The OCI hooks the init itself runs, in the container's namespaces (config.md "POSIX-platform
 * Hooks"): createContainer before the root changes, startContainer before the process's execve.
 * prestart, createRuntime, poststart and poststop belong to the orchestrator.
 */

/* hook_list.c: spec.hooks.<name> has at least one entry. */
bool hooks_present(json_object *spec, const char *name);

/*
 * hook_state.c: the OCI state a hook reads on stdin, as runc gives it to the hooks the init runs:
 * ociVersion, id, status, pid (this process's pid, as seen in its own pid namespace), bundle and
 * the annotations. Returns a malloc'd JSON string, or NULL with err set.
 */
char *hook_state_json(const struct init_config *cfg, const char *status, struct orch_error *err);

/*
 * hook_run.c: runs every spec.hooks.<name> entry in order, each to completion (or its timeout),
 * with `state` on stdin and only fds 0-2 open. An entry without env gets default_env (NULL: this
 * process's environment). The first failure stops the list: err then reads as runc's
 * "<name>: error running hook #<i>: <why>, stdout: <…>, stderr: <…>".
 */
int hooks_run(json_object *spec, const char *name, const char *state, char *const default_env[],
	      struct orch_error *err);

/*
 * create_hooks.c, the create step's hook point, passed to rootfs_setup (every mount in place,
 * before the root changes): with prestart or createRuntime hooks the init sends procHooks and
 * waits for procResume while the orchestrator runs them in the runtime namespace; then it runs
 * the createContainer hooks itself (status "creating"). arg is a struct create_hooks_arg.
 */
struct create_hooks_arg {
	const struct init_config *cfg;
	int sync_fd;
};
int hooks_before_root_change(void *arg, struct orch_error *err);

/*
 * start_hooks.c, once `start` has opened the exec fifo, before execve: the startContainer hooks
 * (status "created"), whose default env is the process's own (runc's de facto rule).
 */
int hooks_start_container(const struct init_config *cfg, char *const process_env[],
			  struct orch_error *err);

#endif
