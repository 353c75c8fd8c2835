#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mounts.h"

static bool type_is(const struct mount_req *req, const char *type)
{
	return strcmp(req->type, type) == 0;
}

int reopen_mountpoint(struct mount_ctx *ctx, const char *dest, int old_fd, struct orch_error *err)
{
	char before[PATH_MAX], after[PATH_MAX];

	if (fd_path(old_fd, before, sizeof before) < 0)
		return orch_fail(err, errno, "readlink mountpoint %s", dest);
	/* The old fd still refers to the directory under the new mount: resolve the path again
	 * to reach the mount itself. */
	int fd = open_in_root(ctx->root_fd, dest, O_PATH);
	if (fd < 0)
		return orch_fail(err, errno, "reopen mountpoint %s", dest);
	if (fd_path(fd, after, sizeof after) < 0) {
		int e = errno;
		close(fd);
		return orch_fail(err, e, "readlink mountpoint %s", dest);
	}
	if (strcmp(before, after) != 0) {
		close(fd);
		return orch_fail(err, 0, "mountpoint %s moved while mounting (%s, now %s)", dest, before, after);
	}
	return fd;
}

int mount_propagate(struct mount_ctx *ctx, const struct mount_req *req, int *dst_fd,
		    int *mount_errno, struct orch_error *err)
{
	char target[PROCFD_PATH_SIZE];
	char names[128];
	unsigned long flags = req->opts.flags;
	bool bind = type_is(req, "bind");

	*mount_errno = 0;
	/* /dev and tmpfs mounts get files made in them (device nodes, the tmpfs mode): they are
	 * made read-only after the root change, as runc does. */
	if (type_is(req, "tmpfs") || strcmp(req->dest, "/dev") == 0)
		flags &= ~MS_RDONLY;
	if (req->tree_fd) {
		/* Onto the fd itself: no path is looked up again. */
		if (move_mount(*req->tree_fd, "", *dst_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
			*mount_errno = errno;
			return orch_fail(err, errno, "move the mount of %s made on the host side into place", req->source);
		}
	} else if (mount(req->source, procfd_path(*dst_fd, target), bind ? NULL : req->type, flags,
			 req->opts.data) < 0) {
		*mount_errno = errno;
		if (bind)
			return orch_fail(err, errno, "bind-mount %s", req->source);
		return orch_fail(err, errno, "mount %s", req->type);
	}
	int fd = reopen_mountpoint(ctx, req->dest, *dst_fd, err);
	if (fd < 0)
		return -1;
	close(*dst_fd);
	*dst_fd = fd;
	for (int i = 0; i < req->opts.n_propagation; i++) {
		unsigned long prop = req->opts.propagation[i];
		if (mount("", procfd_path(fd, target), NULL, prop, NULL) < 0)
			return orch_fail(err, errno, "set propagation %s",
					 mount_flags_string(prop, names, sizeof names));
	}
	return 0;
}

/* runc's createOpenMountpoint: open the destination inside the rootfs, creating it (a file when
 * a bind's source is not a directory, else a directory) when it is missing. */
static int open_mountpoint(struct mount_ctx *ctx, const struct mount_req *req, char **tmpfs_data,
			   struct orch_error *err)
{
	char full[PATH_MAX];
	struct stat st;

	/* Refuse by the spec's path before creating anything, then by the resolved one below. */
	if (check_proc_mount(req->dest, req, err) < 0)
		return -1;
	int fd = open_in_root(ctx->root_fd, req->dest, O_PATH);

	if (fd >= 0 && type_is(req, "tmpfs")) {
		/* A tmpfs over an existing directory keeps its mode unless the options say otherwise. */
		if (fstat(fd, &st) < 0) {
			int e = errno;
			close(fd);
			return orch_fail(err, e, "stat %s", req->dest);
		}
		const char *data = req->opts.data;
		if (asprintf(tmpfs_data, "mode=%04o%s%s", st.st_mode & 07777, data ? "," : "",
			     data ? data : "") < 0) {
			*tmpfs_data = NULL;
			close(fd);
			return orch_fail(err, ENOMEM, "tmpfs options");
		}
	}
	if (fd < 0) {
		if (errno != ENOENT)
			return orch_fail(err, errno, "open mountpoint %s", req->dest);
		bool is_file = false;
		if (type_is(req, "bind")) {
			if ((req->tree_fd ? fstat(*req->tree_fd, &st) : stat(req->source, &st)) < 0)
				return orch_fail(err, errno, "stat bind source %s", req->source);
			is_file = !S_ISDIR(st.st_mode);
		}
		if (is_file) {
			char name[NAME_MAX + 1];
			int dir = open_parent_in_root(ctx->root_fd, req->dest, 0755, name, sizeof name, err);
			if (dir < 0)
				return -1;
			fd = openat(dir, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_RDONLY | O_CLOEXEC, 0644);
			int e = errno;
			close(dir);
			if (fd < 0)
				return orch_fail(err, e, "create mountpoint %s", req->dest);
		} else {
			fd = mkdir_all_in_root(ctx->root_fd, req->dest, 0755, err);
			if (fd < 0)
				return -1;
		}
	}

	/* openat2 keeps us in the rootfs; these checks are the ones runc makes on the result. */
	if (fd_path(fd, full, sizeof full) < 0) {
		int e = errno;
		close(fd);
		return orch_fail(err, e, "readlink mountpoint %s", req->dest);
	}
	if (!path_in_root(ctx->rootfs, full)) {
		close(fd);
		return orch_fail(err, 0, "mountpoint %s is outside of rootfs %s", full, ctx->rootfs);
	}
	const char *rel = strcmp(ctx->rootfs, "/") == 0 ? full : full + strlen(ctx->rootfs);
	if (*rel == '\0') {
		close(fd);
		return orch_fail(err, 0, "mountpoint %s is on top of rootfs %s", full, ctx->rootfs);
	}
	if (check_proc_mount(rel, req, err) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* proc and sysfs go on an ordinary directory at exactly the destination: never through a
 * symlink, never on a file. */
static int open_proc_sys_mountpoint(struct mount_ctx *ctx, const struct mount_req *req,
				    struct orch_error *err)
{
	struct stat st;
	int fd = open_in_root(ctx->root_fd, req->dest, O_PATH | O_NOFOLLOW);

	if (fd >= 0) {
		int r = fstat(fd, &st);
		int e = errno;
		close(fd);
		if (r < 0)
			return orch_fail(err, e, "stat %s", req->dest);
		if (!S_ISDIR(st.st_mode))
			return orch_fail(err, 0, "filesystem %s must be mounted on ordinary directory",
					 req->type);
	} else if (errno != ENOENT) {
		return orch_fail(err, errno, "open mountpoint %s", req->dest);
	}
	if (strcmp(req->dest, "/") == 0)
		return orch_fail(err, 0, "cannot mount %s on top of the rootfs", req->type);
	if (check_proc_mount(req->dest, req, err) < 0)
		return -1;
	return mkdir_all_in_root(ctx->root_fd, req->dest, 0755, err);
}

static int mount_proc_sys(struct mount_ctx *ctx, const struct mount_req *req, int *dst,
			  struct orch_error *err)
{
	int mount_errno;

	*dst = open_proc_sys_mountpoint(ctx, req, err);
	if (*dst < 0)
		return -1;
	if (mount_propagate(ctx, req, dst, &mount_errno, err) == 0)
		return mount_apply_rec_attr(req, *dst, err);
	/* The kernel lets a user namespace mount sysfs only if it owns the network namespace:
	 * a read-only /sys is then the host's, bound (as crun does; a writable one is refused). */
	if (!(type_is(req, "sysfs") && mount_errno == EPERM && ctx->userns))
		return -1;
	if (!(req->opts.flags & MS_RDONLY))
		return orch_fail(err, mount_errno, "mount sysfs (without its own network namespace, a user "
				 "namespace gets a sysfs only read-only, bound from the host)");
	struct mount_req bind = *req;
	bind.type = "bind";
	bind.source = "/sys";
	bind.opts.flags |= MS_BIND | MS_REC;
	bind.opts.data = NULL;
	/* The host's submounts of /sys (its cgroup hierarchies ...) come along: "ro" must hold for
	 * them too. */
	if (bind.opts.flags & MS_RDONLY)
		bind.opts.rec_set |= MOUNT_ATTR_RDONLY;
	if (mount_bind(ctx, &bind, dst, err) < 0)
		return orch_wrap(err, "mount sysfs: %s, and the fallback to a bind of /sys: ",
				 strerror(mount_errno));
	return 0;
}

int mount_req_apply(struct mount_ctx *ctx, struct mount_req *req, struct orch_error *err)
{
	char *tmpfs_data = NULL;
	int dst = -1;
	int mount_errno;
	int ret;

	if (type_is(req, "proc") || type_is(req, "sysfs")) {
		ret = mount_proc_sys(ctx, req, &dst, err);
		goto out;
	}
	dst = open_mountpoint(ctx, req, &tmpfs_data, err);
	if (dst < 0)
		return -1;
	if (type_is(req, "bind")) {
		ret = mount_bind(ctx, req, &dst, err);
	} else if (type_is(req, "cgroup")) {
		ret = mount_cgroup(ctx, req, dst, err);
	} else {
		/* tmpfs, mqueue, devpts and any other filesystem type. */
		struct mount_req r = *req;
		int below = -1;
		if (tmpfs_data)
			r.opts.data = tmpfs_data;
		/* tmpcopyup: keep hold of the directory the tmpfs is about to cover. */
		if (type_is(req, "tmpfs") && req->opts.copy_up) {
			below = openat(dst, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (below < 0) {
				ret = orch_fail(err, errno, "tmpcopyup: open %s", req->dest);
				goto out;
			}
		}
		ret = mount_propagate(ctx, &r, &dst, &mount_errno, err);
		if (ret == 0 && below >= 0)
			ret = tmpfs_copy_up(below, dst, req->dest, err);
		if (ret == 0)
			ret = mount_apply_rec_attr(req, dst, err);
		if (below >= 0)
			close(below);
	}
out:
	free(tmpfs_data);
	if (dst >= 0)
		close(dst);
	return ret;
}

const char *mount_bind_source(const struct init_config *cfg, const char *source, char buf[PATH_MAX],
			      struct orch_error *err)
{
	if (!source)
		source = "";
	if (source[0] == '/')
		return source;
	/* runc resolves a relative bind source against the bundle (its cwd). */
	if (snprintf(buf, PATH_MAX, "%s/%s", cfg->bundle ? cfg->bundle : ".", source) >= PATH_MAX) {
		orch_fail(err, ENAMETOOLONG, "source %s", source);
		return NULL;
	}
	return buf;
}

int mount_spec_entry(struct mount_ctx *ctx, json_object *m, int index, struct orch_error *err)
{
	char dest[PATH_MAX];
	char source[PATH_MAX];
	struct mount_req req;
	const char *destination = cfg_string(m, "destination");
	int ret;

	if (!destination || !*destination)
		return orch_fail(err, 0, "mount %d: destination: required", index);
	if (path_clean_abs(destination, dest, sizeof dest) < 0)
		return orch_fail(err, errno, "mount %d (%s)", index, destination);
	memset(&req, 0, sizeof req);
	req.dest = dest;
	req.type = cfg_string(m, "type");
	req.source = cfg_string(m, "source");
	if (!req.type)
		req.type = "";
	if (!req.source)
		req.source = "";
	if (mount_options_parse(cfg_get(m, "options"), &req.opts, err) < 0)
		return orch_wrap(err, "mount %d (%s): ", index, destination);

	/* As in runc, a "bind"/"rbind" option makes a bind mount whatever the type says; a "bind"
	 * type without the option is taken as a (non-recursive) bind too. */
	if ((req.opts.flags & MS_BIND) || strcmp(req.type, "bind") == 0) {
		req.type = "bind";
		req.opts.flags |= MS_BIND;
		req.source = mount_bind_source(ctx->cfg, req.source, source, err);
		if (!req.source) {
			mount_options_free(&req.opts);
			return orch_wrap(err, "mount %d (%s): ", index, destination);
		}
		/* The kernel ignores filesystem data on a bind; runc 1.1 and crun pass it on, runc
		 * 1.2+ refuses it. Dropped here (the orchestrator warns). */
		free(req.opts.data);
		req.opts.data = NULL;
		req.tree_fd = mount_source_tree(index);
	}
	if (mount_is_idmapped(m, &req.opts) && !req.tree_fd) {
		mount_options_free(&req.opts);
		return orch_fail(err, 0, "mount %d (%s): id-mapped mounts are only supported for bind mounts",
				 index, destination);
	}
	ret = mount_req_apply(ctx, &req, err);
	mount_options_free(&req.opts);
	if (ret < 0)
		return orch_wrap(err, "mount %d (%s): ", index, destination);
	return 0;
}
