/* Generated from shared/protocol.json by tools/gen-protocol.mjs. Do not edit. */
#ifndef ORCH_PROTOCOL_H
#define ORCH_PROTOCOL_H

#define ORCH_PROTOCOL_VERSION 1

#define ORCH_ENV_SYNC_FD "_ORCH_SYNC_FD"
#define ORCH_ENV_LOG_FD "_ORCH_LOG_FD"
#define ORCH_ENV_LOG_LEVEL "_ORCH_LOG_LEVEL"
#define ORCH_ENV_SECCOMP_AGENT_FD "_ORCH_SECCOMP_AGENT_FD"
#define ORCH_ENV_RESIZE_FD "_ORCH_RESIZE_FD"

#define ORCH_INIT_MSG 62000
/* u32: CLONE_NEW* flags of the namespaces to create */
#define ORCH_ATTR_CLONE_FLAGS 27281
/* string: one namespace to join as kind:path, e.g. net:/proc/1/ns/net; repeated, once per namespace (no list separator: a path may hold any byte but NUL) */
#define ORCH_ATTR_NS_PATH 27282
/* bytes: contents for /proc/PID/uid_map, lines of 'inside outside count' */
#define ORCH_ATTR_UID_MAP 27283
/* bytes: contents for /proc/PID/gid_map */
#define ORCH_ATTR_GID_MAP 27284
/* bool: true: leave setgroups allowed; false: write deny before gid_map (rootless) */
#define ORCH_ATTR_SETGROUPS 27285
/* bytes: value for /proc/self/oom_score_adj, written before the user namespace exists */
#define ORCH_ATTR_OOM_SCORE_ADJ 27286
/* bool: the orchestrator runs without root on the host */
#define ORCH_ATTR_ROOTLESS_EUID 27287
/* string: newuidmap binary to use instead of writing uid_map */
#define ORCH_ATTR_UID_MAP_PATH 27288
/* string: newgidmap binary to use instead of writing gid_map */
#define ORCH_ATTR_GID_MAP_PATH 27289
/* bytes: contents for /proc/self/timens_offsets, lines of 'clock secs nanosecs' */
#define ORCH_ATTR_TIME_OFFSETS 27290

struct orch_namespace_kind { const char *type; const char *proc; int flag; };
/* OCI type, /proc/PID/ns name and clone flag, in join order (user first). */
static const struct orch_namespace_kind orch_namespace_kinds[] = {
	{ "user", "user", 268435456 },
	{ "mount", "mnt", 131072 },
	{ "cgroup", "cgroup", 33554432 },
	{ "uts", "uts", 67108864 },
	{ "ipc", "ipc", 134217728 },
	{ "network", "net", 1073741824 },
	{ "pid", "pid", 536870912 },
	{ "time", "time", 128 },
};
#define ORCH_NAMESPACE_KINDS 8

/* Canonical sysctl keys: what a component may hold, and the namespaced keys (protocol.json). */
#define ORCH_SYSCTL_NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.@+-"
struct orch_sysctl_rule { const char *path; int prefix; const char *ns; };
static const struct orch_sysctl_rule orch_sysctl_rules[] = {
	{ "kernel/msgmax", 0, "ipc" },
	{ "kernel/msgmnb", 0, "ipc" },
	{ "kernel/msgmni", 0, "ipc" },
	{ "kernel/sem", 0, "ipc" },
	{ "kernel/shmall", 0, "ipc" },
	{ "kernel/shmmax", 0, "ipc" },
	{ "kernel/shmmni", 0, "ipc" },
	{ "kernel/shm_rmid_forced", 0, "ipc" },
	{ "fs/mqueue/", 1, "ipc" },
	{ "net/", 1, "network" },
	{ "kernel/domainname", 0, "uts" },
	{ "kernel/hostname", 0, "uts" },
	{ "user/", 1, "user" },
};
#define ORCH_SYSCTL_RULES 13

/* from helper: stage-0: {pid, stage1Pid} host pids of the container init (exec: the process) and of stage-1; criu-restore: {pid} of the restored init */
#define ORCH_SYNC_PROC_PIDS "procPids"
/* from helper: the init has set up the rootfs; the orchestrator may finish its side */
#define ORCH_SYNC_PROC_READY "procReady"
/* from orch: answer to procReady: go on to the exec fifo; to criu-restore: you are in the cgroup, run criu */
#define ORCH_SYNC_PROC_RUN "procRun"
/* from helper: the init, mounts in place and before the root change, waits while the orchestrator runs prestart and createRuntime hooks (sent only when the spec has some) */
#define ORCH_SYNC_PROC_HOOKS "procHooks"
/* from orch: answer to procHooks */
#define ORCH_SYNC_PROC_RESUME "procResume"
/* from both: {message}: the sender failed; the receiver gives up */
#define ORCH_SYNC_PROC_ERROR "procError"
/* from helper: the init is about to load a seccomp filter with SCMP_ACT_NOTIFY rules and needs the state for the agent at listenerPath */
#define ORCH_SYNC_PROC_SECCOMP "procSeccomp"
/* from orch: answer to procSeccomp: {state} is the container process state the init sends to the agent, with the listener fd, over the socket at $_ORCH_SECCOMP_AGENT_FD */
#define ORCH_SYNC_PROC_SECCOMP_DONE "procSeccompDone"

#define ORCH_INIT_TYPE_STANDARD "standard"
#define ORCH_INIT_TYPE_SETNS "setns"

/* The init config: every field, its JSON type ("string", "boolean", "integer", "object"), whether required. */
struct orch_init_config_field { const char *key; const char *type; int required; };
static const struct orch_init_config_field orch_init_config_fields[] = {
	{ "type", "string", 1 },
	{ "id", "string", 1 },
	{ "bundle", "string", 1 },
	{ "rootfs", "string", 1 },
	{ "fifoPath", "string", 0 },
	{ "foreground", "boolean", 0 },
	{ "noPivot", "boolean", 0 },
	{ "noNewKeyring", "boolean", 0 },
	{ "noSubreaper", "boolean", 0 },
	{ "preserveFds", "integer", 0 },
	{ "consoleSocket", "string", 0 },
	{ "pidfdSocket", "string", 0 },
	{ "spec", "object", 1 },
};
#define ORCH_INIT_CONFIG_FIELDS 13

#endif
