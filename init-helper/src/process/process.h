#ifndef ORCH_PROCESS_H
#define ORCH_PROCESS_H

#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "../config/init_config.h"

/*
 * Setting up spec.process in the container init, after procRun, one concern per file.
 * `process` is spec.process. Every function returns 0, or -1 with err set.
 */

/* keyring.c: a new session keyring "_ses.<id>", unless --no-new-keyring. */
int keyring_join(const struct init_config *cfg, struct orch_error *err);

/* rlimits.c: process.rlimits [{type: "RLIMIT_*", hard, soft}]; an unknown type is an error. */
int rlimits_apply(json_object *process, struct orch_error *err);
/*
 * rlimits.c, stage-0 on the host before any user namespace exists: raises (only) the hard
 * limits the config asks to raise, which a process inside a user namespace cannot do, so the
 * init can then set them. Best effort: a refusal shows up when the init sets the limits.
 */
void rlimits_raise_hard(json_object *process);

/*
 * capabilities.c: process.capabilities as bit masks (bit N = capability N). A set that is not
 * listed is empty; so is every set when process.capabilities is absent.
 */
struct caps_sets {
	uint64_t bounding, effective, permitted, inheritable, ambient;
};
int caps_parse(json_object *process, struct caps_sets *caps, struct orch_error *err);
/* Drops every capability not in the bounding list (needs CAP_SETPCAP: before the user switch). */
int caps_apply_bounding(const struct caps_sets *caps, struct orch_error *err);
/* Sets effective, permitted, inheritable, then ambient (after the user switch). */
int caps_apply(const struct caps_sets *caps, struct orch_error *err);

/* user.c: process.user. */
struct user_ids {
	uid_t uid;
	gid_t gid;
	mode_t umask;
	gid_t *groups;	/* additionalGids */
	size_t ngroups;
};
int user_parse(json_object *process, struct user_ids *ids, struct orch_error *err);
/*
 * umask, additionalGids, gid, uid. The permitted set is kept across the uid
 * change (KEEPCAPS) so caps_apply can still set the configured capabilities.
 */
int user_apply(const struct user_ids *ids, bool setgroups_allowed, struct orch_error *err);

/*
 * cwd.c: chdir to process.cwd and check it is inside the container's root. *denied: the chdir
 * failed with EACCES (try again as the process's user); the error is then in err.
 */
int cwd_enter(const char *cwd, bool *denied, struct orch_error *err);

/* no_new_privs.c: process.noNewPrivileges. */
int no_new_privs_apply(json_object *process, struct orch_error *err);

/* scheduler.c: process.scheduler (sched_setattr). */
int scheduler_apply(json_object *process, struct orch_error *err);

/* io_priority.c: process.ioPriority (ioprio_set). */
int io_priority_apply(json_object *process, struct orch_error *err);

/* personality.c: linux.personality of `spec` (domain and flags). */
int personality_apply(json_object *spec, struct orch_error *err);

/*
 * cpu_affinity.c: a cpu list ("0-3,7") as a CPU_ALLOC'd set; cpu_affinity_check rejects bad
 * process.execCPUAffinity lists at create; cpu_affinity_reset lets the init run on every CPU
 * its cgroup allows instead of the caller's affinity.
 */
int cpu_list_parse(const char *list, cpu_set_t **set, size_t *size, struct orch_error *err);
int cpu_affinity_check(json_object *process, struct orch_error *err);
void cpu_affinity_reset(void);
/* Pins the calling process to `list` (an exec'd process's initial or final list; "" leaves it). */
int cpu_affinity_set(const char *list, const char *what, struct orch_error *err);

/* memory_policy.c: linux.memoryPolicy for the calling process (set_mempolicy), just before exec. */
int memory_policy_apply(json_object *linux_obj, struct orch_error *err);

/* home_dir.c: uid's home in the container's /etc/passwd, "/" without one. *home: malloc'd. */
int home_dir_lookup(unsigned long uid, char **home, struct orch_error *err);

/*
 * env.c: process.env as a NULL-terminated KEY=VALUE array (malloc'd; strings are the config's),
 * last value of a key wins, HOME added for process.user.uid when missing. After pivot_root.
 */
int env_build(json_object *process, char ***envp, struct orch_error *err);

/* args.c: process.args as a NULL-terminated array (malloc'd; strings are the config's). */
int args_build(json_object *process, char ***argv, struct orch_error *err);

/* exec_path.c: resolves argv0 as Go's exec.LookPath does, on the PATH of envp. *path: malloc'd. */
int exec_path_resolve(const char *argv0, char *const envp[], char **path, struct orch_error *err);

/* fds.c: marks every fd >= from close-on-exec, so no runtime fd reaches the process. */
int fds_cloexec_from(int from, struct orch_error *err);

/*
 * exec_fifo.c, the standard init's side of `start`: exec_fifo_open blocks until `orch start`
 * opens the fifo and returns the write end; exec_fifo_release then writes the start byte "0"
 * and closes the O_PATH fd; exec_fifo_refuse writes why the start failed instead (a
 * startContainer hook), which `start` prints, and closes fd.
 */
int exec_fifo_open(int fifo_fd, struct orch_error *err);
int exec_fifo_release(int fd, int fifo_fd, struct orch_error *err);
void exec_fifo_refuse(int fd, const char *message);

#endif
