#ifndef ORCH_ROOTFS_H
#define ORCH_ROOTFS_H

#include "../config/init_config.h"

/*
 * Builds the container's filesystem view. Runs in the container init (stage-2), as root in its
 * user namespace, inside the container's mount namespace, before procReady:
 * root propagation, bind of the rootfs onto itself, spec.mounts in order, /dev (default device
 * nodes and symlinks, devpts/ptmx), then pivot_root (or MS_MOVE + chroot with no_pivot),
 * masked and read-only paths, root.readonly. On return the cwd is "/" of the new root.
 * before_root_change (may be NULL) is called with arg once every mount is in place, before the
 * root changes, with the rootfs as cwd: the point of the OCI create hooks.
 */
typedef int (*rootfs_before_root_change)(void *arg, struct orch_error *err);
int rootfs_setup(const struct init_config *cfg, rootfs_before_root_change before_root_change,
		 void *arg, struct orch_error *err);

#endif
