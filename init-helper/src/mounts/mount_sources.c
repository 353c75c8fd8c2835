#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "mounts.h"

/* spec.mounts index -> fd of the detached tree stage-0 made for it, or -1. Stage-2 has a copy
 * of this table (and of the fds) from fork. */
static int *trees;
static size_t n_trees;

bool mount_is_idmapped(json_object *m, const struct mount_opts *opts)
{
	return opts->idmap || cfg_get(m, "uidMappings") || cfg_get(m, "gidMappings");
}

/* spec.linux.namespaces "user": found, and its path (NULL or "" when created). */
static bool container_userns(json_object *linux_obj, const char **path)
{
	json_object *nss = cfg_get(linux_obj, "namespaces");
	size_t n = nss && json_object_is_type(nss, json_type_array) ? json_object_array_length(nss) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *ns = json_object_array_get_idx(nss, i);
		const char *type = cfg_string(ns, "type");
		if (type && strcmp(type, "user") == 0) {
			*path = cfg_string(ns, "path");
			return true;
		}
	}
	return false;
}

/* The mount's own mappings, or (bare "idmap"/"ridmap") those of the container's user namespace,
 * as runc's specconv fills them in. */
static int mapping_userns(const struct init_config *cfg, json_object *m, struct orch_error *err)
{
	json_object *linux_obj = cfg_get(cfg->spec, "linux");
	const char *path = NULL;

	if (cfg_get(m, "uidMappings") || cfg_get(m, "gidMappings"))
		return idmap_userns_open(cfg_get(m, "uidMappings"), cfg_get(m, "gidMappings"), err);
	if (!container_userns(linux_obj, &path))
		return orch_fail(err, 0, "no uidMappings/gidMappings, and no user namespace to take them from");
	if (path && *path) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return orch_fail(err, errno, "open the container's user namespace %s", path);
		return fd;
	}
	int fd = idmap_userns_open(cfg_get(linux_obj, "uidMappings"), cfg_get(linux_obj, "gidMappings"), err);
	if (fd < 0)
		return orch_wrap(err, "the container's linux.");
	return fd;
}

/*
 * A detached clone of the bind source, made here on the host, which the init moves into place:
 * id-mapped (idmap) with the mount's or the container's mappings, or plain for a source the
 * container's root could not reach from inside its user namespace (runc hands the init such
 * sources from the host side too).
 */
static int make_tree(const struct init_config *cfg, json_object *m, const struct mount_opts *opts, bool idmap,
		     struct orch_error *err)
{
	char buf[PATH_MAX];
	const char *source = mount_bind_source(cfg, cfg_string(m, "source"), buf, err);
	int e;

	if (!source)
		return -1;
	unsigned int flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | ((opts->flags & MS_REC) ? AT_RECURSIVE : 0);
	int tree = open_tree(AT_FDCWD, source, flags);
	if (tree < 0)
		return orch_fail(err, errno, "open_tree(OPEN_TREE_CLONE) %s", source);

	if (idmap) {
		int userns = mapping_userns(cfg, m, err);
		if (userns < 0) {
			close(tree);
			return -1;
		}
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns };
		int r = mount_setattr(tree, "", AT_EMPTY_PATH | (opts->idmap_recursive ? AT_RECURSIVE : 0), &attr, sizeof attr);
		e = errno;
		close(userns);
		if (r < 0) {
			close(tree);
			return orch_fail(err, e, "id-map %s%s", source,
					 e == EINVAL ? " (does its filesystem support id-mapped mounts?)" : "");
		}
	}
	/* The clone is a peer of the host's mount when that one is shared: make it a slave (or
	 * private, with a private root propagation), so that nothing mounted below it in the
	 * container reaches the host, as for binds made inside the container's namespace. */
	const char *root_prop = cfg_string(cfg_get(cfg->spec, "linux"), "rootfsPropagation");
	bool private = root_prop && (strcmp(root_prop, "private") == 0 || strcmp(root_prop, "rprivate") == 0);
	struct mount_attr prop = { .propagation = private ? MS_PRIVATE : MS_SLAVE };
	if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &prop, sizeof prop) < 0) {
		e = errno;
		close(tree);
		return orch_fail(err, e, "make the clone of %s %s", source, private ? "private" : "a slave");
	}
	return tree;
}

/* A bind in a new user namespace whose source the container's root cannot look up. */
static bool unreachable_in_userns(const struct init_config *cfg, json_object *m, const char *uid_map,
				  const char *gid_map)
{
	char buf[PATH_MAX];
	struct orch_error ignored;
	const char *source;

	if (!(cfg->clone_flags & CLONE_NEWUSER) || uid_map == NULL || gid_map == NULL)
		return false;
	source = mount_bind_source(cfg, cfg_string(m, "source"), buf, &ignored);
	return source != NULL && !userns_root_can_reach(source, uid_map, gid_map);
}

int mount_sources_prepare(const struct init_config *cfg, const char *uid_map, const char *gid_map,
			  struct orch_error *err)
{
	json_object *mounts = cfg_get(cfg->spec, "mounts");
	size_t n = mounts && json_object_is_type(mounts, json_type_array) ? json_object_array_length(mounts) : 0;
	int ret = 0;

	if (cgroup_mount_prepare(err) < 0)
		return -1;
	for (size_t i = 0; i < n && ret == 0; i++) {
		json_object *m = json_object_array_get_idx(mounts, i);
		const char *destination = cfg_string(m, "destination");
		struct mount_opts opts;

		if (mount_options_parse(cfg_get(m, "options"), &opts, err) < 0)
			return orch_wrap(err, "mount %zu (%s): ", i, destination ? destination : "");
		const char *type = cfg_string(m, "type");
		bool bind = (opts.flags & MS_BIND) || (type && strcmp(type, "bind") == 0);
		if (mount_is_idmapped(m, &opts) && !bind) {
			ret = orch_fail(err, 0, "mount %zu (%s): id-mapped mounts are only supported for bind mounts", i,
					destination ? destination : "");
		} else if (bind && (mount_is_idmapped(m, &opts) || unreachable_in_userns(cfg, m, uid_map, gid_map))) {
			bool idmap = mount_is_idmapped(m, &opts);
			if (!trees) {
				trees = malloc(n * sizeof *trees);
				if (!trees) {
					mount_options_free(&opts);
					return orch_fail(err, ENOMEM, "mount sources");
				}
				n_trees = n;
				for (size_t j = 0; j < n; j++)
					trees[j] = -1;
			}
			trees[i] = make_tree(cfg, m, &opts, idmap, err);
			if (trees[i] < 0)
				ret = orch_wrap(err, "mount %zu (%s): %s", i, destination ? destination : "",
						idmap ? "id-mapped mount: " : "");
		}
		mount_options_free(&opts);
	}
	idmap_userns_release();
	return ret;
}

const int *mount_source_tree(int index)
{
	if (index < 0 || (size_t)index >= n_trees || trees[index] < 0)
		return NULL;
	return &trees[index];
}

void mount_sources_close(void)
{
	for (size_t i = 0; i < n_trees; i++)
		if (trees[i] >= 0)
			close(trees[i]);
	free(trees);
	trees = NULL;
	n_trees = 0;
}
