#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "devices.h"

/* runc's AllowedDevices that have a path: made in every container whose /dev it sets up. */
static const struct device_node default_devices[] = {
	{ "/dev/null", 'c', 1, 3, 0666, 0, 0 },
	{ "/dev/random", 'c', 1, 8, 0666, 0, 0 },
	{ "/dev/full", 'c', 1, 7, 0666, 0, 0 },
	{ "/dev/tty", 'c', 5, 0, 0666, 0, 0 },
	{ "/dev/zero", 'c', 1, 5, 0666, 0, 0 },
	{ "/dev/urandom", 'c', 1, 9, 0666, 0, 0 },
};

bool devices_need_setup(json_object *spec)
{
	json_object *mounts = cfg_get(spec, "mounts");
	size_t n = mounts && json_object_is_type(mounts, json_type_array) ? json_object_array_length(mounts) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *m = json_object_array_get_idx(mounts, i);
		const char *dest = cfg_string(m, "destination");
		const char *type = cfg_string(m, "type");
		char clean[PATH_MAX];
		struct mount_opts opts;
		struct orch_error ignored;

		if (!dest || path_clean_abs(dest, clean, sizeof clean) < 0 || strcmp(clean, "/dev") != 0)
			continue;
		bool bind = type && strcmp(type, "bind") == 0;
		if (mount_options_parse(cfg_get(m, "options"), &opts, &ignored) == 0) {
			bind = bind || (opts.flags & MS_BIND);
			mount_options_free(&opts);
		}
		if (bind)
			return false;
	}
	return true;
}

static bool spec_redefines(json_object *spec_devices, const char *path)
{
	size_t n = spec_devices ? json_object_array_length(spec_devices) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *p = cfg_string(json_object_array_get_idx(spec_devices, i), "path");
		if (p && strcmp(p, path) == 0)
			return true;
	}
	return false;
}

static int parse_spec_device(json_object *d, struct device_node *dev, struct orch_error *err)
{
	const char *type = cfg_string(d, "type");

	dev->path = cfg_string(d, "path");
	if (!dev->path || dev->path[0] != '/')
		return orch_fail(err, 0, "path: an absolute path is required");
	if (!type || strlen(type) != 1 || !strchr("cubp", type[0]))
		return orch_fail(err, 0, "type: must be one of c, u, b, p");
	dev->type = type[0];
	dev->major = cfg_int(d, "major", 0);
	dev->minor = cfg_int(d, "minor", 0);
	/* The type bits come from "type", not from fileMode (runc masks S_IFMT out). */
	dev->mode = (mode_t)cfg_int(d, "fileMode", 0666) & 07777;
	dev->uid = (uid_t)cfg_int(d, "uid", 0);
	dev->gid = (gid_t)cfg_int(d, "gid", 0);
	return 0;
}

static bool is_ptmx(const char *path)
{
	char clean[PATH_MAX];

	/* /dev/ptmx is the devpts symlink (devpts.c), never a node. */
	return path_clean_abs(path, clean, sizeof clean) == 0 && strcmp(clean, "/dev/ptmx") == 0;
}

int devices_create(struct mount_ctx *ctx, struct orch_error *err)
{
	json_object *spec_devices = cfg_get(cfg_get(ctx->cfg->spec, "linux"), "devices");
	/* mknod is never allowed in a user namespace: bind the host's nodes straight away. */
	bool bind = ctx->userns;

	if (spec_devices && !json_object_is_type(spec_devices, json_type_array))
		return orch_fail(err, 0, "linux.devices: not an array");
	for (size_t i = 0; i < sizeof default_devices / sizeof default_devices[0]; i++) {
		if (spec_redefines(spec_devices, default_devices[i].path))
			continue;
		if (device_node_create(ctx, &default_devices[i], bind, err) < 0)
			return orch_wrap(err, "default device %s: ", default_devices[i].path);
	}
	size_t n = spec_devices ? json_object_array_length(spec_devices) : 0;
	for (size_t i = 0; i < n; i++) {
		struct device_node dev;
		if (parse_spec_device(json_object_array_get_idx(spec_devices, i), &dev, err) < 0)
			return orch_wrap(err, "linux.devices[%zu]: ", i);
		if (is_ptmx(dev.path))
			continue;
		if (device_node_create(ctx, &dev, bind, err) < 0)
			return orch_wrap(err, "linux.devices[%zu] (%s): ", i, dev.path);
	}
	return 0;
}
