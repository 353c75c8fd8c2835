#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include "mounts.h"

/* The option table of runc (libcontainer/specconv): "clear" options remove the flag. */
static const struct {
	const char *name;
	bool clear;
	unsigned long flag;
} mount_flag_table[] = {
	{ "async", true, MS_SYNCHRONOUS },
	{ "atime", true, MS_NOATIME },
	{ "bind", false, MS_BIND },
	{ "dev", true, MS_NODEV },
	{ "diratime", true, MS_NODIRATIME },
	{ "dirsync", false, MS_DIRSYNC },
	{ "exec", true, MS_NOEXEC },
	{ "iversion", false, MS_I_VERSION },
	{ "lazytime", false, MS_LAZYTIME },
	{ "loud", true, MS_SILENT },
	{ "mand", false, MS_MANDLOCK },
	{ "noatime", false, MS_NOATIME },
	{ "nodev", false, MS_NODEV },
	{ "nodiratime", false, MS_NODIRATIME },
	{ "noexec", false, MS_NOEXEC },
	{ "noiversion", true, MS_I_VERSION },
	{ "nolazytime", true, MS_LAZYTIME },
	{ "nomand", true, MS_MANDLOCK },
	{ "norelatime", true, MS_RELATIME },
	{ "nostrictatime", true, MS_STRICTATIME },
	{ "nosuid", false, MS_NOSUID },
	{ "nosymfollow", false, MS_NOSYMFOLLOW },
	{ "rbind", false, MS_BIND | MS_REC },
	{ "relatime", false, MS_RELATIME },
	{ "remount", false, MS_REMOUNT },
	{ "ro", false, MS_RDONLY },
	{ "rw", true, MS_RDONLY },
	{ "silent", false, MS_SILENT },
	{ "strictatime", false, MS_STRICTATIME },
	{ "suid", true, MS_NOSUID },
	{ "sync", false, MS_SYNCHRONOUS },
	{ "symfollow", true, MS_NOSYMFOLLOW },
};

static const struct {
	const char *name;
	unsigned long flag;
} propagation_table[] = {
	{ "private", MS_PRIVATE },
	{ "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED },
	{ "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE },
	{ "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE },
	{ "runbindable", MS_UNBINDABLE | MS_REC },
};

/* Recursive attributes, applied with mount_setattr(AT_RECURSIVE) as runc does. */
static const struct {
	const char *name;
	bool clear;
	uint64_t attr;
} rec_attr_table[] = {
	{ "rro", false, MOUNT_ATTR_RDONLY },
	{ "rrw", true, MOUNT_ATTR_RDONLY },
	{ "rnosuid", false, MOUNT_ATTR_NOSUID },
	{ "rsuid", true, MOUNT_ATTR_NOSUID },
	{ "rnodev", false, MOUNT_ATTR_NODEV },
	{ "rdev", true, MOUNT_ATTR_NODEV },
	{ "rnoexec", false, MOUNT_ATTR_NOEXEC },
	{ "rexec", true, MOUNT_ATTR_NOEXEC },
	{ "rnodiratime", false, MOUNT_ATTR_NODIRATIME },
	{ "rdiratime", true, MOUNT_ATTR_NODIRATIME },
	{ "rrelatime", false, MOUNT_ATTR_RELATIME },
	{ "rnorelatime", true, MOUNT_ATTR_RELATIME },
	{ "rnoatime", false, MOUNT_ATTR_NOATIME },
	{ "ratime", true, MOUNT_ATTR_NOATIME },
	{ "rstrictatime", false, MOUNT_ATTR_STRICTATIME },
	{ "rnostrictatime", true, MOUNT_ATTR_STRICTATIME },
	{ "rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW },
	{ "rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

unsigned long mount_propagation_flag(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(propagation_table); i++)
		if (strcmp(propagation_table[i].name, name) == 0)
			return propagation_table[i].flag;
	return 0;
}

static int data_append(char **data, size_t *len, const char *opt, struct orch_error *err)
{
	size_t add = strlen(opt) + (*len ? 1 : 0);
	char *grown = realloc(*data, *len + add + 1);

	if (!grown)
		return orch_fail(err, ENOMEM, "mount options");
	if (*len)
		grown[(*len)++] = ',';
	strcpy(grown + *len, opt);
	*len += strlen(opt);
	*data = grown;
	return 0;
}

static int parse_one(const char *opt, struct mount_opts *out, size_t *data_len, struct orch_error *err)
{
	size_t i;

	for (i = 0; i < ARRAY_LEN(mount_flag_table); i++) {
		if (strcmp(mount_flag_table[i].name, opt) != 0)
			continue;
		if (mount_flag_table[i].clear) {
			out->flags &= ~mount_flag_table[i].flag;
			out->cleared |= mount_flag_table[i].flag;
		} else {
			out->flags |= mount_flag_table[i].flag;
			out->cleared &= ~mount_flag_table[i].flag;
		}
		return 0;
	}
	/* "defaults" sets nothing; runc would pass it on as filesystem data, which filesystems
	 * reject, so it is simply dropped. */
	if (strcmp(opt, "defaults") == 0)
		return 0;
	unsigned long prop = mount_propagation_flag(opt);
	if (prop) {
		if (out->n_propagation == MOUNT_MAX_PROPAGATION)
			return orch_fail(err, 0, "option \"%s\": more than %d propagation options", opt,
					 MOUNT_MAX_PROPAGATION);
		out->propagation[out->n_propagation++] = prop;
		return 0;
	}
	for (i = 0; i < ARRAY_LEN(rec_attr_table); i++) {
		if (strcmp(rec_attr_table[i].name, opt) != 0)
			continue;
		uint64_t attr = rec_attr_table[i].attr;
		if (rec_attr_table[i].clear) {
			out->rec_clr |= attr;
			out->rec_set &= ~attr;
		} else {
			out->rec_set |= attr;
			out->rec_clr &= ~attr;
		}
		/* mount_setattr(2): an atime mode is set only together with MOUNT_ATTR__ATIME in
		 * attr_clr (MOUNT_ATTR_RELATIME is 0, so it always matches). */
		if ((attr & MOUNT_ATTR__ATIME) == attr)
			out->rec_clr |= MOUNT_ATTR__ATIME;
		return 0;
	}
	/* runc's extension and id-mapping options: an id-mapped bind whose mapping is the
	 * container's user namespace unless the entry has its own (ridmap: submounts too). */
	if (strcmp(opt, "tmpcopyup") == 0) {
		out->copy_up = true;
		return 0;
	}
	if (strcmp(opt, "idmap") == 0 || strcmp(opt, "ridmap") == 0) {
		out->idmap = true;
		out->idmap_recursive = opt[0] == 'r';
		return 0;
	}
	/* Anything else is filesystem data (size=, mode=, newinstance ...), as with runc. */
	return data_append(&out->data, data_len, opt, err);
}

int mount_options_parse(json_object *options, struct mount_opts *out, struct orch_error *err)
{
	size_t data_len = 0;

	memset(out, 0, sizeof *out);
	if (!options)
		return 0;
	if (!json_object_is_type(options, json_type_array))
		return orch_fail(err, 0, "options: not an array");
	size_t n = json_object_array_length(options);
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(options, i);
		if (!json_object_is_type(o, json_type_string)) {
			mount_options_free(out);
			return orch_fail(err, 0, "options[%zu]: not a string", i);
		}
		if (parse_one(json_object_get_string(o), out, &data_len, err) < 0) {
			mount_options_free(out);
			return -1;
		}
	}
	return 0;
}

void mount_options_free(struct mount_opts *opts)
{
	free(opts->data);
	opts->data = NULL;
}

const char *mount_flags_string(unsigned long flags, char *buf, size_t size)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} names[] = {
		{ MS_RDONLY, "ro" }, { MS_NOSUID, "nosuid" }, { MS_NODEV, "nodev" },
		{ MS_NOEXEC, "noexec" }, { MS_SYNCHRONOUS, "sync" }, { MS_REMOUNT, "remount" },
		{ MS_MANDLOCK, "mand" }, { MS_DIRSYNC, "dirsync" }, { MS_NOSYMFOLLOW, "nosymfollow" },
		{ MS_NOATIME, "noatime" }, { MS_NODIRATIME, "nodiratime" }, { MS_BIND, "bind" },
		{ MS_MOVE, "move" }, { MS_REC, "rec" }, { MS_SILENT, "silent" },
		{ MS_UNBINDABLE, "unbindable" }, { MS_PRIVATE, "private" }, { MS_SLAVE, "slave" },
		{ MS_SHARED, "shared" }, { MS_RELATIME, "relatime" }, { MS_I_VERSION, "iversion" },
		{ MS_STRICTATIME, "strictatime" }, { MS_LAZYTIME, "lazytime" },
	};
	size_t len = 0;

	if (size == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		if (!(flags & names[i].flag))
			continue;
		int n = snprintf(buf + len, size - len, "%s%s", len ? "," : "", names[i].name);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	if (len == 0)
		snprintf(buf, size, "none");
	return buf;
}

unsigned long mount_flags_from_statfs(unsigned long st_flags)
{
	/* <linux/statfs.h>; glibc's statvfs.h does not name it. */
	const unsigned long st_nosymfollow = 0x2000;
	static const struct {
		unsigned long st, ms;
	} map[] = {
		{ ST_RDONLY, MS_RDONLY }, { ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_MANDLOCK, MS_MANDLOCK },
		{ ST_SYNCHRONOUS, MS_SYNCHRONOUS }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	unsigned long flags = 0;

	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (st_flags & map[i].st)
			flags |= map[i].ms;
	if (st_flags & st_nosymfollow)
		flags |= MS_NOSYMFOLLOW;
	/* Strictatime is not stored as a mount flag: it is what is left when no other atime mode is. */
	if (!(flags & MOUNT_ATIME_ENUM_FLAGS))
		flags |= MS_STRICTATIME;
	return flags;
}
