#ifndef ORCH_DEVICES_H
#define ORCH_DEVICES_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "../error/error.h"
#include "../mounts/mounts.h"

/* The container's /dev, made as runc does before the root change (and /dev/null after it). */

struct device_node {
	const char *path;	/* absolute path in the container, e.g. /dev/null */
	char type;		/* 'c' (or 'u'), 'b', 'p' */
	int64_t major, minor;
	mode_t mode;		/* permission bits */
	uid_t uid;
	gid_t gid;
};

/* default_devices.c: true unless spec.mounts bind-mounts something at /dev (runc's
 * needsSetupDev): then the runtime leaves /dev alone. */
bool devices_need_setup(json_object *spec);
/* default_devices.c: runc's default nodes (null, random, full, tty, zero, urandom) that
 * spec.linux.devices does not redefine, then spec.linux.devices. */
int devices_create(struct mount_ctx *ctx, struct orch_error *err);
/* device_node.c: mknod one node (fifos too), or bind the host's node onto an empty file when
 * bind is set (user namespace) or mknod is not permitted. */
int device_node_create(struct mount_ctx *ctx, const struct device_node *dev, bool bind,
		       struct orch_error *err);
/* dev_symlinks.c: /dev/fd, stdin, stdout, stderr (and core when /proc/kcore exists). */
int dev_symlinks_create(struct mount_ctx *ctx, struct orch_error *err);
/* devpts.c: /dev/ptmx -> pts/ptmx, replacing any node there. */
int devpts_setup_ptmx(struct mount_ctx *ctx, struct orch_error *err);
/* dev_null.c: after the root change, stdio fds open on the host's /dev/null are moved to the
 * container's. */
int dev_null_reopen(struct orch_error *err);

#endif
