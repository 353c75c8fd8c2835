#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "../console/console.h"
#include "../devices/devices.h"
#include "../mounts/mounts.h"
#include "rootfs.h"
#include "rootfs_internal.h"

/* Created or joined: either way the container has a mount namespace of its own. */
static bool spec_has_namespace(json_object *linux_obj, const char *type)
{
	json_object *nss = cfg_get(linux_obj, "namespaces");
	size_t n = nss && json_object_is_type(nss, json_type_array) ? json_object_array_length(nss) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *t = cfg_string(json_object_array_get_idx(nss, i), "type");
		if (t && strcmp(t, type) == 0)
			return true;
	}
	return false;
}

static bool array_nonempty(json_object *obj, const char *key)
{
	json_object *a = cfg_get(obj, key);

	return a && json_object_is_type(a, json_type_array) && json_object_array_length(a) > 0;
}

static int mount_all(struct mount_ctx *ctx, struct orch_error *err)
{
	json_object *mounts = cfg_get(ctx->cfg->spec, "mounts");

	if (!mounts)
		return 0;
	if (!json_object_is_type(mounts, json_type_array))
		return orch_fail(err, 0, "mounts: not an array");
	size_t n = json_object_array_length(mounts);
	for (size_t i = 0; i < n; i++)
		if (mount_spec_entry(ctx, json_object_array_get_idx(mounts, i), (int)i, err) < 0)
			return -1;
	return 0;
}

static int setup_dev(struct mount_ctx *ctx, struct orch_error *err)
{
	if (devices_create(ctx, err) < 0 || devpts_setup_ptmx(ctx, err) < 0 ||
	    dev_symlinks_create(ctx, err) < 0)
		return -1;
	return 0;
}

/* Up to the root change (runc's prepareRootfs). */
static int prepare(struct mount_ctx *ctx, bool mountns, unsigned long propagation, bool dev,
		   rootfs_before_root_change hook, void *hook_arg, struct orch_error *err)
{
	const struct init_config *cfg = ctx->cfg;

	if (mountns) {
		if (root_propagation_prepare(cfg->rootfs, propagation, err) < 0)
			return -1;
		/* pivot_root and MS_MOVE need the rootfs to be a mount point. */
		if (mount(cfg->rootfs, cfg->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
			return orch_fail(err, errno, "bind-mount the rootfs %s onto itself", cfg->rootfs);
	}
	ctx->root_fd = open(cfg->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (ctx->root_fd < 0)
		return orch_fail(err, errno, "open the rootfs %s", cfg->rootfs);
	if (mount_all(ctx, err) < 0)
		return -1;
	if (dev && setup_dev(ctx, err) < 0)
		return -1;
	if (fchdir(ctx->root_fd) < 0)
		return orch_fail(err, errno, "chdir to the rootfs %s", cfg->rootfs);
	if (hook != NULL && hook(hook_arg, err) < 0)
		return -1;

	int ret;
	if (!mountns)
		ret = rootfs_chroot(ctx->root_fd, err);
	else if (cfg->no_pivot)
		ret = rootfs_move_root(cfg->rootfs, err);
	else
		ret = rootfs_pivot(ctx->root_fd, err);
	close(ctx->root_fd);
	ctx->root_fd = -1;
	if (ret < 0)
		return -1;
	if (mountns && root_propagation_finish(propagation, err) < 0)
		return -1;
	if (dev && dev_null_reopen(err) < 0)
		return -1;
	return 0;
}

int rootfs_setup(const struct init_config *cfg, rootfs_before_root_change before_root_change,
		 void *arg, struct orch_error *err)
{
	json_object *linux_obj = cfg_get(cfg->spec, "linux");
	unsigned long propagation;
	struct mount_ctx ctx = {
		.cfg = cfg,
		.rootfs = cfg->rootfs,
		.root_fd = -1,
		.userns = running_in_userns(),
		.cgroupns = spec_has_namespace(linux_obj, "cgroup"),
	};
	bool mountns = spec_has_namespace(linux_obj, "mount") || (cfg->clone_flags & CLONE_NEWNS);

	if (!cfg->rootfs || cfg->rootfs[0] != '/')
		return orch_fail(err, 0, "rootfs: an absolute path is required");
	if (root_propagation_parse(linux_obj, &propagation, err) < 0)
		return -1;
	/* Masking in the host's mount namespace would mask the host (runc refuses it too). */
	if (!mountns && (array_nonempty(linux_obj, "maskedPaths") || array_nonempty(linux_obj, "readonlyPaths")))
		return orch_fail(err, 0, "unable to restrict sys entries without a private MNT namespace");

	bool dev = devices_need_setup(cfg->spec);
	int ret = prepare(&ctx, mountns, propagation, dev, before_root_change, arg, err);
	/* The id-mapped trees stage-0 made are in place (or never will be). */
	mount_sources_close();
	if (ret < 0) {
		if (ctx.root_fd >= 0)
			close(ctx.root_fd);
		return -1;
	}
	/* runc's setupConsole: the container's /dev/pts is in place, nothing is read-only yet. */
	if (console_setup(cfg, err) < 0)
		return -1;

	/* runc's finalizeRootfs, then the tail of its standard init, in its order: sysctls are
	 * written before readonlyPaths makes /proc/sys read-only. */
	if (mountns) {
		if (rootfs_remount_readonly_mounts(cfg->spec, err) < 0)
			return -1;
		if (cfg_bool(cfg_get(cfg->spec, "root"), "readonly", false) && rootfs_set_readonly(err) < 0)
			return -1;
	}
	if (sysctl_write_all(linux_obj, err) < 0)
		return -1;
	if (readonly_paths_apply(linux_obj, err) < 0)
		return -1;
	return masked_paths_apply(linux_obj, err);
}
