#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "mounts.h"

#define CGROUP_DEFAULT_FLAGS (MS_NOEXEC | MS_NOSUID | MS_NODEV)
#define MAX_HIERARCHIES 32

/* One line of /proc/self/cgroup: "4:cpu,cpuacct:/path" (v1), "0::/path" (v2). */
struct cgroup_line {
	char *controllers;
	char *path;
};

/* One v1 hierarchy as the init sees it. */
struct hierarchy {
	char mountpoint[PATH_MAX];	/* host mountpoint, e.g. /sys/fs/cgroup/cpu,cpuacct */
	char source[PATH_MAX];		/* the init's own cgroup directory under it */
	char subsystems[256];		/* mount data for a fresh mount: "cpu,cpuacct", "name=systemd" */
};

struct hierarchy_scan {
	struct mount_ctx *ctx;
	struct cgroup_line lines[MAX_HIERARCHIES];
	int n_lines;
	struct hierarchy *found;
	int n_found;
	char seen[512];		/* "cpu,cpuacct,..." subsystems already taken */
};

static bool list_has(const char *list, const char *item)
{
	size_t n = strlen(item);

	for (const char *p = list; p && *p;) {
		const char *end = strchrnul(p, ',');
		if ((size_t)(end - p) == n && strncmp(p, item, n) == 0)
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

static int read_proc_cgroup(struct hierarchy_scan *scan, char **buf, struct orch_error *err)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	size_t cap = 0;

	if (!f)
		return orch_fail(err, errno, "open /proc/self/cgroup");
	ssize_t len = getdelim(buf, &cap, '\0', f);
	int e = errno;
	fclose(f);
	if (len < 0)
		return orch_fail(err, e, "read /proc/self/cgroup");
	char *save = NULL;
	for (char *line = strtok_r(*buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':');
		char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			return orch_fail(err, 0, "/proc/self/cgroup: cannot parse \"%s\"", line);
		if (scan->n_lines == MAX_HIERARCHIES)
			return orch_fail(err, 0, "/proc/self/cgroup: more than %d hierarchies", MAX_HIERARCHIES);
		*c1 = *c2 = '\0';
		scan->lines[scan->n_lines].controllers = c1 + 1;
		scan->lines[scan->n_lines].path = c2 + 1;
		scan->n_lines++;
	}
	return 0;
}

/* The init's cgroup in the hierarchy that has subsystem opt, or NULL if opt is no subsystem
 * (a mount option such as "rw" or "noprefix"). */
static const char *own_cgroup(const struct hierarchy_scan *scan, const char *opt)
{
	for (int i = 0; i < scan->n_lines; i++)
		if (list_has(scan->lines[i].controllers, opt))
			return scan->lines[i].path;
	return NULL;
}

/* runc's GetCgroupMounts(false) + GetOwnCgroup: every v1 mount of a hierarchy the init belongs
 * to (the first one only when a hierarchy is mounted twice), with the init's own cgroup in it. */
static int scan_mount(const struct mountinfo_entry *e, void *arg, struct orch_error *err)
{
	struct hierarchy_scan *scan = arg;
	struct hierarchy h = { 0 };
	const char *own = NULL;
	size_t sub_len = 0;
	bool new_subsystem = false;

	if (strcmp(e->fstype, "cgroup") != 0 || path_in_root(scan->ctx->rootfs, e->mountpoint))
		return 0;
	for (const char *p = e->super_opts; *p;) {
		const char *end = strchrnul(p, ',');
		size_t n = (size_t)(end - p);
		char opt[128];
		if (n > 0 && n < sizeof opt) {
			memcpy(opt, p, n);
			opt[n] = '\0';
			const char *path = own_cgroup(scan, opt);
			if (path) {
				own = path;
				if (!list_has(scan->seen, opt)) {
					size_t seen_len = strlen(scan->seen);
					new_subsystem = true;
					snprintf(scan->seen + seen_len, sizeof scan->seen - seen_len, "%s%s",
						 seen_len ? "," : "", opt);
				}
				snprintf(h.subsystems + sub_len, sizeof h.subsystems - sub_len, "%s%s",
					 sub_len ? "," : "", opt);
				sub_len = strlen(h.subsystems);
			}
		}
		p = *end ? end + 1 : end;
	}
	if (!own || !new_subsystem)
		return 0;
	if (scan->n_found == MAX_HIERARCHIES)
		return orch_fail(err, 0, "more than %d cgroup v1 hierarchies", MAX_HIERARCHIES);

	if (snprintf(h.mountpoint, sizeof h.mountpoint, "%s", e->mountpoint) >= (int)sizeof h.mountpoint)
		return orch_fail(err, ENAMETOOLONG, "cgroup mount %s", e->mountpoint);
	/* Only a bind needs the own cgroup directory (in a cgroup namespace, paths are relative to
	 * the namespace and the mount roots read "/.."). It is relative to the hierarchy's root,
	 * and the mount may show a subtree of that. */
	if (!scan->ctx->cgroupns) {
		const char *rel;
		size_t root_len = strlen(e->root);
		if (strcmp(e->root, "/") == 0)
			rel = own;
		else if (strncmp(own, e->root, root_len) == 0 && (own[root_len] == '/' || own[root_len] == '\0'))
			rel = own + root_len;
		else
			return orch_fail(err, 0, "cgroup %s is not below the root %s of the %s mount", own,
					 e->root, e->mountpoint);
		if (snprintf(h.source, sizeof h.source, "%s%s", e->mountpoint, strcmp(rel, "/") == 0 ? "" : rel) >=
		    (int)sizeof h.source)
			return orch_fail(err, ENAMETOOLONG, "cgroup mount %s", e->mountpoint);
	}
	scan->found[scan->n_found++] = h;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* "cpu,cpuacct" hierarchies get "cpu" and "cpuacct" symlinks, as on the host. */
static int link_merged(struct mount_ctx *ctx, const char *dest, const struct hierarchy *h, int n,
		       struct orch_error *err)
{
	int dir = -1;

	for (int i = 0; i < n; i++) {
		const char *name = base_name(h[i].mountpoint);
		if (!strchr(name, ','))
			continue;
		if (dir < 0) {
			dir = open_in_root(ctx->root_fd, dest, O_PATH | O_DIRECTORY);
			if (dir < 0)
				return orch_fail(err, errno, "open %s", dest);
		}
		char copy[NAME_MAX + 1];
		snprintf(copy, sizeof copy, "%s", name);
		char *save = NULL;
		for (char *ss = strtok_r(copy, ",", &save); ss; ss = strtok_r(NULL, ",", &save)) {
			if (symlinkat(name, dir, ss) < 0 && errno != EEXIST) {
				int e = errno;
				close(dir);
				return orch_fail(err, e, "symlink %s/%s -> %s", dest, ss, name);
			}
		}
	}
	if (dir >= 0)
		close(dir);
	return 0;
}

static int mount_cgroup_v1(struct mount_ctx *ctx, const struct mount_req *req, struct orch_error *err)
{
	struct hierarchy_scan scan = { .ctx = ctx };
	char *cgroup_buf = NULL;
	int ret = -1;

	scan.found = calloc(MAX_HIERARCHIES, sizeof *scan.found);
	if (!scan.found)
		return orch_fail(err, ENOMEM, "cgroup v1 hierarchies");
	if (read_proc_cgroup(&scan, &cgroup_buf, err) < 0 || mountinfo_foreach(scan_mount, &scan, err) < 0)
		goto out;

	/* A tmpfs holds one directory per hierarchy. */
	struct mount_req tmpfs = {
		.dest = req->dest,
		.type = "tmpfs",
		.source = "tmpfs",
		.opts = req->opts,
	};
	tmpfs.opts.flags = CGROUP_DEFAULT_FLAGS;
	tmpfs.opts.cleared = 0;
	tmpfs.opts.rec_set = tmpfs.opts.rec_clr = 0;
	tmpfs.opts.data = "mode=755";
	if (mount_req_apply(ctx, &tmpfs, err) < 0)
		goto out;

	for (int i = 0; i < scan.n_found; i++) {
		const struct hierarchy *h = &scan.found[i];
		char dest[PATH_MAX];
		if (snprintf(dest, sizeof dest, "%s/%s", req->dest, base_name(h->mountpoint)) >= (int)sizeof dest) {
			orch_fail(err, ENAMETOOLONG, "%s/%s", req->dest, base_name(h->mountpoint));
			goto out;
		}
		if (ctx->cgroupns) {
			/* The cgroup namespace makes a fresh mount show the container's own cgroup. */
			char target[PROCFD_PATH_SIZE];
			unsigned long flags = CGROUP_DEFAULT_FLAGS | (req->opts.flags & MS_RDONLY);
			const char *source = strncmp(h->subsystems, "name=", 5) == 0 ? h->subsystems + 5 : "cgroup";
			int fd = mkdir_all_in_root(ctx->root_fd, dest, 0755, err);
			if (fd < 0)
				goto out;
			int r = mount(source, procfd_path(fd, target), "cgroup", flags, h->subsystems);
			int e = errno;
			close(fd);
			if (r < 0) {
				orch_fail(err, e, "mount cgroup %s on %s", h->subsystems, dest);
				goto out;
			}
		} else {
			/* Without one, bind the init's own cgroup directory of each hierarchy. */
			struct mount_req bind = {
				.dest = dest,
				.type = "bind",
				.source = h->source,
				.opts = req->opts,
			};
			bind.opts.flags |= MS_BIND | MS_REC;
			bind.opts.rec_set = bind.opts.rec_clr = 0;
			bind.opts.data = NULL;
			if (mount_req_apply(ctx, &bind, err) < 0) {
				orch_wrap(err, "cgroup %s: ", h->subsystems);
				goto out;
			}
		}
	}
	ret = link_merged(ctx, req->dest, scan.found, scan.n_found, err);
out:
	free(scan.found);
	free(cgroup_buf);
	return ret;
}

/* The init's cgroup v2 path as the host sees it ("/" for the root), noted by stage-0, or "". */
static char cgroup2_host_path[PATH_MAX];

int cgroup_mount_prepare(struct orch_error *err)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return orch_fail(err, errno, "open /proc/self/cgroup");
	while (getline(&line, &cap, f) > 0) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		/* The root needs no suffix on /sys/fs/cgroup. */
		snprintf(cgroup2_host_path, sizeof cgroup2_host_path, "%s", strcmp(line + 3, "/") == 0 ? "" : line + 3);
		break;
	}
	free(line);
	fclose(f);
	return 0;
}

static int mount_cgroup_v2(struct mount_ctx *ctx, const struct mount_req *req, int dst_fd,
			   struct orch_error *err)
{
	struct mount_req r = *req;
	int mount_errno;
	int dst = dup(dst_fd);

	if (dst < 0)
		return orch_fail(err, errno, "dup");
	r.type = "cgroup2";
	int ret = mount_propagate(ctx, &r, &dst, &mount_errno, err);
	if (ret == 0)
		ret = mount_apply_rec_attr(req, dst, err);
	if (ret < 0 && (mount_errno == EPERM || mount_errno == EBUSY)) {
		/* A user namespace without its own cgroup namespace may not mount cgroup2: bind the
		 * host's hierarchy instead, as runc does (mount_bind applies "ro"). */
		char source[PATH_MAX];
		struct mount_req bind = *req;
		bind.type = "bind";
		bind.source = "/sys/fs/cgroup";
		/* With a cgroup namespace, emulate it: only the container's own cgroup, whose host
		 * path stage-0 noted before the namespace hid it. */
		if (ctx->cgroupns && cgroup2_host_path[0] &&
		    snprintf(source, sizeof source, "/sys/fs/cgroup%s", cgroup2_host_path) < (int)sizeof source)
			bind.source = source;
		bind.opts.flags |= MS_BIND;
		bind.opts.data = NULL;
		ret = mount_bind(ctx, &bind, &dst, err);
		if (ret < 0)
			orch_wrap(err, "mount cgroup2: %s, and the fallback to a bind of %s: ", strerror(mount_errno),
				  bind.source);
	}
	close(dst);
	return ret;
}

int mount_cgroup(struct mount_ctx *ctx, const struct mount_req *req, int dst_fd, struct orch_error *err)
{
	struct statfs st;

	/* runc's IsCgroup2UnifiedMode: the host's /sys/fs/cgroup is itself a cgroup2 mount. */
	if (statfs("/sys/fs/cgroup", &st) < 0)
		return orch_fail(err, errno, "statfs /sys/fs/cgroup");
	if (st.f_type == CGROUP2_SUPER_MAGIC)
		return mount_cgroup_v2(ctx, req, dst_fd, err);
	return mount_cgroup_v1(ctx, req, err);
}
