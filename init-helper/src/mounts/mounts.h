#ifndef ORCH_MOUNTS_H
#define ORCH_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <limits.h>
#include <stdint.h>
#include <sys/mount.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "../config/init_config.h"
#include "../error/error.h"

/*
 * Mounting inside the container's rootfs, before the root change. Every destination is resolved
 * with openat2(RESOLVE_IN_ROOT) below the rootfs fd and mounted onto /proc/self/fd/N, so a symlink
 * in the image can never send a mount outside the rootfs.
 */

/* What every mount step needs to know about the container. */
struct mount_ctx {
	const struct init_config *cfg;
	const char *rootfs;	/* absolute host path of the rootfs */
	int root_fd;		/* O_PATH fd of the rootfs (its bind onto itself, when there is one) */
	bool userns;		/* running in a user namespace other than the initial one */
	bool cgroupns;		/* spec.linux.namespaces has "cgroup" */
};

/* --- mount_options.c: OCI option strings -> mount(2) arguments ---------------------------- */

#define MOUNT_MAX_PROPAGATION 8

struct mount_opts {
	unsigned long flags;	/* MS_* to set */
	unsigned long cleared;	/* MS_* explicitly cleared ("rw", "suid", "exec" ...) */
	unsigned long propagation[MOUNT_MAX_PROPAGATION];	/* applied in order after the mount */
	int n_propagation;
	uint64_t rec_set, rec_clr;	/* MOUNT_ATTR_* of "rro", "rnosuid" ... (mount_setattr) */
	char *data;		/* unknown options joined with ',' (filesystem data); malloc'd or NULL */
	bool copy_up;		/* "tmpcopyup": the tmpfs starts with what the directory held */
	bool idmap;		/* "idmap"/"ridmap": an id-mapped bind */
	bool idmap_recursive;	/* "ridmap": submounts are id-mapped too */
};

/* options: a json array of strings or NULL. On success free with mount_options_free(). */
int mount_options_parse(json_object *options, struct mount_opts *out, struct orch_error *err);
void mount_options_free(struct mount_opts *opts);
/* "rprivate" -> MS_PRIVATE|MS_REC; 0 when the name is not a propagation mode. */
unsigned long mount_propagation_flag(const char *name);
/* Names of the MS_* flags set in flags, comma separated, for messages. */
const char *mount_flags_string(unsigned long flags, char *buf, size_t size);
/* statfs f_flags (ST_*) -> MS_* (as runc's statfsToMountFlags). */
unsigned long mount_flags_from_statfs(unsigned long st_flags);

/* Flags the kernel locks on mounts inherited by a less privileged mount namespace. */
#define MOUNT_ATIME_ENUM_FLAGS (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)
#define MOUNT_ATIME_FLAGS (MOUNT_ATIME_ENUM_FLAGS | MS_NODIRATIME)
#define MOUNT_LOCK_FLAGS (MS_RDONLY | MS_NODEV | MS_NOEXEC | MS_NOSUID | MOUNT_ATIME_FLAGS)

/* --- secure_join.c: paths inside the rootfs -------------------------------------------------- */

#define PROCFD_PATH_SIZE 32

/* "/proc/self/fd/N": the path through which mount(2) reaches what fd refers to. */
const char *procfd_path(int fd, char buf[PROCFD_PATH_SIZE]);
/* Lexical clean of path taken as absolute ("a/./b/../c//" -> "/a/c"); -1/ENAMETOOLONG. */
int path_clean_abs(const char *path, char *out, size_t size);
/* true when path is root or below it (both clean absolute paths). */
bool path_in_root(const char *root, const char *path);
/* The path fd refers to, as this process sees it (readlink /proc/self/fd/N); -1 + errno. */
int fd_path(int fd, char *buf, size_t size);
/* openat2(root_fd, path, flags, RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS): -1 + errno. Without
 * openat2, walk_in_root() does the same in userspace. */
int open_in_root(int root_fd, const char *path, int flags);
/* walk_in_root.c: path resolved below root_fd one component at a time (symlinks resolved
 * against the root, ".." stopping there); -1 + errno (EXDEV: a rename moved the walk out). */
int walk_in_root(int root_fd, const char *path, int flags);
/* mkdir -p of path inside the root; returns an O_PATH fd of the directory. */
int mkdir_all_in_root(int root_fd, const char *path, mode_t mode, struct orch_error *err);
/* Creates the parents of path inside the root; returns an O_PATH fd of the parent and puts the
 * last component in name. */
int open_parent_in_root(int root_fd, const char *path, mode_t mode, char *name, size_t name_size,
			struct orch_error *err);

/* --- mountinfo.c ---------------------------------------------------------------------------- */

struct mountinfo_entry {
	const char *root;	/* root of the mount within its filesystem */
	const char *mountpoint;
	const char *mount_opts;	/* per-mount options */
	const char *fstype;
	const char *source;
	const char *super_opts;	/* per-superblock options */
};

/* Calls fn for each line of /proc/self/mountinfo until fn returns non-zero (returned; < 0 means
 * fn failed and filled err). */
int mountinfo_foreach(int (*fn)(const struct mountinfo_entry *e, void *arg, struct orch_error *err),
		      void *arg, struct orch_error *err);

/* --- userns.c --------------------------------------------------------------------------------- */

/* true when this process is in a user namespace other than the initial one (as runc's
 * userns.RunningInUserNS: /proc/self/uid_map is not the identity map of all ids). */
bool running_in_userns(void);

/* --- mount_entry.c / bind_mount.c / cgroup_mount.c ---------------------------------------------- */

/* One mount to make inside the rootfs: a spec.mounts entry or one runc synthesises. */
struct mount_req {
	const char *dest;	/* clean absolute path inside the rootfs */
	const char *type;	/* "bind" for bind mounts, whatever spec type was given */
	const char *source;	/* host path for binds (relative ones already joined to the bundle) */
	struct mount_opts opts;	/* opts.data is not owned by the request */
	const int *tree_fd;	/* NULL, or a detached mount (open_tree) to move to dest instead of
				 * binding source: the id-mapped binds stage-0 prepared */
};

/* A bind source as a host path: relative ones are taken from the bundle directory; NULL + err
 * when too long. */
const char *mount_bind_source(const struct init_config *cfg, const char *source, char buf[PATH_MAX],
			      struct orch_error *err);
/* tmpcopyup: copies what the directory below_dir holds into the fresh tmpfs on top of it. */
int tmpfs_copy_up(int below_dir, int tmpfs_root, const char *dest, struct orch_error *err);
/* Mounts spec.mounts[index]; errors read "mount <index> (<destination>): ...". */
int mount_spec_entry(struct mount_ctx *ctx, json_object *m, int index, struct orch_error *err);
/* Mounts one request inside the rootfs (runc's mountToRootfs). */
int mount_req_apply(struct mount_ctx *ctx, struct mount_req *req, struct orch_error *err);
/* Mounts req onto *dst_fd (an O_PATH fd of the mountpoint), then moves *dst_fd to the new mount
 * and applies the propagation flags. If mount(2) itself fails, *mount_errno gets its errno. */
int mount_propagate(struct mount_ctx *ctx, const struct mount_req *req, int *dst_fd,
		    int *mount_errno, struct orch_error *err);
/* Re-resolves dest after a mount, so the fd refers to the new top mount; -1 + err. */
int reopen_mountpoint(struct mount_ctx *ctx, const char *dest, int old_fd, struct orch_error *err);
/* Bind mount: MS_BIND (MS_REC), then MS_BIND|MS_REMOUNT with the flags, keeping the flags the
 * kernel locks in a user namespace. */
int mount_bind(struct mount_ctx *ctx, const struct mount_req *req, int *dst_fd, struct orch_error *err);
/* Applies the "rro", "rnosuid" ... attributes recursively on the mount at fd. */
int mount_apply_rec_attr(const struct mount_req *req, int fd, struct orch_error *err);
/* The cgroup filesystem at req->dest: cgroup2, or a tmpfs with one mount per v1 hierarchy. */
int mount_cgroup(struct mount_ctx *ctx, const struct mount_req *req, int dst_fd, struct orch_error *err);
/* Stage-0, before any namespace: notes the container's cgroup v2 path as the host sees it (a
 * cgroup namespace hides it later), for the bind that stands in for a cgroup2 mount. */
int cgroup_mount_prepare(struct orch_error *err);
/* runc's checkProcMount: nothing may be mounted inside /proc except a few lxcfs-style files,
 * and only proc (or a bind of a procfs) onto /proc. rel is the clean path inside the rootfs. */
int check_proc_mount(const char *rel, const struct mount_req *req, struct orch_error *err);

/* --- mount_sources.c / idmap_userns.c: what stage-0 prepares on the host ------------------- */

/*
 * Stage-0 (host root, host namespaces) makes the detached mount trees the container cannot make
 * itself: id-mapped binds (open_tree(OPEN_TREE_CLONE) + mount_setattr(MOUNT_ATTR_IDMAP) need
 * privilege over the source filesystem), and, with a new user namespace, binds of sources its
 * root cannot look up (a directory only the host's root may enter). The init inherits the fds
 * across fork and moves each tree onto its destination.
 */
int mount_sources_prepare(const struct init_config *cfg, const char *uid_map, const char *gid_map,
			  struct orch_error *err);

/* host_reach.c: whether the root of a user namespace with these id maps ("inside outside count"
 * lines) can look up path: search permission on every directory on the way, with its
 * capabilities counting only over inodes whose owner and group it maps. */
bool userns_root_can_reach(const char *path, const char *uid_map, const char *gid_map);
/* The tree prepared for spec.mounts[index], or NULL. */
const int *mount_source_tree(int index);
/* Closes every prepared tree (those not moved into place are dissolved). */
void mount_sources_close(void);
/* true when spec.mounts entry m is an id-mapped mount (idmap/ridmap or its own mappings). */
bool mount_is_idmapped(json_object *m, const struct mount_opts *opts);
/* A user namespace with these spec id-mappings (uid_map/gid_map lines), as an fd. */
int idmap_userns_open(json_object *uid_maps, json_object *gid_maps, struct orch_error *err);
void idmap_userns_release(void);

#endif
