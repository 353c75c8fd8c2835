#ifndef ORCH_ROOTFS_INTERNAL_H
#define ORCH_ROOTFS_INTERNAL_H

#include <json-c/json.h>

#include "../error/error.h"

/* The steps of rootfs_setup(), in the order it runs them (runc's prepareRootfs, then
 * finalizeRootfs and the tail of its standard init). */

/* propagation.c: spec.linux.rootfsPropagation -> MS_* (0 when absent). */
int root_propagation_parse(json_object *linux_obj, unsigned long *flags, struct orch_error *err);
/* propagation.c: "/" gets the root propagation (rslave by default), the mount holding the
 * rootfs is made private (slave when the root propagation is slave) so binds do not leak to the
 * host and pivot_root is allowed. */
int root_propagation_prepare(const char *rootfs, unsigned long flags, struct orch_error *err);
/* propagation.c: after the root change, a shared or unbindable root propagation is applied to
 * the new "/" (private and slave were already applied before). */
int root_propagation_finish(unsigned long flags, struct orch_error *err);

/* pivot_root.c: pivot_root(".", ".") into root_fd and detach the old root. */
int rootfs_pivot(int root_fd, struct orch_error *err);
/* move_root.c: no_pivot: MS_MOVE the rootfs onto "/" and chroot into it (the cwd is the rootfs). */
int rootfs_move_root(const char *rootfs, struct orch_error *err);
/* move_root.c: no mount namespace: chroot into root_fd only. */
int rootfs_chroot(int root_fd, struct orch_error *err);

/* readonly_remount.c: spec.mounts tmpfs (and /dev) entries with "ro" were mounted read-write
 * so files could be made in them: remount them read-only now. */
int rootfs_remount_readonly_mounts(json_object *spec, struct orch_error *err);
/* readonly_remount.c: spec.root.readonly. */
int rootfs_set_readonly(struct orch_error *err);
/* sysctl.c: spec.linux.sysctl written to /proc/sys. */
int sysctl_write_all(json_object *linux_obj, struct orch_error *err);
/* readonly_paths.c: spec.linux.readonlyPaths bound onto themselves read-only. */
int readonly_paths_apply(json_object *linux_obj, struct orch_error *err);
/* masked_paths.c: spec.linux.maskedPaths covered with /dev/null or an empty read-only tmpfs. */
int masked_paths_apply(json_object *linux_obj, struct orch_error *err);

#endif
