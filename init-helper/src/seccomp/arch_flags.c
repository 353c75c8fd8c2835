#include "seccomp_filter.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	uint32_t arch;
} arches[] = {
	{ "SCMP_ARCH_X86", SCMP_ARCH_X86 },
	{ "SCMP_ARCH_X86_64", SCMP_ARCH_X86_64 },
	{ "SCMP_ARCH_X32", SCMP_ARCH_X32 },
	{ "SCMP_ARCH_ARM", SCMP_ARCH_ARM },
	{ "SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64 },
	{ "SCMP_ARCH_MIPS", SCMP_ARCH_MIPS },
	{ "SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64 },
	{ "SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32 },
	{ "SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL },
	{ "SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64 },
	{ "SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32 },
	{ "SCMP_ARCH_PPC", SCMP_ARCH_PPC },
	{ "SCMP_ARCH_PPC64", SCMP_ARCH_PPC64 },
	{ "SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE },
	{ "SCMP_ARCH_S390", SCMP_ARCH_S390 },
	{ "SCMP_ARCH_S390X", SCMP_ARCH_S390X },
	{ "SCMP_ARCH_PARISC", SCMP_ARCH_PARISC },
	{ "SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64 },
	{ "SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64 },
#ifdef SCMP_ARCH_LOONGARCH64
	{ "SCMP_ARCH_LOONGARCH64", SCMP_ARCH_LOONGARCH64 },
#endif
#ifdef SCMP_ARCH_M68K
	{ "SCMP_ARCH_M68K", SCMP_ARCH_M68K },
#endif
#ifdef SCMP_ARCH_SH
	{ "SCMP_ARCH_SH", SCMP_ARCH_SH },
	{ "SCMP_ARCH_SHEB", SCMP_ARCH_SHEB },
#endif
};

int seccomp_add_arches(scmp_filter_ctx ctx, json_object *seccomp, struct orch_error *err)
{
	json_object *list = json_object_object_get(seccomp, "architectures");
	size_t n = list && json_object_is_type(list, json_type_array) ?
			   json_object_array_length(list) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(list, i));
		bool known = false;
		int rc;

		for (size_t k = 0; name && !known && k < sizeof(arches) / sizeof(arches[0]); k++) {
			if (strcmp(arches[k].name, name) != 0)
				continue;
			known = true;
			rc = seccomp_arch_add(ctx, arches[k].arch);
			/* The native architecture is in every filter already. */
			if (rc < 0 && rc != -EEXIST)
				return orch_fail(err, -rc, "linux.seccomp.architectures[%zu] %s", i, name);
		}
		if (!known)
			return orch_fail(err, 0, "linux.seccomp.architectures[%zu]: \"%s\" is not an "
						 "architecture this libseccomp knows", i, name ? name : "");
	}
	return 0;
}

static int set_attr(scmp_filter_ctx ctx, enum scmp_filter_attr attr, const char *flag,
		    struct orch_error *err)
{
	int rc = seccomp_attr_set(ctx, attr, 1);

	if (rc < 0)
		return orch_fail(err, -rc, "linux.seccomp.flags %s is not supported by this kernel "
					   "or libseccomp", flag);
	return 0;
}

int seccomp_set_flags(scmp_filter_ctx ctx, json_object *seccomp, struct orch_error *err)
{
	json_object *list = json_object_object_get(seccomp, "flags");
	size_t n;

	/*
	 * No flags at all (not even []): runc turns on SPEC_ALLOW where the kernel has it, and
	 * so does orch, to behave the same for the same config.
	 */
	if (list == NULL || json_object_is_type(list, json_type_null)) {
		(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1);
		return 0;
	}
	if (!json_object_is_type(list, json_type_array))
		return orch_fail(err, 0, "linux.seccomp.flags must be an array");
	n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		const char *flag = json_object_get_string(json_object_array_get_idx(list, i));

		if (flag == NULL)
			return orch_fail(err, 0, "linux.seccomp.flags[%zu] must be a string", i);
		/* The init is single-threaded when it loads the filter: TSYNC changes nothing. */
		if (strcmp(flag, "SECCOMP_FILTER_FLAG_TSYNC") == 0)
			continue;
		if (strcmp(flag, "SECCOMP_FILTER_FLAG_LOG") == 0) {
			if (set_attr(ctx, SCMP_FLTATR_CTL_LOG, flag, err) < 0)
				return -1;
		} else if (strcmp(flag, "SECCOMP_FILTER_FLAG_SPEC_ALLOW") == 0) {
			if (set_attr(ctx, SCMP_FLTATR_CTL_SSB, flag, err) < 0)
				return -1;
		} else if (strcmp(flag, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0) {
#if SCMP_VER_MAJOR > 2 || (SCMP_VER_MAJOR == 2 && SCMP_VER_MINOR >= 6)
			if (set_attr(ctx, SCMP_FLTATR_CTL_WAITKILL, flag, err) < 0)
				return -1;
#else
			return orch_fail(err, 0, "linux.seccomp.flags %s needs libseccomp 2.6 or newer "
						 "(built with %d.%d.%d)", flag, SCMP_VER_MAJOR,
					 SCMP_VER_MINOR, SCMP_VER_MICRO);
#endif
		} else {
			return orch_fail(err, 0, "linux.seccomp.flags[%zu]: unknown flag \"%s\"", i, flag);
		}
	}
	return 0;
}
