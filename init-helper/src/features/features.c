#include "features.h"

#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <json-c/json.h>
#include <seccomp.h>

#include "../mounts/mounts.h"
#include "../seccomp/seccomp_filter.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Every name runc 1.5 knows (and a few more): the helper's parsers decide which are listed. */
static const char *const mount_candidates[] = {
	"acl", "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
	"idmap", "iversion", "lazytime", "loud", "mand", "noacl", "noatime", "nodev", "nodiratime",
	"noexec", "noiversion", "nolazytime", "nomand", "norelatime", "nostrictatime", "nosuid",
	"nosymfollow", "private", "ratime", "rbind", "rdev", "rdiratime", "relatime", "remount",
	"rexec", "ridmap", "rnoatime", "rnodev", "rnodiratime", "rnoexec", "rnorelatime",
	"rnostrictatime", "rnosuid", "rnosymfollow", "ro", "rprivate", "rrelatime", "rro", "rrw",
	"rshared", "rslave", "rstrictatime", "rsuid", "rsymfollow", "runbindable", "rw", "shared",
	"silent", "slave", "strictatime", "suid", "symfollow", "sync", "tmpcopyup", "unbindable",
};
static const char *const action_candidates[] = {
	"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
	"SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP",
};
static const char *const operator_candidates[] = {
	"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
	"SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE",
};
static const char *const arch_candidates[] = {
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM", "SCMP_ARCH_LOONGARCH64", "SCMP_ARCH_M68K",
	"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
	"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PARISC", "SCMP_ARCH_PARISC64",
	"SCMP_ARCH_PPC", "SCMP_ARCH_PPC64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_RISCV64",
	"SCMP_ARCH_S390", "SCMP_ARCH_S390X", "SCMP_ARCH_SH", "SCMP_ARCH_SHEB", "SCMP_ARCH_X32",
	"SCMP_ARCH_X86", "SCMP_ARCH_X86_64",
};
static const char *const flag_candidates[] = {
	"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
};

/* {key: [name]}: the one-element config fragment a parser is asked about. */
static json_object *single(const char *key, const char *name)
{
	json_object *obj = json_object_new_object();
	json_object *list = json_object_new_array();

	json_object_array_add(list, json_object_new_string(name));
	json_object_object_add(obj, key, list);
	return obj;
}

/* A mount option the rootfs code turns into flags, propagation or attributes, not fs data. */
static bool mount_option_known(const char *name)
{
	json_object *frag = single("options", name);
	struct mount_opts opts;
	struct orch_error err;
	bool known = false;

	if (mount_options_parse(json_object_object_get(frag, "options"), &opts, &err) == 0) {
		known = opts.data == NULL;
		mount_options_free(&opts);
	}
	json_object_put(frag);
	return known;
}

static bool action_known(const char *name)
{
	struct orch_error err;
	uint32_t action;

	return seccomp_action(name, NULL, &action, &err) == 0;
}

static bool operator_known(const char *name)
{
	struct orch_error err;
	enum scmp_compare op;

	return seccomp_operator(name, &op, &err) == 0;
}

/* The architecture (or flag) is taken by the filter code on a scratch filter. */
static bool filter_takes(const char *key, const char *name)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	json_object *frag = single(key, name);
	struct orch_error err;
	bool ok = false;

	if (ctx != NULL) {
		ok = strcmp(key, "architectures") == 0 ? seccomp_add_arches(ctx, frag, &err) == 0
						     : seccomp_set_flags(ctx, frag, &err) == 0;
		seccomp_release(ctx);
	}
	json_object_put(frag);
	return ok;
}

static bool arch_known(const char *name)
{
	return filter_takes("architectures", name);
}

static bool flag_supported(const char *name)
{
	return filter_takes("flags", name);
}

static bool any(const char *name)
{
	(void)name;
	return true;
}

static json_object *names(const char *const *list, size_t n, bool (*keep)(const char *))
{
	json_object *out = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		if (keep(list[i]))
			json_object_array_add(out, json_object_new_string(list[i]));
	return out;
}

/* CAP_CHOWN .. the last capability this kernel has, as libcap names them. */
static json_object *capabilities(void)
{
	json_object *out = json_object_new_array();
	cap_value_t max = (cap_value_t)cap_max_bits();

	for (cap_value_t cap = 0; cap < max && cap < 64; cap++) {
		char *name = cap_to_name(cap);
		char upper[64];
		size_t i;

		if (name == NULL)
			continue;
		for (i = 0; name[i] != '\0' && i < sizeof(upper) - 1; i++)
			upper[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 'a' + 'A' : name[i]);
		upper[i] = '\0';
		cap_free(name);
		/* libcap names a capability it has no name for by its number */
		if (strncmp(upper, "CAP_", 4) == 0)
			json_object_array_add(out, json_object_new_string(upper));
	}
	return out;
}

int features_main(void)
{
	const struct scmp_version *v = seccomp_version();
	json_object *out = json_object_new_object();
	json_object *sc = json_object_new_object();
	char version[32];

	snprintf(version, sizeof(version), "%u.%u.%u", v ? v->major : 0, v ? v->minor : 0,
		 v ? v->micro : 0);
	json_object_object_add(out, "libseccomp", json_object_new_string(version));
	json_object_object_add(out, "capabilities", capabilities());
	json_object_object_add(out, "mountOptions",
			       names(mount_candidates, LEN(mount_candidates), mount_option_known));
	json_object_object_add(sc, "actions",
			       names(action_candidates, LEN(action_candidates), action_known));
	json_object_object_add(sc, "operators",
			       names(operator_candidates, LEN(operator_candidates), operator_known));
	json_object_object_add(sc, "archs", names(arch_candidates, LEN(arch_candidates), arch_known));
	json_object_object_add(sc, "knownFlags", names(flag_candidates, LEN(flag_candidates), any));
	json_object_object_add(sc, "supportedFlags",
			       names(flag_candidates, LEN(flag_candidates), flag_supported));
	json_object_object_add(out, "seccomp", sc);
	puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
	return fflush(stdout) == 0 ? 0 : 1;
}
