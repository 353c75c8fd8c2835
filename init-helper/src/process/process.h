#ifndef ORCH_PROCESS_H
#define ORCH_PROCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

#include "../config/init_config.h"

/*
 * Setting up spec.process in the container init, after procRun, one concern per file.
 * `process` is spec.process. Every function returns 0, or -1 with err set.
 */

/* keyring.c: a new anonymous session keyring, unless --no-new-keyring. */
int keyring_join(const struct init_config *cfg, struct orch_error *err);

/* rlimits.c: process.rlimits [{type: "RLIMIT_*", hard, soft}]. */
int rlimits_apply(json_object *process, struct orch_error *err);

/* capabilities.c: process.capabilities as bit masks (bit N = capability N). */
struct caps_sets {
	bool given;	/* process.capabilities present; absent: capabilities are left alone */
	uint64_t bounding, effective, permitted, inheritable, ambient;
};
int caps_parse(json_object *process, struct caps_sets *caps, struct orch_error *err);
/* Drops every capability not in the bounding list (needs CAP_SETPCAP: before the user switch). */
int caps_apply_bounding(const struct caps_sets *caps, struct orch_error *err);
/* Sets effective, permitted, inheritable, then ambient (after the user switch). */
int caps_apply(const struct caps_sets *caps, struct orch_error *err);

/*
 * user.c: umask, additionalGids, gid, uid from process.user. keep_caps: keep the permitted set
 * across the uid change so caps_apply can still set the configured capabilities.
 */
int user_apply(json_object *process, bool setgroups_allowed, bool keep_caps,
	       struct orch_error *err);

/* cwd.c: chdir to process.cwd and check it is inside the container's root. */
int cwd_enter(const char *cwd, struct orch_error *err);

/* no_new_privs.c: process.noNewPrivileges. */
int no_new_privs_apply(json_object *process, struct orch_error *err);

/* env.c: process.env as a NULL-terminated KEY=VALUE array (malloc'd; strings are the config's). */
int env_build(json_object *process, char ***envp, struct orch_error *err);

/* args.c: process.args as a NULL-terminated array (malloc'd; strings are the config's). */
int args_build(json_object *process, char ***argv, struct orch_error *err);

/* exec_path.c: resolves argv0 as Go's exec.LookPath does, on the PATH of envp. *path: malloc'd. */
int exec_path_resolve(const char *argv0, char *const envp[], char **path, struct orch_error *err);

/* fds.c: marks every fd >= from close-on-exec, so no runtime fd reaches the process. */
int fds_cloexec_from(int from, struct orch_error *err);

/* exec_fifo.c: blocks until `orch start` opens the fifo, then writes the start byte. */
int exec_fifo_signal(int fifo_fd, struct orch_error *err);

#endif
