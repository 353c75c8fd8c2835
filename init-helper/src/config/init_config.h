#ifndef ORCH_INIT_CONFIG_H
#define ORCH_INIT_CONFIG_H

#include <stdbool.h>
#include <json-c/json.h>

#include "../error/error.h"

/*
 * The init config is the JSON line the orchestrator sends after the bootstrap message
 * (shared/init-config.md). Stage-0 reads it before forking, so every stage has it in memory.
 * Strings point into `root` and live as long as it does.
 */
struct init_config {
	json_object *root;
	json_object *spec;	/* the validated OCI config.json */
	const char *type;	/* "standard" or "setns" */
	const char *id;
	const char *bundle;
	const char *rootfs;	/* absolute host path of the rootfs */
	const char *fifo_path;	/* exec fifo (standard init) */
	bool foreground;	/* stage-0 stays, waits for the init and exits with its status */
	bool no_pivot;
	bool no_new_keyring;
	/* run --no-subreaper: a foreground stage-0 does not adopt the container's orphans */
	bool no_subreaper;
	int preserve_fds;
	/* Filled from the bootstrap data, not the JSON: the CLONE_NEW* flags of namespaces created. */
	int clone_flags;
	/* Set by stage-0, not the JSON: where the init sends its pty master (console/console.h),
	 * -1 without process.terminal. */
	int console_socket;
};

int init_config_parse(const char *json, struct init_config *cfg, struct orch_error *err);

/* Small accessors for json-c objects: NULL / default when the key is absent or of another type. */
json_object *cfg_get(json_object *obj, const char *key);
const char *cfg_string(json_object *obj, const char *key);
bool cfg_bool(json_object *obj, const char *key, bool fallback);
long long cfg_int(json_object *obj, const char *key, long long fallback);

#endif
